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

from .._io import excel_safe as excel_cell
from ..catalog import catalog, message_lang, say
from ..errors import GeoError
from ..words import display_columns
from .flags import cli_words
from .process import loading

# lazy: the atlas and the indicator readers (geopandas, pandas) are imported by the helpers that
# load them, when a command calls them (see geo.commands); geo.words (its catalog, ~10 ms) by the
# labels of a listing

#: the --format choices of the listing commands
FORMATS = ("table", "csv", "json")

#: kept literal so that building the parser imports no renderer (`shanhai counties` stays fast);
#: tests/test_cli.py checks it against geo.themes.THEMES
THEMES = ("overview", "pairing", "policy", "status", "change", "indicator", "atlas")


# ---------------------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------------------


def comma_list(text: str | None) -> list[str]:
    """The items of a comma-separated option (a full-width comma too), blanks dropped."""
    return [item.strip() for item in (text or "").replace("，", ",").split(",") if item.strip()]


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_columns(text))


def _csv_line(values) -> str:
    """One CSV record without its line end. A field holding CR or LF is quoted (written
    with a "\\n" line end, the csv module would leave a lone CR unquoted: a broken row)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2]


def one_of(items) -> str:
    """``a, b or c`` in the messages' language (``a、b或c``)."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return say("list.enum").join(items[:-1]) + say("county.or") + items[-1]


def column_label(column: str) -> str:
    """A table's heading for ``column`` in the messages' language (``cli.col.*``); the
    column's own name where the catalog has none (and always in CSV and JSON)."""
    key = f"cli.col.{column}"
    return say(key) if key in catalog("messages") else column


def code_label(family: str, code):
    """A code shown to a reader (an enclave's kind ``industrial`` as 产业飞地) from the
    catalog's ``cli.<family>.<code>``; the code itself where the catalog has none."""
    key = f"cli.{family}.{code}"
    return say(key) if isinstance(code, str) and key in catalog("messages") else code


def label_codes(rows: list[dict], **families: str) -> None:
    """Show the codes of ``rows`` in words for a reader (the table format): each column named
    in ``families`` through :func:`code_label` (``kind="source_kind"``)."""
    for r in rows:
        for column, family in families.items():
            if column in r:
                r[column] = code_label(family, r[column])


def _labels():
    """The columns whose codes a table shows as words (confidence ``high`` as 高)."""
    from ..words import confidence_label, level_label, state_label

    return {"confidence": confidence_label, "level": level_label, "state": state_label}


