"""Pages in the reader's language: every theme page, static map and profile in Chinese has
no English word outside a short allow-list (tests/language.py), and in English no Han
character. The book and the site are audited in test_profile.py and test_site.py, beside
the fixtures that build them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import open_page
from .language import PAGE_TEXT_JS, audit

THEMES = ("overview", "pairing", "policy", "status", "change", "atlas")
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def pages(atlas, tmp_path_factory):
    from geo.html import save_html

    out = tmp_path_factory.mktemp("lang")
    return {(t, lang): save_html(__import__("geo").render_html(atlas, t, lang=lang), out / f"{t}-{lang}.html")
            for t in THEMES for lang in LANGS}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_speak_one_language(browser, pages, lang):
    for theme in THEMES:
        page, errors, _ = open_page(browser, pages[theme, lang])
        try:
            text = page.evaluate(PAGE_TEXT_JS)
        finally:
            page.close()
        assert len(text) > 2000 and errors == [], (theme, errors)
        audit(text, lang, f"{theme}.html ({lang})")


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("lang", LANGS)
def test_static_maps_and_profiles_speak_one_language(static_map, atlas, lang, tmp_path):
    from geo.products.profile import render_profile, save_profile
    from geo.static import save_static

    for theme in ("overview", "pairing", "policy", "status", "change"):
        path = save_static(static_map(theme, "a4", lang), tmp_path / f"{theme}.pdf")
        audit(_pdf_text(path), lang, f"{theme}.pdf ({lang})")
    for county in ("景宁", "淳安", "永嘉"):
        path = save_profile(render_profile(atlas, county, lang=lang), tmp_path / f"{county}.pdf")[0]
        # an English profile gives the county's Chinese name beside its romanisation, as names may
        name = atlas.registry.county(county).name
        audit(_pdf_text(path), lang, f"profile {county} ({lang})", names=(name,))
