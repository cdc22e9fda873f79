"""geo.divisions on synthetic histories: renames, recodes, mergers, splits, transfers, chains
of changes, and the layer's own checks. Every function takes the history as an argument."""

from __future__ import annotations

import pytest

from geo.divisions import (
    Extent,
    Flow,
    carry_forward,
    changes,
    clean_name,
    created_by,
    former_units,
    load_changes,
    parse_changes,
    validate,
    vintage_before,
)
from geo.errors import DataSourceError

COLS = ("date", "doc_no", "type", "old_codes", "old_names", "new_codes", "new_names", "flows", "ended", "moved",
        "source", "note")  # fmt: skip


def row(*values) -> dict:
    return dict(zip(COLS, values, strict=True))


#: a province of fictional codes: every kind of change, out of date order on purpose
ROWS = [
    row("2001-01-01", "文1", "rename", "990101", "甲县", "990102", "甲区", "990101>990102", "990101", "甲县改甲区", "s1", ""),
    row("2002-02-02", "文2", "merge", "990201;990301", "乙区;丙区", "990301", "丙区", "990201>990301", "990201", "", "s2", "n2"),
    row("2003-03-03", "文3", "split", "990401;990601", "丁区;己区", "990501;990601", "戊区;己区",
        "990401>990501:part;990401>990601:part", "990401", "", "s3", ""),
    row("2004-04-04", "文4", "rename", "990102", "甲区", "990103", "甲市", "990102>990103", "990102", "", "s1;s4", ""),
    row("2005-05-05", "文5", "rename", "990601", "己区", "990601", "新己区", "990601>990601", "", "", "s5", ""),
    row("2006-06-06", "文6", "transfer", "990301", "丙区(part)", "990501", "戊区", "990301>990501:part", "", "", "s6", ""),
    row("2000-06-01", "文0", "recode", "990701", "庚县", "990702", "庚县", "990701>990702", "990701", "", "s0", ""),
    row("2007-07-07", "文7", "rename", "990901", "辛县", "990902", "辛区", "990901>990902", "990901", "", "", ""),
]  # fmt: skip
H = parse_changes(ROWS)
CURRENT = {"990103": "甲市", "990301": "丙区", "990501": "戊区", "990601": "新己区", "990702": "庚县"}


def test_parse_changes_reads_rows_oldest_first():
    h = parse_changes(ROWS)  # parsed in the test (H is parsed once, on import)
    assert h == H
    assert [c.date for c in h] == sorted(r["date"] for r in ROWS)
    split = h[3]
    assert split.doc_no == "文3" and split.type == "split"
    assert split.old == (("990401", "丁区"), ("990601", "己区"))
    assert split.new == (("990501", "戊区"), ("990601", "己区"))
    assert split.flows == (Flow("990401", "990501", False), Flow("990401", "990601", False))
    assert split.ended == ("990401",)
    assert h[1].flows == (Flow("990101", "990102", True),)
    assert h[1].moved == "甲县改甲区" and h[2].moved == ""
    assert h[4].sources == ("s1", "s4")
    assert h[2].note == "n2" and h[1].note == ""
    assert h[-1].sources == () and h[-1].ended == ("990901",)
    assert [c.type for c in h] == ["recode", "rename", "merge", "split", "rename", "rename", "transfer", "rename"]
    assert [c.doc_no for c in h] == ["文0", "文1", "文2", "文3", "文4", "文5", "文6", "文7"]


def test_parse_changes_note_is_optional():
    (ch,) = parse_changes([{k: v for k, v in ROWS[0].items() if k != "note"}])
    assert ch.note == ""


