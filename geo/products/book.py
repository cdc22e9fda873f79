"""The book: a cover with the overview map, a contents page, one profile per county of the
edition in the order of the official list (by city, then code), and an appendix of every
source; PDF bookmarks per county, page numbers, document metadata."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .._io import atomic_path
from ..county import atlas_sources, edition_order
from ..errors import GeoError
from ..static import compact_pdf, font_context, new_figure, render_static, wrap_text
from ..themes import COMPILED, edition_name
from ..words import by_lang, say, text
from .profile import A4, MARGIN, profile_pages

__all__ = ["build_book", "cover_page"]


def _text_pages(title, lines, *, page_offset, size=8.5):
    """Pages of plain lines (contents, appendix), flowing onto as many pages as needed; a
    line's optional third element is how many lines after it stay on its page (an entry's
    wrapped lines: an address is never cut across two pages)."""
    W, H = A4
    pages, fig, y = [], None, 0.0
    step = size * 1.45 / 72 / H
    for i, (txt, right, *keep) in enumerate([(title, ""), *lines]):
        if fig is None or y - step * (1 + sum(keep)) < (MARGIN + 0.4) / H:
            fig = new_figure(W, H)
            pages.append(fig)
            y = 1 - MARGIN / H
            if i:
                fig.text(MARGIN / W, y, title, fontsize=size * 1.6, va="top")
                y -= size * 3 / 72 / H
        big = i == 0
        fig.text(MARGIN / W, y, txt, fontsize=size * (1.6 if big else 1), va="top")
        if right:
            fig.text(1 - MARGIN / W, y, right, fontsize=size, va="top", ha="right")
        y -= size * (3 if big else 1.45) / 72 / H
    for k, pg in enumerate(pages):
        pg.text(
            1 - MARGIN / W, MARGIN / H, str(page_offset + k + 1), fontsize=7, ha="right", va="bottom", color="#555555"
        )
    return pages


def cover_page(atlas, lang: str = "zh", counties=None):
    """The book's cover as an A4 figure: the title, the edition and the overview map.

    Parameters
    ----------
    atlas : Atlas
        The joined atlas; its edition names the book.
    lang : {"zh", "en"}
        The language of the cover.
    counties : list of str, optional
        The codes of a booklet's counties: the cover says how many of the edition's it holds.

    Returns
    -------
    matplotlib.figure.Figure
        Page 1 of :func:`build_book`; save it alone with :func:`geo.static.save_static`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with font_context():  # the Chinese title needs the CJK font when its text is made
        W, H = A4
        overview = render_static(atlas, "overview", lang=lang, size="a4")
        overview.set_dpi(160)
        FigureCanvasAgg(overview).draw()
        img = np.asarray(overview.canvas.buffer_rgba())
        fig = new_figure(W, H)
        ed = atlas.edition
        title = text("book_title", lang, ed=edition_name(ed, lang))
        fig.text(MARGIN / W, 1 - 1.2 / H, title, fontsize=26, va="top")
        n, of = len(counties) if counties else len(ed.members), len(ed.members)
        held = text("n_counties", lang, n=n) if n == of else text("book_some", lang, n=n, of=of)
        sub = text("book_sub", lang, title=ed.title, date=ed.date, held=held, compiled=COMPILED)
        fig.text(MARGIN / W, 1 - 1.95 / H, sub, fontsize=12, va="top", color="#444444")
        w = 1 - 2 * MARGIN / W
        h = w * W * img.shape[0] / img.shape[1] / H
        ax = fig.add_axes([MARGIN / W, 1 - 2.5 / H - h, w, h])
        ax.imshow(img, interpolation="antialiased")
        ax.set_axis_off()
        return fig


def build_book(atlas, path, *, lang: str = "zh", counties=None) -> dict:
    """Write the book PDF; returns page count, bookmarks and the first page of each county.

    Parameters
    ----------
    atlas : Atlas
    path : str or Path
        The PDF to write.
    lang : {"zh", "en"}
    counties : list of str, optional
        A booklet of these counties (any name form or code), in the order of the official
        list; default every county of the edition.
    """
    from matplotlib.backends.backend_pdf import PdfPages
    from pypdf import PdfReader, PdfWriter

    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise GeoError(say("render.book_suffix", path=path))
    order = edition_order(atlas, counties)
    reg = atlas.registry
    with font_context():
        cover = cover_page(atlas, lang, counties=order)
        # profiles first, numbered after cover and contents (one contents page holds 26)
        first_profile = 3
        profiles, starts, n = [], {}, first_profile
        for code in order:
            pages = profile_pages(atlas, code, lang=lang, page_offset=n - 1)
            starts[code] = n
            profiles += pages
            n += len(pages)
        appendix_start = n
        sources = atlas_sources(atlas, lang)
        lines = []
        for i, s in enumerate(sources, start=1):
            wrapped = wrap_text(s, 460, 7.5)
            for k, ln in enumerate(wrapped):
                lines.append((f"{i:>3}. {ln}", "", len(wrapped) - 1) if k == 0 else (f"      {ln}", ""))
        title_app = text("book_appendix", lang)
        appendix = _text_pages(title_app, lines, page_offset=appendix_start - 1, size=7.5)
        contents_lines = []
        for code in order:
            c = reg.counties[code]
            name = by_lang(lang, c.name, c.name_en)
            city = by_lang(lang, c.city, reg.cities[c.city_code].romanized)
            contents_lines.append((f"{city} · {name}", str(starts[code])))
        contents_lines.append((title_app, str(appendix_start)))
        contents = _text_pages(text("book_contents", lang), contents_lines, page_offset=1, size=10)
        if len(contents) != 1:  # pragma: no cover - 26 lines always fit
            raise GeoError(say("render.contents_overflow"))
        buf = io.BytesIO()
        with PdfPages(buf, metadata={"Creator": "shanhai-atlas", "CreationDate": None}) as pdf:
            for fig in [cover, *contents, *profiles, *appendix]:
                pdf.savefig(fig)
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter(clone_from=reader)
    compact_pdf(writer)
    for code in order:
        c = reg.counties[code]
        writer.add_outline_item(title=by_lang(lang, c.name, c.name_en), page_number=starts[code] - 1)
    title = text("book_pdf_title", lang, title=atlas.edition.title)
    writer.add_metadata({"/Title": title, "/Creator": "shanhai-atlas", "/Subject": f"compiled {COMPILED}",
                         "/CreationDate": f"D:{COMPILED.replace('-', '')}000000Z"})  # fmt: skip
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            writer.write(f)
    return {
        "pages": len(reader.pages),
        "bookmarks": len(order),
        "starts": starts,
        "appendix": appendix_start,
        "path": path,
    }
