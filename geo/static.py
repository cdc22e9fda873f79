"""Static maps with matplotlib: PNG, SVG and PDF for reports.

Projected to CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549) so the scale bar is
true. Chinese text uses the Noto Sans CJK font shipped by the PyPI package
``noto-cjk-sans-otc``, registered at render time inside an ``rc_context`` (the user's
global matplotlib settings are not touched). PDF text stays Type 3 so ``pdftotext``
extracts it; SVG text is drawn as paths so the file is self-contained.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import RenderError
from .geometry import drop_small_parts, simplified, simplify_polygons
from .themes import BACKGROUND, THEMES, build_theme, text

__all__ = ["FORMATS", "SIZES", "font_context", "render_static", "save_static"]

CRS = "EPSG:4549"
FORMATS = ("png", "svg", "pdf")
CM = 1 / 2.54
#: width, height (inches; None: as tall as the map needs), base font size (pt), and where
#: the legend goes: on the open sea east of the coast inside the frame, or below it
SIZES = {
    "a4": (16 * CM, None, 7.5, "sea"),
    "half": (8 * CM, None, 5.0, "below"),
    "slide": (13.333, 7.5, 12.0, "sea"),
}
#: facets (small multiples) keep a fixed page
FACET_HEIGHT = {"a4": 15 * CM, "half": 10.5 * CM, "slide": 7.5}
SEA = "#e4edf3"
NEIGHBOUR_FILL = "#fbfaf7"  # lighter than Zhejiang's own grey, so the province stands out
NEIGHBOUR_EDGE = "#b9b5ad"
PROVINCE_EDGE = "#4d4d4d"
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
    import matplotlib
    from matplotlib import font_manager

    path = _font_path()
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    with matplotlib.rc_context(
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


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def project_geoms(geoms):
    """Shapely geometries from lon/lat to the map's CRS with one cached transformer."""
    import shapely

    t = _transformer()
    return shapely.transform(
        np.asarray(geoms, dtype=object), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    )


def _project(gdf):
    if gdf.crs is not None and gdf.crs.to_epsg() == 4549:
        return gdf
    return gdf.set_geometry(project_geoms(gdf.geometry.values), crs=CRS)


