"""Where the test run's time goes: a pytest plugin that logs when each test starts and ends on
each xdist worker, and a report of those logs: per file (or test), its wall time, the worker's
own CPU, and all CPU: the worker's and that of every process it started (Chromium, LibreOffice,
the notebook kernel, the docs build). The machine's two cores are busy all run long, so all
CPU is what a change has to cut; the report is sorted by it.

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


_HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree_cpu(pid: int | None = None) -> float:
    """CPU seconds of this process and every process it started (Chromium, LibreOffice, a
    kernel, ``python -m geo``): the live ones' own and their reaped children's (Linux)."""
    pid = pid or os.getpid()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        total = sum(int(v) for v in fields[11:15]) / _HZ
        kids = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += (task / "children").read_text().split()
    except (OSError, ValueError):
        return 0.0
    return total + sum(_tree_cpu(int(k)) for k in kids)


def _write(kind: str, nodeid: str) -> None:
    global _log
    if _log is None:
        FOLDER.mkdir(parents=True, exist_ok=True)
        _log = open(FOLDER / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl", "w", encoding="utf-8")
    _log.write(json.dumps([kind, nodeid, time.time(), time.process_time(), _tree_cpu()]) + "\n")
    _log.flush()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # where the test runs (a worker, or the one process without xdist), not in the controller
    _write("start", item.nodeid)
    yield
    _write("end", item.nodeid)


def report(top: int = 30, only: str | None = None) -> None:
    """Print each worker's span and the costliest files (or tests of the file ``only``)."""
    wall, cpu, tree, total = collections.Counter(), collections.Counter(), collections.Counter(), 0.0
    for log in sorted(FOLDER.glob("*.jsonl")):
        rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        started, busy = {}, 0.0
        for kind, node, t, c, *rest in rows:
            if kind == "start":
                started[node] = (t, c, *rest)
                continue
            t0, c0, *rest0 = started.pop(node)
            name = node.split("::")[0].removeprefix("tests/test_").removesuffix(".py")
            key = node.split("::", 1)[1] if only else name
            if only and name != only:
                continue
            wall[key] += t - t0
            cpu[key] += c - c0
            tree[key] += rest[0] - rest0[0] if rest and rest0 else 0.0
            busy += t - t0
        total += busy
        print(f"{log.stem}: first test to last {rows[-1][2] - rows[0][2]:.1f} s, in tests {busy:.1f} s")
    print(f"in tests on all workers: {total:.1f} s, all CPU {sum(tree.values()):.1f} s")
    print(f"{'wall':>7} {'own CPU':>8} {'all CPU':>8}  {'test' if only else 'file'}")
    for key, _ in (tree or wall).most_common(top):
        seconds = wall[key]
        print(f"{seconds:7.1f} {cpu[key]:8.1f} {tree[key]:8.1f}  {key}")


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 30, sys.argv[2] if len(sys.argv) > 2 else None)
