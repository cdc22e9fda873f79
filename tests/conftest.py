"""Canonical test fixtures, all built from the embedded layers (no large files in tests/)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "layers"
SHARED = ROOT.parent / "shared"
# messages in English whatever the machine's locale; a test of the Chinese ones asks for them
os.environ["SHANHAI_LANG"] = "en"


@pytest.fixture(scope="session")
def registry():
    from geo.registry import get_registry

    return get_registry()


@pytest.fixture(scope="session")
def atlas():
    import geo

    return geo.load_atlas()


@pytest.fixture(scope="session")
def atlas_2024():
    import geo

    return geo.load_atlas("2024")


#: every theme an HTML page is made for, and the languages of the pages
PAGE_THEMES = ("overview", "pairing", "policy", "status", "change", "atlas")
LANGS = ("zh", "en")


def _run_dir(tmp_path_factory) -> Path:
    """The run's own temporary folder, shared by its xdist workers."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@contextmanager
def _one_at_a_time(lock: Path):
    """Hold a lock file: what one worker makes under it, the others wait for and reuse."""
    import fcntl

    with open(lock, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


class ThemePages(Mapping):
    """{(theme, lang): path} of the theme pages, each rendered on first use, once per run
    (the workers share the files)."""

    def __init__(self, atlas, root: Path):
        self.atlas, self.root = atlas, root

    def __getitem__(self, key):
        import geo
        from geo.html import save_html

        theme, lang = key
        if theme not in PAGE_THEMES or lang not in LANGS:
            raise KeyError(key)
        # one folder per language: each page keeps the name a user gives it (pairing.html)
        path = self.root / lang / f"{theme}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        with _one_at_a_time(self.root / f"{theme}-{lang}.lock"):
            if not path.exists():
                save_html(geo.render_html(self.atlas, theme, lang=lang), path)
        return path

    def __iter__(self):
        return iter([(t, lang) for t in PAGE_THEMES for lang in LANGS])

    def __len__(self):
        return len(PAGE_THEMES) * len(LANGS)


@pytest.fixture(scope="session")
def theme_pages(atlas, tmp_path_factory):
    """Every theme page in zh and en, rendered once per run when first asked for."""
    return ThemePages(atlas, _run_dir(tmp_path_factory) / "pages")


#: the site's county pages the browser tests open (a planner's visit, axe, the language
#: audit: tests/test_site.py) and whose titles they read (tests/test_a11y.py)
COUNTY_PAGES = {"331127": "景宁", "330127": "淳安", "330324": "永嘉"}


def _once_per_run(root: Path, name: str, make) -> str:
    """What ``make()`` returns (text), made by the first worker that asks and kept in
    ``root/name``; the others wait for it there and read it."""
    done = root / name
    with _one_at_a_time(root / f"{name}.lock"):
        if not done.exists():
            done.write_text(make(), encoding="utf-8")
    return done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site(atlas, tmp_path_factory):
    """The offline site (Chinese), built once per run: (its folder, what build_site said)."""
    import json

    from geo.products.site import build_site

    root = _run_dir(tmp_path_factory)
    out = root / "site" / "site"

    def make():
        info = build_site(atlas, out)
        return json.dumps({**info, "files": [str(f) for f in info["files"]]})

    info = json.loads(_once_per_run(root, "site.json", make))
    return out, {**info, "files": [Path(f) for f in info["files"]]}


DOCS = ROOT / "docs"


def load_docsgen():
    """docs/docsgen.py, what the docs build generates its pages and gallery with (imported
    from its folder, which is no package)."""
    sys.path.insert(0, str(DOCS))
    try:
        import docsgen
    finally:
        sys.path.remove(str(DOCS))
    return docsgen


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The default atlas as `shanhai build --format html --format png` writes it at the
    docs gallery's dpi, once per run (the workers share the folder): the build's own test
    reads it, and the test docs build takes its PNGs for the gallery's, which are the same
    bytes (tests/test_docs.py)."""
    root = _run_dir(tmp_path_factory)
    out = root / "built"
    dpi = load_docsgen().GALLERY_DPI

    def make():
        r = run_cli("build", "-o", out, "--format", "html", "--format", "png", "--dpi", dpi, "--quiet")
        assert r.returncode == 0, r.stderr
        return str(dpi)

    _once_per_run(root, "built.done", make)
    return out


@pytest.fixture(scope="session")
def boundaries():
    import geopandas as gpd

    return gpd.read_file(LAYERS / "boundaries.gpkg")


def _seed_facts_from_text(text: str) -> dict:
    import re

    annex = text.split("山区26县名单")[-1]
    return {
        "annex_names": re.findall(r"[\u4e00-\u9fff]+?(?:畲族自治县|县|区|市)(?=[、；;。])", annex),
        "clause_numbers": sorted(map(int, re.findall(r"^(\d+)\.", text, flags=re.M))),
    }


@pytest.fixture(scope="session")
def seed_001() -> dict:
    """What seed 001 says (annex names, clause numbers), from the committed copy of those
    facts; where ../shared/seeds is beside the checkout, the copy is checked against it."""
    import json

    facts = json.loads((ROOT / "tests" / "data" / "seed_001_facts.json").read_text(encoding="utf-8"))
    path = SHARED / "seeds" / facts["seed"]
    if path.exists():
        derived = _seed_facts_from_text(path.read_text(encoding="utf-8"))
        assert {k: facts[k] for k in derived} == derived, "tests/data/seed_001_facts.json no longer matches the seed"
    return facts


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class Chromium:
    """The session's browser. Pages open in one shared context: a context of its own cost
    each page about a second of CPU more (half of what opening a map page costs). The pages
    keep nothing between them (the maps store nothing). A page whose clock the test drives
    gets a fresh context of its own, as Playwright's clock belongs to the context."""

    def __init__(self, browser):
        self.browser = browser
        self.shared = browser.new_context()
        self.clocked = None  # the context of the last page with its own clock

    def new_page(self, viewport=(1280, 720), clock=False):
        size = {"width": viewport[0], "height": viewport[1]}
        if not clock:
            page = self.shared.new_page()
            page.set_viewport_size(size)
            return page
        if self.clocked is not None:
            self.clocked.close()
        self.clocked = self.browser.new_context(viewport=size)
        page = self.clocked.new_page()
        page.clock.install()
        return page


#: the browsers the tests open pages in: Debian's headless shell of Chromium (the same Blink
#: as the browser, without the desktop browser's machinery: half the CPU per page) where it is
#: installed, else the browser itself; test_html.py checks that both show a page alike
BROWSERS = ("chromium-headless-shell", "chromium")


def chromium_path(name: str) -> str:
    """The path of the Debian package ``name`` (one of :data:`BROWSERS`); fails the test,
    with the command that installs it, when it is missing."""
    import shutil

    path = shutil.which(name)
    if not path:
        pytest.fail(f"Debian {name} is not installed: run `make test` (it installs it) or `apt-get install {name}`.")
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (per xdist worker): a
    :class:`Chromium`, whose ``new_page`` opens a tab."""
    import shutil

    from playwright.sync_api import sync_playwright

    name = next((b for b in BROWSERS if shutil.which(b)), BROWSERS[-1])
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(name), args=CHROMIUM_ARGS)
        yield Chromium(b)
        b.close()


#: resolves after the next two frames: what a page has scheduled for "the next turn" (a
#: year shown with setTimeout 0, a popup laid out) has happened; a condition, not a sleep
NEXT_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))"


def settled(page):
    """Wait until the map has stopped moving (no pan or zoom animation) and the next frames
    have been drawn."""
    page.wait_for_function(
        "!window.shanhaiMap || (!(window.shanhaiMap._panAnim && window.shanhaiMap._panAnim._inProgress)"
        " && !window.shanhaiMap._animatingZoom)"
    )
    page.evaluate(NEXT_FRAMES)


def offline_page(browser, url, viewport=(1280, 860), clock=False):
    """A new page that records console errors and dialogs and blocks every non-file request,
    opened at ``url``; returns (page, errors, blocked). With ``clock``, the page's timers run
    only when the test moves its clock (``page.clock.run_for(ms)``): an animation is stepped,
    not waited for."""
    page = browser.new_page(viewport, clock=clock)
    errors, blocked = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, errors, blocked


def open_page(browser, path, viewport=(1280, 860), timeout=30000, clock=False):
    """Open a local map page offline (:func:`offline_page`) and wait until its map is up and
    still; returns (page, errors, blocked). Raises playwright's TimeoutError if the page's map
    is not up within ``timeout`` ms. ``clock``: as for :func:`offline_page`."""
    url = path.as_uri() if hasattr(path, "as_uri") else path
    page, errors, blocked = offline_page(browser, url, viewport, clock=clock)
    try:
        page.wait_for_function("window.shanhaiMap !== undefined", timeout=timeout)
        if clock:
            page.clock.run_for(50)  # what the page scheduled at load (the year shown)
        else:
            settled(page)
    except Exception:
        page.close()
        raise
    return page, errors, blocked


def map_up(page):
    """Wait until the page's map is up and still."""
    page.wait_for_function("window.shanhaiMap !== undefined")
    settled(page)


def pages_in_turn(browser, paths, viewport=(1280, 860), ready=map_up):
    """Open the pages of ``paths`` ({key: path}) one after another in one offline tab, each
    ``ready`` (by default: its map up and still, as :func:`open_page` leaves it); yields (key,
    page, errors, blocked), the errors and blocked requests of that page alone. One tab for
    all (the 12 theme pages with axe, six times each way: 5 % less CPU and 7 % less time than
    a tab each)."""
    page, errors, blocked = offline_page(browser, "about:blank", viewport)
    try:
        for key, path in paths.items():
            # what the last page still said (axe's requests for its stylesheets, answered
            # late) has arrived once the tab has left it: then the lists start anew
            page.goto("about:blank")
            del errors[:], blocked[:]
            page.goto(path.as_uri())
            ready(page)
            yield key, page, errors, blocked
    finally:
        page.close()


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """(sdist, wheel) of this checkout, built once per test run: xdist workers share one
    build through a lock in the run's common temporary folder."""
    import fcntl
    import shutil

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    out = root / "dist"
    with open(root / "dist.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / ".built").exists():
            shutil.rmtree(out, ignore_errors=True)
            uv = Path(sys.executable).with_name("uv")  # installed by the Makefile; `build` is the fallback
            cmd = (
                [uv, "build", "--out-dir", out, ROOT]
                if uv.exists()
                else [sys.executable, "-m", "build", "-o", out, ROOT]
            )
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            assert r.returncode == 0, r.stderr[-3000:]
            (out / ".built").touch()
    [sdist] = out.glob("shanhai_atlas-*.tar.gz")
    [wheel] = out.glob("shanhai_atlas-*.whl")
    return sdist, wheel


def run_process(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run ``python -m geo`` in a process of its own, as a user would: for what only a process
    shows (the entry point, exit codes, start-up imports, the console's encoding)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )


def run_cli(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run ``shanhai ARGS`` in this process (``geo.commands.main``), with its own stdout and
    stderr, its working folder and environment; returns what a process would (returncode,
    stdout, stderr). A cold process per call would cost a second of imports each."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from geo.commands import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(env or {})
    os.chdir(cwd or ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --help, a usage error
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["shanhai", *map(str, args)], code, out.getvalue(), err.getvalue())


def page_texts(fig):
    """Every non-empty text artist of a figure (titles, legends, labels, annotations)."""
    return [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize")) if t.get_text()]


def off_page(fig) -> list[str]:
    """The figure-level texts and legends that reach past the page's edge (1 px slack)."""
    fig.draw_without_rendering()  # laid out as for a draw, no pixels made: a third of the time
    r = fig.canvas.get_renderer()
    fw, fh = fig.bbox.width, fig.bbox.height
    boxes = [(t.get_text()[:40], t.get_window_extent(r)) for t in page_texts(fig) if t.get_visible() and t.axes is None]
    boxes += [(f"legend {i}", lg.get_window_extent(r)) for i, lg in enumerate(ax.get_legend() for ax in fig.axes) if lg]
    return [name for name, b in boxes if b.x0 < -1 or b.x1 > fw + 1 or b.y0 < -1 or b.y1 > fh + 1]


def legend_columns(fig) -> list[list[tuple[str, bool]]]:
    """The legend's columns as matplotlib fills them: (label, is_heading) from top to bottom,
    without the blank entries that pad a column."""
    legs = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    leg = legs[0]
    entries = [(t.get_text(), not h.get_visible()) for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True)]
    rows, large = divmod(len(entries), leg._ncols)
    out, i = [], 0
    for k in [rows + 1] * large + [rows] * (leg._ncols - large):
        out.append([e for e in entries[i : i + k] if e[0]])  # blanks pad a column
        i += k
    return out


@pytest.fixture(scope="session")
def static_map(atlas):
    """Render a static map once per session and hand the same Figure to every test that
    inspects it: ``static_map(theme, size="a4", lang="zh", width_cm=None, height_cm=None)``
    (the indicator theme shows the built-in ``population_change``)."""
    import geo
    from geo.static import render_static

    cache = {}

    def get(theme, size="a4", lang="zh", width_cm=None, height_cm=None):
        key = (theme, size, lang, width_cm, height_cm)
        if key not in cache:
            data = {"data": geo.load_indicator(atlas, "population_change", lang=lang)} if theme == "indicator" else {}
            page = {"width_cm": width_cm, "height_cm": height_cm}
            cache[key] = render_static(atlas, theme, lang=lang, size=size, **page, **data)
        return cache[key]

    return get


# the interactive feature of a county on the page's visible layers: its centre on screen or its fill
_FEATURE_JS = """([code, what]) => { var m = window.shanhaiMap, hit = null;
  Object.values(window.shanhaiLayers).forEach(function (l) { if (!m.hasLayer(l) || !l.eachLayer) return;
    l.eachLayer(function (f) { if (f.feature && f.feature.id === code && f.getTooltip()) hit = f; }); });
  if (!hit) return null;
  if (what === "fill") return hit.options.fillColor;
  var p = m.latLngToContainerPoint(hit.getCenter()), r = m.getContainer().getBoundingClientRect();
  return [p.x + r.left, p.y + r.top]; }"""


def center_of(page, code):
    """Where a county's polygon sits on the screen (to hover or click it)."""
    return page.evaluate(_FEATURE_JS, [code, "center"])


def fill_of(page, code):
    """The fill colour a county is drawn with on the visible layers."""
    return page.evaluate(_FEATURE_JS, [code, "fill"])


@contextmanager
def geometry_hidden(figs):
    """The figures with their drawn geometry hidden (every collection, patch and line of
    their axes: polygons, arrows, leaders; and the labels' halos, which a PDF holds as
    outlines, not words), shown again after: a PDF of the words alone is written several
    times faster, and no word moves (text, legends and the scale bar are laid out without
    the geometry; ``test_words_only_pdf_is_the_full_pdfs_words`` checks)."""
    halos = [t for fig in figs for ax in fig.axes for t in ax.texts if t.get_path_effects()]
    drawn = [a for fig in figs for ax in fig.axes for a in (*ax.collections, *ax.patches, *ax.lines)]
    hidden = [a for a in (*drawn, *halos) if a.get_visible()]
    for a in hidden:
        a.set_visible(False)
    try:
        yield
    finally:
        for a in hidden:
            a.set_visible(True)


# ---------------------------------------------------------------------------------------
# the order the files are handed to the xdist workers
# ---------------------------------------------------------------------------------------

#: the files that take longest, slowest first (`--durations=0` of a whole run): with
#: ``--dist loadfile`` each file goes whole to one worker, and a long file handed out last
#: keeps one worker busy while the other idles; handed out first, the short files fill in at
#: the end. Files sharing a run-wide fixture built under a lock (the site, the wheel) are kept
#: apart in the list, so that one worker does not wait for the other's build at the start.
SLOW_FIRST = (
    "test_static.py",
    "test_notebooks.py",
    "test_docs.py",  # with the docs tests (`make test`): the docs build
    "test_a11y.py",
    "test_report.py",
    "test_history.py",
    "test_html.py",
    "test_real_files.py",
    "test_profile.py",
    "test_markup.py",
    "test_wheel.py",  # builds the run's wheel (test_release.py waits for it: far apart)
    "test_own_facts.py",
    "test_site.py",
    "test_palettes.py",
    "test_readers_fuzz.py",
    "test_geometry_fuzz.py",
    "test_gpkg.py",
    "test_cli.py",
    "test_structure.py",
    "test_release.py",
    "test_enclaves.py",
    "test_api.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    # xdist would otherwise hand the files out by their number of tests, most first
    # (pyproject asks for an xdist that has the option; plain pytest has no such option)
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_finish(session):
    # What collection imported is frozen, as the `shanhai` command freezes what it loaded
    # (geo/commands/process.py): the collector walked the whole import graph on every full
    # pass. And the young generation is collected every 50,000 allocations, not 700. A tenth
    # of the workers' CPU, the same peak memory. Only this process: the library, and the
    # processes a test starts, keep Python's defaults.
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_modifyitems(config, items):
    """The files in :data:`SLOW_FIRST` order, the others after them as collected; the tests
    of a file keep their order. A name in the list that is no test file stops the run: a
    renamed file would otherwise lose its place without a word."""
    gone = set(SLOW_FIRST) - {p.name for p in Path(__file__).parent.glob("test_*.py")}
    if gone:
        raise pytest.UsageError(f"tests/conftest.py SLOW_FIRST names files that do not exist: {sorted(gone)}")
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
