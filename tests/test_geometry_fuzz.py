"""Property test of the boundary pipeline end to end: random polygons, collections, holes
wound either way, rings that cross, overlaps, gaps, empty parts and quantised coordinates go
through ``read_boundaries`` → ``load_atlas`` → ``render_static`` and ``render_html``, and
nothing but the project's own errors (:class:`geo.GeoError`) ever comes out.

Derandomized: the same examples on every run."""

from __future__ import annotations

import io

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeoError

from .conftest import LAYERS

GEOM_FUZZ = settings(
    max_examples=6, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip

#: what may happen to one county of the file
DAMAGE = ("none", "bowtie", "hole_same_way", "collection", "shift", "random", "empty_part", "quantise", "spike", "drop")


@pytest.fixture(scope="module")
def lishui():
    import geopandas as gpd

    g = gpd.read_file(LAYERS / "boundaries.gpkg")
    return g[g["code"].str.startswith("3311")].reset_index(drop=True)


def damaged(geom, how: str, rng: np.random.Generator):
    """``geom`` with one kind of damage a real file may hold."""
    poly = max(shapely.get_parts(geom), key=lambda p: p.area)
    ring = np.array(poly.exterior.coords)
    c = poly.representative_point()
    if how == "bowtie":
        k = int(rng.integers(1, len(ring) - 3))
        ring[[k, k + 2]] = ring[[k + 2, k]]
        return shapely.Polygon(ring)
    if how == "hole_same_way":
        hole = np.array(shapely.buffer(c, 0.01, quad_segs=3).exterior.coords)
        if shapely.is_ccw(shapely.LinearRing(ring)) != shapely.is_ccw(shapely.LinearRing(hole)):
            hole = hole[::-1]
        return shapely.Polygon(ring, [hole])
    if how == "collection":
        return shapely.GeometryCollection([geom, c, shapely.LineString([c, (c.x + 0.1, c.y)])])
    if how == "shift":  # over its neighbour: counties overlap and leave gaps
        return shapely.transform(geom, lambda xy: xy + rng.normal(0, 0.03, 2))
    if how == "random":  # a star polygon of random radii: may cross itself
        n = int(rng.integers(3, 30))
        a = np.sort(rng.uniform(0, 2 * np.pi, n))
        r = rng.uniform(0.001, 0.2, n)
        pts = np.column_stack([c.x + r * np.cos(a), c.y + r * np.sin(a)])
        return (
            shapely.Polygon(np.vstack([pts, pts[:1]]))
            if rng.random() < 0.5
            else shapely.Polygon(pts[rng.permutation(n)])
        )
    if how == "empty_part":
        return shapely.GeometryCollection([geom, shapely.Polygon()])
    if how == "quantise":  # 1/64 of a degree: thin parts collapse
        return shapely.transform(geom, lambda xy: np.round(xy * 64) / 64)
    if how == "spike":
        k = int(rng.integers(1, len(ring) - 1))
        spike = ring[k] + rng.normal(0, 0.2, 2)
        return shapely.Polygon(np.vstack([ring[: k + 1], [spike], ring[k:]]))
    return geom


@GEOM_FUZZ
@given(
    damage=st.lists(st.sampled_from(DAMAGE), min_size=9, max_size=9),
    seed=st.integers(0, 2**16),
    suffix=st.sampled_from([".geojson", ".gpkg"]),
)
def test_any_geometry_gives_a_map_or_our_error(lishui, tmp_path_factory, damage, seed, suffix):
    import geo
    from geo.boundaries import read_boundaries

    rng = np.random.default_rng(seed)
    frame = lishui.copy()
    geoms = []
    for g, how in zip(frame.geometry.values, damage, strict=True):
        try:
            geoms.append(damaged(g, how, rng))
        except (shapely.errors.GEOSException, ValueError):  # a damage shapely itself refuses to build
            geoms.append(g)
    frame = frame.set_geometry(geoms, crs="EPSG:4326")
    frame = frame[[d != "drop" for d in damage]]
    path = tmp_path_factory.mktemp("geomfuzz") / f"damaged{suffix}"
    try:
        frame.to_file(path)
    except Exception:  # a geometry GDAL will not write is not a file a user can hold
        return
    try:
        result = read_boundaries(path)
        if result.errors:  # each names the feature and the fix
            assert all(p.where.startswith(("feature", "features")) and p.fix for p in result.errors)
            return
        atlas = geo.load_atlas(boundaries=path)
    except GeoError:
        return
    # what was read is drawn: no error of any kind from here on
    REACHED.append(len(atlas.counties))
    fig = geo.render_static(atlas, "pairing", size="half")
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    html = geo.render_html(atlas, "overview").get_root().render()
    assert "莲都" in html


#: the examples that got as far as the renderers (the last test checks there were some)
REACHED: list[int] = []


def test_the_examples_reached_the_renderers():
    assert len(REACHED) >= 4, REACHED
