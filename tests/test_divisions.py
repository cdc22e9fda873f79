"""Counties that changed: the layer of Zhejiang's county-level changes since 2000, former names
and codes resolved to today's units, units merged away saying where they went, and files of
an older vintage (a 2015 Shapefile, a table of the 2020 census in 2020 units) read as they are."""

import csv
import io
import json
import math

import numpy as np
import pytest
import shapely

import geo
from geo.divisions import carry_forward, changes, created_by, load_changes, validate
from geo.errors import CountyNameError, FormerUnitError

from .conftest import LAYERS, ROOT, page_texts, run_cli, write_csv

# ---------------------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------------------


def test_the_layer_is_whole_and_sourced(registry):
    rows = list(csv.DictReader(open(LAYERS / "divisions.csv", encoding="utf-8")))
    sources = {r["id"]: r for r in csv.DictReader(open(LAYERS / "sources.csv", encoding="utf-8"))}
    assert len(rows) == 26 == len(load_changes())
    cited = {s for ch in load_changes() for s in ch.sources}
    for s in (sources[i] for i in cited):  # an approval read in a faithful copy: issuer, number, date, quote
        assert s["issuer"] and (s["title"] or s["doc_no"]) and s["quote"], s["id"]
    for ch in load_changes():
        assert ch.sources and all(s in sources for s in ch.sources), ch.summary()
        assert all(sources[s]["kind"] != "none" for s in ch.sources), ch.summary()
        for f in ch.flows:  # every flow moves between units the row names (or the city 330500)
            assert f.source in {c for c, _ in ch.old} | {"330500"} and f.target in {c for c, _ in ch.new}
        assert set(ch.ended) <= {c for c, _ in ch.old}
    # after all changes, the units still standing are exactly today's 90
    touched = {c for ch in load_changes() for c, _ in (*ch.old, *ch.new)} - {"330500"}
    ended = {c for ch in load_changes() for c in ch.ended}
    assert touched - ended <= set(registry.counties)
    assert ended.isdisjoint(registry.counties)
    assert validate(set(registry.counties)) == []  # what `shanhai check` runs


def test_changes_since_a_year():
    assert [c.summary() for c in changes(2019)] == [
        "2019-08-16 苍南县 → 龙港市 (民函〔2019〕83号)",
        "2021-02-21 上虞区 → 越城区 (浙政函〔2021〕17号)",
        "2021-03-11 上城区、江干区 → 上城区 (浙政发〔2021〕7号)",
        "2021-03-11 下城区、拱墅区 → 拱墅区 (浙政发〔2021〕7号)",
        "2021-03-11 余杭区 → 余杭区、临平区 (浙政发〔2021〕7号)",
        "2021-03-11 江干区、萧山区 → 钱塘区 (浙政发〔2021〕7号)",
    ]
    assert created_by("330383").date == "2019-08-16" and created_by("330105") is None


def test_cli_divisions():
    r = run_cli("divisions", "--since", "2017")
    assert r.returncode == 0, r.stderr
    assert "临安市" in r.stdout and "国函〔2017〕102号" in r.stdout and "8 change(s)" in r.stdout
    rows = list(csv.DictReader(io.StringIO(run_cli("divisions", "--format", "csv").stdout)))
    assert len(rows) == 26 and rows[0]["date"] == "2000-05-20"
    data = json.loads(run_cli("divisions", "--since", "2021", "--format", "json").stdout)
    assert {d["new_names"] for d in data} >= {"余杭区、临平区", "钱塘区"}
    assert all(d["source"] for d in data)


