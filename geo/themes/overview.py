"""The overview theme."""

from __future__ import annotations

from .base import (
    CITY_COLORS,
    MEMBER_EDGE,
    PARTNER_EDGE,
    Layer,
    Legend,
    LegendItem,
    Theme,
    _city_border_layer,
    _city_name,
    _context_layer,
    _features,
    _labels,
    _source,
    _style,
)
from .text import edition_name, member_label, text


def overview(atlas, lang="zh", detail=True) -> Theme:
    feats = _features(atlas, lang, detail)
    reg = atlas.registry
    members = feats[feats["member"]]
    g = _style(members, members["city_code"].map(CITY_COLORS), MEMBER_EDGE, 0.6, 0.9)
    cities = sorted(members["city_code"].unique())
    legend = Legend(
        text("by_city", lang, ed=edition_name(atlas.edition, lang)),
        [LegendItem(_city_name(reg, c, lang), CITY_COLORS[c]) for c in cities],
    )
    partner_codes = atlas.counties.loc[atlas.counties["is_partner"], "code"]
    pg = _style(feats[feats["code"].isin(partner_codes)], "none", PARTNER_EDGE, 1.8, 0.0)
    layers = [
        _context_layer(atlas, lang, feats),
        Layer(member_label(atlas.edition, lang), "polygons", g, legend),
        Layer(
            text("partner_outline", lang),
            "polygons",
            pg,
            Legend(text("partners", lang), [LegendItem(text("partner_outline", lang), PARTNER_EDGE, "outline")]),
            interactive=False,
        ),
        _city_border_layer(atlas, lang),
    ]
    return Theme(
        "overview",
        lang,
        text("overview", lang, ed=edition_name(atlas.edition, lang)),
        text("edition", lang, title=atlas.edition.title, date=atlas.edition.date),
        _source(lang),
        layers,
        _labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
    )
