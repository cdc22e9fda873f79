"""MkDocs hooks of the documentation site: add the pages generated from the code (CLI and
API reference, gallery, notebooks: see ``docsgen.py``) and keep every page offline.

Environment:
``SHANHAI_DOCS_EXECUTE=0`` renders the notebooks without running them (the test build);
``SHANHAI_DOCS_WORK=DIR`` is where the gallery and the notebooks are made (default
``build/docs``; the site itself goes to ``site_dir``);
``SHANHAI_DOCS_REUSE=1`` keeps what an earlier build made there (while editing the pages).
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


def on_config(config):
    """Fill the generated sections of the navigation: one entry per API page, per notebook."""
    for i, item in enumerate(config.nav or []):
        if not isinstance(item, dict):
            continue
        ((title, value),) = item.items()
        if value == "api/index.md":
            config.nav[i] = {title: docsgen.api_nav()}
        elif value == "notebooks/":
            nbs = [{docsgen.notebook_title(p): f"notebooks/{p.name}"} for p in docsgen.notebooks()]
            config.nav[i] = {title: nbs}
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which must see the notebooks
def on_files(files, config):
    work = _work()
    t0 = time.perf_counter()
    if os.environ.get("SHANHAI_DOCS_REUSE") and (work / "done").exists():  # editing the pages
        shots = docsgen.gallery_shots()
    else:
        shots = docsgen.build_generated(work, execute=_execute())
        (work / "done").touch()
    log.info(
        "gallery and notebooks (%s) made in %.1f s in %s",
        "executed" if _execute() else "not executed",
        time.perf_counter() - t0,
        work,
    )

    def add(uri, **kw):
        files.append(File.generated(config, uri, **kw))

    add("cli.md", content=docsgen.cli_markdown())
    for uri, text in docsgen.api_pages().items():
        add(uri, content=text)
    add("gallery.md", content=docsgen.gallery_markdown(shots, work / "gallery"))
    for f in sorted((work / "gallery").rglob("*")):
        if f.is_file():
            add("gallery/" + f.relative_to(work / "gallery").as_posix(), abs_src_path=str(f))
    for nb in sorted((work / "notebooks").glob("*.ipynb")):
        # a plain File (mkdocs-jupyter's wrapper cannot read a generated one)
        files.append(File(f"notebooks/{nb.name}", str(work), config.site_dir, config.use_directory_urls))
    return files


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
    if page.file.src_uri.endswith(".ipynb"):
        html = _MERMAID.sub("", _CDN_SCRIPT.sub("", html))
        html = _IFRAME.sub(_titled, html)
        html = _CODE_BOX.sub(lambda m: m.group(0) + ' tabindex="0"', html)
    return html


def on_post_page(output, page, config):
    """Fail the strict build on any request a page would make to another host."""
    for m in _REMOTE.finditer(output):
        log.warning("%s: a remote resource: %s", page.file.src_uri, output[m.start() : m.start() + 160])
    return output


def on_post_build(config):
    """Leave out what an English site never loads: lunr's language packs (the search is in
    English) and the theme's source maps; about 1 MB, and fewer works to carry."""
    import shutil

    site = Path(config.site_dir)
    shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)
    for source_map in site.glob("assets/**/*.map"):
        source_map.unlink()
