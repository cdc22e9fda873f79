"""A :class:`~.styles.Style` as an OGC Styled Layer Descriptor 1.1 (Symbology Encoding 1.1):
a rule with an OGC filter per category, polygon and line symbolizers, labels with a halo.

What SE cannot say is left out and the documentation says so: the pairing arrows are
straight lines without a head (SE has no arrowhead and no curve), the no-partner hatch is a
plain fill, and a width that follows ``confidence`` is written as one rule per confidence.
Widths are in SE's pixels of 0.28 mm (the symbolizers' default unit).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..words import confidence_label
from .styles import FONT, Style, Symbol

__all__ = ["style_sld"]

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: points to SE's standard pixels (0.28 mm)
PX_PER_PT = 25.4 / 72 / 0.28

for _prefix, _uri in (("", SLD), ("se", SE), ("ogc", OGC), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)


def _se(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{SE}}}{tag}", attrs)
    if text is not None:
        e.text = text
    return e


def _param(parent, name: str, value) -> None:
    _se(parent, "SvgParameter", value if isinstance(value, str) else f"{value:g}", name=name)


def _ogc(parent, tag: str, text: str | None = None) -> ET.Element:
    e = ET.SubElement(parent, f"{{{OGC}}}{tag}")
    if text is not None:
        e.text = text
    return e


def _literal(value) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def _filter(parent, f: tuple) -> None:
    """An OGC filter (1.1) of a filter tuple (:mod:`.styles`); booleans compare to ``true``."""
    op, *args = f
    if op in ("and", "not"):
        node = _ogc(parent, {"and": "And", "not": "Not"}[op])
        for g in args:
            _filter(node, g)
        return
    tag = {"is": "PropertyIsEqualTo", "eq": "PropertyIsEqualTo", "ne": "PropertyIsNotEqualTo",
           "range": "PropertyIsBetween"}[op]  # fmt: skip
    node = _ogc(parent, tag)
    _ogc(node, "PropertyName", args[0])
    if op == "is":  # QGIS reads "true" as TRUE (a 1 would not equal a boolean there); GeoServer converts it
        _ogc(node, "Literal", "true")
    elif op == "range":
        _ogc(_ogc(node, "LowerBoundary"), "Literal", _literal(args[1]))
        _ogc(_ogc(node, "UpperBoundary"), "Literal", _literal(args[2]))
    else:
        _ogc(node, "Literal", _literal(args[1]))


def _stroke(parent, color: str, width_pt: float, dash: tuple[float, ...] = ()) -> None:
    stroke = _se(parent, "Stroke")
    _param(stroke, "stroke", color)
    _param(stroke, "stroke-width", round(width_pt * PX_PER_PT, 2))
    _param(stroke, "stroke-linejoin", "round")
    if dash:
        _param(stroke, "stroke-dasharray", " ".join(f"{v * PX_PER_PT:.2f}" for v in dash))


def _symbolizer(rule, geometry: str, s: Symbol, width: float) -> None:
    if geometry == "polygon":
        sym = _se(rule, "PolygonSymbolizer")
        if s.fill:
            fill = _se(sym, "Fill")
            _param(fill, "fill", s.fill)
            _param(fill, "fill-opacity", s.fill_opacity)
        if s.edge:
            _stroke(sym, s.edge, width)
    elif geometry == "point":
        graphic = _se(_se(rule, "PointSymbolizer"), "Graphic")
        mark = _se(graphic, "Mark")
        # SE knows no diamond: a square turned by 45°
        _se(mark, "WellKnownName", "square" if s.shape == "diamond" else s.shape or "circle")
        if s.fill:
            _param(_se(mark, "Fill"), "fill", s.fill)
        if s.edge:
            _stroke(mark, s.edge, width)
        _se(graphic, "Size", f"{s.size * PX_PER_PT:.2f}")
        if s.shape == "diamond":
            _se(graphic, "Rotation", "45")
    else:
        _stroke(_se(rule, "LineSymbolizer"), s.edge, width, s.dash)


def _rule(fts, label: str, f: tuple, geometry: str, s: Symbol, width: float) -> None:
    rule = _se(fts, "Rule")
    _se(rule, "Name", label)
    _se(_se(rule, "Description"), "Title", label)
    if f[0] != "all":
        _filter(_ogc(rule, "Filter"), f)
    _symbolizer(rule, geometry, s, width)


def _contradicts(f: tuple, column: str, value) -> bool:
    """Whether ``f`` excludes ``column == value``."""
    op, *args = f
    if op == "and":
        return any(_contradicts(g, column, value) for g in args)
    return (op == "eq" and args[0] == column and args[1] != value) or (
        op == "ne" and args[0] == column and args[1] == value
    )


def style_sld(style: Style) -> str:
    """The SLD document of ``style`` (empty for an attribute table: nothing to draw)."""
    if not style.geometry:
        return ""
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {
        "version": "1.1.0",
        f"{{{XSI}}}schemaLocation": "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    })  # fmt: skip
    layer = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    _se(layer, "Name", style.layer)
    user = ET.SubElement(layer, f"{{{SLD}}}UserStyle")
    _se(user, "Name", style.name)
    _se(_se(user, "Description"), "Title", style.title)
    # one FeatureTypeStyle per drawing pass: SE draws them in order (outlines over fills)
    for level in sorted({r.level for r in style.rules}):
        fts = _se(user, "FeatureTypeStyle")
        for r in (r for r in style.rules if r.level == level):
            if not r.symbol.widths:
                _rule(fts, r.label, r.filter, style.geometry, r.symbol, r.symbol.width)
                continue
            for value, width in r.symbol.widths:
                if not _contradicts(r.filter, "confidence", value):
                    label = f"{r.label} · {confidence_label(value, style.lang)}"
                    f = ("and", r.filter, ("eq", "confidence", value))
                    _rule(fts, label, f, style.geometry, r.symbol, width)
    if style.labels:
        fts = _se(user, "FeatureTypeStyle")
        for lr in style.labels:
            rule = _se(fts, "Rule")
            _se(rule, "Name", lr.label)
            _filter(_ogc(rule, "Filter"), lr.filter)
            text = _se(rule, "TextSymbolizer")
            _ogc(_se(text, "Label"), "PropertyName", lr.column)
            font = _se(text, "Font")
            _param(font, "font-family", FONT)
            _param(font, "font-size", round(lr.size * PX_PER_PT, 2))
            _param(font, "font-style", "italic" if lr.italic else "normal")
            anchor = _se(_se(_se(text, "LabelPlacement"), "PointPlacement"), "AnchorPoint")
            _se(anchor, "AnchorPointX", "0.5")
            _se(anchor, "AnchorPointY", "0.5")
            halo = _se(text, "Halo")
            _se(halo, "Radius", f"{lr.halo * PX_PER_PT:.2f}")
            _param(_se(halo, "Fill"), "fill", "#ffffff")
            _param(_se(text, "Fill"), "fill", lr.color)
    ET.indent(root, " ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
