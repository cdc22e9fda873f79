"""The command line's language: which one a run speaks (:func:`argv_lang`), and argparse's
own words ("usage:", "options", its errors) in it (:func:`argparse_words`). argparse asks
:mod:`gettext` for its words through the module's ``_``; while a command runs that name
answers from the catalog (``argparse.*`` keys of ``messages.toml``), the headings of the
help's sections end as the language writes them (``cli.heading``: 选项：, not 选项:), and
the help's lines are wrapped by the columns a console gives a Chinese character (two)."""

from __future__ import annotations

import argparse
import re
from contextlib import contextmanager

from ..catalog import message_lang, say
from ..words import display_columns

__all__ = ["ARGPARSE_WORDS", "argparse_words", "argv_lang"]

#: argparse's words (as its source writes them) and their keys in the catalog
ARGPARSE_WORDS = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "expected one argument": "argparse.expected_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "one of the arguments %s is required": "argparse.one_required",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "can't open '%(filename)s': %(error)s": "argparse.cant_open",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
}


def argv_lang(argv: list[str]) -> str | None:
    """The language ``argv`` asks for with ``--lang zh|en`` (or ``--lang=…``, or ``--lan``
    as argparse reads it), else None."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        flag, eq, given = arg.partition("=")
        # argparse takes an unambiguous prefix (--lan) as --lang; --la could be --layer
        if not (len(flag) >= 5 and "--lang".startswith(flag)):
            continue
        value = given if eq else (argv[i + 1] if i + 1 < len(argv) else None)
        if value in ("zh", "en"):
            return value
    return None


def _word(text: str) -> str:
    key = ARGPARSE_WORDS.get(text)
    return say(key) if key else text


def _nword(one: str, many: str, n: int) -> str:
    return _word(one if n == 1 else many)


class _Section(argparse.HelpFormatter._Section):
    """A section of the help whose heading ends with the catalog's colon (``cli.heading``)."""

    def format_help(self):
        text = super().format_help()
        if self.heading is not argparse.SUPPRESS and self.heading:
            text = text.replace(f"{self.heading}:\n", say("cli.heading", heading=self.heading) + "\n", 1)
        return text


#: what a help line breaks between: a run of Latin letters, digits and the signs inside a
#: word or a flag (kept whole), a space, or any other single character (a Chinese one)
_TOKEN = re.compile(r"[A-Za-z0-9_./:%'()\[\]{},=+<>-]+|\s|.")
_ORIGINAL_SPLIT = argparse.HelpFormatter._split_lines
#: punctuation that never starts a line (it stays at the end of the one before)
_NO_START = frozenset("，。；：、）》」』”’！？")


def _split_lines(self, text: str, width: int) -> list[str]:
    """argparse's help lines measured in a console's columns (a Chinese character takes two)
    and broken between characters, never inside a Latin word or a flag."""
    if text.isascii():
        return _ORIGINAL_SPLIT(self, text, width)
    lines, line = [], ""
    for token in _TOKEN.findall(self._whitespace_matcher.sub(" ", text).strip()):
        if line and display_columns(line + token) > width and token not in _NO_START:
            lines.append(line.rstrip())
            line = ""
        if line or not token.isspace():
            line += token
    return [*lines, line.rstrip()] if line else lines


_ORIGINAL_USAGE = argparse.HelpFormatter._format_usage


def _format_usage(self, usage, actions, groups, prefix):
    """argparse's usage, its continuation lines indented to the console columns of a prefix
    such as 用法： (argparse counts its characters, a console shows each two columns wide)."""
    text = _ORIGINAL_USAGE(self, usage, actions, groups, prefix)
    prefix = say("argparse.usage") if prefix is None else prefix
    extra = display_columns(prefix) - len(prefix)
    first, *rest = text.split("\n")
    return "\n".join([first, *(" " * extra + line if line.strip() else line for line in rest)])


@contextmanager
def argparse_words():
    """argparse speaks the messages' language (:func:`geo.catalog.message_lang`) inside the
    block; outside it argparse is as Python ships it."""
    if message_lang() == "en":
        yield
        return
    formatter = argparse.HelpFormatter
    names = ("_Section", "_split_lines", "_format_usage")
    saved = argparse._, argparse.ngettext, *(getattr(formatter, n) for n in names)
    argparse._, argparse.ngettext = _word, _nword
    for name, value in zip(names, (_Section, _split_lines, _format_usage), strict=True):
        setattr(formatter, name, value)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved[:2]
        for name, value in zip(names, saved[2:], strict=True):
            setattr(formatter, name, value)
