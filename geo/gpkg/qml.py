"""A :class:`~.styles.Style` as QGIS's own style XML (a ``.qml`` document, as QGIS 3.22 writes
it): a rule-based renderer with symbol levels, rule-based labels with a halo, the columns'
aliases. Written with ElementTree; QGIS fills in every property left out with its default.

The pairing arrows bow as the maps draw them: their lines stay straight in the data (from
one representative point to the other) and a geometry generator draws the quadratic Bézier
of :func:`geo.themes.curve`, in the layer's coordinates (degrees are scaled by the cosine of
the latitude, as the theme does), ending in an arrowhead.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .styles import FONT, Style, Symbol

__all__ = ["qgis_expression", "style_qml"]

#: the QGIS release whose format this follows (any later one reads it)
QGIS_VERSION = "3.22.16-Białowieża"
#: what the style sets: QGIS's style categories
CATEGORIES = "Symbology|Labeling|Fields|Forms|Rendering"
_SEGMENTS = 32  # points of a drawn curve, as the theme's
#: how a Value Map names NULL (QgsValueMapFieldFormatter::NULL_VALUE): without it QGIS shows "(NULL)"
NULL_VALUE = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"


def _quote(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def qgis_expression(f: tuple) -> str:
    """A filter (:mod:`.styles`) as a QGIS expression."""
    op, *args = f
    if op == "all":
        return ""
    if op == "is":
        return _field(args[0])
    if op == "not":
        return f"NOT ({qgis_expression(args[0])})"
    if op == "and":
        return " AND ".join(f"({qgis_expression(g)})" for g in args)
    name = _field(args[0])
    if op == "eq":
        return f"{name} = {_quote(args[1])}"
    if op == "ne":
        return f"{name} <> {_quote(args[1])}"
    if op == "range":
        return f"{name} >= {_quote(args[1])} AND {name} <= {_quote(args[2])}"
    raise ValueError(f"unknown filter {op!r}")


def rgba(color: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a``."""
    c = color.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(255 * opacity)}"


def _options(parent, values: dict) -> ET.Element:
    """QGIS's ``<Option type="Map">`` of string values."""
    m = ET.SubElement(parent, "Option", type="Map")
    for k, v in values.items():
        ET.SubElement(m, "Option", name=k, type="QString", value=str(v))
    return m


def _data_defined(parent, properties: dict[str, str]) -> None:
    """Properties of a symbol layer that follow an expression (``{key: expression}``)."""
    dd = ET.SubElement(parent, "data_defined_properties")
    m = ET.SubElement(dd, "Option", type="Map")
    ET.SubElement(m, "Option", name="name", type="QString", value="")
    props = ET.SubElement(m, "Option", name="properties", type="Map")
    for key, expression in properties.items():
        p = ET.SubElement(props, "Option", name=key, type="Map")
        ET.SubElement(p, "Option", name="active", type="bool", value="true")
        ET.SubElement(p, "Option", name="expression", type="QString", value=expression)
        ET.SubElement(p, "Option", name="type", type="int", value="3")
    ET.SubElement(m, "Option", name="type", type="QString", value="collection")


def _symbol(parent, name: str, kind: str) -> ET.Element:
    return ET.SubElement(parent, "symbol", name=name, type=kind, alpha="1", clip_to_extent="1", force_rhr="0")