def polygon_paths(geoms) -> list:
    """One matplotlib Path per (multi)polygon, holes included, built from shapely's
    ragged arrays: no pyplot, and no redraw of the figure per call as ``GeoSeries.plot``
    does on an Agg canvas."""
    import shapely
    from matplotlib.path import Path as MPath

    geoms = np.asarray(geoms, dtype=object)
    multi = np.array(
        [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else
         shapely.MultiPolygon([p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon"]) for g in geoms],
        dtype=object,
    )  # fmt: skip
    _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    paths = []
    for i in range(len(multi)):
        r0, r1 = poly_off[geom_off[i]], poly_off[geom_off[i + 1]]
        c0, c1 = ring_off[r0], ring_off[r1]
        verts = coords[c0:c1]
        codes = np.full(len(verts), MPath.LINETO, dtype=np.uint8)
        starts = ring_off[r0:r1] - c0
        codes[starts] = MPath.MOVETO
        codes[ring_off[r0 + 1 : r1 + 1] - c0 - 1] = MPath.CLOSEPOLY
        paths.append(MPath(verts, codes))
    return paths


def draw_geoms(ax, geoms, *, facecolor="none", edgecolor="black", linewidth=0.5, zorder=1, **kw):
    """Polygons (filled) or lines as one matplotlib collection."""
    from matplotlib.collections import LineCollection, PathCollection

    geoms = [g for g in np.asarray(geoms, dtype=object) if g is not None and not g.is_empty]
    if not geoms:
        return None
    if "Line" in geoms[0].geom_type:
        segs = [np.asarray(p.coords) for g in geoms for p in getattr(g, "geoms", [g])]
        coll = LineCollection(segs, colors=edgecolor, linewidths=linewidth, zorder=zorder, **kw)
    else:
        coll = PathCollection(
            polygon_paths(geoms), facecolors=facecolor, edgecolors=edgecolor, linewidths=linewidth, zorder=zorder, **kw
        )
    ax.add_collection(coll, autolim=False)
    return coll


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
            facecolor=face,
            edgecolor=list(grp["edge"]),
            linewidth=(grp["weight"].astype(float) * 0.45).tolist(),
            zorder=zorder,
        )
        if hatch:
            kw["hatch"] = hatch
        if dash:
            kw["linestyle"] = "--"
        draw_geoms(ax, grp.geometry.values, **kw)


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
                arrowstyle=f"-|>,head_length={4.2 * scale + lw},head_width={2.0 * scale + lw * 0.5}",
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
    pts = project_geoms(gpd.points_from_xy(theme.labels["x"], theme.labels["y"]))
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


def _legend_entries(layers):
    """Handles and labels of the layers' legends; a heading only where it adds something."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    for layer in layers:
        if not layer.legend:
            continue
        items = layer.legend.items
        if len(items) > 1 and layer.legend.title not in [it.label for it in items]:
            handles.append(Patch(visible=False))
            labels.append(layer.legend.title)
        for it in items:
            if it.text() in labels:  # the same entry from another layer (e.g. two context layers)
                continue
            if it.kind in ("line", "dashed"):
                h = Line2D([], [], color=it.color, linewidth=1.6, linestyle="--" if it.kind == "dashed" else "-")
            elif it.kind == "outline":
                h = Patch(facecolor="none", edgecolor=it.color, linewidth=1.2)
            else:
                h = Patch(facecolor=it.color, edgecolor="#666666", linewidth=0.4, hatch=it.hatch or None)
            handles.append(h)
            labels.append(it.text())
    return handles, labels


def _legend_columns(handles, labels, ncol):
    """Entries padded with blanks so that a two-column legend breaks between its sections
    (a heading never ends a column with its entries in the next); matplotlib fills the
    columns top to bottom, the first ones one entry longer when the count is odd."""
    from matplotlib.patches import Patch

    n = len(labels)
    if ncol != 2 or n < 4:
        return handles, labels
    heads = [i for i, h in enumerate(handles) if not h.get_visible()]
    near = [i for i in heads if i > 0 and abs(i - n / 2) <= max(1.5, n / 8)]  # costs a row or two at most
    if near:
        split = min(near, key=lambda i: abs(i - n / 2))
    elif -(-n // 2) - 1 in heads:  # a heading would end the first column: move it over
        split = -(-n // 2) - 1
    else:
        return handles, labels
    blank = max(n - 2 * split, 2 * split - 1 - n)
    at = split if 2 * split <= n else n  # a short first column is padded at its end, a long one after the last entry
    handles = [*handles[:at], *(Patch(visible=False) for _ in range(blank)), *handles[at:]]
    labels = [*labels[:at], *([""] * blank), *labels[at:]]
    return handles, labels


def _legend_lines(labels, ncol) -> int:
    """Lines in the tallest column of the legend (wrapped labels count their lines)."""
    rows, large = divmod(len(labels), ncol)
    sizes = [rows + 1] * large + [rows] * (ncol - large)
    out, i = 0, 0
    for k in sizes:
        out = max(out, sum(lb.count("\n") + 1 for lb in labels[i : i + k]))
        i += k
    return out


def _place_legend(ax, handles, labels, size, ncol=1, **kw):
    leg = ax.legend(
        handles,
        labels,
        fontsize=size * 0.82,
        handlelength=1.6,
        handleheight=0.9,
        labelspacing=0.35,
        ncol=ncol,
        columnspacing=1.0,
        **kw,
    )
    for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True):
        if not h.get_visible():  # a section heading: slightly larger, flush left
            t.set_fontweight(TITLE_WEIGHT)
            t.set_fontsize(size * 0.9)
            t.set_x(-12)
    return leg


@lru_cache(maxsize=1)
def provinces():
    """Zhejiang and its five neighbours (layers/provinces.geojson), in the map's CRS."""
    import json

    import geopandas as gpd
    import shapely

    from ._paths import layer_path

    data = json.loads(layer_path("provinces.geojson").read_text(encoding="utf-8"))
    feats = data["features"]
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in feats]
    props = {k: [f["properties"][k] for f in feats] for k in ("code", "name")}
    return gpd.GeoDataFrame(props, geometry=project_geoms(geoms), crs=CRS)


def _locator(ax, extent, size, min_pt: float = 0.0):
    """Zhejiang among its neighbours, the main map's extent as a rectangle."""
    import shapely
    from matplotlib.patches import Rectangle

    p = provinces()
    zj = p["code"] == "330000"
    draw_geoms(ax, p[~zj].geometry.values, facecolor=NEIGHBOUR_FILL, edgecolor="#8a877f", linewidth=0.3)
    draw_geoms(ax, p[zj].geometry.values, facecolor="#d9826b", edgecolor="#7a3b2b", linewidth=0.4)
    short = {"310000": "沪", "320000": "苏", "340000": "皖", "350000": "闽", "360000": "赣", "330000": "浙"}
    for _, r in p.iterrows():
        pt = r.geometry.representative_point()
        if r["code"] == "310000":  # Shanghai is small: label it beside, on the sea
            pt = shapely.Point(pt.x + 90_000, pt.y + 20_000)
        ax.text(pt.x, pt.y, short[r["code"]], fontsize=max(size * 0.62, min_pt), ha="center", va="center",
                color="#333333")  # fmt: skip
    minx, miny, maxx, maxy = extent
    ax.add_patch(Rectangle((minx, miny), maxx - minx, maxy - miny, fill=False, edgecolor="#c0392b", linewidth=0.9))
    b = p.total_bounds
    pad = 0.03 * (b[2] - b[0])
    ax.set_xlim(b[0] - pad, b[2] + pad)
    ax.set_ylim(b[1] - pad, b[3] + pad)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_linewidth(0.5)
        sp.set_color("#666666")


def _text_width_pt(text_, size):
    import unicodedata

    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text_)


