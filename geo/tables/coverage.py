"""The coverage layer: which clause of which policy document targets which county, city or
edition, with the embedded documents and clauses it cites."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._memo import file_stamp, remember
from .._paths import layer_path
from ..catalog import message_lang, say
from ..codes import to_code
from ..errors import Problem
from ..read import Checker, LayerResult, county_or_error, read_table
from ..read.checker import either
from ..registry import Registry, get_registry
from .specs import SPECS

COVERAGE_COLUMNS = ["document", "clause", "scope", "target", "target_name", "note"]
#: what a coverage row may target
SCOPES = ("county", "city", "edition")


#: the documents and clauses read, by their files' paths, mtimes and sizes and the messages'
#: language: a user's coverage file is checked against the embedded ones, read once per process
_DOCUMENTS: dict = {}


def _read_documents(documents=None, clauses=None) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """The documents and clauses coverage rows cite (default: the embedded ones), validated.
    Each call gets its own frames."""
    doc_path = Path(documents) if documents else layer_path("documents.csv")
    clause_path = Path(clauses) if clauses else layer_path("clauses.csv")
    try:
        key = (message_lang(), file_stamp(doc_path), file_stamp(clause_path))
    except OSError:  # the reader says what is wrong with the path
        return _validated_documents(doc_path, clause_path)
    if key not in _DOCUMENTS:
        remember(_DOCUMENTS, key, _validated_documents(doc_path, clause_path), keep=4)
    docs, clauses, problems = _DOCUMENTS[key]
    return docs.copy(), clauses.copy(), list(problems)


def _validated_documents(doc_path: Path, clause_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    docs, p1 = read_table(doc_path, SPECS["documents"])
    clauses, p2 = read_table(clause_path, SPECS["clauses"])
    chk = Checker(str(doc_path))
    for _, d in docs.iterrows():
        chk.year(int(d["_row"]), d["date"], "date")
    chk.duplicates(docs, ["document"], say("tables.label.document"))
    cchk = Checker(str(clause_path))
    cchk.duplicates(clauses, ["document", "clause"], say("tables.label.clause"))
    for _, c in clauses[~clauses["document"].isin(docs["document"])].iterrows():
        cchk.add(
            "error",
            int(c["_row"]),
            say("tables.coverage.document_not_listed.what", document=c["document"]),
            say("tables.coverage.document_not_listed.fix"),
            "document",
        )
    return docs.drop(columns="_row"), clauses.drop(columns="_row"), p1 + p2 + chk.problems + cchk.problems


def read_coverage(
    path=None,
    registry: Registry | None = None,
    *,
    sheet=None,
    encoding=None,
    sources: dict | None = None,
    documents=None,
    clauses=None,
) -> LayerResult:
    """Read and validate policy coverage: which clause of which document targets which county.

    ``table`` holds the coverage rows; ``table.attrs['documents']`` and
    ``table.attrs['clauses']`` hold the documents and clauses they cite. A user's file may
    cite documents and clauses that are not embedded if it carries ``title`` and
    ``summary`` columns. ``documents`` and ``clauses`` are the files of the documents and
    clauses known (default: the embedded ``layers/documents.csv`` and ``layers/clauses.csv``).
    """
    reg = registry or get_registry()
    docs, clauses, problems = _read_documents(documents, clauses)
    path = Path(path) if path else layer_path("coverage.csv")
    df, header_problems = read_table(path, SPECS["coverage"], sheet=sheet, encoding=encoding)
    chk = Checker.for_table(path, df)
    chk.problems += problems + header_problems
    if any(p.severity == "error" for p in header_problems):
        return LayerResult(pd.DataFrame(columns=COVERAGE_COLUMNS), chk.problems, str(path))
    known_docs = set(docs["document"])
    known_clauses = set(zip(clauses["document"], clauses["clause"], strict=True))
    new_docs, new_clauses, out = [], [], []
    for r in chk.records(df):
        row = int(r["_row"])
        doc, clause = r["document"], r["clause"].removesuffix(".0")
        if not doc or not clause:
            chk.add("error", row, say("tables.coverage.both_needed.what"), say("tables.coverage.both_needed.fix"))
            continue
        if doc not in known_docs:
            if r["title"]:
                new_docs.append(
                    {
                        **dict.fromkeys(docs.columns, ""),
                        "document": doc,
                        "title": r["title"],
                        "note": f"from {path.name}",
                    }
                )
                known_docs.add(doc)
            else:
                chk.add(
                    "error",
                    row,
                    say("tables.coverage.unknown_document.what", document=doc),
                    say(
                        "tables.coverage.unknown_document.fix",
                        ids=say("list.enum").join(sorted(set(docs["document"]))),
                        column="title",
                    ),
                    "document",
                )
                continue
        if (doc, clause) not in known_clauses:
            if r["summary"]:
                new_clauses.append(
                    {
                        **dict.fromkeys(clauses.columns, ""),
                        "document": doc,
                        "clause": clause,
                        "category": r["category"],
                        "summary": r["summary"],
                    }
                )
                known_clauses.add((doc, clause))
            else:
                chk.add(
                    "error",
                    row,
                    say("tables.coverage.unknown_clause.what", clause=clause, document=doc),
                    say("tables.coverage.unknown_clause.fix", column="summary"),
                    "clause",
                )
                continue
        scope, target = to_code("coverage_scope", r["scope"]), r["target"]
        rec = {"document": doc, "clause": clause, "note": r["note"], "_row": row}
        edition = reg.find_edition(target) if scope in ("", "edition") else None
        if edition is not None:
            rec.update(scope="edition", target=edition.id, target_name=edition.title)
        elif scope == "city" or (scope == "" and reg.find_county(target) is None and reg.find_city(target)):
            city = reg.find_city(target)
            if city is None:
                chk.add(
                    "error",
                    row,
                    say("tables.not_a_city", name=target),
                    say("tables.coverage.not_a_city_fix"),
                    "target",
                )
                continue
            chk.matched(target, city.name)
            rec.update(scope="city", target=city.code, target_name=city.name)
        elif scope in ("", "county"):
            c = county_or_error(chk, reg, row, target, "target")
            if c is None:
                continue
            rec.update(scope="county", target=c.code, target_name=c.name)
        else:
            chk.add(
                "error",
                row,
                say("tables.coverage.bad_scope.what", scope=scope, choices=either(SCOPES)),
                say("tables.coverage.bad_scope.fix", choices=either(SCOPES)),
                "scope",
            )
            continue
        out.append(rec)
    table = chk.expand(pd.DataFrame(out, columns=[*COVERAGE_COLUMNS, "_row"]))
    chk.duplicates(table, ["document", "clause", "scope", "target"], say("tables.label.coverage_row"))
    table = table.drop(columns="_row")
    table.attrs["documents"] = pd.concat([docs, pd.DataFrame(new_docs, columns=docs.columns)], ignore_index=True)
    table.attrs["clauses"] = pd.concat([clauses, pd.DataFrame(new_clauses, columns=clauses.columns)], ignore_index=True)
    return LayerResult(table, chk.problems, str(path))
