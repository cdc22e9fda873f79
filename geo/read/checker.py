"""Collecting problems while validating a layer: :class:`Checker` (one file, row numbers),
the county checks and source resolution the layers share, and the :class:`LayerResult` they return."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._frames import records
from ..catalog import message_lang, say
from ..codes import code_of, field_of, label
from ..errors import DataLayerError, Problem
from ..registry import Registry, folding_note
from ..sources import RANK, allowed_confidence, embedded_sources, parse_source_cell
from .values import FIRST_YEAR, parse_since, year_ok


@dataclass
class LayerResult:
    """A validated table and what was found while reading it."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    #: source records made from what the file cites beyond the embedded ones, by id
    sources: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> LayerResult:
        if self.errors:
            raise DataLayerError(self.problems)
        return self


def rows_text(rows) -> str:
    """``row 4``, or ``rows 2, 5, 9, 14, 20 and 1,234 more`` (never one number per row of a
    large file)."""
    rows = list(rows)
    if len(rows) == 1:
        return say("where.row", n=rows[0])
    shown = say("list.enum").join(map(str, rows[:5]))
    if len(rows) > 5:
        return say("where.row_list_more", rows=shown, more=f"{len(rows) - 5:,}")
    return say("where.row_list", rows=shown)


def either(items) -> str:
    """``county, city or edition`` (codes, names) in the language of the messages."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return say("read.either", items=say("list.enum").join(items[:-1]), last=items[-1])


class Checker:
    """Collects problems for one file with its row numbers.

    A large table that repeats itself is validated once per distinct row (:meth:`records`):
    a problem found in it names every row that holds the same values, and
    :meth:`expand` gives the validated table back one row per row of the file.
    """

    def __init__(self, path: str, numeric_months=(), headers=None):
        self.path = path
        #: each column's header as the file writes it (可信度 for ``confidence``): a problem
        #: names the column the user sees
        self.headers = dict(headers or {})
        self.problems: list[Problem] = []
        self._folded = False
        #: source records made from what a user's file cites (addresses, words), by id
        self.sources: dict = {}
        #: (row, column) of workbook cells holding a number such as 2021.1 in a year column
        self.numeric_months = set(numeric_months)
        #: first row of a distinct row → every row that holds the same values
        self._groups: dict[int, np.ndarray] = {}

    @classmethod
    def for_table(cls, path, df: pd.DataFrame) -> Checker:
        """A checker for ``df`` as :func:`~geo.read.read_table` read it from ``path``: its
        workbook cells that hold numbers like 2021.1 and its headers as the file writes them."""
        return cls(str(path), df.attrs.get("numeric_months", ()), df.attrs.get("headers"))

    def add(self, severity, row, what, fix="", column=""):
        if isinstance(row, int | np.integer):
            rows = self._groups.get(int(row))
            where = rows_text(rows) if rows is not None else say("where.row", n=row)
        else:
            where = str(row)
        header = self.headers.get(column, "") if column else ""
        self.problems.append(Problem(severity, self.path, where, what, fix, column, header if header != column else ""))

    #: names given suggestions ("did you mean …?") per file: past them, a table of thousands of
    #: unknown names is still checked in seconds (the printout shows 20 of a kind anyway)
    SUGGESTIONS = 200

    def suggest(self, reg: Registry, value: str) -> list[str]:
        """Names that look like ``value``, for the first :data:`SUGGESTIONS` unknown names."""
        if not hasattr(self, "_suggested"):
            self._suggested: dict[str, list[str]] = {}
        if value not in self._suggested:
            if len(self._suggested) >= self.SUGGESTIONS:
                return []
            self._suggested[value] = reg.suggest(value)
        return self._suggested[value]

    def records(self, df: pd.DataFrame) -> list[dict]:
        """The rows of ``df`` as dicts, one per distinct set of values (its ``_row`` the first
        row that holds them); each problem added for that row names all of them."""
        cols = [c for c in df.columns if c != "_row"]
        if len(df) == 0:
            return []
        gid = df.groupby(cols, sort=False, dropna=False).ngroup().to_numpy() if cols else np.arange(len(df))
        rows = df["_row"].to_numpy()
        order = np.argsort(gid, kind="stable")
        bounds = np.cumsum(np.bincount(gid))[:-1]
        groups = np.split(rows[order], bounds)
        self._groups = {int(g[0]): g for g in groups}
        first = np.zeros(len(df), dtype=bool)
        first[order[np.concatenate([[0], bounds])]] = True
        # not to_dict: it takes a second for 40,000 rows of arrow-backed strings
        return records(df[first])

    def expand(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` (one row per distinct row, ``_row`` its first row) with every row of the
        file that holds the same values, in the file's order."""
        if not len(table) or not any(len(g) > 1 for g in self._groups.values()):
            return table
        groups = [self._groups.get(int(r), np.array([int(r)])) for r in table["_row"]]
        out = table.iloc[np.repeat(np.arange(len(table)), [len(g) for g in groups])].copy()
        out["_row"] = np.concatenate(groups)
        return out.sort_values("_row", kind="stable", ignore_index=True)

    def matched(self, written: str, name: str):
        """Say once per file when names written in traditional characters were matched."""
        if not self._folded and (note := folding_note(written, name)):
            self._folded = True
            self.add("info", say("read.where_file"), note)

    def year(self, row, value, column) -> str:
        if not value:
            return ""
        if (row, column) in self.numeric_months and re.fullmatch(r"\d{4}\.1", value):
            self.add(
                "error",
                row,
                say("read.numeric_month.what", value=value),
                say("read.numeric_month.fix"),
                column,
            )
            return ""
        iso = parse_since(value)
        if iso is None or not year_ok(iso):
            self.add(
                "error",
                row,
                say("read.bad_year.what", value=value),
                say("read.bad_year.fix", first=FIRST_YEAR, last=_dt.date.today().year),
                column,
            )
            return ""
        return iso

    def choice(self, row, value, allowed, column, aliases=None) -> str:
        # a code or its label in either language (高, high: the catalog's words, as the maps show them)
        v = (aliases or {}).get(value) or code_of(allowed, value) or value.lower()
        if v not in allowed:
            # the choices as the reader writes them: in Chinese the labels (高), in English the codes
            field, lang = field_of(allowed), message_lang()
            shown = say("list.enum").join(
                say("read.choice_item", code=c, label=label(field, c, lang) if field else c) for c in allowed
            )
            self.add("error", row, say("read.not_one_of", value=value, allowed=shown),
                     say("read.use_one_of", allowed=shown), column)  # fmt: skip
            return ""
        return v

    def duplicates(self, df: pd.DataFrame, keys: list[str], label: str):
        """An error for each set of rows with the same ``keys``; ``label`` says what a row is
        (``say("tables.label.pairing")``), in the language of the messages."""
        dup = df[df.duplicated(keys, keep=False)]
        for _, grp in dup.groupby(keys, sort=False):
            self.add(
                "error",
                rows_text(grp["_row"]),
                say("read.duplicate.what", label=label, values=" / ".join(str(grp.iloc[0][k]) for k in keys)),
                say("read.duplicate.fix"),
            )


