"""The renderers' errors in the reader's language (geo/catalog/messages-render.toml): the same
refusal reads in Chinese under ``messages_in("zh")`` and word for word as before in English;
a parameter stays backquoted in both; the words of the outputs never branch on the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import geo
from geo.catalog import messages_in
from geo.errors import RenderError
from geo.words import by_lang, check_lang, text

GEO = Path(geo.__file__).parent


def test_a_render_error_reads_in_chinese_and_in_english(atlas):
    with messages_in("zh"):
        with pytest.raises(RenderError, match=r"^`width_cm=3` cm：宽度请在 5 至 60 cm 之间。$"):
            geo.render_static(atlas, "pairing", width_cm=3)
    with messages_in("en"):
        with pytest.raises(RenderError, match=r"^`width_cm=3` cm: give a width between 5 and 60 cm\.$"):
            geo.render_static(atlas, "pairing", width_cm=3)


def test_an_unknown_theme_is_named_in_either_language(atlas):
    with messages_in("zh"):
        with pytest.raises(RenderError, match=r"^静态地图没有专题'atlas'：请用以下之一：overview、pairing"):
            geo.render_static(atlas, "atlas")
        with pytest.raises(RenderError, match=r"^未知的专题'nope'：请用以下之一："):
            geo.render_html(atlas, "nope")
    with messages_in("en"):
        with pytest.raises(RenderError, match=r"^unknown theme 'atlas' for a static map: use one of overview"):
            geo.render_static(atlas, "atlas")


def test_an_option_of_another_theme_names_the_theme_that_takes_it(atlas):
    with messages_in("zh"):
        with pytest.raises(RenderError, match=r"^`scheme`只用于indicator专题，不用于status专题。$"):
            geo.render_static(atlas, "status", scheme="quantiles")
        with pytest.raises(RenderError, match=r"^`facet='designation'`只用于status专题。$"):
            geo.render_static(atlas, "pairing", facet="designation")
    with messages_in("en"):
        with pytest.raises(RenderError, match=r"^`scheme` goes with the indicator theme, not status\.$"):
            geo.render_static(atlas, "status", scheme="quantiles")


def test_an_unknown_language_is_one_check_with_the_catalogs_message(atlas):
    with messages_in("zh"):
        with pytest.raises(RenderError, match=r"^未知的语言'fr'：请用 zh 或 en。$"):
            geo.county_record(atlas, "景宁", lang="fr")
    with messages_in("en"):
        for call in (
            lambda: geo.county_record(atlas, "景宁", lang="fr"),
            lambda: geo.render_static(atlas, "overview", lang="fr"),
            lambda: check_lang("fr"),
        ):
            with pytest.raises(RenderError, match=r"^unknown language 'fr': use zh or en\.$"):
                call()


def test_facts_kept_one_field_per_language_are_picked_by_the_language():
    assert by_lang("zh", "景宁", "Jingning") == "景宁"
    assert by_lang("en", "景宁", "Jingning") == "Jingning"
    assert text("list_sep", "zh") == "、" and text("list_sep", "en") == ", "
    assert text("paren", "zh", a="海盐县", b="嘉兴市") == "海盐县（嘉兴市）"
    assert text("paren", "en", a="Haiyan County", b="Jiaxing") == "Haiyan County (Jiaxing)"


def test_the_renderers_hardly_ever_ask_which_language_they_write():
    """The words are in the catalog; what is left compares the scripts themselves (a glyph's
    width, capitals, bold), each with a comment."""
    files = [*GEO.glob("static/*.py"), *GEO.glob("html/*.py"), *GEO.glob("themes/*.py"), *GEO.glob("products/*.py")]
    files += [GEO / "county.py", GEO / "naming.py", GEO / "words" / "__init__.py"]
    found = [
        (f.name, line.strip())
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if re.search(r'(==|!=) *"(zh|en)"', line)
    ]
    assert len(found) <= 6, found


def test_a_placeholder_named_like_says_own_arguments_still_fills_in(atlas):
    with messages_in("zh"):
        with pytest.raises(RenderError, match=r"^天地图底图需要密钥：请传入`tianditu_key`（"):
            geo.render_html(atlas, "pairing", tiles="tianditu")
    with messages_in("en"):
        with pytest.raises(RenderError, match=r"^tianditu tiles need a key: pass `tianditu_key` \(register"):
            geo.render_html(atlas, "pairing", tiles="tianditu")
