"""The status layer: designations, demonstration zones, pilots and targets of counties and cities."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from .._paths import layer_path
from ..catalog import say
from ..codes import to_code
from ..read import Checker, LayerResult, county_or_error, read_table, resolve_sources
from ..registry import Registry, get_registry
from .specs import CONFIDENCE, SPECS

STATES = ("named", "proposed", "target")
LEVELS = ("national", "provincial", "municipal")
CATEGORIES = (
    "eco_demo",
    "liangshan_base",
    "eco_county_old",
    "common_prosperity_pilot",
    "national_park",
    "dahuayuan_demo",
    "eco_pilot",
    "nuclear_site",
)


STATUS_COLUMNS = [
    "scope",
    "code",
    "name",
    "designation",
    "designation_en",
    "category",
    "level",
    "state",
    "batch",
    "year",
    "confidence",
    "source",
    "note",
    "note_en",
]
_LEVEL_ALIASES = {
    "国家级": "national",
    "国家": "national",
    "省级": "provincial",
    "省": "provincial",
    "市级": "municipal",
}
_STATE_ALIASES = {
    "命名": "named",
    "已命名": "named",
    "拟命名": "proposed",
    "公示": "proposed",
    "目标": "target",
    "创建目标": "target",
}


def designation_category(designation: str) -> str:
    """The status category of a designation's Chinese title (used when none is given)."""
    d = designation
    rules = [
        ("国家公园", "national_park"),
        ("共同富裕", "common_prosperity_pilot"),
        ("两山", "liangshan_base"),
        ("绿水青山", "liangshan_base"),
        ("核电", "nuclear_site"),
        ("大花园", "dahuayuan_demo"),
        ("生态文明建设示范", "eco_demo"),
        ("生态县", "eco_county_old"),
        ("生态市", "eco_county_old"),
        ("生态区", "eco_county_old"),
    ]
    for key, cat in rules:
        if key in d:
            return cat
    return "eco_pilot"


def read_status(
    path=None, registry: Registry | None = None, *, sheet=None, encoding=None, sources: dict | None = None
) -> LayerResult:
    """Read and validate a status table (demonstration zones, bases, pilots, targets)."""
    reg = registry or get_registry()
    path = Path(path) if path else layer_path("status.csv")
    df, header_problems = read_table(path, SPECS["status"], sheet=sheet, encoding=encoding)
    chk = Checker.for_table(path, df)
    chk.problems += header_problems
    if any(p.severity == "error" for p in chk.problems):
        return LayerResult(pd.DataFrame(columns=STATUS_COLUMNS), chk.problems, str(path))
    out = []
    for r in chk.records(df):
        row = int(r["_row"])
        scope = to_code("status_scope", r["scope"])
        rec = dict.fromkeys(STATUS_COLUMNS, "")
        ident = r["code"] or r["name"]
        if scope == "city" or (scope == "" and reg.find_county(ident) is None and reg.find_city(ident) is not None):
            city = reg.find_city(ident)
            if city is None:
                chk.add(
                    "error",
                    row,
                    say("tables.not_a_city", name=ident),
                    say("tables.status.not_a_city_fix"),
                    "code",
                )
                continue
            chk.matched(r["name"], city.name)
            rec.update(scope="city", code=city.code, name=city.name)
        else:
            c = county_or_error(chk, reg, row, r["name"], "name", r["code"])
            if c is None:
                continue
            rec.update(scope="county", code=c.code, name=c.name)
        if not r["designation"]:
            chk.add(
                "error",
                row,
                say("tables.status.no_designation.what"),
                say("tables.status.no_designation.fix"),
                "designation",
            )
            continue
        rec["designation"] = r["designation"]
        rec["category"] = to_code("category", r["category"]) or designation_category(r["designation"])
        if rec["category"] not in CATEGORIES:
            chk.add(
                "error",
                row,
                say("tables.status.unknown_category.what", category=r["category"]),
                say("tables.status.unknown_category.fix", categories=say("list.enum").join(CATEGORIES)),
                "category",
            )
            continue
        rec["level"] = chk.choice(row, r["level"], LEVELS, "level", _LEVEL_ALIASES) if r["level"] else ""
        rec["state"] = chk.choice(row, r["state"], STATES, "state", _STATE_ALIASES) if r["state"] else "named"
        batch = unicodedata.normalize("NFKC", r["batch"])
        m = re.fullmatch(r"第?(\d+|[一二三四五六七八九十])批?", batch) if batch else None
        if batch and not m:
            chk.add(
                "error",
                row,
                say("tables.status.bad_batch.what", batch=r["batch"]),
                say("tables.status.bad_batch.fix"),
                "batch",
            )
        elif m:
            num = m.group(1)
            batch = str("一二三四五六七八九十".index(num) + 1) if not num.isdigit() else str(int(num))
        rec["batch"] = batch if m else ""
        rec["year"] = chk.year(row, r["year"], "year")[:4]
        if r["confidence"]:
            rec["confidence"] = chk.choice(
                row, r["confidence"], CONFIDENCE, "confidence", {"高": "high", "中": "medium", "低": "low"}
            )
        else:
            rec["confidence"] = "unrated"
        rec["source"], rec["note"], rec["note_en"] = r["source"], r["note"], r["note_en"]
        rec["designation_en"] = r["designation_en"]
        rec["_row"] = row
        out.append(rec)
    table = pd.DataFrame(out, columns=[*STATUS_COLUMNS, "_row"])
    if len(table):
        embedded = path == layer_path("status.csv")
        table["source"] = resolve_sources(
            chk, table, df["source"].ne("").any(), table["designation"] != "", embedded=embedded, sources=sources
        )
        table = chk.expand(table)
        chk.duplicates(table, ["scope", "code", "designation", "batch"], say("tables.label.status"))
    return LayerResult(table.drop(columns="_row"), chk.problems, str(path), chk.sources)
