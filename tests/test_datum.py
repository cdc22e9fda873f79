"""GCJ-02 conversion, checked against independent implementations."""

import math

import eviltransform
import numpy as np
import prcoords
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.datum import gcj02_to_wgs84, to_gcj02, to_wgs84, wgs84_to_gcj02

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
