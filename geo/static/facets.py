"""Small multiples: one panel per status designation, policy document or year (status, or an
indicator over time with one classification across the years), one shared legend."""

from __future__ import annotations

import copy

import numpy as np

from ..errors import RenderError
from ..history import status_years
from ..naming import localized
from ..themes import BACKGROUND, build_theme, text
from ..words import say
from .draw import draw_layer
from .figure import (
    FACET_HEIGHT,
    MIN_PT,
    SIZES,
    TITLE_WEIGHT,
    font_context,
    foot_height,
    new_figure,
    project_bounds,
    text_pt,
)
from .furniture import wrap_head_and_source, wrap_note
from .legend import fit_legend, legend_entries, place_legend, printed_layers
from .wrap import wrap_text


def _no_counts(layers):
    """Copies of ``layers`` whose legend items carry no count (a shared legend names the
    classes; the counts belong to each panel, not to all)."""
    out = [copy.copy(ly) for ly in layers]
    for ly in out:
        if ly.legend:
            ly.legend = copy.copy(ly.legend)
            ly.legend.items = [copy.copy(it) for it in ly.legend.items]
            for it in ly.legend.items:
                it.count = None
    return out


def _indicator_panels(simple, th, lang, years, mono, options):
    """An indicator over time: one panel per year, one classification across all years."""
    data = options["data"]
    panels, layers = [], []
    for y in years:
        ty = build_theme(simple, "indicator", lang, detail=False, mono=mono, **{**options, "year": y})
        layers = [ly for ly in ty.layers if ly.show]
        panels.append((text("year_title", lang, year=y), layers))
    scheme = text("scheme_" + options.get("scheme", "quantiles"), lang)
    subtitle = text("subtitle_indicator_years", lang, scheme=scheme, k=th.counts["k"], span=data.span,
                    source=data.source)  # fmt: skip
    return panels, _no_counts(layers), subtitle


def default_indicator_years(data, n: int = 8) -> list[int]:
    """The years of an indicator over time for small multiples: all of them up to ``n``,
    else ``n`` spread evenly from the first to the last."""
    ys = data.years
    if len(ys) <= n:
        return ys
    pick = np.unique(np.round(np.linspace(0, len(ys) - 1, n)).astype(int))
    return [ys[i] for i in pick]


def _facet_panels(atlas, simple, th, lang, facet, years=None, mono=False, options=None):
    """(title, layers) per panel, and the layers whose legend is shared by all panels."""
    if facet == "year" and th.id == "indicator":
        return _indicator_panels(simple, th, lang, years, mono, options or {})
    if facet == "year":
        panels, legend_layers, counts = [], [], []
        for y in years:
            ty = build_theme(simple, "status", lang, detail=False, year=y, mono=mono)
            layers = printed_layers(ty)
            panels.append((str(y), layers))
            legend_layers = layers
            n = ty.counts["in_force"]
            counts.append(text("year_count", lang, y=y, n=n))
        legend_layers = _no_counts(legend_layers)
        subtitle = text(
            "subtitle_status_years", lang, counts=text("comma_sep", lang).join(counts), u=ty.counts["unknown"]
        )
        return panels, legend_layers, subtitle
    panels = []
    for panel in th.facets:
        title = text("cat_" + panel, lang) if facet == "designation" else _doc_label(atlas, panel, lang)
        panels.append((title, _layers_for(th, panel)))
    return panels, [ly for ly in th.layers if ly.group == "context" or ly.facet], th.subtitle


def default_years(atlas, n: int = 5) -> list[int]:
    """A spread of the years present: the latest, then back in steps of two."""
    present = status_years(atlas)
    if not present:
        raise RenderError(say("render.no_years_to_facet"))
    out = []
    for target in range(present[-1], present[0] - 1, -2):
        y = max((p for p in present if p <= target), default=None)
        if y is not None and y not in out:
            out.append(y)
        if len(out) == n:
            break
    return sorted(out)


