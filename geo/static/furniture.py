"""What sits around the map: north arrow, scale bar, locator inset (with the provinces
it shows), and the title block's and the source line's lines."""

from __future__ import annotations

import json
from functools import lru_cache

import geopandas as gpd
import shapely

from .._paths import layer_path
from ..words import text
from .draw import draw_geoms
from .figure import CRS, FURNITURE, MONO_FURNITURE, TITLE_WEIGHT, project_geoms, text_pt
from .labels import place_labels
from .wrap import wrap_paragraphs


def north_arrow(ax, size):
    """An N with an arrow in the frame's upper left corner."""
    ax.annotate(
        "N",
        xy=(0.05, 0.93),
        xytext=(0.05, 0.83),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=text_pt(size, "north"),
        fontweight=TITLE_WEIGHT,
        arrowprops=dict(
            facecolor="black", edgecolor="black", width=size * 0.15, headwidth=size * 0.7, headlength=size * 0.8
        ),
    )


def scale_bar(ax, size):
    """A metric scale bar in the frame's lower left corner (returned)."""
    from matplotlib_scalebar.scalebar import ScaleBar

    bar = ScaleBar(
        1,
        "m",
        location="lower left",
        length_fraction=0.22,
        font_properties={"size": text_pt(size, "scale")},
        box_alpha=0.0,
        border_pad=0.6,
        width_fraction=0.008,
    )
    ax.add_artist(bar)
    return bar


def scale_bar_box(bar, renderer):
    """Where the scale bar sits on the page (display units): it knows only once drawn."""
    bar.draw(renderer)
    return bar.info.window_extent


@lru_cache(maxsize=1)
def provinces():
    """Zhejiang and its five neighbours (layers/provinces.geojson), in the map's CRS."""
    data = json.loads(layer_path("provinces.geojson").read_text(encoding="utf-8"))
    feats = data["features"]
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in feats]
    props = {k: [f["properties"][k] for f in feats] for k in ("code", "name")}
    return gpd.GeoDataFrame(props, geometry=project_geoms(geoms), crs=CRS)


def locator(ax, extent, size, min_pt: float = 0.0, lang: str = "zh", mono: bool = False):
    """Zhejiang among its neighbours, the main map's extent as a rectangle (all grey
    with ``mono``)."""
    from matplotlib.patches import Rectangle

    colors = MONO_FURNITURE if mono else FURNITURE
    p = provinces()
    zj = p["code"] == "330000"
    edge = "#8c8c8c" if mono else "#8a877f"
    draw_geoms(ax, p[~zj].geometry.values, facecolor=colors["neighbour_fill"], edgecolor=edge, linewidth=0.3)
    draw_geoms(
        ax, p[zj].geometry.values, facecolor=colors["zhejiang"], edgecolor=colors["zhejiang_edge"], linewidth=0.4
    )
    minx, miny, maxx, maxy = extent
    ax.add_patch(
        Rectangle((minx, miny), maxx - minx, maxy - miny, fill=False, edgecolor=colors["extent"], linewidth=0.9)
    )
    b = p.total_bounds
    pad = 0.03 * (b[2] - b[0])
    ax.set_xlim(b[0] - pad, b[2] + pad)
    ax.set_ylim(b[1] - pad, b[3] + pad)
    ax.set_aspect("equal")
    ax.apply_aspect()
    texts = []
    for _, r in p.iterrows():
        pt = r.geometry.representative_point()
        if r["code"] == "310000":  # Shanghai is small: label it beside, on the sea
            pt = shapely.Point(pt.x + 90_000, pt.y + 20_000)
        texts.append(ax.text(pt.x, pt.y, text(f"province_{r['code']}", lang), fontsize=max(text_pt(size, "locator"), min_pt),
                             ha="center", va="center", color="#333333"))  # fmt: skip
    # inside the inset and apart (Zhejiang first); a name with no room is left off
    place_labels(texts, ax, ax.get_figure(), priority=list((p["code"] == "330000").astype(int)), leaders=False)
    ax.set_facecolor(colors["sea"])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_linewidth(0.5)
        sp.set_color("#666666")


def wrap_head_and_source(subtitle: str, source: str, width_in: float, base: float):
    """The subtitle's and the source's lines across a page ``width_in`` wide, so the title
    block and the foot are as tall as their lines before the layout is made."""
    text_w = (width_in - 0.12) * 72
    return (
        wrap_paragraphs(subtitle, text_w, text_pt(base, "subtitle")),
        wrap_paragraphs(source, text_w, text_pt(base, "foot")),
    )


def wrap_note(note: str, width_in: float, base: float) -> list[str]:
    """The author's note (``--note``) in lines across a page ``width_in`` wide."""
    return wrap_paragraphs(note or "", (width_in - 0.12) * 72, text_pt(base, "foot"))


def draw_head_and_foot(fig, margin, title, subtitle, notes, source, base):
    """The title and subtitle lines at the top left; the note's lines above the source
    line's at the bottom (lines already wrapped)."""
    W, H = fig.get_figwidth(), fig.get_figheight()
    pt = 1 / 72
    top = 1 - margin / H
    y = top
    if title:
        size = text_pt(base, "title")
        fig.text(margin / W, top, title, fontsize=size, fontweight=TITLE_WEIGHT, va="top")
        y -= size * 1.25 * pt / H
    size = text_pt(base, "subtitle")
    for line in subtitle:
        fig.text(margin / W, y, line, fontsize=size, va="top", color="#333333")
        y -= size * 1.3 * pt / H
    y = margin / H
    size = text_pt(base, "foot")
    for line, color in reversed([*((n, "#222222") for n in notes), *((s, "#555555") for s in source)]):
        fig.text(margin / W, y, line, fontsize=size, va="bottom", color=color)
        y += size * 1.3 * pt / H
