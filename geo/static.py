"""Static maps with matplotlib: PNG, SVG and PDF for reports.

Projected to CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549) so the scale bar is
true. Chinese text uses the Noto Sans CJK font shipped by the PyPI package
``noto-cjk-sans-otc``, registered at render time inside an ``rc_context`` (the user's
global matplotlib settings are not touched). PDF text stays Type 3 so ``pdftotext``
extracts it; SVG text is drawn as paths so the file is self-contained.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import RenderError
from .geometry import simplified, simplify_polygons
from .themes import BACKGROUND, CITY_COLORS, THEMES, build_theme, text

__all__ = ["FORMATS", "SIZES", "font_context", "render_static", "save_static"]

CRS = "EPSG:4549"
FORMATS = ("png", "svg", "pdf")
CM = 1 / 2.54
#: width, height (inches), base font size (pt), legend placement
SIZES = {
    "a4": (16 * CM, 15 * CM, 7.5, "right"),
    "half": (8 * CM, 10.5 * CM, 5.0, "below"),
    "slide": (13.333, 7.5, 12.0, "right"),
}
#: the packaged Noto Sans CJK has one weight (Regular): titles stand out by size on purpose,
#: never by asking for a bold face that would make matplotlib fall back and warn
TITLE_WEIGHT = "normal"
SIMPLIFY_DEG = 0.0004  # about 40 m: finer than a printed line at A4


@lru_cache(maxsize=1)
def _font_path() -> str:
    try:
        import noto_cjk_sans_otc
    except ImportError:  # pragma: no cover
        raise RenderError("the CJK font package is missing: `pip install noto-cjk-sans-otc`.") from None
    return str(noto_cjk_sans_otc.FONT_PATH)


@contextmanager
def font_context(base_size: float = 8.0):
    """Register the packaged Noto Sans CJK and use it, for this block only."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    path = _font_path()
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    with plt.rc_context(
        {
            "font.family": ["Noto Sans CJK SC", "DejaVu Sans"],
            "font.size": base_size,
            "pdf.fonttype": 3,
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
            "savefig.facecolor": "white",
        }
    ):
        yield


def _project(gdf):
    return gdf.to_crs(CRS)


def _draw_polygons(ax, layer, zorder):
    from matplotlib.colors import to_rgba

    data = _project(layer.data)
    # one collection per (hatch, dash): colours and widths vary per feature inside it
    for (hatch, dash), grp in data.groupby(["hatch", "dash"], sort=False):
        face = [
            (0, 0, 0, 0) if f == "none" else to_rgba(f, float(a))
            for f, a in zip(grp["fill"], grp["fill_opacity"], strict=True)
        ]
        kw = dict(
            color=face,
            edgecolor=list(grp["edge"]),
            linewidth=(grp["weight"].astype(float) * 0.45).tolist(),
            zorder=zorder,
        )
        if hatch:
            kw["hatch"] = hatch
        if dash:
            kw["linestyle"] = "--"
        grp.plot(ax=ax, **kw)


def _draw_lines(ax, layer, zorder, scale=1.0):
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MPath

    data = _project(layer.data)
    for _, r in data.iterrows():
        geom = r.geometry
        parts = getattr(geom, "geoms", [geom])
        style = "--" if r["dash"] else "-"
        lw = float(r["weight"]) * 0.45 * scale
        if layer.arrows:
            coords = np.asarray(geom.coords)
            patch = FancyArrowPatch(
                path=MPath(coords),
                arrowstyle=f"-|>,head_length={2.2 + lw},head_width={1.0 + lw * 0.5}",
                color=r["edge"],
                linewidth=lw * 1.3,
                linestyle=style,
                zorder=zorder,
                shrinkA=0,
                shrinkB=0,
            )
            ax.add_patch(patch)
            continue
        for part in parts:
            x, y = part.xy
            ax.plot(x, y, color=r["edge"], linewidth=lw, linestyle=style, zorder=zorder, solid_capstyle="round")


def _north_arrow(ax, size):
    ax.annotate(
        "N",
        xy=(0.05, 0.93),
        xytext=(0.05, 0.83),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=size * 1.1,
        fontweight=TITLE_WEIGHT,
        arrowprops=dict(
            facecolor="black", edgecolor="black", width=size * 0.15, headwidth=size * 0.7, headlength=size * 0.8
        ),
    )


def _scale_bar(ax, size):
    from matplotlib_scalebar.scalebar import ScaleBar

    ax.add_artist(
        ScaleBar(
            1,
            "m",
            location="lower left",
            length_fraction=0.22,
            font_properties={"size": size * 0.85},
            box_alpha=0.0,
            border_pad=0.6,
            width_fraction=0.008,
        )
    )


