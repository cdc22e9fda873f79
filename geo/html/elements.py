"""The adapter to folium and branca: the page's folium classes, and the one module that
touches their internals (``_template``, ``_children``, ``_name``, ``_parent``, branca's
``_generate_id``). It was written for the versions in :data:`WRITTEN_FOR` (pyproject pins the
same range, a test holds them equal): a folium upgrade is checked here, and only here.

Imported only when a page is built (:mod:`geo.html` is imported by the HTML renderers
alone), so ``import geo`` and the static maps do not load folium.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import lru_cache
from itertools import count
from typing import ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ..themes import text
from ..words import by_lang
from .assets import leaflet_assets, page_asset, script_safe
from .encode import escape

#: the folium and branca releases this adapter was written and tested for
WRITTEN_FOR = {"folium": ">=0.20,<0.21", "branca": ">=0.8.2,<0.9"}


@contextmanager
def deterministic_ids(prefix: str = "s"):
    """Make branca/folium element ids a counter while building one page: same input, same bytes."""
    counter = count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):05d}")
    try:
        yield
    finally:
        Element._generate_id = original


def layer_name(name) -> str:
    """A layer's name for folium's layer control: Leaflet sets it as HTML, so it is escaped."""
    return escape(name)


#: folium's viewport forbids zooming (maximum-scale=1.0, user-scalable=no); people who read
#: with a magnifier zoom the page (WCAG 1.4.4), so the page allows it
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')

# the page around the map: its language and title (a tab, a bookmark, a screen reader's
# first words), and the main landmark holding the map and what follows it
PAGE = """<!DOCTYPE html>
<html lang="{{ this.lang }}">
<head>
<meta charset="utf-8">
<title>{{ this.title }}</title>
{{ this.header.render(**kwargs) }}
</head>
<body>
<main class="shanhai-main">
{{ this.html.render(**kwargs) }}
</main>
</body>
<script>
{{ this.script.render(**kwargs) }}
</script>
</html>
"""


def html_lang(lang: str) -> str:
    """The page's ``lang`` attribute: zh-CN or en."""
    return by_lang(lang, "zh-CN", "en")


#: the words the page script shows or gives controls as names
_PAGE_WORDS = ("search", "fullscreen", "legend", "link", "copy", "copied", "profile", "map_tools", "layers", "themes",
               "zoom_in", "zoom_out", "close", "table_view", "table_close", "table_layers", "table_county", "city",
               "membership", "table_shown", "table_details")  # fmt: skip


def page_words(lang: str) -> dict:
    """The page script's words in ``lang`` (the table's caption keeps its {title} and {n})."""
    words = {k: text(k, lang, names="{names}") for k in _PAGE_WORDS}
    words["table_caption"] = text("table_caption", lang, title="{title}", n="{n}")
    return words


