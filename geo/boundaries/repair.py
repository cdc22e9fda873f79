"""Every geometry made a valid polygon or multipolygon before anything dissolves, simplifies
or draws it, in a documented way:

- null or empty: an error (the county has no shape);
- points and lines only: an error (not a polygon);
- a GeometryCollection (a polygon plus a point, as some editors write): the polygons kept,
  the other parts dropped with a note;
- Z or M values: dropped (maps are flat);
- invalid (rings that cross, spikes, holes outside their shell): repaired with
  ``shapely.make_valid(method="structure")`` (GEOS' MakeValid, "structure" method: rings
  are read as shells and holes, crossing rings are noded, the polygonal part is kept), with
  the reason GEOS gives;
- every polygon oriented one way (exterior clockwise, holes counter-clockwise, as the
  embedded layer and ESRI write them: ``shapely.orient_polygons``), so a hole wound like its
  shell stays a hole on every renderer (matplotlib fills by the non-zero rule).

Then the parts of one county (islands written as separate features) are dissolved into one
multipolygon; features of one county that overlap are a duplicate.

Last, detail of official surveys: each county's area is measured on its full geometry
(``area_km2``), then a county of more than :data:`DETAIL_VERTICES` vertices is thinned at
:data:`DETAIL_TOLERANCE` (about 1 m, far below what any output draws: each output then
simplifies at its own resolution), so maps of a file of millions of vertices take seconds.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..catalog import say
from ..geometry import polygonal, valid_polygons
from ..measures import area_km2
from .reading import Reading

#: parts of one county may touch or share a border; they are a duplicate only when they
#: overlap by more than this share of the smaller part (digitising slivers stay below it)
SLIVER_SHARE = 0.01
AREAL = ("Polygon", "MultiPolygon")
#: a county with more vertices than this is thinned after its area is measured
DETAIL_VERTICES = 200_000
#: the thinning tolerance, in degrees: about 1 m (a 300-dpi pixel of an A4 map of the province
#: is about 150 m; of a county map, 15 m)
DETAIL_TOLERANCE = 1e-5


def _where(frame, r: Reading, j: int) -> str:
    feature = r.features[j] if j < len(r.features) else j + 1
    return say("where.feature_named", n=feature, name=frame["name"].iat[j])


def geometry_step(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Valid, oriented polygons (see the module's notes); rows with no area left are errors."""
    if r.embedded or len(frame) == 0:
        return frame
    geoms = np.asarray(frame.geometry.values, dtype=object).copy()
    keep = np.ones(len(geoms), dtype=bool)
    for j, g in enumerate(geoms):
        where = _where(frame, r, j)
        if g is None or g.is_empty:
            r.add("error", where, say("boundaries.repair.empty"), say("boundaries.repair.export_again"))
            keep[j] = False
            continue
        coords = shapely.get_coordinates(g)
        if not np.isfinite(coords).all():
            r.add("error", where, say("boundaries.repair.not_numbers"), say("boundaries.repair.export_again"))
            keep[j] = False
            continue
        if g.geom_type == "GeometryCollection":
            parts = [p for p in shapely.get_parts(g) if not p.is_empty]
            areal = [p for p in parts if p.geom_type in AREAL]
            others = sorted({p.geom_type for p in parts if p.geom_type not in AREAL})
            if areal and others:
                r.add("repair", where, say("boundaries.repair.collection", others=say("list.enum").join(others)))
            g = shapely.union_all(areal) if len(areal) > 1 else (areal[0] if areal else None)
        if g is None or g.geom_type not in AREAL:
            kind = g.geom_type if g is not None else say("boundaries.repair.points_and_lines")
            r.add(
                "error",
                where,
                say("boundaries.repair.not_polygon", kind=kind),
                say("boundaries.repair.not_polygon_fix"),
            )
            keep[j] = False
            continue
        geoms[j] = g
    geoms = shapely.force_2d(geoms)
    invalid = np.flatnonzero(keep & ~shapely.is_valid(geoms))
    for j in invalid:
        reason = shapely.is_valid_reason(geoms[j])
        fixed = polygonal(shapely.make_valid(geoms[j], method="structure", keep_collapsed=False))
        where = _where(frame, r, j)
        if fixed.is_empty:
            r.add("error", where, say("boundaries.repair.no_area", reason=reason), say("boundaries.repair.redraw"))
            keep[j] = False
        else:
            geoms[j] = fixed
            r.add("repair", where, say("boundaries.repair.repaired", reason=reason))
    geoms[keep] = shapely.orient_polygons(geoms[keep], exterior_cw=True)  # as the embedded layer (and ESRI) wind them
    out = frame.set_geometry(geoms)
    r.features = [f for f, k in zip(r.features or range(1, len(frame) + 1), keep, strict=True) if k]
    return out[keep].reset_index(drop=True)


