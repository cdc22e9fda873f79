"""Pages anyone can use: the site's index passes axe-core's WCAG 2.0/2.1 A and AA rules (so do
every theme page, zh and en, which also speak their language alone: opened once for that and
a visitor's checks in tests/test_html.py; and the site's county pages, in tests/test_site.py);
a keyboard reaches every control in order with a visible focus ring, finds a county and reads
its popup; the table view gives the map's facts as text; text over the map keeps its
contrast; the year player respects reduced motion.
Each page is rendered once per session (tests/conftest.py) and opened once per test."""

from __future__ import annotations

import re

import pytest

from .a11y import axe_violations, describe
from .conftest import COUNTY_PAGES, LANGS, ROOT, map_up, open_page, pages_in_turn
from .language import PAGE_TEXT_JS, audit

pytestmark = pytest.mark.slow
SHOTS = ROOT / "output" / "screenshots"

# what the focused element is, and whether a ring shows around it
_FOCUSED_JS = """() => { const e = document.activeElement, s = getComputedStyle(e);
  const name = e.getAttribute("aria-label") || e.title || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || "";
  return {tag: e.tagName.toLowerCase(), type: e.type || "", cls: String(e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className),
          name: name.trim().slice(0, 40), ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          inPopup: !!e.closest(".leaflet-popup"), inTable: !!e.closest(".shanhai-table")}; }"""


def _tab(page, n=60):
    """The Tab stops from the top of the page round to its end (at most ``n``)."""
    out = []
    for _ in range(n):
        page.keyboard.press("Tab")
        now = page.evaluate(_FOCUSED_JS)
        if now["tag"] == "body":
            break
        out.append(now)
    return out


def _no_violations(page, where):
    found = axe_violations(page)
    assert found == [], f"{where}:\n{describe(found)}"


# ---------------------------------------------------------------------------------------
# axe-core over every page
# ---------------------------------------------------------------------------------------


def _audit_pages(browser, paths, read=None, ready=map_up):
    """axe over pages opened one after another in one tab (network blocked); with ``read``
    (a script), what it returns on each page before axe runs: {name: that}."""
    read_out = {}
    for name, page, errors, _ in pages_in_turn(browser, paths, ready=ready):
        assert errors == [], (name, errors)
        if read:
            read_out[name] = page.evaluate(read)
        _no_violations(page, name)
    return read_out


def test_site_index_passes_axe_and_speaks_chinese(browser, site):
    # the county pages: with a planner's visit to them, in tests/test_site.py
    out, _ = site
    texts = _audit_pages(browser, {"index.html": out / "index.html"}, PAGE_TEXT_JS)
    for name, text in texts.items():
        audit(text, "zh", name)
    # no map (its words: test_site.py); the tab has loaded the page when it is handed over
    _audit_pages(browser, {"sources.html": out / "sources.html"}, ready=lambda page: None)


def test_every_page_is_titled_zoomable_and_in_its_language(theme_pages, site):
    for (theme, lang), path in theme_pages.items():
        text = path.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in head, (theme, lang)
        assert re.search(r"<title>[^<]{4,}</title>", head), (theme, lang)
        viewport = re.findall(r'<meta name="viewport"[^>]*>', head)
        assert viewport and not re.search(r"user-scalable\s*=\s*no|maximum-scale", viewport[0]), viewport
    out, _ = site
    titles = {c: re.search(r"<title>(.*?)</title>", (out / f"county-{c}.html").read_text(encoding="utf-8")).group(1)
              for c in COUNTY_PAGES}  # fmt: skip
    assert titles == {
        "331127": "景宁畲族自治县 · 一县一图",
        "330127": "淳安县 · 一县一图",
        "330324": "永嘉县 · 一县一图",
    }
    assert "<title>山区26县图集</title>" in (out / "index.html").read_text(encoding="utf-8")


def test_legend_swatches_say_what_they_show(theme_pages):
    from geo.html.encode import colour_name

    assert colour_name("#fdf0c4", "zh") == "浅黄色" and colour_name("#fdf0c4", "en") == "light yellow"
    assert colour_name("#332288", "en") == "blue" and colour_name("#ffffff", "zh") == "白色"
    for lang in LANGS:
        page = theme_pages["pairing", lang].read_text(encoding="utf-8")
        legend = page[page.index('class="shanhai-legend') : page.index('class="shanhai-source"')]
        swatches = re.findall(r'<span class="(?:sw|ln)[^"]*"[^>]*>', legend)
        labels = [re.search(r'role="img" aria-label="([^"]+)"', s) for s in swatches]
        assert len(swatches) > 10 and all(labels), swatches
        words = " ".join(m.group(1) for m in labels)
        assert (
            ("虚线" in words and "填色加斜线" in words)
            if lang == "zh"
            else ("dashed line" in words and "hatched" in words)
        )


