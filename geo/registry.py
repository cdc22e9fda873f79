"""The 90 county-level units of Zhejiang, the editions of the mountain-county list, and
name matching.

Pure Python (``csv``), no pandas: ``shanhai counties`` needs nothing heavier.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ._paths import layer_path
from .catalog import say
from .errors import CountyNameError, FormerUnitError, GeoError

__all__ = [
    "City",
    "County",
    "Edition",
    "Registry",
    "folding_note",
    "get_registry",
    "normalize_name",
    "simplified",
]

KIND_EN = {"区": "District", "县": "County", "市": "City", "自治县": "Autonomous County"}
DEFAULT_EDITION = "2021"


@dataclass(frozen=True)
class City:
    code: str  # 4 digits, e.g. 3311
    name: str  # 丽水市
    romanized: str

    @property
    def short_name(self) -> str:
        return self.name.removesuffix("市")


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short_name: str
    kind: str
    city_code: str
    city: str
    romanized: str
    population_2020: int | None
    population_note: str
    population_note_en: str = ""
    #: the source id of the population figure (layers/sources.csv)
    population_source: str = ""

    @property
    def name_en(self) -> str:
        if self.kind == "自治县":
            return f"{self.romanized} She Autonomous County"
        return f"{self.romanized} {KIND_EN[self.kind]}"


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    date: str
    confidence: str
    source: str
    note: str
    members: tuple[str, ...] = field(default=())
    title_en: str = ""
    note_en: str = ""

    @property
    def source_ids(self) -> list[str]:
        """The ids of the sources that establish the edition."""
        return [s.strip() for s in self.source.split(";") if s.strip()]

    def __contains__(self, code: str) -> bool:
        return code in self.members


def normalize_name(text: str) -> str:
    """Fold width, case, spaces and punctuation so that variants of a name compare equal."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = re.sub(r"[\s'’`·\-_.,，。()（）]", "", text)
    return text.removeprefix("浙江省").removeprefix("浙江")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # lazy: only names that do not match need it

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str | None:
    """``text`` with its traditional characters folded to simplified (景寧縣 → 景宁县), or
    None when it has none to fold.

    A text that GB 2312 (simplified characters only) can encode is None at once, so OpenCC
    stays unloaded for every lookup that simply misses. Used to match names and headers
    only; a user's own words (notes, sources) are kept as written.
    """
    text = str(text)
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return _t2s().convert(text)
    return None


def folding_note(written: str, name: str) -> str | None:
    """The note for a name that matched ``name`` only through :func:`simplified`, else None."""
    if written and written != name and simplified(written) is not None:
        return say("registry.folded", written=written, name=name)
    return None


def _former_variants(name: str) -> list[str]:
    """Forms a former name is looked up by: 临安市, 临安 (unless too short); 县级丽水市 for a
    county-level city named like its prefecture."""
    out = [name, "县级" + name] if name.endswith("市") else [name]
    short = re.sub(r"(畲族自治县|自治县|县|区|市)$", "", name)
    if len(short) >= 2 and short != name:
        out.append(short)
    return out


def _read(name: str) -> list[dict]:
    with open(layer_path(name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Registry:
    """Zhejiang's county-level units and the editions of the 26-county list.

    Parameters
    ----------
    tables : mapping, optional
        The rows (dicts of their columns) of ``cities.csv``, ``counties.csv``, ``editions.csv``
        and ``edition_members.csv`` by file name; default: read from the embedded layers. A
        test passes a synthetic province or edition this way.
    history : sequence of Change, optional
        The county-level changes former names are read from (default: the embedded
        ``layers/divisions.csv``).
    """

    def __init__(self, tables=None, history=None):
        read = _read if tables is None else (lambda name: list(tables[name]))
        #: the changes of former names (None: the embedded layer)
        self.history = None if history is None else tuple(history)
        self.cities = {r["city_code"]: City(r["city_code"], r["city"], r["romanized"]) for r in read("cities.csv")}
        self.counties: dict[str, County] = {}
        for r in read("counties.csv"):
            pop = r["population_2020"]
            self.counties[r["code"]] = County(
                code=r["code"],
                name=r["name"],
                short_name=r["short_name"],
                kind=r["kind"],
                city_code=r["city_code"],
                city=r["city"],
                romanized=r["romanized"],
                population_2020=int(pop) if pop else None,
                population_note=r["population_note"],
                population_note_en=r.get("population_note_en") or "",
                population_source=r.get("population_source") or "",
            )
        members: dict[str, list[str]] = {}
        for r in read("edition_members.csv"):
            members.setdefault(r["edition"], []).append(r["code"])
        self.editions = {
            r["edition"]: Edition(
                id=r["edition"],
                title=r["title"],
                date=r["date"],
                confidence=r["confidence"],
                source=r["source"],
                note=r["note"],
                members=tuple(members.get(r["edition"], ())),
                title_en=r.get("title_en") or "",
                note_en=r.get("note_en") or "",
            )
            for r in read("editions.csv")
        }
        self._county_keys = self._build_county_keys()
        self._city_keys = self._build_city_keys()

    # -- name keys -------------------------------------------------------------------
    def _build_county_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for c in self.counties.values():
            variants = {c.code, c.name, c.short_name, c.romanized, c.name_en, f"{c.romanized}{c.kind}"}
            if c.kind == "自治县":  # 景宁县, 景宁自治县
                variants |= {c.short_name + "县", c.short_name + "自治县"}
            for v in variants:
                keys.setdefault(normalize_name(v), c.code)
        return keys

    def _build_city_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for c in self.cities.values():
            for v in (c.code, c.code + "00", c.name, c.short_name, c.romanized, c.romanized + " city"):
                keys[normalize_name(v)] = c.code
        return keys

    # -- lookups ---------------------------------------------------------------------
    def _remembered(self, memo_name: str, find, name):
        """``find(name)``, remembered: a table names the same units on many rows (up to
        100,000 names kept)."""
        memo = self.__dict__.setdefault(memo_name, {})
        if name in memo:
            return memo[name]
        found = find(name)
        if len(memo) < 100_000 and isinstance(name, str):
            memo[name] = found
        return found

    def find_county(self, name) -> County | None:
        """The county that ``name`` denotes, or None (no suggestions, no error)."""
        return self._remembered("_found", self._find_county, name)

    def _find_county(self, name) -> County | None:
        raw = unicodedata.normalize("NFKC", str(name)).strip()
        if re.fullmatch(r"\d{6}(\.0+)?", raw):  # codes read from spreadsheets as floats
            return self.counties.get(raw[:6])
        key = normalize_name(name)
        if not key:
            return None
        found = self._find_county_key(key)
        if found is None and (simple := simplified(key)) is not None:  # written in traditional characters: 景寧縣
            found = self._find_county_key(normalize_name(simple))
        return found

    def _find_county_key(self, key: str) -> County | None:
        if key in self._county_keys:
            return self.counties[self._county_keys[key]]
        # strip a city prefix: 丽水市莲都区, 丽水莲都
        for city, prefix in self._city_prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                code = self._county_keys.get(key[len(prefix) :])
                if code and self.counties[code].city_code == city.code:
                    return self.counties[code]
        return None

    @cached_property
    def _city_prefixes(self) -> list[tuple[City, str]]:
        """(city, folded name) for each city's full and short name: the prefixes a county's
        name may carry (丽水市莲都区, 丽水莲都), folded once rather than on every lookup."""
        return [(c, normalize_name(n)) for c in self.cities.values() for n in (c.name, c.short_name)]

    def suggest(self, name, n: int = 3) -> list[str]:
        key = normalize_name(name)
        key = normalize_name(simplified(key) or key)
        candidates = [k for k in self._county_keys if not k.isdigit()]
        close = difflib.get_close_matches(key, candidates, n=n * 3, cutoff=0.5)
        # a city-prefixed misspelling: compare without the prefix too
        for _, prefix in self._city_prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                close += difflib.get_close_matches(key[len(prefix) :], candidates, n=n, cutoff=0.5)
        out: list[str] = []
        for k in close:
            full = self.counties[self._county_keys[k]].name
            if full not in out:
                out.append(full)
        return out[:n]

    def county(self, name, context: str = "") -> County:
        """The county that ``name`` denotes, also by a former name or code that became one of
        today's units (临安市 → 临安区; use :meth:`resolve` to get the note);
        :class:`~geo.errors.FormerUnitError` for a unit whose area is now in several
        (江干区), :class:`CountyNameError` with suggestions for anything else."""
        found, former = self.resolve(name)
        if found is not None:
            return found
        if former is not None:
            raise FormerUnitError(str(name), former.describe(), list(former.successor_names), context)
        raise CountyNameError(str(name), self.suggest(name), context)

    # -- former units (layers/divisions.csv), loaded on the first name that misses ----
    @cached_property
    def _former_index(self):
        from .divisions import former_units  # lazy: `shanhai counties` starts without it (~4 ms)

        units = former_units({c.code: c.name for c in self.counties.values()}, self.history)
        by_code, by_key = {}, {}
        for f in units:
            if f.code not in self.counties:
                by_code.setdefault(f.code, f)
            for v in _former_variants(f.name):
                key = normalize_name(v)
                # a former name never shadows a unit or city of today (县级丽水市 is only found so)
                if len(key) > 1 and key not in self._county_keys and key not in self._city_keys:
                    by_key.setdefault(key, f)
        return by_code, by_key

    def find_former(self, name):
        """The :class:`~geo.divisions.FormerUnit` that a former name or code denotes (临安市,
        330185, 杭州市江干区), or None. Today's names are never former ones."""
        return self._remembered("_found_former", self._find_former, name)

    def _find_former(self, name):
        raw = unicodedata.normalize("NFKC", str(name)).strip()
        if not raw:
            return None
        by_code, by_key = self._former_index
        if re.fullmatch(r"\d{6}(\.0+)?", raw):
            return by_code.get(raw[:6])
        key = normalize_name(raw)
        for k in dict.fromkeys((key, normalize_name(simplified(key) or key))):
            if k in by_key:
                return by_key[k]
            for city, prefix in self._city_prefixes:  # 杭州市江干区
                if k.startswith(prefix) and (f := by_key.get(k[len(prefix) :])) is not None:
                    if city.code in (f.code[:4], *(s[:4] for s in f.successors)):
                        return f
        return None

    def resolve(self, name):
        """``(county, former)``: today's unit that ``name`` denotes and, when it is a former name
        or code, the :class:`~geo.divisions.FormerUnit` (whose ``describe()`` is the note).
        ``(None, former)`` for a unit whose area is now in several units; ``(None, None)``
        for a name that is neither."""
        found = self.find_county(name)
        if found is not None:
            return found, None
        former = self.find_former(name)
        if former is not None and former.resolves_to is not None:
            return self.counties[former.resolves_to], former
        return None, former

    def find_city(self, name) -> City | None:
        key = normalize_name(name)
        if re.fullmatch(r"\d{4}(00)?", key):
            return self.cities.get(key[:4])
        code = self._city_keys.get(key)
        if code is None and (simple := simplified(key)) is not None:
            code = self._city_keys.get(normalize_name(simple))
        return self.cities.get(code) if code else None

    def edition(self, edition_id=None) -> Edition:
        eid = DEFAULT_EDITION if edition_id in (None, "") else str(edition_id).strip()
        if eid not in self.editions:
            raise GeoError(say("registry.unknown_edition", eid=eid, ids=say("list.enum").join(sorted(self.editions))))
        return self.editions[eid]

    def find_edition(self, name) -> Edition | None:
        key = normalize_name(name)
        for e in self.editions.values():
            if key in (normalize_name(e.id), normalize_name(e.title)):
                return e
        return None

    @property
    def mountain_codes(self) -> set[str]:
        """Codes that are in at least one edition."""
        return {c for e in self.editions.values() for c in e.members}


@lru_cache(maxsize=1)
def get_registry() -> Registry:
    """The registry built from the embedded layers (read once per process).

    It holds Zhejiang's 90 county-level units, their cities and the editions of the
    mountain-county list, and resolves any name form (景宁, 景宁畲族自治县, 331127,
    Jingning, a former name such as 临安市) without loading pandas.

    Returns
    -------
    Registry

    Examples
    --------
    >>> import geo
    >>> geo.get_registry().county("景宁").code
    '331127'
    """
    return Registry()
