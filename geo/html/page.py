"""render_html: a theme of the Atlas as one offline folium page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .._frames import records
from .._io import atomic_path
from ..county import edition_order, focus_codes, focus_heading
from ..datum import to_gcj02, wgs84_to_gcj02
from ..errors import RenderError, param
from ..geometry import simplified
from ..history import designations_in_force, status_years
from ..themes import NEEDS_DATA, THEMES, build_theme, edition_name, text, view_extent
from ..words import by_lang, say
from .assets import keep_page, page_html
from .elements import (
    Chrome,
    CountyLayer,
    ExtraHtml,
    FeatureLayer,
    InlineAssets,
    LabelLayer,
    OfflineMap,
    SharedCounties,
    deterministic_ids,
    layer_control,
    page_words,
    tile_layer,
)
from .encode import (
    encode_geometry,
    escape,
    legend_html,
    marker_svg,
    popup_html,
    shared_data,
    style_dict,
    tooltip_html,
)

TILES = {
    "osm": {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": "© OpenStreetMap contributors",
    },
    "gaode": {
        "tiles": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "© 高德地图 (GCJ-02)",
        "subdomains": "1234",
    },
    "tianditu": {
        "tiles": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "attr": "© 天地图",
        "subdomains": "01234567",
    },
}
SIMPLIFY_DEG = 0.002  # about 200 m: invisible at county scale
MARKER_PX = 2.0  # a marker's pixels per point of its printed size: a 6 pt marker is 12 px on screen


def _slider(atlas, theme, lang, year, data=None):
    """The year slider of the status and atlas pages, and of an indicator over time: years,
    where it starts, its words."""
    words = {k: text(k, lang) for k in ("year_label", "all_years", "play", "pause", "year_unknown", "next_year")}
    if theme == "indicator":
        if data is None or len(data.years) < 2:
            return None
        start = year if year is not None else data.year
        return {"list": data.years, "start": start, "all": False, "unknown": None, "text": words}
    if theme not in ("status", "atlas"):
        return None

    years = status_years(atlas)
    own = designations_in_force(atlas, None, own_only=True)
    if year is not None and year not in range(years[0], years[-1] + 1):
        raise RenderError(say("render.year_range", year=param("year", year), first=years[0], last=years[-1]))
    return {
        "list": years,
        "start": year,
        "unknown": int((own["in_force"] == "unknown year").sum()),
        "all": True,
        "text": words,
    }


def _timeline_payload(layer) -> dict | None:
    """What the year slider needs of a status layer: per county [year named, year proposed,
    undated], and the layer's style in each state."""
    if not layer.timeline or layer.data.empty:
        return None
    first = layer.data.iloc[0]
    named = {**style_dict(first), "fillOpacity": 0.45}
    named.pop("dashArray", None)
    return {
        "entries": layer.timeline,
        "named": named,
        "proposed": {**named, "fillOpacity": 0.15, "dashArray": "4 3"},
        "unknown": {**named, "fillOpacity": 0.0, "color": "#444444", "dashArray": "2 3", "weight": 1.2},
    }


def _table_rows(atlas, lang) -> list[list[str]]:
    """The table view's rows: the edition's counties in the order of the official list,
    as [code, name, city] in the page's language (the facts come from the page's layers)."""
    reg = atlas.registry
    rows = []
    for code in edition_order(atlas):
        c = reg.counties[code]
        city = reg.cities[c.city_code]
        rows.append([code, by_lang(lang, c.name, c.name_en), by_lang(lang, city.name, city.romanized)])
    return rows


def _frames_payload(layer) -> dict | None:
    """What the year slider needs of an indicator over time: per year each county's fill and
    tooltip (as HTML) and the count of each legend class."""
    fr = layer.frames
    if not fr or not fr.get("fill"):
        return None
    return {
        "fill": {str(y): f for y, f in fr["fill"].items()},
        "tip": {str(y): {c: tooltip_html(t) for c, t in tips.items()} for y, tips in fr["tip"].items()},
        "counts": {str(y): n for y, n in fr["counts"].items()},
    }


