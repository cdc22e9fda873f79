"""HTML rendering with folium: offline, deterministic, escaped.

- Every script and stylesheet is inlined from installed packages (Leaflet from
  ``xstatic-leaflet``); the legend, search box and full-screen button are plain HTML/JS,
  so the page needs no network. Tiles are off by default.
- County polygons are simplified as a coverage and emitted once; each themed layer only
  carries its styles and tooltips, so pages stay small.
- Element ids come from a counter (branca's ``_generate_id`` hook): same input, same bytes.
- Every text from the data is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import base64
import html
import json
import re
from contextlib import contextmanager
from functools import lru_cache
from itertools import count
from pathlib import Path
from typing import ClassVar

import numpy as np
import shapely

from .county import focus_codes, focus_heading
from .errors import RenderError
from .geometry import PRECISION, simplified, simplify_polygons
from .themes import NEEDS_DATA, THEMES, build_theme, edition_name, text

__all__ = ["TILES", "render_html", "save_html"]

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
SCALE = round(1 / PRECISION)  # coordinates are written as integers on the simplification grid


# ---------------------------------------------------------------------------------------
# determinism and assets
# ---------------------------------------------------------------------------------------


@contextmanager
def deterministic_ids(prefix: str = "s"):
    """Make branca/folium element ids a counter while building one page."""
    from branca.element import Element

    counter = count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):05d}")
    try:
        yield
    finally:
        Element._generate_id = original


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    try:
        from xstatic.pkg import leaflet
    except ImportError:  # pragma: no cover
        raise RenderError("the offline Leaflet copy is missing: `pip install xstatic-leaflet`.") from None
    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m):
        img = base / m.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(img.read_bytes()).decode()})"

    css = re.sub(r"url\((images/[\w\-.]+\.png)\)", data_uri, css)
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    # the attribution prefix is the library's only outbound link; the page sets a plain one
    js = js.replace('href="https://leafletjs.com"', 'href="#"')
    return js, css


ASSETS = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=4)
def page_asset(name: str) -> str:
    """One of the page's own files (geo/assets/page.js, page.css), read once."""
    return (ASSETS / name).read_text(encoding="utf-8")


def _script_safe(text_: str) -> str:
    # inside <script>, "</" would end the element
    return text_.replace("</", "<\\/")


# ---------------------------------------------------------------------------------------
# geometry and text for the page
# ---------------------------------------------------------------------------------------


_TYPES = {"LineString": 0, "MultiLineString": 1, "Polygon": 2, "MultiPolygon": 3}


def _ring(coords) -> list[int]:
    q = np.round(np.asarray(coords)[:, :2] * SCALE).astype(np.int64)
    d = np.vstack([q[:1], np.diff(q, axis=0)])
    return d.ravel().tolist()


def encode_geometry(geom) -> list:
    """[type, nested delta-encoded integer rings] on the 1e-4° grid the geometry was
    snapped to: about a third of the bytes of GeoJSON. Decoded in the page by
    ``shanhaiDecode``."""
    t = geom.geom_type
    if t == "LineString":
        return [0, _ring(geom.coords)]
    if t == "MultiLineString":
        return [1, [_ring(g.coords) for g in geom.geoms]]
    if t == "Polygon":
        return [2, [_ring(r.coords) for r in (geom.exterior, *geom.interiors)]]
    if t == "MultiPolygon":
        return [3, [[_ring(r.coords) for r in (p.exterior, *p.interiors)] for p in geom.geoms]]
    if t == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in _TYPES]
        lines = [g for g in parts if "Line" in g.geom_type]
        return encode_geometry(shapely.line_merge(shapely.union_all(lines)) if lines else shapely.MultiPolygon())
    raise RenderError(f"cannot draw a {t}")


def escape(value) -> str:
    """``value`` as HTML text (None → ""), quotes escaped too."""
    return html.escape("" if value is None else str(value), quote=True)


def _source_html(src: str) -> str:
    if not src:
        return ""
    parts = []
    for piece in re.split(r"\s*;\s*(?=https?://)|\s+;\s+", src):
        if re.fullmatch(r"https?://\S+", piece):
            parts.append(
                f'<a href="{escape(piece)}" target="_blank" rel="noopener noreferrer">{escape(_short_url(piece))}</a>'
            )
        else:
            parts.append(escape(piece))
    return '<span class="src">' + "; ".join(parts) + "</span>"


