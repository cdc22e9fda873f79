"""Time: designations in force in a given year, the editions of the list compared, and the
dated events of one county.

Pure pandas on the joined :class:`~geo.atlas.Atlas`; both renderers and the county profile
draw from these tables.
"""

from __future__ import annotations

import pandas as pd

from .errors import GeoError

__all__ = ["EVENT_KINDS", "designations_in_force", "edition_diff", "status_years", "timeline"]

#: kinds of event on a county's timeline, top row first
EVENT_KINDS = ("membership", "pairing", "designation", "policy")

IN_FORCE_COLUMNS = [
    "county_code",
    "county",
    "designation",
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


def designations_in_force(atlas, year: int | None = None, *, own_only: bool = False) -> pd.DataFrame:
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
            raise GeoError(f"--year {year!r} is not a year: give one such as 2019.") from None
    st = atlas.status[atlas.status["state"] != "target"].copy()
    if own_only:
        st = st[st["via"] == ""]
    y = pd.to_numeric(st["year"], errors="coerce")
    known = y.notna()
    keep = ~known | (y <= year) if year is not None else pd.Series(True, index=st.index)
    st = st[keep].copy()
    st["in_force"] = ["yes" if k else "unknown year" for k in known[keep]]
    names = dict(zip(atlas.counties["code"], atlas.counties["name"], strict=True))
    st["county"] = st["county_code"].map(names).fillna("")
    st = st.rename(columns={})
    out = st[IN_FORCE_COLUMNS].copy()
    out["_y"] = pd.to_numeric(out["year"], errors="coerce").fillna(9999)
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


def timeline(atlas, county) -> pd.DataFrame:
    """The dated events of one county: list membership by edition, pairing start years,
    designations (its own and its city's), and the policy clauses that target it with
    their documents' dates.

    Parameters
    ----------
    atlas : Atlas
    county : str
        Any name form or code.

    Returns
    -------
    DataFrame
        Columns ``date`` (ISO prefix, "" when unknown), ``year`` (Int64, <NA> when
        unknown), ``kind`` (membership, pairing, designation, policy), ``label``,
        ``detail``, ``source``; sorted by year then kind. Undated events are kept at the
        end, never dropped.
    """
    reg = atlas.registry
    c = reg.county(county, context="timeline")
    rows = []
    for ed in reg.editions.values():
        if c.code in ed.members:
            rows.append(
                {
                    "date": ed.date,
                    "kind": "membership",
                    "label": f"{ed.title}名单",
                    "detail": f"edition {ed.id}, confidence {ed.confidence}",
                    "source": ed.source,
                }
            )
    pairs = atlas.pairings[(atlas.pairings["mountain_code"] == c.code) | (atlas.pairings["partner_code"] == c.code)]
    for _, p in pairs.iterrows():
        if not p["partner"]:
            label, detail = "无已查证结对县", "no sourced partner"
        elif p["mountain_code"] == c.code:
            label, detail = f"结对 {p['partner']}", f"{p['partner_city']}; {p['round']}; confidence {p['confidence']}"
        else:
            label, detail = f"结对 {p['mountain_county']}", f"partner of {p['mountain_county']}; {p['round']}"
        rows.append({"date": p["since"], "kind": "pairing", "label": label, "detail": detail, "source": p["source"]})
    st = designations_in_force(atlas)
    for _, s in st[st["county_code"] == c.code].iterrows():
        bits = [s["level"], f"batch {s['batch']}" if s["batch"] else "", s["state"] if s["state"] != "named" else ""]
        bits.append(f"via {s['via']}" if s["via"] else "")
        rows.append(
            {
                "date": s["year"],
                "kind": "designation",
                "label": s["designation"],
                "detail": ", ".join(b for b in bits if b),
                "source": s["source"],
            }
        )
    cov = atlas.coverage[atlas.coverage["county_code"] == c.code].drop_duplicates(["document", "clause"])
    for _, r in cov.iterrows():
        via = f" (via {r['via']})" if r["via"] else ""
        rows.append(
            {
                "date": r["date"],
                "kind": "policy",
                "label": f"{r['short_title'] or r['title']} 第{r['clause']}条",
                "detail": f"{r['summary']}{via}",
                "source": r["document"],
            }
        )
    out = pd.DataFrame(rows, columns=["date", "kind", "label", "detail", "source"]).fillna("")
    out.insert(1, "year", pd.array([_year_of(d) for d in out["date"]], dtype="Int64"))
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(EVENT_KINDS)})
    out["_y"] = out["year"].fillna(9999)
    out = out.sort_values(["_y", "date", "_k", "label"], kind="stable").drop(columns=["_k", "_y"])
    out.attrs["county"] = c.name
    return out.reset_index(drop=True)
