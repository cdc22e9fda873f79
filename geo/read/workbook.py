"""Reading an Excel workbook (XLSX, or XLS through xlrd) as frames of strings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataSourceError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_xls(path: Path) -> None:
    """Refuse an ``.xls`` that is not an Excel 97-2003 workbook (text or HTML renamed), and say
    so when xlrd, which reads them, is missing."""
    if not path.read_bytes()[:8].startswith(_OLE2):
        raise DataSourceError(
            f"{path}: not a real Excel 97-2003 workbook (the file is text or HTML renamed .xls). "
            "Fix: open it in Excel or WPS and save it as .xlsx."
        )
    try:
        import xlrd  # noqa: F401
    except ImportError:  # pragma: no cover
        raise DataSourceError("reading .xls needs xlrd: `pip install xlrd`.") from None


def read_workbook(path: Path, suffix: str) -> dict:
    """Every sheet of an XLSX or XLS workbook as frames of strings."""
    head = path.read_bytes()[:8]
    if suffix == ".xls" and not head.startswith(b"PK"):
        check_xls(path)
        engine = "xlrd"
    else:  # an .xls that is really a zip is an XLSX with the wrong name: read it as one
        engine = "openpyxl"
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine=engine)
    except Exception as exc:
        fix = "save it as .xlsx" if suffix == ".xls" else "re-save it from Excel"
        raise DataSourceError(f"{path}: not a readable Excel workbook ({exc}). Fix: {fix}.") from None
    # whole numbers typed in Excel come back as '2021.0' from xlrd
    return {
        k: v.map(lambda x: x[:-2] if isinstance(x, str) and x.endswith(".0") and x[:-2].isdigit() else x)
        for k, v in sheets.items()
    }
