"""What the GeoPackage says about itself, written with sqlite3 into the file GDAL has just
written: the styles in ``layer_styles`` (the table QGIS reads and writes), the columns'
labels and descriptions in ``gpkg_data_columns`` (the GeoPackage schema extension), and each
layer's description in ``gpkg_metadata`` in QGIS's own metadata format, linked to the layer.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .._version import __version__
from ..notices import BOUNDARY_DATA, POPULATION_2020
from ..themes.base import boundaries_words
from ..words import COMPILED, edition_name, edition_title, text
from .columns import COLUMNS, LAYER_WORDS
from .qml import QGIS_VERSION, style_qml
from .sld import style_sld

__all__ = ["dataset_metadata", "describe", "file_words", "layer_words"]

#: ``layer_styles`` as QGIS creates it in a GeoPackage (through GDAL, FID ``id``)
LAYER_STYLES = """CREATE TABLE "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
 "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256),
 "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT,
 "owner" TEXT(30), "ui" TEXT(30), "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""
#: the schema extension's tables, as the GeoPackage 1.2 specification defines them
DATA_COLUMNS = """CREATE TABLE gpkg_data_columns ( table_name TEXT NOT NULL, column_name TEXT NOT NULL,
 name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT,
 CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))"""
CONSTRAINTS = """CREATE TABLE gpkg_data_column_constraints ( constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL,
 value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
 CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))"""
SCHEMA_EXTENSION = "http://www.geopackage.org/spec120/#extension_schema"
#: what QGIS calls its metadata format in ``gpkg_metadata.md_standard_uri``
QGIS_METADATA = "http://mrcc.com/qgis.dtd"


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def edition_words(atlas) -> dict[str, str]:
    """The placeholders of the data dictionary's words (:mod:`.columns`)."""

    ed = atlas.edition
    return {"ed_title": ed.title, "ed_en": edition_name(ed, "en"), "ed_date": ed.date, "ed_id": ed.id}


def layer_words(atlas, layer: str) -> tuple[str, str]:
    """(title, description) of a layer for ``gpkg_contents``: Chinese, then English."""
    zh, en, about_zh, about_en = LAYER_WORDS[layer]
    words = edition_words(atlas)
    return f"{zh} / {en}", f"{about_zh.format(**words)}。\n{about_en.format(**words)}."


def _layer_styles(db, tables, styles, now: datetime) -> None:
    db.execute(LAYER_STYLES)
    for i, s in enumerate(styles):
        # a second apart, in the order of ``styles``: QGIS lists the styles of the other layers
        # by update time to the second, and lists styles of the same second once per style
        geometry = "geom" if "geometry" in tables[s.layer] else ""
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,"
            " styleQML, styleSLD, useAsDefault, description, owner, ui, update_time)"
            " VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, '', NULL, ?)",
            (
                s.layer,
                geometry,
                s.name,
                style_qml(s),
                style_sld(s),
                int(s.default),
                s.title,
                _stamp(now - timedelta(seconds=i)),
            ),
        )
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
        " VALUES ('layer_styles', 'attributes', 'layer_styles', ?, ?)",
        (
            "QGIS 图层样式（各图层的默认样式在打开时自动应用）/ QGIS layer styles (each layer's default applies when it opens)",
            _stamp(now),
        ),
    )


def _data_columns(db, atlas, tables) -> None:
    db.execute(DATA_COLUMNS)
    db.execute(CONSTRAINTS)
    for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
        db.execute(
            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)"
            " VALUES (?, NULL, 'gpkg_schema', ?, 'read-write')",
            (table, SCHEMA_EXTENSION),
        )
    words = edition_words(atlas)
    db.executemany(
        "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)",
        [
            (layer, c.name, c.zh, c.en, f"{c.about_zh.format(**words)}\n{c.about_en.format(**words)}")
            for layer in tables
            for c in COLUMNS[layer]
        ],
    )