def _arrowhead(line, size_deg: float = 0.035):
    """A small triangle at the end of ``line`` pointing along its last segment."""
    (x0, y0), (x1, y1) = line.coords[-2], line.coords[-1]
    k = np.cos(np.radians(y1))
    dx, dy = (x1 - x0) * k, y1 - y0
    n = np.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    bx, by = x1 * k - ux * size_deg, y1 - uy * size_deg
    px, py = -uy * size_deg * 0.45, ux * size_deg * 0.45
    pts = [(x1, y1), ((bx + px) / k, by + py), ((bx - px) / k, by - py), (x1, y1)]
    return shapely.Polygon(pts)


def _shift_theme_to_gcj02(theme):
    for layer in theme.layers:
        layer.data = layer.data.set_geometry(to_gcj02(layer.data.geometry.values), crs=layer.data.crs)
    x, y = np.array(theme.labels["x"]), np.array(theme.labels["y"])
    gx, gy = wgs84_to_gcj02(x, y)
    theme.labels["x"], theme.labels["y"] = gx, gy


def render_html(
    atlas,
    theme: str = "overview",
    *,
    lang: str = "zh",
    tiles: str | None = None,
    tianditu_key: str | None = None,
    simplify: float = SIMPLIFY_DEG,
    height: str = "100%",
    year: int | None = None,
    focus: str | None = None,
    site: dict | None = None,
    extra_html: str = "",
    **options,
):
    """Render ``theme`` of ``atlas`` as a :class:`folium.Map` (displays inline in Jupyter).

    Parameters
    ----------
    atlas : Atlas
    theme : {"overview", "pairing", "policy", "status", "change", "indicator", "atlas"}
        ``atlas`` puts every theme on one page as switchable layer groups.
    lang : {"zh", "en"}
    tiles : {None, "osm", "gaode", "tianditu"}
        Online basemap (off by default: the page is complete offline). ``gaode`` tiles are
        GCJ-02, so the data are shifted to GCJ-02 for that basemap only.
    tianditu_key : str
        Required with ``tiles="tianditu"``.
    simplify : float
        Coverage simplification tolerance in degrees.
    height : str
        The map's CSS height (``"520px"`` in a notebook; the page's full height by default).
    year : int, optional
        Status and atlas pages: where the year slider starts (default: all years).
    focus : str, optional
        A county (any name form or code): the page opens on it, headed by the county and
        its partners (a county's own map on the offline site).
    site : dict, optional
        For :mod:`geo.products.site`: Leaflet and the page script are left to the site's
        shared ``assets/``, and popups link to the county pages.
    extra_html : str
        HTML placed after the map's own elements (the site's navigation).
    **options
        Theme options, as for :func:`geo.static.render_static`.

    Returns
    -------
    folium.Map
    """
    if theme not in (*THEMES, "atlas"):
        raise RenderError(say("render.unknown_theme", theme=theme, themes=say("list.enum").join((*THEMES, "atlas"))))
    if tiles not in (None, "none", *TILES):
        raise RenderError(say("render.unknown_tiles", tiles=tiles))
    if tiles == "tianditu" and not tianditu_key:
        raise RenderError(say("render.tianditu_key", param=param("tianditu_key")))
    tiles = None if tiles == "none" else tiles
    kind = AtlasPage() if theme == "atlas" else ThemePage(theme)

    if theme == "indicator" and year is not None:  # an indicator over time opens on that year
        options["year"] = year
    simple = simplified(atlas, simplify)
    themes = [build_theme(simple, t, lang, **(options if t == theme else {})) for t in kind.theme_ids]
    if tiles == "gaode":
        for th in themes:
            _shift_theme_to_gcj02(th)

    with deterministic_ids():
        bounds = view_extent(atlas, options.get("scope"))  # all 90 counties, or the file's
        m = _new_map(bounds, height, site is not None, tiles, tianditu_key)
        # shared geometry: the themes' county polygons (the same for every layer of the page)

        allpolys = pd.concat([ly.data for th in themes for ly in th.layers if ly.kind == "polygons"])
        allpolys = allpolys.drop_duplicates("code")
        SharedCounties(*(shared_data(allpolys) if site is None else (None, None, None))).add_to(m)
        drawn = _draw_themes(m, kind, themes, lang, atlas.edition)
        control = None
        if kind.layer_control:
            lc = layer_control()
            lc.add_to(m)
            control = lc.get_name()
        title, subtitle = kind.title(atlas, themes, lang), themes[0].subtitle
        if focus:  # a county's own map is headed by the county, not the province's pairing
            title, subtitle = focus_heading(atlas, focus, lang)
        config = _page_config(atlas, allpolys, bounds, lang, drawn, kind, theme, year, focus, site, options)
        Chrome(title, subtitle, themes[0].source, "".join(drawn.legends), drawn.vars, control, config).add_to(m)
        m.page(title, lang)
        # no folium fit_bounds: the page script fits the counties around its own title and legend
        if extra_html:  # after the map's own elements, so it follows the map in the page
            ExtraHtml(extra_html).add_to(m)
        keep_page(m)  # rendered now, while ids are deterministic
    return m


