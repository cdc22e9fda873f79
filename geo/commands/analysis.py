"""The analysis command ``shanhai gaps``: each pairing compared on one indicator."""

from __future__ import annotations

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


def add_parsers(sub):
    """Add the ``gaps`` subparser to ``sub``."""
    p = sub.add_parser("gaps", help="each pairing compared on one indicator: both values, ratio, difference")
    layer_options(p)
    p.add_argument("--data", metavar="FILE", help="CSV, XLSX or XLS keyed by county (omit for a built-in column)")
    p.add_argument("--column", required=True, help="the numeric column (built in: population_2020, density)")
    p.add_argument("--unit", help="the unit (default: from the header)")
    table_vintage_options(p)
    format_options(p, (*FORMATS, "png", "svg", "pdf"))
    p.add_argument("-o", "--output", help="write to this file instead of printing (the figure for png/svg/pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p, size=True)
    p.set_defaults(func=cmd_gaps)


def cmd_gaps(args) -> int:
    from pathlib import Path

    from ..indicators import pair_gaps

    atlas = load_atlas_for(args)
    gaps = pair_gaps(atlas, indicator_of(atlas, args))
    fmt = args.format
    if args.output and fmt == "table":
        fmt = Path(args.output).suffix.lstrip(".").lower() or "csv"
    if fmt in ("png", "svg", "pdf"):
        from ..static import render_gaps, save_static

        out = args.output or f"output/gaps.{fmt}"
        fig = render_gaps(gaps, lang=args.lang, size=args.size or "a4", **figure_kwargs(args))
        path = save_static(fig, out, format=fmt, dpi=args.dpi)
        print(f"wrote {path} ({len(gaps)} pairings)")
        return 0
    cols = ["mountain_county", "partner", "mountain_value", "partner_value", "ratio", "difference", "confidence"]
    rows = [{k: clean(v) for k, v in r.items()} for r in gaps[cols].to_dict("records")]
    if fmt == "table":
        for r in rows:
            for k in ("mountain_value", "partner_value", "ratio", "difference"):
                r[k] = "" if r[k] is None else f"{r[k]:,.2f}" if k == "ratio" else f"{r[k]:,.1f}"
    body = format_rows(rows, cols, fmt, excel_safe=args.excel_safe)
    if args.output:
        from .._io import atomic_path

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
