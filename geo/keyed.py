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

from .catalog import say
from .divisions import created_by
from .errors import Problem
from .measures import parse_number
from .vintage import carry_values, table_vintage

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
        out.errors.append(Problem("error", path, say("where.row", n=row), what, fix, column))

    for r in rows:
        cell = r.cells[index]
        if not r.label:
            if cell:
                fix = (
                    say("keyed.no_county_fix", column=county_header)
                    if county_header
                    else say("keyed.no_county_fix_first")
                )
                err(r.row, say("keyed.no_county", cell=cell), fix)
            continue
        c = reg.find_county(r.label)
        former = reg.find_former(r.label) if c is None else None
        if c is None and former is None:
            sugg = reg.suggest(r.label)
            what = (
                say("keyed.not_county_suggest", label=r.label, names=say("list.enum").join(sugg))
                if sugg
                else say("keyed.not_county", label=r.label)
            )
            err(r.row, what, say("keyed.not_county_fix"))
            continue
        code = c.code if c is not None else former.code
        if code in seen:
            err(r.row, say("keyed.twice", name=out.names[code], first=seen[code], row=r.row), say("keyed.twice_fix"))
            continue
        seen[code], out.names[code] = r.row, (c.name if c is not None else former.name)
        if former is not None:
            out.formers.append(former)
        try:
            v, u = parse_number(cell)
        except ValueError:
            err(r.row, say("keyed.not_number", cell=cell), say("keyed.not_number_fix"))
            continue
        out.implied.add(u)
        out.raw[code] = v
    for f in out.formers:  # 临安市 and 临安区 both: one unit before and after a change
        if f.resolves_to in seen and not f.merged:
            what = say(
                "keyed.same_unit",
                name=f.name,
                today=out.names[f.resolves_to],
                row=seen[f.resolves_to],
                date=f.change.date,
                doc=f.change.doc_no,
            )
            err(seen[f.code], what, say("keyed.same_unit_fix"))
    return out


def carry_to_today(reg, keyed: Keyed, src: str, column: str, additive: bool, vintage=None):
    """The values of today's units from the table's own, with the notes on what an older
    vintage needed: ``(values, {"problems", "not_comparable", "summed"})``."""
    raw, names, formers = keyed.raw, keyed.names, keyed.formers
    current = {c.code: c.name for c in reg.counties.values()}
    history = reg.history  # the registry's changes (None: the embedded ones)
    before, why = table_vintage(formers, set(raw), current, vintage, history)
    out = {"problems": [], "not_comparable": {}, "summed": {}}
    if before is None:
        return dict(raw), out

    def note(sev, what, fix=""):
        out["problems"].append(Problem(sev, src, say("keyed.where.vintage"), what, fix, column))

    later = [
        say("keyed.set_up", name=names[c], date=ch.date)
        for c in raw
        if c in current and (ch := created_by(c, history)) and ch.date >= before
    ]
    note("info", say("keyed.older_units", before=before, reasons=say("keyed.reason_sep").join(why)))
    if later:
        note("warning", say("keyed.mixed", before=before, names=say("list.enum").join(later)), say("keyed.mixed_fix"))
    carried = carry_values(raw, names, before, current, additive, history)
    sep = say("list.semicolon")
    renamed = [
        say("keyed.renamed_item", old=old, new=new, date=ch.date, doc=ch.doc_no)
        for old, new, ch in carried.renamed
        if old != new
    ]
    if renamed:
        note("info", say("keyed.renamed", items=sep.join(renamed)))
    if carried.summed:
        summed = sep.join(f"{current[c]} = {' + '.join(parts)}" for c, parts in carried.summed.items())
        note("info", say("keyed.summed", items=summed))
    if carried.not_comparable:
        merged_only = any(" = " in carried.why[c] for c in carried.not_comparable)
        why = sep.join(carried.why[c] for c in carried.not_comparable)
        fix = "keyed.not_comparable_fix_additive" if merged_only and not additive else "keyed.not_comparable_fix"
        note("warning", say("keyed.not_comparable", n=len(carried.not_comparable), why=why), say(fix))
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
        say("boundaries.where.file"),
        say(
            "keyed.few_counties",
            n=len(edition.members) - len(missing),
            total=len(edition.members),
            edition=edition.id,
            names=say("list.enum").join(missing),
        ),
        say("keyed.few_counties_fix"),
        column,
    )
