"""The package's layout is its architecture, and stays so: computed from the source with ast.

Each entry of `ls atlas/` (a sub-package, or the top-level modules pipeline.py and make_site.py)
is a unit with a layer. A unit imports only units of lower layers, never a sibling of its own
layer nor anything above; every import counts, deferred ones inside functions and type-only
ones alike. The stages never import atlas/fast/ (the speed-ups and the check cache): the
driver (atlas/pipeline.py) is handed a provider by the commands. And the longest chain of
imports from build.py crosses at most MAX_LEVELS units, build.py counted
(docs/architecture.md draws them), and the longest chain of module imports from it is at most
MAX_MODULE_LEVELS imports long. Last, the architecture documents (docs/architecture.md, the
README's layout table, the package map) name only modules and functions that exist.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "atlas"
# Lowest first; units on one line are siblings, which never import each other.
LAYERS = (
    ("core",),  # the data the stages pass on, problems, text, vocabulary, paths, settings
    ("load",),  # stage 1
    ("validate",),  # stage 2
    ("resolve",),  # stage 3
    ("pipeline",),  # the driver of stages 1-3, given a provider
    ("fast",),  # the fast provider: caches, workers, compiled schemas
    ("analysis",),  # what the pages show
    ("render", "export"),  # stage 4 and 4b
    ("publish", "data"),  # stage 5; or the resolved dataset handed to a data user's script (atlas/data.py)
    ("make_site",),  # build: check -> render -> exports -> publish
    ("preview", "tools"),  # serve's incremental builds; fmt, new-source and diff's tools
    ("cli",),  # one module per command
)
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}
# Only the commands import the speed-ups: they hand the driver, make_site, the preview and the
# tools their provider; every stage, the driver and the renderer may not import them.
MAY_IMPORT_FAST = {"cli"}
MAX_LEVELS = 7
# The longest chain of module imports from build.py (level 0), every import counted as for the
# units (issue 13).
MAX_MODULE_LEVELS = 7


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The atlas modules a module imports, anywhere in it."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def _unit(module: str) -> str | None:
    """The entry of `ls atlas/` a module belongs to (None for the package's own __init__)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        unit = _unit(name)
        if unit is not None:
            graph.setdefault(unit, set()).update(u for u in map(_unit, _imports(name, path)) if u not in (None, unit))
    return graph


GRAPH = unit_graph()


def test_every_unit_has_a_layer():
    assert sorted(GRAPH) == sorted(RANK)


@pytest.mark.parametrize("unit", sorted(RANK))
def test_no_unit_imports_a_higher_or_sibling_one(unit: str):
    upward = sorted(other for other in GRAPH.get(unit, ()) if RANK[other] >= RANK[unit])
    assert upward == [], f"{unit} imports {upward}"


def test_only_the_commands_import_the_speed_ups():
    importers = sorted(unit for unit, imported in GRAPH.items() if "fast" in imported)
    assert set(importers) <= MAY_IMPORT_FAST, importers


def test_the_longest_import_chain_from_build_py():
    entry = {_unit(module) for module in _imports_of_build_py()}
    chain = ["build.py"] + _longest(frozenset(entry))
    assert len(chain) <= MAX_LEVELS, " -> ".join(chain)


def test_the_longest_module_import_chain_from_build_py():
    """build.py at level 0 and the deepest module it reaches at MAX_MODULE_LEVELS at most,
    counting every import of an atlas module as _imports finds it; a module importing its own
    package (the package's re-export) is not a level."""
    chain = ["build.py"] + max((_longest_modules(module) for module in _imports_of_build_py()), key=len)
    assert len(chain) - 1 <= MAX_MODULE_LEVELS, f"{len(chain) - 1} levels: " + " -> ".join(chain)


@functools.lru_cache(maxsize=None)
def _longest_modules(name: str) -> list[str]:
    below = [m for m in _imports(name, MODULES[name]) if not name.startswith(m + ".")]
    return [name] + max((_longest_modules(m) for m in sorted(below)), key=len, default=[])


def _imports_of_build_py() -> set[str]:
    """The atlas modules build.py imports: `from atlas.cli import check` is atlas.cli.check."""
    return _imports("build", REPO / "build.py")


def _longest(units: frozenset[str]) -> list[str]:
    return max(([unit] + _longest_from(unit) for unit in units), key=len, default=[])


@functools.lru_cache(maxsize=None)
def _longest_from(unit: str) -> list[str]:
    return _longest(frozenset(GRAPH.get(unit, ())))


def test_no_module_imports_itself_through_others():
    """No import cycle between modules (deferred imports included). A module importing its own
    package is the package's re-export, not a cycle."""
    graph = {name: sorted(m for m in _imports(name, path) if not name.startswith(m + ".")) for name, path in MODULES.items()}
    cycles, state = [], {}
    for name in sorted(graph):
        _walk(graph, name, [], state, cycles)
    assert cycles == [], " | ".join(" -> ".join(c) for c in cycles)


def _walk(graph: dict[str, list[str]], name: str, path: list[str], state: dict[str, str], cycles: list) -> None:
    """Depth first; an import of a module still on the path closes a cycle."""
    if state.get(name) == "done":
        return
    if name in path:
        cycles.append(path[path.index(name):] + [name])
        return
    for other in graph[name]:
        _walk(graph, other, path + [name], state, cycles)
    state[name] = "done"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_opens_with_its_contract(name: str):
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and len(docstring.split()) >= 8, f"{name} has no docstring that states its contract"


DOCUMENTS = (REPO / "docs" / "architecture.md", REPO / "README.md", PACKAGE / "__init__.py")


def _references() -> list[tuple[str, str]]:
    """(document, reference) for every module, folder or function of the atlas the documents name
    in backquotes or in the package map: `core/model.py`, `fast/files.py: documents`,
    `pipeline.check(...)`, `resolve/`."""
    import re

    found = []
    for document in DOCUMENTS:
        text = document.read_text("utf-8")
        spans = re.findall(r"`([^`\n]+)`", text) if document.suffix == ".md" else re.findall(r"^\s+(\S+)", text, re.M)
        found += [(document.name, span) for span in spans]
    return found


def _target(reference: str):
    """(file or folder, attribute path) a reference names, or None when it names no part of the atlas."""
    import re

    reference = reference.split("(")[0].removeprefix("atlas/")
    path, _, attribute = reference.partition(": ")
    if path.startswith(("site/", ".build/", ".cache/")):  # what a build writes, not the code
        return None
    if re.fullmatch(r"[a-z_]+(/[a-z_]+)*(\.py|/)", path):
        return path, attribute
    dotted = re.fullmatch(r"([a-z_]+(?:/[a-z_]+)*)\.([a-z_][A-Za-z_]*)", path)
    if dotted and (PACKAGE / f"{dotted[1]}.py").is_file() or dotted and (PACKAGE / dotted[1]).is_dir():
        module = f"{dotted[1]}.py" if (PACKAGE / f"{dotted[1]}.py").is_file() else f"{dotted[1]}/"
        return module, dotted[2]
    return None


REFERENCES = [(document, reference) for document, reference in _references() if _target(reference)]


def test_the_documents_name_the_atlas_somewhere():
    assert len(REFERENCES) > 60


@pytest.mark.parametrize("document, reference", REFERENCES)
def test_what_the_architecture_documents_name_exists(document: str, reference: str):
    """docs/architecture.md, the README's layout table and the package map name real modules and functions."""
    path, attribute = _target(reference)
    where = next((base / path for base in (PACKAGE, REPO) if (base / path).exists()), None)
    assert where is not None, f"{document}: {reference}: no {path}"
    if attribute:
        source = where / "__init__.py" if where.is_dir() else where
        defined = {node.name for node in ast.walk(ast.parse(source.read_text("utf-8")))
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        defined |= {target.id for node in ast.parse(source.read_text("utf-8")).body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
        assert attribute in defined, f"{document}: {reference}: {path} defines no {attribute}"
