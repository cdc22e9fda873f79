"""Zhejiang's county-level units over time: the changes since 2000 (renames such as 县→区 and
市→区, mergers, splits, new units, transfers between units) read from ``layers/divisions.csv``,
and what they mean for a file made before them.

- :func:`changes` lists the changes (``shanhai divisions``);
- :func:`former_units` names every unit that no longer exists under its old name or code, with
  the unit(s) of today that hold its area (the registry's name lookups use it:
  临安市 → 临安区, 江干区 → 上城区 and 钱塘区);
- :func:`carry_forward` follows the units of an older file through the changes made since,
  telling for each of today's units whether it is exactly one unit of the file (renamed or
  not), exactly several (merged), or not the same area any more (split, or a part moved);
- :func:`vintage_before` tells from the names a file uses which changes it predates.

Each row of the layer has ``flows``: ``A>B`` (all of unit A became part of B) or
``A>B:part`` (a part of A went to B), codes as they were on that date, and ``ended``: the codes
that ceased to exist. Pure Python (``csv``): the registry imports it when a name misses.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ._paths import layer_path
from .catalog import say
from .errors import DataSourceError

__all__ = [
    "Change",
    "Extent",
    "Flow",
    "FormerUnit",
    "carry_forward",
    "changes",
    "clean_name",
    "created_by",
    "former_units",
    "load_changes",
    "parse_changes",
    "validate",
    "vintage_before",
]


@dataclass(frozen=True)
class Flow:
    """Area moving from one unit to another on the date of a change."""

    source: str  # code as it was
    target: str  # code after the change
    whole: bool  # all of ``source`` (a rename or a merger), else a part of it


@dataclass(frozen=True)
class Change:
    """One row of ``layers/divisions.csv``."""

    date: str
    doc_no: str
    type: str
    old: tuple[tuple[str, str], ...]  # (code, name) before, as the approval names them
    new: tuple[tuple[str, str], ...]  # (code, name) after
    flows: tuple[Flow, ...]
    ended: tuple[str, ...]
    moved: str
    sources: tuple[str, ...]
    note: str = ""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    def name_of(self, code: str) -> str:
        """The name ``code`` had (before) or got (after) in this change."""
        for c, n in (*self.old, *self.new):
            if c == code:
                return clean_name(n)
        return code

    def summary(self) -> str:
        """``2017-07-18 临安市 → 临安区 (国函〔2017〕102号)``."""
        old = "、".join(dict.fromkeys(clean_name(n) for _, n in self.old))
        new = "、".join(dict.fromkeys(clean_name(n) for _, n in self.new))
        return f"{self.date} {old} → {new} ({self.doc_no})"

    def as_row(self) -> dict:
        """The change as the flat row ``shanhai divisions`` prints."""
        return {
            "date": self.date,
            "doc_no": self.doc_no,
            "type": self.type,
            "old_codes": ";".join(c for c, _ in self.old),
            "old_names": "、".join(n for _, n in self.old),
            "new_codes": ";".join(c for c, _ in self.new),
            "new_names": "、".join(n for _, n in self.new),
            "moved": self.moved,
            "source": ";".join(self.sources),
            "note": self.note,
        }


def clean_name(name: str) -> str:
    """A name as the approval writes it, without the table's qualifiers: 江干区(part) → 江干区."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", str(name).strip()).strip()


def _split(text: str) -> list[str]:
    return [t.strip() for t in str(text).split(";") if t.strip()]


def parse_changes(rows, where="layers/divisions.csv") -> tuple[Change, ...]:
    """The changes of rows laid out as ``layers/divisions.csv`` (dicts of its columns), oldest
    first: what :func:`load_changes` reads, and a synthetic history a test writes.

    Raises
    ------
    DataSourceError
        A row lacks a column, has a flow that is not ``CODE>CODE`` or ``CODE>CODE:part``, or
        differs in its number of codes and names (``where`` and the row number say which).
    """
    out = []
    for i, r in enumerate(rows, start=2):
        try:
            flows = []
            for item in _split(r["flows"]):
                m = re.fullmatch(r"(\d{6})>(\d{6})(:part)?", item)
                if not m:
                    raise ValueError(say("divisions.bad_flow", item=item))
                flows.append(Flow(m.group(1), m.group(2), not m.group(3)))
            old_codes, new_codes = _split(r["old_codes"]), _split(r["new_codes"])
            old_names, new_names = _split(r["old_names"]), _split(r["new_names"])
            if len(old_codes) != len(old_names) or len(new_codes) != len(new_names):
                raise ValueError(say("divisions.counts_differ"))
            out.append(
                Change(
                    date=r["date"],
                    doc_no=r["doc_no"],
                    type=r["type"],
                    old=tuple(zip(old_codes, old_names, strict=True)),
                    new=tuple(zip(new_codes, new_names, strict=True)),
                    flows=tuple(flows),
                    ended=tuple(_split(r["ended"])),
                    moved=r["moved"],
                    sources=tuple(_split(r["source"])),
                    note=r.get("note", ""),
                )
            )
        except (KeyError, ValueError) as exc:
            raise DataSourceError(say("divisions.bad_row", where=where, row=say("where.row", n=i), exc=exc)) from None
    return tuple(sorted(out, key=lambda c: c.date))


