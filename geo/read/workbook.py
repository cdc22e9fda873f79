"""Reading an Excel workbook (XLSX, or XLS through xlrd) as frames of strings, after its
size is checked.

An XLSX is a zip of XML parts: before any parsing, each sheet's inflated size, its
compression ratio and the row count it declares are read from the archive's directory and
the sheet's first bytes, so a workbook that would take minutes and gigabytes to parse (a
"zip bomb", a sheet of more rows than Excel allows) is refused in a moment. openpyxl reads
with defusedxml, so an XML entity that expands is refused too.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pandas as pd

from .._memo import file_stamp, remember
from ..catalog import say
from ..errors import DataSourceError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Excel's own row limit: a sheet declaring more was not written by Excel, WPS or LibreOffice
EXCEL_ROWS = 1_048_576
#: the inflated XML of all sheets, in MB, above which a workbook is refused (override:
#: SHANHAI_WORKBOOK_MB); a county table is well under 1 MB, a yearbook workbook a few MB
WORKBOOK_MB = 200
#: a part of over 10 MB that inflates more than this many times over its compressed size is a
#: zip bomb (spreadsheet XML compresses 5–30 times)
BOMB_RATIO = 100
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:?[A-Z]*(\d*)"')


def workbook_limit_mb() -> float:
    """The inflated size a workbook may reach, in MB (:data:`WORKBOOK_MB`, or $SHANHAI_WORKBOOK_MB)."""
    try:
        return float(os.environ.get("SHANHAI_WORKBOOK_MB", WORKBOOK_MB))
    except ValueError:
        return WORKBOOK_MB


def check_xlsx(path: Path) -> None:
    """Refuse, before parsing, a workbook whose sheets inflate past the limit, a part that
    inflates like a zip bomb, or a sheet that declares more rows than Excel allows."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            sheets = [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            limit = workbook_limit_mb()
            total = sum(i.file_size for i in infos if i.filename.endswith(".xml"))
            if total > limit * 1e6:
                raise DataSourceError(say("read.workbook_too_big", path=path, size=total / 1e6, limit=limit))
            for i in infos:
                if i.compress_size and i.file_size > 10e6 and i.file_size / i.compress_size > BOMB_RATIO:
                    raise DataSourceError(
                        say(
                            "read.workbook_bomb",
                            path=path,
                            part=i.filename,
                            ratio=i.file_size / i.compress_size,
                            compressed=i.compress_size,
                            size=i.file_size / 1e6,
                        )
                    )
            for i in sheets:
                with z.open(i) as f:
                    m = _DIMENSION.search(f.read(4096))
                if m and m.group(1) and int(m.group(1)) > EXCEL_ROWS:
                    sheet = i.filename.rsplit("/", 1)[-1]
                    raise DataSourceError(
                        say(
                            "read.workbook_too_many_rows",
                            path=path,
                            sheet=sheet,
                            rows=int(m.group(1)),
                            limit=EXCEL_ROWS,
                        )
                    )
    except zipfile.BadZipFile as exc:
        raise DataSourceError(say("read.workbook_unreadable", path=path, error=exc)) from None


def check_xls(path: Path) -> None:
    """Refuse an ``.xls`` that is not an Excel 97-2003 workbook (text or HTML renamed), and say
    so when xlrd, which reads them, is missing."""
    with open(path, "rb") as f:
        head = f.read(8)
    if not head.startswith(_OLE2):
        raise DataSourceError(say("read.xls_fake", path=path))
    limit = workbook_limit_mb()
    if path.stat().st_size > limit * 1e6:
        raise DataSourceError(say("read.xls_too_big", path=path, size=path.stat().st_size / 1e6, limit=limit))
    try:
        import xlrd  # noqa: F401
    except ImportError:  # pragma: no cover
        raise DataSourceError(say("read.xls_needs_module", module="xlrd")) from None


def refuse_unreadable(path: Path, suffix: str, exc: Exception):
    """Raise the DataSourceError of a workbook the reader could not parse: XML entities
    (refused by defusedxml, never expanded) named as such."""
    cause = exc
    while cause is not None:
        if type(cause).__name__ in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
            raise DataSourceError(say("read.workbook_entities", path=path)) from None
        cause = cause.__cause__ or cause.__context__
    key = "read.workbook_unreadable_xls" if suffix == ".xls" else "read.workbook_unreadable"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    raise DataSourceError(say(key, path=path, error=first)) from None


def is_zip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"PK"


def _text(value) -> str:
    """A cell as text: whole numbers without '.0' (Excel and xlrd give floats), dates as ISO."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return (
            value.date().isoformat()
            if hasattr(value, "date") and value.time().isoformat() == "00:00:00"
            else value.isoformat()
        )
    return str(value)


def _numeric_months(frame: pd.DataFrame) -> set:
    """(index, column) of the cells holding a number of the form YYYY.1: a spreadsheet keeps
    2021.10 (October) as 2021.1."""
    out = set()
    for col in frame.columns:
        for i, v in frame[col].items():
            if isinstance(v, float) and 1900 <= v < 2200 and f"{v:.6f}".rstrip("0").endswith(".1"):
                out.add((i, col))
    return out


#: the last workbooks read, by path, modification time, size and ``nrows``: reading a
#: template names it for each of its layers and for its 来源 sheet, and guessing what a
#: table holds reads its head once per kind; each parse of a workbook is a third of a second
_READ: dict[tuple, dict] = {}
#: a workbook of more cells than this is not kept (its frames would hold memory long after)
KEEP_CELLS = 200_000


def read_workbook(path: Path, suffix: str, nrows=None) -> dict:
    """Every sheet of an XLSX or XLS workbook as frames of strings (the first ``nrows`` rows
    of each when given); ``attrs["numeric_months"]`` of each as :func:`_numeric_months`.
    Each call gets its own frames."""
    key = (file_stamp(path), suffix, nrows)
    if key not in _READ:
        sheets = _parse(path, suffix, nrows)
        if sum(df.size for df in sheets.values()) > KEEP_CELLS:
            return sheets
        remember(_READ, key, sheets, keep=4)
    return {name: _copy(df) for name, df in _READ[key].items()}


def _copy(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.attrs = {"numeric_months": set(df.attrs["numeric_months"])}
    return out


def _parse(path: Path, suffix: str, nrows=None) -> dict:
    if suffix == ".xls" and not is_zip(path):
        check_xls(path)
        engine = "xlrd"
    else:  # an .xls that is really a zip is an XLSX with the wrong name: read it as one
        check_xlsx(path)
        engine = "openpyxl"
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, keep_default_na=False, engine=engine, nrows=nrows)
    except Exception as exc:
        refuse_unreadable(path, suffix, exc)
    out = {}
    for name, frame in sheets.items():
        numeric = _numeric_months(frame)
        df = frame.map(_text)
        df.attrs["numeric_months"] = {(i, str(c)) for i, c in numeric}
        out[name] = df
    return out
