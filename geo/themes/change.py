"""The change theme: the editions of the list on one map (in every edition, moved out or
added at each edition)."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd

from ..geometry import dissolve
from ..naming import unit_name
from ..words import by_lang, text
from .base import (
    CONTEXT_FILL,
    MEMBER_EDGE,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    context_layer,
    county_features,
    curve,
    source_line,
    styled,
)

#: Paul Tol's muted scheme: distinct for colour-blind readers, and hatched for greyscale;
#: one colour and hatch per kind of change, darker for each later edition
KEPT_STYLE = ("#88CCEE", "")
OUT_STYLES = [("#CC6677", "///"), ("#882255", "\\\\"), ("#AA4499", "xx")]
IN_STYLES = [("#117733", "..."), ("#44AA99", "oo"), ("#999933", "++")]


def _change_links(atlas, lang: str, changed: set[str]) -> Layer:
    """The pairings of the counties that left or joined, as arrows from the county to its
    partner (its city's representative point for a functional zone), dashed when low."""
    t = lambda k, **kw: text(k, lang, **kw)  # noqa: E731
    c = atlas.counties
    point = dict(zip(c["code"], c.geometry.representative_point(), strict=True))
    city_point = {code: dissolve(grp.geometry.values).representative_point() for code, grp in c.groupby("city_code")}
    rows = []
    p = atlas.pairings
    for _, r in p[p["mountain_code"].isin(changed) & (p["partner"] != "")].iterrows():
        a = point.get(r["mountain_code"])
        b = point.get(r["partner_code"]) if r["partner_code"] else city_point.get(r["partner_city_code"])
        if a is None or b is None:
            continue
        a_name = unit_name(atlas, r["mountain_code"], r["mountain_county"], lang)
        b_name = unit_name(atlas, r["partner_code"], r["partner"], lang)
        rows.append({"code": r["mountain_code"], "confidence": r["confidence"],
                     "tooltip": [(f"{a_name} → {b_name}", "")], "popup": [],
                     "geometry": curve((a.x, a.y), (b.x, b.y))})  # fmt: skip
    lk = gpd.GeoDataFrame(rows, columns=["code", "confidence", "tooltip", "popup", "geometry"], crs="EPSG:4326")
    lk = styled(lk, "none", LINK_COLOR, 1.0, 0.0, "")
    lk["dash"] = np.where(lk["confidence"] == "low", "6 5", "")
    label = t("change_links")
    return Layer(label, "lines", lk, Legend(label, [LegendItem(label, LINK_COLOR, "line", count=len(lk))]), arrows=True)


#: the arrows of the pairings of the counties that changed: dark, apart from every class colour
LINK_COLOR = "#333333"


def _history(editions, code) -> tuple[tuple[str, str], ...]:
    """The changes of one county across the editions: ((out|in, edition id), …); () when
    it is in every edition."""
    events = []
    for a, b in itertools.pairwise(editions):
        if (code in a.members) and (code not in b.members):
            events.append(("out", b.id))
        elif (code not in a.members) and (code in b.members):
            events.append(("in", b.id))
    return tuple(events)


def change(atlas, lang="zh", detail=True, old: str | None = None, new: str | None = None, links: bool = False) -> Theme:
    """The editions of the list compared on one map: counties in every edition, and those
    moved out or added at each edition (default: every edition of the registry, in date
    order; ``old`` and ``new`` compare two). ``links`` draws the pairings of the counties
    that left or joined (from the pairings layer, whatever edition the atlas is of)."""
    reg = atlas.registry
    ids = sorted(reg.editions, key=lambda e: reg.editions[e].date)
    if old or new:
        editions = [reg.edition(old or ids[0]), reg.edition(new or ids[-1])]
    else:
        editions = [reg.editions[e] for e in ids]
    codes = sorted({c for e in editions for c in e.members})
    cls = {c: _history(editions, c) for c in codes}
    t = lambda k, **kw: text(k, lang, **kw)  # noqa: E731
    order = [()] + [((k, e.id),) for e in editions[1:] for k in ("out", "in")]
    order += sorted({h for h in cls.values() if len(h) > 1})  # several changes: listed last

    def name(h):
        if not h:
            return t("change_kept_all", n=len(editions))
        return t("list_sep").join(t(f"change_{k}", year=e) for k, e in h)

    def style(h):
        if not h:
            return KEPT_STYLE
        k, e = h[-1]
        i = [x.id for x in editions[1:]].index(e)
        pal = OUT_STYLES if k == "out" else IN_STYLES
        return pal[min(i, len(pal) - 1)]

    feats = county_features(atlas, lang, detail)
    feats["member"] = feats["code"].isin(cls)  # "other counties" are those in no edition
    short = dict(zip(atlas.counties["code"], atlas.counties[by_lang(lang, "short_name", "romanized")], strict=True))
    sel = feats[feats["member"]].copy()
    sel["class"] = sel["code"].map(cls)
    g = styled(sel, [style(h)[0] for h in sel["class"]], MEMBER_EDGE, 0.8, 0.85)
    g["hatch"] = [style(h)[1] for h in sel["class"]]
    g["tooltip"] = [[*tt, (t("change"), name(h))] for tt, h in zip(g["tooltip"], sel["class"], strict=True)]
    sep = t("list_sep")
    items = []
    for h in order:
        members = [c for c in codes if cls[c] == h]
        if not members and h:
            continue
        listed = "" if not h else ": " + sep.join(short[c] for c in members)
        color, hatch = style(h)
        items.append(LegendItem(name(h) + listed, color, "patch", hatch, count=len(members)))
    arrow = " → "
    title = arrow.join(t("paren", a=by_lang(lang, e.title, e.title_en or e.title), b=e.date) for e in editions)
    legend = Legend(title, items)
    ctx = context_layer(atlas, lang, feats, CONTEXT_FILL)
    layers = [ctx, Layer(t("change"), "polygons", g, legend), city_border_layer(atlas, lang)]
    if links:
        layers.append(_change_links(atlas, lang, {c for c, h in cls.items() if h}))
    members = atlas.counties[atlas.counties["code"].isin(cls)]
    pts = members.geometry.representative_point()
    labels = pd.DataFrame(
        {
            "code": members["code"].to_numpy(),
            "x": pts.x.to_numpy(),
            "y": pts.y.to_numpy(),
            "text": [short[c] for c in members["code"]],
            "full": [by_lang(lang, n, r) for n, r in zip(members["name"], members["romanized"], strict=True)],
            "kind": np.full(len(members), "member"),
        }
    )
    parts = [t("class_count", label=it.label.split(":")[0], n=it.count) for it in items]
    eds = t("list_sep").join(e.id for e in editions)
    return Theme(
        "change",
        lang,
        t("change_title"),
        t("change_subtitle", eds=eds, parts=t("semi_sep").join(parts)),
        source_line(lang, atlas),
        layers,
        labels,
        tuple(atlas.counties.total_bounds),
    )
