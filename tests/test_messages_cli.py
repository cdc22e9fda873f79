"""The command line in the reader's language (geo/catalog/messages-cli.toml): ``--help``,
the summaries, the notes and errors a command prints and the headings of its tables are
Chinese under a Chinese locale or ``SHANHAI_LANG=zh``, English under ``LANG=C``, and an
explicit ``--lang`` wins over both."""

from __future__ import annotations

import csv
import json
import re

import pytest

from geo.commands import main

from .language import NOT_PROSE

_METAVAR = re.compile(r"\b[A-Z][A-Z0-9_]+\b")  # FILE, PATH, EDITION: the names argparse shows


def _han_share(text: str) -> float:
    """Han characters against the English words of the prose (flags, metavars, choices,
    file names and backquoted code left out)."""
    prose = _METAVAR.sub(" ", NOT_PROSE.sub(" ", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z]{2,}", prose))
    return han / max(1, han + words)


def _chinese(monkeypatch):
    monkeypatch.setenv("SHANHAI_LANG", "zh")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


def _english_locale(monkeypatch):
    for name in ("SHANHAI_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")


def _help(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _bad_pairings(tmp_path):
    path = tmp_path / "pairs.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["山区县", "结对县", "结对年份", "来源"])
        w.writerows([["景宁", "西糊区", "2016", "x"], ["景宁", "海盐", "20166", "x"], ["火星", "海盐", "2016", "x"]])
    return path


@pytest.mark.parametrize("argv", [(), ("map",)], ids=["shanhai", "map"])
def test_help_is_chinese_under_a_chinese_locale(monkeypatch, capsys, argv):
    _chinese(monkeypatch)
    text = _help(capsys, *argv)
    assert text.startswith("用法：shanhai")
    assert _han_share(text) >= 0.8, _han_share(text)
    assert "\n选项：\n" in text and not re.search(r"^\S.*[\u4e00-\u9fff]:$", text, re.M)  # full-width colons
    if argv:
        assert "数据图层" in text and "读取选项" in text and "地图标注和图例" in text
    else:
        assert "山区26县" in text and "列出山海协作结对" in text


@pytest.mark.parametrize(
    "command",
    ["counties", "pairs", "enclaves", "check", "export", "editions", "divisions", "timeline", "sources", "gaps",
     "trend", "profile", "book", "site", "report", "slides", "template", "build", "notices"],
)  # fmt: skip
def test_every_command_help_is_mostly_chinese(monkeypatch, capsys, command):
    _chinese(monkeypatch)
    assert _han_share(_help(capsys, command)) >= 0.75


def test_help_stays_english_under_lang_c(monkeypatch, capsys):
    _english_locale(monkeypatch)
    text = _help(capsys, "map")
    assert text.startswith("usage: shanhai map")
    assert "data layers (each replaces the embedded one; with --merge, adds to it)" in text
    assert _han_share(text) < 0.1  # only the Chinese names it quotes (飞地, 人均GDP（元）)


def test_lang_en_overrides_a_chinese_locale(monkeypatch, capsys):
    _chinese(monkeypatch)
    text = _help(capsys, "map", "--lang", "en")
    assert text.startswith("usage: shanhai map") and "reading options" in text
    text = _help(capsys, "sources", "--lang=en")
    assert text.startswith("usage: shanhai sources") and "显示" not in text


def test_check_of_a_bad_file_speaks_chinese(monkeypatch, capsys, tmp_path):
    _chinese(monkeypatch)
    code, out, _ = _run(capsys, "check", _bad_pairings(tmp_path))
    assert code == 1
    lines = out.splitlines()
    errors = [ln for ln in lines if ln.startswith("错误")]
    assert len(errors) == 3, out
    # the severity, the fix's label and the summary are the command line's; the findings
    # themselves are the readers' messages (messages-read.toml and the like)
    assert all("处理办法：" in ln for ln in errors)
    assert any(ln.startswith("警告") for ln in lines) and any(ln.startswith("提示") for ln in lines)
    assert re.fullmatch(r"检查了1个文件：3个错误，\d+处修复，\d+个警告，\d+条提示。", lines[-1]), lines[-1]
    # the machine format keeps its codes
    code, out, _ = _run(capsys, "check", _bad_pairings(tmp_path), "--format", "json")
    assert {p["severity"] for p in json.loads(out)["problems"]} == {"error", "warning", "info"}


def test_check_of_a_bad_file_in_english_under_lang_c(monkeypatch, capsys, tmp_path):
    _english_locale(monkeypatch)
    code, out, _ = _run(capsys, "check", _bad_pairings(tmp_path))
    assert code == 1
    assert sum(ln.startswith("error  ") for ln in out.splitlines()) == 3
    assert out.splitlines()[-1].startswith("1 file(s) checked: 3 error(s)")


def test_a_table_has_chinese_headings_and_labels_but_csv_keeps_codes(monkeypatch, capsys):
    _chinese(monkeypatch)
    code, out, _ = _run(capsys, "pairs")
    heading = out.splitlines()[0].split()
    assert code == 0 and heading[:3] == ["山区县", "结对县", "结对县所属市"] and "可信度" in heading
    assert "高" in out and "high" not in out
    assert re.search(r"\n\d+对结对，2021版\n", out)
    code, out, _ = _run(capsys, "pairs", "--format", "csv")
    header, first = out.splitlines()[:2]
    assert header.startswith("mountain_county,partner,") and re.search(r",(high|medium|low),", first)
    code, out, _ = _run(capsys, "pairs", "--format", "json")
    assert {r["confidence"] for r in json.loads(out)} <= {"high", "medium", "low"}


def test_summaries_and_notes_speak_chinese(monkeypatch, capsys):
    _chinese(monkeypatch)
    code, out, _ = _run(capsys, "counties")
    assert code == 0 and out.splitlines()[0].startswith("代码") and "26个县，2021版" in out
    code, out, _ = _run(capsys, "divisions")
    assert "2000年以来县级单位的变更" in out
    code, out, err = _run(capsys, "timeline", "临安市")
    assert code == 0 and err.startswith("提示：") and "条大事" in out


def test_errors_of_the_commands_speak_chinese(monkeypatch, capsys):
    _chinese(monkeypatch)
    code, _, err = _run(capsys, "map", "overview", "--links")
    assert code == 2 and err.startswith("错误：--links 只用于") and "主题" in err
    code, _, err = _run(capsys, "counties", "--excel-safe")
    assert code == 2 and err.startswith("错误：--excel-safe 要与 --format csv 同用")
    _english_locale(monkeypatch)
    code, _, err = _run(capsys, "map", "overview", "--links")
    assert (
        err
        == "error: --links goes with the indicator and change themes, not overview: drop it, or draw the indicator map.\n"
    )


def test_chinese_help_fits_the_console(monkeypatch, capsys):
    """Lines are wrapped by the columns a console gives them (a Chinese character takes
    two), never inside a Latin word or a flag, and no line starts with a comma."""
    import unicodedata

    _chinese(monkeypatch)
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(capsys, "map")
    chinese = [ln for ln in text.splitlines() if re.search(r"[\u4e00-\u9fff]", ln)]  # argparse's usage aside
    columns = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in ln) for ln in chinese]
    assert max(columns) <= 82, text  # a closing mark may stay at a full line's end
    assert not re.search(r"^\s+[，。；：、）]", text, re.M)
    assert "GeoPackage" in text and "--enclaves" in text


