"""The words of the outputs and of the messages, read from the catalog (``geo/catalog/*.toml``,
one table per key with its ``zh`` and ``en``): :func:`text` for what the maps, pages,
profiles and reports show, in the output's language; :func:`say` for what the tool says,
in the reader's (:func:`message_lang`); and the labels of the codes (confidence, state,
level, batch, clause) and of the editions. Below every module that speaks: it imports only
the catalog and the errors."""

from __future__ import annotations

import unicodedata

from ..catalog import LANGS, catalog, message_lang, messages_in, say
from ..errors import RenderError

__all__ = [
    "LANGS",
    "SOURCE_LANG",
    "batch_label",
    "by_lang",
    "check_lang",
    "clause_label",
    "confidence_label",
    "display_columns",
    "edition_name",
    "edition_title",
    "enclave_label",
    "has_text",
    "level_label",
    "member_label",
    "message_lang",
    "messages_in",
    "say",
    "state_label",
    "text",
]

COMPILED = "2026-11-23"
#: the language the layers are written in: their own names and texts need no translating
#: into it (other languages read ``column_<lang>`` or a lookup)
SOURCE_LANG = LANGS[0]


def display_columns(text) -> int:
    """The columns ``text`` takes in a console or a spreadsheet cell: a wide (CJK) character
    two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def check_lang(lang: str) -> str:
    """``lang`` when it is a language of the catalog (zh or en), else a RenderError."""
    if lang not in LANGS:
        raise RenderError(say("words.unknown_lang", lang=lang))
    return lang


def text(key: str, lang: str = "zh", **kw) -> str:
    """A word of the outputs in ``lang`` (zh or en), its placeholders filled in from ``kw``."""
    return catalog("words")[key][check_lang(lang)].format(**kw)


def by_lang(lang: str, zh, en):
    """Of a fact kept in one field per language (a county's name and its romanisation, a
    column and its English twin), the one for ``lang``: data, not words."""
    return dict(zip(LANGS, (zh, en), strict=True))[check_lang(lang)]


def has_text(key: str) -> bool:
    """True when ``key`` is in the words catalog (every key carries both languages)."""
    return key in catalog("words")


def edition_name(edition, lang: str = "zh") -> str:
    """The list's own name: 山区26县, 山区海岛25县; Zhejiang's 26 mountain counties, …"""
    kind = text("kind_island" if "海岛" in edition.title else "kind_mountain", lang)
    return text("edition_own", lang, title=edition.title, n=len(edition.members), kind=kind)


def edition_title(edition, lang: str = "zh") -> str:
    """The list's title as printed: its own (山区26县) in Chinese, its English title (when it
    has one) in English."""
    return edition.title if lang == LANGS[0] else edition.title_en or edition.title


def member_label(edition, lang: str = "zh") -> str:
    """One county of the edition: 山区县 or 山区海岛县."""
    return text("member_island" if "海岛" in edition.title else "member_mountain", lang)


def confidence_label(value: str, lang: str = "zh") -> str:
    """高 / 中 / 低 (high / medium / low) for a confidence code."""
    return text(f"conf_{value}", lang) if value in ("high", "medium", "low", "unrated") else value


def state_label(value: str, lang: str = "zh") -> str:
    """已命名 / 拟命名 / 创建目标 for a designation's state."""
    return text(f"state_{value}", lang) if value in ("named", "proposed", "target") else value


def level_label(value: str, lang: str = "zh") -> str:
    """国家级 / 省级 / 市级 for a designation's level."""
    return text(value, lang) if value in ("national", "provincial", "municipal") else value


def enclave_label(value: str, lang: str = "zh") -> str:
    """产业飞地 / industrial enclave for an enclave's kind; 已运营 / in operation for its status."""
    return text(f"enclave_{value}", lang) if has_text(f"enclave_{value}") else value


def batch_label(value, lang: str = "zh") -> str:
    """第2批 / batch 2."""
    return text("batch_n", lang, n=value) if value not in (None, "") else ""


#: a bulletin's items keep their own names (要闻1, 简讯2): their words' keys
_CLAUSE_ITEMS = {"要闻": "clause_headline", "简讯": "clause_brief"}


def clause_label(clause: str, lang: str = "zh") -> str:
    """第8条 / §8; a bulletin's items keep their own names (要闻1, 简讯2), in English
    headline 1, brief 2."""
    clause = str(clause)
    for item, key in _CLAUSE_ITEMS.items():
        if clause.startswith(item):
            return text(key, lang, n=clause[len(item) :])
    return text("clause_n" if clause.isdigit() else "clause_other", lang, n=clause)
