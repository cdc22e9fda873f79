"""geo.registry: name forms, suggestions, former names and editions, on the embedded
registry and on a synthetic one (Registry takes its tables and its history as arguments)."""

from __future__ import annotations

import pytest

from geo.errors import CountyNameError, FormerUnitError, GeoError
from geo.registry import DEFAULT_EDITION, Edition, Registry, folding_note, get_registry, normalize_name, simplified

from .synthetic import HISTORY, TABLES

REG = get_registry()


@pytest.fixture
def reg():
    return Registry(TABLES, HISTORY)


def test_a_synthetic_registry_reads_its_tables(reg):
    assert list(reg.cities) == ["9901", "9902"]
    assert reg.cities["9902"].short_name == "乙"
    east = reg.counties["990101"]
    assert (east.name, east.short_name, east.kind, east.city_code, east.city, east.romanized) == (
        "东区", "东", "区", "9901", "甲市", "Dong")  # fmt: skip
    assert (east.population_2020, east.population_note, east.population_note_en, east.population_source) == (
        1000, "注", "note", "src")  # fmt: skip
    assert reg.counties["990102"].population_2020 is None
    assert reg.counties["990201"].population_note_en == "" and reg.counties["990201"].population_source == ""
    assert reg.counties["990103"].name_en == "Shui She Autonomous County"
    assert reg.counties["990102"].name_en == "Shan County"
    e1 = reg.editions["E1"]
    assert e1 == Edition(
        "E1", "一号名单", "2021-01-01", "high", "a; b ;", "注一", ("990102", "990103"), "List one", "Note one"
    )
    assert e1.source_ids == ["a", "b"]
    assert "990103" in e1 and "990201" not in e1
    assert reg.editions["2021"].title_en == "" and reg.editions["2021"].note_en == ""
    assert reg.mountain_codes == {"990102", "990103", "990201"}
    assert len(reg.counties) == 5
    assert reg.history == HISTORY


@pytest.mark.parametrize(
    "name, code",
    [
        ("东区", "990101"),
        ("东", "990101"),  # the first unit of a short name shared by two
        ("东县", "990201"),
        ("990201", "990201"),
        ("990201.0", "990201"),  # a code read from a spreadsheet as a float
        ("９９０２０１", "990201"),
        ("Dong", "990101"),
        ("dong district", "990101"),
        ("Dong区", "990101"),
        ("水县", "990103"),  # an autonomous county by 县 and 自治县
        ("水自治县", "990103"),
        ("Shui She Autonomous County", "990103"),
        ("甲市东区", "990101"),  # a city prefix
        ("甲东", "990101"),
        ("乙市东县", "990201"),
        ("乙市东", None),  # 东 is 甲市's: the prefix must be the unit's city
        ("甲市", None),  # a prefix alone
        ("浙江省东区", "990101"),
        (" 东 区 ", "990101"),
        ("", None),
        ("  ", None),
        ("9902010", None),
        ("99020", None),
        ("990199", None),
        ("西区", None),
    ],
)
def test_find_county_name_forms(reg, name, code):
    found = reg.find_county(name)
    assert (found.code if found else None) == code
    assert reg.find_county(name) is found  # memo


def test_find_county_memo_keeps_strings_only(reg):
    r = Registry(TABLES, HISTORY)
    assert r.find_county(990101).code == "990101"
    assert 990101 not in r.__dict__["_found"]
    assert r.find_county("东区").code == "990101"
    assert r.__dict__["_found"]["东区"].code == "990101"


@pytest.mark.parametrize(
    "name, code",
    [
        ("景宁", "331127"),
        ("景宁县", "331127"),
        ("景宁自治县", "331127"),
        ("景宁畲族自治县", "331127"),
        ("Jingning", "331127"),
        ("jingning she autonomous county", "331127"),
        ("丽水市景宁", "331127"),
        ("丽水景宁", "331127"),
        ("景寧縣", "331127"),  # traditional characters
        ("浙江景宁", "331127"),
        ("杭州市莲都区", None),
        ("Lishui", None),
    ],
)
def test_find_county_embedded(name, code):
    found = REG.find_county(name)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    "name, expected",
    [
        ("景宇", ["景宁畲族自治县"]),
        ("丽水市莲部区", ["莲都区"]),  # a city-prefixed misspelling
        ("景寧宇", ["景宁畲族自治县"]),
        ("xyz", []),
        ("龙泉", ["龙泉市", "龙湾区", "龙游县"]),
    ],
)
def test_suggest(name, expected):
    assert REG.suggest(name) == expected


def test_suggest_limits_and_dedups():
    many = REG.suggest("江县", n=5)
    assert many == ["浦江县", "衢江区", "滨江区", "江山市", "江北区"]
    assert REG.suggest("江县", n=2) == many[:2]
    assert REG.suggest("江县") == many[:3]


def test_suggest_on_a_synthetic_registry(reg):
    assert reg.suggest("东x") == ["东区", "东县"]
    assert reg.suggest("甲市山x") == ["山县"]
    assert reg.suggest("甲山x") == ["山县"]
    assert reg.suggest("990101") == []  # codes are never suggested