def render_facets(atlas, simple, th, lang, size, facet, years=None, *, spec=None, words=None, options=None):
    """Small multiples: one panel per designation, document or year, one shared legend.

    ``spec`` is the page of :func:`~geo.static.figure.page_spec` (default: the preset
    ``size``): a narrow page gets the half-page layout, a page of fixed height the slide's
    (panels fitted to the height); ``words`` the author's title, subtitle and note;
    ``options`` the indicator theme's (its ``data`` an indicator over time, by year).
    """
    width, fixed_h, base, legend_at = spec or SIZES[size]
    size = "half" if legend_at == "below" else "slide" if fixed_h is not None else "a4"
    page_h = fixed_h if fixed_h is not None else FACET_HEIGHT[size]
    words = words or {}
    mono = th.mono
    panels, legend_layers, subtitle = _facet_panels(atlas, simple, th, lang, facet, years, mono=mono, options=options)
    own_title = options["data"].title if th.id == "indicator" else th.title
    head_title = own_title if words.get("title") is None else words["title"]
    subtitle = subtitle if words.get("subtitle") is None else words["subtitle"]
    minx, miny, maxx, maxy = project_bounds(th.extent)
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ext = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    n = len(panels)
    split = 0.7 if size == "a4" else 0.74 if size == "slide" else 0.98
    aspect = (ext[3] - ext[1]) / (ext[2] - ext[0])
    panel_pt = max(MIN_PT, base * 0.85)
    title_in = panel_pt * 1.6 / 72  # a panel's title above its frame
    # words wrapped before the layout, so nothing runs off the page (English runs longer)
    sub_lines, src_lines = wrap_head_and_source(subtitle, th.source, width, base)
    note_lines = wrap_note(words.get("note") or "", width, base)
    ncol = 2 if size == "half" else 1
    side_w = width * (0.94 - 0.015) if size == "half" else width * (0.99 - split - 0.015)  # the legend's room
    handles, labels = legend_entries(legend_layers)
    legend_pt = text_pt(base, "legend")
    fit = fit_legend(handles, labels, legend_pt, (ncol, 1), side_w - 0.02, np.inf, frame=False)
    if fit:
        handles, labels, legend_pt, ncol, (_, legend_h) = fit
    else:  # a word wider than the column: one column at the smallest size
        handles, labels, legend_pt, ncol, (_, legend_h) = fit_legend(
            handles, labels, MIN_PT, (1,), np.inf, np.inf, frame=False
        )
    title_pt, sub_pt, foot_pt = text_pt(base, "title"), text_pt(base, "subtitle"), text_pt(base, "foot")
    head_in = ((title_pt * 1.25 if head_title else 0) + len(sub_lines) * sub_pt * 1.3 + base * 0.9) / 72
    foot_in = foot_height(base, len(note_lines) + len(src_lines)) + base * 0.5 / 72
    band_in = legend_h + 0.12 if size == "half" and handles else 0.0
    box_w = width * (split - 0.03) if size != "half" else width * 0.98

    def panel_width(c):  # the widest panel c columns allow (a slide's height is fixed)
        r = -(-n // c)
        fit_h = (page_h - head_in - foot_in - 0.1) / r - title_in if size == "slide" else np.inf
        return min(box_w / c, fit_h / aspect)

    if size == "slide":
        cols = max(range(1, n + 1), key=lambda c: (round(panel_width(c), 3), -c))
    else:
        cols = 1 if n == 1 else (4 if n > 6 else 3 if n > 4 else 2)
    rows = -(-n // cols)
    pw = panel_width(cols)
    # each panel's title wrapped to its panel (a long English one ran off the page), and the
    # row of titles as tall as the longest; a slide's panels shrink for the lines once more
    for _ in range(2):
        titles = [wrap_text(t, pw * 0.98 * 72, panel_pt) for t, _ in panels]
        title_in = panel_pt * (1.3 * max(map(len, titles), default=1) + 0.3) / 72
        pw = panel_width(cols)
    panel_h = pw * aspect + title_in
    height = page_h if size == "slide" else head_in + rows * panel_h + band_in + foot_in
    with font_context(base):
        fig = new_figure(width, height)
        head, foot = 1 - head_in / height, foot_in / height
        band = band_in / height
        # the panels packed together and centred in the space left by the head, the foot and
        # the legend (a slide's fixed page would otherwise spread them apart)
        left, right = 0.01, (split - 0.02 if size != "half" else 0.99)
        grid_w, grid_h = cols * pw / width, rows * panel_h / height
        x0 = left + (right - left - grid_w) / 2
        y0 = foot + band + (head - foot - band - grid_h) / 2
        side_box = [split, foot, 0.99 - split, y0 + grid_h - foot] if size != "half" else [0.03, foot, 0.94, band]
        for i, (_, layers) in enumerate(panels):
            w, h = pw / width, panel_h / height
            ax = fig.add_axes(
                [
                    x0 + (i % cols) * w + w * 0.01,
                    y0 + (rows - 1 - i // cols) * h,
                    w * 0.98,
                    (pw * 0.98 * aspect) / height,
                ]
            )
            ax.set_facecolor("#ffffff" if mono else BACKGROUND)
            for k, layer in enumerate(layers):
                draw_layer(ax, layer, 2 + k, scale=base / SIZES["a4"][2])
            ax.set_xlim(ext[0], ext[2])
            ax.set_ylim(ext[1], ext[3])
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            for sp in ax.spines.values():
                sp.set_linewidth(0.5)
                sp.set_color("#888888")
            ax.set_title("\n".join(titles[i]), fontsize=panel_pt, pad=2)
        from matplotlib.transforms import offset_copy

        top = 1 - base * 0.3 / 72 / height
        if head_title:
            fig.text(0.015, top, head_title, fontsize=title_pt, fontweight=TITLE_WEIGHT, va="top", ha="left")
        for i, line in enumerate(sub_lines):
            down = (title_pt * 1.25 if head_title else 0) + i * sub_pt * 1.3
            at = offset_copy(fig.transFigure, fig=fig, y=-down, units="points")
            fig.text(0.015, top, line, fontsize=sub_pt, va="top", ha="left", color="#333333", transform=at)
        fig.text(0.015, 0.008, "\n".join(src_lines), fontsize=foot_pt, va="bottom", ha="left", color="#555555",
                 linespacing=1.3)  # fmt: skip
        if note_lines:
            at = offset_copy(fig.transFigure, fig=fig, y=foot_pt * 1.3 * len(src_lines), units="points")
            fig.text(0.015, 0.008, "\n".join(note_lines), fontsize=foot_pt, va="bottom", ha="left",
                     color="#222222", linespacing=1.3, transform=at)  # fmt: skip
        leg_ax = fig.add_axes([side_box[0] + 0.015, side_box[1], side_box[2] - 0.015, side_box[3] * 0.95])
        leg_ax.axis("off")
        if handles:
            place_legend(leg_ax, handles, labels, legend_pt, ncol, loc="upper left", frameon=False, borderaxespad=0)
    return fig


def _doc_label(atlas, doc, lang="zh"):
    d = atlas.documents.set_index("document").loc[doc]
    return localized(d, "short_title", lang) or localized(d, "title", lang)


def _layers_for(theme, facet: str | None):
    if facet is None:
        return [ly for ly in theme.layers if ly.show]
    return [
        ly
        for ly in theme.layers
        if ly.group == "context" or ly.facet == facet or (not ly.facet and not ly.base and ly.kind == "lines")
    ]
