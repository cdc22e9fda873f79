"""Open a GeoPackage of ``shanhai export`` in headless QGIS, as an analyst opens it, and say
what QGIS made of it; render the map.

Run by Debian's Python (PyQGIS is not in the project's venv), by ``tests/test_gpkg.py``::

    QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH=/tmp/q /usr/bin/python3 tests/qgis_open.py atlas.gpkg map.png [overview-zh]

Prints JSON: per layer whether it loaded, its feature count, renderer, rules, labels, field
aliases, how the attribute table shows the first feature's coded columns, metadata title and
licences, and the styles QGIS lists for it in the file; per county
the fill QGIS draws it with, per link its colour and dash; how the first link is drawn; the
map's extent (EPSG:4549) and size in pixels; and the counties' fills when QGIS imports the
overview style's SLD. The PNG shows counties, city borders and links in the layers' default
styles (or the counties in the named style), projected as the static maps are.
"""

import json
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsGeometry,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsRenderContext,
    QgsSimpleMarkerSymbolLayerBase,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

LAYERS = ("counties", "city_borders", "links", "enclaves", "coverage", "status", "sources")
WIDTH, HEIGHT = 900, 760


def colour(c):
    return [c.name(), round(c.alphaF(), 3)]


def features(layer, settings, key):
    """What the renderer draws each feature with: ``{key: [fill or line colour, alpha, dashed]}``
    from the lowest symbol level that draws it."""
    ctx = QgsRenderContext.fromMapSettings(settings)
    renderer = layer.renderer().clone()
    renderer.startRender(ctx, layer.fields())
    out = {}
    for f in layer.getFeatures():
        ctx.expressionContext().setFeature(f)
        drawn = []
        for symbol in renderer.symbolsForFeature(f, ctx):
            sl = symbol.symbolLayer(0)
            if sl.layerType() == "GeometryGenerator":
                sl = sl.subSymbol().symbolLayer(0)
            if sl.layerType() == "SimpleFill" and sl.brushStyle() != 0:
                drawn.append([*colour(sl.fillColor()), False])
            elif sl.layerType() == "SimpleLine":
                drawn.append([*colour(sl.color()), bool(sl.useCustomDashPattern())])
            elif sl.layerType() == "SimpleMarker":
                drawn.append([*colour(sl.color()), QgsSimpleMarkerSymbolLayerBase.encodeShape(sl.shape())])
        out[key(f)] = drawn[0] if drawn else None
    renderer.stopRender(ctx)
    return out


def arrow(layer):
    """How the first link is drawn: the symbol's layers (a geometry generator and what it
    draws), and the generated line's vertices and bow (its middle's distance from the chord,
    as a share of the chord's length)."""
    generator = layer.renderer().rootRule().children()[0].symbol().symbolLayer(0)
    parts = []
    for sl in generator.subSymbol().symbolLayers() if generator.subSymbol() else []:
        name = sl.layerType()
        if name == "MarkerLine":
            marker = sl.subSymbol().symbolLayer(0)
            name += ":" + QgsSimpleMarkerSymbolLayerBase.encodeShape(marker.shape())
        parts.append(name)
    feature = next(layer.getFeatures())
    ctx = QgsExpressionContext()
    ctx.setFeature(feature)
    line = QgsExpression(generator.geometryExpression()).evaluate(ctx)
    n = line.constGet().nCoordinates()
    start, end, middle = (QgsPointXY(line.vertexAt(i)) for i in (0, n - 1, n // 2))
    chord = QgsGeometry.fromPolylineXY([start, end])
    bow = QgsGeometry.fromPointXY(middle).distance(chord) / chord.length()
    return {"generator": generator.layerType(), "parts": parts, "vertices": n, "bow": bow}


def shown(layer):
    """How the attribute table shows the first feature's coded columns (those with a Value
    Map widget): ``{column: [stored value, shown value]}``."""
    registry = QgsApplication.fieldFormatterRegistry()
    feature = next(layer.getFeatures(), None)
    out = {}
    for i, f in enumerate(layer.fields()):
        setup = layer.editorWidgetSetup(i)
        if feature is None or setup.type() != "ValueMap":
            continue
        value = feature[f.name()]
        value = None if hasattr(value, "isNull") else value  # QGIS's NULL, a QVariant
        text = registry.fieldFormatter("ValueMap").representValue(layer, i, setup.config(), None, value)
        out[f.name()] = [value, text]
    return out


def sld_fills(path, settings, folder):
    """The fills of the counties drawn by the SLD of the overview style, as QGIS imports it."""
    import sqlite3

    db = sqlite3.connect(path)
    (sld,) = db.execute(
        "SELECT styleSLD FROM layer_styles WHERE f_table_name = 'counties' AND styleName = 'overview-zh'"
    ).fetchone()
    db.close()
    file = os.path.join(folder, "counties.sld")
    with open(file, "w", encoding="utf-8") as f:
        f.write(sld)
    layer = QgsVectorLayer(f"{path}|layername=counties", "counties", "ogr")
    _, ok = layer.loadSldStyle(file)
    return {"ok": ok, "renderer": layer.renderer().type(), "fills": features(layer, settings, lambda f: f["code"])}


def main(path, png, counties_style=None):
    app = QgsApplication([], False)
    app.initQgis()
    report = {"version": app.version() if hasattr(app, "version") else ""}
    layers = {}
    for name in LAYERS:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        layers[name] = layer
        info = {"valid": layer.isValid(), "count": layer.featureCount()}
        n, ids, names, _, _ = layer.listStylesInDatabase()
        info["styles"] = list(names[:n])
        if name == "counties" and counties_style:
            qml, _ = layer.getStyleFromDatabase(ids[names.index(counties_style)])
            from qgis.PyQt.QtXml import QDomDocument

            doc = QDomDocument()
            doc.setContent(qml)
            layer.importNamedStyle(doc)
        if layer.isSpatial():
            renderer = layer.renderer()
            info["renderer"] = renderer.type()
            if renderer.type() == "RuleRenderer":
                info["rules"] = [r.label() for r in renderer.rootRule().children()]
            info["labels"] = layer.labeling().type() if layer.labelsEnabled() and layer.labeling() else None
        info["aliases"] = {f.name(): f.alias() for f in layer.fields() if f.name() != "fid"}
        info["shown"] = shown(layer)
        meta = layer.metadata()
        info["title"], info["abstract"], info["licences"] = meta.title(), meta.abstract(), list(meta.licenses())
        report[name] = info

    settings = QgsMapSettings()
    settings.setLayers([layers["enclaves"], layers["links"], layers["city_borders"], layers["counties"]])  # top first
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    settings.setBackgroundColor(QColor("white"))
    settings.setOutputSize(QSize(WIDTH, HEIGHT))
    settings.setOutputDpi(96)
    settings.setExtent(settings.layerToMapCoordinates(layers["counties"], layers["counties"].extent()))
    settings.setExtent(settings.extent().buffered(settings.extent().width() * 0.02))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "png")
    e = settings.visibleExtent()
    report["map"] = {"extent": [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()], "size": [WIDTH, HEIGHT]}
    report["fills"] = features(layers["counties"], settings, lambda f: f["code"])
    report["lines"] = features(layers["links"], settings, lambda f: f"{f['mountain_code']}>{f['partner']}")
    report["arrow"] = arrow(layers["links"])
    report["markers"] = features(layers["enclaves"], settings, lambda f: f["id"])
    report["sld"] = sld_fills(path, settings, os.path.dirname(os.path.abspath(png)))
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
