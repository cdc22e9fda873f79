"""The pairings layer: one row per (mountain county, partner) of 山海协作."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._paths import layer_path
from ..catalog import say
from ..read import Checker, LayerResult, county_or_error, former_or_none, read_table, resolve_sources
from ..read.checker import did_you_mean
from ..registry import Registry, get_registry
from .specs import CONFIDENCE, CONFIDENCE_ALIASES, SPECS

#: words that mark a functional zone (no GB/T 2260 code), kept with its parent city
ZONE_WORDS = ("新区", "开发区", "港区", "高新区", "园区", "保税区", "度假区", "试验区", "集聚区", "合作区", "示范区")

PAIRING_COLUMNS = [
    "mountain_code",
    "mountain_county",
    "partner_code",
    "partner",
    "partner_en",
    "partner_city_code",
    "partner_city",
    "since",
    "round",
    "round_en",
    "confidence",
    "source",
    "note",
    "note_en",
]


def read_pairings(
    path=None, registry: Registry | None = None, *, sheet=None, encoding=None, sources: dict | None = None
) -> LayerResult:
    """Read and validate a pairings table (the embedded one when ``path`` is None).

    One row per (mountain county, partner). A row with no partner declares that the county
    has no sourced partner. Partners that are not county-level units (functional zones such
    as 绍兴滨海新区) are kept with their parent city.
    """
    reg = registry or get_registry()
    path = Path(path) if path else layer_path("pairings.csv")
    df, header_problems = read_table(path, SPECS["pairings"], sheet=sheet, encoding=encoding)
    chk = Checker.for_table(path, df)
    chk.problems += header_problems
    if chk.problems and any(p.severity == "error" for p in chk.problems):
        return LayerResult(pd.DataFrame(columns=PAIRING_COLUMNS), chk.problems, str(path))
    has_conf = df["confidence"].ne("").any()
    mountain_all = reg.mountain_codes
    out = []
    for r in chk.records(df):
        row = int(r["_row"])
        m = county_or_error(chk, reg, row, r["mountain_county"], "mountain_county", r["mountain_code"])
        if m is None:
            continue
        if m.code not in mountain_all:
            eds = say("list.enum").join(sorted(reg.editions))
            chk.add(
                "error",
                row,
                say("tables.not_mountain", name=m.name, editions=eds),
                say("tables.pairings.not_mountain_fix"),
                "mountain_county",
            )
            continue
        rec = dict.fromkeys(PAIRING_COLUMNS, "")
        rec.update(
            mountain_code=m.code, mountain_county=m.name, round=r["round"], round_en=r["round_en"], note=r["note"]
        )
        rec.update(note_en=r["note_en"], _row=row)
        partner, pcode = r["partner"], r["partner_code"]
        if partner or pcode:
            found = county_or_zone(chk, reg, row, partner, pcode, r["partner_city_code"] or r["partner_city"],
                                   what="partner", notify=path != layer_path("pairings.csv"))  # fmt: skip
            if found is None:
                continue
            p, city = found
            if p is not None:
                if p.code == m.code:
                    chk.add(
                        "error",
                        row,
                        say("tables.pairings.self.what", name=m.name),
                        say("tables.pairings.self.fix"),
                        "partner",
                    )
                    continue
                chk.matched(partner, p.name)
                rec.update(partner_code=p.code, partner=p.name, partner_city_code=p.city_code, partner_city=p.city)
            else:
                rec.update(
                    partner=partner, partner_en=r["partner_en"], partner_city_code=city.code, partner_city=city.name
                )
            since = chk.year(row, r["since"], "since")
            rec["since"] = since
            if r["confidence"] or has_conf:
                rec["confidence"] = chk.choice(row, r["confidence"], CONFIDENCE, "confidence", CONFIDENCE_ALIASES)
            else:
                rec["confidence"] = "unrated"
        else:  # no sourced partner: what the search found is weak by nature (low unless the file says)
            rec["partner"] = ""
            rec["confidence"] = (
                chk.choice(row, r["confidence"], CONFIDENCE, "confidence", CONFIDENCE_ALIASES)
                if r["confidence"]
                else "low"
            )
        rec["source"] = r["source"]
        out.append(rec)
    table = pd.DataFrame(out, columns=[*PAIRING_COLUMNS, "_row"])
    if not df["confidence"].ne("").any() and len(table):
        chk.add(
            "warning",
            say("where.header"),
            say("tables.pairings.no_confidence"),
            say("tables.add_confidence", column="confidence", levels=say("list.enum").join(CONFIDENCE)),
        )
    has_source = df["source"].ne("").any()
    embedded = path == layer_path("pairings.csv")
    table["source"] = resolve_sources(
        chk, table, has_source, table["partner"] != "", embedded=embedded, sources=sources
    )
    paired = table[table["partner"] != ""]
    gaps = table[table["partner"] == ""]
    for _, g in gaps[gaps["mountain_code"].isin(set(paired["mountain_code"]))].iterrows():
        chk.add(
            "warning",
            int(g["_row"]),
            say("tables.pairings.gap_but_paired.what", name=g["mountain_county"]),
            say("tables.pairings.gap_but_paired.fix"),
        )
    table = chk.expand(table)
    paired = table[table["partner"] != ""]
    chk.duplicates(
        paired.assign(_k=paired["partner_code"].where(paired["partner_code"] != "", paired["partner"])),
        ["mountain_county", "_k"],
        say("tables.label.pairing"),
    )
    return LayerResult(table.drop(columns="_row"), chk.problems, str(path), chk.sources)


def county_or_zone(chk: Checker, reg: Registry, row, name, code, city_value, *, what: str, notify: bool):
    """The county a row names by ``code`` or ``name`` (a former one read as today's), or a
    functional zone (no GB/T 2260 code) kept with its parent city: ``(county, None)`` or
    ``(None, city)``; None when the row must be fixed (the problem is added). ``what`` names
    the columns (``partner``, ``partner_code``, ``partner_city``); ``notify`` says, as a
    note, that a zone was kept with its city (a user's file)."""
    c = reg.find_county(code) if code else reg.find_county(name)
    if c is None:  # a former name or code: 下城区 → 拱墅区 (noted), 江干区 (an error)
        c = former_or_none(chk, reg, row, code or name, f"{what}_code" if code else what)
        if c is False:
            return None
    if c is not None:
        return c, None
    role = say(f"tables.role.{what}")
    if code:
        chk.add("error", row, say("tables.zone.bad_code.what", role=role, code=code), say("tables.zone.bad_code.fix"),
                f"{what}_code")  # fmt: skip
        return None
    city = reg.find_city(city_value) if city_value else None
    # a functional zone (no code) needs a zone-like name and its parent city
    if city is None or not any(w in name for w in ZONE_WORDS):
        sugg = chk.suggest(reg, name)
        chk.add(
            "error",
            row,
            say(
                "tables.zone.not_county" if city else "tables.zone.not_county_no_city",
                role=role,
                name=name,
                hint=did_you_mean(sugg),
            ),
            say("tables.zone.fix") if city else say("tables.zone.fix_city", column=f"{what}_city"),
            what,
        )
        return None
    if notify:
        chk.add("info", row, say("tables.zone.kept", role=role, name=name, city=city.name))
    return None, city
