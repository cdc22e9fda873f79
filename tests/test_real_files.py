"""Real files in: every boundary file and table a planner may hold gives a map or a refusal
that names the file, the cause and the fix. The files are built by :mod:`tests.hostile` from
the embedded layers; the commands run in-process (``geo.commands.main``)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geo
from geo.boundaries import read_boundaries
from geo.commands import main
from geo.errors import DataSourceError, GeoError
from geo.themes import build_theme, text, view_extent

from . import hostile
from .conftest import LAYERS, write_csv


def shanhai(capsys, *args) -> tuple[int, str, str]:
    """``shanhai ARGS`` in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    rc = main([str(a) for a in args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def errors(result):
    return [p for p in result.problems if p.severity == "error"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("real-files")


@pytest.fixture(scope="module")
def city_map(boundaries, folder):
    """丽水市 as a web chart has it (GCJ-02, quantised, crossing ring, not edge to edge)."""
    return hostile.datav_geojson(hostile.web_chart_frame(boundaries), folder / "lishui.json")


# ---------------------------------------------------------------------------------------
# a city's web-chart map
# ---------------------------------------------------------------------------------------


def test_city_map_is_read_repaired_converted_and_its_coverage_named(city_map):
    r = read_boundaries(city_map)
    assert not errors(r)
    kinds = {(p.severity, p.where) for p in r.problems}
    assert ("repair", "feature 1 (莲都区)") in kinds  # the crossing ring, made valid
    [datum] = [p for p in r.problems if p.where == "datum"]
    assert "GCJ-02" in datum.what and "converted to WGS84" in datum.what
    [cover] = [p for p in r.problems if p.severity == "warning" and p.where == "file"]
    assert "9 of Zhejiang's 90 county-level units: 丽水市 (all 9)" in cover.what
    assert "17 of the 26 counties of edition 2021" in cover.what and "`scope='file'`" in cover.fix
    assert shapely.is_valid(r.counties.geometry.values).all()
    assert set(r.counties.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    # the rest of the province, from the embedded layer, as context
    assert len(r.context) == 81 and not set(r.context["code"]).intersection(r.counties["code"])


def test_city_map_draws_the_province_with_the_file_in_front(city_map):
    atlas = geo.load_atlas(boundaries=city_map)
    c = atlas.counties
    assert len(c) == 90 and (c["boundary"] == "file").sum() == 9
    assert set(c.loc[c["boundary"] == "file", "code"]) == set(c.loc[c["city_code"] == "3311", "code"])
    assert len(atlas.links) == 34  # links reach partners outside the file
    th = build_theme(atlas, "pairing", "zh", detail=False)
    veil = [ly for ly in th.layers if ly.name == text("context_boundary", "zh")]
    assert len(veil) == 1 and len(veil[0].data) == 81
    assert "9个县级单位的县界来自使用者提供的边界文件" in th.source and "其余81个" in th.source
    en = build_theme(atlas, "overview", "en", detail=False)
    assert "boundaries of 9 county-level units from the user's boundary file" in en.source


def test_scope_file_cuts_the_map_to_the_file(city_map, capsys, folder):
    atlas = geo.load_atlas(boundaries=city_map)
    whole = view_extent(atlas)
    cut = view_extent(atlas, "file")
    lishui = atlas.counties[atlas.counties["city_code"] == "3311"].total_bounds
    assert np.allclose(cut, lishui) and (cut[2] - cut[0]) < 0.5 * (whole[2] - whole[0])
    fig = geo.render_static(atlas, "overview", scope="file")
    ax = fig.axes[0]
    width_m = ax.get_xlim()[1] - ax.get_xlim()[0]
    assert width_m < 250_000  # 丽水市 is about 170 km wide; the province 450 km
    rc, _, err = shanhai(capsys, "map", "overview", "--scope", "file", "--format", "png", "-o", folder / "x.png")
    assert rc == 2 and "--scope file needs --boundaries" in err


@pytest.mark.parametrize("theme", ["overview", "pairing", "status", "change"])
def test_city_map_gives_every_map(city_map, folder, capsys, theme):
    # every theme as a PNG (at a draft dpi: what is tested is that it is drawn), one as a page
    for fmt in ("png", "html") if theme == "overview" else ("png",):
        out = folder / f"lishui-{theme}.{fmt}"
        rc, _, err = shanhai(capsys, "map", theme, "--boundaries", city_map, "--format", fmt, "--dpi", 72, "-o", out)
        assert rc == 0, err
        assert out.stat().st_size > 10_000 and "internal error" not in err
        assert "the file holds 9 of Zhejiang's 90" in err


@pytest.mark.parametrize("script", [False, True], ids=["compressed-json", "registerMap-js"])
def test_echarts_maps_are_decoded(boundaries, city_map, folder, script):
    frame = hostile.web_chart_frame(boundaries)
    path = hostile.echarts_json(frame, folder / ("lishui.js" if script else "lishui-echarts.json"), script=script)
    r = read_boundaries(path)
    plain = read_boundaries(city_map)
    assert not errors(r) and sorted(r.counties["code"]) == sorted(plain.counties["code"])
    assert any("web-chart map (ECharts)" in p.what for p in r.problems)
    # decoded to the same 1/1024° grid the plain GeoJSON holds
    a = r.counties.set_index("code").geometry
    b = plain.counties.set_index("code").geometry
    for code in a.index:
        assert abs(a[code].area - b[code].area) < 1e-6 * b[code].area + 1e-9


def test_a_script_that_is_not_a_map_is_named(folder):
    path = folder / "chart.js"
    path.write_text("var option = {series: [{type: 'bar'}]}; chart.setOption(option);", "utf-8")
    with pytest.raises(DataSourceError, match=r"chart\.js: a script, not a map file.*Fix: give the GeoJSON"):
        read_boundaries(path)


# ---------------------------------------------------------------------------------------
# geometry of every kind
# ---------------------------------------------------------------------------------------


def test_geometry_collection_county(boundaries, folder, capsys):
    path = hostile.collection_county(boundaries, folder / "gc.geojson")
    r = read_boundaries(path)
    [rep] = [p for p in r.problems if p.severity == "repair"]
    assert "景宁畲族自治县" in rep.where and "GeometryCollection" in rep.what and "Point" in rep.what
    jn = r.counties.set_index("code").geometry["331127"]
    assert jn.geom_type in ("Polygon", "MultiPolygon")
    rc, _, err = shanhai(capsys, "map", "pairing", "--boundaries", path, "--format", "png", "-o", folder / "gc.png")
    assert rc == 0, err


def test_hole_wound_like_its_shell_stays_a_hole(boundaries, folder):
    g = boundaries.copy()
    i = g.index[g["code"] == "331127"][0]
    outer = max(shapely.get_parts(g.geometry[i]), key=lambda p: p.area)
    hole = shapely.buffer(outer.representative_point(), 0.02, quad_segs=4)
    shell = np.array(outer.exterior.coords)
    inner = np.array(hole.exterior.coords)
    if shapely.is_ccw(shapely.LinearRing(shell)) != shapely.is_ccw(shapely.LinearRing(inner)):
        inner = inner[::-1]  # wound like the shell
    g.loc[i, "geometry"] = shapely.Polygon(shell, [inner])
    g.to_file(folder / "hole.gpkg")
    r = read_boundaries(folder / "hole.gpkg")
    [poly] = [p for p in shapely.get_parts(r.counties.set_index("code").geometry["331127"]) if p.interiors]
    assert shapely.get_num_interior_rings(poly) == 1
    assert shapely.is_ccw(poly.exterior) != shapely.is_ccw(poly.interiors[0])


def test_zipped_shapefile_in_a_folder_with_gbk_names(boundaries, folder, capsys):
    path = hostile.zipped_shapefile(hostile.city_counties(boundaries), folder)
    r = read_boundaries(path)
    assert not errors(r) and len(r.counties) == 9
    notes = " ".join(p.what for p in r.problems)
    assert "read 县界/县界.shp from the archive" in notes and "attributes read as gb18030" in notes
    assert set(r.counties["source_name"]) == set(hostile.city_counties(boundaries)["name"])
    rc, _, err = shanhai(capsys, "map", "overview", "--boundaries", path, "--format", "png", "-o", folder / "z.png")
    assert rc == 0, err


def test_zip_of_several_files_asks_for_layer(boundaries, folder):
    five = hostile.city_counties(boundaries)
    five.to_file(folder / "a.gpkg")
    five.to_file(folder / "b.geojson", driver="GeoJSON")
    path = folder / "two.zip"
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.write(folder / "a.gpkg", "县界/a.gpkg")
        z.write(folder / "b.geojson", "b.geojson")
        z.writestr("说明.txt", "边界")
    with pytest.raises(DataSourceError, match=r"holds 2 boundary files: 县界/a\.gpkg, b\.geojson.*`layer=\'a\'`"):
        read_boundaries(path)
    assert len(read_boundaries(path, layer="b").counties) == 9
    with zipfile.ZipFile(folder / "none.zip", "w") as z:
        z.writestr("说明.txt", "边界")
    with pytest.raises(DataSourceError, match=r"holds no boundary file \(说明\.txt\)"):
        read_boundaries(folder / "none.zip")


def test_kmz_keeps_its_datum_check(boundaries, folder):
    import zipfile

    from geo.datum import to_gcj02

    g = hostile.city_counties(boundaries)[["code", "name", "geometry"]]
    g = g.set_geometry(to_gcj02(g.geometry.values), crs="EPSG:4326")
    g.to_file(folder / "doc.kml", driver="KML")
    with zipfile.ZipFile(folder / "export.kmz", "w") as z:
        z.write(folder / "doc.kml", "doc.kml")
    r = read_boundaries(folder / "export.kmz")
    assert not errors(r) and len(r.counties) == 9
    assert any(p.where == "datum" and "GCJ-02" in p.what for p in r.problems)


def test_filegdb_folder_and_zipped(boundaries, folder):
    import zipfile

    g = hostile.city_counties(boundaries)[["code", "name", "geometry"]]
    gdb = folder / "县界.gdb"
    g.to_file(gdb, driver="OpenFileGDB", layer="county")
    assert len(read_boundaries(gdb).counties) == 9
    with zipfile.ZipFile(folder / "gdb.zip", "w") as z:
        for f in gdb.iterdir():
            z.write(f, f"县界.gdb/{f.name}")
    r = read_boundaries(folder / "gdb.zip")
    assert not errors(r) and len(r.counties) == 9
    assert any("read 县界.gdb from the archive" in p.what for p in r.problems)


def test_survey_detail_past_gdals_geojson_limit(boundaries, folder, monkeypatch):
    path = hostile.densified(boundaries, folder / "dense.geojson", vertices=60_000)
    monkeypatch.setenv("OGR_GEOJSON_MAX_OBJ_SIZE", "1")  # GDAL's limit, lowered to this file's size
    with pytest.raises(pyogrio.errors.DataSourceError, match="too complex/large"):
        pyogrio.read_dataframe(path)  # what a plain read says
    from geo.boundaries import repair

    monkeypatch.setattr(repair, "DETAIL_VERTICES", 20_000)
    r = read_boundaries(path)
    assert not errors(r)
    [note] = [p for p in r.problems if p.where == "detail"]
    assert "淳安县" in note.what and "Areas are measured on the full geometry" in note.what
    ca = r.counties.set_index("code")
    assert shapely.get_num_coordinates(ca.geometry["330127"]) < 20_000
    from geo.measures import area_km2

    full = area_km2(boundaries[boundaries["code"] == "330127"].geometry.values)[0]
    assert abs(ca["area_km2"]["330127"] - full) < 1e-6 * full
    atlas = geo.load_atlas(boundaries=path)
    from geo.census import builtin_indicator

    area = builtin_indicator(atlas, "area_km2").values
    assert abs(area["330127"] - full) < 1e-6 * full


# ---------------------------------------------------------------------------------------
# CRS
# ---------------------------------------------------------------------------------------


def test_xian_1980_is_converted_with_a_word_on_accuracy(boundaries, folder):
    g = hostile.city_counties(boundaries)[["code", "name", "geometry"]].to_crs("EPSG:2385")
    g.to_file(folder / "xian80.shp", encoding="utf-8")
    r = read_boundaries(folder / "xian80.shp")
    [w] = [p for p in r.problems if p.where == "crs"]
    assert w.severity == "warning" and "Xian 1980" in w.what and "of the order of 100 m" in w.what
    assert "+towgs84" in w.fix and "pipeline" in w.fix
    # with the parameters (any: these are made up for the test), no warning
    tm = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +a=6378140 +rf=298.257 +units=m"
    r = read_boundaries(folder / "xian80.shp", crs=tm + " +towgs84=24,-123,-94,0,0,0,0")
    assert not [p for p in r.problems if p.where == "crs" and "ballpark" in p.what]
    # a PROJ pipeline to WGS84 lon/lat
    pipe = f"+proj=pipeline +step +inv {tm} +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    r = read_boundaries(folder / "xian80.shp", crs=pipe)
    assert not errors(r) and any("PROJ pipeline" in p.what for p in r.problems)


def test_a_crs_proj_does_not_know_is_named(boundaries, folder):
    g = hostile.city_counties(boundaries)[["code", "name", "geometry"]]
    g.set_crs(None, allow_override=True).to_file(folder / "nocrs.geojson", driver="GeoJSON")
    with pytest.raises(GeoError, match=r"`crs='EPSG:99999'` is not a CRS PROJ knows"):
        read_boundaries(folder / "nocrs.geojson", crs="EPSG:99999")


# ---------------------------------------------------------------------------------------
# the cache of simplified shapes
# ---------------------------------------------------------------------------------------


def test_a_corrected_file_never_brings_back_the_old_shapes(boundaries, tmp_path, monkeypatch):
    from geo import geometry

    monkeypatch.setenv("SHANHAI_CACHE", str(tmp_path))
    geoms = boundaries.geometry.values.copy()
    first = geometry.simplify_polygons(geoms, 0.003)
    # one interior county moved by 100 m: same count, bounds and vertex count
    j = int(np.argmin([abs(g.centroid.x - 120.0) + abs(g.centroid.y - 29.0) for g in geoms]))
    moved = geoms.copy()
    moved[j] = shapely.transform(geoms[j], lambda xy: xy + np.array([0.001, 0.0]))
    assert tuple(shapely.total_bounds(moved)) == tuple(shapely.total_bounds(geoms))
    again = geometry.simplify_polygons(moved, 0.003)
    assert not shapely.equals_exact(again[j], first[j], 0)
    geometry._SIMPLIFIED.clear()  # a new process: from disk
    assert shapely.equals_exact(geometry.simplify_polygons(moved, 0.003)[j], again[j], 0)
    files = list(tmp_path.glob("simplified-*.npz"))
    assert len(files) == 2
    with np.load(files[0], allow_pickle=False) as z:  # plain arrays: nothing in the cache can run code
        assert set(z.files) == {"wkb", "ends"} and z["wkb"].dtype == np.uint8


# ---------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------


def test_oversize_workbooks_are_refused_before_parsing(folder, monkeypatch):
    from geo.tables import read_pairings

    over = hostile.inflating_xlsx(folder / "rows.xlsx", rows=5, declared=1_200_000)
    with pytest.raises(DataSourceError, match=r"declares 1,200,000 rows, more than Excel allows.*Fix: export"):
        read_pairings(over)
    big = hostile.inflating_xlsx(folder / "big.xlsx", rows=5, filler=3_000_000)
    assert big.stat().st_size < 100_000  # a few KB on disk, 3 MB of XML
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "2")
    with pytest.raises(DataSourceError, match=r"inflate to 3 MB of XML.*limit of 2 MB.*SHANHAI_WORKBOOK_MB"):
        read_pairings(big)
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "200")
    bomb = hostile.inflating_xlsx(folder / "bomb.xlsx", rows=5, filler=20_000_000)
    with pytest.raises(DataSourceError, match=r"sheet1\.xml inflates \d[\d,]* times"):
        read_pairings(bomb)


def test_entity_expansion_is_refused(folder):
    """A sheet that defines XML entities that expand (billion laughs) is refused, not expanded."""
    import zipfile

    src = hostile.inflating_xlsx(folder / "plain.xlsx", rows=3)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>山区县</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(folder / "laughs.xlsx", "w") as zout:
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/worksheets/sheet1.xml", laughs)
    from geo.tables import read_pairings

    with pytest.raises(DataSourceError, match=r"laughs\.xlsx: .*defines entities or a DTD.*refused, not expanded"):
        read_pairings(folder / "laughs.xlsx")
    from geo.read import read_grid

    with pytest.raises(DataSourceError, match=r"refused, not expanded"):
        read_grid(folder / "laughs.xlsx")


def test_a_hundred_thousand_rows_are_checked_and_summed_up(folder, capsys):
    # the same file as the benchmark's (benchmarks/run.py: a million rows, timed there, with
    # its memory), a tenth as long: what is checked here is the summing up, not the speed
    pairings = pd.read_csv(LAYERS / "pairings.csv", dtype=str, keep_default_na=False)
    path = hostile.million_rows(pairings, folder / "rows.csv", rows=100_000)
    rc, out, _ = shanhai(capsys, "check", path)
    lines = out.splitlines()
    assert rc == 1 and len(lines) <= 200
    assert "… and" in out and "more like these" in out
    dup = [ln for ln in lines if "duplicate pairing" in ln]
    assert dup and all(re.search(r"rows \d+, \d+, \d+, \d+, \d+ and [\d,]+ more", ln) for ln in dup)
    unknown = [ln for ln in lines if "不存在县" in ln]
    assert 0 < len(unknown) <= 20


def test_csv_row_numbers_count_blank_lines(tmp_path):
    from geo.tables import read_pairings

    path = tmp_path / "blank.csv"
    path.write_text(
        "mountain_county,partner,since,source\n景宁,海盐,2016,https://www.gov.cn/a\n\n\n不存在县,海盐,2016,https://www.gov.cn/a\n",
        "utf-8",
    )
    r = read_pairings(path)
    [e] = [p for p in r.problems if p.severity == "error"]
    assert e.where == "row 5"  # header 1, 景宁 2, blank 3 and 4


def test_a_year_month_typed_as_a_number_is_refused(tmp_path):
    import openpyxl

    from geo.tables import read_pairings

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["山区县", "结对县", "结对年份", "来源"])
    ws.append(["景宁", "海盐", 2021.1, "https://www.gov.cn/a"])  # typed 2021.10: Excel keeps 2021.1
    ws.append(["庆元", "嘉善", "2021.10", "https://www.gov.cn/b"])  # text: October
    ws.append(["龙泉", "秀洲", 2021.2, "https://www.gov.cn/c"])  # 2021.20 is no month: February
    wb.save(tmp_path / "months.xlsx")
    r = read_pairings(tmp_path / "months.xlsx")
    [e] = [p for p in r.problems if p.severity == "error"]
    assert e.where == "row 2" and e.column == "since" and "October and January cannot be told apart" in e.what
    since = dict(zip(r.table["mountain_county"], r.table["since"], strict=True))
    assert since["庆元县"] == "2021-10" and since["龙泉市"] == "2021-02"


def test_column_matches_a_merged_heading_without_its_unit(tmp_path, registry):
    import openpyxl

    from geo.read import read_sheet

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["B2"], ws["C2"] = "地区", "人均地区生产总值", "（元）", "增长（%）"
    ws.merge_cells("B1:C1")
    ws.merge_cells("A1:A2")
    for i, name in enumerate(["淳安县", "景宁畲族自治县", "龙泉市"]):
        ws.append([name, 50_000 + i, 6.5])
    wb.save(tmp_path / "yb.xlsx")
    sheet = read_sheet(tmp_path / "yb.xlsx", registry)
    for wanted in ("人均地区生产总值", "人均地区生产总值（元）", "人均地区生产总值(元)"):
        col = sheet.column(wanted)
        assert col.index == 1 and col.unit == "元"
    assert sheet.column("增长").unit == "%"


def test_check_json_keeps_every_problem(tmp_path, capsys):
    rows = [[f"不存在县{i}", "海盐", "2016", "https://www.gov.cn/a"] for i in range(30)]
    path = write_csv(tmp_path / "bad.csv", ["mountain_county", "partner", "since", "source"], rows)
    rc, out, _ = shanhai(capsys, "check", path, "--format", "json")
    data = json.loads(out)
    assert rc == 1 and data["summary"]["error"] == 30 and len(data["problems"]) == 31
    rc, out, _ = shanhai(capsys, "check", path)
    assert len([ln for ln in out.splitlines() if ln.startswith("error")]) == 21  # 20, then the count
