"""The static map: :func:`render_static` (a single map, or small multiples through
:mod:`.facets`) and :func:`save_gif`, the status map year by year."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._io import atomic_path
from ..errors import RenderError, param
from ..geometry import dissolve, drop_small_parts, simplified
from ..history import status_years
from ..themes import THEMES, build_theme, view_extent
from ..words import say
from .draw import draw_geoms, draw_layer, marker_boxes
from .facets import default_indicator_years, default_years, render_facets
from .figure import (
    CM,
    FURNITURE,
    MIN_PT,
    MONO_FURNITURE,
    SIMPLIFY_DEG,
    SIZES,
    base_pt,
    figure_png,
    font_context,
    new_figure,
    page_layout,
    page_spec,
    project_bounds,
    project_frame,
    text_pt,
)
from .furniture import (
    draw_head_and_foot,
    locator,
    north_arrow,
    provinces,
    scale_bar,
    scale_bar_box,
    wrap_head_and_source,
    wrap_note,
)
from .labels import county_labels
from .legend import fit_legend, legend_entries, place_legend, printed_layers


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
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    width_cm: float | None = None,
    height_cm: float | None = None,
    mono: bool = False,
    ax=None,
    **options,
):
    """Render ``theme`` of ``atlas`` as a matplotlib Figure, or draw it into ``ax``.

    Parameters
    ----------
    atlas : Atlas
    theme : {"overview", "pairing", "policy", "status", "change", "indicator"}
    lang : {"zh", "en"}
    size : {"a4", "half", "slide"}
        16 cm wide, 8 cm wide, or 16:9: the defaults of ``width_cm`` and ``height_cm``.
    facet : {None, "designation", "document", "year"}
        Small multiples: one panel per status designation, per policy document, or per
        year (status, the years of ``years``).
    simplify : float, optional
        Simplification tolerance in degrees; default: one 300-dpi pixel of the page.
    year : int, optional
        Status: the designations in force at the end of that year.
    years : list of int, optional
        The panels of ``facet="year"`` (default: a spread of the years present).
    title, subtitle : str, optional
        The author's own words instead of the theme's; ``""`` leaves the line out (both
        ``""``: no title block, the caption lives in the document).
    note : str, optional
        An extra line above the source line.
    width_cm, height_cm : float, optional
        The page in cm (5-60 wide, 4-60 tall); the text, legend and furniture scale with
        the width, and a page under 11 cm wide gets the half-page layout (legend below).
        Without a height the page is as tall as the map needs (a slide keeps 16:9).
    mono : bool
        Drawn to read in grey for black-and-white print: grey ramps, hatches and dashes
        keep every legend entry apart; the PNG is written as 8-bit grey.
    ax : matplotlib.axes.Axes, optional
        Draw the map into this Axes of one's own figure (a single map: no ``facet``, and the
        page options ``size``, ``width_cm``, ``height_cm`` do not apply). The map keeps its
        layers, labels, legend (inside the Axes), scale bar and north arrow; the title is
        the Axes' title (``title=""``: none) and the source line sits under the Axes. The
        text is sized for the Axes' width.
    **options
        Theme options: for ``indicator`` ``data`` (an Indicator), ``scheme``, ``k``,
        ``bins``, ``scope``, ``links``; for ``pairing`` ``gaps`` (from ``pair_gaps``).

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure; with ``ax``, that Axes, drawn into.

    Examples
    --------
    >>> import geo, geopandas, matplotlib.pyplot as plt
    >>> atlas = geo.load_atlas()
    >>> fig, (left, right) = plt.subplots(1, 2, figsize=(10, 5))  # doctest: +SKIP
    >>> geo.render_static(atlas, "pairing", ax=left)  # doctest: +SKIP
    >>> atlas.counties.plot(column="population", ax=right)  # doctest: +SKIP
    """
    if theme not in THEMES:
        raise RenderError(say("render.unknown_static_theme", theme=theme, themes=say("list.enum").join(THEMES)))
    if ax is not None:
        given = [f"{k}={v!r}" for k, v in (("facet", facet), ("width_cm", width_cm), ("height_cm", height_cm)) if v]
        if given:
            raise RenderError(say("render.ax_options", given=say("list.enum").join(given)))
        return _render_into(ax, atlas, theme, lang, {"title": title, "subtitle": subtitle, "note": note},
                            simplify, year=year, mono=mono, **options)  # fmt: skip
    spec = page_spec(size, width_cm, height_cm)  # checks the size and the numbers
    words = {"title": title, "subtitle": subtitle, "note": note}
    facet_theme = {"designation": ("status",), "document": ("policy",), "year": ("status", "indicator")}
    if facet not in (None, *facet_theme):
        raise RenderError(say("render.unknown_facet", facet=facet))
    if facet and theme not in facet_theme[facet]:
        raise RenderError(
            say("render.facet_theme", facet=param("facet", facet), themes=say("county.or").join(facet_theme[facet]))
        )
    if facet:
        # a panel is narrower than the page: what the page's map cannot show, a panel cannot
        # (the islands stay: the panels' grid is laid out on the province's extent)
        simple = _printable(atlas, simplify, _padded_extent(atlas, None), spec[0], islands=True)
        if theme == "indicator":  # by year: an indicator over time
            data = options.get("data")
            if data is None or len(data.years) < 2:
                raise RenderError(say("render.needs_years", what=param("facet", "year")))
            years = sorted(int(y) for y in years) if years else default_indicator_years(data)
            for y in years:
                data.at(y)  # says which years there are
            th = build_theme(simple, theme, lang, detail=False, mono=mono, **options)
        else:
            if facet == "year":
                years = sorted(int(y) for y in years) if years else default_years(atlas)
            th = build_theme(simple, theme, lang, detail=False, mono=mono)
        fig = render_facets(atlas, simple, th, lang, size, facet, years, spec=spec, words=words, options=options)
    else:
        fig = _render_single(atlas, theme, lang, size, spec, words, simplify, year=year, mono=mono, **options)
    fig.mono = mono
    return fig


def theme_words(th, words) -> tuple[str, str, str]:
    """Title, subtitle and note: the author's where given, else the theme's (no note)."""
    title = th.title if words.get("title") is None else words["title"]
    subtitle = th.subtitle if words.get("subtitle") is None else words["subtitle"]
    return title, subtitle, words.get("note") or ""


GAP = 0.06  # inches between the frame's edge, the locator and the legend


def _inset_size(sea_w, fh, legend_at) -> tuple[float, float]:
    """The locator's width and height (inches) in the sea column ``sea_w`` wide."""
    b = provinces().total_bounds
    aspect = (b[3] - b[1]) / (b[2] - b[0])
    inset_h = min((sea_w - 2 * GAP) * aspect, fh * (0.34 if legend_at == "sea" else 0.42))
    return inset_h / aspect, inset_h


