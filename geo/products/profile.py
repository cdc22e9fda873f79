"""One county's profile (一县一图): an A4 portrait page that brings together everything the
layers know about it. Long clause lists continue on a second page instead of shrinking.

Built from the same Atlas, theme palettes and drawing helpers as the static maps.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .._io import atomic_path
from ..county import county_record, designation_rows
from ..errors import GeoError, param
from ..geometry import simplify_polygons
from ..static import (
    CRS,
    compact_pdf,
    draw_geoms,
    draw_timeline,
    font_context,
    locator,
    new_figure,
    north_arrow,
    place_labels,
    project_bounds,
    project_geoms,
    provinces,
    save_static,
    scale_bar,
    scale_bar_box,
    timeline_key,
    wrap_text,
)
from ..themes import CITY_COLORS, COMPILED, CONTEXT_FILL, curve
from ..words import by_lang, check_lang, clause_label, say, text

__all__ = ["county_maps", "profile_map", "profile_pages", "render_profile", "save_profile", "words"]

A4 = (21 / 2.54, 29.7 / 2.54)
BASE = 8.0  # pt; nothing on the page is set below 7 pt
MIN_PT = 7.0
MARGIN = 0.55  # inch
PNG_LEVEL = 3  # zlib: a page of text is smaller and faster to write than at the default 6


#: the profile's headings and labels: the catalog's key of each (its own, or one it shares)
_WORDS = {
    "city": "profile_city", "editions": "editions_of", "none": "none", "facts": "doc_facts", "area": "doc_area",
    "population": "ind_population_2020", "density": "doc_density", "unknown": "unknown", "policy": "doc_clauses",
    "enclaves": "enclaves", "designations": "profile_designations", "timeline": "profile_timeline",
    "pairing": "profile_pairing", "no_partner": "no_partner", "sources": "sources_heading",
    "compiled": "profile_compiled", "page": "profile_page", "continued": "profile_continued",
    "confidence": "confidence", "year_unknown": "year_unknown", "index": "site_index", "via": "via",
    "not_standard": "profile_not_standard",
}  # fmt: skip


def words(lang: str) -> dict:
    """The profile's own headings and labels in ``lang`` (the site's county page uses them too);
    ``page`` keeps its ``{n}``."""
    t = {k: text(key, lang, n="{n}") for k, key in _WORDS.items()}
    t["head"] = tuple(text(f"col_{k}", lang) for k in ("designation", "level", "batch", "year", "state", "confidence"))
    t["kind"] = {k: text(f"profile_kind_{k}", lang) for k in ("membership", "pairing", "designation", "policy")}
    return t


def _fit_box(ax, box):
    """Set the limits to ``box`` widened to the axes' own shape, so the map is at true
    aspect without matplotlib re-fitting (and complaining about) fixed limits."""
    fig = ax.get_figure()
    pos = ax.get_position()
    aspect = (pos.height * fig.get_figheight()) / (pos.width * fig.get_figwidth())
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if h / w < aspect:
        grow = (w * aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    else:
        grow = (h / aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")


def _header(fig, rec, t, W, H, title=None, subtitle=None):
    lang = rec.lang
    # English titles are long: the header names each edition by its year and size
    eds = [
        text("paren", lang, a=by_lang(lang, e["title"], e["id"]),
             b=by_lang(lang, e["date"], text("n_counties", lang, n=e["count"])))
        for e in rec.editions
    ]  # fmt: skip
    name = rec.display_name if title is None else title
    sub = by_lang(lang, "", rec.name)  # an English page gives the Chinese name beside its romanisation
    top = 1 - MARGIN / H
    if name:
        fig.text(MARGIN / W, top, name, fontsize=BASE * 2.2, va="top")
    if title is None:  # the other script's name beside the county's own
        # a Chinese character is a full em wide, a Latin letter about half of one
        fig.text(MARGIN / W + 0.02 + len(name) * BASE * 2.2 / 72 / W * (1 if lang == "zh" else 0.55), top - 0.004,
                 sub, fontsize=BASE * 1.2, va="top", color="#555555")  # fmt: skip
    city = by_lang(lang, rec.city, rec.city_en)
    # the Chinese line names the county's kind (自治县); the English name carries it
    line = " · ".join([
        text("label_value", lang, k=t["city"], v=city),
        *by_lang(lang, [rec.kind], []),
        text("label_value", lang, k=t["editions"], v=text("list_sep", lang).join(eds) or t["none"]),
    ])  # fmt: skip
    line = line if subtitle is None else subtitle
    lines = wrap_text(line or "", (W - 2 * MARGIN) * 72, BASE * 1.05)
    if len(lines) > 2:  # two lines fit above the maps
        raise GeoError(say("render.subtitle_too_long", param=param("subtitle")))
    for k, ln in enumerate(lines):
        fig.text(MARGIN / W, top - BASE * (3.0 + 1.3 * k) / 72 / H, ln, fontsize=BASE * 1.05, va="top", color="#333333")


def profile_frames(atlas, simplify: float = 0.001):
    """The two maps' counties, simplified and projected: the county map's at ``simplify``,
    the province-wide pairing map's at 0.006° (~600 m: 7.4 cm wide, about a pixel at 300 dpi;
    simplified from the first, which is far faster). Kept in ``atlas.cache``: the frames are
    the same for every county, so a book, a report or a deck makes them once.

    Returns
    -------
    tuple of GeoDataFrame
        The counties for the county map and for the province map, in the map's CRS.
    """
    return frames_job(atlas, simplify)()


def frames_job(atlas, simplify: float = 0.001):
    """:func:`profile_frames` as a job to run later, maybe on another thread: the modules
    it needs were imported with this one, in the caller's thread (an import holds the GIL and
    the import locks the caller needs too); the job itself handles bare geometry arrays (GEOS and PROJ
    release the GIL) and wraps them in frames at the end."""
    key = ("profile_frames", simplify)

    def job():
        if key not in atlas.cache:
            counties = atlas.counties
            geoms = np.asarray(counties.geometry.values)
            near = simplify_polygons(geoms, simplify) if simplify else geoms
            near, province = project_geoms(near), project_geoms(simplify_polygons(near, 0.006))
            atlas.cache[key] = counties.set_geometry(near, crs=CRS), counties.set_geometry(province, crs=CRS)
        return atlas.cache[key]

    return job


def _main_map(ax, c, code, lang):
    """The county and its neighbours at county scale, the county highlighted; ``c``: the
    counties, projected."""
    me = c[c["code"] == code]
    x0, y0, x1, y1 = me.total_bounds
    pad = 0.45 * max(x1 - x0, y1 - y0)
    box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    _fit_box(ax, box)
    # what lies outside the frame is cut away before drawing: a PDF would otherwise carry
    # whole provinces of invisible outline on every page
    (vx0, vx1), (vy0, vy1) = ax.get_xlim(), ax.get_ylim()
    m = 0.05 * max(vx1 - vx0, vy1 - vy0)
    view = (vx0 - m, vy0 - m, vx1 + m, vy1 + m)
    ax.set_facecolor("#e4edf3")
    nb = provinces()
    nb = nb[nb["code"] != "330000"].geometry.values
    draw_geoms(ax, shapely.clip_by_rect(nb, *view), facecolor="#fbfaf7", edgecolor="#b9b5ad", linewidth=0.4)
    near = c.cx[view[0] : view[2], view[1] : view[3]]
    draw_geoms(ax, shapely.clip_by_rect(near.geometry.values, *view), facecolor=CONTEXT_FILL, edgecolor="#ffffff",
               linewidth=0.6, zorder=2)  # fmt: skip
    color = CITY_COLORS.get(me["city_code"].iloc[0], "#EE8866")
    draw_geoms(ax, me.geometry.values, facecolor=color, edgecolor="#333333", linewidth=1.2, zorder=3)
    ax.set_xticks([])
    ax.set_yticks([])
    bar = scale_bar(ax, MIN_PT / 0.85)
    north_arrow(ax, BASE)
    texts, first = [], []
    for _, r in near.iterrows():
        pt = r.geometry.representative_point()
        if not (box[0] < pt.x < box[2] and box[1] < pt.y < box[3]):
            continue
        mine = r["code"] == code
        txt = by_lang(lang, r["name"], r["romanized"])
        texts.append(ax.text(pt.x, pt.y, txt, ha="center", va="center", zorder=5, fontsize=BASE * (1.2 if mine else 0.9),
                             color="#111111" if mine else "#555555",
                             bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.7)))  # fmt: skip
        first.append(int(mine))
    # inside the frame and clear of each other, the scale bar and the arrow: the county's own
    # name first, a neighbour's left off where there is no room
    r = ax.get_figure().canvas.get_renderer()
    avoid = [scale_bar_box(bar, r), *(a.get_tightbbox(r) for a in ax.texts if a not in texts)]
    place_labels(texts, ax, ax.get_figure(), priority=first, avoid=avoid)


def _pairing_map(ax, atlas, c, rec, t):
    """The province (``c``: its counties, projected) with arrows from the county to each
    partner (dashed when low)."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MPath

    code = rec.code
    ax.set_facecolor("#e4edf3")
    draw_geoms(ax, c.geometry.values, facecolor=CONTEXT_FILL, edgecolor="#ffffff", linewidth=0.3)
    me = c[c["code"] == code]
    draw_geoms(ax, me.geometry.values, facecolor=CITY_COLORS.get(me["city_code"].iloc[0], "#EE8866"),
               edgecolor="#333333", linewidth=0.8, zorder=3)  # fmt: skip
    # the links' geometry, in the order of the record's partners
    links = atlas.links[(atlas.links["mountain_code"] == code) | (atlas.links["partner_code"] == code)]
    fig = ax.get_figure()
    wrap_pt = ax.get_position().width * fig.get_figwidth() * 72 * 0.62  # a label takes at most this much
    notes = []
    for geom, p in zip(links.geometry, rec.partners, strict=True):
        line = curve(geom.coords[0], geom.coords[-1])
        xy = np.asarray(project_geoms([line])[0].coords)
        color = CITY_COLORS.get(p["city_code"], "#555555")
        ax.add_patch(FancyArrowPatch(path=MPath(xy), arrowstyle="-|>,head_length=5,head_width=2.6", color=color,
                                     linewidth=1.6, linestyle="--" if p["confidence"] == "low" else "-", zorder=4))  # fmt: skip
        when = p["since"] or p["round"] or ""
        parts = [
            text("paren", rec.lang, a=p["name"], b=p["other_city"]),
            f"{when} · {text('profile_conf', rec.lang, level=p['confidence_label'])}",
        ]
        label = "\n".join(ln for part in parts for ln in wrap_text(part, wrap_pt, MIN_PT))
        at = xy[-1] if p["role"] == "partner" else xy[0]
        east = at[0] > sum(c.total_bounds[[0, 2]]) / 2  # labels east of the middle open westwards
        notes.append(ax.annotate(label, at, xytext=(-4 if east else 4, 4), textcoords="offset points",
                                 ha="right" if east else "left", fontsize=MIN_PT, zorder=6, color="#222222",
                                 bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="#cccccc",
                                           alpha=0.9)))  # fmt: skip
    if not rec.partners or rec.no_partner_source is not None:
        ax.text(0.5, 0.06, t["no_partner"], transform=ax.transAxes, ha="center", fontsize=BASE * 1.1, color="#a33",
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="#a33"))  # fmt: skip
    _fit_box(ax, tuple(c.total_bounds))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(t["pairing"], fontsize=BASE * 1.1, loc="left", pad=3)
    _inside_panel(ax, notes)