_NO_LINE_START = set("）)]】』」》〉，,。.、；;：:！!？?%…·")
_NO_LINE_END = set("（([【『「《〈")


def _wrap_head_and_source(subtitle: str, source: str, width_in: float, base: float):
    """The subtitle's and the source's lines across a page ``width_in`` wide, so the title
    block and the foot are as tall as their lines before the layout is made."""
    text_w = (width_in - 0.12) * 72
    return (
        wrap_text(subtitle, text_w, base * 0.9),
        [ln for part in source.split("\n") for ln in wrap_text(part, text_w, base * 0.62)],
    )


def _wrap_labels(labels, width_pt: float, base: float) -> list[str]:
    """Legend labels wrapped to a column ``width_pt`` wide (lines joined by newlines)."""
    return ["\n".join(wrap_text(lb, width_pt, base * 0.82)) for lb in labels]


def wrap_text(text_: str, width_pt: float, size: float) -> list[str]:
    """Break ``text_`` into lines no wider than ``width_pt`` (CJK-aware estimate), at
    spaces or between CJK characters, so each line's height is known before drawing."""
    lines, line = [], ""
    for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", text_):
        # closing marks never start a line, opening marks never end one (禁则)
        if line and token[0] not in _NO_LINE_START and _text_width_pt(line + token.rstrip(), size) > width_pt:
            carry = ""
            while line and line[-1] in _NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            if line.strip():
                lines.append(line.rstrip())
                line = carry + token.lstrip()
            else:
                line = carry + token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


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
        return _render_facets(atlas, simple, th, lang, size, facet, years)
    return _render_single(atlas, theme, lang, size, simplify, year=year, **options)


def save_gif(atlas, path, *, lang: str = "zh", size: str = "slide", years=None, dpi: int = 72, seconds: float = 1.2):
    """The status map year by year as an animated GIF, one frame per year.

    Every frame is the full static map of that year (same layout, so nothing jumps);
    frames are quantised to one shared palette and written with Pillow.
    """
    from PIL import Image

    from ._io import atomic_path
    from .history import status_years

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


