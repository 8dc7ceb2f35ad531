"""The import graph: every package's parts depend on each other one way only, and the
application (`inventory`) never imports the public map (`webmap`) built on it.

Every module of both packages is read with `ast` (nothing is imported), and every import
counts, at module level or inside a function alike: a function-level import that dodges
a cycle at start-up is still a cycle in the design. For each package, its direct children
(a sub-package stands for its whole subtree, a plain module for itself) form a graph with
an edge A -> B when any module under A imports any module under B; every such graph must
be acyclic.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
ROOTS = ("inventory", "webmap")


@dataclass(frozen=True)
class Import:
    """`importer` imports `imported` (both module names) at `line` of the importer."""

    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (line {self.line})"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for root in ROOTS
        for path in sorted((PROJECT / root).rglob("*.py"))
        if ".venv" not in path.parts
    }


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` names, or the innermost known module above it (`a.b.func` is
    in `a.b`); None for a module outside the project."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else None


def _imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[Import] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, `level - 1` packages up
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from a import b` imports the module a.b when there is one, else a name of a.
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        for name in names:
            target = _known(name, modules)
            if target is not None and target != module:
                found.add(Import(module, target, node.lineno))
    return sorted(found, key=str)


def _all_imports() -> list[Import]:
    modules = _modules()
    return [found for name, path in modules.items() for found in _imports_of(name, path, modules)]


def _sibling_edge(found: Import) -> tuple[str, str, str] | None:
    """(package, child of it holding the importer, child holding the imported module),
    or None when one module lies inside the other's package (a package and its parts)."""
    importer, imported = found.importer.split("."), found.imported.split(".")
    common = 0
    while common < min(len(importer), len(imported)) and importer[common] == imported[common]:
        common += 1
    if common in (len(importer), len(imported)):
        return None
    return ".".join(importer[:common]), importer[common], imported[common]


def sibling_graphs() -> dict[str, dict[str, dict[str, list[Import]]]]:
    """package -> child -> child it imports -> the imports that make that edge.

    The package of `inventory` and `webmap` themselves is "" (the project)."""
    graphs: dict[str, dict[str, dict[str, list[Import]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for found in _all_imports():
        edge = _sibling_edge(found)
        if edge is not None:
            package, source, target = edge
            graphs[package][source][target].append(found)
    return graphs


def cycles(graph: dict[str, dict[str, list[Import]]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _describe(package: str, graph: dict[str, dict[str, list[Import]]], cycle: list[str]) -> str:
    lines = [f"cycle among the parts of {package or 'the project'}: {', '.join(cycle)}"]
    for source in cycle:
        for target, imports in sorted(graph.get(source, {}).items()):
            if target in cycle:
                lines += [f"    {found}" for found in sorted(imports, key=str)]
    return "\n".join(lines)


GRAPHS = sibling_graphs()


def test_the_application_never_imports_the_public_map():
    offending = [
        str(found)
        for found in _all_imports()
        if found.imported.split(".")[0] == "webmap" and found.importer.split(".")[0] == "inventory"
    ]
    assert not offending, "inventory imports webmap:\n" + "\n".join(offending)


@pytest.mark.parametrize("package", sorted(GRAPHS), ids=lambda package: package or "<project>")
def test_the_parts_of_a_package_depend_on_each_other_one_way(package):
    graph = GRAPHS[package]
    problems = [_describe(package, graph, cycle) for cycle in cycles(graph)]
    assert not problems, "\n".join(problems)


def test_the_checker_sees_imports_in_functions_and_relative_imports(tmp_path):
    """The checker itself: a function-level import and a relative one are edges."""
    modules = {"pkg": tmp_path / "pkg/__init__.py", "pkg.a": tmp_path / "pkg/a.py"}
    modules["pkg.b"] = tmp_path / "pkg/b.py"
    (tmp_path / "pkg").mkdir()
    modules["pkg.a"].write_text("def f():\n    from pkg.b import g\n")
    modules["pkg.b"].write_text("from . import a\n")
    edges = {
        (found.importer, found.imported)
        for name in ("pkg.a", "pkg.b")
        for found in _imports_of(name, modules[name], modules)
    }
    assert edges == {("pkg.a", "pkg.b"), ("pkg.b", "pkg.a")}
    graph = {"a": {"b": []}, "b": {"a": []}, "c": {"a": []}}
    assert cycles(graph) == [["a", "b"]]
