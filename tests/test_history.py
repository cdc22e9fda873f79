"""Time: designations year by year, the two editions compared, a county's timeline."""

import json

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import expect

import geo
from geo.history import designations_in_force, status_years, timeline

from .conftest import legend_columns, off_page, open_page, run_cli


def _own_undated(atlas):
    s = atlas.status
    return int(((s["via"] == "") & (s["state"] != "target") & (s["year"] == "")).sum())


def test_in_force_counts_from_its_year(atlas):
    park = lambda d: d[(d["county_code"] == "331127") & (d["category"] == "national_park")]  # noqa: E731
    assert park(designations_in_force(atlas, 2019)).empty  # 景宁: the national park is of 2020
    row = park(designations_in_force(atlas, 2020))
    assert len(row) == 1 and row["in_force"].iloc[0] == "yes" and row["year"].iloc[0] == "2020"
    # targets are not designations; undated rows are never dropped, whatever the year
    for year in (2009, 2019, None):
        d = designations_in_force(atlas, year)
        assert (d["state"] != "target").all()
        undated = atlas.status[(atlas.status["state"] != "target") & (atlas.status["year"] == "")]
        assert (d["in_force"] == "unknown year").sum() == len(undated)
    assert len(designations_in_force(atlas)) == int((atlas.status["state"] != "target").sum())
    with pytest.raises(geo.GeoError, match="not a year"):
        designations_in_force(atlas, "last year")


