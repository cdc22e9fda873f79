"""Where the embedded layers live: ``geo/_layers`` in a wheel, ``layers/`` in a checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .catalog import say
from .errors import DataSourceError


@lru_cache(maxsize=1)
def layers_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_layers", here.parent / "layers"):
        if (candidate / "counties.csv").is_file():
            return candidate
    raise DataSourceError(say("io.layers_missing", inside=here / "_layers", beside=here.parent / "layers"))


def layer_path(name: str) -> Path:
    return layers_dir() / name
