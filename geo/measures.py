"""The records of an analyst's numbers and the small rules they rest on: numbers as people
type them, years as a table's headers write them, areas in an equal-area projection, and
:class:`Indicator` (one column keyed by county) and :class:`IndicatorSeries` (one indicator
over several years).

Nothing here reads a file: :mod:`geo.indicators` and :mod:`geo.series` do.
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .catalog import say
from .errors import GeoError, Problem, param

__all__ = [
    "EQUAL_AREA",
    "MISSING",
    "Indicator",
    "IndicatorSeries",
    "area_km2",
    "header_year",
    "make_series",
    "parse_number",
]

#: equal-area projection for Zhejiang (Albers, standard parallels 27.5° and 30.5°)
EQUAL_AREA = "+proj=aea +lat_0=29 +lon_0=120 +lat_1=27.5 +lat_2=30.5 +ellps=GRS80 +units=m +no_defs"
MISSING = {
    "",
    "—",
    "–",
    "-",
    "--",
    "——",
    "…",
    "...",
    "……",
    "......",
    "na",
    "n/a",
    "nan",
    "null",
    "none",
    "无",
    "缺",
    "暂无",
    "/",
}
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6}
_YEAR = re.compile(r"((?:19|20)\d{2})(?:年(?:度|末|底)?)?")


def parse_number(text) -> tuple[float, str]:
    """A number as people type it → (value, unit it implies: "%" or ""); NaN for missing.

    Raises ValueError for anything else.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan, ""
    t = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "").replace("\u3000", "")
    if t.lower() in MISSING:
        return math.nan, ""
    unit = ""
    mult = 1.0
    if t.endswith("%"):
        t, unit = t[:-1], "%"
    for word, m in sorted(MULTIPLIERS.items(), key=lambda kv: -len(kv[0])):
        if t.endswith(word):
            t, mult = t[: -len(word)], m
            break
    t = t.replace(",", "").replace("，", "")
    if t.startswith("+"):
        t = t[1:]
    if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", t):
        raise ValueError(text)
    return float(t) * mult, unit


def header_year(text) -> int | None:
    """The year a column header names on its own (``2019``, ``2019年``, ``2019 年``,
    ``2019年末``, ``2019.0`` from a spreadsheet), else None."""
    t = unicodedata.normalize("NFKC", str(text or "")).replace(" ", "").replace("\u3000", "")
    t = re.sub(r"^(\d{4})\.0+$", r"\1", t)
    m = _YEAR.fullmatch(t)
    return int(m.group(1)) if m else None


#: the operation PROJ picks from lon/lat (EPSG:4326) to :data:`EQUAL_AREA`, written out
#: (:func:`geo.geometry.pipeline_transformer`)
EQUAL_AREA_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=aea +lat_0=29 +lon_0=120 +lat_1=27.5 +lat_2=30.5 +x_0=0 +y_0=0 +ellps=GRS80"
)


def area_km2(geoms) -> np.ndarray:
    """Areas in km² (lon/lat polygons) in Zhejiang's equal-area (Albers) projection."""
    import shapely

    from .geometry import transform  # lazy: shapely, pyproj; tables of indicators need neither

    return shapely.area(transform(geoms, EQUAL_AREA_PIPELINE)) / 1e6


