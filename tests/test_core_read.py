"""geo.read: headers, encodings and delimiters, workbooks (their size checks and cells), raw
and renamed tables, grids of cells; each rule with the file that shows it."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest

from geo.errors import DataSourceError, Problem
from geo.read.encoding import DELIMITERS, decode_text, sniff_delimiter
from geo.read.grid import Grid, read_grid
from geo.read.headers import LayerSpec, column_for, header_key, known_headers
from geo.read.table import SHEET_NAMES, read_raw, read_table
from geo.read.workbook import (
    BOMB_RATIO,
    EXCEL_ROWS,
    WORKBOOK_MB,
    check_xls,
    check_xlsx,
    is_zip,
    read_workbook,
    refuse_unreadable,
    workbook_limit_mb,
)

SPEC = LayerSpec(
    "pairings",
    {"county": ("县名", "name"), "year": ("年份",), "note": ("备注",)},
    required=("county",),
    required_any=(("year", "note"),),
)


# -- headers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, key",
    [
        ("  Mountain_County (县) ", "mountaincounty县"),
        ("ＡＢ－Ｃ", "abc"),
        ("年份：*", "年份"),
        ("县名（全称）", "县名全称"),
        ("a\tb c", "abc"),
        (2021, "2021"),
    ],
)
def test_header_key(text, key):
    assert header_key(text) == key


def test_header_map_and_column_for():
    hmap = SPEC.header_map()
    assert hmap == {"county": "county", "县名": "county", "name": "county", "year": "year", "年份": "year",
                    "note": "note", "备注": "note"}  # fmt: skip
    assert column_for(hmap, " Name ") == "county"
    assert column_for(hmap, "縣名") == "county"  # traditional characters
    assert column_for(hmap, "備註") == "note"
    assert column_for(hmap, "代码") is None
    assert column_for(hmap, "縣") is None


def test_known_headers():
    assert known_headers('县名,"年份",代码', ",", SPEC) == 2
    assert known_headers("县名;年份", ",", SPEC) == 0
    assert known_headers("县名;年份; 备注 ", ";", SPEC) == 3
    assert known_headers("县名,年份", ",", None) == 0


# -- encodings and delimiters --------------------------------------------------------
def test_decode_text_given_encoding(tmp_path):
    raw = "县名,年份\n景宁,2021\n".encode("gbk")
    assert decode_text(raw, tmp_path / "a.csv", "gbk") == ("县名,年份\n景宁,2021\n", "gbk")
    with pytest.raises(DataSourceError) as exc:
        decode_text(raw, tmp_path / "a.csv", "utf-8")
    assert str(exc.value).startswith(f"{tmp_path / 'a.csv'}: cannot decode as utf-8 (")
    assert str(exc.value).endswith(
        "Fix: leave out `encoding` to detect it, or name the encoding the file was saved in (utf-8, gbk, gb18030, big5, utf-16)."
    )
    with pytest.raises(DataSourceError, match="cannot decode as klingon"):
        decode_text(raw, tmp_path / "a.csv", "klingon")


@pytest.mark.parametrize(
    "raw, text, enc",
    [
        ("\ufeff县名\n".encode(), "县名\n", "utf-8-sig"),
        ("县名\n".encode("utf-16-le").join([b"\xff\xfe", b""]), "县名\n", "utf-16"),
        (b"\xfe\xff" + "县名\n".encode("utf-16-be"), "县名\n", "utf-16"),
        ("县名\n".encode(), "县名\n", "utf-8"),
        (b"county\n", "county\n", "utf-8"),
    ],
)
def test_decode_text_bom_and_utf8(tmp_path, raw, text, enc):
    assert decode_text(raw, tmp_path / "a.csv", None) == (text, enc)


def test_decode_text_detects_chinese_encodings(tmp_path):
    text = "县名,年份,备注\n景宁畲族自治县,2021,山海协作结对\n龙泉市,2018,浙江省丽水市\n" * 3
    got, enc = decode_text(text.encode("gbk"), tmp_path / "a.csv", None, SPEC)
    assert (got, enc) == (text, "gb18030")  # widened: decodes all that GBK does
    big5 = "縣名,年份\n景寧縣,2021\n龍泉市,2018\n麗水市,2019\n" * 3
    got, enc = decode_text(big5.encode("big5"), tmp_path / "a.csv", None, SPEC)
    assert got == big5 and enc in ("big5", "big5hkscs", "cp950")
    # a BOM that does not decode, and nothing else does either
    with pytest.raises(DataSourceError, match="cannot tell the text encoding"):
        decode_text(b"\xff\xfe" + b"\x00", tmp_path / "a.csv", None)


def test_decode_text_refuses_what_nothing_decodes(tmp_path, monkeypatch):
    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda raw: [])
    with pytest.raises(DataSourceError) as exc:
        decode_text(b"\xfa\xc3\xff", tmp_path / "a.csv", None)
    assert str(exc.value) == (
        f"{tmp_path / 'a.csv'}: cannot tell the text encoding (not UTF-8, and no known encoding decodes it). Fix: save "
        "it as UTF-8 CSV, or pass `encoding` with the encoding it was saved in."
    )


@pytest.mark.parametrize(
    "text, spec, sep",
    [
        ("县名;年份\n景宁;2021\n", SPEC, ";"),
        ("县名\t年份\n景宁\t2021\n", SPEC, "\t"),
        ("县名|备注\n景宁|a,b,c\n", SPEC, "|"),
        ("县名，年份\n景宁，2021\n", SPEC, "，"),
        ("县名,年份;x;y\n", SPEC, ","),  # most known columns, not most separators
        ("a;b;c\n1;2;3\n4;5;6\n", None, ";"),  # csv.Sniffer
        ("a|b\n1|2\n", SPEC, "|"),
        ("", SPEC, ","),
        ("\n\n", SPEC, ","),
        ("abc\n", None, ","),  # Sniffer gives up
    ],
)
def test_sniff_delimiter(text, spec, sep):
    assert sniff_delimiter(text, spec) == sep


def test_delimiters_named():
    assert DELIMITERS == {",": "comma", ";": "semicolon", "\t": "tab", "，": "full-width comma", "|": "pipe"}


# -- workbooks -----------------------------------------------------------------------
def _xlsx(path, rows, sheet="Sheet", more=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for name, extra in (more or {}).items():
        w2 = wb.create_sheet(name)
        for r in extra:
            w2.append(r)
    wb.save(path)
    return path


def _xls(path, rows, sheet="Sheet1", merges=()):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v)
    for r0, r1, c0, c1 in merges:
        ws.merge(r0, r1, c0, c1)
    wb.save(str(path))
    return path


def test_workbook_limits(monkeypatch):
    assert (WORKBOOK_MB, BOMB_RATIO, EXCEL_ROWS) == (200, 100, 1_048_576)
    monkeypatch.delenv("SHANHAI_WORKBOOK_MB", raising=False)
    assert workbook_limit_mb() == 200
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "0.5")
    assert workbook_limit_mb() == 0.5
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "lots")
    assert workbook_limit_mb() == 200


def test_check_xlsx_size(tmp_path, monkeypatch):
    path = _xlsx(tmp_path / "a.xlsx", [["县名"], *[[f"景宁{i}"] for i in range(3000)]])
    check_xlsx(path)
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "0.01")
    with pytest.raises(DataSourceError) as exc:
        check_xlsx(path)
    text = str(exc.value)
    assert "the workbook's sheets inflate to 0 MB of XML when opened, over the limit of 0.01 MB" in text
    assert text.endswith("raise the limit with the environment variable SHANHAI_WORKBOOK_MB (now 0.01).")


def _zip(path, parts, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_check_xlsx_bomb_and_rows(tmp_path):
    bomb = _zip(tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": b"<a>" + b" " * 11_000_000 + b"</a>"})
    with pytest.raises(DataSourceError) as exc:
        check_xlsx(bomb)
    assert "the part xl/worksheets/sheet1.xml inflates" in str(exc.value)
    assert "bytes to 11 MB): not what a spreadsheet writes" in str(exc.value)
    stored = _zip(tmp_path / "s.xlsx", {"xl/media/x.xml": b" " * 11_000_000}, zipfile.ZIP_STORED)
    check_xlsx(stored)  # large but not inflating: fine
    small = _zip(tmp_path / "c.xlsx", {"xl/worksheets/sheet1.xml": b" " * 9_000_000})
    check_xlsx(small)  # inflates a lot, but under 10 MB
    rows = _zip(tmp_path / "r.xlsx", {"xl/worksheets/sheet2.xml": b'<x:dimension ref="A1:C1048577"/>'})
    with pytest.raises(DataSourceError, match=r"the sheet sheet2\.xml declares 1,048,577 rows, more than Excel allows "
                                              r"\(1,048,576\)"):  # fmt: skip
        check_xlsx(rows)
    check_xlsx(_zip(tmp_path / "ok.xlsx", {"xl/worksheets/sheet1.xml": b'<dimension ref="A1:C1048576"/>'}))
    check_xlsx(_zip(tmp_path / "one.xlsx", {"xl/worksheets/sheet1.xml": b'<dimension ref="A1"/>'}))
    check_xlsx(_zip(tmp_path / "other.xlsx", {"xl/other/sheet1.xml": b'<dimension ref="A1:C9999999"/>'}))
    (tmp_path / "bad.xlsx").write_bytes(b"PK not a zip")
    with pytest.raises(DataSourceError, match=r"not a readable Excel workbook \(.*\)\. Fix: re-save it from Excel\."):
        check_xlsx(tmp_path / "bad.xlsx")


def test_check_xls(tmp_path, monkeypatch):
    (tmp_path / "t.xls").write_text("<html></html>")
    with pytest.raises(DataSourceError, match=r"not a real Excel 97-2003 workbook \(the file is text or HTML renamed"):
        check_xls(tmp_path / "t.xls")
    path = _xls(tmp_path / "a.xls", [["县名"], ["景宁"]])
    check_xls(path)
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "0.001")
    with pytest.raises(DataSourceError, match=r"a\.xls: 0 MB, over the limit of 0.001 MB for a workbook\. Fix: export"):
        check_xls(path)


def test_refuse_unreadable(tmp_path):
    class EntitiesForbidden(Exception):
        pass

    try:
        try:
            raise EntitiesForbidden("x")
        except EntitiesForbidden as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        with pytest.raises(DataSourceError, match=r"its XML defines entities or a DTD"):
            refuse_unreadable(tmp_path / "a.xlsx", ".xlsx", exc)
    with pytest.raises(DataSourceError) as exc:
        refuse_unreadable(tmp_path / "a.xls", ".xls", ValueError("first line\nsecond"))
    assert str(exc.value) == f"{tmp_path / 'a.xls'}: not a readable Excel workbook (first line). Fix: save it as .xlsx."
    with pytest.raises(DataSourceError) as exc:
        refuse_unreadable(tmp_path / "a.xlsx", ".xlsx", KeyError())
    assert str(exc.value).endswith("(KeyError). Fix: re-save it from Excel.")


def test_read_workbook_cells(tmp_path):
    path = _xlsx(
        tmp_path / "a.xlsx",
        [["县名", "年份", "日期", "值"], ["景宁", 2021, dt.datetime(2021, 7, 15), 2021.1],
         ["龙泉", 2021.5, dt.datetime(2021, 7, 15, 8, 30), None], ["x", 1899.1, dt.date(2020, 1, 2), 2021.10001]],
        more={"第二": [["a"], [1]]},
    )  # fmt: skip
    assert is_zip(path)
    sheets = read_workbook(path, ".xlsx")
    assert list(sheets) == ["Sheet", "第二"]
    df = sheets["Sheet"]
    assert df.values.tolist() == [
        ["景宁", "2021", "2021-07-15", "2021.1"],
        ["龙泉", "2021.5", "2021-07-15T08:30:00", ""],
        ["x", "1899.1", "2020-01-02", "2021.10001"],
    ]
    assert df.attrs["numeric_months"] == {(0, "值")}
    assert read_workbook(path, ".xlsx", nrows=1)["Sheet"].shape == (1, 4)
    xls = _xls(tmp_path / "a.xls", [["县名", "年份"], ["景宁", 2021.0], ["龙泉", 2018.1]])
    assert not is_zip(xls)
    df = read_workbook(xls, ".xls")["Sheet1"]
    assert df.values.tolist() == [["景宁", "2021"], ["龙泉", "2018.1"]]
    assert df.attrs["numeric_months"] == {(1, "年份")}
    renamed = tmp_path / "b.xls"  # an XLSX named .xls: read as one
    renamed.write_bytes(path.read_bytes())
    assert list(read_workbook(renamed, ".xls")) == ["Sheet", "第二"]
    (tmp_path / "broken.xlsx").write_bytes(_zip(tmp_path / "z.zip", {"a.txt": b"x"}).read_bytes())
    with pytest.raises(DataSourceError, match=r"broken\.xlsx: not a readable Excel workbook"):
        read_workbook(tmp_path / "broken.xlsx", ".xlsx")


def test_a_workbook_is_parsed_once_and_each_caller_owns_its_frames(tmp_path, monkeypatch):
    import os

    import geo.read.workbook as wb

    path = _xlsx(tmp_path / "a.xlsx", [["县名", "值"], ["景宁", 2021.1]])
    first = read_workbook(path, ".xlsx")
    first["Sheet"].loc[0, "县名"] = "mine"
    first["Sheet"].attrs["numeric_months"].add("mine")
    parsed = []
    real = wb._parse
    monkeypatch.setattr(wb, "_parse", lambda *a: parsed.append(a) or real(*a))
    again = read_workbook(path, ".xlsx")
    assert parsed == [] and again["Sheet"].values.tolist() == [["景宁", "2021.1"]]
    assert again["Sheet"].attrs["numeric_months"] == {(0, "值")}
    read_workbook(path, ".xlsx", nrows=1)  # the head is a read of its own
    assert len(parsed) == 1
    os.utime(path, ns=(0, 10**9))  # the file changed: parsed again
    assert read_workbook(path, ".xlsx")["Sheet"].values.tolist() == [["景宁", "2021.1"]] and len(parsed) == 2
    monkeypatch.setattr(wb, "KEEP_CELLS", 1)  # too large to keep: parsed at every call
    os.utime(path, ns=(0, 2 * 10**9))
    read_workbook(path, ".xlsx")
    read_workbook(path, ".xlsx")
    assert len(parsed) == 4


# -- tables ---------------------------------------------------------------------------
def test_read_raw_csv(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("县名;年份\n景宁畲族自治县;2021\n\n 龙泉市 ;2018\n", encoding="gbk")
    df, problems = read_raw(p, SPEC)
    assert list(df.columns) == ["县名", "年份"]
    assert df.fillna("").values.tolist() == [["景宁畲族自治县", "2021"], ["", ""], ["龙泉市 ", "2018"]]
    assert df.attrs["numeric_months"] == set()
    assert problems == [Problem("info", str(p), "file", "read as GB18030, delimiter semicolon.")]
    p.write_text("县名,年份\n景宁,2021\n龙泉,2018\n", encoding="utf-8")
    df, problems = read_raw(p, SPEC, nrows=1)
    assert problems == [] and len(df) == 1
    t = tmp_path / "a.tsv"
    t.write_text("县名\t年份\n景宁\t2021\n", encoding="utf-8-sig")
    df, problems = read_raw(t)
    assert list(df.columns) == ["县名", "年份"]
    assert problems == [Problem("info", str(t), "file", "read as UTF-8-SIG, delimiter tab.")]
    u = tmp_path / "u.txt"
    u.write_text("县名|年份\n景宁|2021\n", encoding="utf-8")
    assert read_raw(u, SPEC)[1][0].what == "read as UTF-8, delimiter pipe."
    # a separator of three bytes: read by the engine that takes it, without pandas warning
    # that it fell back to it (pyproject's filterwarnings makes that warning a failure)
    w = tmp_path / "w.csv"
    w.write_text("县名，年份\n景宁，2021\n", encoding="utf-8")
    df, problems = read_raw(w, SPEC)
    assert df.values.tolist() == [["景宁", "2021"]]
    assert problems[0].what == "read as UTF-8, delimiter full-width comma."


@pytest.mark.parametrize("reader", [read_raw, read_grid])
def test_readers_refuse_alike(tmp_path, reader):
    with pytest.raises(DataSourceError, match=r"none\.csv: no such file\. Fix: check the path\.$"):
        reader(tmp_path / "none.csv")
    (tmp_path / "e.csv").write_text("  \n", encoding="utf-8")
    with pytest.raises(
        DataSourceError, match=r"e\.csv: the file is empty\. Fix: export the table again with a header row\.$"
    ):
        reader(tmp_path / "e.csv")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    with pytest.raises(
        DataSourceError, match=r"unsupported table format '\.json'\. Fix: use \.csv, \.xlsx or \.xls\.$"
    ):
        reader(tmp_path / "a.json")


def test_read_raw_refuses_a_malformed_csv(tmp_path):
    (tmp_path / "q.csv").write_text('a,b\n"x,1\n', encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"q\.csv: malformed CSV \(.*\)\. Fix: check quoting on that line\.$"):
        read_raw(tmp_path / "q.csv")


def test_read_raw_workbook_sheets(tmp_path):
    path = _xlsx(
        tmp_path / "a.xlsx", [["x"], [1]], sheet="说明", more={"结对": [["县名"], ["景宁"]], "三": [["y"], [2]]}
    )
    assert SHEET_NAMES == {"pairings": "结对", "coverage": "政策覆盖", "status": "称号", "enclaves": "飞地"}
    assert list(read_raw(path, SPEC)[0].columns) == ["县名"]  # the template's sheet of the layer
    assert list(read_raw(path)[0].columns) == ["x"]  # else the first
    assert list(read_raw(path, LayerSpec("status", {}, ()))[0].columns) == ["x"]
    assert list(read_raw(path, SPEC, sheet="三")[0].columns) == ["y"]
    assert list(read_raw(path, SPEC, sheet=2)[0].columns) == ["y"]
    assert list(read_raw(path, SPEC, sheet="0")[0].columns) == ["x"]
    with pytest.raises(DataSourceError, match=r"a\.xlsx: no sheet 3; the workbook has 说明, 结对, 三\.$"):
        read_raw(path, SPEC, sheet=3)
    with pytest.raises(DataSourceError, match=r"no sheet '四'"):
        read_raw(path, SPEC, sheet="四")
    assert read_raw(path, SPEC)[1] == []


def test_read_table_renames_and_checks_headers(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("Name,年份,备注,extra\n景宁,2021,\x07a,1\n\n,,,\n龙泉,2018,,2\n", encoding="utf-8")
    df, problems = read_table(p, SPEC)
    assert list(df.columns) == ["_row", "county", "year", "note", "extra"]
    assert df.values.tolist() == [[2, "景宁", "2021", "a", "1"], [5, "龙泉", "2018", "", "2"]]
    assert df.attrs["numeric_months"] == set()
    assert problems == [Problem("repair", str(p), "row 2", "invisible control characters removed.",
                                "nothing to do; remove them from the file to silence this.", "note")]  # fmt: skip
    p.write_text("县名,name,代码\n景宁,景宁,1\n", encoding="utf-8")
    df, problems = read_table(p, SPEC)
    assert [(x.severity, x.where, x.what, x.fix) for x in problems] == [
        ("error", "header", "columns '县名' and 'name' both mean 'county'.", "keep one of them."),
        ("error", "header", "needs one of the columns 'year' or 'note'.", "add a column named one of: note, 备注."),
    ]
    assert list(df.columns) == ["_row", "county", "name", "代码", "year", "note"]
    p.write_text("代码\n1\n", encoding="utf-8")
    _, problems = read_table(p, SPEC)
    assert [(x.what, x.fix) for x in problems] == [
        ("missing column 'county'.", "add a column named one of: county, 县名, name."),
        ("needs one of the columns 'year' or 'note'.", "add a column named one of: note, 备注."),
    ]


def test_read_table_numeric_months_of_a_workbook(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["县名", "年份"], ["景宁", 2021.1], [None, None], ["龙泉", 2021]])
    df, problems = read_table(path, SPEC)
    assert problems == []
    assert df["_row"].tolist() == [2, 4] and df["year"].tolist() == ["2021.1", "2021"]
    assert df.attrs["numeric_months"] == {(2, "year")}


# -- grids ----------------------------------------------------------------------------
def test_read_grid_xlsx_with_merges(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for r in (["表1 人口", None, None], ["地区", "人口", None], [None, "总量", "密度"], ["景宁", 11.1, 2021.0],
              ["龙泉", True, dt.date(2021, 7, 1)], [None, None, None], [None, "", None]):  # fmt: skip
        ws.append(r)
    ws["E1"] = None
    ws.merge_cells("B2:C2")
    wb.create_sheet("二").append(["a"])
    wb.save(tmp_path / "a.xlsx")
    g = read_grid(tmp_path / "a.xlsx")
    assert g.sheet == "表1" and g.width == 3 and g.problems == []
    assert g.cells == [["表1 人口", "", ""], ["地区", "人口", ""], ["", "总量", "密度"], ["景宁", "11.1", "2021"],
                       ["龙泉", "True", "2021-07-01T00:00:00"]]  # fmt: skip
    assert g.merges == [(1, 1, 1, 2)]
    assert read_grid(tmp_path / "a.xlsx", sheet="二").cells == [["a"]]
    assert read_grid(tmp_path / "a.xlsx", sheet=1).sheet == "二"
    with pytest.raises(DataSourceError, match=r"no sheet '三'; the workbook has 表1, 二\.$"):
        read_grid(tmp_path / "a.xlsx", sheet="三")
    with pytest.raises(DataSourceError, match=r"no sheet 2;"):
        read_grid(tmp_path / "a.xlsx", sheet=2)


def test_read_grid_xls_with_merges_and_dates(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("S")
    ws.write_merge(0, 0, 1, 2, "人口")
    ws.write(1, 0, "景宁")
    ws.write(1, 1, 1234.0)
    ws.write(1, 2, dt.date(2021, 7, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(2, 0, "龙泉")
    ws.write(2, 1, 1.5)
    wb.save(str(tmp_path / "a.xls"))
    g = read_grid(tmp_path / "a.xls")
    assert g.cells == [["", "人口", ""], ["景宁", "1234", "2021-07-01"], ["龙泉", "1.5", ""]]
    assert g.merges == [(0, 1, 0, 2)] and g.sheet == "S"
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(
        DataSourceError, match=r"x\.xls: not a readable Excel workbook \(.*\)\. Fix: save it as \.xlsx\.$"
    ):
        read_grid(tmp_path / "x.xls")


@pytest.mark.parametrize(
    "text, encoding, cells, note",
    [
        ("地区,人口\n景宁,1\n", "utf-8", [["地区", "人口"], ["景宁", "1"]], None),
        ("地区;人口;密度\n景宁;1;2\n龙泉;3;4\n", "utf-8", [["地区", "人口", "密度"], ["景宁", "1", "2"], ["龙泉", "3", "4"]],
         "read as UTF-8, delimiter semicolon."),
        ("表1\n地区\t人口\n景宁\t1\n", "gbk", [["表1", ""], ["地区", "人口"], ["景宁", "1"]], "read as GB18030, delimiter tab."),
        ("地区,人口,,\n景宁,1,,\n,,,\n", "utf-8", [["地区", "人口"], ["景宁", "1"]], None),
        ("a|b,c\nd|e,f\n", "utf-8", [["a|b", "c"], ["d|e", "f"]], None),  # as many cells: the comma first
    ],
)  # fmt: skip
def test_read_grid_text(tmp_path, text, encoding, cells, note):
    p = tmp_path / "a.csv"
    p.write_bytes(text.encode(encoding))
    g = read_grid(p)
    assert g.cells == cells and g.merges == [] and g.sheet == ""
    assert [x.what for x in g.problems] == ([note] if note else [])
    assert g.problems == [] or g.problems[0] == Problem("info", str(p), "file", note)


def test_read_grid_tsv_and_refusals(tmp_path):
    (tmp_path / "a.tsv").write_text("a,b\tc\n", encoding="utf-8")
    assert read_grid(tmp_path / "a.tsv").cells == [["a,b", "c"]]
    (tmp_path / "n.csv").write_text(",\n,,\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"n\.csv: the sheet  has no cells\. Fix: export the table again\.$"):
        read_grid(tmp_path / "n.csv")
    _xlsx(tmp_path / "n.xlsx", [[None]], sheet="空")
    with pytest.raises(DataSourceError, match=r"n\.xlsx: the sheet 空 has no cells\."):
        read_grid(tmp_path / "n.xlsx")
    (tmp_path / "q.csv").write_text('a,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"q\.csv: malformed CSV \(.*\)\. Fix: check the quoting on that line\.$"):
        read_grid(tmp_path / "q.csv")
    assert Grid([]).width == 0


def test_read_grid_cells_as_a_person_reads_them(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [[2021.0, 1234.5, 1e16, -3.0, False, "Ａ", "e\u0301"]])
    assert read_grid(path).cells == [["2021", "1234.5", "1e+16", "-3", "False", "Ａ", "é"]]
    assert pd.Series([1]).size == 1


# -- how a detected encoding is chosen (the detector's candidates given) ------------------
class _Match:
    def __init__(self, encoding):
        self.encoding = encoding


def _candidates(monkeypatch, *names):
    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda raw: [_Match(n) for n in names])


@pytest.mark.parametrize(
    "named, used",
    [("GB_2312", "gb18030"), ("GBK", "gb18030"), ("cp936", "gb18030"), ("big5", "big5"), ("cp950", "big5"),
     ("Big5HKSCS", "big5hkscs"), ("euc_kr", "euc_kr")],
)  # fmt: skip
def test_a_detected_encoding_is_widened(tmp_path, monkeypatch, named, used):
    _candidates(monkeypatch, named)
    raw = b"\n\xa4\xa4"  # not UTF-8; decodes in each
    assert decode_text(raw, tmp_path / "a.csv", None)[1] == used


def test_the_candidate_whose_header_is_known_wins(tmp_path, monkeypatch):
    raw = "\n县名,年份\n景宁,2021\n".encode("gbk")  # big5 decodes it too, into as many other characters
    _candidates(monkeypatch, "big5", "gbk")
    assert decode_text(raw, tmp_path / "a.csv", None, SPEC) == ("\n县名,年份\n景宁,2021\n", "gb18030")
    assert decode_text(raw, tmp_path / "a.csv", None)[1] == "big5"  # no spec: the detector's order
    _candidates(monkeypatch, "klingon", "gbk")  # a name Python does not know is skipped
    assert decode_text(raw, tmp_path / "a.csv", None)[1] == "gb18030"
    _candidates(monkeypatch, "utf-16-le", "gbk")  # one that fails to decode is skipped
    assert decode_text(raw[:-1], tmp_path / "a.csv", None)[1] == "gb18030"


@pytest.mark.parametrize(
    "text, codec, used",
    [("一", "big5", "big5"), ("\u9fff", "gb18030", "gb18030"), ("a" * 3999 + "一", "big5", "big5")],
)  # the first and the last CJK character, and one at the 4000th place
def test_more_chinese_characters_win(tmp_path, monkeypatch, text, codec, used):
    _candidates(monkeypatch, "latin-1", codec)
    assert decode_text(text.encode(codec), tmp_path / "a.csv", None) == (text, used)


def test_only_the_first_4000_characters_are_counted(tmp_path, monkeypatch):
    _candidates(monkeypatch, "latin-1", "big5")
    raw = ("a" * 4000 + "一").encode("big5")
    assert decode_text(raw, tmp_path / "a.csv", None)[1] == "latin-1"  # a tie: the detector's first


def test_a_blank_text_in_a_detected_encoding(tmp_path, monkeypatch):
    _candidates(monkeypatch, "latin-1")
    assert decode_text(b"\xa0", tmp_path / "a.csv", None, SPEC) == ("\xa0", "latin-1")


@pytest.mark.parametrize(
    "text, sep",
    [
        ("县名|年份,x,y,z\n", "|"),  # one known column is enough
        ("县名;x;y,年份\n", ";"),  # a tie on known columns: the one that splits more
        ("a,b\n", ","),
    ],
)
def test_sniff_delimiter_ties(text, sep):
    assert sniff_delimiter(text, SPEC) == sep


# -- workbooks: every message in full -------------------------------------------------------
def test_workbook_messages(tmp_path, monkeypatch):
    (tmp_path / "t.xls").write_text("<html></html>")
    with pytest.raises(DataSourceError) as exc:
        check_xls(tmp_path / "t.xls")
    assert str(exc.value) == (
        f"{tmp_path / 't.xls'}: not a real Excel 97-2003 workbook (the file is text or HTML renamed .xls). Fix: open it "
        "in Excel or WPS and save it as .xlsx."
    )
    (tmp_path / "o.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe0")  # one byte off
    with pytest.raises(DataSourceError, match="not a real Excel 97-2003 workbook"):
        check_xls(tmp_path / "o.xls")
    big = tmp_path / "big.xls"
    big.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2_499_992)  # 2.5 MB
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "2.5")
    check_xls(big)  # at the limit: not over it
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "2.4999")
    with pytest.raises(DataSourceError) as exc:
        check_xls(big)
    assert str(exc.value) == (
        f"{big}: 2 MB, over the limit of 2.4999 MB for a workbook. Fix: export the sheet as CSV, or raise the limit "
        "with SHANHAI_WORKBOOK_MB."
    )
    monkeypatch.setenv("SHANHAI_WORKBOOK_MB", "0.0015")
    path = _xlsx(tmp_path / "a.xlsx", [["县名"], *[[f"景宁{i}"] for i in range(40)]])
    with pytest.raises(DataSourceError) as exc:
        check_xlsx(path)
    assert str(exc.value).startswith(f"{path}: the workbook's sheets inflate to 0 MB of XML when opened, over the limit "
                                     "of 0.0015 MB (a county table needs well under 1 MB). Fix: export the sheet as CSV "
                                     "(any size is read as a stream), or, for a genuinely large workbook, raise the limit")  # fmt: skip


def test_check_xlsx_bomb_message_and_bounds(tmp_path):
    data = b" " * 10_000_001
    bomb = _zip(tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": data})
    with pytest.raises(DataSourceError) as exc:
        check_xlsx(bomb)
    size = zipfile.ZipFile(bomb).infolist()[0].compress_size
    assert str(exc.value) == (
        f"{bomb}: the part xl/worksheets/sheet1.xml inflates {10_000_001 / size:,.0f} times ({size:,} bytes to 10 MB): "
        "not what a spreadsheet writes. Fix: open it in Excel or WPS and save it again, or export the sheet as CSV."
    )
    check_xlsx(_zip(tmp_path / "ten.xlsx", {"xl/worksheets/sheet1.xml": b" " * 10_000_000}))  # 10 MB: not over
    rows = _zip(tmp_path / "r.xlsx", {"xl/worksheets/sub/sheet9.xml": b" " * 4000 + b'<dimension ref="A1:B2000000"/>'})
    with pytest.raises(DataSourceError) as exc:
        check_xlsx(rows)
    assert str(exc.value) == (
        f"{rows}: the sheet sheet9.xml declares 2,000,000 rows, more than Excel allows (1,048,576): the file was not "
        "written by a spreadsheet program. Fix: export the table as CSV, or split it."
    )
    late = _zip(tmp_path / "l.xlsx", {"xl/worksheets/sheet1.xml": b" " * 4070 + b'<dimension ref="A1:B2000000"/>'})
    check_xlsx(late)  # only the sheet's first 4096 bytes are read


@pytest.mark.parametrize("name", ["EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"])
def test_refuse_unreadable_names_xml_entities(tmp_path, name):
    forbidden = type(name, (Exception,), {})
    try:
        try:
            raise forbidden()
        except Exception:
            raise ValueError("outer")  # noqa: B904 (the forbidden one is its context, not its cause)
    except ValueError as exc:
        with pytest.raises(DataSourceError) as err:
            refuse_unreadable(tmp_path / "a.xlsx", ".xlsx", exc)
    assert str(err.value) == (
        f"{tmp_path / 'a.xlsx'}: not a readable Excel workbook (its XML defines entities or a DTD, which a spreadsheet "
        "program never writes and which could expand without end: refused, not expanded). Fix: ask for the file "
        "again, or open it in Excel or WPS and save it anew."
    )


@pytest.mark.parametrize(
    "value, numeric",
    [(1900.1, True), (2199.1, True), (1899.1, False), (2200.1, False), (2021.10, True), (2021.11, False),
     (2021.0, False), ("2021.1", False)],
)  # fmt: skip
def test_numeric_months_bounds(tmp_path, value, numeric):
    path = _xlsx(tmp_path / "a.xlsx", [["年份"], [value]])
    assert read_workbook(path, ".xlsx")["Sheet"].attrs["numeric_months"] == ({(0, "年份")} if numeric else set())


def test_workbook_cells_kept_as_text(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["a", "b", "c"], ["NA", "007", 1.0], ["x", None, None]])
    df = read_workbook(path, ".xlsx")["Sheet"]
    assert df.values.tolist() == [["NA", "007", "1"], ["x", "", ""]]
    assert list(df.columns) == ["a", "b", "c"]
    xls = _xls(tmp_path / "a.xls", [["a", "b"], ["NA", 2.5], ["x", 3.0]])
    assert read_workbook(xls, ".xls", nrows=1)["Sheet1"].values.tolist() == [["NA", "2.5"]]


# -- more of the readers' rules ------------------------------------------------------------
def test_read_grid_rules(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("地区,人口,\n景宁,1,\n", encoding="utf-8")  # one empty column at the end
    assert read_grid(p).cells == [["地区", "人口"], ["景宁", "1"]]
    p.write_text("地区,人口\n景宁,1\n", encoding="utf-8-sig")
    assert read_grid(p).problems == []  # a BOM and commas: nothing to say
    p.write_bytes("地区,人口\n景宁,1\n".encode("gbk"))
    assert read_grid(p, encoding="gbk").problems[0].what == "read as GBK, delimiter comma."
    with pytest.raises(DataSourceError, match=r"^" + str(p).replace(".", r"\.") + ": cannot decode as ascii"):
        read_grid(p, encoding="ascii")
    t = tmp_path / "a.txt"
    t.write_text("地区;人口\n景宁;1\n", encoding="utf-8")
    assert read_grid(t).cells == [["地区", "人口"], ["景宁", "1"]]


def test_read_grid_workbooks(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["a", "=1+1", 1e15, 999999999999999.0])
    wb.create_sheet("二").append(["b"])
    wb.save(tmp_path / "a.xlsm")
    g = read_grid(tmp_path / "a.xlsm")  # formulas as their saved values (none: openpyxl saves no results)
    assert g.cells == [["a", "", "1000000000000000", "999999999999999"]]
    with pytest.raises(DataSourceError, match=r"^" + str(tmp_path / "a.xlsm").replace(".", r"\.") + ": no sheet '三'"):
        read_grid(tmp_path / "a.xlsm", sheet="三")
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("一").write(0, 0, "x")
    two = book.add_sheet("二")
    for j, v in enumerate(["y", 1e15, 999999999999999.0, -1e15]):
        two.write(0, j, v)
    book.save(str(tmp_path / "b.xls"))
    # an .xls gives every number as a float: whole ones under 1e15 without .0
    assert read_grid(tmp_path / "b.xls", sheet="二").cells == [["y", "1000000000000000.0", "999999999999999",
                                                                "-1000000000000000.0"]]  # fmt: skip
    with pytest.raises(DataSourceError, match=r"b\.xls: no sheet '三'; the workbook has 一, 二\.$"):
        read_grid(tmp_path / "b.xls", sheet="三")
    (tmp_path / "t.xlsx").write_text("a,b\n", encoding="utf-8")  # text named .xlsx: not a zip
    with pytest.raises(DataSourceError, match=r"t\.xlsx: not a readable Excel workbook \(.*\)\. Fix: re-save it"):
        read_grid(tmp_path / "t.xlsx")
    _zip(tmp_path / "z.xlsx", {"a.txt": b"x"})  # a zip that is no workbook
    with pytest.raises(DataSourceError, match=r"z\.xlsx: not a readable Excel workbook \(.*\)\. Fix: re-save it from "
                                              r"Excel\.$"):  # fmt: skip
        read_grid(tmp_path / "z.xlsx")


def test_read_raw_rules(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("县名,年份,备注\nNA,007, x\n", encoding="utf-8")
    df, _ = read_raw(p, SPEC)
    assert df.values.tolist() == [["NA", "007", "x"]]  # as text, NA not missing; leading spaces skipped
    p.write_bytes("县名,年份\n景宁,2021\n".encode("gbk"))
    assert read_raw(p, SPEC, encoding="gbk")[1][0].what == "read as GBK, delimiter comma."
    with pytest.raises(DataSourceError, match=r"^" + str(p).replace(".", r"\.") + ": cannot decode as ascii"):
        read_raw(p, SPEC, encoding="ascii")
    t = tmp_path / "a.tsv"
    t.write_text("县名,x\t年份\n景宁,y\t2021\n", encoding="utf-8")
    assert list(read_raw(t, SPEC)[0].columns) == ["县名,x", "年份"]
    x = _xlsx(tmp_path / "a.xlsm", [["县名"], ["景宁"], ["龙泉"]])
    assert read_raw(x, SPEC, nrows=1)[0].values.tolist() == [["景宁"]]
    xls = _xls(tmp_path / "a.xls", [["县名"], ["景宁"]])
    assert read_raw(xls, SPEC)[0].values.tolist() == [["景宁"]]


def test_read_table_cleans_a_column_that_is_all_dirty(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("县名,年份,备注\n景宁,2021,\x07a\n龙泉,2018,b\x07\n", encoding="utf-8")
    df, problems = read_table(p, SPEC)
    assert df["note"].tolist() == ["a", "b"]
    assert [(x.where, x.column) for x in problems] == [("rows 2, 3", "note")]


def test_read_table_passes_its_options_on(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("县名;年份\n景宁;2021\n龙泉;2018\n".encode("gbk"))
    df, problems = read_table(p, SPEC, encoding="gbk", nrows=1)
    assert df["county"].tolist() == ["景宁"] and problems[0].what == "read as GBK, delimiter semicolon."
    path = _xlsx(tmp_path / "a.xlsx", [["x"], [1]], more={"三": [["县名", "年份"], ["景宁", 2021.1]]})
    df, problems = read_table(path, SPEC, sheet="三")
    assert df["county"].tolist() == ["景宁"] and df.attrs["numeric_months"] == {(2, "year")}
    df, problems = read_table(path, SPEC)  # the first sheet: no county column
    assert all(x.file == str(path) and x.where == "header" for x in problems) and len(problems) == 2
    # absent columns are added empty, and a row with none of the layer's columns is a blank line
    assert df.empty and list(df.columns) == ["_row", "x", "county", "year", "note"]
