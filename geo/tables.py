"""Reading and validating the attribute layers: pairings, coverage (documents, clauses),
status.

Two levels, as in pyogrio: :func:`read_table` turns a CSV or XLSX file into a frame of
strings with canonical column names; the ``read_*`` functions validate one layer and
return a :class:`LayerResult` (table + problems). Nothing is dropped silently: every row
that cannot be used produces a :class:`~geo.errors.Problem`.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._paths import layer_path
from .errors import DataLayerError, DataSourceError, Problem
from .registry import Registry, folding_note, get_registry, simplified

__all__ = [
    "SPECS",
    "LayerResult",
    "LayerSpec",
    "detect_table_kind",
    "read_coverage",
    "read_pairings",
    "read_status",
    "read_table",
]

CONFIDENCE = ("high", "medium", "low")
STATES = ("named", "proposed", "target")
LEVELS = ("national", "provincial", "municipal")
CATEGORIES = (
    "eco_demo",
    "liangshan_base",
    "eco_county_old",
    "common_prosperity_pilot",
    "national_park",
    "dahuayuan_demo",
    "eco_pilot",
    "nuclear_site",
)
FIRST_YEAR = 1990
#: words that mark a functional zone (no GB/T 2260 code), kept with its parent city
ZONE_WORDS = ("新区", "开发区", "港区", "高新区", "园区", "保税区", "度假区", "试验区", "集聚区", "合作区", "示范区")


@dataclass(frozen=True)
class LayerSpec:
    """Canonical columns of a table layer and the headers accepted for each."""

    name: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...] = ()

    def header_map(self) -> dict[str, str]:
        out = {}
        for canon, aliases in self.columns.items():
            for a in (canon, *aliases):
                out[_header_key(a)] = canon
        return out


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-()（）:：*]", "", text)


def _column_for(hmap: dict[str, str], header: str) -> str | None:
    """The canonical column a header means, also when written in traditional characters (縣名)."""
    key = _header_key(header)
    if key not in hmap and (simple := simplified(key)) is not None:
        key = _header_key(simple)
    return hmap.get(key)


SPECS: dict[str, LayerSpec] = {
    "pairings": LayerSpec(
        "pairings",
        {
            "mountain_code": ("山区县代码", "受援地代码"),
            "mountain_county": ("mountain", "山区县", "山区县(市、区)", "受援地", "受援县", "结对山区县", "山区26县"),
            "partner_code": ("结对县代码", "支援地代码"),
            "partner": (
                "partner_county",
                "结对县",
                "结对县(市、区)",
                "结对地区",
                "结对单位",
                "支援地",
                "支援县",
                "经济强县",
                "结对经济强县(市、区)",
            ),
            "partner_city_code": ("结对县所属设区市代码",),
            "partner_city": ("所属设区市", "结对县所属设区市", "结对市", "partner city"),
            "since": ("year", "start", "结对年份", "结对时间", "起始年份", "年份"),
            "round": ("轮次", "批次"),
            "confidence": ("可信度", "置信度"),
            "source": ("source_url", "来源", "出处", "依据"),
            "note": ("notes", "备注", "说明"),
        },
        required=(),
        required_any=(("mountain_code", "mountain_county"),),
    ),
    "status": LayerSpec(
        "status",
        {
            "scope": ("范围",),
            "code": ("代码", "行政区划代码", "adcode", "区划代码"),
            "name": ("county", "县", "区县", "县(市、区)", "地区", "名称", "县名"),
            "designation": ("status", "称号", "荣誉", "类型", "示范试点"),
            "category": ("类别",),
            "level": ("级别", "层级"),
            "state": ("状态",),
            "batch": ("批次",),
            "year": ("年份", "命名年份", "年度"),
            "confidence": ("可信度", "置信度"),
            "source": ("source_url", "来源", "出处", "依据"),
            "note": ("notes", "备注", "说明"),
        },
        required=("designation",),
        required_any=(("code", "name"),),
    ),
    "coverage": LayerSpec(
        "coverage",
        {
            "document": ("doc", "文件", "文件编号", "政策文件"),
            "clause": ("条款", "条", "条款编号"),
            "scope": ("范围",),
            "target": ("county", "code", "县", "区县", "对象", "覆盖对象", "地区"),
            "target_name": ("名称",),
            "title": ("文件名称", "标题"),
            "summary": ("摘要", "内容", "条款内容"),
            "category": ("类别",),
            "note": ("notes", "备注", "说明"),
        },
        required=("document", "clause", "target"),
    ),
    "documents": LayerSpec(
        "documents",
        {
            "document": ("id",),
            "title": ("标题",),
            "short_title": ("简称",),
            "issuer": ("发文机关",),
            "date": ("日期",),
            "seed": (),
            "note": (),
        },
        required=("document", "title", "date"),
    ),
    "clauses": LayerSpec(
        "clauses",
        {"document": (), "clause": (), "category": (), "summary": (), "note": ()},
        required=("document", "clause", "summary"),
    ),
}


@dataclass
class LayerResult:
    """A validated table and what was found while reading it."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> LayerResult:
        if self.errors:
            raise DataLayerError(self.problems)
        return self


