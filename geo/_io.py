"""Atomic file output: write beside the target, then rename over it; and the refusal to
overwrite a file a person edits (a report, a slide deck) without ``--force``."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import GeoError


@contextmanager
def atomic_path(target):
    """Yield a temporary path in the target's folder; on success it replaces ``target``.

    On any error the temporary file is removed and ``target`` is left as it was, so a
    reader never sees a half-written map or GeoPackage.
    """
    target = Path(target)
    folder = target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise GeoError(f"cannot create the folder {folder}: {exc}. Fix: choose a writable output path.") from None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=folder)
    os.close(fd)
    os.unlink(tmp)  # let the writer create it (GDAL refuses to overwrite some formats)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            if leftover.exists():
                leftover.unlink()


def refuse_overwrite(path, force: bool) -> None:
    """Raise :class:`GeoError` when ``path`` exists and ``force`` is not set: a Word or
    PowerPoint file is edited by people after it is written, so it is never replaced
    silently."""
    path = Path(path)
    if path.exists() and not force:
        raise GeoError(
            f"{path} exists and may hold edits of yours: it is not overwritten. "
            "Fix: choose another -o path, or use --force to replace it."
        )
