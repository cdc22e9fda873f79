"""geo.keyed: the cells of one column keyed by county, and an older table carried to today's
units, on the synthetic province with histories made for each case."""

from __future__ import annotations

import math

import pytest

from geo.divisions import parse_changes
from geo.keyed import Keyed, carry_to_today, coverage_warning, read_keyed
from geo.read.sheet import SheetRow
from geo.registry import Registry

from .synthetic import TABLES, change_row, registry

RENAME = change_row("2010-01-01", "文1", "rename", "990104", "旧东市", "990101", "东区", "990104>990101", "990104", "", "s",
                    "")  # fmt: skip
NEW = change_row(
    "2013-01-01", "文4", "new", "990201", "东县(part)", "990202", "新区", "990201>990202:part", "", "", "s", ""
)
MERGE = change_row("2012-01-01", "文3", "merge", "990106;990102", "林县;山县", "990102", "山县", "990106>990102", "990106",
                   "", "s", "")  # fmt: skip


def rows(*cells) -> list[SheetRow]:
    return [SheetRow(i + 2, label, [label, value]) for i, (label, value) in enumerate(cells)]


def _errors(k: Keyed):
    return [(p.severity, p.file, p.where, p.what, p.fix, p.column) for p in k.errors]


def test_read_keyed_reads_each_row():
    reg = Registry(TABLES, parse_changes([RENAME]))
    k = read_keyed(rows(("旧东市", "10"), ("山县", "4%"), ("990103", "1,234"), ("东县", ""), ("", "")), 1, reg, "f.csv",
                   "pop")  # fmt: skip
    assert k.raw == {"990104": 10.0, "990102": 4.0, "990103": 1234.0, "990201": pytest.approx(math.nan, nan_ok=True)}
    assert k.names == {"990104": "旧东市", "990102": "山县", "990103": "水畲族自治县", "990201": "东县"}
    assert [f.code for f in k.formers] == ["990104"]
    assert k.implied == {"", "%"}
    assert k.errors == []


def test_read_keyed_errors():
    reg = Registry(TABLES, parse_changes([RENAME]))
    k = read_keyed(rows(("旧东市", "10"), ("东区", "5"), ("x县", "1"), ("东县", "a"), ("东县", "3"), ("", "7"), ("西藏", "1")),
                   1, reg, "f.csv", "pop", "县名")  # fmt: skip
    assert k.raw == {"990104": 10.0, "990101": 5.0}
    assert _errors(k) == [
        ("error", "f.csv", "row 4", "'x县' is not a Zhejiang county-level unit (did you mean 水畲族自治县, 山县, 东县?).",
         "write the full name, the short name or the 6-digit code.", "pop"),
        ("error", "f.csv", "row 5", "'a' is not a number.",
         "write a number (1,234.5, 12.3%, 5.6万), or leave it blank.", "pop"),
        ("error", "f.csv", "row 6", "东县 is named twice (rows 5 and 6).", "keep one row per county.", "pop"),
        ("error", "f.csv", "row 7", "'7' has no county.", "fill in the county in column 县名.", "pop"),
        ("error", "f.csv", "row 8", "'西藏' is not a Zhejiang county-level unit.",
         "write the full name, the short name or the 6-digit code.", "pop"),
        ("error", "f.csv", "row 2", "旧东市 and 东区 (row 3) are the same unit before and after 2010-01-01 (文1).",
         "keep the row of the year the table is for.", "pop"),
    ]  # fmt: skip
    k = read_keyed(rows(("", "7")), 1, reg, "f.csv", "pop")
    assert k.errors[0].fix == "fill in the county in column one."


def test_a_merged_unit_and_its_successor_are_not_the_same_unit():
    reg = Registry(TABLES, parse_changes([MERGE]))
    k = read_keyed(rows(("林县", "2"), ("山县", "3")), 1, reg, "f.csv", "pop")
    assert k.errors == [] and k.raw == {"990106": 2.0, "990102": 3.0}


def _notes(out):
    return [(p.severity, p.file, p.where, p.what, p.fix, p.column) for p in out["problems"]]


def test_a_table_of_today_is_kept_as_it_is():
    reg = registry()
    k = read_keyed(rows(("东区", "1"), ("山县", "2"), ("东县", "3")), 1, reg, "f.csv", "pop")
    values, out = carry_to_today(reg, k, "f.csv", "pop", False)
    assert values == {"990101": 1.0, "990102": 2.0, "990201": 3.0}
    assert values is not k.raw
    assert out == {"problems": [], "not_comparable": {}, "summed": {}}


