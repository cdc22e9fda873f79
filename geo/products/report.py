"""The Word report (``shanhai report``): an editable .docx for report authors.

Without counties, the province: a title page, each theme's map with a numbered caption
(图1 …, a Word SEQ field, so Word renumbers them), the pairings as a real Word table, the
designations summarised by category, and the sources. With counties, one section per
county with the profile's content: its two maps, the facts, partners and designations as
tables, the clauses and the sources, all read from :func:`geo.county.county_record`.

Every word is text a person can edit (captions, titles, table cells); pictures are the
text width (16 cm on A4 with 2.5 cm margins) at 300 dpi, with alternative text that says
what the map shows; tables are three-line tables (三线表: a heavy rule above and below, a
light one under the header, no verticals), their columns as wide as their content needs
(fixed, so that LibreOffice keeps them too: no word breaks); the sources are numbered,
each as its citation (issuer · 《title》 · date) and the original's site, a link to the
full address (:func:`geo.products.office.site`);
Chinese text is 宋体/SimSun, headings 黑体/SimHei, set on the East Asian run properties
(``w:eastAsia``) so that Word and WPS use them; the English version has English words.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from .._io import atomic_path, refuse_existing
from ..county import atlas_citations, county_record, designation_rows, edition_order
from ..errors import GeoError
from ..static import figure_png, map_png
from ..themes import COMPILED, build_theme, edition_name
from ..words import by_lang, check_lang, clause_label, has_text, say, text
from .office import alt_county_maps, alt_map, column_widths, heading, require, set_properties, site
from .profile import county_maps

__all__ = ["write_report"]

TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins: the a4 preset of the static maps
MAP_THEMES = ("overview", "pairing", "policy", "status", "change")
#: (latin, East Asian) of the body and of the headings, in either language
FONTS = {"body": ("Times New Roman", "SimSun"), "head": ("Arial", "SimHei")}
TABLE_PT = 9  # the size of a table's words
CELL_PAD_PT = 12  # a cell's left and right margins (0.19 cm each in Word and LibreOffice) and some air
LINK_COLOR = "0563C1"  # Word's own hyperlink blue
_DATE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")


def _cites(citations, lang: str) -> str:
    """A fact's sources as the pages cite them: issuer · title · date, separated."""
    return text("semi_sep", lang).join(label for label, _ in citations)


def _bold(lang: str) -> bool:
    """Headings in bold in English only: 黑体 has one weight, and bold would be a synthetic
    smear in Chinese."""
    return lang == "en"


def _set_fonts(style_or_run_rpr, latin: str, east_asian: str):
    """rFonts (ascii, hAnsi, eastAsia) and the languages (Latin, East Asian) on an rPr element."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style_or_run_rpr
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    # w:val is the language of Latin text, w:eastAsia of Chinese, in either report: Latin
    # marked Chinese would be broken anywhere by LibreOffice (www.do|ngtou.gov.cn)
    lang_el.set(qn("w:val"), "en-GB")
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc, lang):
    from docx.shared import Pt, RGBColor

    fonts = FONTS
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    _set_fonts(normal.element.get_or_add_rPr(), *fonts["body"])
    pf = normal.paragraph_format
    pf.space_after = Pt(4)
    pf.line_spacing = 1.25
    for name, size in (("Title", 22), ("Subtitle", 12), ("Heading 1", 16), ("Heading 2", 13), ("Caption", 9)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.italic = False
        st.font.bold = _bold(lang) and name.startswith("Heading")
        body = name in ("Caption", "Subtitle")
        _set_fonts(st.element.get_or_add_rPr(), *(fonts["body"] if body else fonts["head"]))
    doc.styles["Caption"].paragraph_format.space_after = Pt(8)


def _field(paragraph, instr: str, shown: str):
    """A Word field (SEQ, PAGE) whose current result is ``shown``: text Word can update."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind):
        r = OxmlElement("w:r")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)
        paragraph._p.append(r)

    char("begin")
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r.append(it)
    paragraph._p.append(r)
    char("separate")
    paragraph.add_run(shown)
    char("end")


