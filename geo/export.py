"""Export of the joined atlas as a GeoPackage that QGIS opens."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._io import atomic_path
from .errors import GeoError

__all__ = ["EXPORT_LAYERS", "export_gpkg"]

EXPORT_LAYERS = ("counties", "links", "coverage", "status")


def export_gpkg(atlas, path) -> Path:
    """Write the atlas as a GeoPackage with layers counties, links, coverage and status.

    ``coverage`` and ``status`` are attribute tables (no geometry), one row per county
    and clause or designation, with the clause summary and document title alongside.
    The file is written to a temporary name and renamed, so an existing file is never
    left half-written.

    Parameters
    ----------
    atlas : Atlas
        The joined atlas (:func:`geo.load_atlas`).
    path : str or Path
        The GeoPackage to write; its name must end in ``.gpkg``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    GeoError
        The path does not end in ``.gpkg``.

    Examples
    --------
    >>> import geo
    >>> geo.export_gpkg(geo.load_atlas(), "atlas.gpkg")  # doctest: +SKIP
    PosixPath('atlas.gpkg')
    """
    import pyogrio

    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise GeoError(f"{path}: export writes a GeoPackage; give the path a .gpkg suffix.")
    counties = atlas.counties.copy()
    coverage = atlas.coverage.rename(columns={"county_code": "code"}).drop(columns=["scope_clause"], errors="ignore")
    status = atlas.status.rename(columns={"code": "target", "county_code": "code"})
    with atomic_path(path) as tmp:
        # GeoPackage 1.2 so that older GDAL/QGIS builds open it without warnings
        pyogrio.write_dataframe(counties, tmp, layer="counties", driver="GPKG", dataset_options={"VERSION": "1.2"})
        pyogrio.write_dataframe(atlas.links, tmp, layer="links", driver="GPKG", append=True)
        for name, table in (("coverage", coverage), ("status", status)):
            pyogrio.write_dataframe(_as_table(table), tmp, layer=name, driver="GPKG", append=True)
    return path


def _as_table(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].fillna("").astype(str)
    return out
