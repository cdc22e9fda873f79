"""``shanhai map`` and ``shanhai build``: argument parsing only; renderers load lazily."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .errors import GeoError

#: kept literal so that building the parser imports no renderer (`shanhai counties` stays fast);
#: tests/test_cli.py checks it against geo.themes.THEMES
THEMES = ("overview", "pairing", "policy", "status", "change", "atlas")
FORMATS = ("html", "png", "svg", "pdf")
MAP_FORMATS = (*FORMATS, "gif")


def _render_options(p):
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


def add_parsers(sub, layer_options):
    p = sub.add_parser("map", help="render one theme as HTML, PNG, SVG or PDF")
    layer_options(p)
    p.add_argument("theme", choices=THEMES)
    p.add_argument(
        "--format",
        choices=MAP_FORMATS,
        default=None,
        help="default: from the -o suffix, else html; gif: status by year",
    )
    p.add_argument("-o", "--output", help="output file (default: output/THEME.FORMAT)")
    p.add_argument(
        "--facet",
        choices=("designation", "document", "year"),
        help="static small multiples: status by designation or by year, policy by document",
    )
    p.add_argument("--year", type=int, help="status: the designations in force at the end of this year")
    p.add_argument("--years", help="status with --facet year or --format gif: the years, e.g. 2016,2018,2020")
    _render_options(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("build", help="render every theme in every format into a folder (output/ by default)")
    layer_options(p)
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    p.add_argument("--format", choices=FORMATS, action="append", help="only these formats (repeatable; default all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    _render_options(p)
    p.set_defaults(func=cmd_build)


def _atlas(args):
    from .cli import _load

    return _load(args)


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
    if year is not None and theme not in ("status", "atlas"):
        raise GeoError(f"--year goes with the status theme (and the atlas page), not {theme}.")
    if fmt == "html":
        from .html import render_html, save_html

        tiles = None if args.tiles == "none" else args.tiles
        m = render_html(atlas, theme, lang=args.lang, tiles=tiles, tianditu_key=args.tianditu_key, year=year)
        return save_html(m, path)
    if theme == "atlas":
        raise GeoError(
            "the atlas theme is an HTML page; for static maps use overview, pairing, policy, status or change."
        )
    if fmt == "gif":
        if theme != "status":
            raise GeoError(
                "--format gif animates the status theme year by year: use `shanhai map status --format gif`."
            )
        from .static import save_gif

        return save_gif(atlas, path, lang=args.lang, size=args.size, years=_years(args))
    from .static import render_static, save_static

    figures = {} if figures is None else figures
    key = (theme, facet, year)
    if key not in figures:
        figures[key] = render_static(
            atlas, theme, lang=args.lang, size=args.size, facet=facet, year=year, years=_years(args)
        )
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
    atlas = _atlas(args)
    t0 = time.perf_counter()
    path = render_one(atlas, args.theme, fmt, out, args, facet=args.facet)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


#: the atlas a build's worker processes inherit (set before they fork)
_BUILD: dict = {}


def _build_task(task) -> list[Path]:
    """One theme in one or more formats (static formats share one drawing)."""
    theme, formats, out, suffix, args = task
    atlas = _BUILD["atlas"]
    figures: dict = {}
    return [render_one(atlas, theme, fmt, out / f"{theme}{suffix}.{fmt}", args, figures=figures) for fmt in formats]


def build_tasks(formats) -> list[tuple[str, tuple[str, ...]]]:
    """(theme, formats) per independent unit of work, slowest first: the atlas page, then
    each static theme (drawn once, saved in every static format), then the other pages."""
    static = tuple(f for f in formats if f != "html")
    tasks = [("atlas", ("html",))] if "html" in formats else []
    tasks += [(t, static) for t in THEMES if t != "atlas" and static]
    tasks += [(t, ("html",)) for t in THEMES if t != "atlas" and "html" in formats]
    return tasks


def cmd_build(args) -> int:
    import os

    from .export import export_gpkg

    t0 = time.perf_counter()
    args.size = args.size or "a4"
    atlas = _atlas(args)
    out = Path(args.output)
    formats = args.format or list(FORMATS)
    tasks = build_tasks(formats)
    suffix = "" if args.lang == "zh" else "-en"
    n_maps = sum(len(f) for _, f in tasks)
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
            # independent maps on every core; workers fork and inherit the loaded atlas
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for paths in pool.map(_build_task, work):
                    written += paths
                    if bar:
                        bar.update(len(paths))
        else:
            for task in work:
                paths = _build_task(task)
                written += paths
                if bar:
                    bar.update(len(paths))
    finally:
        _BUILD.clear()
    if bar:
        bar.close()
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({total / 1e6:.1f} MB) into {out}/ in {time.perf_counter() - t0:.1f} s")
    return 0
