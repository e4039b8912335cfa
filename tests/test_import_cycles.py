"""No import cycle inside the package, imports inside functions included: a module that needs
another lower down must not be needed by it (DESIGN.md, "Layers": arrows only point down).

Imports under ``if TYPE_CHECKING:`` are left out: they are never run, and they are how a
module names the type of the object that calls it (an installer's ``window: MainWindow``)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journeymapper"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of the import nodes under ``if TYPE_CHECKING:``."""
    return {id(n) for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for branch in node.body for n in ast.walk(branch)}


def imports_of(path: Path, modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The package's modules ``path`` imports anywhere in its code (module level, inside
    functions or classes): ``from a import b`` names module a.b when there is one, else a."""
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in found if m in modules and m != me}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    paths = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imports_of(p, modules, root) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(import_graph()) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "journeymapper"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("from .base import thing\n")
    (pkg / "low" / "base.py").write_text("def thing():\n    from journeymapper import high\n")
    (pkg / "high.py").write_text("from journeymapper.low import thing\n")
    (pkg / "other.py").write_text("from typing import TYPE_CHECKING\n"
                                  "from journeymapper import low\n"
                                  "if TYPE_CHECKING:\n    from journeymapper.high import x\n")
    graph = import_graph(pkg)
    assert graph["journeymapper.low"] == {"journeymapper.low.base"}
    assert graph["journeymapper.high"] == {"journeymapper.low"}
    assert graph["journeymapper.other"] == {"journeymapper.low"}
    assert cycles(graph) == [["journeymapper.high", "journeymapper.low",
                              "journeymapper.low.base"]]
    (pkg / "low" / "base.py").write_text("def thing():\n    pass\n")
    assert cycles(import_graph(pkg)) == []