def format_rows(rows: list[dict], columns: list[str], fmt: str, *, excel_safe: bool = False) -> str:
    """Rows as an aligned table (CJK-aware), CSV with a header, or JSON.

    The table (for a reader) has its headings and its codes (confidence, level, state) in
    the messages' language; CSV and JSON keep the column names and the codes.

    ``excel_safe`` (CSV only): a byte-order mark, so that Excel reads the file as UTF-8,
    and a ``'`` before text that a spreadsheet would run as a formula (:func:`geo._io.excel_safe`).
    """
    if excel_safe and fmt != "csv":
        raise GeoError(say("cli.err.excel_safe", csv="csv"))
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        cell = excel_cell if excel_safe else (lambda v: v)
        lines = [_csv_line([cell(c) for c in columns])]
        lines += [_csv_line([cell("" if r.get(c) is None else r.get(c)) for c in columns]) for r in rows]
        return ("\ufeff" if excel_safe else "") + "\n".join(lines)
    lang, labels = message_lang(), _labels()

    def shown(c, v):
        if v is None:
            return ""
        return labels[c](v, lang) if c in labels and isinstance(v, str) else str(v)

    cells = [[shown(c, r.get(c)) for c in columns] for r in rows]
    headings = [column_label(c) for c in columns]
    widths = [max([display_columns(h)] + [display_columns(row[i]) for row in cells]) for i, h in enumerate(headings)]
    lines = ["  ".join(pad(h, w) for h, w in zip(headings, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
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
        help=say("cli.help.excel_safe"),
    )


def layer_options(p: argparse.ArgumentParser):
    """Add the data-layer files (--boundaries, --pairings, ...) and the reading options to ``p``."""
    g = p.add_argument_group(say("cli.group.layers"))
    formats = "Shapefile, GeoPackage, GeoJSON, FlatGeobuf, GeoParquet"
    g.add_argument("--boundaries", metavar="FILE", help=say("cli.help.boundaries", formats=formats))
    g.add_argument("--pairings", metavar="FILE", help=say("cli.help.pairings"))
    g.add_argument("--coverage", metavar="FILE", help=say("cli.help.coverage"))
    g.add_argument("--status", metavar="FILE", help=say("cli.help.status"))
    g.add_argument("--enclaves", metavar="FILE", help=say("cli.help.enclaves_file"))
    g.add_argument("--merge", action="store_true", help=say("cli.help.merge"))
    g.add_argument(
        "--sources", metavar="FILE", help=say("cli.help.sources_file", columns="id, issuer, title, date, url, kind")
    )
    g.add_argument("--edition", default=None, help=say("cli.help.edition"))
    r = p.add_argument_group(say("cli.group.reading"))
    r.add_argument("--encoding", help=say("cli.help.encoding", encodings="utf-8, gbk, gb18030"))
    r.add_argument("--crs", help=say("cli.help.crs"))
    r.add_argument(
        "--datum",
        choices=("auto", "wgs84", "gcj02", "bd09"),
        default="auto",
        help=say("cli.help.datum", gcj02="gcj02", bd09="bd09", wgs84="wgs84", auto="auto"),
    )
    r.add_argument("--layer", help=say("cli.help.layer"))
    r.add_argument("--sheet", help=say("cli.help.sheet"))
    r.add_argument("--code-column", help=say("cli.help.code_column"))
    r.add_argument("--name-column", help=say("cli.help.name_column"))


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
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help=say("cli.help.lang_map"))
    p.add_argument(
        "--size",
        choices=("a4", "half", "slide"),
        default=None,
        help=say("cli.help.size_render", a4="a4", half="half", slide="slide", gif="gif"),
    )
    p.add_argument("--dpi", type=int, default=300, help=say("cli.help.dpi"))
    p.add_argument(
        "--tiles",
        choices=("none", "osm", "gaode", "tianditu"),
        default="none",
        help=say("cli.help.tiles", none="none"),
    )
    p.add_argument("--tianditu-key", help=say("cli.help.tianditu_key", tianditu="tianditu"))


def figure_options(p, *, size: bool = False):
    """Add the author's words and size (--title, --subtitle, --no-title, --note, --width,
    --height) and --mono to ``p`` (``size``: --size and --dpi too)."""
    g = p.add_argument_group(say("cli.group.figure"))
    g.add_argument("--title", help=say("cli.help.title"))
    g.add_argument("--subtitle", help=say("cli.help.subtitle"))
    g.add_argument("--no-title", action="store_true", help=say("cli.help.no_title"))
    g.add_argument("--note", help=say("cli.help.note"))
    g.add_argument("--width", type=float, metavar="CM", help=say("cli.help.width"))
    g.add_argument("--height", type=float, metavar="CM", help=say("cli.help.height"))
    g.add_argument("--mono", action="store_true", help=say("cli.help.mono"))
    if size:
        sizes = say("cli.help.size_figure", a4="a4", half="half", slide="slide")
        g.add_argument("--size", choices=("a4", "half", "slide"), default=None, help=sizes)
        g.add_argument("--dpi", type=int, default=300, help=say("cli.help.dpi"))


def figure_kwargs(args) -> dict:
    """The keyword arguments of the static renderers that :func:`figure_options` gives."""
    if getattr(args, "no_title", False) and args.title:
        raise GeoError(say("cli.err.no_title"))
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
    g = p.add_argument_group(say("cli.group.indicator", command="shanhai map indicator"))
    g.add_argument("--data", metavar="FILE", help=say("cli.help.data_map"))
    columns = "population_2020, density, area_km2, population_2010, population_change"
    g.add_argument("--column", help=say("cli.help.column_map", columns=columns, population="population"))
    g.add_argument("--unit", help=say("cli.help.unit_map", example="人均GDP（元）"))
    g.add_argument(
        "--scheme",
        choices=("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean", "user"),
        default=None,
        help=say("cli.help.scheme", library="mapclassify", default="quantiles"),
    )
    g.add_argument("--k", type=int, default=None, help=say("cli.help.k"))
    g.add_argument("--bins", help=say("cli.help.bins", user="user"))
    g.add_argument(
        "--scope",
        choices=("edition", "partners", "all", "file"),
        help=say("cli.help.scope", indicator="indicator", file="file"),
    )
    g.add_argument("--links", action="store_true", help=say("cli.help.links", indicator="indicator", change="change"))
    table_vintage_options(g)


def table_vintage_options(g):
    """Add --additive and --vintage (an indicator table of an older vintage) to ``g``."""
    g.add_argument("--additive", action="store_true", help=say("cli.help.additive"))
    g.add_argument("--vintage", type=int, metavar="YEAR", help=say("cli.help.vintage"))


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
            print(problem_line(p), file=sys.stderr)
        elif p.severity == "info" and p.file in set(filter(None, layer_kwargs(args).values())):
            print(problem_line(p), file=sys.stderr)
    return atlas


def county_arg(reg, name, context: str):
    """The county a command-line argument names; a former name or code (临安市) is read as
    today's unit with a note on stderr, one merged or split away (江干区) says where it went."""
    county, former = reg.resolve(name)
    if county is not None and former is not None:
        print(say("cli.former", what=former.describe(), name=county.name), file=sys.stderr)
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
            print(problem_line(p), file=sys.stderr)
    return ind


def problem_line(p) -> str:
    """A warning, repair or note printed beside a command's output: ``warning: …``,
    ``note: …`` (警告：…, 提示：…), its parameters written as flags."""
    if p.severity == "info":
        return say("cli.note", message=cli_words(str(p)))
    return say("cli.problem", severity=say(f"severity.{p.severity}"), message=cli_words(str(p)))