KIND_COLORS = {"membership": "#332288", "pairing": "#117733", "designation": "#CC6677", "policy": "#DDAA33"}
KIND_TEXT = {
    "zh": {"membership": "名单", "pairing": "结对", "designation": "称号与试点", "policy": "政策条款", "undated": "年份未知"},
    "en": {"membership": "list", "pairing": "pairing", "designation": "designations", "policy": "policy clauses",
           "undated": "undated"},
}  # fmt: skip


def draw_timeline(ax, ev, *, lang: str = "zh", base: float = 6.0):
    """A county's events (from :func:`geo.history.timeline`) as a strip in ``ax``: years
    on the axis, one row per kind; a kind's events of one year share a marker; undated
    events are counted at the right, never dropped."""
    from .history import EVENT_KINDS

    words = KIND_TEXT[lang]
    dated = ev[ev["year"].notna()]
    years = dated["year"].astype(int)
    lo, hi = (int(years.min()), int(years.max())) if len(years) else (2020, 2024)
    lo, hi = min(lo, hi - 4), hi
    for i, kind in enumerate(EVENT_KINDS):
        y = len(EVENT_KINDS) - 1 - i
        ax.axhline(y, color="#e2e2e2", linewidth=0.6, zorder=0)
        rows = dated[dated["kind"] == kind]
        for j, (yr, grp) in enumerate(rows.groupby(rows["year"].astype(int))):
            n = len(grp)
            ax.scatter([yr], [y], s=10 + 6 * min(n, 8), color=KIND_COLORS[kind], zorder=3, linewidths=0)
            first = str(grp["label"].iloc[0])
            first = first if len(first) <= 7 else first[:6] + "…"
            label = first if n == 1 else (f"{n}条" if lang == "zh" else f"{n}×")
            up = j % 2 == 0  # neighbours alternate above and below the row
            ax.annotate(label, (yr, y), xytext=(0, 4 if up else -4), textcoords="offset points", ha="center",
                        va="bottom" if up else "top", fontsize=base * 0.72, color="#333333")  # fmt: skip
        undated = int(((ev["kind"] == kind) & ev["year"].isna()).sum())
        if undated:
            ax.annotate(f"{words['undated']} {undated}", (1.02, y), xycoords=("axes fraction", "data"),
                        fontsize=base * 0.72, color="#777777", va="center")  # fmt: skip
    ax.set_yticks(range(len(EVENT_KINDS)))
    ax.set_yticklabels([words[k] for k in reversed(EVENT_KINDS)], fontsize=base * 0.85)
    ax.set_ylim(-0.6, len(EVENT_KINDS) - 0.2)
    ax.set_xlim(lo - 0.6, hi + 0.6)
    step = 1 if hi - lo <= 8 else 2
    ax.set_xticks(range(lo if step == 1 else lo + (hi - lo) % 2, hi + 1, step))
    ax.tick_params(axis="x", labelsize=base * 0.8, length=2)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_linewidth(0.5)


def render_timeline(atlas, county, *, lang: str = "zh", width_cm: float = 8.0):
    """One county's timeline as a strip figure, readable at half-page width (8 cm)."""
    from .history import EVENT_KINDS, timeline

    if lang not in KIND_TEXT:
        raise RenderError(f"unknown language {lang!r}: use zh or en.")
    ev = timeline(atlas, county)
    base = 6.0
    height = (0.55 + 0.32 * len(EVENT_KINDS)) * (base / 6.0)
    with font_context(base):
        fig = _new_figure(width_cm * CM, height)
        ax = fig.add_axes([0.2, 0.22, 0.66, 0.62])
        draw_timeline(ax, ev, lang=lang, base=base)
        name = ev.attrs["county"] if lang == "zh" else atlas.registry.county(county).name_en
        title = f"{name}：时间线" if lang == "zh" else f"{name}: timeline"
        fig.text(0.01, 0.97, title, fontsize=base * 1.1, va="top", fontweight=TITLE_WEIGHT)
        fig._shanhai_events = ev
    return fig


