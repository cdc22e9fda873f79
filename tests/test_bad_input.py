"""The bad-input suite: each messy file gets its exact outcome, through the CLI as a user
meets it. Cases are built from the embedded layers (no fixtures on disk)."""

import json
import zipfile

import pandas as pd
import pytest
from shapely.geometry import Polygon

from .conftest import run_cli, write_csv

MEMBERS = ["331127", "331126", "331181", "331125", "331102"]


@pytest.fixture
def five(boundaries):
    return boundaries[boundaries["code"].isin(MEMBERS)].reset_index(drop=True)


def check(*args):
    r = run_cli("check", *args, "--format", "json")
    assert "Traceback" not in r.stderr
    data = json.loads(r.stdout)
    return r.returncode, data["problems"], data["summary"]


def severities(problems):
    return sorted(p["severity"] for p in problems if p["severity"] in ("error", "repair", "warning"))


def test_zipped_shapefile(tmp_path, five):
    five.to_file(tmp_path / "xian.shp", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "xian.zip", "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            z.write(tmp_path / f"xian.{ext}", f"xian.{ext}")
    rc, _, summary = check(tmp_path / "xian.zip")
    assert rc == 0 and summary["error"] == 0


@pytest.mark.parametrize("suffix, driver", [("fgb", "FlatGeobuf"), ("parquet", None)])
def test_flatgeobuf_and_geoparquet(tmp_path, five, suffix, driver):
    path = tmp_path / f"xian.{suffix}"
    if driver:
        five.to_file(path, driver=driver)
    else:
        five.to_parquet(path)
    rc, _, summary = check(path)
    assert rc == 0 and summary["error"] == 0


@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:32651", "EPSG:4549", "EPSG:4550"])
def test_common_crs(tmp_path, five, crs):
    five.to_crs(crs).to_file(tmp_path / "x.gpkg")
    rc, _, summary = check(tmp_path / "x.gpkg")
    assert rc == 0 and summary["error"] == 0


def test_degrees_declared_as_metres(tmp_path, five):
    five.set_crs("EPSG:4549", allow_override=True).to_file(tmp_path / "x.gpkg")
    rc, problems, _ = check(tmp_path / "x.gpkg")
    assert rc == 1 and "look like degrees" in problems[0]["what"] and "--crs EPSG:4326" in problems[0]["what"]


def test_null_and_empty_geometry(tmp_path, five):
    g = five.copy()
    g.loc[0, "geometry"] = None
    g.loc[1, "geometry"] = Polygon()
    g.to_file(tmp_path / "x.geojson")
    rc, problems, _ = check(tmp_path / "x.geojson")
    errs = [p for p in problems if p["severity"] == "error"]
    assert rc == 1 and len(errs) == 2 and all("empty or null" in p["what"] for p in errs)
    assert {p["where"].split("(")[1].rstrip(")") for p in errs} == set(five["name"].iloc[:2])


def test_short_names_and_alias(tmp_path, five):
    g = five[["geometry"]].copy()
    g["区县"] = ["景宁县", "庆元", "丽水市龙泉市", "Yunhe", "莲都"]
    g.to_file(tmp_path / "x.gpkg")
    rc, _, summary = check(tmp_path / "x.gpkg")
    assert rc == 0 and summary["error"] == 0


def test_named_columns(tmp_path, five):
    g = five[["geometry"]].copy()
    g["QX"] = five["code"].values
    g.to_file(tmp_path / "x.gpkg")
    rc, problems, _ = check(tmp_path / "x.gpkg")  # an unfamiliar header: found by its values, and said
    assert rc == 0 and "county codes read from column 'QX': its header is not one we know, its values are codes." in [
        p["what"] for p in problems
    ]
    rc, _, _ = check(tmp_path / "x.gpkg", "--code-column", "QX")
    assert rc == 0
    g["QX"] = [f"片区{i}" for i in range(len(g))]  # values that are not counties: refused, naming the option
    g.to_file(tmp_path / "y.gpkg")
    rc, problems, _ = check(tmp_path / "y.gpkg")
    assert rc == 1 and "--code-column" in problems[0]["what"]


def test_repairs_only_exit_zero(tmp_path, five):
    g = five.copy()
    x0, y0, x1, y1 = g.geometry.iloc[0].bounds
    g.loc[0, "geometry"] = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    g.to_file(tmp_path / "bowtie.gpkg")
    r = run_cli("check", tmp_path / "bowtie.gpkg")
    assert r.returncode == 0
    assert "repair" in r.stdout and "make_valid" in r.stdout and "1 repair(s)" in r.stdout


def test_forced_wrong_encoding_shows_mojibake_as_unmatched(tmp_path, five):
    g = five[["geometry"]].copy()
    g["县名"] = five["name"].values
    g.to_file(tmp_path / "gbk.shp", encoding="gbk")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    rc, problems, summary = check(tmp_path / "gbk.shp")
    assert rc == 0 and any("gb18030" in p["what"] for p in problems)
    rc, problems, _ = check(tmp_path / "gbk.shp", "--encoding", "latin1")
    assert rc == 1 and summary["error"] == 0
    [err] = [p for p in problems if p["severity"] == "error"]
    assert "garbled" in err["what"] and "--encoding gbk" in err["what"]


def test_corrupt_xlsx_and_truncated_csv(tmp_path):
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    rc, problems, _ = check("--pairings", tmp_path / "t.xlsx")
    assert rc == 1 and "not a readable Excel workbook" in problems[0]["what"]
    (tmp_path / "cut.csv").write_text('山区县,结对县,来源\n景宁,"海盐,http://x\n', encoding="utf-8")
    rc, problems, _ = check("--pairings", tmp_path / "cut.csv")
    assert rc == 1 and problems[0]["severity"] == "error"


def test_table_row_with_unknown_county(tmp_path):
    f = write_csv(
        tmp_path / "s.csv", ["县", "称号", "来源"], [["景宁", "大花园示范县", "x"], ["桃花源县", "大花园示范县", "x"]]
    )
    rc, problems, summary = check(f)
    assert rc == 1 and summary["error"] == 1 and "'桃花源县'" in problems[0]["what"] and problems[0]["where"] == "row 3"


def test_xlsx_with_chinese_headers_through_the_atlas(tmp_path):
    f = tmp_path / "结对.xlsx"
    pd.DataFrame(
        [["景宁畲族自治县", "海盐县", "嘉兴市", 2016, "http://x"], ["龙泉市", "秀洲区", "嘉兴市", 2002, "http://y"]],
        columns=["山区县", "结对县(市、区)", "所属设区市", "结对年份", "来源"],
    ).to_excel(f, index=False)
    r = run_cli("pairs", "--pairings", f, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert {d["partner"] for d in json.loads(r.stdout)} == {"海盐县", "秀洲区"}
