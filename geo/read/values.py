"""Years and dates as people type them (2021年, 二〇二一年七月, 2021.0) and the years accepted."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

FIRST_YEAR = 1990

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_numerals(text: str) -> str:
    """二〇二一年八月三十一日 → 2021年8月31日: digit-by-digit years, 十-style months and days."""

    def number(m):
        s = m.group(0)
        if "十" not in s:
            return "".join(str(_CN_DIGITS[ch]) for ch in s)
        tens, _, units = s.partition("十")
        if len(tens) > 1 or len(units) > 1 or units == "十":
            return s  # 十十, 二二十: not a number (left for the pattern to refuse)
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0))

    return re.sub(r"[〇○零一二三四五六七八九十]+", number, text)


def parse_since(text: str) -> str | None:
    """Normalise a year, month or date as people type it to an ISO prefix; None if not one.

    2021, 2021年, 二〇二一, 2021.0 → 2021; 2021-07, 2021.7, 2021年7月 → 2021-07;
    2021-07-15, 2021/7/15, 2021年7月15日, 二〇二一年七月十五日 → 2021-07-15.
    """
    t = _cn_numerals(unicodedata.normalize("NFKC", str(text)).strip()).replace(" ", "")
    t = re.sub(r"^(\d{4})\.0+$", r"\1", t)  # a year read from a spreadsheet as a float
    m = re.fullmatch(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?(\.0)?", t)
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if d:
            return _dt.date(int(y), int(mo), int(d)).isoformat()
        if mo:
            if not 1 <= int(mo) <= 12:
                return None
            return f"{y}-{int(mo):02d}"
    except ValueError:
        return None
    return y


def year_ok(iso: str) -> bool:
    """Whether an ISO year, month or date falls between :data:`FIRST_YEAR` and next year."""
    return FIRST_YEAR <= int(iso[:4]) <= _dt.date.today().year + 1
