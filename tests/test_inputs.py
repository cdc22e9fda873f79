"""Everyday inputs a planner brings on day one, through the CLI, each with its exact
outcome: islands as separate features, CSV dialects and encodings, old Excel, years as
people type them, a county outside the edition, and the Excel template round trip."""

import csv
import io
import json

import pandas as pd
import pytest
import shapely

from .conftest import run_cli

PAIRS = [  # 景宁 and 庆元 with their partners, as the embedded layer has them
    ["景宁", "海盐", "medium", "https://example.org/a"],
    ["景宁", "余杭", "medium", "https://example.org/b"],
    ["庆元", "长兴", "high", "seed 000"],
]
HEADER = ["山区县", "结对县", "可信度", "来源"]


def check_json(*args):
    r = run_cli("check", *args, "--format", "json")
    assert "Traceback" not in r.stderr, r.stderr
    return r.returncode, json.loads(r.stdout)["problems"]


def pairs_csv(*args):
    r = run_cli("pairs", *args, "--format", "csv")
    assert r.returncode == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout))), r


# ---------------------------------------------------------------------------------------
# 1. islands as separate features
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exploded(boundaries, tmp_path_factory):
    """The embedded boundaries with 象山县 split into one feature per island."""
    path = tmp_path_factory.mktemp("islands") / "islands.gpkg"
    g = boundaries.explode(index_parts=False).reset_index(drop=True)
    xs = g[g["code"] == "330225"]
    assert len(xs) > 20  # 象山 has dozens of islands
    g.to_file(path)
    return path, len(xs), g


def test_islands_are_dissolved_and_noted(exploded):
    path, n, _ = exploded
    rc, problems = check_json(path)
    assert rc == 0 and not [p for p in problems if p["severity"] == "error"]
    notes = [p["what"] for p in problems if p["severity"] == "info" and "dissolved" in p["what"]]
    assert f"象山县: {n} features dissolved into one." in notes


def test_dissolved_county_is_one_multipolygon(exploded, boundaries):
    import geo

    path, n, _ = exploded
    a = geo.load_atlas(boundaries=path)
    xs = a.counties[a.counties["code"] == "330225"]
    assert len(xs) == 1 and len(a.counties) == 90
    orig = boundaries[boundaries["code"] == "330225"].geometry.iloc[0]
    assert abs(xs.geometry.iloc[0].area - orig.area) < 1e-9
    assert shapely.get_num_geometries(xs.geometry.iloc[0]) == n


def test_cli_map_notes_the_dissolve(exploded, tmp_path):
    path, n, _ = exploded
    r = run_cli("pairs", "--boundaries", path, "--county", "景宁")
    assert r.returncode == 0, r.stderr
    assert f"象山县: {n} features dissolved into one." in r.stderr


def test_overlapping_copies_are_a_duplicate(boundaries, tmp_path):
    g = boundaries.copy()
    copy = g[g["code"] == "331127"]
    g = pd.concat([g, copy], ignore_index=True)
    g.to_file(tmp_path / "dup.gpkg")
    rc, problems = check_json(tmp_path / "dup.gpkg")
    errs = [p for p in problems if p["severity"] == "error"]
    assert rc == 1 and len(errs) == 1
    assert "duplicate county 景宁畲族自治县 (331127): these features overlap each other." in errs[0]["what"]
    first = int(boundaries.index[boundaries["code"] == "331127"][0]) + 1
    assert errs[0]["where"] == f"features {first}, 91"


# ---------------------------------------------------------------------------------------
# 2. CSV dialects and encodings
# ---------------------------------------------------------------------------------------


def _write(path, rows, delimiter, encoding):
    lines = [delimiter.join(r) for r in [HEADER, *rows]]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    "delimiter, encoding, note",
    [
        (",", "utf-8", None),
        (",", "utf-8-sig", None),
        (";", "utf-8", "read as UTF-8, delimiter semicolon."),
        ("\t", "utf-16", "read as UTF-16, delimiter tab."),  # Excel's "Unicode text"
        ("，", "utf-8", "read as UTF-8, delimiter full-width comma."),
        (",", "gbk", "read as GB18030, delimiter comma."),
        (";", "gb18030", "read as GB18030, delimiter semicolon."),
    ],
)
def test_csv_dialects(tmp_path, delimiter, encoding, note):
    f = _write(tmp_path / "p.csv", PAIRS, delimiter, encoding)
    rc, problems = check_json(f)
    assert rc == 0, problems
    infos = [
        p["what"]
        for p in problems
        if p["severity"] == "info" and p["where"] == "file" and not p["what"].startswith("sources found")
    ]
    assert infos == ([note] if note else [])
    rows, r = pairs_csv("--pairings", f, "--county", "景宁")
    assert sorted(x["partner"] for x in rows) == ["余杭区", "海盐县"]
    assert (note or "read as") not in r.stdout  # the note goes to stderr, never into the table
    if note:
        assert note in r.stderr


