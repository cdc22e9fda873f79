"""Geometry and text for the page: delta-encoded integer rings, escaped tooltips, popups
and legends, the per-feature style."""

from __future__ import annotations

import colorsys
import html
import re

import numpy as np
import shapely

from ..errors import RenderError
from ..geometry import PRECISION
from ..themes import text
from ..words import say

SCALE = round(1 / PRECISION)  # coordinates are written as integers on the simplification grid


_TYPES = {"LineString": 0, "MultiLineString": 1, "Polygon": 2, "MultiPolygon": 3, "Point": 4}


def _ring(coords) -> list[int]:
    q = np.round(np.asarray(coords)[:, :2] * SCALE).astype(np.int64)
    d = np.vstack([q[:1], np.diff(q, axis=0)])
    return d.ravel().tolist()


def encode_geometry(geom) -> list:
    """[type, nested delta-encoded integer rings] on the 1e-4° grid the geometry was
    snapped to: about a third of the bytes of GeoJSON (a point: [4, [x, y]]). Decoded in
    the page by ``shanhaiDecode``."""
    t = geom.geom_type
    if t == "Point":
        return [4, _ring([geom.coords[0]])]
    if t == "LineString":
        return [0, _ring(geom.coords)]
    if t == "MultiLineString":
        return [1, [_ring(g.coords) for g in geom.geoms]]
    if t == "Polygon":
        return [2, [_ring(r.coords) for r in (geom.exterior, *geom.interiors)]]
    if t == "MultiPolygon":
        return [3, [[_ring(r.coords) for r in (p.exterior, *p.interiors)] for p in geom.geoms]]
    if t == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in _TYPES]
        lines = [g for g in parts if "Line" in g.geom_type]
        return encode_geometry(shapely.line_merge(shapely.union_all(lines)) if lines else shapely.MultiPolygon())
    raise RenderError(say("render.cannot_draw", t=t))


def escape(value) -> str:
    """``value`` as HTML text (None → ""), quotes escaped too."""
    return html.escape("" if value is None else str(value), quote=True)


def source_html(citations) -> str:
    """Citations (issuer · title · date, address of the original) as HTML: a link where the
    original's address is known, plain text otherwise; never an address as its own text."""
    if not citations:
        return ""
    parts = []
    for label, url in citations:
        if url and re.match(r"https?://", url):
            parts.append(f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>')
        else:
            parts.append(escape(label))
    han = any("\u4e00" <= ch <= "\u9fff" for label, _ in citations for ch in label)
    return '<span class="src">' + ("；" if han else "; ").join(parts) + "</span>"


def tooltip_html(items) -> str:
    head, *rest = items
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rest)
    return f"<b>{escape(head[0])}</b>" + (f"<table>{rows}</table>" if rows else "")


def _line_html(t, s) -> str:
    return f"{escape(t)}{' ' + source_html(s) if s else ''}"


def popup_sections(sections, table: dict[str, int]) -> list:
    """Sections as [heading html, [line ids]], each distinct line stored once in ``table``."""
    out = []
    for heading, lines in sections:
        ids = [table.setdefault(_line_html(t, s), len(table)) for t, s in lines if t or s]
        out.append([escape(heading), ids])
    return out


def popup_html(sections) -> str:
    out = []
    for i, (heading, lines) in enumerate(sections):
        tag = "h4" if i == 0 else "h5"
        out.append(f"<{tag}>{escape(heading)}</{tag}>")
        if lines:
            out.append("<ul>" + "".join(f"<li>{_line_html(t, s)}</li>" for t, s in lines if t or s) + "</ul>")
    return "".join(out)


def colour_name(colour: str, lang: str = "zh") -> str:
    """A plain name for a legend colour (浅黄色 / light yellow), so a swatch has text: a
    screen reader says what the eye sees beside the label."""
    h = str(colour).lstrip("#")
    try:
        r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return str(colour)
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    hue *= 360
    if light < 0.12:
        return text("colour_black", lang)
    if sat < 0.15 or (light > 0.9 and sat < 0.3):
        name = "white" if light > 0.93 else "grey"
    elif hue < 15 or hue >= 340:
        name = "red"
    elif hue < 45:
        name = "brown" if light < 0.35 else "orange"
    elif hue < 70:
        name = "yellow"
    elif hue < 165:
        name = "green"
    elif hue < 195:
        name = "cyan"
    elif hue < 255:
        name = "blue"
    elif hue < 295:
        name = "purple"
    else:
        name = "pink"
    word = text(f"colour_{name}", lang)
    if name == "white":
        return word
    if light > 0.75:
        return text("shade_light", lang, c=word)
    if light < 0.3:
        return text("shade_dark", lang, c=word)
    return word