@pytest.mark.parametrize(
    "change, message",
    [
        ({"flows": "990101-990102"}, "row 3: flow '990101-990102' is not CODE>CODE or CODE>CODE:part"),
        ({"flows": "990101>990102:some"}, "row 3: flow '990101>990102:some' is not"),
        ({"flows": "99010>990102"}, "row 3: flow '99010>990102' is not"),
        ({"old_names": "甲县;乙县"}, "row 3: codes and names differ in number"),
        ({"new_codes": "990102;990103"}, "row 3: codes and names differ in number"),
    ],
)
def test_parse_changes_refuses_a_bad_row(change, message):
    with pytest.raises(DataSourceError) as exc:
        parse_changes([ROWS[1], {**ROWS[0], **change}], "my/divisions.csv")
    text = str(exc.value)
    assert text.startswith("my/divisions.csv: row 3: ")
    assert message in text
    assert text.endswith(". Fix: correct the layer (see layers/README.md).")


def test_parse_changes_names_the_layer_by_default():
    with pytest.raises(DataSourceError, match=r"^layers/divisions\.csv: row 2: codes and names differ in number\. Fix"):
        parse_changes([{**ROWS[0], "old_names": "甲县;乙县"}])


def test_parse_changes_names_a_missing_column():
    with pytest.raises(DataSourceError, match=r"^x\.csv: row 2: 'ended'\. Fix"):
        parse_changes([{k: v for k, v in ROWS[0].items() if k != "ended"}], "x.csv")


def test_the_embedded_layer_is_the_default():
    assert load_changes()[0].date == "2000-05-20"
    assert changes() == list(load_changes())
    assert changes(2019)[0].summary() == "2019-08-16 苍南县 → 龙港市 (民函〔2019〕83号)"
    assert all(c.year >= 2019 for c in changes(2019))
    assert validate({"999999"}, H, set()) != validate({"999999"})


@pytest.mark.parametrize(
    "since, dates",
    [
        (None, ["2000-06-01", "2001-01-01", "2002-02-02", "2003-03-03", "2004-04-04", "2005-05-05", "2006-06-06",
                "2007-07-07"]),
        (2005, ["2005-05-05", "2006-06-06", "2007-07-07"]),
        ("2007", ["2007-07-07"]),
        (2008, []),
    ],
)  # fmt: skip
def test_changes_since(since, dates):
    assert [c.date for c in changes(since, H)] == dates
    assert [c.date for c in changes(since, history=list(reversed(H)))] == dates  # any order given


def test_change_methods():
    merge, split, transfer = H[2], H[3], H[6]
    assert merge.year == 2002
    assert merge.name_of("990201") == "乙区"
    assert transfer.name_of("990301") == "丙区"  # the table's qualifier dropped
    assert split.name_of("990501") == "戊区"
    assert split.name_of("123456") == "123456"
    assert merge.summary() == "2002-02-02 乙区、丙区 → 丙区 (文2)"
    assert split.summary() == "2003-03-03 丁区、己区 → 戊区、己区 (文3)"
    assert H[4].as_row() == {
        "date": "2004-04-04",
        "doc_no": "文4",
        "type": "rename",
        "old_codes": "990102",
        "old_names": "甲区",
        "new_codes": "990103",
        "new_names": "甲市",
        "moved": "",
        "source": "s1;s4",
        "note": "",
    }
    assert split.as_row()["old_codes"] == "990401;990601"
    assert split.as_row()["old_names"] == "丁区、己区"
    assert split.as_row()["new_codes"] == "990501;990601"
    assert split.as_row()["new_names"] == "戊区、己区"
    assert transfer.as_row()["old_names"] == "丙区(part)"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("江干区(part)", "江干区"),
        ("江干区（部分）", "江干区"),
        (" 景宁县 ", "景宁县"),
        ("江干区 (part) ", "江干区"),
        ("a(b)c", "a(b)c"),  # only a trailing qualifier
        ("江干区(a)(b)", "江干区(a)"),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def _former(units):
    return [(f.code, f.name, f.change.date, f.successors, f.successor_names, f.resolves_to, f.merged,
             tuple(c.date for c in f.later)) for f in units]  # fmt: skip