def render_gaps(gaps, *, lang: str = "zh", size: str = "a4"):
    """Each pair compared as a dot plot: one line per pairing, the mountain county's value
    and its partner's, sorted by ratio (widest gap on top). Readable at A4 width."""
    width, _, base, _ = SIZES[size]
    rows = gaps.reset_index(drop=True)
    n = len(rows)
    height = (1.0 + 0.16 * n) * base / 7.5
    label, unit = gaps.attrs.get("label", ""), gaps.attrs.get("unit", "")
    with font_context(base):
        fig = _new_figure(width, height)
        ax = fig.add_axes([0.3, 0.9 / height * 0.5, 0.55, 1 - 1.0 / height])
        y = np.arange(n)[::-1]
        a, b = rows["mountain_value"].to_numpy(float), rows["partner_value"].to_numpy(float)
        ax.hlines(y, np.fmin(a, b), np.fmax(a, b), color="#bbbbbb", linewidth=1.0, zorder=1)
        ax.scatter(a, y, s=14, color="#CC6677", zorder=3, label="山区县" if lang == "zh" else "mountain county")
        ax.scatter(b, y, s=14, color="#332288", zorder=3, label="结对县" if lang == "zh" else "partner")
        names = [f"{m} → {p}" for m, p in zip(rows["mountain_county"], rows["partner"], strict=True)]
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=base * 0.78)
        ax.set_ylim(-0.8, n - 0.2)
        for yy, r in zip(y, rows["ratio"], strict=True):
            txt = "—" if r != r else f"×{r:.1f}"
            ax.annotate(txt, (1.01, yy), xycoords=("axes fraction", "data"), va="center", fontsize=base * 0.72,
                        color="#444444")  # fmt: skip
        finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
        if len(finite) and finite.min() > 0 and finite.max() / finite.min() > 30:
            ax.set_xscale("log")
        ax.tick_params(axis="x", labelsize=base * 0.75)
        ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(f"{label}（{unit}）" if unit and lang == "zh" else f"{label} ({unit})" if unit else label,
                      fontsize=base * 0.8)  # fmt: skip
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=base * 0.75, frameon=False)
        fig.text(0.01, 1 - 0.08 / height, text("gaps_title", lang, label=label), fontsize=base * 1.3, va="top",
                 fontweight=TITLE_WEIGHT)  # fmt: skip
    return fig


def _new_figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)  # a canvas without pyplot: no GUI backend, no global state
    fig.patch.set_facecolor("white")
    return fig


def page_layout(extent, size: str, n_subtitle: int, n_source: int, n_legend_rows: int = 0) -> dict:
    """Where the title block, map frame, legend band and source line go (inches).

    The frame is as wide as the page; the counties take its west part and the open sea
    east of the coast is widened to hold the locator and the legend, so neither covers
    land. ``half`` puts the legend in a band below the frame instead.
    """
    width, height, base, legend_at = SIZES[size]
    margin = 0.06
    pt = 1 / 72
    title_h = base * 1.45 * 1.25 * pt + n_subtitle * base * 0.9 * 1.3 * pt + base * 0.6 * pt
    source_h = n_source * base * 0.62 * 1.3 * pt + base * 0.3 * pt
    band_h = n_legend_rows * base * 0.82 * 1.45 * pt + base * 0.8 * pt if legend_at == "below" else 0.0
    minx, miny, maxx, maxy = extent
    data_w, data_h = maxx - minx, maxy - miny
    frame_w = width - 2 * margin
    if height is None:
        land_share = 0.72 if legend_at == "sea" else 0.8
        scale = data_w / (frame_w * land_share)  # metres per inch
        frame_h = data_h / scale
        height = 2 * margin + title_h + frame_h + band_h + source_h
    else:
        frame_h = height - 2 * margin - title_h - band_h - source_h
        scale = max(data_h / frame_h, data_w / (frame_w * 0.72))
    land_w = data_w / scale
    # the counties sit west; the frame's extra width is sea to the east
    west = minx - max(0.0, min(frame_w - land_w, 0.25 * land_w) * 0.15) * scale
    y_mid = (miny + maxy) / 2
    xlim = (west, west + frame_w * scale)
    ylim = (y_mid - frame_h * scale / 2, y_mid + frame_h * scale / 2)
    return {
        "width": width,
        "height": height,
        "margin": margin,
        "title_h": title_h,
        "source_h": source_h,
        "band_h": band_h,
        "frame": (margin, margin + source_h + band_h, frame_w, frame_h),
        "land_w": (minx - west) / scale + land_w,
        "xlim": xlim,
        "ylim": ylim,
        "scale": scale,
        "base": base,
        "legend_at": legend_at,
    }


