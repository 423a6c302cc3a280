"""The package's shape (issue 8): layers whose imports only point down, no import cycles, one name per domain.

Reads the source with ``ast`` (nothing is imported), so it is fast and sees lazy imports inside functions too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PKG = "fyrbodal_analysis"

#: what each layer may import besides itself; the package root (the ``fa.*`` facade) may import anything and
#: nothing in the package may import it
ALLOWED = {
    "core": set(),
    "raw": {"core"},
    "clean": {"core", "raw"},
    "report": {"core", "raw", "clean"},
    "demo": {"core", "raw", "clean"},
    "publish": {"core", "raw", "clean", "report", "demo"},
}

#: one name per domain: notebooks/NN_<domain>.ipynb, clean/<domain>.py, report/<domain>.py
DOMAINS = {"demography", "dimios", "infosec", "broadband", "costs", "surveys", "capabilities", "pilots", "method"}
#: parts without data of their own: a notebook and a report module, nothing in clean/
REPORT_ONLY = {"summary", "appendices"}
#: modules that are not a domain
#: (move.py writes these two lines from its map)
CLEAN_SHARED = {"declarations", "facts", "fetch", "pipeline", "processed", "stats"}
REPORT_SHARED = {"diagrams", "disclosure", "edition", "figures", "itemcache", "items", "parts", "style", "svgcanvas"}
#: domains the demo generator makes data for: demo/synth.py has a function <domain> or <domain>_<what>
DEMO_DOMAINS = {"demography", "dimios", "infosec", "broadband", "costs", "surveys", "capabilities"}

#: import cycles through lazy (in-function) imports inside one layer that are known and not yet untangled (none
#: left); a new cycle, or one that grows, fails
KNOWN_CYCLES: list[set[str]] = []


def modules() -> dict[str, Path]:
    """'core.errors' -> path; '' is the package root."""
    out = {}
    for p in sorted((SRC / PKG).rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        parts = list(p.relative_to(SRC / PKG).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _type_checking(node) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def imports_of(mod: str, path: Path, known: set[str]) -> list[tuple[str, int, bool, bool]]:
    """(imported module relative to the package, line, at import time?, only for type checking?)."""
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []

    def visit(node, top: bool, tc: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False, tc)
            elif isinstance(child, ast.If) and _type_checking(child):
                for n in child.body:
                    visit(ast.Module(body=[n], type_ignores=[]), top, True)
                for n in child.orelse:
                    visit(ast.Module(body=[n], type_ignores=[]), top, tc)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = [p for p in package.split(".") if p]
                    base = base[: len(base) - (child.level - 1)] if child.level > 1 else base
                    source = ".".join(base + ([child.module] if child.module else []))
                elif child.module == PKG or (child.module or "").startswith(PKG + "."):
                    source = child.module[len(PKG) + 1:]
                else:
                    continue
                for a in child.names:
                    sub = f"{source}.{a.name}" if source else a.name
                    out.append((sub if sub in known else source, child.lineno, top, tc))
            elif isinstance(child, ast.Import):
                for a in child.names:
                    if a.name == PKG or a.name.startswith(PKG + "."):
                        out.append((a.name[len(PKG) + 1:], child.lineno, top, tc))
            else:
                visit(child, top, tc)

    visit(ast.parse(path.read_text()), True, False)
    return out


def graph(runtime_only: bool = True, top_only: bool = False) -> dict[str, set[str]]:
    mods = modules()
    g = {}
    for m, p in mods.items():
        g[m] = {t for t, _, top, tc in imports_of(m, p, set(mods)) if t != m and not (runtime_only and tc)
                and not (top_only and not top)}
    return g


def cycles(g: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in g:
                continue
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(g):
        if v not in index:
            connect(v)
    return out


def layer(mod: str) -> str:
    return mod.split(".")[0]


# ----------------------------------------------------------------------------- layers

def test_every_module_is_in_a_layer():
    stray = [m for m in modules() if m and layer(m) not in ALLOWED]
    assert not stray, f"modules outside the layers {sorted(ALLOWED)}: {stray}"


def test_imports_only_point_down():
    mods = modules()
    bad = []
    for m, p in mods.items():
        if not m:
            continue  # the facade
        for target, line, _, _ in imports_of(m, p, set(mods)):
            where = f"src/{p.relative_to(SRC)}:{line}"
            if target == "":
                bad.append(f"{where}: {m} imports the package root (the facade); import the module it re-exports")
            elif layer(target) != layer(m) and layer(target) not in ALLOWED[layer(m)]:
                bad.append(f"{where}: {m} ({layer(m)}) imports {target} ({layer(target)}), a layer above or beside it")
    assert not bad, "imports that do not point down:\n" + "\n".join(bad)


def test_no_import_cycle_at_import_time():
    found = cycles(graph(top_only=True))
    assert not found, f"import cycles at module level: {found}"


def test_no_new_import_cycle():
    known = [frozenset(c) for c in KNOWN_CYCLES]
    new = [sorted(c) for c in cycles(graph()) if frozenset(c) not in known]
    assert not new, f"import cycles (counting imports inside functions): {new}"


def test_the_import_walk_sees_upward_and_cyclic_imports(tmp_path, monkeypatch):
    """The checks above can fail: a fake package with an upward import and a cycle is caught."""
    pkg = tmp_path / PKG
    for f, text in {"__init__.py": "", "core/__init__.py": "", "core/a.py": "from ..report import b\n",
                    "report/__init__.py": "", "report/b.py": "def f():\n    from . import c\n",
                    "report/c.py": "from .b import f\n"}.items():
        (pkg / f).parent.mkdir(parents=True, exist_ok=True)
        (pkg / f).write_text(text)
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    with pytest.raises(AssertionError, match="core.a"):
        test_imports_only_point_down()
    with pytest.raises(AssertionError, match="report.b"):
        test_no_new_import_cycle()


# ----------------------------------------------------------------------------- one name per domain

def _layer_modules(name: str) -> set[str]:
    return {m.split(".")[1] for m in modules() if m.startswith(name + ".")}


def test_notebooks_are_named_by_domain():
    stems = {re.sub(r"^\d\d_", "", p.stem) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert stems == DOMAINS | REPORT_ONLY


def test_clean_has_one_module_per_domain():
    assert _layer_modules("clean") == DOMAINS | CLEAN_SHARED, "clean/ holds a module that is neither a domain nor listed in CLEAN_SHARED"


def test_report_has_one_module_per_domain():
    assert _layer_modules("report") == DOMAINS | REPORT_ONLY | REPORT_SHARED, \
        "report/ holds a module that is neither a domain nor listed in REPORT_SHARED"


def test_parts_registry_uses_the_notebook_names():
    """report.parts.PARTS: notebook stem NN_<domain> -> report.<domain>."""
    tree = ast.parse((SRC / PKG / "report" / "parts.py").read_text())
    parts = next(n.value for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "PARTS" for t in n.targets))
    pairs = {k.value: v.id for k, v in zip(parts.keys, parts.values)}
    assert {re.sub(r"^\d\d_", "", k) for k in pairs} == DOMAINS | REPORT_ONLY
    assert all(re.sub(r"^\d\d_", "", k) == v for k, v in pairs.items()), pairs
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert set(pairs) == notebooks


def test_demo_generator_is_named_by_domain():
    tree = ast.parse((SRC / PKG / "demo" / "synth.py").read_text())
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    missing = [d for d in sorted(DEMO_DOMAINS) if not any(f == d or f.startswith(d + "_") for f in functions)]
    assert not missing, f"demo/synth.py has no generator named after {missing}"
