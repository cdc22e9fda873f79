"""Simplification shared by both renderers: polygons that tile a surface stay tiled."""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np
import shapely

__all__ = ["PRECISION", "drop_small_parts", "pipeline_transformer", "simplified", "simplify_polygons", "transform"]

PRECISION = 1e-4  # degrees, about 11 m: well inside any simplification tolerance used here

_SIMPLIFIED: dict = {}


def simplify_polygons(geoms, tolerance: float, precision: float = PRECISION):
    """Simplify polygons that tile a surface without opening gaps between neighbours.

    ``coverage_simplify`` keeps shared edges shared; if its result is invalid (the input
    was not a clean coverage), each polygon is simplified on its own instead. The result
    is snapped to a ``precision`` grid and remembered for the same input, so an HTML page
    and a PNG of the same frame simplify once.
    """
    geoms = np.asarray(geoms)
    key = (
        len(geoms),
        tuple(np.round(shapely.total_bounds(geoms), 9)),
        int(shapely.get_num_coordinates(geoms).sum()),
        tolerance,
        precision,
    )
    if key in _SIMPLIFIED:
        return _SIMPLIFIED[key]
    out = _from_disk(geoms, tolerance, precision)
    if out is None:
        out = shapely.coverage_simplify(geoms, tolerance)
        if not shapely.is_valid(out).all():
            out = shapely.simplify(geoms, tolerance, preserve_topology=True)
        out = shapely.set_precision(out, precision)
        _to_disk(geoms, tolerance, precision, out)
    while len(_SIMPLIFIED) > 1:  # keep two (a profile's county map and its province map): frames can be large
        _SIMPLIFIED.pop(next(iter(_SIMPLIFIED)))
    _SIMPLIFIED[key] = out
    return out


def cache_dir():
    """Where simplified geometry is kept between runs ($SHANHAI_CACHE, else the user cache
    folder); None when caching is off (SHANHAI_CACHE=off)."""
    import os
    from pathlib import Path

    env = os.environ.get("SHANHAI_CACHE")
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "shanhai-atlas"


def _cache_file(geoms, tolerance, precision):
    import hashlib

    folder = cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256()
    for wkb in shapely.to_wkb(geoms):
        h.update(wkb)
    h.update(repr((tolerance, precision, shapely.__version__)).encode())
    return folder / f"simplified-{h.hexdigest()[:24]}.wkb"


def _from_disk(geoms, tolerance, precision):
    """The simplified polygons of an earlier run (same input, tolerance, shapely), or None.

    Like matplotlib's font cache: a cold process skips the coverage simplification. The
    key is a hash of the input geometry, so a changed boundary file never hits it."""
    try:
        path = _cache_file(geoms, tolerance, precision)
        if path is None or not path.is_file():
            return None
        import pickle

        out = shapely.from_wkb(pickle.loads(path.read_bytes()))
        return out if len(out) == len(geoms) else None
    except Exception:  # a damaged cache file is ignored and rewritten
        return None


def _to_disk(geoms, tolerance, precision, out) -> None:
    import os
    import pickle
    import tempfile

    try:
        path = _cache_file(geoms, tolerance, precision)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(pickle.dumps(list(shapely.to_wkb(out))))
        os.replace(tmp, path)
    except OSError:  # a read-only home: simplify every time
        pass


def simplified(atlas, tolerance: float):
    """A shallow copy of ``atlas`` whose county polygons are simplified (0: unchanged)."""
    if not tolerance:
        return atlas
    out = copy.copy(atlas)
    out.counties = atlas.counties.set_geometry(simplify_polygons(atlas.counties.geometry.values, tolerance))
    return out


@lru_cache(maxsize=8)
def pipeline_transformer(pipeline: str):
    """The pyproj Transformer of a PROJ pipeline string, made once per process.

    The projections used here are written out as the pipelines PROJ itself picks (tests
    hold them equal to ``Transformer.from_crs``): the same numbers without searching
    proj.db, 60 ms, at every cold start."""
    from pyproj import Transformer

    return Transformer.from_pipeline(pipeline)


def transform(geoms, pipeline: str) -> np.ndarray:
    """Shapely geometries (lon/lat) through a PROJ ``pipeline``, all coordinates at once."""
    t = pipeline_transformer(pipeline)
    return shapely.transform(
        np.asarray(geoms, dtype=object), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    )


def drop_small_parts(geoms, min_area: float):
    """Drop the parts (islands) of multipolygons smaller than ``min_area``; every geometry
    keeps at least its largest part. Below a printed dot they only add bytes."""
    out = []
    for g in np.asarray(geoms):
        if g is None or g.geom_type != "MultiPolygon":
            out.append(g)
            continue
        parts = list(g.geoms)
        areas = np.array([p.area for p in parts])
        keep = [p for p, a in zip(parts, areas, strict=True) if a >= min_area] or [parts[int(areas.argmax())]]
        out.append(shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0])
    return np.array(out, dtype=object)
