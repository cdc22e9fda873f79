"""The planner's own facts on top of ours: rows added with --merge, their own source records
cited like the built-in ones, options a theme does not use refused, the change map's
editions and links, counts that agree with the maps."""

from __future__ import annotations

import json
import subprocess

import pytest

import geo
from geo.errors import GeoError

from .conftest import LAYERS, run_cli, write_csv

#: what a planner heard of: 庆元县 paired with 嘉善县 since 2018, and where it was read
NEW_ROW = ["庆元县", "嘉善县", "2018", "medium", "qy-js-2018"]
SOURCE = {
    "id": "qy-js-2018",
    "issuer": "嘉兴日报",
    "title": "嘉善与庆元签订山海协作结对协议",
    "date": "2018-05-10",
    "url": "https://www.cnjxol.com/example/2018-05-10.html",
    "kind": "major_outlet",
}
CITED = "嘉兴日报 · 《嘉善与庆元签订山海协作结对协议》 · 2018-05-10"


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    d = tmp_path_factory.mktemp("own")
    write_csv(d / "one.csv", ["山区县", "结对县", "结对年份", "可信度", "来源"], [NEW_ROW])
    write_csv(d / "sources.csv", list(SOURCE), [list(SOURCE.values())])
    return d


@pytest.fixture(scope="module")
def merged(own):
    return geo.load_atlas(pairings=own / "one.csv", sources=own / "sources.csv", merge=True)


def test_merge_adds_one_row_to_the_built_in_pairings(atlas, merged):
    assert len(merged.pairings) == len(atlas.pairings) + 1
    assert len(merged.links) == len(atlas.links) + 1
    row = merged.links[(merged.links["mountain_county"] == "庆元县") & (merged.links["partner"] == "嘉善县")]
    assert len(row) == 1 and row["since"].iat[0] == "2018" and row["confidence"].iat[0] == "medium"
    notes = [p.what for p in merged.problems if p.file.endswith("one.csv")]
    assert any("`merge=True`: 1 pairing row(s) added to the 39 built-in ones, 0 replaced" in n for n in notes)


def test_the_users_source_is_cited_by_issuer_and_title(merged, tmp_path):
    from geo.products.profile import render_profile, save_profile
    from geo.sources import cite

    [cell] = merged.pairings.loc[merged.pairings["partner"] == "嘉善县", "source"]
    assert cite(cell, merged.sources, "zh") == [(CITED, SOURCE["url"])]
    html = geo.render_html(merged, "pairing").get_root().render()
    assert CITED in html and "来源链接" not in html.split(CITED)[0][-200:]
    save_profile(render_profile(merged, "庆元"), tmp_path / "qy.pdf")
    text_ = subprocess.run(["pdftotext", str(tmp_path / "qy.pdf"), "-"], capture_output=True, text=True).stdout
    assert "嘉善县" in text_ and CITED.replace(" ", "") in text_.replace(" ", "").replace("\n", "")


