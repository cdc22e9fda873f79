"""What a reader sees in a PDF: every word with its box (``pdftotext -bbox``), the size each
run of text is set at (read from the page's drawing), and the checks that a printed page or a
converted document must pass (nothing off the page, nothing cut with "…", no raw Python
value, no text below a size, no word broken across lines).

Used by the tests of maps, profiles, the Word report and the deck (after LibreOffice turns
them into PDF): render once, read the words once, check many things.

Measured with poppler 22.12 (``pdftotext -bbox``): a word's box is 1.3 times its font size
in LibreOffice's PDFs (TrueType fonts: 7.8 pt for 6 pt text, Latin and CJK alike), but in
matplotlib's (Type 3 fonts) it is 1.6 to 2.9 times, depending on which glyphs share the
word's font subset (digits and ligatures 1.6, Latin letters 2.4 to 2.9, Chinese 2.9): no
factor turns those boxes into a font size. :func:`runs` reads the size from the page's own
drawing instead (the ``Tf`` size times the scale of the text and graphics matrices), for any
producer; :func:`too_small` keeps the box test for LibreOffice's PDFs.
"""

from __future__ import annotations

import html
import math
import re
import subprocess
from dataclasses import dataclass, replace
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


#: a word's box over its font size in LibreOffice's PDFs (measured: 6 pt text, 7.8 pt boxes)
BOX_FACTOR = 1.3


def too_small(found: list[Word], min_pt: float = MIN_PT, scale: float = 1.0, factor: float = BOX_FACTOR) -> list[Word]:
    """Words whose box is lower than ``min_pt`` points at print size (``scale``: printed
    size over the PDF's own size). A box holds the font's ascent and descent: ``factor``
    times the font size (1.3 in LibreOffice's PDFs, measured). Not for matplotlib's Type 3
    fonts, whose boxes follow the glyphs of each font subset: use :func:`runs` there."""
    return [w for w in found if w.height * scale < min_pt * factor * 0.99]


def lines(found: list[Word], gap: float = 0.6) -> list[Word]:
    """The words with the pieces pdftotext splits at a change of font put back together:
    a piece that starts less than ``gap`` points after another ends, on the same line,
    continues it ("con" "fi" "dence", split at the ligature, read "confidence"; "2–" "3" in
    two subsets of a Type 3 font read "2–3"). On the same line: the boxes' bottoms lie
    within a quarter of the lower box's height and they share more than half of it (Type 3
    boxes are 2 to 3 times the font size tall, so the boxes of two lines overlap; their
    bottoms are a line apart), the piece joining the one it shares most with."""
    out: list[Word] = []
    ends: dict[tuple[int, int], list[int]] = {}  # (page, x1 in half points) -> indices in out
    for w in sorted(found, key=lambda w: (w.page, w.x0)):
        best, most = None, 0.0
        for b in range(int((w.x0 - gap) * 2), int((w.x0 + 0.5) * 2) + 1):
            for i in ends.get((w.page, b), []):
                v = out[i]
                shared = min(v.y1, w.y1) - max(v.y0, w.y0)
                low = min(v.height, w.height)
                line = abs(v.y1 - w.y1) < 0.25 * low and shared > 0.5 * low
                if -0.5 <= w.x0 - v.x1 < gap and line and shared > most:
                    best, most = i, shared
        if best is None:
            out.append(w)
            best = len(out) - 1
        else:
            v = out[best]
            ends[(v.page, int(v.x1 * 2))].remove(best)
            out[best] = replace(v, x1=max(v.x1, w.x1), y0=min(v.y0, w.y0), y1=max(v.y1, w.y1), text=v.text + w.text)
        ends.setdefault((w.page, int(out[best].x1 * 2)), []).append(best)
    return sorted(out, key=lambda w: (w.page, w.y0, w.x0))


