"""Files nobody on this project wrote, built from the embedded layers as planners receive
them: a city's web-chart map (GCJ-02, quantised to 1/1024°, rings that cross, counties that
do not meet edge to edge), ECharts' compressed form and its registerMap script, a county
stored as a GeometryCollection, a zipped Shapefile in a folder with GBK names and no .cpg,
a county of survey detail, an XLSX that inflates, a table of a million rows.

Each builder writes one file and returns its path; the tests say what the user must see.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import shapely
import shapely.geometry

#: 丽水市's nine counties
LISHUI = "3311"


def city_counties(boundaries, city: str = LISHUI):
    return boundaries[boundaries["code"].str.startswith(city)].reset_index(drop=True)


def web_chart_frame(boundaries, city: str = LISHUI):
    """A city's counties as a web-chart map has them: GCJ-02, each county simplified on its
    own (neighbours no longer meet edge to edge), quantised to 1/1024°, and one ring made to
    cross itself (two vertices swapped)."""
    from geo.datum import to_gcj02

    g = city_counties(boundaries, city)
    geoms = to_gcj02(g.geometry.values)
    geoms = shapely.simplify(geoms, 0.004, preserve_topology=False)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy * 1024) / 1024)
    poly = max(shapely.get_parts(geoms[0]), key=lambda p: p.area)
    coords = np.array(poly.exterior.coords)
    for k in range(len(coords) // 3, len(coords) - 3):  # two vertices swapped: the ring crosses itself
        ring = coords.copy()
        ring[[k, k + 2]] = ring[[k + 2, k]]
        if not shapely.Polygon(ring).is_valid:
            break
    geoms[0] = shapely.Polygon(ring)
    return g.set_geometry(list(geoms), crs="EPSG:4326")


def datav_geojson(frame, path: Path) -> Path:
    """A DataV-style GeoJSON: numeric adcode, name, and nested properties (parent, acroutes)."""
    feats = [
        {
            "type": "Feature",
            "properties": {
                "adcode": int(r["code"]),
                "name": r["name"],
                "parent": {"adcode": int(r["code"][:4] + "00")},
                "acroutes": [100000, 330000],
            },
            "geometry": shapely.geometry.mapping(r.geometry),
        }
        for _, r in frame.iterrows()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), "utf-8")
    return path


def _encode_ring(coords, scale: int = 1024):
    """A ring in ECharts' compressed form (zigzag deltas + 64, two characters a vertex)."""
    q = np.round(np.asarray(coords)[:, :2] * scale).astype(int)
    prev = q[0].copy()
    chars = []
    for x, y in q:
        for d in (x - prev[0], y - prev[1]):
            chars.append(chr(((d << 1) ^ (d >> 31)) + 64))
        prev = (x, y)
    return "".join(chars), [int(q[0][0]), int(q[0][1])]


def echarts_json(frame, path: Path, script: bool = False) -> Path:
    """ECharts' compressed GeoJSON (``UTF8Encoding``), or with ``script`` the registerMap
    script a web page loads."""
    feats = []
    for _, r in frame.iterrows():
        polys = list(shapely.get_parts(r.geometry))
        coords, offsets = [], []
        for p in polys:
            rings = [_encode_ring(p.exterior.coords)] + [_encode_ring(i.coords) for i in p.interiors]
            coords.append([c for c, _ in rings])
            offsets.append([o for _, o in rings])
        geometry = (
            {"type": "Polygon", "coordinates": coords[0], "encodeOffsets": offsets[0]}
            if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": coords, "encodeOffsets": offsets}
        )
        feats.append({"type": "Feature", "id": r["code"], "properties": {"name": r["name"]}, "geometry": geometry})
    body = json.dumps({"type": "FeatureCollection", "features": feats, "UTF8Encoding": True}, ensure_ascii=False)
    if script:
        body = (
            "(function (root, factory) { factory({}, root.echarts); }(this, function (exports, echarts) {\n"
            f"    echarts.registerMap('丽水', {body});\n}}));\n"
        )
    path.write_text(body, "utf-8")
    return path


