"""GCJ-02 and BD-09 conversion, checked against independent implementations, and telling a
boundary file's datum from where its counties sit."""

import json
import math

import eviltransform
import numpy as np
import prcoords
import pytest
import shapely
import shapely.geometry
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.boundaries import read_boundaries
from geo.datum import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_gcj02,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")
lons = st.floats(118.0, 123.0)
lats = st.floats(27.0, 31.5)


def metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


@settings(max_examples=300, deadline=None)
@given(lons, lats)
def test_forward_matches_prcoords(lon, lat):
    # prcoords implements the published formula (Krasovsky a = 6378245) independently
    ref = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert math.isclose(float(glon), ref.lon, abs_tol=1e-11)
    assert math.isclose(float(glat), ref.lat, abs_tol=1e-11)


@settings(max_examples=300, deadline=None)
@given(lons, lats)
def test_forward_close_to_eviltransform(lon, lat):
    # eviltransform scales by the WGS84 radius instead: within ~1 cm over Zhejiang
    ref_lat, ref_lon = eviltransform.wgs2gcj(lat, lon)
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert metres(float(glon), float(glat), ref_lon, ref_lat) < 0.02


@settings(max_examples=300, deadline=None)
@given(lons, lats)
def test_inverse_round_trip_under_1cm(lon, lat):
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert metres(lon, lat, float(wlon), float(wlat)) < 0.01
    ref = prcoords.gcj_wgs_bored(prcoords.Coords(float(glat), float(glon)))
    assert metres(ref.lon, ref.lat, float(wlon), float(wlat)) < 0.01


def test_shift_across_zhejiang_is_470_to_610_m(boundaries):
    xy = shapely.get_coordinates(boundaries.geometry.values)
    glon, glat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
    shift = metres(xy[:, 0], xy[:, 1], glon, glat)
    assert 450 < shift.min() < 480
    assert 590 < shift.max() < 620


def test_geometry_helpers_round_trip():
    poly = shapely.box(120.0, 29.0, 120.1, 29.1)
    back = to_wgs84(to_gcj02(np.array([poly])))[0]
    assert shapely.equals_exact(poly, back, tolerance=1e-9)
    assert not shapely.equals_exact(poly, to_gcj02(np.array([poly]))[0], tolerance=1e-4)


# ---------------------------------------------------------------------------------------
# BD-09 (Baidu)
# ---------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(lons, lats)
def test_bd09_forward_matches_prcoords_and_eviltransform(lon, lat):
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    ref = prcoords.gcj_bd(prcoords.Coords(float(glat), float(glon)))
    assert math.isclose(float(blon), ref.lon, abs_tol=1e-11) and math.isclose(float(blat), ref.lat, abs_tol=1e-11)
    ev_lat, ev_lon = eviltransform.gcj2bd(float(glat), float(glon))
    assert metres(float(blon), float(blat), ev_lon, ev_lat) < 1e-6
    wlon, wlat = wgs84_to_bd09(lon, lat)
    assert (float(wlon), float(wlat)) == (float(blon), float(blat))


@settings(max_examples=300, deadline=None)
@given(lons, lats)
def test_bd09_round_trip_under_1cm(lon, lat):
    blon, blat = wgs84_to_bd09(lon, lat)
    wlon, wlat = bd09_to_wgs84(blon, blat)
    assert metres(lon, lat, float(wlon), float(wlat)) < 0.01
    # closer than the closed-form inverse the libraries use (decimetres)
    glon, glat = bd09_to_gcj02(blon, blat)
    ref = prcoords.bd_gcj_bored(prcoords.Coords(float(blat), float(blon)))
    assert metres(ref.lon, ref.lat, float(glon), float(glat)) < 0.01


def test_bd09_shift_across_zhejiang_is_about_a_kilometre(boundaries):
    xy = shapely.get_coordinates(boundaries.geometry.values)[::50]
    blon, blat = wgs84_to_bd09(xy[:, 0], xy[:, 1])
    shift = metres(xy[:, 0], xy[:, 1], blon, blat)
    assert 950 < shift.min() and shift.max() < 1300


# ---------------------------------------------------------------------------------------
# telling a file's datum: DataV GeoJSON in GCJ-02, a Baidu export in BD-09
# ---------------------------------------------------------------------------------------


