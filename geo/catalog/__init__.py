"""The catalog: the TOML files beside this module, one table per key with its Chinese
(``zh``) and English (``en``) text, read once on first use. A translator works in the files
alone; the code names keys. The files are compiled on first use into one JSON file in
``__pycache__`` beside them, keyed on their content (as Python keeps bytecode): parsing the
TOML costs a command ~90 ms, reading the JSON ~1 ms. Two families share the reader:

- the words of the outputs (``words.toml``, ``enclaves.toml``): the language is the
  output's own (``lang=``, ``--lang``);
- what the tool says (``messages.toml`` and ``messages-*.toml``): errors, warnings, notes, help and summaries, in the
  reader's language (:func:`message_lang`).
"""

from __future__ import annotations

import json
import os
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

__all__ = ["LANGS", "catalog", "glossary", "message_lang", "messages_in", "say"]

#: the languages of the catalog, the first the default of the outputs
LANGS = ("zh", "en")
_HERE = Path(__file__).parent
#: the output words (``text``) and the messages (``say``): one file list each; the messages
#: are kept in one file per part of the tool (``messages-read.toml``, ``messages-cli.toml``, …)
FILES = {
    "words": ("words.toml", "enclaves.toml", *sorted(p.name for p in _HERE.glob("words-*.toml"))),
    "messages": ("messages.toml", *sorted(p.name for p in _HERE.glob("messages-*.toml"))),
}
_LOADED: dict[str, dict[str, dict[str, str]]] = {}
#: what the compiled JSON is called (the digest of the files' names and bytes follows)
COMPILED_PREFIX = "catalog-"
#: the language chosen by the caller (``messages_in``, the command's ``--lang``)
_CHOSEN: ContextVar[str | None] = ContextVar("shanhai_message_lang", default=None)


def catalog(family: str = "words") -> dict[str, dict[str, str]]:
    """Every key of ``family`` (``words`` or ``messages``) with its text by language."""
    if not _LOADED:
        _LOADED.update(compiled(_HERE, FILES))
    return _LOADED[family]


def compiled(folder: Path, files: dict[str, tuple[str, ...]]) -> dict[str, dict[str, dict[str, str]]]:
    """Each family of ``files`` (TOML in ``folder``) as one flat table of keys: from the
    compiled JSON in ``folder/__pycache__`` when one was made of the same bytes, else parsed
    and compiled (a folder that cannot be written to is parsed every time)."""
    data = {name: (folder / name).read_bytes() for names in files.values() for name in names}
    # a checksum of names and bytes is key enough for a cache of one's own files (hashlib's
    # OpenSSL would cost every command more than reading the JSON)
    whole = repr(sorted(files.items())).encode() + b"".join(n.encode() + b"\0" + data[n] for n in sorted(data))
    cache = folder / "__pycache__" / f"{COMPILED_PREFIX}{zlib.crc32(whole):08x}{len(whole):x}.json"
    try:
        return json.loads(cache.read_bytes())
    except (OSError, ValueError):
        pass
    tables = {family: _parsed({name: data[name] for name in names}) for family, names in files.items()}
    try:
        cache.parent.mkdir(exist_ok=True)
        for old in cache.parent.glob(f"{COMPILED_PREFIX}*.json"):
            old.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:  # a read-only install: parse every time
        pass
    return tables


def _parsed(data: dict[str, bytes]) -> dict[str, dict[str, str]]:
    import tomllib  # lazy: only when the files changed since they were compiled

    table: dict[str, dict[str, str]] = {}
    for name, raw in data.items():
        for key, entry in _flat(tomllib.loads(raw.decode("utf-8"))):
            if key in table:
                raise KeyError(f"{name}: the key {key!r} is in the catalog twice")
            table[key] = entry
    return table


def glossary(docs: bool = False) -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    """The terms (``glossary.toml``: each key's ``zh``, ``en``, notes and ``check``) and the
    English words a Chinese text may carry (formats, programs, units; with ``docs``, also the
    libraries and standards the documentation's pages name)."""
    import tomllib  # lazy: the glossary is read by the docs and the tests only

    with open(_HERE / "glossary.toml", "rb") as fh:
        data = tomllib.load(fh)
    allowed = set(data["allow"]["words"]) | (set(data["allow"]["docs"]["words"]) if docs else set())
    return dict(_flat(data["term"], "term.")), frozenset(allowed)


def _flat(data: dict, prefix: str = ""):
    """``[read.no_crs]`` as the key ``read.no_crs``: a table with a ``zh`` text is an entry."""
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(value.get("zh"), str):
            yield prefix + key, value
        elif isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")


def _locale_lang() -> str:
    """zh when the environment asks for Chinese, else en: ``SHANHAI_LANG``, then the locale
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first that is set, as POSIX reads them)."""
    chosen = os.environ.get("SHANHAI_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def message_lang() -> str:
    """The language of messages: the one chosen (:func:`messages_in`, a command's
    ``--lang``), else ``SHANHAI_LANG`` (zh or en), else the locale (``zh…`` → zh), else en."""
    return _CHOSEN.get() or _locale_lang()


@contextmanager
def messages_in(lang: str | None):
    """Errors, warnings and notes in ``lang`` inside the block.

    Parameters
    ----------
    lang : {"zh", "en"} or None
        The language; ``None`` keeps the one of the environment (``SHANHAI_LANG``, the
        locale: :func:`message_lang`).

    Yields
    ------
    None
        The block runs with messages in ``lang``; the language before it comes back after.

    Examples
    --------
    >>> import geo
    >>> with geo.messages_in("zh"):
    ...     geo.load_atlas(pairings="无此文件.csv")  # doctest: +SKIP
    DataSourceError: ……
    """
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use zh or en")
    token = _CHOSEN.set(lang) if lang else None
    try:
        yield
    finally:
        if token is not None:
            _CHOSEN.reset(token)


def say(key: str, lang: str | None = None, /, **values) -> str:
    """The message ``key`` in ``lang`` (default: :func:`message_lang`), its placeholders
    filled in from ``values`` (positional-only ``lang``: a placeholder may be called lang)."""
    return catalog("messages")[key][lang or message_lang()].format(**values)
