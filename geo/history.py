"""Time: designations in force in a given year, the editions of the list compared, and the
dated events of one county.

Pure pandas on the joined :class:`~geo.atlas.Atlas`; both renderers and the county profile
draw from these tables.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._frames import records
from .catalog import say
from .errors import GeoError, param
from .naming import localized, unit_name, via_name
from .words import batch_label, clause_label, confidence_label, edition_name, level_label, state_label, text

__all__ = ["EVENT_KINDS", "designations_in_force", "edition_diff", "status_years", "timeline"]

#: kinds of event on a county's timeline, top row first
EVENT_KINDS = ("membership", "pairing", "designation", "policy")

IN_FORCE_COLUMNS = [
    "county_code",
    "county",
    "designation",
    "designation_en",
    "category",
    "level",
    "state",
    "batch",
    "year",
    "confidence",
    "via",
    "source",
    "in_force",
]


def status_years(atlas) -> list[int]:
    """The years in which some designation of the atlas was made or proposed."""
    years = pd.to_numeric(atlas.status["year"], errors="coerce").dropna().astype(int)
    return sorted(set(years))


def designations_in_force(
    atlas, year: int | None = None, *, own_only: bool = False, county_code: str | None = None
) -> pd.DataFrame:
    """The designations in force at the end of ``year``, one row per county and designation.

    A designation counts from its year on. ``proposed`` rows (拟命名 lists) are kept with
    their state so they can be drawn apart; targets are not designations and are left
    out. Rows whose year the layer does not know are never dropped: they come back with
    ``in_force == "unknown year"`` whatever the year asked for.

    Parameters
    ----------
    atlas : Atlas
    year : int, optional
        The year; None gives every row (dated ones ``"yes"``).
    own_only : bool
        Only designations of the county itself (not those it holds through its city).
    county_code : str, optional
        One county's rows only (its 6-digit code).

    Returns
    -------
    DataFrame
        Columns ``county_code, county, designation, category, level, state, batch, year,
        confidence, via, source, in_force`` (``"yes"`` or ``"unknown year"``), sorted by
        county code, year and designation.
    """
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise GeoError(say("history.not_year", year=param("year", year))) from None
    st = atlas.status
    if county_code is not None:
        st = st[st["county_code"] == county_code]
    st = st[st["state"] != "target"].copy()
    if own_only:
        st = st[st["via"] == ""]
    y = pd.to_numeric(st["year"], errors="coerce")
    known = y.notna()
    keep = ~known | (y <= year) if year is not None else pd.Series(True, index=st.index)
    st = st[keep].copy()
    st["in_force"] = np.where(known[keep], "yes", "unknown year")
    # the names by code as a Series (a dict of them would iterate arrow strings one by one)
    names = pd.Series(atlas.counties["name"].to_numpy(), index=atlas.counties["code"].to_numpy())
    st["county"] = st["county_code"].map(names).fillna("")
    out = st[IN_FORCE_COLUMNS].copy()
    out["_y"] = y[keep].fillna(9999)
    return out.sort_values(["county_code", "_y", "designation"]).drop(columns="_y").reset_index(drop=True)


def edition_diff(registry, old: str, new: str) -> dict[str, list[str]]:
    """Counties added, removed and kept from edition ``old`` to edition ``new`` (codes)."""
    a, b = registry.edition(old), registry.edition(new)
    sa, sb = set(a.members), set(b.members)
    return {
        "added": sorted(sb - sa),
        "removed": sorted(sa - sb),
        "kept": sorted(sa & sb),
    }


def _year_of(text: str):
    y = pd.to_numeric(str(text)[:4], errors="coerce")
    return None if pd.isna(y) else int(y)


def timeline(atlas, county, lang: str = "zh") -> pd.DataFrame:
    """The dated events of one county: list membership by edition, pairing start years,
    designations (its own and its city's), and the policy clauses that target it with
    their documents' dates.

    Parameters
    ----------
    atlas : Atlas
    county : str
        Any name form or code.
    lang : {"zh", "en"}
        The language of ``label`` and ``detail``.

    Returns
    -------
    DataFrame
        Columns ``date`` (ISO prefix, "" when unknown), ``year`` (Int64, <NA> when
        unknown), ``kind`` (membership, pairing, designation, policy), ``label``,
        ``detail``, ``source`` (source ids); sorted by year then kind. Undated events are
        kept at the end, never dropped.
    """

    reg = atlas.registry
    c = reg.county(county, context=say("history.context"))
    zh = lang == "zh"  # the tables' own fields in Chinese, their _en fields in English
    sep = text("semi_sep", lang)
    rows = []
    for ed in reg.editions.values():
        if c.code in ed.members:
            conf = confidence_label(ed.confidence, lang)
            rows.append(
                {
                    "date": ed.date,
                    "kind": "membership",
                    "label": text("timeline_membership", lang, name=edition_name(ed, lang)),
                    "detail": text("timeline_edition", lang, id=ed.id, conf=conf),
                    "source": ed.source,
                }
            )
    pairs = atlas.pairings[(atlas.pairings["mountain_code"] == c.code) | (atlas.pairings["partner_code"] == c.code)]
    for p in records(pairs):
        if not p["partner"]:
            label, detail = text("no_partner", lang), ""
        elif p["mountain_code"] == c.code:
            other = unit_name(atlas, p["partner_code"], p["partner"], lang)
            city = p["partner_city"] if zh else reg.cities[p["partner_city_code"]].romanized
            conf = confidence_label(p["confidence"], lang)
            label = text("timeline_paired_with", lang, other=other)
            bits = [city, localized(p, "round", lang), text("timeline_confidence", lang, conf=conf)]
            detail = sep.join(b for b in bits if b)
        else:
            other = unit_name(atlas, p["mountain_code"], p["mountain_county"], lang)
            label = text("timeline_paired_with", lang, other=other)
            bits = [text("timeline_partner_of", lang, other=other), localized(p, "round", lang)]
            detail = sep.join(b for b in bits if b)
        rows.append({"date": p["since"], "kind": "pairing", "label": label, "detail": detail, "source": p["source"]})
    for s in records(designations_in_force(atlas, county_code=c.code)):
        bits = [level_label(s["level"], lang), batch_label(s["batch"], lang)]
        bits.append(state_label(s["state"], lang) if s["state"] != "named" else "")
        bits.append(text("via_city", lang, name=via_name(atlas, s["via"], lang)) if s["via"] else "")
        rows.append(
            {
                "date": s["year"],
                "kind": "designation",
                "label": localized(s, "designation", lang),
                "detail": text("comma_sep", lang).join(b for b in bits if b),
                "source": s["source"],
            }
        )
    cov = atlas.coverage[atlas.coverage["county_code"] == c.code].drop_duplicates(["document", "clause"])
    for r in records(cov):
        via = via_name(atlas, r["via"], lang)
        if zh:
            label = f"{r['short_title'] or r['title']} {clause_label(r['clause'], lang)}"
            summary = f"{r['summary']}"
        else:
            label = f"{r['short_title_en'] or r['title_en'] or r['short_title']} {clause_label(r['clause'], lang)}"
            summary = f"{r['summary_en'] or r['summary']}"
        detail = summary + (text("via_note", lang, via=via) if via else "")
        rows.append({"date": r["date"], "kind": "policy", "label": label, "detail": detail,
                     "source": r["document_source"]})  # fmt: skip
    out = pd.DataFrame(rows, columns=["date", "kind", "label", "detail", "source"]).fillna("")
    out.insert(1, "year", pd.array([_year_of(d) for d in out["date"]], dtype="Int64"))
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(EVENT_KINDS)})
    out["_y"] = out["year"].fillna(9999)
    # numbers in labels sort as numbers: 第2条 before 第10条
    out["_l"] = out["label"].map(lambda s: re.sub(r"\d+", lambda m: m.group().zfill(6), s))
    out = out.sort_values(["_y", "date", "_k", "_l"], kind="stable").drop(columns=["_k", "_y", "_l"])
    out.attrs["county"] = c.name
    return out.reset_index(drop=True)
