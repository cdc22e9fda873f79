"""The policy theme."""

from __future__ import annotations

import numpy as np

from ..naming import localized
from ..words import text
from .base import (
    CONTEXT_EDGE,
    MEMBER_EDGE,
    SEQUENTIAL,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    classify_counts,
    count_labels,
    county_features,
    county_labels,
    source_line,
    styled,
)

#: no clause: lighter than the other counties' grey, so that the palest class stays apart
#: from it under deuteranopia and protanopia too (tests/test_palettes.py)
ZERO_FILL = "#f3f2ef"


def policy(atlas, lang="zh", detail=True) -> Theme:
    feats = county_features(atlas, lang, detail)
    t = lambda k: text(k, lang)  # noqa: E731
    cov = atlas.coverage.drop_duplicates(["county_code", "document", "clause"])
    layers = []
    docs = [("", t("all_documents"))] + [
        (d["document"], localized(d, "short_title", lang) or localized(d, "title", lang))
        for _, d in atlas.documents.iterrows()
        if d["document"] in set(cov["document"])
    ]
    for i, (doc, label) in enumerate(docs):
        sub = cov if not doc else cov[cov["document"] == doc]
        counts = feats["code"].map(sub.groupby("county_code").size()).fillna(0).to_numpy()
        bins, idx = classify_counts(counts)
        palette = SEQUENTIAL[-len(bins) :] if len(bins) < len(SEQUENTIAL) else SEQUENTIAL
        fill = np.where(idx == 0, ZERO_FILL, np.array([ZERO_FILL, *palette])[idx])
        edge = np.where(feats["member"], MEMBER_EDGE, CONTEXT_EDGE)
        g = styled(feats, fill, edge, np.where(feats["member"], 0.8, 0.4), 0.92)
        g["tooltip"] = [[*tt, (t("clauses"), str(int(n)))] for tt, n in zip(g["tooltip"], counts, strict=True)]
        labels = count_labels(bins, counts, idx)
        legend = Legend(
            f"{t('policy_legend')}: {label}",
            [LegendItem("0", ZERO_FILL)] + [LegendItem(lb, c) for lb, c in zip(labels, palette, strict=True)],
            ordered=True,
        )
        layers.append(Layer(label, "polygons", g, legend, show=(i == 0), base=True, facet=doc))
    layers.append(city_border_layer(atlas, lang))
    return Theme(
        "policy",
        lang,
        text("policy", lang),
        text("subtitle_policy", lang),
        source_line(lang, atlas),
        layers,
        county_labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
        facets=[d for d, _ in docs[1:]],
    )
