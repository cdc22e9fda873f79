"""The product commands: ``shanhai profile`` (one county's page), ``book`` (every profile in
one PDF), ``site`` (the offline website), ``report`` (an editable Word document) and
``slides`` (an editable PowerPoint deck)."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import GeoError
from .options import county_arg, figure_kwargs, figure_options, layer_options, load_atlas_for
from .process import in_background, in_two_processes


def add_parsers(sub):
    """Add the ``profile``, ``book``, ``site``, ``report`` and ``slides`` subparsers to ``sub``."""
    p = sub.add_parser("profile", help="one county's profile page (一县一图): PDF, PNG, SVG or HTML")
    layer_options(p)
    p.add_argument("county", help="any name form or code, e.g. 景宁")
    p.add_argument("-o", "--output", help="output file (default: output/profiles/NAME.pdf)")
    p.add_argument("--format", choices=("pdf", "png", "svg", "html"), help="default: from -o, else pdf")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    figure_options(p)
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("book", help="every county's profile bound into one PDF with cover, contents, bookmarks")
    layer_options(p)
    p.add_argument("-o", "--output", default="output/book.pdf", help="the PDF (default output/book.pdf)")
    p.add_argument(
        "--county",
        action="append",
        metavar="NAME",
        help="a booklet of these counties only (repeatable, or comma-separated; default: every county of the edition)",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("site", help="the offline website: index, one page per theme and per county profile")
    layer_options(p)
    p.add_argument("-o", "--output", default="output/site", help="the folder (default output/site)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("report", help="an editable Word report (.docx): the province, or one section per county")
    layer_options(p)
    p.add_argument("counties", nargs="*", metavar="COUNTY", help="one section per county (default: the province)")
    p.add_argument("-o", "--output", default="output/report.docx", help="the .docx (default output/report.docx)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--force", action="store_true", help="replace an existing file (it may hold your edits)")
    p.add_argument("--dpi", type=int, default=300, help="resolution of the pictures (default 300)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("slides", help="an editable 16:9 PowerPoint deck (.pptx): themes, counties, sources")
    layer_options(p)
    p.add_argument("-o", "--output", default="output/atlas.pptx", help="the .pptx (default output/atlas.pptx)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--force", action="store_true", help="replace an existing file (it may hold your edits)")
    p.add_argument("--dpi", type=int, default=200, help="resolution of the maps (default 200)")
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
        flags = ", ".join("--" + k.removesuffix("_cm") for k in page)
        raise GeoError(
            f"{flags}: a profile is an A4 page; these are for maps and charts (shanhai map, timeline, gaps)."
        )
    if words and fmt == "html":
        raise GeoError("--title, --subtitle, --note: for the printed profile (pdf, png, svg), not the HTML page.")
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
                raise GeoError(f"{profile_paths(target, 2)[1]}: the second page could not be written. "
                               "Fix: check the folder is writable.")  # fmt: skip
            paths = profile_paths(target, len(pages))
    size = sum(p.stat().st_size for p in paths) / 1024
    print(f"wrote {', '.join(map(str, paths))} ({size:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


def cmd_book(args) -> int:
    from ..products.book import build_book

    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    counties = [c.strip() for arg in args.county or [] for c in arg.replace("，", ",").split(",") if c.strip()]
    info = build_book(atlas, args.output, lang=args.lang, counties=counties or None)
    size = info["path"].stat().st_size / 1e6
    print(
        f"wrote {info['path']} ({info['pages']} pages, {info['bookmarks']} bookmarks, {size:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s)"
    )
    return 0


def cmd_site(args) -> int:
    from ..products.site import build_site

    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = build_site(atlas, args.output, lang=args.lang)
    print(
        f"wrote {args.output}/ ({info['pages']} pages, {len(info['files'])} files, {info['bytes'] / 1e6:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s); open {args.output}/index.html"
    )
    return 0


def cmd_report(args) -> int:
    from .._io import refuse_existing
    from ..products.report import write_report

    refuse_existing(args.output, args.force)  # before the layers are loaded
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = write_report(atlas, args.output, counties=args.counties, lang=args.lang, force=args.force, dpi=args.dpi)
    size = info["path"].stat().st_size / 1e6
    print(
        f"wrote {info['path']} ({info['figures']} figures, {info['tables']} tables, {size:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s)"
    )
    return 0


def cmd_slides(args) -> int:
    from .._io import refuse_existing
    from ..products.slides import write_slides

    refuse_existing(args.output, args.force)
    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = write_slides(atlas, args.output, lang=args.lang, force=args.force, dpi=args.dpi)
    size = info["path"].stat().st_size / 1e6
    print(f"wrote {info['path']} ({info['slides']} slides, {size:.1f} MB, {time.perf_counter() - t0:.1f} s)")
    return 0