def collection_county(boundaries, path: Path, code: str = "331127") -> Path:
    """Every county, one of them a valid GeometryCollection (its polygon plus a point)."""
    g = boundaries.copy()
    i = g.index[g["code"] == code][0]
    poly = g.geometry[i]
    g.loc[i, "geometry"] = shapely.GeometryCollection([poly, poly.representative_point()])
    g.to_file(path, driver="GeoJSON")
    return path


class _GbkName(zipfile.ZipInfo):
    """A member name stored in GBK without the UTF-8 flag (Python would write UTF-8)."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zipped_shapefile(frame, folder: Path, name: str = "县界") -> Path:
    """``县界.zip`` holding the folder ``县界/`` with a GBK Shapefile and no .cpg, its member
    names in GBK without the UTF-8 flag (as the Chinese edition of Windows zips them)."""
    src = folder / f"{name}-src"
    src.mkdir()
    frame[["code", "name", "geometry"]].rename(columns={"name": "名称"}).to_file(src / f"{name}.shp", encoding="gbk")
    path = folder / f"{name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(src.iterdir()):
            if f.suffix == ".cpg":
                continue
            info = _GbkName(f"{name}/{f.name}")
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())
    return path


def densified(boundaries, path: Path, code: str = "330127", vertices: int = 60_000, precision: int = 7) -> Path:
    """Every county, one of them with ``vertices`` vertices along its edges (survey detail),
    as GeoJSON with ``precision`` decimals: one large object, the kind GDAL refuses past
    OGR_GEOJSON_MAX_OBJ_SIZE."""
    g = boundaries.copy()
    i = g.index[g["code"] == code][0]
    geom = g.geometry[i]
    g.loc[i, "geometry"] = shapely.segmentize(geom, geom.length / vertices)
    g.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=precision)
    return path


def inflating_xlsx(path: Path, rows: int, declared: int | None = None, filler: int = 0) -> Path:
    """A minimal XLSX whose one sheet holds ``rows`` rows (a header and county rows) and
    declares ``declared`` rows in its dimension; ``filler`` bytes of repeated cells make it
    inflate far beyond its size on disk."""
    declared = declared or rows
    sheet = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        f'<dimension ref="A1:B{declared}"/><sheetData>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>山区县</t></is></c><c r="B1" t="inlineStr"><is><t>结对县</t></is></c></row>',
    ]
    for r in range(2, rows + 1):
        sheet.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>景宁</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>海盐</t></is></c></row>'
        )
    body = "".join(sheet)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="结对" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(body.encode())
            if filler:  # rows of one repeated cell: what compresses best
                row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>' * 1000
                for _ in range(filler // len(row)):
                    f.write(row)
            f.write(b"</sheetData></worksheet>")
    return path


def million_rows(pairings, path: Path, rows: int = 1_000_000, seed: int = 1) -> Path:
    """A pairings CSV of ``rows`` rows drawn from the embedded ones (so full of duplicates),
    5 % naming a county that does not exist, 2 % with a year that is not one."""
    rng = np.random.default_rng(seed)
    p = pairings[["mountain_county", "partner", "partner_city", "since", "confidence", "source"]]
    big = p.iloc[rng.integers(0, len(p), rows)].reset_index(drop=True)
    bad = rng.random(rows) < 0.05
    big.loc[bad, "mountain_county"] = [f"不存在县{i % 3000}" for i in range(int(bad.sum()))]
    big.loc[rng.random(rows) < 0.02, "since"] = "20X1"
    # the bytes pandas' to_csv writes, in a tenth of the time (pyarrow refuses, rather than
    # writes wrong, a value that would need quotes)
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with open(path, "wb") as f:
        f.write((",".join(big.columns) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        pacsv.write_csv(pa.Table.from_pandas(big, preserve_index=False), f, options)
    return path
