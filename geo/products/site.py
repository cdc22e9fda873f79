"""The offline site: an index (the atlas map and a table of the edition's counties that
sorts and filters), one page per theme, one page per county profile, cross-linked; the
shared files (Leaflet, the page script, the county geometry and popups) stored once in
``assets/``, the licences in ``NOTICE.txt``. Opens from a folder or a zip extracted anywhere
(``file://``, relative links only); same input, same bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .._io import atomic_path
from ..county import county_record, designation_rows, edition_order, focus_codes, focus_heading
from ..geometry import simplified
from ..html import (
    SIMPLIFY_DEG,
    escape,
    leaflet_assets,
    page_asset,
    page_html,
    render_html,
    save_html,
    shared_data,
    source_html,
)
from ..html.elements import html_lang
from ..naming import localized, zone_name
from ..notices import notice_bundle
from ..sources import source_table
from ..themes import NEEDS_DATA, THEMES, build_theme
from ..words import by_lang, clause_label, text
from .profile import profile_map, words

__all__ = ["build_site"]

MAP_CSS = """
.shanhai-page { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; max-width: 1100px; margin: 0 auto; padding: 12px 18px 40px; color: #222; }
.shanhai-page h2 { font-size: 18px; margin: 18px 0 6px; } .shanhai-page h3 { font-size: 15px; margin: 14px 0 4px; }
.shanhai-page table { border-collapse: collapse; width: 100%; font-size: 13px; }
.shanhai-page th, .shanhai-page td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left; vertical-align: top; }
.shanhai-page th { background: #f3f1ec; white-space: nowrap; }
.shanhai-page th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
.shanhai-page th[aria-sort=ascending]::after { content: " ▲"; } .shanhai-page th[aria-sort=descending]::after { content: " ▼"; }
.shanhai-page td.num { text-align: right; } .shanhai-page .src { color: #595959; font-size: 11px; }
.shanhai-page input[type=search] { font: inherit; padding: 4px 8px; width: 240px; }
.shanhai-nav { font-size: 13px; margin: 6px 0; } .shanhai-nav a { margin-right: 12px; }
"""


def _nav(lang, theme_pages) -> str:
    home = text("site_index", lang)
    name = lambda t: text("overview_short" if t == "overview" else t, lang, ed="")  # noqa: E731
    links = [f'<a href="index.html">{home}</a>'] + [f'<a href="{t}.html">{escape(name(t))}</a>' for t in theme_pages]
    links.append(f'<a href="sources.html">{escape(text("sources_heading", lang))}</a>')
    return f'<nav class="shanhai-nav" aria-label="{escape(text("site_nav", lang))}">{"".join(links)}</nav>'


def _index_table(atlas, lang, order) -> str:
    reg = atlas.registry
    c = atlas.counties.set_index("code")
    heads = [
        text(f"site_col_{k}", lang) for k in ("county", "city", "partners", "clauses", "designations", "population")
    ]
    members = set(atlas.edition.members)
    own = atlas.status[(atlas.status["via"] == "") & (atlas.status["state"] != "target")]
    body = []
    for code in order:
        r = c.loc[code]
        partners = []
        for p in [x for x in r["partners"].split("、") if x]:
            pc = reg.find_county(p)
            shown = by_lang(lang, p, pc.romanized) if pc else zone_name(atlas, p, lang)
            partners.append(f'<a href="county-{pc.code}.html">{escape(shown)}</a>' if pc and pc.code in members
                            else escape(shown))  # fmt: skip
        pop = r["population_2020"]
        name = by_lang(lang, r["name"], r["name_en"])
        city = by_lang(lang, r["city"], reg.cities[r["city_code"]].romanized)
        # the layer's own list in Chinese; another language's from the designations' names
        statuses = by_lang(lang, r["statuses"], text("list_sep", lang).join(
            dict.fromkeys(localized(s, "designation", lang) for _, s in own[own["county_code"] == code].iterrows())
        ))  # fmt: skip
        body.append(
            "<tr>"
            f'<td><a href="county-{code}.html">{escape(name)}</a></td><td>{escape(city)}</td>'
            f"<td>{text('list_sep', lang).join(partners) or text('no_partner', lang)}</td>"
            f'<td class="num" data-v="{int(r["n_clauses"])}">{int(r["n_clauses"])}</td>'
            f"<td>{escape(statuses)}</td>"
            f'<td class="num" data-v="{"" if pop != pop else int(pop)}">{"—" if pop != pop else f"{int(pop):,}"}</td>'
            "</tr>"
        )
    num = {3, 5}
    head = "".join(f"<th{' data-num' if i in num else ''}>{escape(h)}</th>" for i, h in enumerate(heads))
    label = text("site_filter", lang)
    hint = text("site_filter_hint", lang)
    return (
        f'<p><label>{label} <input type="search" id="shanhai-filter" placeholder="{hint}"></label> '
        f'<span id="shanhai-count" aria-live="polite"></span> / {len(order)}</p>'
        f'<table id="shanhai-counties"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _cites_html(citations) -> str:
    return source_html(citations)


def _profile_html(atlas, code, lang, theme_pages) -> str:
    t = words(lang)
    rec = county_record(atlas, code, lang)
    f = rec.facts
    members = set(atlas.edition.members)
    eds = [text("paren", lang, a=e["title"], b=e["date"]) for e in rec.editions]
    out = [f'<div class="shanhai-page">{_nav(lang, theme_pages)}']
    # an English page gives the Chinese name beside its romanisation; a Chinese page needs none
    out.append(f"<h2>{escape(rec.display_name)}" + by_lang(lang, "", f" <small>{escape(rec.name)}</small>") + "</h2>")
    city = by_lang(lang, rec.city, rec.city_en)
    kind = by_lang(lang, f" · {escape(rec.kind)}", "")  # the English name carries the kind (自治县)
    out.append(f"<p>{escape(city)}{kind} · {escape(text('list_sep', lang).join(eds))}</p>")
    pop = f"{f['population_2020']:,}" if f["population_2020"] else t["unknown"]
    dens = f"{f['density']:,.0f}" if f["density"] else t["unknown"]
    out.append(
        f"<h3>{escape(t['facts'])}</h3><table>"
        f"<tr><td>{escape(t['area'])}</td><td>{f['area_km2']:,.0f} km²</td>"
        f"<td class='src'>{escape(f['sources']['area_km2'])}</td></tr>"
        f"<tr><td>{escape(t['population'])}</td><td>{pop}</td>"
        f"<td class='src'>{escape(f['sources']['population_2020'])}</td></tr>"
        f"<tr><td>{escape(t['density'])}</td><td>{dens} /km²</td>"
        f"<td class='src'>{escape(f['sources']['density'])}</td></tr></table>"
    )
    rows = []
    for p in rec.partners:
        name = (
            f'<a href="county-{p["code"]}.html">{escape(p["name"])}</a>' if p["code"] in members else escape(p["name"])
        )
        rows.append(f"<tr><td>{name}</td><td>{escape(p['city'])}</td><td>{escape(p['since'] or p['round'])}</td>"
                    f"<td>{escape(p['confidence_label'])}</td><td>{_cites_html(p['citations'])}</td></tr>")  # fmt: skip
    out.append(f"<h3>{escape(t['pairing'])}</h3>")
    out.append(f"<table>{''.join(rows)}</table>" if rows else "")
    if rec.no_partner_source is not None:
        out.append(f"<p><b>{escape(t['no_partner'])}</b> {_cites_html(rec.no_partner_citations)}</p>")
    if rec.enclaves:  # whose first, then those it hosts (each line says whose and where)
        items = "".join(f"<li>{escape(e['line'])} {_cites_html(e['citations'])}</li>" for e in rec.enclaves)
        out.append(f"<h3>{escape(t['enclaves'])}</h3><ul>{items}</ul>")
    head = "".join(f"<th>{escape(h)}</th>" for h in t["head"])
    out.append(f"<h3>{escape(t['designations'])}</h3><table><tr>{head}</tr>")
    out += ["<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>" for r in designation_rows(rec)]
    out.append(f"</table><h3>{escape(t['timeline'])}</h3><table>")
    for e in rec.timeline:
        out.append(
            f"<tr><td>{escape(e['date'] or t['year_unknown'])}</td><td>{escape(t['kind'].get(e['kind'], e['kind']))}</td>"
            f"<td>{escape(e['label'])}</td></tr>"
        )
    out.append(f"</table><h3>{escape(t['policy'])}</h3>")
    for doc in rec.clauses:
        out.append(f"<p><b>{escape(doc['short_title'] or doc['title'])}</b> · {escape(doc['date'])}</p><ul>")
        for r in doc["items"]:
            via = text("via_note", lang, via=escape(r["via"])) if r["via"] else ""
            out.append(f"<li>{escape(clause_label(r['clause'], lang))} · {escape(r['summary'])}{via}</li>")
        out.append("</ul>")
    label = text("label_value", lang, k=t["sources"], v="")
    out.append(f"<p class='src'>{escape(label)}{_cites_html(rec.sources)}</p></div>")
    return "".join(out)


def _sources_page(atlas, lang, theme_pages) -> str:
    """Every source the facts cite, as the book's appendix lists them: a page of its own."""
    table = source_table(atlas, lang)
    heads = [text(f"site_src_{k}", lang) for k in ("source", "kind", "allows", "facts")]
    rows = []
    for r in table.itertuples():
        cite = _cites_html([(r.citation, r.url)])
        conf = text(f"conf_{r.confidence}", lang) if r.confidence else "—"
        rows.append(f"<tr><td>{cite}</td><td>{escape(text('kind_' + r.kind, lang))}</td><td>{escape(conf)}</td>"
                    f'<td class="num">{r.facts}</td></tr>')  # fmt: skip
    title = text("sources_heading", lang)
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="assets/page.css"></head><body>'
        f'<main class="shanhai-page">{_nav(lang, theme_pages)}<h2>{escape(title)}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></main></body></html>\n"
    )


def build_site(atlas, out, *, lang: str = "zh", counties=None) -> dict:
    """Write the offline site into folder ``out``; returns the files written and the size.

    ``counties`` (any name forms or codes) makes a site of those counties: their rows in the
    index, their pages and the links to them; default every county of the edition."""
    out = Path(out)
    order = edition_order(atlas, counties)  # an unknown county is refused before a folder is made
    (out / "assets").mkdir(parents=True, exist_ok=True)
    site = {"profiles": list(order)}
    theme_pages = [t for t in THEMES if t not in NEEDS_DATA]
    written = []

    def write(rel, text_):
        path = out / rel
        with atomic_path(path) as tmp:
            tmp.write_text(text_, encoding="utf-8")
        written.append(path)

    js, css = leaflet_assets()
    write("assets/leaflet.js", js)
    write("assets/leaflet.css", css)
    write("assets/page.js", page_asset("page.js"))
    write("assets/page.css", page_asset("page.css") + MAP_CSS)
    write("assets/site.js", page_asset("site.js"))
    write("NOTICE.txt", notice_bundle())  # Leaflet's licence and the project's, beside the copies
    # the county geometry and popups once for every page (the pages' own layers index them)
    simple = simplified(atlas, SIMPLIFY_DEG)
    polys = [ly.data for ly in build_theme(simple, "overview", lang).layers if ly.kind == "polygons"]
    geo, popups, lines = shared_data(pd.concat(polys).drop_duplicates("code").sort_values("code"))
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    write("assets/data.js", f"var shanhaiSiteGeo={dump(geo)};\nvar shanhaiSiteLines={dump(lines)};\n"
                            f"var shanhaiSitePopups={dump(popups)};\n")  # fmt: skip

    for theme in theme_pages:
        written.append(save_html(render_html(atlas, theme, lang=lang, site=site), out / f"{theme}.html"))
    table = (
        f'<div class="shanhai-page">{_nav(lang, theme_pages)}{_index_table(atlas, lang, order)}</div>'
        '<script src="assets/site.js"></script>'
    )
    written.append(save_html(render_html(atlas, "atlas", lang=lang, site=site, height="62vh", extra_html=table),
                             out / "index.html"))  # fmt: skip
    # the county pages share one rendering of the pairing map: only the view and the text differ

    mark = "<!--shanhai-profile-->"
    base = page_html(profile_map(atlas, order[0], lang=lang, site=site, extra_html=mark))
    # the map's script is the same on every county page but for the county in focus: it is
    # stored once in assets/ (26 copies of ~100 KB were three quarters of the site)
    start = base.rindex("<script>")
    end = base.index("</script>", start) + len("</script>")
    script = re.sub(r"focus: \[[^\]]*\]", "focus: shanhaiFocus", base[start + len("<script>") : end - 9], count=1)
    write("assets/county-map.js", script.strip() + "\n")
    base = base[:start] + "<!--shanhai-focus-->" + base[end:]
    for code in order:
        focus = json.dumps(focus_codes(atlas, code), ensure_ascii=False, separators=(",", ":"))
        page = base.replace(
            "<!--shanhai-focus-->",
            f'<script>var shanhaiFocus = {focus};</script>\n<script src="assets/county-map.js"></script>',
        )
        title, subtitle = (escape(x) for x in focus_heading(atlas, code, lang))
        head = rf'<div class="shanhai-title"><h1 id="\1">{title}</h1><p>{subtitle}</p></div>'
        page = re.sub(r'<div class="shanhai-title"><h1 id="([^"]*)">.*?</h1><p>.*?</p></div>',
                      lambda m_, h=head: m_.expand(h), page, count=1)  # fmt: skip
        # the tab and the bookmark: the county and what the page is (一县一图 / county profile)
        county = atlas.registry.counties[code]
        name = escape(by_lang(lang, county.name, county.name_en))
        page = re.sub(r"<title>.*?</title>", lambda _m, n=name: f"<title>{n} · {escape(text('profile', lang))}</title>",
                      page, count=1)  # fmt: skip
        page = page.replace(mark, _profile_html(atlas, code, lang, theme_pages))
        write(f"county-{code}.html", page)
    write("sources.html", _sources_page(atlas, lang, theme_pages))
    size = sum(p.stat().st_size for p in written)
    return {"files": written, "bytes": size, "pages": len([p for p in written if p.suffix == ".html"])}
