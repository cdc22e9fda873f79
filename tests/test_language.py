"""Pages in the reader's language: every theme page, static map and profile in Chinese has
no English word outside a short allow-list (tests/language.py), and in English no Han
character. The book and the site are audited in test_profile.py and test_site.py, beside
the fixtures that build them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import LANGS, open_page
from .conftest import PAGE_THEMES as THEMES
from .language import PAGE_TEXT_JS, audit


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_speak_one_language(browser, theme_pages, lang):
    for theme in THEMES:
        page, errors, _ = open_page(browser, theme_pages[theme, lang])
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
