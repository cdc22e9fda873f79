"""Core tests of the enclaves reader and the totals beside it (geo.tables.enclaves): every
message, fix and column of a user's table, the defaults and aliases, the points and their
sources, and the counts against the reported totals. Fast: no map is drawn."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.registry import get_registry
from geo.tables.enclaves import ENCLAVE_COLUMNS, KINDS, STATUSES, enclave_totals, read_enclaves

COLUMNS = ["id", "name", "kind", "beneficiary", "host", "signed", "started", "opened", "status", "lon", "lat",
           "location_source", "confidence", "source"]  # fmt: skip


@pytest.fixture(scope="module")
def reg():
    return get_registry()


def _read(tmp_path, rows, columns=COLUMNS, reg=None):
    path = tmp_path / "enclaves.csv"
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return read_enclaves(path, reg or get_registry())


def _said(result):
    return [(p.severity, p.where, p.column, p.what, p.fix) for p in result.problems]


def _row(id_, name, kind, b, host, years=("", "", ""), status="", point=("", "", ""), conf="low", src="seed-001"):
    return [id_, name, kind, b, host, *years, status, *point, conf, src]


def test_the_embedded_layer(reg):
    r = read_enclaves(None, reg)
    t = r.table
    assert not [p for p in r.problems if p.severity == "error"]
    assert list(t.columns) == ENCLAVE_COLUMNS and len(t) == 21
    assert t["kind"].value_counts().to_dict() == {"science": 7, "industrial": 7, "village-income": 5, "other": 2}
    assert set(t["status"]) <= set(STATUSES) and set(t["kind"]) <= set(KINDS)
    assert set(t["beneficiary_code"]) <= reg.mountain_codes
    assert (t["host_code"] != t["beneficiary_code"]).all()
    assert set(t["confidence"]) <= {"high", "medium", "low"}


def test_a_good_row_is_read_with_its_aliases(tmp_path, reg):
    r = _read(
        tmp_path, [_row("a", "庆元在南浔的飞地", "产业飞地", "庆元", "南浔", ("2019", "2020", "2021"), "在建")], reg=reg
    )
    assert _said(r) == []
    rec = r.table.iloc[0]
    assert (rec["kind"], rec["status"], rec["beneficiary_code"], rec["beneficiary"]) == (
        "industrial", "building", "331126", "庆元县")  # fmt: skip
    assert (rec["host_code"], rec["host"], rec["host_city_code"], rec["host_city"]) == (
        "330503",
        "南浔区",
        "3305",
        "湖州市",
    )
    assert (rec["signed"], rec["started"], rec["opened"], rec["lon"], rec["lat"]) == ("2019", "2020", "2021", "", "")
    assert (rec["confidence"], rec["source"], rec["id"]) == ("low", "seed-001", "a")
    assert list(r.table.columns) == ENCLAVE_COLUMNS  # the row number stays behind


@pytest.mark.parametrize(
    "row, expected",
    [
        (_row("b", "景宁的飞地", "", "景宁", "景宁"),
         ("error", "row 2", "host", "景宁畲族自治县 is both the beneficiary and the host: an enclave lies in another county.",
          "name the county the enclave lies in (飞入地) as the host.")),
        (_row("c", "", "科创", "景宁", "鄞州"),
         ("error", "row 2", "name", "the enclave has no name.", "write its name as the sources give it.")),
        (_row("d", "鄞州的飞地", "科创", "鄞州", "衢江"),
         ("error", "row 2", "beneficiary",
          "鄞州区 is not a mountain county in any edition of the list (2021, 2024, 2025).",
          "are the beneficiary and host columns swapped? The beneficiary is the mountain county whose enclave it is "
          "(飞出地), the host the county it lies in (飞入地).")),
        (_row("e", "火星飞地", "科创", "火星", "衢江"),
         ("error", "row 2", "beneficiary", "'火星' is not a Zhejiang county-level unit.",
          "write the full name (景宁畲族自治县), the short name (景宁) or the 6-digit code.")),
        (_row("h", "反了", "science", "文成", "鹿城", point=("28.0", "120.6", "seed-001"), conf="medium"),
         ("error", "row 2", "lon", "the point (28.0, 120.6) is not in Zhejiang.", "lon and lat are swapped: exchange them.")),
        (_row("k", "远点", "science", "文成", "鹿城", point=("100", "10", "seed-001"), conf="medium"),
         ("error", "row 2", "lon", "the point (100, 10) is not in Zhejiang.", "write WGS84 decimal degrees.")),
        (_row("i", "无源点", "science", "文成", "鹿城", point=("120.6", "28.0", ""), conf="medium"),
         ("error", "row 2", "location_source", "coordinates without the source that gives them.",
          "cite the gazetteer or the zone's published coordinates in location_source (a source id).")),
        (_row("i", "未知源", "science", "文成", "鹿城", point=("120.6", "28.0", "no-such-source"), conf="medium"),
         ("error", "row 2", "location_source", "coordinates without the source that gives them.",
          "cite the gazetteer or the zone's published coordinates in location_source (a source id).")),
        (_row("j", "字母点", "science", "文成", "鹿城", point=("x", "28.0", "seed-001"), conf="medium"),
         ("error", "row 2", "lon", "coordinates 'x', '28.0' are not two numbers.",
          "write decimal degrees (WGS84), e.g. lon 120.26, lat 30.18; or leave both empty.")),
    ],
)  # fmt: skip
def test_a_row_that_must_be_fixed_is_said_and_left_out(tmp_path, reg, row, expected):
    r = _read(tmp_path, [row], reg=reg)
    assert _said(r) == [expected] and r.table.empty


def test_points_with_their_source_and_a_source_without_a_point(tmp_path, reg):
    r = _read(tmp_path, [_row("g", "点位飞地", "science", "文成", "鹿城", point=("120.6", "28.0", "seed-001"), conf="medium"),
                         _row("l", "只有源", "science", "文成", "鹿城", point=("", "", "seed-001"), conf="medium")], reg=reg)  # fmt: skip
    assert _said(r) == [("warning", "row 3", "location_source", "a location source without coordinates is ignored.",
                         "give lon and lat, or leave location_source empty.")]  # fmt: skip
    assert r.table[["id", "lon", "lat"]].values.tolist() == [["g", "120.6", "28.0"], ["l", "", ""]]
    # the bounds are inclusive: a point on Zhejiang's box is in it
    edge = _read(tmp_path, [_row("z", "角", "science", "文成", "鹿城", point=("118.0", "27.0", "seed-001"), conf="high"),
                            _row("y", "角2", "science", "文成", "鹿城", point=("123.3", "31.2", "seed-001"), conf="high")],
                 reg=reg)  # fmt: skip
    assert _said(edge) == [] and len(edge.table) == 2


def test_defaults_years_and_the_confidence_rule(tmp_path, reg):
    r = _read(tmp_path, [_row("f", "倒序飞地", "other", "文成", "鹿城", ("2022", "2021", ""), "open", conf=""),
                         _row("n", "无类型", "", "文成", "鹿城")], reg=reg)  # fmt: skip
    assert _said(r) == [
        ("warning", "row 2", "opened", "the years run backwards (signed, started, opened).",
         "check which step each year belongs to."),
        ("error", "row 2", "confidence", "'' is not one of high, medium, low.", "use one of high, medium, low."),
    ]  # fmt: skip
    rec = r.table.set_index("id")
    assert (rec.at["n", "kind"], rec.at["n", "status"]) == ("other", "unknown")  # left blank
    assert (rec.at["f", "kind"], rec.at["f", "status"], rec.at["f", "signed"]) == ("other", "open", "2022")
    # no confidence column at all: drawn as unrated, and said once
    cols = [c for c in COLUMNS if c != "confidence"]
    rows = [[v for c, v in zip(COLUMNS, _row("x", "甲", "", "文成", "鹿城"), strict=True) if c != "confidence"]]
    r = _read(tmp_path, rows, cols, reg)
    assert _said(r) == [("warning", "header", "", "no confidence column: enclaves are drawn as unrated.",
                         "add a 'confidence' column (high, medium, low).")]  # fmt: skip
    assert r.table["confidence"].tolist() == ["unrated"]


def test_duplicates_are_refused(tmp_path, reg):
    same = _row("x", "同名", "", "文成", "鹿城")
    r = _read(tmp_path, [same, same, _row("x", "别名", "", "文成", "鹿城")], reg=reg)
    said = _said(r)
    assert ("error", "rows 2, 3", "", "duplicate enclave: 文成县 / 330302 / 同名.",
            "keep one row and merge their sources in it.") in said  # fmt: skip
    assert (
        "error",
        "rows 2, 3, 4",
        "",
        "duplicate enclave id: x.",
        "keep one row and merge their sources in it.",
    ) in said
    assert len(said) == 2


def test_a_zone_without_its_city_is_refused(tmp_path, reg):
    r = _read(tmp_path, [_row("m", "滨海飞地", "industrial", "开化", "绍兴滨海新区")], reg=reg)
    [(severity, where, column, what, fix)] = _said(r)
    assert (severity, where, column) == ("error", "row 2", "host")
    assert what.startswith("host '绍兴滨海新区' is not a Zhejiang county-level unit") and "no parent city" in what
    assert "needs host_city" in fix


def test_totals_beside_the_layers_counts(reg):
    e = pd.DataFrame({
        "beneficiary_code": ["331126", "331126", "330328", "331127", "331127"],
        "kind": ["industrial", "science", "other", "village-income", "science"],
        "signed": ["2019", "", "2024", "", "2025"],
        "started": ["", "2023", "", "", ""],
        "opened": ["", "", "", "", "2021"],
    })  # fmt: skip
    t = enclave_totals(e, reg).set_index("as_of")
    cols = ["layer", "undated", "layer_industrial", "layer_science", "layer_village_income", "layer_other"]
    # the province by 2021-08: 331126's 2019 and 331127's 2021 (its earliest year), 331127's undated one
    assert t.loc["2021-08", cols].tolist() == [2, 1, 1, 1, 1, 0]
    # 丽水 by 2024-09: the 330328 enclave is 温州's; 2019, 2023 and 2021 are dated, one undated
    assert t.loc["2024-09", cols].tolist() == [3, 1, 1, 2, 1, 0]
    assert math.isclose(t.at["2021-08", "share"], 3 / 42) and math.isclose(t.at["2024-09", "share"], 4 / 30)
    assert t.at["2024-09", "scope"] == "city" and t.at["2024-09", "area_code"] == "3311"
