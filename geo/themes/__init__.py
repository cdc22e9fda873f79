"""Themes: what to draw and how it looks, shared by the HTML and the static renderer.

A theme turns an :class:`~geo.atlas.Atlas` into layers of styled features (colour,
edge, dash, hatch per feature), tooltips and popups as structured text, legend entries
and labels. It knows policies and pairings; it knows nothing about folium or matplotlib,
so the HTML page and the PDF always agree. One module per theme; adding a theme is one new
file and one line in ``_BUILDERS``.
"""

from __future__ import annotations

from ..errors import RenderError, param
from ..words import COMPILED, edition_name, member_label, say, text
from .base import (
    BACKGROUND,
    CITY_COLORS,
    CONTEXT_FILL,
    SEQUENTIAL,
    STATUS_CATEGORIES,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_borders,
    city_polygons,
    classify_counts,
    context_veil,
    curve,
)
from .change import change
from .indicator import indicator
from .mono import monochrome
from .overview import overview
from .pairing import pairing
from .policy import policy
from .status import status

__all__ = [
    "BACKGROUND",
    "CITY_COLORS",
    "COMPILED",
    "CONTEXT_FILL",
    "NEEDS_DATA",
    "SEQUENTIAL",
    "STATUS_CATEGORIES",
    "THEMES",
    "Layer",
    "Legend",
    "LegendItem",
    "Theme",
    "build_theme",
    "city_borders",
    "city_polygons",
    "classify_counts",
    "curve",
    "edition_name",
    "member_label",
    "text",
    "view_extent",
]

_BUILDERS = {
    "overview": overview,
    "pairing": pairing,
    "policy": policy,
    "status": status,
    "change": change,
    "indicator": indicator,
}
THEMES = tuple(_BUILDERS)
#: themes drawn from data the user brings (not part of `shanhai build` or the atlas page)
NEEDS_DATA = ("indicator",)


#: options a theme takes beyond the atlas and the language
OPTIONS = {
    "status": ("year",),
    "change": ("old", "new", "links"),
    "indicator": ("data", "scheme", "k", "bins", "scope", "links", "year"),
    "pairing": ("gaps",),
}


def build_theme(atlas, theme: str, lang: str = "zh", detail: bool = True, mono: bool = False, **options) -> Theme:
    """The drawable layers of ``theme`` for ``atlas``.

    ``detail=False`` skips tooltips and popups (static maps do not show them); ``mono``
    draws it to read in grey (:func:`geo.themes.mono.monochrome`). Options: ``year``
    (status) keeps the designations in force at the end of that year.
    """
    if theme not in _BUILDERS:
        raise RenderError(say("render.unknown_theme", theme=theme, themes=say("list.enum").join(THEMES)))
    text("pairing", lang)  # validates lang
    options = {k: v for k, v in options.items() if v is not None}
    to_file = options.get("scope") == "file"
    if to_file and theme != "indicator":
        options.pop("scope")
    for k in options:
        if k not in OPTIONS.get(theme, ()):
            takers = [t for t, opts in OPTIONS.items() if k in opts]
            raise RenderError(
                say("render.option_theme", option=param(k), themes=say("county.or").join(takers), theme=theme)
            )
    th = _BUILDERS[theme](atlas, lang, detail, **options)
    th = with_context(atlas, th, lang, to_file)
    return monochrome(th) if mono else th


def view_extent(atlas, scope=None) -> tuple[float, float, float, float]:
    """The lon/lat box a map of ``atlas`` shows: every county, or with ``scope="file"``
    (``--scope file``) the counties of the user's boundary file."""
    c = atlas.counties
    if scope == "file" and "boundary" in c and (c["boundary"] == "file").any():
        c = c[c["boundary"] == "file"]
    return tuple(float(v) for v in c.total_bounds)


def with_context(atlas, th: Theme, lang: str, to_file: bool) -> Theme:
    """A theme of an atlas whose boundaries come partly from the user's file: the units from
    the embedded data under a light veil, and with ``to_file`` (``--scope file``) the view
    cut to the file's units."""
    c = atlas.counties
    own = c["boundary"] == "file" if "boundary" in c else None
    if to_file and (own is None or not own.any()):
        raise RenderError(say("render.scope_file", scope=param("scope", "file"), boundaries=param("boundaries")))
    veil = context_veil(atlas, lang)
    if veil is not None:
        # under the labels and links, over the fills: after the last polygon layer
        at = max((i + 1 for i, layer in enumerate(th.layers) if layer.kind == "polygons"), default=0)
        th.layers.insert(at, veil)
    if to_file:
        th.extent = view_extent(atlas, "file")
        th.labels = th.labels[th.labels["code"].isin(set(c.loc[own, "code"]))] if "code" in th.labels else th.labels
    return th
