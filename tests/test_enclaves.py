"""Enclaves (飞地, issue 37): the layer cites known sources and resolves its codes, `check`
refuses an enclave in its own county, a user's file replaces or adds to the layer, and the
pairing maps (HTML and static), the profile and `shanhai enclaves` show them."""

import json
import re
import shutil

import pandas as pd
import pytest

import geo
from geo.tables import KINDS, STATUSES, read_enclaves

from .conftest import ROOT, open_page, run_cli, write_csv

HEADER = ["飞地名称", "飞地类型", "受益县", "所在县", "启用年份", "状态", "可信度", "来源"]


@pytest.fixture(scope="module")
def layer():
    return read_enclaves()


def _check(*args):
    r = run_cli("check", *args, "--format", "json")
    assert "Traceback" not in r.stderr
    return r.returncode, json.loads(r.stdout)["problems"]


# ---------------------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------------------


def test_every_enclave_cites_a_known_source_and_its_codes_resolve(layer, registry, atlas):
    assert layer.errors == []
    t = layer.table
    assert len(t) >= 20 and t["id"].is_unique
    assert set(t["kind"]) <= set(KINDS) and set(t["status"]) <= set(STATUSES)
    for _, r in t.iterrows():
        ids = [i for i in r["source"].split(";") if i]
        assert ids and all(i in atlas.sources for i in ids), (r["name"], ids)
        assert r["beneficiary_code"] in registry.mountain_codes, r["name"]
        assert r["beneficiary"] == registry.counties[r["beneficiary_code"]].name
        if r["host_code"]:  # a county, never the beneficiary itself
            assert r["host"] == registry.counties[r["host_code"]].name and r["host_code"] != r["beneficiary_code"]
        else:  # a functional zone, kept with its city
            assert r["host_city_code"] in registry.cities and r["host_en"], r["name"]
        assert r["confidence"] in ("high", "medium", "low")
    # the enclaves' sources are counted as cited facts, and none is left unresolved
    from geo.sources import cited_ids, unresolved

    assert unresolved(atlas) == []
    assert all(cited_ids(atlas).get(i) for cell in t["source"] for i in cell.split(";"))


def test_confidence_follows_the_rule(atlas):
    from geo.sources import RANK, allowed_confidence

    for _, r in atlas.enclaves.iterrows():
        allowed = allowed_confidence(r["source"].split(";"), atlas.sources) or "low"
        assert RANK[r["confidence"]] <= RANK[allowed], (r["name"], r["confidence"], allowed)
        if RANK[r["confidence"]] < RANK[allowed]:  # rated below its sources: the notes say why
            assert "可信度" in r["note"] and "hence" in r["note_en"], r["name"]
    assert (atlas.enclaves["confidence"] == "high").sum() == 3


def test_atlas_enclaves_are_points_in_their_host(atlas):
    e = atlas.enclaves
    assert e.crs.to_epsg() == 4326 and (e.geom_type == "Point").all() and len(e) >= 20
    from geo.tables import ENCLAVE_COLUMNS

    assert list(e.columns) == [*ENCLAVE_COLUMNS, "location", "in_edition", "geometry"]
    counties = atlas.counties.set_index("code").geometry
    for _, r in e.iterrows():
        if r["location"] == "county":  # the host's representative point lies in the host
            assert counties[r["host_code"]].contains(r.geometry), r["name"]
        else:  # a functional zone: its city's point, in one of the city's counties
            assert r["location"] == "city" and not r["host_code"]
            city = atlas.counties[atlas.counties["code"].str[:4] == r["host_city_code"]]
            assert city.geometry.contains(r.geometry).any(), r["name"]
    assert set(e["location"]) <= {"county", "city", "site"}
    assert e["in_edition"].all()  # every beneficiary is one of the 2021 list's 26


# ---------------------------------------------------------------------------------------
# a user's file
# ---------------------------------------------------------------------------------------