def _labels(ax, theme, size, fig, full: bool = True):
    """County labels with a halo at representative points, moved apart so none overlap."""
    import geopandas as gpd
    import matplotlib.patheffects as pe

    if theme.labels.empty:
        return []
    pts = gpd.GeoSeries(gpd.points_from_xy(theme.labels["x"], theme.labels["y"]), crs="EPSG:4326").to_crs(CRS)
    texts = []
    for (_, r), p in zip(theme.labels.iterrows(), pts, strict=True):
        partner = r["kind"] == "partner"
        t = ax.text(
            p.x,
            p.y,
            r["full"] if full and not partner else r["text"],
            fontsize=size * (0.78 if partner else 0.9),
            style="italic" if partner else "normal",
            color="#333333" if partner else "#111111",
            ha="center",
            va="center",
            zorder=21,
        )
        texts.append(t)
    kinds = list(theme.labels["kind"])
    ax.apply_aspect()  # the equal-aspect box is final only now; place labels in it
    placed = _separate(texts, ax, fig, priority=[0 if k == "partner" else 1 for k in kinds])
    for t in texts:
        if t not in placed:
            t.remove()
    texts = placed
    # the halo is a white-stroked copy behind each label: path effects turn text into
    # outlines in PDF, so the label itself stays plain text that pdftotext can extract
    halo = [pe.withStroke(linewidth=size * 0.28, foreground="white")]
    for t in texts:
        x, y = t.get_position()
        ax.text(
            x,
            y,
            t.get_text(),
            fontsize=t.get_fontsize(),
            style=t.get_style(),
            color="white",
            ha="center",
            va="center",
            zorder=20,
            path_effects=halo,
        )
    return texts


def _separate(texts, ax, fig, priority=None, iterations: int = 200):
    """Move overlapping labels apart until none overlap.

    Each overlapping pair is pushed apart along the axis where they overlap least (so
    neighbours side by side move sideways, stacked ones move up and down), half the
    overlap each, in display units; labels stay near their anchor.
    """
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    pos = np.array([ax.transData.transform(t.get_position()) for t in texts], dtype=float)
    for _ in range(iterations):
        boxes = [t.get_window_extent(renderer).expanded(1.04, 1.12) for t in texts]
        moved = False
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if not a.overlaps(b):
                    continue
                ox = min(a.x1, b.x1) - max(a.x0, b.x0)
                oy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if ox < oy * 1.5:  # wide labels: prefer a sideways push only when it is small
                    d = np.array([1.0 if pos[i, 0] >= pos[j, 0] else -1.0, 0.0]) * (ox / 2 + 0.5)
                else:
                    d = np.array([0.0, 1.0 if pos[i, 1] >= pos[j, 1] else -1.0]) * (oy / 2 + 0.5)
                pos[i] += d
                pos[j] -= d
                for k in (i, j):
                    texts[k].set_position(to_data.transform(pos[k]))
                boxes[i] = texts[i].get_window_extent(renderer).expanded(1.04, 1.12)
                boxes[j] = texts[j].get_window_extent(renderer).expanded(1.04, 1.12)
                moved = True
        if not moved:
            return texts
    # what could not be placed: drop the lower-priority label of each clash (partners first)
    priority = priority or [1] * len(texts)
    keep = list(range(len(texts)))
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i in sorted(range(len(texts)), key=lambda k: -priority[k]):
        if i not in keep:
            continue
        for j in list(keep):
            if j != i and priority[j] <= priority[i] and boxes[i].overlaps(boxes[j]) and j in keep:
                keep.remove(j)
                texts[j].set_visible(False)
    return [texts[k] for k in keep]


