"""Export of the joined atlas as a GeoPackage that QGIS opens looking like the maps, described
and typed (the parts are in :mod:`geo.gpkg`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from ._io import atomic_path
from .catalog import say
from .errors import GeoError
from .gpkg.catalog import dataset_metadata, describe, layer_words
from .gpkg.columns import COLUMNS
from .gpkg.styles import atlas_styles
from .gpkg.tables import export_tables

__all__ = ["EXPORT_LAYERS", "export_gpkg"]

#: the layers of the GeoPackage, in their order (``layer_styles`` follows them)
EXPORT_LAYERS = ("counties", "city_borders", "links", "enclaves", "coverage", "status", "sources")
_GEOMETRY = {"counties": "MultiPolygon", "city_borders": "MultiLineString", "links": "LineString", "enclaves": "Point"}


def export_gpkg(atlas, path) -> Path:
    """Write the atlas as a GeoPackage that opens in QGIS styled as the maps.

    Layers: ``counties`` (polygons), ``city_borders`` and ``links`` (lines), ``enclaves``
    (points: the 飞地 at their host county's representative point), and the
    attribute tables ``coverage`` and ``status`` (one row per county and clause or
    designation) and ``sources`` (the source records the layers' ``source`` columns cite).
    Every code has a Chinese and an English label beside it (``confidence_zh``, …), an
    unknown value is NULL, years and batches are integers and dates are dates.

    The file carries its styles (``layer_styles``: the pairing map as each layer's default,
    the overview map, Chinese and English, each as QGIS's QML and as SLD), its columns'
    labels and descriptions (``gpkg_data_columns``) and each layer's description, edition,
    sources and licences (``gpkg_metadata``). It is written to a temporary name and renamed,
    so an existing file is never left half-written.

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
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise GeoError(say("io.export_gpkg", path=path))
    tables = export_tables(atlas)
    styles = atlas_styles(atlas, tables)
    with atomic_path(path) as tmp:
        for i, (name, table) in enumerate(tables.items()):
            title, about = layer_words(atlas, name)
            _write(tmp, name, table, first=i == 0, layer_options={"IDENTIFIER": title, "DESCRIPTION": about},
                   dataset_metadata=dataset_metadata(atlas) if i == 0 else None)  # fmt: skip
        describe(tmp, atlas, tables, styles)
    return path


def _write(path, name, table, *, first: bool, layer_options: dict, dataset_metadata: dict | None) -> None:
    """One layer through GDAL, each column in the type of :data:`COLUMNS` (NULL where the
    typed table has a missing value)."""
    import pyogrio.raw  # lazy: GDAL's writer, for `export` alone

    data, masks = [], []
    for col in COLUMNS[name]:
        s = table[col.name]
        mask = None
        if col.type == "integer":
            values, mask = s.to_numpy(dtype="int64", na_value=0), s.isna().to_numpy()
        elif col.type == "date":
            values = s.to_numpy().astype("datetime64[D]")  # NaT: NULL
        elif col.type == "boolean":
            values = s.to_numpy(dtype=bool)
        elif col.type == "real":
            values = s.to_numpy(dtype=float)  # NaN: NULL
        else:
            values = s.to_numpy(dtype=object)  # None: NULL
        data.append(values)
        masks.append(mask)
    geometry = shapely.to_wkb(np.asarray(table.geometry.values)) if name in _GEOMETRY else None
    pyogrio.raw.write(
        path,
        geometry,
        data,
        [c.name for c in COLUMNS[name]],
        field_mask=masks,
        layer=name,
        driver="GPKG",
        geometry_type=_GEOMETRY.get(name),
        crs="EPSG:4326" if name in _GEOMETRY else None,
        promote_to_multi=_GEOMETRY.get(name, "").startswith("Multi"),
        append=not first,
        # GeoPackage 1.2 so that older GDAL/QGIS builds open it without warnings
        dataset_options={"VERSION": "1.2"} if first else None,
        dataset_metadata=dataset_metadata,
        layer_options=layer_options,
    )
