"""Reading county boundary files: format, layer, encoding, CRS, datum, geometry repair and
matching each row to a county.

Anything pyogrio reads is accepted (Shapefile, zipped Shapefile, GeoPackage, GeoJSON,
FlatGeobuf, GeoParquet; DataV's GeoJSON with its numeric ``adcode``). The result is always
EPSG:4326 (WGS84) with columns ``code``, ``name``, ``geometry``; every row that could not be
used, and every county of the edition that is missing, is reported as a
:class:`~geo.errors.Problem`. A file's datum (WGS84, GCJ-02, BD-09) is told from where its
counties sit against the embedded ones; a file of an older vintage (临安市, an 苍南县 that still
holds 龙港) is read as it is, with notes (:mod:`geo.vintage`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._paths import layer_path
from .errors import CRSError, DataLayerError, DataSourceError, Problem
from .registry import Registry, folding_note, get_registry, normalize_name, simplified

__all__ = ["SPATIAL_SUFFIXES", "ZHEJIANG_BOUNDS", "BoundaryResult", "embedded_counties", "read_boundaries"]

#: lon/lat box around Zhejiang and its islands, with a margin
ZHEJIANG_BOUNDS = (117.5, 26.5, 123.5, 31.8)
SPATIAL_SUFFIXES = (".shp", ".zip", ".gpkg", ".geojson", ".json", ".fgb", ".parquet", ".geoparquet", ".gml", ".kml")

CODE_HEADERS = ("code", "adcode", "代码", "行政区划代码", "区划代码", "xzqdm", "pac", "gb", "county_code", "dm")
NAME_HEADERS = (
    "name",
    "名称",
    "县名",
    "区县",
    "县",
    "县区",
    "区县名称",
    "xzqmc",
    "county",
    "county_name",
    "mc",
    "name_zh",
)
ENCODINGS = ("utf-8", "gb18030", "big5")


@dataclass
class BoundaryResult:
    """Boundaries in EPSG:4326 and what was found while reading them."""

    counties: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    encoding: str = ""
    crs: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> BoundaryResult:
        if self.errors:
            raise DataLayerError(self.problems)
        return self


def _find_column(columns, explicit, candidates, what, path):
    if explicit:
        if explicit not in columns:
            raise DataSourceError(f"{path}: no column {explicit!r} for the {what}; the file has {', '.join(columns)}.")
        return explicit
    keyed = {}
    for c in columns:
        keyed.setdefault(normalize_name(c), c)
        if (simple := simplified(c)) is not None:  # 縣名
            keyed.setdefault(normalize_name(simple), c)
    for cand in candidates:
        if normalize_name(cand) in keyed:
            return keyed[normalize_name(cand)]
    return None


def _read_frame(path: Path, layer, encoding):
    import pyogrio
    from pyogrio.errors import DataLayerError as OgrLayerError
    from pyogrio.errors import DataSourceError as OgrSourceError

    if path.suffix.lower() in (".parquet", ".geoparquet"):
        try:
            import pyarrow  # noqa: F401  (optional: rendering never needs it)
        except ImportError:
            raise DataSourceError(
                f"{path}: reading GeoParquet needs pyarrow. Fix: `pip install 'shanhai-atlas[parquet]'` "
                "(or pyarrow), or convert the file to GeoPackage."
            ) from None
        try:
            return gpd.read_parquet(path)
        except Exception as exc:
            raise DataSourceError(
                f"{path}: not a readable GeoParquet file ({exc}). Fix: write it again with GeoPandas or GDAL."
            ) from None
    kwargs = {}
    if layer is not None:
        kwargs["layer"] = layer
    if encoding:
        kwargs["encoding"] = encoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # a property holding a list or an object is kept as its text: nothing to tell
            warnings.filterwarnings("ignore", "Could not parse column", UserWarning)
            return pyogrio.read_dataframe(path, **kwargs)
    except OgrLayerError as exc:
        try:
            layers = ", ".join(str(n) for n, _ in pyogrio.list_layers(path))
        except Exception:
            layers = "?"
        raise DataSourceError(
            f"{path}: cannot read layer {layer!r} ({exc}). Fix: choose one of its layers: {layers}."
        ) from None
    except (OgrSourceError, OSError, ValueError, RuntimeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataSourceError(
            f"{path}: not a readable spatial file ({msg}). Fix: check that the file is complete "
            "(a Shapefile needs its .shp, .shx and .dbf together) and in a format GDAL reads."
        ) from None


def _name_score(values, reg: Registry) -> int:
    """How many of ``values`` are Zhejiang county codes or names (also former ones: 临安市)."""
    return sum(reg.find_county(v) is not None or reg.find_former(v) is not None for v in values)


@lru_cache(maxsize=1)
def embedded_counties() -> gpd.GeoDataFrame:
    """The embedded county polygons (code, name, geometry; EPSG:4326), read once per process:
    what a user's file is compared with to tell its datum and its vintage."""
    import pyogrio

    return pyogrio.read_dataframe(layer_path("boundaries.gpkg"), columns=["code", "name"])