def _inside_panel(ax, notes) -> None:
    """Move the partners' labels (annotations in offset points) into the panel's frame, and
    apart when two meet: the second goes below the first."""
    fig = ax.get_figure()
    r = fig.canvas.get_renderer()
    frame = ax.get_window_extent(r)
    px = fig.dpi / 72

    def box(a):  # the text and its rounded frame (pad 0.2 em, and a hair for its line)
        return a.get_window_extent(r).padded(a.get_fontsize() * 0.2 * px + 1)

    placed = []
    for a in notes:
        for _ in range(3):  # clamp, step clear of the ones before, clamp again
            b = box(a)
            dx = max(0.0, frame.x0 + 2 - b.x0) - max(0.0, b.x1 - frame.x1 + 2)
            dy = max(0.0, frame.y0 + 2 - b.y0) - max(0.0, b.y1 - frame.y1 + 2)
            hit = next((o for o in placed if b.overlaps(o)), None)
            if hit is not None and not dy:
                dy = (hit.y0 - 2 - b.y1) if hit.y0 - frame.y0 > b.height + 4 else (hit.y1 + 2 - b.y0)
            if not dx and not dy:
                break
            ox, oy = a.xyann
            a.xyann = (ox + dx / px, oy + dy / px)
        placed.append(box(a))


