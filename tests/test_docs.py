"""The documentation site: what it generates from the code (CLI and API reference), and the
site itself, built as `make docs` builds it (without running the notebooks) and opened in a
browser from disk with the network blocked.

The tests marked ``docs`` need the docs extra; `make docs-test` (run by `make test`)
installs it and runs them with SHANHAI_DOCS_REQUIRED=1, so that a missing MkDocs fails
there instead of skipping.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import DOCS, NEXT_FRAMES, ROOT, load_docsgen, offline_page, pages_in_turn

docsgen = load_docsgen()


# ---------------------------------------------------------------------------------------
# generated from the code (no MkDocs needed)
# ---------------------------------------------------------------------------------------


def test_every_public_name_is_documented():
    import geo

    api = docsgen.public_api()
    assert [p.name for p in api] == list(geo.__all__)
    problems = []
    for p in api:
        if p.kind == "data":
            continue
        problems += docsgen.docstring_problems(p.obj(), f"geo.{p.name} ({p.target})")
    for targets in docsgen.EXTRA_OBJECTS.values():
        for t in targets:
            problems += docsgen.docstring_problems(docsgen.resolve(t), t)
    assert problems == []


def test_a_lazy_name_is_documented_by_its_implementation():
    import geo
    from geo.atlas import load_atlas

    by_name = {p.name: p for p in docsgen.public_api()}
    assert by_name["load_atlas"].target == "geo.atlas.load_atlas" and by_name["load_atlas"].obj() is load_atlas
    assert by_name["division_changes"].target == "geo.divisions.changes"
    assert by_name["GeoError"].obj() is geo.GeoError and by_name["GeoError"].page == "api/errors.md"
    # what the reference reads is what `help()` of the implementation shows
    assert "Returns" in load_atlas.__doc__ and "DataLayerError" in load_atlas.__doc__


def test_the_docstring_check_finds_what_is_missing():
    def bare(atlas, county):
        """Does something."""

    def full(atlas, county):
        """Does something.

        Parameters
        ----------
        atlas : Atlas
        county : str

        Returns
        -------
        int
        """

    assert docsgen.docstring_problems(full, "full") == []
    assert docsgen.docstring_problems(bare, "bare") == ["bare: no Parameters section", "bare: no Returns section"]
    full.__doc__ = full.__doc__.replace("county : str", "")
    assert docsgen.docstring_problems(full, "full") == ["full: the Parameters section does not name county"]
    full.__doc__ = None
    assert docsgen.docstring_problems(full, "full") == ["full: no docstring"]


def test_sphinx_roles_become_links_to_documented_objects():
    md = docsgen.roles_to_markdown
    assert md("see :func:`geo.load_atlas`.") == "see [`geo.load_atlas`][geo.atlas.load_atlas]."
    assert md(":class:`~geo.atlas.Atlas`") == "[`Atlas`][geo.atlas.Atlas]"
    assert md(":func:`render_static`") == "[`render_static`][geo.static.render_static]"
    assert md(":mod:`.maps` and :func:`read_raw`") == "`maps` and `read_raw`"  # not on the site: code


def _help(argv) -> str:
    from geo.commands import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return buf.getvalue()


def test_cli_reference_is_the_help_of_every_command(monkeypatch):
    import argparse

    from geo.commands import build_parser

    page = docsgen.cli_markdown()
    monkeypatch.setenv("COLUMNS", str(docsgen.HELP_COLUMNS))
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    commands = [c.dest for c in sub._choices_actions]
    assert {"map", "build", "profile", "book", "site", "report", "slides", "check", "template"} <= set(commands)
    assert _help([]).rstrip() in page
    for command in commands:
        text = _help([command])
        assert text.rstrip() in page, command  # verbatim, as `shanhai COMMAND --help` prints it
        assert f"## shanhai {command} {{ #shanhai-{command} }}" in page
        for action in sub.choices[command]._actions:
            for flag in action.option_strings:
                assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text), (command, flag)


def test_cli_reference_of_each_edition_speaks_its_language(monkeypatch):
    """The Chinese edition's reference is what `shanhai COMMAND --help --lang zh` prints."""
    zh, en = docsgen.cli_markdown("zh"), docsgen.cli_markdown("en")
    monkeypatch.setenv("COLUMNS", str(docsgen.HELP_COLUMNS))
    assert zh.startswith("# 命令行") and en.startswith("# Command line")
    for command in ("map", "profile", "check"):
        assert _help([command, "--lang", "zh"]).rstrip() in zh, command
        assert _help([command, "--lang", "en"]).rstrip() in en, command
        assert f"## shanhai {command} {{ #shanhai-{command} }}" in zh
    assert set(docsgen.cli_summaries("zh")) == set(docsgen.cli_summaries("en"))