def file_words(atlas) -> dict[str, list[str]]:
    """What the file says of itself, each ``[Chinese, English]``: title, edition, the maps'
    data line (sources), the licences of the boundaries, the population and the software,
    the not-a-standard-map notice (rights), and when and with what it was made (history)."""
    ed, b = atlas.edition, BOUNDARY_DATA
    keys = {
        "title": lambda lang: text("doc_title", lang, ed=edition_name(ed, lang)),
        "edition": lambda lang: text("edition", lang, title=edition_title(ed, lang), date=ed.date),
        "sources": lambda lang: text("source_line", lang, date=COMPILED, boundaries=boundaries_words(atlas, lang)),
        "boundaries": lambda lang: text("licence_boundaries", lang, name=b.name, version=b.version, licence=b.licence,
                                        copyright=b.copyright),
        "population": lambda lang: text("licence_population", lang, isbn=POPULATION_2020),
        "software": lambda lang: text("doc_licence_software", lang, version=__version__),
        "rights": lambda lang: text("doc_not_standard", lang),
        "history": lambda lang: text("doc_comments", lang, compiled=COMPILED, version=__version__),
    }  # fmt: skip
    return {key: [words(lang) for lang in ("zh", "en")] for key, words in keys.items()}


def dataset_metadata(atlas) -> dict[str, str]:
    """The file's own description as GDAL stores it (``gpkg_metadata``, scope geopackage;
    ``ogrinfo`` lists it): title, edition, sources, licence, compile date, software."""

    words = file_words(atlas)
    both = lambda key: "\n".join(words[key])  # noqa: E731
    return {
        "TITLE": both("title"),
        "EDITION": f"{atlas.edition.id}: " + "; ".join(words["edition"]),
        "SOURCES": both("sources"),
        "LICENCE": both("boundaries"),
        "COMPILED": COMPILED,
        "SOFTWARE": both("software"),
    }


def _metadata_xml(atlas, layer: str) -> str:
    """QGIS's layer metadata (``<qgis>`` with identifier, title, abstract, keywords, rights,
    licences, history), in Chinese then English."""
    title, about = layer_words(atlas, layer)
    words = file_words(atlas)
    ed = atlas.edition
    root = ET.Element("qgis", version=QGIS_VERSION)
    for tag, value in (("identifier", f"shanhai-atlas/{ed.id}/{layer}"), ("parentidentifier", f"shanhai-atlas/{ed.id}"),
                       ("language", "zh"), ("type", "dataset"), ("title", title)):  # fmt: skip
        ET.SubElement(root, tag).text = value
    ET.SubElement(root, "abstract").text = "\n\n".join([about, *words["edition"], *words["sources"]])
    keywords = ET.SubElement(root, "keywords", vocabulary="shanhai-atlas")
    for word in (ed.title, "山海协作", "浙江省", "mountain–coast pairing", "Zhejiang"):
        ET.SubElement(keywords, "keyword").text = word
    ET.SubElement(root, "history").text = "; ".join(words["history"])
    for rights in words["rights"]:
        ET.SubElement(root, "rights").text = rights
    for licence in words["boundaries"] + words["population"] + words["software"]:
        ET.SubElement(root, "license").text = licence
    ET.SubElement(root, "encoding").text = "UTF-8"
    ET.indent(root, " ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def _metadata(db, atlas, tables, now: datetime) -> None:
    for layer in tables:
        cur = db.execute(
            "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', ?, 'text/xml', ?)",
            (QGIS_METADATA, _metadata_xml(atlas, layer)),
        )
        db.execute(
            "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, timestamp, md_file_id)"
            " VALUES ('table', ?, ?, ?)",
            (layer, _stamp(now), cur.lastrowid),
        )


def describe(path: Path, atlas, tables: dict, styles: list) -> None:
    """Add the styles, the column descriptions and QGIS's layer metadata to the GeoPackage
    at ``path`` (its layers written, its metadata tables created by GDAL), in one transaction."""
    now = datetime.now(UTC).replace(microsecond=0)
    db = sqlite3.connect(path)
    try:
        with db:
            _layer_styles(db, tables, styles, now)
            _data_columns(db, atlas, tables)
            _metadata(db, atlas, tables, now)
    finally:
        db.close()
