"""County profiles (一县一图) and the book: pages, text that fits, bookmarks, fonts."""

import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

import geo
from geo.products.profile import MIN_PT, profile_pages, render_profile, save_profile

from .conftest import off_page, page_texts, run_cli

CASES = ["景宁", "淳安", "永嘉"]  # two partners; clauses through its city; no sourced partner


@pytest.fixture(scope="module")
def profiles(atlas):
    return {c: profile_pages(atlas, c) for c in CASES}


@pytest.fixture(scope="module")
def pages_of(atlas, profiles):
    """``pages_of(county, lang)``: the pages of :func:`profile_pages`, made once for the
    module (the Chinese ones of :data:`CASES` are :func:`profiles`')."""
    cache = {(c, "zh"): pages for c, pages in profiles.items()}

    def get(county, lang):
        if (county, lang) not in cache:
            cache[county, lang] = profile_pages(atlas, county, lang=lang)
        return cache[county, lang]

    return get


@pytest.mark.parametrize("county", CASES)
def test_text_fits_and_never_below_7pt(profiles, county):
    for page in profiles[county]:
        for t in page_texts(page):
            assert t.get_fontsize() >= MIN_PT - 1e-6, (county, t.get_text()[:30], t.get_fontsize())
        assert off_page(page) == [], county


def test_profile_content(atlas, profiles):
    page = " ".join(t.get_text() for pg in profiles["永嘉"] for t in page_texts(pg))
    assert "永嘉县" in page and "无已查证结对县" in page and "山区26县（2021-05-06）" in page
    jn = " ".join(t.get_text() for pg in profiles["景宁"] for t in page_texts(pg))
    assert "海盐县（嘉兴市）" in jn and "上虞区（绍兴市）" in jn and "钱江源—百山祖国家公园" in jn
    ca = " ".join(t.get_text() for pg in profiles["淳安"] for t in page_texts(pg))
    assert "经杭州市" in ca  # a clause that targets it through its city
    f = geo.county_record(atlas, "景宁").facts
    assert round(f["area_km2"]) > 1800 and f["population_2020"] == 111_011
    assert abs(f["density"] - f["population_2020"] / f["area_km2"]) < 1e-9
    # every clause that targets the county is listed, page 2 included
    n = atlas.coverage[atlas.coverage["county_code"] == "331127"].drop_duplicates(["document", "clause"]).shape[0]
    # clause ids such as 要闻1 included, under their own names (never 第要闻1条)
    assert len(re.findall(r"(?:第\d+条|要闻\d+|简讯\d+) · ", jn)) == n == 27 and "第要闻" not in jn
    # a page that opens mid-document names the document again before its clauses
    second = [t.get_text() for t in sorted(page_texts(profiles["景宁"][1]), key=lambda t: -t.get_position()[1])]
    assert second[0] == "景宁畲族自治县（续）" and second[1].endswith("（续）") and " · 20" in second[1], second[:3]
    assert second[2].lstrip().startswith("第")


def test_render_profile_api_and_cli(atlas, tmp_path):
    fig = render_profile(atlas, "景宁")
    assert fig.pages[0] is fig and len(fig.pages) >= 1
    paths = save_profile(fig, tmp_path / "jn.png", dpi=60)
    assert [p.name for p in paths][:2] == ["jn.png", "jn-2.png"][: len(paths)]
    r = run_cli("profile", "景宁", "-o", tmp_path / "jn.pdf", "--lang", "en")
    assert r.returncode == 0, r.stderr
    if shutil.which("pdftotext"):
        txt = subprocess.run(["pdftotext", str(tmp_path / "jn.pdf"), "-"], capture_output=True, text=True).stdout
        assert "Jingning She Autonomous County" in txt
    r = run_cli("profile", "景宁", "--format", "html", "-o", tmp_path / "jn.html")
    assert r.returncode == 0 and 'focus: ["331127","330424","330604"]' in (tmp_path / "jn.html").read_text()
    r = run_cli("profile", "杭州")
    assert r.returncode == 2 and "not a Zhejiang county-level unit" in r.stderr


