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
    "coverage_union",
    "digest",
    "dissolve",
    "drop_small_parts",
    "group_borders",
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
    union = coverage_union(geoms)  # an empty MultiPolygon when there are none
    if union is None:
        # the overlay of millions of vertices takes minutes: first thin each polygon to
        # PRECISION (11 m, below any printed or drawn detail here), then union
        thin = shapely.simplify(_present(geoms), PRECISION, preserve_topology=True)
        union = polygonal(shapely.union_all(valid_polygons(thin)))
    return union


def _present(geoms):
    """The geometries that are there (not None, not empty), as an array."""
    geoms = np.asarray(geoms, dtype=object)
    return geoms[~shapely.is_empty(geoms) & shapely.is_geometry(geoms)] if len(geoms) else geoms


def coverage_union(geoms):
    """The union of polygons that form a clean coverage (neighbours meet edge to edge,
    nothing overlaps), through GEOS's fast coverage union; None when they do not (GEOS
    refuses, or the union's area is not the sum of the parts): :func:`dissolve` then takes
    the general union."""
    geoms = _present(geoms)
    if len(geoms) == 0:
        return shapely.MultiPolygon()
    try:
        union = shapely.coverage_union_all(geoms)
        parts = float(shapely.area(geoms).sum())
        ok = union.is_valid and abs(union.area - parts) <= 1e-9 + 1e-7 * parts
    except shapely.errors.GEOSException:
        ok = False
    return union if ok else None


def group_borders(geoms, groups, outline):
    """The edges that polygons of different groups share (the borders between cities, when
    the polygons are counties and the groups their cities), or None when the polygons are not
    a clean coverage.

    In a clean coverage (the embedded boundaries) neighbours hold the same vertices, so each
    segment is either a border, held by exactly two polygons, or on the ``outline`` (the
    boundary of their union), held by one. The borders are found by counting segments, a
    fifth of the time of the line overlay. If a segment is held three times, or the
    segments held once do not add up to the outline's length (polygons that overlap or leave
    gaps), None: the caller takes the overlay instead.

    Parameters
    ----------
    geoms : array of Polygon or MultiPolygon
    groups : array
        The group of each polygon.
    outline : shapely.Geometry
        The boundary of the polygons' union.

    Returns
    -------
    MultiLineString or None
    """
    geoms = np.asarray(geoms, dtype=object)
    kinds = shapely.get_type_id(geoms)
    if len(geoms) == 0 or not np.isin(kinds, (3, 6)).all() or shapely.is_empty(geoms).any():
        return None  # missing shapes or other kinds: the overlay copes
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, point_of = shapely.get_coordinates(rings, return_index=True)
    inside = point_of[1:] == point_of[:-1]  # consecutive points of one ring
    a, b = xy[:-1][inside], xy[1:][inside]
    group = np.asarray(groups)[part_of[ring_of[point_of[:-1][inside]]]]
    # each segment with its lower end first, so the two neighbours' copies sort together
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    seg = np.column_stack([np.where(flip[:, None], b, a), np.where(flip[:, None], a, b)])
    order = np.lexsort(seg.T[::-1])
    seg, group = seg[order], group[order]
    starts = np.flatnonzero(np.r_[True, (seg[1:] != seg[:-1]).any(axis=1)])
    held = np.diff(np.r_[starts, len(seg)])
    if held.max() > 2:
        return None
    once = seg[starts[held == 1]]
    if not np.isclose(np.hypot(*(once[:, 2:] - once[:, :2]).T).sum(), outline.length, rtol=1e-9, atol=0):
        return None
    two = starts[held == 2]
    border = seg[two[group[two] != group[two + 1]]]
    if len(border) == 0:
        return None
    return shapely.line_merge(shapely.multilinestrings(shapely.linestrings(border.reshape(-1, 2, 2))))


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