def test_former_units_of_a_synthetic_history():
    units = former_units(CURRENT, H)
    assert _former(units) == [
        ("990701", "庚县", "2000-06-01", ("990702",), ("庚县",), "990702", False, ()),  # recode
        ("990101", "甲县", "2001-01-01", ("990103",), ("甲市",), "990103", False, ("2004-04-04",)),  # a chain
        ("990201", "乙区", "2002-02-02", ("990301",), ("丙区",), "990301", True, ("2006-06-06",)),  # merged
        ("990401", "丁区", "2003-03-03", ("990501", "990601"), ("戊区", "新己区"), None, False, ()),  # split
        ("990102", "甲区", "2004-04-04", ("990103",), ("甲市",), "990103", False, ()),
        ("990601", "己区", "2005-05-05", ("990601",), ("新己区",), "990601", False, ()),  # same code, new name
    ]  # 辛县 went to 辛区, which is not one of today's: no successor, not listed
    text = [f.describe() for f in units]
    assert text == [
        "庚县 (990701) has the code 990702 since 2000-06-01 (文0).",
        "甲县 (990101) is 甲市 (990103) since 2001-01-01 (文1); 甲市 has changed since (2004-04-04).",
        "乙区 (990201) was merged into 丙区 on 2002-02-02 (文2); 丙区 has changed since (2006-06-06).",
        "丁区 (990401) was abolished on 2003-03-03 (文3): its area was merged into 戊区 and 新己区.",
        "甲区 (990102) is 甲市 (990103) since 2004-04-04 (文4).",
        "己区 (990601) is 新己区 (990601) since 2005-05-05 (文5).",
    ]


def test_former_units_of_no_history():
    assert former_units(CURRENT, []) == []


def test_a_merger_into_a_unit_set_up_for_it_is_not_merged():
    rows = [
        row("2010-01-01", "文A", "merge", "990201;990301", "乙区;丙区", "990801", "新区", "990201>990801;990301>990801",
            "990201;990301", "", "s", ""),
    ]  # fmt: skip
    units = former_units({"990801": "新区"}, parse_changes(rows))
    assert [(f.code, f.resolves_to, f.merged) for f in units] == [
        ("990201", "990801", False),
        ("990301", "990801", False),
    ]
    assert units[0].describe() == "乙区 (990201) is 新区 (990801) since 2010-01-01 (文A)."


def history(*rows):
    return parse_changes([row(*r) for r in rows])


@pytest.mark.parametrize(
    "rows, current, expected",
    [
        # two rows of one day chain: A → B, then B → C
        ([("2010-01-01", "a", "rename", "990201", "乙区", "990301", "丙区", "990201>990301", "990201", "", "s", ""),
          ("2010-01-01", "b", "rename", "990301", "丙区", "990401", "丁区", "990301>990401", "990301", "", "s", "")],
         {"990401": "丁区"},
         [("990201", ("990401",), "990401"), ("990301", ("990401",), "990401")]),
        # split into P (today's) and Q, which later became R: both successors, no single one
        ([("2010-01-01", "a", "split", "990201", "乙区", "990301;990401", "丙区;丁区", "990201>990301:part;990201>990401:part",
           "990201", "", "s", ""),
          ("2012-01-01", "b", "rename", "990401", "丁区", "990501", "戊区", "990401>990501", "990401", "", "s", "")],
         {"990301": "丙区", "990501": "戊区"},
         [("990201", ("990301", "990501"), None), ("990401", ("990501",), "990501")]),
        # only a part went on (the rest to no unit of today): where it is, but not one unit
        ([("2010-01-01", "a", "cut", "990201", "乙区", "990401", "丁区", "990201>990401:part", "990201", "", "s", ""),
          ("2012-01-01", "b", "rename", "990401", "丁区", "990501", "戊区", "990401>990501", "990401", "", "s", "")],
         {"990501": "戊区"},
         [("990201", ("990501",), None), ("990401", ("990501",), "990501")]),
        # all of it to P and a part to Z, which is not a unit of today: still not one unit
        ([("2010-01-01", "a", "split", "990201", "乙区", "990301;990901", "丙区;某区", "990201>990301;990201>990901:part",
           "990201", "", "s", "")],
         {"990301": "丙区"},
         [("990201", ("990301",), None)]),
        # a part moved out, and the unit renamed later under its code: named from the rename only
        ([("2010-01-01", "a", "transfer", "990201", "乙区(part)", "990301", "丙区", "990201>990301:part", "", "", "s", ""),
          ("2012-01-01", "b", "rename", "990201", "乙区", "990201", "甲区", "990201>990201", "", "", "s", "")],
         {"990201": "甲区", "990301": "丙区"},
         [("990201", ("990201",), "990201")]),
        # the unit that goes on is named first: the one that ended is still found
        ([("2010-01-01", "a", "merge", "990301;990201", "丙区;乙区", "990301", "丙区", "990201>990301", "990201", "", "s",
           "")],
         {"990301": "丙区"},
         [("990201", ("990301",), "990301")]),
    ],
)  # fmt: skip
def test_former_units_cases(rows, current, expected):
    units = former_units(current, history(*rows))
    assert [(f.code, f.successors, f.resolves_to) for f in units] == expected


