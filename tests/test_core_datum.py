"""geo.datum: the forward formulas against an independent implementation (prcoords), the
inverses to 1e-9°, the iteration's limits, and detect_datum's numbers."""

from __future__ import annotations

import numpy as np
import prcoords
import pytest
import shapely

from geo.datum import (
    DATUMS,
    DatumFit,
    bd09_to_gcj02,
    bd09_to_wgs84,
    detect_datum,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_gcj02,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

#: Zhejiang's corners and middle, and two places far from it (the formula's terms all matter)
PLACES = [(120.15, 30.28), (119.6, 27.99), (122.3, 29.9), (118.5, 28.5), (104.5, 34.2), (87.6, 43.8)]


@pytest.mark.parametrize("lon, lat", PLACES)
def test_forward_formulas_match_prcoords(lon, lat):
    glon, glat = wgs84_to_gcj02(lon, lat)
    ref = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    assert float(glon) == pytest.approx(ref.lon, abs=1e-11)
    assert float(glat) == pytest.approx(ref.lat, abs=1e-11)
    blon, blat = gcj02_to_bd09(glon, glat)
    bref = prcoords.gcj_bd(prcoords.Coords(float(glat), float(glon)))
    assert float(blon) == pytest.approx(bref.lon, abs=1e-11)
    assert float(blat) == pytest.approx(bref.lat, abs=1e-11)
    assert np.allclose(wgs84_to_bd09(lon, lat), (blon, blat), rtol=0, atol=1e-12)


@pytest.mark.parametrize("lon, lat", PLACES)
def test_inverses_close_the_round_trip(lon, lat):
    g = wgs84_to_gcj02(lon, lat)
    assert np.allclose(gcj02_to_wgs84(*g), (lon, lat), rtol=0, atol=1e-9)
    b = gcj02_to_bd09(lon, lat)
    assert np.allclose(bd09_to_gcj02(*b), (lon, lat), rtol=0, atol=1e-9)
    assert np.allclose(bd09_to_wgs84(*wgs84_to_bd09(lon, lat)), (lon, lat), rtol=0, atol=1e-9)


def test_anything_numpy_reads_as_a_float():
    # coordinates as a spreadsheet or a CSV gives them: text, integers
    for f in (wgs84_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, bd09_to_gcj02):
        assert np.allclose(f("120.15", "30.28"), f(120.15, 30.28), rtol=0, atol=1e-12), f.__name__
        assert np.allclose(f(["120", "119"], ["30", "28"]), f([120.0, 119.0], [30.0, 28.0]), rtol=0, atol=1e-12)
    fit = detect_datum([["120.0", "30.001"]], [["120.0", "30.0"]])
    assert fit.shift == pytest.approx(110.574, rel=1e-6)


def test_inverses_of_arrays_and_of_nothing():
    lon, lat = np.array([120.15, 119.6, 122.3]), np.array([30.28, 27.99, 29.9])
    w = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(w[0] - lon).max() < 1e-9 and np.abs(w[1] - lat).max() < 1e-9
    for f in (gcj02_to_wgs84, bd09_to_gcj02, bd09_to_wgs84):
        out = f(np.array([]), np.array([]))
        assert [a.shape for a in out] == [(0,), (0,)]


def test_iteration_limits():
    g = wgs84_to_gcj02(120.15, 30.28)
    errors = [abs(float(gcj02_to_wgs84(*g, max_iter=n)[0]) - 120.15) for n in (0, 1, 2, 3)]
    assert 4e-3 < errors[0] < 5e-3  # no iteration: the GCJ-02 position itself
    assert 1e-5 < errors[1] < 2e-5
    assert 1e-8 < errors[2] < 1e-7
    assert errors[3] < 1e-9
    assert abs(float(gcj02_to_wgs84(*g, tol=1.0)[0]) - 120.15) == pytest.approx(errors[1])  # stops at once
    # the check is on the step just taken: below 1e-6 after the third, so three steps
    assert abs(float(gcj02_to_wgs84(*g, tol=1e-6)[0]) - 120.15) == pytest.approx(errors[3])
    b = gcj02_to_bd09(120.15, 30.28)
    berrors = [abs(float(bd09_to_gcj02(*b, max_iter=n)[1]) - 30.28) for n in (0, 1, 2)]
    assert 2e-7 < berrors[0] < 5e-7  # the closed-form approximation alone
    assert 1e-9 < berrors[1] < 2e-9
    assert berrors[2] < 1e-10
    assert abs(float(bd09_to_gcj02(*b, tol=1.0)[1]) - 30.28) == pytest.approx(berrors[1])
    assert abs(float(bd09_to_gcj02(*b, tol=1e-9)[1]) - 30.28) < 1e-10


def test_geometries_are_transformed_vertex_by_vertex():
    pts = np.array([shapely.Point(120.15, 30.28), shapely.LineString([(119.6, 27.99), (122.3, 29.9)])])
    g = to_gcj02(pts)
    assert shapely.get_coordinates(g[0]).tolist() == [list(map(float, wgs84_to_gcj02(120.15, 30.28)))]
    assert np.allclose(shapely.get_coordinates(from_wgs84(pts, "gcj02")), shapely.get_coordinates(g), atol=0)
    b = from_wgs84(pts, "bd09")
    assert np.allclose(shapely.get_coordinates(b)[1], wgs84_to_bd09(119.6, 27.99), atol=1e-12)
    for datum, there in (("gcj02", g), ("bd09", b)):
        back = to_wgs84(there, datum)
        assert np.abs(shapely.get_coordinates(back) - shapely.get_coordinates(pts)).max() < 1e-9
    assert np.allclose(shapely.get_coordinates(to_wgs84(g)), shapely.get_coordinates(pts), atol=1e-9)


REF = np.array([[120.15, 30.28], [119.6, 27.99], [122.3, 29.9], [118.5, 28.5], [120.7, 28.0]])


@pytest.mark.parametrize("datum", DATUMS)
def test_detect_datum_finds_the_shift(datum):
    pts = shapely.get_coordinates(from_wgs84(shapely.points(REF), datum)) if datum != "wgs84" else REF
    fit = detect_datum(pts, REF)
    assert fit.best == datum and fit.n == 5
    assert fit.residual[datum] < 0.01
    assert sorted(fit.residual) == sorted(DATUMS)
    low, high = {"wgs84": (0, 0), "gcj02": (450, 650), "bd09": (1000, 1400)}[datum]
    assert low <= fit.shift <= high
    assert fit.unambiguous is True and fit.suggestive is False


def test_detect_datum_in_metres():
    # 0.001° east at 30°N is 111.32 km·cos(30°)/1000 = 96.41 m; 0.001° north 110.57 m
    ref = np.array([[120.0, 30.0]] * 3)
    east = detect_datum(ref + np.array([0.001, 0]), ref)
    assert east.shift == pytest.approx(111.32 * np.cos(np.radians(30)), rel=1e-9)
    assert east.residual["wgs84"] == pytest.approx(east.shift, rel=1e-12)
    north = detect_datum(ref + np.array([0, 0.001]), ref)
    assert north.shift == pytest.approx(110.574, rel=1e-9)
    # the median: one far outlier does not move it
    spread = detect_datum(ref + np.array([[0, 0.001], [0, 0.002], [0, 0.05]]), ref)
    assert spread.shift == pytest.approx(221.148, rel=1e-9)
    assert spread.residual["wgs84"] == pytest.approx(221.148, rel=1e-9)
    assert detect_datum([120.0, 30.0, 120.0, 30.0], [[120.0, 30.0], [120.0, 30.0]]).n == 2  # reshaped to pairs


def test_detect_datum_of_nothing():
    fit = detect_datum(np.empty((0, 2)), np.empty((0, 2)))
    assert fit == DatumFit("wgs84", {"wgs84": float("inf"), "gcj02": float("inf"), "bd09": float("inf")}, 0.0, 0)
    assert fit.unambiguous is False


def test_datum_fit_rules():
    assert DatumFit("gcj02", {"wgs84": 500.0, "gcj02": 10.0, "bd09": 700.0}, 520.0, 3).unambiguous is True
    assert DatumFit("gcj02", {"wgs84": 500.0, "gcj02": 10.0, "bd09": 700.0}, 520.0, 2).unambiguous is False
    assert DatumFit("gcj02", {"wgs84": 500.0, "gcj02": 160.0, "bd09": 700.0}, 520.0, 9).unambiguous is False
    hazy = DatumFit("gcj02", {"wgs84": 500.0, "gcj02": 120.0, "bd09": 300.0}, 520.0, 9)
    assert hazy.unambiguous is False and hazy.suggestive is True
    assert DatumFit("gcj02", {"wgs84": 500.0, "gcj02": 120.0, "bd09": 300.0}, 150.0, 9).suggestive is False