def _render_single(atlas, theme, lang, size, simplify, year=None, **options):
    import shapely

    width, _, base, legend_at = SIZES[size]
    # simplify at the output's resolution: one 300-dpi pixel of this page (0.08 mm)
    ext = _project_bounds(tuple(atlas.counties.total_bounds))
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
    handles, labels_ = _legend_entries(layers)
    pt = 1 / 72
    subtitle, source = _wrap_head_and_source(th.subtitle, th.source, width, base)
    ncol = 2 if legend_at == "below" else (2 if size == "slide" and len(handles) > 12 else 1)
    handles, labels_ = _legend_columns(handles, labels_, ncol)
    if legend_at == "below":  # wrapped now, so the band below the frame is as tall as the legend
        labels_ = _wrap_labels(labels_, (width - 0.12) / ncol / pt - base * 0.82 * 3.2, base)
    rows = _legend_lines(labels_, ncol) + 1
    lay = page_layout(ext, size, len(subtitle), len(source), rows)
    W, H = lay["width"], lay["height"]
    with font_context(base):
        fig = _new_figure(W, H)
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
                _draw_polygons(ax, layer, 2 + k)
            else:  # line weights follow the page size
                _draw_lines(ax, layer, 2 + k, scale=base / SIZES["a4"][2])
        province = shapely.coverage_union_all(_project(simple.counties).geometry.values)
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
        labels = _labels(ax, th, base, fig, full=size != "half")
        _scale_bar(ax, base)
        _north_arrow(ax, base)
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
        _locator(inset, (main_extent[0], main_extent[2], main_extent[1], main_extent[3]), base)
        if handles and legend_at == "sea":  # long entries wrap to the sea column
            labels_ = _wrap_labels(labels_, (sea_w - 2 * gap) / ncol / pt - base * 0.82 * 3.2, base)
        if handles:
            if legend_at == "sea":
                x0 = (lay["land_w"] + gap) / fw
                y0 = (fh - 2 * gap - inset_h) / fh
                leg = _place_legend(
                    ax, handles, labels_, base, ncol, loc="upper left", bbox_to_anchor=(x0, y0),
                    frameon=True, borderaxespad=0, framealpha=0.85, edgecolor="#bbbbbb",
                )  # fmt: skip
            else:
                leg = _place_legend(
                    fig, handles, labels_, base, ncol, loc="upper left",
                    bbox_to_anchor=((fx + 0.12) / W, (fy - 0.04) / H), frameon=False, borderaxespad=0,
                )  # fmt: skip
            leg.set_zorder(30)
        fig._shanhai_labels = labels
        fig._shanhai_frame = ax
        fig._shanhai_inset = inset
    return fig


def _facet_panels(atlas, simple, th, lang, facet, years=None):
    """(title, layers) per panel, and the layers whose legend is shared by all panels."""
    if facet == "year":
        panels, legend_layers, counts = [], [], []
        for y in years:
            ty = build_theme(simple, "status", lang, detail=False, year=y)
            layers = [ly for ly in ty.layers if ly.show or ly.facet == "year_unknown"]
            panels.append((str(y), layers))
            legend_layers = layers
            n = ty.counts["in_force"]
            counts.append(f"{y}年{n}条" if lang == "zh" else f"{y}: {n}")
        # the shared legend names the classes; counts belong to each panel, not to all
        import copy

        legend_layers = [copy.copy(ly) for ly in legend_layers]
        for ly in legend_layers:
            if ly.legend:
                ly.legend = copy.copy(ly.legend)
                ly.legend.items = [copy.copy(it) for it in ly.legend.items]
                for it in ly.legend.items:
                    it.count = None
        sep = "，" if lang == "zh" else ", "
        subtitle = text("subtitle_status_years", lang, counts=sep.join(counts), u=ty.counts["unknown"])
        return panels, legend_layers, subtitle
    panels = []
    for panel in th.facets:
        title = text("cat_" + panel, lang) if facet == "designation" else _doc_label(atlas, panel)
        panels.append((title, _layers_for(th, panel)))
    return panels, [ly for ly in th.layers if ly.group == "context" or ly.facet], th.subtitle