def _layer(symbol, cls: str, level: int, values: dict) -> ET.Element:
    lay = ET.SubElement(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": str(level)})
    _options(lay, values)
    return lay


def _fill_symbol(parent, name: str, s: Symbol, level: int) -> None:
    sym = _symbol(parent, name, "fill")
    _layer(sym, "SimpleFill", level, {
        "color": rgba(s.fill, s.fill_opacity) if s.fill else "0,0,0,0",
        "style": "solid" if s.fill else "no",
        "outline_color": rgba(s.edge) if s.edge else "0,0,0,0",
        "outline_style": "solid" if s.edge else "no",
        "outline_width": round(s.width, 3),
        "outline_width_unit": "Point",
        "joinstyle": "round",
    })  # fmt: skip
    if s.hatch:  # the print maps' diagonal hatch, in the outline's colour
        _layer(sym, "SimpleFill", level, {"color": rgba(s.edge or "#5a5a5a"), "style": "b_diagonal",
                                          "outline_style": "no"})  # fmt: skip


def _by_confidence(widths: tuple[tuple[str, float], ...]) -> str:
    """A width that follows the ``confidence`` column (the narrowest for any other value)."""
    whens = " ".join(f"WHEN {_field('confidence')} = {_quote(v)} THEN {w:g}" for v, w in widths)
    return f"CASE {whens} ELSE {min(w for _, w in widths):g} END"


def curve_expression(bend: float) -> str:
    """The quadratic Bézier of :func:`geo.themes.curve` from the start of a line to its end,
    bowed to the left of travel by ``bend`` × its length (degrees scaled by the cosine of the
    latitude; projected coordinates as they are)."""
    n = _SEGMENTS
    return (
        "with_variable('a', start_point($geometry), with_variable('b', end_point($geometry), "
        "with_variable('k', if(abs(x(@a)) <= 180 AND abs(y(@a)) <= 90, cos(radians((y(@a) + y(@b)) / 2)), 1), "
        f"with_variable('c', make_point((x(@a) + x(@b)) / 2 - (y(@b) - y(@a)) * {bend} / @k, "
        f"(y(@a) + y(@b)) / 2 + (x(@b) - x(@a)) * {bend} * @k), "
        f"make_line(array_foreach(generate_series(0, {n}), with_variable('t', @element / {n}, "
        "make_point((1 - @t) ^ 2 * x(@a) + 2 * (1 - @t) * @t * x(@c) + @t ^ 2 * x(@b), "
        "(1 - @t) ^ 2 * y(@a) + 2 * (1 - @t) * @t * y(@c) + @t ^ 2 * y(@b)))))))))"
    )


def _line_symbol(parent, name: str, s: Symbol, level: int) -> None:
    sym = _symbol(parent, name, "line")
    target, sub_name = sym, name
    if s.bend:
        gen = _layer(sym, "GeometryGenerator", level, {"SymbolType": "Line", "geometryModifier": curve_expression(s.bend),
                                                       "units": "MapUnit"})  # fmt: skip
        sub_name = f"@{name}@0"
        target = _symbol(gen, sub_name, "line")
    line = _layer(target, "SimpleLine", level, {
        "line_color": rgba(s.edge),
        "line_width": round(s.width, 3),
        "line_width_unit": "Point",
        "line_style": "solid",
        "use_custom_dash": "1" if s.dash else "0",
        "customdash": ";".join(f"{v:g}" for v in s.dash) or "5;2",
        "customdash_unit": "Point",
        "capstyle": "flat" if s.dash else "round",
        "joinstyle": "round",
    })  # fmt: skip
    if s.widths:
        _data_defined(line, {"outlineWidth": _by_confidence(s.widths)})
    if s.arrow:  # an arrowhead at the last vertex, along the line
        marker = _layer(target, "MarkerLine", level, {"placement": "lastvertex", "rotate": "1", "offset": "0"})
        head = _symbol(marker, f"@{sub_name}@1", "marker")
        # QGIS's filled arrowhead is as long as half its size: twice the print map's head
        _layer(head, "SimpleMarker", level, {"name": "filled_arrowhead", "color": rgba(s.edge), "outline_style": "no",
                                             "size": round(2 * s.arrow, 3), "size_unit": "Point", "angle": "0"})  # fmt: skip


def _marker_symbol(parent, name: str, s: Symbol, level: int) -> None:
    sym = _symbol(parent, name, "marker")
    _layer(sym, "SimpleMarker", level, {
        "name": s.shape or "circle",  # QGIS's names: square, triangle, circle, diamond
        "color": rgba(s.fill, s.fill_opacity) if s.fill else "0,0,0,0",
        "outline_color": rgba(s.edge) if s.edge else "0,0,0,0",
        "outline_style": "solid" if s.edge else "no",
        "outline_width": round(s.width, 3),
        "outline_width_unit": "Point",
        "size": round(s.size, 3),
        "size_unit": "Point",
        "joinstyle": "miter",
    })  # fmt: skip


_SYMBOLS = {"polygon": _fill_symbol, "line": _line_symbol, "point": _marker_symbol}
#: QGIS's geometry type codes
_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}


