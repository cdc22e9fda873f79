"""The wheel carries the data and the notices: install it into a clean venv outside the
repo and run it (the wheel is the session's one build, shared with tests/test_release.py)."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import geo
from geo.notices import NOTICE_FILES

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_install_runs_outside_repo(dist, tmp_path):
    _, wheel = dist
    env_dir = tmp_path / "venv"
    uv = Path(sys.executable).with_name("uv")  # installed by the Makefile: its cache makes this seconds, not 40 s
    if uv.exists():
        venv.create(env_dir, with_pip=False)
        cmd = [uv, "pip", "install", "--quiet", "--python", env_dir / "bin" / "python", wheel]
    else:
        venv.create(env_dir, with_pip=True)
        cmd = [env_dir / "bin" / "pip", "install", "-q", wheel]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    shanhai = env_dir / "bin" / "shanhai"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the venv's own geo, not a checkout's

    def run(*args):
        return subprocess.run([shanhai, *args], capture_output=True, text=True, cwd=work, timeout=300, env=clean)

    r = run("counties", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 26
    where = subprocess.run(
        [env_dir / "bin" / "python", "-c", "import geo, geo._paths as p; print(geo.__file__); print(p.layers_dir())"],
        capture_output=True,
        text=True,
        cwd=work,
        env=clean,
    ).stdout.split()
    assert str(env_dir) in where[0] and where[1].endswith("geo/_layers")
    r = run("pairs", "--county", "景宁", "--format", "csv")
    assert r.returncode == 0 and "海盐县" in r.stdout
    r = run("map", "overview", "-o", "x.png", "--dpi", "60")  # the whole map, at a draft dpi
    assert r.returncode == 0, r.stderr
    assert (work / "x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the notices: installed in the dist-info (PEP 639), read from there by `shanhai notices`
    probe = (
        "import importlib.metadata as m, json; d = m.distribution('shanhai-atlas'); "
        "print(json.dumps([d.version, sorted(str(f) for f in d.files if '/licenses/' in str(f))]))"
    )
    out = subprocess.run([env_dir / "bin" / "python", "-c", probe], capture_output=True, text=True, cwd=work, env=clean)
    version, licences = json.loads(out.stdout)
    assert version == geo.__version__
    assert licences == [f"shanhai_atlas-{version}.dist-info/licenses/{n}" for n in NOTICE_FILES]
    r = run("--version")
    assert r.stdout.strip() == f"shanhai {geo.__version__}"
    r = run("notices")
    assert r.returncode == 0, r.stderr
    for name in NOTICE_FILES:
        assert (ROOT / name).read_text(encoding="utf-8").strip() in r.stdout
