"""The overview theme."""

from __future__ import annotations

from ..naming import city_name
from ..words import by_lang, edition_name, member_label, text
from .base import (
    CITY_COLORS,
    MEMBER_EDGE,
    PARTNER_EDGE,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    context_layer,
    county_features,
    county_labels,
    source_line,
    styled,
)


def overview(atlas, lang="zh", detail=True) -> Theme:
    feats = county_features(atlas, lang, detail)
    reg = atlas.registry
    members = feats[feats["member"]]
    g = styled(members, members["city_code"].map(CITY_COLORS), MEMBER_EDGE, 0.6, 0.9)
    cities = sorted(members["city_code"].unique())
    legend = Legend(
        text("by_city", lang, ed=edition_name(atlas.edition, lang)),
        [LegendItem(city_name(reg, c, lang), CITY_COLORS[c]) for c in cities],
    )
    partner_codes = atlas.counties.loc[atlas.counties["is_partner"], "code"]
    pg = styled(feats[feats["code"].isin(partner_codes)], "none", PARTNER_EDGE, 1.8, 0.0)
    layers = [
        context_layer(atlas, lang, feats),
        Layer(member_label(atlas.edition, lang), "polygons", g, legend),
        Layer(
            text("partner_outline", lang),
            "polygons",
            pg,
            Legend(text("partners", lang), [LegendItem(text("partner_outline", lang), PARTNER_EDGE, "outline")]),
            interactive=False,
        ),
        city_border_layer(atlas, lang),
    ]
    return Theme(
        "overview",
        lang,
        text("overview", lang, ed=edition_name(atlas.edition, lang)),
        text(
            "edition",
            lang,
            title=by_lang(lang, atlas.edition.title, edition_name(atlas.edition, lang)),
            date=atlas.edition.date,
        ),
        source_line(lang, atlas),
        layers,
        county_labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
    )
