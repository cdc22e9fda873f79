"""HTML maps: offline, deterministic, escaped, and checked in headless Chromium: every theme page
(zh, en) opened once for axe, the language audit and a visitor's hover, click and search."""

import json
import re

import pytest
from playwright.sync_api import expect

import geo
from geo.html import page_html, render_html, save_html

from .conftest import (
    LANGS,
    NEXT_FRAMES,
    PAGE_THEMES,
    ROOT,
    center_of,
    fill_of,
    open_page,
    pages_in_turn,
    settled,
    write_csv,
)

THEMES = ["overview", "pairing", "policy", "status", "atlas"]
SHOTS = ROOT / "output" / "screenshots"


@pytest.fixture(scope="module")
def pages(theme_pages):
    return {t: theme_pages[t, "zh"] for t in THEMES}


def test_no_external_script_style_or_font(pages):
    for theme, path in pages.items():
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", page), theme
        assert not re.search(r"<link[^>]*\bhref=", page), theme
        assert not re.search(r"@import|url\(\s*['\"]?https?:", page), theme
        assert not re.search(r"@font-face", page), theme


def test_leaflet_keeps_its_licence_in_every_page(pages):
    from geo.notices import LEAFLET_CONDITIONS

    for theme, path in pages.items():
        page = path.read_text(encoding="utf-8")
        # the library's own header, then its licence's conditions, at the start of its script
        head = re.search(r"<script>(/\* @preserve\n \* Leaflet (\d+\.\d+\.\d+), .*?\*/)\n/\*\n(.*?)\*/\n", page, re.S)
        assert head, theme
        assert "(c) 2010-2022 Vladimir Agafonkin, (c) 2010-2011 CloudMade" in head.group(1), theme
        assert head.group(3) == LEAFLET_CONDITIONS, theme
        assert page.count("@preserve") == 1, theme


def test_same_input_same_bytes(atlas, pages):
    again = page_html(render_html(atlas, "overview"))
    assert again == pages["overview"].read_text(encoding="utf-8")


def test_county_text_is_escaped(tmp_path):
    note = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>'
    f = write_csv(tmp_path / "s.csv", ["县", "称号", "来源", "备注"], [["景宁", note, "http://x", note]])
    a = geo.load_atlas(status=f)
    page = page_html(render_html(a, "status"))
    assert "<img src=x" not in page and "<script>window.hacked" not in page
    assert "&lt;img src=x onerror=" in page


def _first_vertex(page):
    geo_js = re.search(r"var shanhaiGeo = shanhaiDecode\((.*?)\);\n", page, re.S).group(1)
    feats = json.loads(geo_js)
    f = next(f for f in feats if f[0] == "331127")
    ring = f[1][1][0][0] if f[1][0] == 3 else f[1][1][0]
    return ring[0] / 1e4, ring[1] / 1e4


def test_gaode_tiles_shift_data_to_gcj02(atlas, pages):
    from geo.datum import wgs84_to_gcj02

    plain = pages["overview"].read_text(encoding="utf-8")  # render_html(atlas, "overview")'s page
    gaode = page_html(render_html(atlas, "overview", tiles="gaode"))
    osm = page_html(render_html(atlas, "overview", tiles="osm"))
    x0, y0 = _first_vertex(plain)
    x1, y1 = _first_vertex(gaode)
    ex, ey = wgs84_to_gcj02(x0, y0)
    assert abs(x1 - ex) < 2e-4 and abs(y1 - ey) < 2e-4 and abs(x1 - x0) > 3e-3
    assert _first_vertex(osm) == (x0, y0)
    assert "autonavi.com" in gaode and "tile.openstreetmap.org" in osm


def test_tianditu_needs_key(atlas):
    with pytest.raises(geo.RenderError, match="`tianditu_key`"):
        render_html(atlas, "overview", tiles="tianditu")
    page = page_html(render_html(atlas, "overview", tiles="tianditu", tianditu_key="abc123"))
    assert "tk=abc123" in page


def test_english_page(theme_pages):
    page = theme_pages["pairing", "en"].read_text(encoding="utf-8")  # render_html(atlas, "pairing", lang="en")
    assert "Jingning" in page and "Mountain–coast pairing" in page


def test_returns_folium_map_for_notebooks(atlas):
    import folium

    m = geo.render_html(atlas, "overview")
    assert isinstance(m, folium.Map) and "景宁" in m._repr_html_()


# ---------------------------------------------------------------------------------------
# in a real browser
# ---------------------------------------------------------------------------------------