def test_glossary_page_holds_every_term_in_both_editions():
    from geo.catalog import glossary

    terms, _ = glossary()
    zh, en = docsgen.glossary_markdown("zh"), docsgen.glossary_markdown("en")
    assert zh.startswith("# 术语表") and en.startswith("# Glossary")
    for t in terms.values():
        assert t["zh"] in zh and t["zh"] in en
        assert " ".join(t["note_zh"].split()) in zh and " ".join(t["note_en"].split()) in en


def test_api_reference_intro_is_chinese_in_the_chinese_edition():
    zh, en = docsgen.api_pages("zh"), docsgen.api_pages("en")
    assert set(zh) == set(en)
    assert zh["api/index.md"].startswith("# API 参考") and "## 载入" in zh["api/index.md"]
    assert en["api/index.md"].startswith("# API reference") and "## Load" in en["api/index.md"]
    assert zh["api/errors.md"].startswith("# 错误") and "错误信息" in zh["api/errors.md"]
    # the docstrings themselves stay English in both (the same directives)
    assert zh["api/load_atlas.md"] == en["api/load_atlas.md"]


def test_cli_reference_matches_the_installed_command():
    """The real `shanhai` process prints the same text at the same width."""
    env = {**os.environ, "COLUMNS": str(docsgen.HELP_COLUMNS)}
    r = subprocess.run([sys.executable, "-m", "geo", "map", "--help"], capture_output=True, text=True, env=env)
    assert r.returncode == 0
    assert r.stdout.replace("python -m geo", "shanhai").rstrip() in docsgen.cli_markdown()


def test_gallery_shows_every_theme_in_both_languages():
    from geo.commands.options import THEMES

    shots = docsgen.gallery_shots()
    for theme in THEMES:
        for suffix in ("", "-en"):
            s = next(s for s in shots if s.key == theme + suffix)
            assert s.html == f"{theme}{suffix}.html" and (s.png is None) == (theme == "atlas")
            assert all(a[0] == "map" and a[1] == theme for a in s.commands)
    assert {s.key for s in shots} >= {"profile-jingning", "profile-jingning-en", "book-cover", "book-cover-en"}
    # each edition's gallery shows the maps in its language, captioned in it
    zh = [s for s in shots if s.lang == "zh"]
    assert all(not s.key.endswith("-en") and re.search(r"[\u4e00-\u9fff]", s.title + s.note) for s in zh)
    assert all(s.key.endswith("-en") for s in shots if s.lang == "en")


# ---------------------------------------------------------------------------------------
# the site (needs the docs extra)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory, theme_pages, built):
    """The site as `make docs` builds it, without running the notebooks (their outputs are
    `make docs`'s; the notebooks themselves run in tests/test_notebooks.py). The gallery's
    theme pages are the run's (tests/conftest.py), and so are its Chinese maps' PNGs (the
    run's `shanhai build` at the gallery's dpi): `shanhai map THEME -o page.html` and
    `shanhai map THEME --dpi 150 -o THEME.png` write the very bytes of those, so the build
    makes only the rest."""
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings_handlers") is None:
        message = "the docs extra is not installed: run `make docs-test`"
        if os.environ.get("SHANHAI_DOCS_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("docs")
    out = tmp / "site"
    gallery = tmp / "work" / "gallery"
    gallery.mkdir(parents=True)
    for shot in docsgen.gallery_shots():  # the gallery's own names for them
        page = theme_pages.get((shot.key.removesuffix("-en"), shot.lang))
        if page is not None:
            shutil.copyfile(page, gallery / shot.html)
        if shot.png and shot.lang == "zh" and (built / shot.png).exists():
            shutil.copyfile(built / shot.png, gallery / shot.png)
    env = {
        **os.environ,
        "SHANHAI_DOCS_EXECUTE": "0",
        "SHANHAI_DOCS_WORK": str(tmp / "work"),
        "SHANHAI_DOCS_REUSE": "1",
        "NO_MKDOCS_2_WARNING": "1",
    }
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", DOCS / "mkdocs.yml", "-d", out]
    r = subprocess.run(mkdocs, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-4000:]
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.M), log[-4000:]
    return out


