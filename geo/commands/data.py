"""The data commands: ``shanhai counties``, ``pairs``, ``enclaves``, ``check``, ``export``,
``editions``, ``divisions``, ``timeline``, ``sources`` and ``template`` — listing, validating and
writing out the layers."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from .._io import refuse_existing
from ..catalog import say
from ..errors import GeoError
from ..registry import get_registry
from .flags import cli_words
from .options import (
    FORMATS,
    clean,
    code_label,
    county_arg,
    figure_kwargs,
    figure_options,
    format_options,
    format_rows,
    label_codes,
    layer_options,
    load_atlas_for,
    pad,
)

# lazy: each command imports the data modules, readers and renderers it runs inside its function,
# so that building the parser, and `shanhai counties`, load no pandas or geopandas (see geo.commands)

# ---------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------


def _add_counties(sub):
    p = sub.add_parser("counties", help=say("cli.help.counties"))
    layer_options(p)
    p.add_argument("--all", action="store_true", help=say("cli.help.counties_all"))
    format_options(p)
    p.set_defaults(func=cmd_counties)


def _add_pairs(sub):
    p = sub.add_parser("pairs", help=say("cli.help.pairs"))
    layer_options(p)
    p.add_argument("--county", help=say("cli.help.pairs_county"))
    format_options(p)
    p.set_defaults(func=cmd_pairs)


def _add_enclaves(sub):
    p = sub.add_parser("enclaves", help=say("cli.help.enclaves"))
    layer_options(p)
    p.add_argument("--county", help=say("cli.help.enclaves_county"))
    p.add_argument(
        "--kind", choices=("industrial", "science", "village-income", "other"), help=say("cli.help.enclaves_kind")
    )
    p.add_argument("--totals", action="store_true", help=say("cli.help.enclaves_totals"))
    format_options(p)
    p.set_defaults(func=cmd_enclaves)


def _add_check(sub):
    p = sub.add_parser("check", help=say("cli.help.check"))
    layer_options(p)
    p.add_argument("files", nargs="*", metavar="FILE", help=say("cli.help.check_files"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_check)


def _add_export(sub):
    p = sub.add_parser("export", help=say("cli.help.export"))
    layer_options(p)
    p.add_argument("path", metavar="PATH.gpkg")
    p.set_defaults(func=cmd_export)


def _add_editions(sub):
    p = sub.add_parser("editions", help=say("cli.help.editions"))
    p.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"), help=say("cli.help.editions_diff"))
    format_options(p)
    p.set_defaults(func=cmd_editions)


def _add_divisions(sub):
    p = sub.add_parser("divisions", help=say("cli.help.divisions"))
    p.add_argument("--since", type=int, metavar="YEAR", help=say("cli.help.divisions_since"))
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_divisions)


def _add_timeline(sub):
    p = sub.add_parser("timeline", help=say("cli.help.timeline"))
    layer_options(p)
    p.add_argument("county", help=say("cli.help.county_any"))
    p.add_argument("-o", "--output", help=say("cli.help.timeline_output", suffixes=".png, .svg, .pdf"))
    format_options(p)
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p)
    p.add_argument("--dpi", type=int, default=300, help=say("cli.help.dpi"))
    p.set_defaults(func=cmd_timeline)


def _add_template(sub):
    p = sub.add_parser("template", help=say("cli.help.template"))
    layer_options(p)
    p.add_argument("path", metavar="PATH.xlsx")
    p.add_argument(
        "--table",
        dest="layers",
        action="append",
        choices=("pairings", "coverage", "status", "enclaves"),
        help=say("cli.help.template_table"),
    )
    p.add_argument("--force", action="store_true", help=say("cli.help.template_force"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help=say("cli.help.template_lang"))
    p.set_defaults(func=cmd_template)


def _add_sources(sub):
    p = sub.add_parser("sources", help=say("cli.help.sources"))
    layer_options(p)
    format_options(p)
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_sources)


_PARSERS = {
    "counties": _add_counties,
    "pairs": _add_pairs,
    "enclaves": _add_enclaves,
    "check": _add_check,
    "export": _add_export,
    "editions": _add_editions,
    "divisions": _add_divisions,
    "timeline": _add_timeline,
    "template": _add_template,
    "sources": _add_sources,
}

#: the commands of this family, in the order they are added by default
COMMANDS = tuple(_PARSERS)


def add_parsers(sub, names=COMMANDS):
    """Add the subparsers of the data commands ``names`` (default all, in :data:`COMMANDS` order) to ``sub``."""
    for name in names:
        _PARSERS[name](sub)


# ---------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------

COUNTY_COLUMNS = ["code", "name", "short_name", "city", "kind", "romanized", "population_2020"]


def _uses_layers(args) -> bool:
    return any(getattr(args, k, None) for k in ("boundaries", "pairings", "coverage", "status", "enclaves"))


def cmd_counties(args) -> int:
    reg = get_registry()
    ed = reg.edition(args.edition)
    if _uses_layers(args):
        atlas = load_atlas_for(args)
        rows = [{k: clean(v) for k, v in r.items()} for r in atlas.counties.drop(columns="geometry").to_dict("records")]
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
    if args.format == "table":
        for r in rows:
            if isinstance(r.get("member"), bool):
                r["member"] = code_label("member", str(r["member"]))
    print(format_rows(rows, columns, args.format, excel_safe=args.excel_safe))
    if args.format == "table":
        if args.all:
            print("\n" + say("cli.counties_all", n=len(rows)))
        else:
            print("\n" + say("cli.counties_edition", n=len(rows), id=ed.id, title=ed.title, date=ed.date))
    return 0


PAIR_COLUMNS = ["mountain_county", "partner", "partner_city", "since", "round", "confidence", "distance_km", "source"]


def cmd_pairs(args) -> int:
    atlas = load_atlas_for(args)
    links = atlas.links
    if args.county:
        c = county_arg(atlas.registry, args.county, "--county")
        links = links[(links["mountain_code"] == c.code) | (links["partner_code"] == c.code)]
        if links.empty and c.code not in atlas.edition.members:
            others = [e for e in atlas.registry.editions.values() if c.code in e.members]
            if others:
                where = say("list.semicolon").join(
                    say("cli.edition_ref", id=e.id, title=e.title, date=e.date) for e in others
                )
                raise GeoError(
                    say("cli.pairs_not_member", name=c.name, id=atlas.edition.id, title=atlas.edition.title,
                        where=where, other=others[-1].id)
                )  # fmt: skip
    rows = [{k: clean(v) for k, v in r.items()} for r in links.drop(columns="geometry").to_dict("records")]
    print(format_rows(rows, PAIR_COLUMNS, args.format, excel_safe=args.excel_safe))
    if args.format == "table":
        none = atlas.members[atlas.members["pairing_status"] == "no sourced partner"]
        if args.county:
            none = none[none["code"] == c.code]
        print("\n" + say("cli.pairs_summary", n=len(rows), id=atlas.edition.id))
        if len(none):
            print(say("cli.pairs_no_partner", names=say("list.enum").join(none["name"])))
    return 0


ENCLAVE_COLUMNS = ["name", "kind", "beneficiary", "host", "site", "signed", "started", "opened", "status",
                   "confidence", "location", "source"]  # fmt: skip


#: ``shanhai enclaves --totals``: the columns of the table view
TOTAL_COLUMNS = ["as_of", "area", "total", "industrial", "science", "village_income", "layer", "undated",
                 "layer_industrial", "layer_science", "layer_village_income", "share", "confidence", "source"]  # fmt: skip


def cmd_enclaves(args) -> int:
    atlas = load_atlas_for(args)
    e = atlas.enclaves
    if args.totals:
        from ..tables.enclaves import enclave_totals

        t = enclave_totals(e, atlas.registry)
        t["share"] = [f"{v:.0%}" if args.format == "table" else round(v, 4) for v in t["share"]]
        rows = [{k: clean(v) for k, v in r.items()} for r in t.to_dict("records")]
        print(format_rows(rows, TOTAL_COLUMNS if args.format == "table" else list(t.columns), args.format,
                          excel_safe=args.excel_safe))  # fmt: skip
        if args.format == "table":
            print("\n" + say("cli.enclaves_totals_note"))
        return 0
    if args.county:
        c = county_arg(atlas.registry, args.county, "--county")
        e = e[(e["beneficiary_code"] == c.code) | (e["host_code"] == c.code)]
    if args.kind:
        e = e[e["kind"] == args.kind]
    rows = [{k: clean(v) for k, v in r.items()} for r in e.drop(columns="geometry").to_dict("records")]
    columns = ENCLAVE_COLUMNS if args.format == "table" else [c for c in e.columns if c != "geometry"]
    if args.format == "table":
        label_codes(rows, kind="enclave_kind", status="enclave_status", location="location")
    print(format_rows(rows, columns, args.format, excel_safe=args.excel_safe))
    if args.format == "table":
        kinds = say("list.enum").join(
            say("cli.enclaves_kind_n", kind=code_label("enclave_kind", k), n=n)
            for k, n in e["kind"].value_counts().items()
        )
        count = (
            say("cli.enclaves_count_kinds", n=len(rows), kinds=kinds)
            if len(rows)
            else say("cli.enclaves_count", n=len(rows))
        )
        where = {k: code_label("location", k) for k in ("county", "city", "site")}
        print("\n" + count + say("cli.enclaves_location", **where))
    return 0


#: problems of one kind printed before the rest are only counted
PER_KIND = 20


def grouped_lines(problems, per_kind: int = PER_KIND) -> list[str]:
    """The problems as ``shanhai check`` prints them: the first ``per_kind`` of each kind
    (severity, file, column and fix), then one line counting the rest of that kind. A table of
    a million bad rows prints a screenful, not a million lines."""
    kinds: dict[tuple, list] = {}
    for p in problems:
        kinds.setdefault((p.severity, p.file, p.column, p.fix), []).append(p)
    lines = []
    for (severity, file, column, fix), items in kinds.items():
        label = pad(say(f"severity.{severity}"), 7)
        lines += [f"{label}  {cli_words(str(p))}" for p in items[:per_kind]]
        if len(items) > per_kind:
            where = say("problem.list_sep").join([file, say("problem.column", column=column)]) if column else file
            more = say("cli.check_more", where=where, n=f"{len(items) - per_kind:,}")
            if fix:
                more = say("problem.with_fix", text=more, fix=cli_words(fix))
            lines.append(f"{label}  {more}")
    return lines


def _cli_dict(p) -> dict:
    """A problem as ``check --format json`` writes it: its words as the command line's."""
    d = p.to_dict()
    d["what"], d["fix"] = cli_words(d["what"]), cli_words(d["fix"])
    return d