class _Doc:
    """The document being written and its figure and table counters."""

    def __init__(self, lang):
        docx = require("docx", "python-docx")
        from docx.shared import Cm

        self.lang = lang
        self.doc = docx.Document()
        self.n_fig = self.n_tab = 0
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.5)
        sec.top_margin = sec.bottom_margin = Cm(2.5)
        _styles(self.doc, lang)
        self._footer(sec)

    def t(self, key, **kw):
        return text(key, self.lang, **kw)

    def word(self, kind: str, value: str) -> str:
        """A layer's code word (high, named, national) in the document's language."""

        key = {"conf": f"conf_{value}", "state": f"state_{value}", "level": value}[kind]
        return self.t(key) if value and has_text(key) else value

    def _footer(self, section):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, after = self.t("doc_page", n="\0").split("\0")
        p.add_run(before)
        _field(p, "PAGE", "1")
        p.add_run(after)

    def caption(self, kind: str, title: str):
        """图n / 表n as a Caption paragraph with a SEQ field, then the title: all text."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if kind == "figure":
            self.n_fig += 1
            n = self.n_fig
        else:
            self.n_tab += 1
            n = self.n_tab
        label = self.t(kind)
        p = self.doc.add_paragraph(style="Caption")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(label)
        _field(p, f"SEQ {label.strip()} \\* ARABIC", str(n))
        p.add_run(self.t("caption_title", title=title))
        return p

    def heading(self, words: str, level: int):
        """A heading from the text table (an English one starts with a capital)."""
        return self.doc.add_heading(heading(words, self.lang), level=level)

    def picture(self, png: bytes, title: str, alt: str, note: str = ""):
        """A picture at the text width with its alternative text (``alt``, for screen
        readers and for the reader of a file whose pictures do not show), its caption (and a
        note line) below it."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        inline = p.add_run().add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
        doc_pr = inline._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)
        cap = self.caption("figure", title)
        if note:
            cap.paragraph_format.space_after = Pt(0)
            q = self.doc.add_paragraph(note)
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            q.runs[0].font.size = Pt(9)
            q.paragraph_format.space_after = Pt(10)

    def table(self, title: str, header: list[str], rows: list[list[str]]):
        """A caption above and a three-line table (三线表) of text cells, its columns sized
        to their content (:func:`geo.products.office.column_widths`) and fixed."""
        from docx.shared import Cm, Pt

        cap = self.caption("table", title)
        cap.paragraph_format.keep_with_next = True
        header = [heading(h, self.lang) for h in header]
        tbl = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        _three_line(tbl)
        widths = [Pt(w) for w in column_widths([header, *rows], Cm(TEXT_WIDTH_CM).pt, TABLE_PT, CELL_PAD_PT)]
        # a fixed layout: Word and LibreOffice keep the widths of the grid (LibreOffice,
        # WPS) and of each cell (Word) instead of fitting the columns again
        tbl.autofit = False
        for j, w in enumerate(widths):
            tbl.columns[j].width = w
        for i, row in enumerate([header, *rows]):
            cells = tbl.rows[i].cells
            for j, value in enumerate(row):
                par = cells[j].paragraphs[0]
                par.paragraph_format.space_after = Pt(0)
                par.paragraph_format.line_spacing = 1.1
                _put(par, str(value), Pt(TABLE_PT))
                cells[j].width = widths[j]
        _header_row(tbl.rows[0])
        for cell in tbl.rows[0].cells:  # never a header alone at the foot of a page
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        self.doc.add_paragraph()
        return tbl


def _put(paragraph, text: str, size):
    """``text`` as runs of ``size``; a hyphen between digits (a date: 2018-09-29) is Word's
    non-breaking hyphen, so that no program breaks the date across lines."""
    from docx.oxml import OxmlElement

    parts = _DATE_HYPHEN.split(text)
    for k, part in enumerate(parts):
        run = paragraph.add_run(part)
        run.font.size = size
        if k < len(parts) - 1:
            run._r.append(OxmlElement("w:noBreakHyphen"))


def _three_line(tbl):
    """Heavy rules (1.5 pt) above and below, nothing between rows or columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = tbl._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        heavy = side in ("top", "bottom")
        el.set(qn("w:val"), "single" if heavy else "nil")
        if heavy:
            el.set(qn("w:sz"), "12")  # eighths of a point
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    tbl_pr.append(jc)


def _header_row(row):
    """The header: a light rule (0.75 pt) below it, repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    head = OxmlElement("w:tblHeader")
    tr_pr.append(head)
    for cell in row.cells:
        tc_pr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        el = OxmlElement("w:bottom")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
        tc_pr.append(borders)


# ---------------------------------------------------------------------------------------
# the province
# ---------------------------------------------------------------------------------------


def _with_city(name: str, city: str, lang: str) -> str:
    """海盐县（嘉兴市）, Haiyan County (Jiaxing): one column, not two (an English table of
    six columns leaves its words no room on A4)."""
    return text("paren", lang, a=name, b=city)


