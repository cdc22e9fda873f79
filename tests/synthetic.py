"""A synthetic province for the table-driven core tests (tests/test_core_*.py): two cities,
five units, two editions and a history of every kind of change, in fictional codes (99xxxx),
so a test of a rule does not move when the embedded layers are corrected."""

from __future__ import annotations

from geo.divisions import parse_changes
from geo.registry import Registry

CITIES = [
    {"city_code": "9901", "city": "甲市", "romanized": "Jia"},
    {"city_code": "9902", "city": "乙市", "romanized": "Yi"},
]
_COUNTY = ("code", "name", "short_name", "kind", "city_code", "city", "romanized", "population_2020", "population_note",
           "population_source", "population_note_en")  # fmt: skip
COUNTIES = [
    dict(
        zip(_COUNTY, ("990101", "东区", "东", "区", "9901", "甲市", "Dong", "1000", "注", "src", "note"), strict=True)
    ),
    dict(zip(_COUNTY, ("990102", "山县", "山", "县", "9901", "甲市", "Shan", "", "", "", ""), strict=True)),
    dict(
        zip(_COUNTY, ("990103", "水畲族自治县", "水", "自治县", "9901", "甲市", "Shui", "5", "", "", ""), strict=True)
    ),
    # no population_note_en nor population_source column: read as ""
    dict(zip(_COUNTY[:9], ("990201", "东县", "东", "县", "9902", "乙市", "Dongx", "7", ""), strict=True)),
    dict(zip(_COUNTY, ("990202", "新区", "新", "区", "9902", "乙市", "Xin", "3", "", "", ""), strict=True)),
]
EDITIONS = [
    {"edition": "E1", "title": "一号名单", "date": "2021-01-01", "confidence": "high", "source": "a; b ;",
     "note": "注一", "title_en": "List one", "note_en": "Note one"},
    {"edition": "2021", "title": "默认名单", "date": "2021-05-06", "confidence": "low", "source": "", "note": ""},
]  # fmt: skip
MEMBERS = [
    {"edition": "E1", "code": "990102"},
    {"edition": "E1", "code": "990103"},
    {"edition": "2021", "code": "990103"},
    {"edition": "2021", "code": "990201"},
]
TABLES = {"cities.csv": CITIES, "counties.csv": COUNTIES, "editions.csv": EDITIONS, "edition_members.csv": MEMBERS}
CHANGE_COLUMNS = ("date", "doc_no", "type", "old_codes", "old_names", "new_codes", "new_names", "flows", "ended",
                  "moved", "source", "note")  # fmt: skip


def change_row(*values) -> dict:
    """A row of ``layers/divisions.csv`` from its values in column order."""
    return dict(zip(CHANGE_COLUMNS, values, strict=True))


HISTORY = parse_changes(
    [
        # 东区 had another code: the old code is a former one, the name is today's
        change_row("2009-01-01", "文0", "recode", "990107", "东区", "990101", "东区", "990107>990101", "990107", "", "s", ""),
        change_row("2010-01-01", "文1", "rename", "990104", "旧东市", "990101", "东区", "990104>990101", "990104", "", "s", ""),
        change_row("2011-01-01", "文2", "split", "990105;990101;990102", "分区;东区(part);山县(part)", "990101;990102", "东区;山县",
                   "990105>990101:part;990105>990102:part", "990105", "", "s", ""),
        change_row("2012-01-01", "文3", "merge", "990106;990102", "林县;山县", "990102", "山县", "990106>990102", "990106",
                   "", "s", ""),
        change_row("2013-01-01", "文4", "new", "990201", "东县(part)", "990202", "新区", "990201>990202:part", "", "", "s",
                   ""),
    ]
)  # fmt: skip


def registry() -> Registry:
    """A fresh registry of the synthetic province."""
    return Registry(TABLES, HISTORY)
