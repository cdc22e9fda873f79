"""Safe file output: atomic writes (beside the target, then renamed over it); files a person
edits (a template, a report) never replaced without ``--force``; a command's own input files
never written over; text for spreadsheets that Excel cannot take for a formula."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .catalog import say
from .errors import GeoError, param

#: the input files of the running command: resolved path → the option that named it
_INPUTS: dict[Path, str] = {}


@contextmanager
def protected_inputs(named: dict[str, object]):
    """While the block runs, :func:`atomic_path` refuses to write over any of these input
    files (``{"--data": path, ...}``; a value may be a list of paths)."""
    added = []
    for option, paths in named.items():
        for p in paths if isinstance(paths, list | tuple) else [paths]:
            if p:
                key = Path(p).resolve()
                if key not in _INPUTS:
                    _INPUTS[key] = option
                    added.append(key)
    try:
        yield
    finally:
        for key in added:
            _INPUTS.pop(key, None)


def _input_named(target: Path) -> str | None:
    resolved = target.resolve()
    for path, option in _INPUTS.items():
        if path == resolved or (target.exists() and path.exists() and os.path.samefile(path, target)):
            return option
    return None


def refuse_existing(target, force: bool = False) -> None:
    """Raise :class:`GeoError` if ``target`` exists and ``force`` is false: the file a
    person edits (a template, a report) is never replaced without ``--force``."""
    target = Path(target)
    if target.exists() and not force:
        raise GeoError(say("io.exists", target=target, force=param("force", True)))


@contextmanager
def atomic_path(target, *, force: bool = True):
    """Yield a temporary path in the target's folder; on success it becomes ``target``.

    On any error the temporary file is removed and ``target`` is left as it was, so a
    reader never sees a half-written map or GeoPackage. With ``force=False`` an existing
    ``target`` is refused (:func:`refuse_existing`), also if it appears while writing. A
    target that is one of the command's input files (:func:`protected_inputs`) is refused.
    """
    target = Path(target)
    option = _input_named(target)
    if option:
        raise GeoError(say("io.is_input", target=target, option=option))
    refuse_existing(target, force)
    folder = target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise GeoError(say("io.no_folder", folder=folder, exc=exc)) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=folder)
    os.close(fd)
    os.unlink(tmp)  # let the writer create it (GDAL refuses to overwrite some formats)
    tmp = Path(tmp)
    try:
        yield tmp
        if force:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    finally:
        for leftover in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            if leftover.exists():
                leftover.unlink()


def _link_new(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if no file has that name (a hard link fails
    rather than replace); where links are not supported, check and rename."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        refuse_existing(target)
    except OSError:  # a file system without hard links (FAT, some network shares)
        refuse_existing(target)
        os.replace(tmp, target)


# ---------------------------------------------------------------------------------------
# text that a spreadsheet could take for a formula
# ---------------------------------------------------------------------------------------

#: what makes Excel, LibreOffice or WPS read a typed or imported cell as a formula (OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def formula_like(value) -> bool:
    """True for text a spreadsheet could run as a formula: it starts with ``= + - @``, a tab
    or a carriage return (a plain number such as ``-3.5`` is a number, not a formula)."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


def excel_safe(value):
    """``value`` for a CSV that will be opened in a spreadsheet: text that could be run as a
    formula gets a leading ``'`` (OWASP's CSV-injection advice); anything else is unchanged."""
    return "'" + value if formula_like(value) else value