def test_describe_lists_every_later_change_once():
    h = history(
        ("2010-01-01", "a", "rename", "990201", "乙区", "990301", "丙区", "990201>990301", "990201", "", "s", ""),
        ("2011-01-01", "b", "transfer", "990301", "丙区(part)", "990401", "丁区", "990301>990401:part", "", "", "s", ""),
        ("2011-01-01", "c", "transfer", "990301", "丙区(part)", "990501", "戊区", "990301>990501:part", "", "", "s", ""),
        ("2012-01-01", "d", "transfer", "990401", "丁区(part)", "990301", "丙区", "990401>990301:part", "", "", "s", ""),
    )  # fmt: skip
    (unit,) = former_units({"990301": "丙区", "990401": "丁区", "990501": "戊区"}, h)
    assert (
        unit.describe()
        == "乙区 (990201) is 丙区 (990301) since 2010-01-01 (a); 丙区 has changed since (2011-01-01, 2012-01-01)."
    )


def test_a_cycle_of_ends_does_not_recurse_for_ever():
    rows = [
        row("2010-01-01", "文A", "rename", "990201", "乙区", "990301", "丙区", "990201>990301", "990201", "", "s", ""),
        row("2011-01-01", "文B", "rename", "990301", "丙区", "990201", "乙区", "990301>990201", "990301", "", "s", ""),
        row("2012-01-01", "文C", "rename", "990201", "乙区", "990301", "丙区", "990201>990301", "990201", "", "s", ""),
    ]  # fmt: skip
    units = former_units({"990301": "丙区"}, parse_changes(rows))
    # the chain from 2010 is not followed back through 乙区 (seen already): only the later ends
    assert [(f.code, f.change.date, f.successors, tuple(c.date for c in f.later)) for f in units] == [
        ("990301", "2011-01-01", ("990301",), ("2012-01-01",)),
        ("990201", "2012-01-01", ("990301",), ()),
    ]


@pytest.mark.parametrize(
    "code, date",
    [
        ("990102", "2001-01-01"),
        ("990103", "2004-04-04"),
        ("990501", "2003-03-03"),  # set up by a split
        ("990702", "2000-06-01"),
        ("990902", "2007-07-07"),
        ("990301", None),  # existed before the history: it took 乙区 in
        ("990601", None),  # a part of 丁区 went to it
        ("990101", None),
        ("123456", None),
    ],
)
def test_created_by(code, date):
    ch = created_by(code, H)
    assert (ch.date if ch else None) == date