@dataclass(frozen=True)
class Run:
    """A run of text as the page draws it: its page, where it starts (points from the top
    left, as pdftotext's boxes), its size in points and its characters as far as a simple
    font tells them (``?`` for the codes of a composite or Type 3 subset)."""

    page: int
    x: float
    y: float
    size: float
    text: str

    def __str__(self) -> str:
        return f"p{self.page} ({self.x:.0f},{self.y:.0f}) {self.size:.2f} pt {self.text!r}"


_NUM = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
#: the graphics state's operators outside text, and where text starts
_STATE = re.compile(rb"(?<![^\s])(cm|q|Q|BT)(?![^\s])")
_END_TEXT = re.compile(rb"(?<![^\s\]>)])ET(?![^\s])")
#: the operators of a text object that move or size it, and those that show text
_TEXT_OPS = re.compile(
    rb"(?P<tm>(?:" + _NUM + rb"\s+){6})Tm(?![\w])|(?P<td>(?:" + _NUM + rb"\s+){2})T[dD](?![\w])"
    rb"|/[^\s/\[\]()<>]+\s*(?P<tf>" + _NUM + rb")\s+Tf(?![\w])"
    rb"|(?P<tj>\[(?:[^\]\\]|\\.)*\]\s*TJ|\((?:[^()\\]|\\.)*\)\s*Tj|<[0-9a-fA-F\s]*>\s*Tj)",
    re.S,
)


def _mul(a, b):
    """The product of two PDF matrices [a b c d e f] (a applied first)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]  # fmt: skip


def _chars(op: bytes) -> str:
    """The characters of a Tj/TJ operand as far as bytes tell them."""
    parts = re.findall(rb"\(((?:[^()\\]|\\.)*)\)", op)
    raw = b"".join(re.sub(rb"\\(.)", rb"\1", p) for p in parts)
    return "".join(chr(c) if 32 <= c < 127 else "?" for c in raw) or "?"


def runs(pdf: Path | str) -> list[Run]:
    """Every run of text of ``pdf`` with the size it is set at: the ``Tf`` size times the
    scale of the text matrix and of the graphics state's matrix (``cm``, saved and restored
    by ``q``/``Q``). Read from the content streams with patterns, not a full parser: only
    the state operators and the text objects are looked at, so a map of a million path
    points takes milliseconds."""
    from pypdf import PdfReader

    out: list[Run] = []
    for n, page in enumerate(PdfReader(str(pdf)).pages, start=1):
        contents = page.get_contents()
        if contents is None:
            continue
        data = contents.get_data()
        height = float(page.mediabox.height)
        ctm, stack, size, pos = [1.0, 0, 0, 1.0, 0, 0], [], 0.0, 0
        while m := _STATE.search(data, pos):
            op, pos = m.group(1), m.end()
            if op == b"cm":
                ctm = _mul([float(v) for v in data[max(0, m.start() - 160) : m.start()].split()[-6:]], ctm)
            elif op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else ctm
            else:  # a text object, up to its ET
                end = _END_TEXT.search(data, pos)
                block = data[pos : end.start() if end else len(data)]
                pos = end.end() if end else len(data)
                tm = line = [1.0, 0, 0, 1.0, 0, 0]
                for t in _TEXT_OPS.finditer(block):
                    if t.group("tm"):
                        tm = line = [float(v) for v in t.group("tm").split()]
                    elif t.group("td"):
                        tx, ty = (float(v) for v in t.group("td").split())
                        tm = line = _mul([1, 0, 0, 1, tx, ty], line)
                    elif t.group("tf"):
                        size = float(t.group("tf"))
                    else:
                        full = _mul(tm, ctm)
                        scale = math.sqrt(abs(full[0] * full[3] - full[1] * full[2]))
                        out.append(Run(n, full[4], height - full[5], size * scale, _chars(t.group("tj"))))
    return out


def below(found: list[Run], min_pt: float = MIN_PT, scale: float = 1.0) -> list[Run]:
    """Runs set smaller than ``min_pt`` points at print size (``scale``: printed size over
    the PDF's own size)."""
    return [r for r in found if r.size * scale < min_pt - 0.005]
