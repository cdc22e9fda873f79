"""The Atlas: one joined data model that both renderers draw from."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from ._paths import layers_dir
from .boundaries import BoundaryResult, read_boundaries
from .catalog import message_lang, say
from .errors import DataLayerError, Problem
from .geometry import dissolve
from .measures import area_km2
from .registry import Edition, Registry, get_registry
from .sources import embedded_sources
from .tables import (
    ENCLAVE_COLUMNS,
    LayerResult,
    left_out,
    merge_layers,
    read_coverage,
    read_enclaves,
    read_pairings,
    read_status,
    read_user_sources,
    workbook_sources,
)

__all__ = ["Atlas", "LayerFiles", "load_atlas"]

LIST_SEP = "、"
#: the layers an atlas joins, in the order :func:`load_layers` returns them
LAYER_KINDS = ("boundaries", "pairings", "coverage", "status", "enclaves")


@dataclass
class LayerFiles:
    """User files replacing embedded layers (None keeps the embedded one)."""

    boundaries: str | None = None
    pairings: str | None = None
    coverage: str | None = None
    status: str | None = None
    encoding: str | None = None
    crs: str | None = None
    datum: str = "auto"
    layer: str | None = None
    sheet: str | None = None
    code_column: str | None = None
    name_column: str | None = None
    #: a file of the user's own source records (the columns of layers/sources.csv)
    sources: str | None = None
    #: add the table files' rows to the embedded layers instead of replacing them
    merge: bool = False
    #: a table of enclaves (飞地) replacing the embedded one
    enclaves: str | None = None


@dataclass
class Atlas:
    """The joined atlas.

    Attributes
    ----------
    counties : GeoDataFrame
        One row per county-level unit with a boundary (EPSG:4326), in code order:

        - ``code`` (6-digit, str), ``name`` (上城区), ``short_name`` (上城), ``kind`` (区, 县,
          市), ``city_code`` (4-digit), ``city``, ``romanized`` (Shangcheng), ``name_en``;
        - ``population_2020``: resident population of the 2020 census (int);
        - ``member``: in the edition's list of mountain counties;
        - ``partners`` (names joined by 、), ``n_partners``, ``pairing_status``
          (``sourced``, ``no sourced partner``, empty for non-members), ``is_partner`` and
          ``partner_of`` (the mountain counties it partners);
        - ``n_clauses`` (policy clauses that target it, directly, through its city or
          through the list), ``n_clauses_named`` (those naming it), ``n_documents``;
        - ``statuses`` (titles joined by 、); ``n_statuses`` counts the distinct
          designations named or proposed that the county holds, its own and those it holds
          through its city (as the status map's popups list them; targets left out),
          ``n_statuses_own`` its own only (those the status map colours it for);
        - ``boundary``: ``file`` where the polygon is the user's boundary file's,
          ``embedded`` where it is the packaged one; ``area_km2`` when a user's file was
          measured (on its full geometry).
    links : GeoDataFrame
        One LineString per pairing, from the mountain county's representative point to
        the partner's (its parent city's for functional zones: ``partner_located`` says
        which): ``mountain_code``, ``mountain_county``, ``partner_code``, ``partner``,
        ``partner_en``, ``partner_city_code``, ``partner_city``, ``since`` (year, str, empty
        when unknown), ``round`` and ``round_en``, ``confidence`` (high, medium, low),
        ``source`` (ids of :attr:`sources`, separated by ``;``), ``note``, ``note_en``, and
        ``distance_km``: the geodesic distance between the line's two ends (WGS 84
        ellipsoid), not along roads.
    pairings, coverage, status : DataFrame
        The validated tables; ``coverage`` and ``status`` expanded to one row per county.
    documents, clauses : DataFrame
        The policy documents and clauses that coverage cites.
    edition : Edition
        The edition of the mountain-county list in force for this atlas.
    enclaves : GeoDataFrame
        One Point per enclave (飞地, EPSG:4326), the columns of ``layers/enclaves.csv``
        (:data:`geo.tables.ENCLAVE_COLUMNS`; ``lon`` and ``lat`` as numbers, NaN when the
        layer gives none) and ``location``: ``site`` when the point is the row's own
        coordinates (cited in ``location_source``), ``county`` when it is the host county's
        representative point (the point the pairing links end at), ``city`` the host city's
        for a functional zone; ``in_edition`` (the beneficiary is a county of the edition).
    sources : dict of str to Source
        The source records the facts cite, by id (:mod:`geo.sources`).
    files : dict of str to str
        The file each layer was read from.
    problems : list of Problem
        Warnings and repairs found while loading (errors raise instead).
    registry : Registry
        The county-level units and editions the names were resolved with.
    cache : dict
        What is derived from the tables once and shared by every theme (popups per
        language); internal.
    """

    counties: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    pairings: pd.DataFrame
    coverage: pd.DataFrame
    status: pd.DataFrame
    documents: pd.DataFrame
    clauses: pd.DataFrame
    edition: Edition
    #: the enclaves (飞地) as points: see the class docstring
    enclaves: gpd.GeoDataFrame | None = None
    #: the source records every fact cites, by id (the embedded ones and those a user's file brings)
    sources: dict = field(default_factory=dict)
    #: the file each layer was read from
    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    registry: Registry = field(default_factory=get_registry, repr=False)
    #: what is derived from the tables once and shared by every theme (popups per language);
    #: a simplified copy of the atlas shares it, as it shares the tables
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def members(self) -> gpd.GeoDataFrame:
        """The counties of the edition."""
        return self.counties[self.counties["member"]]

    @property
    def partners(self) -> gpd.GeoDataFrame:
        """The counties that partner a mountain county of the edition."""
        return self.counties[self.counties["is_partner"]]

    def county(self, name) -> pd.Series:
        """The counties row of a county given by any name or code."""
        code = self.registry.county(name).code
        hit = self.counties[self.counties["code"] == code]
        if hit.empty:
            raise KeyError(say("atlas.not_in_boundaries", name=name))
        return hit.iloc[0]

    def __repr__(self) -> str:
        return (
            f"<Atlas edition {self.edition.id} ({self.edition.title}): {int(self.counties['member'].sum())} "
            f"mountain counties of {len(self.counties)} units, {len(self.links)} links, "
            f"{self.coverage[['document', 'clause']].drop_duplicates().shape[0]} clauses, {len(self.status)} status rows, "
            f"{0 if self.enclaves is None else len(self.enclaves)} enclaves>"
        )


#: the reader of each table layer
READERS = {"pairings": read_pairings, "coverage": read_coverage, "status": read_status, "enclaves": read_enclaves}


def read_layer(kind: str, files: LayerFiles, registry: Registry, edition: str | None):
    """Read and validate one layer (boundaries, pairings, coverage, status or enclaves) with
    the reading options of ``files``; the embedded layer when ``files`` names none."""
    path = getattr(files, kind)
    if kind == "boundaries":
        return read_boundaries(
            path,
            layer=files.layer,
            encoding=files.encoding,
            crs=files.crs,
            datum=files.datum,
            code_column=files.code_column,
            name_column=files.name_column,
            registry=registry,
            edition=edition,
        )
    reader = READERS[kind]
    own, problems = user_sources(files, path)
    if path is None and not own:
        result = embedded_layer(kind, registry)
    else:
        result = reader(path, registry, sheet=files.sheet, encoding=files.encoding if path else None, sources=own)
    result.problems[0:0] = problems
    result.sources = {**own, **result.sources}  # pages cite the user's records like the built-in ones
    if path is not None and not result.errors:
        if files.merge:
            result = merge_layers(kind, embedded_layer(kind, registry), result)
        else:
            result.problems += left_out(kind, result, registry, edition)
    return result


#: the embedded table layers as read and checked, by kind, with the registry they were
#: checked against and what :func:`_layers_stamp` said: a user's boundary file or one table
#: of their own is joined with the other layers as built in, read once per process
_LAYERS: dict[str, tuple] = {}


def embedded_layer(kind: str, registry: Registry):
    """The embedded ``kind`` layer (pairings, coverage, status or enclaves) read and checked
    against ``registry``, in the messages' language: a copy of its own for each call."""
    stamp = (message_lang(), _layers_stamp())
    held = _LAYERS.get(kind)
    if held is None or held[0] is not registry or held[1] != stamp:
        held = _LAYERS[kind] = (registry, stamp, READERS[kind](None, registry))
    return copy.deepcopy(held[2])


