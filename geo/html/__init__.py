"""HTML rendering with folium: offline, deterministic, escaped.

- Every script and stylesheet is inlined from installed packages (Leaflet from
  ``xstatic-leaflet``); the legend, search box and full-screen button are plain HTML/JS,
  so the page needs no network. Tiles are off by default.
- County polygons are simplified as a coverage and emitted once; each themed layer only
  carries its styles and tooltips, so pages stay small.
- Element ids come from a counter (:func:`.elements.deterministic_ids`): same input, same bytes.
- Every text from the data is HTML-escaped before it reaches the page.
"""

from .assets import leaflet_assets, page_asset
from .choropleth import choropleth_html
from .elements import deterministic_ids
from .encode import encode_geometry, escape, popup_html, shared_data, source_html, tooltip_html
from .page import SIMPLIFY_DEG, TILES, page_html, render_html, save_html

__all__ = [
    "SIMPLIFY_DEG",
    "TILES",
    "choropleth_html",
    "deterministic_ids",
    "encode_geometry",
    "escape",
    "leaflet_assets",
    "page_asset",
    "page_html",
    "popup_html",
    "render_html",
    "save_html",
    "shared_data",
    "source_html",
    "tooltip_html",
]
