"""The analysis commands: ``shanhai gaps`` (each pairing compared on one indicator, one year or
every year of an indicator over time) and ``shanhai trend`` (is the gap closing: the mountain
counties against the rest and against their partners, year by year and over the period)."""

from __future__ import annotations

from pathlib import Path

from ..errors import GeoError
from .options import (
    FORMATS,
    clean,
    figure_kwargs,
    figure_options,
    format_options,
    format_rows,
    indicator_of,
    layer_options,
    load_atlas_for,
    table_vintage_options,
)


def _data_options(p, what: str):
    p.add_argument(
        "--data",
        metavar="FILE",
        help="CSV, XLSX or XLS keyed by county (omit for a built-in column); one column per year or a year column: "
        "an indicator over time",
    )
    p.add_argument("--column", help=what)
    p.add_argument("--unit", help="the unit (default: from the header)")
    table_vintage_options(p)


def add_parsers(sub):
    """Add the ``gaps`` and ``trend`` subparsers to ``sub``."""
    p = sub.add_parser("gaps", help="each pairing compared on one indicator: both values, ratio, difference")
    layer_options(p)
    _data_options(p, "the numeric column (built in: population_2020, density, population_2010, population_change, "
                  "population); optional for a table over time")  # fmt: skip
    p.add_argument(
        "--year",
        help="an indicator over time: the year to compare (default the latest), or 'all' for every year (a long table)",
    )
    format_options(p, (*FORMATS, "png", "svg", "pdf"))
    p.add_argument("-o", "--output", help="write to this file instead of printing (the figure for png/svg/pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p, size=True)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser(
        "trend",
        help="is the gap closing? means of the mountain counties and the rest, their ratio, the coefficient of "
        "variation and the pairings' ratio by year; beta-convergence and each pair's first and last ratio",
    )
    layer_options(p)
    _data_options(p, "the indicator over time: its name in the file (optional), or built in: population (2010, 2020)")
    format_options(p, (*FORMATS, "png", "svg", "pdf"))
    p.add_argument(
        "--pairs", action="store_true", help="csv/json/table: each pairing's ratio in the first and last year only"
    )
    p.add_argument("-o", "--output", help="write to this file instead of printing (the figure for png/svg/pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p, size=True)
    p.set_defaults(func=cmd_trend)


def _year_arg(text):
    if text is None or str(text).strip().lower() == "all":
        return None if text is None else "all"
    try:
        return int(text)
    except ValueError:
        raise GeoError(f"--year {text!r}: give a year (2022) or 'all'.") from None


def _write(args, body: str, what: str) -> None:
    if args.output:
        from .._io import atomic_path

        with atomic_path(Path(args.output)) as tmp:
            tmp.write_text(body + "\n", encoding="utf-8")
        print(f"wrote {args.output} ({what})")
    else:
        print(body)


def _format_of(args) -> str:
    fmt = args.format
    if args.output and fmt == "table":
        fmt = Path(args.output).suffix.lstrip(".").lower() or "csv"
    if fmt not in (*FORMATS, "png", "svg", "pdf"):
        raise GeoError(f"-o {args.output}: write .csv, .json, .png, .svg or .pdf (or give --format).")
    return fmt


def _need_data(args, command: str):
    if not args.column and not args.data:
        raise GeoError(
            f"shanhai {command} needs --column (a built-in one) or --data FILE (and --column if it has several)."
        )


def cmd_gaps(args) -> int:
    from ..indicators import pair_gaps

    _need_data(args, "gaps")
    year = _year_arg(args.year)
    atlas = load_atlas_for(args)
    ind = indicator_of(atlas, args, year=year if isinstance(year, int) else None)
    gaps = pair_gaps(atlas, ind, year="all" if year == "all" else None)
    fmt = _format_of(args)
    if fmt in ("png", "svg", "pdf"):
        if year == "all":
            raise GeoError(
                "--year all with a figure: one figure per year (--year 2022), or `shanhai trend` for the years."
            )
        from ..static import render_gaps, save_static

        out = args.output or f"output/gaps.{fmt}"
        fig = render_gaps(gaps, lang=args.lang, size=args.size or "a4", **figure_kwargs(args))
        path = save_static(fig, out, format=fmt, dpi=args.dpi)
        print(f"wrote {path} ({len(gaps)} pairings)")
        return 0
    cols = ["mountain_county", "partner", "mountain_value", "partner_value", "ratio", "difference", "confidence"]
    cols = (["year"] if year == "all" else []) + cols
    rows = [{k: clean(v) for k, v in r.items()} for r in gaps[cols].to_dict("records")]
    if fmt == "table":
        for r in rows:
            for k in ("mountain_value", "partner_value", "ratio", "difference"):
                r[k] = "" if r[k] is None else f"{r[k]:,.2f}" if k == "ratio" else f"{r[k]:,.1f}"
    _write(args, format_rows(rows, cols, fmt, excel_safe=args.excel_safe), f"{len(gaps)} rows")
    if fmt == "table" and not args.output:
        unit = f" ({gaps.attrs['unit']})" if gaps.attrs.get("unit") else ""
        when = f", {gaps.attrs['year']}" if gaps.attrs.get("year") else ""
        print(f"\n{len(gaps)} pairings of edition {atlas.edition.id}; {gaps.attrs['label']}{unit}{when}, "
              "ratio = partner / mountain")  # fmt: skip
    return 0


YEAR_COLUMNS = ["year", "n_edition", "mean_edition", "n_rest", "mean_rest", "ratio", "cv", "n_pairs", "pair_ratio"]
PAIR_COLUMNS = ["mountain_county", "partner", "ratio_first", "ratio_last", "change", "closing"]


def cmd_trend(args) -> int:
    import json

    from ..trends import trend

    _need_data(args, "trend")
    atlas = load_atlas_for(args)
    tr = trend(atlas, indicator_of(atlas, args))
    fmt = _format_of(args)
    if fmt in ("png", "svg", "pdf"):
        from ..static import render_trend, save_static

        out = args.output or f"output/trend.{fmt}"
        fig = render_trend(tr, atlas, lang=args.lang, size=args.size or "a4", **figure_kwargs(args))
        path = save_static(fig, out, format=fmt, dpi=args.dpi)
        print(f"wrote {path} ({tr.first}–{tr.last}, {len(tr.pairs)} pairings)")
        return 0
    if fmt == "json" and not args.pairs:
        _write(args, json.dumps(tr.to_dict(), ensure_ascii=False, indent=2), f"{tr.first}–{tr.last}")
        return 0
    table, cols = (tr.pairs, PAIR_COLUMNS) if args.pairs else (tr.by_year, YEAR_COLUMNS)
    rows = [{k: clean(v) for k, v in r.items()} for r in table[cols].to_dict("records")]
    if fmt == "table":
        for r in rows:
            for k, v in r.items():
                if isinstance(v, float):
                    r[k] = f"{v:,.3f}" if k in ("ratio", "cv", "pair_ratio", "ratio_first", "ratio_last", "change") \
                        else f"{v:,.1f}"  # fmt: skip
    _write(args, format_rows(rows, cols, fmt, excel_safe=args.excel_safe), f"{len(rows)} rows")
    if fmt == "table" and not args.output:
        from ..trends import beta_sentence

        unit = f" ({tr.unit})" if tr.unit else ""
        print(f"\n{tr.label}{unit}, edition {tr.edition}; ratio = mean of the rest / mean of the edition's counties; "
              "cv = standard deviation / mean, all counties; pair_ratio = mean partner / mountain")  # fmt: skip
        print(beta_sentence(tr, args.lang))
        if tr.left_out:
            print(f"left out (no value in some year): {'、'.join(tr.left_out)}")
    return 0
