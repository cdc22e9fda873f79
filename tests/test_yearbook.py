"""Statistical-yearbook sheets as analysts copy them: title rows, a header block of merged
cells with a row of units and a row of English headings, 全省 / city / 市辖区 / subtotal rows,
counties indented with full-width spaces, footnotes; in XLSX, XLS and their CSV export.

The sheet is built from the embedded layers: 2020 census population and the boundaries' area
are real; the 地区生产总值 columns are synthetic numbers (population density × 37, not a fact),
there only to be read back."""

import csv

import pytest

import geo
from geo.errors import DataLayerError, DataSourceError
from geo.indicators import EQUAL_AREA, load_indicator

from .conftest import LAYERS, run_cli

TITLE = "表3-12  各县（市、区）人口与经济（2020年）"
HEADER = [
    ["地区", "人口", "", "地区生产总值", "", "土地面积"],
    ["", "年末常住人口", "人口密度", "总量", "人均", ""],
    ["", "万人", "人/平方公里", "亿元", "元", "平方公里"],
    ["Region", "Population", "Density", "GDP", "GDP per capita", "Land area"],
]
#: merged ranges (first row, first column, last row, last column), 0-based: the title, 地区
#: over the header block, the two groups, 土地面积 over two rows
MERGES = [(0, 0, 0, 5), (2, 0, 4, 0), (2, 1, 2, 2), (2, 3, 2, 4), (2, 5, 3, 5)]
FOOTNOTES = ["注：1. 人口为第七次全国人口普查数据。", "\u3000\u30002. ①龙港市2019年由苍南县龙港镇改设。"]


def _layers():
    import geopandas as gpd

    counties = list(csv.DictReader(open(LAYERS / "counties.csv", encoding="utf-8")))
    for c in counties:  # a provincial yearbook of 2020 units has no row for the six districts redrawn in 2021
        if "hangzhou" in c["population_source"]:
            c["population_2020"] = ""
    cities = list(csv.DictReader(open(LAYERS / "cities.csv", encoding="utf-8")))
    b = gpd.read_file(LAYERS / "boundaries.gpkg").to_crs(EQUAL_AREA)
    return counties, cities, dict(zip(b["code"], b.area / 1e6, strict=True))


def yearbook_rows():
    """The sheet's cells, row by row, as a yearbook prints them."""
    counties, cities, area = _layers()
    known = [int(c["population_2020"]) for c in counties if c["population_2020"]]
    rows = [[TITLE, "", "", "", "", ""], ["", "", "", "", "", "单位：见各列"], *HEADER]
    rows.append(["全\u3000省", f"{sum(known) / 1e4:,.2f}", "", "", "", f"{sum(area.values()):,.0f}"])
    for city in cities:
        cs = [c for c in counties if c["city_code"] == city["city_code"]]
        rows.append([city["city"], "", "", "", "", f"{sum(area[c['code']] for c in cs):,.0f}"])
        if any(c["kind"] == "区" for c in cs):
            rows.append(["\u3000市辖区", "", "", "", "", ""])
        for c in cs:
            pop, a = (int(c["population_2020"]) if c["population_2020"] else None), area[c["code"]]
            mark = "①" if c["code"] == "330383" else ""
            rows.append(
                [
                    "\u3000\u3000" + c["name"] + mark,
                    f"{pop / 1e4:.2f}" if pop else "…",  # numbers typed as text
                    f"{pop / a:,.1f}" if pop else "…",
                    "",
                    f"{round(pop / a * 37):,}" if pop else "—",
                    f"{a:.1f}",
                ]
            )
        rows.append([f"\u3000{city['city']}小计", "", "", "", "", ""])
    rows.append(["#山区26县", "", "", "", "", ""])
    rows += [[f, "", "", "", "", ""] for f in FOOTNOTES]
    return rows


def write_yearbook(path):
    """The sheet as .xlsx or .xls (merged cells) or .csv (Excel's export: merged cells blank)."""
    rows = yearbook_rows()
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "表3-12"
        for r in rows:
            ws.append([v if v != "" else None for v in r])
        for r0, c0, r1, c1 in MERGES:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        wb.save(path)
    elif path.suffix == ".xls":
        import xlwt

        wb = xlwt.Workbook()
        ws = wb.add_sheet("表3-12")
        covered = set()
        for r0, c0, r1, c1 in MERGES:
            ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if (i, j) not in covered and v != "":
                    ws.write(i, j, v)
        wb.save(str(path))
    else:
        with open(path, "w", encoding="gb18030", newline="") as f:
            csv.writer(f).writerows(rows)
    return path


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    d = tmp_path_factory.mktemp("yearbook")
    return {s: write_yearbook(d / f"统计年鉴{s}") for s in (".xlsx", ".xls", ".csv")}