def test_status_map_by_year(atlas, static_map):
    from geo.static import render_static

    fig = render_static(atlas, "status", size="half", year=2019)
    texts = [t.get_text() for t in fig.texts]
    assert any("截至2019年底" in t for t in texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"年份未知（{_own_undated(atlas)}）" in legend
    eco = next(t for t in legend if t.startswith("生态文明建设示范区（"))
    in_force = designations_in_force(atlas, 2019, own_only=True)
    named = in_force[
        (in_force["category"] == "eco_demo") & (in_force["state"] == "named") & (in_force["in_force"] == "yes")
    ]
    assert eco == f"生态文明建设示范区（{named['county_code'].nunique()}）"
    with pytest.raises(geo.RenderError, match="`year` goes with the status"):
        render_static(atlas, "pairing", year=2019)


@pytest.fixture(scope="module")
def facets(atlas):
    """``facets(theme, facet, size="a4", lang="zh", years=None)``: the small multiples,
    rendered once for the module (the figures are looked at, not changed)."""
    from geo.static import render_static

    cache = {}

    def get(theme, facet, size="a4", lang="zh", years=None):
        key = (theme, facet, size, lang, years)
        if key not in cache:
            cache[key] = render_static(atlas, theme, facet=facet, size=size, lang=lang, years=list(years or []) or None)
        return cache[key]

    return get


#: the years of the year facets
YEARS = (2016, 2020, 2024)


def test_facet_by_year_and_default_years(atlas, facets):
    from geo.static import default_years

    fig = facets("status", "year", years=YEARS)  # the a4 figure of the next test
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["2016", "2020", "2024"]
    years = default_years(atlas)
    assert years == [2016, 2018, 2020, 2022, 2024] and set(years) <= set(status_years(atlas))


def test_facet_one_panel_per_designation(atlas, facets):
    from geo.themes import build_theme

    n = len(build_theme(atlas, "status").facets)
    fig = facets("status", "designation")  # the a4 figure of test_facet_panels_sit_together
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == n >= 6


@pytest.mark.parametrize("size", ["a4", "half", "slide"])
def test_facet_by_year_says_each_year_and_stays_on_the_page(atlas, facets, size):
    years = YEARS
    n = {y: int((designations_in_force(atlas, y, own_only=True)["in_force"] == "yes").sum()) for y in years}
    for lang in ("zh", "en"):
        fig = facets("status", "year", size, lang, years)
        words = "".join(t.get_text() for t in fig.texts).replace("\n", " ")
        for y in years:  # the subtitle counts each panel's year, not all years at once
            assert (f"{y}年{n[y]}条" if lang == "zh" else f"{y}: {n[y]}") in words, (lang, words)
        assert off_page(fig) == [], (lang, size)  # English legends and subtitles wrap


@pytest.mark.parametrize("size", ["a4", "half", "slide"])
def test_facet_panels_are_no_finer_than_the_page(facets, static_map, size):
    # a panel is narrower than the page's single map, so it is simplified at least as much:
    # drawn at 40 m whatever the page, three documents made a 2 MB PDF and took seconds
    def vertices(ax):
        return sum(len(path.vertices) for c in ax.collections for path in c.get_paths())

    single = max(static_map("policy", size).axes, key=lambda ax: ax.get_position().width)
    panels = [ax for ax in facets("policy", "document", size).axes if ax.get_aspect() == 1.0]
    assert len(panels) == 3
    assert all(0 < vertices(ax) <= vertices(single) for ax in panels), (vertices(single), list(map(vertices, panels)))


@pytest.mark.parametrize("size", ["a4", "half", "slide"])
def test_facet_panels_sit_together(facets, size):
    # small multiples packed as a grid: no band between rows or columns (a slide's fixed page
    # once spread its two rows apart and left a 2×2 grid for three documents)
    import itertools

    for theme, facet in (("status", "designation"), ("policy", "document")):
        fig = facets(theme, facet, size)
        fig.draw_without_rendering()
        w, h = fig.get_size_inches()
        frames = [ax.get_position() for ax in fig.axes if ax.get_aspect() == 1.0]
        xs = sorted({round(f.x0 * w, 2) for f in frames})
        ys = sorted({round(f.y0 * h, 2) for f in frames}, reverse=True)
        pw, ph = frames[0].width * w, frames[0].height * h
        assert all(b - a < pw * 1.05 for a, b in itertools.pairwise(xs)), (theme, size, xs, pw)
        # a panel's title (6 pt at least), in as many lines as the longest wraps to
        lines = max(a.get_title().count("\n") + 1 for a in fig.axes)
        title = max(a.title.get_fontsize() for a in fig.axes) / 0.85 * 1.6 / 72 * lines
        assert all(a - b < ph + title * 1.5 for a, b in itertools.pairwise(ys)), (theme, size, ys, ph)
        if size == "slide":
            assert len(ys) == (2 if facet == "designation" else 1), (theme, ys)  # 8 panels 4×2, 3 panels 3×1
        cols = legend_columns(fig)
        assert all(not col or not col[-1][1] for col in cols), (theme, size, cols)  # a heading stays with its entries
        if theme == "policy" and size == "half":  # three documents: the second starts the second column
            assert cols[1][0][1] and "(2020)" in cols[1][0][0], cols
        assert off_page(fig) == [], (theme, size)


def test_cli_year_facet_and_gif(tmp_path):
    r = run_cli("map", "status", "--year", "2019", "-o", tmp_path / "s2019.png", "--dpi", "60")
    assert r.returncode == 0, r.stderr
    r = run_cli("map", "status", "--facet", "year", "--years", "2016,2020", "-o", tmp_path / "f.png", "--dpi", "60")
    assert r.returncode == 0, r.stderr
    r = run_cli("map", "status", "--format", "gif", "--years", "2016,2019,2022", "-o", tmp_path / "s.gif")
    assert r.returncode == 0, r.stderr
    gif = Image.open(tmp_path / "s.gif")
    assert gif.n_frames == 3 and abs(gif.size[0] - 960) <= 2  # slide at 72 dpi
    assert (tmp_path / "s.gif").stat().st_size < 3_000_000 / 14 * 3 * 1.5  # on course for ≤ 3 MB with 14 frames
    r = run_cli("map", "overview", "--format", "gif", "-o", tmp_path / "o.gif")
    assert r.returncode == 2 and "animates the status theme" in r.stderr
    r = run_cli("map", "overview", "--year", "2019", "-o", tmp_path / "o.png")
    assert r.returncode == 2 and "--year goes with the status theme" in r.stderr


def test_change_theme_classes(atlas, theme_pages):
    from geo.themes import build_theme

    for lang in ("zh", "en"):
        th = build_theme(atlas, "change", lang, detail=False)
        layer = next(ly for ly in th.layers if ly.legend and len(ly.legend.items) >= 4)
        counts = [it.count for it in layer.legend.items]
        assert counts == [20, 3, 2, 3]  # in all three; out in 2024; in in 2024; out in 2025
        data = layer.data
        assert set(data[data["hatch"] == "///"]["name"]) == {"平阳县", "柯城区", "莲都区"}
        assert set(data[data["hatch"] == "..."]["name"]) == {"洞头区", "嵊泗县"}
        assert set(data[data["hatch"] == "\\\\"]["name"]) == {"永嘉县", "苍南县", "江山市"}
    legend = build_theme(atlas, "change", "zh", detail=False).layers[1].legend
    assert legend.title.startswith("山区26县（2021-05-06） → 山区海岛25县（2024-08-21） → ")
    # two editions still compare as before
    two = build_theme(atlas, "change", "zh", detail=False, old="2021", new="2024").layers[1].legend
    assert [it.count for it in two.items] == [23, 3, 2]
    page = theme_pages["change", "en"].read_text(encoding="utf-8")  # render_html(atlas, "change", lang="en")
    assert "moved out in 2024" in page and "Pingyang" in page


def test_editions_command():
    r = run_cli("editions", "--format", "json")
    eds = json.loads(r.stdout)
    assert [(e["id"], e["count"], e["date"]) for e in eds] == [
        ("2021", 26, "2021-05-06"),
        ("2024", 25, "2024-08-21"),
        ("2025", 22, "2025-05-28"),
    ]
    r = run_cli("editions", "--diff", "2021", "2024", "--format", "csv")
    rows = pd.read_csv(pd.io.common.StringIO(r.stdout), dtype=str)
    assert set(rows[rows["change"] == "removed"]["name"]) == {"平阳县", "柯城区", "莲都区"}
    assert set(rows[rows["change"] == "added"]["name"]) == {"洞头区", "嵊泗县"}
    assert (rows["change"] == "kept").sum() == 23
    r = run_cli("editions")
    assert "2021 → 2024: 3 out (平阳县, 柯城区, 莲都区), 2 in (洞头区, 嵊泗县)" in r.stdout
    assert "2024 → 2025: 3 out (永嘉县, 苍南县, 江山市), 0 in" in r.stdout


def test_timeline_of_jingning(atlas):
    ev = timeline(atlas, "景宁")
    assert ev.attrs["county"] == "景宁畲族自治县"
    member = ev[ev["kind"] == "membership"]
    assert list(member["date"]) == ["2021-05-06", "2024-08-21", "2025-05-28"]
    p = atlas.pairings
    assert (ev["kind"] == "pairing").sum() == ((p["mountain_code"] == "331127") | (p["partner_code"] == "331127")).sum()
    d = designations_in_force(atlas)
    assert (ev["kind"] == "designation").sum() == (d["county_code"] == "331127").sum()
    cov = atlas.coverage[atlas.coverage["county_code"] == "331127"].drop_duplicates(["document", "clause"])
    assert (ev["kind"] == "policy").sum() == len(cov) == 27
    assert ev["year"].dropna().is_monotonic_increasing  # dated first, in order; undated last
    assert ev["year"].isna().sum() == 3 and ev["year"].iloc[-1] is pd.NA
    fig = geo.render_timeline(atlas, "景宁")
    assert abs(fig.get_size_inches()[0] - 8 / 2.54) < 0.01  # half-page width
    r = run_cli("timeline", "景宁", "--format", "csv")
    assert r.returncode == 0 and r.stdout.count("\n") == len(ev) + 1  # header and one line per event


@pytest.mark.slow
def test_year_slider_in_the_browser(browser, atlas, theme_pages):
    from geo.themes import build_theme

    page_path = theme_pages["status", "zh"]  # the run's one rendering of the page
    eco = next(ly for ly in build_theme(atlas, "status").layers if ly.facet == "eco_demo")
    first = status_years(atlas)[0]
    late = next(c for c, e in eco.timeline.items() if e[0] is not None and e[0] > first and e[1] is None)
    page, errors, _ = open_page(browser, page_path, viewport=(1200, 800), clock=True)
    try:
        has = """code => { var hit = false; Object.values(window.shanhaiLayers).forEach(function (l) {
            if (!l.shanhaiTimeline || !l.hasLayer) return;
            l.eachLayer(function (f) { if (f.feature.id === code && l.shanhaiTimeline.entries[code] && l.shanhaiTimeline.named.color === f.options.color && window.shanhaiMap.hasLayer(l)) hit = true; }); });
          return hit; }"""
        count = lambda: page.locator(".shanhai-legend section .n[data-state=named]").first.inner_text()  # noqa: E731
        assert page.evaluate(has, late)
        all_count = count()
        slider = page.locator(".shanhai-years input[type=range]")
        slider.focus()
        page.keyboard.press("Home")  # keyboard: the first year
        expect(page.locator(".shanhai-years output")).to_have_text(str(first))
        assert not page.evaluate(has, late)
        assert count() != all_count
        page.keyboard.press("End")
        expect(page.locator(".shanhai-years output")).not_to_have_text(str(first))
        assert page.evaluate(has, late) and count() == all_count
        page.locator(".shanhai-years button").click()  # play: back to the first year, then on
        assert page.locator(".shanhai-years output").inner_text() == str(first)
        page.clock.run_for(1000)  # one step of the 900 ms timer
        assert page.locator(".shanhai-years output").inner_text() == str(status_years(atlas)[1])
        page.locator(".shanhai-years button").click()  # pause
        assert errors == []
    finally:
        page.close()
