"""Rows of a table as dicts, fast: ``DataFrame.to_dict("records")`` boxes every cell through
pandas and takes seconds for arrow-backed strings; the columns as lists, zipped, do not."""

from __future__ import annotations

import pandas as pd


def records(df: pd.DataFrame) -> list[dict]:
    """The rows of ``df`` as dicts, as ``df.to_dict("records")`` gives them (the same keys and
    values; a numpy scalar inside an object column stays one), without geometry columns: a
    GeoDataFrame's shapes are read from its ``geometry.values``, and boxing them costs most."""
    names = [c for c, dtype in zip(df.columns, df.dtypes, strict=True) if getattr(dtype, "name", "") != "geometry"]
    columns = [df[c].tolist() for c in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
