"""The readers speak the reader's language: what geo.read, geo.tables and ``shanhai check`` say
about a bad file, in Chinese under ``messages_in("zh")`` (the file, the row and the column named,
no English prose) and unchanged in English; and every key of messages-read.toml is said
somewhere."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from geo.catalog import catalog, messages_in
from geo.checks import check_files
from geo.errors import DataSourceError
from geo.read import read_table
from geo.read.checker import rows_text
from geo.read.sheet import read_sheet
from geo.registry import get_registry
from geo.tables import merge_layers, read_pairings, read_status
from geo.tables.merge import left_out

from .language import stray_english
from .synthetic import registry
from .test_core_sheet import YEARBOOK

ROOT = Path(__file__).resolve().parent.parent
SRC = "seed-001"
PAIRINGS = (
    "山区县,结对县,所属设区市,年份,可信度,来源\n"
    f"山县,东区,,1989,高,{SRC}\n"  # row 2: a year before 1990
    f"山县,山县,,,,{SRC}\n"  # row 3: paired with itself
    f"东区,山县,,,,{SRC}\n"  # row 4: not a mountain county
    f"不存在县,东区,,2021,高,{SRC}\n"  # row 5: no such county
    f"水县,乙市港区,,,,{SRC}\n"  # row 6: a zone with no city
)


def _prose(text: str) -> set[str]:
    """English words in a Chinese message outside what it may carry (tests/test_words.py's
    allow-list) and outside the values it quotes: 'values', column names (年份列,
    partner_city), codes to type (high, medium, low) and a library's own words in brackets."""
    text = re.sub(
        r"'[^']*'|[a-z]+(?:_[a-z]+)+|[a-z]+(?=列)|（[A-Za-z][^（）]*）|(?<![A-Za-z])(?:high|medium|low)(?![A-Za-z])",
        " ",
        text,
    )
    return stray_english(text)


def _pairings(tmp_path, lang):
    p = tmp_path / "结对.csv"
    p.write_text(PAIRINGS, encoding="utf-8")
    with messages_in(lang):
        return p, [str(x) for x in read_pairings(p, registry()).problems]


def test_pairing_rows_in_chinese(tmp_path):
    p, lines = _pairings(tmp_path, "zh")
    assert lines == [
        f"{p}，第2行，年份列：'1989'不是有效的年份或日期。处理办法：请填写1990年至{_year()}年之间的年份（2021）、"
        "月份（2021-07）或日期（2021-07-15）。",
        f"{p}，第3行，结对县列：山县与自身结对。处理办法：请填写结对县。",
        f"{p}，第4行，山区县列：东区不是任何一版名单中的山区县（2021、E1）。"
        "处理办法：山区县和结对县两列是否填反了？第一列应是山区县。",
        f"{p}，第5行，山区县列：'不存在县'不是浙江省的县级单位。"
        "处理办法：请填写全称（景宁畲族自治县）、简称（景宁）或6位区划代码。",
        f"{p}，第6行，结对县列：结对方'乙市港区'不是浙江省的县级单位（是否指新区、东区？），也未给出所属设区市。"
        "处理办法：请改正名称；功能区按名称识别（新区、开发区、港区……），并需填写partner_city（所属设区市）。",
    ]
    assert all(not _prose(line) for line in lines)


def test_pairing_rows_in_english_unchanged(tmp_path):
    p, lines = _pairings(tmp_path, "en")
    assert lines == [
        f"{p}, row 2, column 年份: '1989' is not a valid year or date. Fix: write a year between 1990 and "
        f"{_year()} (2021), a month (2021-07) or a date (2021-07-15).",
        f"{p}, row 3, column 结对县: 山县 is paired with itself. Fix: name the partner county.",
        f"{p}, row 4, column 山区县: 东区 is not a mountain county in any edition of the list (2021, E1). "
        "Fix: are the mountain and partner columns swapped? The first names the mountain county.",
        f"{p}, row 5, column 山区县: '不存在县' is not a Zhejiang county-level unit. Fix: write the full "
        "name (景宁畲族自治县), the short name (景宁) or the 6-digit code.",
        f"{p}, row 6, column 结对县: partner '乙市港区' is not a Zhejiang county-level unit (did you mean 新区, "
        "东区?), and no parent city is given. Fix: correct the name; a functional zone is recognised by its name "
        "(新区, 开发区, 港区, …) and needs partner_city (所属设区市).",
    ]


