"""geo.tables: the pairings, status and coverage layers validated row by row on the synthetic
province: each rule's message and fix, what a row becomes, and the kind a table is guessed as."""

from __future__ import annotations

import pytest

from geo.read import LayerSpec
from geo.tables import read_coverage, read_pairings, read_status
from geo.tables.specs import CONFIDENCE, SPECS, detect_table_kind
from geo.tables.status import designation_category

from .synthetic import registry

SRC = "seed-001"  # an embedded source (an official document: allows high)


def _csv(tmp_path, header, rows, name="t.csv"):
    p = tmp_path / name
    lines = [",".join(header), *(",".join(map(str, r)) for r in rows)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _problems(res, severity=None):
    return [(p.severity, p.where, p.what, p.fix, p.column) for p in res.problems
            if severity is None or p.severity == severity]  # fmt: skip


# -- pairings ---------------------------------------------------------------------------
PH = ["山区县", "结对县", "所属设区市", "年份", "可信度", "来源", "备注"]


def test_pairings_rows(tmp_path):
    p = _csv(tmp_path, PH, [["山县", "东区", "", "2021", "高", SRC, "n"], ["水县", "东县", "", "1989", "medium", SRC, ""],
                            ["990201", "", "", "", "", "", "无结对"], ["水县", "乙市港区", "乙市", "", "low", SRC, ""]])  # fmt: skip
    res = read_pairings(p, registry())
    t = res.table
    assert t[["mountain_code", "mountain_county", "partner_code", "partner", "partner_city_code", "partner_city",
              "since", "confidence", "source", "note"]].values.tolist() == [
        ["990102", "山县", "990101", "东区", "9901", "甲市", "2021", "high", SRC, "n"],
        ["990103", "水畲族自治县", "990201", "东县", "9902", "乙市", "", "medium", SRC, ""],
        ["990201", "东县", "", "", "", "", "", "low", "", "无结对"],  # no sourced partner: low unless said
        ["990103", "水畲族自治县", "", "乙市港区", "9902", "乙市", "", "low", SRC, ""],
    ]  # fmt: skip
    assert res.source == str(p) and res.sources == {}
    assert _problems(res) == [
        ("error", "row 3", "'1989' is not a valid year or date.", _problems(res)[0][3], "since"),
        ("info", "row 5", "partner '乙市港区' is not a county-level unit: kept with its parent city 乙市.", "", ""),
    ]


@pytest.mark.parametrize(
    "row, problem",
    [
        (["东区", "山县", "", "", "", SRC, ""],
         ("error", "东区 is not a mountain county in any edition of the list (2021, E1).",
          "are the mountain and partner columns swapped? The first names the mountain county.", "mountain_county")),
        (["山县", "山县", "", "", "", SRC, ""],
         ("error", "山县 is paired with itself.", "name the partner county.", "partner")),
        (["山县", "abc", "", "", "", SRC, ""],
         ("error", "partner 'abc' is not a Zhejiang county-level unit, and no parent city is given.",
          "correct the name; a functional zone is recognised by its name (新区, 开发区, 港区, …) and needs partner_city "
          "(所属设区市).", "partner")),
        (["山县", "东x", "甲市", "", "", SRC, ""],
         ("error", "partner '东x' is not a Zhejiang county-level unit (did you mean 东区, 东县?).",
          "correct the name; a functional zone is recognised by its name (新区, 开发区, 港区, …).", "partner")),
        (["山县", "分区", "", "", "", SRC, ""],
         ("error", "'分区' is no longer a county-level unit: 分区 (990105) was abolished on 2011-01-01 (文2): its area was "
          "merged into 东区 and 山县.", "write today's unit: 东区 or 山县.", "partner")),
        (["山县", "东区", "", "2021", "sure", SRC, ""],
         ("error", "'sure' is not one of high, medium, low.", "use one of high, medium, low.", "confidence")),
        (["abc", "东区", "", "", "", SRC, ""],
         ("error", "'abc' is not a Zhejiang county-level unit.",
          "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.", "mountain_county")),
    ],
)  # fmt: skip
def test_pairings_errors(tmp_path, row, problem):
    res = read_pairings(_csv(tmp_path, PH, [row]), registry())
    assert [(s, what, fix, col) for s, w, what, fix, col in _problems(res, "error")] == [problem]
    assert all(w == "row 2" for _, w, *_ in _problems(res, "error"))


def test_pairings_by_codes(tmp_path):
    header = ["山区县代码", "山区县", "结对县代码", "结对县"]
    res = read_pairings(_csv(tmp_path, header, [["990102", "", "990101", ""], ["990103", "", "990199", ""],
                                                ["990103", "", "990104", ""], ["990103", "", "990105", ""]]),
                        registry())  # fmt: skip
    assert res.table[["mountain_code", "partner_code"]].values.tolist() == [["990102", "990101"], ["990103", "990101"]]
    assert _problems(res) == [
        ("error", "row 3", "partner code '990199' is not a Zhejiang county code.", "fix the code or leave it blank.",
         "partner_code"),
        ("info", "row 4", "旧东市 (990104) was merged into 东区 on 2010-01-01 (文1); 东区 has changed since "
         "(2011-01-01). Read as 东区.", "", "partner_code"),
        ("error", "row 5", "'990105' is no longer a county-level unit: 分区 (990105) was abolished on 2011-01-01 (文2): "
         "its area was merged into 东区 and 山县.", "write today's unit: 东区 or 山县.", "partner_code"),
        ("warning", "header", "no confidence column: links are drawn as unrated.",
         "add a 'confidence' column (high, medium, low).", ""),
        ("warning", "header", "no source column: every row is cited as 来源待核实 (source to be verified) and rated low "
         "at most.", "add a 'source' (来源) column citing each row (a source id of `shanhai sources`, or an address).",
         ""),
    ]  # fmt: skip
    assert res.table["confidence"].tolist() == ["unrated", "unrated"]


def test_pairings_gaps_and_duplicates(tmp_path):
    rows = [["山县", "东区", "", "", "high", SRC, ""], ["山县", "", "", "", "", "", ""],
            ["山县", "东区", "", "", "high", SRC, ""], ["山县", "990101", "", "", "high", SRC, ""]]  # fmt: skip
    res = read_pairings(_csv(tmp_path, PH, rows), registry())
    assert _problems(res) == [
        ("warning", "row 3", "山县 is declared without a sourced partner but other rows pair it.",
         "delete the row that says it has none.", ""),
        ("error", "rows 2, 4, 5", "duplicate pairing: 山县 / 990101.", "keep one row and merge their sources in it.", ""),
    ]  # fmt: skip
    assert res.table["partner"].tolist() == ["东区", "", "东区", "东区"]  # every row of the file, in its order


def test_pairings_header_errors_stop(tmp_path):
    res = read_pairings(_csv(tmp_path, ["结对县", "来源"], [["东区", SRC]]), registry())
    assert res.table.empty and list(res.table.columns)[:2] == ["mountain_code", "mountain_county"]
    assert [what for _, _, what, _, _ in _problems(res)] == [
        "needs one of the columns 'mountain_code' or 'mountain_county'."
    ]


def test_pairings_embedded():
    res = read_pairings()
    assert res.errors == [] and len(res.table) > 30
    assert set(res.table["confidence"]) <= {*CONFIDENCE, ""}
    assert not [p for p in res.problems if p.severity == "info" and "kept with its parent city" in p.what]


# -- status -----------------------------------------------------------------------------
SH = ["范围", "代码", "名称", "称号", "类别", "级别", "状态", "批次", "年份", "可信度", "来源"]


def test_status_rows(tmp_path):
    rows = [["", "", "山县", "国家生态文明建设示范县", "", "国家级", "已命名", "第三批", "2019年", "高", SRC],
            ["city", "9902", "", "两山实践创新基地", "", "provincial", "", "12", "", "", SRC],
            ["", "", "甲市", "绿水青山就是金山银山基地", "", "", "公示", "第十批", "2020.0", "low", SRC],
            ["", "990103", "", "共同富裕试点", "eco_pilot", "", "target", "", "2021-07", "", SRC]]  # fmt: skip
    res = read_status(_csv(tmp_path, SH, rows), registry())
    assert res.table[["scope", "code", "name", "designation", "category", "level", "state", "batch", "year",
                      "confidence", "source"]].values.tolist() == [
        ["county", "990102", "山县", "国家生态文明建设示范县", "eco_demo", "national", "named", "3", "2019", "high", SRC],
        ["city", "9902", "乙市", "两山实践创新基地", "liangshan_base", "provincial", "named", "12", "", "unrated", SRC],
        ["city", "9901", "甲市", "绿水青山就是金山银山基地", "liangshan_base", "", "proposed", "10", "2020", "low", SRC],
        ["county", "990103", "水畲族自治县", "共同富裕试点", "eco_pilot", "", "target", "", "2021", "unrated", SRC],
    ]  # fmt: skip
    assert _problems(res) == []


@pytest.mark.parametrize(
    "row, problem",
    [
        (["city", "", "丙市", "x", "", "", "", "", "", "", SRC],
         ("error", "'丙市' is not one of Zhejiang's 11 cities.", "use the city name (丽水市) or its 4-digit code (3311).",
          "code")),
        (["", "", "山县", "", "", "", "", "", "", "", SRC],
         ("error", "no designation.", "name the title or pilot (e.g. 国家生态文明建设示范县).", "designation")),
        (["", "", "山县", "x", "eco", "", "", "", "", "", SRC],
         ("error", "unknown category 'eco'.", "use one of eco_demo, liangshan_base, eco_county_old, "
          "common_prosperity_pilot, national_park, dahuayuan_demo, eco_pilot, nuclear_site, or leave it blank.",
          "category")),
        (["", "", "山县", "x", "", "县级", "", "", "", "", SRC],
         ("error", "'县级' is not one of national, provincial, municipal.", "use one of national, provincial, municipal.",
          "level")),
        (["", "", "山县", "x", "", "", "done", "", "", "", SRC],
         ("error", "'done' is not one of named, proposed, target.", "use one of named, proposed, target.", "state")),
        (["", "", "山县", "x", "", "", "", "第三十批", "", "", SRC],
         ("error", "batch '第三十批' is not a batch number.", "write 3 or 第三批.", "batch")),
        (["", "", "山县", "x", "", "", "", "十一", "", "", SRC],
         ("error", "batch '十一' is not a batch number.", "write 3 or 第三批.", "batch")),
        (["", "", "abc", "x", "", "", "", "", "", "", SRC],
         ("error", "'abc' is not a Zhejiang county-level unit.",
          "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.", "name")),
        (["", "", "山县", "x", "", "", "", "", "", "maybe", SRC],
         ("error", "'maybe' is not one of high, medium, low.", "use one of high, medium, low.", "confidence")),
    ],
)  # fmt: skip
def test_status_errors(tmp_path, row, problem):
    res = read_status(_csv(tmp_path, SH, [row]), registry())
    assert [(s, what, fix, col) for s, w, what, fix, col in _problems(res, "error")] == [problem]


def test_status_batches_and_duplicates(tmp_path):
    rows = [["", "", "山县", "x", "", "", "", "3", "", "", SRC], ["", "", "山县", "x", "", "", "", "第3批", "", "", SRC],
            ["", "", "东区", "x", "", "", "", "03", "", "", SRC], ["", "", "东县", "x", "", "", "", "九", "", "", SRC]]  # fmt: skip
    res = read_status(_csv(tmp_path, SH, rows), registry())
    assert res.table["batch"].tolist() == ["3", "3", "3", "9"]
    assert _problems(res) == [("error", "rows 2, 3", "duplicate status: county / 990102 / x / 3.",
                               "keep one row and merge their sources in it.", "")]  # fmt: skip


def test_status_header_errors_and_empty(tmp_path):
    res = read_status(_csv(tmp_path, ["名称", "来源"], [["山县", SRC]]), registry())
    assert res.table.empty and [w for _, _, w, _, _ in _problems(res)] == ["missing column 'designation'."]
    res = read_status(_csv(tmp_path, SH, [["", "", "abc", "x", "", "", "", "", "", "", SRC]]), registry())
    assert res.table.empty and "source" in res.table.columns


@pytest.mark.parametrize(
    "designation, category",
    [
        ("钱江源国家公园", "national_park"),
        ("共同富裕示范区试点", "common_prosperity_pilot"),
        ("两山实践创新基地", "liangshan_base"),
        ("绿水青山就是金山银山实践创新基地", "liangshan_base"),
        ("核电站", "nuclear_site"),
        ("大花园示范县", "dahuayuan_demo"),
        ("国家生态文明建设示范县", "eco_demo"),
        ("国家级生态县", "eco_county_old"),
        ("生态市", "eco_county_old"),
        ("生态区", "eco_county_old"),
        ("低碳试点", "eco_pilot"),
        ("国家公园生态县", "national_park"),  # the first rule that matches
    ],
)
def test_designation_category(designation, category):
    assert designation_category(designation) == category


# -- coverage ---------------------------------------------------------------------------
CH = ["文件", "条款", "范围", "对象", "备注"]


def test_coverage_rows(tmp_path):
    rows = [["ee2021-26", "1", "", "E1", "a"], ["ee2021-26", "2.0", "county", "山县", ""],
            ["ee2021-26", "1", "", "乙市", ""], ["ee2021-26", "1", "city", "9901", ""],
            ["ee2021-26", "3", "edition", "默认名单", ""], ["ee2021-26", "4", "", "东区", ""]]  # fmt: skip
    res = read_coverage(_csv(tmp_path, CH, rows), registry())
    assert res.table[["document", "clause", "scope", "target", "target_name", "note"]].values.tolist() == [
        ["ee2021-26", "1", "edition", "E1", "一号名单", "a"],
        ["ee2021-26", "2", "county", "990102", "山县", ""],
        ["ee2021-26", "1", "city", "9902", "乙市", ""],
        ["ee2021-26", "1", "city", "9901", "甲市", ""],
        ["ee2021-26", "3", "edition", "2021", "默认名单", ""],
        ["ee2021-26", "4", "county", "990101", "东区", ""],
    ]
    assert _problems(res) == []
    assert "ee2021-26" in set(res.table.attrs["documents"]["document"])
    assert len(res.table.attrs["clauses"]) > 3


@pytest.mark.parametrize(
    "row, problem",
    [
        (["", "1", "", "山县", ""], ("error", "document and clause are both needed.",
                                    "fill in the document id and the clause number.", "")),
        (["ee2021-26", "", "", "山县", ""], ("error", "document and clause are both needed.",
                                            "fill in the document id and the clause number.", "")),
        (["doc-x", "1", "", "山县", ""], ("error", "document 'doc-x' is unknown.", None, "document")),
        (["ee2021-26", "99", "", "山县", ""], ("error", "clause '99' of ee2021-26 is unknown.",
                                              "use a clause from clauses.csv or add a 'summary' column.", "clause")),
        (["ee2021-26", "1", "city", "丙市", ""], ("error", "'丙市' is not one of Zhejiang's 11 cities.",
                                                 "use 丽水市 or 3311.", "target")),
        (["ee2021-26", "1", "county", "abc", ""], ("error", "'abc' is not a Zhejiang county-level unit.",
                                                   "write the full name (景宁畲族自治县), the short name (景宁) or the "
                                                   "6-digit code.", "target")),
        (["ee2021-26", "1", "province", "浙江", ""], ("error", "scope 'province' is not county, city or edition.",
                                                     "use county, city or edition.", "scope")),
        (["ee2021-26", "1", "edition", "E9", ""], ("error", "scope 'edition' is not county, city or edition.",
                                                  "use county, city or edition.", "scope")),
    ],
)  # fmt: skip
def test_coverage_errors(tmp_path, row, problem):
    res = read_coverage(_csv(tmp_path, CH, [row]), registry())
    got = [(s, what, fix, col) for s, w, what, fix, col in _problems(res, "error")]
    assert [w for _, w, _, _, _ in _problems(res, "error")] == ["row 2"]
    assert len(got) == 1 and got[0][0] == problem[0] and got[0][1] == problem[1] and got[0][3] == problem[3]
    if problem[2] is not None:
        assert got[0][2] == problem[2]
    else:
        assert got[0][2].startswith("use an id from documents.csv (") and "ee2021-26" in got[0][2]
        assert got[0][2].endswith(") or add a 'title' column.")
    assert res.table.empty


def test_coverage_new_documents_clauses_and_duplicates(tmp_path):
    header = ["文件", "条款", "对象", "标题", "摘要", "类别"]
    rows = [["doc-x", "1", "山县", "新文件", "第一条", "fund"], ["doc-x", "2", "山县", "", "第二条", ""],
            ["doc-x", "1", "山县", "", "", ""]]  # fmt: skip
    res = read_coverage(_csv(tmp_path, header, rows), registry())
    docs, clauses = res.table.attrs["documents"], res.table.attrs["clauses"]
    new = docs[docs["document"] == "doc-x"]
    assert new[["title", "note"]].values.tolist() == [["新文件", "from t.csv"]]
    assert new["date"].tolist() == [""]
    got = clauses[clauses["document"] == "doc-x"][["clause", "category", "summary"]].values.tolist()
    assert got == [["1", "fund", "第一条"], ["2", "", "第二条"]]
    assert _problems(res) == [("error", "rows 2, 4", "duplicate coverage row: doc-x / 1 / county / 990102.",
                               "keep one row and merge their sources in it.", "")]  # fmt: skip


def test_coverage_header_errors_stop(tmp_path):
    res = read_coverage(_csv(tmp_path, ["文件", "对象"], [["ee2021-26", "山县"]]), registry())
    assert res.table.empty and list(res.table.columns) == [
        "document",
        "clause",
        "scope",
        "target",
        "target_name",
        "note",
    ]
    assert [w for s, _, w, _, _ in _problems(res) if s == "error"] == ["missing column 'clause'."]


def test_coverage_embedded():
    res = read_coverage()
    assert res.errors == [] and len(res.table) > 10


# -- specs ------------------------------------------------------------------------------
def test_specs():
    assert CONFIDENCE == ("high", "medium", "low")
    assert set(SPECS) == {"pairings", "status", "coverage", "documents", "clauses", "sources", "enclaves"}
    assert all(isinstance(s, LayerSpec) and s.name == k for k, s in SPECS.items())


@pytest.mark.parametrize(
    "header, rows, kind",
    [
        (PH, [["山县", "东区", "", "", "", SRC, ""]], "pairings"),
        (SH, [["", "", "山县", "x", "", "", "", "", "", "", SRC]], "status"),
        (CH, [["ee2021-26", "1", "", "山县", ""]], "coverage"),
        (["a", "b"], [["1", "2"]], None),
        (["县", "备注"], [["山县", "x"]], None),  # a name and a note: neither layer's required columns
    ],
)
def test_detect_table_kind(tmp_path, header, rows, kind):
    assert detect_table_kind(_csv(tmp_path, header, rows)) == kind


def test_detect_table_kind_of_a_file_it_cannot_read(tmp_path):
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    assert detect_table_kind(tmp_path / "a.json") is None
    assert detect_table_kind(tmp_path / "none.csv") is None


# -- coverage against documents and clauses of its own ----------------------------------------
def _docs(tmp_path):
    docs = _csv(tmp_path, ["document", "title", "date"], [["d1", "一号文", "2021-05-06"], ["d2", "二号文", "1989"],
                                                          ["d1", "又一号", "2021"]], "documents.csv")  # fmt: skip
    clauses = _csv(tmp_path, ["document", "clause", "summary"], [["d1", "1", "资金"], ["d1", "1", "又资金"],
                                                                ["zz", "1", "无文件"]], "clauses.csv")  # fmt: skip
    return docs, clauses


def test_coverage_documents_and_clauses_are_checked(tmp_path):
    docs, clauses = _docs(tmp_path)
    res = read_coverage(_csv(tmp_path, CH, [["d1", "1", "", "山县", ""]]), registry(), documents=docs, clauses=clauses)
    assert [(p.severity, p.file, p.where, p.what, p.fix, p.column) for p in res.problems] == [
        ("error", str(docs), "row 3", "'1989' is not a valid year or date.", res.problems[0].fix, "date"),
        ("error", str(docs), "rows 2, 4", "duplicate document: d1.", "keep one row and merge their sources in it.", ""),
        ("error", str(clauses), "rows 2, 3", "duplicate clause: d1 / 1.", "keep one row and merge their sources in it.",
         ""),
        ("error", str(clauses), "row 4", "document 'zz' is not in documents.csv.", "add the document first.",
         "document"),
    ]  # fmt: skip
    assert res.table[["document", "clause", "target"]].values.tolist() == [["d1", "1", "990102"]]
    assert res.source == str(tmp_path / "t.csv")
    assert res.table.attrs["documents"]["document"].tolist() == ["d1", "d2", "d1"]


def test_documents_are_read_once_while_unchanged_and_in_one_language(tmp_path, monkeypatch):
    import os

    from geo import messages_in
    from geo.errors import DataSourceError
    from geo.tables import coverage

    docs, clauses = _docs(tmp_path)
    calls = []
    real = coverage._validated_documents
    monkeypatch.setattr(coverage, "_validated_documents", lambda *a: calls.append(a) or real(*a))
    coverage._DOCUMENTS.clear()
    first = coverage._read_documents(docs, clauses)
    again = coverage._read_documents(docs, clauses)
    assert len(calls) == 1 and again[2] == first[2] and again[0].equals(first[0])
    again[0].loc[0, "title"] = "改过"  # each call owns its frames
    assert coverage._read_documents(docs, clauses)[0].loc[0, "title"] == "一号文" and len(calls) == 1
    with messages_in("zh"):  # the findings in the other language: read again
        zh = coverage._read_documents(docs, clauses)[2]
    assert len(calls) == 2 and zh[1].what != first[2][1].what
    docs.write_text(docs.read_text(encoding="utf-8") + "d3,三号文,2022\n", encoding="utf-8")
    os.utime(docs, ns=(0, 0))  # changed on disk (a new size; an old time)
    assert coverage._read_documents(docs, clauses)[0]["document"].tolist() == ["d1", "d2", "d1", "d3"]
    assert len(calls) == 3
    with pytest.raises(DataSourceError):  # a missing file: the reader's own error
        coverage._read_documents(tmp_path / "gone.csv", clauses)


def test_coverage_goes_on_after_a_bad_row(tmp_path):
    rows = [["ee2021-26", "", "", "山县", ""], ["doc-x", "1", "", "山县", ""], ["ee2021-26", "99", "", "山县", ""],
            ["ee2021-26", "1", "city", "丙市", ""], ["ee2021-26", "1", "county", "甲市", ""],
            ["ee2021-26", "1", "county", "一号名单", ""], ["ee2021-26", "1", "x", "山县", ""],
            ["ee2021-26", "1", "", "水县", ""]]  # fmt: skip
    p = _csv(tmp_path, CH, rows)
    res = read_coverage(p, registry())
    assert res.table[["scope", "target"]].values.tolist() == [["county", "990103"]]
    assert [(x.where, x.file) for x in res.problems] == [(f"row {i}", str(p)) for i in range(2, 9)]
    assert res.problems[4].what == "'甲市' is not a Zhejiang county-level unit."  # scope county: not the city
    assert res.problems[5].what == "'一号名单' is not a Zhejiang county-level unit."  # nor an edition


def test_coverage_new_rows_fill_every_column(tmp_path):
    header = ["文件", "条款", "对象", "标题", "摘要"]
    res = read_coverage(_csv(tmp_path, header, [["doc-x", "1", "山县", "新文件", "第一条"]]), registry())
    docs, clauses = res.table.attrs["documents"], res.table.attrs["clauses"]
    assert docs.index.tolist() == list(range(len(docs))) and clauses.index.tolist() == list(range(len(clauses)))
    assert clauses.iloc[-1].to_dict() == {"document": "doc-x", "clause": "1", "category": "", "summary": "第一条",
                                          "summary_en": "", "note": ""}  # fmt: skip
    assert docs.iloc[-1]["title_en"] == "" and docs.iloc[-1]["title"] == "新文件"