def _fit_legend(ext, spec, entries, n_sub, n_foot, has_title, two_first=False):
    """The layout and the legend fitted to its room: (layout, handles, labels, size, ncol).

    On the sea below the locator, in one column or two (two first on a slide with many
    entries), at the page's legend size or smaller down to :data:`MIN_PT`; where it does not
    fit there, in a band below the map (the half-page layout) as tall as the legend is."""
    handles0, labels0 = entries
    width, height, base, legend_at = spec
    size = text_pt(base, "legend")
    if legend_at == "sea":
        lay = page_layout(ext, spec, n_sub, n_foot, title=has_title)
        if not handles0:
            return lay, [], [], size, 1
        sea_w, fh = lay["frame"][2] - lay["land_w"], lay["frame"][3]
        room = fh - 3 * GAP - _inset_size(sea_w, fh, "sea")[1]
        ncols = (2, 1) if two_first and len(handles0) > 12 else (1, 2)
        fit = fit_legend(handles0, labels0, size, ncols, sea_w - 2 * GAP, room)
        if fit:
            handles, labels, size, ncol, _ = fit
            return lay, handles, labels, size, ncol
    # below the frame, across the page (a word wider than the page: one column, smallest)
    avail = width - 0.24
    fit = fit_legend(handles0, labels0, size, (2, 1), avail, np.inf, frame=False) or fit_legend(
        handles0, labels0, MIN_PT, (1,), np.inf, np.inf, frame=False
    )
    handles, labels, size, ncol, (_, legend_h) = fit
    band = legend_h + 0.1 if handles else 0.0
    lay = page_layout(ext, (width, height, base, "below"), n_sub, n_foot, band, title=has_title)
    return lay, handles, labels, size, ncol


def draw_map_body(ax, simple, layers, colors, base: float) -> None:
    """The map itself in ``ax``: the sea, the neighbouring provinces, the theme's ``layers``
    (line weights and markers follow the page's ``base`` size) and the province's outline."""
    ax.set_facecolor(colors["sea"])
    # neighbouring provinces, widened by 1 km under Zhejiang's own counties so the coarse
    # shared border never shows a sliver of sea
    nb = provinces()
    nb = nb[nb["code"] != "330000"]
    draw_geoms(
        ax, nb.geometry.buffer(1000, quad_segs=1).values, facecolor=colors["neighbour_fill"],
        edgecolor=colors["neighbour_edge"], linewidth=0.4, zorder=1,
    )  # fmt: skip
    for k, layer in enumerate(layers):
        draw_layer(ax, layer, 2 + k, scale=base / SIZES["a4"][2])
    province = dissolve(project_frame(simple.counties).geometry.values)
    draw_geoms(ax, [province.boundary], edgecolor=colors["province_edge"], linewidth=0.7, zorder=2 + len(layers))