def _short_url(url: str) -> str:
    m = re.match(r"https?://([^/]+)", url)
    return m.group(1) if m else url


def tooltip_html(items) -> str:
    head, *rest = items
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rest)
    return f"<b>{escape(head[0])}</b>" + (f"<table>{rows}</table>" if rows else "")


def _line_html(t, s) -> str:
    return f"{escape(t)}{' ' + _source_html(s) if s else ''}"


def popup_sections(sections, table: dict[str, int]) -> list:
    """Sections as [heading html, [line ids]], each distinct line stored once in ``table``."""
    out = []
    for heading, lines in sections:
        ids = [table.setdefault(_line_html(t, s), len(table)) for t, s in lines if t or s]
        out.append([escape(heading), ids])
    return out


def popup_html(sections) -> str:
    out = []
    for i, (heading, lines) in enumerate(sections):
        tag = "h4" if i == 0 else "h5"
        out.append(f"<{tag}>{escape(heading)}</{tag}>")
        if lines:
            out.append("<ul>" + "".join(f"<li>{_line_html(t, s)}</li>" for t, s in lines if t or s) + "</ul>")
    return "".join(out)


# ---------------------------------------------------------------------------------------
# folium elements
# ---------------------------------------------------------------------------------------


def _elements():
    """folium classes, defined lazily so importing geo does not import folium."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    class OfflineMap(folium.Map):
        default_js: ClassVar[list] = []
        default_css: ClassVar[list] = []

    class InlineAssets(Element):
        def __init__(self, site: bool = False):
            super().__init__()
            if site:  # an offline site: the shared files once, next to the pages
                self._template = Template(
                    '<link rel="stylesheet" href="assets/leaflet.css">\n<script src="assets/leaflet.js"></script>\n'
                    '<link rel="stylesheet" href="assets/page.css">\n<script src="assets/page.js"></script>\n'
                    '<script src="assets/data.js"></script>'
                )
                return
            js, css = leaflet_assets()
            self._template = Template(
                "<style>"
                + css
                + "</style>\n<script>"
                + _script_safe(js)
                + "</script>\n<style>"
                + page_asset("page.css")
                + "</style>\n<script>"
                + _script_safe(page_asset("page.js"))
                + "</script>"
            )

    class SharedCounties(MacroElement):
        """County geometries and popups, once per page."""

        _template = Template(
            """{% macro script(this, kwargs) %}
var shanhaiGeo = shanhaiDecode({{ this.geo }});
var shanhaiLines = {{ this.lines }};
var shanhaiPopup = {{ this.popups }};
{% endmacro %}"""
        )

        def __init__(self, geo, popups, lines):
            super().__init__()
            if geo is None:  # an offline site: assets/data.js holds them once for every page
                self.geo, self.popups, self.lines = "shanhaiSiteGeo", "shanhaiSitePopups", "shanhaiSiteLines"
                return
            self.lines = _script_safe(json.dumps(lines, ensure_ascii=False, separators=(",", ":")))
            self.geo = _script_safe(json.dumps(geo, ensure_ascii=False, separators=(",", ":")))
            self.popups = _script_safe(json.dumps(popups, ensure_ascii=False, separators=(",", ":")))

    class CountyLayer(folium.map.Layer):
        """A themed view of the shared county polygons."""

        _template = Template(
            """{% macro script(this, kwargs) %}
