"""Shared pieces of every theme: palettes, the Layer/Legend/Theme records, county
features with their tooltips and popups, context layers, labels."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._frames import records
from .._memo import remember
from ..geometry import coverage_union, digest, dissolve, group_borders, polygonal
from ..naming import city_name, enclave_line, localized, unit_name, via_name, zone_name
from ..sources import cite
from ..words import (
    COMPILED,
    batch_label,
    by_lang,
    clause_label,
    confidence_label,
    edition_name,
    level_label,
    member_label,
    state_label,
    text,
)

CITY_COLORS = {
    "3301": "#CC6677",  # 杭州
    "3302": "#332288",  # 宁波
    "3303": "#DDCC77",  # 温州
    "3304": "#117733",  # 嘉兴
    "3305": "#88CCEE",  # 湖州
    "3306": "#882255",  # 绍兴
    "3307": "#44AA99",  # 金华
    "3308": "#777722",  # 衢州 (darker than Tol's olive: apart from 丽水 under deuteranopia)
    "3309": "#77AADD",  # 舟山
    "3310": "#AA4499",  # 台州
    "3311": "#EE8866",  # 丽水
}
CONTEXT_FILL = "#e6e4df"
CONTEXT_EDGE = "#ffffff"
MEMBER_EDGE = "#5a5a5a"
PARTNER_EDGE = "#1a1a1a"
#: light enough to stay apart from every city's link colour under deuteranopia and
#: protanopia (a mid grey reads as 杭州's rose to a protanope), a little wider to compensate
CITY_EDGE = "#bbbbbb"
CITY_EDGE_WEIGHT = 1.5
NO_PARTNER_FILL = "#f2c4c4"
MEMBER_PLAIN_FILL = "#fdf0c4"  # 11 ΔE' from the other counties' grey, for every reader
BACKGROUND = "#f7f6f2"
# sequential, light to dark; readable in greyscale (ColorBrewer YlGnBu)
SEQUENTIAL = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]

#: an enclave's marker by its kind: (shape, fill); told apart by shape first, so in grey too
ENCLAVE_STYLE = {
    "industrial": ("square", "#3a3a3a"),
    "science": ("triangle", "#ffffff"),
    "village-income": ("circle", "#c8571b"),
    "other": ("diamond", "#7b5ea7"),
}

STATUS_CATEGORIES = {
    # category: (colour, hatch for print and greyscale; two strokes per cell keep SVG small)
    "eco_demo": ("#117733", "//"),
    "liangshan_base": ("#44AA99", "\\\\"),
    "common_prosperity_pilot": ("#CC6677", ".."),
    "national_park": ("#332288", "xx"),
    "eco_pilot": ("#DDCC77", "--"),
    "dahuayuan_demo": ("#AA4499", "||"),
    "eco_county_old": ("#999933", "++"),
    "nuclear_site": ("#882255", "oo"),
}


@dataclass
class LegendItem:
    label: str
    color: str
    kind: str = "patch"  # patch | outline | line | dashed | point
    hatch: str = ""
    shape: str = ""  # a point's marker: square | triangle | circle | diamond
    count: int | None = None  # shown after the label; the HTML year slider updates it
    state: str = ""  # named | proposed | unknown: which count the slider recomputes

    def text(self) -> str:
        """The label with its count, as both renderers print it."""
        if self.count is None:
            return self.label
        cjk = any("\u4e00" <= ch <= "\u9fff" for ch in self.label)
        return f"{self.label}（{self.count}）" if cjk else f"{self.label} ({self.count})"


@dataclass
class Legend:
    title: str
    items: list[LegendItem]
    #: the items are classes of one ordered quantity (a ramp): ``--mono`` keeps them in order
    ordered: bool = False


@dataclass
class Layer:
    """Styled features: ``data`` has geometry and the columns fill, edge, weight,
    fill_opacity, dash, hatch, and optionally ``tooltip`` (list of (label, value)) and
    ``popup`` (list of (heading, [lines])) per feature. A ``points`` layer adds ``shape``
    (square, triangle, circle, diamond) and ``size`` (the marker's width in points); a
    feature's ``ends`` (county codes) tie it to the counties it concerns, so that a
    county's own page dims the others."""

    name: str
    kind: str  # polygons | lines | points
    data: gpd.GeoDataFrame
    legend: Legend | None = None
    show: bool = True
    interactive: bool = True
    arrows: bool = False
    base: bool = False  # one of a set of mutually exclusive layers (radio in the layer control)
    group: str = ""
    facet: str = ""  # the facet this layer belongs to (small multiples)
    #: per county code: [year named, year proposed, has an undated row] for the year slider
    timeline: dict | None = None
    #: an indicator over time, for the page's year slider: ``years``, ``start`` and per year the
    #: fill and tooltip of each county and the count of each legend class (by its ``state``)
    frames: dict | None = None


@dataclass
class Theme:
    id: str
    lang: str
    title: str
    subtitle: str
    source: str
    layers: list[Layer]
    labels: pd.DataFrame  # x, y, text, short, priority
    extent: tuple[float, float, float, float]
    facets: list[str] = field(default_factory=list)
    #: figures the theme's words were made from (status by year: in_force, unknown)
    counts: dict = field(default_factory=dict)
    #: drawn to read in grey (``--mono``): the static renderer greys its furniture too
    mono: bool = False


# ---------------------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------------------


def _name(row, lang) -> str:
    return by_lang(lang, row["name"], row["name_en"])


def _short(row, lang) -> str:
    return by_lang(lang, row["short_name"], row["romanized"])


def _tooltip(row, atlas, lang):
    reg = atlas.registry
    t = lambda k: text(k, lang)  # noqa: E731
    items = [(t("city"), city_name(reg, row["city_code"], lang))]
    if row["member"]:
        items.append((t("membership"), f"{member_label(atlas.edition, lang)} ({edition_name(atlas.edition, lang)})"))
        items.append((t("partners"), _join(atlas, row["partners"], lang) or t("no_partner")))
    else:
        items.append((t("membership"), t("not_member")))
        if row["partner_of"]:
            items.append((t("partner_of"), _join(atlas, row["partner_of"], lang)))
    return [(_name(row, lang), ""), *items]


def _join(atlas, names: str, lang: str) -> str:
    """The layer's names (joined by 、) in ``lang``: a county by its name or romanisation, a
    functional zone by its own name."""
    if not names:
        return ""
    out = []
    for n in names.split("、"):
        c = atlas.registry.find_county(n)
        out.append(by_lang(lang, n, c.romanized) if c else zone_name(atlas, n, lang))
    return text("list_sep", lang).join(out)


def _grouped(records, *keys) -> dict[str, list[dict]]:
    """Records listed under each of their non-empty ``keys`` values, in their order."""
    out: dict[str, list[dict]] = {}
    for r in records:
        for k in keys:
            if r[k]:
                out.setdefault(r[k], []).append(r)
    return out


def _popups(atlas, lang) -> dict[str, list]:
    """Per county code: sections (heading, [(text, citations)]) with the sources of each
    fact, citations as (issuer · title · date, address).

    Computed once per atlas and language (every theme of a page shares them).
    """
    key = ("popups", lang)
    if key in atlas.cache:
        return atlas.cache[key]
    t = lambda k: text(k, lang)  # noqa: E731
    src = atlas.sources
    out: dict[str, list] = {}
    links = _grouped(records(atlas.links), "mountain_code", "partner_code")
    pairings = atlas.pairings
    gaps = _grouped(records(pairings[pairings["partner"] == ""]), "mountain_code")
    cov = _grouped(records(atlas.coverage.drop_duplicates(["county_code", "document", "clause"])), "county_code")
    st = _grouped(records(atlas.status), "county_code")
    enc = records(atlas.enclaves) if atlas.enclaves is not None else []
    mine, there = _grouped(enc, "beneficiary_code"), _grouped(enc, "host_code")
    reg = atlas.registry
    sep = t("semi_sep")
    for row in records(atlas.counties):
        code = row["code"]
        sections = []
        pop = row["population_2020"]
        county = reg.counties.get(code)
        pop_src = cite(county.population_source if county and county.population_source else [], src, lang)
        value = f"{int(pop):,}" if pop == pop else t("unknown")
        sections.append((_name(row, lang), [(text("label_value", lang, k=t("population"), v=value), pop_src)]))
        lines = []
        for lk in links.get(code, []):
            a = unit_name(atlas, lk["mountain_code"], lk["mountain_county"], lang)
            b = unit_name(atlas, lk["partner_code"], lk["partner"], lang)
            city = city_name(reg, lk["partner_city_code"], lang)
            bits = [text("paren", lang, a=f"{a} → {b}", b=city)]
            if lk["since"]:
                bits.append(f"{t('since')} {lk['since']}")
            bits.append(f"{t('confidence')} {confidence_label(lk['confidence'], lang)}")
            bits.append(f"{lk['distance_km']} km")
            lines.append((sep.join(bits), cite(lk["source"], src, lang)))
        for g in gaps.get(code, []):
            lines.append((t("no_partner"), cite(g["source"], src, lang)))
        if lines:
            sections.append((t("pairings"), lines))
        cl = cov.get(code, [])
        if cl:
            lines = []
            for c in cl:
                via = via_name(atlas, c["via"], lang)
                # the English falls back on either Chinese title only when neither has its English
                title = by_lang(lang, c["short_title"] or c["title"],
                                c.get("short_title_en") or c.get("title_en") or c["short_title"] or c["title"])  # fmt: skip
                head = f"{title} {clause_label(c['clause'], lang)}" + (text("via_note", lang, via=via) if via else "")
                summary = by_lang(lang, c["summary"], c.get("summary_en") or c["summary"])
                lines.append((text("label_value", lang, k=head, v=summary), cite(c["document_source"], src, lang)))
            sections.append((text("paren", lang, a=t("clauses_of"), b=len(cl)), lines))
        ss = st.get(code, [])
        if ss:
            lines = []
            for s in ss:
                bits = [level_label(s["level"], lang), batch_label(s["batch"], lang)]
                bits.append(text("year_n", lang, n=s["year"]) if s["year"] else "")
                if s["state"] != "named":
                    bits.append(state_label(s["state"], lang))
                if s["via"]:
                    bits.append(text("via_city", lang, name=via_name(atlas, s["via"], lang)))
                detail = t("comma_sep").join(b for b in bits if b)
                name = localized(s, "designation", lang)
                shown = name + (text("paren_tail", lang, b=detail) if detail else "")
                lines.append((shown, cite(s["source"], src, lang)))
            sections.append((t("statuses"), lines))
        for heading, rows in (("enclave_of_county", mine.get(code, [])), ("enclave_in_county", there.get(code, []))):
            if rows:
                lines = [(enclave_line(atlas, e, lang), cite(e["source"], src, lang)) for e in rows]
                sections.append((t(heading), lines))
        out[code] = sections
    atlas.cache[key] = out
    return out


def county_features(atlas, lang, detail=True) -> gpd.GeoDataFrame:
    """County features; ``detail`` adds tooltips and popups (HTML needs them, print does not)."""
    c = atlas.counties
    g = c[["code", "name", "short_name", "romanized", "city_code", "member", "geometry"]].copy()
    rows = records(c)
    if detail:
        popups = _popups(atlas, lang)
        g["tooltip"] = [_tooltip(r, atlas, lang) for r in rows]
        g["popup"] = [popups[code] for code in c["code"]]
    else:
        g["tooltip"] = [[(_name(r, lang), "")] for r in rows]
        g["popup"] = [[] for _ in range(len(c))]
    g["search"] = [f"{r['name']}|{r['short_name']}|{r['romanized']}" for r in rows]
    return gpd.GeoDataFrame(g, geometry="geometry", crs=c.crs)


def styled(g, fill, edge, weight=0.6, fill_opacity=0.85, dash="", hatch=""):
    g = g.copy()
    g["fill"], g["edge"], g["weight"] = fill, edge, weight
    g["fill_opacity"], g["dash"], g["hatch"] = fill_opacity, dash, hatch
    return g


def context_layer(atlas, lang, feats, fill=CONTEXT_FILL) -> Layer:
    g = styled(feats[~feats["member"]], fill, CONTEXT_EDGE, 0.5, 1.0)
    return Layer(
        text("other_counties", lang),
        "polygons",
        g,
        Legend(text("other_counties", lang), [LegendItem(text("other_counties", lang), fill)]),
        group="context",
    )


def city_polygons(counties) -> gpd.GeoDataFrame:
    """The cities as polygons, merged from their counties."""
    geoms = counties.geometry.values
    codes = sorted(set(counties["city_code"]))
    polys = [dissolve(geoms[(counties["city_code"] == code).to_numpy()]) for code in codes]
    return gpd.GeoDataFrame({"city_code": codes}, geometry=polys, crs=counties.crs)


#: city borders of the last twelve sets of counties, by a hash of their shapes and cities: every
#: theme of a page, a deck or a report draws the same borders (a quarter of a second each), and
#: each page size simplifies the shapes its own way
_BORDERS: dict = {}


def city_borders(counties) -> shapely.Geometry:
    """Borders between cities (the coastline and the provincial border left out)."""
    geoms = counties.geometry.values
    key = (digest(geoms), tuple(counties["city_code"]))
    if key not in _BORDERS:
        union = coverage_union(geoms)
        borders = None if union is None else group_borders(geoms, counties["city_code"].to_numpy(), union.boundary)
        if borders is None:  # not a clean coverage (a user's file)
            borders = overlay_city_borders(counties)
        remember(_BORDERS, key, borders, keep=12)
    return _BORDERS[key]


def overlay_city_borders(counties) -> shapely.Geometry:
    """Borders between cities by overlay, for counties that are no clean coverage: the
    cities' outlines, less the outline of their union. Both from the same city shapes: an
    outline of the counties' own union runs beside the cities' outer edges, not on them, and
    left pieces of the coast and the provincial border drawn as city borders."""
    cities = city_polygons(counties).geometry.values
    edges = shapely.union_all(shapely.boundary(cities))
    outline = polygonal(shapely.union_all(cities)).boundary
    return shapely.line_merge(edges.difference(outline))


def city_border_layer(atlas, lang) -> Layer:
    c = atlas.counties
    g = styled(
        gpd.GeoDataFrame({"code": ["cities"]}, geometry=[city_borders(c)], crs=c.crs),
        "none",
        CITY_EDGE,
        CITY_EDGE_WEIGHT,
        0.0,
    )
    return Layer(
        text("city_border", lang),
        "lines",
        g,
        Legend(text("city_border", lang), [LegendItem(text("city_border", lang), CITY_EDGE, "line")]),
        interactive=False,
        group="context",
    )


def county_labels(atlas, lang, include_partners=False) -> pd.DataFrame:
    c = atlas.counties
    sel = c["member"] | (c["is_partner"] if include_partners else False)
    c = c[sel]
    pts = c.geometry.representative_point()
    return pd.DataFrame(
        {
            "code": c["code"].values,
            "x": pts.x.values,
            "y": pts.y.values,
            "text": [_short(r, lang) for _, r in c.iterrows()],
            "full": [by_lang(lang, r["name"], r["romanized"]) for _, r in c.iterrows()],
            "kind": np.where(c["member"], "member", "partner"),
        }
    )


def theme_extent(atlas, include_partners=True):
    c = atlas.counties
    sel = c["member"] | (c["is_partner"] if include_partners else False)
    return tuple(c[sel].total_bounds) if sel.any() else tuple(c.total_bounds)


def source_line(lang, atlas=None):
    """The data line under a map: where the boundaries come from (the embedded ones, the
    user's file, or both), that every fact is cited, the compile date, the standard-map
    notice."""
    return text("source_line", lang, date=COMPILED, boundaries=boundaries_words(atlas, lang))


def boundaries_words(atlas, lang) -> str:
    """Where the atlas's boundaries come from, in words (no file name: a printed map is read
    by people who never saw the file)."""
    if atlas is None or "boundary" not in atlas.counties:
        return text("boundaries_embedded", lang)
    own = int((atlas.counties["boundary"] == "file").sum())
    if own == 0:
        return text("boundaries_embedded", lang)
    rest = len(atlas.counties) - own
    return text("boundaries_mixed", lang, n=own, m=rest) if rest else text("boundaries_file", lang)


def context_veil(atlas, lang) -> Layer | None:
    """A light veil over the units whose boundary comes from the embedded data while the
    rest come from the user's file: what the file holds stands out, the rest is context."""
    c = atlas.counties
    if "boundary" not in c or not (c["boundary"] == "file").any() or not (c["boundary"] == "embedded").any():
        return None
    g = styled(c.loc[c["boundary"] == "embedded", ["code", "geometry"]], "#ffffff", "#8c8c8c", 0.5, 0.6, dash="2,3")
    label = text("context_boundary", lang)
    return Layer(label, "polygons", g, Legend(label, [LegendItem(label, "#f4f4f4")]), interactive=False,
                 group="context")  # fmt: skip


# ---------------------------------------------------------------------------------------
# the themes
# ---------------------------------------------------------------------------------------


#: how far a pairing's arrow bows to the left of travel, as a share of its length
LINK_BEND = 0.18


def curve(p0, p1, bend: float = LINK_BEND, n: int = 32) -> shapely.LineString:
    """A quadratic Bézier from p0 to p1, bowed to the left of travel by ``bend`` × length.

    Computed in a local equirectangular frame so the bow looks the same at any bearing.
    """
    (x0, y0), (x1, y1) = p0, p1
    k = np.cos(np.radians((y0 + y1) / 2))
    ax, ay, bx, by = x0 * k, y0, x1 * k, y1
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dx, dy = bx - ax, by - ay
    cx, cy = mx - dy * bend, my + dx * bend
    t = np.linspace(0, 1, n)[:, None]
    pts = (1 - t) ** 2 * np.array([ax, ay]) + 2 * (1 - t) * t * np.array([cx, cy]) + t**2 * np.array([bx, by])
    pts[:, 0] /= k
    return shapely.LineString(pts)


def classify_counts(values, k: int = 5):
    """Class breaks for clause counts through mapclassify (Fisher–Jenks, or unique values
    when there are few distinct counts). Returns (bins, class index per value)."""
    import mapclassify

    v = np.asarray(values, dtype=float)
    distinct = np.unique(v[v > 0])
    if len(distinct) == 0:
        return np.array([0.0]), np.zeros(len(v), dtype=int)
    k = min(k, len(distinct))
    if len(distinct) <= k:
        c = mapclassify.UserDefined(v[v > 0], bins=list(distinct))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": the pure version is fast enough here
            c = mapclassify.FisherJenks(v[v > 0], k=k)
    bins = np.asarray(c.bins)
    idx = np.zeros(len(v), dtype=int)
    idx[v > 0] = np.searchsorted(bins, v[v > 0], side="left") + 1
    return bins, idx


def count_labels(bins, values, idx):
    """'lo–hi' of the values actually in each class."""
    out = []
    for k in range(1, len(bins) + 1):
        v = values[idx == k]
        lo, hi = (int(v.min()), int(v.max())) if len(v) else (int(bins[k - 1]), int(bins[k - 1]))
        out.append(str(lo) if lo == hi else f"{lo}–{hi}")
    return out
