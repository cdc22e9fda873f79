"""The atlas's layers as a GIS analyst reads them: the columns of :data:`.columns.COLUMNS` in
their order and type, a label in Chinese and in English beside every code, NULL (not an
empty string) where a value is unknown, years and batches as integers, dates as dates, and
the source records as a table of their own."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..measures import area_km2
from ..naming import city_name, unit_name
from ..sources import cited_ids
from ..themes.base import city_borders
from ..words import confidence_label, level_label, state_label, text
from .columns import COLUMNS

__all__ = ["export_tables", "typed"]


def export_tables(atlas) -> dict[str, pd.DataFrame]:
    """The layers of the GeoPackage, by name, in their order: ``counties``, ``city_borders``
    and ``links`` (GeoDataFrames, the index of ``atlas.counties`` / ``atlas.links`` kept),
    ``coverage``, ``status`` and
    ``sources`` (DataFrames); each with exactly the columns of :data:`COLUMNS`, typed."""
    reg = atlas.registry
    counties = atlas.counties.copy()
    if "area_km2" not in counties:  # a user's file brings it, measured on its full geometry
        counties["area_km2"] = area_km2(counties.geometry.values)
    counties["city_en"] = [reg.cities[c].romanized if c in reg.cities else None for c in counties["city_code"]]
    for lang in ("zh", "en"):
        counties[f"pairing_status_{lang}"] = counties["pairing_status"].map(
            {"sourced": text("with_partner", lang), "no sourced partner": text("no_partner", lang)}
        )

    links = atlas.links.copy()
    links["mountain_county_en"] = [unit_name(atlas, c, n, "en") for c, n in zip(links["mountain_code"], links["mountain_county"], strict=True)]  # fmt: skip
    links["partner_en"] = [unit_name(atlas, c, n, "en") for c, n in zip(links["partner_code"], links["partner"], strict=True)]  # fmt: skip
    links["partner_city_en"] = [city_name(reg, c, "en") for c in links["partner_city_code"]]
    links["since_recorded"] = links["since"]
    links["since"] = links["since"].str[:4]
    _labelled(links, "confidence", confidence_label)

    names = {c.code: (c.name, c.romanized) for c in reg.counties.values()}
    coverage = atlas.coverage.rename(columns={"county_code": "code"})
    status = atlas.status.rename(columns={"code": "target", "county_code": "code"})
    for table in (coverage, status):
        table["county"] = [names.get(c, (None, None))[0] for c in table["code"]]
        table["county_en"] = [names.get(c, (None, None))[1] for c in table["code"]]
    _labelled(status, "confidence", confidence_label)
    _labelled(status, "level", level_label)
    _labelled(status, "state", state_label)
    _labelled(status, "category", lambda v, lang: text(f"cat_{v}", lang) if v else "")

    borders = gpd.GeoDataFrame(geometry=[city_borders(atlas.counties)], crs=atlas.counties.crs)
    enclaves = atlas.enclaves.copy()
    for col in ("signed", "started", "opened"):
        enclaves[col] = enclaves[col].astype(str).str[:4]
    _labelled(enclaves, "kind", lambda v, lang: text(f"enclave_{v}", lang) if v else "")
    _labelled(enclaves, "status", lambda v, lang: text(f"enclave_{v}", lang) if v else "")
    _labelled(enclaves, "confidence", confidence_label)
    out = {
        "counties": counties,
        "city_borders": borders,
        "links": links,
        "enclaves": enclaves,
        "coverage": coverage,
        "status": status,
        "sources": source_records(atlas),
    }
    return {name: typed(frame, name) for name, frame in out.items()}


def _labelled(frame: pd.DataFrame, column: str, label) -> None:
    """``column_zh`` and ``column_en`` beside the codes of ``column``."""
    codes = frame[column]
    for lang in ("zh", "en"):
        words = {v: label(v, lang) for v in codes.unique() if v}
        frame[f"{column}_{lang}"] = codes.map(words)


def source_records(atlas) -> pd.DataFrame:
    """One row per source record of the atlas: the record's own fields (not where it was read
    nor the curator's note), its kind and highest confidence in words, how the pages cite it,
    and how many facts of the atlas cite it."""
    counts = cited_ids(atlas)
    rows = []
    for sid, s in atlas.sources.items():
        conf = s.confidence or ""
        rows.append(
            {
                "id": sid,
                "kind": s.kind,
                "kind_zh": text(f"kind_{s.kind}", "zh"),
                "kind_en": text(f"kind_{s.kind}", "en"),
                "confidence": conf,
                "confidence_zh": confidence_label(conf, "zh") if conf else "",
                "confidence_en": confidence_label(conf, "en") if conf else "",
                **{k: getattr(s, k) for k in ("issuer", "issuer_en", "title", "title_en", "doc_no", "doc_no_en")},
                "date": s.date,
                "date_recorded": s.date,
                "year": s.date[:4],
                "url": s.url if s.identified else "",
                "quote": s.quote,
                "citation_zh": s.citation("zh"),
                "citation_en": s.citation("en"),
                "facts": counts.get(sid, 0),
            }
        )
    return pd.DataFrame(rows, columns=[c.name for c in COLUMNS["sources"]])


def typed(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    """``frame`` cut to the columns of ``layer`` in their order and types: text with None for
    missing and empty values, nullable integers, floats, booleans, and dates
    (``datetime64``; NaT unless the value is a whole ``YYYY-MM-DD``). The geometry and the
    index are kept."""
    out = {}
    for col in COLUMNS[layer]:
        s = frame[col.name]
        if col.type == "text":
            values = s.astype(object).to_numpy()
            missing = pd.isna(values) | (values == "")
            out[col.name] = pd.Series(np.where(missing, None, values), index=frame.index, dtype=object)
        elif col.type == "integer":
            out[col.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("Int64")
        elif col.type == "real":
            out[col.name] = pd.to_numeric(s, errors="coerce").astype(float)
        elif col.type == "boolean":
            out[col.name] = s.astype(bool)
        else:  # date
            out[col.name] = pd.to_datetime(s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2}", na=False)), format="%Y-%m-%d")
    table = pd.DataFrame(out, index=frame.index)
    if "geometry" in frame:
        return gpd.GeoDataFrame(table, geometry=frame.geometry.values, crs=frame.crs)
    return table
