"""A table of county statistics as people bring it, statistical-yearbook sheets included:
find the header block, name each column, and keep the county rows.

A yearbook sheet (浙江统计年鉴, a city's bulletin, their CSV exports) has title rows above a
header of two or three rows: merged cells over groups of columns (地区生产总值 over 总量 and
人均), a row of units (万人, 亿元, 元), sometimes a row of English headings. Below it come the
province (全省), each city (杭州市) with its 市辖区 and subtotal rows, the counties indented with
full-width spaces, and footnotes (注：…). :func:`read_sheet` reads it as it is:

- the county column is the one whose cells are most often county names or codes (also former
  ones: 临安市), the header block the rows above the first such row, up to a title;
- merged header cells are spread over their range (a CSV's blanks under a group heading are
  read the same way), and each column is named by its header cells joined, top first;
- a row of units is folded into each column's unit, as is a ``单位：亿元`` above the header;
- 全省, city, 市辖区, 合计 and other subtotal rows are set aside with one note saying which;
  footnotes end the table; indentation and note markers (①, *) are stripped from names.

A plain table (one header row, then a row per county) is the simplest case of the same.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import say
from ..errors import DataSourceError, Problem, param
from ..registry import Registry
from .grid import read_grid
from .headers import header_key

__all__ = ["Sheet", "SheetColumn", "SheetRow", "name_key", "read_sheet", "split_unit"]

_UNIT_WORD = (
    r"(?:[万亿千百十]?(?:人次|人|美元|元|户|个|吨|台|辆|张|所|家|件|次|头|只|亩|公顷|平方公里|平方米|公里|千米|米|"
    r"千瓦时|千瓦|立方米|岁|年|天|床|平方千米)|%|‰|km²|km2|m²|hm²)"
)
UNIT_RE = re.compile(rf"(?:单位[:：])?{_UNIT_WORD}(?:/{_UNIT_WORD})?")
FOOTNOTE_RE = re.compile(
    r"^(?:注|说明|备注|附注|资料来源|数据来源|来源|note|notes|source)\s*\d*\s*[:：．.、]|^[*＊※①②③④⑤]"
)
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)%?")
TOTAL_WORDS = ("合计", "总计", "总量", "小计", "全部", "总额", "total")
PREFIX_QUALIFIERS = ("人均", "年末", "年均", "户均", "地均")
_MARKERS = "①②③④⑤⑥⑦⑧⑨⑩*＊※†‡△▲#＃"
_PROVINCE = {
    "全省",
    "浙江省",
    "浙江",
    "全省合计",
    "全省总计",
    "全省平均",
    "总计",
    "合计",
    "总计合计",
    "zhejiang",
    "total",
}
_CITY_PART = {"市辖区", "市区", "市本级", "本级", "全市"}
_ZONE_WORDS = ("开发区", "新区", "风景名胜区", "风景区", "管委会", "园区", "港区", "示范区", "度假区", "产业集聚区")
_SUB_WORDS = ("小计", "合计", "总计", "平均", "其中", "山区26县", "26县", "山区县", "海岛县", "加快发展县")


def split_unit(header: str) -> tuple[str, str]:
    """人均GDP（元） → (人均GDP, 元); GDP per head (yuan) → (GDP per head, yuan)."""
    # only the brackets are folded: NFKC would turn the unit's ² into 2
    h = str(header).strip().translate(str.maketrans("（）【】［］", "()[][]"))
    m = re.fullmatch(r"(.+?)\s*[(\[]([^()\[\]]{1,12})[)\]]\s*", h)
    return (m.group(1).strip(), m.group(2).strip()) if m else (h, "")


def _unit_cell(text: str) -> str | None:
    """The unit a header cell states on its own ((万人), 亿元, 单位：元), else None; matched
    width-folded, returned as written (km² stays km², as in :func:`split_unit`)."""
    t = text.strip().replace(" ", "").translate(str.maketrans("（）【】［］：", "()[][]:"))
    t = re.sub(r"^[(\[](.*)[)\]]$", r"\1", t)
    return t.removeprefix("单位:") if t and UNIT_RE.fullmatch(unicodedata.normalize("NFKC", t)) else None


def _is_english(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", text)) and not re.search(r"[\u3400-\u9fff]", text)


def _clean(text: str) -> str:
    """A cell without indentation, line breaks and surrounding spaces (full-width ones too)."""
    return re.sub(r"\s*\n\s*", "", str(text)).strip().strip("\u3000\xa0").strip()


def clean_label(text: str) -> str:
    """A row label without indentation, ``其中：`` and note markers: 　　龙港市① → 龙港市."""
    t = _clean(text)
    t = re.sub(r"^(?:其中[:：]?|[#＃△▲])\s*", "", t)
    t = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "", t)  # 淳　安, 全　省
    t = re.sub(r"\s*(?:[(（]注?\d+[)）]|[" + _MARKERS + r"¹²³⁴⁵⁶⁷⁸⁹⁰]+)$", "", t)
    return t.strip()


@dataclass
class SheetColumn:
    """A column of numbers: its header cells top first (units taken out), unit and English
    heading. ``name`` is how the sheet shows it; ``label`` how a legend says it."""

    index: int
    parts: tuple[str, ...]
    unit: str = ""
    english: str = ""

    @property
    def name(self) -> str:
        return "·".join(self.parts) or self.english

    @property
    def label(self) -> str:
        p = self.parts
        if len(p) >= 2 and p[-1].lower() in TOTAL_WORDS:
            p = p[:-1]
        if len(p) == 2 and p[1] in PREFIX_QUALIFIERS:
            return p[1] + p[0]  # 地区生产总值 over 人均: 人均地区生产总值
        if len(p) == 2 and p[0] in p[1]:
            return p[1]  # 人口 over 人口密度: 人口密度
        return "·".join(p) or self.english

    def keys(self) -> set[str]:
        p = self.parts
        out = {"".join(p), "".join(reversed(p)), self.label, self.name, self.english}
        out |= {f"{a}({b})" for a, b in itertools.pairwise(p)}
        return {_key(k) for k in out if k}


def name_key(text: str) -> str:
    """A column's name folded for comparison (width, case, spaces, brackets, ``·`` and ``、``)."""
    return header_key(str(text)).replace("·", "").replace("、", "")