class Text(Element):
    """Text that joins the page as it is. branca's ``MacroElement.render`` wraps each part it
    renders in an ``Element``, which compiles the part as a template once more: a page's data
    (hundreds of KB) took a tenth of a second, and a reader's ``{{ … }}`` in a name or a title
    was run, their ``{%`` broke the page."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs):
        return self.text


class Parts(MacroElement):
    """A ``MacroElement`` whose rendered macros (header, html, script) join the page as
    :class:`Text`, not compiled again. Listed after a folium class among the bases, so that
    the folium class's own ``render`` runs first and ends here."""

    def render(self, **kwargs):
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in macros:
                rendered = macros[part](self, kwargs)
                # without one final newline, as branca's template gave it: the same bytes as before
                text = rendered[:-1] if rendered.endswith("\n") else rendered
                getattr(figure, part).add_child(Text(text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class OfflineMap(folium.Map, Parts):
    default_js: ClassVar[list] = []
    default_css: ClassVar[list] = []

    def page(self, title: str, lang: str):
        """Give the page its title and language (and the page template that carries them)."""
        root = self.get_root()
        root._template = _page_template()
        root.header._children.pop("meta_http", None)  # the page declares its charset first
        root.title, root.lang = escape(title), html_lang(lang)
        return self

    def render(self, **kwargs):
        super().render(**kwargs)
        head = self.get_root().header._children.get(self.get_name())
        if isinstance(head, Text):
            head.text = _FOLIUM_VIEWPORT.sub(VIEWPORT, head.text)


class InlineAssets(Text):
    def __init__(self, site: bool = False):
        if site:  # an offline site: the shared files once, next to the pages
            super().__init__(
                '<link rel="stylesheet" href="assets/leaflet.css">\n<script src="assets/leaflet.js"></script>\n'
                '<link rel="stylesheet" href="assets/page.css">\n<script src="assets/page.js"></script>\n'
                '<script src="assets/data.js"></script>'
            )
            return
        js, css = leaflet_assets()
        super().__init__(
            "<style>"
            + css
            + "</style>\n<script>"
            + script_safe(js)
            + "</script>\n<style>"
            + page_asset("page.css")
            + "</style>\n<script>"
            + script_safe(page_asset("page.js"))
            + "</script>"
        )


class SharedCounties(Parts):
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
        self.lines = script_safe(json.dumps(lines, ensure_ascii=False, separators=(",", ":")))
        self.geo = script_safe(json.dumps(geo, ensure_ascii=False, separators=(",", ":")))
        self.popups = script_safe(json.dumps(popups, ensure_ascii=False, separators=(",", ":")))


class CountyLayer(folium.map.Layer, Parts):
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
{% if this.frames %}{{ this.get_name() }}.shanhaiFrames = {{ this.frames }};{% endif %}
{% endmacro %}"""
    )

    def __init__(self, name, styles, tips, interactive, overlay, show, timeline=None, frames=None):
        super().__init__(name=layer_name(name), overlay=overlay, control=True, show=show)
        self._name = "CountyLayer"
        self.styles = script_safe(json.dumps(styles, ensure_ascii=False, separators=(",", ":")))
        self.tips = script_safe(json.dumps(tips, ensure_ascii=False, separators=(",", ":")))
        self.interactive = "true" if interactive else "false"
        self.timeline = script_safe(json.dumps(timeline, ensure_ascii=False, separators=(",", ":"))) if timeline else ""
        self.frames = script_safe(json.dumps(frames, ensure_ascii=False, separators=(",", ":"))) if frames else ""


class FeatureLayer(folium.map.Layer, Parts):
    """Features with their own geometry (links, borders, markers) and per-feature style."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON(shanhaiDecode({{ this.data }}), {
  style: function (f) { return f.properties.s; },
  pointToLayer: shanhaiMarker,
  interactive: {{ this.interactive }},
  onEachFeature: function (f, l) { if ({{ this.interactive }}) { shanhaiBind(f, l, {}); } }
});
{% endmacro %}"""
    )

    def __init__(self, name, data, interactive, overlay, show):
        super().__init__(name=layer_name(name), overlay=overlay, control=True, show=show)
        self._name = "FeatureLayer"
        self.data = script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self.interactive = "true" if interactive else "false"


class LabelLayer(folium.map.Layer, Parts):
    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup({{ this.labels }}.map(function (d) {
  return L.marker([d[1], d[0]], {interactive: false, keyboard: false,
    icon: L.divIcon({className: 'shanhai-label ' + d[3], html: d[2], iconSize: null})});
}));
{% endmacro %}"""
    )

    def __init__(self, name, labels, show=True):
        super().__init__(name=layer_name(name), overlay=True, control=True, show=show)
        self._name = "LabelLayer"
        self.labels = script_safe(json.dumps(labels, ensure_ascii=False, separators=(",", ":")))


class Chrome(Parts):
    """Title, legend (one section per layer, shown with it), search, full screen, the
    table view; the legend and the title are named for screen readers."""

    _template = Template(
        """{% macro html(this, kwargs) %}
<div class="shanhai-title"><h1 id="{{ this.get_name() }}_h1">{{ this.title }}</h1><p>{{ this.subtitle }}</p></div>
<div class="shanhai-legend open" id="{{ this.get_name() }}_legend" role="region" aria-label="{{ this.legend_name }}" tabindex="0">{{ this.legend }}</div>
<div class="shanhai-source">{{ this.source }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
shanhaiChrome({{ this._parent.get_name() }}, {
  layers: { {% for var in this.layer_vars %}"{{ var }}": {{ var }}{{ "," if not loop.last }}{% endfor %} },
  control: {{ this.control }},
  legendId: "{{ this.get_name() }}_legend",
  titleId: "{{ this.get_name() }}_h1",
  {{ this.config }}
});
{% endmacro %}"""
    )

    def __init__(self, title, subtitle, source, legend_html, layer_vars, control, config: dict):
        super().__init__()
        self._name = "Chrome"
        self.title, self.subtitle, self.source = escape(title), escape(subtitle), escape(source)
        self.legend = legend_html
        self.legend_name = escape(config.get("text", {}).get("legend", ""))
        self.layer_vars = layer_vars
        self.control = control or "null"
        self.config = ",\n  ".join(
            f"{k}: {script_safe(json.dumps(v, ensure_ascii=False, separators=(',', ':')))}" for k, v in config.items()
        )


class ExtraHtml(Parts):
    """HTML of the caller's own placed after the map's elements (the site's profile mark)."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.html }}{% endmacro %}")

    def __init__(self, html: str):
        super().__init__()
        self.html = html


class TileLayer(folium.TileLayer, Parts):
    pass


class LayerControl(folium.LayerControl, Parts):
    pass


def tile_layer(url: str, name: str, **spec):
    """A base map of tiles (only where the reader asked for them: the page works without)."""
    return TileLayer(url, name=name, overlay=False, control=False, **spec)


def layer_control():
    """folium's layer control, open, top right."""
    return LayerControl(collapsed=False, position="topright")


@lru_cache(maxsize=1)
def _page_template() -> Template:
    """The page's template, compiled once."""
    return Template(PAGE)