@pytest.fixture(scope="module")
def expected():
    counties, _, area = _layers()
    return {c["code"]: (int(c["population_2020"]), area[c["code"]]) for c in counties if c["population_2020"]}


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_yearbook_column_read_as_the_yearbook_names_it(atlas, sheets, expected, suffix):
    ind = load_indicator(atlas, "人均地区生产总值", sheets[suffix])
    assert (ind.label, ind.unit, ind.column) == ("人均地区生产总值", "元", "地区生产总值·人均")
    # the 84 counties with a population, no total, city or subtotal among them; the six
    # Hangzhou districts without one are blank (—), not an error
    assert len(ind.values) == 90 and int(ind.values.notna().sum()) == 84
    for code, (pop, a) in expected.items():
        assert ind.values[code] == round(pop / a * 37)
    assert ind.values["330383"] == round(expected["330383"][0] / expected["330383"][1] * 37)  # 龙港市①


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_yearbook_notes_say_what_was_set_aside(atlas, sheets, suffix):
    ind = load_indicator(atlas, "年末常住人口", sheets[suffix])
    notes = {p.where: p.what for p in ind.problems if p.severity == "info"}
    assert notes["header"].startswith("header rows 3–6 (2 title row(s) above; column names joined")
    assert "the row of units folded into each column's unit" in notes["header"]
    aside = notes["rows"]
    # 全省, 11 cities, their 11 市辖区 rows and 11 subtotals, and the 26-county subtotal
    assert aside.startswith("35 row(s) that are not county-level units set aside: province total 全省 (row 7)")
    assert "cities 杭州市, 宁波市, 温州市" in aside and "市辖区/市区 rows 市辖区" in aside
    assert "subtotals 杭州市小计, 宁波市小计" in aside and ", 山区26县 (rows 23, 36" in aside
    foot = [p for p in ind.problems if p.what.startswith("footnotes from row")]
    assert len(foot) == 1 and "注：1. 人口为第七次全国人口普查数据" in foot[0].what
    assert not [p for p in ind.problems if p.severity == "warning"]
    if suffix == ".csv":
        assert "read as GB18030, delimiter comma." in [p.what for p in ind.problems]


@pytest.mark.parametrize(
    "asked, label, unit",
    [
        ("人均地区生产总值（元）", "人均地区生产总值", "元"),  # with the unit
        ("地区生产总值·人均", "人均地区生产总值", "元"),  # as the error message lists it
        ("GDP per capita", "人均地区生产总值", "元"),  # the English heading
        ("年末常住人口", "年末常住人口", "万人"),  # a sub-heading under 人口
        ("人口密度", "人口密度", "人/平方公里"),
        ("土地面积（平方公里）", "土地面积", "平方公里"),  # merged over two header rows
    ],
)
def test_yearbook_column_names(atlas, sheets, asked, label, unit):
    ind = load_indicator(atlas, asked, sheets[".xlsx"])
    assert (ind.label, ind.unit) == (label, unit)


def test_yearbook_values_are_the_layers(atlas, sheets, expected):
    pop = load_indicator(atlas, "年末常住人口", sheets[".xls"])
    area = load_indicator(atlas, "土地面积", sheets[".csv"])
    assert pop.values["331127"] == round(expected["331127"][0] / 1e4, 2)  # 景宁, typed as text
    assert area.values["331127"] == round(expected["331127"][1], 1)
    assert int(area.values.notna().sum()) == 90


def test_unknown_column_lists_the_yearbook_names(atlas, sheets):
    with pytest.raises(DataSourceError) as exc:
        load_indicator(atlas, "人均GDP", sheets[".xlsx"])
    msg = str(exc.value)
    assert "no column '人均GDP'" in msg and "Unnamed" not in msg
    assert "地区生产总值·人均（元）" in msg and "人口·年末常住人口（万人）" in msg


def test_a_county_that_is_not_one_still_names_the_row(atlas, tmp_path):
    rows = yearbook_rows()
    rows[12][0] = "\u3000\u3000西糊区"
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(DataLayerError) as exc:
        load_indicator(atlas, "人均地区生产总值", path)
    assert "row 13, column 地区生产总值·人均: '西糊区' is not a Zhejiang county-level unit (did you mean 西湖区" in str(
        exc.value
    )


def test_cli_maps_a_yearbook_sheet(sheets, tmp_path):
    out = tmp_path / "gdp.png"
    r = run_cli("map", "indicator", "--data", sheets[".xlsx"], "--column", "人均地区生产总值", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 50_000
    assert "row(s) that are not county-level units set aside" in r.stderr
    assert "Traceback" not in r.stderr


def test_plain_tables_are_read_as_before(atlas, tmp_path):
    path = tmp_path / "plain.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["县", "人均GDP（元）"], ["景宁", "1,234.5"], ["330127", "12.3万"]])
    ind = geo.load_indicator(atlas, "人均GDP", path)
    assert ind.values.to_dict() == {"330127": 123000.0, "331127": 1234.5}
    assert not [p for p in ind.problems if p.severity == "info"]  # nothing to say about a plain table