def expected_paths(atlas, theme):
    from geo.themes import build_theme

    if theme == "atlas":
        th = build_theme(atlas, "overview")
        return sum(len(ly.data) for ly in th.layers if ly.show and ly.interactive)
    th = build_theme(atlas, theme)
    n = 0
    for ly in th.layers:
        if ly.show and ly.interactive and ly.kind != "points":  # a point is a marker, not a path
            n += len(ly.data) * (2 if ly.arrows else 1)
    return n


def expected_markers(atlas, theme):
    from geo.themes import build_theme

    th = build_theme(atlas, "overview" if theme == "atlas" else theme)
    return sum(len(ly.data) for ly in th.layers if ly.show and ly.kind == "points")


@pytest.fixture(scope="module")
def visits(browser, theme_pages):
    """Every theme page (zh, en) opened once: the words a reader meets (the page's text, every
    tooltip, popup and search entry) and axe's findings on the page as it opened; then, on
    the Chinese pages of :data:`THEMES`, a visitor's hover, click and search, and a
    screenshot. {(theme, lang): facts}"""
    from .a11y import axe_violations, describe
    from .language import PAGE_TEXT_JS

    SHOTS.mkdir(parents=True, exist_ok=True)
    out = {}
    paths = {(theme, lang): theme_pages[theme, lang] for lang in LANGS for theme in PAGE_THEMES}
    for (theme, lang), page, errors, blocked in pages_in_turn(browser, paths):
        got = out[theme, lang] = {}
        got["text"] = page.evaluate(PAGE_TEXT_JS)
        got["axe"] = describe(axe_violations(page))
        if lang == "zh" and theme in THEMES:
            got.update(_visit(page, theme))
        page.evaluate(NEXT_FRAMES)
        got["errors"], got["blocked"] = list(errors), list(blocked)
    return out


def _visit(page, theme) -> dict:
    """What a visitor meets on a theme page: its parts, 庆元's tooltip (hover) and popup
    (click), the search for 景宁; the page shot at a fixed view."""
    loc = page.locator
    got = {
        "paths": loc("path.leaflet-interactive").count(),
        "markers": loc(".shanhai-marker").count(),
        "layer controls": loc(".leaflet-control-layers").count(),
        "legend sections": loc(".shanhai-legend section:visible").count(),
        "search and fullscreen": (loc(".shanhai-search input").count(), loc(".shanhai-fullscreen").count()),
    }
    x, y = center_of(page, "331126")  # 庆元县
    page.mouse.move(x, y)
    tip = loc(".leaflet-tooltip")
    tip.wait_for(timeout=3000)
    got["tooltip"] = tip.inner_text()
    page.mouse.click(x, y)
    pop = loc(".leaflet-popup-content")
    pop.wait_for(timeout=3000)
    got["popup"] = pop.inner_text()
    loc(".shanhai-search input").fill("景宁")
    loc(".shanhai-search input").press("Enter")
    expect(loc(".leaflet-popup-content")).to_have_count(1)  # 庆元's has faded out
    expect(loc(".leaflet-popup-content")).to_contain_text("景宁畲族自治县")
    got["found"] = loc(".leaflet-popup-content").inner_text()
    page.evaluate("void window.shanhaiMap.closePopup()")
    page.evaluate("void window.shanhaiMap.setView([28.9, 120.3], 7.25, {animate: false})")
    settled(page)
    page.screenshot(path=str(SHOTS / f"{theme}.png"))
    return got


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_page_in_chromium(visits, atlas, theme):
    got = visits[theme, "zh"]
    assert got["paths"] == expected_paths(atlas, theme)
    assert got["markers"] == expected_markers(atlas, theme)
    assert got["layer controls"] == 1 and got["legend sections"] >= 2
    assert got["search and fullscreen"] == (1, 1)
    # hover: tooltip with name, city, membership, partners; click: popup with sources
    assert "庆元县" in got["tooltip"] and "丽水市" in got["tooltip"]
    assert "庆元县" in got["popup"]
    assert "景宁畲族自治县" in got["found"]  # the search box
    assert got["errors"] == [] and got["blocked"] == []


