"""geo.vintage: which changes a table predates, its values carried to today's units, and the
units a boundary file lacks, on synthetic histories and squares."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
import shapely

from geo.divisions import former_units, parse_changes
from geo.vintage import HOLD_SHARE, carry_values, covered_units, largest_share, table_vintage

from .synthetic import HISTORY, change_row

CURRENT = {"990101": "东区", "990102": "山县", "990103": "水畲族自治县", "990201": "东县", "990202": "新区"}
FORMERS = {f.code: f for f in former_units(CURRENT, HISTORY)}


@pytest.mark.parametrize(
    "formers, present, vintage, expected",
    [
        ([], set(CURRENT), None, (None, [])),  # today's units
        (["990104"], {"990104", "990102", "990103", "990201"}, None,
         ("2010-01-01", ["names 旧东市 (until 2010-01-01)", "has no 新区 (set up 2013-01-01)"])),
        # four of five: complete enough to say what it lacks
        ([], {"990101", "990102", "990103", "990201"}, None, ("2013-01-01", ["has no 新区 (set up 2013-01-01)"])),
        # three of five: a table of some units lacks others by choice
        ([], {"990101", "990102", "990201"}, None, (None, [])),
        # 新区's source is missing too: nothing says the table predates it
        ([], {"990101", "990102", "990103", "990105"}, None, (None, [])),
        (["990106"], {"990101", "990106", "990102", "990103", "990201"}, None,
         ("2012-01-01", ["names 林县 (until 2012-01-01)", "has no 新区 (set up 2013-01-01)"])),
        ([], set(CURRENT), 2010, ("2011-01-01", ["is of 2010 (`vintage=2010`)"])),
        ([], set(CURRENT), "2012", ("2013-01-01", ["is of 2012 (`vintage=2012`)"])),
        ([], set(CURRENT), 2013, (None, ["is of 2013 (`vintage=2013`)"])),
        ([], set(CURRENT), 2008, ("2009-01-01", ["is of 2008 (`vintage=2008`)"])),
    ],
)  # fmt: skip
def test_table_vintage(formers, present, vintage, expected):
    got = table_vintage([FORMERS[c] for c in formers], present, CURRENT, vintage, HISTORY)
    assert got == expected


def test_table_vintage_a_newer_unit_proves_the_table_is_not_older():
    # 新区 was set up in 2013 from 东县; a table naming 新区 but lacking a unit set up before it
    # does not predate that one
    h = parse_changes(
        [
            change_row("2012-01-01", "文A", "new", "990101", "东区(part)", "990103", "水畲族自治县", "990101>990103:part", "",
                       "", "s", ""),
            change_row("2013-01-01", "文4", "new", "990201", "东县(part)", "990202", "新区", "990201>990202:part", "", "",
                       "s", ""),
        ]
    )  # fmt: skip
    assert table_vintage([], {"990101", "990102", "990201", "990202"}, CURRENT, None, h) == (None, [])
    assert table_vintage([], {"990101", "990102", "990201", "990103"}, CURRENT, None, h) == (
        "2013-01-01", ["has no 新区 (set up 2013-01-01)"])  # fmt: skip


def test_table_vintage_embedded_default():
    assert table_vintage([], set(), {}, 2000)[0] == "2001-01-13"  # the first change after 2000


def test_carry_values_renamed_summed_and_not_comparable():
    values = {"990104": 10.0, "990106": 2.0, "990102": 3.0, "990201": 4.0, "990103": 5.0}
    names = {"990104": "旧东市", "990106": "林县", "990102": "山县", "990201": "东县", "990103": "水县"}
    h = [HISTORY[1], HISTORY[3]]  # the rename and the merger only
    out = carry_values(values, names, "2010-01-01", CURRENT, False, h)
    assert out.values["990101"] == 10.0 and out.values["990103"] == 5.0 and out.values["990201"] == 4.0
    assert math.isnan(out.values["990102"])
    assert [(o, n, c.date) for o, n, c in out.renamed] == [("旧东市", "东区", "2010-01-01")]
    assert out.summed == {}
    assert [c.date for c in out.not_comparable["990102"]] == ["2012-01-01"]
    assert out.why == {"990102": "山县 = 山县 + 林县, merged on 2012-01-01 (文3)"}
    out = carry_values(values, names, "2010-01-01", CURRENT, True, h)
    assert out.values["990102"] == 5.0 and out.summed == {"990102": ("山县", "林县")}
    assert out.not_comparable == {} and out.why == {}
    # a merged unit with a blank value is not summed
    out = carry_values({**values, "990106": math.nan}, names, "2010-01-01", CURRENT, True, h)
    assert math.isnan(out.values["990102"]) and "990102" in out.not_comparable


def test_carry_values_of_a_changed_area_and_a_missing_unit():
    values = {"990101": 1.0, "990201": 4.0}
    out = carry_values(values, {"990201": "东县"}, "2011-01-01", CURRENT, True, HISTORY)
    assert math.isnan(out.values["990101"]) and math.isnan(out.values["990201"])
    assert out.why["990101"] == "东区: the table's 990101 changed area on 2011-01-01 (文2)"
    assert out.why["990201"] == "东县: the table's 东县 changed area on 2013-01-01 (文4)"
    assert "990102" not in out.values  # no value of the table is in it
    out = carry_values({"990103": 7.0}, {}, "2011-01-01", CURRENT, False, HISTORY)
    assert out.values == {"990103": 7.0} and out.renamed == []  # untouched: not "renamed"


def _frame(items):
    return gpd.GeoDataFrame({"code": [c for c, _ in items]}, geometry=[g for _, g in items], crs=4326)


def test_largest_share():
    ref = _frame([("a", shapely.box(0, 0, 1, 1)), ("b", shapely.box(1, 0, 2, 1))])
    assert largest_share(shapely.box(0.2, 0, 1.5, 1), ["a", "b"], ref) == "a"
    assert largest_share(shapely.box(0.8, 0, 2, 1), ["a", "b"], ref) == "b"
    assert largest_share(shapely.box(5, 5, 6, 6), ["b", "a"], ref) == "b"  # no overlap: the first
    assert largest_share(shapely.box(0, 0, 2, 1), ["x", "b"], ref) == "b"  # not in the reference: skipped


def test_covered_units():
    reference = _frame([
        ("990201", shapely.box(0, 0, 2, 1)),  # 东县
        ("990202", shapely.box(2, 0, 3, 1)),  # 新区, set up in 2013
        ("990103", shapely.box(3, 0, 4, 1)),  # not set up by a change
    ])  # fmt: skip
    names = {"990201": "东县", "990202": "新区"}
    old = _frame([("990201", shapely.box(0, 0, 3, 1))])  # the file's 东县 still holds 新区
    ((code, ch, holders),) = covered_units(old, reference, names, HISTORY)
    assert (code, ch.date, holders) == ("990202", "2013-01-01", ["东县"])
    # two features hold it, the larger first; names unknown are shown as codes
    two = _frame([("990201", shapely.box(0, 0, 2.3, 1)), ("X", shapely.box(2.3, 0, 3, 1))])
    assert covered_units(two, reference, names, HISTORY)[0][2] == ["X", "东县"]
    # a share under HOLD_SHARE does not hold it, and together they must cover over 60 %
    assert HOLD_SHARE == 0.2
    thin = _frame([("990201", shapely.box(0, 0, 2.15, 1)), ("X", shapely.box(2.15, 0, 2.5, 1))])
    assert covered_units(thin, reference, names, HISTORY) == []
    part = _frame([("990201", shapely.box(0, 0, 2.55, 1)), ("X", shapely.box(2.55, 0, 2.62, 1))])
    assert covered_units(part, reference, names, HISTORY) == []
    near = _frame([("990201", shapely.box(0, 0, 2.35, 1)), ("X", shapely.box(2.35, 0, 2.62, 1))])
    assert covered_units(near, reference, names, HISTORY)[0][2] == ["东县", "X"]
    # present in the file: not covered
    assert covered_units(_frame([*zip(reference["code"], reference.geometry, strict=True)]), reference, names,
                         HISTORY) == []  # fmt: skip
    empty = _frame([("990202", shapely.Polygon())])
    assert covered_units(old, _frame([("990202", shapely.Polygon())]), names, HISTORY) == [] and len(empty) == 1


def test_carry_values_defaults_and_names():
    h = [HISTORY[1], HISTORY[3]]
    values = {"990104": 10.0, "990106": 2.0, "990102": 3.0}
    out = carry_values(values, {}, "2010-01-01", CURRENT, history=h)  # not additive by default
    assert "990102" in out.not_comparable
    assert [(o, n) for o, n, _ in out.renamed] == [("990104", "东区")]  # no name given: the code
    assert out.why["990102"] == "山县 = 990102 + 990106, merged on 2012-01-01 (文3)"
    two = carry_values({"990101": 1.0}, {"990101": "东区"}, "2010-01-01", CURRENT, False, HISTORY)
    assert two.why["990101"] == "东区: the table's 东区 changed area on 2010-01-01 (文1); on 2011-01-01 (文2)"


def test_covered_units_bounds():
    names = {"990201": "东县", "990202": "新区"}
    wide = _frame([("990201", shapely.box(0, 0, 2, 1)), ("990202", shapely.box(2, 0, 7, 1))])  # 新区: area 5
    edge = _frame([("990201", shapely.box(0, 0, 2, 1).union(shapely.box(3, 0, 7, 1))), ("X", shapely.box(2, 0, 3, 1))])
    assert covered_units(edge, wide, names, HISTORY)[0][2] == ["东县", "X"]  # X holds exactly a fifth
    exact = _frame([("990201", shapely.box(0, 0, 5, 1))])  # holds exactly 3/5 of 新区: not over 0.6
    assert covered_units(exact, wide, names, HISTORY) == []
    over = _frame([("990201", shapely.box(0, 0, 5.1, 1))])
    assert covered_units(over, wide, names, HISTORY)[0][2] == ["东县"]


def test_covered_units_goes_on_past_a_present_unit():
    reference = _frame([("990201", shapely.box(0, 0, 2, 1)), ("990202", shapely.box(2, 0, 3, 1))])
    old = _frame([("990201", shapely.box(0, 0, 3, 1))])
    assert [c for c, _, _ in covered_units(old, reference, {"990201": "东县"}, HISTORY)] == ["990202"]
