"""The static map: :func:`render_static` (a single map, or small multiples through
:mod:`.facets`) and :func:`save_gif`, the status map year by year."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import RenderError
from ..geometry import drop_small_parts, simplified
from ..themes import THEMES, build_theme
from .draw import draw_geoms, draw_lines, draw_polygons
from .facets import default_years, render_facets
from .figure import (
    NEIGHBOUR_EDGE,
    NEIGHBOUR_FILL,
    PROVINCE_EDGE,
    SEA,
    SIMPLIFY_DEG,
    SIZES,
    TITLE_WEIGHT,
    font_context,
    new_figure,
    page_layout,
    project_bounds,
    project_frame,
)
from .furniture import locator, north_arrow, provinces, scale_bar, wrap_head_and_source
from .labels import county_labels
from .legend import legend_columns, legend_entries, legend_lines, place_legend, wrap_labels


def render_static(
    atlas,
    theme: str = "overview",
    *,
    lang: str = "zh",
    size: str = "a4",
    facet: str | None = None,
    simplify: float | None = None,
    year: int | None = None,
    years: list[int] | None = None,
    **options,
):
    """Render ``theme`` of ``atlas`` as a matplotlib Figure.

    Parameters
    ----------
    atlas : Atlas
    theme : {"overview", "pairing", "policy", "status", "change"}
    lang : {"zh", "en"}
    size : {"a4", "half", "slide"}
        16 cm wide, 8 cm wide, or 16:9.
    facet : {None, "designation", "document", "year"}
        Small multiples: one panel per status designation, per policy document, or per
        year (status, the years of ``years``).
    simplify : float, optional
        Simplification tolerance in degrees; default: one 300-dpi pixel of the page.
    year : int, optional
        Status: the designations in force at the end of that year.
    years : list of int, optional
        The panels of ``facet="year"`` (default: a spread of the years present).
    **options
        Theme options: for ``indicator`` ``data`` (an Indicator), ``scheme``, ``k``,
        ``bins``, ``scope``, ``links``; for ``pairing`` ``gaps`` (from ``pair_gaps``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if theme not in THEMES:
        raise RenderError(f"unknown theme {theme!r} for a static map: use one of {', '.join(THEMES)}.")
    if size not in SIZES:
        raise RenderError(f"unknown size {size!r}: use one of {', '.join(SIZES)}.")
    facet_theme = {"designation": "status", "document": "policy", "year": "status"}
    if facet not in (None, *facet_theme):
        raise RenderError(f"unknown facet {facet!r}: use designation or year (status), or document (policy).")
    if facet and facet_theme[facet] != theme:
        raise RenderError(f"--facet {facet} goes with the {facet_theme[facet]} theme.")
    if facet:
        simple = simplified(atlas, simplify or SIMPLIFY_DEG)
        if facet == "year":
            years = sorted(int(y) for y in years) if years else default_years(atlas)
        th = build_theme(simple, theme, lang, detail=False)
        return render_facets(atlas, simple, th, lang, size, facet, years)
    return _render_single(atlas, theme, lang, size, simplify, year=year, **options)


def _render_single(atlas, theme, lang, size, simplify, year=None, **options):
    import shapely

    width, _, base, legend_at = SIZES[size]
    # simplify at the output's resolution: one 300-dpi pixel of this page (0.08 mm)
    ext = project_bounds(tuple(atlas.counties.total_bounds))
    pad = 0.02 * max(ext[2] - ext[0], ext[3] - ext[1])
    ext = (ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad)
    if simplify is None:
        metres_per_inch = (ext[2] - ext[0]) / ((width - 0.12) * 0.72)
        simplify = max(SIMPLIFY_DEG, metres_per_inch / 300 / 111_000)
    simple = simplified(atlas, simplify)
    # islands under 3 x 3 pixels (0.25 mm) are below a printed dot
    simple.counties = simple.counties.set_geometry(
        drop_small_parts(simple.counties.geometry.values, (3 * simplify) ** 2)
    )
    th = build_theme(simple, theme, lang, detail=False, year=year, **options)
    layers = [ly for ly in th.layers if ly.show or ly.facet == "year_unknown"]
    handles, labels_ = legend_entries(layers)
    pt = 1 / 72
    subtitle, source = wrap_head_and_source(th.subtitle, th.source, width, base)
    ncol = 2 if legend_at == "below" else (2 if size == "slide" and len(handles) > 12 else 1)
    handles, labels_ = legend_columns(handles, labels_, ncol)
    if legend_at == "below":  # wrapped now, so the band below the frame is as tall as the legend
        labels_ = wrap_labels(labels_, (width - 0.12) / ncol / pt - base * 0.82 * 3.2, base)
    rows = legend_lines(labels_, ncol) + 1
    lay = page_layout(ext, size, len(subtitle), len(source), rows)
    W, H = lay["width"], lay["height"]
    with font_context(base):
        fig = new_figure(W, H)
        fx, fy, fw, fh = lay["frame"]
        ax = fig.add_axes([fx / W, fy / H, fw / W, fh / H])
        ax.set_facecolor(SEA)
        # neighbouring provinces, widened by 1 km under Zhejiang's own counties so the
        # coarse shared border never shows a sliver of sea
        nb = provinces()
        nb = nb[nb["code"] != "330000"]
        draw_geoms(
            ax, nb.geometry.buffer(1000, quad_segs=1).values, facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE,
            linewidth=0.4, zorder=1,
        )  # fmt: skip
        for k, layer in enumerate(layers):
            if layer.kind == "polygons":
                draw_polygons(ax, layer, 2 + k)
            else:  # line weights follow the page size
                draw_lines(ax, layer, 2 + k, scale=base / SIZES["a4"][2])
        province = shapely.coverage_union_all(project_frame(simple.counties).geometry.values)
        draw_geoms(ax, [province.boundary], edgecolor=PROVINCE_EDGE, linewidth=0.7, zorder=2 + len(layers))
        ax.set_xlim(*lay["xlim"])
        ax.set_ylim(*lay["ylim"])
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.set_xticks([])
        ax.set_yticks([])
        for sp in ax.spines.values():
            sp.set_linewidth(0.6)
            sp.set_color("#777777")
        labels = county_labels(ax, th, base, fig, full=size != "half")
        scale_bar(ax, base)
        north_arrow(ax, base)
        # title block
        top = 1 - lay["margin"] / H
        fig.text(lay["margin"] / W, top, th.title, fontsize=base * 1.45, fontweight=TITLE_WEIGHT, va="top")
        y = top - base * 1.45 * 1.25 * pt / H
        for line in subtitle:
            fig.text(lay["margin"] / W, y, line, fontsize=base * 0.9, va="top", color="#333333")
            y -= base * 0.9 * 1.3 * pt / H
        y = lay["margin"] / H
        for line in reversed(source):
            fig.text(lay["margin"] / W, y, line, fontsize=base * 0.62, va="bottom", color="#555555")
            y += base * 0.62 * 1.3 * pt / H
        # the sea column east of the land: locator on top, legend below it
        sea_w = fw - lay["land_w"]
        gap = 0.06
        b = provinces().total_bounds
        aspect = (b[3] - b[1]) / (b[2] - b[0])
        inset_h = min((sea_w - 2 * gap) * aspect, fh * (0.34 if legend_at == "sea" else 0.42))
        inset_w = inset_h / aspect
        inset = fig.add_axes([(fx + fw - gap - inset_w) / W, (fy + fh - gap - inset_h) / H, inset_w / W, inset_h / H])
        main_extent = (*ax.get_xlim(), *ax.get_ylim())
        locator(inset, (main_extent[0], main_extent[2], main_extent[1], main_extent[3]), base, lang=lang)
        if handles and legend_at == "sea":  # long entries wrap to the sea column
            labels_ = wrap_labels(labels_, (sea_w - 2 * gap) / ncol / pt - base * 0.82 * 3.2, base)
        if handles:
            if legend_at == "sea":
                x0 = (lay["land_w"] + gap) / fw
                y0 = (fh - 2 * gap - inset_h) / fh
                leg = place_legend(
                    ax, handles, labels_, base, ncol, loc="upper left", bbox_to_anchor=(x0, y0),
                    frameon=True, borderaxespad=0, framealpha=0.85, edgecolor="#bbbbbb",
                )  # fmt: skip
            else:
                leg = place_legend(
                    fig, handles, labels_, base, ncol, loc="upper left",
                    bbox_to_anchor=((fx + 0.12) / W, (fy - 0.04) / H), frameon=False, borderaxespad=0,
                )  # fmt: skip
            leg.set_zorder(30)
        fig._shanhai_labels = labels
        fig._shanhai_frame = ax
        fig._shanhai_inset = inset
    return fig


def save_gif(atlas, path, *, lang: str = "zh", size: str = "slide", years=None, dpi: int = 72, seconds: float = 1.2):
    """The status map year by year as an animated GIF, one frame per year.

    Every frame is the full static map of that year (same layout, so nothing jumps);
    frames are quantised to one shared palette and written with Pillow.
    """
    from PIL import Image

    from .._io import atomic_path
    from ..history import status_years

    years = sorted(int(y) for y in years) if years else status_years(atlas)
    if not years:
        raise RenderError("no status row carries a year: there is nothing to animate.")
    frames = []
    for y in years:
        fig = render_static(atlas, "status", lang=lang, size=size, year=y)
        fig.set_dpi(dpi)
        with font_context():
            fig.canvas.draw()
        frames.append(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB"))
    palette = frames[-1].quantize(colors=96, method=Image.Quantize.MEDIANCUT)
    frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    path = Path(path)
    with atomic_path(path) as tmp:
        durations = [int(seconds * 1000)] * (len(frames) - 1) + [int(seconds * 2500)]  # dwell on the last
        frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return path