def _policy_lines(rec, t, width_pt) -> list[tuple[str, float, str, str]]:
    """(text, size, colour, document heading) lines of the clause list, grouped by
    document, wrapped; a heading line's own document heading is ""."""
    lang = rec.lang
    out = []
    for doc in rec.clauses:
        head = f"{doc['short_title'] or doc['title']} · {doc['date']}"
        n = len(doc["items"])
        out.append((text("paren", lang, a=head, b=n), BASE, "#111111", ""))
        for r in doc["items"]:
            via = text("via_note", lang, via=r["via"]) if r["via"] else ""
            txt = f"{clause_label(r['clause'], lang)} · {r['summary']}{via}"
            for k, ln in enumerate(wrap_text(txt, width_pt - 12, MIN_PT + 0.3)):
                out.append(("    " + ln if k else "  " + ln, MIN_PT + 0.3, "#333333", head))
    return out


def _enclave_lines(rec, t, width_pt) -> list[tuple[str, float, str, str]]:
    """The county's enclaves, whose first and then those it hosts, each in a wrapped line
    (kind, where, years, status, confidence), under the section's heading; none when the
    layer has none for it (the layer is not complete, so "none" would mislead)."""
    if not rec.enclaves:
        return []
    n = len(rec.enclaves)
    out = [(text("paren", rec.lang, a=t["enclaves"], b=n), BASE * 1.1, "#111111", "")]
    for role in ("beneficiary", "host"):
        rows = [e for e in rec.enclaves if e["role"] == role]
        if rows:
            out.append(("  " + text(f"enclave_{'of' if role == 'beneficiary' else 'in'}_county", rec.lang), BASE,
                        "#111111", ""))  # fmt: skip
        for e in rows:
            for k, ln in enumerate(wrap_text(e["line"], width_pt - 12, MIN_PT + 0.3)):
                out.append(("    " + ln if k else "  " + ln, MIN_PT + 0.3, "#333333", t["enclaves"]))
    return [*out, ("", BASE, "#111111", "")]  # a blank line before the policy heading