def test_pairs_and_check_from_the_command_line(own):
    r = run_cli("pairs", "--pairings", own / "one.csv", "--sources", own / "sources.csv", "--merge",
                "--county", "庆元", "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {x["partner"] for x in rows} >= {"嘉善县", "长兴县"}
    # without --merge the file replaces the layer: check says so and points to --merge
    r = run_cli("check", own / "one.csv", "--format", "json")
    warned = [p for p in json.loads(r.stdout)["problems"] if p["severity"] == "warning" and p["where"] == "file"]
    assert warned and "25 of the 26 counties of edition 2021 have no row" in warned[0]["what"]
    assert "--merge" in warned[0]["fix"]
    r = run_cli("check", own / "one.csv", "--sources", own / "sources.csv", "--merge", "--format", "json")
    data = json.loads(r.stdout)
    assert data["summary"]["warning"] == 0 and data["summary"]["error"] == 0
    assert any("1 source records of your own" in p["what"] for p in data["problems"])
    # the map warns the same way as check when the file replaces the layer
    r = run_cli("map", "pairing", "--pairings", own / "one.csv", "--format", "png", "--dpi", 50,
                "-o", own / "replaced.png")  # fmt: skip
    assert r.returncode == 0 and "pass --merge" in r.stderr


def test_a_row_with_the_same_key_replaces_the_built_in_one(tmp_path, atlas):
    built = atlas.pairings[(atlas.pairings["mountain_county"] == "庆元县") & (atlas.pairings["partner"] == "长兴县")]
    assert len(built) == 1 and built["since"].iat[0] != "2019"
    write_csv(tmp_path / "fix.csv", ["山区县", "结对县", "结对年份", "可信度", "来源"],
              [["庆元", "长兴", "2019", "high", built["source"].iat[0]]])  # fmt: skip
    a = geo.load_atlas(pairings=tmp_path / "fix.csv", merge=True)
    rows = a.pairings[(a.pairings["mountain_county"] == "庆元县") & (a.pairings["partner"] == "长兴县")]
    assert len(rows) == 1 and rows["since"].iat[0] == "2019" and len(a.pairings) == len(atlas.pairings)
    assert any("庆元县 — 长兴县" in p.where and "replaces the built-in pairing" in p.what for p in a.problems)
    # a county the file pairs loses the built-in row saying it has none
    write_csv(tmp_path / "yj.csv", ["山区县", "结对县", "来源"], [["永嘉", "鹿城", "https://www.wenzhou.gov.cn/a"]])
    a = geo.load_atlas(pairings=tmp_path / "yj.csv", merge=True)
    yj = a.pairings[a.pairings["mountain_county"] == "永嘉县"]
    assert list(yj["partner"]) == ["鹿城区"]
    assert a.counties.set_index("name").loc["永嘉县", "pairing_status"] == "sourced"


def test_status_and_coverage_merge_by_their_keys(tmp_path, atlas):
    write_csv(tmp_path / "st.csv", ["范围", "县", "称号", "级别", "年份", "可信度", "来源"],
              [["county", "庆元", "省级美丽乡村示范县", "provincial", "2019", "low", "https://www.example.com/a"]])  # fmt: skip
    a = geo.load_atlas(status=tmp_path / "st.csv", merge=True)
    assert len(a.status) == len(atlas.status) + 1
    assert "省级美丽乡村示范县" in a.counties.set_index("name").loc["庆元县", "statuses"]
    cov = atlas.coverage.drop_duplicates(["document", "clause"]).iloc[0]
    write_csv(
        tmp_path / "cov.csv",
        ["document", "clause", "scope", "target"],
        [[cov["document"], cov["clause"], "county", "淳安"]],
    )
    a = geo.load_atlas(coverage=tmp_path / "cov.csv", merge=True)
    assert len(a.clauses) == len(atlas.clauses) and len(a.documents) == len(atlas.documents)
    assert (
        a.counties.set_index("name").loc["淳安县", "n_clauses"]
        >= atlas.counties.set_index("name").loc["淳安县", "n_clauses"]
    )


def test_a_citation_written_out_is_one_record(tmp_path, atlas):
    cell = f"{CITED} {SOURCE['url']}"
    write_csv(
        tmp_path / "c.csv",
        ["山区县", "结对县", "结对年份", "可信度", "来源"],
        [["庆元", "嘉善", "2018", "medium", cell]],
    )
    a = geo.load_atlas(pairings=tmp_path / "c.csv", merge=True)
    from geo.sources import cite

    [ids] = a.pairings.loc[a.pairings["partner"] == "嘉善县", "source"]
    assert cite(ids, a.sources, "zh") == [(CITED, SOURCE["url"])]
    [sid] = ids.split(";")
    assert a.sources[sid].kind == "repost"  # cnjxol.com is no recognised outlet: low at most
    assert not [p for p in a.problems if p.severity == "error"]


def test_the_template_has_a_sources_sheet_read_back(tmp_path):
    import openpyxl

    path = tmp_path / "t.xlsx"
    r = run_cli("template", path, "--table", "pairings")
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(path)
    assert "来源" in wb.sheetnames
    src, pairs = wb["来源"], wb["结对"]
    head = [c.value for c in src[1]]
    assert head[:6] == ["编号", "发布者", "标题", "日期", "网址", "类型"]
    src.append([SOURCE[k] for k in ("id", "issuer", "title", "date", "url", "kind")])
    pairs.delete_rows(2, pairs.max_row)  # the planner keeps only the new row
    heads = [c.value for c in pairs[1]]
    row = dict.fromkeys(heads, None) | {"山区县": "庆元县", "结对县": "嘉善县", "结对年份": "2018", "可信度": "medium",
                                        "来源": "qy-js-2018"}  # fmt: skip
    pairs.append([row[h] for h in heads])
    wb.save(path)
    a = geo.load_atlas(pairings=path, merge=True)
    from geo.sources import cite

    [cell] = a.pairings.loc[a.pairings["partner"] == "嘉善县", "source"]
    assert cite(cell, a.sources, "zh") == [(CITED, SOURCE["url"])]


def test_an_option_a_theme_does_not_use_is_refused(tmp_path):
    for args, flag in ((["overview", "--links"], "--links"), (["status", "--scheme", "quantiles"], "--scheme"),
                       (["pairing", "--old", "2021"], "--old"), (["policy", "--k", "4"], "--k")):  # fmt: skip
        r = run_cli("map", *args, "-o", tmp_path / "x.png")
        assert r.returncode == 2 and f"{flag} goes with the" in r.stderr, (args, r.stderr)
    assert not (tmp_path / "x.png").exists()


def test_change_map_compares_two_editions_and_draws_the_links(atlas, tmp_path):
    from geo.themes import build_theme, text

    th = build_theme(atlas, "change", "zh", detail=False, old="2021", new="2024", links=True)
    [links] = [ly for ly in th.layers if ly.name == text("change_links", "zh")]
    moved = {"330326", "330802", "331102", "330305", "330922"}  # 平阳, 柯城, 莲都 out; 洞头, 嵊泗 in
    assert set(links.data["code"]) <= moved and len(links.data) >= 5
    assert "2021" in th.subtitle and "2025" not in th.subtitle
    plain = build_theme(atlas, "change", "zh", detail=False)
    assert not any(ly.name == text("change_links", "zh") for ly in plain.layers)
    r = run_cli(
        "map", "change", "--old", "2021", "--new", "2024", "--links", "--format", "html", "-o", tmp_path / "c.html"
    )
    assert r.returncode == 0, r.stderr
    assert "调出或调入县的山海协作结对" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_n_statuses_counts_what_the_popups_list(atlas):
    from geo.themes.base import _popups  # noqa: PLC2701 - the popups are what a reader sees

    heading, target = geo.themes.text("statuses", "zh"), geo.themes.text("state_target", "zh")
    popups = _popups(atlas, "zh")
    for _, c in atlas.counties[atlas.counties["member"]].iterrows():
        sections = dict(popups[c["code"]])
        listed = sections.get(heading, [])
        names = {line.split("（")[0] for line, _ in listed if target not in line}  # a target is not held
        assert len(names) == c["n_statuses"], (c["name"], names)


def test_sources_file_with_a_bad_row_is_refused_by_name(tmp_path):
    write_csv(tmp_path / "bad.csv", ["id", "issuer", "title", "kind"], [["Bad Id", "某报", "某文", "newspaper"]])
    write_csv(tmp_path / "one.csv", ["山区县", "结对县", "来源"], [["庆元", "嘉善", "x"]])
    with pytest.raises(GeoError, match=r"bad\.csv, row 2, column id: source id 'Bad Id' is not a slug"):
        geo.load_atlas(pairings=tmp_path / "one.csv", sources=tmp_path / "bad.csv", merge=True)
    assert (LAYERS / "sources.csv").exists()