def dissolve_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Merge features of the same county (islands kept as separate rows) into one
    multipolygon; features that overlap each other are reported as duplicates instead."""
    counts = out["code"].value_counts()
    multi = counts[counts > 1].index
    if len(multi) == 0:
        return out
    out = out.assign(_feature=r.features or range(1, len(out) + 1))
    keep_rows, merged = [], {}
    for code, grp in out[out["code"].isin(multi)].groupby("code", sort=True):
        geoms = grp.geometry.values
        areas = shapely.area(geoms)
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        clashes = []
        for i, j in zip(left, right, strict=True):
            if i >= j:
                continue
            overlap = shapely.area(shapely.intersection(geoms[i], geoms[j]))
            if overlap > SLIVER_SHARE * min(areas[i], areas[j]):
                clashes.append((i, j))
        name = r.registry.counties[code].name
        features = grp["_feature"].tolist()
        if clashes:
            rows = sorted({features[k] for pair in clashes for k in pair})
            r.add(
                "error",
                say("boundaries.where.features", features=say("list.enum").join(map(str, rows))),
                say("boundaries.repair.duplicate", name=name, code=code),
                say("boundaries.repair.duplicate_fix"),
            )
            keep_rows.append(grp.index[0])
            continue
        merged[code] = polygonal(shapely.union_all(geoms))
        r.add("info", name, say("boundaries.repair.dissolved", name=name, n=len(grp)))
        keep_rows.append(grp.index[0])
    single = out[~out["code"].isin(multi)]
    firsts = out.loc[keep_rows].copy()
    firsts["geometry"] = [merged.get(c, g) for c, g in zip(firsts["code"], firsts.geometry, strict=True)]
    done = gpd.GeoDataFrame(pd.concat([single, firsts]), geometry="geometry", crs=out.crs)
    r.features = done["_feature"].tolist()
    return done.drop(columns="_feature")


def detail_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """``area_km2`` from the full geometry; counties of more than :data:`DETAIL_VERTICES`
    vertices thinned to :data:`DETAIL_TOLERANCE` for everything drawn, with a note."""
    if r.embedded or len(out) == 0:
        return out
    out = out.assign(area_km2=area_km2(out.geometry.values))
    geoms = np.asarray(out.geometry.values, dtype=object)
    counts = shapely.get_num_coordinates(geoms)
    heavy = np.flatnonzero(counts > DETAIL_VERTICES)
    if len(heavy) == 0:
        return out
    geoms = geoms.copy()
    # Douglas–Peucker (ten times faster than the topology-preserving kind), made valid after
    geoms[heavy] = valid_polygons(shapely.simplify(geoms[heavy], DETAIL_TOLERANCE, preserve_topology=False))
    after = shapely.get_num_coordinates(geoms[heavy])
    names = say("list.enum").join(
        say("boundaries.repair.thinned_item", name=out["name"].iat[j], before=counts[j], after=n)
        for j, n in zip(heavy, after, strict=True)
    )
    r.add(
        "info",
        say("boundaries.where.detail"),
        say("boundaries.repair.thinned", tolerance=DETAIL_TOLERANCE, names=names),
    )
    return out.set_geometry(geoms)