def legend_html(legend, var: str, lang: str = "zh") -> str:
    """A layer's legend as an HTML section, shown with the layer ``var``; each swatch says
    in words what it shows (a screen reader reads it, as the eye reads the colour)."""
    items = []
    for it in legend.items:
        c = colour_name(it.color, lang)
        if it.kind in ("line", "dashed"):
            what = text("sw_dashed" if it.kind == "dashed" else "sw_line", lang, c=c)
            cls, style = "ln" + (" dash" if it.kind == "dashed" else ""), f"border-color:{escape(it.color)}"
        elif it.kind == "outline":
            what, cls, style = text("sw_outline", lang, c=c), "sw ol", f"border-color:{escape(it.color)}"
        elif it.kind == "point":  # a marker: its shape drawn as the map draws it
            what = text("sw_marker", lang, c=c, shape=text(f"shape_{it.shape}", lang))
            mark = marker_svg(it.shape, it.color, "#111111", 14)
            sw = f'<span class="mk" role="img" aria-label="{escape(what)}">{mark}</span>'
            count = "" if it.count is None else f' <span class="n" data-state="{it.state}">({it.count})</span>'
            items.append(f'<div class="i">{sw}<span>{escape(it.label)}{count}</span></div>')
            continue
        else:
            what = text("sw_hatch" if it.hatch else "sw_fill", lang, c=c)
            cls, style = "sw" + (" hatch" if it.hatch else ""), f"background-color:{escape(it.color)}"
        sw = f'<span class="{cls}" style="{style}" role="img" aria-label="{escape(what)}"></span>'
        count = "" if it.count is None else f' <span class="n" data-state="{it.state}">({it.count})</span>'
        items.append(f'<div class="i">{sw}<span>{escape(it.label)}{count}</span></div>')
    # a heading that only repeats its single item is left out (as in the static legend)
    labels = [it.label for it in legend.items]
    head = f"<h2>{escape(legend.title)}</h2>" if len(labels) > 1 and legend.title not in labels else ""
    return f'<section data-layer="{var}">{head}{"".join(items)}</section>'


#: the markers' outlines in a 0–1 box
MARKER_PATHS = {
    "square": "M0.14 0.14H0.86V0.86H0.14Z",
    "triangle": "M0.5 0.08L0.94 0.88H0.06Z",
    "circle": "M0.5 0.12A0.38 0.38 0 1 1 0.5 0.88A0.38 0.38 0 1 1 0.5 0.12Z",
    "diamond": "M0.5 0.06L0.94 0.5L0.5 0.94L0.06 0.5Z",
}


def marker_svg(shape: str, fill: str, edge: str, size: float, weight: float = 1.0) -> str:
    """A marker as inline SVG ``size`` px wide: a legend's swatch, and each marker of a
    points layer (the page script places it as a Leaflet icon)."""
    path = MARKER_PATHS.get(shape, MARKER_PATHS["circle"])
    return (
        f'<svg width="{size:g}" height="{size:g}" viewBox="0 0 1 1" aria-hidden="true" focusable="false">'
        f'<path d="{path}" fill="{escape(fill)}" stroke="{escape(edge)}" stroke-width="{weight / size:.3f}"/></svg>'
    )


def style_dict(r) -> dict:
    """The Leaflet path style of one feature row."""
    s = {"color": r["edge"], "weight": float(r["weight"]), "fillOpacity": float(r["fill_opacity"])}
    if r["fill"] != "none":
        s["fillColor"] = r["fill"]
    else:
        s["fill"] = False
    if r["dash"]:
        s["dashArray"] = r["dash"]
    return s


def shared_data(polys) -> tuple[list, dict, list]:
    """The page's county geometry, popups and the popup lines they index, from county
    features with ``popup`` sections (sorted by code when a site shares them)."""
    codes = polys["code"].tolist()
    geo = [[code, encode_geometry(g)] for code, g in zip(codes, polys.geometry.values, strict=True)]
    lines: dict[str, int] = {}
    popups = {code: popup_sections(sections, lines) for code, sections in zip(codes, polys["popup"], strict=True)}
    return geo, popups, list(lines)