#: a booklet of four counties, given out of order: the book's machinery (cover, contents,
#: bookmarks, page numbers, appendix) at a sixth of the full book's time
BOOKLET = ["泰顺", "淳安", "景宁,庆元"]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "book.pdf"
    r = run_cli("book", *[a for c in BOOKLET for a in ("--county", c)], "-o", path)
    assert r.returncode == 0, r.stderr
    return path, r.stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_book(book, atlas):
    from pypdf import PdfReader

    from geo.county import edition_order as book_order

    path, out = book
    reader = PdfReader(path)
    outline = reader.outline
    order = [c for c in book_order(atlas) if c in {"330127", "330329", "331127", "331126"}]
    assert [atlas.registry.counties[c].short_name for c in order] == ["淳安", "泰顺", "庆元", "景宁"]
    assert [o.title for o in outline] == [atlas.registry.counties[c].name for c in order]
    assert reader.metadata.title == "山区26县 一县一图"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    n_pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert f"({n_pages} pages, 4 bookmarks" in out
    cover = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    assert "本册4县（共26县）" in cover
    for o, code in zip(outline, order, strict=True):  # each county's full name on its own first page
        page = reader.get_destination_page_number(o) + 1
        txt = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True,
                             text=True).stdout  # fmt: skip
        assert atlas.registry.counties[code].name in txt and f"第{page}页" in txt
    contents = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "目录" in contents and "附录：全部来源" in contents
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\b", ln) for ln in fonts)  # embedded


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_book_appendix_names_the_licences(book):
    from geo.notices import BOUNDARY_DATA, FONT, POPULATION_2020

    path, _ = book
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    squash = lambda t: re.sub(r"\s+", "", t)  # noqa: E731 - lines wrap anywhere
    # the heading is on the contents page, then atop every page of the appendix
    appendix = squash("".join(text.split("附录：全部来源")[2:]))
    for needle in (
        f"{FONT.name} {FONT.version}",
        "SIL 开源字体许可 1.1（OFL-1.1）",
        f"{BOUNDARY_DATA.name} {BOUNDARY_DATA.version}（MIT许可",
        "源自高德地图",
        "非标准地图",
        POPULATION_2020,
        f"shanhai-atlas {geo.__version__} 生成（MIT 许可）",
        "第三方声明",
    ):
        assert squash(needle) in appendix, needle
    assert "Boundaries:" not in appendix  # the Chinese book's licence lines are in Chinese


def test_book_order_is_the_official_list(atlas):
    from geo.county import edition_order as book_order

    order = book_order(atlas)
    cities = [atlas.registry.counties[c].city_code for c in order]
    assert cities == sorted(cities) and order[0] == "330127"  # 淳安 (杭州) first
    assert geo.__name__ == "geo"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_book_speaks_chinese_and_cites_originals(book, atlas):
    from .language import context, english_words

    path, _ = book
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    # addresses are cut across lines in the appendix: audit the text with its lines joined
    bad = english_words(text.replace("\n", ""))
    assert bad == [], f"English in the Chinese book: {bad} in {context(text, bad)}"
    appendix = "".join(text.split("附录：全部来源")[2:])
    assert "生态环境部" in appendix and "浙江日报" in appendix and "来源待核实" not in appendix.split("\n")[0]
    assert not re.search(r"seed \d|\.txt|layers/", appendix)


# ---------------------------------------------------------------------------------------
# at print size: the profiles' PDFs read back (pdftotext -bbox and the pages' drawing)
# ---------------------------------------------------------------------------------------

#: the issue's three counties (two partners; a long pairing note; a designation of 2010), both languages
PRINTED = [(c, lang) for c in ("景宁", "淳安", "泰顺") for lang in ("zh", "en")]


