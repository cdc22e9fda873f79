"""Validation of user tables: every problem named with file, row, column and fix."""

import pandas as pd
import pytest

from geo import DataLayerError, DataSourceError
from geo.tables import detect_table_kind, read_coverage, read_pairings, read_status

from .conftest import write_csv

PAIR_HEADER = ["山区县", "结对县(市、区)", "所属设区市", "结对年份", "来源", "可信度"]


def errors(result):
    return [p for p in result.problems if p.severity == "error"]


def test_chinese_headers_map_and_names_resolve(tmp_path):
    f = write_csv(
        tmp_path / "p.csv",
        PAIR_HEADER,
        [
            ["景宁县", "海盐县", "嘉兴市", "2016", "http://x", "高"],
            ["丽水市莲都区", "宁波江北", "", "2018年", "http://y", "中"],
        ],
    )
    r = read_pairings(f)
    assert errors(r) == []
    t = r.table
    assert t["mountain_code"].tolist() == ["331127", "331102"]
    assert t["partner_code"].tolist() == ["330424", "330205"]
    assert t["confidence"].tolist() == ["high", "medium"]
    assert t["since"].tolist() == ["2016", "2018"]


def test_unknown_county_is_reported_with_suggestion(tmp_path):
    f = write_csv(tmp_path / "p.csv", PAIR_HEADER, [["景宁", "西糊区", "", "2016", "http://x", "high"]])
    [e] = errors(read_pairings(f))
    assert (e.where, e.column) == ("row 2", "partner")
    assert "西湖区" in e.what and e.fix


def test_swapped_columns_are_caught(tmp_path):
    f = write_csv(tmp_path / "p.csv", PAIR_HEADER, [["海盐县", "景宁县", "", "2016", "http://x", "high"]])
    [e] = errors(read_pairings(f))
    assert "not a mountain county" in e.what and "swapped" in e.fix


@pytest.mark.parametrize("year", ["20216", "1850", "2021-13", "soon"])
def test_bad_year(tmp_path, year):
    f = write_csv(tmp_path / "p.csv", PAIR_HEADER, [["景宁", "海盐", "", year, "http://x", "high"]])
    [e] = errors(read_pairings(f))
    assert e.column == "since" and repr(year) in e.what


def test_missing_source_and_bad_confidence(tmp_path):
    f = write_csv(
        tmp_path / "p.csv",
        PAIR_HEADER,
        [
            ["景宁", "海盐", "", "2016", "", "high"],
            ["景宁", "上虞", "", "2016", "http://x", "sure"],
            ["龙泉", "秀洲", "", "2002", "http://z", "low"],
        ],
    )
    es = errors(read_pairings(f))
    assert {(e.where, e.column) for e in es} == {("row 2", "source"), ("row 3", "confidence")}


def test_duplicate_pairing(tmp_path):
    f = write_csv(
        tmp_path / "p.csv",
        PAIR_HEADER,
        [["景宁", "海盐", "", "2016", "http://x", "high"], ["景宁畲族自治县", "海盐县", "", "", "http://y", "high"]],
    )
    [e] = errors(read_pairings(f))
    assert e.where == "rows 2, 3" and "duplicate" in e.what


def test_functional_zone_needs_parent_city(tmp_path):
    ok = write_csv(tmp_path / "a.csv", PAIR_HEADER, [["开化", "绍兴滨海新区", "绍兴市", "2021", "http://x", "high"]])
    r = read_pairings(ok)
    assert errors(r) == [] and r.table.iloc[0]["partner_city_code"] == "3306"
    bad = write_csv(tmp_path / "b.csv", PAIR_HEADER, [["开化", "绍兴滨海新区", "", "2021", "http://x", "high"]])
    [e] = errors(read_pairings(bad))
    assert "partner_city" in e.fix


def test_misspelt_partner_with_a_city_is_not_a_zone(tmp_path):
    f = write_csv(tmp_path / "p.csv", PAIR_HEADER, [["云和", "西糊区", "杭州市", "2018", "http://x", "high"]])
    [e] = errors(read_pairings(f))
    assert "西湖区" in e.what and e.column == "partner"


def test_no_source_column_cites_the_file(tmp_path):
    f = write_csv(tmp_path / "official.csv", ["山区县", "结对县"], [["景宁", "海盐"]])
    r = read_pairings(f)
    assert errors(r) == []
    assert r.table.iloc[0]["source"] == ""  # never the file's name: cited as 来源待核实
    assert r.table.iloc[0]["confidence"] == "unrated"
    assert any("no source column" in p.what for p in r.problems)


def test_missing_required_column(tmp_path):
    f = write_csv(tmp_path / "p.csv", ["结对县", "来源"], [["海盐", "x"]])
    [e] = errors(read_pairings(f))
    assert e.where == "header" and "山区县" in e.fix


