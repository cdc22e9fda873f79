"""What the ``shanhai`` process does to be quick that a library must not do to its caller:
pause and freeze the garbage collector, run work on a thread, fork a second process. All of
it behind one switch, :data:`COMMAND`, that only :func:`geo.commands.run` (the console
script and ``python -m geo``) turns on; a program or a test calling
:func:`geo.commands.main` gets plain, sequential, single-process behaviour.

Why each is worth it, measured on a cold ``shanhai profile`` (2 cores):

- the collector paused while the libraries are imported and the atlas read, everything then
  frozen (:func:`loading`), and garbage collected and the rest frozen before exit
  (:func:`finish`): the interpreter's shutdown need not walk every object again, 0.25 s;
- the profile's two map frames simplified and projected on a thread while the county record
  is built and matplotlib imported (:func:`in_background`; GEOS and PROJ release the GIL):
  0.3 s;
- the profile's second page drawn and encoded by a forked copy of the process on the other
  core (:func:`in_two_processes`): 0.2 s.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager

__all__ = ["COMMAND", "finish", "in_background", "in_two_processes", "loading"]

#: the one switch: on in the ``shanhai`` process itself (:func:`geo.commands.run`)
COMMAND = {"on": False}


@contextmanager
def loading():
    """Import and read with the collector paused, then freeze what was loaded: it lives until
    the command ends, so collecting during the import of a thousand modules finds nothing
    (under 1,000 unreachable objects), and later collections need not walk it again."""
    paused = COMMAND["on"] and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def finish() -> None:
    """Before the process exits: collect the garbage (finalizers run, files close) and freeze
    the rest, so the interpreter's shutdown frees it without walking it several times."""
    if COMMAND["on"]:
        gc.collect()
        gc.freeze()


def in_background(fn: Callable, *args) -> Callable:
    """Start ``fn(*args)`` and return a function that waits for its result (and raises its
    error): on a thread in the command, at once elsewhere."""
    if not COMMAND["on"]:
        result = fn(*args)
        return lambda: result
    done: dict = {}

    def work():
        try:
            done["result"] = fn(*args)
        except BaseException as exc:  # raised again in the caller's thread
            done["error"] = exc

    thread = threading.Thread(target=work, name=f"shanhai-{getattr(fn, '__name__', 'work')}", daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in done:
            raise done["error"]
        return done["result"]

    return wait


def in_two_processes(child: Callable[[], object], parent: Callable[[], object]) -> bool:
    """Run ``child()`` in a forked copy of the command (the figures are inherited, nothing is
    pickled) beside ``parent()`` here; elsewhere, or where there is no fork, one after the
    other (an error of either raised as it is). Returns whether the child's part succeeded."""
    if not (COMMAND["on"] and hasattr(os, "fork")):
        parent()
        child()
        return True
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's own coverage is not collected
        code = 0
        try:
            child()
        except BaseException:
            code = 1
        os._exit(code)
    try:
        parent()
    finally:
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