class Printed(NamedTuple):
    """A profile as printed: its county record, its pages, and the PDF of its words read back."""

    record: object
    pages: list
    words: list  # pdftotext -bbox's words (tests/pdfwords.py)
    runs: list  # its runs of text with their sizes
    pdf: Path


@pytest.fixture(scope="module")
def printed_profiles(atlas, pages_of, tmp_path_factory):
    """{(county, lang): :class:`Printed`} for
    :data:`PRINTED` and :data:`CASES` in both languages, each profile saved once, every page,
    as a PDF of its words (the maps' geometry hidden): read for cut text and for its language."""
    from .conftest import geometry_hidden
    from .pdfwords import runs, words

    folder = tmp_path_factory.mktemp("profiles")
    out = {}
    for county, lang in dict.fromkeys([*PRINTED, *((c, lang) for c in CASES for lang in ("zh", "en"))]):
        pages = pages_of(county, lang)
        path = folder / f"{county}-{lang}.pdf"
        with geometry_hidden(pages):
            save_profile(pages, path)
        out[county, lang] = Printed(geo.county_record(atlas, county, lang), pages, words(path), runs(path), path)
    return out


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("county, lang", PRINTED)
def test_printed_profile_has_no_cut_text(printed_profiles, county, lang):
    from .pdfwords import below, cut, lines, off_page, text

    p = printed_profiles[county, lang]
    rec, found, drawn = p.record, p.words, p.runs
    assert off_page(found) == [], [str(w) for w in off_page(found)][:5]
    assert cut(found) == [], [str(w) for w in cut(found)][:5]  # no "山区海岛25…", no "Zhejia…"
    assert below(drawn, MIN_PT) == [], [str(r) for r in below(drawn, MIN_PT)][:5]  # the profile's own floor, 7 pt
    flat = text(found).replace(" ", "").replace("\u00a0", "")
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - lines wrap anywhere
    # every dated event of the timeline is read whole in the key under the strip (a year's
    # many policy clauses are counted there and listed below)
    tl = pd.DataFrame(rec.timeline)
    dated = tl[tl["year"].notna()]
    many = dated.groupby(["kind", "year"])["label"].transform("size") > 1
    for label in dated[~((dated["kind"] == "policy") & many)]["label"]:
        assert squash(label) in flat, label
    # the facts' sources whole, and each partner's note whole in the pairing panel
    for src in rec.facts["sources"].values():
        assert squash(src) in flat, src
    for p in rec.partners:
        assert squash(p["since"] or p["round"] or "") in flat, p["name"]
    if lang == "en":
        assert {"confidence", "Zhejiang's"} <= {w.text for w in lines(found)}


@pytest.mark.parametrize("county, lang", PRINTED)
def test_pairing_labels_stay_inside_their_panel(printed_profiles, county, lang):
    page = printed_profiles[county, lang].pages[0]
    r = page.canvas.get_renderer()
    [panel] = [ax for ax in page.axes if ax.get_title(loc="left") in ("山海协作结对", "Mountain–coast pairing")]
    frame = panel.get_window_extent(r)
    notes = [a for a in panel.texts if hasattr(a, "xyann")]
    assert notes
    for a in notes:
        b = a.get_window_extent(r)
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1, a.get_text()
    boxes = [a.get_window_extent(r) for a in notes]
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profiles_speak_one_language(printed_profiles, atlas, lang):
    # the language audit of tests/language.py (tests/test_a11y.py has the theme pages') on every
    # page of three profiles, saved as PDFs of their words (the maps' geometry hidden: the
    # words are the full PDF's, tests/test_static.py's test_words_only_pdf_is_the_full_pdfs_words)
    from .language import audit

    for county in CASES:
        path = printed_profiles[county, lang].pdf
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        # an English profile gives the county's Chinese name beside its romanisation, as names may
        name = atlas.registry.county(county).name
        audit(text.stdout, lang, f"profile {county} ({lang})", names=(name,))