@pytest.mark.slow
def test_the_browser_itself_shows_what_the_tests_read(browser, pages):
    """The tests read the pages in Chromium's headless shell (conftest.BROWSERS); a planner
    opens them in the browser itself. Both show a page alike: the same words, and shots that
    differ in a few glyphs at most (the shell draws the search box's "…" from another font)."""
    import io

    import numpy as np
    from PIL import Image

    from .conftest import CHROMIUM_ARGS, Chromium, chromium_path
    from .language import PAGE_TEXT_JS

    full = browser.browser.browser_type.launch(executable_path=chromium_path("chromium"), args=CHROMIUM_ARGS)
    seen = {}
    try:
        for name, where in (("shell", browser), ("browser", Chromium(full))):
            page, errors, blocked = open_page(where, pages["pairing"])
            try:
                shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))
                seen[name] = (page.evaluate(PAGE_TEXT_JS), shot, errors + blocked)
            finally:
                page.close()
    finally:
        full.close()
    (text, shot, problems), (text_full, shot_full, problems_full) = seen["shell"], seen["browser"]
    assert problems == problems_full == []
    assert "山海协作结对关系" in text and text == text_full
    assert shot.shape == shot_full.shape
    differ = (shot != shot_full).any(axis=2)
    assert differ.mean() < 0.005, f"{differ.sum()} pixels differ"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_theme_pages_pass_axe_and_speak_one_language(visits, lang):
    # one visit per page for the two audits of what a reader meets: axe (tests/a11y.py), and
    # the words in the page's language alone (tests/language.py: no English word outside the
    # allow-list in Chinese, no Han in English); and no page says an error
    from .language import audit

    found = {theme: visits[theme, lang]["axe"] for theme in PAGE_THEMES if visits[theme, lang]["axe"]}
    assert found == {}, "\n".join(f"{t}.html ({lang}):\n{v}" for t, v in found.items())
    for theme in PAGE_THEMES:
        text = visits[theme, lang]["text"]
        assert len(text) > 2000, theme
        audit(text, lang, f"{theme}.html ({lang})")
        assert visits[theme, lang]["errors"] == [] and visits[theme, lang]["blocked"] == [], theme


@pytest.mark.slow
def test_popup_lists_clauses_and_sources(browser, pages):
    page, errors, _ = open_page(browser, pages["policy"])
    try:
        x, y = center_of(page, "331125")  # 云和县
        page.mouse.click(x, y)
        text = page.locator(".leaflet-popup-content").inner_text()
        assert "第23条" in text and "AQHI" in text and "海曙" not in text
        assert page.locator(".leaflet-popup-content a[href^='http']").count() >= 1
        # the per-document toggle swaps the legend
        page.evaluate("void window.shanhaiMap.closePopup()")
        page.locator(".leaflet-control-layers label", has_text="共同富裕工作动态").first.click()
        expect(page.locator(".shanhai-legend")).to_contain_text("共同富裕工作动态")
        assert errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_malicious_note_never_runs(browser, tmp_path):
    note = '<img src=x onerror="window.hacked=1;alert(1)">'
    f = write_csv(tmp_path / "s.csv", ["县", "称号", "来源", "备注"], [["庆元", note, "http://x", "x"]])
    a = geo.load_atlas(status=f)
    path = save_html(render_html(a, "status"), tmp_path / "evil.html")
    page, errors, _ = open_page(browser, path)
    try:
        x, y = center_of(page, "331126")
        page.mouse.click(x, y)
        page.locator(".leaflet-popup-content").wait_for()
        assert "<img src=x" in page.locator(".leaflet-popup-content").inner_text()
        assert page.evaluate("window.hacked") is None
        assert errors == []
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# the view, links to a county, the atlas page's theme control, printing
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def land(atlas):
    import shapely

    return shapely.union_all(atlas.counties.geometry.values)


