"""Reading and validating the attribute layers: pairings, coverage (documents, clauses),
status, enclaves.

Two levels, as in pyogrio: :func:`read_table` (from :mod:`geo.read`) turns a CSV or XLSX
file into a frame of strings with canonical column names; the ``read_*`` functions here
validate one layer and return a :class:`LayerResult` (table + problems). Nothing is dropped
silently: every row that cannot be used produces a :class:`~geo.errors.Problem`.

The rooms: :mod:`~geo.tables.specs` (each layer's columns and accepted headers,
:func:`detect_table_kind`), :mod:`~geo.tables.pairings`, :mod:`~geo.tables.status` and
:mod:`~geo.tables.coverage` and :mod:`~geo.tables.enclaves` (one layer each).
"""

from ..read import (
    DELIMITERS,
    FIRST_YEAR,
    SHEET_NAMES,
    LayerResult,
    LayerSpec,
    parse_since,
    read_raw,
    read_table,
    sniff_delimiter,
)
from .coverage import COVERAGE_COLUMNS, read_coverage
from .enclaves import ENCLAVE_COLUMNS, KINDS, STATUSES, read_enclaves
from .merge import left_out, merge_layers
from .pairings import PAIRING_COLUMNS, ZONE_WORDS, county_or_zone, read_pairings
from .sources import SOURCES_SHEET, read_user_sources, workbook_sources
from .specs import CONFIDENCE, CONFIDENCE_ALIASES, SPECS, detect_table_kind
from .status import CATEGORIES, LEVELS, STATES, STATUS_COLUMNS, designation_category, read_status

__all__ = [
    "CATEGORIES",
    "CONFIDENCE",
    "CONFIDENCE_ALIASES",
    "COVERAGE_COLUMNS",
    "DELIMITERS",
    "ENCLAVE_COLUMNS",
    "FIRST_YEAR",
    "KINDS",
    "LEVELS",
    "PAIRING_COLUMNS",
    "SHEET_NAMES",
    "SOURCES_SHEET",
    "SPECS",
    "STATES",
    "STATUSES",
    "STATUS_COLUMNS",
    "ZONE_WORDS",
    "LayerResult",
    "LayerSpec",
    "county_or_zone",
    "designation_category",
    "detect_table_kind",
    "left_out",
    "merge_layers",
    "parse_since",
    "read_coverage",
    "read_enclaves",
    "read_pairings",
    "read_raw",
    "read_status",
    "read_table",
    "read_user_sources",
    "sniff_delimiter",
    "workbook_sources",
]
