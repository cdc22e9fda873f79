"""A user's own source records (``--sources FILE``, or the 来源 sheet of a workbook): the
columns of ``layers/sources.csv`` (at least id, issuer or title; kind, date and url where
known), validated like the layers, so a planner's rows cite them by id and every page
cites them as issuer · 《title》 · date, like the built-in ones."""

from __future__ import annotations

import re
from pathlib import Path

from ..catalog import say
from ..codes import to_code
from ..read import Checker, read_table
from ..read.values import parse_since
from ..sources import COLUMNS, KINDS, Source, classify_url, embedded_sources
from .specs import SPECS

#: the sheet of a template workbook that holds the sources
SOURCES_SHEET = "来源"
#: what a kind is called on a Chinese sheet
_KIND_WORDS = {
    "发文机关原文": "official_document",
    "官方文件": "official_document",
    "政府网站": "government_site",
    "主要媒体": "major_outlet",
    "转载": "repost",
    "无": "none",
    "数据集": "dataset",
}


def read_user_sources(path, *, sheet=None, encoding=None) -> tuple[dict[str, Source], list]:
    """The source records of a user's CSV or XLSX file, and the problems found.

    A row needs an id (lowercase letters, digits and hyphens; not one of the built-in ids,
    unless the row repeats that record exactly, as a template's 来源 sheet does) and an
    issuer or a title. Its kind is the one given (``official_document``, ``government_site``,
    ``major_outlet``, ``repost``; or in Chinese: 发文机关原文, 政府网站, 主要媒体, 转载), else
    the kind its address's host shows, else ``none`` (no original known: cited as 来源待核实).

    Returns
    -------
    (dict of str to Source, list of Problem)
        The new records (the built-in ones repeated are left out) and every finding.
    """
    path = Path(path)
    df, header_problems = read_table(path, SPECS["sources"], sheet=sheet, encoding=encoding)
    chk = Checker(str(path))
    chk.problems += header_problems
    if any(p.severity == "error" for p in header_problems):
        return {}, chk.problems
    known = embedded_sources()
    out: dict[str, Source] = {}
    for r in df.to_dict("records"):
        row = int(r["_row"])
        rec = {c: r.get(c, "") for c in COLUMNS}
        sid = rec["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", sid):
            chk.add("error", row, say("tables.sources.not_slug.what", id=sid),
                    say("tables.sources.not_slug.fix", example="qingyuan-jiashan-2018"), "id")  # fmt: skip
            continue
        if sid in out:
            chk.add("error", row, say("tables.sources.twice.what", id=sid), say("tables.sources.twice.fix"), "id")
            continue
        kind = _KIND_WORDS.get(rec["kind"]) or to_code("source_kind", rec["kind"])
        if not kind:
            kind = classify_url(rec["url"]) if rec["url"] else "none"
        if kind not in KINDS:
            chk.add("error", row, say("tables.sources.unknown_kind.what", kind=rec["kind"]),
                    say("tables.sources.unknown_kind.fix", kinds=say("list.enum").join(KINDS[:4])), "kind")  # fmt: skip
            continue
        rec["kind"] = kind
        if rec["date"]:
            iso = parse_since(rec["date"])
            if iso is None:
                chk.add("error", row, say("tables.sources.bad_date.what", date=rec["date"]),
                        say("tables.sources.bad_date.fix"), "date")  # fmt: skip
                continue
            rec["date"] = iso
        source = Source(**rec, user=True)
        if sid in known:
            if known[sid] != source:
                chk.add("error", row, say("tables.sources.builtin_differs.what", id=sid),
                        say("tables.sources.builtin_differs.fix"), "id")  # fmt: skip
            continue
        if kind in ("official_document", "government_site") and not rec["url"] and not rec["issuer"]:
            chk.add("warning", row, say("tables.sources.unfindable.what", kind=kind),
                    say("tables.sources.unfindable.fix"), "issuer")  # fmt: skip
        out[sid] = source
    return out, chk.problems


def workbook_sources(path) -> tuple[dict[str, Source], list]:
    """The sources of a workbook's 来源 sheet (a template filled in), or nothing."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}, []
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
        names = wb.sheetnames
        wb.close()
    except Exception:  # an unreadable workbook is refused by the layer's own reading
        return {}, []
    return read_user_sources(path, sheet=SOURCES_SHEET) if SOURCES_SHEET in names else ({}, [])
