"""The analysis commands: ``shanhai gaps`` (each pairing compared on one indicator, one year or
every year of an indicator over time) and ``shanhai trend`` (is the gap closing: the mountain
counties against the rest and against their partners, year by year and over the period)."""

from __future__ import annotations

import json
from pathlib import Path

from .._io import atomic_path
from ..catalog import say
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
    one_of,
    table_vintage_options,
)

# lazy: each command imports the indicators, trends and renderers it runs inside its function,
# so that building the parser loads no pandas, geopandas or matplotlib (see geo.commands)


def _data_options(p, what: str):
    p.add_argument("--data", metavar="FILE", help=say("cli.help.data_analysis"))
    p.add_argument("--column", help=what)
    p.add_argument("--unit", help=say("cli.help.unit"))
    table_vintage_options(p)


def add_parsers(sub):
    """Add the ``gaps`` and ``trend`` subparsers to ``sub``."""
    p = sub.add_parser("gaps", help=say("cli.help.gaps"))
    layer_options(p)
    columns = "population_2020, density, population_2010, population_change, population"
    _data_options(p, say("cli.help.gaps_column", columns=columns))
    p.add_argument("--year", help=say("cli.help.gaps_year", all="all"))
    format_options(p, (*FORMATS, "png", "svg", "pdf"))
    p.add_argument("-o", "--output", help=say("cli.help.write_output"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p, size=True)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("trend", help=say("cli.help.trend"))
    layer_options(p)
    _data_options(p, say("cli.help.trend_column", population="population"))
    format_options(p, (*FORMATS, "png", "svg", "pdf"))
    p.add_argument("--pairs", action="store_true", help=say("cli.help.trend_pairs"))
    p.add_argument("-o", "--output", help=say("cli.help.write_output"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p, size=True)
    p.set_defaults(func=cmd_trend)


def _year_arg(text):
    if text is None or str(text).strip().lower() == "all":
        return None if text is None else "all"
    try:
        return int(text)
    except ValueError:
        raise GeoError(say("cli.err.year_arg", text=text, all="all")) from None


def _write(args, body: str, what: str) -> None:
    if args.output:
        with atomic_path(Path(args.output)) as tmp:
            tmp.write_text(body + "\n", encoding="utf-8")
        print(say("cli.wrote", path=args.output, what=what))
    else:
        print(body)


def _format_of(args) -> str:
    fmt = args.format
    if args.output and fmt == "table":
        fmt = Path(args.output).suffix.lstrip(".").lower() or "csv"
    if fmt not in (*FORMATS, "png", "svg", "pdf"):
        raise GeoError(
            say("cli.err.output_suffix", output=args.output, suffixes=one_of((".csv", ".json", ".png", ".svg", ".pdf")))
        )
    return fmt


def _need_data(args, command: str):
    if not args.column and not args.data:
        raise GeoError(say("cli.err.needs_data", command=f"shanhai {command}"))


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
            raise GeoError(say("cli.err.year_all_figure", all="all"))
        from ..static import render_gaps, save_static

        out = args.output or f"output/gaps.{fmt}"
        fig = render_gaps(gaps, lang=args.lang, size=args.size or "a4", **figure_kwargs(args))
        path = save_static(fig, out, format=fmt, dpi=args.dpi)
        print(say("cli.gaps_wrote", path=path, n=len(gaps)))
        return 0
    cols = ["mountain_county", "partner", "mountain_value", "partner_value", "ratio", "difference", "confidence"]
    cols = (["year"] if year == "all" else []) + cols
    rows = [{k: clean(v) for k, v in r.items()} for r in gaps[cols].to_dict("records")]
    if fmt == "table":
        for r in rows:
            for k in ("mountain_value", "partner_value", "ratio", "difference"):
                r[k] = "" if r[k] is None else f"{r[k]:,.2f}" if k == "ratio" else f"{r[k]:,.1f}"
    _write(args, format_rows(rows, cols, fmt, excel_safe=args.excel_safe), say("cli.n_rows", n=len(gaps)))
    if fmt == "table" and not args.output:
        unit = say("cli.unit_paren", unit=gaps.attrs["unit"]) if gaps.attrs.get("unit") else ""
        when = say("cli.year_comma", year=gaps.attrs["year"]) if gaps.attrs.get("year") else ""
        print("\n" + say("cli.gaps_summary", n=len(gaps), id=atlas.edition.id, label=gaps.attrs["label"], unit=unit,
                         when=when))  # fmt: skip
    return 0


YEAR_COLUMNS = ["year", "n_edition", "mean_edition", "n_rest", "mean_rest", "ratio", "cv", "n_pairs", "pair_ratio"]
PAIR_COLUMNS = ["mountain_county", "partner", "ratio_first", "ratio_last", "change", "closing"]


def cmd_trend(args) -> int:
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
        print(say("cli.trend_wrote", path=path, first=tr.first, last=tr.last, n=len(tr.pairs)))
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
    _write(args, format_rows(rows, cols, fmt, excel_safe=args.excel_safe), say("cli.n_rows", n=len(rows)))
    if fmt == "table" and not args.output:
        from ..trends import beta_sentence

        unit = say("cli.unit_paren", unit=tr.unit) if tr.unit else ""
        print("\n" + say("cli.trend_summary", label=tr.label, unit=unit, edition=tr.edition))
        print(beta_sentence(tr, args.lang))
        if tr.left_out:
            print(say("cli.trend_left_out", names=say("list.enum").join(tr.left_out)))
    return 0