def cmd_check(args) -> int:
    from ..checks import check_files

    problems, summary = check_files(args)
    if args.format == "json":
        print(
            json.dumps({"problems": [_cli_dict(p) for p in problems], "summary": summary}, ensure_ascii=False, indent=2)
        )
    else:
        for line in grouped_lines(problems):
            print(line)
        print(say("cli.check_summary", **{k: summary[k] for k in ("files", "error", "repair", "warning", "info")}))
    return 1 if summary["error"] else 0


def cmd_export(args) -> int:
    from ..export import EXPORT_LAYERS, export_gpkg

    atlas = load_atlas_for(args)
    path = export_gpkg(atlas, args.path)
    print(say("cli.export_wrote", path=path, layers=say("list.enum").join(EXPORT_LAYERS), id=atlas.edition.id))
    return 0


def cmd_editions(args) -> int:
    reg = get_registry()
    if args.diff:
        from ..history import edition_diff

        a, b = (reg.edition(e) for e in args.diff)
        diff = edition_diff(reg, a.id, b.id)
        rows = [
            {"change": k, "code": c, "name": reg.counties[c].name, "city": reg.counties[c].city}
            for k in ("added", "removed", "kept")
            for c in diff[k]
        ]
        if args.format == "table":
            for r in rows:
                r["change"] = code_label("change", r["change"])
        print(format_rows(rows, ["change", "code", "name", "city"], args.format, excel_safe=args.excel_safe))
        if args.format == "table":
            counts = {k: len(diff[k]) for k in ("added", "removed", "kept")}
            print("\n" + say("cli.editions_diff", a_id=a.id, a_title=a.title, a_date=a.date, a_n=len(a.members),
                             b_id=b.id, b_title=b.title, b_date=b.date, b_n=len(b.members), **counts))  # fmt: skip
        return 0
    from ..history import edition_diff
    from ..sources import cite, embedded_sources

    eds = sorted(reg.editions.values(), key=lambda e: e.date)
    known = embedded_sources()
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "date": e.date,
            "count": len(e.members),
            "confidence": e.confidence,
            "source": "；".join(label for label, _ in cite(e.source, known)),
        }
        for e in eds
    ]
    print(
        format_rows(
            rows, ["id", "title", "date", "count", "confidence", "source"], args.format, excel_safe=args.excel_safe
        )
    )
    if args.format == "table":  # each edition against the one before it
        print()
        for a, b in itertools.pairwise(eds):
            d = edition_diff(reg, a.id, b.id)
            names = lambda codes: say("list.enum").join(reg.counties[c].name for c in codes) or "—"  # noqa: E731
            print(say("cli.editions_step", a_id=a.id, b_id=b.id, n_out=len(d["removed"]), out_names=names(d["removed"]),
                      n_in=len(d["added"]), in_names=names(d["added"]), kept=len(d["kept"]), total=len(b.members)))  # fmt: skip
    return 0


