"""shanhai-atlas: maps of Zhejiang's 26 mountain counties and their 山海协作 partners.

The public API is small::

    import geo
    atlas = geo.load_atlas()                 # the embedded layers, edition 2021
    geo.export_gpkg(atlas, "atlas.gpkg")     # joined layers for QGIS

Heavy pieces (folium, matplotlib) are imported only when a renderer is used.
"""

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
    "pair_gaps",
    "render_html",
    "render_static",
    "render_timeline",
    "timeline",
    "trend",
    "write_report",
    "write_slides",
]


def load_atlas(*args, **kwargs):
    from .atlas import load_atlas as impl

    return impl(*args, **kwargs)


load_atlas.__doc__ = "Load and join the layers into an Atlas; see :func:`geo.atlas.load_atlas`."


def export_gpkg(atlas, path):
    from .export import export_gpkg as impl

    return impl(atlas, path)


export_gpkg.__doc__ = (
    "Write the joined layers to a GeoPackage that opens in QGIS styled as the maps; see :func:`geo.export.export_gpkg`."
)


def render_html(atlas, theme="overview", **kwargs):
    from .html import render_html as impl

    return impl(atlas, theme, **kwargs)


render_html.__doc__ = "Render a theme as a folium.Map (offline HTML); see :func:`geo.html.render_html`."


def render_static(atlas, theme="overview", **kwargs):
    from .static import render_static as impl

    return impl(atlas, theme, **kwargs)


render_static.__doc__ = "Render a theme as a matplotlib Figure; see :func:`geo.static.render_static`."


def designations_in_force(atlas, year=None, **kwargs):
    from .history import designations_in_force as impl

    return impl(atlas, year, **kwargs)


designations_in_force.__doc__ = (
    "The designations in force at the end of a year; see :func:`geo.history.designations_in_force`."
)


def timeline(atlas, county, lang="zh"):
    from .history import timeline as impl

    return impl(atlas, county, lang)


timeline.__doc__ = "The dated events of one county; see :func:`geo.history.timeline`."


def render_timeline(atlas, county, **kwargs):
    from .static import render_timeline as impl

    return impl(atlas, county, **kwargs)


render_timeline.__doc__ = "One county's timeline as a matplotlib Figure; see :func:`geo.static.render_timeline`."


def load_indicator(atlas, column=None, data=None, **kwargs):
    from .indicators import load_indicator as impl

    return impl(atlas, column, data, **kwargs)


load_indicator.__doc__ = (
    "A numeric column keyed by county, or an indicator over time (one column per year, or a year column); "
    "see :func:`geo.indicators.load_indicator`."
)


def pair_gaps(atlas, data, column=None, **kwargs):
    from .indicators import pair_gaps as impl

    return impl(atlas, data, column, **kwargs)


pair_gaps.__doc__ = "Each pairing compared on one indicator; see :func:`geo.indicators.pair_gaps`."


def trend(atlas, data=None, column=None, **kwargs):
    from .trends import trend as impl

    return impl(atlas, data, column, **kwargs)


trend.__doc__ = (
    "Is the gap closing? An indicator over time for the mountain counties, the rest and the pairings, "
    "by year and over the period (beta-convergence); see :func:`geo.trends.trend`."
)


def division_changes(since=None):
    from .divisions import changes as impl

    return impl(since)


division_changes.__doc__ = (
    "Zhejiang's county-level changes since 2000 (renames, mergers, splits), oldest first; "
    "see :func:`geo.divisions.changes`."
)


def county_record(atlas, county, lang="zh"):
    from .county import county_record as impl

    return impl(atlas, county, lang)


county_record.__doc__ = (
    "Everything the atlas knows about one county, as plain data; see :func:`geo.county.county_record`."
)


def write_report(atlas, path, **kwargs):
    from .products.report import write_report as impl

    return impl(atlas, path, **kwargs)


write_report.__doc__ = (
    "Write the editable Word report (.docx): the province, or ``counties=[...]`` one section each; "
    "see :func:`geo.products.report.write_report`."
)


def write_slides(atlas, path, **kwargs):
    from .products.slides import write_slides as impl

    return impl(atlas, path, **kwargs)


write_slides.__doc__ = "Write the editable 16:9 PowerPoint deck (.pptx); see :func:`geo.products.slides.write_slides`."
