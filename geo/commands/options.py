"""Pieces every ``shanhai`` command shares: the option groups, loading the atlas the options
name (its warnings and notes printed), and printing rows as a table, CSV or JSON.

The command families (:mod:`.data`, :mod:`.maps`, :mod:`.analysis`, :mod:`.products`) import
from here and never from each other. Nothing here imports a renderer, pandas or geopandas at
module level, so that building the parser stays fast (``shanhai counties``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata

from .._io import excel_safe as excel_cell
from ..errors import GeoError
from .flags import cli_words
from .process import loading

#: the --format choices of the listing commands
FORMATS = ("table", "csv", "json")

#: kept literal so that building the parser imports no renderer (`shanhai counties` stays fast);
#: tests/test_cli.py checks it against geo.themes.THEMES
THEMES = ("overview", "pairing", "policy", "status", "change", "indicator", "atlas")


# ---------------------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _csv_line(values) -> str:
    """One CSV record without its line end. A field holding CR or LF is quoted (written
    with a "\\n" line end, the csv module would leave a lone CR unquoted: a broken row)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2]


def format_rows(rows: list[dict], columns: list[str], fmt: str, *, excel_safe: bool = False) -> str:
    """Rows as an aligned table (CJK-aware), CSV with a header, or JSON.

    ``excel_safe`` (CSV only): a byte-order mark, so that Excel reads the file as UTF-8,
    and a ``'`` before text that a spreadsheet would run as a formula (:func:`geo._io.excel_safe`).
    """
    if excel_safe and fmt != "csv":
        raise GeoError("--excel-safe goes with --format csv (it writes a CSV for Excel).")
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        cell = excel_cell if excel_safe else (lambda v: v)
        lines = [_csv_line([cell(c) for c in columns])]
        lines += [_csv_line([cell("" if r.get(c) is None else r.get(c)) for c in columns]) for r in rows]
        return ("\ufeff" if excel_safe else "") + "\n".join(lines)
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def clean(value):
    """JSON-friendly scalar (NaN → None, numpy → Python)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


# ---------------------------------------------------------------------------------------
# option groups
# ---------------------------------------------------------------------------------------


def format_options(p: argparse.ArgumentParser, choices=FORMATS):
    """Add ``--format`` (a listing's: table, csv, json, and ``choices``) and ``--excel-safe`` to ``p``."""
    p.add_argument("--format", choices=choices, default="table")
    p.add_argument(
        "--excel-safe",
        action="store_true",
        help="CSV to open in Excel: a UTF-8 byte-order mark, and a ' before text Excel would run as a formula",
    )


def layer_options(p: argparse.ArgumentParser):
    """Add the data-layer files (--boundaries, --pairings, ...) and the reading options to ``p``."""
    g = p.add_argument_group("data layers (each replaces the embedded one; with --merge, adds to it)")
    g.add_argument(
        "--boundaries", metavar="FILE", help="county polygons: Shapefile, GeoPackage, GeoJSON, FlatGeobuf, GeoParquet"
    )
    g.add_argument("--pairings", metavar="FILE", help="pairings table (CSV or XLSX)")
    g.add_argument("--coverage", metavar="FILE", help="policy coverage table (CSV or XLSX)")
    g.add_argument("--status", metavar="FILE", help="designations/status table (CSV or XLSX)")
    g.add_argument("--enclaves", metavar="FILE", help="enclaves (飞地) table (CSV or XLSX)")
    g.add_argument(
        "--merge",
        action="store_true",
        help="add the rows of --pairings, --coverage, --status and --enclaves to the built-in layers (a row with "
        "the same key replaces the built-in one) instead of replacing them",
    )
    g.add_argument(
        "--sources",
        metavar="FILE",
        help="your own source records (CSV or XLSX: id, issuer, title, date, url, kind); your rows cite their ids",
    )
    g.add_argument(
        "--edition",
        default=None,
        help="edition of the mountain-county list: 2021 (default, 26), 2024 (25) or 2025 (22)",
    )
    r = p.add_argument_group("reading options")
    r.add_argument("--encoding", help="force the attribute/table encoding (utf-8, gbk, gb18030)")
    r.add_argument("--crs", help="CRS of a boundary file that declares none, e.g. EPSG:4490")
    r.add_argument(
        "--datum",
        choices=("auto", "wgs84", "gcj02", "bd09"),
        default="auto",
        help="datum of a boundary file: gcj02 (AMap, DataV), bd09 (Baidu), wgs84; default auto: told from the file",
    )
    r.add_argument("--layer", help="layer of a multi-layer boundary file (GeoPackage)")
    r.add_argument("--sheet", help="sheet of an XLSX table")
    r.add_argument("--code-column", help="boundary file: the column holding the county code")
    r.add_argument("--name-column", help="boundary file: the column holding the county name")


def layer_kwargs(args) -> dict:
    """The keyword arguments of :func:`geo.atlas.load_atlas` that the layer options give."""
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
        sources=getattr(args, "sources", None),
        merge=getattr(args, "merge", False),
        enclaves=getattr(args, "enclaves", None),
    )


def render_options(p):
    """Add the rendering options (--lang, --size, --dpi, --tiles, --tianditu-key) to ``p``."""
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="labels and legends in Chinese (default) or English"
    )
    p.add_argument(
        "--size",
        choices=("a4", "half", "slide"),
        default=None,
        help="static maps: a4 (16 cm, the default), half (8 cm), slide (16:9, the default for gif)",
    )
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    p.add_argument(
        "--tiles",
        choices=("none", "osm", "gaode", "tianditu"),
        default="none",
        help="HTML: online basemap (default none: works offline)",
    )
    p.add_argument("--tianditu-key", help="HTML: key for --tiles tianditu")