#: the editions: the default (Chinese) at the site's root, English under en/
EDITIONS = {"zh": "", "en": "en/"}


def _pages(site):
    """The pages of the site (not the gallery's maps) by edition: ``(lang, path)``."""
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("gallery/") or rel == "404.html":
            continue  # the maps themselves (tested with the maps); 404: served sites only
        yield ("en" if rel.startswith("en/") else "zh"), rel


@pytest.mark.docs
def test_site_holds_every_page(site):
    api = docsgen.public_api()
    expected = ["index.html", "getting-started.html", "cli.html", "gallery.html", "glossary.html"]
    expected += ["api/index.html", "api/errors.html"]
    expected += [p.page.removesuffix(".md") + ".html" for p in api if p.kind == "function"]
    expected += [f"notebooks/{p.stem}.html" for p in docsgen.notebooks()]
    expected += ["guide/themes.html", "guide/indicators.html", "guide/standard-map.html"]
    for prefix in EDITIONS.values():
        assert [p for p in expected if not (site / prefix / p).is_file()] == [], prefix
        errors = (site / prefix / "api" / "errors.html").read_text(encoding="utf-8")
        assert all(f'id="{p.target}"' in errors for p in api if p.kind == "class")
        cli = (site / prefix / "cli.html").read_text(encoding="utf-8")
        assert all(f'id="shanhai-{c}"' in cli for c in docsgen.cli_summaries())
        # the reference is rendered from the docstring: parameters, returns, raises
        load = (site / prefix / "api" / "load_atlas.html").read_text(encoding="utf-8")
        assert all(w in load for w in ("boundaries", "DataLayerError", 'id="geo.atlas.load_atlas"')), prefix
    # the docstring's sections under the edition's words (mkdocstrings' own translations)
    assert "返回：" in (site / "api" / "load_atlas.html").read_text(encoding="utf-8")
    assert "Returns:" in (site / "en" / "api" / "load_atlas.html").read_text(encoding="utf-8")
    assert "# 术语表" not in (site / "glossary.html").read_text(encoding="utf-8")  # rendered, not raw


@pytest.mark.docs
def test_site_pages_have_language_and_titles(site):
    # the Chinese edition is the site's home
    assert re.search(r'<html[^>]* lang="zh"', (site / "index.html").read_text(encoding="utf-8"))
    langs = set()
    for lang, rel in _pages(site):
        html = (site / rel).read_text(encoding="utf-8")
        assert re.search(rf'<html[^>]* lang="{lang}"', html), rel
        title = re.search(r"<title>([^<]+)</title>", html)
        assert title and title.group(1).strip(), rel
        langs.add(lang)
    assert langs == set(EDITIONS)


def _switch(html: str) -> dict[str, str]:
    """The language switch of a page: its link for each language."""
    links = re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" class="md-select__link">', html)
    return {lang: href for href, lang in links}


@pytest.mark.docs
def test_every_page_links_its_counterpart(site):
    import posixpath

    n = 0
    for lang, rel in _pages(site):
        switch = _switch((site / rel).read_text(encoding="utf-8"))
        assert set(switch) == set(EDITIONS), rel
        bare = rel.removeprefix(EDITIONS[lang])
        for other, href in switch.items():
            assert not re.match(r"(?:[a-z]+:|/)", href), (rel, href)  # relative: works from file://
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            assert target == EDITIONS[other] + bare, (rel, other, href)
            assert (site / target).is_file(), (rel, target)
        n += 1
    assert n > 2 * 40


