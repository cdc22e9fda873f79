"""The status theme."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..history import designations_in_force
from ..naming import localized
from ..words import batch_label, level_label, member_label, text
from .base import (
    CONTEXT_EDGE,
    CONTEXT_FILL,
    MEMBER_EDGE,
    MEMBER_PLAIN_FILL,
    STATUS_CATEGORIES,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    county_features,
    county_labels,
    source_line,
    styled,
)

PROPOSED_OPACITY = 0.15
UNKNOWN_EDGE = "#444444"


def _by_county(rows) -> dict[str, list]:
    """Per county, in code order: [first year named, first year proposed, has an undated row]."""
    out = {}
    years = pd.to_numeric(rows["year"], errors="coerce").to_numpy(dtype=float)
    # one pass over plain values: a pandas groupby per category cost a status map a third of its time
    for code, state, y in zip(rows["county_code"], rows["state"], years, strict=True):
        entry = out.setdefault(code, [None, None, False])
        if np.isnan(y):
            entry[2] = True
        elif state in ("named", "proposed"):
            i = 0 if state == "named" else 1
            entry[i] = int(y) if entry[i] is None else min(entry[i], int(y))
    return dict(sorted(out.items()))


def _state_in(entry, year) -> str:
    """named, proposed, unknown or "" (not yet) for one county's entry at ``year``."""
    named, proposed, undated = entry
    if year is None:
        return "named" if named is not None or (undated and proposed is None) else "proposed"
    if named is not None and named <= year:
        return "named"
    if proposed is not None and proposed <= year:
        return "proposed"
    return "unknown" if undated else ""


def status(atlas, lang="zh", detail=True, year: int | None = None) -> Theme:
    """Designations as switchable layers; ``year`` keeps those in force at its end."""
    feats = county_features(atlas, lang, detail)
    t = lambda k: text(k, lang)  # noqa: E731
    st = designations_in_force(atlas, None, own_only=True)
    base = styled(
        feats,
        np.where(feats["member"], MEMBER_PLAIN_FILL, CONTEXT_FILL),
        np.where(feats["member"], MEMBER_EDGE, CONTEXT_EDGE),
        0.5,
        1.0,
    )
    layers = [
        Layer(
            member_label(atlas.edition, lang) + " / " + t("other_counties"),
            "polygons",
            base,
            Legend(
                t("base_map"),
                [
                    LegendItem(member_label(atlas.edition, lang), MEMBER_PLAIN_FILL),
                    LegendItem(t("other_counties"), CONTEXT_FILL),
                ],
            ),
            group="context",
        )
    ]
    facets, unknown_codes = [], set()
    n_in_force = n_unknown = 0
    shown = {"eco_demo", "liangshan_base", "common_prosperity_pilot", "national_park"}
    for cat, (color, hatch) in STATUS_CATEGORIES.items():
        rows = st[st["category"] == cat]
        if rows.empty:
            continue
        entries = _by_county(rows)
        states = {code: _state_in(e, year) for code, e in entries.items()}
        undated_rows = rows["year"] == ""
        if year is not None:
            y = pd.to_numeric(rows["year"], errors="coerce")
            n_in_force += int((y <= year).sum())
            n_unknown += int(undated_rows.sum())
            unknown_codes |= {c for c, s in states.items() if s == "unknown"}
        # the static map draws what is in force; the page draws all and restyles by year
        drawn = [c for c, s in states.items() if s in ("named", "proposed")]
        g = feats[feats["code"].isin(drawn if year is not None else list(entries))].copy()
        g = styled(g, color, color, 1.4, 0.45, "", hatch)
        prop = g["code"].map(states).eq("proposed").to_numpy()
        g.loc[prop, "fill_opacity"] = PROPOSED_OPACITY
        g.loc[prop, "dash"] = "4 3"
        g.loc[prop, "hatch"] = ""

        details = {}
        for r in rows.to_dict("records"):
            bits = [
                level_label(r["level"], lang),
                batch_label(r["batch"], lang),
                text("year_n", lang, n=r["year"]) if r["year"] else t("year_unknown"),
                t("state_proposed") if r["state"] == "proposed" else "",
            ]
            line = text("comma_sep", lang).join(b for b in bits if b)
            details.setdefault(r["county_code"], []).append((localized(r, "designation", lang), line))
        g["tooltip"] = [tt + details[code] for tt, code in zip(g["tooltip"], g["code"], strict=True)]
        label = t("cat_" + cat)
        n_named = sum(s == "named" for s in states.values())
        n_prop = sum(s == "proposed" for s in states.values())
        items = [LegendItem(label, color, "patch", hatch, count=n_named, state="named")]
        if n_prop or any(e[1] is not None for e in entries.values()):
            items.append(
                LegendItem(f"{label} · {t('state_proposed')}", color, "dashed", count=n_prop, state="proposed")
            )
        layers.append(
            Layer(
                label,
                "polygons",
                g,
                Legend(label, items),
                show=cat in shown,
                facet=cat,
                timeline=entries,
            )
        )
        facets.append(cat)
    if year is not None and unknown_codes:
        g = styled(feats[feats["code"].isin(sorted(unknown_codes))], "none", UNKNOWN_EDGE, 1.1, 0.0, "2 3")
        label = t("year_unknown")
        layers.append(
            Layer(
                label,
                "polygons",
                g,
                Legend(label, [LegendItem(label, UNKNOWN_EDGE, "outline", count=n_unknown, state="unknown")]),
                interactive=False,
                facet="year_unknown",
            )
        )
    layers.append(city_border_layer(atlas, lang))
    own = st[st["in_force"] != ""]
    subtitle = (
        text("subtitle_status", lang, n=len(own))
        if year is None
        else text("subtitle_status_year", lang, year=year, n=n_in_force, u=n_unknown)
    )
    return Theme(
        "status",
        lang,
        text("status", lang),
        subtitle,
        source_line(lang, atlas),
        layers,
        county_labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
        facets=facets,
        counts={"in_force": n_in_force, "unknown": n_unknown} if year is not None else {},
    )
