"""The package's layers: core ← render ← {plugin, packs} ← cli, commands and mkdocs_plugin.

Each subpackage is imported, module by module, in a fresh interpreter; what it pulls in must
come from the layers below it. And no module imports, even from inside a function, one that
imports it back."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "generator"
LAYERS = {
    "core": {"core"},
    "render": {"core", "render"},
    "plugin": {"core", "render", "plugin"},
    "packs": {"core", "render", "packs"},
}
# Libraries a layer must not load: the core is pure, and MkDocs stays out of render and packs.
FORBIDDEN = {
    "core": {"mkdocs", "jinja2", "markupsafe", "weasyprint", "material"},
    "render": {"mkdocs", "weasyprint", "material"},
    "plugin": {"weasyprint"},
    "packs": {"mkdocs", "material"},
}


def _modules(layer: str) -> list[str]:
    folder = PACKAGE / layer
    return sorted(
        "generator." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in folder.rglob("*.py")
        if p.name != "__init__.py"
    )


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layer_imports_only_the_layers_below_it(layer: str) -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {_modules(layer)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    ours = {m.split(".")[1] for m in loaded if m.startswith("generator.")}
    assert ours <= LAYERS[layer], f"{layer} loads {sorted(ours - LAYERS[layer])}"
    libraries = {m.split(".")[0] for m in loaded}
    assert not libraries & FORBIDDEN[layer], f"{layer} loads {libraries & FORBIDDEN[layer]}"


def _imports(path: Path) -> set[str]:
    """Modules of the package that `path` imports anywhere in its code."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = list(rel if path.name == "__init__.py" else rel[:-1])
    package = [p for p in package if p != "__init__"]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.startswith("generator.") and _exists(m)}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycle() -> None:
    graph = {_name(p): _imports(p) - {_name(p)} for p in PACKAGE.rglob("*.py")}
    # A package's __init__ is imported with each of its modules; it imports none of them here.
    for name, deps in graph.items():
        for dep in deps:
            assert name not in _reachable(graph, dep), f"cycle: {name} -> {dep} -> … -> {name}"


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for dep in graph.get(todo.pop(), set()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_every_module_sits_in_a_layer() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "commands.py", "mkdocs_plugin.py"]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(
        LAYERS
    )
