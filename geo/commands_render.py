"""``shanhai map`` and ``shanhai build``: argument parsing only; renderers load lazily."""

from __future__ import annotations

import sys
import time
from pathlib import Path

THEMES = ("overview", "pairing", "policy", "status", "atlas")


def add_parsers(sub, layer_options):
    p = sub.add_parser("build", help="render the default atlas into a folder (output/ by default)")
    layer_options(p)
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    p.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    from .atlas import load_atlas
    from .export import export_gpkg

    t0 = time.perf_counter()
    from .cli import _layer_kwargs

    atlas = load_atlas(args.edition, **_layer_kwargs(args))
    out = Path(args.output)
    path = export_gpkg(atlas, out / "atlas.gpkg")
    print(f"wrote {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0
