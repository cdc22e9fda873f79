"""The coded values of the table layers and their labels: one place for both directions.

A layer stores codes (``high``, ``named``, ``village-income``); a person reads and writes
labels (高, 已命名, 消薄飞地; in English high, named, village-income enclave). The labels are
the words of the catalog (``geo/catalog/*.toml``) that the maps, pages and the GeoPackage
show, so a label written in a workbook is the one a map prints. :func:`label` and
:func:`labels` give a code's label; :func:`to_code` reads a code or a label (either
language, any case, full-width or half-width) back as the code, and is what the readers of
the user's files (:meth:`geo.read.Checker.choice`, the scopes, categories and source kinds)
use.
"""

from __future__ import annotations

import unicodedata

from .words import LANGS, text

__all__ = ["FIELDS", "code_of", "codes", "field_of", "label", "labels", "to_code"]

#: field → (its codes in their order, the catalog key of a code's label)
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "confidence": (("high", "medium", "low"), "conf_{}"),
    "level": (("national", "provincial", "municipal"), "{}"),
    "state": (("named", "proposed", "target"), "state_{}"),
    "category": (
        ("eco_demo", "liangshan_base", "eco_county_old", "common_prosperity_pilot", "national_park",
         "dahuayuan_demo", "eco_pilot", "nuclear_site"),
        "cat_{}",
    ),
    "enclave_kind": (("industrial", "science", "village-income", "other"), "enclave_{}"),
    "enclave_status": (("agreed", "building", "open", "unknown"), "enclave_{}"),
    "status_scope": (("county", "city"), "scope_{}"),
    "coverage_scope": (("county", "city", "edition"), "scope_{}"),
    "source_kind": (
        ("official_document", "government_site", "major_outlet", "repost", "none", "dataset", "derived"),
        "kind_{}",
    ),
}  # fmt: skip
#: codes outside a field's list that still have a label (a fact without a confidence)
_EXTRA = {"confidence": ("unrated",)}


def codes(field: str) -> tuple[str, ...]:
    """The codes of ``field``, in their order."""
    return FIELDS[field][0]


def label(field: str, code: str, lang: str = "zh") -> str:
    """The label of ``code`` in ``lang`` (高 for ``confidence`` ``high``); an unknown or
    empty code as it is."""
    known, key = FIELDS[field]
    if code in known or code in _EXTRA.get(field, ()):
        return text(key.format(code), lang)
    return code


def labels(field: str, lang: str = "zh") -> list[str]:
    """The labels of every code of ``field`` in ``lang``, in the codes' order."""
    return [label(field, c, lang) for c in codes(field)]


def _plain(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


_READING: dict[str, dict[str, str]] = {}


def _reading(field: str) -> dict[str, str]:
    """Every way ``field``'s codes are written (the code, its label in each language), plain."""
    table = _READING.get(field)
    if table is None:
        table = {}
        for code in codes(field):
            for word in (label(field, code, lang) for lang in reversed(LANGS)):
                table[_plain(word)] = code
            table[_plain(code)] = code  # a code wins over another code's label
        _READING[field] = table
    return table


def to_code(field: str, value: str) -> str:
    """``value`` read as a code of ``field``: the code itself or its label in Chinese or
    English (高 and high → ``high``; 消薄飞地 and village-income enclave → ``village-income``);
    anything else lowercased, for the caller to refuse. Blank stays blank."""
    return _reading(field).get(_plain(value), str(value).strip().lower())


def field_of(allowed) -> str | None:
    """The field whose codes are ``allowed`` (any order), or None."""
    wanted = set(allowed)
    return next((field for field, (known, _) in FIELDS.items() if set(known) == wanted), None)


def code_of(allowed, value: str) -> str | None:
    """The code of ``value`` among the codes ``allowed`` when they are a field's (the code or
    a label); None when ``value`` is neither or ``allowed`` is no field's codes."""
    field = field_of(allowed)
    return _reading(field).get(_plain(value)) if field else None