def label_overlaps(texts, fig) -> int:
    """How many pairs of labels overlap (for tests)."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    return sum(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def _legend(ax, theme, size, layers, ncol=1):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    for layer in layers:
        if not layer.legend:
            continue
        if len(layer.legend.items) > 1:
            handles.append(Patch(visible=False))
            labels.append(layer.legend.title)
        for it in layer.legend.items:
            if it.kind in ("line", "dashed"):
                h = Line2D([], [], color=it.color, linewidth=1.6, linestyle="--" if it.kind == "dashed" else "-")
            elif it.kind == "outline":
                h = Patch(facecolor="none", edgecolor=it.color, linewidth=1.2)
            else:
                h = Patch(facecolor=it.color, edgecolor="#666666", linewidth=0.4, hatch=it.hatch or None)
            handles.append(h)
            labels.append(it.label)
    ax.axis("off")
    if not handles:
        return
    leg = ax.legend(
        handles,
        labels,
        loc="upper left",
        frameon=False,
        fontsize=size * 0.82,
        handlelength=1.6,
        handleheight=0.9,
        borderaxespad=0,
        labelspacing=0.35,
        ncol=ncol,
        columnspacing=1.0,
    )
    for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True):
        if not h.get_visible():
            t.set_fontweight(TITLE_WEIGHT)
            t.set_fontsize(size * 0.9)
            t.set_x(-12)


def _inset(ax, atlas, extent_3857):
    """Zhejiang's 11 cities with the mapped area outlined."""
    import shapely

    from .themes import city_polygons

    cities = city_polygons(atlas.counties)
    cities = _project(cities.set_geometry(cities.geometry.simplify(0.01)))  # a thumbnail needs no detail
    cities.plot(
        ax=ax, facecolor=[CITY_COLORS[k] + "55" for k in cities["city_code"]], edgecolor="#555555", linewidth=0.3
    )
    minx, miny, maxx, maxy = extent_3857
    box = shapely.box(minx, miny, maxx, maxy)
    import geopandas as gpd

    gpd.GeoSeries([box], crs=CRS).plot(ax=ax, facecolor="none", edgecolor="#c0392b", linewidth=0.8)
    ax.set_axis_off()
    ax.set_aspect("equal")


def _layers_for(theme, facet: str | None):
    if facet is None:
        return [ly for ly in theme.layers if ly.show]
    return [
        ly
        for ly in theme.layers
        if ly.group == "context" or ly.facet == facet or (not ly.facet and not ly.base and ly.kind == "lines")
    ]