def _padded_extent(atlas, scope) -> tuple[float, float, float, float]:
    """The projected extent of the map of ``scope`` (None: the province) with its margin."""
    ext = project_bounds(view_extent(atlas, scope))
    pad = 0.02 * max(ext[2] - ext[0], ext[3] - ext[1])
    return (ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad)


def _printable(atlas, simplify, ext, width, islands=False):
    """``atlas`` with its counties simplified by ``simplify`` degrees, by default at the
    output's resolution (one 300-dpi pixel, 0.08 mm, of a map of ``ext`` across a page
    ``width`` inches wide); unless ``islands``, without the islands under 3 x 3 of those pixels
    (0.25 mm: below a printed dot)."""
    if simplify is None:
        metres_per_inch = (ext[2] - ext[0]) / ((width - 0.12) * 0.72)
        simplify = max(SIMPLIFY_DEG, metres_per_inch / 300 / 111_000)
    simple = simplified(atlas, simplify)
    if simplify and not islands:  # 0: the counties as they are (and the atlas itself)
        simple.counties = simple.counties.set_geometry(
            drop_small_parts(simple.counties.geometry.values, (3 * simplify) ** 2)
        )
    return simple


def _render_single(atlas, theme, lang, size, spec, words, simplify, year=None, mono=False, **options):
    width, _, base, legend_at = spec
    colors = MONO_FURNITURE if mono else FURNITURE
    ext = _padded_extent(atlas, options.get("scope"))
    simple = _printable(atlas, simplify, ext, width)
    th = build_theme(simple, theme, lang, detail=False, year=year, mono=mono, **options)
    layers = printed_layers(th)
    entries = legend_entries(layers)
    title, subtitle, note = theme_words(th, words)
    subtitle, source = wrap_head_and_source(subtitle, th.source, width, base)
    notes = wrap_note(note, width, base)
    slide_like = size == "slide" and spec[1] is not None
    lay, handles, labels_, legend_pt, ncol = _fit_legend(
        ext, spec, entries, len(subtitle), len(notes) + len(source), bool(title), two_first=slide_like
    )
    legend_at = lay["legend_at"]
    W, H = lay["width"], lay["height"]
    with font_context(base):
        fig = new_figure(W, H)
        fx, fy, fw, fh = lay["frame"]
        ax = fig.add_axes([fx / W, fy / H, fw / W, fh / H])
        draw_map_body(ax, simple, layers, colors, base)
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
        ax.apply_aspect()  # the equal-aspect box and its limits are final only now
        bar = scale_bar(ax, base)
        north_arrow(ax, base)
        draw_head_and_foot(fig, lay["margin"], title, subtitle, notes, source, base)
        # the sea column east of the land: locator on top, legend below it
        sea_w = fw - lay["land_w"]
        gap = GAP
        inset_w, inset_h = _inset_size(sea_w, fh, legend_at)
        inset = fig.add_axes([(fx + fw - gap - inset_w) / W, (fy + fh - gap - inset_h) / H, inset_w / W, inset_h / H])
        main_extent = (*ax.get_xlim(), *ax.get_ylim())
        locator(inset, (main_extent[0], main_extent[2], main_extent[1], main_extent[3]), base, lang=lang, mono=mono)
        leg = None
        if handles:
            if legend_at == "sea":
                x0 = (lay["land_w"] + gap) / fw
                y0 = (fh - 2 * gap - inset_h) / fh
                leg = place_legend(
                    ax, handles, labels_, legend_pt, ncol, loc="upper left", bbox_to_anchor=(x0, y0),
                    frameon=True, borderaxespad=0, framealpha=0.85, edgecolor="#bbbbbb",
                )  # fmt: skip
            else:
                leg = place_legend(
                    fig, handles, labels_, legend_pt, ncol, loc="upper left",
                    bbox_to_anchor=((fx + 0.12) / W, (fy - 0.04) / H), frameon=False, borderaxespad=0,
                )  # fmt: skip
            leg.set_zorder(30)
        # labels last, clear of what is already on the map: locator, legend, scale bar, arrow
        r = fig.canvas.get_renderer()
        avoid = [inset.get_window_extent(r), *([leg.get_window_extent(r)] if leg else [])]
        avoid += [scale_bar_box(bar, r), *(a.get_tightbbox(r) for a in ax.texts)]  # the scale bar, the arrow
        # the enclaves' markers: kept clear of where there is room, else drawn over the label
        labels = county_labels(ax, th, base, fig, full=legend_at == "sea", avoid=avoid, markers=marker_boxes(ax))
        fig.map_labels, fig.map_frame, fig.map_inset = labels, ax, inset
    return fig


