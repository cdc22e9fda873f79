"""What a reader sees in a PDF: every word with its box (``pdftotext -bbox``), and the checks
that a printed page or a converted document must pass (nothing off the page, nothing cut
with "…", no raw Python value, no text below a size).

Used by the tests of maps, profiles, the Word report and the deck (after LibreOffice turns
them into PDF): render once, read the words once, check many things.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: 1 pt = 1/72 in; pdftotext's boxes are in points
MIN_PT = 6.0

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')

#: a value printed as Python writes it: a tuple or list of strings, a dict, None/nan alone
#: (a quoted piece closing one, 'https://…'), is one; an English quote closing in text,
#: "a 'special zone', protected", is not)
RAW_VALUE = re.compile(r"""^\(['"]|^\[['"]|^['"].*['"][),]$|^\{['"]|^(None|nan|NaN|NaT)$|<[a-z_.]+ object""")


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    page_w: float
    page_h: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def __str__(self) -> str:
        return f"p{self.page} ({self.x0:.0f},{self.y0:.0f}) {self.text!r}"


def words(pdf: Path | str, first: int | None = None, last: int | None = None) -> list[Word]:
    """Every word of ``pdf`` (pages ``first``..``last``, 1-based), with its box in points."""
    cmd = ["pdftotext", "-bbox"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found: list[Word] = []
    page, pw, ph = (first or 1) - 1, 0.0, 0.0
    for line in out.splitlines():
        if m := _PAGE.search(line):
            page, pw, ph = page + 1, float(m.group(1)), float(m.group(2))
        elif m := _WORD.search(line):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            found.append(Word(page, x0, y0, x1, y1, html.unescape(m.group(5)), pw, ph))
    return found


def text(found: list[Word]) -> str:
    """The words joined without spaces (LibreOffice spaces CJK from digits; pdftotext splits
    Chinese runs at font changes): what a substring test should look in."""
    return "".join(w.text for w in found)


def off_page(found: list[Word], margin: float = 0.5) -> list[Word]:
    """Words that leave the page: left or right of it by more than ``margin`` points, or
    with the middle of their line above or below it (pdftotext's boxes hold the font's whole
    ascent and descent, taller than the glyphs, so the top and bottom are judged by the
    middle)."""
    return [w for w in found if w.x0 < -margin or w.x1 > w.page_w + margin or not 0 <= (w.y0 + w.y1) / 2 <= w.page_h]


def cut(found: list[Word]) -> list[Word]:
    """Words cut short with an ellipsis ("Zhejia…", "http://ne…")."""
    return [w for w in found if "…" in w.text or w.text.endswith("...")]


def raw_values(found: list[Word]) -> list[Word]:
    """Words that are a Python value printed as it is (a tuple, a list, None, nan)."""
    return [w for w in found if RAW_VALUE.search(w.text)]


def too_small(found: list[Word], min_pt: float = MIN_PT, scale: float = 1.0) -> list[Word]:
    """Words whose box is lower than ``min_pt`` points at print size (``scale``: printed
    size over the PDF's own size). A box holds the font's ascent and descent, about 1.2
    times the font size, hence the factor."""
    return [w for w in found if w.height * scale < min_pt * 1.15]