class ThemePage:
    """A page of one theme: its layers as the theme shows them, folium's layer control."""

    layer_control = True

    def __init__(self, theme: str):
        self.theme_ids = [theme]

    def shared(self, layer) -> bool:
        """Whether ``layer`` is drawn once and listed under each theme of the page."""
        return False

    def show(self, layer, th) -> bool:
        return layer.show

    def overlay(self, layer) -> bool:
        return not layer.base

    def labels(self, th) -> tuple[bool, bool]:
        """Whether ``th`` gets a label layer, and whether it is shown when the page opens."""
        return True, True

    def title(self, atlas, themes, lang: str) -> str:
        return themes[0].title

    def switcher(self, groups: list) -> list | None:
        """The theme control's groups: none on a page of one theme."""
        return None


class AtlasPage(ThemePage):
    """The atlas page: every theme that needs nothing but the layers, as switchable groups
    (the theme control), opening on the overview; context layers drawn once."""

    layer_control = False

    def __init__(self):
        self.theme_ids = [t for t in THEMES if t not in NEEDS_DATA]

    def shared(self, layer) -> bool:
        return layer.group == "context"

    def show(self, layer, th) -> bool:
        return layer.show and th.id == "overview"  # the others are one click away

    def overlay(self, layer) -> bool:
        return True

    def labels(self, th) -> tuple[bool, bool]:
        return th.id in ("overview", "pairing"), th.id == "overview"

    def title(self, atlas, themes, lang: str) -> str:
        return text("atlas", lang, ed=edition_name(atlas.edition, lang))

    def switcher(self, groups: list) -> list | None:
        return groups


@dataclass
class _Drawn:
    """What drawing the themes' layers gives the page's chrome."""

    vars: list = field(default_factory=list)  # the layers' JS variables, in order
    legends: list = field(default_factory=list)  # their legends' HTML
    names: dict = field(default_factory=dict)  # variable: layer name (the table view)
    groups: list = field(default_factory=list)  # per theme, its layers (the theme control)


def _new_map(bounds, height: str, site: bool, tiles, tianditu_key):
    """The page's map around ``bounds``, its assets inline (or the site's), tiles if asked."""
    minx, miny, maxx, maxy = bounds
    m = OfflineMap(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=None,
        zoom_start=7,
        height=height,
        control_scale=False,  # the page script adds a metric-only scale
        prefer_canvas=False,
        zoom_snap=0.1,
        zoom_delta=0.5,
    )
    m.get_root().header.add_child(InlineAssets(site=site), name="shanhai_assets")
    if tiles:
        spec = dict(TILES[tiles])
        url = spec.pop("tiles").replace("{key}", tianditu_key or "")
        tile_layer(url, tiles, **spec).add_to(m)
    return m


def _draw_themes(m, kind: ThemePage, themes, lang: str, edition) -> _Drawn:
    """Every theme's layers (and labels) onto ``m``, as ``kind`` of page holds them."""
    out, context_vars = _Drawn(), {}
    for th in themes:
        entries = []
        for layer in th.layers:
            shared = kind.shared(layer)
            if shared and layer.name in context_vars:  # drawn once, listed under each theme
                entries.append({"v": context_vars[layer.name], "name": layer.name, "on": layer.show, "base": False,
                                "shared": True})  # fmt: skip
                continue
            el = layer_element(layer, kind.overlay(layer), kind.show(layer, th))
            el.add_to(m)
            var = el.get_name()
            out.vars.append(var)
            out.names[var] = layer.name
            if shared:
                context_vars[layer.name] = var
            entries.append({"v": var, "name": layer.name, "on": layer.show, "base": layer.base, "shared": shared})
            if layer.legend:
                out.legends.append(legend_html(layer.legend, var, lang))
        drawn, shown = kind.labels(th)
        if drawn:
            labels = [
                [round(float(r["x"]), 5), round(float(r["y"]), 5), escape(r["text"]), r["kind"]]
                for r in records(th.labels)
            ]
            lab = LabelLayer(text("labels", lang), labels, show=shown)
            lab.add_to(m)
            out.vars.append(lab.get_name())
            out.names[lab.get_name()] = text("labels", lang)
            entries.append({"v": lab.get_name(), "name": text("labels", lang), "on": True, "base": False})
        label = (
            text(th.id, lang, ed=edition_name(edition, lang)) if th.id != "overview" else text("overview_short", lang)
        )
        out.groups.append({"id": th.id, "label": label, "layers": entries})
    return out


