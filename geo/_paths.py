"""Where the embedded layers live: ``geo/_layers`` in a wheel, ``layers/`` in a checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import DataSourceError


@lru_cache(maxsize=1)
def layers_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_layers", here.parent / "layers"):
        if (candidate / "counties.csv").is_file():
            return candidate
    raise DataSourceError(
        f"the embedded data layers are missing (looked in {here / '_layers'} and "
        f"{here.parent / 'layers'}). Reinstall shanhai-atlas: `pip install --force-reinstall shanhai-atlas`."
    )


def layer_path(name: str) -> Path:
    return layers_dir() / name