def _province(d: _Doc, atlas, records, dpi):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    lang, ed, reg = d.lang, atlas.edition, atlas.registry
    doc = d.doc
    # the title page
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(d.t("doc_title", ed=edition_name(ed, lang)), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = d.t("doc_subtitle", title=ed.title, date=ed.date, n=len(ed.members), compiled=COMPILED)
    doc.add_paragraph(sub, style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = doc.add_paragraph(d.t("doc_not_standard"))
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run().add_break(WD_BREAK.PAGE)
    # the maps, one figure each: the caption carries the theme's title, the note its subtitle
    d.heading(d.t("doc_maps"), 1)
    for theme in MAP_THEMES:
        th = build_theme(atlas, theme, lang, detail=False)
        png = map_png(atlas, theme, lang=lang, width_cm=TEXT_WIDTH_CM, dpi=dpi)
        d.picture(png, th.title, alt_map(th.title, th.subtitle, lang), th.subtitle)
    # the pairings, one row per pairing of a county of the edition (or its declared gap)
    d.heading(d.t("pairings"), 1)
    rows = []
    for rec in records:
        mine = [p for p in rec.partners if p["role"] == "partner"]
        for p in mine:
            city = by_lang(lang, p["city"], reg.cities[p["city_code"]].romanized)
            since = p["since"] or d.t("unknown")
            rows.append([rec.display_name, _with_city(p["name"], city, lang), since,
                         d.word("conf", p["confidence"]), _cites(p["citations"], lang)])  # fmt: skip
        if not mine:
            rows.append([rec.display_name, d.t("no_partner"), "—", "—", _cites(rec.no_partner_citations, lang)])
    head = [d.t(k) for k in ("col_mountain", "col_partner", "col_since", "col_confidence")]
    d.table(d.t("doc_pairing_table"), [*head, d.t("col_source")], rows)
    # designations by category: how many of the edition's counties hold one, and which
    d.heading(d.t("statuses"), 1)
    by_cat: dict[str, list[str]] = {}
    for rec in records:
        for cat in dict.fromkeys(x["category"] for x in rec.designations if x["state"] == "named"):
            by_cat.setdefault(cat, []).append(by_lang(lang, rec.short_name, rec.romanized))
    sep = d.t("list_sep")
    rows = [[d.t("cat_" + cat), str(len(names)), sep.join(names)] for cat, names in
            sorted(by_cat.items(), key=lambda kv: -len(kv[1]))]  # fmt: skip
    d.table(d.t("doc_designation_table"), [d.t(k) for k in ("col_category", "col_n_counties", "col_counties")], rows)
    _sources(d, atlas_citations(atlas, lang, work="document"))


def _sources(d: _Doc, sources: list[tuple[str, str]], level: int = 1):
    """The numbered sources: each its citation, then the original's site as a link to the
    full address (a long address would break across lines wherever the program likes)."""
    from docx.shared import Pt

    d.heading(d.t("doc_sources"), level)
    for i, (label, url) in enumerate(sources, start=1):
        p = d.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(1)
        _put(p, f"{i}. {label}" + (" · " if url else ""), Pt(9))
        if url:
            _hyperlink(p, url, site(url), Pt(9))


def _hyperlink(paragraph, url: str, shown: str, size):
    """A run showing ``shown`` that links to ``url`` (a ``w:hyperlink`` with an external
    relationship), blue and underlined as Word shows a link."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    for tag, attrs in (("w:color", {"w:val": LINK_COLOR}), ("w:sz", {"w:val": str(int(size.pt * 2))}),
                       ("w:u", {"w:val": "single"})):  # fmt: skip
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        rpr.append(el)
    t = OxmlElement("w:t")
    t.text = shown
    run.append(rpr)
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


# ---------------------------------------------------------------------------------------
# counties
# ---------------------------------------------------------------------------------------


def _county(d: _Doc, atlas, rec, dpi):
    from docx.shared import Pt

    lang, reg, doc = d.lang, atlas.registry, d.doc
    d.heading(rec.display_name, 1)
    eds = [d.t("paren", a=e["title"], b=e["date"]) for e in rec.editions]
    city = by_lang(lang, rec.city, rec.city_en)
    line = d.t("doc_county_line", city=city, eds=d.t("list_sep").join(eds) or d.t("none"))
    # the county's name in the other script first
    doc.add_paragraph(f"{by_lang(lang, rec.romanized, rec.name)} · {line}")
    fig = county_maps(atlas, rec.code, lang=lang, width_cm=16.0, record=rec)
    d.picture(figure_png(fig, dpi), d.t("doc_county_maps", name=rec.display_name), alt_county_maps(rec))
    # facts
    d.heading(d.t("doc_facts"), 2)
    f = rec.facts
    unknown = d.t("unknown")
    rows = [
        [d.t("doc_area"), f"{f['area_km2']:,.0f} km²", f["sources"]["area_km2"]],
        [d.t("population"), f"{f['population_2020']:,}" if f["population_2020"] else unknown,
         f["sources"]["population_2020"]],
        [d.t("doc_density"), f"{f['density']:,.0f} /km²" if f["density"] else unknown,
         f["sources"]["density"]],
    ]  # fmt: skip
    d.table(
        f"{rec.display_name} · {d.t('doc_facts')}",
        [d.t("col_item"), d.t("col_value"), d.t("col_source")],
        rows,
    )
    # partners, either side of the pairing
    d.heading(d.t("pairings"), 2)
    if rec.partners:
        rows = []
        for p in rec.partners:
            city = by_lang(lang, p["other_city"],
                           reg.cities[reg.counties[p["code"]].city_code].romanized if p["code"] else p["city"])  # fmt: skip
            rows.append([_with_city(p["name"], city, lang), d.t("role_" + p["role"]),
                         p["since"] or unknown, d.word("conf", p["confidence"]), _cites(p["citations"], lang)])  # fmt: skip
        head = [d.t(k) for k in ("col_partner", "col_role", "col_since", "col_confidence", "col_source")]
        d.table(f"{rec.display_name} · {d.t('pairings')}", head, rows)
    if not rec.partners or rec.no_partner_source is not None:
        doc.add_paragraph(d.t("paren", a=d.t("no_partner"), b=_cites(rec.no_partner_citations, lang)))
    # designations
    d.heading(d.t("statuses"), 2)
    # the layer names designations in Chinese: the English report gives their category
    rows = [[by_lang(lang, r[0], d.t("cat_" + x["category"])), d.word("level", r[1]), r[2], r[3], d.word("state", r[4]),
             d.word("conf", r[5])] for r, x in zip(designation_rows(rec), rec.designations, strict=True)]  # fmt: skip
    if rows:
        head = [d.t(k) for k in ("col_designation", "col_level", "col_batch", "col_year", "col_state")]
        d.table(f"{rec.display_name} · {d.t('statuses')}", [*head, d.t("col_confidence")], rows)
    else:
        doc.add_paragraph(d.t("none"))
    # clauses, by document
    d.heading(d.t("doc_clauses"), 2)
    if not rec.clauses:
        doc.add_paragraph(d.t("none"))
    for group in rec.clauses:
        n = len(group["items"])
        head = f"{group['short_title'] or group['title']} · {group['date']}"
        p = doc.add_paragraph(d.t("paren", a=head, b=n))
        p.runs[0].font.bold = _bold(lang)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
        for item in group["items"]:
            via = d.t("via_note", via=item["via"]) if item["via"] else ""
            q = doc.add_paragraph(f"{clause_label(item['clause'], lang)} · {item['summary']}{via}")
            q.paragraph_format.left_indent = Pt(18)
            q.paragraph_format.space_after = Pt(1)
    _sources(d, rec.sources, level=2)


# ---------------------------------------------------------------------------------------
# the entry point
# ---------------------------------------------------------------------------------------


def write_report(atlas, path, *, counties=None, lang: str = "zh", force: bool = False, dpi: int = 300) -> dict:
    """Write the Word report (.docx) of ``atlas``.

    Parameters
    ----------
    atlas : Atlas
    path : str or Path
        The .docx to write; an existing file is refused unless ``force``.
    counties : list of str, optional
        Any name forms or codes: one section per county. Without: the province-wide
        report of the atlas's edition.
    lang : {"zh", "en"}
    force : bool
        Replace an existing file (a report is edited by people: never overwritten silently).
    dpi : int
        Resolution of the pictures (300 for print; lower for a quick draft).

    Returns
    -------
    dict
        ``path``, ``figures``, ``tables``, ``counties`` (codes, in order).
    """
    require("docx", "python-docx")  # before any work: say how to install it
    from docx.enum.section import WD_SECTION

    check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise GeoError(say("render.report_suffix", path=path))
    refuse_existing(path, force)
    d = _Doc(lang)
    if counties:
        codes = list(dict.fromkeys(atlas.registry.county(c, context="report").code for c in counties))
        for i, code in enumerate(codes):
            if i:
                d.doc.add_section(WD_SECTION.NEW_PAGE)
            _county(d, atlas, county_record(atlas, code, lang), dpi)
        names = d.t("list_sep").join(county_record(atlas, c, lang).display_name for c in codes[:3])
        if len(codes) > 3:  # named, not cut: the first three and how many more
            names = d.t("doc_counties_more", names=names, n=len(codes), more=len(codes) - 3)
        title = d.t("doc_counties_title", names=names)
    else:
        codes = edition_order(atlas)
        _province(d, atlas, [county_record(atlas, c, lang) for c in codes], dpi)
        title = d.t("doc_title", ed=edition_name(atlas.edition, lang))
    subject = d.t("doc_subject", ed=edition_name(atlas.edition, lang))
    set_properties(d.doc.part.package, d.doc.core_properties, title=title, subject=subject, lang=lang)
    with atomic_path(path) as tmp:
        d.doc.save(str(tmp))
    return {"path": path, "figures": d.n_fig, "tables": d.n_tab, "counties": codes}