@dataclass
class Indicator:
    """One numeric column keyed by county code (from :func:`geo.load_indicator`).

    Attributes
    ----------
    values : Series
        Floats indexed by the 6-digit county code (NaN: no value).
    label, unit : str
        What the legend prints (人均地区生产总值, 元).
    source : str
        Where the numbers come from: the file, or the citations of a built-in indicator in
        the reader's language.
    column : str
        The column as the file names it.
    problems : list of Problem
        The notes and warnings found while reading.
    not_comparable : dict
        Today's units whose area changed since the table was made (code → the changes):
        they get "no comparable data".
    summed : dict
        Today's units whose value is the sum of the table's merged units (code → their
        names), with ``additive=True``.
    source_ids : tuple of str
        The source records (``layers/sources.csv``) of a built-in indicator.
    """

    values: pd.Series
    label: str
    unit: str = ""
    source: str = ""
    column: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: today's units whose area changed since the table (code → the changes): no comparable data
    not_comparable: dict = field(default_factory=dict)
    #: today's units whose value is the sum of the table's merged units (code → their names)
    summed: dict = field(default_factory=dict)
    #: the source records (layers/sources.csv) of a built-in indicator
    source_ids: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """``label（unit）``, or ``label (unit)`` for a label without Chinese characters."""
        if not self.unit:
            return self.label
        han = re.search(r"[\u3400-\u9fff]", self.label)
        return f"{self.label}（{self.unit}）" if han else f"{self.label} ({self.unit})"

    @property
    def years(self) -> list[int]:
        """The years of an indicator over time; empty for one column."""
        return []


@dataclass
class IndicatorSeries(Indicator):
    """One indicator over several years: ``table`` holds every year (rows: county codes,
    columns: years), ``values`` the values of ``year`` (by default the latest), so that
    whatever takes an :class:`Indicator` (a map, :func:`~geo.indicators.pair_gaps`) shows that
    year. :meth:`at` gives another year; ``per_year`` keeps, per year, what its table could
    not carry to today's units (``not_comparable``) and what it summed (``summed``).

    Examples
    --------
    >>> s = geo.load_indicator(atlas, "population")        # doctest: +SKIP
    >>> s.years, s.year                                     # doctest: +SKIP
    ([2010, 2020], 2020)
    >>> s.at(2010).values["331127"]                         # doctest: +SKIP
    """

    table: pd.DataFrame | None = None
    year: int | None = None
    per_year: dict = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.table.columns] if self.table is not None else []

    @property
    def span(self) -> str:
        """``2010–2020``: the first and the last year."""
        ys = self.years
        return f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else str(ys[0]) if ys else ""

    def at(self, year: int) -> IndicatorSeries:
        """The same indicator showing ``year`` (its values, and what could not be carried)."""
        if year is None:
            return self
        year = int(year)
        if year not in self.years:
            raise GeoError(
                say(
                    "measures.no_such_year",
                    year=param("year", year),
                    label=self.label,
                    years=say("list.enum").join(map(str, self.years)),
                )
            )
        out = copy.copy(self)
        out.values = self.table[year].astype(float)
        out.year = year
        extra = self.per_year.get(year, {})
        out.not_comparable = dict(extra.get("not_comparable", {}))
        out.summed = dict(extra.get("summed", {}))
        return out

    def long(self) -> pd.DataFrame:
        """The table in long form: one row per county and year (``code``, ``year``, ``value``)."""
        t = self.table.copy()
        t.index.name = "code"
        out = t.reset_index().melt(id_vars="code", var_name="year", value_name="value")
        out["year"] = out["year"].astype(int)
        return out.sort_values(["code", "year"], ignore_index=True)

    def all_values(self) -> np.ndarray:
        """Every value of every year (for one classification across the years)."""
        return self.table.to_numpy(dtype=float).ravel()


def make_series(table: pd.DataFrame, label: str, unit: str = "", source: str = "", column: str = "", *,
                problems=None, per_year=None, source_ids=(), year=None) -> IndicatorSeries:  # fmt: skip
    """An :class:`IndicatorSeries` from a table (codes × years) showing ``year`` (default:
    the latest year that has a value)."""
    table = table.copy()
    table.columns = [int(y) for y in table.columns]
    table = table[sorted(table.columns)].astype(float)
    filled = [y for y in table.columns if table[y].notna().any()]
    if not filled:
        raise GeoError(say("measures.no_values", label=label))
    s = IndicatorSeries(
        table[filled[-1]],
        label,
        unit,
        source,
        column,
        list(problems or []),
        source_ids=tuple(source_ids),
        table=table,
        year=filled[-1],
        per_year=dict(per_year or {}),
    )
    return s.at(filled[-1] if year is None else year)