def test_former_names_of_a_synthetic_history(reg):
    assert reg.resolve("旧东市")[0].code == "990101"
    for name in ("旧东市", "旧东", "县级旧东市", "990104", "990104.0", "甲市旧东市", "甲旧东"):
        c, former = reg.resolve(name)
        assert (c.code, former.code, former.name) == ("990101", "990104", "旧东市"), name
    assert reg.find_former("乙市旧东市") is None  # 乙市 holds neither the unit nor its successor
    c, former = reg.resolve("分区")
    assert c is None and former.successors == ("990101", "990102") and former.resolves_to is None
    assert reg.find_former("甲市分区").code == "990105"
    assert reg.find_former("东区") is None  # today's name is never a former one
    assert reg.find_former("990107").name == "东区"  # its former code still is
    assert reg.resolve("990107")[0].code == "990101"
    assert reg.resolve("林县")[0].code == "990102" and reg.resolve("林县")[1].merged is True
    assert reg.find_former("990101") is None
    assert reg.find_former("") is None and reg.find_former("  ") is None
    assert reg.find_former("西区") is None
    assert reg.resolve("东区") == (reg.counties["990101"], None)
    assert reg.resolve("西区") == (None, None)


def test_former_names_embedded():
    c, f = REG.resolve("临安市")
    assert (c.code, f.code) == ("330112", "330185")
    assert REG.resolve("330185")[0].code == "330112"
    assert REG.resolve("下城区")[0].code == "330105"
    assert REG.resolve("县级丽水市")[0].code == "331102"
    assert REG.resolve("臨安市")[0].code == "330112"  # traditional characters
    c, f = REG.resolve("杭州市江干区")
    assert c is None and f.code == "330104"
    assert REG.resolve("丽水市") == (None, None)  # today's city, not the former county-level city


def test_county_raises_with_the_right_error(reg):
    assert reg.county("旧东").code == "990101"
    with pytest.raises(FormerUnitError) as exc:
        reg.county("分区", "row 3")
    assert exc.value.suggestions == ["东区", "山县"]
    assert "分区 (990105) was abolished on 2011-01-01 (文2)" in str(exc.value)
    assert "row 3" in str(exc.value)
    with pytest.raises(CountyNameError) as exc:
        reg.county("东x", "row 4")
    assert exc.value.suggestions == ["东区", "东县"]
    assert "row 4" in str(exc.value)


@pytest.mark.parametrize(
    "name, code",
    [
        ("9901", "9901"),
        ("990100", "9901"),
        ("甲市", "9901"),
        ("甲", "9901"),
        ("Jia", "9901"),
        ("jia city", "9901"),
        ("99010", None),
        ("9903", None),
        ("丙市", None),
    ],
)
def test_find_city(reg, name, code):
    found = reg.find_city(name)
    assert (found.code if found else None) == code


def test_find_city_embedded():
    assert REG.find_city("麗水市").code == "3311"
    assert REG.find_city("lishui city").code == "3311"


def test_editions(reg):
    assert DEFAULT_EDITION == "2021"
    assert reg.edition().id == "2021"
    assert reg.edition("").id == "2021"
    assert reg.edition(" E1 ").id == "E1"
    with pytest.raises(GeoError, match=r"unknown edition 'E9' of the mountain-county list; available: 2021, E1 \("):
        reg.edition("E9")
    assert reg.find_edition("e1").id == "E1"
    assert reg.find_edition("一号名单").id == "E1"
    assert reg.find_edition(" 默认 名单 ").id == "2021"
    assert reg.find_edition("E2") is None
    assert REG.edition(2024).id == "2024"


@pytest.mark.parametrize(
    "text, key",
    [
        ("浙江省 Jing-ning（县）", "jingning县"),
        ("浙江景宁", "景宁"),
        ("Ｊｉｎｇ·ning_'’`.,，。()", "jingning"),
        (330102, "330102"),
    ],
)
def test_normalize_name(text, key):
    assert normalize_name(text) == key


def test_simplified_and_the_folding_note():
    assert simplified("景寧縣") == "景宁县"
    assert simplified("景宁县") is None
    assert simplified(123) is None
    assert folding_note("景寧縣", "景宁畲族自治县") == (
        "names in traditional characters are matched by their simplified form (景寧縣 → 景宁畲族自治县)."
    )
    assert folding_note("景宁", "景宁畲族自治县") is None
    assert folding_note("", "景宁") is None
    assert folding_note("景寧", "景寧") is None


def test_the_embedded_registry_read_afresh():
    r = Registry()
    assert len(r.counties) == 90 and len(r.cities) == 11 and r.history is None
    assert sorted(r.editions) == ["2021", "2024", "2025"] and len(r.editions["2021"].members) == 26
    assert (
        r.counties["331127"].population_2020 == 111011 and r.counties["331127"].population_source == "nbs-census-2020"
    )


def test_an_edition_without_members(reg):
    tables = {**TABLES, "editions.csv": [*TABLES["editions.csv"], {**TABLES["editions.csv"][0], "edition": "E3"}]}
    assert Registry(tables, HISTORY).editions["E3"].members == ()


def test_former_name_forms_embedded():
    assert REG.find_former("江干").code == "330104"  # a district's short name
    assert REG.find_former("县级临安市").code == "330185"  # 县级 only before a city's name
    assert REG.find_former("县级江干区") is None


def test_county_errors_carry_the_name():
    with pytest.raises(CountyNameError) as exc:
        REG.county("西藏")
    assert exc.value.name == "西藏" and str(exc.value).startswith("'西藏' is not")
    with pytest.raises(FormerUnitError) as exc:
        REG.county("江干区")
    assert exc.value.name == "江干区" and str(exc.value).startswith("'江干区' is no longer a county-level unit: ")
