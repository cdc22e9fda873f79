"""Indicator maps and each pair compared: values as typed, classes, palettes, gaps, bad input."""

import json
import math

import pytest

import geo
from geo.indicators import SCHEMES, load_indicator, pair_gaps, parse_number, split_unit

from .conftest import center_of, open_page, run_cli, write_csv


@pytest.mark.parametrize(
    "typed, value, unit",
    [
        ("1,234.5", 1234.5, ""),
        ("12.3%", 12.3, "%"),
        ("5.6万", 56000.0, ""),
        ("１２３.４", 123.4, ""),  # full-width digits
        ("-2.5", -2.5, ""),
        ("1.2亿", 1.2e8, ""),
        (" 7 ", 7.0, ""),
    ],
)
def test_numbers_as_typed(typed, value, unit):
    v, u = parse_number(typed)
    assert math.isclose(v, value) and u == unit


@pytest.mark.parametrize("typed", ["", "—", "-", "–", "N/A", "无"])
def test_missing_values(typed):
    assert math.isnan(parse_number(typed)[0])


@pytest.mark.parametrize("typed", ["abc", "12元", "1.2.3", "3-4"])
def test_not_numbers(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_unit_from_the_header():
    assert split_unit("人均GDP（元）") == ("人均GDP", "元")
    assert split_unit("密度 (人/km²)") == ("密度", "人/km²")
    assert split_unit("森林覆盖率") == ("森林覆盖率", "")


@pytest.fixture(scope="module")
def density(atlas):
    return load_indicator(atlas, "density")


def _legend(th):
    layer = th.layers[0]
    return layer, layer.legend.items


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_scheme(atlas, density, scheme):
    from geo.themes import build_theme

    th = build_theme(atlas, "indicator", "zh", detail=False, data=density, scheme=scheme, k=4, bins=[200, 500, 1000])
    _layer, items = _legend(th)
    classes = [it for it in items if it.label != "无数据"]
    n_expected = {"user": 4, "std_mean": len(classes)}.get(scheme, 4)
    assert len(classes) == n_expected
    assert all(it.label.endswith(" 人/km²") and " – " in it.label for it in classes)
    assert sum(it.count for it in classes) == int(density.values.notna().sum()) == 90
    if scheme == "user":
        assert [it.label.split(" – ")[1] for it in classes[:3]] == ["200 人/km²", "500 人/km²", "1,000 人/km²"]
    assert th.title == "2020年人口密度（人/km²）"


def test_missing_values_are_hatched(atlas, density):
    import copy

    from geo.themes import build_theme

    gaps = copy.copy(density)
    blank = ["330127", "331127", "330106"]  # 淳安, 景宁, 西湖: cells left empty
    gaps.values = density.values.where(~density.values.index.isin(blank))
    layer, items = _legend(build_theme(atlas, "indicator", "zh", detail=False, data=gaps))
    missing = items[[it.label for it in items].index("无数据")]
    assert missing.count == 3 and missing.hatch == "///" and missing.color == "#ffffff"
    hatched = layer.data[layer.data["hatch"] == "///"]
    assert set(hatched["code"]) == set(blank)


def test_diverging_palette_centred_at_zero(atlas, density):
    from geo.themes import build_theme
    from geo.themes.indicator import PUOR_NEG, PUOR_POS

    shifted = load_indicator(atlas, "density")
    shifted.values = shifted.values - 600
    layer, items = _legend(build_theme(atlas, "indicator", "zh", detail=False, data=shifted, k=5))
    classes = [it for it in items if it.label != "无数据"]
    neg = [it for it in classes if it.color in PUOR_NEG]
    pos = [it for it in classes if it.color in PUOR_POS]
    assert neg and pos and len(neg) + len(pos) == len(classes)
    assert neg[-1].label.split(" – ")[1] == "0 人/km²"  # zero closes the last class below it
    low = layer.data.set_index("code").loc["331127", "fill"]  # 景宁: about 57 people/km² → below zero
    assert low in PUOR_NEG


def test_gaps_against_a_hand_computation(atlas):
    import geopandas as gpd

    from geo.indicators import EQUAL_AREA

    gaps = pair_gaps(atlas, None, "density")
    c = atlas.counties.set_index("code")
    area = gpd.GeoSeries(c.geometry, crs="EPSG:4326").to_crs(EQUAL_AREA).area / 1e6
    jn, hy = "331127", "330424"  # 景宁 → 海盐
    a = c.loc[jn, "population_2020"] / area[jn]
    b = c.loc[hy, "population_2020"] / area[hy]
    row = gaps[(gaps["mountain_code"] == jn) & (gaps["partner_code"] == hy)].iloc[0]
    assert math.isclose(row["ratio"], b / a, rel_tol=1e-9) and math.isclose(row["difference"], b - a)
    assert len(gaps) == len(atlas.links) and gaps["ratio"].dropna().is_monotonic_decreasing
    zones = gaps[gaps["partner_code"] == ""]
    assert len(zones) == 2 and zones["ratio"].isna().all()  # functional zones have no value


@pytest.fixture
def table(tmp_path):
    rows = [
        ["景宁", "45,123", "62.5%"],
        ["庆元", "4.8万", "—"],
        ["海盐县", "120,000", "55%"],
        ["331181", "50000", "70%"],
    ]
    rows += [[n, "100000", "60%"] for n in ("淳安", "永嘉", "平阳", "苍南", "文成")]
    return write_csv(tmp_path / "survey.csv", ["县名", "人均GDP（元）", "森林覆盖率"], rows)


def test_cli_indicator_map_all_formats(table, tmp_path):
    for fmt in ("html", "png", "svg", "pdf"):
        out = tmp_path / f"ind.{fmt}"
        r = run_cli(
            "map", "indicator", "--data", table, "--column", "人均GDP", "-o", out, "--dpi", "60", "--size", "half"
        )
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 10_000
    assert "warning" in r.stderr and "covers only 8 of the 26" in r.stderr and "三门县" in r.stderr
    page = (tmp_path / "ind.html").read_text(encoding="utf-8")
    assert "人均GDP（元）" in page and "45,123 元" in page
    r = run_cli("map", "indicator", "--data", table, "--column", "森林覆盖率", "-o", tmp_path / "f.png", "--dpi", "50")
    assert r.returncode == 0, r.stderr  # the unit % comes from the values


@pytest.mark.parametrize(
    "rows, column, message",
    [
        ([["景宁", "1"]], "GDP", "no column 'GDP'. Fix: use one of 值"),
        ([["景宁", "1"], ["庆元", "很多"]], "值", "row 3, column 值: '很多' is not a number."),
        ([["景宁", "1"], ["景宁畲族自治县", "2"]], "值", "景宁畲族自治县 is named twice (rows 2 and 3)."),
        ([["景宁", "1"], ["青山县", "2"]], "值", "'青山县' is not a Zhejiang county-level unit (did you mean"),
    ],
)
def test_bad_indicator_input(tmp_path, rows, column, message):
    f = write_csv(tmp_path / "bad.csv", ["县", "值"], rows)
    out = tmp_path / "never.png"
    r = run_cli("map", "indicator", "--data", f, "--column", column, "-o", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert message in r.stderr and "bad.csv" in r.stderr
    assert not out.exists()  # nothing written on failure


def test_cli_gaps(tmp_path):
    r = run_cli("gaps", "--column", "density", "--format", "json")
    rows = json.loads(r.stdout)
    assert r.returncode == 0 and len(rows) == 34 and rows[0]["ratio"] >= rows[1]["ratio"]
    r = run_cli("gaps", "--column", "density", "-o", tmp_path / "gaps.png")
    assert r.returncode == 0 and (tmp_path / "gaps.png").stat().st_size > 20_000
    r = run_cli("map", "pairing", "--column", "density", "-o", tmp_path / "p.png", "--dpi", "50")
    assert r.returncode == 0, r.stderr
    r = run_cli("gaps", "--column", "GDP")
    assert r.returncode == 2 and "needs --data FILE" in r.stderr


def test_pairing_links_coloured_by_ratio(atlas):
    from geo.themes import build_theme

    gaps = pair_gaps(atlas, None, "density")
    th = build_theme(atlas, "pairing", "zh", detail=False, gaps=gaps)
    links = next(ly for ly in th.layers if ly.arrows)
    assert links.legend.title.startswith("结对县/山区县之比")
    assert links.data["edge"].nunique() >= 5
    assert sum(it.count or 0 for it in links.legend.items) == len(atlas.links)


@pytest.mark.slow
def test_indicator_tooltip_in_the_browser(browser, atlas, density, tmp_path):
    from geo.html import save_html

    path = save_html(geo.render_html(atlas, "indicator", data=density), tmp_path / "ind.html")
    page, errors, _ = open_page(browser, path)
    try:
        x, y = center_of(page, "331127")
        page.mouse.move(x, y)
        tip = page.locator(".leaflet-tooltip")
        tip.wait_for(timeout=3000)
        expected = f"{density.values['331127']:.1f} 人/km²"
        assert "景宁畲族自治县" in tip.inner_text() and expected in tip.inner_text()
        assert "2020年人口密度（人/km²）" in page.locator(".shanhai-legend").inner_text()
        assert errors == []
    finally:
        page.close()
