"""A sheet as a grid of cells: every row of a CSV, XLSX or XLS as strings, with the merged
ranges of a workbook (a yearbook's header block is merged cells over several rows).

Nothing is taken as a header here: :mod:`~geo.read.sheet` finds the header block.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import say
from ..errors import DataSourceError, Problem
from .encoding import DELIMITERS, decode_text, read_as_note
from .workbook import check_xls, check_xlsx, is_zip, refuse_unreadable

__all__ = ["Grid", "read_grid"]


@dataclass
class Grid:
    """The cells of one sheet (rows of equal length, strings, ``""`` for empty) and its merged
    ranges as (first row, first column, last row, last column), 0-based and inclusive."""

    cells: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0


def _cell_text(v) -> str:
    """A cell value as a person reads it: 2021 not 2021.0, 1234.5 as is, dates as ISO."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return unicodedata.normalize("NFC", str(v))


def _pad(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]


def _pick(names: list[str], sheet, path: Path) -> str:
    if sheet is None:
        return names[0]
    if str(sheet) in names:
        return str(sheet)
    if str(sheet).isdigit() and int(sheet) < len(names):
        return names[int(sheet)]
    raise DataSourceError(say("read.no_sheet", path=path, sheet=sheet, names=say("list.enum").join(names)))


def _xlsx(path: Path, sheet) -> Grid:
    import openpyxl

    check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        refuse_unreadable(path, ".xlsx", exc)
    name = _pick(wb.sheetnames, sheet, path)
    ws = wb[name]
    cells = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
    return Grid(_pad(cells), merges, name)


def _xls(path: Path, sheet) -> Grid:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True)
    except Exception as exc:
        raise DataSourceError(say("read.workbook_unreadable_xls", path=path, error=exc)) from None
    name = _pick(book.sheet_names(), sheet, path)
    sh = book.sheet_by_name(name)
    cells = []
    for r in range(sh.nrows):
        row = []
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(_cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date()))
            else:
                row.append(_cell_text(cell.value) if cell.ctype != xlrd.XL_CELL_EMPTY else "")
        cells.append(row)
    merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
    return Grid(_pad(cells), merges, name)


def _cells(line: str, delimiter: str) -> int:
    """How many cells ``line`` splits into; 0 for a line the csv module refuses (a field over
    its size limit), which :func:`_text` then reports as malformed."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except csv.Error:
        return 0


def _delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (> 1) of cells."""
    best, score = ",", (0, 0)
    for d in DELIMITERS:
        counts = [_cells(ln, d) for ln in lines]
        common = max(set(counts), key=counts.count) if counts else 1
        s = (counts.count(common) if common > 1 else 0, common)
        if s > score:
            best, score = d, s
    return best


def _text(path: Path, encoding: str | None) -> Grid:
    text, enc = decode_text(path.read_bytes(), path, encoding)
    if not text.strip():
        raise DataSourceError(say("read.empty_file", path=path))
    lines = [ln for ln in text.splitlines() if ln.strip()][:60]
    sep = "\t" if path.suffix.lower() == ".tsv" else _delimiter(lines)
    problems = []
    if enc not in ("utf-8", "utf-8-sig") or sep != ",":
        problems.append(Problem("info", str(path), say("read.where_file"), read_as_note(enc, sep)))
    try:
        rows = [[unicodedata.normalize("NFC", c) for c in r] for r in csv.reader(io.StringIO(text), delimiter=sep)]
    except csv.Error as exc:
        raise DataSourceError(say("read.malformed_csv_grid", path=path, error=exc)) from None
    return Grid(_pad(rows), [], "", problems)


def read_grid(path, *, sheet=None, encoding: str | None = None) -> Grid:
    """Every cell of a CSV, XLSX or XLS sheet (the first sheet unless ``sheet`` names one), as
    strings, with the merged ranges of a workbook.

    Raises
    ------
    DataSourceError
        No such file, an unsupported format, an unreadable or fake workbook, no cells.
    """
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(say("read.no_such_file", path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if suffix == ".xls" and not is_zip(path):
            check_xls(path)
            grid = _xls(path, sheet)
        else:  # an .xls that is really a zip is an XLSX with the wrong name
            grid = _xlsx(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        grid = _text(path, encoding)
    else:
        raise DataSourceError(say("read.unsupported_format", path=path, suffix=suffix))
    if not grid.cells:
        raise DataSourceError(say("read.no_cells", path=path, sheet=grid.sheet or ""))
    return grid
