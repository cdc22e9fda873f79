"""Interactive pieces of the county profile (the offline site builds on these)."""

from __future__ import annotations

__all__ = ["profile_map"]


def profile_map(atlas, county, *, lang: str = "zh"):
    """A folium Map of the pairing theme fitted to ``county`` and its partners, whose
    popups carry the same facts, clauses and designations as the printed profile."""
    from .html import render_html

    return render_html(atlas, "pairing", lang=lang, focus=county)