def former_or_none(chk: Checker, reg: Registry, row, value, column):
    """Today's county for a former name or code (临安市 → 临安区, noted); an error saying where
    a unit went when its area is now in several (江干区); None when ``value`` is neither."""
    c, former = reg.resolve(value)
    if former is None:
        return None
    if c is not None:
        chk.add("info", row, say("read.former.read_as", described=former.describe(), name=c.name), "", column)
        return c
    chk.add(
        "error",
        row,
        say("read.former.gone", value=value, described=former.describe()),
        say("read.former.gone_fix", successors=say("county.or").join(former.successor_names)),
        column,
    )
    return False


def county_or_error(chk: Checker, reg: Registry, row, value, column, code_value=""):
    """Resolve a county by code column first, then by name; report if neither works. A former
    name or code (临安市, 330185) is read as today's unit with a note."""
    if code_value:
        c = reg.find_county(code_value)
        if c is None:
            c = former_or_none(chk, reg, row, code_value, column.replace("county", "code"))
            if c is False:
                return None
        if c is None:
            chk.add(
                "error",
                row,
                say("read.bad_code.what", code=code_value),
                say("read.bad_code.fix"),
                column.replace("county", "code"),
            )
            return None
        if value and reg.resolve(value)[0] not in (None, c):
            chk.add(
                "error",
                row,
                say("read.code_name_differ.what", code=code_value, name=c.name, value=value),
                say("read.code_name_differ.fix"),
                column,
            )
        return c
    if not value:
        chk.add("error", row, say("read.no_county.what"), say("read.no_county.fix"), column)
        return None
    c = reg.find_county(value)
    if c is not None:
        chk.matched(value, c.name)
        return c
    c = former_or_none(chk, reg, row, value, column)
    if c is False:
        return None
    if c is None:
        sugg = chk.suggest(reg, value)
        chk.add(
            "error",
            row,
            say("read.not_a_county.what", value=value, hint=did_you_mean(sugg)),
            say("read.not_a_county.fix"),
            column,
        )
    return c