var {{ this.get_name() }}_style = {{ this.styles }};
var {{ this.get_name() }}_tip = {{ this.tips }};
var {{ this.get_name() }} = L.geoJSON(shanhaiGeo, {
  filter: function (f) { return f.id in {{ this.get_name() }}_style; },
  style: function (f) { return {{ this.get_name() }}_style[f.id]; },
  interactive: {{ this.interactive }},
  onEachFeature: function (f, l) { if ({{ this.interactive }}) { shanhaiBind(f, l, {{ this.get_name() }}_tip); } }
});
{% if this.timeline %}{{ this.get_name() }}.shanhaiTimeline = {{ this.timeline }};{% endif %}
{% endmacro %}"""
        )

        def __init__(self, name, styles, tips, interactive, overlay, show, timeline=None):
            super().__init__(name=name, overlay=overlay, control=True, show=show)
            self._name = "CountyLayer"
            self.styles = _script_safe(json.dumps(styles, ensure_ascii=False, separators=(",", ":")))
            self.tips = _script_safe(json.dumps(tips, ensure_ascii=False, separators=(",", ":")))
            self.interactive = "true" if interactive else "false"
            self.timeline = (
                _script_safe(json.dumps(timeline, ensure_ascii=False, separators=(",", ":"))) if timeline else ""
            )

    class FeatureLayer(folium.map.Layer):
        """Features with their own geometry (links, borders) and per-feature style."""

        _template = Template(
            """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON(shanhaiDecode({{ this.data }}), {
  style: function (f) { return f.properties.s; },
  interactive: {{ this.interactive }},
  onEachFeature: function (f, l) { if ({{ this.interactive }}) { shanhaiBind(f, l, {}); } }
});
{% endmacro %}"""
        )

        def __init__(self, name, data, interactive, overlay, show):
            super().__init__(name=name, overlay=overlay, control=True, show=show)
            self._name = "FeatureLayer"
            self.data = _script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            self.interactive = "true" if interactive else "false"

    class LabelLayer(folium.map.Layer):
        _template = Template(
            """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup({{ this.labels }}.map(function (d) {
  return L.marker([d[1], d[0]], {interactive: false, keyboard: false,
    icon: L.divIcon({className: 'shanhai-label ' + d[3], html: d[2], iconSize: null})});
}));
{% endmacro %}"""
        )

        def __init__(self, name, labels, show=True):
            super().__init__(name=name, overlay=True, control=True, show=show)
            self._name = "LabelLayer"
            self.labels = _script_safe(json.dumps(labels, ensure_ascii=False, separators=(",", ":")))

    class Chrome(MacroElement):
        """Title, legend (one section per layer, shown with it), search, full screen."""

        _template = Template(
            """{% macro html(this, kwargs) %}
