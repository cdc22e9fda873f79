"""What a boundary file's reading carries from step to step: its options, the problems found
so far, and the result the steps hand back."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from .._paths import layer_path
from ..errors import DataLayerError, Problem
from ..registry import Registry

#: lon/lat box around Zhejiang and its islands, with a margin
ZHEJIANG_BOUNDS = (117.5, 26.5, 123.5, 31.8)
SPATIAL_SUFFIXES = (
    ".shp",
    ".zip",
    ".gpkg",
    ".geojson",
    ".json",
    ".topojson",
    ".fgb",
    ".parquet",
    ".geoparquet",
    ".gml",
    ".kml",
    ".kmz",
    ".gdb",
    ".js",
)


@lru_cache(maxsize=1)
def embedded_counties() -> gpd.GeoDataFrame:
    """The embedded county polygons (code, name, geometry; EPSG:4326), read once per process:
    what a user's file is compared with to tell its datum and its vintage, and what is drawn
    around a file that holds part of the province."""
    import pyogrio  # lazy: GDAL, only when a boundary file is read

    return pyogrio.read_dataframe(layer_path("boundaries.gpkg"), columns=["code", "name"])


@dataclass
class Reading:
    """One boundary file being read: the options it was given and what was found so far.

    Every step of :func:`geo.boundaries.read_boundaries` takes the frame and the reading and
    returns the frame; a step reports through :meth:`add` and raises only for a file that
    cannot be read at all.
    """

    path: Path
    registry: Registry
    layer: str | int | None = None
    encoding: str | None = None
    crs: str | None = None
    datum: str = "auto"
    code_column: str | None = None
    name_column: str | None = None
    edition: str | None = None
    #: the embedded layer (known clean: no repair, no datum test)
    embedded: bool = False
    problems: list[Problem] = field(default_factory=list)
    #: the attribute encoding used (detected or given)
    used_encoding: str = ""
    #: the CRS the file was read in, as text
    crs_text: str = ""
    #: units of today the file's older features still hold (龙港市 inside 苍南县)
    covered: set = field(default_factory=set)
    #: the file's feature number (1-based) of each row, for the messages
    features: list[int] = field(default_factory=list)

    @property
    def src(self) -> str:
        return str(self.path)

    def add(self, severity: str, where: str, what: str, fix: str = "") -> None:
        self.problems.append(Problem(severity, self.src, where, what, fix))


@dataclass
class BoundaryResult:
    """Boundaries in EPSG:4326 and what was found while reading them.

    Attributes
    ----------
    counties : GeoDataFrame
        The file's counties: ``code``, ``name``, ``source_name``, ``geometry`` (valid
        polygons and multipolygons, exteriors clockwise, holes counter-clockwise).
    problems : list of Problem
        Every finding, errors included.
    source, encoding, crs : str
        The file, the attribute encoding and the CRS it was read with.
    context : GeoDataFrame
        The embedded polygons of the units the file does not hold (and no feature of it
        covers): drawn around the file's counties as context. Empty for the embedded layer.
    """

    counties: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    encoding: str = ""
    crs: str = ""
    context: gpd.GeoDataFrame | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> BoundaryResult:
        if self.errors:
            raise DataLayerError(self.problems)
        return self
