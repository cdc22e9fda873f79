"""A table file as a frame of strings: :func:`read_raw` as its headers are, :func:`read_table`
with the headers renamed to a :class:`~geo.read.headers.LayerSpec`'s canonical columns."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import DataSourceError, Problem
from .encoding import DELIMITERS, decode_text, sniff_delimiter
from .headers import LayerSpec, column_for
from .workbook import read_workbook

#: the sheet of a template workbook that holds each layer
SHEET_NAMES = {"pairings": "结对", "coverage": "政策覆盖", "status": "称号"}

#: control characters (not tab, LF, CR): invisible, refused by a workbook, and able to
#: drive a terminal (ESC) when a value is printed
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(value) -> str:
    return CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()


def read_raw(path, spec: LayerSpec | None = None, *, sheet=None, encoding: str | None = None):
    """A CSV, XLSX or XLS file as a frame of strings, as its headers are, with a note of
    the encoding and delimiter chosen for a text file. ``spec`` (optional) helps detect
    the encoding and delimiter from known headers and picks a template's sheet."""
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(f"{path}: no such file. Fix: check the path.")
    suffix = path.suffix.lower()
    problems: list[Problem] = []
    if suffix in (".xlsx", ".xlsm", ".xls"):
        sheets = read_workbook(path, suffix)
        if sheet is None:
            name = SHEET_NAMES.get(spec.name) if spec else None
            name = name if name in sheets else next(iter(sheets))
        elif str(sheet) in sheets:
            name = str(sheet)
        elif str(sheet).isdigit() and int(sheet) < len(sheets):
            name = list(sheets)[int(sheet)]
        else:
            raise DataSourceError(f"{path}: no sheet {sheet!r}; the workbook has {', '.join(sheets)}.")
        df = sheets[name]
    elif suffix in (".csv", ".txt", ".tsv"):
        text, enc = decode_text(path.read_bytes(), path, encoding, spec)
        if not text.strip():
            raise DataSourceError(f"{path}: the file is empty. Fix: export the table again with a header row.")
        import io

        sep = "\t" if suffix == ".tsv" else sniff_delimiter(text, spec)
        if enc not in ("utf-8", "utf-8-sig") or sep != ",":
            problems.append(
                Problem(
                    "info", str(path), "file", f"read as {enc.upper()}, delimiter {DELIMITERS.get(sep, repr(sep))}."
                )
            )
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep, skipinitialspace=True)
        except pd.errors.ParserError as exc:
            raise DataSourceError(f"{path}: malformed CSV ({exc}). Fix: check quoting on that line.") from None
    else:
        raise DataSourceError(f"{path}: unsupported table format {suffix!r}. Fix: use .csv, .xlsx or .xls.")
    df.columns = [_clean(c) for c in df.columns]
    return df, problems


def read_table(path, spec: LayerSpec, *, sheet=None, encoding: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV, XLSX or XLS file as strings and rename its headers to ``spec``'s columns.

    Returns the frame (with a ``_row`` column holding the row number a person sees in a
    spreadsheet: the header is row 1) and the problems found with the headers, with a note
    of the encoding and delimiter chosen for a text file.
    """
    path = Path(path)
    df, problems = read_raw(path, spec, sheet=sheet, encoding=encoding)
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
                    "header",
                    f"columns {seen[canon]!r} and {col!r} both mean {canon!r}.",
                    "keep one of them.",
                )
            )
            continue
        seen[canon] = col
        rename[col] = canon
    df = df.rename(columns=rename)
    accepted = lambda c: ", ".join((c, *spec.columns[c]))  # noqa: E731
    for c in spec.required:
        if c not in df.columns:
            problems.append(
                Problem(
                    "error", str(path), "header", f"missing column {c!r}.", f"add a column named one of: {accepted(c)}."
                )
            )
    for group in spec.required_any:
        if not any(c in df.columns for c in group):
            problems.append(
                Problem(
                    "error",
                    str(path),
                    "header",
                    f"needs one of the columns {' or '.join(map(repr, group))}.",
                    f"add a column named one of: {accepted(group[-1])}.",
                )
            )
    for c in spec.columns:
        if c not in df.columns:
            df[c] = ""
    for c in spec.columns:  # control characters in a cell: removed, and said where
        rows = [i + 2 for i, v in enumerate(df[c]) if CONTROL.search(str(v))]
        if rows:
            more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
            where = f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows[:5]))}{more}"
            problems.append(Problem("repair", str(path), where, "invisible control characters removed.",
                                    "nothing to do; remove them from the file to silence this.", c))  # fmt: skip
    df = df.map(_clean)
    df = df[~(df[list(spec.columns)] == "").all(axis=1)].copy()  # blank lines
    df.insert(0, "_row", df.index.to_numpy() + 2)
    return df.reset_index(drop=True), problems
