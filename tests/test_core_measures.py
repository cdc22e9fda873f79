"""geo.measures: numbers and year headers as people type them, areas, and an indicator over
time (at, long, make_series)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.errors import GeoError
from geo.measures import MISSING, Indicator, IndicatorSeries, area_km2, header_year, make_series, parse_number


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("1234.5", 1234.5, ""),
        ("1,234.5", 1234.5, ""),
        ("1，234", 1234.0, ""),  # a full-width comma
        (" 12 ", 12.0, ""),
        ("1\u30002", 12.0, ""),
        ("+7", 7.0, ""),
        ("-7.5", -7.5, ""),
        (".5", 0.5, ""),
        ("5.", 5.0, ""),
        ("1e3", 1000.0, ""),
        ("2.5E-2", 0.025, ""),
        ("12.3%", 12.3, "%"),
        ("１２％", 12.0, "%"),  # full width
        ("5.6万", 56000.0, ""),
        ("3亿", 3e8, ""),
        ("2千", 2000.0, ""),
        ("1.5百万", 1.5e6, ""),  # the longer word first, not 百 … 万
        ("1万%", 1e4, "%"),
        (12, 12.0, ""),
        (3.5, 3.5, ""),
    ],
)
def test_parse_number(text, value, unit):
    assert parse_number(text) == (pytest.approx(value, rel=1e-12), unit)


@pytest.mark.parametrize("text", ["", "—", "-", "--", "……", "NA", "n/a", "NaN", "null", "None", "无", "暂无", "/", None,
                                  float("nan"), "  "])  # fmt: skip
def test_parse_number_missing(text):
    value, unit = parse_number(text)
    assert math.isnan(value) and unit == ""


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3", "++1", "万", "%", "1 2 3x", "e5", "1-2", "0x10"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_missing_words():
    assert {"", "—", "…", "无", "/"} <= MISSING


@pytest.mark.parametrize(
    "text, year",
    [
        ("2019", 2019),
        ("2019年", 2019),
        ("2019 年", 2019),
        ("2019年末", 2019),
        ("2019年底", 2019),
        ("2019年度", 2019),
        ("2019.0", 2019),
        ("２０１９", 2019),
        (2019, 2019),
        ("1999", 1999),
        ("1899", None),
        ("2119", None),
        ("2019年初", None),
        ("2019a", None),
        ("GDP2019", None),
        ("", None),
        (None, None),
        ("2019.5", None),
    ],
)
def test_header_year(text, year):
    assert header_year(text) == year


def test_area_km2_of_one_degree_boxes():
    box = shapely.box(120.0, 29.0, 121.0, 30.0)
    (a,) = area_km2(np.array([box]))
    # one degree square at 29.5°N: 111.32 km × cos(29.5°) × 110.85 km, about 10,740 km²
    assert a == pytest.approx(10742, rel=2e-3)
    assert area_km2(np.array([shapely.box(120.0, 29.0, 120.5, 29.5)]))[0] == pytest.approx(a / 4, rel=4e-3)


def _series(**kw):
    table = pd.DataFrame({"2020": [1.0, 4.0, np.nan], 2010: [2.0, 3.0, 5.0]}, index=["a", "b", "c"])
    return make_series(table, "人口", "万人", "file.csv", "col", **kw)


def test_make_series_sorts_years_and_shows_the_latest():
    s = _series()
    assert s.years == [2010, 2020] and s.year == 2020
    assert list(s.table.columns) == [2010, 2020]
    assert s.values.to_dict() == {"a": 1.0, "b": 4.0, "c": pytest.approx(np.nan, nan_ok=True)}
    assert (s.label, s.unit, s.source, s.column) == ("人口", "万人", "file.csv", "col")
    assert s.span == "2010–2020"
    assert s.title == "人口（万人）"
    assert s.all_values().tolist()[:4] == [2.0, 1.0, 3.0, 4.0]
    assert len(s.all_values()) == 6


def test_make_series_year_and_extras():
    s = _series(year=2010, problems=[1], per_year={2010: {"not_comparable": {"c": ()}, "summed": {"a": ("x",)}}},
                source_ids=["s1"])  # fmt: skip
    assert s.year == 2010 and s.values.to_dict() == {"a": 2.0, "b": 3.0, "c": 5.0}
    assert s.not_comparable == {"c": ()} and s.summed == {"a": ("x",)}
    assert s.problems == [1] and s.source_ids == ("s1",)
    later = s.at(2020)
    assert later.year == 2020 and later.not_comparable == {} and later.summed == {}
    assert s.year == 2010  # at() copies
    assert s.at(None) is s
    assert s.at("2020").year == 2020
    with pytest.raises(GeoError, match=r"^`year=2015`: 人口 has the years 2010, 2020\. Fix: choose one of them\.$"):
        s.at(2015)


def test_make_series_skips_empty_years_and_refuses_an_empty_table():
    table = pd.DataFrame({2010: [1.0, 2.0], 2020: [np.nan, np.nan]}, index=["a", "b"])
    s = make_series(table, "x")
    assert s.year == 2010 and s.years == [2010, 2020]
    with pytest.raises(GeoError, match=r"^x: no county has a value in any year\.$"):
        make_series(table[[2020]], "x")


def test_long_form():
    s = _series()
    long = s.long()
    assert list(long.columns) == ["code", "year", "value"]
    assert long[["code", "year"]].values.tolist() == [["a", 2010], ["a", 2020], ["b", 2010], ["b", 2020], ["c", 2010],
                                                       ["c", 2020]]  # fmt: skip
    assert long["value"].tolist()[:4] == [2.0, 1.0, 3.0, 4.0]
    assert long["year"].dtype.kind == "i"


def test_indicator_titles_and_spans():
    v = pd.Series([1.0], index=["a"])
    assert Indicator(v, "GDP per head", "yuan").title == "GDP per head (yuan)"
    assert Indicator(v, "人均GDP", "元").title == "人均GDP（元）"
    assert Indicator(v, "人均GDP").title == "人均GDP"
    assert Indicator(v, "x").years == []
    one = IndicatorSeries(v, "x", table=pd.DataFrame({2020: [1.0]}, index=["a"]))
    assert one.span == "2020" and IndicatorSeries(v, "x").span == "" and IndicatorSeries(v, "x").years == []


def test_parse_number_names_what_it_refused():
    with pytest.raises(ValueError) as exc:
        parse_number("12a")
    assert exc.value.args == ("12a",)


def test_area_km2_value():
    # GRS80 Albers (27.5°, 30.5°): the equal-area value of this box, to the metre
    (a,) = area_km2(np.array([shapely.box(120.0, 29.0, 121.0, 30.0)]))
    assert a == pytest.approx(10747.8723, rel=1e-7)


def test_series_of_integers_are_floats():
    table = pd.DataFrame({2010: [1, 2], 2020: [3, 4]}, index=["a", "b"])
    s = make_series(table, "x")
    assert all(str(t) == "float64" for t in s.table.dtypes) and str(s.values.dtype) == "float64"
    assert (s.unit, s.source, s.column) == ("", "", "")
    raw = IndicatorSeries(table[2020], "x", table=table)
    assert str(raw.at(2010).values.dtype) == "float64" and str(raw.all_values().dtype) == "float64"
    assert s.long().index.tolist() == [0, 1, 2, 3]


def test_make_series_applies_the_latest_year_extras():
    table = pd.DataFrame({2010: [1.0], 2020: [2.0]}, index=["a"])
    s = make_series(table, "x", per_year={2020: {"not_comparable": {"a": ()}, "summed": {}}})
    assert s.not_comparable == {"a": ()}