def _source_lines(rec, t, width_pt) -> list[tuple[str, float, str, str]]:
    """The sources of everything on the page, numbered, after the clauses: issuer · title ·
    date (· 文号), the original's address where known."""
    head = text("paren", rec.lang, a=t["sources"], b=len(rec.sources))
    out = [(head, BASE, "#111111", "")]
    for i, (label, url) in enumerate(rec.sources, start=1):
        text_ = f"{i}. {label}" + (f" {url}" if url else "")
        for k, ln in enumerate(wrap_text(text_, width_pt - 12, MIN_PT)):
            out.append(("    " + ln if k else "  " + ln, MIN_PT, "#444444", t["sources"]))
    return out


def profile_pages(
    atlas,
    county,
    *,
    lang: str = "zh",
    page_offset: int = 0,
    simplify: float = 0.001,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    frames=None,
):
    """The Figures of one county's profile: one A4 portrait page, and a second where the
    clause list does not fit (text never below 7 pt). ``title`` replaces the county's name
    at the top, ``subtitle`` the line under it (``""`` leaves either out), ``note`` adds up
    to two lines above the footer's sources. ``frames``: a function returning
    :func:`profile_frames` (the command starts them on a thread); by default they are made
    here."""
    t = words(check_lang(lang))
    rec = county_record(atlas, county, lang)
    W, H = A4
    pages = []
    with font_context(BASE):
        fig = new_figure(W, H)
        _header(fig, rec, t, W, H, title, subtitle)
        notes = [ln for part in (note or "").split("\n") for ln in wrap_text(part, (W - 2 * MARGIN) * 72, MIN_PT)]
        if len(notes) > 2:
            raise GeoError(say("render.note_too_long", param=param("note")))
        top = 1 - (MARGIN + 0.62) / H
        # maps: the county (left), the pairing map (right), locator and facts under it
        map_h = 4.1 / H
        ax = fig.add_axes([MARGIN / W, top - map_h, 0.5, map_h])
        px = MARGIN / W + 0.52
        pw = 1 - MARGIN / W - px
        ax2 = fig.add_axes([px, top - map_h * 0.62, pw, map_h * 0.6])
        loc = fig.add_axes([px, top - map_h, pw * 0.36, map_h * 0.33])

        x0, y0, x1, y1 = atlas.counties[atlas.counties["code"] == rec.code].total_bounds
        e = project_bounds((x0, y0, x1, y1))
        locator(loc, e, BASE, min_pt=MIN_PT, lang=lang)
        f = rec.facts
        fx = px + pw * 0.4
        y = top - map_h * 0.68
        fig.text(fx, y, t["facts"], fontsize=BASE * 1.1, va="top")
        lines = [
            (t["area"], f"{f['area_km2']:,.0f} km²", f["sources"]["area_km2"]),
            (t["population"], f"{f['population_2020']:,}" if f["population_2020"] else t["unknown"],
             f["sources"]["population_2020"]),
            (t["density"], f"{f['density']:,.0f} /km²" if f["density"] else t["unknown"], f["sources"]["density"]),
        ]  # fmt: skip
        for k, v, src in lines:
            y -= BASE * 1.8 / 72 / H
            fig.text(fx, y, text("label_value", lang, k=k, v=v), fontsize=BASE, va="top")
            for ln in wrap_text(src, (1 - fx - 0.01 - MARGIN / W) * W * 72, MIN_PT):
                y -= MIN_PT * 1.3 / 72 / H
                fig.text(fx + 0.01, y, ln, fontsize=MIN_PT, va="top", color="#777777")
        # timeline (under the facts where their sources run long) and its key, designations
        y = min(top - map_h, y - MIN_PT * 1.5 / 72 / H) - 0.32 / H
        fig.text(MARGIN / W, y, t["timeline"], fontsize=BASE * 1.1, va="top")
        tl_h = 1.25 / H
        tax = fig.add_axes([MARGIN / W + 0.1, y - tl_h - 0.12 / H, 0.7, tl_h])  # room for "undated" at its right
        key = draw_timeline(tax, pd.DataFrame(rec.timeline), lang=lang, base=MIN_PT / 0.72)  # smallest text 7 pt
        y = y - tl_h - 0.12 / H - 0.2 / H  # below the years
        for ln in timeline_key(key, lang, (W - 2 * MARGIN) * 72, MIN_PT):
            y -= MIN_PT * 1.3 / 72 / H
            fig.text(MARGIN / W, y, ln, fontsize=MIN_PT, va="top", color="#333333")
        y -= 0.3 / H
        fig.text(MARGIN / W, y, t["designations"], fontsize=BASE * 1.1, va="top")
        rows = designation_rows(rec)
        cols = [0.0, 0.5, 0.62, 0.7, 0.78, 0.88]
        y -= BASE * 1.7 / 72 / H
        for j, h in enumerate(t["head"]):
            fig.text(MARGIN / W + cols[j] * (1 - 2 * MARGIN / W), y, h, fontsize=MIN_PT, va="top", color="#666666")
        width = (1 - 2 * MARGIN / W) * W * 72
        for r in rows:
            name_lines = wrap_text(r[0], width * 0.48, MIN_PT + 0.3)
            y -= (MIN_PT + 0.3) * 1.35 / 72 / H
            row_y = y
            # the name first, all its lines, so a long one reads on in the file as on the page
            for k, line in enumerate(name_lines):
                y = row_y - k * (MIN_PT + 0.3) * 1.3 / 72 / H
                fig.text(MARGIN / W, y, line if k == 0 else "  " + line, fontsize=MIN_PT + 0.3, va="top")
            for j, v in enumerate(r[1:], start=1):
                fig.text(MARGIN / W + cols[j] * (1 - 2 * MARGIN / W), row_y, str(v), fontsize=MIN_PT + 0.3, va="top")
        if not rows:
            y -= BASE * 1.4 / 72 / H
            fig.text(MARGIN / W, y, t["none"], fontsize=MIN_PT + 0.3, va="top")
        # enclaves and policy clauses, flowing onto a second page when needed
        y -= BASE * 2.4 / 72 / H
        policy = [*_enclave_lines(rec, t, width), (t["policy"], BASE * 1.1, "#111111", "")]
        policy += _policy_lines(rec, t, width) + _source_lines(rec, t, width)
        floor = (MARGIN + 0.45 + len(notes) * MIN_PT * 1.3 / 72) / H  # above the footer: note, date, page
        page = fig
        for i, (txt, size, color, doc) in enumerate(policy):
            step = size * 1.35 / 72 / H
            # a document's heading keeps its first clause with it
            need = step + (policy[i + 1][1] * 1.35 / 72 / H if not doc and i + 1 < len(policy) else 0)
            if y - need < floor:
                pages.append(page)
                page = new_figure(W, H)
                page.text(MARGIN / W, 1 - MARGIN / H, rec.display_name + t["continued"],
                          fontsize=BASE * 1.4, va="top")  # fmt: skip
                y = 1 - (MARGIN + 0.4) / H
                if doc:  # clauses carried over are headed by their document again
                    page.text(MARGIN / W, y, doc + t["continued"], fontsize=BASE, va="top", color="#111111")
                    y -= BASE * 1.35 / 72 / H
            page.text(MARGIN / W, y, txt, fontsize=size, va="top", color=color)
            y -= step
        pages.append(page)
        for i, pg in enumerate(pages):
            foot = []
            fy = MARGIN / H
            pg.text(1 - MARGIN / W, fy, t["page"].format(n=page_offset + i + 1), fontsize=MIN_PT, ha="right",
                    va="bottom", color="#555555")  # fmt: skip
            tail = f"{t['compiled']} {COMPILED} · {t['not_standard']}"
            for ln in reversed([*(notes if i == 0 else []), *foot, tail]):
                pg.text(MARGIN / W, fy, ln, fontsize=MIN_PT, va="bottom", color="#222222" if ln in notes else "#555555")
                fy += MIN_PT * 1.3 / 72 / H
        # the two maps last: in the command their counties are simplified on a thread
        # meanwhile (the axes, made above, keep their drawing order)
        near, province = frames() if frames else profile_frames(atlas, simplify)
        _main_map(ax, near, rec.code, lang)
        _pairing_map(ax2, atlas, province, rec, t)
    return pages