def _column_by_values(df: pd.DataFrame, columns, reg: Registry) -> tuple[str | None, str]:
    """The column whose values are mostly county codes or names (a header we do not know),
    and which of the two it holds."""
    best: tuple[float, str | None, str] = (0.5, None, "")  # at least half of the filled cells
    for c in columns:
        if not (df[c].dtype == object or pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_integer_dtype(df[c])):
            continue
        vals = [v for v in df[c].astype(str).str.strip() if v and v != "None"]
        if vals:
            share = _name_score(vals, reg) / len(vals)
            if share > best[0]:
                codes = sum(bool(re.fullmatch(r"\d{6}(\d{3})?(\.0+)?", v)) for v in vals) > len(vals) / 2
                best = (share, c, "code" if codes else "name")
    return best[1], best[2]


def _looks_projected(bounds) -> bool:
    return max(abs(bounds[0]), abs(bounds[2])) > 360 or max(abs(bounds[1]), abs(bounds[3])) > 180


def read_boundaries(
    path=None,
    *,
    layer=None,
    encoding: str | None = None,
    crs=None,
    datum: str = "auto",
    code_column: str | None = None,
    name_column: str | None = None,
    registry: Registry | None = None,
    edition: str | None = None,
) -> BoundaryResult:
    """Read a county boundary file and match its rows to Zhejiang's counties.

    Parameters
    ----------
    path : str or Path, optional
        Any file pyogrio reads; the embedded layer when omitted.
    layer : str or int, optional
        Layer of a multi-layer source (GeoPackage).
    encoding : str, optional
        Attribute encoding; detected for Shapefiles without a ``.cpg`` when omitted.
    crs : str, optional
        CRS to assume when the file declares none (e.g. ``EPSG:4490``).
    datum : {"auto", "wgs84", "gcj02", "bd09"}
        The file's datum: ``gcj02`` for AMap, DataV and Tencent exports, ``bd09`` for Baidu's,
        converted to WGS84. ``auto`` (default) compares the file's counties with the embedded
        ones: a clear GCJ-02 or BD-09 offset is converted with a note, a doubtful one is
        reported with the option that fixes it.
    code_column, name_column : str, optional
        Columns holding the county code / name when the usual headers are not used.
    edition : str, optional
        Edition whose missing counties are reported (default 2021).

    Returns
    -------
    BoundaryResult
    """
    reg = registry or get_registry()
    embedded = path is None
    path = Path(path) if path is not None else layer_path("boundaries.gpkg")
    problems: list[Problem] = []
    src = str(path)

    def add(sev, where, what, fix=""):
        problems.append(Problem(sev, src, where, what, fix))

    if not path.exists():
        raise DataSourceError(f"{path}: no such file. Fix: check the path.")
    if path.is_file() and path.stat().st_size == 0:
        raise DataSourceError(f"{path}: the file is empty (0 bytes). Fix: export it again.")
    if datum not in ("auto", "wgs84", "gcj02", "bd09"):
        raise DataSourceError(f"unknown datum {datum!r}: use auto, wgs84, gcj02 (AMap, DataV) or bd09 (Baidu).")

    # encoding: a Shapefile without .cpg is often GBK; try candidates, keep the best match
    used_encoding = encoding or ""
    is_shp = path.suffix.lower() == ".shp"
    if is_shp and not encoding and not path.with_suffix(".cpg").exists() and not path.with_suffix(".CPG").exists():
        best = None
        for enc in ENCODINGS:
            try:
                df = _read_frame(path, layer, enc)
            except DataSourceError:
                continue
            name_col = _find_column(list(df.columns), name_column, NAME_HEADERS, "county name", path)
            score = _name_score(df[name_col].astype(str), reg) if name_col else 0
            if best is None or score > best[0]:
                best = (score, enc, df)
        if best is None:
            gdf = _read_frame(path, layer, None)
        else:
            _, used_encoding, gdf = best
            add(
                "info",
                "encoding",
                f"no .cpg file: attributes read as {used_encoding} (the encoding whose names match the registry).",
                f"add a .cpg file containing {used_encoding.upper()}, or pass --encoding to force another.",
            )
    else:
        gdf = _read_frame(path, layer, encoding)

    if len(gdf) == 0:
        raise DataSourceError(f"{path}: the file has no features. Fix: export the layer again with its polygons.")
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf:
        raise DataSourceError(f"{path}: the layer has no geometry column. Fix: export the polygons, not a table.")

    # CRS and datum
    bounds = gdf.total_bounds
    if gdf.crs is None:
        if crs is None:
            hint = (
                "EPSG:4549 (CGCS2000 / 3-degree GK CM 120E)" if _looks_projected(bounds) else "EPSG:4326 or EPSG:4490"
            )
            raise CRSError(
                f"{path}: the file declares no coordinate reference system (bounds {np.round(bounds, 3).tolist()}). "
                f"Fix: pass --crs with the CRS it was made in, e.g. --crs {hint.split()[0]} ({hint})."
            )
        gdf = gdf.set_crs(crs)
    elif crs is not None:
        add("warning", "crs", f"the file declares {gdf.crs.to_string()}; --crs {crs} overrides it.")
        gdf = gdf.set_crs(crs, allow_override=True)
    crs_text = gdf.crs.to_string()
    if gdf.crs.is_geographic and _looks_projected(bounds):
        raise CRSError(
            f"{path}: coordinates look like metres (bounds {np.round(bounds).tolist()}) but the CRS "
            f"{crs_text} is in degrees. Fix: pass --crs with the projected CRS, e.g. --crs EPSG:4549."
        )
    if gdf.crs.is_projected and not _looks_projected(bounds):
        raise CRSError(
            f"{path}: coordinates look like degrees (bounds {np.round(bounds, 3).tolist()}) but the CRS "
            f"{crs_text} is projected. Fix: pass --crs EPSG:4326 (or EPSG:4490)."
        )
    if not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    b = gdf.total_bounds
    zb = ZHEJIANG_BOUNDS
    if not (b[0] < zb[2] and b[2] > zb[0] and b[1] < zb[3] and b[3] > zb[1]):
        raise CRSError(
            f"{path}: after reading it as {crs_text} the data lies outside Zhejiang "
            f"(bounds {np.round(b, 3).tolist()}). Fix: the declared CRS is probably wrong; pass --crs with the right one."
        )

    # which county is each row?
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    code_col = _find_column(cols, code_column, CODE_HEADERS, "county code", path)
    name_col = _find_column(cols, name_column, NAME_HEADERS, "county name", path)
    if code_col is None and name_col is None:
        col, kind = _column_by_values(gdf, cols, reg)
        if col is not None:
            code_col, name_col = (col, None) if kind == "code" else (None, col)
            add(
                "info",
                "columns",
                f"county {kind}s read from column {col!r}: its header is not one we know, its values are {kind}s.",
                "pass --name-column or --code-column to choose another column.",
            )
    if code_col is None and name_col is None:
        garbled = [c for c in cols if re.search(r"[\u0080-\u00ff]", c)]
        if garbled:
            raise DataSourceError(
                f"{path}: the column names look garbled ({', '.join(garbled)}), so the attributes were read "
                f"with the wrong encoding ({used_encoding or 'as declared'}). Fix: pass --encoding gbk "
                "(or drop --encoding to let it be detected)."
            )
        raise DataSourceError(
            f"{path}: found no county code or name column among {', '.join(cols) or '(none)'}. "
            "Fix: pass --code-column or --name-column (e.g. 代码, adcode, 名称, NAME)."
        )
    codes, names, rows = [], [], []
    outside, folded = 0, ""
    geoms_in = gdf.geometry.values
    for i, rec in enumerate(gdf.itertuples(index=False)):
        row = i + 1
        raw_code = str(getattr(rec, code_col)).strip() if code_col else ""
        raw_name = str(getattr(rec, name_col)).strip() if name_col else ""
        if raw_name.lower() in ("none", "nan"):
            raw_name = ""
        county = None
        code6 = re.sub(r"\.0$", "", raw_code)[:6]
        if code_col and re.fullmatch(r"\d{6}", code6):
            if not code6.startswith("33"):
                outside += 1
                continue
            county = reg.counties.get(code6)
        if county is None and raw_name:
            county = reg.find_county(raw_name)
            if county is not None and not folded:
                folded = folding_note(raw_name, county.name) or ""
        label = raw_name or raw_code or "(no name)"
        if county is None:
            county = _former_feature(reg, code6 if code_col else "", raw_name, geoms_in[i], row, label, add)
        if county is None:
            sugg = reg.suggest(raw_name) if raw_name else []
            add(
                "error",
                f"feature {row} ({label})",
                "does not match a Zhejiang county-level unit" + (f"; did you mean {', '.join(sugg)}?" if sugg else "."),
                "correct the name or code, or pass --encoding if the names look garbled.",
            )
            continue
        rows.append(i)
        codes.append(county.code)
        names.append(label)
    if outside:
        add("info", "file", f"{outside} feature(s) outside Zhejiang (code not 33xxxx) were left out.")
    if folded:
        add("info", "names", folded)

    out = gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [reg.counties[c].name for c in codes],
            "source_name": names,
            "_feature": [r + 1 for r in rows],
        },
        geometry=gdf.geometry.values[rows] if rows else [],
        crs="EPSG:4326",
    )

    # geometry: null/empty, non-polygonal, invalid
    keep = np.ones(len(out), dtype=bool)
    geoms = out.geometry.values
    for j, g in enumerate(geoms):
        where = f"feature {out['_feature'].iat[j]} ({out['name'].iat[j]})"
        if g is None or g.is_empty:
            add("error", where, "has an empty or null geometry.", "export the county's polygon again.")
            keep[j] = False
        elif g.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            add(
                "error",
                where,
                f"is a {g.geom_type}, not a polygon.",
                "export the county polygons, not points or lines.",
            )
            keep[j] = False
    if not embedded:
        valid = shapely.is_valid(geoms)
        for j in np.flatnonzero(~valid & keep):
            g = geoms[j]
            reason = shapely.is_valid_reason(g)
            fixed = _polygonal(shapely.make_valid(g))
            where = f"feature {out['_feature'].iat[j]} ({out['name'].iat[j]})"
            if fixed.is_empty:
                add(
                    "error", where, f"invalid polygon ({reason}) with no area left after repair.", "redraw the polygon."
                )
                keep[j] = False
            else:
                geoms[j] = fixed
                add("repair", where, f"invalid polygon ({reason}) repaired with make_valid (polygonal part kept).")
        out = out.set_geometry(geoms)
    out = out[keep]

    out = _dissolve_parts(out, reg, add)
    if not embedded and len(out):
        out = _datum_step(out, datum, add)
        covered = _vintage_step(out, reg, add)
    else:
        covered = set()

    ed = reg.edition(edition)
    present = set(out["code"])
    missing = [reg.counties[c].name for c in ed.members if c not in present]
    if missing:
        add(
            "warning",
            "file",
            f"{len(missing)} of the {len(ed.members)} counties of edition {ed.id} are missing: {', '.join(missing)}; they will not be drawn.",
            "add their polygons, or ignore this if the map is meant to show fewer counties.",
        )
    others = len(reg.counties) - len(ed.members) - sum(c not in ed.members for c in present | covered)
    if others and not missing and len(present) < len(reg.counties):
        add(
            "info",
            "file",
            f"{others} Zhejiang counties outside the edition are not in the file (no grey context for them).",
        )

    out = out.drop(columns="_feature").sort_values("code", ignore_index=True)
    return BoundaryResult(out, problems, src, used_encoding, crs_text)