def user_sources(files: LayerFiles, path=None) -> tuple[dict, list]:
    """The user's own source records: the ``--sources`` file's and those of a workbook's
    来源 sheet, with the problems found in them."""
    out, problems = {}, []
    for found, probs in (
        read_user_sources(files.sources) if files.sources else ({}, []),
        workbook_sources(path) if path else ({}, []),
    ):
        out.update(found)
        problems += probs
    return out, problems


def load_layers(files: LayerFiles, registry: Registry, edition: str | None):
    """Read and validate all layers; return results (never raises for content problems)."""
    return tuple(read_layer(kind, files, registry, edition) for kind in LAYER_KINDS)


def load_atlas(
    edition: str | None = None,
    *,
    boundaries=None,
    pairings=None,
    coverage=None,
    status=None,
    encoding: str | None = None,
    crs: str | None = None,
    datum: str = "auto",
    layer: str | None = None,
    sheet: str | None = None,
    code_column: str | None = None,
    name_column: str | None = None,
    sources=None,
    merge: bool = False,
    enclaves=None,
) -> Atlas:
    """Load the layers, validate them and join them into an :class:`Atlas`.

    Parameters
    ----------
    edition : {"2021", "2024", "2025"}, optional
        Edition of the mountain-county list (default ``"2021"``, the 26 counties).
    boundaries : path, optional
        A boundary file replacing the embedded one (anything pyogrio reads).
    pairings, coverage, status, enclaves : path, optional
        CSV or XLSX files replacing the embedded tables.
    encoding, crs, datum, layer, sheet, code_column, name_column
        Reading options for the user files (see :func:`geo.boundaries.read_boundaries`).
    sources : path, optional
        The user's own source records (CSV or XLSX with the columns of ``layers/sources.csv``:
        id, issuer, title, date, url, kind); the table files cite them by id.
    merge : bool
        Add the rows of ``pairings``, ``coverage``, ``status`` and ``enclaves`` to the
        embedded layers (a row with the same key replaces the built-in one) instead of
        replacing the layers.

    Returns
    -------
    Atlas
        A new one at each call. The embedded layers are read once per process (again when
        a layer file changes); each call gets its own copy of their tables.

    Raises
    ------
    DataSourceError
        A file cannot be read.
    DataLayerError
        A file has problems that must be fixed; ``.problems`` lists every one.

    Examples
    --------
    >>> import geo
    >>> atlas = geo.load_atlas()
    >>> int(atlas.counties["member"].sum())
    26
    """
    reg = get_registry()
    ed = reg.edition(edition)
    files = LayerFiles(
        boundaries, pairings, coverage, status, encoding, crs, datum, layer, sheet, code_column, name_column,
        sources, merge, enclaves,
    )  # fmt: skip
    if files == LayerFiles():  # the embedded layers alone: read once per process
        key = _embedded_key(reg, ed)
        if key not in _EMBEDDED:
            _EMBEDDED.clear()  # an older key: a layer file changed, or another language
            _EMBEDDED[key] = _load(files, reg, ed)
        # each caller gets its own tables (a notebook may add a column) and an empty cache
        return copy.deepcopy(_EMBEDDED[key], {id(reg): reg, id(ed): ed})
    return _load(files, reg, ed)


