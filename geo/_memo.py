"""Small bounded caches held in module globals (the city borders, simplified shapes, workbooks
and documents read): when one is full, its oldest entry goes first."""

from __future__ import annotations

from pathlib import Path


def remember(cache: dict, key, value, keep: int):
    """Put ``value`` under ``key`` in ``cache``, first dropping the oldest entries so that at
    most ``keep`` stay; returns ``value``."""
    while len(cache) >= keep:
        cache.pop(next(iter(cache)))
    cache[key] = value
    return value


def file_stamp(path) -> tuple[str, int, int]:
    """A file as a cache key: its resolved path, modification time (ns) and size, from one
    ``stat``; a file changed on disk gets a new key. Raises OSError for a missing file."""
    path = Path(path)
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size
