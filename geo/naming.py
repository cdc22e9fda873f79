"""Names and lines in the reader's language: a city, a county or a functional zone, what a
clause or designation reaches a county through, a layer's own text (``column_en`` in
English), an enclave in one line. Between the words catalog (:mod:`geo.words`) and what
lays facts out (the county record, the history, the themes), which all read it."""

from __future__ import annotations

from .words import SOURCE_LANG, by_lang, confidence_label, edition_name, enclave_label, text

__all__ = ["city_name", "enclave_line", "localized", "unit_name", "via_name", "zone_name"]


def city_name(reg, code, lang):
    c = reg.cities[code]
    return by_lang(lang, c.name, c.romanized)


def zone_name(atlas, name: str, lang: str) -> str:
    """A partner that is a functional zone, in the reader's language (its English name
    from the pairings layer)."""
    if lang == SOURCE_LANG:
        return name
    hit = atlas.pairings[(atlas.pairings["partner"] == name) & (atlas.pairings["partner_en"] != "")]
    return hit["partner_en"].iloc[0] if len(hit) else name


def unit_name(atlas, code: str, name: str, lang: str, short: bool = True) -> str:
    """A county (by code) or a zone (by name) in the reader's language."""
    if code:
        c = atlas.registry.counties[code]
        return by_lang(lang, c.name, c.romanized if short else c.name_en)
    return zone_name(atlas, name, lang)


def via_name(atlas, via: str, lang: str) -> str:
    """What a clause or designation reaches a county through (its city, or the list)."""
    if lang == SOURCE_LANG or not via:
        return via
    city = atlas.registry.find_city(via)
    if city is not None:
        return city.romanized
    ed = atlas.registry.find_edition(via)
    return edition_name(ed, lang) if ed is not None else via


def localized(row, column: str, lang: str) -> str:
    """A layer's reader-facing text in the reader's language (``column_en`` for English,
    falling back to the Chinese when the layer has none)."""
    if lang == SOURCE_LANG:
        return row.get(column, "") or ""
    return row.get(f"{column}_{lang}", "") or row.get(column, "") or ""


def enclave_line(atlas, e, lang, named: bool = True) -> str:
    """One enclave in a line: its name (unless ``named`` is False: a popup headed by it),
    kind, whose and where, its years and status."""
    kind = enclave_label(e["kind"], lang)
    host = unit_name(atlas, e["host_code"], localized(e, "host", lang), lang)
    b = unit_name(atlas, e["beneficiary_code"], e["beneficiary"], lang)
    site = localized(e, "site", lang)
    where = text("enclave_where", lang, h=host, site=site) if site and site != host else host
    bits = [text("enclave_of", lang, b=b, kind=kind, h=where)]
    bits += [
        text("enclave_when", lang, year=e[c], what=text(f"enclave_{c}", lang))
        for c in ("signed", "started", "opened")
        if e[c]
    ]
    bits += [enclave_label(e["status"], lang), f"{text('confidence', lang)} {confidence_label(e['confidence'], lang)}"]
    line = text("semi_sep", lang).join(bits)
    return text("label_value", lang, k=localized(e, "name", lang), v=line) if named else line
