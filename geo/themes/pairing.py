"""The pairing theme."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from ..geometry import digest
from ..indicators import classify
from ..naming import city_name, enclave_line, localized, unit_name
from ..sources import cite
from ..words import by_lang, confidence_label, edition_name, enclave_label, member_label, text
from .base import (
    CITY_COLORS,
    ENCLAVE_STYLE,
    MEMBER_EDGE,
    MEMBER_PLAIN_FILL,
    NO_PARTNER_FILL,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    context_layer,
    county_features,
    county_labels,
    curve,
    source_line,
    styled,
    theme_extent,
)
from .indicator import class_labels, fmt_number, sequential

#: the confidence entries' sample line: near black, apart from every city's colour
SAMPLE_LINE = "#222222"
#: how far below a county's label its enclaves sit, and apart from each other (degrees)
ENCLAVE_DROP, ENCLAVE_STEP = 0.09, 0.075
#: how far inside its host's border a marker stays (degrees, about a marker's half-width)
ENCLAVE_INSET = 0.02
#: how far a marker keeps from a county's point, where its label is (degrees, A4 map: the
#: label's half-width and half-height and a marker's half-width)
LABEL_HALF = (0.1, 0.075)


def _grid_inside(inner, x, y, n) -> tuple[list, bool]:
    """``n`` points inside ``inner`` nearest the label at (x, y) but off it (the label, drawn
    over the markers, would hide them) and a marker apart: for a district too small for a
    row. A fine grid is searched; where it has too few cells, markers share them. Returns the
    points and whether they are all apart and off the label."""
    k, step, apart = np.cos(np.radians(y)), ENCLAVE_STEP / 4, ENCLAVE_STEP * 0.75
    x0, y0, x1, y1 = inner.bounds
    grid = [shapely.Point(gx, gy) for gx in np.arange(x0, x1, step / k) for gy in np.arange(y0, y1, step)]
    grid = [g for g in grid if inner.contains(g)] or [inner.representative_point()]

    def key(g):
        on_label = abs(g.x - x) * k < LABEL_HALF[0] and abs(g.y - y) < LABEL_HALF[1]
        return on_label, ((g.x - x) * k) ** 2 + (g.y - y) ** 2

    picked: list = []
    for g in sorted(grid, key=key):
        if all(((g.x - q.x) * k) ** 2 + (g.y - q.y) ** 2 >= apart**2 for q in picked):
            picked.append(g)
            if len(picked) == n:
                break
    return [picked[j % len(picked)] for j in range(n)], len(picked) == n and not any(key(g)[0] for g in picked)


#: the insets of host counties by the hash of their shape: each pairing map (a page, a report,
#: a deck draws several) would otherwise buffer the same full-detail polygons again
_INSETS: dict[str, list] = {}


def _insets(area) -> list:
    """``area`` shrunk by a marker's half-width, by half that, and as it is (empty ones left
    out); none for no area."""
    if area is None:
        return []
    key = digest([area])
    if key not in _INSETS:
        if len(_INSETS) > 512:
            _INSETS.clear()
        shrunk = [area.buffer(-d) for d in (ENCLAVE_INSET, ENCLAVE_INSET / 2)]
        _INSETS[key] = [a for a in shrunk if not a.is_empty] + [area]
    return _INSETS[key]


def _enclave_positions(points, areas) -> list:
    """Where each enclave is drawn: the enclaves of one point (a host county's
    representative point, where its label sits) in a row just below it, or above it, or
    beside it, wherever the whole row stays inside the host (``areas``); a district too
    small for a row takes its markers on a grid inside it, nearest the label. A marker never
    shows in a neighbour."""
    groups: dict = {}
    for i, p in enumerate(points):
        groups.setdefault((round(p.x, 6), round(p.y, 6)), []).append(i)
    out = [None] * len(points)
    for (x, y), idx in groups.items():
        k, n = np.cos(np.radians(y)), len(idx)
        area = areas[idx[0]]
        # a marker's half-width inside the border; less where a district is too small for it
        insets = _insets(area)
        inner = insets[0] if insets else None

        def row(dx, dy, k=k, n=n, x=x, y=y):
            return [shapely.Point(x + (dx + j - (n - 1) / 2) * ENCLAVE_STEP / k, y + dy) for j in range(n)]

        rows = [row(dx, dy) for dy in (-ENCLAVE_DROP, ENCLAVE_DROP, -1.5 * ENCLAVE_DROP) for dx in (0, -0.5, 0.5)]
        fits = [r for r in rows if inner is None or all(inner.contains(p) for p in r)]
        if fits:
            chosen = fits[0]
        else:
            tries = [_grid_inside(a, x, y, n) for a in insets]
            chosen = next((pts for pts, ok in tries if ok), tries[0][0])
        for i, p in zip(idx, chosen, strict=True):
            out[i] = p
    return out


def enclave_layer(atlas, lang: str) -> Layer | None:
    """The enclaves (飞地) as a point layer: a marker per kind in the host county, its
    tooltip and popup naming whose enclave it is, where, when, and its sources. None when
    the atlas has no enclaves."""
    e = atlas.enclaves
    if e is None or not len(e):
        return None
    t = lambda k: text(k, lang)  # noqa: E731
    g = e.copy()
    # drawn beside the point, never on the county's label; the data keep the point itself
    shapes = atlas.counties.set_index("code").geometry
    areas = [shapes.get(h) if h else next((a for a in shapes if a.contains(p)), None)
             for h, p in zip(e["host_code"], e.geometry, strict=True)]  # fmt: skip
    g["geometry"] = _enclave_positions(list(e.geometry), areas)
    g["shape"] = [ENCLAVE_STYLE[k][0] for k in e["kind"]]
    g["fill"] = [ENCLAVE_STYLE[k][1] for k in e["kind"]]
    g["edge"], g["weight"], g["fill_opacity"], g["dash"], g["hatch"], g["size"] = "#111111", 0.8, 1.0, "", "", 6.0
    g["ends"] = [[c for c in (h, b) if c] for h, b in zip(e["host_code"], e["beneficiary_code"], strict=True)]
    reg = atlas.registry

    def where(r):
        host = localized(r, "host", lang)
        if r["location"] == "site":
            return t("enclave_at_site"), cite(r["location_source"], atlas.sources, lang)
        if r["location"] == "city":
            city = reg.cities[r["host_city_code"]]
            return text("enclave_at_city", lang, h=by_lang(lang, city.name, city.romanized)), []
        c = reg.counties[r["host_code"]]
        return text("enclave_at_county", lang, h=by_lang(lang, c.name, c.romanized or host)), []

    def b_name(r):
        c = reg.counties[r["beneficiary_code"]]
        return by_lang(lang, c.name, c.romanized)

    def host_name(r):
        if not r["host_code"]:
            return localized(r, "host", lang)
        c = reg.counties[r["host_code"]]
        return by_lang(lang, c.name, c.romanized)

    # one row per enclave under the layer's name: the table view lists it under its host county
    g["tooltip"] = [
        [(t("enclaves"), ""), (localized(r, "name", lang), t("semi_sep").join(bits))]
        for _, r in e.iterrows()
        for bits in [[text("enclave_of", lang, b=b_name(r), kind=enclave_label(r["kind"], lang), h=host_name(r)),
                      enclave_label(r["status"], lang), f"{t('confidence')} {confidence_label(r['confidence'], lang)}"]]
    ]  # fmt: skip
    g["popup"] = [
        [(localized(r, "name", lang), [(enclave_line(atlas, r, lang, named=False), cite(r["source"], atlas.sources, lang)),
                                       *([(text("label_value", lang, k=t("enclave_scale"), v=localized(r, "scale", lang)), [])]
                                         if r["scale"] else []),
                                       (localized(r, "note", lang), []), where(r)])]
        for _, r in e.iterrows()
    ]  # fmt: skip
    kinds = [k for k in ENCLAVE_STYLE if (e["kind"] == k).any()]
    legend = Legend(
        t("enclaves"),
        [LegendItem(enclave_label(k, lang), ENCLAVE_STYLE[k][1], "point", shape=ENCLAVE_STYLE[k][0],
                    count=int((e["kind"] == k).sum())) for k in kinds],
    )  # fmt: skip
    cols = ["id", "name", "kind", "host_code", "beneficiary_code", "shape", "fill", "edge", "weight", "fill_opacity",
            "dash", "hatch", "size", "ends", "tooltip", "popup", "geometry"]  # fmt: skip
    return Layer(t("enclaves"), "points", gpd.GeoDataFrame(g[cols], geometry="geometry", crs=e.crs), legend)


def pairing(atlas, lang="zh", detail=True, gaps=None) -> Theme:
    """Curved arrows from each mountain county to its partners; with ``gaps`` (from
    :func:`geo.indicators.pair_gaps`) each link is coloured by the partner / mountain ratio."""
    feats = county_features(atlas, lang, detail)
    reg = atlas.registry
    members = feats[feats["member"]]
    status = atlas.counties.set_index("code").loc[members["code"], "pairing_status"].values
    fill = np.where(status == "no sourced partner", NO_PARTNER_FILL, MEMBER_PLAIN_FILL)
    hatch = np.where(status == "no sourced partner", "///", "")
    g = styled(members, fill, MEMBER_EDGE, 0.7, 0.95)
    g["hatch"] = hatch
    links = atlas.links.copy()
    links["geometry"] = [curve(ln.coords[0], ln.coords[-1]) for ln in links.geometry]
    links["edge"] = links["partner_city_code"].map(CITY_COLORS)
    links["fill"], links["fill_opacity"], links["hatch"] = "none", 0.0, ""
    links["weight"] = np.where(links["confidence"] == "high", 2.6, 2.0)
    links["dash"] = np.where(links["confidence"] == "low", "6 5", "")
    t = lambda k: text(k, lang)  # noqa: E731

    def link_text(r):
        a = unit_name(atlas, r["mountain_code"], r["mountain_county"], lang)
        b = unit_name(atlas, r["partner_code"], r["partner"], lang)
        return [
            (f"{a} → {b}", ""),
            (t("city"), city_name(reg, r["partner_city_code"], lang)),
            (t("confidence"), confidence_label(r["confidence"], lang)),
            (t("since"), r["since"] or t("unknown")),
            (t("distance"), f"{r['distance_km']} km"),
        ]

    links["tooltip"] = [link_text(r) for _, r in links.iterrows()]
    links["popup"] = [
        [(link_text(r)[0][0], [(localized(r, "round", lang), cite(r["source"], atlas.sources, lang)),
                               (localized(r, "note", lang), "")])]
        for _, r in links.iterrows()
    ]  # fmt: skip
    cities = sorted(links["partner_city_code"].unique())
    link_legend = Legend(
        t("links_by_city"),
        [LegendItem(city_name(reg, c, lang), CITY_COLORS[c], "line") for c in cities]
        + [LegendItem(t("high_conf"), SAMPLE_LINE, "line"), LegendItem(t("low_conf"), SAMPLE_LINE, "dashed")],
    )
    if gaps is not None:
        key = dict(zip(zip(gaps["mountain_code"], gaps["partner"], strict=False), gaps["ratio"], strict=True))
        ratio = np.array(
            [key.get((m, p), np.nan) for m, p in zip(links["mountain_code"], links["partner"], strict=True)]
        )
        ok = ~np.isnan(ratio)
        if ok.any():
            edges, idx = classify(ratio, "quantiles", min(5, int(ok.sum())))
            palette = sequential(len(edges), start=4)  # darker than the grey city border for every reader
            links["edge"] = [palette[i] if i >= 0 else "#9a9a9a" for i in idx]
            labels = class_labels(edges, ratio, idx)
            counts = [int((idx == i).sum()) for i in range(len(edges))]
            items = [LegendItem(lb, c, "line", count=n) for lb, c, n in zip(labels, palette, counts, strict=True)]
        else:
            items = []
        if (~ok).any():
            items.append(LegendItem(t("no_data"), "#9a9a9a", "line", count=int((~ok).sum())))
        items += [LegendItem(t("high_conf"), SAMPLE_LINE, "line"), LegendItem(t("low_conf"), SAMPLE_LINE, "dashed")]
        link_legend = Legend(text("ratio_legend", lang, label=gaps.attrs.get("label", "")), items, ordered=True)
        links["tooltip"] = [
            [*tt, ("ratio", fmt_number(r) if not np.isnan(r) else t("no_data"))]
            for tt, r in zip(links["tooltip"], ratio, strict=True)
        ]
    member_legend = Legend(
        edition_name(atlas.edition, lang),
        [
            LegendItem(t("with_partner"), MEMBER_PLAIN_FILL),
            LegendItem(t("no_partner"), NO_PARTNER_FILL, "patch", "///"),
        ],
    )
    ctx = context_layer(atlas, lang, feats)
    # partners get a light tint of their city's colour so the arrow's end is findable
    partner_mask = ctx.data["code"].isin(atlas.counties.loc[atlas.counties["is_partner"], "code"])
    ctx.data.loc[partner_mask, "fill"] = ctx.data.loc[partner_mask, "city_code"].map(CITY_COLORS)
    ctx.data.loc[partner_mask, "fill_opacity"] = 0.35
    layers = [
        ctx,
        Layer(member_label(atlas.edition, lang), "polygons", g, member_legend),
        city_border_layer(atlas, lang),
        Layer(
            t("pairings"),
            "lines",
            gpd.GeoDataFrame(links, geometry="geometry", crs=links.crs),
            link_legend,
            arrows=True,
        ),
    ]
    enclaves = enclave_layer(atlas, lang)
    if enclaves is not None:
        layers.append(enclaves)
    n_gaps = int((status == "no sourced partner").sum())
    gap_rows = members[status == "no sourced partner"]
    gap_names = text("list_sep", lang).join(gap_rows[by_lang(lang, "short_name", "romanized")]) or "—"
    return Theme(
        "pairing",
        lang,
        text("pairing", lang),
        text("subtitle_pairing", lang, n=len(links), gaps=n_gaps, names=gap_names),
        source_line(lang, atlas),
        layers,
        county_labels(atlas, lang, include_partners=True),
        theme_extent(atlas),
    )
