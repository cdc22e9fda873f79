"""Text measured with the page's own font and broken into lines: English at spaces and
hyphens only (the rules of :mod:`textwrap`), Chinese between any two characters, with
closing marks kept off a line's start and opening marks off its end (禁则).

Widths come from the font the page is drawn with (Noto Sans CJK, DejaVu Sans where it has
no glyph), each character's own advance, not a guess per script, so a wrapped line is as
wide as it will print.
"""

from __future__ import annotations

import re
import textwrap
from functools import cache, lru_cache

from .figure import register_font

#: marks that never start a line, and marks that never end one (禁则)
NO_LINE_START = set("）)]】』」》〉，,。.、；;：:！!？?%…·”’")
NO_LINE_END = set("（([【『「《〈“‘")
#: one CJK character (ideographs, kana, CJK and full-width punctuation) is a unit of its own
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_WORDSEP = textwrap.TextWrapper().wordsep_re  # spaces, words, and the break after a hyphen
#: an en dash joining two names (Qianjiangyuan–Baishanzu, urban–rural) breaks as a hyphen does
_DASH = re.compile(r"(?<=[^\W\d]–)(?=[^\W\d])")
#: an address (a URL, a file path): the one run without spaces that may break inside, and where
_ADDRESS = re.compile(r"^(https?://|www\.)|\w/\S*\.\w")
_URL_BREAK = re.compile(r"(?<=[/.?&=_#-])")
#: a line is measured 1 % wider than its font says: the PNG's hinting and the PDF differ by less
SLACK = 1.01


@lru_cache(maxsize=2)
def _faces():
    """The page's font and its fallback as FreeType faces (the ones matplotlib itself draws
    with: :func:`_advance` sets them to 100 pt at 72 dpi before each use)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    register_font()
    out = []
    for family in ("Noto Sans CJK SC", "DejaVu Sans"):
        out.append(get_font(findfont(FontProperties(family=family))))
    return out


@cache
def _advance(ch: str) -> float:
    """One character's advance in ems: unhinted, from the first face that has it."""
    from matplotlib.ft2font import LoadFlags

    faces = _faces()
    face = next((f for f in faces if f.get_char_index(ord(ch))), faces[0])
    # matplotlib's renderer shares these faces and sets its own size on them: set ours each time
    face.set_size(100, 72)
    return face.load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 100


def text_width(text_: str, size: float, style: str = "normal") -> float:
    """The width in points of one line of ``text_`` set at ``size`` pt in the page's font:
    the sum of its characters' advances (kerning and ligatures only ever make a line a
    little narrower; measured within 1 % of matplotlib's own layout). ``style`` is
    accepted for the callers' sake: the one face has no italic of other widths."""
    return size * sum(_advance(ch) for ch in text_)


def _words(run: str) -> list[str]:
    """A run without CJK in its pieces: words (a hyphenated or dashed word in its parts, each
    keeping its hyphen or dash) and runs of spaces."""
    return [p for c in _WORDSEP.split(run) if c for p in _DASH.split(c) if p]


def _chunks(text_: str) -> list[str]:
    """The text's unbreakable pieces: a CJK character, an English word (a hyphenated word
    in its parts, each keeping its hyphen) or a run of spaces."""
    out = []
    pos = 0
    for m in _CJK.finditer(text_):
        if m.start() > pos:
            out += _words(text_[pos : m.start()])
        out.append(m.group())
        pos = m.end()
    if pos < len(text_):
        out += _words(text_[pos:])
    return out


def _joined(chunks: list[str]) -> str:
    return "".join(chunks).strip()


def _no_break(left: str, right: str) -> bool:
    """Whether a line may not end after ``left`` and go on with ``right``."""
    return right[0] in NO_LINE_START or left[-1] in NO_LINE_END


def _split_address(chunk: str, width_pt: float, size: float, style: str) -> list[str]:
    """An address wider than a line, in pieces that fit, broken after / . ? & = _ # -."""
    parts = [p for p in _URL_BREAK.split(chunk) if p]
    out, cur = [], ""
    for p in parts:
        if cur and text_width(cur + p, size, style) * SLACK > width_pt:
            out.append(cur)
            cur = p
        else:
            cur += p
    return [*out, cur] if cur else out


def wrap_text(text_: str, width_pt: float, size: float, style: str = "normal") -> list[str]:
    """Break ``text_`` into lines no wider than ``width_pt`` when set at ``size`` pt.

    English breaks at spaces and after the hyphen of a hyphenated word (or the en dash
    joining two names), never inside a word; Chinese between any two characters, except that closing marks (，。）》 …) never
    start a line and opening marks (（《“ …) never end one. A single English word wider
    than the line stays whole on a line of its own (:func:`widest` tells the caller, which
    can make the text smaller or the column wider); an address (a run with no space, such
    as a URL) is broken after ``/ . ? & = _ # -``.
    """
    chunks = []
    for c in _chunks(text_ or ""):
        if _ADDRESS.search(c) and text_width(c, size, style) > width_pt:
            chunks += _split_address(c, width_pt, size, style)
        else:
            chunks.append(c)
    lines: list[str] = []
    cur: list[str] = []
    for c in chunks:
        if c.isspace():
            if cur:
                cur.append(c)
            continue
        if cur and text_width(_joined([*cur, c]), size, style) * SLACK > width_pt:
            # break before c; a closing mark takes the unit before it along, an opening mark
            # at the line's end moves on with what follows it
            head, tail, nxt = [*cur], [], c
            while head:
                if head[-1].isspace():
                    tail.insert(0, head.pop())
                elif _no_break(head[-1], nxt):
                    nxt = head.pop()
                    tail.insert(0, nxt)
                else:
                    break
            if _joined(head):
                lines.append(_joined(head))
                cur = [*tail, c]
                continue
        cur.append(c)
    if _joined(cur):
        lines.append(_joined(cur))
    return lines


def wrap_paragraphs(text_: str, width_pt: float, size: float, style: str = "normal") -> list[str]:
    """:func:`wrap_text` of each line of ``text_`` (its own line breaks kept)."""
    return [ln for part in (text_ or "").split("\n") for ln in wrap_text(part, width_pt, size, style)]


def widest(lines, size: float, style: str = "normal") -> float:
    """The width in points of the widest of ``lines`` at ``size`` pt."""
    return max((text_width(ln, size, style) for ln in lines), default=0.0)
