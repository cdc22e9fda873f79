"""How the file sits against the embedded boundaries: its datum (WGS84, GCJ-02, BD-09, told
from where its counties lie), its vintage (units of today it still holds inside older ones),
and what part of the province it covers. The units it lacks are taken from the embedded
boundaries as context, so a file of one city still draws the province around it."""

from __future__ import annotations

import geopandas as gpd
import shapely

from ..catalog import say
from ..datum import detect_datum, to_wgs84
from ..errors import param
from ..geometry import valid_polygons
from ..vintage import covered_units
from .reading import Reading, embedded_counties


def datum_name(datum: str) -> str:
    """WGS84, GCJ-02 (AMap, DataV, Tencent), BD-09 (Baidu), in the reader's language."""
    return say(f"boundaries.datum_name.{datum}")


def datum_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Compare the file's counties with the embedded ones (centroids of those whose area
    matches within 15 %), say what datum the offsets point to, and convert to WGS84."""
    if r.embedded or len(out) == 0:
        return out
    datum = r.datum
    emb = embedded_counties()
    ref = dict(zip(emb["code"], emb.geometry.values, strict=True))
    pts, refs = [], []
    for code, g in zip(out["code"], out.geometry.values, strict=True):
        rg = ref.get(code)
        if rg is None or g is None or g.is_empty:
            continue
        if 0.85 <= shapely.area(g) / shapely.area(rg) <= 1.15:
            pts.append(shapely.get_coordinates(shapely.centroid(g))[0])
            refs.append(shapely.get_coordinates(shapely.centroid(rg))[0])
    fit = detect_datum(pts, refs)
    best, name = fit.best, datum_name(fit.best)
    seen = say(
        "boundaries.fit.seen",
        n=fit.n,
        shift=fit.shift,
        name=name,
        residual=fit.residual[best],
        residual_wgs84=fit.residual["wgs84"],
    )
    use = datum
    if datum == "auto":
        use = best if fit.unambiguous else "wgs84"
        if use != "wgs84":
            r.add(
                "info",
                say("boundaries.where.datum"),
                say("boundaries.fit.converted", name=name, seen=seen),
                say("boundaries.fit.converted_fix"),
            )
        elif fit.suggestive:
            r.add(
                "warning",
                say("boundaries.where.datum"),
                say("boundaries.fit.maybe", name=name, seen=seen),
                say(
                    "boundaries.fit.maybe_fix", given=param("datum", best), source=say(f"boundaries.datum_from.{best}")
                ),
            )
    elif fit.unambiguous and best != datum:
        r.add(
            "warning",
            say("boundaries.where.datum"),
            say("boundaries.fit.mismatch", given=param("datum", datum), name=name, seen=seen),
            say("boundaries.fit.mismatch_fix", best=param("datum", best)),
        )
    if use != "wgs84":
        # the shift bends edges by a few metres: a thin part may pinch, so make valid again
        out = out.set_geometry(valid_polygons(to_wgs84(out.geometry.values, use)), crs="EPSG:4326")
        if datum != "auto":
            r.add("info", say("boundaries.where.datum"), say("boundaries.fit.converted_from", name=datum_name(use)))
    return out


def vintage_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Warn about units of today that the file lacks because it predates their creation,
    while its own features still cover them (苍南县 with 龙港市); ``r.covered`` gets them."""
    if r.embedded or len(out) == 0:
        return out
    reg = r.registry
    names = {c.code: c.name for c in reg.counties.values()}
    found = covered_units(out, embedded_counties(), names)
    for code, ch, holders in found:
        src = [ch.name_of(f.source) for f in ch.flows if f.target == code and f.source != code]
        origin = say(
            "boundaries.fit.origin_one" if len(src) == 1 else "boundaries.fit.origin_many",
            names=say("list.and").join(dict.fromkeys(src)),
        )
        r.add(
            "warning",
            names[code],
            say(
                "boundaries.fit.predates_one" if len(holders) == 1 else "boundaries.fit.predates_many",
                holders=say("list.enum").join(holders),
                unit=names[code],
                date=ch.date,
                origin=origin,
                doc=ch.doc_no,
            ),
            say("boundaries.older_file_fix"),
        )
    r.covered = {code for code, _, _ in found}
    return out


def covers(codes, reg) -> str:
    """What a set of units is, by city: 丽水市 (all 9), 温州市 (3 of 12)."""
    by_city: dict[str, int] = {}
    for c in codes:
        by_city[reg.counties[c].city_code] = by_city.get(reg.counties[c].city_code, 0) + 1
    parts = []
    for city_code, n in sorted(by_city.items()):
        total = sum(c.city_code == city_code for c in reg.counties.values())
        name = reg.cities[city_code].name
        parts.append(
            say("boundaries.fit.city_all" if n == total else "boundaries.fit.city_some", name=name, n=n, total=total)
        )
    return say("list.enum").join(parts)


def context_frame(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame | None:
    """The embedded polygons of the units the file neither holds nor covers, and a note of
    what the file covers when that is not the whole province (None for the embedded layer)."""
    if r.embedded:
        return None
    emb = embedded_counties()
    empty = emb.iloc[:0][["code", "geometry"]]
    reg = r.registry
    present = set(out["code"])
    lacking = emb[~emb["code"].isin(present | r.covered)][["code", "geometry"]].reset_index(drop=True)
    ed = reg.edition(r.edition)
    missing = [reg.counties[c].name for c in ed.members if c not in present and c not in r.covered]
    if len(lacking) == 0 and not missing:
        return empty
    n_all = len(reg.counties)
    held = (
        say("boundaries.fit.held_some", n=len(present), total=n_all, covers=covers(present, reg))
        if present
        else say("boundaries.fit.held_none")
    )
    members = (
        say(
            "boundaries.fit.members",
            n=len(missing),
            total=len(ed.members),
            edition=ed.id,
            names=say("list.enum").join(missing),
        )
        if missing
        else ""
    )
    other = say(
        "boundaries.fit.other_one" if len(lacking) == 1 else "boundaries.fit.other_many",
        k=len(lacking),
        members=members,
    )
    r.add(
        "warning",
        say("boundaries.where.file"),
        say("boundaries.fit.context", held=held, other=other),
        say("boundaries.fit.context_fix"),
    )
    return lacking