def figure_options(p, *, size: bool = False):
    """Add the author's words and size (--title, --subtitle, --no-title, --note, --width,
    --height) and --mono to ``p`` (``size``: --size and --dpi too)."""
    g = p.add_argument_group("the author's figure (static formats)")
    g.add_argument("--title", help="the title instead of ours")
    g.add_argument("--subtitle", help="the subtitle instead of ours ('' for none)")
    g.add_argument("--no-title", action="store_true", help="no title block: the caption lives in your document")
    g.add_argument("--note", help="an extra line above the source line")
    g.add_argument("--width", type=float, metavar="CM", help="width in cm (under 11 cm: legend below the map)")
    g.add_argument("--height", type=float, metavar="CM", help="height in cm (default: as tall as the map needs)")
    g.add_argument("--mono", action="store_true", help="black-and-white print: greys, hatches and dashes")
    if size:
        g.add_argument("--size", choices=("a4", "half", "slide"), default=None, help="a4 (16 cm, default), half, slide")
        g.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")


def figure_kwargs(args) -> dict:
    """The keyword arguments of the static renderers that :func:`figure_options` gives."""
    if getattr(args, "no_title", False) and args.title:
        raise GeoError("--no-title and --title contradict each other: give one of them.")
    title = "" if getattr(args, "no_title", False) else getattr(args, "title", None)
    subtitle = getattr(args, "subtitle", None)
    if getattr(args, "no_title", False) and subtitle is None:
        subtitle = ""  # no title block at all unless a subtitle is asked for
    out = {
        "title": title,
        "subtitle": subtitle,
        "note": getattr(args, "note", None),
        "width_cm": getattr(args, "width", None),
        "height_cm": getattr(args, "height", None),
        "mono": getattr(args, "mono", False),
    }
    return {k: v for k, v in out.items() if v is not None and v is not False}


def data_options(p):
    """Add the indicator-data options (--data, --column, --scheme, ...) of ``shanhai map`` to ``p``."""
    g = p.add_argument_group("indicator data (shanhai map indicator; on the pairing map: links by ratio)")
    g.add_argument(
        "--data",
        metavar="FILE",
        help="CSV, XLSX or XLS keyed by county (name or code); one column per year (2019, 2019年 …) or a year "
        "column: an indicator over time",
    )
    g.add_argument(
        "--column",
        help="the numeric column (for a table over time: its name, optional); without --data: population_2020, "
        "density, area_km2, population_2010, population_change or population (2010 and 2020)",
    )
    g.add_argument("--unit", help="the unit for the legend (default: from the header, e.g. 人均GDP（元）)")
    g.add_argument(
        "--scheme",
        choices=("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean", "user"),
        default=None,
        help="classification (mapclassify); default quantiles",
    )
    g.add_argument("--k", type=int, default=None, help="number of classes (default 5)")
    g.add_argument("--bins", help="--scheme user: upper bounds, e.g. 100,500,1000")
    g.add_argument(
        "--scope",
        choices=("edition", "partners", "all", "file"),
        help="indicator: which counties are coloured; file (any theme): the map cut to the counties of --boundaries",
    )
    g.add_argument(
        "--links",
        action="store_true",
        help="indicator: the pairing links over it; change: the pairings of the counties that left or joined",
    )
    table_vintage_options(g)


def table_vintage_options(g):
    """Add --additive and --vintage (an indicator table of an older vintage) to ``g``."""
    g.add_argument(
        "--additive",
        action="store_true",
        help="the column can be summed (population, area, output): units merged since the table are summed",
    )
    g.add_argument(
        "--vintage",
        type=int,
        metavar="YEAR",
        help="the year whose county-level units the table uses (default: told from its names)",
    )


# ---------------------------------------------------------------------------------------
# loading what the options name
# ---------------------------------------------------------------------------------------


def load_atlas_for(args):
    """The atlas the layer options name; its warnings and repairs (and notes on given files) go
    to stderr. Read under :func:`.process.loading` (in the ``shanhai`` process: the collector
    paused, then what was loaded frozen)."""
    from ..atlas import load_atlas

    with loading():
        atlas = load_atlas(args.edition, **layer_kwargs(args))
    for p in atlas.problems:
        if p.severity in ("warning", "repair"):
            print(f"{p.severity}: {cli_words(str(p))}", file=sys.stderr)
        elif p.severity == "info" and p.file in set(filter(None, layer_kwargs(args).values())):
            print(f"note: {cli_words(str(p))}", file=sys.stderr)
    return atlas


def county_arg(reg, name, context: str):
    """The county a command-line argument names; a former name or code (临安市) is read as
    today's unit with a note on stderr, one merged or split away (江干区) says where it went."""
    county, former = reg.resolve(name)
    if county is not None and former is not None:
        print(f"note: {former.describe()} Using {county.name}.", file=sys.stderr)
    return county if county is not None else reg.county(name, context=context)


def indicator_of(atlas, args, year=None):
    """The Indicator the --data/--column options name (an indicator over time showing
    ``year`` when the table has years), or None when neither is given."""
    if not getattr(args, "column", None) and not getattr(args, "data", None):
        return None
    from ..indicators import load_indicator

    ind = load_indicator(
        atlas,
        args.column,
        args.data,
        sheet=args.sheet,
        encoding=args.encoding,
        unit=args.unit,
        lang=args.lang,
        additive=getattr(args, "additive", False),
        vintage=getattr(args, "vintage", None),
        year=year,
    )
    for p in ind.problems:
        if p.severity in ("warning", "info"):
            print(f"{'note' if p.severity == 'info' else p.severity}: {cli_words(str(p))}", file=sys.stderr)
    return ind
