"""The status theme."""

from __future__ import annotations

import numpy as np

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
    _city_border_layer,
    _features,
    _labels,
    _source,
    _style,
)
from .text import member_label, text


def status(atlas, lang="zh", detail=True) -> Theme:
    feats = _features(atlas, lang, detail)
    t = lambda k: text(k, lang)  # noqa: E731
    st = atlas.status[(atlas.status["via"] == "") & (atlas.status["state"] != "target")]
    base = _style(
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
    facets = []
    shown = {"eco_demo", "liangshan_base", "common_prosperity_pilot", "national_park"}
    for cat, (color, hatch) in STATUS_CATEGORIES.items():
        rows = st[st["category"] == cat]
        if rows.empty:
            continue
        codes = rows["county_code"].unique()
        g = feats[feats["code"].isin(codes)].copy()
        g = _style(g, color, color, 1.4, 0.45, "", hatch)

        def detail(code, rows=rows):
            out = []
            for _, s in rows[rows["county_code"] == code].iterrows():
                bits = [
                    text(s["level"], lang) if s["level"] else "",
                    f"{t('batch')} {s['batch']}" if s["batch"] else "",
                    s["year"],
                    t("state_proposed") if s["state"] == "proposed" else "",
                ]
                out.append((s["designation"], ", ".join(b for b in bits if b)))
            return out

        g["tooltip"] = [tt + detail(code) for tt, code in zip(g["tooltip"], g["code"], strict=True)]
        label = t("cat_" + cat)
        layers.append(
            Layer(
                label,
                "polygons",
                g,
                Legend(label, [LegendItem(label, color, "patch", hatch)]),
                show=cat in shown,
                facet=cat,
            )
        )
        facets.append(cat)
    layers.append(_city_border_layer(atlas, lang))
    return Theme(
        "status",
        lang,
        text("status", lang),
        text("subtitle_status", lang, n=len(st)),
        _source(lang),
        layers,
        _labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
        facets=facets,
    )
