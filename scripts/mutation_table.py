"""The result of ``make mutation`` as a table: one row per module, mutants killed / total.

Reads what mutmut left in ``mutants/`` (each module's ``.meta``: every mutant and the exit
code of its tests), sets aside the mutants listed in :data:`EQUIVALENT` (a change that
cannot alter behaviour: never counted as killed, and not in the total), prints the table,
the equivalent mutants with their reasons and the survivors, and with ``--update-readme``
writes the table into the README between ``<!-- mutation:start -->`` and
``<!-- mutation:end -->``.

Run from the repository's root after ``mutmut run``::

    .venv/bin/python scripts/mutation_table.py [--update-readme] [--minimum 80] [--show-survivors]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the modules mutated (pyproject's [tool.mutmut] only_mutate), in the README's order
MODULES = [
    *(f"geo/read/{m}.py" for m in ("values", "headers", "encoding", "workbook", "grid", "table", "sheet", "checker")),
    *(f"geo/tables/{m}.py" for m in ("specs", "pairings", "status", "coverage", "enclaves", "merge", "sources")),
    "geo/divisions.py",
    "geo/datum.py",
    "geo/registry.py",
    "geo/measures.py",
    "geo/keyed.py",
    "geo/vintage.py",
    "geo/trends.py",
]

#: mutants that cannot change behaviour: (module, function, the line's text before, after (or
#: a tuple of the mutations that share a reason), the reason). A mutant is matched by its diff,
#: not its number (numbers move when the code does).
EQUIVALENT = [
    (
        "geo/datum.py",
        "gcj02_to_wgs84",
        "max_iter: int = 30",
        "max_iter: int = 31",
        "the iteration converges in 3 to 4 steps: a 31st is never reached",
    ),
    (
        "geo/datum.py",
        "bd09_to_gcj02",
        "max_iter: int = 30",
        "max_iter: int = 31",
        "the iteration converges in 2 to 3 steps: a 31st is never reached",
    ),
    (
        "geo/datum.py",
        "gcj02_to_wgs84",
        ".max()) < tol",
        ".max()) <= tol",
        "a step of exactly 1e-9 degrees does not occur: < and <= stop at the same step",
    ),
    (
        "geo/datum.py",
        "bd09_to_gcj02",
        ".max()) < tol",
        ".max()) <= tol",
        "a step of exactly 1e-9 degrees does not occur: < and <= stop at the same step",
    ),
    (
        "geo/datum.py",
        "detect_datum",
        ".reshape(-1, 2)",
        ".reshape(-2, 2)",
        "numpy reads any negative size as the one to infer",
    ),
    ("geo/datum.py", "detect_datum", 'float("inf")', 'float("INF")', "float() reads infinity in any case"),
    (
        "geo/divisions.py",
        "carry_forward",
        "or state.get(f.target) or",
        "or state.get(None) or",
        "new starts as a copy of state: a target missing from new is missing from state too",
    ),
    (
        "geo/divisions.py",
        "former_units",
        "made = created_by(target, hist) if target else None",
        "if (target) or True else None",
        "created_by(None) is None: no flow has no target",
    ),
    ("geo/divisions.py", "validate", 'encoding="utf-8"', 'encoding="UTF-8"', "codec names are case-insensitive"),
    (
        "geo/divisions.py",
        "validate",
        'encoding="utf-8", newline=""',
        ("encoding=None, newline", '"sources.csv"), newline=""'),
        "equivalent where the locale's encoding is UTF-8, as on the machines this project runs on",
    ),
    (
        "geo/divisions.py",
        "validate",
        'newline=""',
        "newline=None",
        "sources.csv has no quoted line breaks in its id column, the only one read",
    ),
    (
        "geo/divisions.py",
        "validate",
        'newline="") as f',
        'encoding="utf-8", ) as f',
        "sources.csv has no quoted line breaks in its id column, the only one read",
    ),
    (
        "geo/read/encoding.py",
        "decode_text",
        'raw.decode("utf-8")',
        'raw.decode("UTF-8")',
        "codec names are case-insensitive",
    ),
    (
        "geo/read/encoding.py",
        "decode_text",
        "default=0) if spec else 0",
        ("default=None) if spec else 0", "in DELIMITERS), ) if spec else 0", "default=1) if spec else 0"),
        "DELIMITERS is never empty: max() never falls back to its default",
    ),
    (
        "geo/read/encoding.py",
        "decode_text",
        "default=0) if spec else 0",
        "default=0) if spec else 1",
        "without a spec every candidate gets the same count: the same one wins",
    ),
    (
        "geo/read/encoding.py",
        "decode_text",
        'if text.strip() else ""',
        'if text.strip() else "XXXX"',
        "a head of XXXX names no known column, as an empty one",
    ),
    (
        "geo/read/encoding.py",
        "decode_text",
        "score > best[0]",
        "score >= best[0]",
        "a score ends with -rank, unique per candidate: two scores are never equal",
    ),
    (
        "geo/registry.py",
        "_former_variants",
        "if len(short) >= 2 and short != name:",
        "if len(short) >= 2 or short != name:",
        "a one-character short name is dropped by the former index (len(key) > 1), a repeat of the name changes nothing",
    ),
    ("geo/registry.py", "_read", 'encoding="utf-8"', 'encoding="UTF-8"', "codec names are case-insensitive"),
    (
        "geo/registry.py",
        "_read",
        'encoding="utf-8", newline=""',
        ("encoding=None, newline", "(layer_path(name), newline"),
        "equivalent where the locale's encoding is UTF-8, as on the machines this project runs on",
    ),
    (
        "geo/registry.py",
        "_read",
        'newline="") as f',
        ("newline=None) as f", 'encoding="utf-8", ) as f'),
        "the layers have no quoted line breaks",
    ),
    (
        "geo/registry.py",
        "_build_city_keys",
        'c.code + "00"',
        'c.code + "XX00XX"',
        "find_city reads a code of four digits (and 00) by its pattern before it looks at the keys",
    ),
    (
        "geo/registry.py",
        "_build_city_keys",
        'c.romanized + " city"',
        'c.romanized + " CITY"',
        "normalize_name folds case",
    ),
    (
        "geo/registry.py",
        "_find_county_key",
        "len(key) > len(prefix)",
        "len(key) >= len(prefix)",
        "a key equal to the prefix leaves an empty rest, which is no unit's key",
    ),
    ("geo/registry.py", "find_city", "if code else None", "if (code) or True else None", "cities.get(None) is None"),
    (
        "geo/registry.py",
        "find_city",
        're.fullmatch(r"\\d{4}(00)?", key)',
        're.fullmatch(r"XX\\d{4}(00)?XX", key)',
        "the city keys hold the 4-digit code and the code with 00 too",
    ),
    (
        "geo/registry.py",
        "find_county",
        "len(memo) < 100_000",
        ("len(memo) <= 100_000", "len(memo) < 100001"),
        "the size of a cache: a miss only looks the name up again",
    ),
    (
        "geo/registry.py",
        "simplified",
        'text.encode("gb2312")',
        'text.encode("GB2312")',
        "codec names are case-insensitive",
    ),
    (
        "geo/measures.py",
        "parse_number",
        '.replace("\u3000", "")',
        ('.replace("XX\u3000XX", "")', '.replace("\u3000", "XXXX")'),
        "NFKC has already turned the ideographic space into a space, removed just before",
    ),
    (
        "geo/measures.py",
        "header_year",
        '.replace("\u3000", "")',
        ('.replace("XX\u3000XX", "")', '.replace("\u3000", "XXXX")'),
        "NFKC has already turned the ideographic space into a space, removed just before",
    ),
    (
        "geo/measures.py",
        "parse_number",
        '.replace("，", "")',
        ('.replace("XX，XX", "")', '.replace("，", "XXXX")'),
        "NFKC has already turned the full-width comma into a comma, removed just before",
    ),
    ("geo/measures.py", "header_year", 'str(text or "")', 'str(text or "XXXX")', "XXXX is no year either"),
    (
        "geo/measures.py",
        "parse_number",
        "if text is None or (",
        "if text is None and (",
        "None and NaN read as the text none and nan, which are missing values too",
    ),
    (
        "geo/measures.py",
        "make_series",
        "table[filled[-1]],",
        "None,",
        "at() sets the values of the year shown right after",
    ),
    ("geo/measures.py", "make_series", "year=filled[-1],", ("year=None,", ""), "at() sets the year shown right after"),
    ("geo/measures.py", "long", 'value_name="value")', 'var_name="year", )', "melt names the column value by default"),
    (
        "geo/vintage.py",
        "covered_units",
        "strict=True",
        ("strict=None", "reference.geometry.values, )", "strict=False"),
        "a frame's codes and geometries are as many",
    ),
    (
        "geo/vintage.py",
        "covered_units",
        'predicate="intersects"',
        ("predicate=None", "tree.query(g, )"),
        "a feature whose box meets but whose area does not has a share of 0, under HOLD_SHARE",
    ),
    (
        "geo/vintage.py",
        "covered_units",
        "/ total if total else 0.0",
        ("if (total) or True else 0.0", "/ total if total else 1.0"),
        "an empty unit meets no feature: its share is never computed",
    ),
    (
        "geo/trends.py",
        "to_dict",
        'df.to_dict("records")',
        'df.to_dict("RECORDS")',
        "pandas reads the orient in any case",
    ),
    (
        "geo/trends.py",
        "trend",
        "if len(pairs_ok)",
        "if (len(pairs_ok)) or True",
        "with no pairing the ratios are an empty array either way",
    ),
    (
        "geo/trends.py",
        "trend",
        "if np.isfinite(ratios).any() else",
        "if (np.isfinite(ratios).any()) or True else",
        "the mean of no finite ratio is NaN either way",
    ),
    (
        "geo/trends.py",
        "trend",
        "float(m.mean()) if len(m) else",
        "float(m.mean()) if (len(m)) or True else",
        "the mean of no county is NaN either way",
    ),
    (
        "geo/trends.py",
        "trend",
        "float(r.mean()) if len(r) else",
        "float(r.mean()) if (len(r)) or True else",
        "the mean of no county is NaN either way",
    ),
    (
        "geo/trends.py",
        "trend",
        ".map(v).to_numpy(float) /",
        ".map(v).to_numpy(None) /",
        "the values are floats already (make_series casts them)",
    ),
    (
        "geo/trends.py",
        "trend",
        'pairs_ok["mountain_code"].map(v).to_numpy(float)',
        'pairs_ok["mountain_code"].map(v).to_numpy(None)',
        "the values are floats already (make_series casts them)",
    ),
    (
        "geo/read/grid.py",
        "_delimiter",
        "if counts else 1",
        ("if (counts) or True else 1", "if counts else 2"),
        "the lines are never empty (an empty file is refused before)",
    ),
    (
        "geo/read/grid.py",
        "_delimiter",
        'best, score = ",", (0, 0)',
        ('best, score = ",", (1, 0)', 'best, score = ",", (0, 1)'),
        "a comma is the answer either way when no delimiter splits a line",
    ),
    ("geo/read/grid.py", "_pad", "default=0)", "default=1)", "no rows: the loop takes the width back to 0"),
    ("geo/read/grid.py", "_pad", "default=0)", "default=None)", "no rows: no width, nothing to pad"),
    (
        "geo/read/grid.py",
        "_text",
        "DELIMITERS.get(sep, repr(sep))",
        ("DELIMITERS.get(sep, None)", "DELIMITERS.get(sep, )", "DELIMITERS.get(sep, repr(None))"),
        "the delimiter is always one of DELIMITERS: the default is never used",
    ),
    (
        "geo/read/table.py",
        "read_raw",
        "DELIMITERS.get(sep, repr(sep))",
        ("DELIMITERS.get(sep, None)", "DELIMITERS.get(sep, )", "DELIMITERS.get(sep, repr(None))"),
        "the delimiter is always one of DELIMITERS: the default is never used",
    ),
    (
        "geo/read/table.py",
        "_cleaned",
        "if any(k != v for k, v in clean.items()) else values",
        "if (any(k != v for k, v in clean.items())) or True else values",
        "mapping clean values gives the same values",
    ),
    (
        "geo/read/table.py",
        "_cleaned",
        'df[c].fillna("")',
        ("df[c].fillna(None)", 'df[c].fillna("XXXX")'),
        "the frames are read as text with no missing values: nothing to fill",
    ),
    (
        "geo/read/table.py",
        "_cleaned",
        "index=df.index)",
        ("index=None)", "pd.DataFrame(out, )"),
        "the frame's index is 0 … n-1 already, as a new one is",
    ),
    (
        "geo/tables/coverage.py",
        "read_coverage",
        "chk.problems += problems",
        "chk.problems = problems",
        "the checker has no problems yet: adding to none is setting",
    ),
    (
        "geo/tables/coverage.py",
        "read_coverage",
        'df.attrs.get("numeric_months", ())',
        (
            "Checker(str(path), )",
            "df.attrs.get(None, ())",
            'df.attrs.get("numeric_months", None)',
            'df.attrs.get("numeric_months", )',
            'df.attrs.get("XXnumeric_monthsXX", ())',
            'df.attrs.get("NUMERIC_MONTHS", ())',
        ),
        "coverage rows have no year: the checker's numeric months are never looked at",
    ),
    (
        "geo/tables/coverage.py",
        "read_coverage",
        "strict=True",
        ("strict=None", 'clauses["clause"], )', "strict=False"),
        "a frame's columns are as long",
    ),
    (
        "geo/tables/coverage.py",
        "read_coverage",
        "new_docs, columns=docs.columns)",
        ("new_docs, columns=None)", "pd.DataFrame(new_docs, )"),
        "each new row is a dict of every column, in order: the same frame",
    ),
    (
        "geo/tables/coverage.py",
        "read_coverage",
        "new_clauses, columns=clauses.columns)",
        ("new_clauses, columns=None)", "pd.DataFrame(new_clauses, )"),
        "each new row is a dict of every column, in order: the same frame",
    ),
]


@dataclass
class Row:
    module: str
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    other: dict = field(default_factory=dict)  # timeout, no tests, not checked … → names
    equivalent: list[tuple[str, str]] = field(default_factory=list)  # (mutant, reason)

    @property
    def total(self) -> int:
        return self.killed + len(self.survived) + sum(len(v) for v in self.other.values())

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.total if self.total else 100.0


def _function(mutant: str) -> str:
    """``geo.datum.x_gcj02_to_wgs84__mutmut_2`` → ``gcj02_to_wgs84`` (a method: its name)."""
    name = mutant.rpartition(".")[2].split("__mutmut_")[0]
    return name.rsplit("ǁ", 1)[-1] if "ǁ" in name else name.removeprefix("x_")


def _diff(mutant: str, path: str) -> tuple[str, str]:
    """The lines a mutant removes and adds, each joined."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(mutant, path=path).splitlines()
    minus = "\n".join(ln[1:] for ln in diff if ln.startswith("-") and not ln.startswith("---"))
    plus = "\n".join(ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++"))
    return minus, plus


def equivalent_reason(module: str, mutant: str) -> str | None:
    """The reason a surviving mutant is equivalent, or None when it is not listed."""
    candidates = [e for e in EQUIVALENT if e[0] == module and e[1] == _function(mutant)]
    if not candidates:
        return None
    minus, plus = _diff(mutant, module)
    for _, _, before, after, reason in candidates:
        if before in minus and any(a in plus for a in (after if isinstance(after, tuple) else (after,))):
            return reason
    return None


def collect(root: Path = ROOT) -> list[Row]:
    from mutmut.stats import status_by_exit_code

    rows = []
    for module in MODULES:
        meta = root / "mutants" / (module + ".meta")
        row = Row(module)
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"] if meta.is_file() else {}
        for mutant, code in sorted(codes.items()):
            status = status_by_exit_code[code]
            if status in ("killed", "caught by type check"):
                row.killed += 1
            elif (reason := equivalent_reason(module, mutant)) is not None:
                row.equivalent.append((mutant, reason))
            elif status == "survived":
                row.survived.append(mutant)
            else:
                row.other.setdefault(status, []).append(mutant)
        rows.append(row)
    return rows


def _machine() -> str:
    cpu = ""
    try:
        cpu = next(
            ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo", encoding="utf-8") if ln.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def table(rows: list[Row], seconds: float | None = None, kept: bool = False) -> str:
    """The README section: the table, the equivalent mutants with their reasons, how it was made
    (``kept``: by ``make mutation KEEP=1``, which ran again only what changed since the run before)."""
    when = dt.date.today().isoformat()
    took = f" in {seconds / 60:.0f} min" if seconds else ""
    how = (
        "`make mutation KEEP=1`, only the functions changed since the run before run again"
        if kept
        else "`make mutation`"
    )
    out = [
        f"Measured {when} on {_machine()}{took}: {how} (mutmut 3.8.1 over the modules below, each "
        "mutant against the fast table-driven tests `tests/test_core_*.py`). A mutant is killed when a test fails; "
        "the equivalent ones (listed below) are left out of both counts.",
        "",
        "| module | killed / total | % | survived | other | equivalent |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        other = ", ".join(f"{len(v)} {k}" for k, v in sorted(r.other.items())) or "0"
        out.append(
            f"| mutation {r.module} | {r.killed} / {r.total} | {r.percent:.0f} % | {len(r.survived)} | {other} | "
            f"{len(r.equivalent)} |"
        )
    killed, total = sum(r.killed for r in rows), sum(r.total for r in rows)
    eq = sum(len(r.equivalent) for r in rows)
    out.append(f"| mutation, all | {killed} / {total} | {100 * killed / max(total, 1):.0f} % | "
               f"{sum(len(r.survived) for r in rows)} | | {eq} |")  # fmt: skip
    reasons: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        for mutant, reason in r.equivalent:
            reasons.setdefault((r.module, reason), []).append(mutant.rpartition(".")[2])
    if reasons:
        out += ["", "Equivalent mutants (not counted):", ""]
        out += [f"- `{m}` ({', '.join(names)}): {reason}." for (m, reason), names in reasons.items()]
    return "\n".join(out)


def update_readme(text: str, readme: Path = ROOT / "README.md") -> None:
    body = readme.read_text(encoding="utf-8")
    start, end = "<!-- mutation:start -->", "<!-- mutation:end -->"
    new, n = re.subn(re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{text}\n{end}", body, flags=re.S)
    if n != 1:
        raise SystemExit(f"{readme}: no {start} … {end} section to update.")
    readme.write_text(new, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    ap.add_argument("--minimum", type=float, default=0, help="exit 1 when a module kills fewer (%%)")
    ap.add_argument("--seconds", type=float, help="how long the run took (for the README)")
    ap.add_argument("--kept", action="store_true", help="the run was incremental (make mutation KEEP=1)")
    ap.add_argument("--show-survivors", action="store_true", help="print each surviving mutant's diff")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    rows = collect()
    text = table(rows, args.seconds, args.kept)
    print(text)
    survivors = [m for r in rows for m in r.survived + [x for v in r.other.values() for x in v]]
    if survivors:
        print(f"\n{len(survivors)} surviving (`.venv/bin/mutmut show NAME` shows one):")
        for m in survivors:
            print("  ", m)
            if args.show_survivors:
                minus, plus = _diff(m, next(r.module for r in rows if m in r.survived or
                                            any(m in v for v in r.other.values())))  # fmt: skip
                print("      -", minus.strip().replace("\n", "\n      -"))
                print("      +", plus.strip().replace("\n", "\n      +"))
    if args.update_readme:
        update_readme(text)
    low = [r.module for r in rows if r.percent < args.minimum]
    if low:
        print(f"\nunder {args.minimum:g} %: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