#: the embedded atlas by :func:`_embedded_key`: reading and checking the six layers took a
#: third of a second, and a notebook, a test or `shanhai build` loads it again and again
_EMBEDDED: dict[tuple, Atlas] = {}


def _embedded_key(reg: Registry, ed: Edition) -> tuple:
    """What the embedded atlas depends on: the edition, the registry, the language of its
    notes (they are written at loading) and the layer files as they are on disk."""
    return ed.id, id(reg), message_lang(), _layers_stamp()


def _layers_stamp() -> tuple:
    """The layers folder and the name, modification time and size of each file in it."""
    folder = layers_dir()
    files = sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(folder) if e.is_file())
    return str(folder), tuple(files)


def _load(files: LayerFiles, reg: Registry, ed: Edition) -> Atlas:
    results = load_layers(files, reg, ed.id)
    problems = list(dict.fromkeys(p for r in results for p in r.problems))  # a --sources finding, once
    if any(p.severity == "error" for p in problems):
        raise DataLayerError(problems)
    return join(*results, registry=reg, edition=ed, problems=problems)


def _expand(table: pd.DataFrame, reg: Registry, scope_col="scope", target_col="target") -> pd.DataFrame:
    """One row per county: county rows as they are, city rows to each of the city's
    counties, edition rows to each member of that edition."""
    # resolved once per distinct (scope, target), then exploded: rows keep their order
    keys = list(zip(table[scope_col], table[target_col], strict=True))
    targets: dict[tuple, tuple[list[str], str]] = {}
    for scope, target in dict.fromkeys(keys):
        if scope == "county":
            targets[scope, target] = ([target], "")
        elif scope == "city":
            codes = [c.code for c in reg.counties.values() if c.city_code == target]
            targets[scope, target] = (codes, reg.cities[target].name)
        else:
            targets[scope, target] = (list(reg.edition(target).members), reg.edition(target).title)
    out = table.assign(county_code=[targets[k][0] for k in keys], via=[targets[k][1] for k in keys]).explode(
        "county_code"
    )
    out = out[out["county_code"].notna()]
    return out.reset_index(drop=True)[[*table.columns, "county_code", "via"]]


