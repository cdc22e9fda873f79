"""Chinese first: the coded values (confidence, level, state, category, scopes, the enclaves'
kind and status, the sources' kind) offered and shown by their labels, 高/中/低 before
high/medium/low. The template's drop-downs list the labels; the readers take the codes and
the labels in either language back to the codes; QGIS shows the GeoPackage's codes by their
labels; and every label is the catalog's word, the one the maps print."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import geo
from geo.codes import FIELDS, code_of, codes, label, labels, to_code
from geo.gpkg.qml import NULL_VALUE

from .conftest import LAYERS, write_csv

# ---------------------------------------------------------------------------------------
# the codes and their labels
# ---------------------------------------------------------------------------------------


def test_the_fields_are_the_layers_codes():
    from geo.sources import KINDS as SOURCE_KINDS
    from geo.tables import CATEGORIES, CONFIDENCE, KINDS, LEVELS, STATES, STATUSES

    assert codes("confidence") == CONFIDENCE and codes("level") == LEVELS and codes("state") == STATES
    assert codes("category") == CATEGORIES and codes("enclave_kind") == KINDS and codes("enclave_status") == STATUSES
    assert codes("source_kind") == SOURCE_KINDS


def test_labels_are_the_words_the_maps_print():
    from geo.words import confidence_label, enclave_label, level_label, state_label

    assert labels("confidence") == ["高", "中", "低"] and labels("confidence", "en") == ["high", "medium", "low"]
    assert labels("state") == ["已命名", "拟命名", "创建目标"] and labels("level") == ["国家级", "省级", "市级"]
    for lang in ("zh", "en"):
        assert [confidence_label(c, lang) for c in codes("confidence")] == labels("confidence", lang)
        assert [state_label(c, lang) for c in codes("state")] == labels("state", lang)
        assert [level_label(c, lang) for c in codes("level")] == labels("level", lang)
        assert [enclave_label(c, lang) for c in codes("enclave_kind")] == labels("enclave_kind", lang)
        assert [enclave_label(c, lang) for c in codes("enclave_status")] == labels("enclave_status", lang)
    assert label("confidence", "unrated") == "未评级" and label("level", "") == ""


@pytest.mark.parametrize("field", list(FIELDS))
def test_every_label_reads_back_as_its_code_and_none_is_two_codes(field):
    for lang in ("zh", "en"):
        words = labels(field, lang)
        assert len(set(words)) == len(words), (field, lang)
        for code, word in zip(codes(field), words, strict=True):
            assert to_code(field, word) == code
            assert to_code(field, f" {word.upper()} ") == code  # any case, spaces around
            assert code_of(codes(field), word) == code
        assert [to_code(field, c) for c in codes(field)] == list(codes(field))
    assert to_code(field, "") == "" and to_code(field, "Nonsense") == "nonsense"
    assert code_of(("x", "y"), "高") is None  # not a field's codes: no labels


def test_full_width_and_mixed_case_labels():
    assert (
        to_code("confidence", "ＨＩＧＨ") == "high"
        and to_code("enclave_kind", "Village-Income Enclave") == "village-income"
    )
    assert to_code("enclave_status", "In operation") == "open" and to_code("coverage_scope", "名单") == "edition"


# ---------------------------------------------------------------------------------------
# the template
# ---------------------------------------------------------------------------------------

#: the coded columns of each sheet, by their headers
CODED = {
    "结对": {"可信度": "confidence"},
    "政策覆盖": {"范围": "coverage_scope"},
    "称号": {"范围": "status_scope", "类别": "category", "级别": "level", "状态": "state", "可信度": "confidence"},
    "飞地": {"飞地类型": "enclave_kind", "状态": "enclave_status", "可信度": "confidence"},
    "来源": {"类型": "source_kind"},
}


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    from geo.template import write_template

    d = tmp_path_factory.mktemp("labels")
    return {lang: write_template(d / f"{lang}.xlsx", lang=lang) for lang in ("zh", "en")}


def _dropdowns(wb, sheet) -> dict[str, list[str]]:
    """Each drop-down of ``sheet`` by its column's header: the values of the list it names."""
    ws, out = wb[sheet], {}
    headers = [c.value for c in ws[1]]
    for dv in ws.data_validations.dataValidation:
        target = str(dv.sqref).split(":")[0].rstrip("0123456789")
        ref = dv.formula1.split("!")[1].replace("$", "")
        col, first, last = ref[0], int(ref.split(":")[0][1:]), int(ref.split(":")[1][1:])
        values = [wb[dv.formula1.split("!")[0].strip("'")][f"{col}{r}"].value for r in range(first, last + 1)]
        out[headers[ws[f"{target}1"].column - 1]] = values
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_offers_and_shows_labels(workbooks, lang):
    from openpyxl import load_workbook

    wb = load_workbook(workbooks[lang])
    for sheet, columns in CODED.items():
        lists = _dropdowns(wb, sheet)
        headers = [c.value for c in wb[sheet][1]]
        for header, field in columns.items():
            shown = labels(field, lang)[: 4 if field == "source_kind" else None]
            assert lists[header] == shown, (sheet, header)
            # the cells hold labels too (a blank where a fact has none)
            col = headers.index(header)
            cells = {row[col] for row in wb[sheet].iter_rows(min_row=2, values_only=True)} - {None, ""}
            assert cells and cells <= set(labels(field, lang)), (sheet, header, cells - set(labels(field, lang)))
    if lang == "zh":
        assert _dropdowns(wb, "结对")["可信度"] == ["高", "中", "低"]
        assert _dropdowns(wb, "称号")["状态"] == ["已命名", "拟命名", "创建目标"]
        info = {(r[0], r[1]): r[4] for r in wb["说明"].iter_rows(min_row=2, values_only=True) if r and r[0]}
        assert info["结对", "可信度"] == "下拉：高、中、低；也可填 high、medium、low"
    else:
        assert _dropdowns(wb, "飞地")["状态"] == ["agreed", "under construction", "in operation", "progress unknown"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_reads_back_as_the_codes(workbooks, lang):
    from geo.tables import read_coverage, read_enclaves, read_pairings, read_status

    for reader in (read_pairings, read_coverage, read_status, read_enclaves):
        embedded, back = reader(), reader(workbooks[lang])
        assert back.errors == []
        pd.testing.assert_frame_equal(embedded.table, back.table)
    from geo.tables import workbook_sources

    found, problems = workbook_sources(workbooks[lang])
    assert not [p for p in problems if p.severity == "error"]
    assert not found  # the built-in records, read back the same (their kinds as labels): nothing new


def test_template_lang_on_the_command_line(tmp_path):
    from openpyxl import load_workbook

    from .conftest import run_cli

    r = run_cli("template", tmp_path / "pairings.xlsx", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert _dropdowns(load_workbook(tmp_path / "pairings.xlsx"), "结对")["可信度"] == ["high", "medium", "low"]


# ---------------------------------------------------------------------------------------
# the user's files: codes, Chinese labels, English labels
# ---------------------------------------------------------------------------------------


def _relabelled(name: str, columns: dict[str, str], lang: str | None) -> pd.DataFrame:
    """The embedded layer ``name`` with its coded ``columns`` (column → field) as labels in
    ``lang`` (None: the codes as they are)."""
    df = pd.read_csv(LAYERS / f"{name}.csv", dtype=str, keep_default_na=False)
    if lang:
        for col, field in columns.items():
            df[col] = [label(field, v, lang) for v in df[col]]
    return df


def _xlsx(df: pd.DataFrame, path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    for r in ws.iter_rows():
        for c in r:
            c.data_type = "s"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def pairing_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("pairings")
    out = {}
    for lang in ("zh", "en", None):
        df = _relabelled("pairings", {"confidence": "confidence"}, lang)
        if lang == "zh":
            assert set(df["confidence"]) == {"高", "中", "低"}
        out[f"{lang}.csv"] = write_csv(d / f"{lang}.csv", list(df.columns), df.values.tolist())
        out[f"{lang}.xlsx"] = _xlsx(df, d / f"{lang}.xlsx")
    return out


@pytest.mark.parametrize("name", ["zh.csv", "en.csv", "None.csv", "zh.xlsx", "en.xlsx", "None.xlsx"])
def test_pairings_with_labels_load_as_the_codes(atlas, pairing_files, name):
    a = geo.load_atlas(pairings=pairing_files[name])
    assert not [p for p in a.problems if p.severity == "error"]
    assert list(a.pairings["confidence"]) == list(atlas.pairings["confidence"])
    assert set(a.pairings["confidence"]) == {"high", "medium", "low"}
    pd.testing.assert_frame_equal(a.links.drop(columns="geometry"), atlas.links.drop(columns="geometry"))


LAYER_CODES = {
    "status": {"scope": "status_scope", "category": "category", "level": "level", "state": "state",
               "confidence": "confidence"},
    "enclaves": {"kind": "enclave_kind", "status": "enclave_status", "confidence": "confidence"},
    "coverage": {"scope": "coverage_scope"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("layer", list(LAYER_CODES))
def test_every_coded_column_reads_its_labels(tmp_path, layer, lang):
    from geo.tables import read_coverage, read_enclaves, read_status

    reader = {"status": read_status, "enclaves": read_enclaves, "coverage": read_coverage}[layer]
    df = _relabelled(layer, LAYER_CODES[layer], lang)
    path = write_csv(tmp_path / f"{layer}.csv", list(df.columns), df.values.tolist())
    back, embedded = reader(path), reader()
    assert back.errors == []
    pd.testing.assert_frame_equal(back.table, embedded.table)


def test_a_word_that_is_no_label_is_still_refused(tmp_path):
    from geo.tables import read_pairings

    path = write_csv(tmp_path / "p.csv", ["山区县", "结对县", "可信度", "来源"], [["庆元县", "嘉善县", "很高", "x"]])
    [err] = [p for p in read_pairings(path).errors if p.column == "confidence"]
    assert "'很高'" in err.what


def test_the_sources_kind_reads_its_labels(tmp_path):
    from geo.tables import read_user_sources

    rows = [
        ["a-1", "嘉兴日报", "标题", "2018-05-10", "主要媒体"],
        ["a-2", "某局", "标题二", "2019", "government website"],
    ]
    path = write_csv(tmp_path / "s.csv", ["id", "issuer", "title", "date", "kind"], rows)
    found, problems = read_user_sources(path)
    assert not [p for p in problems if p.severity == "error"]
    assert [found[i].kind for i in ("a-1", "a-2")] == ["major_outlet", "government_site"]


# ---------------------------------------------------------------------------------------
# the GeoPackage: the codes stored, the labels shown
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gpkg_db(atlas, tmp_path_factory):
    path = geo.export_gpkg(atlas, tmp_path_factory.mktemp("gpkg") / "atlas.gpkg")
    con = sqlite3.connect(path)
    yield con
    con.close()


def _value_maps(qml: str) -> dict[str, dict[str, str]]:
    """The Value Map widgets of a QML style: ``{column: {code: label}}``."""
    root = ET.fromstring(qml.split("\n", 1)[1])
    out = {}
    for fld in root.iterfind("fieldConfiguration/field"):
        widget = fld.find("editWidget")
        assert widget.get("type") == "ValueMap"
        entries = widget.findall("config/Option/Option[@name='map']/Option/Option")
        out[fld.get("name")] = {e.get("value"): e.get("name") for e in entries}
        assert out[fld.get("name")].pop(NULL_VALUE) == "NULL"  # QGIS's NULL, shown as without the widget
    return out


def test_the_gpkg_keeps_the_codes_and_its_styles_show_the_labels(gpkg_db):
    assert {c for (c,) in gpkg_db.execute("SELECT DISTINCT confidence FROM links")} <= {"high", "medium", "low"}
    styles = {(t, n): q for t, n, q in gpkg_db.execute("SELECT f_table_name, styleName, styleQML FROM layer_styles")}
    for (layer, name), qml in styles.items():
        lang = name.rsplit("-", 1)[1]
        maps = _value_maps(qml)
        assert "Forms" in ET.fromstring(qml.split("\n", 1)[1]).get("styleCategories")
        if layer in ("links", "enclaves", "status", "sources"):
            assert {k: v for k, v in maps["confidence"].items() if k in codes("confidence")} == dict(
                zip(codes("confidence"), labels("confidence", lang), strict=True)
            )
    zh = _value_maps(styles["links", "pairing-zh"])
    assert zh["confidence"] == {"high": "高", "medium": "中", "low": "低"}
    assert _value_maps(styles["links", "pairing-en"])["confidence"] == {
        "high": "high",
        "medium": "medium",
        "low": "low",
    }
    status = _value_maps(styles["status", "fields-zh"])
    assert status["level"] == {"national": "国家级", "provincial": "省级", "municipal": "市级"}
    assert status["state"] == {"named": "已命名", "proposed": "拟命名", "target": "创建目标"}
    enclaves = _value_maps(styles["enclaves", "pairing-zh"])
    assert enclaves["kind"]["village-income"] == "消薄飞地" and enclaves["status"]["open"] == "已运营"
    assert _value_maps(styles["coverage", "fields-zh"]) == {
        "scope": {"county": "县", "city": "设区市", "edition": "名单"}
    }
    counties = _value_maps(styles["counties", "overview-zh"])
    assert counties["pairing_status"] == {"sourced": "有已查证结对县", "no sourced partner": "无已查证结对县"}
    # what a column shows is what its label column holds
    for code, word in gpkg_db.execute("SELECT DISTINCT kind, kind_zh FROM sources"):
        assert _value_maps(styles["sources", "fields-zh"])["kind"][code] == word


def test_libreoffice_calc_opens_the_template_and_shows_the_labels(workbooks, tmp_path):
    """The template as a planner opens it in LibreOffice Calc (printed to PDF): it loads, and
    the pairing sheet's confidence cells read 高/中/低, not the codes behind them."""
    import shutil
    import subprocess

    from . import pdfwords

    if not shutil.which("soffice"):
        pytest.fail("LibreOffice is not installed: run `make test` (it installs it).")
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbooks["zh"])],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    pdf = tmp_path / "zh.pdf"
    assert r.returncode == 0 and pdf.exists(), (r.stdout, r.stderr, "libreoffice-calc-nogui installed?")
    found = pdfwords.words(pdf)
    # the pairing sheet: the page whose headings run 轮次, 可信度 (Calc prints its wide sheet in
    # pieces); the confidence column under the heading
    heads = [w for w in found if w.text == "可信度" and any(
        v.page == w.page and v.text == "轮次" and abs(v.y0 - w.y0) < 2 for v in found)]  # fmt: skip
    assert heads, "no pairing sheet with a 可信度 heading in Calc's PDF"
    cells = [w.text for h in heads for w in found
             if w.page == h.page and w.y0 > h.y1 and w.x0 < h.x1 and w.x1 > h.x0]  # fmt: skip
    assert len(cells) >= 20 and set(cells) <= {"高", "中", "低"}, cells
    assert "景宁畲族自治县" in {w.text for w in found}
