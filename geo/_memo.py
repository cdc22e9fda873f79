"""Small bounded caches held in module globals (the city borders, simplified shapes, workbooks
read): when one is full, its oldest entry goes first."""

from __future__ import annotations


def remember(cache: dict, key, value, keep: int):
    """Put ``value`` under ``key`` in ``cache``, first dropping the oldest entries so that at
    most ``keep`` stay; returns ``value``."""
    while len(cache) >= keep:
        cache.pop(next(iter(cache)))
    cache[key] = value
    return value
