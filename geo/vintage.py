"""Files of an older vintage: boundary files and indicator tables made before some of the
changes in ``layers/divisions.csv``, mapped onto today's units.

- Boundaries: a feature named as a unit since abolished and shared out (江干区) is drawn with
  the unit of today that holds most of it; a unit of today missing from the file whose area
  another feature still covers (龙港市 inside an old 苍南县, 临平区 inside 余杭区) is named in a
  warning, and the file is drawn as it is.
- Indicator tables: :func:`carry_values` carries each value to today's unit when the unit is
  the same area (renamed or not), sums merged units when the column is additive, and gives
  "no comparable data" where the area has changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .catalog import say
from .divisions import Change, FormerUnit, carry_forward, changes, created_by, vintage_before
from .errors import param

__all__ = ["Carried", "carry_values", "covered_units", "largest_share", "table_vintage"]

#: a feature holds a missing unit when it covers at least this share of that unit's area
HOLD_SHARE = 0.2


def largest_share(geom, codes, reference) -> str:
    """Of ``codes``, the one whose embedded polygon overlaps ``geom`` most (by area)."""
    import shapely  # lazy: shapely; census and keyed tables import vintage without geometry

    best, area = codes[0], -1.0
    ref = dict(zip(reference["code"], reference.geometry.values, strict=True))
    for c in codes:
        if c in ref:
            a = shapely.area(shapely.intersection(geom, ref[c]))
            if a > area:
                best, area = c, a
    return best


def covered_units(counties, reference, names: dict[str, str], history=None) -> list[tuple[str, Change, list[str]]]:
    """Units of today that a boundary file lacks but whose area its features still cover,
    each with the change that created it and the names of the features that hold it.

    ``counties`` and ``reference`` have ``code`` and ``geometry`` (EPSG:4326); ``names`` maps
    today's codes to names; ``history`` the changes (default: the embedded ones).
    """
    import shapely  # lazy: as above

    present = set(counties["code"])
    geoms = counties.geometry.values
    tree = shapely.STRtree(geoms)
    out = []
    for code, g in zip(reference["code"], reference.geometry.values, strict=True):
        if code in present:
            continue
        ch = created_by(code, history)
        if ch is None:
            continue
        total = shapely.area(g)
        holders = []
        for j in tree.query(g, predicate="intersects"):
            share = shapely.area(shapely.intersection(geoms[j], g)) / total if total else 0.0
            if share >= HOLD_SHARE:
                holders.append((share, names.get(counties["code"].iat[j], counties["code"].iat[j])))
        if holders and sum(s for s, _ in holders) > 0.6:
            out.append((code, ch, [n for _, n in sorted(holders, reverse=True)]))
    return out


# ---------------------------------------------------------------------------------------
# indicator tables
# ---------------------------------------------------------------------------------------


def table_vintage(
    formers: list[FormerUnit], present: set[str], current: dict[str, str], vintage: int | None = None, history=None
):
    """The first change a table predates (ISO date, or None for a table of today's units)
    and why: its own ``vintage`` year when given, else the former names it uses and, for a
    table that covers at least four fifths of the units, the new units it lacks; of
    ``history`` (default: the embedded changes)."""
    if vintage is not None:
        after = [c for c in changes(history=history) if c.year > int(vintage)]
        return (after[0].date if after else None), [
            say("vintage.reason_year", vintage=vintage, given=param("vintage", int(vintage)))
        ]
    absent = []
    # a unit set up later than the change is proof the table is not older than it
    made = [ch.date for c in present if c in current and (ch := created_by(c, history)) is not None]
    newest = max(made, default="")
    if len(present) >= 0.8 * len(current):
        for code in current:
            ch = created_by(code, history)
            if ch is not None and code not in present:
                sources = {f.source for f in ch.flows if f.target == code and f.source != code}
                if sources and sources <= present and ch.date > newest:
                    absent.append((current[code], ch))
    return vintage_before(formers, absent)


@dataclass
class Carried:
    """Values of an older table on today's units, and what was done to get them."""

    values: dict[str, float]
    renamed: list[tuple[str, str, Change]] = field(default_factory=list)  # (old name, today's, change)
    summed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # today's code → old names
    not_comparable: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)  # today's code → reason (English)


def carry_values(
    values: dict[str, float],
    names: dict[str, str],
    before: str,
    current: dict[str, str],
    additive: bool = False,
    history=None,
) -> Carried:
    """Values keyed by the table's own codes (as they were before ``before``) → values of
    today's units.

    Parameters
    ----------
    values : dict
        The table's code → value (NaN for a blank cell).
    names : dict
        The table's code → the name the table writes.
    before : str
        The first change the table predates (ISO date).
    current : dict
        Today's code → name.
    additive : bool
        The column can be summed (population, area, GDP): merged units are added up.
    history : sequence of Change, optional
        The changes (default: the embedded ones).
    """
    extents = carry_forward(values, before, history)
    out = Carried({})
    for code, today in current.items():
        e = extents.get(code)
        if e is None or not e.atoms:
            continue
        docs = say("list.semicolon").join(
            dict.fromkeys(say("vintage.on", date=c.date, doc=c.doc_no) for c in e.changes)
        )
        if e.exact and len(e.atoms) == 1:
            (old,) = e.atoms
            out.values[code] = values[old]
            if e.changes:
                out.renamed.append((names.get(old, old), today, e.changes[-1]))
            continue
        parts = sorted(e.atoms)
        old_names = tuple(names.get(a, a) for a in parts)
        if e.exact and additive and all(not math.isnan(values[a]) for a in parts):
            out.values[code] = float(sum(values[a] for a in parts))
            out.summed[code] = old_names
            continue
        out.values[code] = math.nan
        out.not_comparable[code] = e.changes
        if e.exact:
            out.why[code] = say("vintage.merged", today=today, parts=" + ".join(old_names), docs=docs)
        else:
            out.why[code] = say("vintage.changed_area", today=today, names=say("list.enum").join(old_names), docs=docs)
    return out
