"""The product commands: ``shanhai profile`` (one county's page), ``book`` (every profile in
one PDF) and ``site`` (the offline website)."""

from __future__ import annotations

import time
from pathlib import Path

from .options import county_arg, layer_options, load_atlas_for


def add_parsers(sub):
    """Add the ``profile``, ``book`` and ``site`` subparsers to ``sub``."""
    p = sub.add_parser("profile", help="one county's profile page (一县一图): PDF, PNG, SVG or HTML")
    layer_options(p)
    p.add_argument("county", help="any name form or code, e.g. 景宁")
    p.add_argument("-o", "--output", help="output file (default: output/profiles/NAME.pdf)")
    p.add_argument("--format", choices=("pdf", "png", "svg", "html"), help="default: from -o, else pdf")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("book", help="every county's profile bound into one PDF with cover, contents, bookmarks")
    layer_options(p)
    p.add_argument("-o", "--output", default="output/book.pdf", help="the PDF (default output/book.pdf)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("site", help="the offline website: index, one page per theme and per county profile")
    layer_options(p)
    p.add_argument("-o", "--output", default="output/site", help="the folder (default output/site)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=cmd_site)


def cmd_profile(args) -> int:
    from ..products.profile import render_profile, save_profile

    atlas = load_atlas_for(args)
    c = county_arg(atlas.registry, args.county, "profile")
    out = Path(args.output) if args.output else None
    fmt = args.format or (out.suffix.lstrip(".").lower() if out and out.suffix else "pdf")
    out = out or Path("output") / "profiles" / f"{c.short_name}.{fmt}"
    t0 = time.perf_counter()
    if fmt == "html":
        from ..html import save_html

        paths = [save_html(render_profile(atlas, c.code, lang=args.lang, fmt="html"), out)]
    else:
        pages = render_profile(atlas, c.code, lang=args.lang)
        paths = save_profile(pages, out.with_suffix("." + fmt), parallel=True)
    size = sum(p.stat().st_size for p in paths) / 1024
    print(f"wrote {', '.join(map(str, paths))} ({size:.0f} KB, {time.perf_counter() - t0:.1f} s)")
    return 0


def cmd_book(args) -> int:
    from ..products.book import build_book

    atlas = load_atlas_for(args)
    t0 = time.perf_counter()
    info = build_book(atlas, args.output, lang=args.lang)
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
