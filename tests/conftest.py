"""Canonical test fixtures, all built from the embedded layers (no large files in tests/)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "layers"
SHARED = ROOT.parent / "shared"


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


@pytest.fixture(scope="session")
def boundaries():
    import geopandas as gpd

    return gpd.read_file(LAYERS / "boundaries.gpkg")


@pytest.fixture(scope="session")
def seed_001() -> str:
    path = SHARED / "seeds" / "001_a0d5bff399087832.txt"
    if not path.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return path.read_text(encoding="utf-8")


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def run_cli(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run ``python -m geo`` as a user would; returns the completed process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )
