"""The command line's words for the library's parameters: a message names a parameter as
```name=value``` (:func:`geo.errors.param`); the command line prints its flag instead
(``--name value``), read off the parser itself (:func:`learn`, called by
:func:`geo.commands.main`) so the two cannot drift apart."""

from __future__ import annotations

import argparse
import re

__all__ = ["ALIASES", "PARAM", "cli_words", "learn", "option_flags"]

#: Python parameters whose flag has another name
ALIASES = {"width_cm": "width", "height_cm": "height"}
#: a parameter as a message names it (`name` or `name=value`)
PARAM = re.compile(r"`([a-z][a-z_]*)(?:=([^`]*))?`")
#: the running command line's flags by destination (:func:`learn`); empty outside it
FLAGS: dict[str, str] = {}


def learn(parser: argparse.ArgumentParser) -> None:
    """Take the flags of ``parser`` as the ones :func:`cli_words` writes."""
    if not FLAGS:
        FLAGS.update(option_flags(parser))


def option_flags(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each option's destination and its long flag, over every command of ``parser``."""
    out: dict[str, str] = {}

    def walk(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)
            for opt in action.option_strings:
                if opt.startswith("--"):
                    out.setdefault(action.dest, opt)
                    break

    walk(parser)
    return out


def _value(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        inner = text[1:-1]
        return inner if inner and " " not in inner else f"'{inner}'"
    return text


def cli_words(text: str) -> str:
    """``text`` with each parameter the command line has a flag for written as that flag
    (```width_cm=3``` → ``--width 3``, ```merge=True``` → ``--merge``, ```encoding``` →
    ``--encoding``); other backquoted words stay as they are."""
    if "`" not in text:
        return text
    flags = FLAGS

    def flag(m: re.Match) -> str:
        name, value = m.group(1), m.group(2)
        opt = flags.get(ALIASES.get(name, name))
        if opt is None:
            return m.group(0)
        if value is None or value == "True":
            return opt
        return f"{opt} {_value(value)}"

    return PARAM.sub(flag, text)