<div class="shanhai-title"><h1>{{ this.title }}</h1><p>{{ this.subtitle }}</p></div>
<div class="shanhai-legend open" id="{{ this.get_name() }}_legend">{{ this.legend }}</div>
<div class="shanhai-source">{{ this.source }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
shanhaiChrome({{ this._parent.get_name() }}, {
  layers: { {% for var in this.layer_vars %}"{{ var }}": {{ var }}{{ "," if not loop.last }}{% endfor %} },
  control: {{ this.control }},
  legendId: "{{ this.get_name() }}_legend",
  {{ this.config }}
});
{% endmacro %}"""
        )

        def __init__(self, title, subtitle, source, legend_html, layer_vars, control, config: dict):
            super().__init__()
            self._name = "Chrome"
            self.title, self.subtitle, self.source = escape(title), escape(subtitle), escape(source)
            self.legend = legend_html
            self.layer_vars = layer_vars
            self.control = control or "null"
            self.config = ",\n  ".join(
                f"{k}: {_script_safe(json.dumps(v, ensure_ascii=False, separators=(',', ':')))}"
                for k, v in config.items()
            )

    return folium, OfflineMap, InlineAssets, SharedCounties, CountyLayer, FeatureLayer, LabelLayer, Chrome


def _legend_html(legend, var: str) -> str:
    items = []
    for it in legend.items:
        if it.kind in ("line", "dashed"):
            sw = f'<span class="ln{" dash" if it.kind == "dashed" else ""}" style="border-color:{escape(it.color)}"></span>'
        elif it.kind == "outline":
            sw = f'<span class="sw ol" style="border-color:{escape(it.color)}"></span>'
        else:
            sw = f'<span class="sw{" hatch" if it.hatch else ""}" style="background-color:{escape(it.color)}"></span>'
        count = "" if it.count is None else f' <span class="n" data-state="{it.state}">({it.count})</span>'
        items.append(f'<div class="i">{sw}<span>{escape(it.label)}{count}</span></div>')
    # a heading that only repeats its single item is left out (as in the static legend)
    labels = [it.label for it in legend.items]
    head = f"<h6>{escape(legend.title)}</h6>" if len(labels) > 1 and legend.title not in labels else ""
    return f'<section data-layer="{var}">{head}{"".join(items)}</section>'


def _style_dict(r) -> dict:
    s = {"color": r["edge"], "weight": float(r["weight"]), "fillOpacity": float(r["fill_opacity"])}
    if r["fill"] != "none":
        s["fillColor"] = r["fill"]
    else:
        s["fill"] = False
    if r["dash"]:
        s["dashArray"] = r["dash"]
    return s


def shared_data(polys) -> tuple[list, dict, list]:
    """The page's county geometry, popups and the popup lines they index, from county
    features with ``popup`` sections (sorted by code when a site shares them)."""
    geo = [[r["code"], encode_geometry(r.geometry)] for _, r in polys.iterrows()]
    lines: dict[str, int] = {}
    popups = {r["code"]: popup_sections(r["popup"], lines) for _, r in polys.iterrows()}
    return geo, popups, list(lines)


def _slider(atlas, theme, lang, year):
    """The year slider of the status and atlas pages: years, where it starts, its words."""
    if theme not in ("status", "atlas"):
        return None
    from .history import designations_in_force, status_years

    years = status_years(atlas)
    own = designations_in_force(atlas, None, own_only=True)
    if year is not None and year not in range(years[0], years[-1] + 1):
        raise RenderError(f"--year {year}: the status layer has years {years[0]}–{years[-1]}.")
    return {
        "list": years,
        "start": year,
        "unknown": int((own["in_force"] == "unknown year").sum()),
        "text": {k: text(k, lang) for k in ("year_label", "all_years", "play", "pause", "year_unknown")},
    }


def _timeline_payload(layer) -> dict | None:
    """What the year slider needs of a status layer: per county [year named, year proposed,
    undated], and the layer's style in each state."""
    if not layer.timeline or layer.data.empty:
        return None
    first = layer.data.iloc[0]
    named = {**_style_dict(first), "fillOpacity": 0.45}
    named.pop("dashArray", None)
    return {
        "entries": layer.timeline,
        "named": named,
        "proposed": {**named, "fillOpacity": 0.15, "dashArray": "4 3"},
        "unknown": {**named, "fillOpacity": 0.0, "color": "#444444", "dashArray": "2 3", "weight": 1.2},
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
    from .datum import to_gcj02, wgs84_to_gcj02

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
    theme : {"overview", "pairing", "policy", "status", "atlas"}
        ``atlas`` puts every theme on one page as switchable layer groups.
    lang : {"zh", "en"}
    tiles : {None, "osm", "gaode", "tianditu"}
        Online basemap (off by default: the page is complete offline). ``gaode`` tiles are
        GCJ-02, so the data are shifted to GCJ-02 for that basemap only.
    tianditu_key : str
        Required with ``tiles="tianditu"``.
    simplify : float
        Coverage simplification tolerance in degrees.
    year : int, optional
        Status and atlas pages: where the year slider starts (default: all years).
    **options
        Theme options, as for :func:`geo.static.render_static`.

    Returns
    -------
    folium.Map
    """
    if theme not in (*THEMES, "atlas"):
        raise RenderError(f"unknown theme {theme!r}: use one of {', '.join((*THEMES, 'atlas'))}.")
    if tiles not in (None, "none", *TILES):
        raise RenderError(f"unknown tiles {tiles!r}: use osm, gaode or tianditu (or none).")
    if tiles == "tianditu" and not tianditu_key:
        raise RenderError("tianditu tiles need a key: pass --tianditu-key (register at the 天地图 console).")
    tiles = None if tiles == "none" else tiles

    simple = simplified(atlas, simplify)
    # the atlas page holds the themes that need nothing but the layers
    theme_ids = [t for t in THEMES if t not in NEEDS_DATA] if theme == "atlas" else [theme]
    themes = [build_theme(simple, t, lang, **(options if t == theme else {})) for t in theme_ids]
    if tiles == "gaode":
        for th in themes:
            _shift_theme_to_gcj02(th)

    folium, OfflineMap, InlineAssets, SharedCounties, CountyLayer, FeatureLayer, LabelLayer, Chrome = _elements()
    with deterministic_ids():
        minx, miny, maxx, maxy = atlas.counties.total_bounds  # the view fits all 90 counties
        m = OfflineMap(
            location=[(miny + maxy) / 2, (minx + maxx) / 2],
            tiles=None,
            zoom_start=7,
            height=height,
            control_scale=True,
            prefer_canvas=False,
            zoom_snap=0.1,
            zoom_delta=0.5,
        )
        m.get_root().header.add_child(InlineAssets(site=site is not None), name="shanhai_assets")
        if tiles:
            spec = dict(TILES[tiles])
            url = spec.pop("tiles").replace("{key}", tianditu_key or "")
            folium.TileLayer(url, name=tiles, overlay=False, control=False, **spec).add_to(m)

        # shared geometry: the theme's county polygons (same for every layer of the page)
        polys = [layer.data for th in themes for layer in th.layers if layer.kind == "polygons"]
        import pandas as pd

        allpolys = pd.concat(polys).drop_duplicates("code")
        if site is None:
            SharedCounties(*shared_data(allpolys)).add_to(m)
        else:
            SharedCounties(None, None, None).add_to(m)

        layer_vars, legend_parts, context_vars = [], [], {}
        switcher = []  # the atlas page: per theme, its layers for the theme control
        for th in themes:
            entries = []
            for layer in th.layers:
                shared = theme == "atlas" and layer.group == "context"
                if shared and layer.name in context_vars:  # drawn once, listed under each theme
                    var = context_vars[layer.name]
                    entries.append({"v": var, "name": layer.name, "on": layer.show, "base": False, "shared": True})
                    continue
                # the atlas page opens on the overview; the others are one click away
                show = layer.show if theme != "atlas" else (layer.show and th.id == "overview")
                overlay = not (layer.base and theme != "atlas")
                if layer.kind == "polygons":
                    styles = {r["code"]: _style_dict(r) for _, r in layer.data.iterrows()}
                    tips = (
                        {r["code"]: tooltip_html(r["tooltip"]) for _, r in layer.data.iterrows()}
                        if layer.interactive
                        else {}
                    )
                    el = CountyLayer(
                        layer.name, styles, tips, layer.interactive, overlay, show, _timeline_payload(layer)
                    )
                else:
                    feats = []
                    for _, r in layer.data.iterrows():
                        props = {"s": _style_dict(r)}
                        if layer.interactive and "tooltip" in r and isinstance(r["tooltip"], list):
                            props["tt"] = tooltip_html(r["tooltip"])
                            props["pp"] = popup_html(r["popup"])
                        if layer.arrows and "mountain_code" in r:  # a county's own page dims the others' links
                            props["ends"] = [r["mountain_code"], r["partner_code"] or r["partner_city_code"]]
                        feats.append([None, encode_geometry(r.geometry), props])
                        if layer.arrows:
                            head = {
                                **props,
                                "s": {**props["s"], "fillColor": r["edge"], "fillOpacity": 1.0, "weight": 1},
                            }
                            head["s"].pop("dashArray", None)
                            head["s"].pop("fill", None)
                            feats.append([None, encode_geometry(_arrowhead(r.geometry)), head])
                    el = FeatureLayer(layer.name, feats, layer.interactive, overlay, show)
                el.add_to(m)
                var = el.get_name()
                layer_vars.append(var)
                if shared:
                    context_vars[layer.name] = var
                entries.append({"v": var, "name": layer.name, "on": layer.show, "base": layer.base, "shared": shared})
                if layer.legend:
                    legend_parts.append(_legend_html(layer.legend, var))
            if th.id in ("overview", "pairing") or theme != "atlas":
                labels = [
                    [round(float(r["x"]), 5), round(float(r["y"]), 5), escape(r["text"]), r["kind"]]
                    for _, r in th.labels.iterrows()
                ]
                lab = LabelLayer(text("labels", lang), labels, show=(theme != "atlas" or th.id == "overview"))
                lab.add_to(m)
                layer_vars.append(lab.get_name())
                entries.append({"v": lab.get_name(), "name": text("labels", lang), "on": True, "base": False})
            label = text(th.id, lang, ed=edition_name(atlas.edition, lang))
            switcher.append(
                {
                    "id": th.id,
                    "label": label if th.id != "overview" else text("overview_short", lang),
                    "layers": entries,
                }
            )
            if theme != "atlas":
                break
        control = None
        if theme != "atlas":
            lc = folium.LayerControl(collapsed=False, position="topright")
            lc.add_to(m)
            control = lc.get_name()
        names = sorted(set(allpolys["name"]) | set(allpolys["romanized"]))
        keys = {r["code"]: f"{r['search']}|{r['code']}" for _, r in allpolys.iterrows()}
        title = themes[0].title if theme != "atlas" else text("atlas", lang, ed=edition_name(atlas.edition, lang))
        config = {
            "names": names,
            "keys": keys,
            "bounds": [[round(float(miny), 4), round(float(minx), 4)], [round(float(maxy), 4), round(float(maxx), 4)]],
            "text": {k: text(k, lang) for k in ("search", "fullscreen", "legend", "link", "copy", "copied", "profile")},
            "themes": switcher if theme == "atlas" else None,
            "active": 0,
            "years": _slider(atlas, theme, lang, year),
            "focus": focus_codes(atlas, focus),
            "profiles": (site or {}).get("profiles"),
        }
        subtitle = themes[0].subtitle
        if focus:  # a county's own map is headed by the county, not the province's pairing
            title, subtitle = focus_heading(atlas, focus, lang)
        Chrome(title, subtitle, themes[0].source, "".join(legend_parts), layer_vars, control, config).add_to(m)
        # no folium fit_bounds: the page script fits the counties around its own title and legend
        if extra_html:  # after the map's own elements, so it follows the map in the page
            from branca.element import MacroElement
            from jinja2 import Template

            extra = MacroElement()
            extra._template = Template(
                "{% macro html(this, kwargs) %}" + extra_html.replace("{", "{{ '{' }}") + "{% endmacro %}"
            )
            extra.add_to(m)
        # render now, while ids are deterministic
        m._shanhai_html = m.get_root().render()
    return m


def page_html(m) -> str:
    """The full HTML of a map built by :func:`render_html`."""
    page = getattr(m, "_shanhai_html", None)
    if page is None:
        page = m.get_root().render()
    return page


def save_html(m, path) -> Path:
    """Write the map's page atomically."""
    from ._io import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page_html(m), encoding="utf-8")
    return path


def choropleth_html(
    gdf,
    column: str,
    *,
    name_column: str = "name",
    title: str = "",
    simplify: float = 0.01,
    k: int = 6,
    lang: str = "zh",
):
    """Any polygons as one offline choropleth page (classes through mapclassify).

    The same machinery as the themes: coverage simplification (plain simplification
    when the polygons are not a valid coverage), delta-encoded geometry, inlined assets.
    """
    import warnings

    import mapclassify

    from .themes import SEQUENTIAL, Legend, LegendItem

    g = gdf.to_crs("EPSG:4326") if gdf.crs and not gdf.crs.equals("EPSG:4326") else gdf
    g = g[g.geometry.notna() & ~g.geometry.is_empty].reset_index(drop=True)
    geoms = simplify_polygons(g.geometry.values, simplify) if simplify else g.geometry.values
    values = g[column].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classes = mapclassify.Quantiles(values, k=k)
    palette = SEQUENTIAL[-len(classes.bins) :]
    ids = [f"f{i}" for i in range(len(g))]
    _, OfflineMap, InlineAssets, SharedCounties, CountyLayer, _, _, Chrome = _elements()
    with deterministic_ids():
        minx, miny, maxx, maxy = g.total_bounds
        m = OfflineMap(location=[(miny + maxy) / 2, (minx + maxx) / 2], tiles=None, zoom_start=4, control_scale=True)
        m.get_root().header.add_child(InlineAssets(), name="shanhai_assets")
        geo = [[i, encode_geometry(geom)] for i, geom in zip(ids, geoms, strict=True) if not geom.is_empty]
        SharedCounties(geo, {}, []).add_to(m)
        styles = {
            i: {"color": "#ffffff", "weight": 0.3, "fillOpacity": 0.9, "fillColor": palette[c]}
            for i, c in zip(ids, classes.yb, strict=True)
        }
        tips = {
            i: f"<b>{escape(n)}</b><br>{escape(column)}: {v:,.1f}"
            for i, n, v in zip(ids, g[name_column], values, strict=True)
        }
        layer = CountyLayer(column, styles, tips, True, True, True)
        layer.add_to(m)
        lo = [values.min(), *classes.bins[:-1]]
        legend = Legend(
            column, [LegendItem(f"{a:,.0f}–{b:,.0f}", c) for a, b, c in zip(lo, classes.bins, palette, strict=True)]
        )
        keys = dict(zip(ids, g[name_column].astype(str), strict=True))
        config = {
            "names": sorted(set(keys.values())),
            "keys": keys,
            "bounds": [[round(float(miny), 4), round(float(minx), 4)], [round(float(maxy), 4), round(float(maxx), 4)]],
            "text": {k: text(k, lang) for k in ("search", "fullscreen", "legend", "link", "copy", "copied")},
            "themes": None,
            "active": 0,
            "years": None,
            "focus": None,
        }
        Chrome(
            title or column, f"{len(g):,} polygons", "", _legend_html(legend, layer.get_name()), [layer.get_name()],
            None, config,
        ).add_to(m)  # fmt: skip
        # no folium fit_bounds: the page script fits the counties around its own title and legend
        m._shanhai_html = m.get_root().render()
    return m
