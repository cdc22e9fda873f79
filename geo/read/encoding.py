"""Decoding a text table: BOM, UTF-8 or what charset-normalizer detects, and the delimiter."""

from __future__ import annotations

import csv
from pathlib import Path

from ..catalog import say
from ..errors import DataSourceError, param
from .headers import LayerSpec, known_headers

#: what Python calls the encodings a detector may name for Chinese text, widened to the
#: superset that decodes every file the narrower one does
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5hkscs": "big5hkscs", "cp950": "big5"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "，": "full-width comma", "|": "pipe"}
#: the encodings a message offers to name
_ENCODINGS = "utf-8, gbk, gb18030, big5, utf-16"


def delimiter_name(sep: str) -> str:
    """A delimiter as a message names it (comma, 逗号), in the language of the messages."""
    name = DELIMITERS.get(sep)
    return say(f"read.delimiter.{name.replace('-', '_').replace(' ', '_')}") if name else repr(sep)


def read_as_note(encoding: str, sep: str) -> str:
    """The note of the encoding and delimiter a text table was read with."""
    return say("read.read_as", encoding=encoding.upper(), delimiter=delimiter_name(sep))


def decode_text(raw: bytes, path: Path, encoding: str | None, spec: LayerSpec | None = None) -> tuple[str, str]:
    """Decode a text table: the given encoding, a BOM, UTF-8, or what charset-normalizer
    detects (among its candidates, the one whose header matches ``spec`` best)."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataSourceError(
                say(
                    "read.cannot_decode",
                    path=path,
                    encoding=encoding,
                    error=exc,
                    param=param("encoding"),
                    encodings=_ENCODINGS,
                )
            ) from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only for a file that is not UTF-8 (tests stand in for it)

    best = None
    for rank, match in enumerate(from_bytes(raw)):
        enc = _WIDER.get(match.encoding.replace("_", "").lower(), match.encoding)
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        head = text.lstrip().splitlines()[0] if text.strip() else ""
        known = max((known_headers(head, d, spec) for d in DELIMITERS), default=0) if spec else 0
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text[:4000])
        score = (known, cjk, -rank)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        raise DataSourceError(say("read.unknown_encoding", path=path, param=param("encoding")))
    return best[1], best[2]


def sniff_delimiter(text: str, spec: LayerSpec | None = None) -> str:
    """The delimiter of a CSV text: the one that splits the header into the most known
    columns, else the one ``csv.Sniffer`` finds, else a comma."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    if not lines:
        return ","
    scores = {d: known_headers(lines[0], d, spec) for d in DELIMITERS}
    best = max(scores, key=lambda d: (scores[d], lines[0].count(d)))
    if scores[best] > 0:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","