def test_the_kinds_of_division_changes_in_words(monkeypatch, capsys):
    """A change's kind is the layer's English text (rename 市→区): the table shows it in the
    reader's language; CSV keeps the layer's text."""
    _chinese(monkeypatch)
    code, out, _ = _run(capsys, "divisions")
    assert code == 0 and "更名 市→区" in out and "合并" in out and "拆分" in out
    assert not re.search(r"\b(rename|merge|split|transfer|recode)\b", out)
    _, out, _ = _run(capsys, "divisions", "--format", "csv")
    assert "rename 市→区" in out
    _english_locale(monkeypatch)
    _, out, _ = _run(capsys, "divisions")
    assert "rename 市→区" in out and "更名" not in out


def test_a_chinese_usage_continues_under_its_first_option(monkeypatch, capsys):
    """argparse counts 用法： as three characters; a console shows six columns: the wrapped
    lines start where the first option does."""
    from geo.words import display_columns

    _chinese(monkeypatch)
    first, second = _help(capsys, "profile").splitlines()[:2]
    assert first.startswith("用法：shanhai profile [-h]") and second.strip().startswith("[")
    assert len(second) - len(second.lstrip()) == display_columns(first[: first.index("[")])


def test_an_abbreviated_lang_chooses_the_language(monkeypatch, capsys):
    from geo.commands.language import argv_lang

    assert argv_lang(["profile", "--lan", "zh"]) == "zh" and argv_lang(["x", "--lan=en"]) == "en"
    assert argv_lang(["map", "--la", "zh"]) is None and argv_lang(["map", "--layer", "zh"]) is None
    _english_locale(monkeypatch)
    with pytest.raises(SystemExit):
        main(["profile", "--lan", "zh"])
    assert "缺少以下参数" in capsys.readouterr().err


def test_argparse_still_asks_for_the_words_the_catalog_translates():
    """A Python whose argparse words its messages otherwise would fall back to English
    without a word: every source string the catalog translates is in argparse's source."""
    import argparse
    import inspect

    from geo.commands.language import ARGPARSE_WORDS

    source = inspect.getsource(argparse)
    assert [w for w in ARGPARSE_WORDS if repr(w)[1:-1] not in source and w not in source] == []