def layer_element(layer, overlay: bool, show: bool):
    """One theme layer as a folium element: the county polygons as styles of the page's
    shared geometry, any other layer (links, borders, markers) with its own features."""
    rows = records(layer.data)
    if layer.kind == "polygons":
        styles = {r["code"]: style_dict(r) for r in rows}
        tips = {r["code"]: tooltip_html(r["tooltip"]) for r in rows} if layer.interactive else {}
        return CountyLayer(layer.name, styles, tips, layer.interactive, overlay, show, _timeline_payload(layer),
                           _frames_payload(layer))  # fmt: skip
    feats = []
    for r, geom in zip(rows, layer.data.geometry.values, strict=True):
        fid = r["host_code"] if layer.kind == "points" and "host_code" in r else None
        props = {"s": style_dict(r)}
        if layer.interactive and "tooltip" in r and isinstance(r["tooltip"], list):
            props["tt"] = tooltip_html(r["tooltip"])
            props["pp"] = popup_html(r["popup"])
        if "ends" in r:  # a county's own page dims the others' features
            props["ends"] = list(r["ends"])
        elif layer.arrows and "mountain_code" in r:
            props["ends"] = [r["mountain_code"], r["partner_code"] or r["partner_city_code"]]
        if layer.kind == "points":  # the marker, drawn as the legend draws it
            px = round(float(r["size"]) * MARKER_PX)
            props["mk"] = [marker_svg(r["shape"], r["fill"], r["edge"], px, float(r["weight"])), px]
        feats.append([fid or None, encode_geometry(geom), props])
        if layer.arrows:
            head = {**props, "s": {**props["s"], "fillColor": r["edge"], "fillOpacity": 1.0, "weight": 1}}
            head["s"].pop("dashArray", None)
            head["s"].pop("fill", None)
            feats.append([None, encode_geometry(_arrowhead(geom)), head])
    return FeatureLayer(layer.name, feats, layer.interactive, overlay, show)


def _page_config(atlas, allpolys, bounds, lang, drawn: _Drawn, kind: ThemePage, theme, year, focus, site, options):
    """The page script's configuration: search names and keys, bounds, words, the theme
    control, the year slider, the focus, the site's profile links, the table view."""
    minx, miny, maxx, maxy = bounds
    # suggestions in the page's language; a county is still found by any of its names
    names = sorted(set(allpolys[by_lang(lang, "name", "romanized")]))
    keys = {code: f"{search}|{code}" for code, search in zip(allpolys["code"], allpolys["search"], strict=True)}
    return {
        "names": names,
        "keys": keys,
        "bounds": [[round(float(miny), 4), round(float(minx), 4)], [round(float(maxy), 4), round(float(maxx), 4)]],
        "text": page_words(lang),
        "themes": kind.switcher(drawn.groups),
        "active": 0,
        "years": _slider(atlas, theme, lang, year, options.get("data")),
        "focus": focus_codes(atlas, focus),
        "profiles": (site or {}).get("profiles"),
        "table": {"rows": _table_rows(atlas, lang), "names": drawn.names},
    }


def save_html(m, path) -> Path:
    """Write the map's page atomically (beside the target, then renamed).

    Parameters
    ----------
    m : folium.Map
        From :func:`geo.render_html`.
    path : str or Path
        The ``.html`` file to write: one page with Leaflet and the data inline, no
        request to any server unless the map was given online ``tiles``.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page_html(m), encoding="utf-8")
    return path