def _former_feature(reg: Registry, code: str, name: str, geom, row: int, label: str, add):
    """Today's county for a feature coded or named as a unit that no longer exists, with a
    note (临安市 → 临安区); a unit whose area is now shared out (江干区) goes to the unit of
    today that holds most of it, with a warning. None when neither is a former unit."""
    former = None
    for key in (code, name):
        if key and (former := reg.find_former(key)) is not None:
            break
    if former is None:
        return None
    where = f"feature {row} ({label})"
    if former.resolves_to is not None:
        county = reg.counties[former.resolves_to]
        add("info", where, f"{former.describe()} Read as {county.name}.")
        return county
    from .vintage import largest_share

    county = reg.counties[largest_share(geom, list(former.successors), embedded_counties())]
    add(
        "warning",
        where,
        f"{former.describe()} Drawn as part of {county.name}, which holds most of it.",
        "use a boundary file of today's units, or ignore this for a map of the file's own date.",
    )
    return county


DATUM_NAMES = {"wgs84": "WGS84", "gcj02": "GCJ-02 (AMap, DataV, Tencent)", "bd09": "BD-09 (Baidu)"}


def _datum_step(out: gpd.GeoDataFrame, datum: str, add) -> gpd.GeoDataFrame:
    """Compare the file's counties with the embedded ones (centroids of those whose area
    matches within 15 %), say what datum the offsets point to, and convert to WGS84."""
    from .datum import detect_datum, to_wgs84

    ref = dict(zip(embedded_counties()["code"], embedded_counties().geometry.values, strict=True))
    pts, refs = [], []
    for code, g in zip(out["code"], out.geometry.values, strict=True):
        r = ref.get(code)
        if r is not None and g is not None and not g.is_empty and 0.85 <= shapely.area(g) / shapely.area(r) <= 1.15:
            pts.append(shapely.get_coordinates(shapely.centroid(g))[0])
            refs.append(shapely.get_coordinates(shapely.centroid(r))[0])
    fit = detect_datum(pts, refs)
    best, name = fit.best, DATUM_NAMES[fit.best]
    seen = (
        f"the {fit.n} counties compared with the embedded ones sit a median {fit.shift:.0f} m off, "
        f"as {name} shifts them (to within {fit.residual[best]:.0f} m; as WGS84, {fit.residual['wgs84']:.0f} m)"
    )
    use = datum
    if datum == "auto":
        use = best if fit.unambiguous else "wgs84"
        if use != "wgs84":
            add(
                "info",
                "datum",
                f"coordinates in {name}: {seen}; converted to WGS84.",
                "pass --datum wgs84 to keep the coordinates as they are.",
            )
        elif fit.suggestive:
            add(
                "warning",
                "datum",
                f"the file may be in {name}: {seen}. Not converted: too few counties to be sure.",
                f"pass --datum {best} if the file comes from {name.split('(')[1].rstrip(')')}; --datum wgs84 to silence this.",
            )
    elif fit.unambiguous and best != datum:
        add(
            "warning",
            "datum",
            f"--datum {datum} was given, but the file looks like {name}: {seen}.",
            f"pass --datum {best}, or drop --datum to let it be detected.",
        )
    if use != "wgs84":
        out = out.set_geometry(to_wgs84(out.geometry.values, use), crs="EPSG:4326")
        if datum != "auto":
            add("info", "datum", f"converted from {DATUM_NAMES[use]} to WGS84.")
    return out


