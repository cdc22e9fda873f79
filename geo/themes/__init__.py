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

_BUILDERS = {"overview": overview, "pairing": pairing, "policy": policy, "status": status}
THEMES = tuple(_BUILDERS)


def build_theme(atlas, theme: str, lang: str = "zh", detail: bool = True) -> Theme:
    """The drawable layers of ``theme`` (overview, pairing, policy, status) for ``atlas``.

    ``detail=False`` skips tooltips and popups (static maps do not show them).
    """
    if theme not in _BUILDERS:
        raise RenderError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}.")
    text("pairing", lang)  # validates lang
    return _BUILDERS[theme](atlas, lang, detail)
