"""Simplification shared by both renderers: polygons that tile a surface stay tiled."""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from ._memo import remember

__all__ = [
    "PRECISION",
    "digest",
    "dissolve",
    "drop_small_parts",
    "pipeline_transformer",
    "polygonal",
    "simplified",
    "simplify_polygons",
    "transform",
    "valid_polygons",
]

PRECISION = 1e-4  # degrees, about 11 m: well inside any simplification tolerance used here

#: simplified frames of this process, keyed on a hash of their coordinates: the last two
_SIMPLIFIED: dict = {}


def digest(geoms) -> str:
    """A hash of the geometries' content (their WKB): the key of every cache of derived
    shapes, so a corrected file, with one county moved, never gets the old shapes back."""
    h = hashlib.sha256()
    for wkb in shapely.to_wkb(np.asarray(geoms, dtype=object)):
        h.update(b"-" if wkb is None else wkb)
    return h.hexdigest()


def simplify_polygons(geoms, tolerance: float, precision: float = PRECISION):
    """Simplify polygons that tile a surface without opening gaps between neighbours.

    ``coverage_simplify`` keeps shared edges shared; if it fails or its result is invalid
    (the input was not a clean coverage: counties that overlap or leave gaps), each polygon
    is simplified on its own instead. The result is snapped to a ``precision`` grid and
    remembered for the same input (by content), so an HTML page and a PNG of the same frame
    simplify once.
    """
    geoms = np.asarray(geoms, dtype=object)
    key = (digest(geoms), tolerance, precision)
    if key in _SIMPLIFIED:
        return _SIMPLIFIED[key]
    out = _from_disk(key)
    if out is None or len(out) != len(geoms):
        try:
            out = shapely.coverage_simplify(geoms, tolerance)
            ok = bool(shapely.is_valid(out).all())
        except shapely.errors.GEOSException:
            ok = False
        if not ok:
            out = shapely.simplify(geoms, tolerance, preserve_topology=True)
        out = valid_polygons(shapely.set_precision(out, precision))
        _to_disk(key, out)
    # two: a profile's county map and its province map (frames can be large)
    return remember(_SIMPLIFIED, key, out, keep=2)


def valid_polygons(geoms):
    """Every geometry valid and polygonal (a grid snap can pinch a thin part into a line):
    ``make_valid`` where needed, then the polygonal part."""
    geoms = np.asarray(geoms, dtype=object)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = [polygonal(g) for g in shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)]
    return geoms


def polygonal(geom):
    """The polygonal part of a geometry (a collection's polygons; empty when it has none)."""
    if geom is None:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = []
    for part in getattr(geom, "geoms", []):
        if part.geom_type == "Polygon":
            polys.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            sub = polygonal(part)
            polys.extend(getattr(sub, "geoms", [sub]) if not sub.is_empty else [])
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def dissolve(geoms):
    """The union of polygons that should tile a surface (a city's counties, the province).

    The fast coverage union is exact for a clean coverage (the embedded boundaries). A
    user's file may not be one (counties that overlap, or do not meet edge to edge): then
    GEOS refuses or returns a shape whose area is not the sum of the parts, and the general
    union (OverlayNG) of the polygons thinned to :data:`PRECISION` is used instead."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_empty(geoms) & shapely.is_geometry(geoms)] if len(geoms) else geoms
    if len(geoms) == 0:
        return shapely.MultiPolygon()
    try:
        union = shapely.coverage_union_all(geoms)
        parts = float(shapely.area(geoms).sum())
        ok = union.is_valid and abs(union.area - parts) <= 1e-9 + 1e-7 * parts
    except shapely.errors.GEOSException:
        ok = False
    if not ok:
        # the overlay of millions of vertices takes minutes: first thin each polygon to
        # PRECISION (11 m, below any printed or drawn detail here), then union
        thin = shapely.simplify(geoms, PRECISION, preserve_topology=True)
        union = polygonal(shapely.union_all(valid_polygons(thin)))
    return union


def cache_dir():
    """Where simplified geometry is kept between runs ($SHANHAI_CACHE, else the platform's
    user cache folder, from platformdirs); None when caching is off (SHANHAI_CACHE=off)."""
    env = os.environ.get("SHANHAI_CACHE")
    if env == "off":
        return None
    if env:
        return Path(env)
    import platformdirs  # lazy: only when no cache directory is given

    return Path(platformdirs.user_cache_dir("shanhai-atlas", appauthor=False))


def _cache_file(key):
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(repr((*key, shapely.__version__)).encode()).hexdigest()[:24]
    return folder / f"simplified-{name}.npz"


def _from_disk(key):
    """The simplified polygons of an earlier run (same content, tolerance, shapely), or None.

    Like matplotlib's font cache: a cold process skips the coverage simplification. The
    file holds WKB bytes and their offsets as plain arrays, read without pickle (a cache
    folder may be shared: nothing in it can run code)."""
    try:
        path = _cache_file(key)
        if path is None or not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as z:
            data, ends = z["wkb"].tobytes(), z["ends"]
        starts = np.concatenate([[0], ends[:-1]])
        return shapely.from_wkb([data[a:b] for a, b in zip(starts, ends, strict=True)])
    except Exception:  # a damaged cache file is ignored and rewritten
        return None


def _to_disk(key, out) -> None:
    try:
        path = _cache_file(key)
        if path is None:
            return
        wkbs = shapely.to_wkb(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, wkb=np.frombuffer(b"".join(wkbs), dtype=np.uint8), ends=np.cumsum([len(w) for w in wkbs]))
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
    from pyproj import Transformer  # lazy: pyproj, for the projections alone

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