def test_a_renamed_unit_is_carried_and_a_later_one_noted():
    reg = Registry(TABLES, parse_changes([RENAME, NEW]))
    k = read_keyed(
        rows(("旧东市", "10"), ("山县", "5"), ("水县", "1"), ("东县", "2"), ("新区", "3")), 1, reg, "f.csv", "pop"
    )
    values, out = carry_to_today(reg, k, "f.csv", "pop", False)
    assert {c: v for c, v in values.items() if not math.isnan(v)} == {"990101": 10.0, "990102": 5.0, "990103": 1.0}
    assert sorted(out["not_comparable"]) == ["990201", "990202"]
    assert out["summed"] == {}
    assert _notes(out) == [
        ("info", "f.csv", "vintage", "the table uses the county-level units of before 2010-01-01 (it names 旧东市 (until "
         "2010-01-01)): its values are carried to today's units.", "", "pop"),
        ("warning", "f.csv", "vintage", "the table also names units set up on or after 2010-01-01: 新区 (set up "
         "2013-01-01); it mixes vintages.", "check the year of each row.", "pop"),
        ("info", "f.csv", "vintage", "renamed units carried over: 旧东市 → 东区 (2010-01-01, 文1).", "", "pop"),
        ("warning", "f.csv", "vintage", "no comparable data for 2 of today's units: 东县: the table's 东县 changed area on "
         "2013-01-01 (文4); 新区: the table's 东县, 新区 changed area on 2013-01-01 (文4).",
         "use a table of today's units for these.", "pop"),
    ]  # fmt: skip


@pytest.mark.parametrize("additive", [False, True])
def test_merged_units_are_summed_when_additive(additive):
    reg = registry()
    k = read_keyed(
        rows(("东区", "1"), ("林县", "2"), ("山县", "3"), ("东县", "4"), ("水县", "5")), 1, reg, "f.csv", "pop"
    )
    values, out = carry_to_today(reg, k, "f.csv", "pop", additive)
    notes = _notes(out)
    assert notes[0][3] == ("the table uses the county-level units of before 2012-01-01 (it names 林县 (until 2012-01-01); "
                           "it has no 新区 (set up 2013-01-01)): its values are carried to today's units.")  # fmt: skip
    assert values["990101"] == 1.0 and values["990103"] == 5.0
    assert math.isnan(values["990201"]) and math.isnan(values["990202"])
    if additive:
        assert values["990102"] == 5.0
        assert out["summed"] == {"990102": ("山县", "林县")}
        assert notes[1][:5] == (
            "info",
            "f.csv",
            "vintage",
            "summed because the column is additive: 山县 = 山县 + 林县.",
            "",
        )
        assert notes[2][3].startswith("no comparable data for 2 of today's units: 东县: ")
        assert notes[2][4] == "use a table of today's units for these."
    else:
        assert math.isnan(values["990102"])
        assert sorted(out["not_comparable"]) == ["990102", "990201", "990202"]
        assert [c.date for c in out["not_comparable"]["990102"]] == ["2012-01-01"]
        assert notes[1][3] == (
            "no comparable data for 3 of today's units: 山县 = 山县 + 林县, merged on 2012-01-01 (文3); 东县: the "
            "table's 东县 changed area on 2013-01-01 (文4); 新区: the table's 东县 changed area on 2013-01-01 (文4)."
        )
        assert notes[1][4] == (
            "pass `additive=True` if the column can be summed (population, area, output) to add up merged units; units "
            "split since stay without comparable data."
        )
    assert len(notes) == (3 if additive else 2)


def test_a_vintage_year_given():
    reg = registry()
    k = read_keyed(
        rows(("东区", "1"), ("山县", "2"), ("水县", "3"), ("东县", "4"), ("新区", "5")), 1, reg, "f.csv", "pop"
    )
    values, out = carry_to_today(reg, k, "f.csv", "pop", False, vintage=2010)
    assert values["990103"] == 3.0 and math.isnan(values["990101"])
    notes = _notes(out)
    assert notes[0][3] == ("the table uses the county-level units of before 2011-01-01 (it is of 2010 (`vintage=2010`)): its "
                           "values are carried to today's units.")  # fmt: skip
    assert notes[1][3] == ("the table also names units set up on or after 2011-01-01: 新区 (set up 2013-01-01); it "
                           "mixes vintages.")  # fmt: skip
    values, out = carry_to_today(reg, k, "f.csv", "pop", False, vintage=2013)
    assert out["problems"] == [] and values == k.raw


def test_coverage_warning():
    reg = registry()
    e1 = reg.editions["E1"]  # 山县 and 水畲族自治县
    nan = math.nan
    assert coverage_warning(reg, e1, {"990102": 1.0, "990103": 2.0}, {}, "f.csv", "pop") is None
    assert coverage_warning(reg, e1, {"990102": 1.0}, {}, "f.csv", "pop") is None  # half is enough
    assert coverage_warning(reg, e1, {"990102": nan}, {"990103": ()}, "f.csv", "pop") is None
    w = coverage_warning(reg, e1, {"990102": nan, "990101": 1.0}, {}, "f.csv", "pop")
    assert (w.severity, w.file, w.where, w.column) == ("warning", "f.csv", "file", "pop")
    assert w.what == "the file covers only 0 of the 2 counties of edition E1; missing: 山县, 水畲族自治县."
    assert w.fix == "add the missing counties, or ignore this if the map is meant to show fewer."