@pytest.mark.docs
def test_a_chinese_page_has_no_english_navigation_label(site):
    from html.parser import HTMLParser

    class Labels(HTMLParser):
        """The titles of the site's navigation (not the page's table of contents)."""

        def __init__(self):
            super().__init__()
            self.navs, self.span, self.labels = [], False, []

        def handle_starttag(self, tag, attrs):
            cls = dict(attrs).get("class") or ""
            if tag == "nav":
                outer = self.navs[-1] if self.navs else None
                self.navs.append(
                    "toc"
                    if outer == "toc" or "md-nav--secondary" in cls
                    else "primary"
                    if outer or "md-nav--primary" in cls
                    else None
                )
            self.span = tag == "span" and "md-ellipsis" in cls and bool(self.navs) and self.navs[-1] == "primary"

        def handle_endtag(self, tag):
            if tag == "nav" and self.navs:
                self.navs.pop()
            self.span = False

        def handle_data(self, data):
            if self.span and data.strip():
                self.labels.append(data.strip())

    code_name = re.compile(r"geo\.\w+|shanhai-atlas")
    for rel in ("index.html", "guide/themes.html", "cli.html", "api/load_atlas.html", "glossary.html"):
        parser = Labels()
        parser.feed((site / rel).read_text(encoding="utf-8"))
        assert len(parser.labels) > 40, rel
        english = [t for t in parser.labels if not re.search(r"[\u4e00-\u9fff]", t) and not code_name.fullmatch(t)]
        assert english == [], (rel, english)
    # and the English edition's are English
    parser = Labels()
    parser.feed((site / "en" / "index.html").read_text(encoding="utf-8"))
    assert "Getting started" in parser.labels and "快速入门" not in parser.labels


def _search_words(site, prefix: str) -> dict[str, set[str]]:
    """The words of an edition's search index (as the browser's search splits them) and the
    pages each is found on, by path from the site's root."""
    import json

    text = (site / prefix / "search" / "search_index.js").read_text(encoding="utf-8")
    index = json.loads(text.removeprefix("var __index = "))
    assert index["config"]["lang"] == ["zh", "en"]
    separator = re.compile(index["config"]["separator"])  # Python reads its \u escapes as JavaScript does
    words = {}
    for doc in index["docs"]:
        page = prefix + doc["location"].split("#")[0]
        assert (site / page).is_file(), page  # the edition's own pages
        for w in separator.split(doc["title"] + " " + doc["text"]):
            words.setdefault(w, set()).add(page)
    return words


@pytest.mark.docs
def test_search_index_of_each_edition_and_chinese_words(site):
    import json

    zh, en = _search_words(site, ""), _search_words(site, "en/")
    # the Chinese text is segmented into words (jieba): 结对 is a word of the glossary
    assert "glossary.html" in zh["结对"] and "山海协作" in zh
    assert not any(p.startswith("en/") for pages in zh.values() for p in pages)
    assert "en/glossary.html" in en["pairing"] and "en/api/render_static.html" in en["geo.render_static"]
    assert all(p.startswith("en/") for pages in en.values() for p in pages)
    # each edition's pages ask for their own index
    config = re.compile(r'<script id="__config" type="application/json">([^<]*)</script>')
    for rel, base in (("guide/themes.html", ".."), ("en/guide/themes.html", "../../en/")):
        assert json.loads(config.search((site / rel).read_text(encoding="utf-8")).group(1))["base"] == base, rel