@lru_cache(maxsize=1)
def load_changes() -> tuple[Change, ...]:
    """The changes of ``layers/divisions.csv``, oldest first (read once per process)."""
    path = layer_path("divisions.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return parse_changes(csv.DictReader(f), path)


def _history(history) -> tuple[Change, ...]:
    """``history`` (any order) oldest first, or the embedded changes when it is None."""
    return load_changes() if history is None else tuple(sorted(history, key=lambda c: c.date))


def changes(since: int | None = None, history=None) -> list[Change]:
    """The county-level changes in Zhejiang since 2000, oldest first; ``since`` keeps those of
    that year and later.

    Parameters
    ----------
    since : int, optional
        First year to list.
    history : sequence of Change, optional
        The changes to list (default: the embedded layer, :func:`load_changes`).

    Returns
    -------
    list of Change

    Examples
    --------
    >>> [c.summary() for c in changes(2019)][0]
    '2019-08-16 苍南县 → 龙港市 (民函〔2019〕83号)'
    """
    return [c for c in _history(history) if since is None or c.year >= int(since)]


def _by_date(hist: tuple[Change, ...]) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for c in hist:
        out.setdefault(c.date, []).append(c)
    return out


@dataclass(frozen=True)
class FormerUnit:
    """A unit as it was named or coded before a change, and where its area is today.

    ``resolves_to`` is today's unit when the whole of it went to one unit (临安市 → 临安区,
    下城区 → 拱墅区); else None and ``successors`` lists the units that hold its parts
    (江干区 → 上城区, 钱塘区).
    """

    code: str
    name: str
    change: Change  # the change that ended the name or the code
    successors: tuple[str, ...]  # today's codes
    successor_names: tuple[str, ...]
    resolves_to: str | None
    merged: bool  # went into a unit that also took other area
    later: tuple[Change, ...] = field(default=())  # changes to the successor since

    def describe(self) -> str:
        """One sentence for a message: what became of the unit, when and by which document."""
        ch = self.change
        when = say("divisions.when", date=ch.date, doc=ch.doc_no)
        if self.resolves_to is not None:
            succ = self.successor_names[0]
            later = ""
            if self.later:
                later = say(
                    "divisions.later", name=succ, dates=say("list.enum").join(dict.fromkeys(c.date for c in self.later))
                )
            key = (
                "divisions.recoded" if succ == self.name else "divisions.merged" if self.merged else "divisions.renamed"
            )
            return say(
                key, name=self.name, code=self.code, new=self.resolves_to, successor=succ, when=when, later=later
            )
        successors = say("divisions.and").join(self.successor_names)
        return say("divisions.abolished", name=self.name, code=self.code, when=when, successors=successors)


def _successors(
    code: str, after: str, current: dict[str, str], hist: tuple[Change, ...], seen=()
) -> tuple[list[str], bool]:
    """Today's units holding the area of ``code`` once it ended on ``after``, and whether all of
    it went to a single unit (following later ends)."""
    flows = [f for ch in hist if ch.date == after for f in ch.flows if f.source == code and f.target != code]
    out: list[str] = []
    whole = len(flows) == 1 and flows[0].whole
    for f in flows:
        t = f.target
        end = _end_of(t, after, hist)
        if end is not None and t not in seen:
            sub, w = _successors(t, end.date, current, hist, (*seen, code))
            out += sub
            whole = whole and w
        elif t in current:
            out.append(t)
    return list(dict.fromkeys(out)), whole and len(set(out)) == 1


def _end_of(code: str, after: str, hist: tuple[Change, ...]) -> Change | None:
    """The first change on or after ``after`` that ends ``code`` (two rows of one day can
    chain: A → B, then B → C)."""
    for ch in hist:
        if ch.date >= after and code in ch.ended:
            return ch
    return None


def former_units(current: dict[str, str], history=None) -> list[FormerUnit]:
    """Every unit of the changes that no longer exists under its code or name.

    Parameters
    ----------
    current : dict
        Today's units, code → name (the registry's 90).
    history : sequence of Change, optional
        The changes (default: the embedded layer).
    """
    hist = _history(history)
    out = []
    for ch in hist:
        for code, raw in ch.old:
            name = clean_name(raw)
            if code in ch.ended:
                succ, whole = _successors(code, ch.date, current, hist)
            elif code in current and current[code] != name and clean_name(dict(ch.new).get(code, name)) != name:
                succ, whole = [code], True  # the same code under a new name (秀城区 → 南湖区)
            else:
                continue
            if succ:
                target = succ[0] if whole else None
                made = created_by(target, hist) if target else None
                # merged: into a unit that existed before (下城区 → 拱墅区), not one set up for it
                merged = bool(target and target != code and (made is None or made.date < ch.date))
                later = tuple(
                    c2
                    for c2 in hist
                    if c2.date > ch.date and target and any(target in (f.source, f.target) for f in c2.flows)
                )
                out.append(
                    FormerUnit(code, name, ch, tuple(succ), tuple(current[s] for s in succ), target, merged, later)
                )
    return out


def created_by(code: str, history=None) -> Change | None:
    """The change that created ``code`` (a code first seen as a target, not existing before), or
    None; in ``history`` (default: the embedded changes)."""
    seen: set[str] = set()
    for _, group in sorted(_by_date(_history(history)).items()):
        existing = seen | {f.source for ch in group for f in ch.flows} | {c for ch in group for c, _ in ch.old}
        for ch in group:
            if code in {f.target for f in ch.flows} and code not in existing:
                return ch
        seen = existing
    return None


@dataclass(frozen=True)
class Extent:
    """What one of today's units is made of, in the units of an older file.

    ``atoms`` are the file's units (codes as they were) whose area is in today's unit; ``exact``
    says whether today's unit is exactly their union (no part moved in or out since);
    ``changes`` are the changes that touched it.
    """

    atoms: frozenset[str] = frozenset()
    exact: bool = True
    changes: tuple[Change, ...] = ()

    def plus(self, other: Extent, whole: bool, change: Change) -> Extent:
        return Extent(self.atoms | other.atoms, self.exact and other.exact and whole, _add(self.changes, change))

    def cut(self, change: Change) -> Extent:
        return Extent(self.atoms, False, _add(self.changes, change))


def _add(chs: tuple[Change, ...], ch: Change) -> tuple[Change, ...]:
    return chs if ch in chs else (*chs, ch)


def carry_forward(codes, before: str, history=None) -> dict[str, Extent]:
    """Follow the units ``codes`` of a file made before ``before`` (an ISO date) through every
    change on or after that date (of ``history``, default: the embedded changes).

    Returns today's codes (and any the changes reached) → :class:`Extent`. A code the file does
    not have contributes nothing and makes what it flows into inexact.
    """
    state = {c: Extent(frozenset({c})) for c in codes}
    for date, group in sorted(_by_date(_history(history)).items()):
        if date < before:
            continue
        new = dict(state)
        for ch in group:
            for f in ch.flows:
                src = state.get(f.source, Extent(frozenset(), False))
                if f.source == f.target:
                    if not f.whole:
                        new[f.source] = new.get(f.source, src).cut(ch)
                    continue
                base = new.get(f.target) or state.get(f.target) or Extent()
                new[f.target] = base.plus(src, f.whole, ch)
                if not f.whole and f.source not in ch.ended and f.source in new:
                    new[f.source] = new[f.source].cut(ch)
        for ch in group:
            for code in ch.ended:
                new.pop(code, None)
        state = new
    return state


def vintage_before(former: list[FormerUnit], absent: list[tuple[str, Change]] = ()) -> tuple[str | None, list[str]]:
    """The first change a file predates, from the former units it names and the units of
    today it lacks though it is complete ((name, the change that set it up)); with the
    reasons, for a note."""
    dates = [(f.change.date, say("divisions.reason_names", name=f.name, date=f.change.date)) for f in former]
    dates += [(ch.date, say("divisions.reason_lacks", name=name, date=ch.date)) for name, ch in absent]
    if not dates:
        return None, []
    first = min(d for d, _ in dates)
    return first, list(dict.fromkeys(why for _, why in sorted(dates)))


def validate(current: set[str], history=None, source_ids=None) -> list[tuple[str, str]]:
    """Problems of the layer as (where, what): a source id missing from
    ``layers/sources.csv`` (or ``source_ids``), a flow between units its row does not name, a
    unit of today ended, or a unit standing at the end that is not one of today's
    (``current``); of ``history`` (default: the embedded changes)."""
    if source_ids is None:
        with open(layer_path("sources.csv"), encoding="utf-8", newline="") as f:
            source_ids = {r["id"] for r in csv.DictReader(f)}
    ids = set(source_ids)
    hist = _history(history)
    out = []
    ended = set()
    for ch in hist:
        where = f"{ch.date} {ch.doc_no}"
        out += [(where, say("divisions.check.unknown_source", source=s)) for s in ch.sources if s not in ids]
        if not ch.sources:
            out.append((where, say("divisions.check.no_source")))
        named_old, named_new = {c for c, _ in ch.old}, {c for c, _ in ch.new}
        for fl in ch.flows:
            if fl.source not in named_old or fl.target not in named_new:
                out.append((where, say("divisions.check.flow_unnamed", flow=f"{fl.source}>{fl.target}")))
        ended |= set(ch.ended)
    out += [
        (say("divisions.check.where_ended"), say("divisions.check.ended_today", code=c))
        for c in sorted(ended & current)
    ]
    standing = {c for ch in hist for c, _ in (*ch.old, *ch.new) if len(c) == 6 and not c.endswith("00")}
    out += [
        (say("divisions.check.where_standing"), say("divisions.check.standing_not_today", code=c))
        for c in sorted(standing - ended - current)
    ]
    return out
