"""geo.read.sheet: a yearbook sheet (titles, a header block of names, units and English
headings, province/city/subtotal rows, footnotes) and a plain table, read cell by cell."""

from __future__ import annotations

import openpyxl
import pytest

from geo.errors import DataSourceError
from geo.read.sheet import SheetColumn, clean_label, name_key, read_sheet, split_unit
from geo.registry import get_registry

REG = get_registry()

YEARBOOK = """表1 主要指标,,,
单位：亿元,,,
地区,地区生产总值,,人口
,总量,人均,年末
,,(元),(万人)
Region,GDP,GDP per head,Population
全省,100,5,6
杭州市,50,6,7
　　淳　安,1.5,3,3
　　临安市①,2,4,5
丽水市辖区,3,4,5
山区26县,4,5,6
#景宁,1,1,1
宁波经济技术开发区,1,1,1
,,,
注：①含…,,,
龙泉,9,9,9
"""


def _write(tmp_path, text, name="a.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_yearbook_sheet(tmp_path):
    s = read_sheet(_write(tmp_path, YEARBOOK), REG)
    assert [(c.index, c.parts, c.unit, c.english) for c in s.columns] == [
        (1, ("地区生产总值", "总量"), "亿元", "GDP"),  # the unit of the title
        (2, ("地区生产总值", "人均"), "元", "GDP per head"),
        (3, ("人口", "年末"), "万人", "Population"),
    ]
    assert [c.label for c in s.columns] == ["地区生产总值", "人均地区生产总值", "年末人口"]
    assert [c.name for c in s.columns] == ["地区生产总值·总量", "地区生产总值·人均", "人口·年末"]
    assert (s.county_col, s.county_header, s.header_rows, s.sheet_name) == (0, "地区", [3, 4, 5, 6], "")
    assert [(r.row, r.label, r.cells) for r in s.rows] == [
        (9, "淳安", ["淳\u3000安", "1.5", "3", "3"]),
        (10, "临安市", ["临安市①", "2", "4", "5"]),  # a former name is a county row
        (13, "景宁", ["#景宁", "1", "1", "1"]),
    ]
    assert s.set_aside == [(7, "全省", "province"), (8, "杭州市", "city"), (11, "丽水市辖区", "district"),
                           (12, "山区26县", "subtotal"), (14, "宁波经济技术开发区", "zone")]  # fmt: skip
    assert [(n.severity, n.where, n.what) for n in s.notes] == [
        ("info", "header", "header rows 3–6 (2 title row(s) above; column names joined from the header cells above "
         "each column; the row of units folded into each column's unit; unit 亿元 from the title)."),
        ("info", "rows", "5 row(s) that are not county-level units set aside: province total 全省 (row 7); cities 杭州市 "
         "(row 8); 市辖区/市区 rows 丽水市辖区 (row 11); subtotals 山区26县 (row 12); functional zones (not county-level) "
         "宁波经济技术开发区 (row 14)."),
        ("info", "row 16", "footnotes from row 16 on ignored (注：①含……)."),
    ]  # fmt: skip
    assert all(n.file == str(tmp_path / "a.csv") for n in s.notes)


@pytest.mark.parametrize(
    "wanted, index",
    [
        ("人均地区生产总值", 2),
        ("人均地区生产总值（元）", 2),
        ("地区生产总值·人均", 2),
        ("GDP per head", 2),
        ("人均", 2),  # a sub-heading alone, when unique
        ("年末人口", 3),
        ("人口年末", 3),
        ("population", 3),
        ("地区生产总值", 1),
        ("总量", 1),
    ],
)
def test_a_column_by_any_of_its_names(tmp_path, wanted, index):
    assert read_sheet(_write(tmp_path, YEARBOOK), REG).column(wanted).index == index


def test_a_column_not_found_or_ambiguous(tmp_path):
    s = read_sheet(_write(tmp_path, YEARBOOK), REG)
    with pytest.raises(DataSourceError) as exc:
        s.column("税收")
    assert str(exc.value) == (
        f"{tmp_path / 'a.csv'}: no column '税收'. Fix: use one of 地区生产总值·总量（亿元）, 地区生产总值·人均（元）, "
        "人口·年末（万人） with `column` (as the sheet writes it, with or without the unit)."
    )
    s.columns.append(SheetColumn(9, ("人口", "人均"), ""))
    with pytest.raises(DataSourceError) as exc:
        s.column("人均")
    assert str(exc.value) == (
        f"{tmp_path / 'a.csv'}: `column='人均'` matches 2 columns: 地区生产总值·人均（元）, 人口·人均. Fix: name one in full."
    )
    s.columns = []
    with pytest.raises(DataSourceError, match=r"no column '人均'\. Fix: use one of \(none\) with `column`"):
        s.column("人均")


PLAIN = "县名,人均GDP（元）,人口,人口密度\n景宁,1000,11,5\n杭州市合计,1,1,1\n杭州市区,1,1,1\n全省合计,1,1,1\n衢州,1,1,1\n龙泉,2000,22,6\n"


def test_a_plain_table(tmp_path):
    s = read_sheet(_write(tmp_path, PLAIN), REG)
    assert [(c.index, c.parts, c.unit, c.english) for c in s.columns] == [
        (1, ("人均GDP",), "元", ""), (2, ("人口",), "", ""), (3, ("人口密度",), "", "")]  # fmt: skip
    assert (s.county_col, s.county_header, s.header_rows) == (0, "县名", [1])
    assert [r.label for r in s.rows] == ["景宁", "龙泉"]
    assert s.set_aside == [(3, "杭州市合计", "subtotal"), (4, "杭州市区", "district"), (5, "全省合计", "province"),
                           (6, "衢州", "city")]  # fmt: skip
    assert [n.what for n in s.notes] == [
        "4 row(s) that are not county-level units set aside: province total 全省合计 (row 5); cities 衢州 (row 6); "
        "市辖区/市区 rows 杭州市区 (row 4); subtotals 杭州市合计 (row 3)."
    ]
    assert s.column("人口").index == 2 and s.column("人口密度").index == 3 and s.column("人均GDP(元)").index == 1


def test_a_sheet_of_counties_in_a_later_column_with_codes(tmp_path):
    text = "序号,代码,名称,值\n1,331127,景宁,5\n2,331181,龙泉,6\n3,330100,杭州市,7\n"
    s = read_sheet(_write(tmp_path, text), REG)
    assert s.county_col == 1 and s.county_header == "代码"  # the leftmost of the columns naming most counties
    assert [c.parts for c in s.columns] == [("序号",), ("名称",), ("值",)]
    assert [r.label for r in s.rows] == ["331127", "331181"]
    assert s.set_aside == [(4, "330100", "city")]


def test_the_aside_note_counts_and_cuts(tmp_path):
    cities = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市"]
    text = "县名,值\n景宁,1\n" + "".join(f"{c},1\n" for c in cities) + "全省,1\n"
    s = read_sheet(_write(tmp_path, text), REG)
    assert s.notes[-1].what == (
        "8 row(s) that are not county-level units set aside: province total 全省 (row 10); cities "
        "杭州市, 宁波市, 温州市, 嘉兴市, 湖州市, 绍兴市, 金华市 (rows 3, 4, 5, 6, 7, 8 …)."
    )


def test_a_workbook_with_merged_headings(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表2"
    for r in (["2021年各县主要指标", None, None, None], ["地区", "人口", None, "面积"], [None, "户籍", "常住", "(km²)"],
              ["景宁", 17, 11, 1950], ["龙泉", 29, 25, 3059]):  # fmt: skip
        ws.append(r)
    ws.merge_cells("A1:D1")
    ws.merge_cells("B2:C2")
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "a.xlsx")
    s = read_sheet(tmp_path / "a.xlsx", REG)
    assert [(c.parts, c.unit) for c in s.columns] == [
        (("人口", "户籍"), ""),
        (("人口", "常住"), ""),
        (("面积",), "km²"),
    ]
    assert s.header_rows == [2, 3] and s.sheet_name == "表2" and s.county_header == "地区"
    assert [n.what for n in s.notes] == [
        "header rows 2–3 (1 title row(s) above; column names joined from the header cells above each column)."
    ]
    assert s.column("常住").index == 2 and s.column("面积").unit == "km²"


def test_a_csv_group_heading_spreads_over_the_blanks_after_it(tmp_path):
    text = "地区,人口,,面积\n,户籍,常住,\n景宁,17,11,1950\n"
    s = read_sheet(_write(tmp_path, text), REG)
    assert [c.parts for c in s.columns] == [("人口", "户籍"), ("人口", "常住"), ("面积",)]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b\n1,2\n", "found no county column: no cell is a Zhejiang county name or code. Fix: name the counties"),
        ("景宁,1\n龙泉,2\n", "no header row above the first county (row 1). Fix: add a row naming each column."),
        ("表1 人口\n景宁,1\n", "no header row above the first county (row 2)."),  # a title is not a header
    ],
)
def test_sheets_that_cannot_be_read(tmp_path, text, message):
    with pytest.raises(DataSourceError) as exc:
        read_sheet(_write(tmp_path, text), REG)
    assert message in str(exc.value) and str(exc.value).startswith(str(tmp_path / "a.csv"))


