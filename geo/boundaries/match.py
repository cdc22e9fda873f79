"""Which county is each feature: the code or name column (by its header, else by its
values), and each row matched to a county of today, a former unit read as today's (临安市 →
临安区), or reported."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from ..catalog import say
from ..errors import DataSourceError
from ..geometry import valid_polygons
from ..registry import Registry, folding_note, normalize_name, simplified
from ..vintage import largest_share
from .reading import Reading, embedded_counties

CODE_HEADERS = ("code", "adcode", "代码", "行政区划代码", "区划代码", "xzqdm", "pac", "gb", "county_code", "dm")
NAME_HEADERS = (
    "name",
    "名称",
    "县名",
    "区县",
    "县",
    "县区",
    "区县名称",
    "xzqmc",
    "county",
    "county_name",
    "mc",
    "name_zh",
)


def find_column(columns, explicit, candidates, what, path):
    """The column named ``explicit`` (refused when the file lacks it), else the first of
    ``candidates`` the file has (also written in traditional characters), else None.
    ``what`` is the key of what the column holds (``code`` or ``name``)."""
    if explicit:
        if explicit not in columns:
            raise DataSourceError(
                say(
                    "boundaries.match.no_such_column",
                    path=path,
                    column=explicit,
                    what=say(f"boundaries.match.what_{what}"),
                    columns=say("list.enum").join(columns),
                )
            )
        return explicit
    keyed = {}
    for c in columns:
        keyed.setdefault(normalize_name(c), c)
        if (simple := simplified(c)) is not None:  # 縣名
            keyed.setdefault(normalize_name(simple), c)
    for cand in candidates:
        if normalize_name(cand) in keyed:
            return keyed[normalize_name(cand)]
    return None


def name_score(values, reg: Registry) -> int:
    """How many of ``values`` are Zhejiang county codes or names (also former ones: 临安市)."""
    return sum(reg.find_county(v) is not None or reg.find_former(v) is not None for v in values)


def _column_by_values(df: pd.DataFrame, columns, reg: Registry) -> tuple[str | None, str]:
    """The column whose values are mostly county codes or names (a header we do not know),
    and which of the two it holds."""
    best: tuple[float, str | None, str] = (0.5, None, "")  # at least half of the filled cells
    for c in columns:
        if not (df[c].dtype == object or pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_integer_dtype(df[c])):
            continue
        vals = [v for v in df[c].astype(str).str.strip() if v and v != "None"]
        if vals:
            share = name_score(vals, reg) / len(vals)
            if share > best[0]:
                codes = sum(bool(re.fullmatch(r"\d{6}(\d{3})?(\.0+)?", v)) for v in vals) > len(vals) / 2
                best = (share, c, "code" if codes else "name")
    return best[1], best[2]


def _columns(frame: gpd.GeoDataFrame, r: Reading) -> tuple[str | None, str | None]:
    reg, path = r.registry, r.path
    cols = [c for c in frame.columns if c != frame.geometry.name]
    code_col = find_column(cols, r.code_column, CODE_HEADERS, "code", path)
    name_col = find_column(cols, r.name_column, NAME_HEADERS, "name", path)
    if code_col is None and name_col is None:
        col, kind = _column_by_values(frame, cols, reg)
        if col is not None:
            code_col, name_col = (col, None) if kind == "code" else (None, col)
            r.add(
                "info",
                say("boundaries.where.columns"),
                say(f"boundaries.match.column_by_{kind}s", column=col),
                say("boundaries.match.column_by_values_fix"),
            )
    if code_col is None and name_col is None:
        garbled = [c for c in cols if re.search(r"[\u0080-\u00ff]", c)]
        if garbled:
            raise DataSourceError(
                say(
                    "boundaries.match.garbled",
                    path=path,
                    columns=say("list.enum").join(garbled),
                    encoding=r.used_encoding or say("boundaries.match.as_declared"),
                )
            )
        raise DataSourceError(
            say(
                "boundaries.match.no_column",
                path=path,
                columns=say("list.enum").join(map(str, cols)) or say("boundaries.match.none"),
            )
        )
    return code_col, name_col


def _text(value) -> str:
    s = "" if value is None else str(value).strip()
    return "" if s.lower() in ("none", "nan", "<na>") else s


def match_step(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """One row per feature that is a Zhejiang county-level unit of today (``code``, ``name``,
    ``source_name``, geometry); features outside Zhejiang are left out with a note, features
    that match nothing are errors. ``r.features`` gets each row's feature number."""
    reg = r.registry
    code_col, name_col = _columns(frame, r)
    codes_in = frame[code_col].map(_text).tolist() if code_col else [""] * len(frame)
    names_in = frame[name_col].map(_text).tolist() if name_col else [""] * len(frame)
    geoms_in = frame.geometry.values
    codes, labels, rows = [], [], []
    outside, folded = 0, ""
    for i, (raw_code, raw_name) in enumerate(zip(codes_in, names_in, strict=True)):
        row = i + 1
        county = None
        code6 = re.sub(r"\.0+$", "", raw_code)[:6]
        if code_col and re.fullmatch(r"\d{6}", code6):
            if not code6.startswith("33"):
                outside += 1
                continue
            county = reg.counties.get(code6)
        if county is None and raw_name:
            county = reg.find_county(raw_name)
            if county is not None and not folded:
                folded = folding_note(raw_name, county.name) or ""
        label = raw_name or raw_code or say("boundaries.match.no_name")
        if county is None:
            county = _former_feature(r, code6 if code_col else "", raw_name, geoms_in[i], row, label)
        if county is None:
            sugg = reg.suggest(raw_name) if raw_name else []
            r.add(
                "error",
                say("where.feature_named", n=row, name=label),
                say("boundaries.match.no_match_suggest", names=say("list.enum").join(sugg))
                if sugg
                else say("boundaries.match.no_match"),
                say("boundaries.match.no_match_fix"),
            )
            continue
        rows.append(i)
        codes.append(county.code)
        labels.append(label)
    if outside:
        r.add("info", say("boundaries.where.file"), say("boundaries.match.outside", n=outside))
    if folded:
        r.add("info", say("boundaries.where.names"), folded)
    r.features = [i + 1 for i in rows]
    return gpd.GeoDataFrame(
        {"code": codes, "name": [reg.counties[c].name for c in codes], "source_name": labels},
        geometry=list(geoms_in[rows]) if rows else [],
        crs=frame.crs,
    )


def _former_feature(r: Reading, code: str, name: str, geom, row: int, label: str):
    """Today's county for a feature coded or named as a unit that no longer exists, with a
    note (临安市 → 临安区); a unit whose area is now shared out (江干区) goes to the unit of
    today that holds most of it, with a warning. None when neither is a former unit."""
    reg = r.registry
    former = None
    for key in (code, name):
        if key and (former := reg.find_former(key)) is not None:
            break
    if former is None:
        return None
    where = say("where.feature_named", n=row, name=label)
    if former.resolves_to is not None:
        county = reg.counties[former.resolves_to]
        r.add("info", where, say("boundaries.match.former_read_as", former=former.describe(), county=county.name))
        return county

    geom = valid_polygons([geom])[0]  # not yet repaired: an intersection needs a valid shape
    county = reg.counties[largest_share(geom, list(former.successors), embedded_counties())]
    r.add(
        "warning",
        where,
        say("boundaries.match.former_drawn_as", former=former.describe(), county=county.name),
        say("boundaries.older_file_fix"),
    )
    return county