def county_maps(
    atlas,
    county,
    *,
    lang: str = "zh",
    width_cm: float = 16.0,
    height_cm: float | None = None,
    simplify: float = 0.001,
    record=None,
):
    """The profile's two maps side by side as one figure ``width_cm`` wide (``height_cm``:
    half as tall by default), for a document or a slide: the county among its neighbours
    (scale bar, north arrow) and the province with arrows to its partners (dashed when low
    confidence). No title: the document captions it. ``record``: the county's
    :class:`~geo.county.CountyRecord` in ``lang`` when the caller has made it already."""
    check_lang(lang)
    rec = record if record is not None else county_record(atlas, county, lang)
    W = width_cm / 2.54
    H = W * 0.5 if height_cm is None else height_cm / 2.54
    with font_context(BASE):
        fig = new_figure(W, H)
        ax = fig.add_axes([0.005, 0.01, 0.5, 0.98])
        near, province = profile_frames(atlas, simplify)
        _main_map(ax, near, rec.code, lang)
        # room on the right for the partners' labels, which run east of their arrows
        ax2 = fig.add_axes([0.52, 0.01, 0.3, 0.9])
        _pairing_map(ax2, atlas, province, rec, words(lang))
    return fig


def profile_map(atlas, county, *, lang: str = "zh", site: dict | None = None, extra_html: str = ""):
    """A folium Map of the pairing theme fitted to ``county`` and its partners, whose
    popups carry the same facts, clauses and designations as the printed profile."""
    from ..html import render_html  # lazy: folium; `profile … png` and the PDF must not load it

    return render_html(
        atlas, "pairing", lang=lang, focus=county, site=site, extra_html=extra_html, height="440px" if site else "100%"
    )