@pytest.mark.docs
def test_site_asks_no_other_host(site):
    remote = re.compile(r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not remote.search(html), (page, remote.search(html) and html[remote.search(html).start() :][:200])
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert not re.search(r"@import\s+url\(\s*['\"]?https?:|url\(\s*['\"]?https?://", css)
    assert (site / "search" / "search_index.js").is_file()  # search from file:// (offline plugin)
    # the language packs the search loads (Chinese and English), no other
    packs = {p.name for p in (site / "assets" / "javascripts" / "lunr").rglob("*.js")}
    assert packs == {"lunr.stemmer.support.min.js", "lunr.zh.min.js", "lunr.multi.min.js"}


@pytest.mark.docs
def test_gallery_files_and_commands(site):
    from geo.commands.options import THEMES

    shots = docsgen.gallery_shots()
    for s in shots:  # the pictures are once, at the root, for both editions
        for name in filter(None, [s.png, s.html, *docsgen.more_pages(s, site / "gallery")]):
            assert (site / "gallery" / name).stat().st_size > 10_000, name
        if s.png:
            assert (site / "gallery" / "thumbs" / s.png).is_file()
    for lang, prefix in EDITIONS.items():
        gallery = (site / prefix / "gallery.html").read_text(encoding="utf-8")
        up = "../" * prefix.count("/")
        shown = re.sub(r"<[^>]+>", "", gallery).replace("&quot;", '"').replace("&#39;", "'")
        for s in shots:
            # a gallery shows the pictures of its language
            linked = f'href="{up}gallery/{s.png or s.html}"' in gallery
            assert linked == (s.lang == lang), (lang, s.key)
            if s.lang == lang:
                if s.png:
                    assert f'src="{up}gallery/thumbs/{s.png}"' in gallery
                for argv in s.commands:
                    assert docsgen.command_text(argv) in shown, argv
    assert len(THEMES) * 2 + 4 == len(shots)
    profile = next(s for s in shots if s.key == "profile-jingning")
    assert docsgen.more_pages(profile, site / "gallery")[0] == "profile-jingning-2.png"
    assert 'href="gallery/profile-jingning-2.png"' in (site / "gallery.html").read_text(encoding="utf-8")


def test_gallery_page_is_the_file_its_command_writes(theme_pages, built, tmp_path, monkeypatch):
    # what lets the test build take the run's theme pages and the run's build's PNGs for the
    # gallery's (the site fixture)
    from geo.commands import main

    change = next(s for s in docsgen.gallery_shots() if s.key == "change")
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["map", "status", "--lang", "en", "-o", "status-en.html"]) == 0
        assert main(change.commands[0]) == 0  # shanhai map change --dpi 150 -o change.png
    assert (tmp_path / "status-en.html").read_bytes() == theme_pages["status", "en"].read_bytes()
    assert (tmp_path / change.png).read_bytes() == (built / change.png).read_bytes()


def _open(browser, url):
    page, errors, blocked = offline_page(browser, url, (1280, 900))
    page.wait_for_load_state("load")
    return page, errors, blocked


