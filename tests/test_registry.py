"""The county registry, the editions of the list, and name matching."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import CountyNameError, GeoError
from geo.registry import get_registry

REG = get_registry()
COUNTIES = sorted(REG.counties.values(), key=lambda c: c.code)


def test_ninety_units_eleven_cities(registry):
    assert len(registry.counties) == 90
    assert len(registry.cities) == 11
    assert {c.city_code for c in registry.counties.values()} == set(registry.cities)
    # after the 2021 Hangzhou reorganisation: 临平, 钱塘 in; 下城, 江干 out
    assert {"330113", "330114"} <= set(registry.counties)
    assert not {"330103", "330104"} & set(registry.counties)


def test_kinds_and_short_names(registry):
    assert {c.kind for c in registry.counties.values()} == {"区", "县", "市", "自治县"}
    jn = registry.counties["331127"]
    assert (jn.short_name, jn.kind, jn.romanized) == ("景宁", "自治县", "Jingning")
    assert jn.name_en == "Jingning She Autonomous County"
    shorts = [c.short_name for c in registry.counties.values()]
    assert len(shorts) == len(set(shorts)), "short names must be unique to be usable as keys"


def test_edition_2021_is_the_seed_annex(registry, seed_001):
    names = seed_001["annex_names"]
    codes = {registry.county(n).code for n in names}
    assert len(codes) == 26
    ed = registry.edition("2021")
    assert set(ed.members) == codes
    assert ed.date == "2021-05-06"
    assert registry.edition(None) is ed  # the default edition


def test_edition_2024(registry):
    e21, e24 = set(registry.edition("2021").members), set(registry.edition("2024").members)
    assert len(e24) == 25
    name = lambda codes: {registry.counties[c].short_name for c in codes}  # noqa: E731
    assert name(e21 - e24) == {"平阳", "柯城", "莲都"}
    assert name(e24 - e21) == {"洞头", "嵊泗"}
    assert registry.edition("2024").source and registry.edition("2024").date == "2024-08-21"


def test_unknown_edition(registry):
    with pytest.raises(GeoError, match="available: 2021, 2024"):
        registry.edition("2030")


@pytest.mark.parametrize(
    "text, code",
    [
        ("淳安", "330127"),
        ("淳安县", "330127"),
        ("景宁", "331127"),
        ("景宁县", "331127"),
        ("景宁畲族自治县", "331127"),
        ("丽水市景宁畲族自治县", "331127"),
        ("丽水市莲都区", "331102"),
        ("浙江省丽水市莲都区", "331102"),
        ("丽水莲都", "331102"),
        ("331127", "331127"),
        ("331127.0", "331127"),
        (331127, "331127"),
        ("Jingning", "331127"),
        ("Chun'an", "330127"),
        ("chunan", "330127"),
        ("Longquan City", "331181"),
        (" 龙泉市 ", "331181"),
        ("ＬＯＮＧＱＵＡＮ", "331181"),
    ],
)
def test_name_forms(registry, text, code):
    assert registry.county(text).code == code


def test_unknown_name_suggests_nearest(registry):
    with pytest.raises(CountyNameError) as exc:
        registry.county("西糊区")
    assert exc.value.suggestions[0] == "西湖区"
    assert "Did you mean 西湖区" in str(exc.value)
    with pytest.raises(CountyNameError) as exc:
        registry.county("丽水市景宇县")
    assert "景宁畲族自治县" in exc.value.suggestions
    # abolished in 2021: 下城区 wholly into 拱墅区 (resolved), 江干区 into two (says where)
    assert registry.county("下城区").name == "拱墅区"
    with pytest.raises(CountyNameError, match="上城区 or 钱塘区"):
        registry.county("江干区")


def test_city_prefix_must_be_the_right_city(registry):
    assert registry.find_county("温州市莲都区") is None


def test_cities(registry):
    assert registry.find_city("丽水").code == "3311"
    assert registry.find_city("331100").code == "3311"
    assert registry.find_city("Lishui").name == "丽水市"


def _decorate(county, prefix, suffix_form, spaces, fullwidth):
    name = {0: county.name, 1: county.short_name, 2: county.code}[suffix_form]
    if prefix == 1 and suffix_form != 2:
        name = county.city + name
    elif prefix == 2 and suffix_form != 2:
        name = "浙江省" + county.city + name
    if fullwidth:
        name = "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" else ch for ch in name)
    return " " * spaces + name + "\u3000" * spaces


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COUNTIES), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.booleans())
def test_decorated_names_resolve(county, prefix, form, spaces, fullwidth):
    text = _decorate(county, prefix, form, spaces, fullwidth)
    assert REG.county(text).code == county.code


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lo"]), min_size=1, max_size=6))
def test_random_text_resolves_or_raises_cleanly(text):
    try:
        c = REG.county(text)
    except CountyNameError as exc:
        assert text in str(exc) or unicodedata.normalize("NFKC", text) in str(exc)
    else:
        assert c.code in REG.counties