def _enclave_points(table, counties, points, city_point, edition, problems, source) -> gpd.GeoDataFrame:
    """The enclaves as points: a row's own coordinates (location ``site``), else the host
    county's representative point (``county``), else for a functional zone its city's
    (``city``). An enclave whose host has no boundary in the file is not drawn (a warning)."""
    rows = []
    for _, r in table.iterrows():
        rec = r.to_dict()
        rec["lon"] = float(r["lon"]) if r["lon"] != "" else np.nan
        rec["lat"] = float(r["lat"]) if r["lat"] != "" else np.nan
        if r["lon"] != "":
            pt, where = shapely.Point(rec["lon"], rec["lat"]), "site"
        elif r["host_code"]:
            pt, where = points.get(r["host_code"]), "county"
        else:
            pt, where = city_point(r["host_city_code"]), "city"
        if pt is None:
            problems.append(
                Problem("warning", source, f"{r['beneficiary']} · {r['name']}", say("atlas.enclave_no_host"))
            )
            continue
        if where == "site" and r["host_code"]:  # coordinates that fall outside the host county
            poly = counties.loc[counties["code"] == r["host_code"], "geometry"]
            if len(poly) and not poly.iloc[0].buffer(0.01).contains(pt):
                problems.append(Problem("warning", source, f"{r['beneficiary']} · {r['name']}",
                                        say("atlas.enclave_outside_host", host=r["host"]),
                                        say("atlas.enclave_outside_host_fix")))  # fmt: skip
        rows.append({**rec, "location": where, "in_edition": r["beneficiary_code"] in edition.members, "geometry": pt})
    columns = [*ENCLAVE_COLUMNS, "location", "in_edition", "geometry"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


def join(
    b: BoundaryResult,
    p: LayerResult,
    c: LayerResult,
    s: LayerResult,
    e: LayerResult | None = None,
    *,
    registry: Registry,
    edition: Edition,
    problems: list[Problem],
) -> Atlas:
    """The layers read by :func:`load_layers` joined into an :class:`Atlas` (``e``, the
    enclaves, may be left out: the atlas then has none)."""
    reg = registry
    # a file of part of the province: the units it lacks come from the embedded boundaries,
    # marked, so every theme draws them as context (a veil) and links reach them
    own = [c for c in ("code", "area_km2", "geometry") if c in b.counties]
    parts = [b.counties[own].assign(boundary="file" if b.context is not None else "embedded")]
    if b.context is not None and len(b.context):
        parts.append(b.context[["code", "geometry"]].assign(boundary="embedded"))
    counties = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    if "area_km2" in counties:  # measured on a user's full geometry, before it was thinned for drawing
        missing = counties["area_km2"].isna().to_numpy()
        counties.loc[missing, "area_km2"] = area_km2(counties.geometry.values[missing])
    info = pd.DataFrame(
        [
            {
                "code": x.code,
                "name": x.name,
                "short_name": x.short_name,
                "kind": x.kind,
                "city_code": x.city_code,
                "city": x.city,
                "romanized": x.romanized,
                "name_en": x.name_en,
                "population_2020": x.population_2020 if x.population_2020 is not None else np.nan,
            }
            for x in reg.counties.values()
        ]
    )
    counties = gpd.GeoDataFrame(counties.merge(info, on="code", how="left"), geometry="geometry", crs="EPSG:4326")
    counties["member"] = counties["code"].isin(edition.members)

    # pairings of the edition's counties; others are kept in the table but not linked
    pairings = p.table.copy()
    pairings["in_edition"] = pairings["mountain_code"].isin(edition.members)
    out_of_edition = pairings[~pairings["in_edition"]]["mountain_county"].unique()
    if len(out_of_edition):
        problems.append(
            Problem(
                "info",
                p.source,
                say("atlas.where.pairings"),
                say(
                    "atlas.not_in_edition",
                    n=len(out_of_edition),
                    edition=edition.id,
                    names=LIST_SEP.join(out_of_edition),
                ),
            )
        )
    active = pairings[pairings["in_edition"] & (pairings["partner"] != "")]
    partners_of = active.groupby("mountain_code")["partner"].agg(LIST_SEP.join)
    counties["partners"] = counties["code"].map(partners_of).fillna("")
    counties["n_partners"] = counties["code"].map(active.groupby("mountain_code").size()).fillna(0).astype(int)
    counties["pairing_status"] = np.where(
        ~counties["member"],
        "",
        np.where(counties["n_partners"] > 0, "sourced", "no sourced partner"),
    )
    partner_rows = active[active["partner_code"] != ""]
    counties["is_partner"] = counties["code"].isin(partner_rows["partner_code"])
    counties["partner_of"] = (
        counties["code"].map(partner_rows.groupby("partner_code")["mountain_county"].agg(LIST_SEP.join)).fillna("")
    )

    # coverage: distinct clauses per county, directly named or through city/edition
    cov = _expand(c.table, reg)
    cov = cov.merge(c.table.attrs["clauses"], on=["document", "clause"], how="left", suffixes=("", "_clause"))
    doc_columns = ["document", "title", "title_en", "short_title", "short_title_en", "date", "source"]
    cov = cov.merge(
        c.table.attrs["documents"][doc_columns].rename(columns={"source": "document_source"}), on="document", how="left"
    )
    distinct = cov.drop_duplicates(["county_code", "document", "clause"])
    counties["n_clauses"] = counties["code"].map(distinct.groupby("county_code").size()).fillna(0).astype(int)
    named = cov[cov["scope"] == "county"].drop_duplicates(["county_code", "document", "clause"])
    counties["n_clauses_named"] = counties["code"].map(named.groupby("county_code").size()).fillna(0).astype(int)
    counties["n_documents"] = (
        counties["code"].map(distinct.groupby("county_code")["document"].nunique()).fillna(0).astype(int)
    )

    # status: county rows, and city rows listed for the city's counties (via)
    st = s.table.rename(columns={"code": "target"})
    st = _expand(st, reg, target_col="target").rename(columns={"target": "code"})
    own = st[st["via"] == ""]
    achieved = own[own["state"] != "target"].assign(
        label=lambda d: d["designation"] + np.where(d["state"] == "proposed", "(拟命名)", "")
    )
    counties["statuses"] = (
        counties["code"]
        .map(achieved.groupby("county_code")["label"].agg(lambda x: LIST_SEP.join(dict.fromkeys(x))))
        .fillna("")
    )
    # as the status map's popups list them: every designation named or proposed, the county's
    # own and those it holds through its city (a title counted once, whatever its batches)
    held = st[st["state"] != "target"]
    counties["n_statuses"] = (
        counties["code"].map(held.groupby("county_code")["designation"].nunique()).fillna(0).astype(int)
    )
    counties["n_statuses_own"] = (
        counties["code"]
        .map(held[held["via"] == ""].groupby("county_code")["designation"].nunique())
        .fillna(0)
        .astype(int)
    )

    # links between representative points (the parent city's for functional zones)
    points = dict(zip(counties["code"], counties.geometry.representative_point(), strict=True))
    city_points = {}

    def city_point(code):
        """A city's point, for a functional zone: made when first asked for (a union of the
        city's counties; most cities are never asked)."""
        if code not in city_points:
            geoms = counties.geometry.values[(counties["city_code"] == code).to_numpy()]
            city_points[code] = dissolve(geoms).representative_point() if len(geoms) else None
        return city_points[code]

    rows = []
    for _, r in active.iterrows():
        a = points.get(r["mountain_code"])
        if r["partner_code"]:
            bpt, located = points.get(r["partner_code"]), "county"
        else:
            bpt, located = city_point(r["partner_city_code"]), "city"
        if a is None or bpt is None:
            problems.append(
                Problem(
                    "warning",
                    b.source,
                    f"{r['mountain_county']} — {r['partner']}",
                    say("atlas.link_not_drawn"),
                )
            )
            continue
        rows.append(
            {
                **r.drop(labels=["in_edition"]).to_dict(),
                "partner_located": located,
                "geometry": shapely.LineString([a, bpt]),
            }
        )
    links = gpd.GeoDataFrame(
        rows,
        columns=[*pairings.columns.drop("in_edition"), "partner_located", "geometry"],
        geometry="geometry",
        crs="EPSG:4326",
    )
    if len(links):
        geod = Geod(ellps="WGS84")
        coords = np.array([np.array(g.coords).ravel() for g in links.geometry])
        _, _, dist = geod.inv(coords[:, 0], coords[:, 1], coords[:, 2], coords[:, 3])
        links["distance_km"] = np.round(dist / 1000.0, 1)
    else:
        links["distance_km"] = pd.Series(dtype=float)

    enclave_table = e.table if e is not None else pd.DataFrame(columns=ENCLAVE_COLUMNS)
    enclaves = _enclave_points(enclave_table, counties, points, city_point, edition, problems, b.source)
    return Atlas(
        counties=counties.sort_values("code", ignore_index=True),
        links=links,
        pairings=pairings,
        coverage=cov,
        status=st,
        documents=c.table.attrs["documents"],
        clauses=c.table.attrs["clauses"],
        edition=edition,
        enclaves=enclaves,
        sources={**embedded_sources(), **p.sources, **s.sources, **(e.sources if e is not None else {})},
        files={
            "boundaries": b.source,
            "pairings": p.source,
            "coverage": c.source,
            "status": s.source,
            "enclaves": e.source if e is not None else "",
        },
        problems=problems,
        registry=reg,
    )
