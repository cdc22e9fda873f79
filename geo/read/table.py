"""A table file as a frame of strings: :func:`read_raw` as its headers are, :func:`read_table`
with the headers renamed to a :class:`~geo.read.headers.LayerSpec`'s canonical columns."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalog import say
from ..errors import DataSourceError, Problem
from .checker import rows_text
from .encoding import decode_text, read_as_note, sniff_delimiter
from .headers import LayerSpec, column_for
from .workbook import read_workbook

#: the sheet of a template workbook that holds each layer
SHEET_NAMES = {"pairings": "结对", "coverage": "政策覆盖", "status": "称号", "enclaves": "飞地"}

#: control characters (not tab, LF, CR): invisible, refused by a workbook, and able to
#: drive a terminal (ESC) when a value is printed
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(value) -> str:
    return CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()


def read_raw(path, spec: LayerSpec | None = None, *, sheet=None, encoding: str | None = None, nrows=None):
    """A CSV, XLSX or XLS file as a frame of strings, as its headers are, with a note of
    the encoding and delimiter chosen for a text file. ``spec`` (optional) helps detect
    the encoding and delimiter from known headers and picks a template's sheet; ``nrows``
    reads only the first rows (what a table holds is told from its head).

    The frame's index counts the rows as a spreadsheet does (blank lines included, the header
    is row 1 and the first row index 0); ``attrs["numeric_months"]`` holds the (index, column)
    of workbook cells with a number such as 2021.1 (which a spreadsheet also keeps for 2021.10).
    """
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(say("read.no_such_file", path=path))
    suffix = path.suffix.lower()
    problems: list[Problem] = []
    if suffix in (".xlsx", ".xlsm", ".xls"):
        sheets = read_workbook(path, suffix, nrows=nrows)
        if sheet is None:
            name = SHEET_NAMES.get(spec.name) if spec else None
            name = name if name in sheets else next(iter(sheets))
        elif str(sheet) in sheets:
            name = str(sheet)
        elif str(sheet).isdigit() and int(sheet) < len(sheets):
            name = list(sheets)[int(sheet)]
        else:
            raise DataSourceError(say("read.no_sheet", path=path, sheet=sheet, names=say("list.enum").join(sheets)))
        df = sheets[name]
    elif suffix in (".csv", ".txt", ".tsv"):
        if nrows is None:
            raw = path.read_bytes()
        else:  # the head: a megabyte holds far more rows than asked for (cut at a line's end)
            with open(path, "rb") as f:
                raw = f.read(1 << 20)
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: a line's end is two bytes
                raw = path.read_bytes()
            elif len(raw) == 1 << 20 and b"\n" in raw:
                raw = raw[: raw.rindex(b"\n") + 1]
        text, enc = decode_text(raw, path, encoding, spec)
        if not text.strip():
            raise DataSourceError(say("read.empty_file", path=path))

        sep = "\t" if suffix == ".tsv" else sniff_delimiter(text[:200_000], spec)
        del text  # the parser reads the bytes: a second copy of a large file as text is not needed
        if enc not in ("utf-8", "utf-8-sig") or sep != ",":
            problems.append(Problem("info", str(path), say("read.where_file"), read_as_note(enc, sep)))
        try:
            df = pd.read_csv(
                io.BytesIO(raw),
                encoding=enc,
                dtype=str,
                keep_default_na=False,
                sep=sep,
                skipinitialspace=True,
                skip_blank_lines=False,  # a blank line is a row, as in a spreadsheet: row numbers stay right
                nrows=nrows,
                # a separator of more than a byte (the full-width comma) is the python engine's:
                # asked for by name, pandas does not warn on the planner's console that it fell back
                engine="c" if len(sep.encode("utf-8")) == 1 else "python",
            )
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DataSourceError(say("read.malformed_csv", path=path, error=exc)) from None
        df.attrs["numeric_months"] = set()
    else:
        raise DataSourceError(say("read.unsupported_format", path=path, suffix=suffix))
    df.columns = [_clean(c) for c in df.columns]
    return df, problems


def _cleaned(df: pd.DataFrame, columns, path: Path, problems: list[Problem]) -> pd.DataFrame:
    """Every cell NFC-normalised, stripped and rid of control characters, each distinct value
    once (a large table repeats itself); control characters in ``columns`` are reported."""
    out = {}
    for c in df.columns:
        values = df[c].fillna("").astype(str)
        distinct = list(values.unique())  # arrow's own unique: ten times faster than through numpy
        clean = {v: _clean(v) for v in distinct}
        out[c] = values.map(clean) if any(k != v for k, v in clean.items()) else values
        if c in columns and (dirty := [v for v in distinct if CONTROL.search(v)]):
            rows = (np.flatnonzero(values.isin(dirty).to_numpy()) + 2).tolist()
            problems.append(Problem("repair", str(path), rows_text(rows), say("read.control_chars.what"),
                                    say("read.control_chars.fix"), c))  # fmt: skip
    return pd.DataFrame(out, index=df.index)


def read_table(
    path, spec: LayerSpec, *, sheet=None, encoding: str | None = None, nrows=None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV, XLSX or XLS file as strings and rename its headers to ``spec``'s columns.

    Returns the frame (with a ``_row`` column holding the row number a person sees in a
    spreadsheet: the header is row 1, blank lines count) and the problems found with the
    headers, with a note of the encoding and delimiter chosen for a text file.
    ``attrs["numeric_months"]`` holds the (row, column) of workbook cells with a number such
    as 2021.1, which :meth:`~geo.read.Checker.year` refuses as ambiguous.
    """
    path = Path(path)
    df, problems = read_raw(path, spec, sheet=sheet, encoding=encoding, nrows=nrows)
    hmap = spec.header_map()
    rename, seen = {}, {}
    for col in df.columns:
        canon = column_for(hmap, col)
        if canon is None:
            continue
        if canon in seen:
            problems.append(
                Problem(
                    "error",
                    str(path),
                    say("where.header"),
                    say("read.same_meaning.what", first=seen[canon], second=col, canon=canon),
                    say("read.same_meaning.fix"),
                )
            )
            continue
        seen[canon] = col
        rename[col] = canon
    df = df.rename(columns=rename)
    accepted = lambda c: say("read.add_column", names=say("list.enum").join((c, *spec.columns[c])))  # noqa: E731
    for c in spec.required:
        if c not in df.columns:
            problems.append(
                Problem("error", str(path), say("where.header"), say("read.missing_column", column=c), accepted(c))
            )
    for group in spec.required_any:
        if not any(c in df.columns for c in group):
            problems.append(
                Problem(
                    "error",
                    str(path),
                    say("where.header"),
                    say("read.needs_one_of", columns=say("county.or").join(map(repr, group))),
                    accepted(group[-1]),
                )
            )
    for c in spec.columns:
        if c not in df.columns:
            df[c] = ""
    numeric = df.attrs.get("numeric_months", set())
    df = _cleaned(df, spec.columns, path, problems)
    df = df[~(df[list(spec.columns)] == "").all(axis=1)].copy()  # blank lines
    df.insert(0, "_row", df.index.to_numpy() + 2)
    df = df.reset_index(drop=True)
    df.attrs["numeric_months"] = {(i + 2, rename.get(col, col)) for i, col in numeric}
    df.attrs["headers"] = {canon: str(col) for col, canon in rename.items()}
    return df, problems