def test_check_refuses_an_enclave_in_its_own_county(tmp_path):
    same = write_csv(tmp_path / "飞地.csv", HEADER, [["景宁科创飞地", "科创飞地", "景宁", "景宁", "2022", "已运营",
                                                      "low", "https://example.com/a.html"]])  # fmt: skip
    rc, problems = _check(same)
    errors = [p for p in problems if p["severity"] == "error"]
    assert rc == 1 and len(errors) == 1, problems
    assert errors[0]["column"] == "host" and "both the beneficiary and the host" in errors[0]["what"]
    assert errors[0]["where"] == "row 2" and errors[0]["fix"]
    with pytest.raises(geo.DataLayerError, match="both the beneficiary and the host"):
        geo.load_atlas(enclaves=same)
    # swapped columns: the beneficiary must be a mountain county
    swapped = write_csv(
        tmp_path / "swapped.csv", HEADER, [["x", "产业飞地", "鄞州", "衢江", "", "", "", "yinzhou-2023-xbfd-gov"]]
    )
    rc, problems = _check(swapped)
    assert rc == 1 and [p["column"] for p in problems if p["severity"] == "error"] == ["beneficiary"]


def test_check_knows_an_enclaves_file_and_its_other_errors(tmp_path):
    from geo.tables import detect_table_kind

    good = write_csv(tmp_path / "mine.csv", HEADER, [["庆元在南浔的飞地", "产业飞地", "庆元", "南浔", "2023", "在建", "low",
                                                      "https://example.com/b.html"]])  # fmt: skip
    assert detect_table_kind(good) == "enclaves"
    rc, problems = _check(good)
    assert rc == 0, problems
    bad = write_csv(
        tmp_path / "bad.csv",
        [*HEADER, "经度", "纬度"],
        [["a", "飞船", "庆元", "南浔", "", "", "", "https://example.com/c.html", "", ""],  # unknown kind
         ["b", "产业飞地", "庆元", "南浔", "", "", "", "https://example.com/d.html", "120.1", "30.8"],  # no location source
         ["c", "产业飞地", "庆元", "南浔", "", "", "", "", "", ""]],  # no source
    )  # fmt: skip
    rc, problems = _check(bad)
    cols = sorted(p["column"] for p in problems if p["severity"] == "error")
    assert rc == 1 and cols == ["kind", "location_source", "source"], problems


def test_a_users_enclaves_replace_or_add_to_the_layer(tmp_path, atlas):
    f = write_csv(tmp_path / "e.csv", HEADER, [["庆元在南浔的飞地", "产业飞地", "庆元", "南浔", "2023", "在建", "low",
                                                "https://example.com/b.html"]])  # fmt: skip
    mine = geo.load_atlas(enclaves=f)
    assert list(mine.enclaves["name"]) == ["庆元在南浔的飞地"] and mine.enclaves["host_code"].iloc[0] == "330503"
    both = geo.load_atlas(enclaves=f, merge=True)
    assert len(both.enclaves) == len(atlas.enclaves) + 1
    # the same key (beneficiary, host, name) replaces the built-in row
    again = write_csv(tmp_path / "again.csv", HEADER, [["鄞衢产业飞地", "产业飞地", "衢江", "鄞州", "2024", "已运营", "low",
                                                        "https://example.com/e.html"]])  # fmt: skip
    merged = geo.load_atlas(enclaves=again, merge=True)
    row = merged.enclaves[merged.enclaves["name"] == "鄞衢产业飞地"]
    assert len(merged.enclaves) == len(atlas.enclaves) and list(row["opened"]) == ["2024"]


# ---------------------------------------------------------------------------------------
# shanhai enclaves
# ---------------------------------------------------------------------------------------