def test_a_total_row_with_numbers_starts_the_table(tmp_path):
    s = read_sheet(_write(tmp_path, "地区,值\n全省,100\n景宁,1\n"), REG)
    assert s.header_rows == [1] and s.set_aside == [(2, "全省", "province")]
    s = read_sheet(_write(tmp_path, "单位：万人\n地区,值\n景宁,1\n"), REG)
    assert s.header_rows == [2] and s.columns[0].unit == "万人"
    assert s.notes[0].what == "header row 2 (1 title row(s) above; unit 万人 from the title)."


@pytest.mark.parametrize(
    "header, split",
    [
        ("人均GDP（元）", ("人均GDP", "元")),
        ("GDP per head (yuan)", ("GDP per head", "yuan")),
        ("面积【km²】", ("面积", "km²")),
        ("面积[平方公里] ", ("面积", "平方公里")),
        ("人口", ("人口", "")),
        ("a (b) c", ("a (b) c", "")),
        ("x (1234567890123)", ("x (1234567890123)", "")),  # too long for a unit
        (" 人口 ", ("人口", "")),
    ],
)
def test_split_unit(header, split):
    assert split_unit(header) == split


@pytest.mark.parametrize(
    "label, clean",
    [
        ("　　龙港市①", "龙港市"),
        ("其中：景宁", "景宁"),
        ("其中景宁", "景宁"),
        ("#景宁", "景宁"),
        ("△景宁", "景宁"),
        ("淳　安", "淳安"),
        ("全 省", "全省"),
        ("景宁(注1)", "景宁"),
        ("景宁（1）", "景宁"),
        ("景宁*", "景宁"),
        ("景宁²", "景宁"),
        ("景\n宁", "景宁"),
        ("\xa0景宁 ", "景宁"),
        ("Jingning County", "Jingning County"),
    ],
)
def test_clean_label(label, clean):
    assert clean_label(label) == clean


