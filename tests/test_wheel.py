"""The wheel carries the data: install it into a clean venv outside the repo and run it."""

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_install_runs_outside_repo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT], check=True, timeout=600)
    [wheel] = dist.glob("shanhai_atlas-*.whl")
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
    r = subprocess.run(
        [env_dir / "bin" / "shanhai", "counties", "--format", "json"], capture_output=True, text=True, cwd=work
    )
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 26
    where = subprocess.run(
        [env_dir / "bin" / "python", "-c", "import geo, geo._paths as p; print(geo.__file__); print(p.layers_dir())"],
        capture_output=True,
        text=True,
        cwd=work,
    ).stdout.split()
    assert str(env_dir) in where[0] and where[1].endswith("geo/_layers")
    r = subprocess.run(
        [env_dir / "bin" / "shanhai", "pairs", "--county", "景宁", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert r.returncode == 0 and "海盐县" in r.stdout