def default_years(atlas, n: int = 5) -> list[int]:
    """A spread of the years present: the latest, then back in steps of two."""
    from .history import status_years

    present = status_years(atlas)
    if not present:
        raise RenderError("no status row carries a year: there is nothing to show by year.")
    out = []
    for target in range(present[-1], present[0] - 1, -2):
        y = max((p for p in present if p <= target), default=None)
        if y is not None and y not in out:
            out.append(y)
        if len(out) == n:
            break
    return sorted(out)


def _render_facets(atlas, simple, th, lang, size, facet, years=None):
    width, _, base, _ = SIZES[size]
    panels, legend_layers, subtitle = _facet_panels(atlas, simple, th, lang, facet, years)
    minx, miny, maxx, maxy = _project_bounds(th.extent)
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ext = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    n = len(panels)
    split = 0.7 if size == "a4" else 0.74 if size == "slide" else 0.98
    aspect = (ext[3] - ext[1]) / (ext[2] - ext[0])
    title_in = base * 1.6 / 72  # a panel's title above its frame
    # words wrapped before the layout, so nothing runs off the page (English runs longer)
    sub_lines, src_lines = _wrap_head_and_source(subtitle, th.source, width, base)
    ncol = 2 if size == "half" else 1
    side_w = width * 0.94 / ncol if size == "half" else width * (0.99 - split - 0.015)
    handles, labels = _legend_columns(*_legend_entries(legend_layers), ncol)
    labels = _wrap_labels(labels, side_w * 72 - base * 0.82 * 3.4, base)
    head_in = base * (1.45 * 1.25 + len(sub_lines) * 0.9 * 1.3 + 0.9) / 72
    foot_in = base * (len(src_lines) * 0.62 * 1.3 + 0.8) / 72
    legend_rows = _legend_lines(labels, ncol)
    band_in = base * 0.82 * 1.45 / 72 * (legend_rows + 1.6) if size == "half" else 0.0
    box_w = width * (split - 0.03) if size != "half" else width * 0.98

    def panel_width(c):  # the widest panel c columns allow (a slide's height is fixed)
        r = -(-n // c)
        fit_h = (FACET_HEIGHT[size] - head_in - foot_in - 0.1) / r - title_in if size == "slide" else np.inf
        return min(box_w / c, fit_h / aspect)

    if size == "slide":
        cols = max(range(1, n + 1), key=lambda c: (round(panel_width(c), 3), -c))
    else:
        cols = 1 if n == 1 else (4 if n > 6 else 3 if n > 4 else 2)
    rows = -(-n // cols)
    pw = panel_width(cols)
    panel_h = pw * aspect + title_in
    height = FACET_HEIGHT[size] if size == "slide" else head_in + rows * panel_h + band_in + foot_in
    with font_context(base):
        fig = _new_figure(width, height)
        head, foot = 1 - head_in / height, foot_in / height
        band = band_in / height
        # the panels packed together and centred in the space left by the head, the foot and
        # the legend (a slide's fixed page would otherwise spread them apart)
        left, right = 0.01, (split - 0.02 if size != "half" else 0.99)
        grid_w, grid_h = cols * pw / width, rows * panel_h / height
        x0 = left + (right - left - grid_w) / 2
        y0 = foot + band + (head - foot - band - grid_h) / 2
        side_box = [split, foot, 0.99 - split, y0 + grid_h - foot] if size != "half" else [0.03, foot, 0.94, band]
        for i, (title, layers) in enumerate(panels):
            w, h = pw / width, panel_h / height
            ax = fig.add_axes(
                [
                    x0 + (i % cols) * w + w * 0.01,
                    y0 + (rows - 1 - i // cols) * h,
                    w * 0.98,
                    (pw * 0.98 * aspect) / height,
                ]
            )
            ax.set_facecolor(BACKGROUND)
            for k, layer in enumerate(layers):
                if layer.kind == "polygons":
                    _draw_polygons(ax, layer, 2 + k)
                else:
                    _draw_lines(ax, layer, 2 + k, scale=base / SIZES["a4"][2])
            ax.set_xlim(ext[0], ext[2])
            ax.set_ylim(ext[1], ext[3])
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            for sp in ax.spines.values():
                sp.set_linewidth(0.5)
                sp.set_color("#888888")
            ax.set_title(title, fontsize=base * 0.85, pad=2)
        from matplotlib.transforms import offset_copy

        top = 1 - base * 0.3 / 72 / height
        fig.text(0.015, top, th.title, fontsize=base * 1.45, fontweight=TITLE_WEIGHT, va="top", ha="left")
        for i, line in enumerate(sub_lines):
            at = offset_copy(fig.transFigure, fig=fig, y=-base * (1.45 * 1.25 + i * 0.9 * 1.3), units="points")
            fig.text(0.015, top, line, fontsize=base * 0.9, va="top", ha="left", color="#333333", transform=at)
        fig.text(0.015, 0.008, "\n".join(src_lines), fontsize=base * 0.62, va="bottom", ha="left", color="#555555",
                 linespacing=1.3)  # fmt: skip
        leg_ax = fig.add_axes([side_box[0] + 0.015, side_box[1], side_box[2] - 0.015, side_box[3] * 0.95])
        leg_ax.axis("off")
        if handles:
            _place_legend(leg_ax, handles, labels, base, ncol, loc="upper left", frameon=False, borderaxespad=0)
        fig._shanhai_labels = []
    return fig


def _doc_label(atlas, doc):
    d = atlas.documents.set_index("document").loc[doc]
    return d.get("short_title") or d["title"]


def _project_bounds(bounds):
    t = _transformer()
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
        if fmt == "svg":
            _round_svg(tmp)
    return path


def _round_svg(path: Path, decimals: int = 1) -> None:
    """Write path coordinates to 0.1 pt (0.04 mm, a quarter of a 300-dpi pixel) instead of
    matplotlib's 1e-6 and drop repeated lineto commands: the file shrinks by more than
    half and nothing visible moves. Only path data is touched (transforms keep their
    precision: a glyph's scale is 0.015625)."""
    number = re.compile(r"(-?\d+\.\d{" + str(decimals) + r"})\d+")
    out, prev = [], ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        stripped = line.lstrip()
        is_data = stripped[:2] in ("M ", "L ", "C ", "Q ") or ' d="M ' in line
        if is_data:
            head, sep, data = line.partition(' d="') if ' d="' in line else ("", "", line)
            line = head + sep + number.sub(r"\1", data)
        # "L x y" after an L or M segment is an implicit lineto: the command letter can go
        if stripped.startswith("L ") and prev in ("L", "M"):
            out[-1] = out[-1].rstrip() + " " + line.lstrip()[2:]
        else:
            out.append(line)
        cmd = line.partition(' d="')[2][:1] if ' d="' in line else stripped[:1]
        prev = cmd if is_data else ""
    path.write_text("\n".join(out), encoding="utf-8")


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
    height = height or width * 0.94
    with font_context(base):
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes([0.01, 0.05, 0.98, 0.86])
        g.plot(ax=ax, color=palette[classes.yb], edgecolor="white", linewidth=0.05)
        ax.set_axis_off()
        ax.set_aspect("equal")
        fig.text(0.015, 0.985, title or column, fontsize=base * 1.45, fontweight="bold", va="top")
    return fig
