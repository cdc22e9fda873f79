"""The slide deck (``shanhai slides``): an editable 16:9 .pptx for a talk.

A title slide; one slide per theme (its map and a short key-facts box); one slide per
county of the edition, in the order of the official list (its two maps, its partners and
its designations, read from :func:`geo.county.county_record`); the sources on the last
slides, as many as they need. Titles and every box are text a person can edit; the maps
are pictures (the same renders as the Word report's, shared through
:func:`geo.static.map_png`) with alternative text that says what they show.

Every box is measured before it is placed (:func:`geo.products.office.line_count`): its
lines fit it at its size, or at a smaller one down to a floor, or the last ones make room
for a line that says how many more there are; a source is never cut short, and its
address is shown as its site, a link to the full address.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from .._io import atomic_path, refuse_existing
from ..county import atlas_citations, county_record, edition_order
from ..errors import GeoError
from ..static import figure_png, map_png
from ..themes import COMPILED, build_theme, edition_name, text
from ..words import by_lang, check_lang, say
from .office import alt_county_maps, alt_map, heading, line_count, require, set_properties, site
from .profile import county_maps

__all__ = ["key_facts", "write_slides"]

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches: 16:9
MAP_THEMES = ("overview", "pairing", "policy", "status", "change")
FONTS = {"head": ("Arial", "SimHei"), "body": ("Arial", "Microsoft YaHei")}
HEAD_SCALE = 1.15  # a box's heading to its lines
SPACE_AFTER = 0.35  # after a paragraph, in ems
LINE_EM = 1.25  # a line's height in ems (1.2 in PowerPoint and in LibreOffice Impress)
INSET_X, INSET_Y = 0.1, 0.05  # a text box's insets (inches): PowerPoint's defaults
SOURCES_SIZE = 10
TITLE_BOX = (0.35, 0.2, 12.63, 1.05)  # a slide's title, above the maps (which start at 1.3 in)


def key_facts(atlas, theme: str, lang: str = "zh") -> list[str]:
    """A few lines about ``theme``, counted from the atlas and the theme's own words."""
    th = build_theme(atlas, theme, lang, detail=False)
    reg, ed = atlas.registry, atlas.edition
    sep = text("list_sep", lang)
    if theme == "overview":
        cities = sorted({reg.counties[c].city_code for c in ed.members})
        names = sep.join(by_lang(lang, reg.cities[c].name, reg.cities[c].romanized) for c in cities)
        partners = int(atlas.counties["is_partner"].sum())
        return [th.subtitle, text("slide_counties", lang, n=len(ed.members), m=len(cities), cities=names),
                text("slide_partner_counties", lang, n=partners)]  # fmt: skip
    if theme == "policy":
        cov = atlas.coverage.drop_duplicates(["county_code", "document", "clause"])
        mine = cov[cov["county_code"].isin(ed.members)]
        counts = mine.groupby("county_code").size().sort_values(ascending=False)
        out = [text("slide_documents", lang, docs=mine["document"].nunique(),
                    clauses=len(mine.drop_duplicates(["document", "clause"])))]  # fmt: skip
        if len(counts):
            c = reg.counties[counts.index[0]]
            out.append(text("slide_top_county", lang, name=by_lang(lang, c.name, c.name_en), n=int(counts.iloc[0])))
        return [th.subtitle, *out]
    if theme == "status":
        out = [th.subtitle]
        items = [it for ly in th.layers if ly.legend and ly.facet for it in ly.legend.items if it.state == "named"]
        for it in sorted(items, key=lambda it: -(it.count or 0))[:4]:
            out.append(text("slide_in_force", lang, label=it.label, n=it.count))
        return out
    if theme == "change":  # the classes with their counts and names
        return [th.subtitle.split("：")[0].split(":")[0], *(it.text() for ly in th.layers if ly.legend and
                                                           ly.legend.items[0].count is not None
                                                           for it in ly.legend.items)]  # fmt: skip
    # pairing: the subtitle's clauses, one a line
    return [p.strip() for p in re.split(r"[；;]\s*", th.subtitle) if p.strip()]


def _font(run, role: str, size: float, color=(0x1A, 0x1A, 0x1A), bold: bool = False):
    """Latin and East Asian typefaces (a:latin, a:ea) of a run, its size and colour."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    latin, east = FONTS[role]
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = latin
    run.font.color.rgb = RGBColor(*color)
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin_el = rpr.find(qn("a:latin"))
        latin_el.addnext(ea) if latin_el is not None else rpr.append(ea)
    ea.set("typeface", east)


def _place(shape, box):
    """Put ``shape`` at ``box`` (left, top, width, height in inches): the template's
    placeholders are laid out for a 4:3 slide."""
    from pptx.util import Inches

    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def _title(slide, text_: str, size: float = 28, box=TITLE_BOX, floor: float = 20):
    """The slide's title in ``box``: on one line at ``size``, or smaller down to ``floor``
    (below it, on two lines, which the box holds)."""
    shape = slide.shapes.title
    _place(shape, box)
    shape.text_frame.text = text_
    shape.text_frame.word_wrap = True
    width = (box[2] - 2 * INSET_X) * 72
    while size > floor and line_count(text_, width, size) > 1:
        size -= 1
    for p in shape.text_frame.paragraphs:
        for r in p.runs:
            _font(r, "head", size)
    return shape


def _shown(line) -> str:
    """A box's line as it reads: its text, and the site of its link (``(text, url)``)."""
    text_, url = (line, "") if isinstance(line, str) else line
    return f"{text_} · {site(url)}" if url else text_


