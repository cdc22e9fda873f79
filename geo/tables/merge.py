"""A user's layer on top of the built-in one (``--merge``), and what a file that replaces a
layer leaves out.

With ``--merge`` the file's rows are added to the embedded layer; a row with the same key
(pairings: the mountain county and the partner; status: scope, unit, designation and
batch; coverage: document, clause, scope and target; enclaves: the beneficiary, the host
and the enclave's name) replaces the built-in one, and a note
says which. A county the file pairs loses the built-in row that said it had no sourced
partner. Without ``--merge`` a file replaces the layer: :func:`left_out` says which counties
of the edition it leaves without a row, and points to ``--merge``.
"""

from __future__ import annotations

import pandas as pd

from ..catalog import say
from ..errors import Problem, param
from ..read import LayerResult

#: the columns that identify a row of each layer
KEYS = {
    "pairings": ["mountain_code", "_partner"],
    "status": ["scope", "code", "designation", "batch"],
    "coverage": ["document", "clause", "scope", "target"],
    "enclaves": ["beneficiary_code", "_host", "name"],
}
#: what the layer's rows are called in a note (the key of the word in the catalog: tables.label.…)
WHAT = {"pairings": "pairing", "status": "designation", "coverage": "coverage_row", "enclaves": "enclave"}


def _keyed(kind: str, table: pd.DataFrame) -> pd.DataFrame:
    if kind == "pairings":  # a functional zone has no code: its name is its key
        return table.assign(_partner=table["partner_code"].where(table["partner_code"] != "", table["partner"]))
    if kind == "enclaves":  # so is a host that is a functional zone
        return table.assign(_host=table["host_code"].where(table["host_code"] != "", table["host"]))
    return table


def _label(kind: str, row) -> str:
    if kind == "pairings":
        return f"{row['mountain_county']} — {row['partner'] or say('tables.merge.no_partner_label')}"
    if kind == "status":
        return f"{row['name']} · {row['designation']}"
    if kind == "enclaves":
        return f"{row['beneficiary']} · {row['name']} ({row['host']})"
    return f"{row['document']} §{row['clause']} · {row.get('target_name') or row['target']}"


def merge_layers(kind: str, built_in: LayerResult, user: LayerResult) -> LayerResult:
    """``user``'s rows added to ``built_in``'s; a row with the same key replaces the built-in
    one. The result's problems are the user file's, with one note of what was added and
    replaced (and the built-in rows replaced, each named)."""
    b, u = _keyed(kind, built_in.table), _keyed(kind, user.table)
    keys = KEYS[kind]
    user_keys = set(map(tuple, u[keys].astype(str).to_numpy())) if len(u) else set()
    replaced = b[[tuple(k) in user_keys for k in b[keys].astype(str).to_numpy()]] if len(b) else b.iloc[:0]
    keep = b.drop(index=replaced.index)
    problems = list(user.problems)
    if kind == "pairings":  # a county the file pairs is no longer one with no sourced partner
        paired = set(u.loc[u["partner"] != "", "mountain_code"])
        gaps = keep[(keep["partner"] == "") & keep["mountain_code"].isin(paired)]
        for _, g in gaps.iterrows():
            problems.append(Problem("info", user.source, g["mountain_county"], say("tables.merge.gap_dropped")))
        keep = keep.drop(index=gaps.index)
    what = say(f"tables.label.{WHAT[kind]}")
    for _, r in replaced.iterrows():
        problems.append(Problem("info", user.source, _label(kind, r), say("tables.merge.replaced", what=what)))
    keep, u = keep.copy(), u.copy()
    keep.attrs, u.attrs = {}, {}  # coverage's documents and clauses ride in attrs: merged below, not compared
    table = pd.concat([keep, u], ignore_index=True).drop(columns=["_partner", "_host"], errors="ignore")
    table.attrs.update(built_in.table.attrs)
    if kind == "coverage":  # documents and clauses: the built-in ones and the file's new ones
        for part, on in (("documents", ["document"]), ("clauses", ["document", "clause"])):
            both = pd.concat([built_in.table.attrs[part], user.table.attrs[part]], ignore_index=True)
            table.attrs[part] = both.drop_duplicates(on, keep="first", ignore_index=True)
    added = len(u) - len(replaced)
    summary = say("tables.merge.summary", param=param("merge", True), added=added, what=what, builtin=len(b),
                  replaced=len(replaced))  # fmt: skip
    problems.append(Problem("info", user.source, say("read.where_file"), summary))
    return LayerResult(table, problems, user.source, {**built_in.sources, **user.sources})


def left_out(kind: str, result: LayerResult, registry, edition: str | None) -> list[Problem]:
    """A warning when a file that replaces a layer leaves counties of the edition without
    any row (a planner who meant to add one row, and lost the rest)."""
    if kind not in ("pairings", "status") or not len(result.table):
        return []
    ed = registry.edition(edition)
    t = result.table
    if kind == "pairings":
        held = set(t["mountain_code"])
    else:
        held = set(t.loc[t["scope"] == "county", "code"])
        cities = set(t.loc[t["scope"] == "city", "code"])
        held |= {c for c in ed.members if registry.counties[c].city_code in cities}
    missing = [registry.counties[c].name for c in ed.members if c not in held]
    if not missing:
        return []
    shown = say("list.enum").join(missing[:8])
    if len(missing) > 8:
        shown = say("tables.merge.names_more", names=shown, more=len(missing) - 8)
    layer = say(f"tables.layer.{kind}")
    return [
        Problem(
            "warning",
            result.source,
            say("read.where_file"),
            say(
                "tables.merge.left_out.what",
                layer=layer,
                n=len(missing),
                total=len(ed.members),
                edition=ed.id,
                shown=shown,
            ),
            say("tables.merge.left_out.fix", param=param("merge", True), layer=layer),
        )
    ]
