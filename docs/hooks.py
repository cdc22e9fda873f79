"""MkDocs hooks of the documentation site: add the pages generated from the code (CLI and
API reference, glossary, gallery, notebooks: see ``docsgen.py``) to each edition (Chinese at
the root, English under ``en/``: mkdocs-static-i18n) and keep every page offline.

Environment:
``SHANHAI_DOCS_EXECUTE=0`` renders the notebooks without running them (the test build);
``SHANHAI_DOCS_WORK=DIR`` is where the gallery and the notebooks are made (default
``build/docs``; the site itself goes to ``site_dir``);
``SHANHAI_DOCS_REUSE=1`` keeps what is there already and makes only what is missing (while
editing the pages; the tests put the theme pages they rendered there).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsgen

# under "mkdocs.": `mkdocs build --strict` counts these warnings
log = logging.getLogger("mkdocs.hooks.shanhai")

#: the notebook pages' requests to a CDN (nbconvert's MathJax and Mermaid loaders); the
#: notebooks use neither, and the site must make no request at all
_CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', re.I)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>', re.S)
_REMOTE = re.compile(r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)


def _work() -> Path:
    return Path(os.environ.get("SHANHAI_DOCS_WORK") or docsgen.ROOT / "build" / "docs")


def _execute() -> bool:
    return os.environ.get("SHANHAI_DOCS_EXECUTE", "1").lower() not in ("0", "false", "no")


# ---------------------------------------------------------------------------------------
# the two editions: mkdocs-static-i18n builds the site once per language (Chinese, the
# default, at the root; English under en/), running these hooks in each build
# ---------------------------------------------------------------------------------------


def _i18n(config):
    return config.plugins["i18n"]


def _lang(config) -> str:
    """The language of the edition being built."""
    i18n = _i18n(config)
    return i18n.current_language or i18n.default_language


def _prefix(config, lang: str) -> str:
    """Where the edition in ``lang`` lives in the site: the default at the root."""
    return "" if lang == _i18n(config).default_language else f"{lang}/"


#: what the first build made, for the next edition's: the gallery's entries
_MADE: dict[str, list] = {}


@event_priority(50)  # before mkdocstrings (which takes its language from the theme) and search
def on_config(config):
    """The edition's language for the theme and the API reference; the generated sections of
    the navigation (one entry per API page, per notebook) and their titles in Chinese; the
    glossary's terms as words of the search's Chinese segmentation."""
    lang = _lang(config)
    config.theme["language"] = lang
    # each edition its own cross-references: autorefs keeps the anchors of the build before
    autorefs = config.plugins.get("autorefs")
    # (not yet loaded in the first edition's configuration: nothing is kept to clear then)
    for name in ("_primary_url_map", "_secondary_url_map", "_title_map", "_breadcrumbs_map", "_abs_url_map"):
        if autorefs is not None:
            getattr(autorefs, name).clear()  # no default: a renamed map must break the build, not mix editions
    # no 404 page in the other editions: it would overwrite the default's (file:// has none)
    if lang == _i18n(config).default_language:
        config.theme.static_templates.add("404.html")
    else:
        config.theme.static_templates.discard("404.html")
    for i, item in enumerate(config.nav or []):
        if not isinstance(item, dict):
            continue
        ((title, value),) = item.items()
        if value == "api/index.md":
            config.nav[i] = {title: docsgen.api_nav()}
        elif value == "notebooks/":
            nbs = [{docsgen.notebook_title(p): f"notebooks/{p.name}"} for p in docsgen.notebooks()]
            config.nav[i] = {title: nbs}
    for language in _i18n(config).config.languages:
        generated = docsgen.nav_translations(language.locale)
        if generated:
            language.nav_translations = {**generated, **(language.nav_translations or {})}
    if "jieba" not in _MADE:
        _MADE["jieba"] = []
        _segmentation_words()
    # a notebook's page is converted once for both editions (nbconvert compiles its templates
    # anew for every notebook: seconds per edition), in the work folder, not the checkout
    jupyter = config.plugins["mkdocs-jupyter"].config
    jupyter["cache"], jupyter["cache_dir"] = True, str(_work() / "notebook-pages")
    return config


def _segmentation_words():
    """Keep the glossary's terms whole in the search index (山海协作, 结对县, 山区26县, …):
    Material segments Chinese text with jieba when it is installed."""
    try:
        import jieba
    except ImportError:
        return
    from geo.catalog import glossary

    jieba.setLogLevel(logging.WARNING)
    for term in glossary()[0].values():
        jieba.add_word(term["zh"])


def _generated_file(config, uri: str, lang: str, **kw) -> File:
    f = File.generated(config, uri, **kw)
    f.dest_uri = _prefix(config, lang) + f.dest_uri
    return f


def _notebook_file(config, nb: Path, lang: str) -> File:
    """A notebook as a page of the edition (mkdocs-jupyter's wrapper: a plain File, which a
    generated one cannot be)."""
    from mkdocs_jupyter.plugin import NotebookFile

    f = NotebookFile(
        File(f"notebooks/{nb.name}", str(nb.parent.parent), config.site_dir, config.use_directory_urls),
        **config,
    )
    f.dest_path = _prefix(config, lang) + f.dest_path
    f.url = f.dest_path
    f.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, f.dest_path))
    return f


def _hand_written(config) -> dict[str, dict[str, Path]]:
    """The pages of docs/pages: their path without the language (``guide/themes.md``), and
    the file of each language (``guide/themes.en.md``, ``guide/themes.zh.md``)."""
    docs = Path(config.docs_dir)
    langs = {lang.locale for lang in _i18n(config).config.languages}
    out: dict[str, dict[str, Path]] = {}
    for path in sorted(docs.rglob("*.md")):
        uri = path.relative_to(docs).as_posix()
        stem, dot, lang = uri.removesuffix(".md").rpartition(".")
        if dot and lang in langs:
            out.setdefault(stem + ".md", {})[lang] = path
        else:
            out.setdefault(uri, {})[_i18n(config).default_language] = path
    return out


@event_priority(-150)  # after mkdocs-static-i18n's, which keeps the pages of the edition
def on_files(files, config):
    """Add the generated pages of the edition (CLI and API reference, glossary, gallery and
    its pictures, notebooks), a page of docs/pages that has no translation yet (its English,
    marked as such), and link every page to its counterpart in the other edition."""
    lang = _lang(config)
    work = _work()
    t0 = time.perf_counter()
    if "shots" in _MADE:  # the other edition: made already
        shots = _MADE["shots"]
    else:
        keep = bool(os.environ.get("SHANHAI_DOCS_REUSE"))
        shots = _MADE["shots"] = docsgen.build_generated(work, execute=_execute(), keep=keep)
        log.info(
            "gallery and notebooks (%s) made in %.1f s in %s",
            "executed" if _execute() else "not executed",
            time.perf_counter() - t0,
            work,
        )

    def add(uri, **kw):
        files.append(_generated_file(config, uri, lang, **kw))

    add("cli.md", content=docsgen.cli_markdown(lang))
    for uri, text in docsgen.api_pages(lang).items():
        add(uri, content=text)
    add("glossary.md", content=docsgen.glossary_markdown(lang))
    add("gallery.md", content=docsgen.gallery_markdown(shots, work / "gallery", lang))
    # the pictures and live pages of both languages, once, at the root (shared by the editions
    # as stylesheets/ is: a page not yet translated shows the other language's pictures)
    for f in sorted((work / "gallery").rglob("*")):
        if f.is_file():
            g = File.generated(config, "gallery/" + f.relative_to(work / "gallery").as_posix(), abs_src_path=str(f))
            files.append(g)
    for nb in sorted((work / "notebooks").glob("*.ipynb")):
        files.append(_notebook_file(config, nb, lang))

    # a page not yet translated: the edition shows another language's (English first)
    present = {getattr(f, "norm_src_uri", f.src_uri) for f in files.documentation_pages()}
    for uri, by_lang in _hand_written(config).items():
        if uri not in present and lang not in by_lang:
            other = "en" if "en" in by_lang else sorted(by_lang)[0]
            f = _generated_file(config, uri, lang, abs_src_path=str(by_lang[other]))
            f.untranslated_from = other
            files.append(f)

    # the language switch of every page: its counterpart in each edition (every page is
    # in both; a link relative to the site, which Material makes relative to the page)
    here = _prefix(config, lang)
    for f in files.documentation_pages():
        # a page only in Chinese in the English edition (mkdocs-static-i18n's fallback)
        if getattr(f, "locale", lang) != lang and not hasattr(f, "untranslated_from"):
            f.untranslated_from = f.locale
        path = f.dest_uri.removeprefix(here)
        f.alternates = {
            other: File(f.src_uri, None, config.site_dir, False, dest_uri=_prefix(config, other) + path)
            for other in _i18n(config).build_languages
        }
        f.locale = getattr(f, "untranslated_from", None) or lang
        f.locale_alternate_of = lang
    return files


_UNTRANSLATED = {
    "zh": ("尚无中文版", "本页的中文译文尚未完成，以下为{name}原文。"),
    "en": ("Not yet in English", "This page has not been translated yet; below is the original in {name}."),
}
_LANG_NAMES = {"zh": {"en": "英文", "zh": "中文"}, "en": {"en": "English", "zh": "Chinese"}}


def _untranslated(html: str, lang: str, source: str) -> str:
    """The page's text marked as in ``source``, with a note under its heading, in ``lang``,
    that the page is not translated yet."""
    title, text = _UNTRANSLATED.get(lang, _UNTRANSLATED["en"])
    name = _LANG_NAMES.get(lang, _LANG_NAMES["en"]).get(source, source)
    note = (
        f'<div class="admonition note shanhai-untranslated"><p class="admonition-title">{title}</p>'
        f"<p>{text.format(name=name)}</p></div>"
    )
    head, h1, rest = html.partition("</h1>")
    if not h1:  # no heading: the note first
        return f'{note}<div lang="{source}">{html}</div>'
    return f'<div lang="{source}">{head}{h1}</div>{note}<div lang="{source}">{rest}</div>'


#: a folium map in a notebook's output is an iframe without a name (folium's _repr_html_);
#: its srcdoc holds the whole page, escaped, so the tag has no ">" before its end
_IFRAME = re.compile(r"<iframe\b[^>]*>")


def _titled(m: re.Match) -> str:
    tag = m.group(0)
    if re.search(r"\btitle=", re.sub(r'srcdoc="[^"]*"', "", tag)):
        return tag
    return '<iframe title="Interactive map (the notebook\'s output)"' + tag[len("<iframe") :]


#: a code cell's box, which scrolls sideways: reachable with the keyboard
_CODE_BOX = re.compile(r'<div class="highlight-ipynb( [^"]*)?"(?![^>]*tabindex)')


def on_page_content(html, page, config, files):
    source = getattr(page.file, "untranslated_from", None)
    if source:
        html = _untranslated(html, _lang(config), source)
    if page.file.src_uri.endswith(".ipynb"):
        html = _MERMAID.sub("", _CDN_SCRIPT.sub("", html))
        html = _IFRAME.sub(_titled, html)
        html = _CODE_BOX.sub(lambda m: m.group(0) + ' tabindex="0"', html)
    return html


#: the editions named in a page's head: Material's script reads the site map of each to
#: match pages, a request that file:// refuses (an error in the console); the language
#: switch in the header links the page's counterpart itself
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


#: the base of a page's scripts (Material's ``__config``): the search index is read there
_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def on_post_page(output, page, config):
    """Point the search of a page of another edition than the default to its edition's index
    (``en/search/``: :func:`on_post_build`); fail the strict build on any request a page
    would make to another host."""
    output = _HEAD_ALTERNATE.sub("", output)
    prefix = _prefix(config, _lang(config))
    if prefix:
        output = _BASE.sub(lambda m: m.group(1) + m.group(2) + "/" + prefix + m.group(3), output, count=1)
    for m in _REMOTE.finditer(output):
        log.warning("%s: a remote resource: %s", page.file.src_uri, output[m.start() : m.start() + 160])
    return output


@event_priority(-200)  # after mkdocs-static-i18n's, which writes the index of both editions last
def on_post_build(config):
    """Leave out what the site never loads: lunr's language packs but those its search uses
    (the stemmer support, zh and multi) and the theme's source maps (about 1 MB, and fewer
    works to carry). Once both editions are built: a search index for each."""
    site = Path(config.site_dir)
    keep = {"lunr.stemmer.support.min.js", "lunr.zh.min.js", "lunr.multi.min.js"}
    for f in (site / "assets" / "javascripts" / "lunr").rglob("*"):
        if f.is_file() and f.name not in keep:
            f.unlink()
    for source_map in site.glob("assets/**/*.map"):
        source_map.unlink()
    if not _i18n(config).building:
        _index_per_edition(config)


def _index_per_edition(config):
    """The search index of both editions split in one per edition: the default's in
    ``search/``, the English one's in ``en/search/`` (where its pages look: on_post_page),
    each embedded as a script for file:// as the offline plugin does. A search finds the
    pages of the reader's edition only."""
    import json

    site = Path(config.site_dir)
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for lang in _i18n(config).build_languages:
        prefix = _prefix(config, lang)
        others = tuple(_prefix(config, o) for o in _i18n(config).build_languages if o != lang and _prefix(config, o))
        docs = [
            {**d, "location": d["location"].removeprefix(prefix)}
            for d in data["docs"]
            if d["location"].startswith(prefix) and not (others and d["location"].startswith(others))
        ]
        text = json.dumps({**data, "docs": docs}, separators=(",", ":"))
        out = site / prefix / "search"
        out.mkdir(parents=True, exist_ok=True)
        (out / "search_index.json").write_text(text, encoding="utf-8")
        (out / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
