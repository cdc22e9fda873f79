"""Collecting problems while validating a layer: :class:`Checker` (one file, row numbers),
the county and source checks the layers share, and the :class:`LayerResult` they return."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataLayerError, Problem
from ..registry import Registry, folding_note
from .values import FIRST_YEAR, parse_since, year_ok


@dataclass
class LayerResult:
    """A validated table and what was found while reading it."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> LayerResult:
        if self.errors:
            raise DataLayerError(self.problems)
        return self


class Checker:
    """Collects problems for one file with its row numbers."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self._folded = False

    def add(self, severity, row, what, fix="", column=""):
        where = f"row {row}" if isinstance(row, int | float) else str(row)
        self.problems.append(Problem(severity, self.path, where, what, fix, column))

    def matched(self, written: str, name: str):
        """Say once per file when names written in traditional characters were matched."""
        if not self._folded and (note := folding_note(written, name)):
            self._folded = True
            self.add("info", "file", note)

    def year(self, row, value, column) -> str:
        if not value:
            return ""
        iso = parse_since(value)
        if iso is None or not year_ok(iso):
            self.add(
                "error",
                row,
                f"{value!r} is not a valid year or date.",
                f"write a year between {FIRST_YEAR} and {_dt.date.today().year} (2021), a month (2021-07) or a date (2021-07-15).",
                column,
            )
            return ""
        return iso

    def choice(self, row, value, allowed, column, aliases=None) -> str:
        v = (aliases or {}).get(value, value.lower())
        if v not in allowed:
            self.add(
                "error",
                row,
                f"{value!r} is not one of {', '.join(allowed)}.",
                f"use one of {', '.join(allowed)}.",
                column,
            )
            return ""
        return v

    def duplicates(self, df: pd.DataFrame, keys: list[str], label: str):
        dup = df[df.duplicated(keys, keep=False)]
        for _, grp in dup.groupby(keys, sort=False):
            rows = grp["_row"].tolist()
            self.add(
                "error",
                f"rows {', '.join(map(str, rows))}",
                f"duplicate {label}: {' / '.join(str(grp.iloc[0][k]) for k in keys)}.",
                "keep one row and merge their sources in it.",
            )


def former_or_none(chk: Checker, reg: Registry, row, value, column):
    """Today's county for a former name or code (临安市 → 临安区, noted); an error saying where
    a unit went when its area is now in several (江干区); None when ``value`` is neither."""
    c, former = reg.resolve(value)
    if former is None:
        return None
    if c is not None:
        chk.add("info", row, f"{former.describe()} Read as {c.name}.", "", column)
        return c
    chk.add(
        "error",
        row,
        f"{value!r} is no longer a county-level unit: {former.describe()}",
        f"write today's unit: {' or '.join(former.successor_names)}.",
        column,
    )
    return False


def county_or_error(chk: Checker, reg: Registry, row, value, column, code_value=""):
    """Resolve a county by code column first, then by name; report if neither works. A former
    name or code (临安市, 330185) is read as today's unit with a note."""
    if code_value:
        c = reg.find_county(code_value)
        if c is None:
            c = former_or_none(chk, reg, row, code_value, column.replace("county", "code"))
            if c is False:
                return None
        if c is None:
            chk.add(
                "error",
                row,
                f"code {code_value!r} is not one of Zhejiang's 90 county codes.",
                "use the 6-digit GB/T 2260 code in force since 2021 (`shanhai counties --all`).",
                column.replace("county", "code"),
            )
            return None
        if value and reg.resolve(value)[0] not in (None, c):
            chk.add(
                "error",
                row,
                f"code {code_value} is {c.name} but the name says {value!r}.",
                "correct whichever of the two is wrong.",
                column,
            )
        return c
    if not value:
        chk.add("error", row, "no county given.", "fill in the county name or code.", column)
        return None
    c = reg.find_county(value)
    if c is not None:
        chk.matched(value, c.name)
        return c
    c = former_or_none(chk, reg, row, value, column)
    if c is False:
        return None
    if c is None:
        sugg = reg.suggest(value)
        chk.add(
            "error",
            row,
            f"{value!r} is not a Zhejiang county-level unit"
            + (f" (did you mean {', '.join(sugg)}?)." if sugg else "."),
            "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.",
            column,
        )
    return c


def source_check(chk: Checker, df: pd.DataFrame, has_source_col: bool, path: str, needs) -> pd.Series:
    """The rows' sources: this file's name when there is no source column, else the column,
    with an error for each row in ``needs`` that cites nothing."""
    if not has_source_col:
        chk.add(
            "warning",
            "header",
            "no source column: every row will cite this file as its source.",
            "add a 'source' (来源) column to cite each row.",
        )
        return pd.Series([Path(path).name] * len(df), index=df.index)
    for _, r in df[(df["source"] == "") & needs].iterrows():
        chk.add(
            "error",
            int(r["_row"]),
            "missing source.",
            "cite where the fact comes from (URL, document and clause).",
            "source",
        )
    return df["source"]