def _year() -> int:
    import datetime

    return datetime.date.today().year


def test_a_yearbook_sheet_notes_in_chinese_and_english(tmp_path):
    path = tmp_path / "年鉴.csv"
    path.write_text(YEARBOOK, encoding="utf-8")
    with messages_in("zh"):
        zh = [(n.where, n.what) for n in read_sheet(path, get_registry()).notes]
    assert zh == [
        ("表头", "位于第3–6行（上方另有2行标题；列名由各列上方的表头单元格依次连接而成；单位行已并入各列的单位；"
         "单位亿元取自标题）。"),
        ("多行", "以下5行不是县级单位，已略去：全省合计（全省，第7行）；设区市（杭州市，第8行）；"
         "市辖区/市区（丽水市辖区，第11行）；小计（山区26县，第12行）；非县级的功能区（宁波经济技术开发区，第14行）。"),
        ("第16行", "第16行起的脚注已忽略（注：①含……）。"),
    ]  # fmt: skip
    with messages_in("en"):
        en = [n.what for n in read_sheet(path, get_registry()).notes]
    assert en[0].startswith("header rows 3–6 (2 title row(s) above; column names joined")
    assert en[1].startswith("5 row(s) that are not county-level units set aside: province total 全省 (row 7);")


def test_many_rows_are_named_in_either_language():
    with messages_in("zh"):
        assert rows_text(range(2, 1300)) == "第2、3、4、5、6行及另外1,293行"
        assert rows_text([4]) == "第4行" and rows_text([4, 9]) == "第4、9行"
    with messages_in("en"):
        assert rows_text(range(2, 1300)) == "rows 2, 3, 4, 5, 6 and 1,293 more"
        assert rows_text([4, 9]) == "rows 4, 9"


