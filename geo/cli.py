"""The ``shanhai`` command (also ``python -m geo``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import unicodedata

from .errors import GeoError

FORMATS = ("table", "csv", "json")


# ---------------------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_rows(rows: list[dict], columns: list[str], fmt: str) -> str:
    """Rows as an aligned table (CJK-aware), CSV with a header, or JSON."""
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
        return buf.getvalue().rstrip("\n")
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def _clean(value):
    """JSON-friendly scalar (NaN → None, numpy → Python)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


# ---------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------


def _layer_options(p: argparse.ArgumentParser):
    g = p.add_argument_group("data layers (each replaces the embedded one)")
    g.add_argument(
        "--boundaries", metavar="FILE", help="county polygons: Shapefile, GeoPackage, GeoJSON, FlatGeobuf, GeoParquet"
    )
    g.add_argument("--pairings", metavar="FILE", help="pairings table (CSV or XLSX)")
    g.add_argument("--coverage", metavar="FILE", help="policy coverage table (CSV or XLSX)")
    g.add_argument("--status", metavar="FILE", help="designations/status table (CSV or XLSX)")
    g.add_argument(
        "--edition", default=None, help="edition of the mountain-county list: 2021 (default, 26) or 2024 (25)"
    )
    r = p.add_argument_group("reading options")
    r.add_argument("--encoding", help="force the attribute/table encoding (utf-8, gbk, gb18030)")
    r.add_argument("--crs", help="CRS of a boundary file that declares none, e.g. EPSG:4490")
    r.add_argument("--datum", choices=("wgs84", "gcj02"), default="wgs84", help="gcj02 for AMap/DataV exports")
    r.add_argument("--layer", help="layer of a multi-layer boundary file (GeoPackage)")
    r.add_argument("--sheet", help="sheet of an XLSX table")
    r.add_argument("--code-column", help="boundary file: the column holding the county code")
    r.add_argument("--name-column", help="boundary file: the column holding the county name")


def _layer_kwargs(args) -> dict:
    return dict(
        boundaries=args.boundaries,
        pairings=args.pairings,
        coverage=args.coverage,
        status=args.status,
        encoding=args.encoding,
        crs=args.crs,
        datum=args.datum,
        layer=args.layer,
        sheet=args.sheet,
        code_column=args.code_column,
        name_column=args.name_column,
    )


def _uses_layers(args) -> bool:
    return any(getattr(args, k, None) for k in ("boundaries", "pairings", "coverage", "status"))


