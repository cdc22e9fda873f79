"""Numbers keyed by county: the cells of one column of a sheet, row by row, read as today's
county-level units.

Each row's label is a county (any name form or code, also a former one: 临安市); each cell a
number as people type it. A name outside Zhejiang, a county named twice, a cell that is not a
number is an error naming the file and row. A table of an older vintage is carried to today's
units (:mod:`geo.vintage`): renamed units keep their value, merged ones are summed when the
column is additive, changed ones get "no comparable data". :mod:`geo.indicators` reads one
column this way, :mod:`geo.series` one column per year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import Problem, param
from .measures import parse_number

__all__ = ["Keyed", "carry_to_today", "read_keyed"]


@dataclass
class Keyed:
    """What the rows of one column gave: the table's own codes → values, their names, the
    former units named, the units the values imply (``%``), and the errors found."""

    raw: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    formers: list = field(default_factory=list)
    implied: set[str] = field(default_factory=set)
    errors: list[Problem] = field(default_factory=list)


def read_keyed(rows, index: int, reg, path: str, column: str, county_header: str = "") -> Keyed:
    """The cells at ``index`` of ``rows`` (:class:`~geo.read.sheet.SheetRow`) keyed by the
    county each row names.

    Parameters
    ----------
    rows : list of SheetRow
    index : int
        The column of the cells.
    reg : Registry
    path, column : str
        The file and the column, for the messages.
    county_header : str
        The header of the county column, for the messages.
    """
    out = Keyed()
    seen: dict[str, int] = {}

    def err(row, what, fix):
        out.errors.append(Problem("error", path, f"row {row}", what, fix, column))

    for r in rows:
        cell = r.cells[index]
        if not r.label:
            if cell:
                err(r.row, f"{cell!r} has no county.", f"fill in the county in column {county_header or 'one'}.")
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
            err(r.row, f"{out.names[code]} is named twice (rows {seen[code]} and {r.row}).", "keep one row per county.")
            continue
        seen[code], out.names[code] = r.row, (c.name if c is not None else former.name)
        if former is not None:
            out.formers.append(former)
        try:
            v, u = parse_number(cell)
        except ValueError:
            err(r.row, f"{cell!r} is not a number.", "write a number (1,234.5, 12.3%, 5.6万), or leave it blank.")
            continue
        out.implied.add(u)
        out.raw[code] = v
    for f in out.formers:  # 临安市 and 临安区 both: one unit before and after a change
        if f.resolves_to in seen and not f.merged:
            err(seen[f.code], f"{f.name} and {out.names[f.resolves_to]} (row {seen[f.resolves_to]}) are the same unit "
                f"before and after {f.change.date} ({f.change.doc_no}).", "keep the row of the year the table is for.")  # fmt: skip
    return out


def carry_to_today(reg, keyed: Keyed, src: str, column: str, additive: bool, vintage=None):
    """The values of today's units from the table's own, with the notes on what an older
    vintage needed: ``(values, {"problems", "not_comparable", "summed"})``."""
    from .vintage import carry_values, table_vintage

    raw, names, formers = keyed.raw, keyed.names, keyed.formers
    current = {c.code: c.name for c in reg.counties.values()}
    history = reg.history  # the registry's changes (None: the embedded ones)
    before, why = table_vintage(formers, set(raw), current, vintage, history)
    out = {"problems": [], "not_comparable": {}, "summed": {}}
    if before is None:
        return dict(raw), out

    def note(sev, what, fix=""):
        out["problems"].append(Problem(sev, src, "vintage", what, fix, column))

    from .divisions import created_by

    later = [
        f"{names[c]} (set up {ch.date})"
        for c in raw
        if c in current and (ch := created_by(c, history)) and ch.date >= before
    ]
    note("info", f"the table uses the county-level units of before {before} (it {'; it '.join(why)}): its values "
         "are carried to today's units.")  # fmt: skip
    if later:
        note("warning", f"the table also names units set up on or after {before}: {'、'.join(later)}; it mixes vintages.",
             "check the year of each row.")  # fmt: skip
    carried = carry_values(raw, names, before, current, additive, history)
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
             f"pass {param('additive', True)} if the column can be summed (population, area, output) to add up merged units; "
             "units split since stay without comparable data." if merged_only and not additive else
             "use a table of today's units for these.")  # fmt: skip
    out["not_comparable"], out["summed"] = carried.not_comparable, carried.summed
    return carried.values, out


def coverage_warning(reg, edition, values: dict, not_comparable, src: str, column: str) -> Problem | None:
    """A warning when ``values`` cover fewer than half of the edition's counties."""
    missing = [
        reg.counties[c].name
        for c in edition.members
        if (c not in values or math.isnan(values[c])) and c not in not_comparable
    ]
    if len(missing) <= len(edition.members) / 2:
        return None
    return Problem(
        "warning",
        src,
        "file",
        f"the file covers only {len(edition.members) - len(missing)} of the {len(edition.members)} counties of "
        f"edition {edition.id}; missing: {'、'.join(missing)}.",
        "add the missing counties, or ignore this if the map is meant to show fewer.",
        column,
    )
