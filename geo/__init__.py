"""shanhai-atlas: maps of Zhejiang's 26 mountain counties and their 山海协作 partners.

The public API is small::

    import geo
    atlas = geo.load_atlas()                 # the embedded layers, edition 2021
    geo.export_gpkg(atlas, "atlas.gpkg")     # joined layers for QGIS

Heavy pieces (folium, matplotlib) are imported only when a renderer is used: the public
functions are looked up where they live on first use (PEP 562), so ``import geo`` stays light
while ``help(geo.load_atlas)`` shows the real signature and docstring.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__  # the one source of the version, read by pyproject.toml too
from .errors import (
    CountyNameError,
    CRSError,
    DataLayerError,
    DataSourceError,
    GeoError,
    Problem,
    RenderError,
)
from .registry import get_registry

__all__ = [
    "CRSError",
    "CountyNameError",
    "DataLayerError",
    "DataSourceError",
    "GeoError",
    "Problem",
    "RenderError",
    "__version__",
    "county_record",
    "designations_in_force",
    "division_changes",
    "export_gpkg",
    "get_registry",
    "load_atlas",
    "load_indicator",
    "messages_in",
    "pair_gaps",
    "render_html",
    "render_static",
    "render_timeline",
    "timeline",
    "trend",
    "use_cjk_font",
    "write_report",
    "write_slides",
]


#: each public function and the module it lives in (``module:name`` where the names differ)
_LAZY = {
    "load_atlas": "atlas",
    "export_gpkg": "export",
    "render_html": "html",
    "render_static": "static",
    "render_timeline": "static",
    "use_cjk_font": "static.figure",
    "messages_in": "catalog",
    "designations_in_force": "history",
    "timeline": "history",
    "load_indicator": "indicators",
    "pair_gaps": "indicators",
    "trend": "trends",
    "division_changes": "divisions:changes",
    "county_record": "county",
    "write_report": "products.report",
    "write_slides": "products.slides",
}

if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from .atlas import load_atlas
    from .catalog import messages_in
    from .county import county_record
    from .divisions import changes as division_changes
    from .export import export_gpkg
    from .history import designations_in_force, timeline
    from .html import render_html
    from .indicators import load_indicator, pair_gaps
    from .products.report import write_report
    from .products.slides import write_slides
    from .static import render_static, render_timeline
    from .static.figure import use_cjk_font
    from .trends import trend


def __getattr__(name: str):
    try:
        module, _, attr = _LAZY[name].partition(":")
    except KeyError:
        raise AttributeError(f"module 'geo' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), attr or name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
