"""The ``shanhai`` command (also ``python -m geo``).

One module per family of subcommands, all built on :mod:`.options` (the shared option groups,
loading the atlas, printing rows) and none importing another:

- :mod:`.data`: counties, pairs, enclaves, check, export, editions, divisions, timeline, sources, template
- :mod:`.analysis`: gaps, trend
- :mod:`.products`: profile, book, site, report, slides
- :mod:`.maps`: map, build
- :mod:`.about`: notices

Building the parser imports no renderer, pandas or geopandas: each command imports what it
needs when it runs, so that ``shanhai counties`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from functools import lru_cache

from .._io import protected_inputs
from ..catalog import message_lang, messages_in, say
from ..errors import GeoError
from . import about, analysis, data, maps, products
from .flags import cli_words, learn
from .language import argparse_words, argv_lang
from .process import COMMAND, finish


def build_parser() -> argparse.ArgumentParser:
    """The ``shanhai`` argument parser with every subcommand (in the order ``--help`` lists them)."""
    parser = argparse.ArgumentParser(
        prog="shanhai",
        description=say("cli.description"),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__import__('geo').__version__}", help=say("argparse.version")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    data.add_parsers(
        sub, ("counties", "pairs", "enclaves", "check", "export", "editions", "divisions", "timeline", "sources")
    )
    analysis.add_parsers(sub)
    products.add_parsers(sub)
    data.add_parsers(sub, ("template",))  # listed after the products, as it always was
    maps.add_parsers(sub)
    about.add_parsers(sub)
    return parser


@lru_cache(maxsize=2)
def _parser(lang: str) -> argparse.ArgumentParser:
    """The parser in ``lang`` (its help texts are written when it is built), built once per
    language: a notebook or a test runs :func:`main` again and again, 11 ms each time."""
    return build_parser()


def main(argv=None) -> int:
    """Run ``shanhai`` with ``argv`` (default: the command line); returns the exit status.

    0 done, 1 ``check`` found errors, 2 a usage or data error (``error: ...``), 3 a bug
    (rerun with ``SHANHAI_DEBUG=1`` for the traceback), 130 interrupted.
    """
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    # the language is settled once for the run: every message after reads it, not the environment
    with _any_console(), messages_in(argv_lang(argv) or message_lang()), argparse_words():
        parser = _parser(message_lang())
        learn(parser)
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return _run(args)


def run() -> None:
    """The ``shanhai`` process (the console script and ``python -m geo``): :func:`main` on
    the command line, then exit with its status.

    It turns on :data:`.process.COMMAND`: what a short-lived process may do to be quick and a
    program calling :func:`main` must not have done to it (the collector paused and frozen,
    a thread, a fork; see :mod:`.process`).
    """
    COMMAND["on"] = True
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `shanhai … | head` has stopped reading: the rest goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finish()
    sys.exit(status)


#: the options that name a command's input files: no output may be written over them
INPUT_OPTIONS = ("boundaries", "pairings", "coverage", "status", "sources", "data")


def _run(args) -> int:
    inputs = {f"--{k}": getattr(args, k, None) for k in INPUT_OPTIONS}
    try:
        with protected_inputs(inputs):
            return args.func(args)
    except GeoError as exc:
        print(say("cli.error", message=cli_words(str(exc))), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(say("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, keep the traceback for debugging only
        if os.environ.get("SHANHAI_DEBUG"):
            raise
        print(say("cli.internal", kind=type(exc).__name__, detail=exc), file=sys.stderr)
        return 3


@contextmanager
def _any_console():
    """Print whatever the console can show: a character its encoding lacks (Chinese on an
    ASCII or Latin-1 console, ``PYTHONIOENCODING=ascii``) is written as ``\\uXXXX``
    instead of stopping the command."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
                changed.append(stream)
            except (ValueError, OSError):  # a closed or detached stream: leave it
                pass
    try:
        yield
    finally:
        for stream in changed:
            try:
                stream.reconfigure(errors="strict")
            except (ValueError, OSError):
                pass