# ---------------------------------------------------------------------------------------
# former names and codes
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, today, says",
    [
        ("临安市", "临安区", "临安市 (330185) is 临安区 (330112) since 2017-07-18 (国函〔2017〕102号)."),
        ("洞头县", "洞头区", "洞头县 (330322) is 洞头区 (330305) since 2015-07-23 (国函〔2015〕122号)."),
        ("330185", "临安区", "临安市 (330185) is 临安区"),
        ("杭州市临安市", "临安区", "is 临安区"),
        ("下城区", "拱墅区", "下城区 (330103) was merged into 拱墅区 on 2021-03-11 (浙政发〔2021〕7号)."),
        ("江东区", "鄞州区", "was merged into 鄞州区 on 2016-09-14"),
        ("秀城区", "南湖区", "秀城区 (330402) is 南湖区 (330402) since 2005-05-17"),
        ("县级丽水市", "莲都区", "丽水市 (332501) is 莲都区 (331102) since 2000-05-20"),
        ("余杭市", "余杭区", "余杭区 has changed since (2021-03-11)"),
    ],
)
def test_former_names_resolve_with_a_note(registry, written, today, says):
    county, former = registry.resolve(written)
    assert county.name == today and says in former.describe()
    assert registry.county(written).name == today


def test_names_of_today_are_never_former(registry):
    assert registry.resolve("上城区") == (registry.counties["330102"], None)
    assert registry.find_former("丽水市") is None and registry.find_city("丽水市").code == "3311"
    assert registry.find_former("西湖区") is None


def test_a_unit_merged_away_says_where_it_went(registry):
    with pytest.raises(FormerUnitError) as exc:
        registry.county("江干区")
    assert isinstance(exc.value, CountyNameError) and exc.value.suggestions == ["上城区", "钱塘区"]
    assert "merged into 上城区 and 钱塘区" in str(exc.value) and "2021-03-11" in str(exc.value)
    r = run_cli("pairs", "--county", "江干区")
    assert r.returncode == 2
    assert "'江干区' is no longer a county-level unit" in r.stderr and "上城区 or 钱塘区" in r.stderr
    assert "衢江区" not in r.stderr and "Traceback" not in r.stderr


