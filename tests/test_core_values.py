"""geo.read.values: years, months and dates as people type them, pinned case by case."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.read.values import FIRST_YEAR, parse_since, year_ok


@pytest.mark.parametrize(
    "text, iso",
    [
        # years
        ("2021", "2021"),
        (2021, "2021"),
        ("2021年", "2021"),
        (" 2021 ", "2021"),
        ("2021.0", "2021"),  # a year read from a spreadsheet as a float
        ("2021.00", "2021"),
        ("2021年.0", "2021"),
        ("２０２１", "2021"),  # full-width digits
        ("二〇二一", "2021"),
        ("二○二一年", "2021"),  # the circle written as ○
        ("二零二一年", "2021"),
        # months
        ("2021-07", "2021-07"),
        ("2021/7", "2021-07"),
        ("2021.7", "2021-07"),
        ("2021.1", "2021-01"),
        ("2021.10", "2021-10"),  # October, not January
        ("2021.12", "2021-12"),
        ("2021-01", "2021-01"),
        ("2021年7月", "2021-07"),
        ("2021 年 7 月", "2021-07"),
        ("２０２１年７月", "2021-07"),
        ("二〇二一年七月", "2021-07"),
        ("二〇二一年十月", "2021-10"),  # 十 alone
        ("二〇二一年十一月", "2021-11"),  # 十 and a unit
        ("二〇二一年十二月", "2021-12"),
        # dates
        ("2021-07-15", "2021-07-15"),
        ("2021/7/15", "2021-07-15"),
        ("2021.7.15", "2021-07-15"),
        ("2021年7月15日", "2021-07-15"),
        ("二〇二一年七月十五日", "2021-07-15"),
        ("二〇二一年八月三十一日", "2021-08-31"),  # tens and units
        ("二〇二一年二月二十日", "2021-02-20"),  # tens without units
        ("二〇二一年一月十日", "2021-01-10"),
        ("二〇二〇年二月二十九日", "2020-02-29"),  # a leap day
    ],
)
def test_parse_since_reads(text, iso):
    assert parse_since(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "21",  # two digits are not a year
        "20211",
        "2021-13",  # no month 13
        "2021-00",  # no month 0
        "2021.13",
        "2021年十三月",
        "2021-02-30",  # no such day
        "2021-07-00",
        "2021-07-32",
        "2021-02-29",  # not a leap year
        "2021-07-15-01",
        "二〇二一年七月三十二日",
        "2021年7月15号",
        "2021.5.0",
        "二〇二一年十十月",  # two 十: not a number (once a KeyError)
        "二〇二一年二二十日",
        "二〇二一年十二三日",
    ],
)
def test_parse_since_refuses(text):
    assert parse_since(text) is None


def test_year_ok_bounds():
    nxt = dt.date.today().year + 1
    assert FIRST_YEAR == 1990
    assert year_ok(f"{FIRST_YEAR}") is True
    assert year_ok(f"{FIRST_YEAR - 1}-12-31") is False
    assert year_ok(f"{nxt}-01") is True
    assert year_ok(f"{nxt + 1}") is False
    assert year_ok("2021-07-15") is True
