"""What sits around the map: north arrow, scale bar, locator inset (with the provinces
it shows), and the wrapping of the title block's and the source line's text."""

from __future__ import annotations

import re
from functools import lru_cache

from .draw import draw_geoms
from .figure import CRS, FURNITURE, MONO_FURNITURE, TITLE_WEIGHT, project_geoms


def north_arrow(ax, size):
    """An N with an arrow in the frame's upper left corner."""
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


def scale_bar(ax, size):
    """A metric scale bar in the frame's lower left corner."""
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


@lru_cache(maxsize=1)
def provinces():
    """Zhejiang and its five neighbours (layers/provinces.geojson), in the map's CRS."""
    import json

    import geopandas as gpd
    import shapely

    from .._paths import layer_path

    data = json.loads(layer_path("provinces.geojson").read_text(encoding="utf-8"))
    feats = data["features"]
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in feats]
    props = {k: [f["properties"][k] for f in feats] for k in ("code", "name")}
    return gpd.GeoDataFrame(props, geometry=project_geoms(geoms), crs=CRS)


#: the provinces' one-character names, and their pinyin initials for English maps
PROVINCE_SHORT = {
    "zh": {"310000": "沪", "320000": "苏", "340000": "皖", "350000": "闽", "360000": "赣", "330000": "浙"},
    "en": {"310000": "SH", "320000": "JS", "340000": "AH", "350000": "FJ", "360000": "JX", "330000": "ZJ"},
}


def locator(ax, extent, size, min_pt: float = 0.0, lang: str = "zh", mono: bool = False):
    """Zhejiang among its neighbours, the main map's extent as a rectangle (all grey
    with ``mono``)."""
    import shapely
    from matplotlib.patches import Rectangle

    colors = MONO_FURNITURE if mono else FURNITURE
    p = provinces()
    zj = p["code"] == "330000"
    edge = "#8c8c8c" if mono else "#8a877f"
    draw_geoms(ax, p[~zj].geometry.values, facecolor=colors["neighbour_fill"], edgecolor=edge, linewidth=0.3)
    draw_geoms(
        ax, p[zj].geometry.values, facecolor=colors["zhejiang"], edgecolor=colors["zhejiang_edge"], linewidth=0.4
    )
    short = PROVINCE_SHORT[lang]
    for _, r in p.iterrows():
        pt = r.geometry.representative_point()
        if r["code"] == "310000":  # Shanghai is small: label it beside, on the sea
            pt = shapely.Point(pt.x + 90_000, pt.y + 20_000)
        ax.text(pt.x, pt.y, short[r["code"]], fontsize=max(size * 0.62, min_pt), ha="center", va="center",
                color="#333333")  # fmt: skip
    minx, miny, maxx, maxy = extent
    ax.add_patch(
        Rectangle((minx, miny), maxx - minx, maxy - miny, fill=False, edgecolor=colors["extent"], linewidth=0.9)
    )
    b = p.total_bounds
    pad = 0.03 * (b[2] - b[0])
    ax.set_xlim(b[0] - pad, b[2] + pad)
    ax.set_ylim(b[1] - pad, b[3] + pad)
    ax.set_aspect("equal")
    ax.set_facecolor(colors["sea"])
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


def wrap_head_and_source(subtitle: str, source: str, width_in: float, base: float):
    """The subtitle's and the source's lines across a page ``width_in`` wide, so the title
    block and the foot are as tall as their lines before the layout is made."""
    text_w = (width_in - 0.12) * 72
    return (
        wrap_text(subtitle, text_w, base * 0.9),
        [ln for part in source.split("\n") for ln in wrap_text(part, text_w, base * 0.62)],
    )


def wrap_note(note: str, width_in: float, base: float) -> list[str]:
    """The author's note (``--note``) in lines across a page ``width_in`` wide."""
    text_w = (width_in - 0.12) * 72
    return [ln for part in (note or "").split("\n") for ln in wrap_text(part, text_w, base * 0.62)]


def draw_head_and_foot(fig, margin, title, subtitle, notes, source, base):
    """The title and subtitle lines at the top left; the note's lines above the source
    line's at the bottom (lines already wrapped)."""
    W, H = fig.get_figwidth(), fig.get_figheight()
    pt = 1 / 72
    top = 1 - margin / H
    y = top
    if title:
        fig.text(margin / W, top, title, fontsize=base * 1.45, fontweight=TITLE_WEIGHT, va="top")
        y -= base * 1.45 * 1.25 * pt / H
    for line in subtitle:
        fig.text(margin / W, y, line, fontsize=base * 0.9, va="top", color="#333333")
        y -= base * 0.9 * 1.3 * pt / H
    y = margin / H
    for line, color in reversed([*((n, "#222222") for n in notes), *((s, "#555555") for s in source)]):
        fig.text(margin / W, y, line, fontsize=base * 0.62, va="bottom", color=color)
        y += base * 0.62 * 1.3 * pt / H


def wrap_text(text_: str, width_pt: float, size: float) -> list[str]:
    """Break ``text_`` into lines no wider than ``width_pt`` (CJK-aware estimate), at
    spaces or between CJK characters, so each line's height is known before drawing."""
    lines, line = [], ""
    tokens = []
    for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", text_):
        # a word wider than the line (an address) is cut into pieces that fit
        while _text_width_pt(token.rstrip(), size) > width_pt and len(token) > 1:
            n = max(1, int(len(token) * width_pt / _text_width_pt(token, size)) - 1)
            tokens.append(token[:n])
            token = token[n:]
        tokens.append(token)
    for token in tokens:
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
