"""The map commands: ``shanhai map`` (one theme in one format) and ``shanhai build`` (every
theme in every format, on a pool of worker processes). Renderers load lazily, inside the
functions: a static map never imports folium, and building the parser imports none."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..catalog import LANGS, say
from ..errors import GeoError
from .options import (
    THEMES,
    comma_list,
    data_options,
    figure_kwargs,
    figure_options,
    indicator_of,
    layer_options,
    load_atlas_for,
    one_of,
    render_options,
)

# lazy: each command imports its renderer inside its function: building the parser loads no
# matplotlib or geopandas, and `map … png` no folium (see geo.commands)

#: themes that draw nothing without indicator data (left out of ``shanhai build``)
NEEDS_DATA = ("indicator",)
#: the formats of ``shanhai build``
RENDER_FORMATS = ("html", "png", "svg", "pdf")
#: the formats of ``shanhai map``
MAP_FORMATS = (*RENDER_FORMATS, "gif")


def add_parsers(sub):
    """Add the ``map`` and ``build`` subparsers to ``sub``."""
    p = sub.add_parser("map", help=say("cli.help.map"))
    layer_options(p)
    p.add_argument("theme", choices=THEMES)
    p.add_argument(
        "--format",
        choices=MAP_FORMATS,
        default=None,
        help=say("cli.help.map_format", html="html", gif="gif", status="status"),
    )
    p.add_argument("-o", "--output", help=say("cli.help.map_output"))
    p.add_argument(
        "--facet",
        choices=("designation", "document", "year"),
        help=say("cli.help.map_facet", status="status", policy="policy"),
    )
    data_options(p)
    p.add_argument("--year", type=int, help=say("cli.help.map_year", status="status"))
    p.add_argument("--years", help=say("cli.help.map_years", year="year", gif="gif", status="status"))
    p.add_argument("--old", metavar="EDITION", help=say("cli.help.map_old", change="change"))
    p.add_argument("--new", metavar="EDITION", help=say("cli.help.map_new", change="change"))
    render_options(p)
    figure_options(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("build", help=say("cli.help.build"))
    layer_options(p)
    p.add_argument("-o", "--output", default="output", help=say("cli.help.build_output", output="output"))
    p.add_argument("--format", choices=RENDER_FORMATS, action="append", help=say("cli.help.build_format"))
    p.add_argument("--quiet", action="store_true", help=say("cli.help.build_quiet"))
    p.add_argument("--jobs", type=int, default=0, help=say("cli.help.build_jobs"))
    p.add_argument(
        "--products",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=say("cli.help.build_products"),
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
            names = say("list.and").join(takers)
            key = "cli.err.theme_flag_many" if len(takers) > 1 else "cli.err.theme_flag"
            raise GeoError(say(key, flag=flag, names=names, theme=theme, first=takers[0]))


def theme_options(atlas, theme, args) -> dict:
    """Theme options from the command line: indicator data, the pairing map's ratios, the
    editions the change map compares; an option the theme does not use is refused."""
    refuse_unused(theme, args)
    ind = indicator_of(atlas, args, year=getattr(args, "year", None) if theme == "indicator" else None)
    if theme == "indicator":
        if ind is None:
            raise GeoError(say("cli.err.indicator_needs_column", command="shanhai map indicator"))
        bins = [float(b) for b in args.bins.replace("，", ",").split(",")] if args.bins else None
        return {"data": ind, "scheme": args.scheme or "quantiles", "k": args.k or 5, "bins": bins,
                "scope": args.scope, "links": args.links}  # fmt: skip
    if theme == "change":
        found = {k: v for k, v in (("old", args.old), ("new", args.new), ("links", args.links or None)) if v}
        return {**found, **({"scope": "file"} if getattr(args, "scope", None) == "file" else {})}
    scope = getattr(args, "scope", None)
    if scope not in (None, "file"):
        raise GeoError(say("cli.err.scope", scope=scope, indicator="indicator", theme=theme, file="file"))
    out = {"scope": "file"} if scope == "file" else {}
    if ind is not None:
        if theme != "pairing":
            raise GeoError(say("cli.err.data_theme", indicator="indicator", pairing="pairing", theme=theme))
        from ..indicators import pair_gaps

        out["gaps"] = pair_gaps(atlas, ind)
    return out


def _years(args):
    text_ = getattr(args, "years", None)
    if not text_:
        return None
    try:
        return [int(y) for y in comma_list(text_)]
    except ValueError:
        raise GeoError(say("cli.err.years", text=text_)) from None


def render_one(atlas, theme, fmt, path, args, facet=None, figures: dict | None = None) -> Path:
    """Render one theme in one format to ``path``; ``figures`` keeps static figures so
    that the same map saved as PNG, SVG and PDF is drawn once."""
    year = getattr(args, "year", None)
    if year is not None and theme not in ("status", "atlas", "indicator"):
        raise GeoError(say("cli.err.year_theme", status="status", atlas="atlas", theme=theme))
    options = theme_options(atlas, theme, args) if hasattr(args, "column") else {}
    figure = figure_kwargs(args)
    if fmt == "html" and figure:
        flags = say("list.enum").join("--" + k.removesuffix("_cm").replace("_", "-") for k in figure)
        raise GeoError(say("cli.err.html_figure", flags=flags, formats=one_of(("png", "svg", "pdf"))))
    if fmt == "html":
        from ..html import render_html, save_html

        tiles = None if args.tiles == "none" else args.tiles
        m = render_html(atlas, theme, lang=args.lang, tiles=tiles, tianditu_key=args.tianditu_key, year=year, **options)
        return save_html(m, path)
    if theme == "atlas":
        static = ("overview", "pairing", "policy", "status", "change")
        raise GeoError(say("cli.err.atlas_static", atlas="atlas", themes=one_of(static)))
    if fmt == "gif":
        if theme not in ("status", "indicator"):
            raise GeoError(say("cli.err.gif_theme", gif="gif", status="status"))
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
        raise GeoError(say("cli.err.unknown_format", fmt=fmt, formats=say("list.enum").join(MAP_FORMATS)))
    if args.size is None:
        args.size = "slide" if fmt == "gif" else "a4"  # an animation is for slides
    if fmt == "html" and args.facet:
        raise GeoError(say("cli.err.facet_html", formats=one_of(("png", "svg", "pdf"))))
    stem = args.theme + (f"-{args.facet}" if args.facet else "") + (f"-{args.year}" if args.year else "")
    out = out or Path("output") / f"{stem}.{fmt}"
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    path = render_one(atlas, args.theme, fmt, out, args, facet=args.facet)
    kb, seconds = f"{path.stat().st_size / 1024:.0f}", f"{time.perf_counter() - t0:.1f}"
    print(say("cli.wrote_size_time", path=path, kb=kb, seconds=seconds))
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
    suffix = "" if args.lang == LANGS[0] else f"-{args.lang}"  # the outputs' default language has none
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
            import multiprocessing as mp  # lazy: only `build` starts processes (logging and all, ~6 ms)
            from concurrent.futures import ProcessPoolExecutor  # lazy: as multiprocessing

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
    mb, seconds = f"{total / 1e6:.1f}", f"{time.perf_counter() - t0:.1f}"
    print(say("cli.map_build_wrote", n=len(written), mb=mb, out=out, seconds=seconds))
    return 0