def _height(lines, width: float, size: float, heading: str = "", bullet: str = "· ") -> float:
    """The height (inches) ``lines`` take in a box ``width`` inches wide at ``size``."""
    usable = (width - 2 * INSET_X) * 72
    paras = [(heading, size * HEAD_SCALE)] if heading else []
    paras += [(bullet + _shown(ln), size) for ln in lines]
    pt = sum(line_count(t, usable, sz) * sz * LINE_EM + sz * SPACE_AFTER for t, sz in paras)
    return pt / 72 + 2 * INSET_Y


def _fit(lines, width: float, height: float, sizes, more, heading: str = ""):
    """``(lines, size)`` that fit a box ``width`` × ``height`` inches: all the lines at the
    largest of ``sizes`` that holds them; at the smallest, the first ones and
    ``more(n)`` (a line that says how many are left out)."""
    for size in sizes:
        if _height(lines, width, size, heading) <= height:
            return list(lines), size
    for k in range(len(lines) - 1, 0, -1):
        shown = [*lines[:k], more(len(lines) - k)]
        if _height(shown, width, size, heading) <= height:
            return shown, size
    return [more(len(lines))], size


def _box(slide, left, top, width, height, lines, *, size=14, heading: str = "", bullet: str = "· "):
    """A text box of ``lines`` (a heading first, when given); a line given as ``(text,
    url)`` ends with the address's site, a link to the address."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    first = True
    for kind, line in [*([("head", heading)] if heading else []), *(("body", ln) for ln in lines)]:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        text_, url = (line, "") if isinstance(line, str) else line
        r = p.add_run()
        r.text = text_ if kind == "head" else bullet + text_ + (" · " if url else "")
        sz = size * (HEAD_SCALE if kind == "head" else 1)
        _font(r, "head" if kind == "head" else "body", sz)
        if url:
            r = p.add_run()
            r.text = site(url)
            _font(r, "body", sz, color=(0x05, 0x63, 0xC1))
            r.hyperlink.address = url
        p.space_after = Pt(size * SPACE_AFTER)
    return box


def _picture(slide, png: bytes, left, top, max_w, max_h, alt: str):
    """A picture fitted into the box, centred in it, with its alternative text."""
    from PIL import Image
    from pptx.util import Inches

    with Image.open(io.BytesIO(png)) as im:
        w, h = im.size
    scale = min(max_w / w, max_h / h)
    pw, ph = w * scale, h * scale
    pic = slide.shapes.add_picture(
        io.BytesIO(png), Inches(left + (max_w - pw) / 2), Inches(top + (max_h - ph) / 2), Inches(pw), Inches(ph)
    )
    pic._element.nvPicPr.cNvPr.set("descr", alt)  # python-pptx writes the file name, image.png
    return pic


def _columns(entries, width: float, height: float, size: float, n: int) -> list[list[list]]:
    """``entries`` in slides of ``n`` columns ``width`` × ``height`` inches: each column
    as many whole entries as it holds (measured), in order."""
    slides, cols, col = [], [], []
    for entry in entries:
        if col and _height([*col, entry], width, size, bullet="") > height:
            cols.append(col)
            col = []
            if len(cols) == n:
                slides.append(cols)
                cols = []
        col.append(entry)
    cols.append(col)
    slides.append(cols)
    return slides


def write_slides(atlas, path, *, lang: str = "zh", force: bool = False, dpi: int = 200, counties=None) -> dict:
    """Write the 16:9 PowerPoint deck (.pptx) of ``atlas``'s edition.

    Parameters
    ----------
    atlas : Atlas
    path : str or Path
        The .pptx to write; an existing file is refused unless ``force``.
    lang : {"zh", "en"}
    force : bool
        Replace an existing file (a deck is edited by people: never overwritten silently).
    dpi : int
        Resolution of the maps (200: sharp on a projector and a printout of the slide).
    counties : list of str, optional
        The county slides (default: every county of the edition, in the official order).

    Returns
    -------
    dict
        ``path``, ``slides`` (count), ``counties`` (codes, in order).
    """
    require("pptx", "python-pptx")  # before any work: say how to install it
    from pptx import Presentation
    from pptx.util import Inches

    check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".pptx":
        raise GeoError(say("render.slides_suffix", path=path))
    refuse_existing(path, force)
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    more = lambda n: t("doc_more", n=n)  # noqa: E731
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    title_layout, only_title = prs.slide_layouts[0], prs.slide_layouts[5]
    ed = atlas.edition
    # the title slide
    s = prs.slides.add_slide(title_layout)
    _title(s, t("doc_title", ed=edition_name(ed, lang)), 40, box=(0.75, 2.0, 11.83, 1.6), floor=28)
    sub = s.placeholders[1]
    _place(sub, (1.5, 3.8, 10.33, 1.9))
    sub.text_frame.text = t("doc_subtitle", title=ed.title, date=ed.date, n=len(ed.members), compiled=COMPILED)
    p = sub.text_frame.add_paragraph()
    p.text = t("doc_not_standard")
    for par in sub.text_frame.paragraphs:
        for r in par.runs:
            _font(r, "body", 18 if par is sub.text_frame.paragraphs[0] else 12, color=(0x44, 0x44, 0x44))
    # one slide per theme: the map left, the key facts right
    for theme in MAP_THEMES:
        s = prs.slides.add_slide(only_title)
        th = build_theme(atlas, theme, lang, detail=False)
        _title(s, th.title)
        png = map_png(atlas, theme, lang=lang, width_cm=16.0, dpi=dpi)
        _picture(s, png, 0.35, 1.35, 8.6, 5.95, alt_map(th.title, th.subtitle, lang))
        head = heading(t("slide_facts"), lang)
        lines, size = _fit(key_facts(atlas, theme, lang), 3.8, 5.6, (14, 13, 12), more, head)
        _box(s, 9.2, 1.5, 3.8, 5.6, lines, size=size, heading=head)
    # one slide per county: its maps, partners and designations
    codes = (
        edition_order(atlas) if not counties else [atlas.registry.county(c, context="slides").code for c in counties]
    )
    # the panel right of the maps: the partners on top, the designations below them
    panel_x, panel_y, panel_w, panel_h, gap = 8.8, 1.4, 4.3, 5.8, 0.15
    for code in codes:
        rec = county_record(atlas, code, lang)
        s = prs.slides.add_slide(only_title)
        city = by_lang(lang, rec.city, rec.city_en)
        _title(s, f"{rec.display_name} · {city}", 26)
        fig = county_maps(atlas, code, lang=lang, width_cm=16.0, height_cm=11.0, record=rec)
        _picture(s, figure_png(fig, dpi), 0.3, 1.35, 8.3, 5.85, alt_county_maps(rec))
        partners = []
        for p in rec.partners:
            where = by_lang(lang, p["other_city"], atlas.registry.cities[p["city_code"]].romanized)
            when = p["since"] or t("unknown")
            partners.append(f"{t('paren', a=p['name'], b=where)} · {when} · {t('conf_' + p['confidence'])}")
        if not rec.partners or rec.no_partner_source is not None:
            partners.append(t("no_partner"))
        head = heading(t("pairings"), lang)
        # the partners take up to half the panel, smaller before any is left out
        partners, size = _fit(partners, panel_w, panel_h / 2, (13, 12, 11, 10), more, head)
        h = _height(partners, panel_w, size, head)
        _box(s, panel_x, panel_y, panel_w, h, partners, size=size, heading=head)
        named = [x for x in rec.designations if x["state"] == "named"]
        # the layer names designations in Chinese: the English deck gives their category
        lines = [by_lang(lang, x["designation"], t("cat_" + x["category"])) + (t("paren_tail", b=x["year"]) if x["year"] else "")
                 for x in named]  # fmt: skip
        head = heading(t("statuses"), lang)
        top = panel_y + h + gap
        lines, size = _fit(lines or [t("none")], panel_w, panel_y + panel_h - top, (11, 10, 9), more, head)
        _box(s, panel_x, top, panel_w, panel_y + panel_h - top, lines, size=size, heading=head)
    # the sources, in two columns on as many slides as they take, each whole
    entries = [
        (f"{i}. {label}", url) for i, (label, url) in enumerate(atlas_citations(atlas, lang, work="document"), 1)
    ]
    col_w, col_h = 6.2, 5.9
    for k, cols in enumerate(_columns(entries, col_w, col_h, SOURCES_SIZE, 2)):
        s = prs.slides.add_slide(only_title)
        _title(s, t("doc_sources") if k == 0 else t("slide_sources_more"))
        for j, col in enumerate(cols):
            _box(s, 0.35 + j * (col_w + 0.2), 1.3, col_w, col_h, col, size=SOURCES_SIZE, bullet="")
    name = edition_name(ed, lang)
    set_properties(
        prs.part.package,
        prs.core_properties,
        title=t("doc_title", ed=name),
        subject=t("doc_subject", ed=name),
        lang=lang,
        app="<PresentationFormat>On-screen Show (16:9)</PresentationFormat>",
    )
    with atomic_path(path) as tmp:
        prs.save(str(tmp))
    return {"path": path, "slides": len(prs.slides), "counties": codes}