def test_big5_table(tmp_path):
    # Big5 has no simplified characters: codes identify the counties, the note is traditional
    header = ["mountain_code", "partner_code", "confidence", "source", "note"]
    rows = [
        ["331127", "330424", "medium", "https://example.org/a", "景寧與海鹽結對，山海協作"],
        ["331127", "330110", "medium", "https://example.org/b", "景寧與餘杭結對，產業飛地"],
        ["331126", "330522", "high", "seed 000", "慶元與長興簽訂生態環境合作協議"],
    ]
    f = tmp_path / "big5.csv"
    f.write_bytes("\r\n".join(",".join(r) for r in [header, *rows]).encode("big5"))
    rc, problems = check_json(f)
    assert rc == 0
    assert "read as BIG5, delimiter comma." in [p["what"] for p in problems]
    from geo.tables import read_pairings

    t = read_pairings(f).table
    assert t["note"].tolist()[0] == "景寧與海鹽結對，山海協作"


def test_big5_traditional_names_and_headers(tmp_path):
    # a colleague's Big5 table written in traditional characters, headers included
    header = ["山區縣", "結對縣", "可信度", "來源", "備註"]
    rows = [
        ["景寧縣", "海鹽縣", "medium", "https://example.org/a", "山海協作"],  # Big5 has no 畲
        ["景寧", "餘杭區", "medium", "https://example.org/b", ""],
        ["慶元縣", "長興縣", "high", "seed 000", ""],
    ]
    f = tmp_path / "big5-trad.csv"
    f.write_bytes("\r\n".join(",".join(r) for r in [header, *rows]).encode("big5"))
    rc, problems = check_json(f)
    assert rc == 0, problems
    infos = [p["what"] for p in problems if p["severity"] == "info" and not p["what"].startswith("sources found")]
    assert infos == [
        "read as BIG5, delimiter comma.",
        "names in traditional characters are matched by their simplified form (景寧縣 → 景宁畲族自治县).",
    ]
    got, r = pairs_csv("--pairings", f, "--county", "景寧")
    assert sorted(x["partner"] for x in got) == ["余杭区", "海盐县"]
    assert "matched by their simplified form" in r.stderr
    # a status table in traditional characters: a city row and a county row
    s = tmp_path / "status-trad.csv"
    s.write_bytes(
        "\r\n".join(
            [
                "縣名,稱號,級別,年份,來源",
                "麗水市,國家生態文明建設示範市,national,2019,x",
                "龍泉市,省級生態縣,provincial,2010,y",
            ]
        ).encode("big5")
    )
    from geo.tables import read_status

    t = read_status(s).raise_for_errors().table
    assert t[["scope", "name"]].values.tolist() == [["city", "丽水市"], ["county", "龙泉市"]]
    # a misspelt traditional name still gets its suggestion, in simplified characters
    r = run_cli("pairs", "--county", "景寧縣x")
    assert r.returncode == 2 and "景宁畲族自治县" in r.stderr and "Traceback" not in r.stderr


def test_simplified_names_never_load_opencc():
    # folding is for names that miss: the embedded layers (city rows miss as counties) must not pay for it
    import subprocess
    import sys

    code = "import sys, geo; geo.load_atlas(); geo.get_registry().find_county('丽水市'); print('opencc' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "False", r.stderr


def test_wrong_forced_encoding_says_so(tmp_path):
    f = _write(tmp_path / "p.csv", PAIRS, ",", "gbk")
    r = run_cli("pairs", "--pairings", f, "--encoding", "utf-8")
    assert (
        r.returncode == 2 and "cannot decode as utf-8" in r.stderr and "leave out --encoding to detect it" in r.stderr
    )


# ---------------------------------------------------------------------------------------
# 3. old Excel
# ---------------------------------------------------------------------------------------