def _vintage_step(out: gpd.GeoDataFrame, reg: Registry, add) -> set[str]:
    """Warn about units of today that the file lacks because it predates their creation,
    while its own features still cover them (苍南县 with 龙港市); returns their codes."""
    from .vintage import covered_units

    names = {c.code: c.name for c in reg.counties.values()}
    found = covered_units(out, embedded_counties(), names)
    for code, ch, holders in found:
        src = [ch.name_of(f.source) for f in ch.flows if f.target == code and f.source != code]
        origin = ("part of " if len(src) == 1 else "parts of ") + " and ".join(dict.fromkeys(src))
        add(
            "warning",
            names[code],
            f"{'、'.join(holders)} in this file still {'includes' if len(holders) == 1 else 'include'} {names[code]}, "
            f"set up on {ch.date} from {origin} ({ch.doc_no}): the file predates that change. "
            f"Drawn as the file has it; {names[code]} has no polygon of its own.",
            "use a boundary file of today's units, or ignore this for a map of the file's own date.",
        )
    return {code for code, _, _ in found}


#: parts of one county may touch or share a border; they are a duplicate only when they
#: overlap by more than this share of the smaller part (digitising slivers stay below it)
SLIVER_SHARE = 0.01


def _dissolve_parts(out: gpd.GeoDataFrame, reg: Registry, add) -> gpd.GeoDataFrame:
    """Merge features of the same county (islands kept as separate rows) into one
    multipolygon; features that overlap each other are reported as duplicates instead."""
    counts = out["code"].value_counts()
    multi = counts[counts > 1].index
    if len(multi) == 0:
        return out
    keep_rows, merged = [], {}
    for code, grp in out[out["code"].isin(multi)].groupby("code", sort=True):
        geoms = grp.geometry.values
        areas = shapely.area(geoms)
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        clashes = []
        for i, j in zip(left, right, strict=True):
            if i >= j:
                continue
            overlap = shapely.area(shapely.intersection(geoms[i], geoms[j]))
            if overlap > SLIVER_SHARE * min(areas[i], areas[j]):
                clashes.append((i, j))
        name = reg.counties[code].name
        features = grp["_feature"].tolist()
        if clashes:
            rows = sorted({features[k] for pair in clashes for k in pair})
            add(
                "error",
                f"features {', '.join(map(str, rows))}",
                f"duplicate county {name} ({code}): these features overlap each other.",
                "keep one feature per county (delete the copy); parts that do not overlap, such as islands, "
                "are dissolved into one multipolygon automatically.",
            )
            keep_rows.append(grp.index[0])
            continue
        merged[code] = _polygonal(shapely.union_all(geoms))
        add("info", name, f"{name}: {len(grp)} features dissolved into one.")
        keep_rows.append(grp.index[0])
    single = out[~out["code"].isin(multi)]
    firsts = out.loc[keep_rows].copy()
    firsts["geometry"] = [merged.get(c, g) for c, g in zip(firsts["code"], firsts.geometry, strict=True)]
    return gpd.GeoDataFrame(pd.concat([single, firsts]), geometry="geometry", crs=out.crs)


def _polygonal(geom):
    """The polygonal part of a geometry (make_valid may return a collection)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(p.geoms if p.geom_type == "MultiPolygon" else [p])
    return shapely.MultiPolygon(polys) if polys else shapely.Polygon()
