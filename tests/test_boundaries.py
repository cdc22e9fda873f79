"""Boundary files: the embedded layer, and user files in the forms planners hold."""

import pytest
import shapely
from shapely.geometry import Polygon

from geo import CRSError, DataSourceError
from geo.boundaries import read_boundaries

from .conftest import LAYERS

EQUAL_AREA = "+proj=aea +lat_0=29 +lon_0=120 +lat_1=27.5 +lat_2=30.5 +ellps=GRS80 +units=m +no_defs"


def test_embedded_layer(boundaries):
    assert len(boundaries) == 90 and boundaries.crs.to_epsg() == 4326
    assert boundaries["code"].is_unique
    assert shapely.is_valid(boundaries.geometry.values).all()
    assert shapely.coverage_is_valid(boundaries.geometry.values)
    area = boundaries.to_crs(EQUAL_AREA).area.sum() / 1e6
    assert abs(area / 105_500 - 1) < 0.02
    assert shapely.get_num_coordinates(boundaries.geometry.values).sum() > 100_000  # full resolution


def test_embedded_has_no_gaps(boundaries):
    # the union of the 90 has no hole smaller than 1 km² (a sliver between neighbours)
    union = shapely.union_all(boundaries.to_crs(EQUAL_AREA).geometry.values)
    holes = [Polygon(r) for p in getattr(union, "geoms", [union]) for r in p.interiors]
    assert not [h for h in holes if h.area < 1e6]


def test_read_embedded_clean():
    r = read_boundaries()
    assert r.errors == [] and len(r.counties) == 90


def subset(boundaries, n=5):
    return boundaries[boundaries["code"].isin(["331127", "331126", "331181", "331125", "331102"][:n])].copy()


def test_geojson_and_projected(tmp_path, boundaries):
    g = subset(boundaries)
    g.to_crs("EPSG:4549").to_file(tmp_path / "gk.gpkg", layer="xian")
    r = read_boundaries(tmp_path / "gk.gpkg", layer="xian")
    assert r.errors == [] and r.crs == "EPSG:4549"
    assert abs(r.counties.to_crs(EQUAL_AREA).area.sum() / g.to_crs(EQUAL_AREA).area.sum() - 1) < 1e-6


def test_no_crs_names_the_option(tmp_path, boundaries):
    g = subset(boundaries).to_crs("EPSG:4549")
    g = g.set_crs(None, allow_override=True)
    g.to_file(tmp_path / "nocrs.shp", encoding="utf-8")
    with pytest.raises(CRSError, match=r"`crs='EPSG:4549'`"):
        read_boundaries(tmp_path / "nocrs.shp")
    r = read_boundaries(tmp_path / "nocrs.shp", crs="EPSG:4549")
    assert r.errors == [] and len(r.counties) == 5


def test_metres_declared_as_degrees(tmp_path, boundaries):
    g = subset(boundaries).to_crs("EPSG:4549").set_crs("EPSG:4326", allow_override=True)
    g.to_file(tmp_path / "bad.geojson")
    with pytest.raises(CRSError, match="look like metres"):
        read_boundaries(tmp_path / "bad.geojson")


def test_gbk_shapefile_without_cpg(tmp_path, boundaries):
    g = subset(boundaries)[["code", "name", "geometry"]].rename(columns={"name": "县名"}).drop(columns="code")
    g.to_file(tmp_path / "gbk.shp", encoding="gbk")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    r = read_boundaries(tmp_path / "gbk.shp")
    assert r.encoding == "gb18030" and r.errors == []
    assert set(r.counties["name"]) == set(subset(boundaries)["name"])
    assert any("no .cpg" in p.what for p in r.problems)


