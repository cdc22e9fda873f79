"""Render a fixed sample (maps in zh and en at every size, facets, profiles, HTML pages, the site,
optionally the book) with the geo package first on sys.path and print an md5 per output: run it
before and after a refactor (PYTHONPATH=<checkout> python scripts/renders_md5.py OUTDIR [book]) and
diff the two listings to prove the outputs byte-identical."""

import hashlib
import importlib
import sys
from pathlib import Path

import matplotlib

import geo

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

matplotlib.rcParams["svg.hashsalt"] = "shanhai"  # SVG ids are random otherwise

atlas = geo.load_atlas()


def md5(p):
    return hashlib.md5(Path(p).read_bytes()).hexdigest()


res = {}


def imp(*names):
    for n in names:
        try:
            return importlib.import_module(n)
        except ImportError:
            pass
    raise ImportError(names)


st = imp("geo.static")
save_static = st.save_static
cases = [
    ("overview", "a4", "zh", None, "png"),
    ("pairing", "half", "en", None, "png"),
    ("status", "slide", "zh", None, "png"),
    ("policy", "a4", "en", None, "svg"),
    ("change", "a4", "zh", None, "pdf"),
    ("status", "a4", "zh", "year", "png"),
    ("policy", "half", "en", "document", "png"),
    ("status", "slide", "en", "designation", "png"),
]
for theme, size, lang, facet, fmt in cases:
    fig = geo.render_static(atlas, theme, size=size, lang=lang, facet=facet)
    p = out / f"{theme}-{size}-{lang}-{facet}.{fmt}"
    save_static(fig, p, dpi=60)
    res[p.name] = md5(p)
prof = imp("geo.products.profile", "geo.profile")
pages = prof.render_profile(atlas, "景宁", lang="zh")
paths = prof.save_profile(pages, out / "jn.png", dpi=60)
for p in paths:
    res[Path(p).name] = md5(p)
paths = prof.save_profile(prof.render_profile(atlas, "淳安", lang="en"), out / "ca.pdf")
for p in paths:
    res[Path(p).name] = md5(p)
html = imp("geo.html")
m = geo.render_html(atlas, "pairing", lang="zh")
p = html.save_html(m, out / "pairing.html")
res[p.name] = md5(p)
m = geo.render_html(atlas, "atlas", lang="en")
p = html.save_html(m, out / "atlas-en.html")
res[p.name] = md5(p)
site = imp("geo.products.site", "geo.site")
info = site.build_site(atlas, out / "site", lang="zh")
for f in ["index.html", "county-331127.html", "pairing.html", "assets/data.js"]:
    res["site/" + f] = md5(out / "site" / f)
if len(sys.argv) > 2:
    book = imp("geo.products.book", "geo.book")
    b = book.build_book(atlas, out / "book.pdf")
    res["book.pdf"] = md5(out / "book.pdf")
for k, v in sorted(res.items()):
    print(v, k)
