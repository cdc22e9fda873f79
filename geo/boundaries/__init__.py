"""Reading county boundary files: a pipeline of small steps, each taking the frame and the
reading (its options and the problems found so far) and returning the frame.

1. :func:`~.source.open_frame`: the file as a frame (Shapefile, zipped or in a folder of a
   zip, GeoPackage, GeoJSON of any size, KML/KMZ, FlatGeobuf, FileGDB, GeoParquet, a
   web-chart map script or ECharts' compressed JSON; the encoding of a Shapefile without
   ``.cpg`` detected);
2. :func:`~.crs.crs_step`: the CRS checked against the coordinates, converted to EPSG:4326
   (old datums with a warning on accuracy);
3. :func:`~.match.match_step`: each feature matched to a county of today (DataV's numeric
   ``adcode`` too; former units read as today's);
4. :func:`~.repair.geometry_step`: every geometry a valid, oriented polygon (collections,
   rings that cross, holes wound like shells, Z values), or an error;
5. :func:`~.repair.dissolve_step`: the parts of one county merged; overlapping copies refused;
6. :func:`~.fit.datum_step`: the datum (WGS84, GCJ-02, BD-09) told from where the counties
   sit against the embedded ones, and converted;
7. :func:`~.fit.vintage_step`: a file older than a change (龙港市 inside 苍南县) read as it is;
8. :func:`~.repair.detail_step`: areas measured on the full geometry, then counties of
   millions of vertices thinned to about 1 m for drawing;
9. :func:`~.fit.context_frame`: what part of the province the file covers; the units it
   lacks come from the embedded boundaries, as context.

The result is always EPSG:4326 with columns ``code``, ``name``, ``source_name``,
``geometry`` (and ``area_km2`` for a user's file); every row that could not be used is reported as a :class:`~geo.errors.Problem`,
and no geometry that reaches a renderer can make GEOS throw.
"""

from __future__ import annotations

from pathlib import Path

from .._paths import layer_path
from ..catalog import say
from ..errors import DataSourceError
from ..registry import Registry, get_registry
from .crs import crs_step
from .fit import context_frame, datum_step, vintage_step
from .match import match_step
from .reading import SPATIAL_SUFFIXES, ZHEJIANG_BOUNDS, BoundaryResult, Reading, embedded_counties
from .repair import detail_step, dissolve_step, geometry_step
from .source import open_frame

__all__ = [
    "SPATIAL_SUFFIXES",
    "STEPS",
    "ZHEJIANG_BOUNDS",
    "BoundaryResult",
    "Reading",
    "embedded_counties",
    "read_boundaries",
]

#: the steps after the file is opened, in order
STEPS = (crs_step, match_step, geometry_step, dissolve_step, datum_step, vintage_step, detail_step)


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
        Any file pyogrio reads (zipped too), a web-chart map; the embedded layer when omitted.
    layer : str or int, optional
        Layer of a multi-layer source (GeoPackage), or the file to read in a zip holding several.
    encoding : str, optional
        Attribute encoding; detected for Shapefiles without a ``.cpg`` when omitted.
    crs : str, optional
        CRS to assume when the file declares none (e.g. ``EPSG:4490``); a PROJ string with
        ``+towgs84`` for an old datum whose parameters you hold; or a PROJ pipeline from the
        file's coordinates to WGS84 longitude/latitude.
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

    Raises
    ------
    DataSourceError
        The file cannot be read at all (missing, empty, not a format GDAL reads, no county
        column); :class:`~geo.errors.CRSError` when its CRS is missing or contradicts it.
    """
    if datum not in ("auto", "wgs84", "gcj02", "bd09"):
        raise DataSourceError(say("boundaries.unknown_datum", datum=datum))
    embedded = path is None
    r = Reading(
        Path(path) if path is not None else layer_path("boundaries.gpkg"),
        registry or get_registry(),
        layer=layer,
        encoding=encoding,
        crs=crs,
        datum=datum,
        code_column=code_column,
        name_column=name_column,
        edition=edition,
        embedded=embedded,
    )
    frame = open_frame(r)
    for step in STEPS:
        frame = step(frame, r)
    context = context_frame(frame, r)
    frame = frame.sort_values("code", ignore_index=True)
    return BoundaryResult(frame, r.problems, r.src, r.used_encoding, r.crs_text, context)
