"""Header matching: which canonical column a header means.

A :class:`LayerSpec` names a layer's canonical columns and the headers accepted for each;
headers are compared by :func:`header_key` (width, case, spaces and punctuation folded) and,
when not found, again in simplified characters (縣名 → 县名).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from ..registry import simplified


@dataclass(frozen=True)
class LayerSpec:
    """Canonical columns of a table layer and the headers accepted for each."""

    name: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...] = ()

    def header_map(self) -> dict[str, str]:
        """{folded header: canonical column}, made once per spec (the encoding and delimiter
        guesses ask for it on every line they try); read it, do not change it."""
        return self._folded

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {header_key(a): canon for canon, aliases in self.columns.items() for a in (canon, *aliases)}


def header_key(text: str) -> str:
    """A header folded for comparison: NFKC, lower case, no spaces, underscores, dashes, brackets or colons."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-()（）:：*]", "", text)


def column_for(hmap: dict[str, str], header: str) -> str | None:
    """The canonical column a header means, also when written in traditional characters (縣名)."""
    key = header_key(header)
    if key not in hmap and (simple := simplified(key)) is not None:
        key = header_key(simple)
    return hmap.get(key)


def known_headers(line: str, delimiter: str, spec: LayerSpec | None) -> int:
    """How many cells of a header line split on ``delimiter`` are columns ``spec`` knows."""
    if spec is None:
        return 0
    hmap = spec.header_map()
    return sum(column_for(hmap, cell.strip().strip('"')) is not None for cell in line.split(delimiter))
