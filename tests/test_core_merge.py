"""geo.tables.merge and geo.tables.sources on the synthetic province: which built-in rows a
user's rows replace, what a replaced layer leaves out, and how a user's source records are
read and refused (every message and fix)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.catalog import messages_in
from geo.errors import Problem
from geo.read import LayerResult
from geo.tables import left_out, merge_layers, read_user_sources

from .synthetic import registry

P_COLUMNS = ["mountain_code", "mountain_county", "partner_code", "partner", "since", "source"]


def _pairings(rows, source="user.csv"):
    return LayerResult(pd.DataFrame(rows, columns=P_COLUMNS), [Problem("info", source, "file", "read")], source)


BUILT_IN = [
    ["990102", "山县", "990101", "东区", "2010", "a"],
    ["990103", "水畲族自治县", "", "乙市港区", "", "b"],
    ["990201", "东县", "", "", "", "c"],  # no sourced partner
]


def test_pairings_merge_adds_replaces_and_drops_the_no_partner_row():
    built = _pairings(BUILT_IN, "layers/pairings.csv")
    built.sources = {"a": "built"}
    user = _pairings([
        ["990102", "山县", "990101", "东区", "2011", "u1"],  # same key: replaces
        ["990103", "水畲族自治县", "", "乙市港区", "2020", "u2"],  # a zone's name is its key
        ["990201", "东县", "990202", "新区", "2022", "u3"],  # pairs the county that had none
    ])  # fmt: skip
    user.sources = {"u1": "mine"}
    m = merge_layers("pairings", built, user)
    assert m.table[P_COLUMNS].values.tolist() == [
        ["990102", "山县", "990101", "东区", "2011", "u1"],
        ["990103", "水畲族自治县", "", "乙市港区", "2020", "u2"],
        ["990201", "东县", "990202", "新区", "2022", "u3"],
    ]
    assert "_partner" not in m.table and m.source == "user.csv" and m.sources == {"a": "built", "u1": "mine"}
    assert [(p.severity, p.where, p.what) for p in m.problems] == [
        ("info", "file", "read"),
        ("info", "东县", "the built-in row saying it has no sourced partner is dropped: the file pairs it."),
        ("info", "山县 — 东区", "the file's row replaces the built-in pairing (same key)."),
        ("info", "水畲族自治县 — 乙市港区", "the file's row replaces the built-in pairing (same key)."),
        ("info", "file", "`merge=True`: 1 pairing row(s) added to the 3 built-in ones, 2 replaced."),
    ]


def test_pairings_merge_keeps_what_the_file_does_not_name():
    m = merge_layers("pairings", _pairings(BUILT_IN), _pairings([["990102", "山县", "990202", "新区", "", "u"]]))
    assert m.table["partner"].tolist() == ["东区", "乙市港区", "", "新区"]
    assert m.problems[-1].what == "`merge=True`: 1 pairing row(s) added to the 3 built-in ones, 0 replaced."


def test_status_and_coverage_keys_and_the_coverage_attrs():
    cols = ["scope", "code", "name", "designation", "batch", "year"]
    built = LayerResult(pd.DataFrame([["county", "990102", "山县", "甲", "1", "2010"],
                                      ["county", "990102", "山县", "甲", "2", "2012"]], columns=cols), [], "b")  # fmt: skip
    user = LayerResult(pd.DataFrame([["county", "990102", "山县", "甲", "2", "2013"]], columns=cols), [], "u")
    m = merge_layers("status", built, user)
    assert m.table["year"].tolist() == ["2010", "2013"]  # batch 2 replaced, batch 1 kept
    assert m.problems[0].where == "山县 · 甲" and m.problems[-1].what.startswith("`merge=True`: 0 designation row(s)")
    ccols = ["document", "clause", "scope", "target", "target_name"]
    b = pd.DataFrame([["d1", "1", "county", "990102", "山县"]], columns=ccols)
    b.attrs = {
        "documents": pd.DataFrame({"document": ["d1"]}),
        "clauses": pd.DataFrame({"document": ["d1"], "clause": ["1"]}),
    }
    u = pd.DataFrame(
        [["d1", "1", "county", "990102", "山县"], ["d2", "1", "county", "990103", "水畲族自治县"]], columns=ccols
    )
    u.attrs = {"documents": pd.DataFrame({"document": ["d1", "d2"]}),
               "clauses": pd.DataFrame({"document": ["d1", "d2"], "clause": ["1", "1"]})}  # fmt: skip
    m = merge_layers("coverage", LayerResult(b, [], "b"), LayerResult(u, [], "u"))
    assert m.table["document"].tolist() == ["d1", "d2"]
    assert m.table.attrs["documents"]["document"].tolist() == ["d1", "d2"]
    assert m.table.attrs["clauses"].values.tolist() == [["d1", "1"], ["d2", "1"]]
    assert m.problems[0].where == "d1 §1 · 山县"


def test_left_out_names_the_counties_a_replacing_file_drops():
    reg = registry()
    one = _pairings([["990103", "水畲族自治县", "990101", "东区", "", "x"]])
    [w] = left_out("pairings", one, reg, "2021")
    assert w.severity == "warning" and w.where == "file" and w.file == "user.csv"
    assert w.what == ("the file replaces the built-in pairings: 1 of the 2 counties of edition 2021 have no row in it "
                      "(东县), so the maps show none for them.")  # fmt: skip
    assert (
        w.fix
        == "pass `merge=True` to add the file's rows to the built-in pairings instead, or add rows for those counties."
    )
    both = _pairings([["990103", "水畲族自治县", "", "", "", "x"], ["990201", "东县", "", "", "", "x"]])
    assert left_out("pairings", both, reg, "2021") == []
    st = LayerResult(
        pd.DataFrame([["city", "9902", "乙市", "甲"]], columns=["scope", "code", "name", "designation"]), [], "s"
    )
    [w] = left_out("status", st, reg, "2021")  # 东县 holds it through 乙市: only 水 is left out
    assert "1 of the 2" in w.what and "(水畲族自治县)" in w.what
    assert left_out("coverage", st, reg, "2021") == [] and left_out("status", _pairings([]), reg, "2021") == []
    many = _pairings([["990102", "山县", "", "", "", "x"]])
    assert "(水畲族自治县)" in left_out("pairings", many, reg, "E1")[0].what  # one county named, no separator


def test_left_out_lists_eight_then_counts():
    import types

    reg = registry()
    members = [f"99{i:04d}" for i in range(12)]
    ed = types.SimpleNamespace(id="X", members=members)
    fake = types.SimpleNamespace(
        edition=lambda _e: ed, counties={c: types.SimpleNamespace(name=f"县{c[-2:]}") for c in members}
    )
    [w] = left_out("pairings", _pairings([["990000", "县00", "", "", "", "x"]]), fake, "X")
    assert "11 of the 12 counties of edition X" in w.what and "(县01, 县02," in w.what and "县08 and 3 more)" in w.what
    with messages_in("zh"):  # the list's joint in the message's language
        [w] = left_out("pairings", _pairings([["990000", "县00", "", "", "", "x"]]), fake, "X")
    assert "县01、县02" in w.what
    assert reg is not None


def _sources(tmp_path, header, rows, name="s.csv"):
    p = tmp_path / name
    p.write_text("\n".join([",".join(header), *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return p


def test_user_sources_read_with_kinds_dates_and_headers(tmp_path):
    p = _sources(tmp_path, ["编号", "发布者", "标题", "日期", "网址", "类型"], [
        ["a-1", "某报", "某文", "2018年5月10日", "https://www.zj.gov.cn/x", ""],
        ["a-2", "某台", "某题", "2019-01", "", "主要媒体"],
        ["a-3", "", "只有标题", "", "", ""],
    ])  # fmt: skip
    found, problems = read_user_sources(p)
    assert list(found) == ["a-1", "a-2", "a-3"]
    assert found["a-1"].kind == "government_site" and found["a-1"].date == "2018-05-10"
    assert found["a-2"].kind == "major_outlet" and found["a-2"].date == "2019-01"
    assert found["a-3"].kind == "none" and all(s.user for s in found.values())
    assert found["a-1"].citation("zh") == "某报 · 《某文》 · 2018-05-10" and found["a-3"].identified is False
    assert [p.severity for p in problems] == []


@pytest.mark.parametrize(
    "row, what, fix, column",
    [
        (["Bad", "x", "y", "", "", ""], "source id 'Bad' is not a slug.",
         "use lowercase letters, digits and hyphens (e.g. qingyuan-jiashan-2018).", "id"),
        (["ok", "x", "y", "", "", "newspaper"], "unknown kind 'newspaper'.",
         "use one of official_document, government_site, major_outlet, repost (or leave it empty: told from the address).",
         "kind"),
        (["ok", "x", "y", "去年", "", ""], "date '去年' is not a date.", "write 2021-07-15, 2021年7月15日, 2021-07 or 2021.",
         "date"),
        (["seed-001", "别人", "y", "", "", ""], "source id 'seed-001' is a built-in source with other details.",
         "give your source an id of its own (`shanhai sources` lists the built-in ids).", "id"),
    ],
)  # fmt: skip
def test_user_sources_refuse_each_bad_row(tmp_path, row, what, fix, column):
    p = _sources(tmp_path, ["id", "issuer", "title", "date", "url", "kind"], [row])
    found, problems = read_user_sources(p)
    assert found == {}
    assert [(q.severity, q.where, q.what, q.fix, q.column) for q in problems] == [("error", "row 2", what, fix, column)]


def test_a_built_in_record_repeated_whole_is_left_out(tmp_path):
    import csv

    from geo.sources import COLUMNS, embedded_sources

    s = embedded_sources()["seed-001"]
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerow([getattr(s, c) for c in COLUMNS])
        w.writerow(
            ["mine", *[""] * (len(COLUMNS) - 1)][:1] + ["repost", "某人", "", "某文"] + [""] * (len(COLUMNS) - 5)
        )
    found, problems = read_user_sources(tmp_path / "t.csv")
    assert list(found) == ["mine"] and problems == []


def test_user_sources_twice_and_headers_missing(tmp_path):
    p = _sources(tmp_path, ["id", "title"], [["x", "a"], ["x", "b"]])
    found, problems = read_user_sources(p)
    assert list(found) == ["x"] and [(q.where, q.what) for q in problems] == [("row 3", "source id 'x' is used twice.")]
    p = _sources(tmp_path, ["编号", "备注"], [["x", "a"]], "n.csv")
    found, problems = read_user_sources(p)
    assert found == {} and [q.severity for q in problems] == ["error"] and "issuer" in problems[0].what
    p = _sources(tmp_path, ["id", "title", "kind"], [["y", "t", "official_document"]], "w.csv")
    found, problems = read_user_sources(p)
    assert list(found) == ["y"] and [(q.severity, q.column) for q in problems] == [("warning", "issuer")]


def _book(path, sheets: dict):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_user_sources_keep_reading_after_a_bad_row_and_name_their_file(tmp_path):
    p = _sources(tmp_path, ["id", "title"], [["Bad", "a"], ["good", "b"], ["x y", "c"], ["also-good", "d"]])
    found, problems = read_user_sources(p)
    assert list(found) == ["good", "also-good"]
    assert [(q.file, q.where, q.column) for q in problems] == [(str(p), "row 2", "id"), (str(p), "row 4", "id")]
    # the columns a file leaves out are empty, never None
    g = found["good"]
    assert (g.issuer, g.url, g.date, g.doc_no, g.kind) == ("", "", "", "", "none")
    assert g.citation("zh") == "来源待核实（b）"  # no original known: said so


def test_user_sources_read_the_sheet_and_the_encoding_given(tmp_path):
    book = _book(tmp_path / "b.xlsx", {"说明": [["x"], ["y"]], "来源": [["编号", "标题"], ["s-1", "来源表的标题"]]})
    found, problems = read_user_sources(book, sheet="来源")
    assert list(found) == ["s-1"] and found["s-1"].title == "来源表的标题" and problems == []
    p = tmp_path / "gbk.csv"
    p.write_bytes("编号,标题\ng-1,国标编码的标题\n".encode("gbk"))
    found, _ = read_user_sources(p, encoding="gbk")
    assert found["g-1"].title == "国标编码的标题"


def test_workbook_sources_reads_the_template_s_sources_sheet_only(tmp_path):
    from geo.tables.sources import SOURCES_SHEET, workbook_sources

    assert SOURCES_SHEET == "来源"
    with_sheet = _book(
        tmp_path / "t.xlsx", {"结对": [["山区县"], ["景宁"]], "来源": [["编号", "标题"], ["w-1", "某文"]]}
    )
    found, problems = workbook_sources(with_sheet)
    assert list(found) == ["w-1"] and problems == []
    without = _book(tmp_path / "n.xlsx", {"结对": [["山区县"], ["景宁"]]})
    assert workbook_sources(without) == ({}, [])
    csv_file = _sources(tmp_path, ["编号", "标题"], [["c-1", "x"]], "来源.csv")
    assert workbook_sources(csv_file) == ({}, [])  # a CSV has no sheets
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert workbook_sources(broken) == ({}, [])  # refused by the layer's own reading, not here
    upper = _book(tmp_path / "T.XLSX", {"来源": [["编号", "标题"], ["u-1", "大写后缀"]]})
    assert list(workbook_sources(upper)[0]) == ["u-1"]