def test_bom_and_gbk_csv(tmp_path):
    rows = [["景宁", "海盐", "", "2016", "http://x", "high"]]
    bom = write_csv(tmp_path / "bom.csv", PAIR_HEADER, rows, encoding="utf-8-sig")
    gbk = write_csv(tmp_path / "gbk.csv", PAIR_HEADER, rows, encoding="gbk")
    for f in (bom, gbk):
        r = read_pairings(f)
        assert errors(r) == [] and r.table.iloc[0]["mountain_code"] == "331127"


def test_wrong_forced_encoding_is_a_clear_error(tmp_path):
    gbk = write_csv(
        tmp_path / "gbk.csv", PAIR_HEADER, [["景宁", "海盐", "", "2016", "http://x", "high"]], encoding="gbk"
    )
    with pytest.raises(DataSourceError, match="cannot decode as utf-8"):
        read_pairings(gbk, encoding="utf-8")


def test_xlsx_with_chinese_headers_and_sheet(tmp_path):
    f = tmp_path / "t.xlsx"
    with pd.ExcelWriter(f) as xw:
        pd.DataFrame({"说明": ["封面"]}).to_excel(xw, sheet_name="封面", index=False)
        pd.DataFrame([["景宁县", "海盐县", "嘉兴市", 2016, "http://x", "high"]], columns=PAIR_HEADER).to_excel(
            xw, sheet_name="结对表", index=False
        )
    r = read_pairings(f, sheet="结对表")
    assert errors(r) == [] and r.table.iloc[0]["since"] == "2016"
    with pytest.raises(DataSourceError, match="no sheet 'x'"):
        read_pairings(f, sheet="x")


def test_empty_file(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("")
    with pytest.raises(DataSourceError, match="empty"):
        read_pairings(f)


def test_status_validation(tmp_path):
    header = ["县", "称号", "级别", "批次", "年份", "来源"]
    f = write_csv(
        tmp_path / "s.csv",
        header,
        [
            ["遂昌", "国家生态文明建设示范县", "国家级", "第二批", "2018", "http://a"],
            ["丽水市", "绿水青山就是金山银山实践创新基地", "国家级", "2", "2018", "http://b"],
            ["遂昌县", "国家生态文明建设示范县", "national", "2", "2018", "http://c"],
            ["Atlantis", "x", "", "", "", "http://d"],
            ["景宁", "大花园示范县", "city-ish", "", "1899", "http://e"],
        ],
    )
    r = read_status(f)
    t = r.table
    assert t.iloc[0][["code", "category", "level", "batch"]].tolist() == ["331123", "eco_demo", "national", "2"]
    assert t.iloc[1][["scope", "code", "category"]].tolist() == ["city", "3311", "liangshan_base"]
    found = {(e.where, e.column or "") for e in errors(r)}
    assert found == {("rows 2, 4", ""), ("row 5", "name"), ("row 6", "level"), ("row 6", "year")}


def test_coverage_validation(tmp_path):
    f = write_csv(
        tmp_path / "c.csv",
        ["文件", "条款", "对象", "标题", "摘要"],
        [
            ["ee2021-26", "19", "武义", "", ""],
            ["ee2021-26", "99", "武义", "", ""],
            ["new-doc", "1", "丽水市", "某文件", "某条款"],
            ["nope", "1", "武义", "", ""],
            ["ee2021-26", "1", "山区26县", "", ""],
        ],
    )
    r = read_coverage(f)
    t = r.table
    assert t[["scope", "target"]].values.tolist() == [["county", "330723"], ["city", "3311"], ["edition", "2021"]]
    assert {e.where for e in errors(r)} == {"row 3", "row 5"}
    assert "new-doc" in set(t.attrs["documents"]["document"])


def test_detect_kind(tmp_path):
    p = write_csv(tmp_path / "a.csv", PAIR_HEADER, [["景宁", "海盐", "", "2016", "x", "high"]])
    s = write_csv(tmp_path / "b.csv", ["县", "称号", "来源"], [["景宁", "大花园示范县", "x"]])
    c = write_csv(tmp_path / "c.csv", ["文件", "条款", "对象"], [["ee2021-26", "1", "景宁"]])
    assert [detect_table_kind(x) for x in (p, s, c)] == ["pairings", "status", "coverage"]


def test_markup_in_notes_is_kept_as_text(tmp_path):
    note = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    f = write_csv(tmp_path / "p.csv", [*PAIR_HEADER, "备注"], [["景宁", "海盐", "", "2016", "http://x", "high", note]])
    assert read_pairings(f).table.iloc[0]["note"] == note


def test_raise_for_errors_lists_problems(tmp_path):
    f = write_csv(tmp_path / "p.csv", PAIR_HEADER, [["景宁", "西糊区", "", "2016", "http://x", "high"]])
    with pytest.raises(DataLayerError) as exc:
        read_pairings(f).raise_for_errors()
    # the column as the file writes its header, not the layer's name for it (partner)
    assert "p.csv, row 2, column 结对县(市、区)" in str(exc.value)
