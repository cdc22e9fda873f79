"""The markup suite: a hostile value at every entry point by which a string from outside (a
table, a file name, a column header, the command line, a caller's GeoDataFrame) reaches a page
or an SVG. Each page is rendered once and opened once in Chromium with the network blocked;
nothing may run (no ``window.pwned``, no ``document.title`` change, no dialog, no request, no
event-handler attribute, no ``javascript:`` link) and each value must be shown as typed."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import geo

from .conftest import LAYERS, NEXT_FRAMES, open_page, run_cli

pytestmark = pytest.mark.slow

QINGYUAN = "331126"  # the mountain county every hostile row is about (庆元县)


# one shape of attack per builder; each, if it ever ran, would set window.pwned to its name
def img(n):
    return f"<img src=http://evil.invalid/{n}.png onerror=\"window.pwned='{n}'\">"


def script(n):
    return f"<script>window.pwned='{n}';document.title='PWNED'</script>"


def svg(n):
    return f"<svg onload=\"window.pwned='{n}'\">"


def close(n):
    return f"</script><script>window.pwned='{n}'</script>"


def attr(n):
    return f'" onmouseover="window.pwned=\'{n}\'" x="'


def js(n):
    return f"javascript:window.pwned='{n}'"


#: template syntax (Jinja's, which builds the pages): shown as typed, never run and never a
#: broken page (it once gave 49, and an unclosed tag an error)
TEMPLATE = "{{ 7*7 }}{% if x %}{#"


#: entry point → the hostile value typed there
HOSTILE = {
    "pairings partner (a name outside the registry)": img("partner") + "新区",
    "pairings round": close("round"),
    "pairings source": js("psource"),
    "pairings note": svg("pnote") + TEMPLATE,
    "status designation": script("designation"),
    "status source": attr("ssource"),
    "status note": "<!--<script>window.pwned='snote'",
    # also a layer name (layer control, the atlas page's theme switcher) and a legend heading
    "coverage document title": img("doctitle") + "<!--<script>",
    "coverage clause summary": close("summary") + TEMPLATE,
    "coverage note": svg("cnote"),
    "indicator column header": img("column") + TEMPLATE,
    "indicator unit in the header": "<b>元</b>",
    "indicator file name": "<svg onload=window.pwned=1>.csv",
    "--unit": svg("unit"),
    "choropleth title": close("ctitle") + TEMPLATE,
    "choropleth column": svg("ccolumn"),
    "choropleth feature name": img("cname") + TEMPLATE,
}
H = HOSTILE


@pytest.fixture(scope="module")
def hostile_files(atlas, tmp_path_factory):
    """The embedded layers with one hostile row each (pairings, status, coverage), and an
    indicator table whose header and file name are hostile."""
    out = tmp_path_factory.mktemp("hostile")
    p = pd.read_csv(LAYERS / "pairings.csv", dtype=str, keep_default_na=False)
    row = p[p["mountain_code"] == QINGYUAN].iloc[0].to_dict()
    row.update(partner_code="", partner=H["pairings partner (a name outside the registry)"], partner_city_code="",
               partner_city="宁波市", since="2021", confidence="low", round=H["pairings round"],
               source=H["pairings source"], note=H["pairings note"])  # fmt: skip
    pd.concat([p, pd.DataFrame([row])]).to_csv(out / "pairings.csv", index=False)
    s = pd.read_csv(LAYERS / "status.csv", dtype=str, keep_default_na=False)
    row = dict(scope="county", code=QINGYUAN, name="庆元县", designation=H["status designation"],
               category="eco_demo", level="national", state="named", batch="", year="2020", confidence="low",
               source=H["status source"], note=H["status note"])  # fmt: skip
    pd.concat([s, pd.DataFrame([row])]).to_csv(out / "status.csv", index=False)
    c = pd.read_csv(LAYERS / "coverage.csv", dtype=str, keep_default_na=False).assign(title="", summary="")
    row = dict(document="evil-doc", clause="1", scope="county", target="庆元", target_name="",
               note=H["coverage note"], title=H["coverage document title"], summary=H["coverage clause summary"])  # fmt: skip
    pd.concat([c, pd.DataFrame([row])]).to_csv(out / "coverage.csv", index=False)
    counties = atlas.counties
    header = f"{H['indicator column header']}（{H['indicator unit in the header']}）"
    data = out / H["indicator file name"]
    pd.DataFrame({"县": counties["name"], header: counties["population_2020"]}).to_csv(data, index=False)
    return {"dir": out, "data": data, "header": header}


@pytest.fixture(scope="module")
def hostile_atlas(hostile_files):
    d = hostile_files["dir"]
    a = geo.load_atlas(pairings=d / "pairings.csv", status=d / "status.csv", coverage=d / "coverage.csv")
    assert a.documents["title"].eq(H["coverage document title"]).any()
    return a


@pytest.fixture(scope="module")
def hostile_pages(hostile_atlas, hostile_files):
    """Every page and SVG made from the hostile inputs, rendered once."""
    from geo.html import choropleth_html, render_html, save_html
    from geo.products.profile import render_profile, save_profile
    from geo.products.site import build_site
    from geo.static import render_static, save_static

    d, a = hostile_files["dir"], hostile_atlas
    pages = {t: save_html(render_html(a, t), d / f"{t}.html") for t in ("pairing", "policy", "status")}
    # the known hole, as the analyst met it: the header's markup in the layer control
    r = run_cli("map", "indicator", "--data", hostile_files["data"], "--column", hostile_files["header"], "--links",
                "--pairings", d / "pairings.csv", "-o", d / "indicator.html")  # fmt: skip
    assert r.returncode == 0, r.stderr
    pages["indicator"] = d / "indicator.html"
    build_site(a, d / "site", counties=[QINGYUAN])  # the county whose rows are hostile
    pages["site index"] = d / "site" / "index.html"
    pages["site county page"] = d / "site" / f"county-{QINGYUAN}.html"
    g = a.counties[["name", "population_2020", "geometry"]].rename(columns={"population_2020": H["choropleth column"]})
    g.loc[g.index[0], "name"] = H["choropleth feature name"]
    m = choropleth_html(g, H["choropleth column"], title=H["choropleth title"])
    pages["choropleth"] = save_html(m, d / "choropleth.html")
    ind = geo.load_indicator(a, hostile_files["header"], hostile_files["data"], unit=H["--unit"])
    pages["indicator svg"] = save_static(render_static(a, "indicator", data=ind, size="half"), d / "indicator.svg")
    save_profile(render_profile(a, QINGYUAN), d / "profile.svg")
    pages["profile svg"] = d / "profile.svg"
    pages["profile svg 2"] = d / "profile-2.svg"
    return pages


# what the page shows, read from the DOM after every tooltip and popup of 庆元 (its polygon
# on every layer, its links) has been opened, and (atlas page) every theme switched to
_READ_JS = """(code) => {
  var m = window.shanhaiMap, tips = [], pops = [];
  Object.values(window.shanhaiLayers).forEach(function (l) {
    if (!l.eachLayer) return;
    var added = !m.hasLayer(l); if (added) m.addLayer(l);
    l.eachLayer(function (f) {
      var e = f.feature && f.feature.properties && f.feature.properties.ends;
      if (!f.feature || !(f.feature.id === code || (e && e.indexOf(code) >= 0))) return;
      if (f.getTooltip()) { f.openTooltip(f.getCenter ? f.getCenter() : undefined); tips.push(f.getTooltip().getElement().innerText); f.closeTooltip(); }
      if (f.getPopup()) { f.openPopup(); pops.push(f.getPopup().getElement().innerText); f.closePopup(); }
    });
    if (added) m.removeLayer(l);
  });
  var q = function (s) { var el = document.querySelector(s); return el ? el.innerText : ""; };
  var switcher = [];
  if (window.shanhaiThemes) {
    var box = document.querySelector(".shanhai-themes");
    for (var i = 0; i < box.querySelectorAll(".shanhai-theme").length; i++) {
      window.shanhaiThemes.activate(i); switcher.push(box.innerText);
    }
    window.shanhaiThemes.activate(0);
  }
  var table = "";  /* the table view: the same facts, built in the page */
  if (window.shanhaiTable) { window.shanhaiTable.open(); table = window.shanhaiTable.panel.innerText; window.shanhaiTable.close(); }
  var handlers = [];
  document.querySelectorAll("*").forEach(function (el) {
    Array.prototype.forEach.call(el.attributes, function (a) {
      if (/^on/i.test(a.name)) handlers.push(a.name + "=" + a.value);
    });
  });
  return {
    tips: tips, pops: pops, switcher: switcher, handlers: handlers, table: table,
    control: q(".leaflet-control-layers"), title: q(".shanhai-title h1"), subtitle: q(".shanhai-title p"),
    legend: document.querySelector(".shanhai-legend").textContent, body: document.body.innerText,
    search: Array.prototype.map.call(document.querySelectorAll("datalist option"), function (o) { return o.value; }),
    jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    injected: document.querySelectorAll('img[src*="evil"], svg[onload], [onerror], [onmouseover]').length,
    pwned: window.pwned === undefined ? null : String(window.pwned), docTitle: document.title
  };
}"""

#: resolves once every image of the page has loaded or failed (an onerror handler has run), and
#: the frames after it are drawn: a condition, not a sleep
LOADED = (
    "Promise.all([...document.images, ...document.querySelectorAll('image')].map(i => i.complete === false ?"
    " new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); }) : null))"
    f".then(() => {NEXT_FRAMES})"
)

HTML_PAGES = ["pairing", "policy", "status", "indicator", "site index", "site county page", "choropleth"]
SVGS = ["indicator svg", "profile svg", "profile svg 2"]
# the handlers the page script itself writes into a county's link box
OWN_HANDLERS = {"onfocus=this.select()", "onclick=shanhaiCopy(this)"}


@pytest.fixture(scope="module")
def seen(browser, hostile_pages):
    """Each hostile page opened once: what ran, what was asked for, what is shown."""
    out = {}
    from playwright.sync_api import TimeoutError as Timeout

    for name in HTML_PAGES:
        try:
            page, errors, blocked = open_page(browser, hostile_pages[name], timeout=8000)
        except Timeout:  # the page's own script never ran: a value broke out of its element
            out[name] = {"errors": ["the page's map never came up"], "blocked": [], "pwned": None}
            continue
        try:
            code = "f0" if name == "choropleth" else QINGYUAN
            got = page.evaluate(_READ_JS, code)
            page.evaluate(LOADED)  # every image loaded or failed: an injected onerror has fired
            got.update(errors=errors, blocked=blocked, pwned_after=page.evaluate("window.pwned || null"))
            out[name] = got
        finally:
            page.close()
    for name in SVGS:
        page = browser.new_page()
        errors, blocked = [], []
        page.on("dialog", lambda d, errors=errors: (errors.append("dialog: " + d.message), d.dismiss()))
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.route("**/*", lambda r, blocked=blocked: r.continue_() if r.request.url.startswith("file:")
                   else (blocked.append(r.request.url), r.abort()))  # fmt: skip
        try:
            page.goto(hostile_pages[name].as_uri())
            page.evaluate(LOADED)
            out[name] = {"errors": errors, "blocked": blocked, "pwned": page.evaluate("window.pwned || null")}
        finally:
            page.close()
    return out


@pytest.mark.parametrize("name", HTML_PAGES + SVGS)
def test_nothing_ran(seen, name):
    got = seen[name]
    assert got["pwned"] is None and got.get("pwned_after") is None
    assert got.get("docTitle", "") != "PWNED"
    assert got["errors"] == [] and got["blocked"] == []  # no dialog, no script error, no request
    if name not in SVGS:
        assert got["jsLinks"] == 0 and got["injected"] == 0
        assert set(got["handlers"]) <= OWN_HANDLERS


# entry point → where on which page its value must be shown as typed
SHOWN = {
    "pairings partner (a name outside the registry)": [
        ("pairing", "tips"), ("pairing", "pops"), ("pairing", "table"), ("site index", "body"),
        ("site county page", "body")],
    "pairings round": [("pairing", "pops")],
    "pairings source": [("pairing", "pops"), ("site county page", "body")],
    "pairings note": [("pairing", "pops")],
    "status designation": [("status", "tips"), ("status", "pops"), ("status", "table"), ("site index", "body"),
                           ("site county page", "body")],
    "status source": [("status", "pops"), ("site county page", "body")],
    "coverage document title": [("policy", "control"), ("policy", "legend"), ("policy", "pops"),
                                ("site index", "switcher"), ("site county page", "body")],
    "coverage clause summary": [("policy", "pops"), ("policy", "table"), ("site county page", "body")],
    "indicator column header": [("indicator", "control"), ("indicator", "title"), ("indicator", "legend"),
                                ("indicator", "tips")],
    "indicator unit in the header": [("indicator", "title"), ("indicator", "legend"), ("indicator", "tips")],
    "indicator file name": [("indicator", "body")],  # the source line under the map
    "choropleth title": [("choropleth", "title")],
    "choropleth column": [("choropleth", "legend"), ("choropleth", "tips")],
    "choropleth feature name": [("choropleth", "tips"), ("choropleth", "search"), ("choropleth", "table")],
}  # fmt: skip


@pytest.mark.parametrize("entry", sorted(SHOWN))
def test_text_is_shown_as_typed(seen, entry):
    value = HOSTILE[entry]
    for page, where in SHOWN[entry]:
        shown = seen[page][where]
        shown = "\n".join(shown) if isinstance(shown, list) else shown
        assert value in shown, (entry, page, where)


def test_every_entry_point_is_tried():
    # the notes of status and coverage rows reach no page (they are in the files all the same);
    # --unit is read in the SVG below
    assert set(HOSTILE) - set(SHOWN) == {"status note", "coverage note", "--unit"}


def _svg_tree(path: Path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.parse(path, parser=parser)  # well-formed, or this raises


@pytest.mark.parametrize("name", SVGS)
def test_svg_holds_no_markup_of_ours(hostile_pages, name):
    root = _svg_tree(hostile_pages[name]).getroot()
    for el in root.iter():
        if not isinstance(el.tag, str):  # a comment
            continue
        assert el.tag.rpartition("}")[2] not in ("script", "foreignObject"), name
        for k, v in el.attrib.items():
            assert not k.rpartition("}")[2].lower().startswith("on"), (name, k)
            assert not v.strip().lower().startswith("javascript:"), (name, k)


def test_svg_text_is_kept_as_typed(hostile_pages):
    # the glyphs are paths (svg.fonttype "path"); matplotlib keeps each text in a comment,
    # escaped, with "--" written "- -"; long lines are wrapped, a word too long for its line cut
    def norm(text_):
        return "".join(text_.replace("- -", "--").split())

    def comments(*names):
        found = [el.text for n in names for el in _svg_tree(hostile_pages[n]).getroot().iter() if el.tag is ET.Comment]
        return norm(html.unescape(" ".join(found)))  # a comment's "&lt;" is not parsed: matplotlib wrote it

    ind = comments("indicator svg")
    for entry in ("indicator column header", "--unit", "indicator file name"):
        assert norm(H[entry]) in ind, entry
    profile = comments("profile svg", "profile svg 2")
    for entry in ("pairings partner (a name outside the registry)", "coverage document title", "status designation"):
        assert norm(H[entry]) in profile, entry