_key = name_key


@dataclass
class SheetRow:
    """A row that names (or should name) one county: ``row`` as a spreadsheet numbers it."""

    row: int
    label: str
    cells: list[str]


@dataclass
class Sheet:
    """What :func:`read_sheet` found: the named columns, the county column, the county rows
    and the rows set aside, with the notes a reader should see."""

    path: Path
    columns: list[SheetColumn]
    county_col: int
    county_header: str
    rows: list[SheetRow]
    set_aside: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    #: the workbook sheet's name ("" for a CSV)
    sheet_name: str = ""

    def column(self, wanted: str) -> SheetColumn:
        """The column named ``wanted`` as the sheet shows it (人均地区生产总值, also with its
        unit or without it), or its English heading; a sub-heading alone when unique."""
        keys = {_key(wanted), _key(split_unit(wanted)[0])}
        hits = [c for c in self.columns if c.keys() & keys]
        if not hits:
            hits = [c for c in self.columns if len(c.parts) > 1 and _key(c.parts[-1]) in keys and len(_key(wanted)) > 1]
        if len(hits) == 1:
            return hits[0]
        names = [c.name + (f"（{c.unit}）" if c.unit else "") for c in (hits or self.columns)]
        listed = say("list.enum").join(names)
        if hits:
            raise DataSourceError(
                say(
                    "read.sheet.ambiguous_column",
                    path=self.path,
                    param=param("column", wanted),
                    n=len(hits),
                    names=listed,
                )
            )
        raise DataSourceError(
            say(
                "read.sheet.no_column",
                path=self.path,
                wanted=wanted,
                names=listed or say("read.none_paren"),
                param=param("column"),
            )
        )


def _kind(reg: Registry, label: str, cache: dict) -> str | None:
    """county, former, aggregate (with what kind) or None for a row label."""
    if label in cache:
        return cache[label]
    out = None
    if label:
        if reg.find_county(label) is not None:
            out = "county"
        elif reg.find_former(label) is not None:
            out = "former"
        else:
            out = _aggregate(reg, label)
    cache[label] = out
    return out


