"""The product commands: ``shanhai profile`` (one county's page), ``book`` (every profile in
one PDF), ``site`` (the offline website), ``report`` (an editable Word document) and
``slides`` (an editable PowerPoint deck)."""

from __future__ import annotations

import time
from pathlib import Path

from .._io import refuse_existing
from ..catalog import say
from ..errors import GeoError
from .options import comma_list, county_arg, figure_kwargs, figure_options, layer_options, load_atlas_for
from .process import in_background, in_two_processes

# lazy: each command imports its product inside its function: building the parser loads no
# renderer, and `profile … png` no folium (see geo.commands)


def add_parsers(sub):
    """Add the ``profile``, ``book``, ``site``, ``report`` and ``slides`` subparsers to ``sub``."""
    p = sub.add_parser("profile", help=say("cli.help.profile"))
    layer_options(p)
    p.add_argument("county", help=say("cli.help.county_any"))
    p.add_argument("-o", "--output", help=say("cli.help.profile_output"))
    p.add_argument("--format", choices=("pdf", "png", "svg", "html"), help=say("cli.help.profile_format", pdf="pdf"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p)
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("book", help=say("cli.help.book"))
    layer_options(p)
    p.add_argument("-o", "--output", default="output/book.pdf", help=say("cli.help.book_output"))
    p.add_argument("--county", action="append", metavar="NAME", help=say("cli.help.book_county"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("site", help=say("cli.help.site"))
    layer_options(p)
    p.add_argument("-o", "--output", default="output/site", help=say("cli.help.site_output"))
    p.add_argument("--county", action="append", metavar="NAME", help=say("cli.help.site_county"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("report", help=say("cli.help.report"))
    layer_options(p)
    p.add_argument("counties", nargs="*", metavar="COUNTY", help=say("cli.help.report_counties"))
    p.add_argument("-o", "--output", default="output/report.docx", help=say("cli.help.report_output"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--force", action="store_true", help=say("cli.help.force"))
    p.add_argument("--dpi", type=int, default=300, help=say("cli.help.report_dpi"))
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("slides", help=say("cli.help.slides"))
    layer_options(p)
    p.add_argument("-o", "--output", default="output/atlas.pptx", help=say("cli.help.slides_output"))
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--force", action="store_true", help=say("cli.help.force"))
    p.add_argument("--dpi", type=int, default=200, help=say("cli.help.slides_dpi"))
    p.set_defaults(func=cmd_slides)


def cmd_profile(args) -> int:
    from ..products.profile import frames_job, profile_paths, render_profile, save_profile

    atlas = load_atlas_for(args)
    c = county_arg(atlas.registry, args.county, "profile")
    out = Path(args.output) if args.output else None
    fmt = args.format or (out.suffix.lstrip(".").lower() if out and out.suffix else "pdf")
    out = out or Path("output") / "profiles" / f"{c.short_name}.{fmt}"
    t0 = time.perf_counter()
    words = figure_kwargs(args)
    page = [k for k in ("width_cm", "height_cm", "mono") if k in words]
    if page:
        flags = say("list.enum").join("--" + k.removesuffix("_cm") for k in page)
        raise GeoError(
            say(
                "cli.err.profile_page",
                flags=flags,
                commands=say("list.enum").join(("shanhai map", "timeline", "gaps")),
            )
        )
    if words and fmt == "html":
        raise GeoError(say("cli.err.profile_html"))
    if fmt == "html":
        from ..html import save_html

        paths = [save_html(render_profile(atlas, c.code, lang=args.lang, fmt="html"), out)]
    else:
        frames = in_background(frames_job(atlas))  # beside the county record and matplotlib's import
        pages = render_profile(atlas, c.code, lang=args.lang, frames=frames, **words).pages
        target = out.with_suffix("." + fmt)
        if fmt == "pdf" or len(pages) == 1:
            paths = save_profile(pages, target)
        else:  # the further pages drawn and encoded by a second process on the other core
            rest = range(1, len(pages))
            if not in_two_processes(lambda: save_profile(pages, target, only=rest),
                                    lambda: save_profile(pages, target, only=[0])):  # fmt: skip
                raise GeoError(say("cli.err.second_page", path=profile_paths(target, 2)[1]))
            paths = profile_paths(target, len(pages))
    size = sum(p.stat().st_size for p in paths) / 1024
    where = say("list.enum").join(map(str, paths))
    print(say("cli.wrote_size_time", path=where, kb=f"{size:.0f}", seconds=f"{time.perf_counter() - t0:.1f}"))
    return 0


def _counties(args) -> list[str] | None:
    """The counties of ``--county`` (repeatable, or comma-separated), None for every one."""
    return [name for arg in args.county or [] for name in comma_list(arg)] or None


def cmd_book(args) -> int:
    from ..products.book import build_book

    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = build_book(atlas, args.output, lang=args.lang, counties=_counties(args))
    size = info["path"].stat().st_size / 1e6
    print(say("cli.book_wrote", path=info["path"], pages=info["pages"], bookmarks=info["bookmarks"], mb=f"{size:.1f}",
              seconds=f"{time.perf_counter() - t0:.1f}"))  # fmt: skip
    return 0


def cmd_site(args) -> int:
    from ..products.site import build_site

    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = build_site(atlas, args.output, lang=args.lang, counties=_counties(args))
    print(say("cli.site_wrote", path=args.output, pages=info["pages"], files=len(info["files"]),
              mb=f"{info['bytes'] / 1e6:.1f}", seconds=f"{time.perf_counter() - t0:.1f}"))  # fmt: skip
    return 0


def cmd_report(args) -> int:
    from ..products.report import write_report

    refuse_existing(args.output, args.force)  # before the layers are loaded
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = write_report(atlas, args.output, counties=args.counties, lang=args.lang, force=args.force, dpi=args.dpi)
    size = info["path"].stat().st_size / 1e6
    print(say("cli.report_wrote", path=info["path"], figures=info["figures"], tables=info["tables"], mb=f"{size:.1f}",
              seconds=f"{time.perf_counter() - t0:.1f}"))  # fmt: skip
    return 0


def cmd_slides(args) -> int:
    from ..products.slides import write_slides

    refuse_existing(args.output, args.force)
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = write_slides(atlas, args.output, lang=args.lang, force=args.force, dpi=args.dpi)
    size = info["path"].stat().st_size / 1e6
    print(say("cli.slides_wrote", path=info["path"], slides=info["slides"], mb=f"{size:.1f}",
              seconds=f"{time.perf_counter() - t0:.1f}"))  # fmt: skip
    return 0
