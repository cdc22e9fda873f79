"""The offline site: size, determinism, and a person's visit in Chromium with no network (the
county pages it opens pass axe and speak Chinese alone; the index's audit is in tests/test_a11y.py)."""

import html
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

import geo
from geo.products.site import build_site

from .conftest import COUNTY_PAGES, NEXT_FRAMES, ROOT, center_of, open_page, pages_in_turn, run_cli, settled

SHOTS = ROOT / "output" / "screenshots"


def test_site_files_and_size(site, atlas):
    out, info = site
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert "index.html" in names and len([n for n in names if n.startswith("county-")]) == 26
    assets = {"leaflet.js", "data.js", "page.js", "site.js", "county-map.js"}
    assert {p.name for p in (out / "assets").iterdir()} >= assets
    assert info["bytes"] <= 3_000_000, info["bytes"]
    for page in out.glob("*.html"):
        if page.name == "sources.html":  # a page of text, no map
            continue
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)[^>]*(src|href)=\"https?:", text), page.name  # nothing from a network
        # the geometry comes from assets/data.js, once; a county page's map script is shared too
        shared = text if not page.name.startswith("county-") else (out / "assets" / "county-map.js").read_text()
        assert shared.count("shanhaiSiteGeo") == 1, page.name
        assert page.stat().st_size < (400_000 if page.name == "index.html" else 160_000), page.name
    jn = (out / "county-331127.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in jn and "景宁畲族自治县" in jn and 'shanhaiFocus = ["331127","330424","330604"]' in jn


def test_site_ships_its_notices(site):
    from geo.notices import LEAFLET_CONDITIONS

    out, info = site
    notice = (out / "NOTICE.txt").read_text(encoding="utf-8")
    for name in ("LICENSE", "THIRD_PARTY.md"):  # both, word for word, beside the copies they cover
        assert (ROOT / name).read_text(encoding="utf-8").strip() in notice, name
    assert out / "NOTICE.txt" in info["files"]
    leaflet = (out / "assets" / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet.startswith("/* @preserve\n * Leaflet ") and LEAFLET_CONDITIONS in leaflet[:3000]


def test_site_bytes_are_deterministic(site, atlas, tmp_path):
    out, _ = site
    again = tmp_path / "again"
    build_site(atlas, again)
    for p in out.rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (again / p.relative_to(out)).read_bytes(), p.name


@pytest.mark.slow
def test_a_site_of_some_counties(tmp_path):
    # a city's planner: the index lists their counties, with a page each and links to them only
    r = run_cli("site", "--county", "庆元,景宁", "--county", "331127", "-o", tmp_path / "s")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "s"
    assert sorted(p.name for p in out.glob("county-*.html")) == ["county-331126.html", "county-331127.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"county-\d{6}\.html", index))) == ["county-331126.html", "county-331127.html"]
    assert "庆元县" in index and "景宁畲族自治县" in index and "龙泉市</a>" not in index
    r = run_cli("site", "--county", "火星", "-o", tmp_path / "t")
    assert r.returncode == 2 and "火星" in r.stderr and not (tmp_path / "t").exists()


def test_focus_heading_names_every_partner(atlas):
    from geo.county import focus_heading

    # a functional zone (no county code) is a partner too
    assert focus_heading(atlas, "开化", "zh") == (
        "开化县：山海协作结对",
        "结对县：桐乡市（嘉兴市）、绍兴滨海新区（绍兴市）",
    )
    assert (
        focus_heading(atlas, "云和", "en")[1]
        == "partners: Beilun District (Ningbo), Wuxing District (Huzhou), 嘉兴港区 (Jiaxing)"
    )
    assert focus_heading(atlas, "永嘉", "zh")[1] == "无已查证结对县"


def test_visit_the_site(browser, site, atlas, tmp_path, county_pages):
    out, _ = site
    # from a zip extracted elsewhere, as a planner would receive it
    z = tmp_path / "site.zip"
    with zipfile.ZipFile(z, "w") as f:
        for p in out.rglob("*"):
            f.write(p, p.relative_to(out.parent))
    with zipfile.ZipFile(z) as f:
        f.extractall(tmp_path / "elsewhere")
    index = tmp_path / "elsewhere" / "site" / "index.html"
    page, errors, blocked = open_page(browser, index, viewport=(1200, 900))
    try:
        rows = page.locator("#shanhai-counties tbody tr")
        assert rows.count() == 26
        page.locator("#shanhai-counties th", has_text="2020年人口").click()  # ascending by population
        first = rows.first.locator("td").first.inner_text()
        page.locator("#shanhai-counties th", has_text="2020年人口").click()  # descending
        assert rows.first.locator("td").first.inner_text() != first
        page.locator("#shanhai-filter").fill("丽水")
        assert page.locator("#shanhai-counties tbody tr:visible").count() == 9
        page.locator("#shanhai-filter").fill("")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "site-index.png"))
        # a county's popup on the atlas map links to its profile, in view without scrolling
        # (the link once sat under 景宁's 27 clauses: Playwright's scroll into view moved the
        # map's own container, Leaflet reset it between mousedown and mouseup, the click missed)
        page.evaluate("window.scrollTo(0, 0)")  # back up from the table to the map
        x, y = center_of(page, "331127")
        page.mouse.click(x, y)
        link = page.locator(".leaflet-popup-content a.shanhai-profile")
        assert link.get_attribute("href") == "county-331127.html", page.locator(".leaflet-popup-content").inner_text()
        # the popup pans the map: click once it has come to rest
        settled(page)
        box = link.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900 and 0 <= box["x"] <= 1200 - box["width"], box
        with page.expect_navigation(url=re.compile(r"county-331127\.html$")):
            link.click()
        page.wait_for_function("window.shanhaiMap !== undefined")
        expect(page.locator(".shanhai-page h2")).to_contain_text("景宁畲族自治县")
        assert errors == [] and blocked == []
    finally:
        page.close()
    for code, name in COUNTY_PAGES.items():
        got = county_pages[code]
        assert got["drawn"] == got["focus"]  # the county and its partners are drawn
        # its own links stand out; every other link is dimmed
        links = got["links"]
        assert links and all((op > 0.5) == own for own, op, _ in links), links
        own_links = sum(own for own, _, marker in links if not marker)
        assert own_links == 2 * {"景宁": 2, "淳安": 1, "永嘉": 0}[name]  # line and arrowhead
        # its own enclaves' markers stand out too (淳安 has three; the others none in the layer)
        assert sum(own for own, _, marker in links if marker) == {"景宁": 0, "淳安": 3, "永嘉": 0}[name]
        heading = got["heading"]
        assert heading.startswith(geo.get_registry().county(name).name), heading
        assert {"景宁": "海盐县（嘉兴市）", "淳安": "西湖区（杭州市）", "永嘉": "无已查证结对县"}[name] in heading
        bounds = got["bounds"]
        c = atlas.counties.set_index("code").loc[code].geometry.representative_point()
        assert bounds[0] < c.x < bounds[2] and bounds[1] < c.y < bounds[3]  # the view holds the county
        assert got["errors"] == [] and got["blocked"] == [], code


@pytest.fixture(scope="module")
def county_pages(browser, site):
    """Each of :data:`COUNTY_PAGES` opened once as a planner does: what is drawn and how (the
    view, the heading, the links), a screenshot; then every tooltip and popup read for the
    language audit, then axe. {code: facts}"""
    from .a11y import axe_violations, describe
    from .language import PAGE_TEXT_JS

    out, _ = site
    seen = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    paths = {code: out / f"county-{code}.html" for code in COUNTY_PAGES}
    for code, page, errors, blocked in pages_in_turn(browser, paths, viewport=(1200, 900)):
        name = COUNTY_PAGES[code]
        page_text = (out / f"county-{code}.html").read_text(encoding="utf-8")
        focus = json.loads(re.search(r"shanhaiFocus = (\[[^\]]*\])", page_text).group(1))
        got = seen[code] = {"focus": focus}
        got["drawn"] = page.evaluate(
            """codes => codes.filter(function (c) { var hit = false;
              Object.values(window.shanhaiLayers).forEach(function (l) { if (!window.shanhaiMap.hasLayer(l) || !l.eachLayer) return;
                l.eachLayer(function (f) { if (f.feature && f.feature.id === c) hit = true; }); });
              return hit; })""",
            focus,
        )
        got["links"] = page.evaluate(
            """code => { var out = []; Object.values(window.shanhaiLayers).forEach(function (l) {
              if (!window.shanhaiMap.hasLayer(l) || !l.eachLayer) return;
              l.eachLayer(function (f) { var p = f.feature && f.feature.properties;
                if (p && p.ends) out.push([p.ends.indexOf(code) >= 0, f.options.opacity, !!f.getLatLng]); }); });
              return out; }""",
            code,
        )
        got["heading"] = page.locator(".shanhai-title").inner_text()
        got["bounds"] = page.evaluate(
            "(() => { var b = window.shanhaiMap.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
        )
        page.screenshot(path=str(SHOTS / f"site-{name}.png"))
        # the words a reader meets (every tooltip and popup opened), then axe (whose own
        # requests for the stylesheets the console speaks of: the errors are taken before)
        got["text"] = page.evaluate(PAGE_TEXT_JS)
        page.evaluate(NEXT_FRAMES)
        got["errors"], got["blocked"] = list(errors), list(blocked)
        got["axe"] = describe(axe_violations(page))
    return seen


def test_county_pages_pass_axe_and_speak_chinese(county_pages):
    # the index and sources.html are audited in tests/test_a11y.py with the theme pages
    from .language import audit

    for code, got in county_pages.items():
        assert got["axe"] == "", f"county-{code}.html:\n{got['axe']}"
        audit(got["text"], "zh", f"county-{code}.html")


def test_the_sources_page_speaks_chinese(site):
    # the index and county pages' words are read in the browser with their axe audit
    # (tests/test_a11y.py); this page has no script: its text is its markup's
    from .language import audit

    out, _ = site
    text = (out / "sources.html").read_text(encoding="utf-8")
    body = re.sub(r"<[^>]+>", " ", text.split("<body>")[1])
    audit(html.unescape(body), "zh", "sources.html")
    assert "生态环境部" in body and "浙江省生态环境厅" in body
