"""The map commands: ``shanhai map`` (one theme in one format) and ``shanhai build`` (every
theme in every format, on a pool of worker processes). Renderers load lazily, inside the
functions: a static map never imports folium, and building the parser imports none."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import GeoError
from .options import (
    THEMES,
    data_options,
    figure_kwargs,
    figure_options,
    indicator_of,
    layer_options,
    load_atlas_for,
    render_options,
)

#: themes that draw nothing without indicator data (left out of ``shanhai build``)
NEEDS_DATA = ("indicator",)
#: the formats of ``shanhai build``
RENDER_FORMATS = ("html", "png", "svg", "pdf")
#: the formats of ``shanhai map``
MAP_FORMATS = (*RENDER_FORMATS, "gif")


def add_parsers(sub):
    """Add the ``map`` and ``build`` subparsers to ``sub``."""
    p = sub.add_parser("map", help="render one theme as HTML, PNG, SVG or PDF")
    layer_options(p)
    p.add_argument("theme", choices=THEMES)
    p.add_argument(
        "--format",
        choices=MAP_FORMATS,
        default=None,
        help="default: from the -o suffix, else html; gif: status by year, or an indicator over time",
    )
    p.add_argument("-o", "--output", help="output file (default: output/THEME.FORMAT)")
    p.add_argument(
        "--facet",
        choices=("designation", "document", "year"),
        help="static small multiples: status by designation or by year, policy by document, "
        "an indicator over time by year (one classification across the years)",
    )
    data_options(p)
    p.add_argument(
        "--year",
        type=int,
        help="status: the designations in force at the end of this year; indicator over time: the year shown",
    )
    p.add_argument(
        "--years", help="--facet year or --format gif (status, indicator over time): the years, e.g. 2016,2018,2020"
    )
    p.add_argument("--old", metavar="EDITION", help="change: the earlier edition compared (default: the first)")
    p.add_argument("--new", metavar="EDITION", help="change: the later edition compared (default: the last)")
    render_options(p)
    figure_options(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("build", help="render every theme in every format into a folder (output/ by default)")
    layer_options(p)
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    p.add_argument(
        "--format", choices=RENDER_FORMATS, action="append", help="only these formats (repeatable; default all)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument(
        "--products",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also the book (book.pdf) and the offline site (site/); default: yes unless --format narrows the build",
    )
    render_options(p)
    p.set_defaults(func=cmd_build)


#: the map options each theme takes beyond the layers, the size and the words (a theme given
#: one it does not use refuses it: nothing is ignored in silence)
THEME_FLAGS = {
    "data": ("indicator", "pairing"),
    "column": ("indicator", "pairing"),
    "unit": ("indicator", "pairing"),
    "scheme": ("indicator",),
    "k": ("indicator",),
    "bins": ("indicator",),
    "additive": ("indicator", "pairing"),
    "vintage": ("indicator", "pairing"),
    "links": ("indicator", "change"),
    "old": ("change",),
    "new": ("change",),
    "years": ("status", "indicator"),
}


def refuse_unused(theme: str, args) -> None:
    """Refuse an option ``theme`` does not use (``--links`` on the overview, ``--scheme`` on
    the status map), naming the themes that take it."""
    for flag, takers in THEME_FLAGS.items():
        given = getattr(args, flag, None)
        if given not in (None, False) and theme not in takers:
            names = " and ".join(f"{t}" for t in takers)
            raise GeoError(
                f"--{flag} goes with the {names} theme{'s' if len(takers) > 1 else ''}, not {theme}: "
                f"drop it, or draw the {takers[0]} map."
            )


def theme_options(atlas, theme, args) -> dict:
    """Theme options from the command line: indicator data, the pairing map's ratios, the
    editions the change map compares; an option the theme does not use is refused."""
    refuse_unused(theme, args)
    ind = indicator_of(atlas, args, year=getattr(args, "year", None) if theme == "indicator" else None)
    if theme == "indicator":
        if ind is None:
            raise GeoError("shanhai map indicator needs --column (and --data FILE unless the column is built in).")
        bins = [float(b) for b in args.bins.replace("，", ",").split(",")] if args.bins else None
        return {"data": ind, "scheme": args.scheme or "quantiles", "k": args.k or 5, "bins": bins,
                "scope": args.scope, "links": args.links}  # fmt: skip
    if theme == "change":
        found = {k: v for k, v in (("old", args.old), ("new", args.new), ("links", args.links or None)) if v}
        return {**found, **({"scope": "file"} if getattr(args, "scope", None) == "file" else {})}
    scope = getattr(args, "scope", None)
    if scope not in (None, "file"):
        raise GeoError(f"--scope {scope} goes with the indicator theme; on the {theme} map only --scope file does.")
    out = {"scope": "file"} if scope == "file" else {}
    if ind is not None:
        if theme != "pairing":
            raise GeoError(f"--data/--column go with the indicator and pairing themes, not {theme}.")
        from ..indicators import pair_gaps

        out["gaps"] = pair_gaps(atlas, ind)
    return out


def _years(args):
    text_ = getattr(args, "years", None)
    if not text_:
        return None
    try:
        return [int(y) for y in text_.replace("，", ",").split(",") if y.strip()]
    except ValueError:
        raise GeoError(f"--years {text_!r}: give years separated by commas, e.g. 2016,2018,2020.") from None


def render_one(atlas, theme, fmt, path, args, facet=None, figures: dict | None = None) -> Path:
    """Render one theme in one format to ``path``; ``figures`` keeps static figures so
    that the same map saved as PNG, SVG and PDF is drawn once."""
    year = getattr(args, "year", None)
    if year is not None and theme not in ("status", "atlas", "indicator"):
        raise GeoError(
            f"--year goes with the status theme (and the atlas page) or an indicator over time, not {theme}."
        )
    options = theme_options(atlas, theme, args) if hasattr(args, "column") else {}
    figure = figure_kwargs(args)
    if fmt == "html" and figure:
        flags = ", ".join("--" + k.removesuffix("_cm").replace("_", "-") for k in figure)
        raise GeoError(f"{flags}: for static maps; use --format png, svg or pdf (or an -o path ending in one).")
    if fmt == "html":
        from ..html import render_html, save_html

        tiles = None if args.tiles == "none" else args.tiles
        m = render_html(atlas, theme, lang=args.lang, tiles=tiles, tianditu_key=args.tianditu_key, year=year, **options)
        return save_html(m, path)
    if theme == "atlas":
        raise GeoError(
            "the atlas theme is an HTML page; for static maps use overview, pairing, policy, status or change."
        )
    if fmt == "gif":
        if theme not in ("status", "indicator"):
            raise GeoError(
                "--format gif animates the status theme or an indicator over time year by year: use "
                "`shanhai map status --format gif` or `shanhai map indicator --data FILE --format gif`."
            )
        from ..static import save_gif

        return save_gif(
            atlas, path, theme=theme, lang=args.lang, size=args.size, years=_years(args), **figure, **options
        )
    from ..static import render_static, save_static

    figures = {} if figures is None else figures
    key = (theme, facet, year)
    if key not in figures:
        figures[key] = render_static(
            atlas, theme, lang=args.lang, size=args.size, facet=facet, year=year, years=_years(args), **figure,
            **options,
        )  # fmt: skip
    return save_static(figures[key], path, dpi=args.dpi)


def cmd_map(args) -> int:
    out = Path(args.output) if args.output else None
    fmt = args.format or (out.suffix.lstrip(".").lower() if out and out.suffix else "html")
    if fmt not in MAP_FORMATS:
        raise GeoError(f"unknown format {fmt!r}: use {', '.join(MAP_FORMATS)} (or an -o path ending in one of them).")
    if args.size is None:
        args.size = "slide" if fmt == "gif" else "a4"  # an animation is for slides
    if fmt == "html" and args.facet:
        raise GeoError("--facet draws static small multiples: use --format png, svg or pdf.")
    stem = args.theme + (f"-{args.facet}" if args.facet else "") + (f"-{args.year}" if args.year else "")
    out = out or Path("output") / f"{stem}.{fmt}"
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    path = render_one(atlas, args.theme, fmt, out, args, facet=args.facet)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


#: the atlas a build's worker processes inherit (set before they fork)
_BUILD: dict = {}


def _build_task(task) -> list[Path]:
    """One theme in one or more formats (static formats share one drawing), or a product
    (the book, the site)."""
    theme, formats, out, suffix, args = task
    atlas = _BUILD["atlas"]
    if theme == "book":
        from ..products.book import build_book

        return [build_book(atlas, out / f"book{suffix}.pdf", lang=args.lang)["path"]]
    if theme == "site":
        from ..products.site import build_site

        return build_site(atlas, out / f"site{suffix}", lang=args.lang)["files"]
    figures: dict = {}
    return [render_one(atlas, theme, fmt, out / f"{theme}{suffix}.{fmt}", args, figures=figures) for fmt in formats]


def build_tasks(formats) -> list[tuple[str, tuple[str, ...]]]:
    """(theme, formats) per independent unit of work, slowest first: the atlas page, then
    each static theme (drawn once, saved in every static format), then the other pages."""
    static = tuple(f for f in formats if f != "html")
    tasks = [("atlas", ("html",))] if "html" in formats else []
    maps = [t for t in THEMES if t != "atlas" and t not in NEEDS_DATA]
    tasks += [(t, static) for t in maps if static]
    tasks += [(t, ("html",)) for t in maps if "html" in formats]
    return tasks


def cmd_build(args) -> int:
    import os

    from ..export import export_gpkg

    t0 = time.perf_counter()
    args.size = args.size or "a4"
    atlas = load_atlas_for(args)
    out = Path(args.output)
    formats = args.format or list(RENDER_FORMATS)
    tasks = build_tasks(formats)
    if args.products is None:
        args.products = not args.format  # a full build makes the book and the site too
    if args.products:
        tasks = [("book", ("pdf",)), ("site", ("html",)), *tasks]  # the longest first
    suffix = "" if args.lang == "zh" else "-en"
    n_maps = len(tasks)
    try:
        from tqdm import tqdm

        bar = tqdm(total=n_maps + 1, unit="map", disable=args.quiet or None, file=sys.stderr)
    except ImportError:  # pragma: no cover
        bar = None
    written = [export_gpkg(atlas, out / "atlas.gpkg")]
    if bar:
        bar.update()
    work = [(theme, fmts, out, suffix, args) for theme, fmts in tasks]
    workers = min(len(work), os.cpu_count() or 1, args.jobs or os.cpu_count() or 1)
    _BUILD["atlas"] = atlas
    try:
        if workers > 1:
            # what every worker would otherwise do again: the popups of the pages, and
            # mapclassify (with scipy, a second's import) for the policy classes
            if "html" in formats:
                from ..themes import build_theme

                build_theme(atlas, "overview", args.lang)
            # independent maps on every core; workers fork and inherit the loaded atlas
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            import mapclassify  # noqa: F401

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for paths in pool.map(_build_task, work):
                    written += paths
                    if bar:
                        bar.update()
        else:
            for task in work:
                written += _build_task(task)
                if bar:
                    bar.update()
    finally:
        _BUILD.clear()
    if bar:
        bar.close()
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({total / 1e6:.1f} MB) into {out}/ in {time.perf_counter() - t0:.1f} s")
    return 0
