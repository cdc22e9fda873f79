"""GCJ-02 and BD-09 ⇄ WGS84, and telling from a boundary file which of them it is in.

GCJ-02 is the obfuscated datum mandated for published Chinese maps (AMap/Gaode, DataV);
BD-09 is Baidu's, a further distortion of GCJ-02. The forward transforms (WGS84 → GCJ-02 →
BD-09) are public; their inverses have no closed form, so :func:`gcj02_to_wgs84` and
:func:`bd09_to_gcj02` iterate the forward one until the round trip closes (below 1e-9
degrees, about 0.1 mm).

:func:`detect_datum` compares where a file puts counties with where the embedded layer has
them: a file in GCJ-02 sits 470–610 m off in Zhejiang, one in BD-09 about 1.2 km, each in
the direction its formula shifts that place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "DATUMS",
    "DatumFit",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "detect_datum",
    "from_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "to_gcj02",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

#: the datums a boundary file may be in, as ``--datum`` names them
DATUMS = ("wgs84", "gcj02", "bd09")
_X_PI = np.pi * 3000.0 / 180.0  # Baidu's constant
_BD_DLON, _BD_DLAT = 0.0065, 0.006

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


def gcj02_to_bd09(lon, lat):
    """Shift GCJ-02 longitude/latitude to Baidu's BD-09 (the published formula)."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + _BD_DLON, z * np.sin(theta) + _BD_DLAT


def bd09_to_gcj02(lon, lat, tol: float = 1e-9, max_iter: int = 30):
    """Invert :func:`gcj02_to_bd09`: the usual closed-form approximation (error ~1e-7°), then
    fixed-point iteration on the forward formula until the round trip closes (< ``tol``)."""
    blon = np.asarray(lon, dtype=float)
    blat = np.asarray(lat, dtype=float)
    x, y = blon - _BD_DLON, blat - _BD_DLAT
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(max_iter):
        flon, flat = gcj02_to_bd09(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon, glat = glon - elon, glat - elat
        if elon.size == 0 or max(np.abs(elon).max(), np.abs(elat).max()) < tol:
            break
    return glon, glat


def wgs84_to_bd09(lon, lat):
    """WGS84 → GCJ-02 → BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon, lat):
    """BD-09 → GCJ-02 → WGS84 (both inverses iterated)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_TO_WGS84 = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84 = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def _transform_geometry(geoms, func):
    import shapely  # lazy: shapely; the datum shifts of points need numpy alone

    def xy(coords):
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, xy)


def to_wgs84(geoms, datum: str = "gcj02"):
    """Convert shapely geometries (an array or GeoSeries values) from ``datum`` (gcj02 or
    bd09) to WGS84."""
    return _transform_geometry(geoms, _TO_WGS84[datum])


def from_wgs84(geoms, datum: str):
    """Convert shapely geometries from WGS84 to ``datum`` (gcj02 or bd09)."""
    return _transform_geometry(geoms, _FROM_WGS84[datum])


def to_gcj02(geoms):
    """Convert shapely geometries from WGS84 to GCJ-02 (for Gaode basemaps)."""
    return _transform_geometry(geoms, wgs84_to_gcj02)


@dataclass(frozen=True)
class DatumFit:
    """How well each datum explains where a file puts the counties it shares with the
    embedded layer.

    ``residual`` is, per datum, the median distance (m) between a county's offset and the
    offset that datum's formula gives at that place; ``shift`` the median offset itself (m);
    ``n`` the counties compared."""

    best: str
    residual: dict
    shift: float
    n: int

    @property
    def unambiguous(self) -> bool:
        """One datum explains the offsets and the others clearly do not."""
        others = sorted(v for k, v in self.residual.items() if k != self.best)
        return self.n >= 3 and self.residual[self.best] < 150 and self.residual[self.best] <= 0.35 * others[0]

    @property
    def suggestive(self) -> bool:
        """Not unambiguous, but the offsets lean towards a datum other than WGS84."""
        return (
            self.best != "wgs84"
            and not self.unambiguous
            and self.shift > 200
            and self.residual[self.best] < 0.6 * self.residual["wgs84"]
        )


def _metres(dlon, dlat, lat):
    return np.column_stack([dlon * 111_320.0 * np.cos(np.radians(lat)), dlat * 110_574.0])


def detect_datum(points, reference) -> DatumFit:
    """Which datum puts ``reference`` (lon/lat in WGS84, one row per county) where a file has
    ``points`` (the same counties' centroids as the file has them)?

    Parameters
    ----------
    points, reference : array of shape (n, 2)
        Longitude and latitude of the same n counties: in the file, and in the embedded layer.

    Returns
    -------
    DatumFit
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    ref = np.asarray(reference, dtype=float).reshape(-1, 2)
    lat = ref[:, 1]
    seen = _metres(pts[:, 0] - ref[:, 0], pts[:, 1] - lat, lat)
    residual = {}
    for d in DATUMS:
        if d == "wgs84":
            expected = np.zeros_like(seen)
        else:
            elon, elat = _FROM_WGS84[d](ref[:, 0], ref[:, 1])
            expected = _metres(elon - ref[:, 0], elat - lat, lat)
        residual[d] = float(np.median(np.hypot(*(seen - expected).T))) if len(seen) else float("inf")
    best = min(residual, key=residual.get)
    shift = float(np.median(np.hypot(*seen.T))) if len(seen) else 0.0
    return DatumFit(best, residual, shift, len(seen))