# ---------------------------------------------------------------------------------------
# the keyboard
# ---------------------------------------------------------------------------------------


def test_keyboard_reaches_every_control_and_reads_a_county(browser, theme_pages):
    # the atlas page has them all: search, zoom, full screen, table view, theme switcher,
    # its layers, the year slider and its play button, the legend
    page, errors, _ = open_page(browser, theme_pages["atlas", "zh"], viewport=(1280, 860))
    try:
        stops = _tab(page)
        assert all(s["ring"] for s in stops), [s for s in stops if not s["ring"]]
        names = [s["name"] for s in stops]
        order = ["放大", "缩小", "搜索县名…", "全屏", "表格视图", "年份", "播放", "图例"]
        at = [next(i for i, n in enumerate(names) if want in n) for want in order]
        assert at == sorted(at), list(zip(order, at, strict=True))
        assert stops[0]["cls"].startswith("folium-map")  # the map itself first (arrow keys pan it)
        radios = [s for s in stops if s["type"] == "radio"]
        assert radios and radios[0]["name"] == "总览"  # one stop for the theme radios
        assert not any(s["tag"] == "path" for s in stops)  # no polygon in the way
        # the theme switcher by arrow keys: the theme changes and focus stays on it
        page.locator(".shanhai-theme input").first.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function("document.querySelector('.shanhai-theme input:checked').value === 'pairing'")
        now = page.evaluate(_FOCUSED_JS)
        assert now["type"] == "radio" and page.evaluate("document.activeElement.checked")
        assert page.locator(".shanhai-theme input:checked").evaluate("e => e.value") == "pairing"
        # search: choosing 景宁 opens its popup and moves focus into it; Escape closes it
        page.locator(".shanhai-search input").focus()
        page.keyboard.type("景宁")
        page.keyboard.press("Enter")
        page.wait_for_function("!!document.activeElement.closest('.leaflet-popup')")
        now = page.evaluate(_FOCUSED_JS)
        assert now["inPopup"] and now["ring"], now
        popup = page.locator(".leaflet-popup")
        assert popup.get_attribute("role") == "dialog"
        label = page.locator("#" + popup.get_attribute("aria-labelledby")).inner_text()
        assert label == "景宁畲族自治县"
        text = page.evaluate("document.activeElement.innerText")
        assert "2020年人口：111,011" in text and "海盐县" in text, text
        page.screenshot(path=str(SHOTS / "a11y-popup-focus.png"))
        page.keyboard.press("Escape")
        popup.wait_for(state="detached")
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "搜索县名…"
        assert errors == []
    finally:
        page.close()


