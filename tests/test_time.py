"""Is the gap closing? Indicators over time (one column per year, or a row per county and
year), one classification across the years, the trend figures checked by hand, the built-in
population of 2010 and 2020 on today's units, and the pages, charts and commands that show them.

The small table is made up for the arithmetic (three mountain counties and their partners);
the population figures are the censuses'."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from playwright.sync_api import expect

import geo
from geo.measures import IndicatorSeries

from .conftest import LAYERS, open_page, page_texts, run_cli, write_csv
from .language import PAGE_TEXT_JS, audit

# made up for the hand computation: 景宁, 庆元, 淳安 (mountain counties) and their partners 海盐,
# 长兴, 西湖区 (pairings of the 2021 edition)
YEARS = (2019, 2020, 2022)
VALUES = {
    "景宁": (100, 110, 140),
    "庆元": (90, 100, 126),
    "淳安": (120, 125, 150),
    "海盐": (300, 310, 330),
    "长兴": (280, 290, 305),
    "西湖区": (400, 405, 420),
}
PAIRS = (("海盐", "景宁"), ("长兴", "庆元"), ("西湖区", "淳安"))


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """The same numbers as a wide CSV (years written three ways), a long CSV and a yearbook
    sheet (a heading merged over the year columns)."""
    import openpyxl

    d = tmp_path_factory.mktemp("time")
    heads = ["2019年", "2020 年", "2022"]
    wide = write_csv(d / "收入.csv", ["县", *heads], [[k, *v] for k, v in VALUES.items()])
    rows = [
        [k, f"{y}年" if y == 2020 else y, f"{x:,}"] for k, v in VALUES.items() for y, x in zip(YEARS, v, strict=True)
    ]
    long = write_csv(d / "long.csv", ["县（市、区）", "年份", "人均收入（元）"], rows[::-1])  # any order
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人均收入"
    ws.append(["表 2-3 各县人均收入"])
    ws.append(["地区", "人均收入（元）", None, None])
    ws.append([None, *YEARS])
    ws.merge_cells("B2:D2")
    ws.merge_cells("A2:A3")
    for k, v in VALUES.items():
        ws.append([k, *v])
    sheet = d / "年鉴.xlsx"
    wb.save(sheet)
    return {"wide": wide, "long": long, "sheet": sheet, "dir": d}


@pytest.fixture(scope="module")
def income(atlas, tables):
    return geo.load_indicator(atlas, "人均收入", tables["wide"])


def _code(atlas, name):
    return atlas.registry.county(name).code


def cli(capsys, *args):
    """``shanhai ARGS`` in this process (the command's own code, without a new interpreter):
    (exit status, stdout, stderr)."""
    from geo.commands import main

    capsys.readouterr()
    rc = main([str(a) for a in args])
    out = capsys.readouterr()
    return rc, out.out, out.err


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------


def test_wide_and_long_forms_give_the_same_indicator(atlas, tables, income):
    long = geo.load_indicator(atlas, None, tables["long"])
    sheet = geo.load_indicator(atlas, None, tables["sheet"])
    for s in (income, long, sheet):
        assert isinstance(s, IndicatorSeries) and s.years == list(YEARS) and s.year == 2022
        assert s.table.equals(income.table)
        assert s.values.equals(income.values)
    assert income.table.loc[_code(atlas, "景宁")].tolist() == [100, 110, 140]
    # the name: --column, else the heading the sheet gives it, else the sheet's name, else the file's
    assert (income.label, long.label, sheet.label) == ("人均收入", "人均收入", "人均收入")
    assert (long.unit, sheet.unit) == ("元", "元")
    assert geo.load_indicator(atlas, None, tables["wide"]).label == "收入"  # the file's name
    assert income.at(2019).values[_code(atlas, "淳安")] == 120 and income.at(2019).year == 2019
    assert len(income.long()) == 6 * 3 and set(income.long().columns) == {"code", "year", "value"}


def test_a_year_not_in_the_table_is_refused(atlas, income, tables, capsys):
    with pytest.raises(geo.GeoError, match="has the years 2019, 2020, 2022"):
        income.at(2021)
    rc, _, err = cli(
        capsys, "map", "indicator", "--data", tables["wide"], "--year", "2021", "-o", tables["dir"] / "x.png"
    )
    assert rc == 2 and "Traceback" not in err and "choose one of them" in err
    assert not (tables["dir"] / "x.png").exists()


@pytest.mark.parametrize(
    "header, rows, message",
    [
        (
            ["县", "年份", "值"],
            [["景宁", "2019", "1"], ["景宁", "去年", "2"]],
            "row 3, column 年份: '去年' is not a year.",
        ),
        (
            ["县", "年份", "值"],
            [["景宁", "2019", "1"], ["景宁畲族自治县", "2019", "2"]],
            "is named twice (rows 2 and 3)",
        ),
        (["县", "2019", "2019年"], [["景宁", "1", "2"]], "two columns for 2019"),
    ],
)
def test_bad_tables_over_time(tmp_path, capsys, header, rows, message):
    f = write_csv(tmp_path / "bad.csv", header, rows)
    rc, _, err = cli(capsys, "trend", "--data", f)
    assert rc == 2 and "Traceback" not in err, err
    assert message in err and "bad.csv" in err


# ---------------------------------------------------------------------------------------
# one classification across the years
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def facets(atlas, income):
    return geo.render_static(atlas, "indicator", data=income, facet="year", scheme="equal_interval", k=4)


def test_one_classification_across_years(atlas, income, facets):
    from geo.themes import build_theme

    themes = {y: build_theme(atlas, "indicator", "zh", detail=False, data=income, year=y, k=4) for y in YEARS}
    labels = {y: [it.label for it in th.layers[0].legend.items if " – " in it.label] for y, th in themes.items()}
    assert labels[2019] == labels[2020] == labels[2022]  # the same classes every year
    # from the least of all years (庆元 2019: 90) to the most (西湖区 2022: 420; 2019 alone ends at 400)
    assert labels[2019][0].startswith("90 – ") and labels[2019][-1].endswith(" – 420")
    fills = {y: th.layers[0].data.set_index("code")["fill"] for y, th in themes.items()}
    jn, qy = _code(atlas, "景宁"), _code(atlas, "庆元")
    assert fills[2019][jn] == fills[2020][qy]  # the same value (100) has the same colour in both years
    assert fills[2019][jn] != fills[2022][jn]  # 景宁 grew out of its class
    th = themes[2019]
    assert "2019–2022年各年同一分级" in th.layers[0].legend.title and th.title.endswith("2019年")
    assert "各年同一分级" in th.subtitle
    # the facet figure: one panel per year, the shared legend says it is one classification
    texts = [t.get_text() for t in page_texts(facets)]
    assert {"2019年", "2020年", "2022年"} <= set(texts)
    assert any("各年同一分级" in t for t in texts) and any("同一颜色在各图代表同一数值" in t for t in texts)


def test_the_classes_are_those_of_all_years(atlas, income):
    from geo.indicators import classify
    from geo.themes import build_theme

    th = build_theme(atlas, "indicator", "zh", detail=False, data=income, scheme="quantiles", k=3)
    pool = income.table.to_numpy(float).ravel()
    edges, _ = classify(pool, "quantiles", 3)
    shown = [float(it.label.split(" – ")[1].split()[0].replace(",", "")) for it in th.layers[0].legend.items[:3]]
    assert np.allclose(shown, [round(e) if e >= 100 else e for e in edges], rtol=1e-3)


# ---------------------------------------------------------------------------------------
# the trend, by hand
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tr(atlas, income):
    return geo.trend(atlas, income)


def test_trend_against_a_hand_computation(atlas, tr):
    mountain, rest = ("景宁", "庆元", "淳安"), ("海盐", "长兴", "西湖区")
    for i, y in enumerate(YEARS):
        row = tr.by_year[tr.by_year["year"] == y].iloc[0]
        m = sum(VALUES[k][i] for k in mountain) / 3
        r = sum(VALUES[k][i] for k in rest) / 3
        allv = [VALUES[k][i] for k in VALUES]
        mean = sum(allv) / 6
        sd = math.sqrt(sum((v - mean) ** 2 for v in allv) / 6)  # all counties: the population's σ
        pr = sum(VALUES[p][i] / VALUES[q][i] for p, q in PAIRS) / 3
        assert (row["n_edition"], row["n_rest"], row["n_pairs"]) == (3, 3, 3)
        assert math.isclose(row["mean_edition"], m) and math.isclose(row["mean_rest"], r)
        assert math.isclose(row["ratio"], r / m) and math.isclose(row["cv"], sd / mean)
        assert math.isclose(row["pair_ratio"], pr)
    # 2019: 326.67 / 103.33 = 3.161; the gap narrows every year
    assert round(tr.by_year["ratio"].iloc[0], 3) == 3.161 and tr.by_year["ratio"].is_monotonic_decreasing
    # β: ordinary least squares of the annual log growth on the log of 2019, by hand
    x = [math.log(VALUES[k][0]) for k in VALUES]
    g = [math.log(VALUES[k][2] / VALUES[k][0]) / 3 for k in VALUES]
    xm, gm = sum(x) / 6, sum(g) / 6
    sxx = sum((a - xm) ** 2 for a in x)
    slope = sum((a - xm) * (b - gm) for a, b in zip(x, g, strict=True)) / sxx
    resid = [b - (gm + slope * (a - xm)) for a, b in zip(x, g, strict=True)]
    se = math.sqrt(sum(e * e for e in resid) / 4 / sxx)
    t975 = 2.7764451051977987  # Student's t, 4 degrees of freedom
    b = tr.beta
    assert b["n"] == 6 and (b["first"], b["last"]) == (2019, 2022)
    assert math.isclose(b["slope"], slope, rel_tol=1e-9) and slope < 0
    assert math.isclose(b["ci_low"], slope - t975 * se, rel_tol=1e-9)
    assert math.isclose(b["ci_high"], slope + t975 * se, rel_tol=1e-9) and b["ci_high"] < 0  # convergence
    # each pairing's ratio, first and last year
    p = tr.pairs.set_index("mountain_county")
    assert math.isclose(p.loc["景宁畲族自治县", "ratio_first"], 3.0) and math.isclose(
        p.loc["景宁畲族自治县", "ratio_last"], 330 / 140
    )
    assert p["closing"].all() and len(p) == 3
    assert tr.left_out == []


def test_trend_figure(atlas, tr, income):
    from geo.static import render_trend

    fig = render_trend(tr, atlas)
    texts = " ".join(t.get_text() for t in page_texts(fig))
    assert "差距是否在缩小：人均收入" in texts and "β收敛" in texts and "95%置信区间" in texts
    assert "景宁→海盐" in texts and "差距缩小（3对）" in texts and "2019年→2022年" in texts
    audit(texts.replace("收入.csv", ""), "zh", "trend figure (zh)")  # the user's file name is theirs
    en = geo.trend(atlas, income)  # words of the chart follow lang; the label is the table's
    texts = " ".join(t.get_text() for t in page_texts(render_trend(en, atlas, lang="en")))
    assert "Is the gap closing?" in texts and "β-convergence" in texts and "Jingning→Haiyan" in texts


def test_cli_trend_and_gaps_by_year(tables, capsys):
    rc, out, err = cli(capsys, "trend", "--data", tables["wide"], "--column", "人均收入", "--format", "csv")
    assert rc == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [int(x["year"]) for x in rows] == list(YEARS) and math.isclose(float(rows[0]["ratio"]), 980 / 310)
    rc, out, _ = cli(capsys, "trend", "--data", tables["long"], "--format", "json")
    data = json.loads(out)
    assert data["beta"]["slope"] < 0 and len(data["pairs"]) == 3 and data["label"] == "人均收入"
    rc, out, _ = cli(capsys, "trend", "--data", tables["wide"], "--pairs")
    assert rc == 0 and "景宁畲族自治县" in out and "β收敛" in out
    rc, out, _ = cli(capsys, "gaps", "--data", tables["wide"], "--year", "2020", "--format", "json")
    g = json.loads(out)
    assert math.isclose(g[0]["ratio"], 405 / 125) and g[0]["partner"] == "西湖区"
    rc, out, _ = cli(capsys, "gaps", "--data", tables["wide"], "--year", "all", "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == 3 * 34 and {x["year"] for x in rows} == {"2019", "2020", "2022"}
    rc, _, err = cli(capsys, "trend", "--column", "density")
    assert rc == 2 and "needs an indicator over time" in err
    # as a person runs it: the trend figure
    out = tables["dir"] / "trend.png"
    r = run_cli("trend", "--data", tables["wide"], "-o", out, "--dpi", "60")
    assert r.returncode == 0 and out.stat().st_size > 10_000, r.stderr


def test_cli_maps_by_year(tables, capsys):
    d = tables["dir"]
    r = run_cli("map", "indicator", "--data", tables["wide"], "--facet", "year", "-o", d / "facet.png", "--dpi", "50")
    assert r.returncode == 0 and (d / "facet.png").stat().st_size > 10_000, r.stderr
    for args, out in (
        (["--format", "gif", "--years", "2019,2022", "--dpi", "40"], d / "years.gif"),
        (["--year", "2020"], d / "y2020.svg"),
    ):
        rc, _, err = cli(capsys, "map", "indicator", "--data", tables["wide"], *args, "-o", out)
        assert rc == 0, err
        assert out.stat().st_size > 10_000
    from PIL import Image

    assert Image.open(d / "years.gif").n_frames == 2
    rc, _, err = cli(capsys, "map", "indicator", "--column", "density", "--facet", "year", "-o", d / "no.png")
    assert rc == 2 and "needs an indicator over time" in err and not (d / "no.png").exists()


# ---------------------------------------------------------------------------------------
# the built-in population, 2010 and 2020
# ---------------------------------------------------------------------------------------

# from the censuses (2010: layers/census_2010.csv; 2020: layers/counties.csv)
CENSUS = {
    "331127": (107_106, 111_011),  # 景宁
    "330127": (336_843, 328_957),  # 淳安: lost people
    "330105": (526_096 + 551_874, 485_849 + 635_136),  # 拱墅 = 下城 + 拱墅 in both censuses
}


@pytest.fixture(scope="module")
def change(atlas):
    return geo.load_indicator(atlas, "population_change")


def test_population_change_by_hand(atlas, change):
    c2010 = {
        r["code"]: int(r["population"]) for r in csv.DictReader(open(LAYERS / "census_2010.csv", encoding="utf-8"))
    }
    assert sum(c2010.values()) == 54_426_891 and len(c2010) == 90  # the province total of 2010
    assert c2010["331127"] == 107_106 and c2010["330127"] == 336_843 and c2010["330103"] == 526_096
    for code, (a, b) in CENSUS.items():
        assert atlas.registry.counties[code].population_2020 == b
        assert math.isclose(change.values[code], (b / a - 1) * 100, rel_tol=1e-12)
    assert round(change.values["331127"], 2) == 3.65 and round(change.values["330127"], 2) == -2.34
    assert change.summed["330105"] == ("下城区", "拱墅区")
    assert change.unit == "%" and change.title == "2010—2020年常住人口增减（%）"
    p2010 = geo.load_indicator(atlas, "population_2010")
    assert p2010.values["330112"] == 566_665  # 临安市 (2010) carried to 临安区
    # which mountain counties lost people
    lost = {atlas.registry.counties[c].short_name for c in atlas.edition.members if change.values.get(c, 0) < 0}
    assert lost == {"淳安", "龙游"}


def test_a_unit_without_a_comparable_2010_figure(atlas, change):
    from geo.themes import build_theme

    # 苍南: 龙港 was split off in 2019; 上城: merged with most of 江干 in 2021
    for code, year in (("330327", 2019), ("330102", 2021)):
        assert math.isnan(change.values[code]) and code in change.not_comparable
        assert year in {ch.year for ch in change.not_comparable[code]}
    assert len(change.not_comparable) == 14 and int(change.values.notna().sum()) == 76
    th = build_theme(atlas, "indicator", "zh", data=change)
    layer = th.layers[0]
    cn = layer.data.set_index("code").loc["330327"]
    assert cn["hatch"] == "xxx" and ("2010—2020年常住人口增减", "无可比数据（2019年区划调整）") in cn["tooltip"]
    item = next(it for it in layer.legend.items if it.label == "无可比数据")
    assert item.count == 14
    notes = " ".join(p.what for p in change.problems)
    assert "苍南县: the table's 苍南县 changed area on 2019-08-16" in notes and "拱墅区 = 下城区 + 拱墅区" in notes


def test_hangzhou_2020_from_the_citys_bulletin(atlas):
    src = atlas.sources["hangzhou-census-2020-bulletin"]
    assert src.kind == "official_document" and src.issuer == "" and src.date == ""  # not named on any page read
    assert "beiweimall" in src.read_at and "gxscse" in src.read_at and "1,120,985" in src.note
    rec = geo.county_record(atlas, "上城")
    assert rec.facts["population_2020"] == 1_323_467
    assert rec.facts["sources"]["population_2020"] == "《杭州市2020年第七次人口普查主要数据公报》"
    assert "Bulletin" in geo.county_record(atlas, "钱塘", lang="en").facts["sources"]["population_2020"]
    six = {
        c: atlas.registry.counties[c].population_2020
        for c in ("330102", "330105", "330109", "330110", "330113", "330114")
    }
    # they add up with the provincial table of 2020 units: 上城 + 江干 + 萧山, 下城 + 拱墅, 余杭
    assert six["330102"] + six["330114"] + six["330109"] == 357_657 + 1_487_787 + 2_258_872
    assert six["330105"] == 485_849 + 635_136 and six["330110"] + six["330113"] == 2_402_514
    assert sum(c.population_2020 for c in atlas.registry.counties.values()) == 64_567_588 - 249_343  # 温州经开区 apart


def test_population_over_time_and_its_trend(atlas):
    pop = geo.load_indicator(atlas, "population")
    assert pop.years == [2010, 2020] and pop.at(2010).values["330127"] == 336_843
    assert set(pop.at(2010).not_comparable) == set(geo.load_indicator(atlas, "population_change").not_comparable)
    t = geo.trend(atlas, pop)
    assert list(t.by_year["n_edition"]) == [25, 25] and len(t.left_out) == 14 and "苍南县" in t.left_out
    assert t.by_year["ratio"].iloc[1] > t.by_year["ratio"].iloc[0]  # the rest grew more in absolute size


# ---------------------------------------------------------------------------------------
# the page: a year slider with play, in the reader's language
# ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_year_slider_of_an_indicator_over_time(browser, atlas, tmp_path):
    from geo.html import save_html
    from geo.themes import build_theme
    from geo.themes.indicator import NOT_COMPARABLE_FILL

    frames = build_theme(atlas, "indicator", "zh", data=geo.load_indicator(atlas, "population")).layers[0].frames
    fill = """code => { var hit = null; Object.values(window.shanhaiLayers).forEach(function (l) {
        if (!l.shanhaiFrames) return; l.eachLayer(function (f) { if (f.feature.id === code) hit = f.options.fillColor; }); });
      return hit; }"""
    for lang in ("zh", "en"):
        m = geo.render_html(atlas, "indicator", data=geo.load_indicator(atlas, "population", lang=lang), lang=lang)
        path = save_html(m, tmp_path / f"pop-{lang}.html")
        page, errors, blocked = open_page(browser, path, viewport=(1200, 800), clock=True)
        try:
            assert page.locator(".shanhai-years output").inner_text() == "2020" and blocked == []
            assert page.evaluate(fill, "330102") != NOT_COMPARABLE_FILL  # 上城: a 2020 figure
            audit(page.evaluate(PAGE_TEXT_JS), lang, f"indicator over time ({lang})")
            if lang == "en":
                continue
            nc = page.locator('.shanhai-legend .n[data-state="not_comp"]')
            assert nc.inner_text() == "(0)"
            slider = page.locator(".shanhai-years input[type=range]")
            slider.focus()
            page.keyboard.press("Home")
            expect(page.locator(".shanhai-years output")).to_have_text("2010")
            assert page.evaluate(fill, "330102") == NOT_COMPARABLE_FILL and nc.inner_text() == "(14)"
            c0 = page.locator('.shanhai-legend .n[data-state="c0"]').inner_text()
            assert c0 == f"({frames['counts'][2010]['c0']})" != f"({frames['counts'][2020]['c0']})"
            page.locator(".shanhai-years button").click()  # play: to 2020 and stop
            page.clock.run_for(1000)  # one step of the 900 ms timer: 2010 → 2020, the last
            assert page.locator(".shanhai-years output").inner_text() == "2020" and nc.inner_text() == "(0)"
            assert "▶" in page.locator(".shanhai-years button").inner_text()
            assert errors == []
        finally:
            page.close()
