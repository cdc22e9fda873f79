"""The file's coordinate reference system: declared, given with ``--crs`` (an EPSG code, a
PROJ string with ``+towgs84``, or a PROJ pipeline to WGS84), checked against where the
coordinates lie, and converted to EPSG:4326. Old Chinese datums (Xian 1980, Beijing 1954)
have no public parameters to WGS84 in PROJ: such a file is converted with PROJ's ballpark
transformation and a warning that says what that means for accuracy."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ..errors import CRSError, DataSourceError, param
from .reading import ZHEJIANG_BOUNDS, Reading

#: geodetic datums whose shift to WGS84 PROJ knows only as a ballpark (no parameters are public)
OLD_DATUMS = {
    "Xian 1980": "Xian 1980 (西安80)",
    "Beijing 1954": "Beijing 1954 (北京54)",
    "New Beijing": "New Beijing (新北京54)",
}
#: the order of the error a ballpark transformation leaves between these datums and WGS84
OLD_DATUM_ERROR = "of the order of 100 m (tens of metres to about 200 m across China)"


def _looks_projected(bounds) -> bool:
    return max(abs(bounds[0]), abs(bounds[2])) > 360 or max(abs(bounds[1]), abs(bounds[3])) > 180


def _outside(b) -> bool:
    zb = ZHEJIANG_BOUNDS
    return not (b[0] < zb[2] and b[2] > zb[0] and b[1] < zb[3] and b[3] > zb[1])


def _through_pipeline(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Coordinates sent through the PROJ pipeline given with --crs (its output: lon/lat in
    degrees, WGS84)."""
    from pyproj.exceptions import ProjError

    from ..geometry import transform

    try:
        geoms = transform(frame.geometry.values, r.crs)
    except ProjError as exc:
        raise CRSError(
            f"{r.path}: the PROJ pipeline given with {param('crs')} cannot be used ({exc}). Fix: check it with projinfo."
        ) from None
    out = frame.set_geometry(geoms).set_crs("EPSG:4326", allow_override=True)
    b = out.total_bounds
    if not np.isfinite(b).all() or _outside(b):
        raise CRSError(
            f"{r.path}: after the PROJ pipeline given with {param('crs')} the data lies outside Zhejiang "
            f"(bounds {np.round(b, 3).tolist()}). Fix: the pipeline must end in longitude/latitude degrees "
            "(… +step +proj=unitconvert +xy_in=rad +xy_out=deg), in that order."
        )
    r.add("info", "crs", f"converted to WGS84 with the PROJ pipeline given with {param('crs')}.")
    r.crs_text = r.crs
    return out


def _old_datum(crs, r: Reading) -> None:
    """Warn when the file is in an old Chinese datum that PROJ converts only roughly."""
    from pyproj import Transformer
    from pyproj.aoi import AreaOfInterest

    datum = crs.geodetic_crs.datum.name if crs.geodetic_crs is not None else ""
    if datum not in OLD_DATUMS or crs.is_bound:
        return
    t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True, area_of_interest=AreaOfInterest(*ZHEJIANG_BOUNDS))
    if t.accuracy is not None and 0 < t.accuracy < 50:
        return
    r.add(
        "warning",
        "crs",
        f"the file is in the {OLD_DATUMS[datum]} datum ({crs.name}); no parameters between it and WGS84 are "
        f"public, so it was converted with PROJ's ballpark transformation: positions may be off by an amount "
        f"{OLD_DATUM_ERROR}. Fine for a county map at print size; not for measuring or overlaying surveys.",
        f"if you hold the parameters (from your surveying office), pass them: {param('crs')} with a PROJ string "
        f"ending in +towgs84=dx,dy,dz,rx,ry,rz,s, or a PROJ pipeline to WGS84 ({param('crs', '+proj=pipeline …')}); "
        "or convert the "
        "file to CGCS2000 (EPSG:4490/4549) with them first.",
    )


def crs_step(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326, its CRS checked against where its coordinates lie."""
    path, crs = r.path, r.crs
    bounds = frame.total_bounds
    if not np.isfinite(bounds).all():
        raise DataSourceError(
            f"{path}: no feature has coordinates that are numbers (all geometries empty, null or NaN). "
            "Fix: export the polygons again."
        )
    if crs and "proj=pipeline" in crs.replace(" ", ""):
        return _through_pipeline(frame, r)
    if frame.crs is None:
        if crs is None:
            hint = (
                "EPSG:4549 (CGCS2000 / 3-degree GK CM 120E)" if _looks_projected(bounds) else "EPSG:4326 or EPSG:4490"
            )
            raise CRSError(
                f"{path}: the file declares no coordinate reference system (bounds {np.round(bounds, 3).tolist()}). "
                f"Fix: pass {param('crs')} with the CRS it was made in, e.g. {param('crs', hint.split()[0])} ({hint})."
            )
        frame = _set_crs(frame, crs, path)
    elif crs is not None:
        r.add("warning", "crs", f"the file declares {frame.crs.to_string()}; {param('crs', crs)} overrides it.")
        frame = _set_crs(frame, crs, path, override=True)
    r.crs_text = crs_text = frame.crs.to_string()
    if frame.crs.is_geographic and _looks_projected(bounds):
        raise CRSError(
            f"{path}: coordinates look like metres (bounds {np.round(bounds).tolist()}) but the CRS "
            f"{crs_text} is in degrees. Fix: pass {param('crs')} with the projected CRS, e.g. {param('crs', 'EPSG:4549')}."
        )
    if frame.crs.is_projected and not _looks_projected(bounds):
        raise CRSError(
            f"{path}: coordinates look like degrees (bounds {np.round(bounds, 3).tolist()}) but the CRS "
            f"{crs_text} is projected. Fix: pass {param('crs', 'EPSG:4326')} (or EPSG:4490)."
        )
    _old_datum(frame.crs, r)
    if not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    b = frame.total_bounds
    if not np.isfinite(b).all() or _outside(b):
        raise CRSError(
            f"{path}: after reading it as {crs_text} the data lies outside Zhejiang "
            f"(bounds {np.round(b, 3).tolist()}). Fix: the declared CRS is probably wrong; pass {param('crs')} with the right one."
        )
    return frame


def _set_crs(frame, crs, path, override=False):
    from pyproj.exceptions import CRSError as ProjCRSError

    try:
        return frame.set_crs(crs, allow_override=override)
    except (ProjCRSError, ValueError, TypeError) as exc:
        raise CRSError(
            f"{path}: {param('crs', crs)} is not a CRS PROJ knows ({str(exc).splitlines()[0]}). "
            f"Fix: pass an EPSG code ({param('crs', 'EPSG:4549')}), a PROJ string or a PROJ pipeline."
        ) from None
