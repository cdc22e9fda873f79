"""Themes: what to draw and how it looks, shared by the HTML and the static renderer.

A theme turns an :class:`~geo.atlas.Atlas` into layers of styled features (colour,
edge, dash, hatch per feature), tooltips and popups as structured text, legend entries
and labels. It knows policies and pairings; it knows nothing about folium or matplotlib,
so the HTML page and the PDF always agree. One module per theme; adding a theme is one new
file and one line in ``_BUILDERS``.
"""

from __future__ import annotations

from ..errors import RenderError
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
    curve,
)
from .change import change
from .indicator import indicator
from .mono import monochrome
from .overview import overview
from .pairing import pairing
from .policy import policy
from .status import status
from .text import COMPILED, edition_name, member_label, text

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
    "change": ("old", "new"),
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
        raise RenderError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}.")
    text("pairing", lang)  # validates lang
    options = {k: v for k, v in options.items() if v is not None}
    for k in options:
        if k not in OPTIONS.get(theme, ()):
            takers = [t for t, opts in OPTIONS.items() if k in opts]
            raise RenderError(f"--{k} goes with the {' or '.join(takers)} theme, not {theme}.")
    th = _BUILDERS[theme](atlas, lang, detail, **options)
    return monochrome(th) if mono else th