def test_name_key_and_column_keys():
    assert name_key("地区生产总值·人均、总量 (亿元)") == "地区生产总值人均总量亿元"
    c = SheetColumn(2, ("人口", "人口密度"), "人/km²", "Density")
    assert c.label == "人口密度" and c.name == "人口·人口密度"
    assert c.keys() == {"人口人口密度", "人口密度人口", "人口密度", "density"}  # 人口(人口密度) folds to the first
    assert SheetColumn(1, (), "", "GDP").name == "GDP" and SheetColumn(1, (), "", "GDP").label == "GDP"
    three = SheetColumn(1, ("a", "b", "合计"), "")
    assert three.label == "a·b"
    assert three.keys() == {"ab合计", "合计ba", "ab", "b合计"}  # a pair of parts (b(合计)) is a name too


def test_former_names_make_the_county_column(tmp_path):
    s = read_sheet(_write(tmp_path, "县名,值\n临安市,1\n江干区,2\n"), REG)
    assert [r.label for r in s.rows] == ["临安市", "江干区"] and s.county_header == "县名"


@pytest.mark.parametrize(
    "text, note",
    [
        (
            "地区,值\n景宁,1\nNOTE: from the yearbook,\n龙泉,2\n",
            "footnotes from row 3 on ignored (NOTE: from the yearb…).",
        ),
        ("地区,值\n景宁,1\n,说明：不含开发区\n龙泉,2\n", "footnotes from row 3 on ignored (说明：不含开发区…)."),
    ],
)
def test_footnotes(tmp_path, text, note):
    s = read_sheet(_write(tmp_path, text), REG)
    assert [r.label for r in s.rows] == ["景宁"] and s.notes[-1].what == note