@pytest.mark.parametrize(
    "name, content, zh, en",
    [
        ("无此文件.csv", None, "：文件不存在。处理办法：请检查路径。", ": no such file. Fix: check the path."),
        ("表.doc", b"x", "：不支持的表格格式'.doc'。处理办法：请使用 CSV、XLSX 或 XLS 文件。",
         ": unsupported table format '.doc'. Fix: use .csv, .xlsx or .xls."),
        ("空.csv", b" \n", "：文件是空的。处理办法：请重新导出该表，并带上表头行。",
         ": the file is empty. Fix: export the table again with a header row."),
        ("假.xls", b"<html></html>", "：不是真正的 Excel 97-2003 工作簿（该文件是被改了扩展名的文本或 HTML 文件）。",
         ": not a real Excel 97-2003 workbook (the file is text or HTML renamed .xls)."),
        ("坏.xlsx", b"PK\x03\x04 not a zip", "：不是可读取的 Excel 工作簿（", ": not a readable Excel workbook ("),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read(tmp_path, name, content, zh, en):
    from geo.tables.specs import SPECS

    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for lang, text in (("zh", zh), ("en", en)):
        with messages_in(lang), pytest.raises(DataSourceError) as exc:
            read_table(path, SPECS["pairings"])
        assert str(exc.value).startswith(f"{path}{text}")
        if lang == "zh":
            assert ("处理办法：" in str(exc.value)) and not _prose(str(exc.value).removeprefix(str(path)))


def test_headers_encoding_and_delimiter_in_chinese(tmp_path):
    from geo.tables.specs import SPECS

    path = tmp_path / "gbk.csv"
    path.write_bytes("山区县;结对县;结对县(市、区)\n山县;东区;东区\n".encode("gbk"))
    with messages_in("zh"):
        _, problems = read_table(path, SPECS["pairings"])
    assert [(p.where, p.what, p.fix) for p in problems] == [
        ("整个文件", "按 GB18030 编码读取，分隔符为分号。", ""),
        ("表头", "列'结对县'和'结对县(市、区)'都表示'partner'。", "只保留其中一列。"),
    ]
    with messages_in("en"):
        _, problems = read_table(path, SPECS["pairings"])
    assert [(p.where, p.what) for p in problems] == [
        ("file", "read as GB18030, delimiter semicolon."),
        ("header", "columns '结对县' and '结对县(市、区)' both mean 'partner'."),
    ]


def test_status_and_sources_in_chinese(tmp_path):
    path = tmp_path / "称号.csv"
    path.write_text("县,称号,可信度,批次\n山县,国家生态文明建设示范县,极高,第X批\n水县,,,\n", encoding="utf-8")
    with messages_in("zh"):
        res = read_status(path, registry())
    found = [(p.severity, p.where, p.column, p.what) for p in res.problems]
    assert ("error", "第2行", "confidence", "'极高'不是高、中、低之一。") in found
    assert ("error", "第2行", "batch", "批次'第X批'不是批次号。") in found
    assert ("error", "第3行", "designation", "没有称号。") in found
    assert ("warning", "表头", "", "没有来源列：每一行都记为“来源待核实”，可信度至多为低。") in found
    assert all(not _prose(p.what + p.fix) for p in res.problems)


def test_merge_notes_in_chinese(tmp_path):
    built_in = read_pairings(
        _write(tmp_path, "b.csv", f"山区县,结对县,来源\n山县,东区,{SRC}\n水县,东县,{SRC}\n"), registry()
    )
    user = read_pairings(_write(tmp_path, "u.csv", f"山区县,结对县,来源\n山县,东区,{SRC}\n"), registry())
    with messages_in("zh"):
        merged = merge_layers("pairings", built_in, user)
        [warning] = left_out("pairings", user, registry(), "2021")
    assert [(p.where, p.what) for p in merged.problems][-2:] == [
        ("山县 — 东区", "文件中的行替换了内置的结对（键相同）。"),
        ("整个文件", "`merge=True`：在内置的2行之外新增0行结对，替换1行。"),
    ]
    assert (
        warning.what.startswith("该文件替换了内置的结对数据：2021版名单的")
        and "地图上不会为它们显示任何内容" in warning.what
    )
    assert warning.fix.startswith("请改用 `merge=True`，")


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_check_in_chinese(tmp_path):
    args = argparse.Namespace(files=[str(tmp_path / "无此文件.csv"), str(_write(tmp_path, "x.csv", "甲,乙\n1,2\n"))])
    with messages_in("zh"):
        problems, _ = check_files(args)
    first = problems[0]
    assert (first.where, first.what, first.fix) == ("整个文件", "文件不存在。", "请检查路径。")
    assert problems[1].what == "无法从格式和表头判断该文件属于哪个图层。"
    assert problems[1].fix.startswith("请用 `boundaries`、`pairings`、`coverage`、`status` 或 `enclaves` 指定它")


def test_every_key_of_the_readers_is_said():
    """Each key of messages-read.toml is named in geo/read, geo/tables or geo/checks.py (a key
    whose end is chosen at run time by its family: read.delimiter.…, tables.label.…)."""
    keys = [k for k in catalog("messages") if k.startswith(("read.", "tables.", "checks."))]
    assert len(keys) > 150
    code = "".join(p.read_text(encoding="utf-8") for d in ("read", "tables") for p in (ROOT / "geo" / d).glob("*.py"))
    code += (ROOT / "geo" / "checks.py").read_text(encoding="utf-8")
    families = ("read.delimiter.", "read.sheet.kind.", "tables.label.", "tables.layer.", "tables.role.")
    unused = [k for k in keys if f'"{k}"' not in code and f"'{k}'" not in code and not k.startswith(families)]
    assert unused == []
