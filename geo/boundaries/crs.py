"""The file's coordinate reference system: declared, given with ``--crs`` (an EPSG code, a
PROJ string with ``+towgs84``, or a PROJ pipeline to WGS84), checked against where the
coordinates lie, and converted to EPSG:4326. Old Chinese datums (Xian 1980, Beijing 1954)
have no public parameters to WGS84 in PROJ: such a file is converted with PROJ's ballpark
transformation and a warning that says what that means for accuracy."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.exceptions import CRSError as ProjCRSError
from pyproj.exceptions import ProjError

from ..catalog import say
from ..errors import CRSError, DataSourceError, param
from ..geometry import transform
from .reading import ZHEJIANG_BOUNDS, Reading

#: geodetic datums whose shift to WGS84 PROJ knows only as a ballpark (no parameters are public)
OLD_DATUMS = {
    "Xian 1980": "Xian 1980 (西安80)",
    "Beijing 1954": "Beijing 1954 (北京54)",
    "New Beijing": "New Beijing (新北京54)",
}


def _looks_projected(bounds) -> bool:
    return max(abs(bounds[0]), abs(bounds[2])) > 360 or max(abs(bounds[1]), abs(bounds[3])) > 180


def _outside(b) -> bool:
    zb = ZHEJIANG_BOUNDS
    return not (b[0] < zb[2] and b[2] > zb[0] and b[1] < zb[3] and b[3] > zb[1])


def _through_pipeline(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Coordinates sent through the PROJ pipeline given with --crs (its output: lon/lat in
    degrees, WGS84)."""
    try:
        geoms = transform(frame.geometry.values, r.crs)
    except ProjError as exc:
        raise CRSError(say("boundaries.crs.pipeline_failed", path=r.path, exc=exc)) from None
    out = frame.set_geometry(geoms).set_crs("EPSG:4326", allow_override=True)
    b = out.total_bounds
    if not np.isfinite(b).all() or _outside(b):
        raise CRSError(say("boundaries.crs.pipeline_outside", path=r.path, bounds=np.round(b, 3).tolist()))
    r.add("info", say("boundaries.where.crs"), say("boundaries.crs.pipeline_used"))
    r.crs_text = r.crs
    return out


def _old_datum(crs, r: Reading) -> None:
    """Warn when the file is in an old Chinese datum that PROJ converts only roughly."""
    datum = crs.geodetic_crs.datum.name if crs.geodetic_crs is not None else ""
    if datum not in OLD_DATUMS or crs.is_bound:
        return
    t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True, area_of_interest=AreaOfInterest(*ZHEJIANG_BOUNDS))
    if t.accuracy is not None and 0 < t.accuracy < 50:
        return
    r.add(
        "warning",
        say("boundaries.where.crs"),
        say("boundaries.crs.old_datum", datum=OLD_DATUMS[datum], crs_name=crs.name),
        say("boundaries.crs.old_datum_fix", pipeline=param("crs", "+proj=pipeline …")),
    )


def crs_step(frame: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326, its CRS checked against where its coordinates lie."""
    path, crs = r.path, r.crs
    bounds = frame.total_bounds
    if not np.isfinite(bounds).all():
        raise DataSourceError(say("boundaries.crs.no_numbers", path=path))
    if crs and "proj=pipeline" in crs.replace(" ", ""):
        return _through_pipeline(frame, r)
    if frame.crs is None:
        if crs is None:
            projected = _looks_projected(bounds)
            raise CRSError(
                say(
                    "boundaries.crs.none",
                    path=path,
                    bounds=np.round(bounds, 3).tolist(),
                    example=param("crs", "EPSG:4549" if projected else "EPSG:4326"),
                    hint=say("boundaries.crs.hint_projected" if projected else "boundaries.crs.hint_geographic"),
                )
            )
        frame = _set_crs(frame, crs, path)
    elif crs is not None:
        r.add(
            "warning",
            say("boundaries.where.crs"),
            say("boundaries.crs.overridden", declared=frame.crs.to_string(), given=param("crs", crs)),
        )
        frame = _set_crs(frame, crs, path, override=True)
    r.crs_text = crs_text = frame.crs.to_string()
    if frame.crs.is_geographic and _looks_projected(bounds):
        raise CRSError(
            say("boundaries.crs.metres_not_degrees", path=path, bounds=np.round(bounds).tolist(), crs=crs_text)
        )
    if frame.crs.is_projected and not _looks_projected(bounds):
        raise CRSError(
            say("boundaries.crs.degrees_not_metres", path=path, bounds=np.round(bounds, 3).tolist(), crs=crs_text)
        )
    _old_datum(frame.crs, r)
    if not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    b = frame.total_bounds
    if not np.isfinite(b).all() or _outside(b):
        raise CRSError(say("boundaries.crs.outside", path=path, crs=crs_text, bounds=np.round(b, 3).tolist()))
    return frame


def _set_crs(frame, crs, path, override=False):
    try:
        return frame.set_crs(crs, allow_override=override)
    except (ProjCRSError, ValueError, TypeError) as exc:
        raise CRSError(
            say("boundaries.crs.unknown", path=path, given=param("crs", crs), reason=str(exc).splitlines()[0])
        ) from None
