"""An analyst's own county statistics: reading a column of numbers keyed by county,
classing it, and comparing each pair of the 山海协作.

Values are read as people type them (``1,234.5``, ``12.3%``, ``5.6万``, full-width digits,
``—`` for missing); the unit comes from the header (``人均GDP（元）``) or the yearbook's row of
units. A statistical-yearbook sheet is read as it is (:mod:`geo.read.sheet`); a table of an
older vintage (临安市, 江干区) is carried to today's units (:mod:`geo.vintage`). Three
indicators are built in and need no file: ``population_2020``, ``density`` (people per km²,
area in an equal-area projection) and ``area_km2``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataLayerError, GeoError, Problem
from .read.sheet import split_unit
from .registry import get_registry

__all__ = [
    "BUILTIN",
    "SCHEMES",
    "Indicator",
    "classify",
    "load_indicator",
    "pair_gaps",
    "parse_number",
    "split_unit",
]

#: equal-area projection for Zhejiang (Albers, standard parallels 27.5° and 30.5°)
EQUAL_AREA = "+proj=aea +lat_0=29 +lon_0=120 +lat_1=27.5 +lat_2=30.5 +ellps=GRS80 +units=m +no_defs"
BUILTIN = {
    "population_2020": ("2020年常住人口", "人", "population 2020", "people"),
    "density": ("2020年人口密度", "人/km²", "population density 2020", "people/km²"),
    "area_km2": ("面积", "km²", "area", "km²"),
}
SCHEMES = ("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "std_mean", "user")
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
        The file the column was read from, or the source of a built-in indicator.
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

    @property
    def title(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


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


def _builtin(atlas, column: str, lang: str = "zh") -> Indicator:
    c = atlas.counties
    label, unit, label_en, unit_en = BUILTIN[column]
    area = pd.Series(area_km2(c.geometry.values), index=c["code"].to_numpy())
    pop = pd.Series(c["population_2020"].to_numpy(dtype=float), index=c["code"].to_numpy())
    values = {"population_2020": pop, "density": pop / area, "area_km2": area}[column]
    source = (
        "NBS 2020 census (layers/counties.csv)"
        if column == "population_2020"
        else "NBS 2020 census / area of the boundaries in an equal-area projection"
        if column == "density"
        else "area of the boundaries in an equal-area projection"
    )
    return Indicator(
        values.astype(float),
        label if lang == "zh" else label_en,
        unit if lang == "zh" else unit_en,
        source,
        column,
    )


def area_km2(geoms) -> np.ndarray:
    """Areas in km² in Zhejiang's equal-area (Albers) projection."""
    import geopandas as gpd

    return gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def load_indicator(
    atlas,
    column: str,
    data=None,
    *,
    sheet=None,
    encoding: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
    additive: bool = False,
    vintage: int | None = None,
) -> Indicator:
    """Read ``column`` of ``data`` (CSV, XLSX or XLS keyed by county) as an Indicator.

    Without ``data``, ``column`` is a built-in indicator: ``population_2020``, ``density``
    or ``area_km2``.

    Parameters
    ----------
    atlas : Atlas or None
        Gives the registry and the edition (for the coverage warning).
    column : str
        As the sheet shows it (人均地区生产总值, 人均地区生产总值（元）, 地区生产总值·人均 or the
        English heading of a bilingual yearbook).
    data : path, optional
        A plain table or a statistical-yearbook sheet (title rows, a header block of merged
        cells and units, province, city and subtotal rows, footnotes).
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
                f"--column {column!r} needs --data FILE; without a file the built-in indicators are "
                f"{', '.join(BUILTIN)}."
            )
        ind = _builtin(atlas, column, lang)
        if unit:
            ind.unit = unit
        return ind
    from .read import read_sheet

    path = Path(data)
    reg = atlas.registry if atlas is not None else get_registry()
    sheet_ = read_sheet(path, reg, sheet=sheet, encoding=encoding)
    col = sheet_.column(column)
    problems = list(sheet_.notes)
    raw, names, seen, formers, errors, implied = {}, {}, {}, [], [], set()

    def err(row, what, fix):
        errors.append(Problem("error", str(path), f"row {row}", what, fix, col.name))

    for r in sheet_.rows:
        cell = r.cells[col.index]
        if not r.label:
            if cell:
                err(r.row, f"{cell!r} has no county.", f"fill in the county in column {sheet_.county_header or 'one'}.")
            continue
        c = reg.find_county(r.label)
        former = reg.find_former(r.label) if c is None else None
        if c is None and former is None:
            sugg = reg.suggest(r.label)
            err(r.row, f"{r.label!r} is not a Zhejiang county-level unit" + (f" (did you mean {', '.join(sugg)}?)." if sugg else "."),
                "write the full name, the short name or the 6-digit code.")  # fmt: skip
            continue
        code = c.code if c is not None else former.code
        if code in seen:
            err(r.row, f"{names[code]} is named twice (rows {seen[code]} and {r.row}).", "keep one row per county.")
            continue
        seen[code], names[code] = r.row, (c.name if c is not None else former.name)
        if former is not None:
            formers.append(former)
        try:
            v, u = parse_number(cell)
        except ValueError:
            err(r.row, f"{cell!r} is not a number.", "write a number (1,234.5, 12.3%, 5.6万), or leave it blank.")
            continue
        implied.add(u)
        raw[code] = v
    for f in formers:  # 临安市 and 临安区 both: one unit before and after a change
        if f.resolves_to in seen and not f.merged:
            err(seen[f.code], f"{f.name} and {names[f.resolves_to]} (row {seen[f.resolves_to]}) are the same unit "
                f"before and after {f.change.date} ({f.change.doc_no}).", "keep the row of the year the table is for.")  # fmt: skip
    if errors:
        raise DataLayerError(problems + errors)
    values, extra = _to_today(reg, raw, names, formers, str(path), col.name, additive, vintage)
    problems += extra.pop("problems")
    unit = unit or col.unit or ("%" if "%" in implied else "")
    series = pd.Series(values, dtype=float).reindex(sorted(values))
    ed = atlas.edition if atlas is not None else reg.edition(None)
    missing = [
        reg.counties[c].name
        for c in ed.members
        if (c not in values or math.isnan(values[c])) and c not in extra["not_comparable"]
    ]
    if len(missing) > len(ed.members) / 2:
        problems.append(
            Problem(
                "warning",
                str(path),
                "file",
                f"the file covers only {len(ed.members) - len(missing)} of the {len(ed.members)} counties of "
                f"edition {ed.id}; missing: {'、'.join(missing)}.",
                "add the missing counties, or ignore this if the map is meant to show fewer.",
                col.name,
            )
        )
    return Indicator(series, col.label, unit, path.name, col.name, problems, **extra)


def _to_today(reg, raw: dict, names: dict, formers: list, src: str, column: str, additive: bool, vintage):
    """The values of today's units from a table's own (``raw``: its codes → values), with the
    notes on what an older vintage needed: renames carried, merged units summed
    (``additive``), changed ones left without comparable data."""
    from .vintage import carry_values, table_vintage

    current = {c.code: c.name for c in reg.counties.values()}
    before, why = table_vintage(formers, set(raw), current, vintage)
    out = {"problems": [], "not_comparable": {}, "summed": {}}
    if before is None:
        return dict(raw), out

    def note(sev, what, fix=""):
        out["problems"].append(Problem(sev, src, "vintage", what, fix, column))

    from .divisions import created_by

    later = [
        f"{names[c]} (set up {ch.date})" for c in raw if c in current and (ch := created_by(c)) and ch.date >= before
    ]
    note("info", f"the table uses the county-level units of before {before} (it {'; it '.join(why)}): its values "
         "are carried to today's units.")  # fmt: skip
    if later:
        note("warning", f"the table also names units set up on or after {before}: {'、'.join(later)}; it mixes vintages.",
             "check the year of each row.")  # fmt: skip
    carried = carry_values(raw, names, before, current, additive)
    renamed = [f"{old} → {new} ({ch.date}, {ch.doc_no})" for old, new, ch in carried.renamed if old != new]
    if renamed:
        note("info", "renamed units carried over: " + "; ".join(renamed) + ".")
    if carried.summed:
        note("info", "summed because the column is additive: " + "; ".join(
            f"{current[c]} = {' + '.join(parts)}" for c, parts in carried.summed.items()) + ".")  # fmt: skip
    if carried.not_comparable:
        merged_only = any(" = " in carried.why[c] for c in carried.not_comparable)
        note("warning", f"no comparable data for {len(carried.not_comparable)} of today's units: "
             + "; ".join(carried.why[c] for c in carried.not_comparable) + ".",
             "pass --additive if the column can be summed (population, area, output) to add up merged units; "
             "units split since stay without comparable data." if merged_only and not additive else
             "use a table of today's units for these.")  # fmt: skip
    out["not_comparable"], out["summed"] = carried.not_comparable, carried.summed
    return carried.values, out


def classify(values, scheme: str = "quantiles", k: int = 5, bins=None):
    """Class breaks of ``values`` through mapclassify; NaN stays unclassed.

    Returns ``(upper bounds, class index per value with -1 for NaN)``. ``user`` takes
    ``bins`` (upper bounds); the top class always reaches the largest value.
    """
    import warnings

    import mapclassify

    from .errors import RenderError

    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    if scheme not in SCHEMES:
        raise RenderError(f"unknown scheme {scheme!r}: use one of {', '.join(SCHEMES)}.")
    if ok.sum() == 0:
        raise RenderError("no county has a value: there is nothing to class.")
    x = v[ok]
    k = max(1, min(int(k), len(np.unique(x))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when classes collapse; the legend shows them
        if scheme == "user":
            if not bins:
                raise RenderError("--scheme user needs --bins a,b,c (upper bounds of the classes).")
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


def pair_gaps(atlas, data, column: str | None = None, **kwargs) -> pd.DataFrame:
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
    out.attrs.update(label=ind.label, unit=ind.unit, source=ind.source)
    return out.reset_index(drop=True)