def test_cli_county_by_former_name_notes_it():
    r = run_cli("pairs", "--county", "临安市", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "note: 临安市 (330185) is 临安区 (330112) since 2017-07-18 (国函〔2017〕102号). Using 临安区." in r.stderr


def test_pairings_table_with_former_names(tmp_path):
    path = write_csv(
        tmp_path / "结对.csv",
        ["山区县", "结对县", "可信度", "来源"],
        [["景宁", "海盐", "medium", "a"], ["柯城", "下城区", "low", "b"], ["庆元", "江干区", "low", "c"]],
    )
    r = run_cli("check", path, "--format", "json")
    problems = json.loads(r.stdout)["problems"]
    notes = [p for p in problems if p["severity"] == "info" and p["where"] == "row 3"]
    assert notes and notes[0]["what"].endswith(
        "was merged into 拱墅区 on 2021-03-11 (浙政发〔2021〕7号). Read as 拱墅区."
    )
    err = [p for p in problems if p["severity"] == "error" and p["where"] == "row 4"]
    assert (
        err
        and "no longer a county-level unit" in err[0]["what"]
        and err[0]["fix"] == "write today's unit: 上城区 or 钱塘区."
    )


# ---------------------------------------------------------------------------------------
# an indicator table of an older vintage: the 2020 census in 2020 units
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def census_2020(tmp_path_factory):
    """The 2020 census by the units of 2020: today's 84 unchanged units from the layer, the six
    Hangzhou districts as they were (江干, 下城 …) and the development zone the census lists."""
    layer = list(csv.DictReader(open(LAYERS / "counties.csv", encoding="utf-8")))
    # the units unchanged since the census (the six redrawn in 2021 cite Hangzhou's bulletin)
    rows = [[r["name"], r["population_2020"]] for r in layer if "hangzhou" not in r["population_source"]]
    assert len(rows) == 84
    old = list(csv.DictReader(open(ROOT / "tests" / "data" / "population_2020_old_units.csv", encoding="utf-8")))
    rows += [[r["name"], r["population_2020"]] for r in old]
    assert sum(int(v) for _, v in rows) == 64_567_588  # Zhejiang's 2020 census total
    return write_csv(tmp_path_factory.mktemp("census") / "人口2020.csv", ["区县", "常住人口（人）"], rows)


def test_old_table_merged_and_split_units_have_no_comparable_data(atlas, census_2020):
    ind = geo.load_indicator(atlas, "常住人口", census_2020)
    changed = {"330102", "330105", "330109", "330110", "330113", "330114"}  # 上城 拱墅 萧山 余杭 临平 钱塘
    assert set(ind.not_comparable) == changed
    assert all(math.isnan(ind.values[c]) for c in changed)
    assert int(ind.values.notna().sum()) == 84 and ind.values["330112"] == 634555  # 临安 unchanged
    notes = [p.what for p in ind.problems]
    assert any(
        n.startswith("the table uses the county-level units of before 2021-03-11 (it has no 临平区")
        and "names 江干区" in n
        for n in notes
    )
    warn = [p for p in ind.problems if p.severity == "warning"]
    assert len(warn) == 1 and "no comparable data for 6 of today's units" in warn[0].what
    assert "拱墅区 = 下城区 + 拱墅区, merged on 2021-03-11 (浙政发〔2021〕7号)" in warn[0].what
    assert warn[0].fix.startswith("pass `additive=True`")
    assert "温州经济技术开发区" in next(n for n in notes if "set aside" in n)


def test_old_table_additive_sums_merged_units(atlas, census_2020):
    ind = geo.load_indicator(atlas, "常住人口", census_2020, additive=True)
    # 下城 + 拱墅 = the new 拱墅区's 2020 figure in Hangzhou's own bulletin (1,120,985), as the layer has it
    assert ind.values["330105"] == 485_849 + 635_136 == 1_120_985 == atlas.registry.counties["330105"].population_2020
    assert ind.summed == {"330105": ("下城区", "拱墅区")}
    assert set(ind.not_comparable) == {"330102", "330109", "330110", "330113", "330114"}  # split: no sum
    assert "summed because the column is additive: 拱墅区 = 下城区 + 拱墅区." in [p.what for p in ind.problems]


def test_old_table_vintage_given(atlas, census_2020):
    ind = geo.load_indicator(atlas, "常住人口", census_2020, vintage=2020)
    # the 2021-02-21 transfer of 沥海 (上虞 → 越城) is older than the table's names can tell
    assert {"330602", "330604"} <= set(ind.not_comparable)


def test_renamed_units_carry_over(atlas, tmp_path):
    rows = [["临安市", "63.46"], ["洞头县", "16.68"], ["玉环县", "64.69"], ["淳安县", "32.9"]]
    path = write_csv(tmp_path / "t.csv", ["县（市、区）", "人口（万人）"], rows)
    ind = geo.load_indicator(atlas, "人口", path)
    assert ind.values["330112"] == 63.46 and ind.values["331083"] == 64.69 and ind.values["330127"] == 32.9
    # 洞头区 is 洞头县 with 灵昆街道 of 龙湾区: not the same area
    assert math.isnan(ind.values["330305"]) and "330305" in ind.not_comparable
    renamed = next(p.what for p in ind.problems if p.what.startswith("renamed units carried over"))
    assert "临安市 → 临安区 (2017-07-18, 国函〔2017〕102号)" in renamed and "玉环县 → 玉环市" in renamed


def test_a_table_of_today_without_one_unit_is_of_today(atlas, registry, tmp_path):
    # 临平区 (2021) is in it: 龙港市 (2019) missing says nothing about the table's age
    rows = [[c.name, "1"] for c in registry.counties.values() if c.code != "330383"]
    ind = geo.load_indicator(atlas, "值", write_csv(tmp_path / "t.csv", ["县", "值"], rows))
    assert not ind.not_comparable and not [p for p in ind.problems if p.where == "vintage"]
    rows = [r for r in rows if r[0] not in ("临平区", "钱塘区")]  # a table of 2018 names
    ind = geo.load_indicator(atlas, "值", write_csv(tmp_path / "t.csv", ["县", "值"], rows))
    assert "330327" in ind.not_comparable and ind.problems[0].what.startswith(
        "the table uses the county-level units of before 2019-08-16 (it has no 龙港市 (set up 2019-08-16)"
    )


def test_the_same_unit_twice_is_an_error(atlas, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["县", "人口"], [["临安市", "1"], ["临安区", "2"]])
    with pytest.raises(
        geo.DataLayerError, match=r"临安市 and 临安区 \(row 3\) are the same unit before and after 2017-07-18"
    ):
        geo.load_indicator(atlas, "人口", path)


def test_no_comparable_data_on_the_map(atlas, census_2020, tmp_path):
    from geo.themes import build_theme

    ind = geo.load_indicator(atlas, "常住人口", census_2020)
    th = build_theme(atlas, "indicator", "zh", detail=False, data=ind)
    layer = th.layers[0]
    items = {it.label: it for it in layer.legend.items}
    assert items["无可比数据"].count == 6 and items["无可比数据"].hatch == "xxx"
    assert "无数据" not in items
    row = layer.data[layer.data["code"] == "330113"].iloc[0]
    assert ("常住人口", "无可比数据（2021年区划调整）") in row["tooltip"]
    en = build_theme(
        atlas, "indicator", "en", detail=False, data=geo.load_indicator(atlas, "常住人口", census_2020, additive=True)
    )
    row = en.layers[0].data[en.layers[0].data["code"] == "330105"].iloc[0]
    assert ("常住人口", "1,120,985 人 (sum of 2 merged units)") in row["tooltip"]
    r = run_cli(
        "map", "indicator", "--data", census_2020, "--column", "常住人口", "--additive", "-o", tmp_path / "p.svg"
    )
    assert r.returncode == 0, r.stderr
    assert "summed because the column is additive" in r.stderr and "no comparable data for 5" in r.stderr


def test_carry_forward_follows_chains():
    # a 2015 table: 江东区 and 鄞州区 → today's 鄞州区 (with 9 towns gone to 海曙区): not exact
    e = carry_forward(["330204", "330212", "330203"], "2015-08-01")
    assert e["330212"].atoms == {"330204", "330212"} and not e["330212"].exact
    assert not e["330203"].exact and "330204" not in e
    # 鄞县 (2001) → 鄞州区 exactly, until 2016
    e = carry_forward(["330227"], "2002-01-01")
    assert e["330212"].atoms == {"330227"} and not e["330212"].exact


# ---------------------------------------------------------------------------------------
# a boundary file of 2015
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shp_2015(boundaries, tmp_path_factory):
    """A Shapefile of the units of early 2015, assembled from the embedded boundaries: 苍南县
    with 龙港, 余杭区 with 临平, 萧山区 with 钱塘; 临安市, 奉化市, 玉环县 and 洞头县 under their
    old names and codes. (The 2021 split of 江干区 between 上城 and 钱塘 cannot be undone from
    today's polygons: 上城区 is kept as it is.)"""
    import geopandas as gpd

    b = boundaries.set_index("code")
    merged = {"330327": ("苍南县", ["330327", "330383"]), "330110": ("余杭区", ["330110", "330113"]),
              "330109": ("萧山区", ["330109", "330114"])}  # fmt: skip
    renamed = {"330112": ("330185", "临安市"), "330213": ("330283", "奉化市"), "331083": ("331021", "玉环县"),
               "330305": ("330322", "洞头县")}  # fmt: skip
    gone = {c for _, parts in merged.values() for c in parts}
    rows = [(c, r["name"], r.geometry) for c, r in b.iterrows() if c not in gone and c not in renamed]
    rows += [(c, name, shapely.union_all(b.loc[parts].geometry.values)) for c, (name, parts) in merged.items()]
    rows += [(code, name, b.loc[c].geometry) for c, (code, name) in renamed.items()]
    g = gpd.GeoDataFrame(
        {"QXDM": [r[0] for r in rows], "QXMC": [r[1] for r in rows]}, geometry=[r[2] for r in rows], crs="EPSG:4326"
    )
    path = tmp_path_factory.mktemp("old") / "浙江县界2015.shp"
    g.to_file(path, encoding="gbk")
    path.with_suffix(".cpg").unlink(missing_ok=True)  # as old files come: GBK, no .cpg
    return path


@pytest.fixture(scope="module")
def atlas_2015(shp_2015):
    return geo.load_atlas(boundaries=shp_2015, name_column="QXMC")


def test_2015_file_messages(atlas_2015):
    said = {p.where: (p.severity, p.what) for p in atlas_2015.problems if "2015" in p.file}
    said_of = {w[w.find("(") + 1 : -1] if w.startswith("feature") else w: v for w, v in said.items()}  # 临安市
    assert said_of["临安市"] == (
        "info",
        "临安市 (330185) is 临安区 (330112) since 2017-07-18 (国函〔2017〕102号). Read as 临安区.",
    )
    assert said_of["洞头县"][1].startswith("洞头县 (330322) is 洞头区 (330305) since 2015-07-23")
    assert said_of["奉化市"][0] == said_of["玉环县"][0] == "info"
    sev, lg = said["龙港市"]
    assert sev == "warning" and lg.startswith(
        "苍南县 in this file still includes 龙港市, set up on 2019-08-16 from part of 苍南县 (民函〔2019〕83号)"
    )
    assert said["临平区"][1].startswith("余杭区 in this file still includes 临平区, set up on 2021-03-11")
    assert said["钱塘区"][1].startswith(
        "萧山区 in this file still includes 钱塘区, set up on 2021-03-11 from parts of 江干区 and 萧山区"
    )
    assert not [p for p in atlas_2015.problems if p.where == "datum"]  # WGS84, as the embedded layer
    assert not [p for p in atlas_2015.problems if "not in the file" in p.what]  # 龙港 … are, inside others


def test_2015_file_is_drawn_as_it_is(atlas_2015, boundaries):
    c = atlas_2015.counties.set_index("code")
    assert len(c) == 87 and not {"330383", "330113", "330114"} & set(c.index)
    b = boundaries.set_index("code")
    cangnan = shapely.union_all(b.loc[["330327", "330383"]].geometry.values)
    assert shapely.equals_exact(shapely.normalize(c.loc["330327"].geometry), shapely.normalize(cangnan), 1e-7) or (
        abs(shapely.area(c.loc["330327"].geometry) - shapely.area(cangnan)) < 1e-9
    )
    assert c.loc["330112", "name"] == "临安区" and c.loc["330112", "member"] == np.False_


def test_2015_map(atlas_2015, tmp_path):
    from geo.static import render_static, save_static

    fig = render_static(atlas_2015, "overview", size="a4")
    words = " ".join(t.get_text() for t in page_texts(fig))
    assert "苍南" in words and "龙港" not in words
    path = save_static(fig, tmp_path / "overview-2015.png", dpi=110)
    assert path.stat().st_size > 40_000


def test_a_merged_away_feature_is_drawn_with_its_main_successor(boundaries, tmp_path):
    g = boundaries[boundaries["code"].isin(["330102", "330106"])].copy()
    g.loc[g["code"] == "330102", ["code", "name"]] = ["330104", "江干区"]
    g.to_file(tmp_path / "jianggan.geojson")
    r = geo.boundaries.read_boundaries(tmp_path / "jianggan.geojson")
    assert set(r.counties["code"]) == {"330102", "330106"}
    w = [p for p in r.problems if p.severity == "warning" and "江干区" in p.where]
    assert w and w[0].what.endswith("Drawn as part of 上城区, which holds most of it.")
