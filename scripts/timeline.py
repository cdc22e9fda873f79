"""Where the test run's time goes: a pytest plugin that logs when each test starts and ends on
each xdist worker, and a report of those logs (per file: wall time, and the worker's own CPU;
the rest is what the test's subprocesses, Chromium, LibreOffice, the kernel, spent).

    PYTHONPATH=scripts env -u PYTHONDONTWRITEBYTECODE SHANHAI_DOCS_REQUIRED=1 \\
        .venv/bin/python -m pytest -n 2 --dist loadfile -p timeline
    .venv/bin/python scripts/timeline.py            # the 30 costliest files
    .venv/bin/python scripts/timeline.py 10 static  # the 10 costliest tests of test_static.py

The logs go to build/timeline/ (``SHANHAI_TIMELINE`` names another folder).
"""

from __future__ import annotations

import collections
import json
import os
import sys
import time
from pathlib import Path

import pytest

FOLDER = Path(os.environ.get("SHANHAI_TIMELINE") or Path(__file__).resolve().parent.parent / "build" / "timeline")
_log = None


def _write(kind: str, nodeid: str) -> None:
    global _log
    if _log is None:
        FOLDER.mkdir(parents=True, exist_ok=True)
        _log = open(FOLDER / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl", "w", encoding="utf-8")
    _log.write(json.dumps([kind, nodeid, time.time(), time.process_time()]) + "\n")
    _log.flush()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # where the test runs (a worker, or the one process without xdist), not in the controller
    _write("start", item.nodeid)
    yield
    _write("end", item.nodeid)


def report(top: int = 30, only: str | None = None) -> None:
    """Print each worker's span and the costliest files (or tests of the file ``only``)."""
    wall, cpu, total = collections.Counter(), collections.Counter(), 0.0
    for log in sorted(FOLDER.glob("*.jsonl")):
        rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        started, busy = {}, 0.0
        for kind, node, t, c in rows:
            if kind == "start":
                started[node] = (t, c)
                continue
            t0, c0 = started.pop(node)
            name = node.split("::")[0].removeprefix("tests/test_").removesuffix(".py")
            key = node.split("::", 1)[1] if only else name
            if only and name != only:
                continue
            wall[key] += t - t0
            cpu[key] += c - c0
            busy += t - t0
        total += busy
        print(f"{log.stem}: first test to last {rows[-1][2] - rows[0][2]:.1f} s, in tests {busy:.1f} s")
    print(f"in tests on all workers: {total:.1f} s\n{'wall':>7} {'own CPU':>8}  {'test' if only else 'file'}")
    for key, seconds in wall.most_common(top):
        print(f"{seconds:7.1f} {cpu[key]:8.1f}  {key}")


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 30, sys.argv[2] if len(sys.argv) > 2 else None)
