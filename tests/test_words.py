"""The catalog (geo/catalog/*.toml): both languages for every key, the same placeholders in
each, Chinese without stray English, the glossary's terms kept; and the language a command
speaks (``--lang``, ``SHANHAI_LANG``, the locale)."""

from __future__ import annotations

import re

import pytest

from geo.catalog import LANGS, catalog, glossary, message_lang, messages_in, say
from geo.commands import main
from geo.commands.language import ARGPARSE_WORDS, argv_lang

from .language import stray_english

FAMILIES = ("words", "messages")
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}|%\((\w+)\)[sr]|%[sr]")
TERMS = glossary()[0]


def _fields(text: str) -> list[str]:
    return sorted(
        m.group(0) if not (m.group(1) or m.group(2)) else (m.group(1) or m.group(2)) for m in _FIELD.finditer(text)
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_every_key_has_both_languages_and_the_same_placeholders(family):
    table = catalog(family)
    assert len(table) > 30
    bad = [k for k, e in table.items() if not all(isinstance(e.get(lang), str) and e[lang].strip() for lang in LANGS)]
    assert bad == []
    differ = {k for k, e in table.items() if _fields(e["zh"]) != _fields(e["en"])}
    # words whose languages show different things on purpose (the Chinese list's own title,
    # the English "and 3 more" where Chinese says 等3县)
    assert differ == (
        {"doc_counties_more", "doc_subtitle", "edition_own", "summed_from"}
        if family == "words"
        else {"read.choice_item"}
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_chinese_texts_carry_no_english_word_outside_the_allow_list(family):
    stray = {k: sorted(stray_english(e["zh"])) for k, e in catalog(family).items() if stray_english(e["zh"])}
    # the words of the outputs name a few English things on purpose (the English edition's
    # own title, for one): only the messages are held to the rule in full
    if family == "words":
        stray = {k: v for k, v in stray.items() if not k.startswith(("edition_own", "licence_", "doc_licence"))}
    assert stray == {}


def test_the_chinese_pages_carry_no_english_word_outside_the_allow_list():
    """The Chinese edition's hand-written pages: prose only (code blocks, inline code, link
    targets, markup and file names aside)."""
    from pathlib import Path

    _, allowed = glossary(docs=True)
    pages = sorted((Path(__file__).parent.parent / "docs" / "pages").rglob("*.zh.md"))
    assert len(pages) >= 13
    stray = {}
    for page in pages:
        prose = re.sub(r"```.*?```", " ", page.read_text(encoding="utf-8"), flags=re.S)
        prose = re.sub(r"`[^`]*`|\]\([^)]*\)|\{[^}]*\}|<[^>]+>|https?://\S+", " ", prose)
        words = stray_english(prose, allowed)
        if words:
            stray[page.name] = sorted(words)
    assert stray == {}


def test_the_glossary_terms_are_kept():
    """Where an English message uses a checked term, its Chinese uses the Chinese term."""
    assert all(t["zh"] and t["en"] and t["note_zh"] and t["note_en"] for t in TERMS.values())
    missed = []
    for key, entry in catalog("messages").items():
        for name, term in TERMS.items():
            if term.get("check") and term["en"].split(" (")[0].lower() in entry["en"].lower():
                if term["zh"] not in entry["zh"]:
                    missed.append((key, name))
    assert missed == []


def test_every_argparse_word_is_in_the_catalog():
    assert all(key in catalog("messages") for key in ARGPARSE_WORDS.values())


def test_the_language_comes_from_lang_then_shanhai_lang_then_the_locale(monkeypatch):
    for name in ("SHANHAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert message_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert message_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "C")  # LC_ALL wins over LANG, as POSIX reads them
    assert message_lang() == "en"
    monkeypatch.setenv("SHANHAI_LANG", "zh")
    assert message_lang() == "zh"
    with messages_in("en"):
        assert message_lang() == "en"
    assert message_lang() == "zh"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        with messages_in("fr"):
            pass
    assert argv_lang(["map", "pairing", "--lang", "en"]) == "en"
    assert argv_lang(["map", "--lang=zh"]) == "zh"
    assert argv_lang(["map", "--", "--lang", "zh"]) is None


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_help_and_errors_speak_the_locale(monkeypatch, capsys):
    monkeypatch.delenv("SHANHAI_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    zh_help = capsys.readouterr().out
    assert zh_help.startswith("用法：shanhai") and "显示此帮助并退出" in zh_help
    code, text = _run(capsys, "profile", "不存在")
    assert code == 2 and text.startswith("错误：") and "不是浙江省的县级单位" in text
    monkeypatch.setenv("LANG", "C")
    code, text = _run(capsys, "profile", "不存在")
    assert text.startswith("error: ") and "is not a Zhejiang county-level unit" in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.startswith("usage: shanhai")


def test_lang_overrides_the_locale(monkeypatch, capsys):
    monkeypatch.setenv("SHANHAI_LANG", "zh")
    with pytest.raises(SystemExit):
        main(["map", "pairing", "--lang", "en", "--bogus"])
    assert "error: unrecognized arguments: --bogus" in capsys.readouterr().err
    monkeypatch.setenv("SHANHAI_LANG", "en")
    with pytest.raises(SystemExit):
        main(["map", "pairing", "--lang", "zh", "--bogus"])
    assert "shanhai：错误：无法识别的参数：--bogus" in capsys.readouterr().err


def test_a_problem_reads_in_either_language():
    from geo.errors import DataLayerError, Problem

    p = Problem("error", "县界.csv", "row 3", "bad", fix="do x", column="县名")
    with messages_in("zh"):
        assert str(p) == "县界.csv，row 3，县名列：bad处理办法：do x"
        assert str(DataLayerError([p] * 3, limit=2)).splitlines()[::3] == [
            "有3个问题必须处理：",
            "  ……另有1个（`shanhai check FILE` 列出全部）",
        ]
    assert str(p) == "县界.csv, row 3, column 县名: bad Fix: do x"
    assert say("severity.warning", "zh") == "警告"


def test_the_catalog_is_compiled_once_and_again_when_a_file_changes(tmp_path):
    """The TOML is parsed on first use and kept as JSON in __pycache__, keyed on the bytes:
    the next run reads the JSON; an edit makes a new one and removes the old."""
    from geo.catalog import COMPILED_PREFIX, compiled

    (tmp_path / "a.toml").write_text('[x.y]\nzh = "甲"\nen = "a"\n', encoding="utf-8")
    files = {"messages": ("a.toml",)}
    assert compiled(tmp_path, files) == {"messages": {"x.y": {"zh": "甲", "en": "a"}}}
    [cache] = (tmp_path / "__pycache__").glob(f"{COMPILED_PREFIX}*.json")
    cache.write_text('{"messages": {"x.y": {"zh": "缓存", "en": "cached"}}}', encoding="utf-8")
    assert compiled(tmp_path, files)["messages"]["x.y"]["en"] == "cached"  # read, not parsed
    (tmp_path / "a.toml").write_text('[x.y]\nzh = "乙"\nen = "b"\n', encoding="utf-8")
    assert compiled(tmp_path, files)["messages"]["x.y"] == {"zh": "乙", "en": "b"}
    assert [p.name for p in (tmp_path / "__pycache__").iterdir()] != [cache.name]
    assert len(list((tmp_path / "__pycache__").iterdir())) == 1
    (tmp_path / "b.toml").write_text('[x.y]\nzh = "丙"\nen = "c"\n', encoding="utf-8")
    with pytest.raises(KeyError, match=re.escape("b.toml: the key 'x.y' is in the catalog twice")):
        compiled(tmp_path, {"messages": ("a.toml", "b.toml")})