# ---------------------------------------------------------------------------------------
# raw reading
# ---------------------------------------------------------------------------------------


#: what Python calls the encodings a detector may name for Chinese text, widened to the
#: superset that decodes every file the narrower one does
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5hkscs": "big5hkscs", "cp950": "big5"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "，": "full-width comma", "|": "pipe"}


def _decode(raw: bytes, path: Path, encoding: str | None, spec: LayerSpec | None = None) -> tuple[str, str]:
    """Decode a text table: the given encoding, a BOM, UTF-8, or what charset-normalizer
    detects (among its candidates, the one whose header matches ``spec`` best)."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataSourceError(
                f"{path}: cannot decode as {encoding} ({exc}). Fix: drop --encoding to detect it, "
                "or name the encoding the file was saved in (utf-8, gbk, gb18030, big5, utf-16)."
            ) from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = None
    for rank, match in enumerate(from_bytes(raw)):
        enc = _WIDER.get(match.encoding.replace("_", "").lower(), match.encoding)
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        head = text.lstrip().splitlines()[0] if text.strip() else ""
        known = max((_known_headers(head, d, spec) for d in DELIMITERS), default=0) if spec else 0
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text[:4000])
        score = (known, cjk, -rank)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        raise DataSourceError(
            f"{path}: cannot tell the text encoding (not UTF-8, and no known encoding decodes it). "
            "Fix: save it as UTF-8 CSV, or pass --encoding with the encoding it was saved in."
        )
    return best[1], best[2]


def _known_headers(line: str, delimiter: str, spec: LayerSpec | None) -> int:
    if spec is None:
        return 0
    hmap = spec.header_map()
    return sum(_column_for(hmap, cell.strip().strip('"')) is not None for cell in line.split(delimiter))


def sniff_delimiter(text: str, spec: LayerSpec | None = None) -> str:
    """The delimiter of a CSV text: the one that splits the header into the most known
    columns, else the one ``csv.Sniffer`` finds, else a comma."""
    import csv

    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    if not lines:
        return ","
    scores = {d: _known_headers(lines[0], d, spec) for d in DELIMITERS}
    best = max(scores, key=lambda d: (scores[d], lines[0].count(d)))
    if scores[best] > 0:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_workbook(path: Path, suffix: str) -> dict:
    """Every sheet of an XLSX or XLS workbook as frames of strings."""
    head = path.read_bytes()[:8]
    if suffix == ".xls" and not head.startswith(b"PK"):
        if not head.startswith(_OLE2):
            raise DataSourceError(
                f"{path}: not a real Excel 97-2003 workbook (the file is text or HTML renamed .xls). "
                "Fix: open it in Excel or WPS and save it as .xlsx."
            )
        try:
            import xlrd  # noqa: F401
        except ImportError:  # pragma: no cover
            raise DataSourceError("reading .xls needs xlrd: `pip install xlrd`.") from None
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


#: the sheet of a template workbook that holds each layer
SHEET_NAMES = {"pairings": "结对", "coverage": "政策覆盖", "status": "称号"}


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
        sheets = _read_workbook(path, suffix)
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
        text, enc = _decode(path.read_bytes(), path, encoding, spec)
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
    df.columns = [unicodedata.normalize("NFC", str(c)).strip() for c in df.columns]
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
        canon = _column_for(hmap, col)
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
    df = df.map(lambda v: unicodedata.normalize("NFC", str(v)).strip())
    df = df[~(df[list(spec.columns)] == "").all(axis=1)].copy()  # blank lines
    df.insert(0, "_row", df.index.to_numpy() + 2)
    return df.reset_index(drop=True), problems


def detect_table_kind(path) -> str | None:
    """Guess which layer a user's table holds from its headers (None if unclear)."""
    path = Path(path)
    try:
        scores = {}
        for kind in ("pairings", "status", "coverage"):
            df, problems = read_table(path, SPECS[kind])
            scores[kind] = (
                not any(p.severity == "error" for p in problems),
                sum(df[c].ne("").any() for c in SPECS[kind].columns),
            )
    except DataSourceError:
        return None
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best][0] else None