def test_created_by_a_unit_seen_before_is_not_created_later():
    h = history(
        ("2001-01-01", "a", "transfer", "990301", "丙区(part)", "990401", "丁区", "990301>990401:part", "", "", "s", ""),
        ("2005-01-01", "b", "merge", "990201", "乙区", "990301", "丙区", "990201>990301", "990201", "", "s", ""),
    )  # fmt: skip
    assert created_by("990301", h) is None
    assert created_by("990401", h).doc_no == "a"


def _extents(result):
    return {k: (sorted(v.atoms), v.exact, [c.date for c in v.changes]) for k, v in result.items()}


def test_carry_forward_through_every_kind_of_change():
    got = carry_forward(["990101", "990201", "990301", "990401", "990601", "990701"], "2000-01-01", H)
    assert _extents(got) == {
        # renamed twice: one unit, exactly (Extent.plus keeps the last change only, not the chain)
        "990103": (["990101"], True, ["2004-04-04"]),
        "990301": (["990201", "990301"], False, ["2002-02-02", "2006-06-06"]),  # merged, then a part moved out
        "990501": (["990201", "990301", "990401"], False, ["2003-03-03", "2006-06-06"]),
        "990601": (["990401", "990601"], False, ["2003-03-03"]),
        "990702": (["990701"], True, ["2000-06-01"]),
        "990902": ([], False, ["2007-07-07"]),  # a unit the file lacks flowed into it
    }


def test_carry_forward_from_a_date_skips_earlier_changes():
    got = carry_forward(["990201", "990301"], "2002-02-02", H)  # the merger's own day is included
    assert _extents(got)["990301"] == (["990201", "990301"], False, ["2002-02-02", "2006-06-06"])
    assert "990201" not in got
    got = carry_forward(["990201", "990301"], "2002-02-03", H)
    assert _extents(got)["990201"] == (["990201"], True, [])
    assert _extents(got)["990301"] == (["990301"], False, ["2006-06-06"])


def test_carry_forward_of_a_unit_the_file_lacks_is_inexact():
    got = carry_forward(["990301"], "2002-01-01", H)
    assert _extents(got)["990301"] == (["990301"], False, ["2002-02-02", "2006-06-06"])
    exact = carry_forward(["990201", "990301"], "2002-01-01", H[:3])
    assert _extents(exact)["990301"] == (["990201", "990301"], True, ["2002-02-02"])


def test_carry_forward_of_a_rename_in_place_and_a_cut_in_place():
    rows = [
        row("2010-01-01", "文A", "rename", "990601", "己区", "990601", "新己区", "990601>990601", "", "", "s", ""),
        row("2011-01-01", "文B", "cut", "990601", "新己区", "990601", "新己区", "990601>990601:part", "", "", "s", ""),
    ]  # fmt: skip
    got = carry_forward(["990601"], "2000-01-01", parse_changes(rows))
    assert _extents(got) == {"990601": (["990601"], False, ["2011-01-01"])}
    got = carry_forward(["990601"], "2000-01-01", parse_changes(rows[:1]))
    assert _extents(got) == {"990601": (["990601"], True, [])}
    got = carry_forward([], "2000-01-01", parse_changes(rows))
    assert _extents(got) == {"990601": ([], False, ["2011-01-01"])}