def did_you_mean(names) -> str:
    """`` (did you mean 景宁, 景德?)`` for the names offered, or nothing."""
    return say("read.did_you_mean", names=say("list.enum").join(names)) if names else ""


def resolve_sources(
    chk: Checker, df: pd.DataFrame, has_source_col: bool, needs, *, embedded: bool, sources: dict | None = None
) -> list[str]:
    """The rows' sources as ``;``-joined source ids, and the confidence they allow.

    Every row in ``needs`` must cite something. The embedded layers cite ids of
    ``layers/sources.csv`` only; a user's file may cite those ids, addresses or words (each
    address or phrase becomes a source record of the kind its host shows, kept in
    ``chk.sources``); ``sources`` are the user's own records (``--sources``), cited by id
    like the built-in ones. A row rated higher than its sources allow is flagged: an error in
    the embedded layers, a warning in a user's file; lower is allowed with a reason in its
    note.
    """
    known = {**embedded_sources(), **(sources or {})}  # the built-in records and the user's own
    if not has_source_col:
        chk.add(
            "warning",
            say("where.header"),
            say("read.no_source_column.what"),
            say("read.no_source_column.fix", name="source"),
        )
    out = []
    parsed: dict[str, tuple] = {}  # a cell cited on many rows is parsed once
    for _, r in df.iterrows():
        row = int(r["_row"])
        cell = r["source"] if has_source_col else ""
        if cell not in parsed:
            parsed[cell] = parse_source_cell(cell, known)
        ids, new = parsed[cell]
        if embedded and new:
            unknown = [s.title or s.url for s in new]
            chk.add("error", row, say("read.unknown_source_ids.what", ids=say("list.enum").join(map(repr, unknown))),
                    say("read.unknown_source_ids.fix"), "source")  # fmt: skip
        for s in new:
            chk.sources.setdefault(s.id, s)
        if needs[r.name] and not ids and has_source_col:
            chk.add("error", row, say("read.missing_source.what"), say("read.missing_source.fix"), "source")
        conf = r.get("confidence", "")
        if needs[r.name] and conf in RANK:
            allowed = allowed_confidence(ids, {**known, **chk.sources}) or "low"
            if RANK[conf] > RANK[allowed]:
                kinds = sorted({(known.get(i) or chk.sources[i]).kind for i in ids if i in known or i in chk.sources})
                chk.add(
                    "error" if embedded else "warning",
                    row,
                    say(
                        "read.confidence_contradicts.what",
                        conf=conf,
                        kinds=say("list.enum").join(kinds) or say("read.no_kinds"),
                        allowed=allowed,
                    ),
                    say("read.confidence_contradicts.fix"),
                    "confidence",
                )
        out.append(";".join(ids))
    return out
