"""The enclaves layer (飞地): one row per enclave of a mountain county sited in another county.

Since 2018 the main instrument of 山海协作 is the enclave: a mountain county's industrial
park, science-and-innovation centre or village-income project (产业飞地, 科创飞地, 消薄飞地)
in a partner's territory. The *beneficiary* is the mountain county whose enclave it is
(飞出地), the *host* the county it lies in (飞入地), or a functional zone (绍兴滨海新区) kept
with its parent city as in the pairings layer. Host and beneficiary can never be the same
county: an enclave lies elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._paths import layer_path
from ..catalog import say
from ..read import Checker, LayerResult, county_or_error, read_table, resolve_sources
from ..registry import Registry, get_registry
from ..sources import embedded_sources
from .pairings import county_or_zone
from .specs import CONFIDENCE, CONFIDENCE_ALIASES, SPECS

#: the kinds of enclave (the issue's words: 产业飞地, 科创飞地, 消薄飞地, and the rest)
KINDS = ("industrial", "science", "village-income", "other")
#: where an enclave stands, as the latest source read says
STATUSES = ("agreed", "building", "open", "unknown")
KIND_ALIASES = {
    "产业飞地": "industrial", "产业": "industrial", "科创飞地": "science", "科创": "science", "消薄飞地": "village-income",
    "消薄": "village-income", "强村飞地": "village-income", "village income": "village-income", "其他": "other",
    "其他飞地": "other",
}  # fmt: skip
STATUS_ALIASES = {
    "已签约": "agreed", "签约": "agreed", "在建": "building", "建设中": "building", "已运营": "open", "运营": "open",
    "已投用": "open", "投用": "open", "不详": "unknown", "未知": "unknown",
}  # fmt: skip
#: a point given by its coordinates must lie in this box (Zhejiang, with its islands)
BOUNDS = (118.0, 27.0, 123.3, 31.2)

ENCLAVE_COLUMNS = [
    "id",
    "name",
    "name_en",
    "kind",
    "beneficiary_code",
    "beneficiary",
    "host_code",
    "host",
    "host_en",
    "host_city_code",
    "host_city",
    "site",
    "site_en",
    "signed",
    "started",
    "opened",
    "status",
    "scale",
    "scale_en",
    "lon",
    "lat",
    "location_source",
    "confidence",
    "source",
    "note",
    "note_en",
]


def _point(chk: Checker, row, lon: str, lat: str, cited: str, known: dict) -> tuple[str, str] | None:
    """The coordinates of a row as given (both or neither, inside Zhejiang, with the id of
    the source that gives them); None when the row must be fixed."""
    if not lon and not lat:
        if cited:
            chk.add("warning", row, say("tables.enclaves.source_without_point.what"),
                    say("tables.enclaves.source_without_point.fix", lon="lon", lat="lat", column="location_source"),
                    "location_source")  # fmt: skip
        return "", ""
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        chk.add("error", row, say("tables.enclaves.not_numbers.what", x=lon, y=lat),
                say("tables.enclaves.not_numbers.fix", lon="lon", lat="lat"), "lon")  # fmt: skip
        return None
    if not (BOUNDS[0] <= x <= BOUNDS[2] and BOUNDS[1] <= y <= BOUNDS[3]):
        swapped = BOUNDS[0] <= y <= BOUNDS[2] and BOUNDS[1] <= x <= BOUNDS[3]
        fix = (say("tables.enclaves.outside.swapped", lon="lon", lat="lat") if swapped
               else say("tables.enclaves.outside.fix"))  # fmt: skip
        chk.add("error", row, say("tables.enclaves.outside.what", x=lon, y=lat), fix, "lon")
        return None
    if not cited or cited not in known:
        chk.add("error", row, say("tables.enclaves.point_unsourced.what"),
                say("tables.enclaves.point_unsourced.fix", column="location_source"), "location_source")  # fmt: skip
        return None
    return lon, lat


def read_enclaves(
    path=None, registry: Registry | None = None, *, sheet=None, encoding=None, sources: dict | None = None
) -> LayerResult:
    """Read and validate an enclaves table (the embedded one when ``path`` is None).

    One row per enclave: its name, kind (industrial, science, village-income, other), the
    beneficiary county (a mountain county of some edition of the list), the host county or
    functional zone, the site, the years it was agreed, begun and opened, its status,
    size, optional coordinates with their source, confidence and sources. Problems name
    the row, the column and the fix; a host that is the beneficiary itself is an error.
    """
    reg = registry or get_registry()
    path = Path(path) if path else layer_path("enclaves.csv")
    embedded = path == layer_path("enclaves.csv")
    df, header_problems = read_table(path, SPECS["enclaves"], sheet=sheet, encoding=encoding)
    chk = Checker.for_table(path, df)
    chk.problems += header_problems
    if any(p.severity == "error" for p in chk.problems):
        return LayerResult(pd.DataFrame(columns=ENCLAVE_COLUMNS), chk.problems, str(path))
    has_conf = df["confidence"].ne("").any()
    known = {**embedded_sources(), **(sources or {})}
    out = []
    for r in chk.records(df):
        row = int(r["_row"])
        b = county_or_error(chk, reg, row, r["beneficiary"], "beneficiary", r["beneficiary_code"])
        if b is None:
            continue
        if b.code not in reg.mountain_codes:
            chk.add("error", row, say("tables.not_mountain", name=b.name, editions=say("list.enum").join(reg.editions)),
                    say("tables.enclaves.not_mountain_fix"), "beneficiary")  # fmt: skip
            continue
        found = county_or_zone(chk, reg, row, r["host"], r["host_code"], r["host_city_code"] or r["host_city"],
                               what="host", notify=not embedded)  # fmt: skip
        if found is None:
            continue
        host, city = found
        if host is not None and host.code == b.code:
            chk.add("error", row, say("tables.enclaves.same_county.what", name=b.name),
                    say("tables.enclaves.same_county.fix"), "host")  # fmt: skip
            continue
        if not r["name"]:
            chk.add("error", row, say("tables.enclaves.no_name.what"), say("tables.enclaves.no_name.fix"), "name")
            continue
        point = _point(chk, row, r["lon"], r["lat"], r["location_source"], known)
        if point is None:
            continue
        rec = {c: r[c] for c in ENCLAVE_COLUMNS if c in r}
        rec.update(beneficiary_code=b.code, beneficiary=b.name, lon=point[0], lat=point[1], _row=row)
        if host is not None:
            chk.matched(r["host"], host.name)
            rec.update(host_code=host.code, host=host.name, host_city_code=host.city_code, host_city=host.city)
        else:
            rec.update(host_code="", host_city_code=city.code, host_city=city.name)
        rec["kind"] = chk.choice(row, r["kind"], KINDS, "kind", KIND_ALIASES) if r["kind"] else "other"
        rec["status"] = chk.choice(row, r["status"], STATUSES, "status", STATUS_ALIASES) if r["status"] else "unknown"
        for col in ("signed", "started", "opened"):
            rec[col] = chk.year(row, r[col], col)
        dated = [rec[c][:4] for c in ("signed", "started", "opened") if rec[c]]
        if dated != sorted(dated):
            chk.add("warning", row, say("tables.enclaves.backwards.what"), say("tables.enclaves.backwards.fix"),
                    "opened")  # fmt: skip
        if r["confidence"] or has_conf:
            rec["confidence"] = chk.choice(row, r["confidence"], CONFIDENCE, "confidence", CONFIDENCE_ALIASES)
        else:
            rec["confidence"] = "unrated"
        out.append(rec)
    table = pd.DataFrame(out, columns=[*ENCLAVE_COLUMNS, "_row"])
    if not has_conf and len(table):
        chk.add("warning", say("where.header"), say("tables.enclaves.no_confidence"),
                say("tables.add_confidence", column="confidence", levels=say("list.enum").join(CONFIDENCE)))  # fmt: skip
    table["source"] = resolve_sources(
        chk, table, df["source"].ne("").any(), pd.Series(True, index=table.index), embedded=embedded, sources=sources
    )
    table = chk.expand(table)
    chk.duplicates(table.assign(_k=table["host_code"].where(table["host_code"] != "", table["host"])),
                   ["beneficiary", "_k", "name"], say("tables.label.enclave"))  # fmt: skip
    chk.duplicates(table[table["id"] != ""], ["id"], say("tables.label.enclave_id"))
    return LayerResult(table.drop(columns="_row"), chk.problems, str(path), chk.sources)


#: the kinds as the totals table names its columns
TOTAL_COLUMNS = {"industrial": "industrial", "science": "science", "village-income": "village_income", "other": "other"}


def enclave_totals(enclaves: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """The reported totals of ``layers/enclave_totals.csv`` beside the layer's own counts.

    For each reported total (the province, or one city's mountain counties, at a date) the
    layer's enclaves of that area's beneficiaries are counted: ``layer`` those with a stated
    year (the earliest of signed, started, opened) up to the total's year, ``undated`` those
    with no year at all (they may or may not have existed then), and per kind the same two
    together. ``share`` is ``(layer + undated) / total``: at most that part of the reported
    enclaves is in the layer.

    Parameters
    ----------
    enclaves : DataFrame
        The enclaves layer (``atlas.enclaves`` or :func:`read_enclaves`'s table).
    registry : Registry, optional
        For the beneficiaries' cities; the embedded registry by default.

    Returns
    -------
    DataFrame
        The totals' columns, then ``layer``, ``undated``, ``layer_<kind>`` and ``share``.
    """
    reg = registry or get_registry()
    totals = pd.read_csv(layer_path("enclave_totals.csv"), dtype=str, keep_default_na=False)
    e = pd.DataFrame(enclaves).copy()
    years = e[["signed", "started", "opened"]].apply(pd.to_numeric, errors="coerce")
    e["_year"] = years.min(axis=1)
    e["_city"] = [reg.counties[c].city_code if c in reg.counties else "" for c in e["beneficiary_code"]]
    rows = []
    for t in totals.to_dict("records"):
        mine = e if t["scope"] == "province" else e[e["_city"] == t["area_code"]]
        dated = mine["_year"] <= int(t["as_of"][:4])
        kept = mine[dated | mine["_year"].isna()]
        row = {**t, "layer": int(dated.sum()), "undated": int(mine["_year"].isna().sum())}
        row.update({f"layer_{col}": int((kept["kind"] == k).sum()) for k, col in TOTAL_COLUMNS.items()})
        row["share"] = len(kept) / int(t["total"]) if t["total"] else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
