"""The embedded layers: what they contain, and that they validate cleanly."""

import pandas as pd
import pytest

from geo.tables import read_coverage, read_pairings, read_status

from .conftest import LAYERS


@pytest.fixture(scope="module")
def pairings():
    return read_pairings()


@pytest.fixture(scope="module")
def coverage():
    return read_coverage()


@pytest.fixture(scope="module")
def status():
    return read_status()


def test_layers_validate_without_errors(pairings, coverage, status):
    for result in (pairings, coverage, status):
        assert result.errors == [], result.errors


def test_pairings_content(pairings, registry):
    t = pairings.table
    paired = t[t["partner"] != ""]
    assert len(paired) == 35
    # confidence follows from the sources (layers/README.md): after the search for originals
    assert paired["confidence"].value_counts().to_dict() == {"medium": 26, "high": 7, "low": 2}
    assert (paired["source"] != "").all()
    # counties with no sourced partner are declared, not left out
    gaps = set(t[t["partner"] == ""]["mountain_county"])
    assert gaps == {"永嘉县", "三门县", "天台县", "嵊泗县"}
    # functional zones kept with their parent city
    zones = paired[paired["partner_code"] == ""]
    assert dict(zip(zones["partner"], zones["partner_city"], strict=True)) == {
        "绍兴滨海新区": "绍兴市",
        "嘉兴港区": "嘉兴市",
    }
    # the 长兴—庆元 ecology-department agreement of 2021-08-31 (seed 000)
    cq = paired[(paired["mountain_county"] == "庆元县") & (paired["partner"] == "长兴县")].iloc[0]
    assert "seed-000" in cq["source"].split(";") and "2021年8月31日" in cq["note"]
    # only 泰顺—滨江 is sourced to the July 2021 adjustment
    assert paired[paired["since"].str.startswith("2021-07")]["partner"].tolist() == ["滨江区"]


def test_every_clause_of_seed_001_is_extracted(coverage, seed_001):
    clauses = coverage.table.attrs["clauses"]
    assert seed_001["clause_numbers"] == list(range(1, 27))
    ours = clauses[clauses["document"] == "ee2021-26"]
    assert sorted(ours["clause"].astype(int)) == list(range(1, 27))
    assert (ours["summary"].str.len() > 5).all()


def test_coverage_rows_cite_document_and_clause(coverage):
    t = coverage.table
    clauses = t.attrs["clauses"]
    known = set(zip(clauses["document"], clauses["clause"], strict=True))
    assert set(zip(t["document"], t["clause"], strict=True)) <= known
    assert len(t) == 60
    assert set(t["scope"]) == {"county", "city", "edition"}
    named16 = set(t[(t["document"] == "ee2021-26") & (t["clause"] == "16")]["target_name"])
    assert named16 == {"平阳县", "苍南县", "常山县", "龙游县", "莲都区"}


def test_status_content(status):
    t = status.table
    assert (t["source"] != "").all()
    target = t[t["state"] == "target"]
    assert set(target["name"]) == {"平阳县", "苍南县", "常山县", "龙游县", "莲都区"}
    assert set(target["year"]) == {"2022"} and set(target["source"].str[:8]) == {"seed-001"}
    park = t[t["category"] == "national_park"]
    assert set(park["name"]) == {"开化县", "龙泉市", "庆元县", "景宁畲族自治县"}
    cp = t[t["category"] == "common_prosperity_pilot"]
    assert len(cp) == 28 and set(cp["year"]) == {"2021"}
    assert set(t["state"]) == {"named", "proposed", "target"}
    assert pd.to_numeric(t["year"].replace("", None)).dropna().between(2000, 2026).all()


def test_no_layer_file_is_large():
    for f in LAYERS.iterdir():
        assert f.stat().st_size < 3_000_000, f


def test_corrections_of_the_2026_12_audit(pairings, status):
    """The corrections of ../shared/reference/audit_2026-12.md (issue 33), each with its source."""
    import csv

    p = pairings.table.set_index(["mountain_county", "partner"])
    # 泰顺—鹿城: "自2002年鹿城和泰顺正式结对协作以来" (温州都市报 2022) outranks the "12年" of 2019
    tl = p.loc[("泰顺县", "鹿城区")]
    assert tl["since"] == "2002" and tl["confidence"] == "medium"
    assert {"taishun-lucheng-2022-wzdsb", "taishun-lucheng-2019-zjrb"} <= set(tl["source"].split(";"))
    assert "2002" in tl["note"] and "2007" in tl["note"] and "2007" in tl["note_en"]
    # 苍南—龙湾: 2007 kept, the one source saying 2006 cited and set aside in the note
    cl = p.loc[("苍南县", "龙湾区")]
    assert cl["since"] == "2007" and "cangnan-longwan-2021-lwnews" in cl["source"].split(";")
    assert "2006" in cl["note"] and "2006" in cl["note_en"]
    # the four rows with no sourced partner are rated low (by the rule for `none`)
    with open(LAYERS / "pairings.csv", encoding="utf-8") as f:
        gaps = [r for r in csv.DictReader(f) if not r["partner"]]
    assert {r["mountain_county"]: r["confidence"] for r in gaps} == dict.fromkeys(
        ("永嘉县", "三门县", "天台县", "嵊泗县"), "low"
    )

    t = status.table
    assert len(t) == 151
    assert t["confidence"].value_counts().to_dict() == {"medium": 84, "high": 41, "low": 26}
    # 洞头's 两山 base: batch 2, 2018-12-15 (温州网洞头支站 on 浙江在线), medium for the batch
    dt = t[(t["name"] == "洞头区") & (t["category"] == "liangshan_base")].iloc[0]
    assert (dt["batch"], dt["year"], dt["confidence"]) == ("2", "2018", "medium")
    assert "dongtou-liangshan-2018-wzw" in dt["source"].split(";")
    # titles of units that have changed since: said on the row, in both languages
    old = t[t["code"].isin(["330110"]) & (t["category"] == "eco_county_old")]
    assert len(old) == 2 and old["note"].str.contains("临平").all() and old["note_en"].str.contains("Linping").all()
    jg = t[(t["code"] == "330102") & (t["designation"] == "国家生态县（市、区）")].iloc[0]
    assert jg["year"] == "2016" and jg["confidence"] == "high" and "江干区" in jg["note"]
    assert "Jianggan" in jg["note_en"] and "mep-2016-eco-county-26" in jg["source"].split(";")
    assert "临平" not in set(t["name"])  # old 余杭's titles are not copied onto 临平
