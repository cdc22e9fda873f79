"""Opening a boundary file as a frame: formats, containers, encodings and what GDAL refuses.

- A ``.zip`` (or ``.kmz``) is read where it is, through GDAL's ``/vsizip/``: a Shapefile in
  a folder of the archive, a GeoPackage, a GeoJSON, a KML or a FileGDB folder. An archive
  holding several is refused with their names, for ``--layer`` to choose one. Names stored
  in GBK, as the Chinese edition of Windows zips them, are read as GBK.
- A Shapefile without a ``.cpg`` (inside a zip too) is read in the encoding whose names
  match the registry (UTF-8, GB18030, Big5).
- GeoJSON: GDAL's limit on the size of one object (``OGR_GEOJSON_MAX_OBJ_SIZE``, 200 MB of
  parsed JSON) is lifted, so a county of millions of vertices is read.
- A web-chart map script (``echarts.registerMap(name, {...})``) and ECharts' compressed
  GeoJSON (``"UTF8Encoding": true``: coordinates written as characters, quantised to
  1/1024°) are decoded as ECharts decodes them.
- GeoParquet through pyarrow (an optional dependency).
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd

from ..catalog import say
from ..errors import DataSourceError, param
from .match import NAME_HEADERS, find_column, name_score
from .reading import Reading

ENCODINGS = ("utf-8", "gb18030", "big5")
#: what an archive may hold that GDAL reads as boundaries (a FileGDB is a folder)
MEMBER_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".topojson", ".kml", ".fgb", ".gml", ".tab", ".mif")


@contextmanager
def gdal_config(**options):
    """GDAL configuration options for the length of a read, then as they were."""
    import pyogrio  # lazy: GDAL, only when a boundary file is read

    before = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


# ---------------------------------------------------------------------------------------
# web-chart maps
# ---------------------------------------------------------------------------------------


def _decode_ring(text: str, offset, scale: float) -> list[list[float]]:
    """One ring of ECharts' compressed GeoJSON: each coordinate pair is two characters,
    zigzag-encoded deltas plus 64 (ECharts' ``decodeRing``)."""
    out, x, y = [], offset[0], offset[1]
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append([x / scale, y / scale])
    return out


def decode_echarts(obj: dict) -> dict:
    """A GeoJSON FeatureCollection from ECharts' compressed form (``UTF8Encoding``); an
    ordinary one is returned as it is."""
    if not obj.get("UTF8Encoding"):
        return obj
    scale = obj.get("UTF8Scale") or 1024
    for feat in obj.get("features", []):
        g = feat.get("geometry") or {}
        coords, offsets = g.get("coordinates"), g.get("encodeOffsets")
        if g.get("type") == "Polygon" and coords and offsets:
            g["coordinates"] = [_decode_ring(r, o, scale) for r, o in zip(coords, offsets, strict=False)]
        elif g.get("type") == "MultiPolygon" and coords and offsets:
            g["coordinates"] = [
                [_decode_ring(r, o, scale) for r, o in zip(poly, offs, strict=False)]
                for poly, offs in zip(coords, offsets, strict=False)
            ]
        g.pop("encodeOffsets", None)
    obj["UTF8Encoding"] = False
    return obj


def web_chart(path: Path) -> dict | None:
    """The GeoJSON of a web-chart map file (a ``registerMap`` script, or ECharts' compressed
    JSON), decoded; None for any other file."""
    suffix = path.suffix.lower()
    if suffix not in (".js", ".json", ".geojson"):
        return None
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(65536)
        f.seek(max(0, size - 4096))
        tail = f.read()
    script = b"registerMap" in head or suffix == ".js"
    compressed = b'"encodeOffsets"' in head or b'"UTF8Encoding"' in head + tail
    if not (script or compressed):
        return None
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataSourceError(say("boundaries.source.web_encoding", path=path))
    start = 0
    if script:
        m = re.search(r"registerMap\s*\(\s*(['\"]).*?\1\s*,\s*", text, re.S)
        if m is None:
            raise DataSourceError(say("boundaries.source.not_a_map", path=path))
        start = m.end()
    try:
        obj, _ = json.JSONDecoder().raw_decode(text, text.index("{", start))
    except (ValueError, json.JSONDecodeError):
        raise DataSourceError(say("boundaries.source.not_plain_json", path=path)) from None
    if obj.get("type") != "FeatureCollection" or not isinstance(obj.get("features"), list):
        raise DataSourceError(say("boundaries.source.not_feature_collection", path=path))
    return decode_echarts(obj)


def _frame_of_features(obj: dict, path: Path) -> gpd.GeoDataFrame:
    feats = [f for f in obj["features"] if isinstance(f, dict)]
    try:
        frame = gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326")
    except Exception as exc:  # a feature whose geometry shapely cannot build
        raise DataSourceError(
            say("boundaries.source.bad_geometry", path=path, kind=type(exc).__name__, exc=exc)
        ) from None
    for col in frame.columns:  # nested properties (DataV's parent, acroutes) as their text
        if col != "geometry" and frame[col].map(lambda v: isinstance(v, dict | list)).any():
            frame[col] = frame[col].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            )
    return frame