def test_big5_shapefile_in_traditional_characters(tmp_path, boundaries):
    # a colleague's Big5 Shapefile, no .cpg, header and names in traditional characters
    import opencc

    s2t = opencc.OpenCC("s2t")
    g = boundaries[["name", "geometry"]].copy()
    g["name"] = [s2t.convert(n).replace("畲族自治", "") for n in g["name"]]  # Big5 has no 畲: 景寧縣
    g = g.rename(columns={"name": "縣名"})
    g.to_file(tmp_path / "big5.shp", encoding="big5")
    (tmp_path / "big5.cpg").unlink(missing_ok=True)
    r = read_boundaries(tmp_path / "big5.shp")
    assert r.encoding == "big5" and r.errors == []
    assert len(r.counties) == 90 and set(r.counties["name"]) == set(boundaries["name"])
    notes = [p.what for p in r.problems if p.severity == "info"]
    assert "names in traditional characters are matched by their simplified form (上城區 → 上城区)." in notes


def test_name_column_found_by_its_values(tmp_path, boundaries):
    g = subset(boundaries)[["name", "geometry"]].rename(columns={"name": "XZQ_MINGCHENG"})
    g["备注"] = "乡镇合并后"
    g.to_file(tmp_path / "odd.gpkg")
    r = read_boundaries(tmp_path / "odd.gpkg")
    assert r.errors == [] and set(r.counties["name"]) == set(subset(boundaries)["name"])
    assert any("read from column 'XZQ_MINGCHENG'" in p.what for p in r.problems)
    g[["备注", "geometry"]].to_file(tmp_path / "none.gpkg")  # no column of names at all: still refused
    with pytest.raises(DataSourceError, match="found no county code or name column among 备注"):
        read_boundaries(tmp_path / "none.gpkg")


def test_bowtie_repaired_duplicate_and_misspelt(tmp_path, boundaries):
    g = subset(boundaries, 3)[["name", "geometry"]].reset_index(drop=True)
    x0, y0, x1, y1 = g.geometry.iloc[0].bounds
    g.loc[0, "geometry"] = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # bow-tie
    g.loc[len(g)] = [g.loc[1, "name"], g.loc[1, "geometry"]]  # duplicate county
    g.loc[len(g)] = ["景宇县", g.loc[2, "geometry"]]  # misspelt
    g.to_file(tmp_path / "messy.gpkg")
    r = read_boundaries(tmp_path / "messy.gpkg")
    kinds = sorted((p.severity, p.what.split(" ")[0]) for p in r.problems if p.severity in ("error", "repair"))
    assert kinds == [("error", "does"), ("error", "duplicate"), ("repair", "invalid")]
    assert all(shapely.is_valid(r.counties.geometry.values))


def test_missing_edition_counties_are_listed(tmp_path, boundaries):
    subset(boundaries).to_file(tmp_path / "five.geojson")
    r = read_boundaries(tmp_path / "five.geojson")
    [w] = [p for p in r.problems if p.severity == "warning"]
    assert "the file holds 5 of Zhejiang's 90 county-level units: 丽水市 (5 of 9)" in w.what
    assert "21 of the 26 counties of edition 2021" in w.what and "淳安县" in w.what and "as context" in w.what
    # the other 85 units come from the embedded boundaries, none of the file's among them
    assert len(r.context) == 85 and not set(r.context["code"]) & set(r.counties["code"])


def test_unreadable_files(tmp_path):
    (tmp_path / "empty.gpkg").write_bytes(b"")
    with pytest.raises(DataSourceError, match="empty"):
        read_boundaries(tmp_path / "empty.gpkg")
    data = (LAYERS / "boundaries.gpkg").read_bytes()
    (tmp_path / "cut.gpkg").write_bytes(data[: len(data) // 3])
    with pytest.raises(DataSourceError, match=r"not a readable GeoPackage .*Fix: check that the file was copied whole"):
        read_boundaries(tmp_path / "cut.gpkg")
    with pytest.raises(DataSourceError, match="no such file"):
        read_boundaries(tmp_path / "nope.shp")


def test_gcj02_datum(tmp_path, boundaries):
    from geo.datum import to_gcj02

    g = subset(boundaries, 1)
    shifted = g.set_geometry(to_gcj02(g.geometry.values), crs="EPSG:4326")
    shifted.to_file(tmp_path / "amap.geojson")
    r = read_boundaries(tmp_path / "amap.geojson", datum="gcj02")
    assert shapely.equals_exact(r.counties.geometry.iloc[0], g.geometry.iloc[0], tolerance=1e-7)
