"""What the Word report and the deck share: their optional libraries, text measured before
it is laid out, a source's address as its site, a map's alternative text, and the
document properties.

Text is measured, not guessed: a conservative estimate of each character's advance, wide
enough for the fonts LibreOffice substitutes when the document's own are missing (DejaVu
for Arial and Times New Roman, Noto CJK for SimSun and Microsoft YaHei): a CJK character
or full-width mark is 1 em, a Latin letter or digit about 0.64 em. Lines break between CJK
characters and at spaces, as Word, PowerPoint and LibreOffice break them.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from datetime import datetime
from itertools import pairwise
from urllib.parse import urlsplit

from .._version import __version__
from ..errors import GeoError
from ..themes import COMPILED, text
from ..words import by_lang, say

__all__ = [
    "INSTALL",
    "alt_county_maps",
    "alt_map",
    "column_widths",
    "heading",
    "line_count",
    "require",
    "set_properties",
    "site",
    "text_pt",
]

INSTALL = "pip install 'shanhai-atlas[report]'  (or: pip install python-docx python-pptx)"
#: advance of a character in ems: wide (CJK), narrow Latin, the widest Latin, the rest
_EM = {"wide": 1.0, "narrow": 0.34, "broad": 0.96, "upper": 0.78, "space": 0.32, "other": 0.64}
_NARROW = set("iljtfr.,;:'!|()[]")
# a CJK character, or a run of anything else up to and with its trailing spaces
_TOKEN = re.compile(r"[\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\uffef]+\s*|\s+")


def require(module: str, package: str):
    """Import an optional document library, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise GeoError(say("render.office_missing", package=package, install=INSTALL)) from None


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _em(ch: str) -> float:
    # ambiguous marks (· “ ” —) take a CJK font's full width beside Chinese
    if _wide(ch) or unicodedata.east_asian_width(ch) == "A":
        return _EM["wide"]
    if ch.isspace():
        return _EM["space"]
    if ch in _NARROW:
        return _EM["narrow"]
    if ch in "mwMW@%":
        return _EM["broad"]
    return _EM["upper"] if ch.isupper() else _EM["other"]


def _meets(a: str, b: str) -> bool:
    """Whether LibreOffice sets a quarter-em space between ``a`` and ``b`` (CJK beside a
    Latin letter or a digit)."""
    return _wide(a) != _wide(b) and not (a.isspace() or b.isspace())


def text_pt(text: str, size: float) -> float:
    """The width of ``text`` on one line at ``size`` points (a conservative estimate; where
    CJK meets a Latin letter or a digit, LibreOffice adds a space)."""
    return size * (sum(_em(ch) for ch in text) + 0.3 * sum(_meets(a, b) for a, b in pairwise(text)))


def line_count(text: str, width_pt: float, size: float) -> int:
    """How many lines ``text`` takes in a box ``width_pt`` wide at ``size`` points: lines
    break at spaces and between CJK characters; a word longer than the line is cut."""
    lines, used, prev = 1, 0.0, ""
    for token in _TOKEN.findall(text):
        word = token.rstrip()
        gap = 0.3 * size if prev and word and _meets(prev[-1], word[0]) else 0.0
        w = text_pt(word, size)
        if used and used + gap + w > width_pt:
            lines, used, gap = lines + 1, 0.0, 0.0
        while w > width_pt:  # a word wider than the box: the program breaks it
            lines, w = lines + 1, w - width_pt
        used += gap + w + text_pt(token[len(word) :], size)
        prev = token
    return lines


def _longest_word_pt(text: str, size: float) -> float:
    return max((text_pt(t.rstrip(), size) for t in _TOKEN.findall(text)), default=0.0)