def _search(page, query: str, href: str):
    """Type ``query`` into the search box; the first result linking ``href``."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    hit = page.locator(f".md-search-result__list a[href*='{href}']").first
    hit.wait_for(timeout=30000)
    return hit


#: the pages the browser opens: a page of each kind for axe (a guide page, the generated CLI
#: and API references, the gallery, a notebook; the English edition is built from the same
#: templates and hooks, its home page stands for it), and those the from-disk checks use
AUDITED = ["index.html", "cli.html", "gallery.html", "api/load_atlas.html", f"notebooks/{docsgen.notebooks()[0].stem}.html",
           "en/index.html"]  # fmt: skip
FROM_DISK = ["index.html", "api/load_atlas.html", "gallery.html", "en/index.html", "en/gallery.html"]


@pytest.fixture(scope="module")
def visited(site, browser):
    """Each page of :data:`AUDITED` and :data:`FROM_DISK` opened once from disk, network
    blocked: axe's findings on the page as it loaded, then what the from-disk checks read
    (searching, switching the language); {name: facts}. The errors and requests are the
    page's own: what axe's reading of the stylesheets makes Chromium say is left out."""
    from .a11y import axe_violations, describe

    out = {}
    paths = {name: site / name for name in dict.fromkeys([*AUDITED, *FROM_DISK])}
    loaded = lambda page: page.wait_for_load_state("load")  # noqa: E731
    for name, page, errors, blocked in pages_in_turn(browser, paths, (1280, 900), ready=loaded):
        got = out[name] = {}
        if name in AUDITED:
            page.evaluate(NEXT_FRAMES)
            before = len(errors), len(blocked)
            got["axe"] = describe(axe_violations(page))
            page.evaluate(NEXT_FRAMES)  # the console has said what it says of axe's requests
            del errors[before[0] :], blocked[before[1] :]
        got["title"] = page.title()
        if name.endswith("gallery.html"):
            got["images"] = page.evaluate("document.images.length")
            got["broken"] = page.evaluate(
                "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
        if name == "api/load_atlas.html":
            got["h1"] = page.locator("h1").first.inner_text()
            got["errors named"] = page.get_by_text("DataLayerError").count()
        if name == "index.html":  # search runs in a worker, from file:// through the shim
            # a Chinese word: the index is segmented, the worker loads lunr's zh pack
            _search(page, "结对", "glossary.html")
            got["marked"] = page.locator(".md-search-result__list mark", has_text="结对").count()
            got["links"] = page.locator(".md-search-result__list a").evaluate_all("l => l.map(a => a.href)")
        if name == "en/index.html":
            got["hit"] = _search(page, "render_static", "en/api/render_static.html").inner_text()
            # the language switch goes to the Chinese home
            page.keyboard.press("Escape")
            page.locator(".md-header__option .md-select").first.hover()
            page.locator(".md-select__link[hreflang='zh']").first.click()
            page.wait_for_load_state("load")
            got["switched to"] = (page.url, page.locator("html").get_attribute("lang"))
        page.evaluate(NEXT_FRAMES)  # what the page runs after load has run
        got["blocked"], got["errors"] = list(blocked), list(errors)
    return out


@pytest.mark.docs
@pytest.mark.slow
def test_site_works_from_disk_with_no_network(visited):
    for name in FROM_DISK:
        got = visited[name]
        assert got["title"], name
        assert got["blocked"] == [] and got["errors"] == [], (name, got["blocked"], got["errors"])
    for name in ("gallery.html", "en/gallery.html"):
        assert visited[name]["images"] >= len([s for s in docsgen.gallery_shots() if s.png and s.lang == "zh"])
        assert visited[name]["broken"] == []
    assert "geo.load_atlas" in visited["api/load_atlas.html"]["h1"]
    assert visited["api/load_atlas.html"]["errors named"] > 0
    assert visited["index.html"]["marked"] > 0
    assert not any("/site/en/" in h for h in visited["index.html"]["links"]), visited["index.html"]["links"]
    assert "render_static" in visited["en/index.html"]["hit"]
    url, lang = visited["en/index.html"]["switched to"]
    assert url.endswith("/site/index.html") and lang == "zh"


@pytest.mark.docs
@pytest.mark.slow
def test_site_works_unzipped_anywhere(site, browser, tmp_path):
    archive = tmp_path / "docs.zip"
    # stored, not deflated: what unzips is the same either way, and deflating the gallery's
    # pictures and pages cost seconds
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        for f in site.rglob("*"):
            z.write(f, f.relative_to(site.parent))
    shutil.unpack_archive(archive, tmp_path / "elsewhere")
    for start, label in (("gallery.html", "命令行"), ("en/gallery.html", "Command line")):
        page, errors, blocked = _open(browser, (tmp_path / "elsewhere" / "site" / start).as_uri())
        try:
            page.get_by_role("link", name=label).first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("/site/" + start.replace("gallery", "cli")), page.url
            assert page.locator("#shanhai-map").count() == 1
            assert blocked == [] and errors == []
        finally:
            page.close()


@pytest.mark.docs
@pytest.mark.slow
def test_site_pages_pass_the_accessibility_audit(visited):
    # axe-core's WCAG 2.1 A/AA rules over a page of each kind, as on the maps (tests/test_a11y.py)
    found = {name: visited[name]["axe"] for name in AUDITED if visited[name]["axe"]}
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
