"""An analyst's own county statistics: reading a column of numbers keyed by county,
classing it, and comparing each pair of the 山海协作.

Values are read as people type them (``1,234.5``, ``12.3%``, ``5.6万``, full-width digits,
``—`` for missing); the unit comes from the header (``人均GDP（元）``) or the yearbook's row of
units. A statistical-yearbook sheet is read as it is (:mod:`geo.read.sheet`); a table of an
older vintage (临安市, 江干区) is carried to today's units (:mod:`geo.vintage`). A table over
time (one column per year, or a year column) is one indicator over several years
(:mod:`geo.series`). The built-in indicators need no file (:mod:`geo.census`): the 2020 and
2010 censuses on today's units, the change between them, density and area.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import say
from .census import BUILTIN, builtin_indicator
from .errors import DataLayerError, DataSourceError, GeoError, RenderError, param
from .keyed import carry_to_today, coverage_warning, read_keyed
from .measures import EQUAL_AREA, Indicator, IndicatorSeries, area_km2, parse_number
from .read import read_sheet
from .read.sheet import split_unit
from .registry import get_registry
from .series import load_series, time_layout

__all__ = [
    "BUILTIN",
    "EQUAL_AREA",
    "SCHEMES",
    "Indicator",
    "IndicatorSeries",
    "area_km2",
    "classify",
    "load_indicator",
    "pair_gaps",
    "parse_number",
    "split_unit",
]

SCHEMES = ("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean", "user")


def load_indicator(
    atlas,
    column: str | None = None,
    data=None,
    *,
    sheet=None,
    encoding: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
    additive: bool = False,
    vintage: int | None = None,
    year: int | None = None,
) -> Indicator:
    """Read ``column`` of ``data`` (CSV, XLSX or XLS keyed by county) as an Indicator, or the
    indicator over time a table holds as an :class:`~geo.measures.IndicatorSeries`.

    Without ``data``, ``column`` is a built-in indicator (:data:`geo.census.BUILTIN`):
    ``population_2020``, ``density``, ``area_km2``, ``population_2010``,
    ``population_change`` (percent, 2010 → 2020) or ``population`` (2010 and 2020, over time).

    Parameters
    ----------
    atlas : Atlas or None
        Gives the registry and the edition (for the coverage warning).
    column : str, optional
        As the sheet shows it (人均地区生产总值, 人均地区生产总值（元）, 地区生产总值·人均 or the
        English heading of a bilingual yearbook). For a table over time (one column per year,
        or a year column) it names the indicator and may be left out.
    data : path, optional
        A plain table or a statistical-yearbook sheet (title rows, a header block of merged
        cells and units, province, city and subtotal rows, footnotes), or a table over time:
        one column per year (2019, 2019年 …) or a row per county and year.
    sheet, encoding
        The workbook's sheet; a CSV's encoding (detected when omitted).
    unit : str, optional
        Overrides the unit from the header.
    lang : {"zh", "en"}
        The language of a built-in indicator's label and unit.
    additive : bool
        The column can be summed (population, area, output): units merged since the table
        was made get the sum of their parts instead of "no comparable data".
    vintage : int, optional
        The year whose county-level units the table uses, when its names do not tell (a
        table of 2018 that lists 苍南县 with 龙港 in it).
    year : int, optional
        An indicator over time: the year its ``values`` show (default the latest).

    Returns
    -------
    Indicator or IndicatorSeries

    Returns
    -------
    Indicator
        ``values`` (float Series by county code, NaN where missing), ``label``, ``unit``,
        ``source`` and the ``problems`` found while reading.

    Raises
    ------
    DataSourceError
        The file cannot be read, or has no such column (the available ones are listed).
    DataLayerError
        Cells that are not numbers, counties named twice, names outside Zhejiang.
    """
    if data is None:
        if column not in BUILTIN:
            raise GeoError(
                say(
                    "indicators.needs_data",
                    column=param("column", column),
                    data=param("data", "FILE", raw=True),
                    names=say("list.enum").join(BUILTIN),
                )
            )
        ind = builtin_indicator(atlas, column, lang)
        if unit:
            ind.unit = unit
        if year is not None:
            if not isinstance(ind, IndicatorSeries):
                raise GeoError(say("indicators.builtin_one_year", year=param("year", year), column=column))
            ind = ind.at(year)
        return ind

    path = Path(data)
    reg = atlas.registry if atlas is not None else get_registry()
    sheet_ = read_sheet(path, reg, sheet=sheet, encoding=encoding)
    layout = time_layout(sheet_, column)
    if layout is not None:
        return load_series(atlas, sheet_, layout, reg, unit=unit, additive=additive, vintage=vintage, year=year)
    if year is not None:
        raise GeoError(say("indicators.not_over_time", year=param("year", year), path=path))
    if not column:
        names = say("list.enum").join(c.name for c in sheet_.columns) or say("boundaries.match.none")
        raise DataSourceError(say("indicators.name_column", path=path, names=names))
    col = sheet_.column(column)
    problems = list(sheet_.notes)
    keyed = read_keyed(sheet_.rows, col.index, reg, str(path), col.name, sheet_.county_header)
    if keyed.errors:
        raise DataLayerError(problems + keyed.errors)
    values, extra = carry_to_today(reg, keyed, str(path), col.name, additive, vintage)
    problems += extra.pop("problems")
    unit = unit or col.unit or ("%" if "%" in keyed.implied else "")
    series = pd.Series(values, dtype=float).reindex(sorted(values))
    ed = atlas.edition if atlas is not None else reg.edition(None)
    warn = coverage_warning(reg, ed, values, extra["not_comparable"], str(path), col.name)
    if warn is not None:
        problems.append(warn)
    return Indicator(series, col.label, unit, path.name, col.name, problems, **extra)


def classify(values, scheme: str = "quantiles", k: int = 5, bins=None):
    """Class breaks of ``values`` through mapclassify; NaN stays unclassed.

    Returns ``(upper bounds, class index per value with -1 for NaN)``. ``user`` takes
    ``bins`` (upper bounds); the top class always reaches the largest value.
    """
    import mapclassify

    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    if scheme not in SCHEMES:
        raise RenderError(say("indicators.unknown_scheme", scheme=scheme, names=say("list.enum").join(SCHEMES)))
    if ok.sum() == 0:
        raise RenderError(say("indicators.no_values"))
    x = v[ok]
    k = max(1, min(int(k), len(np.unique(x))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when classes collapse; the legend shows them
        if scheme == "user":
            if not bins:
                raise RenderError(say("indicators.needs_bins"))
            edges = sorted(float(b) for b in bins)
            if edges[-1] < x.max():
                edges.append(float(x.max()))
            c = mapclassify.UserDefined(x, bins=edges)
        else:
            cls = {
                "quantiles": mapclassify.Quantiles,
                "equal_interval": mapclassify.EqualInterval,
                "natural_breaks": mapclassify.NaturalBreaks,
                "fisher_jenks": mapclassify.FisherJenks,
                "std_mean": mapclassify.StdMean,
            }[scheme]
            c = cls(x) if scheme == "std_mean" else cls(x, k=k)
    edges = np.asarray(c.bins, dtype=float)
    idx = np.full(len(v), -1)
    idx[ok] = np.asarray(c.yb)
    return edges, idx


def pair_gaps(atlas, data, column: str | None = None, *, year=None, **kwargs) -> pd.DataFrame:
    """One row per pairing of the edition: both counties' values, the ratio partner /
    mountain and the difference, sorted by ratio (widest gap first).

    Partners that are functional zones (no county code) have no value.

    Parameters
    ----------
    atlas : Atlas
        The joined atlas; its links are the pairings compared.
    data : Indicator, path or None
        An :class:`Indicator` (:func:`geo.load_indicator`), a file read with ``column``,
        or None for a built-in ``column`` (``population_2020``, ``density``, ``area_km2``).
    column : str, optional
        The column to read when ``data`` is a file or None.
    year : int or "all", optional
        For an indicator over time, the year compared (default: the one it shows);
        ``"all"`` stacks every year, with a ``year`` column, in time order.
    **kwargs
        Reading options passed to :func:`geo.load_indicator` (``sheet``, ``unit``, …).

    Returns
    -------
    DataFrame
        Columns ``mountain_code, mountain_county, partner_code, partner,
        mountain_value, partner_value, ratio, difference, confidence``; ``attrs`` holds
        the indicator's ``label``, ``unit`` and ``source``.

    Examples
    --------
    >>> import geo
    >>> atlas = geo.load_atlas()
    >>> gaps = geo.pair_gaps(atlas, None, "density")
    >>> list(gaps.columns[:4])
    ['mountain_code', 'mountain_county', 'partner_code', 'partner']
    """
    ind = data if isinstance(data, Indicator) else load_indicator(atlas, column, data, **kwargs)
    if year == "all":
        if not isinstance(ind, IndicatorSeries):
            raise GeoError(say("indicators.one_year", year=param("year", "all")))
        parts = []
        for y in ind.years:
            g = pair_gaps(atlas, ind.at(y))
            g.insert(0, "year", y)
            parts.append(g)
        out = pd.concat(parts, ignore_index=True)
        out.attrs.update(label=ind.label, unit=ind.unit, source=ind.source, years=ind.years)
        return out
    if year is not None:
        if not isinstance(ind, IndicatorSeries):
            raise GeoError(say("indicators.one_year", year=param("year", year)))
        ind = ind.at(int(year))
    links = atlas.links
    rows = []
    for _, lk in links.iterrows():
        a = ind.values.get(lk["mountain_code"], np.nan)
        b = ind.values.get(lk["partner_code"], np.nan) if lk["partner_code"] else np.nan
        rows.append(
            {
                "mountain_code": lk["mountain_code"],
                "mountain_county": lk["mountain_county"],
                "partner_code": lk["partner_code"],
                "partner": lk["partner"],
                "mountain_value": a,
                "partner_value": b,
                "ratio": b / a if a and not np.isnan(a) and not np.isnan(b) else np.nan,
                "difference": b - a,
                "confidence": lk["confidence"],
            }
        )
    out = pd.DataFrame(rows)
    out = out.sort_values(["ratio", "mountain_code"], ascending=[False, True], na_position="last")
    out.attrs.update(label=ind.label, unit=ind.unit, source=ind.source, year=getattr(ind, "year", None))
    return out.reset_index(drop=True)
