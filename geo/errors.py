"""Errors and problem reports.

One base error (:class:`GeoError`) and a few specific ones. Every message names the file,
the row or county, what is wrong and how to fix it. Validation collects :class:`Problem`
records first, so ``shanhai check`` can print all of them instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .catalog import say

__all__ = [
    "CRSError",
    "CountyNameError",
    "DataLayerError",
    "DataSourceError",
    "FormerUnitError",
    "GeoError",
    "Problem",
    "RenderError",
    "param",
]

#: severities, most serious first: ``error`` must be fixed; ``repair`` was fixed on read
#: and reported; ``warning`` is worth a look; ``info`` is a fact about the input.
SEVERITIES = ("error", "repair", "warning", "info")


_NO_VALUE = object()


def param(name: str, value=_NO_VALUE, *, raw: bool = False) -> str:
    """A parameter as a message names it: ```name```, or ```name=value``` with the value as
    Python writes it (``raw``: as given, e.g. a placeholder ``FILE``). Library messages speak
    of parameters; the command line shows each as its flag (``--name value``) instead
    (:func:`geo.commands.flags.cli_words`)."""
    if value is _NO_VALUE:
        return f"`{name}`"
    if raw:
        shown = str(value)
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = repr(value)
    return f"`{name}={shown}`"


@dataclass(frozen=True)
class Problem:
    """One finding about an input file.

    Attributes
    ----------
    severity : {"error", "repair", "warning", "info"}
        ``error`` must be fixed; ``repair`` was fixed on read and is reported;
        ``warning`` is worth a look; ``info`` is a fact about the input.
    file : str
        The file the finding is about.
    where : str
        The row, feature or county (``row 4``, ``景宁``).
    what : str
        What is wrong, in words.
    fix : str
        How to fix it (may be empty).
    column : str
        The column, when the finding is about one (the layer's name for it: ``confidence``).
    header : str
        The column's header as the file writes it, when it differs (可信度): what the
        message names.
    """

    severity: str
    file: str
    where: str
    what: str
    fix: str = ""
    column: str = ""
    header: str = ""

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def __str__(self) -> str:
        column = self.column and say("problem.column", column=self.header or self.column)
        loc = say("problem.list_sep").join(p for p in (self.file, self.where, column) if p)
        text = say("problem.located", where=loc, what=self.what)
        return say("problem.with_fix", text=text, fix=self.fix) if self.fix else text

    def to_dict(self) -> dict:
        return asdict(self)


class GeoError(Exception):
    """Base class of every error raised by shanhai-atlas."""


class DataSourceError(GeoError):
    """A file cannot be read at all: missing, corrupt, unsupported or wrongly encoded."""


class CRSError(DataSourceError):
    """A spatial file has no coordinate reference system, or one its coordinates contradict."""


class DataLayerError(GeoError):
    """A file was read but its content is invalid; ``problems`` lists every finding.

    Parameters
    ----------
    problems : list of Problem
        Every finding; the message lists the errors among them.
    limit : int
        The number of errors the message shows (``shanhai check FILE`` lists all).

    Attributes
    ----------
    problems : list of Problem
        Every finding, errors and warnings alike.
    """

    def __init__(self, problems: list[Problem], limit: int = 20):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        shown = errors[:limit]
        lines = [say("problem.must_fix", n=len(errors))] + [f"  - {p}" for p in shown]
        if len(errors) > limit:
            lines.append("  " + say("problem.more", n=len(errors) - limit))
        super().__init__("\n".join(lines))


class CountyNameError(GeoError, LookupError):
    """A county name or code that is not one of Zhejiang's 90 county-level units.

    Parameters
    ----------
    name : str
        The name or code as given.
    suggestions : list of str, optional
        Names that look alike (the message offers them).
    context : str
        Where the name came from (a file and row), put before the message.

    Attributes
    ----------
    name : str
        The name as given.
    suggestions : list of str
        The names offered instead.
    """

    def __init__(self, name: str, suggestions: list[str] | None = None, context: str = ""):
        self.name = name
        self.suggestions = list(suggestions or [])
        names = say("problem.list_sep").join(self.suggestions)
        hint = say("county.did_you_mean", names=names) if self.suggestions else ""
        where = say("county.where", context=context) if context else ""
        super().__init__(say("county.unknown", where=where, name=name, hint=hint))


class FormerUnitError(CountyNameError):
    """A name or code of a unit that was abolished and whose area is now in several of today's
    units (江干区: 上城区 and 钱塘区): the message says where it went."""

    def __init__(self, name: str, what: str, successors: list[str], context: str = ""):
        self.name = name
        self.suggestions = list(successors)
        where = say("county.where", context=context) if context else ""
        successors = say("county.or").join(successors)
        GeoError.__init__(self, say("county.former", where=where, name=name, what=what, successors=successors))


class RenderError(GeoError):
    """A map cannot be drawn with the options given."""