@pytest.mark.parametrize(
    "flows, ended, expected",
    [
        # two flows into a unit set up by the change: both in it
        ("990201>990501;990301>990501", "990201;990301", {"990501": (["990201", "990301"], True, ["2010-01-01"])}),
        # two flows into a unit that goes on: all three in it
        ("990201>990301;990401>990301", "990201;990401", {"990301": (["990201", "990301", "990401"], True, ["2010-01-01"])}),
        # a part in and a part out of the same unit in one change: what came in stays
        ("990201>990301:part;990301>990301:part", "990201",
         {"990301": (["990201", "990301"], False, ["2010-01-01"])}),
        # a cut in place does not stop the flows after it
        ("990301>990301:part;990201>990301", "990201", {"990301": (["990201", "990301"], False, ["2010-01-01"])}),
        # all of a unit flowing on does not cut it (it ends, or the row says what else happened)
        ("990201>990301", "", {"990201": (["990201"], True, []), "990301": (["990201", "990301"], True, ["2010-01-01"])}),
    ],
)  # fmt: skip
def test_carry_forward_flows_of_one_change(flows, ended, expected):
    h = history(("2010-01-01", "x", "merge", "990201;990301;990401", "乙;丙;丁", "990301;990501", "丙;戊", flows, ended, "",
                 "s", ""))  # fmt: skip
    got = _extents(carry_forward(["990201", "990301", "990401"], "2000-01-01", h))
    assert {k: v for k, v in got.items() if k in expected} == expected


def test_extent_plus_and_cut():
    a, b = Extent(frozenset({"1"})), Extent(frozenset({"2"}), True, (H[0],))
    both = a.plus(b, True, H[1])
    assert both == Extent(frozenset({"1", "2"}), True, (H[1],))
    assert a.plus(b, False, H[1]).exact is False
    assert a.plus(Extent(frozenset(), False), True, H[1]).exact is False
    assert both.plus(a, True, H[1]).changes == (H[1],)  # a change counted once
    assert a.cut(H[2]) == Extent(frozenset({"1"}), False, (H[2],))
    assert Extent() == Extent(frozenset(), True, ())


def test_vintage_before():
    units = former_units(CURRENT, H)
    assert vintage_before([]) == (None, [])
    first, why = vintage_before([units[2], units[1]], [("戊区", H[3])])
    assert first == "2001-01-01"
    assert why == ["names 甲县 (until 2001-01-01)", "names 乙区 (until 2002-02-02)", "has no 戊区 (set up 2003-03-03)"]
    assert vintage_before([], [("戊区", H[3]), ("戊区", H[3])]) == ("2003-03-03", ["has no 戊区 (set up 2003-03-03)"])


def test_validate_reads_the_source_ids_of_the_layer_by_default():
    assert validate({"999999"}, H[:1]) == [
        ("2000-06-01 文0", "source 's0' is not in sources.csv."),
        ("standing", "990702 is not one of today's units and never ended."),
    ]


def test_validate_names_each_problem():
    bad = [
        *ROWS,
        row("2008-08-08", "文8", "transfer", "990301", "丙区", "990501", "戊区", "990301>990503:part", "990103", "", "s9",
            ""),
        row("2009-09-09", "文9", "rename", "990300", "丙市", "990301", "丙区", "990300>990301", "", "", "s0", ""),
    ]  # fmt: skip
    problems = validate(set(CURRENT), parse_changes(bad), {"s0", "s1", "s2", "s3", "s5", "s6"})
    assert problems == [
        ("2004-04-04 文4", "source 's4' is not in sources.csv."),
        ("2007-07-07 文7", "no source."),
        ("2008-08-08 文8", "source 's9' is not in sources.csv."),
        ("2008-08-08 文8", "flow 990301>990503 between units the row does not name."),
        ("ended", "990103 is one of today's units."),
        ("standing", "990902 is not one of today's units and never ended."),
    ]


def test_validate_a_flow_from_a_unit_not_named_before():
    rows = [
        row("2010-01-01", "文A", "rename", "990201", "乙区", "990301", "丙区", "990202>990301", "990201", "", "s", "")
    ]
    assert validate({"990301"}, parse_changes(rows), {"s"}) == [
        ("2010-01-01 文A", "flow 990202>990301 between units the row does not name.")
    ]
    assert validate({"990301"}, parse_changes(ROWS[:1]), {"s1"}) == [
        ("standing", "990102 is not one of today's units and never ended.")
    ]