def render_static(
    atlas,
    theme: str = "overview",
    *,
    lang: str = "zh",
    size: str = "a4",
    facet: str | None = None,
    simplify: float = SIMPLIFY_DEG,
):
    """Render ``theme`` of ``atlas`` as a matplotlib Figure.

    Parameters
    ----------
    atlas : Atlas
    theme : {"overview", "pairing", "policy", "status"}
    lang : {"zh", "en"}
    size : {"a4", "half", "slide"}
        16 cm wide, 8 cm wide, or 16:9.
    facet : {None, "designation", "document"}
        Small multiples: one panel per status designation, or per policy document.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if theme not in THEMES:
        raise RenderError(f"unknown theme {theme!r} for a static map: use one of {', '.join(THEMES)}.")
    if size not in SIZES:
        raise RenderError(f"unknown size {size!r}: use one of {', '.join(SIZES)}.")
    if facet not in (None, "designation", "document"):
        raise RenderError(f"unknown facet {facet!r}: use designation (status) or document (policy).")
    if (facet == "designation" and theme != "status") or (facet == "document" and theme != "policy"):
        raise RenderError(f"--facet {facet} goes with the {'status' if facet == 'designation' else 'policy'} theme.")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    simple = simplified(atlas, simplify)
    th = build_theme(simple, theme, lang, detail=False)
    width, height, base, legend_at = SIZES[size]
    panels = th.facets if facet else [None]
    with font_context(base):
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)  # a canvas without pyplot: no GUI backend, no global state
        fig.patch.set_facecolor("white")
        head = 0.9 if size != "half" else 0.87
        foot = 0.05 if size != "half" else 0.07
        if legend_at == "right":
            split = 0.7 if size == "a4" else 0.74
            map_box, side_box = [0.01, foot, split - 0.03, head - foot], [split, foot, 0.99 - split, head - foot]
        else:
            map_box, side_box = [0.01, 0.33, 0.98, head - 0.33], [0.03, foot, 0.94, 0.235]
        minx, miny, maxx, maxy = _project_bounds(th.extent)
        pad = 0.03 * max(maxx - minx, maxy - miny)
        ext = (minx - pad, miny - pad, maxx + pad, maxy + pad)
        n = len(panels)
        cols = 1 if n == 1 else (4 if n > 6 else 3 if n > 4 else 2)
        rows = int(np.ceil(n / cols))
        map_axes = []
        for i, panel in enumerate(panels):
            w, h = map_box[2] / cols, map_box[3] / rows
            ax = fig.add_axes(
                [map_box[0] + (i % cols) * w, map_box[1] + (rows - 1 - i // cols) * h, w * 0.98, h * 0.94]
            )
            ax.set_facecolor(BACKGROUND)
            for k, layer in enumerate(_layers_for(th, panel)):
                z = 2 + k
                if layer.kind == "polygons":
                    _draw_polygons(ax, layer, z)
                else:  # line weights follow the page size
                    _draw_lines(ax, layer, z, scale=base / SIZES["a4"][2])
            ax.set_xlim(ext[0], ext[2])
            ax.set_ylim(ext[1], ext[3])
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("")
            ax.set_ylabel("")
            for s in ax.spines.values():
                s.set_linewidth(0.5)
                s.set_color("#888888")
            if panel:
                ax.set_title(
                    text("cat_" + panel, lang) if facet == "designation" else _doc_label(atlas, panel),
                    fontsize=base * 0.85,
                    pad=2,
                )
            map_axes.append(ax)
        main = map_axes[0]
        labels = _labels(main, th, base, fig, full=size != "half") if n == 1 else []
        _scale_bar(main, base)
        _north_arrow(main, base)
        # title, subtitle, source line
        from matplotlib.transforms import offset_copy

        fig.text(0.015, 0.985, th.title, fontsize=base * 1.45, fontweight=TITLE_WEIGHT, va="top", ha="left")
        below = offset_copy(fig.transFigure, fig=fig, y=-base * 2.1, units="points")
        fig.text(
            0.015,
            0.985,
            th.subtitle,
            fontsize=base * 0.9,
            va="top",
            ha="left",
            color="#333333",
            wrap=True,
            transform=below,
        )
        fig.text(0.015, 0.008, th.source, fontsize=base * 0.62, va="bottom", ha="left", color="#555555", wrap=True)
        # side column: inset on top, legend below (never over the map)
        if legend_at == "right":
            inset = fig.add_axes([side_box[0], side_box[1] + side_box[3] * 0.72, side_box[2], side_box[3] * 0.28])
            leg_ax = fig.add_axes([side_box[0] + 0.015, side_box[1], side_box[2] - 0.015, side_box[3] * 0.68])
        else:
            inset = fig.add_axes([side_box[0] + side_box[2] * 0.7, side_box[1], side_box[2] * 0.3, side_box[3]])
            leg_ax = fig.add_axes([side_box[0] + 0.03, side_box[1], side_box[2] * 0.66, side_box[3]])
        _inset(inset, simple, ext)
        shown = (
            [ly for ly in th.layers if ly.show]
            if not facet
            else [ly for ly in th.layers if ly.group == "context" or ly.facet]
        )
        _legend(leg_ax, th, base, shown, ncol=1 if legend_at == "right" else 2)
        fig._shanhai_labels = labels
    return fig


def _doc_label(atlas, doc):
    d = atlas.documents.set_index("document").loc[doc]
    return d.get("short_title") or d["title"]


def _project_bounds(bounds):
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    xs, ys = t.transform([bounds[0], bounds[2], bounds[0], bounds[2]], [bounds[1], bounds[1], bounds[3], bounds[3]])
    return min(xs), min(ys), max(xs), max(ys)


def save_static(fig, path, *, format: str | None = None, dpi: int = 300) -> Path:
    """Save a figure from :func:`render_static` atomically (PNG at ``dpi``)."""
    from ._io import atomic_path

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise RenderError(f"{path}: unknown format {fmt!r}; use png, svg or pdf.")
    with font_context(), atomic_path(path) as tmp:
        meta = {
            "png": {"Software": "shanhai-atlas"},
            "pdf": {"Creator": "shanhai-atlas", "CreationDate": None},
            "svg": {"Date": None},
        }[fmt]
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
    return path


def choropleth_static(
    gdf, column: str, *, title: str = "", size: str = "a4", crs: str = "EPSG:4326", simplify: float = 0.01, k: int = 6
):
    """Any polygons as one classed choropleth figure (mapclassify quantiles)."""
    import warnings

    import mapclassify
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .themes import SEQUENTIAL

    g = gdf.to_crs("EPSG:4326") if gdf.crs and not gdf.crs.equals("EPSG:4326") else gdf
    g = g[g.geometry.notna() & ~g.geometry.is_empty].reset_index(drop=True)
    if simplify:
        g = g.set_geometry(simplify_polygons(g.geometry.values, simplify), crs=g.crs)
    g = g.to_crs(crs)
    values = g[column].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classes = mapclassify.Quantiles(values, k=k)
    palette = np.array(SEQUENTIAL[-len(classes.bins) :])
    width, height, base, _ = SIZES[size]
    with font_context(base):
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes([0.01, 0.05, 0.98, 0.86])
        g.plot(ax=ax, color=palette[classes.yb], edgecolor="white", linewidth=0.05)
        ax.set_axis_off()
        ax.set_aspect("equal")
        fig.text(0.015, 0.985, title or column, fontsize=base * 1.45, fontweight=TITLE_WEIGHT, va="top")
    return fig