def _aggregate(reg: Registry, label: str) -> str | None:
    """province, city, 市辖区 or subtotal for a row that sums counties, else None."""
    key = unicodedata.normalize("NFKC", label).replace(" ", "").lower()
    if len(key) > 14:
        return None
    if key in _PROVINCE:
        return "province"
    if key in _CITY_PART:
        return "district"
    if reg.find_city(key) is not None:
        return "city"
    for city in reg.cities.values():
        for prefix in (city.name, city.short_name):
            if key.startswith(prefix) and key[len(prefix) :] in (_CITY_PART | {"合计", "小计", "总计"}):
                return "district" if key[len(prefix) :] in _CITY_PART else "subtotal"
    if any(w in key for w in _SUB_WORDS) or key.startswith(("#", "＃")):
        return "subtotal"
    if key.endswith(_ZONE_WORDS):
        return "zone"
    return None


def _spans(merges, r: int, c: int, width: int) -> bool:
    return any(r0 <= r <= r1 and c0 <= c <= c1 and c1 - c0 + 1 >= max(3, width // 2) for r0, c0, r1, c1 in merges)


def read_sheet(path, reg: Registry, *, sheet=None, encoding: str | None = None) -> Sheet:
    """Read a table of county statistics, a yearbook sheet or a plain table, as a
    :class:`Sheet`.

    Parameters
    ----------
    path : str or Path
        CSV, XLSX or XLS.
    reg : Registry
        Tells county names (and former ones) from province, city and subtotal rows.
    sheet : str or int, optional
        The sheet of a workbook (default the first).
    encoding : str, optional
        Of a CSV (detected when omitted).

    Raises
    ------
    DataSourceError
        The file cannot be read, has no county column or no header above the counties.
    """
    path = Path(path)
    grid = read_grid(path, sheet=sheet, encoding=encoding)
    cells = [[_clean(v) for v in row] for row in grid.cells]
    width = grid.width
    cache: dict = {}

    # the county column: the one naming most counties (the leftmost of equals)
    counts = [
        sum(_kind(reg, clean_label(row[j]), cache) in ("county", "former") for row in cells) for j in range(width)
    ]
    if not counts or max(counts) == 0:
        raise DataSourceError(say("read.sheet.no_county_column", path=path))
    cc = counts.index(max(counts))
    # the first row of the table: a county, or a total row with a number in it (not a header)
    first = next(
        r
        for r, row in enumerate(cells)
        if (k := _kind(reg, clean_label(row[cc]), cache)) in ("county", "former")
        or (k and any(_NUMBER.fullmatch(v.replace(",", "")) for j, v in enumerate(row) if j != cc and v))
    )

    # the header block: the rows above the first county or total row, up to a title or a gap
    header: list[int] = []
    r = first - 1
    while r >= 0:
        filled = [j for j, v in enumerate(cells[r]) if v]
        if not filled:
            if header:
                break
        elif len(filled) == 1 and (
            filled[0] <= cc
            or _spans(grid.merges, r, filled[0], width)
            or re.match(r"(表|单位|table|unit)", cells[r][filled[0]], re.I)
        ):
            break
        else:
            header.insert(0, r)
        r -= 1
    if not header:
        raise DataSourceError(say("read.sheet.no_header", path=path, row=first + 1))
    above = [cells[i][j] for i in range(header[0]) for j in range(width) if cells[i][j]]
    table_unit = next((u for t in above if t.startswith("单位") and (u := _unit_cell(t))), "")

    # which header rows are names, units or English headings
    units: dict[int, str] = {}
    english: dict[int, list[str]] = {}
    named: list[int] = []
    for i in header:
        vals = [(j, cells[i][j]) for j in range(width) if cells[i][j] and j != cc]
        if vals and all(_unit_cell(v) for _, v in vals) and len(header) > 1:
            units.update((j, _unit_cell(v)) for j, v in vals)
        elif vals and all(_is_english(v) for _, v in vals) and len(header) > 1:
            for j, v in vals:
                english.setdefault(j, []).append(v)
        else:
            named.append(i)

    # merged name cells spread over their range; a CSV's blank under a group heading too
    merged = set()
    for r0, c0, r1, c1 in grid.merges:
        for i in named:
            if r0 <= i <= r1:
                for j in range(c0, c1 + 1):
                    merged.add((i, j))
                    if not cells[i][j]:
                        cells[i][j] = cells[r0][c0]
    for i, below in itertools.pairwise(named):
        for j in range(cc + 1, width):
            if not cells[i][j] and (i, j) not in merged and cells[i][j - 1] and cells[below][j] and cells[below][j - 1]:
                cells[i][j] = cells[i][j - 1]
    columns = []
    for j in range(width):
        if j == cc:
            continue
        parts, unit = [], units.get(j, "")
        for i in named:
            if (u := _unit_cell(cells[i][j])) is not None and parts:  # （元） under a merged heading: a unit
                unit = unit or u
                continue
            text, u = split_unit(cells[i][j])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
            unit = unit or u
        if parts or english.get(j):
            columns.append(SheetColumn(j, tuple(parts), unit or table_unit, " ".join(english.get(j, []))))
    county_header = " ".join(dict.fromkeys(cells[i][cc] for i in named if cells[i][cc]))

    # the rows: counties kept, totals set aside, footnotes end the table
    rows, aside, foot = [], [], None
    for r in range(first, len(cells)):
        row = cells[r]
        if not any(row):
            continue
        lead = next(v for v in row if v)
        if FOOTNOTE_RE.match(lead.lower()):
            foot = r
            break
        label = clean_label(row[cc])
        kind = _kind(reg, label, cache)
        if kind not in (None, "county", "former"):
            aside.append((r + 1, label, kind))
            continue
        rows.append(SheetRow(r + 1, label, row))

    notes = list(grid.problems)
    src = str(path)
    titles = sum(any(cells[i]) for i in range(header[0]))
    if len(header) > 1 or titles:
        if len(header) > 1:
            what = say("where.rows", first=header[0] + 1, last=header[-1] + 1)
        else:
            what = say("where.row", n=header[0] + 1)
        extra = []
        if titles:
            extra.append(say("read.sheet.title_rows", n=titles))
        if len(named) > 1:
            extra.append(say("read.sheet.joined_names"))
        if units:
            extra.append(say("read.sheet.unit_row"))
        if table_unit:
            extra.append(say("read.sheet.title_unit", unit=table_unit))
        note = (
            say("read.sheet.header_more", what=what, extra=say("list.semicolon").join(extra))
            if extra
            else say("read.sheet.header", what=what)
        )
        notes.append(Problem("info", src, say("where.header"), note))
    if aside:
        notes.append(Problem("info", src, say("read.where_rows"), _aside_note(aside)))
    if foot is not None:
        text = cells[foot][0][:20] or lead[:20]
        notes.append(
            Problem("info", src, say("where.row", n=foot + 1), say("read.sheet.footnotes", row=foot + 1, text=text))
        )
    return Sheet(path, columns, cc, county_header, rows, aside, notes, [h + 1 for h in header], grid.sheet)


def _aside_note(aside: list[tuple[int, str, str]]) -> str:
    groups: dict[str, list[tuple[int, str]]] = {}
    for row, label, kind in aside:
        groups.setdefault(kind, []).append((row, label))
    parts = []
    for kind in ("province", "city", "district", "subtotal", "zone"):
        if kind in groups:
            items = groups[kind]
            names = say("list.enum").join(dict.fromkeys(lb for _, lb in items))
            rows = say("list.enum").join(str(r) for r, _ in items[:6])
            if len(items) > 6:
                rows = say("read.sheet.rows_more", rows=rows)
            key = "read.sheet.aside_many" if len(items) > 1 else "read.sheet.aside_one"
            parts.append(say(key, what=say(f"read.sheet.kind.{kind}"), names=names, rows=rows))
    return say("read.sheet.set_aside", n=len(aside), parts=say("list.semicolon").join(parts))