def cmd_sources(args) -> int:
    from ..sources import source_table

    atlas = load_atlas_for(args)
    table = source_table(atlas, args.lang)
    columns = ["id", "kind", "confidence", "facts", "citation", "url"]
    rows = [{k: clean(v) for k, v in r.items()} for r in table.to_dict("records")]
    columns = columns if args.format == "table" else [*columns, "read_at"]
    if args.format == "table":
        label_codes(rows, kind="source_kind")
    print(format_rows(rows, columns, args.format, excel_safe=args.excel_safe))
    if args.format == "table":
        by_kind = table.groupby("kind")["id"].count().to_dict()
        kinds = say("list.enum").join(
            say("cli.sources_kind_n", kind=code_label("source_kind", k), n=n) for k, n in sorted(by_kind.items())
        )
        print("\n" + say("cli.sources_summary", n=len(table), facts=int(table["facts"].sum()), kinds=kinds))
    return 0


DIVISION_COLUMNS = ["date", "type", "old_names", "new_names", "doc_no", "source"]


#: the words a change's kind starts with in the divisions layer (``rename 县→区 + transfer``)
_CHANGE_WORDS = re.compile(r"new units|new unit|rename|merge|split|transfer|recode|type|name only")


def division_kind(kind: str) -> str:
    """A change's kind for a reader: its English words from the catalog (``rename 县→区`` →
    更名 县→区 in Chinese); CSV and JSON keep the layer's text."""
    return _CHANGE_WORDS.sub(lambda m: say("cli.change_kind." + m.group(0).replace(" ", "_")), str(kind))