# ---------------------------------------------------------------------------------------
# archives
# ---------------------------------------------------------------------------------------


def _member_names(z: zipfile.ZipFile) -> tuple[list[str], str | None]:
    """The archive's names as its writer meant them, and the GDAL ``CPL_ZIP_ENCODING``
    that reads them so (None: as declared). Windows' Chinese edition stores names in GBK
    without the UTF-8 flag; Python (like GDAL) would read them as CP437."""
    names, encoding = [], None
    for info in z.infolist():
        name = info.filename
        if not info.flag_bits & 0x800 and not name.isascii():
            raw = name.encode("cp437")
            for enc, gdal in (("utf-8", "UTF-8"), ("gb18030", "CP936")):
                try:
                    name, encoding = raw.decode(enc), gdal
                    break
                except UnicodeDecodeError:
                    continue
        names.append(name)
    return names, encoding


def zip_target(path: Path, layer) -> tuple[str, str, str | None, bool]:
    """What to open inside an archive: (GDAL path, member, CPL_ZIP_ENCODING, whether a
    Shapefile member has a .cpg). ``layer`` names the member when there are several."""
    try:
        with zipfile.ZipFile(path) as z:
            names, encoding = _member_names(z)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataSourceError(say("boundaries.source.bad_zip", path=path, exc=exc)) from None
    names = [n for n in names if not n.startswith("__MACOSX/") and not Path(n).name.startswith(".")]
    found = [n for n in names if n.lower().endswith(MEMBER_SUFFIXES)]
    gdbs = sorted({m.group(1) for n in names if (m := re.match(r"(.*?\.gdb)/", n, re.I))})
    found = [n for n in found if not any(n.startswith(g + "/") for g in gdbs)] + gdbs
    if path.suffix.lower() == ".kmz":
        found = [n for n in found if n.lower().endswith(".kml")][:1]
    if not found:
        held = say("list.enum").join([*names[:8], "…"] if len(names) > 8 else names)
        raise DataSourceError(
            say(
                "boundaries.source.no_member",
                path=path,
                held=held or say("boundaries.source.nothing"),
                formats=say("boundaries.source.formats"),
            )
        )
    if len(found) > 1:
        wanted = [n for n in found if layer is not None and str(layer) in (n, Path(n).name, Path(n).stem)]
        if len(wanted) != 1:
            listed = say("list.enum").join(found)
            raise DataSourceError(
                say(
                    "boundaries.source.many_members",
                    path=path,
                    n=len(found),
                    listed=listed,
                    example=param("layer", Path(found[0]).stem),
                )
            )
        found = wanted
    member = found[0]
    cpg = member.lower().endswith(".shp") and any(n.lower() == member[:-4].lower() + ".cpg" for n in names)
    return f"/vsizip/{path.resolve()}/{member}", member, encoding, cpg


# ---------------------------------------------------------------------------------------
# GDAL
# ---------------------------------------------------------------------------------------


