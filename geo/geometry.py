"""Simplification shared by both renderers: polygons that tile a surface stay tiled."""

from __future__ import annotations

import copy

import numpy as np
import shapely

__all__ = ["PRECISION", "drop_small_parts", "simplified", "simplify_polygons"]

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
    out = shapely.coverage_simplify(geoms, tolerance)
    if not shapely.is_valid(out).all():
        out = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out = shapely.set_precision(out, precision)
    _SIMPLIFIED.clear()  # keep one: frames are large
    _SIMPLIFIED[key] = out
    return out


def simplified(atlas, tolerance: float):
    """A shallow copy of ``atlas`` whose county polygons are simplified (0: unchanged)."""
    if not tolerance:
        return atlas
    out = copy.copy(atlas)
    out.counties = atlas.counties.set_geometry(simplify_polygons(atlas.counties.geometry.values, tolerance))
    return out


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