def test_a_header_of_years_is_not_a_total_row(tmp_path):
    s = read_sheet(_write(tmp_path, "地区,2019,2020\n景宁,1,2\n"), REG)
    assert [c.parts for c in s.columns] == [("2019",), ("2020",)] and s.header_rows == [1]


@pytest.mark.parametrize(
    "text, parts, units, english, note",
    [
        # one header row is names, even when a cell looks like a unit or is English
        ("地区,(万人),Population\n景宁,1,2\n", [("(万人)",), ("Population",)], ["", ""], ["", ""], None),
        # a second row of units is folded into the names above it
        ("地区,人口,面积\n,万人,km²\n景宁,1,2\n", [("人口",), ("面积",)], ["万人", "km²"], ["", ""],
         "header rows 1–2 (the row of units folded into each column's unit)."),
        ("地区,人口,面积\nRegion,Population,Area\n景宁,1,2\n", [("人口",), ("面积",)], ["", ""], ["Population", "Area"],
         "header rows 1–2."),
    ],
)  # fmt: skip
def test_header_rows_of_names_units_and_english(tmp_path, text, parts, units, english, note):
    s = read_sheet(_write(tmp_path, text), REG)
    assert [c.parts for c in s.columns] == parts
    assert [c.unit for c in s.columns] == units and [c.english for c in s.columns] == english
    assert [n.what for n in s.notes if n.where == "header"] == ([note] if note else [])


@pytest.mark.parametrize(
    "title",
    ["Table 3 Population", "表3 人口", "单位：万人", "unit: 10000 people"],
)
def test_a_title_row_ends_the_header_block(tmp_path, title):
    s = read_sheet(_write(tmp_path, f",{title},\n地区,人口,面积\n景宁,1,2\n"), REG)
    assert s.header_rows == [2] and [c.parts for c in s.columns] == [("人口",), ("面积",)]


def test_a_group_heading_over_one_column_is_a_header_row(tmp_path):
    s = read_sheet(_write(tmp_path, ",,面积\n地区,人口,总量\n景宁,1,2\n"), REG)
    assert s.header_rows == [1, 2] and [c.parts for c in s.columns] == [("人口",), ("面积", "总量")]


def test_a_merged_heading_spreads_where_the_row_below_is_blank(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (["地区", "人口", None, "面积"], [None, "户籍", None, None], ["景宁", 1, 2, 3]):
        ws.append(r)
    ws.merge_cells("B1:C1")
    wb.save(tmp_path / "m.xlsx")
    s = read_sheet(tmp_path / "m.xlsx", REG)
    assert [(c.index, c.parts) for c in s.columns] == [(1, ("人口", "户籍")), (2, ("人口",)), (3, ("面积",))]


def test_a_wide_merged_title_ends_the_header_block(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in ([None, "各县主要指标", None, None], ["地区", "人口", "面积", "产值"], ["景宁", 1, 2, 3]):
        ws.append(r)
    ws.merge_cells("B1:D1")
    wb.save(tmp_path / "t.xlsx")
    s = read_sheet(tmp_path / "t.xlsx", REG)
    assert s.header_rows == [2] and s.notes[0].what == "header row 2 (1 title row(s) above)."