# ---------------------------------------------------------------------------------------
# field checks
# ---------------------------------------------------------------------------------------


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_numerals(text: str) -> str:
    """二〇二一年八月三十一日 → 2021年8月31日: digit-by-digit years, 十-style months and days."""

    def number(m):
        s = m.group(0)
        if "十" not in s:
            return "".join(str(_CN_DIGITS[ch]) for ch in s)
        tens, _, units = s.partition("十")
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0))

    return re.sub(r"[〇○零一二三四五六七八九十]+", number, text)


def parse_since(text: str) -> str | None:
    """Normalise a year, month or date as people type it to an ISO prefix; None if not one.

    2021, 2021年, 二〇二一, 2021.0 → 2021; 2021-07, 2021.7, 2021年7月 → 2021-07;
    2021-07-15, 2021/7/15, 2021年7月15日, 二〇二一年七月十五日 → 2021-07-15.
    """
    t = _cn_numerals(unicodedata.normalize("NFKC", str(text)).strip()).replace(" ", "")
    t = re.sub(r"^(\d{4})\.0+$", r"\1", t)  # a year read from a spreadsheet as a float
    m = re.fullmatch(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?(\.0)?", t)
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if d:
            return _dt.date(int(y), int(mo), int(d)).isoformat()
        if mo:
            if not 1 <= int(mo) <= 12:
                return None
            return f"{y}-{int(mo):02d}"
    except ValueError:
        return None
    return y


def _year_ok(iso: str) -> bool:
    return FIRST_YEAR <= int(iso[:4]) <= _dt.date.today().year + 1


class _Checker:
    """Collects problems for one file with its row numbers."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self._folded = False

    def add(self, severity, row, what, fix="", column=""):
        where = f"row {row}" if isinstance(row, int | float) else str(row)
        self.problems.append(Problem(severity, self.path, where, what, fix, column))

    def matched(self, written: str, name: str):
        """Say once per file when names written in traditional characters were matched."""
        if not self._folded and (note := folding_note(written, name)):
            self._folded = True
            self.add("info", "file", note)

    def year(self, row, value, column) -> str:
        if not value:
            return ""
        iso = parse_since(value)
        if iso is None or not _year_ok(iso):
            self.add(
                "error",
                row,
                f"{value!r} is not a valid year or date.",
                f"write a year between {FIRST_YEAR} and {_dt.date.today().year} (2021), a month (2021-07) or a date (2021-07-15).",
                column,
            )
            return ""
        return iso

    def choice(self, row, value, allowed, column, aliases=None) -> str:
        v = (aliases or {}).get(value, value.lower())
        if v not in allowed:
            self.add(
                "error",
                row,
                f"{value!r} is not one of {', '.join(allowed)}.",
                f"use one of {', '.join(allowed)}.",
                column,
            )
            return ""
        return v

    def duplicates(self, df: pd.DataFrame, keys: list[str], label: str):
        dup = df[df.duplicated(keys, keep=False)]
        for _, grp in dup.groupby(keys, sort=False):
            rows = grp["_row"].tolist()
            self.add(
                "error",
                f"rows {', '.join(map(str, rows))}",
                f"duplicate {label}: {' / '.join(str(grp.iloc[0][k]) for k in keys)}.",
                "keep one row and merge their sources in it.",
            )


def _county_or_error(chk: _Checker, reg: Registry, row, value, column, code_value=""):
    """Resolve a county by code column first, then by name; report if neither works."""
    if code_value:
        c = reg.find_county(code_value)
        if c is None:
            chk.add(
                "error",
                row,
                f"code {code_value!r} is not one of Zhejiang's 90 county codes.",
                "use the 6-digit GB/T 2260 code in force since 2021 (`shanhai counties --all`).",
                column.replace("county", "code"),
            )
            return None
        if value and reg.find_county(value) not in (None, c):
            chk.add(
                "error",
                row,
                f"code {code_value} is {c.name} but the name says {value!r}.",
                "correct whichever of the two is wrong.",
                column,
            )
        return c
    if not value:
        chk.add("error", row, "no county given.", "fill in the county name or code.", column)
        return None
    c = reg.find_county(value)
    if c is not None:
        chk.matched(value, c.name)
    else:
        sugg = reg.suggest(value)
        chk.add(
            "error",
            row,
            f"{value!r} is not a Zhejiang county-level unit"
            + (f" (did you mean {', '.join(sugg)}?)." if sugg else "."),
            "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.",
            column,
        )
    return c


def _source_check(chk: _Checker, df: pd.DataFrame, has_source_col: bool, path: str, needs) -> pd.Series:
    if not has_source_col:
        chk.add(
            "warning",
            "header",
            "no source column: every row will cite this file as its source.",
            "add a 'source' (来源) column to cite each row.",
        )
        return pd.Series([Path(path).name] * len(df), index=df.index)
    for _, r in df[(df["source"] == "") & needs].iterrows():
        chk.add(
            "error",
            int(r["_row"]),
            "missing source.",
            "cite where the fact comes from (URL, document and clause).",
            "source",
        )
    return df["source"]


# ---------------------------------------------------------------------------------------
# pairings
# ---------------------------------------------------------------------------------------

PAIRING_COLUMNS = [
    "mountain_code",
    "mountain_county",
    "partner_code",
    "partner",
    "partner_city_code",
    "partner_city",
    "since",
    "round",
    "confidence",
    "source",
    "note",
]


def read_pairings(path=None, registry: Registry | None = None, *, sheet=None, encoding=None) -> LayerResult:
    """Read and validate a pairings table (the embedded one when ``path`` is None).

    One row per (mountain county, partner). A row with no partner declares that the county
    has no sourced partner. Partners that are not county-level units (functional zones such
    as 绍兴滨海新区) are kept with their parent city.
    """
    reg = registry or get_registry()
    path = Path(path) if path else layer_path("pairings.csv")
    df, header_problems = read_table(path, SPECS["pairings"], sheet=sheet, encoding=encoding)
    chk = _Checker(str(path))
    chk.problems += header_problems
    if chk.problems and any(p.severity == "error" for p in chk.problems):
        return LayerResult(pd.DataFrame(columns=PAIRING_COLUMNS), chk.problems, str(path))
    has_conf = df["confidence"].ne("").any()
    mountain_all = reg.mountain_codes
    out = []
    for _, r in df.iterrows():
        row = int(r["_row"])
        m = _county_or_error(chk, reg, row, r["mountain_county"], "mountain_county", r["mountain_code"])
        if m is None:
            continue
        if m.code not in mountain_all:
            eds = ", ".join(sorted(reg.editions))
            chk.add(
                "error",
                row,
                f"{m.name} is not a mountain county in any edition of the list ({eds}).",
                "are the mountain and partner columns swapped? The first names the mountain county.",
                "mountain_county",
            )
            continue
        rec = dict.fromkeys(PAIRING_COLUMNS, "")
        rec.update(mountain_code=m.code, mountain_county=m.name, round=r["round"], note=r["note"], _row=row)
        partner, pcode = r["partner"], r["partner_code"]
        if partner or pcode:
            p = reg.find_county(pcode) if pcode else reg.find_county(partner)
            if p is not None:
                if p.code == m.code:
                    chk.add("error", row, f"{m.name} is paired with itself.", "name the partner county.", "partner")
                    continue
                chk.matched(partner, p.name)
                rec.update(partner_code=p.code, partner=p.name, partner_city_code=p.city_code, partner_city=p.city)
            elif pcode:
                chk.add(
                    "error",
                    row,
                    f"partner code {pcode!r} is not a Zhejiang county code.",
                    "fix the code or leave it blank.",
                    "partner_code",
                )
                continue
            else:
                city = (
                    reg.find_city(r["partner_city_code"] or r["partner_city"])
                    if (r["partner_city_code"] or r["partner_city"])
                    else None
                )
                # a functional zone (no code) needs a zone-like name and its parent city
                if city is None or not any(w in partner for w in ZONE_WORDS):
                    sugg = reg.suggest(partner)
                    chk.add(
                        "error",
                        row,
                        f"partner {partner!r} is not a Zhejiang county-level unit"
                        + (f" (did you mean {', '.join(sugg)}?)" if sugg else "")
                        + ("." if city else ", and no parent city is given."),
                        "correct the name; a functional zone is recognised by its name (新区, 开发区, 港区, …)"
                        + ("." if city else " and needs partner_city (所属设区市)."),
                        "partner",
                    )
                    continue
                rec.update(partner=partner, partner_city_code=city.code, partner_city=city.name)
                if path != layer_path("pairings.csv"):
                    chk.add(
                        "info",
                        row,
                        f"partner {partner!r} is not a county-level unit: kept with its parent city {city.name}.",
                    )
            since = chk.year(row, r["since"], "since")
            rec["since"] = since
            if r["confidence"] or has_conf:
                rec["confidence"] = chk.choice(
                    row, r["confidence"], CONFIDENCE, "confidence", {"高": "high", "中": "medium", "低": "low"}
                )
            else:
                rec["confidence"] = "unrated"
        else:
            rec["partner"] = ""
        rec["source"] = r["source"]
        out.append(rec)
    table = pd.DataFrame(out, columns=[*PAIRING_COLUMNS, "_row"])
    if not df["confidence"].ne("").any() and len(table):
        chk.add(
            "warning",
            "header",
            "no confidence column: links are drawn as unrated.",
            "add a 'confidence' column (high, medium, low).",
        )
    has_source = df["source"].ne("").any()
    table["source"] = (
        _source_check(chk, table, has_source, str(path), table["partner"] != "").values if len(table) else []
    )
    paired = table[table["partner"] != ""]
    chk.duplicates(
        paired.assign(_k=paired["partner_code"].where(paired["partner_code"] != "", paired["partner"])),
        ["mountain_county", "_k"],
        "pairing",
    )
    gaps = table[table["partner"] == ""]
    for _, g in gaps.iterrows():
        if (paired["mountain_code"] == g["mountain_code"]).any():
            chk.add(
                "warning",
                int(g["_row"]),
                f"{g['mountain_county']} is declared without a sourced partner but other rows pair it.",
                "delete the row that says it has none.",
            )
    return LayerResult(table.drop(columns="_row"), chk.problems, str(path))


# ---------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------

STATUS_COLUMNS = [
    "scope",
    "code",
    "name",
    "designation",
    "category",
    "level",
    "state",
    "batch",
    "year",
    "confidence",
    "source",
    "note",
]
_LEVEL_ALIASES = {
    "国家级": "national",
    "国家": "national",
    "省级": "provincial",
    "省": "provincial",
    "市级": "municipal",
}
_STATE_ALIASES = {
    "命名": "named",
    "已命名": "named",
    "拟命名": "proposed",
    "公示": "proposed",
    "目标": "target",
    "创建目标": "target",
}


def designation_category(designation: str) -> str:
    """The status category of a designation's Chinese title (used when none is given)."""
    d = designation
    rules = [
        ("国家公园", "national_park"),
        ("共同富裕", "common_prosperity_pilot"),
        ("两山", "liangshan_base"),
        ("绿水青山", "liangshan_base"),
        ("核电", "nuclear_site"),
        ("大花园", "dahuayuan_demo"),
        ("生态文明建设示范", "eco_demo"),
        ("生态县", "eco_county_old"),
        ("生态市", "eco_county_old"),
        ("生态区", "eco_county_old"),
    ]
    for key, cat in rules:
        if key in d:
            return cat
    return "eco_pilot"


def read_status(path=None, registry: Registry | None = None, *, sheet=None, encoding=None) -> LayerResult:
    """Read and validate a status table (demonstration zones, bases, pilots, targets)."""
    reg = registry or get_registry()
    path = Path(path) if path else layer_path("status.csv")
    df, header_problems = read_table(path, SPECS["status"], sheet=sheet, encoding=encoding)
    chk = _Checker(str(path))
    chk.problems += header_problems
    if any(p.severity == "error" for p in chk.problems):
        return LayerResult(pd.DataFrame(columns=STATUS_COLUMNS), chk.problems, str(path))
    out = []
    for _, r in df.iterrows():
        row = int(r["_row"])
        scope = r["scope"].lower()
        rec = dict.fromkeys(STATUS_COLUMNS, "")
        ident = r["code"] or r["name"]
        if scope == "city" or (scope == "" and reg.find_county(ident) is None and reg.find_city(ident) is not None):
            city = reg.find_city(ident)
            if city is None:
                chk.add(
                    "error",
                    row,
                    f"{ident!r} is not one of Zhejiang's 11 cities.",
                    "use the city name (丽水市) or its 4-digit code (3311).",
                    "code",
                )
                continue
            chk.matched(r["name"], city.name)
            rec.update(scope="city", code=city.code, name=city.name)
        else:
            c = _county_or_error(chk, reg, row, r["name"], "name", r["code"])
            if c is None:
                continue
            rec.update(scope="county", code=c.code, name=c.name)
        if not r["designation"]:
            chk.add(
                "error", row, "no designation.", "name the title or pilot (e.g. 国家生态文明建设示范县).", "designation"
            )
            continue
        rec["designation"] = r["designation"]
        rec["category"] = r["category"] or designation_category(r["designation"])
        if rec["category"] not in CATEGORIES:
            chk.add(
                "error",
                row,
                f"unknown category {r['category']!r}.",
                f"use one of {', '.join(CATEGORIES)}, or leave it blank.",
                "category",
            )
            continue
        rec["level"] = chk.choice(row, r["level"], LEVELS, "level", _LEVEL_ALIASES) if r["level"] else ""
        rec["state"] = chk.choice(row, r["state"], STATES, "state", _STATE_ALIASES) if r["state"] else "named"
        batch = unicodedata.normalize("NFKC", r["batch"])
        m = re.fullmatch(r"第?(\d+|[一二三四五六七八九十])批?", batch) if batch else None
        if batch and not m:
            chk.add("error", row, f"batch {r['batch']!r} is not a batch number.", "write 3 or 第三批.", "batch")
        elif m:
            num = m.group(1)
            batch = str("一二三四五六七八九十".index(num) + 1) if not num.isdigit() else str(int(num))
        rec["batch"] = batch if m else ""
        rec["year"] = chk.year(row, r["year"], "year")[:4]
        if r["confidence"]:
            rec["confidence"] = chk.choice(
                row, r["confidence"], CONFIDENCE, "confidence", {"高": "high", "中": "medium", "低": "low"}
            )
        else:
            rec["confidence"] = "unrated"
        rec["source"], rec["note"] = r["source"], r["note"]
        rec["_row"] = row
        out.append(rec)
    table = pd.DataFrame(out, columns=[*STATUS_COLUMNS, "_row"])
    if len(table):
        table["source"] = _source_check(
            chk, table, df["source"].ne("").any(), str(path), table["designation"] != ""
        ).values
        chk.duplicates(table, ["scope", "code", "designation", "batch"], "status")
    return LayerResult(table.drop(columns="_row"), chk.problems, str(path))


# ---------------------------------------------------------------------------------------
# coverage (documents + clauses + coverage rows)
# ---------------------------------------------------------------------------------------

COVERAGE_COLUMNS = ["document", "clause", "scope", "target", "target_name", "note"]


def _read_documents() -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    docs, p1 = read_table(layer_path("documents.csv"), SPECS["documents"])
    clauses, p2 = read_table(layer_path("clauses.csv"), SPECS["clauses"])
    chk = _Checker(str(layer_path("documents.csv")))
    for _, d in docs.iterrows():
        chk.year(int(d["_row"]), d["date"], "date")
    chk.duplicates(docs, ["document"], "document")
    cchk = _Checker(str(layer_path("clauses.csv")))
    cchk.duplicates(clauses, ["document", "clause"], "clause")
    for _, c in clauses[~clauses["document"].isin(docs["document"])].iterrows():
        cchk.add(
            "error",
            int(c["_row"]),
            f"document {c['document']!r} is not in documents.csv.",
            "add the document first.",
            "document",
        )
    return docs.drop(columns="_row"), clauses.drop(columns="_row"), p1 + p2 + chk.problems + cchk.problems


def read_coverage(path=None, registry: Registry | None = None, *, sheet=None, encoding=None) -> LayerResult:
    """Read and validate policy coverage: which clause of which document targets which county.

    ``table`` holds the coverage rows; ``table.attrs['documents']`` and
    ``table.attrs['clauses']`` hold the documents and clauses they cite. A user's file may
    cite documents and clauses that are not embedded if it carries ``title`` and
    ``summary`` columns.
    """
    reg = registry or get_registry()
    docs, clauses, problems = _read_documents()
    path = Path(path) if path else layer_path("coverage.csv")
    df, header_problems = read_table(path, SPECS["coverage"], sheet=sheet, encoding=encoding)
    chk = _Checker(str(path))
    chk.problems += problems + header_problems
    if any(p.severity == "error" for p in header_problems):
        return LayerResult(pd.DataFrame(columns=COVERAGE_COLUMNS), chk.problems, str(path))
    known_docs = set(docs["document"])
    known_clauses = set(zip(clauses["document"], clauses["clause"], strict=True))
    new_docs, new_clauses, out = [], [], []
    for _, r in df.iterrows():
        row = int(r["_row"])
        doc, clause = r["document"], r["clause"].removesuffix(".0")
        if not doc or not clause:
            chk.add(
                "error", row, "document and clause are both needed.", "fill in the document id and the clause number."
            )
            continue
        if doc not in known_docs:
            if r["title"]:
                new_docs.append(
                    {
                        "document": doc,
                        "title": r["title"],
                        "issuer": "",
                        "date": "",
                        "seed": "",
                        "note": f"from {path.name}",
                    }
                )
                known_docs.add(doc)
            else:
                chk.add(
                    "error",
                    row,
                    f"document {doc!r} is unknown.",
                    f"use an id from documents.csv ({', '.join(sorted(set(docs['document'])))}) or add a 'title' column.",
                    "document",
                )
                continue
        if (doc, clause) not in known_clauses:
            if r["summary"]:
                new_clauses.append(
                    {"document": doc, "clause": clause, "category": r["category"], "summary": r["summary"], "note": ""}
                )
                known_clauses.add((doc, clause))
            else:
                chk.add(
                    "error",
                    row,
                    f"clause {clause!r} of {doc} is unknown.",
                    "use a clause from clauses.csv or add a 'summary' column.",
                    "clause",
                )
                continue
        scope, target = r["scope"].lower(), r["target"]
        rec = {"document": doc, "clause": clause, "note": r["note"], "_row": row}
        edition = reg.find_edition(target) if scope in ("", "edition") else None
        if edition is not None:
            rec.update(scope="edition", target=edition.id, target_name=edition.title)
        elif scope == "city" or (scope == "" and reg.find_county(target) is None and reg.find_city(target)):
            city = reg.find_city(target)
            if city is None:
                chk.add(
                    "error", row, f"{target!r} is not one of Zhejiang's 11 cities.", "use 丽水市 or 3311.", "target"
                )
                continue
            chk.matched(target, city.name)
            rec.update(scope="city", target=city.code, target_name=city.name)
        elif scope in ("", "county"):
            c = _county_or_error(chk, reg, row, target, "target")
            if c is None:
                continue
            rec.update(scope="county", target=c.code, target_name=c.name)
        else:
            chk.add(
                "error",
                row,
                f"scope {scope!r} is not county, city or edition.",
                "use county, city or edition.",
                "scope",
            )
            continue
        out.append(rec)
    table = pd.DataFrame(out, columns=[*COVERAGE_COLUMNS, "_row"])
    chk.duplicates(table, ["document", "clause", "scope", "target"], "coverage row")
    table = table.drop(columns="_row")
    table.attrs["documents"] = pd.concat([docs, pd.DataFrame(new_docs, columns=docs.columns)], ignore_index=True)
    table.attrs["clauses"] = pd.concat([clauses, pd.DataFrame(new_clauses, columns=clauses.columns)], ignore_index=True)
    return LayerResult(table, chk.problems, str(path))