def test_enclaves_command_filters_and_formats(atlas):
    r = run_cli("enclaves", "--county", "鄞州", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = pd.read_csv(pd.io.common.StringIO(r.stdout), dtype=str, keep_default_na=False)
    assert len(rows) == 3 and set(rows["host"]) == {"鄞州区"} and set(rows["beneficiary"]) == {"衢江区"}
    assert {"source", "confidence", "location"} <= set(rows.columns)
    r = run_cli("enclaves", "--county", "淳安", "--kind", "science", "--format", "json")
    data = json.loads(r.stdout)
    assert [d["name"] for d in data] == ["西斗门“科创飞地”"] and data[0]["beneficiary_code"] == "330127"
    r = run_cli("enclaves")
    n = len(atlas.enclaves)
    assert r.returncode == 0 and f"{n} enclave(s)" in r.stdout and "location: county" in r.stdout
    assert run_cli("enclaves", "--county", "不存在县").returncode == 2


# ---------------------------------------------------------------------------------------
# the maps and the profile
# ---------------------------------------------------------------------------------------


def _enclave_layer(theme):
    [layer] = [ly for ly in theme.layers if ly.kind == "points"]
    return layer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pairing_theme_has_the_enclaves_by_kind(atlas, lang):
    from geo.themes import build_theme

    layer = _enclave_layer(build_theme(atlas, "pairing", lang))
    assert len(layer.data) == len(atlas.enclaves)
    assert [it.kind for it in layer.legend.items] == ["point"] * 4
    assert len({it.shape for it in layer.legend.items}) == 4
    assert sum(it.count for it in layer.legend.items) == len(atlas.enclaves)
    # the popup says whose enclave it is and where the point is drawn
    i = list(atlas.enclaves["id"]).index("qujiang-yinzhou-village")
    popup = " ".join(line for _, lines in layer.data["popup"].iloc[i] for line, _ in lines)
    whose, where = ("衢江区的消薄飞地", "鄞州区代表点旁") if lang == "zh" else ("Qujiang's village-income", "Yinzhou's")
    assert whose in popup and where in popup, popup
    # a marker sits in its host county (beside the label, within the county)
    counties = atlas.counties.set_index("code").geometry
    pts = layer.data[layer.data["host_code"] != ""]
    inside = [counties[h].contains(p) for h, p in zip(pts["host_code"], pts.geometry, strict=True)]
    assert all(inside), list(pts.loc[[not x for x in inside], "name"])


def test_a_hosts_insets_are_made_once_per_shape():
    import importlib

    import shapely

    pairing = importlib.import_module("geo.themes.pairing")  # the module, not geo.themes.pairing()
    big, small = shapely.box(120, 28, 120.5, 28.4), shapely.box(121, 29, 121.03, 29.03)
    first = pairing._insets(big)
    assert [round(a.area, 6) for a in first] == [round(0.46 * 0.36, 6), round(0.48 * 0.38, 6), 0.2]
    assert pairing._insets(shapely.box(120, 28, 120.5, 28.4)) is first  # the same shape: remembered
    assert [a.equals(small) for a in pairing._insets(small)] == [False, True]  # 0.02 inward leaves nothing
    assert pairing._insets(None) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_static_pairing_map_draws_the_enclaves(static_map, atlas, lang):
    fig = static_map("pairing", lang=lang)
    scatters = [c for c in fig.axes[0].collections if str(c.get_label()).startswith("_points_")]
    assert sum(len(c.get_offsets()) for c in scatters) == len(atlas.enclaves)
    assert len(scatters) == 4  # a shape per kind
    legend = " ".join(t.get_text() for leg in [*fig.legends, *(a.get_legend() for a in fig.axes)] if leg
                      for t in leg.get_texts())  # fmt: skip
    for word in (
        ("产业飞地", "科创飞地", "消薄飞地") if lang == "zh" else ("industrial enclave", "science-and-innovation")
    ):
        assert word in legend.replace("\n", " "), word


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pairing_page_shows_the_enclaves_with_a_toggle(browser, theme_pages, atlas, lang):
    page, errors, _ = open_page(browser, theme_pages["pairing", lang])
    try:
        n = len(atlas.enclaves)
        assert page.locator(".shanhai-marker").count() == n
        name = "山海协作飞地" if lang == "zh" else "Mountain–coast enclaves"
        toggle = page.locator(".leaflet-control-layers label", has_text=name)
        assert toggle.count() == 1
        toggle.locator("input").uncheck()
        assert page.locator(".shanhai-marker").count() == 0
        toggle.locator("input").check()
        assert page.locator(".shanhai-marker").count() == n
        # the popup names whose enclave it is
        i = list(atlas.enclaves["id"]).index("kaihua-binhai-industrial")
        page.locator(".shanhai-marker").nth(i).click()
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert ("开化县的产业飞地" if lang == "zh" else "Kaihua's industrial enclave") in popup, popup
        assert ("绍兴市代表点旁" if lang == "zh" else "Shaoxing's representative point") in popup, popup
        # the legend lists the four kinds with their markers
        legend = page.locator(".shanhai-legend").inner_text()
        assert ("消薄飞地" if lang == "zh" else "village-income enclave") in legend
        assert page.locator(".shanhai-legend .mk svg").count() == 4
        assert errors == []
    finally:
        page.close()


def test_county_record_lists_enclaves_as_beneficiary_and_host(atlas):
    rec = geo.county_record(atlas, "衢江")
    assert [e["role"] for e in rec.enclaves] == ["beneficiary"] * 3 and {e["other"] for e in rec.enclaves} == {"鄞州区"}
    host = geo.county_record(atlas, "鄞州", "en")
    assert [e["role"] for e in host.enclaves] == ["host"] * 3 and host.enclaves[0]["other"] == "Qujiang"
    assert "yinzhou-2023-xbfd-gov" in host.source_ids
    assert geo.county_record(atlas, "景宁").enclaves == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("county, lang", [("淳安", "zh"), ("鄞州", "en")])
def test_printed_profile_lists_the_enclaves_whole(atlas, tmp_path, county, lang):
    from geo.products.profile import profile_pages, save_profile

    from .conftest import geometry_hidden
    from .pdfwords import cut, off_page, text, words

    pages = profile_pages(atlas, county, lang=lang)
    path = tmp_path / "p.pdf"
    with geometry_hidden(pages):
        save_profile(pages, path)
    found = words(path)
    assert off_page(found) == [] and cut(found) == []
    flat = re.sub(r"\s+", "", text(found))
    rec = geo.county_record(atlas, county, lang)
    assert rec.enclaves
    heading = "山海协作飞地" if lang == "zh" else "Mountain–coastenclaves"
    assert heading in flat
    for e in rec.enclaves:  # each enclave's line whole, wrapped or not
        assert re.sub(r"\s+", "", e["line"]) in flat, e["line"]


# ---------------------------------------------------------------------------------------
# the docs' totals table
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_docs_totals_table_is_the_layers_counts(atlas, edition):
    from geo.tables.enclaves import enclave_totals

    page = (ROOT / "docs" / "pages" / "guide" / f"enclaves.{edition}.md").read_text(encoding="utf-8")
    totals = enclave_totals(atlas.enclaves, atlas.registry)
    assert len(totals) >= 2
    for _, t in totals.iterrows():
        [row] = [ln for ln in page.splitlines() if ln.startswith(f"| {t['as_of']} |")]
        cells = [c.strip() for c in row.strip("|").split("|")]
        dash = lambda v: v or "—"  # noqa: E731
        assert cells[2] == t["total"]
        assert cells[3] == f"{dash(t['industrial'])} / {dash(t['science'])} / {dash(t['village_income'])}"
        assert cells[4:7] == [str(t["layer"]), str(t["undated"]),
                              f"{t['layer_industrial']} / {t['layer_science']} / {t['layer_village_income']}"]  # fmt: skip
        assert cells[7] == f"{t['share']:.0%}" and f"`{t['source']}`" in cells[8]
    # the README's summary says the same, and each edition of the page
    n = len(atlas.enclaves)
    assert (f"**{n} enclaves**" if edition == "en" else f"**{n}块飞地**") in page
    assert f"{n} cited enclaves" in (ROOT / "README.md").read_text(encoding="utf-8")
