"""``shanhai check``: validate files (or the embedded layers) and collect every problem."""

from __future__ import annotations

from pathlib import Path

from .atlas import LAYER_KINDS, LayerFiles, join, load_layers, read_layer
from .boundaries import SPATIAL_SUFFIXES
from .catalog import say
from .divisions import validate
from .errors import DataSourceError, GeoError, Problem, param
from .registry import get_registry
from .sources import describe_cited, unresolved
from .tables import detect_table_kind, read_user_sources

__all__ = ["check_files", "check_one"]

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def _unread(file, path, exc: Exception) -> Problem:
    """The error of a file that cannot be read, its message without the file's name in front
    (``name: …`` in English, ``name：…`` in Chinese): the finding names the file already."""
    text = str(exc)
    for prefix in (f"{path}: ", f"{path}："):
        text = text.removeprefix(prefix)
    return Problem("error", str(file), say("read.where_file"), text)


def check_one(kind: str, path, options: dict) -> list[Problem]:
    """Problems of one file read as ``kind`` (boundaries, pairings, status, coverage,
    enclaves, sources)."""
    files = LayerFiles(**{k: v for k, v in options.items() if k != "edition" and v is not None})
    if kind == "sources":  # a file of the user's own source records
        try:
            found, problems = read_user_sources(path)
        except DataSourceError as exc:
            return [_unread(path, path, exc)]
        return [*problems, Problem("info", str(path), say("read.where_file"), say("checks.own_sources", n=len(found)))]
    setattr(files, kind, path)
    try:
        result = read_layer(kind, files, get_registry(), options.get("edition"))
        problems = list(result.problems)
        if kind in ("pairings", "status", "enclaves") and "source" in result.table:  # what the rows cite, said once
            found = say("checks.sources_found", described=describe_cited(result.table, result.sources))
            problems.append(Problem("info", str(path), say("read.where_file"), found))
        return problems
    except DataSourceError as exc:
        return [_unread(path or kind, path, exc)]


def _kind_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in SPATIAL_SUFFIXES:
        return "boundaries"
    if suffix in TABLE_SUFFIXES:
        return detect_table_kind(path)
    return None


def check_files(args) -> tuple[list[Problem], dict]:
    """Check the files named on the command line, or every embedded layer when none are."""
    options = {
        k: getattr(args, k, None)
        for k in (
            "layer",
            "encoding",
            "crs",
            "datum",
            "sheet",
            "edition",
            "code_column",
            "name_column",
            "sources",
            "merge",
        )
    }
    jobs: list[tuple[str, object]] = []
    for kind in ("boundaries", "pairings", "coverage", "status", "enclaves", "sources"):
        if getattr(args, kind, None):
            jobs.append((kind, getattr(args, kind)))
    problems: list[Problem] = []
    for f in args.files:
        path = Path(f)
        if not path.exists():
            problems.append(
                Problem(
                    "error",
                    str(path),
                    say("read.where_file"),
                    say("checks.no_such_file.what"),
                    say("checks.no_such_file.fix"),
                )
            )
            continue
        kind = _kind_of(path)
        if kind is None:
            problems.append(
                Problem(
                    "error",
                    str(path),
                    say("read.where_file"),
                    say("checks.unknown_kind.what"),
                    say(
                        "checks.unknown_kind.fix",
                        **{k: param(k) for k in ("boundaries", "pairings", "coverage", "status", "enclaves")},
                    ),
                )
            )
            continue
        jobs.append((kind, path))
    if not jobs and not problems:
        # the embedded layers: read each once, then join them for the join's own findings

        jobs = [(k, None) for k in LAYER_KINDS]
        reg = get_registry()
        try:
            edition = reg.edition(args.edition)
            results = load_layers(LayerFiles(), reg, edition.id)
            problems = [p for r in results for p in r.problems]
            if not any(p.severity == "error" for p in problems):
                atlas = join(*results, registry=reg, edition=edition, problems=problems)
                for layer, fact, what in unresolved(atlas):
                    problems.append(Problem("error", f"layers/{layer}.csv", fact, say("checks.sentence", text=what),
                                            say("checks.unresolved_fix")))  # fmt: skip

            problems += [
                Problem("error", "layers/divisions.csv", where, what, say("checks.divisions_fix"))
                for where, what in validate(set(reg.counties))
            ]
            jobs.append(("divisions", None))
        except GeoError as exc:
            problems.append(Problem("error", say("checks.embedded_layers"), say("read.where_file"), str(exc)))
    else:
        for kind, path in jobs:
            problems += check_one(kind, path, options)
    summary = {s: sum(p.severity == s for p in problems) for s in ("error", "repair", "warning", "info")}
    summary["files"] = len(jobs)
    return problems, summary