def _labeling(root, style: Style) -> None:
    lab = ET.SubElement(root, "labeling", type="rule-based")
    rules = ET.SubElement(lab, "rules", key="{labels}")
    for i, lr in enumerate(style.labels):
        rule = ET.SubElement(
            rules, "rule", key=f"{{label-{i}}}", description=lr.label, filter=qgis_expression(lr.filter)
        )
        settings = ET.SubElement(rule, "settings", calloutType="simple")
        ts = ET.SubElement(settings, "text-style", {
            "fieldName": lr.column, "isExpression": "0", "fontFamily": FONT, "namedStyle": "Regular",
            "fontSize": f"{lr.size:g}", "fontSizeUnit": "Point", "textColor": rgba(lr.color), "textOpacity": "1",
            "fontItalic": "1" if lr.italic else "0", "fontWeight": "50", "multilineHeight": "1", "allowHtml": "0",
        })  # fmt: skip
        ET.SubElement(ts, "text-buffer", {
            "bufferDraw": "1", "bufferSize": f"{lr.halo:g}", "bufferSizeUnits": "Point", "bufferColor": "255,255,255,255",
            "bufferOpacity": "1", "bufferNoFill": "1", "bufferJoinStyle": "128",
        })  # fmt: skip
        ET.SubElement(settings, "text-format", multilineAlign="3", wrapChar="", autoWrapLength="0")
        # around the polygon's centroid, kept inside it (the maps use the representative point)
        ET.SubElement(settings, "placement", {
            "placement": "1", "centroidInside": "1", "centroidWhole": "0", "fitInPolygonOnly": "0",
            "priority": str(9 - i), "dist": "0", "offsetType": "0", "quadOffset": "4", "xOffset": "0", "yOffset": "0",
            "placementFlags": "10", "polygonPlacementFlags": "2",
        })  # fmt: skip
        ET.SubElement(settings, "rendering", {
            "drawLabels": "1", "obstacle": "1", "obstacleType": "1", "obstacleFactor": "1", "displayAll": "0",
            "upsidedownLabels": "0", "labelPerPart": "0", "mergeLines": "0", "limitNumLabels": "0",
            "maxNumLabels": "2000", "minFeatureSize": "0", "scaleVisibility": "0", "fontMinPixelSize": "3",
            "fontMaxPixelSize": "10000", "zIndex": str(len(style.labels) - i),
        })  # fmt: skip


def _value_maps(root, maps: dict[str, list[tuple[str, str]]]) -> None:
    """Each coded column shown by its labels: QGIS's "Value Map" widget (the attribute table
    and the forms show 高 where the column holds ``high``; a form offers the labels)."""
    if not maps:
        return
    config = ET.SubElement(root, "fieldConfiguration")
    for column, pairs in maps.items():
        fld = ET.SubElement(config, "field", name=column, configurationFlags="None")
        widget = ET.SubElement(ET.SubElement(fld, "editWidget", type="ValueMap"), "config")
        options = ET.SubElement(widget, "Option", type="Map")
        entries = ET.SubElement(options, "Option", name="map", type="List")
        # a list of one-entry maps, label → code, in their order; NULL last, shown as QGIS shows it
        for code, label in [*pairs, (NULL_VALUE, "NULL")]:
            entry = ET.SubElement(entries, "Option", type="Map")
            ET.SubElement(entry, "Option", name=label, type="QString", value=code)


def style_qml(style: Style) -> str:
    """The QML document of ``style`` (a string, UTF-8 when encoded)."""
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": CATEGORIES,
                                "labelsEnabled": "1" if style.labels else "0"})  # fmt: skip
    if style.geometry:
        levels = any(r.level for r in style.rules)
        renderer = ET.SubElement(root, "renderer-v2", {
            "type": "RuleRenderer", "symbollevels": "1" if levels else "0", "forceraster": "0", "enableorderby": "0",
        })  # fmt: skip
        rules = ET.SubElement(renderer, "rules", key="{root}")
        symbols = ET.SubElement(renderer, "symbols")
        for i, r in enumerate(style.rules):
            attrs = {"key": f"{{rule-{i}}}", "symbol": str(i), "label": r.label}
            if r.filter[0] != "all":
                attrs["filter"] = qgis_expression(r.filter)
            ET.SubElement(rules, "rule", attrs)
            _SYMBOLS[style.geometry](symbols, str(i), r.symbol, r.level)
        if style.labels:
            _labeling(root, style)
        ET.SubElement(root, "blendMode").text = "0"
        ET.SubElement(root, "featureBlendMode").text = "0"
        ET.SubElement(root, "layerOpacity").text = "1"
    _value_maps(root, style.value_maps)
    aliases = ET.SubElement(root, "aliases")
    for i, (column, name) in enumerate(style.aliases.items()):
        ET.SubElement(aliases, "alias", field=column, index=str(i + 1), name=name)  # field 0 is the fid
    if style.geometry:
        ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_TYPE[style.geometry]
    ET.indent(root, " ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")
