"""Property tests of the readers: whatever bytes, headers or cells a file holds, reading it
(CSV, XLSX, GeoJSON) and ``shanhai check`` give a result or a clear error that names the
file (a :class:`geo.GeoError`), never another exception, a traceback or a hang.

Each test runs a fixed number of examples, derandomized: the same examples on every run."""

from __future__ import annotations

import csv
import io
import json
import signal
import tempfile
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeoError

FUZZ = settings(
    max_examples=40, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip
HANG = 20  # seconds: one example taking longer is a hang


@contextmanager
def no_hang(seconds=HANG):
    """Fail instead of hanging: an alarm after ``seconds`` (Unix, main thread)."""

    def alarm(*_):
        raise TimeoutError(f"a reader took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="fuzz") as d:
        yield Path(d)


def _names_the_file(exc: GeoError, path: Path):
    text_ = str(exc)
    assert path.name in text_ or str(path) in text_, text_


def read_or_clear_error(read, path: Path):
    """``read(path)``: its result, or None after a GeoError naming the file."""
    with no_hang():
        try:
            return read(path)
        except GeoError as exc:
            _names_the_file(exc, path)
            return None


# the layers' own headers and words mixed with anything, so examples get past the header
# check and into the rows
HEADERS = [
    "山区县",
    "结对县",
    "来源",
    "备注",
    "可信度",
    "县",
    "称号",
    "年份",
    "文件",
    "条款",
    "覆盖对象",
    "code",
    "名称",
]
WORDS = ["景宁", "331127", "丽水市", "庆元县", "high", "low", "2021", "二〇二一", "第三批", "=1+1", "", "—", "1,234.5"]
chars = st.characters(blacklist_categories=("Cs",))  # text a file can hold: no lone surrogates
header = st.one_of(st.sampled_from(HEADERS), st.text(chars, max_size=12))
cell = st.one_of(st.sampled_from(WORDS), st.text(chars, max_size=20))
# Excel forbids []:*?/\ in a sheet name; openpyxl refuses control characters and a leading '
sheet_name = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]:*?/\\'"),
                     min_size=1, max_size=20)  # fmt: skip


@st.composite
def tables(draw):
    heads = draw(st.lists(header, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(cell, min_size=len(heads), max_size=len(heads)), max_size=6))
    return heads, rows


def _layers(path):
    from geo.tables import read_coverage, read_pairings, read_status

    return [read(path) for read in (read_pairings, read_status, read_coverage)]


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=400))
def test_csv_of_random_bytes(folder, data):
    path = folder / "bytes.csv"
    path.write_bytes(data)
    read_or_clear_error(_layers, path)


@FUZZ
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_csv_of_random_headers_and_cells(folder, table, encoding):
    heads, rows = table
    buf = io.StringIO()
    csv.writer(buf).writerows([heads, *rows])
    path = folder / "table.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    results = read_or_clear_error(_layers, path)
    for r in results or []:  # a result: every problem names the file
        assert all(p.file == str(path) for p in r.problems)


# ---------------------------------------------------------------------------------------
# XLSX (and the indicator reader on the same workbooks)
# ---------------------------------------------------------------------------------------


def _xlsx(path, heads, rows, sheet):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in [heads, *rows]:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in r])  # what a workbook can hold
    wb.save(path)


@FUZZ
@given(table=tables(), sheet=sheet_name)
def test_xlsx_of_random_headers_and_cells(folder, atlas, table, sheet):
    from geo.indicators import load_indicator

    heads, rows = table
    path = folder / "table.xlsx"
    _xlsx(path, heads, rows, sheet)
    read_or_clear_error(_layers, path)
    read_or_clear_error(lambda p: load_indicator(atlas, heads[-1], p), path)


@FUZZ
@given(data=st.binary(max_size=400), zipped=st.booleans())
def test_xlsx_of_random_bytes(folder, data, zipped):
    path = folder / "bytes.xlsx"
    path.write_bytes((b"PK\x03\x04" if zipped else b"") + data)
    read_or_clear_error(_layers, path)


# ---------------------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------------------


def _read_boundaries(path):
    from geo.boundaries import read_boundaries

    return read_boundaries(path)


coord = st.tuples(st.floats(115, 125, allow_nan=False), st.floats(26, 33, allow_nan=False))
value = st.one_of(st.none(), st.integers(-(10**12), 10**12), st.floats(allow_nan=True), cell)


@st.composite
def features(draw):
    ring = draw(st.lists(coord, min_size=3, max_size=6))
    geom = draw(st.sampled_from(["Polygon", "Point", "LineString", None]))
    coords = {"Polygon": [[*ring, ring[0]]], "Point": ring[0], "LineString": ring, None: None}[geom]
    props = draw(st.dictionaries(header, value, max_size=4))
    g = None if geom is None else {"type": geom, "coordinates": coords}
    return {"type": "Feature", "properties": props, "geometry": g}


@FUZZ
@given(feats=st.lists(features(), max_size=5))
def test_geojson_of_random_features(folder, feats):
    path = folder / "random.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), "utf-8")
    read_or_clear_error(_read_boundaries, path)


@FUZZ
@given(data=st.binary(max_size=300), prefix=st.sampled_from([b"", b'{"type": "FeatureCollection", "features": [']))
def test_geojson_of_random_bytes(folder, data, prefix):
    path = folder / "bytes.geojson"
    path.write_bytes(prefix + data)
    read_or_clear_error(_read_boundaries, path)


# ---------------------------------------------------------------------------------------
# shanhai check, as the command runs it (in this process: a subprocess per example is slow)
# ---------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=25)
@given(table=tables(), suffix=st.sampled_from([".csv", ".xlsx", ".geojson"]), raw=st.binary(max_size=200))
def test_check_of_random_files(folder, table, suffix, raw):
    from geo.commands import main

    path = folder / f"check{suffix}"
    heads, rows = table
    if suffix == ".csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([heads, *rows])
        path.write_text(buf.getvalue(), "utf-8")
    elif suffix == ".xlsx":
        _xlsx(path, heads, rows, "Sheet1")
    else:
        path.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    with no_hang(), redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path)])
    assert code in (0, 1, 2), err.getvalue()
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue()
    if code == 2:  # the file could not be read at all
        assert path.name in err.getvalue()
    else:  # a report; every error in it names the file
        assert "file(s) checked" in out.getvalue()
        assert all(path.name in line for line in out.getvalue().splitlines() if line.startswith("error"))