def column_widths(rows: list[list[str]], total: float, size: float, pad: float) -> list[float]:
    """Widths of a table's columns in points (``total``: the table's; ``pad``: a cell's two
    margins) from their content, so that no word breaks: a column whose longest cell fits
    its share of the width keeps that cell on one line (shortest first, the share
    recomputed each time); the others get their longest word and share what is left in
    proportion to how much wider than that their longest cell would be.

    A table whose longest words do not fit ``total`` together gets them scaled down (a
    word will break); the document tests catch it.
    """
    cols = list(zip(*rows, strict=True))
    need = [max(_longest_word_pt(str(c), size) for c in col) + pad for col in cols]
    want = [max(text_pt(str(c), size) for c in col) + pad for col in cols]
    if sum(need) >= total:
        return [w * total / sum(need) for w in need]
    widths: dict[int, float] = {}
    for j in sorted(range(len(cols)), key=want.__getitem__):
        rest = len(cols) - len(widths)
        space = total - sum(widths.values())
        others = sum(need[k] for k in range(len(cols)) if k not in widths and k != j)
        if want[j] > space / rest or want[j] + others > space:
            break
        widths[j] = want[j]
    if len(widths) == len(cols):  # every cell on one line: the rest in proportion
        return [w * total / sum(want) for w in want]
    rest = [j for j in range(len(cols)) if j not in widths]
    extra = total - sum(widths.values()) - sum(need[j] for j in rest)
    # by how much wider each would like to be (by its width, when none would)
    slack = {j: want[j] - need[j] for j in rest} if any(want[j] > need[j] for j in rest) else {j: need[j] for j in rest}
    widths.update({j: need[j] + extra * slack[j] / sum(slack.values()) for j in rest})
    return [widths[j] for j in range(len(cols))]


def heading(words: str, lang: str) -> str:
    """A heading or a column head from the text table: an English one starts with a capital."""
    # capitals are a Latin script's: a Chinese word (or a Latin one inside it) is kept as it is
    return words[:1].upper() + words[1:] if lang == "en" else words


def site(url: str) -> str:
    """The address as a document shows it: its site (``www.gov.cn``), the scheme and the
    path dropped; the full address is the link behind it."""
    return urlsplit(url).hostname or url


def alt_map(title: str, what: str, lang: str) -> str:
    """The alternative text of a theme's map: its title and what it shows (the subtitle)."""
    return text("alt_map", lang, title=title, what=what.replace("\n", " ")).rstrip("。. ") + text("full_stop", lang)


def alt_county_maps(rec) -> str:
    """The alternative text of a county's two maps (its neighbours; the province with the
    arrows to its partners), from its record."""
    lang = rec.lang
    names = text("list_sep", lang).join(p["name"] for p in rec.partners)
    pairs = (
        text("alt_county_pairs", lang, name=rec.display_name, names=names)
        if rec.partners
        else text("alt_county_no_pairs", lang, name=rec.display_name)
    )
    return text("alt_county_maps", lang, name=rec.display_name, pairs=pairs) + text("full_stop", lang)


def set_properties(package, props, *, title: str, subject: str, lang: str, app: str = ""):
    """The document's properties, ours rather than the library template's: author and last
    editor shanhai-atlas, created and modified on the compile date of the data, title,
    subject, language, a comment; the application (``docProps/app.xml``) is shanhai-atlas
    (``app`` adds elements, such as a deck's format); the template's blank thumbnail is
    dropped (a file manager would show an empty page). ``package`` is the python-docx or
    python-pptx package whose ``props`` (its core properties) are set."""
    compiled = datetime.fromisoformat(COMPILED)
    props.author = props.last_modified_by = "shanhai-atlas"
    props.created = props.modified = compiled
    props.title, props.subject = title, subject
    props.language = by_lang(lang, "zh-CN", "en-GB")  # the document's language tag
    props.comments = text("doc_comments", lang, compiled=COMPILED, version=__version__)
    props.keywords = props.category = ""
    props.revision = 1
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            # the template says Microsoft Macintosh Word / PowerPoint, 4:3: a file of ours says what made it
            part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
                '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                f"<Application>shanhai-atlas {__version__}</Application>{app}</Properties>"
            ).encode()
    rels = package.rels if hasattr(package, "rels") else package._rels  # python-docx / python-pptx
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rid)
