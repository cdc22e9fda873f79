"""An analyst's own county statistics: reading a column of numbers keyed by county,
classing it, and comparing each pair of the 山海协作.

Values are read as people type them (``1,234.5``, ``12.3%``, ``5.6万``, full-width digits,
``—`` for missing); the unit comes from the header (``人均GDP（元）``). Two indicators are
built in and need no file: ``population_2020`` and ``density`` (people per km², area in an
equal-area projection).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataLayerError, DataSourceError, GeoError, Problem
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
MISSING = {"", "—", "–", "-", "--", "——", "…", "na", "n/a", "nan", "null", "none", "无", "缺", "暂无", "/"}
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6}
COUNTY_HEADERS = ("code", "adcode", "代码", "行政区划代码", "区划代码", "name", "名称", "县", "区县", "县名", "县（市、区）",
                  "县(市、区)", "county", "地区", "单位")  # fmt: skip


@dataclass
class Indicator:
    """One numeric column keyed by county code.

    ``values`` is a float Series indexed by the 6-digit code (NaN: no value);
    ``label`` and ``unit`` are what the legend prints; ``problems`` the notes and
    warnings found while reading."""

    values: pd.Series
    label: str
    unit: str = ""
    source: str = ""
    column: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


def split_unit(header: str) -> tuple[str, str]:
    """人均GDP（元） → (人均GDP, 元); GDP per head (yuan) → (GDP per head, yuan)."""
    # only the brackets are folded: NFKC would turn the unit's ² into 2
    h = str(header).strip().translate(str.maketrans("（）【】［］", "()[][]"))
    m = re.fullmatch(r"(.+?)\s*[(\[]([^()\[\]]{1,12})[)\]]\s*", h)
    return (m.group(1).strip(), m.group(2).strip()) if m else (h, "")


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


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-()（）\[\]:：]", "", unicodedata.normalize("NFKC", str(text)).strip().lower())


def _county_column(df: pd.DataFrame, reg) -> str | None:
    keyed = {_norm(c): c for c in df.columns}
    for h in COUNTY_HEADERS:
        if _norm(h) in keyed:
            return keyed[_norm(h)]
    best, score = None, 0.0
    for c in df.columns:
        vals = [v for v in df[c] if str(v).strip()]
        if not vals:
            continue
        share = sum(reg.find_county(v) is not None for v in vals) / len(vals)
        if share > score:
            best, score = c, share
    return best if score >= 0.5 else None


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
) -> Indicator:
    """Read ``column`` of ``data`` (CSV, XLSX or XLS keyed by county) as an Indicator.

    Without ``data``, ``column`` is a built-in indicator: ``population_2020``, ``density``
    or ``area_km2``.

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
    from .read import read_raw

    path = Path(data)
    reg = atlas.registry if atlas is not None else get_registry()
    df, notes = read_raw(path, sheet=sheet, encoding=encoding)
    problems = list(notes)
    county_col = _county_column(df, reg)
    if county_col is None:
        raise DataSourceError(
            f"{path}: found no county column among {', '.join(map(str, df.columns))}. "
            "Fix: name it 县, 名称, 代码 or county (names or 6-digit codes)."
        )
    wanted = {_norm(column), _norm(split_unit(column)[0])}
    match = [c for c in df.columns if _norm(c) in wanted or _norm(split_unit(c)[0]) in wanted]
    if not match:
        others = [str(c) for c in df.columns if c != county_col]
        raise DataSourceError(
            f"{path}: no column {column!r}. Fix: use one of {', '.join(others) or '(none)'} with --column."
        )
    col = match[0]
    label, header_unit = split_unit(col)
    values, seen, errors = {}, {}, []
    implied = set()

    def err(row, what, fix):
        errors.append(Problem("error", str(path), f"row {row}", what, fix, str(col)))

    for i, r in df.iterrows():
        row = int(i) + 2
        key = str(r[county_col]).strip()
        if not key and not str(r[col]).strip():
            continue
        c = reg.find_county(key)
        if c is None:
            sugg = reg.suggest(key)
            err(row, f"{key!r} is not a Zhejiang county-level unit" + (f" (did you mean {', '.join(sugg)}?)." if sugg else "."),
                "write the full name, the short name or the 6-digit code.")  # fmt: skip
            continue
        if c.code in seen:
            err(row, f"{c.name} is named twice (rows {seen[c.code]} and {row}).", "keep one row per county.")
            continue
        seen[c.code] = row
        try:
            v, u = parse_number(r[col])
        except ValueError:
            err(row, f"{r[col]!r} is not a number.", "write a number (1,234.5, 12.3%, 5.6万), or leave it blank.")
            continue
        implied.add(u)
        values[c.code] = v
    if errors:
        raise DataLayerError(problems + errors)
    unit = unit or header_unit or ("%" if "%" in implied else "")
    series = pd.Series(values, dtype=float).reindex(sorted(values))
    ed = atlas.edition if atlas is not None else reg.edition(None)
    missing = [reg.counties[c].name for c in ed.members if c not in values or math.isnan(values[c])]
    if len(missing) > len(ed.members) / 2:
        problems.append(
            Problem(
                "warning",
                str(path),
                "file",
                f"the file covers only {len(ed.members) - len(missing)} of the {len(ed.members)} counties of "
                f"edition {ed.id}; missing: {'、'.join(missing)}.",
                "add the missing counties, or ignore this if the map is meant to show fewer.",
                str(col),
            )
        )
    return Indicator(series, label, unit, path.name, str(col), problems)


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

    ``data`` is an :class:`Indicator`, or a file read with ``column`` (or None for a
    built-in ``column``). Partners that are functional zones (no county code) have no
    value.
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
