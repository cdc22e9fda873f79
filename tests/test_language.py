"""Pages in the reader's language: every theme page, static map and profile in Chinese has
no English word outside a short allow-list (tests/language.py), and in English no Han
character. The static maps, the profiles, the book and the site are audited in
test_static.py, test_profile.py and test_site.py, beside the fixtures that build them."""

from __future__ import annotations

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
