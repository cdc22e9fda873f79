"""GCJ-02 ⇄ WGS84.

GCJ-02 is the obfuscated datum mandated for published Chinese maps (AMap/Gaode, DataV).
The forward transform WGS84 → GCJ-02 is public; the inverse has no closed form, so
:func:`gcj02_to_wgs84` iterates the forward one until the round trip closes (below
1e-9 degrees, about 0.1 mm).
"""

from __future__ import annotations

import numpy as np

__all__ = ["gcj02_to_wgs84", "to_gcj02", "to_wgs84", "wgs84_to_gcj02"]

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula
_EE = 0.00669342162296594323


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offset (dlon, dlat) in degrees that GCJ-02 adds at WGS84 position (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """Shift WGS84 longitude/latitude (degrees, scalars or arrays) to GCJ-02."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, tol: float = 1e-9, max_iter: int = 30):
    """Invert :func:`wgs84_to_gcj02` by fixed-point iteration (error < ``tol`` degrees)."""
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon = wlon - elon
        wlat = wlat - elat
        if elon.size == 0 or max(np.abs(elon).max(), np.abs(elat).max()) < tol:
            break
    return wlon, wlat


def _transform_geometry(geoms, func):
    import shapely

    def xy(coords):
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, xy)


def to_wgs84(geoms):
    """Convert shapely geometries (an array or GeoSeries values) from GCJ-02 to WGS84."""
    return _transform_geometry(geoms, gcj02_to_wgs84)


def to_gcj02(geoms):
    """Convert shapely geometries from WGS84 to GCJ-02 (for Gaode basemaps)."""
    return _transform_geometry(geoms, wgs84_to_gcj02)