def test_phone_legend_button_and_layer_control(browser, theme_pages):
    page, errors, _ = open_page(browser, theme_pages["pairing", "en"], viewport=(390, 844))
    try:
        stops = _tab(page)
        names = [s["name"] for s in stops]
        assert "Layers" in names and "Legend" in names and all(s["ring"] for s in stops), names
        while page.evaluate(_FOCUSED_JS)["name"] != "Legend":
            page.keyboard.press("Shift+Tab")
        toggle = page.locator(".shanhai-legend-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator(".shanhai-legend").is_visible()
        page.keyboard.press("Tab")  # the open legend follows its button
        assert page.evaluate("document.activeElement.classList.contains('shanhai-legend')")
        _no_violations(page, "pairing.html (en) on a phone, legend open")
        assert errors == []
    finally:
        page.close()


def test_reduced_motion_steps_the_years(browser, theme_pages):
    page, errors, _ = open_page(browser, theme_pages["status", "zh"], viewport=(1200, 800), clock=True)
    try:
        page.emulate_media(reduced_motion="reduce")
        play = page.locator(".shanhai-years button")
        out = page.locator(".shanhai-years output")
        play.click()
        assert "下一年" in play.inner_text()
        first = out.inner_text()
        page.clock.run_for(3000)  # three steps of the 900 ms timer, had it started
        assert out.inner_text() == first and first != "全部年份"
        play.click()
        assert int(out.inner_text()) > int(first)
        assert errors == []
    finally:
        page.close()


def test_index_table_sorts_from_the_keyboard(browser, site):
    out, _ = site
    page, errors, _ = open_page(browser, out / "index.html", viewport=(1200, 900))
    try:
        button = page.locator("#shanhai-counties th button", has_text="2020年人口")
        button.focus()
        assert page.evaluate(_FOCUSED_JS)["ring"]
        page.keyboard.press("Enter")
        th = page.locator("#shanhai-counties th", has_text="2020年人口")
        assert th.get_attribute("aria-sort") == "ascending"
        pops = page.locator("#shanhai-counties tbody td.num:last-child").evaluate_all(
            "cells => cells.map(c => +c.getAttribute('data-v'))"
        )
        assert pops == sorted(pops)
        page.keyboard.press("Space")
        assert th.get_attribute("aria-sort") == "descending"
        assert errors == []
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# the table view, contrast over the map
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_table_view_lists_the_counties(browser, theme_pages, atlas, lang):
    from geo.county import edition_order

    page, errors, _ = open_page(browser, theme_pages["pairing", lang])
    try:
        button = page.locator(".shanhai-table-toggle")
        button.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id").endswith("_table_h")  # focus on the table's heading
        assert button.get_attribute("aria-expanded") == "true"
        rows = page.locator(".shanhai-table tbody tr")
        names = rows.locator("th").all_inner_texts()
        reg = atlas.registry
        assert names == [
            reg.counties[c].name if lang == "zh" else reg.counties[c].name_en for c in edition_order(atlas)
        ]
        jingning = rows.nth(names.index("景宁畲族自治县" if lang == "zh" else "Jingning She Autonomous County"))
        cells = jingning.locator("td").all_inner_texts()
        if lang == "zh":
            assert cells[0] == "丽水市" and "结对县：海盐县、上虞区" in cells[1]
            assert "景宁畲族自治县 → 海盐县" in cells[2] and "2020年人口：111,011" in cells[2]
        else:
            assert cells[0] == "Lishui" and "Haiyan" in cells[1] and "Haiyan" in cells[2]
        assert jingning.locator("td .src a[href^='http']").count() >= 1  # the sources, as in the popup
        table_text = page.locator(".shanhai-table").inner_text()
        audit(table_text, lang, f"table view of pairing.html ({lang})")
        _no_violations(page, f"pairing.html ({lang}) with the table view open")
        if lang == "zh":
            page.keyboard.press("Tab")  # focus ring on the way back to the map
            page.screenshot(path=str(SHOTS / "a11y-table-view.png"))
        page.keyboard.press("Escape")
        assert page.locator(".shanhai-table").is_hidden()
        assert page.evaluate("document.activeElement.classList.contains('shanhai-table-toggle')")
        assert errors == []
    finally:
        page.close()


# every text over the map, against what lies under it: a box's own background composed over
# the worst case (black) where it is see-through, or, for a label, its halo
_CONTRAST_JS = """() => {
  const rgba = (s) => { const m = s.match(/[\\d.]+/g) || [0, 0, 0, 0]; return [+m[0], +m[1], +m[2], m[3] === undefined ? 1 : +m[3]]; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const map = window.shanhaiMap.getContainer(), out = [];
  map.querySelectorAll("*").forEach((el) => {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || el.closest(".shanhai-table, .leaflet-popup, svg")) return;
    const s = getComputedStyle(el); if (s.visibility === "hidden" || +s.opacity === 0) return;
    const fg = rgba(s.color), size = parseFloat(s.fontSize), bold = +s.fontWeight >= 700;
    let bg, halo = false;
    if (el.closest(".shanhai-label")) {  // a label: its halo is its background
      const shadows = (s.textShadow.match(/rgb\\(255, 255, 255\\)/g) || []).length;
      halo = shadows >= 8; bg = halo ? [255, 255, 255, 1] : [0, 0, 0, 1];
    } else {
      const layers = [];
      for (let e = el; e && e !== map; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) layers.push(c); }
      bg = [0, 0, 0, 1];  // the map under a see-through box: the worst case
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    }
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    const r = ratio(over(fg, bg), bg);
    out.push({text: el.textContent.trim().slice(0, 30), cls: String(el.className), ratio: Math.round(r * 100) / 100, need: need, halo: halo});
  });
  return out;
}"""


@pytest.mark.parametrize("theme", ["pairing", "status"])
def test_text_over_the_map_meets_contrast(browser, theme_pages, theme):
    page, errors, _ = open_page(browser, theme_pages[theme, "zh"])
    try:
        found = page.evaluate(_CONTRAST_JS)
        labels = [f for f in found if f["halo"]]
        assert len(labels) >= 26  # the counties' names are among the texts checked
        low = [f for f in found if f["ratio"] < f["need"]]
        assert low == [], low
        assert errors == []
    finally:
        page.close()
