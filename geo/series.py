"""An indicator over time read from a table as people keep it:

- **wide**: one column per year (``2019``, ``2019年``, ``2019 年``, ``2019年末``), alone or under
  a heading that names the indicator (人均GDP（元） merged over 2019 … 2022 in a yearbook);
- **long**: a row per county and year: a county column, a year column (年份, 年度, year) and
  the values.

The indicator's name is ``--column`` (the heading over the year columns, or the values'
column of a long table), else the heading the sheet gives it, else the sheet's name, else the
file's name. Each year is read like one column of :mod:`geo.indicators` (values as typed,
county names in any form, an older vintage carried to today's units, per year), and the
years make one :class:`~geo.measures.IndicatorSeries`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .catalog import say
from .errors import DataLayerError, DataSourceError, Problem, param
from .keyed import carry_to_today, coverage_warning, read_keyed
from .measures import header_year, make_series
from .read import parse_since
from .read.sheet import name_key, split_unit

__all__ = ["YEAR_HEADERS", "TimeLayout", "load_series", "time_layout"]

#: headers of the year column of a long table
YEAR_HEADERS = ("年份", "年", "年度", "统计年度", "时间", "year", "yr")
#: headers of a long table's values column that say nothing (the name comes from elsewhere)
GENERIC_VALUES = ("值", "数值", "数据", "指标值", "value", "values")
_DEFAULT_SHEET = re.compile(r"(sheet|工作表|表)\s*\d*", re.I)


@dataclass
class TimeLayout:
    """How a sheet holds an indicator over time: ``wide`` (``columns``: year → column) or
    ``long`` (``year_col`` and ``value_col``), and the name and unit the sheet gives it."""

    kind: str
    name: str
    unit: str = ""
    column: str = ""  # the name of the sheet's column(s), for messages
    columns: dict[int, object] = field(default_factory=dict)
    year_col: object = None
    value_col: object = None


def _year_of_cell(text) -> int | None:
    iso = parse_since(text) if str(text).strip() else None
    return int(iso[:4]) if iso and len(iso) == 4 else None


def _fallback_name(sheet) -> str:
    """The sheet's name unless it is a default one (Sheet1, 工作表1), else the file's stem."""
    name = (sheet.sheet_name or "").strip()
    return name if name and not _DEFAULT_SHEET.fullmatch(name) else Path(sheet.path).stem


def _wide(sheet, column):
    groups: dict[tuple[str, ...], dict[int, object]] = {}
    for c in sheet.columns:
        y = header_year(c.parts[-1]) if c.parts else header_year(c.english)
        if y is None:
            continue
        group = groups.setdefault(tuple(c.parts[:-1]), {})
        if y in group:
            raise DataSourceError(
                say("series.two_columns", path=sheet.path, year=y, first=group[y].name, second=c.name)
            )
        group[y] = c
    if not groups:
        return None
    label = {prefix: "·".join(prefix) for prefix in groups}
    if column:
        keys = {name_key(column), name_key(split_unit(column)[0])}
        hit = [p for p in groups if p and ({name_key("".join(p)), name_key(label[p])} & keys)]
        if len(hit) == 1:
            p = hit[0]
            return TimeLayout("wide", label[p], column=label[p], columns=dict(sorted(groups[p].items())))
        try:  # a column of its own (人口 beside the year columns): not over time
            sheet.column(column)
            return None
        except DataSourceError:
            pass
        if set(groups) == {()}:  # only year columns: --column names the indicator
            return TimeLayout("wide", split_unit(column)[0], split_unit(column)[1], column,
                              dict(sorted(groups[()].items())))  # fmt: skip
        named = [label[p] or say("series.no_heading") for p in groups]
        raise DataSourceError(
            say("series.no_indicator", path=sheet.path, column=column, names=say("list.enum").join(named))
        )
    if len(groups) > 1:
        named = [label[p] for p in groups if p]
        raise DataSourceError(
            say("series.many_indicators", path=sheet.path, n=len(groups), names=say("list.enum").join(named))
        )
    ((p, cols),) = groups.items()
    return TimeLayout("wide", label[p] or _fallback_name(sheet), column=label[p], columns=dict(sorted(cols.items())))


def _long(sheet, column):
    year_cols = []
    for c in sheet.columns:
        keys = {name_key(c.name), name_key(c.english)} - {""}
        if keys & {name_key(h) for h in YEAR_HEADERS}:
            cells = [r.cells[c.index] for r in sheet.rows if r.cells[c.index]]
            if cells and sum(_year_of_cell(v) is not None for v in cells) >= len(cells) / 2:
                year_cols.append(c)
    if not year_cols:
        return None
    yc = year_cols[0]
    others = [c for c in sheet.columns if c.index != yc.index]
    if column:
        vc = sheet.column(column)
        if vc.index == yc.index:
            raise DataSourceError(say("series.year_column", path=sheet.path, given=param("column", column)))
        name = vc.label
    else:
        numeric = [c for c in others if any(r.cells[c.index] for r in sheet.rows)]
        if len(numeric) != 1:
            names = say("list.enum").join(c.name for c in numeric) or say("boundaries.match.none")
            raise DataSourceError(say("series.value_columns", path=sheet.path, n=len(numeric), names=names))
        vc = numeric[0]
        generic = name_key(vc.label) in {name_key(g) for g in GENERIC_VALUES}
        name = _fallback_name(sheet) if generic or not vc.label else vc.label
    return TimeLayout("long", name, vc.unit, vc.name, year_col=yc, value_col=vc)


def time_layout(sheet, column: str | None = None) -> TimeLayout | None:
    """How ``sheet`` holds an indicator over time (``column`` names it), or None when it
    holds one value per county.

    Raises
    ------
    DataSourceError
        Several indicators by year and no ``column``, a ``column`` that names none of them,
        two columns for one year.
    """
    return _wide(sheet, column) or _long(sheet, column)


def load_series(atlas, sheet, layout: TimeLayout, reg, *, unit=None, additive=False, vintage=None, year=None):
    """The indicator over time ``layout`` finds in ``sheet``, on today's units.

    Raises
    ------
    DataLayerError
        Cells that are not numbers, a year cell that is not a year, a county named twice in
        one year, names outside Zhejiang.
    """
    path = str(sheet.path)
    problems = list(sheet.notes)
    errors: list[Problem] = []
    by_year: dict[int, tuple[list, int, str]] = {}
    if layout.kind == "wide":
        for y, c in layout.columns.items():
            by_year[y] = (sheet.rows, c.index, c.name)
    else:
        yc, vc = layout.year_col, layout.value_col
        rows: dict[int, list] = {}
        for r in sheet.rows:
            cell = r.cells[yc.index]
            y = _year_of_cell(cell)
            if y is None:
                if cell or r.cells[vc.index]:
                    errors.append(Problem("error", path, say("where.row", n=r.row), say("series.not_year", cell=cell),
                                          say("series.not_year_fix"), yc.name))  # fmt: skip
                continue
            rows.setdefault(y, []).append(r)
        by_year = {y: (rows[y], vc.index, vc.name) for y in sorted(rows)}
    values, per_year, implied, union = {}, {}, set(), {}
    seen_notes: set[str] = set()
    for y, (rows_, index, colname) in sorted(by_year.items()):
        keyed = read_keyed(rows_, index, reg, path, colname, sheet.county_header)
        if keyed.errors:
            errors += keyed.errors
            continue
        vals, extra = carry_to_today(reg, keyed, path, colname, additive, vintage)
        for p in extra.pop("problems"):
            if p.what not in seen_notes:
                seen_notes.add(p.what)
                where = say("series.where_year", year=y, where=p.where)
                problems.append(Problem(p.severity, p.file, where, p.what, p.fix, p.column))
        values[y], per_year[y] = vals, extra
        implied |= keyed.implied
        union.update({k: v for k, v in vals.items() if v == v})
    if errors:
        raise DataLayerError(problems + errors)
    table = pd.DataFrame(values).reindex(sorted(set().union(*[set(v) for v in values.values()])))
    ed = atlas.edition if atlas is not None else reg.edition(None)
    nc = set().union(*[set(e["not_comparable"]) for e in per_year.values()])
    warn = coverage_warning(reg, ed, union, nc, path, layout.column)
    if warn is not None:
        problems.append(warn)
    years = list(table.columns)
    read_as = say(
        "series.read_wide" if layout.kind == "wide" else "series.read_long",
        name=layout.name,
        n=len(years),
        years=say("list.enum").join(map(str, years)),
    )
    problems.insert(0, Problem("info", path, say("series.where.years"), read_as))
    unit = unit or layout.unit or next((c.unit for c in layout.columns.values() if c.unit), "")
    unit = unit or ("%" if "%" in implied else "")
    return make_series(table, layout.name, unit, Path(path).name, layout.column, problems=problems,
                       per_year=per_year, year=year)  # fmt: skip