def read_ogr(target: str, path: Path, layer, encoding, *, zip_encoding=None, columns=None, geometry=True):
    """A frame read by pyogrio from ``target`` (a path or a /vsizip/ path; ``path`` names
    the file in messages), GDAL's refusals turned into what the user can do."""
    import pyogrio
    from pyogrio.errors import DataLayerError as OgrLayerError
    from pyogrio.errors import DataSourceError as OgrSourceError

    kwargs = {"read_geometry": geometry}
    if layer is not None:
        kwargs["layer"] = layer
    if encoding:
        kwargs["encoding"] = encoding
    if columns is not None:
        kwargs["columns"] = columns
    config = {"OGR_GEOJSON_MAX_OBJ_SIZE": "0"}  # a county of millions of vertices is one large object
    if zip_encoding:
        config["CPL_ZIP_ENCODING"] = zip_encoding
    try:
        with gdal_config(**config), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # a property holding a list or an object is kept as its text: nothing to tell
            warnings.filterwarnings("ignore", "Could not parse column", UserWarning)
            return pyogrio.read_dataframe(target, **kwargs)
    except OgrLayerError as exc:
        try:
            layers = say("list.enum").join(str(n) for n, _ in pyogrio.list_layers(target))
        except Exception:
            layers = "?"
        raise DataSourceError(
            say("boundaries.source.bad_layer", path=path, layer=layer, exc=exc, layers=layers)
        ) from None
    except (OgrSourceError, OSError, ValueError, RuntimeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataSourceError(say("boundaries.source.unreadable", path=path, why=_why_unreadable(path, msg))) from None


def _why_unreadable(path: Path, msg: str) -> str:
    """The cause and the fix of a file GDAL cannot open, by what the file is."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        missing = [
            path.with_suffix(s).name
            for s in (".shx", ".dbf")
            if not path.with_suffix(s).exists() and not path.with_suffix(s.upper()).exists()
        ]
        if missing:
            return say(
                "boundaries.source.shp_companions",
                missing=say("list.enum").join(missing),
                missing_and=say("list.and").join(missing),
            )
        return say("boundaries.source.bad_shp", msg=msg)
    if suffix in (".json", ".geojson", ".topojson"):
        return say("boundaries.source.bad_geojson", msg=msg)
    if suffix == ".gpkg":
        return say("boundaries.source.bad_gpkg", msg=msg)
    return say("boundaries.source.bad_other", msg=msg, formats=say("boundaries.source.formats"))


def _detect_encoding(r: Reading, target: str, layer, zip_encoding) -> str:
    """The encoding whose names match the registry best, for a Shapefile without .cpg
    (attributes only are read for each candidate: the geometry once, after)."""
    best = None
    for enc in ENCODINGS:
        try:
            df = read_ogr(target, r.path, layer, enc, zip_encoding=zip_encoding, geometry=False)
        except DataSourceError:
            continue
        name_col = find_column(list(df.columns), r.name_column, NAME_HEADERS, "name", r.path)
        score = name_score(df[name_col].astype(str), r.registry) if name_col else 0
        if best is None or score > best[0]:
            best = (score, enc)
    if best is None:
        return ""
    r.add(
        "info",
        say("boundaries.where.encoding"),
        say("boundaries.source.encoding_detected", encoding=best[1]),
        say("boundaries.source.encoding_detected_fix", upper=best[1].upper()),
    )
    return best[1]


def _read_parquet(path: Path) -> gpd.GeoDataFrame:
    try:
        import pyarrow  # noqa: F401  (optional: rendering never needs it)
    except ImportError:
        raise DataSourceError(say("boundaries.source.needs_pyarrow", path=path)) from None
    try:
        return gpd.read_parquet(path)
    except Exception as exc:
        raise DataSourceError(say("boundaries.source.bad_parquet", path=path, exc=exc)) from None


def open_frame(r: Reading) -> gpd.GeoDataFrame:
    """The file of ``r`` as a frame, in its own CRS, with the attribute encoding chosen."""
    path = r.path
    if not path.exists():
        raise DataSourceError(say("boundaries.source.no_file", path=path))
    if path.is_file() and path.stat().st_size == 0:
        raise DataSourceError(say("boundaries.source.empty", path=path))
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        return _check_frame(_read_parquet(path), path)
    if path.is_file() and (obj := web_chart(path)) is not None:
        r.add("info", say("boundaries.where.file"), say("boundaries.source.web_chart"))
        return _check_frame(_frame_of_features(obj, path), path)

    target, layer, zip_encoding, shapefile, has_cpg = str(path), r.layer, None, False, False
    if path.is_file() and path.suffix.lower() in (".zip", ".kmz"):
        target, member, zip_encoding, has_cpg = zip_target(path, r.layer)
        shapefile = member.lower().endswith(".shp")
        if layer is not None and str(layer) in (member, Path(member).name, Path(member).stem):
            layer = None  # --layer chose the member, not a layer inside it
        r.add("info", say("boundaries.where.file"), say("boundaries.source.member", member=member))
    elif path.suffix.lower() == ".shp":
        shapefile = True
        has_cpg = path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists()
    r.used_encoding = r.encoding or ""
    if shapefile and not r.encoding and not has_cpg:
        r.used_encoding = _detect_encoding(r, target, layer, zip_encoding)
    frame = read_ogr(target, path, layer, r.used_encoding or None, zip_encoding=zip_encoding)
    return _check_frame(frame, path)


def _check_frame(frame, path: Path) -> gpd.GeoDataFrame:
    if len(frame) == 0:
        raise DataSourceError(say("boundaries.source.no_features", path=path))
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise DataSourceError(say("boundaries.source.no_geometry", path=path))
    return frame