def datav_geojson(boundaries, path, datum, codes=None):
    """The counties as DataV (阿里云 DataV.GeoAtlas) publishes them: numeric ``adcode``,
    ``name``, ``center``, ``level``, a nested ``parent`` object and ``acroutes``."""
    g = boundaries if codes is None else boundaries[boundaries["code"].isin(codes)]
    geoms = from_wgs84(g.geometry.values, datum)
    feats = []
    for (code, name), geom in zip(zip(g["code"], g["name"], strict=True), geoms, strict=True):
        c = shapely.get_coordinates(shapely.centroid(geom))[0]
        city = int(code[:4] + "00")
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": int(code),
                    "name": name,
                    "center": [round(c[0], 6), round(c[1], 6)],
                    "centroid": [round(c[0], 6), round(c[1], 6)],
                    "childrenNum": 0,
                    "level": "district",
                    "parent": {"adcode": city},
                    "subFeatureIndex": len(feats),
                    "acroutes": [100000, 330000, city],
                },
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def datav(boundaries, tmp_path_factory):
    d = tmp_path_factory.mktemp("datav")
    return {dt: datav_geojson(boundaries, d / f"330000_{dt}.json", dt) for dt in ("gcj02", "bd09")}


@pytest.mark.parametrize("datum, off", [("gcj02", (500, 560)), ("bd09", (1080, 1160))])
def test_datav_file_is_detected_and_converted(datav, boundaries, datum, off):
    r = read_boundaries(datav[datum])
    assert not r.errors and len(r.counties) == 90
    notes = [p for p in r.problems if p.where == "datum"]
    assert len(notes) == 1 and notes[0].severity == "info"
    name = "GCJ-02 (AMap, DataV, Tencent)" if datum == "gcj02" else "BD-09 (Baidu)"
    assert notes[0].what.startswith(
        f"coordinates in {name}: the 90 counties compared with the embedded ones sit a median "
    )
    shift = float(notes[0].what.split("a median ")[1].split(" m off")[0])
    assert off[0] < shift < off[1]
    assert (
        notes[0].what.endswith("converted to WGS84.")
        and notes[0].fix == "pass `datum='wgs84'` to keep the coordinates as they are."
    )
    # the counties land back on the embedded ones: every vertex within a millimetre
    ref = boundaries.set_index("code").geometry[r.counties["code"]].values
    a, b = shapely.get_coordinates(r.counties.geometry.values), shapely.get_coordinates(ref)
    assert a.shape == b.shape and np.abs(a - b).max() < 1e-8


def test_a_few_counties_are_reported_with_the_fix(boundaries, tmp_path):
    path = datav_geojson(boundaries, tmp_path / "two.json", "gcj02", ["331127", "331126"])
    r = read_boundaries(path)
    (w,) = [p for p in r.problems if p.where == "datum"]
    assert w.severity == "warning" and w.what.startswith("the file may be in GCJ-02 (AMap, DataV, Tencent)")
    assert "Not converted: too few counties to be sure." in w.what and w.fix.startswith("pass `datum='gcj02'`")
    fixed = read_boundaries(path, datum="gcj02")
    assert [p.what for p in fixed.problems if p.where == "datum"] == [
        "converted from GCJ-02 (AMap, DataV, Tencent) to WGS84."
    ]


def test_the_wrong_datum_given_is_said(datav):
    r = read_boundaries(datav["bd09"], datum="gcj02")
    w = [p for p in r.problems if p.severity == "warning" and p.where == "datum"]
    assert w and w[0].what.startswith("`datum='gcj02'` was given, but the file looks like BD-09 (Baidu)")
    assert w[0].fix == "pass `datum='bd09'`, or leave out `datum` to let it be detected."


def test_wgs84_files_say_nothing(boundaries, tmp_path):
    boundaries.to_file(tmp_path / "wgs.gpkg")
    assert not [p for p in read_boundaries(tmp_path / "wgs.gpkg").problems if p.where == "datum"]


def test_cli_map_from_a_baidu_file(datav, tmp_path):
    from .conftest import run_cli

    r = run_cli("map", "overview", "--boundaries", datav["bd09"], "-o", tmp_path / "o.png", "--size", "half")
    assert r.returncode == 0, r.stderr
    assert "note:" in r.stderr and "coordinates in BD-09 (Baidu)" in r.stderr