def test_xls_workbook(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("结对")
    for j, h in enumerate([*HEADER, "结对年份"]):
        ws.write(0, j, h)
    for i, row in enumerate(PAIRS, start=1):
        for j, v in enumerate(row):
            ws.write(i, j, v)
        ws.write(i, 4, 2021)  # a number cell, as Excel stores a typed year
    wb.save(str(tmp_path / "old.xls"))
    rows, _ = pairs_csv("--pairings", tmp_path / "old.xls", "--county", "庆元")
    assert [(x["partner"], x["since"]) for x in rows] == [("长兴县", "2021")]


def test_fake_xls_is_refused(tmp_path):
    f = tmp_path / "export.xls"  # what many web systems send: an HTML table named .xls
    f.write_text("<html><table><tr><td>山区县</td></tr></table></html>", encoding="utf-8")
    r = run_cli("pairs", "--pairings", f)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "not a real Excel 97-2003 workbook" in r.stderr and "save it as .xlsx" in r.stderr


# ---------------------------------------------------------------------------------------
# 4. years and dates as people type them
# ---------------------------------------------------------------------------------------


def test_years_and_dates(tmp_path):
    typed = ["2021年", "二〇二一", "2021.5", "2021/8/31", "2021年8月31日"]
    partners = ["海盐", "余杭", "长兴", "鄞州", "慈溪"]
    rows = [["景宁", p, "medium", "x", y] for p, y in zip(partners, typed, strict=True)]
    f = tmp_path / "p.csv"
    f.write_text("\n".join(",".join(r) for r in [[*HEADER, "结对年份"], *rows]), encoding="utf-8")
    out, _ = pairs_csv("--pairings", f, "--county", "景宁")
    got = {x["partner"][:2]: x["since"] for x in out}
    assert got == {"海盐": "2021", "余杭": "2021", "长兴": "2021-05", "鄞州": "2021-08-31", "慈溪": "2021-08-31"}


def test_a_date_that_is_not_one_names_the_cell(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("山区县,结对县,可信度,来源,结对年份\n景宁,海盐,medium,x,去年秋天\n", encoding="utf-8")
    rc, problems = check_json(f)
    err = next(p for p in problems if p["severity"] == "error")
    assert rc == 1 and (err["where"], err["column"]) == ("row 2", "since")
    assert "'去年秋天' is not a valid year or date." in err["what"]


# ---------------------------------------------------------------------------------------
# 5. a county outside the edition
# ---------------------------------------------------------------------------------------


def test_county_of_another_edition():
    r = run_cli("pairs", "--county", "嵊泗")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "嵊泗县 is not a mountain county of edition 2021 (山区26县)" in r.stderr
    assert "edition 2024 (山区海岛25县, 2024-08-21)" in r.stderr and "Fix: add --edition 2025." in r.stderr
    r = run_cli("pairs", "--county", "嵊泗", "--edition", "2024")
    assert r.returncode == 0 and "no sourced partner: 嵊泗县" in r.stdout


# ---------------------------------------------------------------------------------------
# the planner's workbook
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "shanhai.xlsx"
    r = run_cli("template", path)
    assert r.returncode == 0, r.stderr
    assert "pairings 39 rows, coverage 60 rows, status 151 rows, enclaves 21 rows" in r.stdout
    return path


def test_template_round_trip_is_identical(workbook):
    from geo.tables import read_coverage, read_enclaves, read_pairings, read_status

    for reader in (read_pairings, read_coverage, read_status, read_enclaves):
        embedded, back = reader(), reader(workbook)
        assert back.errors == []
        pd.testing.assert_frame_equal(embedded.table, back.table)


def test_template_has_dropdowns_and_explanations(workbook):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    assert wb.sheetnames == ["说明", "结对", "政策覆盖", "称号", "飞地", "来源", "名录"]
    assert wb["名录"].sheet_state == "hidden"
    ws = wb["结对"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:4] == ["山区县代码", "山区县", "结对县代码", "结对县"]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["B2:B2000"].formula1 == "'名录'!$A$2:$A$91"  # the 90 county names
    assert rules["I2:I2000"].formula1 == "'名录'!$C$2:$C$4"  # 高, 中, 低 (high, medium, low)
    assert [wb["名录"][f"C{i}"].value for i in (2, 3, 4)] == ["高", "中", "低"]
    assert wb["名录"]["A91"].value and wb["名录"]["A92"].value is None
    status_rules = {str(dv.sqref) for dv in wb["称号"].data_validations.dataValidation}
    assert "E2:E2000" in status_rules  # category
    info = [[c.value for c in row] for row in wb["说明"].iter_rows(min_row=2)]
    assert ["结对", "可信度"] == info[8][:2] and ws.column_dimensions["J"].width >= 20


def test_planner_edit_shows_up_in_the_maps(workbook, tmp_path):
    from openpyxl import load_workbook

    import geo
    from geo.themes import build_theme

    wb = load_workbook(workbook)
    ws = wb["结对"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "永嘉县")
    row[3].value, row[8].value, row[9].value = "鹿城区", "低", "2021 结对安排表（示例修改）"
    wb.save(tmp_path / "edited.xlsx")
    rows, _ = pairs_csv("--pairings", tmp_path / "edited.xlsx", "--county", "永嘉")
    assert [(x["partner"], x["confidence"]) for x in rows] == [("鹿城区", "low")]
    a = geo.load_atlas(pairings=tmp_path / "edited.xlsx")
    links = next(ly for ly in build_theme(a, "pairing").layers if ly.arrows).data
    assert ((links["mountain_county"] == "永嘉县") & (links["partner"] == "鹿城区")).sum() == 1
    r = run_cli("map", "pairing", "--pairings", tmp_path / "edited.xlsx", "-o", tmp_path / "p.png", "--dpi", "50")
    assert r.returncode == 0, r.stderr


def test_template_of_one_layer(tmp_path):
    r = run_cli("template", tmp_path / "status.xlsx")
    assert r.returncode == 0 and "status 151 rows" in r.stdout
    r = run_cli("template", tmp_path / "x.csv")
    assert r.returncode == 2 and ".xlsx" in r.stderr
