"""Reading tables, whatever layer they hold: a CSV, XLSX or XLS file as a frame of strings.

The rooms:

- :mod:`~geo.read.encoding`: decoding a text table (BOM, UTF-8, charset-normalizer) and
  sniffing its delimiter;
- :mod:`~geo.read.workbook`: the sheets of an Excel workbook;
- :mod:`~geo.read.headers`: :class:`LayerSpec` and matching headers to canonical columns,
  also in traditional characters;
- :mod:`~geo.read.table`: :func:`read_raw` (the file as its headers are) and
  :func:`read_table` (headers renamed, row numbers as a spreadsheet shows them);
- :mod:`~geo.read.values`: years and dates as people type them (:func:`parse_since`);
- :mod:`~geo.read.grid` and :mod:`~geo.read.sheet`: a sheet's cells with its merged ranges,
  and a table of county statistics read from them, yearbook sheets included (header block,
  units, province/city/subtotal rows set aside, footnotes);
- :mod:`~geo.read.checker`: :class:`Checker`, which collects each :class:`~geo.errors.Problem`
  with its row, the county and source checks the layers share, and :class:`LayerResult`.

The layers themselves (pairings, status, coverage) are validated in :mod:`geo.tables`.
"""

from .checker import Checker, LayerResult, county_or_error, former_or_none, resolve_sources
from .encoding import DELIMITERS, decode_text, sniff_delimiter
from .grid import Grid, read_grid
from .headers import LayerSpec, column_for, header_key, known_headers
from .sheet import Sheet, SheetColumn, SheetRow, read_sheet
from .table import SHEET_NAMES, read_raw, read_table
from .values import FIRST_YEAR, parse_since, year_ok
from .workbook import read_workbook

__all__ = [
    "DELIMITERS",
    "FIRST_YEAR",
    "SHEET_NAMES",
    "Checker",
    "Grid",
    "LayerResult",
    "LayerSpec",
    "Sheet",
    "SheetColumn",
    "SheetRow",
    "column_for",
    "county_or_error",
    "decode_text",
    "former_or_none",
    "header_key",
    "known_headers",
    "parse_since",
    "read_grid",
    "read_raw",
    "read_sheet",
    "read_table",
    "read_workbook",
    "resolve_sources",
    "sniff_delimiter",
    "year_ok",
]