def _load(args):
    from .atlas import load_atlas

    atlas = load_atlas(args.edition, **_layer_kwargs(args))
    for p in atlas.problems:
        if p.severity in ("warning", "repair"):
            print(f"{p.severity}: {p}", file=sys.stderr)
        elif p.severity == "info" and p.file in set(filter(None, _layer_kwargs(args).values())):
            print(f"note: {p}", file=sys.stderr)
    return atlas


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shanhai",
        description="Maps of Zhejiang's 26 mountain counties (山区26县) and their 山海协作 partners.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__import__('geo').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("counties", help="list the counties of an edition (or all 90)")
    _layer_options(p)
    p.add_argument("--all", action="store_true", help="all 90 county-level units of Zhejiang")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_counties)

    p = sub.add_parser("pairs", help="list the 山海协作 pairings, one row each")
    _layer_options(p)
    p.add_argument("--county", help="only pairings of this county (mountain county or partner)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_pairs)

    p = sub.add_parser(
        "check", help="validate the embedded layers or the given files; exit 1 if anything must be fixed"
    )
    _layer_options(p)
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="files to check (kind detected from the format and headers)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="write the joined layers as a GeoPackage (counties, links, coverage, status)")
    _layer_options(p)
    p.add_argument("path", metavar="PATH.gpkg")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("editions", help="list the editions of the mountain-county list, or compare two")
    p.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"), help="counties added, removed and kept, e.g. 2021 2024")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_editions)

    p = sub.add_parser("timeline", help="the dated events of one county (list, pairings, designations, clauses)")
    _layer_options(p)
    p.add_argument("county", help="any name form or code, e.g. 景宁")
    p.add_argument("-o", "--output", help="a figure (.png, .svg, .pdf) instead of the table")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("gaps", help="each pairing compared on one indicator: both values, ratio, difference")
    _layer_options(p)
    p.add_argument("--data", metavar="FILE", help="CSV, XLSX or XLS keyed by county (omit for a built-in column)")
    p.add_argument("--column", required=True, help="the numeric column (built in: population_2020, density)")
    p.add_argument("--unit", help="the unit (default: from the header)")
    p.add_argument("--format", choices=(*FORMATS, "png", "svg", "pdf"), default="table")
    p.add_argument("-o", "--output", help="write to this file instead of printing (the figure for png/svg/pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("profile", help="one county's profile page (一县一图): PDF, PNG, SVG or HTML")
    _layer_options(p)
    p.add_argument("county", help="any name form or code, e.g. 景宁")
    p.add_argument("-o", "--output", help="output file (default: output/profiles/NAME.pdf)")
    p.add_argument("--format", choices=("pdf", "png", "svg", "html"), help="default: from -o, else pdf")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("book", help="every county's profile bound into one PDF with cover, contents, bookmarks")
    _layer_options(p)
    p.add_argument("-o", "--output", default="output/book.pdf", help="the PDF (default output/book.pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("site", help="the offline website: index, one page per theme and per county profile")
    _layer_options(p)
    p.add_argument("-o", "--output", default="output/site", help="the folder (default output/site)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser(
        "template", help="write the table layers as an Excel workbook to correct (drop-downs, Chinese headers)"
    )
    _layer_options(p)
    p.add_argument("path", metavar="PATH.xlsx")
    p.add_argument(
        "--table",
        dest="layers",
        action="append",
        choices=("pairings", "coverage", "status"),
        help="only this layer (repeatable); default: the one the file is named after, else all three",
    )
    p.set_defaults(func=cmd_template)

    from . import commands_render

    commands_render.add_parsers(sub, _layer_options)
    return parser


# ---------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------

COUNTY_COLUMNS = ["code", "name", "short_name", "city", "kind", "romanized", "population_2020"]


def cmd_counties(args) -> int:
    from .registry import get_registry

    reg = get_registry()
    ed = reg.edition(args.edition)
    if _uses_layers(args):
        atlas = _load(args)
        rows = [
            {k: _clean(v) for k, v in r.items()} for r in atlas.counties.drop(columns="geometry").to_dict("records")
        ]
        columns = [*COUNTY_COLUMNS, "member", "partners", "n_clauses", "statuses"]
    else:
        rows = [
            {**{c: getattr(x, c) for c in COUNTY_COLUMNS}, "member": x.code in ed.members}
            for x in reg.counties.values()
        ]
        columns = [*COUNTY_COLUMNS, "member"]
    if not args.all:
        rows = [r for r in rows if r["member"]]
        columns = [c for c in columns if c != "member"]
    print(format_rows(rows, columns, args.format))
    if args.format == "table":
        scope = "all county-level units" if args.all else f"edition {ed.id} ({ed.title}, {ed.date})"
        print(f"\n{len(rows)} {scope}")
    return 0


PAIR_COLUMNS = ["mountain_county", "partner", "partner_city", "since", "round", "confidence", "distance_km", "source"]


def cmd_pairs(args) -> int:
    atlas = _load(args)
    links = atlas.links
    if args.county:
        c = atlas.registry.county(args.county, context="--county")
        links = links[(links["mountain_code"] == c.code) | (links["partner_code"] == c.code)]
        if links.empty and c.code not in atlas.edition.members:
            others = [e for e in atlas.registry.editions.values() if c.code in e.members]
            if others:
                where = "; ".join(f"edition {e.id} ({e.title}, {e.date})" for e in others)
                raise GeoError(
                    f"{c.name} is not a mountain county of edition {atlas.edition.id} ({atlas.edition.title}); "
                    f"it is in {where}. Fix: add --edition {others[-1].id}."
                )
    rows = [{k: _clean(v) for k, v in r.items()} for r in links.drop(columns="geometry").to_dict("records")]
    print(format_rows(rows, PAIR_COLUMNS, args.format))
    if args.format == "table":
        none = atlas.members[atlas.members["pairing_status"] == "no sourced partner"]
        if args.county:
            none = none[none["code"] == c.code]
        print(f"\n{len(rows)} pairing(s), edition {atlas.edition.id}")
        if len(none):
            print(f"no sourced partner: {'、'.join(none['name'])}")
    return 0


def cmd_check(args) -> int:
    from .checks import check_files

    problems, summary = check_files(args)
    if args.format == "json":
        print(
            json.dumps({"problems": [p.to_dict() for p in problems], "summary": summary}, ensure_ascii=False, indent=2)
        )
    else:
        for p in problems:
            print(f"{p.severity:7}  {p}")
        print(
            f"{summary['files']} file(s) checked: {summary['error']} error(s), {summary['repair']} repair(s), "
            f"{summary['warning']} warning(s), {summary['info']} note(s)."
        )
    return 1 if summary["error"] else 0


def cmd_export(args) -> int:
    from .export import export_gpkg

    atlas = _load(args)
    path = export_gpkg(atlas, args.path)
    print(f"wrote {path} (layers counties, links, coverage, status; edition {atlas.edition.id})")
    return 0


def cmd_editions(args) -> int:
    from .registry import get_registry

    reg = get_registry()
    if args.diff:
        from .history import edition_diff

        a, b = (reg.edition(e) for e in args.diff)
        diff = edition_diff(reg, a.id, b.id)
        rows = [
            {"change": k, "code": c, "name": reg.counties[c].name, "city": reg.counties[c].city}
            for k in ("added", "removed", "kept")
            for c in diff[k]
        ]
        print(format_rows(rows, ["change", "code", "name", "city"], args.format))
        if args.format == "table":
            print(
                f"\nedition {a.id} ({a.title}, {a.date}, {len(a.members)}) → edition {b.id} ({b.title}, {b.date}, "
                f"{len(b.members)}): {len(diff['added'])} added, {len(diff['removed'])} removed, {len(diff['kept'])} kept"
            )
        return 0
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "date": e.date,
            "count": len(e.members),
            "confidence": e.confidence,
            "source": e.source,
        }
        for e in sorted(reg.editions.values(), key=lambda e: e.date)
    ]
    print(format_rows(rows, ["id", "title", "date", "count", "confidence", "source"], args.format))
    return 0


def cmd_timeline(args) -> int:
    from .history import timeline

    atlas = _load(args)
    events = timeline(atlas, args.county)
    if args.output:
        from .static import render_timeline, save_static

        path = save_static(render_timeline(atlas, args.county, lang=args.lang), args.output)
        print(f"wrote {path} ({len(events)} events of {events.attrs['county']})")
        return 0
    rows = [{k: _clean(v) if v is not None else None for k, v in r.items()} for r in events.to_dict("records")]
    for r in rows:
        r["year"] = None if r["year"] is None or r["year"] != r["year"] else int(r["year"])
    print(format_rows(rows, ["date", "kind", "label", "detail", "source"], args.format))
    if args.format == "table":
        undated = int(events["year"].isna().sum())
        print(f"\n{len(events)} events of {events.attrs['county']}" + (f", {undated} undated" if undated else ""))
    return 0


def cmd_gaps(args) -> int:
    from pathlib import Path

    from .commands_render import indicator_of
    from .indicators import pair_gaps

    atlas = _load(args)
    gaps = pair_gaps(atlas, indicator_of(atlas, args))
    fmt = args.format
    if args.output and fmt == "table":
        fmt = Path(args.output).suffix.lstrip(".").lower() or "csv"
    if fmt in ("png", "svg", "pdf"):
        from .static import render_gaps, save_static

        out = args.output or f"output/gaps.{fmt}"
        path = save_static(render_gaps(gaps, lang=args.lang), out, format=fmt)
        print(f"wrote {path} ({len(gaps)} pairings)")
        return 0
    cols = ["mountain_county", "partner", "mountain_value", "partner_value", "ratio", "difference", "confidence"]
    rows = [{k: _clean(v) for k, v in r.items()} for r in gaps[cols].to_dict("records")]
    if fmt == "table":
        for r in rows:
            for k in ("mountain_value", "partner_value", "ratio", "difference"):
                r[k] = "" if r[k] is None else f"{r[k]:,.2f}" if k == "ratio" else f"{r[k]:,.1f}"
    body = format_rows(rows, cols, fmt)
    if args.output:
        from ._io import atomic_path

        with atomic_path(Path(args.output)) as tmp:
            tmp.write_text(body + "\n", encoding="utf-8")
        print(f"wrote {args.output} ({len(gaps)} pairings)")
    else:
        print(body)
        if fmt == "table":
            unit = f" ({gaps.attrs['unit']})" if gaps.attrs.get("unit") else ""
            print(
                f"\n{len(gaps)} pairings of edition {atlas.edition.id}; {gaps.attrs['label']}{unit}, ratio = partner / mountain"
            )
    return 0


def cmd_profile(args) -> int:
    import time
    from pathlib import Path

    from .profile import render_profile, save_profile

    atlas = _load(args)
    c = atlas.registry.county(args.county, context="profile")
    out = Path(args.output) if args.output else None
    fmt = args.format or (out.suffix.lstrip(".").lower() if out and out.suffix else "pdf")
    out = out or Path("output") / "profiles" / f"{c.short_name}.{fmt}"
    t0 = time.perf_counter()
    if fmt == "html":
        from .html import save_html

        paths = [save_html(render_profile(atlas, c.code, lang=args.lang, fmt="html"), out)]
    else:
        paths = save_profile(render_profile(atlas, c.code, lang=args.lang), out.with_suffix("." + fmt))
    size = sum(p.stat().st_size for p in paths) / 1024
    print(f"wrote {', '.join(map(str, paths))} ({size:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


def cmd_book(args) -> int:
    import time

    from .book import build_book

    atlas = _load(args)
    t0 = time.perf_counter()
    info = build_book(atlas, args.output, lang=args.lang)
    size = info["path"].stat().st_size / 1e6
    print(
        f"wrote {info['path']} ({info['pages']} pages, {info['bookmarks']} bookmarks, {size:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s)"
    )
    return 0


def cmd_site(args) -> int:
    import time

    from .site import build_site

    atlas = _load(args)
    t0 = time.perf_counter()
    info = build_site(atlas, args.output, lang=args.lang)
    print(
        f"wrote {args.output}/ ({info['pages']} pages, {len(info['files'])} files, {info['bytes'] / 1e6:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s); open {args.output}/index.html"
    )
    return 0


def cmd_template(args) -> int:
    from pathlib import Path

    from .atlas import LayerFiles, read_layer
    from .registry import get_registry
    from .template import LAYERS, write_template

    path = Path(args.path)
    layers = args.layers or ([path.stem.lower()] if path.stem.lower() in LAYERS else list(LAYERS))
    files = LayerFiles(
        pairings=args.pairings, coverage=args.coverage, status=args.status, encoding=args.encoding, sheet=args.sheet
    )
    tables = {ly: read_layer(ly, files, get_registry(), args.edition).raise_for_errors().table for ly in layers}
    write_template(path, layers, tables)
    rows = ", ".join(f"{ly} {len(tables[ly])} rows" for ly in layers)
    print(f"wrote {path} ({rows}; sheet 说明 explains each column). Read it back with --{layers[0]} {path}.")
    return 0


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, keep the traceback for debugging only
        if os.environ.get("SHANHAI_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in shanhai-atlas; rerun with SHANHAI_DEBUG=1 for the traceback and report it.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
