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

from .conftest import NEXT_FRAMES, ROOT, offline_page

DOCS = ROOT / "docs"


def _docsgen():
    sys.path.insert(0, str(DOCS))
    try:
        import docsgen
    finally:
        sys.path.remove(str(DOCS))
    return docsgen


docsgen = _docsgen()


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


# ---------------------------------------------------------------------------------------
# the site (needs the docs extra)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site as `make docs` builds it, without running the notebooks (their outputs are
    `make docs`'s; the notebooks themselves run in tests/test_notebooks.py)."""
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings_handlers") is None:
        message = "the docs extra is not installed: run `make docs-test`"
        if os.environ.get("SHANHAI_DOCS_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("docs")
    out = tmp / "site"
    env = {
        **os.environ,
        "SHANHAI_DOCS_EXECUTE": "0",
        "SHANHAI_DOCS_WORK": str(tmp / "work"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", DOCS / "mkdocs.yml", "-d", out]
    r = subprocess.run(mkdocs, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-4000:]
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.M), log[-4000:]
    return out


@pytest.mark.docs
def test_site_holds_every_page(site):
    api = docsgen.public_api()
    expected = ["index.html", "getting-started.html", "cli.html", "gallery.html", "api/index.html", "api/errors.html"]
    expected += [p.page.removesuffix(".md") + ".html" for p in api if p.kind == "function"]
    expected += [f"notebooks/{p.stem}.html" for p in docsgen.notebooks()]
    expected += ["guide/themes.html", "guide/indicators.html", "guide/standard-map.html"]
    assert [p for p in expected if not (site / p).is_file()] == []
    errors = (site / "api" / "errors.html").read_text(encoding="utf-8")
    assert all(f'id="{p.target}"' in errors for p in api if p.kind == "class")
    cli = (site / "cli.html").read_text(encoding="utf-8")
    assert all(f'id="shanhai-{c}"' in cli for c in docsgen.cli_summaries())
    # the reference is rendered from the docstring: parameters, returns, raises
    load = (site / "api" / "load_atlas.html").read_text(encoding="utf-8")
    assert all(w in load for w in ("boundaries", "DataLayerError", "Returns", 'id="geo.atlas.load_atlas"'))


@pytest.mark.docs
def test_site_pages_have_language_and_titles(site):
    for page in site.rglob("*.html"):
        if page.parent.name == "gallery":
            continue  # the maps themselves (tested with the maps)
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<html[^>]* lang="en"', html), page
        title = re.search(r"<title>([^<]+)</title>", html)
        assert title and title.group(1).strip(), page


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


@pytest.mark.docs
def test_gallery_files_and_commands(site):
    from geo.commands.options import THEMES

    gallery = (site / "gallery.html").read_text(encoding="utf-8")
    for s in docsgen.gallery_shots():
        for name in filter(None, [s.png, s.html, *docsgen.more_pages(s, site / "gallery")]):
            assert (site / "gallery" / name).stat().st_size > 10_000, name
        if s.png:
            assert (site / "gallery" / "thumbs" / s.png).is_file()
            assert f'href="gallery/{s.png}"' in gallery and f'src="gallery/thumbs/{s.png}"' in gallery
        for argv in s.commands:
            shown = re.sub(r"<[^>]+>", "", gallery).replace("&quot;", '"').replace("&#39;", "'")
            assert docsgen.command_text(argv) in shown, argv
    assert len(THEMES) * 2 + 4 == len(docsgen.gallery_shots())
    profile = next(s for s in docsgen.gallery_shots() if s.key == "profile-jingning")
    assert docsgen.more_pages(profile, site / "gallery")[0] == "profile-jingning-2.png"
    assert 'href="gallery/profile-jingning-2.png"' in gallery


def _open(browser, url):
    page, errors, blocked = offline_page(browser, url, (1280, 900))
    page.wait_for_load_state("load")
    return page, errors, blocked


@pytest.mark.docs
@pytest.mark.slow
def test_site_works_from_disk_with_no_network(site, browser):
    for name in ("index.html", "api/load_atlas.html", "gallery.html"):
        page, errors, blocked = _open(browser, (site / name).as_uri())
        try:
            assert page.title(), name
            if name == "gallery.html":
                broken = page.evaluate(
                    "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
                )
                n = page.evaluate("document.images.length")
                assert n >= len([s for s in docsgen.gallery_shots() if s.png]) and broken == []
            if name == "api/load_atlas.html":
                assert "geo.load_atlas" in page.locator("h1").first.inner_text()
                assert page.get_by_text("DataLayerError").count() > 0
            if name == "index.html":  # search runs in a worker, from file:// through the shim
                page.locator("input.md-search__input").click()
                page.keyboard.type("render_static")
                hit = page.locator(".md-search-result__list a[href*='api/render_static.html']").first
                hit.wait_for(timeout=15000)
                assert "render_static" in hit.inner_text()
            page.evaluate(NEXT_FRAMES)  # what the page runs after load has run
            assert blocked == [] and errors == [], (name, blocked, errors)
        finally:
            page.close()


@pytest.mark.docs
@pytest.mark.slow
def test_site_works_unzipped_anywhere(site, browser, tmp_path):
    archive = tmp_path / "docs.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in site.rglob("*"):
            z.write(f, f.relative_to(site.parent))
    shutil.unpack_archive(archive, tmp_path / "elsewhere")
    page, errors, blocked = _open(browser, (tmp_path / "elsewhere" / "site" / "gallery.html").as_uri())
    try:
        page.get_by_role("link", name="Command line").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/cli.html") and page.locator("#shanhai-map").count() == 1
        assert blocked == [] and errors == []
    finally:
        page.close()


@pytest.mark.docs
@pytest.mark.slow
def test_site_pages_pass_the_accessibility_audit(site, browser):
    # axe-core's WCAG 2.1 A/AA rules over a page of each kind (a guide page, the generated CLI
    # and API references, the gallery, a notebook), as on the maps (tests/test_a11y.py)
    from .a11y import axe_violations, describe

    pages = ["index.html", "cli.html", "gallery.html", "api/load_atlas.html"]
    pages.append(f"notebooks/{docsgen.notebooks()[0].stem}.html")
    found = {}
    for name in pages:
        page, _, _ = _open(browser, (site / name).as_uri())
        try:
            if v := axe_violations(page):
                found[name] = describe(v)
        finally:
            page.close()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