def _points_in(page, rect, n=12):
    """A grid of container points over a page element's rectangle, as lon/lat."""
    return page.evaluate(
        """([r, n]) => { var m = window.shanhaiMap, c = m.getContainer().getBoundingClientRect(), out = [];
        for (var i = 0; i <= n; i++) for (var j = 0; j <= n; j++) {
          var ll = m.containerPointToLatLng([r.x - c.left + r.width * i / n, r.y - c.top + r.height * j / n]);
          out.push([ll.lng, ll.lat]); }
        return out; }""",
        [rect, n],
    )


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [(1200, 800), (390, 844)], ids=["desktop", "phone"])
def test_view_fills_the_screen_and_chrome_leaves_land_free(browser, pages, land, viewport):
    import shapely

    page, errors, _ = open_page(browser, pages["pairing"], viewport=viewport)
    try:
        assert page.evaluate("window.shanhaiMap.options.zoomSnap") < 0.25
        # the province's height on screen
        top, bottom = page.evaluate(
            """() => { var m = window.shanhaiMap, b = L.latLngBounds([[27.0, 118.0], [31.2, 122.9]]);
            return [m.latLngToContainerPoint(b.getNorthWest()).y, m.latLngToContainerPoint(b.getSouthEast()).y]; }"""
        )
        share = (bottom - top) / viewport[1]
        assert share > (0.8 if viewport[0] > 600 else 0.35), share
        legend = ".shanhai-legend" if viewport[0] > 600 else ".shanhai-legend-toggle"
        for sel in (".shanhai-title", legend):
            rect = page.locator(sel).bounding_box()
            pts = shapely.points(_points_in(page, rect))
            assert not shapely.intersects(pts, land).any(), (sel, viewport)
        page.screenshot(path=str(SHOTS / f"pairing-{viewport[0]}x{viewport[1]}.png"))
        assert errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_phone_controls_stand_apart(browser, pages):
    # 390 px wide, the status page (a year slider): the legend's button can be pressed (the
    # slider once covered it), and the open legend, the slider, the button and the source
    # line never overlap
    page, errors, _ = open_page(browser, pages["status"], viewport=(390, 844))
    try:
        page.locator(".shanhai-legend-toggle").click(timeout=3000)
        names = (".shanhai-legend", ".shanhai-years", ".shanhai-legend-toggle", ".shanhai-source")
        boxes = {n: page.locator(n).bounding_box() for n in names}
        assert all(b and b["width"] > 0 for b in boxes.values()), boxes
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                p, q = boxes[a], boxes[b]
                apart = (p["x"] + p["width"] <= q["x"] or q["x"] + q["width"] <= p["x"]
                         or p["y"] + p["height"] <= q["y"] or q["y"] + q["height"] <= p["y"])  # fmt: skip
                assert apart, (a, b, p, q)
        assert all(boxes[n]["y"] + boxes[n]["height"] <= 844 for n in names)
        assert errors == []
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["景宁", "331127"])
def test_link_to_a_county(browser, pages, target):
    from urllib.parse import quote

    page, errors, _ = open_page(browser, pages["pairing"].as_uri() + "#" + quote(target))
    try:
        pop = page.locator(".leaflet-popup-content")
        pop.wait_for(timeout=3000)
        assert "景宁畲族自治县" in pop.inner_text()
        assert page.evaluate("window.shanhaiMap.getZoom()") >= 9
        link = page.locator(".shanhai-link input").input_value()
        assert link.endswith("pairing.html#" + quote("景宁"))
        button = page.locator(".shanhai-link button")
        button.click()
        page.wait_for_function("document.querySelector('.shanhai-link button').textContent === '已复制'")
        assert errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_atlas_switches_themes_with_one_control(browser, pages, atlas):
    page, errors, _ = open_page(browser, pages["atlas"], viewport=(1200, 800))
    try:
        control = page.locator(".shanhai-themes")
        assert control.locator("input[type=radio][name$=_theme]").count() == 5  # overview … change
        before = fill_of(page, "331125")
        control.locator("label.shanhai-theme", has_text="政策条款覆盖").click()
        expect(page.locator(".shanhai-legend")).to_contain_text("针对该县的条款数")
        # the policy theme's layers underneath: one radio per document (and all documents)
        assert control.locator(".shanhai-theme-layers input[type=radio]").count() == 4
        assert "针对该县的条款数" in page.locator(".shanhai-legend").inner_text()
        assert "山区26县（按所属设区市）" not in page.locator(".shanhai-legend").inner_text()
        assert page.locator("path.leaflet-interactive").count() == 90
        assert fill_of(page, "331125") not in (None, before)  # 云和 now classed by clauses, not by city
        control.locator("label", has_text="共同富裕工作动态").click()
        expect(page.locator(".shanhai-legend")).to_contain_text("共同富裕工作动态")
        page.screenshot(path=str(SHOTS / "atlas-policy.png"))
        assert errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_print_is_one_page(browser, pages, tmp_path):
    import subprocess

    page, errors, _ = open_page(browser, pages["pairing"], viewport=(1200, 800))
    try:
        pdf = tmp_path / "print.pdf"
        page.pdf(path=str(pdf), landscape=True, format="A4", print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
        txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "山海协作结对关系" in txt and "无已查证结对县" in txt and "杭州市" in txt
        assert errors == []
    finally:
        page.close()


def test_choropleth_of_any_polygons(boundaries, tmp_path):
    from geo.html import choropleth_html

    g = boundaries.assign(area=boundaries.to_crs("EPSG:4549").area / 1e6)
    page = page_html(choropleth_html(g, "area", title="面积"))
    assert (
        "面积" in page
        and "90 个区域" in page
        and "90 polygons" not in page
        and not re.search(r"<script[^>]*\bsrc=", page)
    )


def test_extra_html_is_placed_as_given(atlas):
    # the caller's HTML after the map's elements, template syntax included (never run as one)
    extra = '<p class="mark">A {{ 7*7 }} B {% if x %}{# c</p>'
    page = page_html(render_html(atlas, "overview", extra_html=extra))
    assert extra in page and "A 49 B" not in page
