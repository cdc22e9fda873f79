"""The page's own files and Leaflet, inlined from installed packages; element ids that
make the same input give the same bytes."""

from __future__ import annotations

import base64
import re
import weakref
from functools import lru_cache
from pathlib import Path

from ..errors import RenderError
from ..notices import LEAFLET_CONDITIONS
from ..words import say

#: each page's HTML, rendered once while its element ids are deterministic (:func:`keep_page`);
#: a cache keyed by the folium Map, freed with it
_PAGES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def keep_page(m) -> None:
    """Render the page of the folium Map ``m`` now and keep it for :func:`page_html`."""
    _PAGES[m] = m.get_root().render()


def page_html(m) -> str:
    """The full HTML of a map built by :func:`geo.render_html` (rendered once, when built)."""
    page = _PAGES.get(m)
    return page if page is not None else m.get_root().render()


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    try:
        from xstatic.pkg import leaflet
    except ImportError:  # pragma: no cover
        raise RenderError(say("render.no_leaflet")) from None
    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m):
        img = base / m.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(img.read_bytes()).decode()})"

    css = re.sub(r"url\((images/[\w\-.]+\.png)\)", data_uri, css)
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    # the library's header (its copyright notice) stays first; its licence's conditions follow
    header = re.match(r"/\*\s*@preserve.*?\*/\n?", js, flags=re.S)
    if header is None:
        raise RenderError(say("render.leaflet_header", path=base / "leaflet.js"))
    js = js[: header.end()] + "/*\n" + LEAFLET_CONDITIONS + "*/\n" + js[header.end() :]
    # the attribution prefix is the library's only outbound link; the page sets a plain one
    js = js.replace('href="https://leafletjs.com"', 'href="#"')
    return js, css


ASSETS = Path(__file__).resolve().parent.parent / "assets"


@lru_cache(maxsize=4)
def page_asset(name: str) -> str:
    """One of the page's own files (geo/assets/page.js, page.css), read once."""
    return (ASSETS / name).read_text(encoding="utf-8")


def script_safe(text_: str) -> str:
    """Script text (code or JSON) safe inside a <script> element, whatever its strings hold."""
    # "</" would end the element; "<!--" would start the parser's escaped state, in which a
    # later "<script" makes the element's own closing tag not close it (the page swallowed).
    # In the JSON and code we inline both occur only in strings, regexes and comments, where
    # "<\/" and "\u003c" read the same.
    return text_.replace("</", "<\\/").replace("<!--", "\\u003c!--")
