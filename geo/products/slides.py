"""The slide deck (``shanhai slides``): an editable 16:9 .pptx for a talk.

A title slide; one slide per theme (its map and a short key-facts box); one slide per
county of the edition, in the order of the official list (its two maps, its partners and
its designations, read from :func:`geo.county.county_record`); the sources on the last
slide. Titles and every box are text a person can edit; the maps are pictures (the same
renders as the Word report's, shared through :func:`geo.static.map_png`).
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import GeoError

__all__ = ["key_facts", "write_slides"]

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches: 16:9
MAP_THEMES = ("overview", "pairing", "policy", "status", "change")
FONTS = {"head": ("Arial", "SimHei"), "body": ("Arial", "Microsoft YaHei")}
INSTALL = "pip install 'shanhai-atlas[report]'  (or: pip install python-pptx)"


def key_facts(atlas, theme: str, lang: str = "zh") -> list[str]:
    """A few lines about ``theme``, counted from the atlas and the theme's own words."""
    import re

    from ..themes import build_theme, text

    th = build_theme(atlas, theme, lang, detail=False)
    reg, ed = atlas.registry, atlas.edition
    sep = "、" if lang == "zh" else ", "
    if theme == "overview":
        cities = sorted({reg.counties[c].city_code for c in ed.members})
        names = sep.join(reg.cities[c].name if lang == "zh" else reg.cities[c].romanized for c in cities)
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
            out.append(
                text("slide_top_county", lang, name=c.name if lang == "zh" else c.name_en, n=int(counts.iloc[0]))
            )
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


def _title(slide, text_: str, size: float = 28):
    shape = slide.shapes.title
    shape.text_frame.text = text_
    for p in shape.text_frame.paragraphs:
        for r in p.runs:
            _font(r, "head", size)
    return shape


def _box(slide, left, top, width, height, lines, *, size=14, heading: str = "", bullet: str = "· "):
    """A text box of ``lines`` (a heading first, when given)."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    first = True
    for kind, line in [*([("head", heading)] if heading else []), *(("body", ln) for ln in lines)]:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        r = p.add_run()
        r.text = line if kind == "head" else bullet + line
        _font(r, "head" if kind == "head" else "body", size * (1.15 if kind == "head" else 1))
        p.space_after = Pt(size * 0.35)
    return box


def _picture(slide, png: bytes, left, top, max_w, max_h):
    """A picture fitted into the box, centred in it."""
    from PIL import Image
    from pptx.util import Inches

    with Image.open(io.BytesIO(png)) as im:
        w, h = im.size
    scale = min(max_w / w, max_h / h)
    pw, ph = w * scale, h * scale
    return slide.shapes.add_picture(
        io.BytesIO(png), Inches(left + (max_w - pw) / 2), Inches(top + (max_h - ph) / 2), Inches(pw), Inches(ph)
    )


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
    from .._io import atomic_path, refuse_existing
    from ..county import atlas_sources, county_record, edition_order
    from ..static import figure_png, map_png
    from ..themes import COMPILED, build_theme, edition_name, text
    from .profile import county_maps

    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError:
        raise GeoError(
            f"this command writes Office files with python-pptx, which is not installed: {INSTALL}"
        ) from None
    if lang not in ("zh", "en"):
        raise GeoError(f"unknown language {lang!r}: use zh or en.")
    path = Path(path)
    if path.suffix.lower() != ".pptx":
        raise GeoError(f"{path}: the slides are a PowerPoint file; name it with .pptx.")
    refuse_existing(path, force)
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    zh = lang == "zh"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    title_layout, only_title = prs.slide_layouts[0], prs.slide_layouts[5]
    ed = atlas.edition
    # the title slide
    s = prs.slides.add_slide(title_layout)
    _title(s, t("doc_title", ed=edition_name(ed, lang)), 40)
    sub = s.placeholders[1]
    sub.text_frame.text = t("doc_subtitle", title=ed.title, date=ed.date, n=len(ed.members), compiled=COMPILED)
    p = sub.text_frame.add_paragraph()
    p.text = t("doc_not_standard")
    for par in sub.text_frame.paragraphs:
        for r in par.runs:
            _font(r, "body", 18 if par is sub.text_frame.paragraphs[0] else 12, color=(0x44, 0x44, 0x44))
    # one slide per theme: the map left, the key facts right
    for theme in MAP_THEMES:
        s = prs.slides.add_slide(only_title)
        _title(s, build_theme(atlas, theme, lang, detail=False).title)
        _picture(s, map_png(atlas, theme, lang=lang, width_cm=16.0, dpi=dpi), 0.35, 1.35, 8.6, 5.95)
        _box(s, 9.2, 1.5, 3.8, 5.6, key_facts(atlas, theme, lang), size=14, heading=t("slide_facts"))
    # one slide per county: its maps, partners and designations
    codes = (
        edition_order(atlas) if not counties else [atlas.registry.county(c, context="slides").code for c in counties]
    )
    sep = "（{}）" if zh else " ({})"
    for code in codes:
        rec = county_record(atlas, code, lang)
        s = prs.slides.add_slide(only_title)
        city = rec.city if zh else rec.city_en
        _title(s, f"{rec.display_name} · {city}", 26)
        fig = county_maps(atlas, code, lang=lang, width_cm=16.0, height_cm=11.0)
        _picture(s, figure_png(fig, dpi), 0.3, 1.35, 8.3, 5.85)
        partners = []
        for p in rec.partners:
            name = p["name"] if zh or not p["code"] else atlas.registry.counties[p["code"]].name_en
            where = p["other_city"] if zh else atlas.registry.cities[p["city_code"]].romanized
            when = p["since"] or t("unknown")
            partners.append(f"{name}{sep.format(where)} · {when} · {text('conf_' + p['confidence'], lang)}")
        if not rec.partners or rec.no_partner_source is not None:
            partners.append(t("no_partner"))
        _box(s, 8.8, 1.4, 4.3, 2.2, partners, size=13, heading=t("pairings"))
        named = [x for x in rec.designations if x["state"] == "named"]
        # the layer names designations in Chinese: the English deck gives their category
        lines = [(x["designation"] if zh else t("cat_" + x["category"]))
                 + (f"（{x['year']}）" if zh and x["year"] else f" ({x['year']})" if x["year"] else "")
                 for x in named[:7]]  # fmt: skip
        if len(named) > 7:
            lines.append(t("doc_more", n=len(named) - 7))
        _box(s, 8.8, 3.7, 4.3, 3.5, lines or [t("none")], size=11, heading=t("statuses"))
    # the sources, in three columns on the last slide (each on one line; the report has them in full)
    s = prs.slides.add_slide(only_title)
    _title(s, t("doc_sources"))
    sources = [x if len(x) <= 70 else x[:69] + "…" for x in atlas_sources(atlas, lang)]
    per = -(-len(sources) // 3)
    for k in range(3):
        part = sources[k * per : (k + 1) * per]
        _box(s, 0.35 + k * 4.25, 1.3, 4.15, 6.0, [f"{k * per + i + 1}. {x}" for i, x in enumerate(part)],
             size=7 if per > 20 else 10, bullet="")  # fmt: skip
    title = t("doc_title", ed=edition_name(ed, lang))
    props = prs.core_properties
    props.title, props.author, props.language = title, "shanhai-atlas", "zh-CN" if zh else "en-GB"
    props.comments = f"compiled {COMPILED}"
    with atomic_path(path) as tmp:
        prs.save(str(tmp))
    return {"path": path, "slides": len(prs.slides), "counties": codes}
