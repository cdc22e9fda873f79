"""The shape of the code: one-way imports, private names kept at home, rooms of one idea,
and commands that load only what they use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parent.parent / "geo"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(GEO.rglob("*.py")):
        parts = list(path.relative_to(GEO.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) of every import in ``module``, lazy ones included."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for m in MODULES:
        for target, names, _ in _imports(m):
            # `from . import sibling` inside a package needs the sibling, not the package's
            # __init__ (already running or run: a module's package is imported before it)
            inside = m.startswith(f"{target}.") and names and all(f"{target}.{n}" in MODULES for n in names)
            if target in MODULES and target != m and not inside:
                graph[m].add(target)
            for n in names:  # `from . import x` names a module
                if f"{target}.{n}" in MODULES:
                    graph[m].add(f"{target}.{n}")
    return graph


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(1000, 10 * len(graph)))
    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    """Every import between geo's modules, lazy ones included, runs one way."""
    graph = _graph()
    # a subpackage's __init__ re-exports its modules; a module of the package importing the
    # package itself would close a circle through it, and is reported like any other
    assert _cycles(graph) == []


def test_the_circles_of_the_old_layout_are_gone():
    graph = _graph()
    # no module imports the command line (only `python -m geo` starts it)
    users = {m for m in MODULES if any(t.startswith("geo.commands") for t in graph[m])}
    assert {m for m in users if not m.startswith("geo.commands")} == {"geo.__main__"}
    products = [m for m in MODULES if m.startswith("geo.products.")]
    for m in products:
        siblings = {t for t in graph[m] if t.startswith("geo.products.")}
        assert not any(m in graph[s] for s in siblings), m


def test_no_private_names_across_modules():
    """A name that starts with _ is used only in its own module (ruff's PLC2701 does not look
    inside one package, so this test does)."""
    found = []
    for m in MODULES:
        for target, names, line in _imports(m):
            if not target.startswith("geo"):
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    found.append(f"{MODULES[m].relative_to(GEO.parent)}:{line} imports {n} from {target}")
    assert found == []


def test_rooms_hold_one_idea():
    big = {str(p.relative_to(GEO.parent)): n for p in MODULES.values() if (n := len(p.read_text().splitlines())) > 600}
    assert big == {}


def test_every_module_has_a_docstring_and_imports():
    for m, path in MODULES.items():
        if m == "geo.__main__":
            continue
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), m
        importlib.import_module(m)


@pytest.mark.parametrize(
    "args, absent",
    [
        (["counties"], ("pandas", "geopandas", "matplotlib", "folium")),
        (["profile", "景宁", "-o", "{tmp}/jn.png"], ("folium", "branca", "jinja2")),
        (["map", "overview", "-o", "{tmp}/o.png", "--dpi", "60"], ("folium", "branca")),  # draft dpi, same imports
    ],
)
def test_commands_load_only_what_they_use(args, absent, tmp_path):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['shanhai', *{[a.format(tmp=tmp_path) for a in args]!r}]\n"
        "from geo.commands import main\n"
        "rc = main()\n"
        f"bad = [m for m in {absent!r} if m in sys.modules]\n"
        "print(rc, bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "0 []", r.stdout + r.stderr


def test_folium_internals_are_touched_in_the_adapter_alone():
    """Private folium/branca names appear in geo/html/elements.py only, and the adapter's
    versions are the ones pyproject allows and the ones installed."""
    import re
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    from geo.html.elements import WRITTEN_FOR

    private = re.compile(r"\._(template|children|parent|name|generate_id|template_str)\b|\b_generate_id\b")
    found = [
        f"{path.relative_to(GEO.parent)}:{n}"
        for path in GEO.rglob("*.py")
        if path.name != "elements.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line.split("#")[0])
    ]
    assert found == []
    deps = tomllib.loads((GEO.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = {r.name: str(r.specifier) for r in map(Requirement, deps) if r.name in WRITTEN_FOR}
    assert {k: sorted(v.split(",")) for k, v in pinned.items()} == {
        k: sorted(v.split(",")) for k, v in WRITTEN_FOR.items()
    }
    for name, spec in WRITTEN_FOR.items():
        assert Requirement(f"{name}{spec}").specifier.contains(version(name)), (name, version(name), spec)


def test_the_words_catalog_is_at_the_ground_floor():
    """geo.catalog (the TOML reader) imports nothing of the atlas, geo.errors only the catalog,
    geo.words only the catalog and the errors, geo.naming nothing but the words; the data modules that speak read them from the top and reach up to no theme or
    renderer."""
    for m, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            ("." * n.level) + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level
        }
        if m == "geo.catalog":
            assert imported == set(), imported
        if m == "geo.errors":
            assert imported == {".catalog"}, imported
        if m.startswith("geo.words"):
            assert imported <= {"..errors", "..catalog"}, (m, imported)
        if m == "geo.naming":
            assert imported == {".words"}, imported
        if m in ("geo.sources", "geo.trends", "geo.census", "geo.county", "geo.history", "geo.naming"):
            up = {i for i in imported if i.lstrip(".").split(".")[0] in ("themes", "static", "html", "products")}
            assert up == set(), (m, up)
            inner = [n for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for n in ast.walk(f)
                     if isinstance(n, ast.ImportFrom) and n.module == "words"]  # fmt: skip
            assert inner == [], m


#: the atlas's own modules imported inside a function outside the commands, each marked
#: ``# lazy: <why>`` on its line (162 before imports moved up; 205 with the commands' 43)
LAZY_OWN_IMPORTS = 4


def _imports_in_functions(path: Path):
    """(import node, its first line) of every import inside a function of ``path``, once each."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    seen = {}
    for f in ast.walk(ast.parse(source)):
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for n in ast.walk(f):
                if isinstance(n, (ast.Import, ast.ImportFrom)):
                    seen[n.lineno] = (n, lines[n.lineno - 1])
    return [seen[k] for k in sorted(seen)]


def test_modules_import_at_the_top():
    """Imports sit at the top of a module. Inside a function: in the commands, the renderers,
    products and data modules a command runs (building the parser loads none; one ``# lazy:``
    comment says so for the module); elsewhere, a heavy third-party library (pandas IO engines,
    matplotlib, folium, docx, pptx …) or an own module kept off a light path or out of a
    cycle, each marked ``# lazy: <why>``. The standard library is always at the top."""
    own, unmarked, std = [], [], []
    for m, path in MODULES.items():
        where = path.relative_to(GEO.parent)
        found = _imports_in_functions(path)
        for n, line in found:
            marked = "# lazy: " in line
            if isinstance(n, ast.ImportFrom) and n.level:
                if m.startswith("geo.commands"):
                    continue
                own.append(f"{where}:{n.lineno}")
                if not marked:
                    unmarked.append(f"{where}:{n.lineno}")
            else:
                roots = [n.module] if isinstance(n, ast.ImportFrom) else [a.name for a in n.names]
                if any(r.split(".")[0] in sys.stdlib_module_names for r in roots) and not marked:
                    std.append(f"{where}:{n.lineno}")
        if m.startswith("geo.commands") and any(isinstance(n, ast.ImportFrom) and n.level for n, _ in found):
            assert "# lazy: " in path.read_text(encoding="utf-8"), f"{where}: say why its commands import inside"
    assert unmarked == []
    assert std == []
    assert len(own) <= LAZY_OWN_IMPORTS, own