def _render_into(ax, atlas, theme, lang, words, simplify, year=None, mono=False, **options):
    """The single map drawn into an Axes of the caller's figure (:func:`render_static`'s
    ``ax``): the page's layers and furniture, the legend inside the Axes, text sized for its
    width."""
    fig = ax.figure
    width = ax.get_position().width * fig.get_figwidth()  # inches
    base = base_pt(width / CM)
    colors = MONO_FURNITURE if mono else FURNITURE
    ext = project_bounds(view_extent(atlas, options.get("scope")))
    pad = 0.02 * max(ext[2] - ext[0], ext[3] - ext[1])
    if simplify is None:  # one 150-dpi pixel of the Axes: a figure on screen or in a notebook
        simplify = max(SIMPLIFY_DEG, (ext[2] - ext[0]) / width / 150 / 111_000)
    simple = simplified(atlas, simplify)
    th = build_theme(simple, theme, lang, detail=False, year=year, mono=mono, **options)
    layers = printed_layers(th)
    title, subtitle, note = theme_words(th, words)
    with font_context(base):
        draw_map_body(ax, simple, layers, colors, base)
        # room east of the land for the legend, as on the page
        ax.set_xlim(ext[0] - pad, ext[2] + pad + 0.45 * (ext[2] - ext[0]))
        ax.set_ylim(ext[1] - pad, ext[3] + pad)
        ax.set_aspect("equal", adjustable="box")  # the limits hold; the Axes shrinks to fit
        ax.set_xticks([])
        ax.set_yticks([])
        ax.apply_aspect()
        bar = scale_bar(ax, base)
        north_arrow(ax, base)
        if title:
            ax.set_title(title, fontsize=text_pt(base, "title"), loc="left")
        handles, labels_ = legend_entries(layers)
        leg = None
        if handles:
            leg = place_legend(ax, handles, labels_, text_pt(base, "legend"), 1, loc="lower right",
                               frameon=True, framealpha=0.85, edgecolor="#bbbbbb")  # fmt: skip
            leg.set_zorder(30)
        foot = [line for line in (subtitle, note, th.source) if line]
        if foot:
            ax.annotate("\n".join(foot), xy=(0, 0), xycoords="axes fraction", xytext=(0, -4),
                        textcoords="offset points", va="top", ha="left", fontsize=text_pt(base, "foot"),
                        color="#555555", wrap=True)  # fmt: skip
        r = fig.canvas.get_renderer()
        avoid = [*([leg.get_window_extent(r)] if leg else []), scale_bar_box(bar, r)]
        avoid += [a.get_tightbbox(r) for a in ax.texts]
        county_labels(ax, th, base, fig, full=True, avoid=avoid, markers=marker_boxes(ax))
    return ax


def map_png(atlas, theme: str, *, lang: str = "zh", width_cm: float = 16.0, dpi: int = 300, **kwargs) -> bytes:
    """``theme`` as PNG bytes ``width_cm`` wide at ``dpi``, for a Word or PowerPoint file;
    ``kwargs`` as :func:`render_static` (default: no title block, the document captions
    it). Drawn once per atlas and arguments: the report and the slides share them."""
    kwargs.setdefault("title", "")
    kwargs.setdefault("subtitle", "")
    key = ("map_png", theme, lang, float(width_cm), int(dpi), tuple(sorted(kwargs.items())))
    if key not in atlas.cache:
        fig = render_static(atlas, theme, lang=lang, width_cm=width_cm, **kwargs)
        atlas.cache[key] = figure_png(fig, dpi)
    return atlas.cache[key]


def save_gif(
    atlas,
    path,
    *,
    theme: str = "status",
    lang: str = "zh",
    size: str = "slide",
    years=None,
    dpi: int = 72,
    seconds: float = 1.2,
    **figure,
):
    """A map year by year as an animated GIF, one frame per year: the status theme (the
    designations in force at the end of each year), or the indicator theme with an
    indicator over time (``data=``; one classification across all its years, so a colour
    means the same value in every frame, as the legend says).

    Every frame is the full static map of that year (same layout, so nothing jumps);
    frames are quantised to one shared palette and written with Pillow. ``figure``: the
    author's words, size and ``mono`` (as :func:`render_static`), and the indicator
    theme's options.
    """
    from PIL import Image

    if theme not in ("status", "indicator"):
        raise RenderError(say("render.gif_themes", fmt=param("format", "gif")))
    if theme == "indicator":
        data = figure.get("data")
        if data is None or len(data.years) < 2:
            raise RenderError(say("render.needs_years", what=say("render.gif", fmt=param("format", "gif"))))
        years = sorted(int(y) for y in years) if years else data.years
    else:
        years = sorted(int(y) for y in years) if years else status_years(atlas)
    if not years:
        raise RenderError(say("render.no_years_to_animate"))
    frames = []
    for y in years:
        fig = render_static(atlas, theme, lang=lang, size=size, year=y, **figure)
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
