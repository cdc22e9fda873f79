"""Facts a planner can cite: every fact resolves to a source record, confidence follows from
the sources, pages cite issuer · title · date (never a repost's domain, a file name or a
path), and the data package validates."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from .conftest import LAYERS, run_cli, write_csv

REPOST_HOSTS = re.compile(
    r"goatpacker|holdmm|b4dc4|zhishi5|uk1media|weilinceramic|nj\.mall|one124|dingqianjf|olppe|investchn|ttnews|"
    r"wdranch|\d+\.\d+\.\d+\.\d+"
)


def test_every_fact_resolves_to_a_source(atlas):
    from geo.sources import unresolved

    assert unresolved(atlas) == []
    for table in (atlas.pairings, atlas.status):
        assert table["source"].str.len().gt(0).all()
    for ed in atlas.registry.editions.values():
        assert ed.source_ids and all(i in atlas.sources for i in ed.source_ids), ed.id


def test_no_layer_cites_an_address_a_file_or_a_path():
    import csv

    for name in ("pairings.csv", "status.csv", "editions.csv", "documents.csv", "counties.csv"):
        with open(LAYERS / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col in ("source", "population_source"):
                    cell = row.get(col) or ""
                    assert not re.search(r"https?://|\.txt|\.csv|\.\./|shared/|seed ", cell), (name, cell)


def test_confidence_follows_from_the_sources(atlas):
    from geo.sources import RANK, allowed_confidence

    checked = 0
    for table, label in ((atlas.pairings, "mountain_county"), (atlas.status, "name")):
        rows = table[table["confidence"].isin(RANK)]
        for _, r in rows.iterrows():
            allowed = allowed_confidence(r["source"].split(";"), atlas.sources) or "low"
            assert RANK[r["confidence"]] <= RANK[allowed], (r[label], r["confidence"], allowed)
            if RANK[r["confidence"]] < RANK[allowed]:  # rated lower than its sources allow: said why
                assert r["note"], (r[label], r["confidence"], allowed)
            checked += 1
    assert checked > 150


def test_citations_name_issuer_title_and_date_never_a_repost_host(atlas):
    from geo.sources import source_table

    for lang in ("zh", "en"):
        table = source_table(atlas, lang)
        assert len(table) > 40 and table["facts"].sum() > 200
        for r in table.itertuples():
            assert not REPOST_HOSTS.search(r.citation), r.citation
            assert not re.search(r"\.txt|\.csv|layers/|shared/|seed \d", r.citation), r.citation
            s = atlas.sources[r.id]
            if r.kind in ("official_document", "government_site", "major_outlet"):
                # issuer · title · date (· 文号): each part the record has, in the reader's language
                issuer = s.issuer if lang == "zh" else s.issuer_en
                assert r.citation.startswith(issuer), r.citation
                title = s.title if lang == "zh" else s.title_en
                assert all(x in r.citation for x in (title, s.date) if x), r.citation
            if r.url:
                assert not REPOST_HOSTS.search(r.url), r.url
    # the seed documents are cited by their own titles and issuers
    seed = atlas.sources["seed-001"]
    assert seed.issuer == "浙江省生态环境厅" and seed.citation("zh").startswith("浙江省生态环境厅 · ")


def test_a_users_confidence_that_contradicts_its_sources_is_flagged(tmp_path):
    path = write_csv(
        tmp_path / "my_pairings.csv",
        ["山区县", "结对县", "可信度", "来源"],
        [
            ["景宁", "海盐", "high", "https://bbs.example-forum.com/thread-1.html"],  # a repost rated high
            ["淳安", "西湖区", "high", "https://www.hangzhou.gov.cn/art/2023/7/18/art_1.html"],  # a government site
            ["庆元", "长兴", "medium", "seed-000"],  # a known source id
        ],
    )
    r = run_cli("check", path, "--format", "json")
    found = json.loads(r.stdout)["problems"]
    flagged = [p for p in found if p["column"] == "confidence"]
    assert len(flagged) == 1 and flagged[0]["where"] == "row 2" and "allow low" in flagged[0]["what"], flagged
    info = [p["what"] for p in found if p["severity"] == "info" and p["what"].startswith("sources found")]
    assert info and "known source ids" in info[0] and "government-site" in info[0], info


def test_a_users_sources_are_cited_without_their_hosts(tmp_path):
    import geo

    path = write_csv(
        tmp_path / "p.csv",
        ["山区县", "结对县", "可信度", "来源"],
        [["景宁", "海盐", "low", "https://bbs.example-forum.com/t.html"], ["云和", "北仑", "low", "县里的材料"]],
    )
    atlas = geo.load_atlas(pairings=path)
    rec = geo.county_record(atlas, "景宁")
    assert [c for c, _ in rec.partners[0]["citations"]] == ["来源待核实"]
    rec = geo.county_record(atlas, "云和")
    assert rec.partners[0]["citations"][0][0] == "来源待核实（县里的材料）"


def test_sources_command_lists_every_source_with_its_facts():
    r = run_cli("sources", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {"id", "kind", "confidence", "facts", "citation", "url", "read_at"} <= set(rows[0])
    assert sum(x["facts"] for x in rows) > 200 and all(x["facts"] >= 1 for x in rows)
    r = run_cli("sources", "--lang", "en")
    assert r.returncode == 0 and "sources of" in r.stdout


def test_the_2025_edition(registry):
    ed = registry.edition("2025")
    assert len(ed.members) == 22 and ed.date == "2025-05-28"
    gone = set(registry.edition("2024").members) - set(ed.members)
    assert {registry.counties[c].short_name for c in gone} == {"永嘉", "苍南", "江山"}
    r = run_cli("editions")
    assert r.returncode == 0 and "2024 → 2025: 3 out" in r.stdout, r.stdout


def test_the_data_package_validates():
    pytest.importorskip("frictionless")  # a test extra
    r = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(LAYERS / "datapackage.json")],
        capture_output=True,
        text=True,
    )
    report = json.loads(r.stdout)
    errors = [e["message"] for t in report["tasks"] for e in t["errors"]][:10]
    assert report["valid"], errors
    # the descriptor is the one the script writes from the layers' own columns
    r = subprocess.run([sys.executable, str(LAYERS / "build_datapackage.py"), "--check"])
    assert r.returncode == 0, "layers/datapackage.json is stale: run python layers/build_datapackage.py"
    names = {t["name"] for t in report["tasks"]}
    assert {"sources", "pairings", "status", "counties", "editions", "documents", "clauses", "coverage"} <= names


def test_sources_corrected_by_the_2026_12_audit(atlas):
    # the 共富 pilot list: the page names 浙江新闻客户端 as the original outlet (稿源)
    cp = atlas.sources["zj-2021-cp-pilots"]
    assert cp.issuer == "浙江新闻客户端" and cp.kind == "major_outlet" and "cnnb" in cp.read_at
    assert "稿源: 浙江新闻客户端" in cp.quote
    # where an official document was read is something a reader can follow, or says it cannot
    for s in atlas.sources.values():
        assert not s.read_at.startswith("seed "), s.id
    for i in range(5):
        assert atlas.sources[f"seed-00{i}"].read_at.startswith("copy not public")
    # the 2024 edition's day rests on a repost, and the edition cites it
    ed = atlas.registry.edition("2024")
    assert "dingqianjf-2024-08-21-mirror" in ed.source_ids and ed.date == "2024-08-21"
    assert atlas.sources["dingqianjf-2024-08-21-mirror"].kind == "repost"