def cmd_divisions(args) -> int:
    from ..divisions import changes

    found = changes(args.since)
    rows = [c.as_row() for c in found]
    columns = DIVISION_COLUMNS if args.format == "table" else list(rows[0]) if rows else DIVISION_COLUMNS
    if args.format == "table":
        for r in rows:
            r["type"] = division_kind(r["type"])
    print(format_rows(rows, columns, args.format))
    if args.format == "table":
        print("\n" + say("cli.divisions_summary", n=len(rows), since=args.since or 2000))
    return 0


def cmd_timeline(args) -> int:
    from ..history import timeline

    atlas = load_atlas_for(args)
    events = timeline(atlas, county_arg(atlas.registry, args.county, "timeline").code, args.lang)
    if args.output:
        from ..static import render_timeline, save_static

        fig = figure_kwargs(args)
        if "width_cm" not in fig:
            fig["width_cm"] = 8.0
        path = save_static(
            render_timeline(atlas, events.attrs["county"], lang=args.lang, **fig), args.output, dpi=args.dpi
        )
        print(say("cli.timeline_wrote", path=path, n=len(events), county=events.attrs["county"]))
        return 0
    rows = [{k: clean(v) if v is not None else None for k, v in r.items()} for r in events.to_dict("records")]
    for r in rows:
        r["year"] = None if r["year"] is None or r["year"] != r["year"] else int(r["year"])
    if args.format == "table":
        label_codes(rows, kind="event_kind")
    print(format_rows(rows, ["date", "kind", "label", "detail", "source"], args.format, excel_safe=args.excel_safe))
    if args.format == "table":
        undated = int(events["year"].isna().sum())
        county = events.attrs["county"]
        if undated:
            print("\n" + say("cli.timeline_summary_undated", n=len(events), county=county, undated=undated))
        else:
            print("\n" + say("cli.timeline_summary", n=len(events), county=county))
    return 0


def cmd_template(args) -> int:
    from ..atlas import LayerFiles, read_layer
    from ..template import LAYERS, write_template

    path = Path(args.path)
    if path.suffix.lower() == ".xlsx":  # before reading the layers: say so at once
        refuse_existing(path, args.force)
    layers = args.layers or ([path.stem.lower()] if path.stem.lower() in LAYERS else list(LAYERS))
    files = LayerFiles(
        pairings=args.pairings, coverage=args.coverage, status=args.status, enclaves=args.enclaves,
        encoding=args.encoding, sheet=args.sheet,
    )  # fmt: skip
    tables = {ly: read_layer(ly, files, get_registry(), args.edition).raise_for_errors().table for ly in layers}
    write_template(path, layers, tables, force=args.force, lang=args.lang)
    rows = say("list.enum").join(say("cli.template_rows", layer=ly, n=len(tables[ly])) for ly in layers)
    print(say("cli.template_wrote", path=path, rows=rows, layer=layers[0]))
    return 0