def render_profile(atlas, county, *, lang: str = "zh", fmt: str = "pdf", **kwargs):
    """One county's profile: a matplotlib Figure (its further pages in ``fig.pages``), or
    for ``fmt="html"`` a folium Map of the county and its partners with the same facts."""
    if fmt == "html":
        return profile_map(atlas, county, lang=lang)
    pages = profile_pages(atlas, county, lang=lang, **kwargs)
    first = pages[0]
    first.pages = pages
    return first


def save_profile(fig_or_pages, path, *, dpi: int = 200, only=None):
    """Save a profile: every page into one PDF; PNG/SVG write one file per page
    (``name.png``, ``name-2.png``; :func:`profile_paths`), or only the pages whose indexes
    ``only`` lists (the command writes the second page in another process); a PDF holds
    every page.

    Returns
    -------
    list of Path
        The files written.
    """
    pages = getattr(fig_or_pages, "pages", None) or (fig_or_pages if isinstance(fig_or_pages, list) else [fig_or_pages])
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt == "pdf":
        from matplotlib.backends.backend_pdf import PdfPages
        from pypdf import PdfWriter

        buf = io.BytesIO()
        with font_context(), PdfPages(buf, metadata={"Creator": "shanhai-atlas", "CreationDate": None}) as pdf:
            for pg in pages:
                pdf.savefig(pg)
        writer = PdfWriter(clone_from=io.BytesIO(buf.getvalue()))
        compact_pdf(writer)
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            writer.write(f)
        return [path]
    out = profile_paths(path, len(pages))
    chosen = range(len(pages)) if only is None else only
    for i in chosen:
        save_static(pages[i], out[i], dpi=dpi, png_level=PNG_LEVEL)
    return [out[i] for i in chosen]


def profile_paths(path, n: int) -> list:
    """The files of a profile of ``n`` pages saved as PNG or SVG at ``path``: ``name.png``,
    ``name-2.png``, …"""
    path = Path(path)
    return [path if i == 0 else path.with_name(f"{path.stem}-{i + 1}{path.suffix}") for i in range(n)]
