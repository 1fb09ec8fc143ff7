"""The helpers package is a house in layers: every import runs down, never up, and no two modules import each other.

core < data < stats < book < chapters < pipeline < cli. A module may import
its own layer and those below it; `synthetic` (the data generator) stands
beside the house and may use core and data only. Imports inside functions
count as much as those at the top: a lazy import still ties the layers. The
modules are read, not run (ast), so a broken module fails here too.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "src" / "helpers"
LAYERS = ("core", "data", "stats", "book", "chapters", "pipeline", "cli")
#: Beside the house: a layer and the layers it may import.
BESIDE = {"synthetic": {"core", "data"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(HELPERS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    """The layer of a helpers module; None for the package itself and what is not helpers."""
    parts = module.split(".")
    if parts[0] != "helpers" or len(parts) < 2:
        return None
    return "cli" if parts[1] == "__main__" else parts[1]


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) of every helpers import in `path`, top level and inside functions."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from helpers.core import dutch` imports the module helpers.core.dutch (named first: the more precise)
            found += [(f"{origin}.{alias.name}", node.lineno) for alias in node.names
                      if _source(f"{origin}.{alias.name}") is not None]
            found.append((origin, node.lineno))
    return [(name, line) for name, line in found if name == "helpers" or name.startswith("helpers.")]


def _source(module: str) -> Path | None:
    base = HELPERS.parent.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(HELPERS.rglob("*.py"))}


def _allowed(source: str, target: str) -> bool:
    if source in BESIDE:
        return target == source or target in BESIDE[source]
    if target in BESIDE or source not in LAYERS or target not in LAYERS:
        return False
    return LAYERS.index(target) <= LAYERS.index(source)


def upward_imports(modules: dict[str, Path]) -> list[str]:
    """One line per import that runs up a layer (or out of the house): file, line, the two layers."""
    problems, seen = [], set()
    for module, path in modules.items():
        source = _layer(module)
        for target_module, line in _imports(path):
            target = _layer(target_module)
            if source is None or target is None or _allowed(source, target) or (path, line, target) in seen:
                continue
            seen.add((path, line, target))
            problems.append(f"{path.relative_to(HELPERS.parent)}:{line}: {source} imports {target} "
                            f"({target_module}); {source} may import only "
                            f"{', '.join(sorted(BESIDE[source])) if source in BESIDE else 'layers below it'}")
    return problems


def cycles(modules: dict[str, Path]) -> list[list[str]]:
    """Each group of modules that import each other (directly or round a loop), as a loop of names."""
    graph = {module: sorted({target for target, _ in _imports(path)
                             if target in modules and target != module and not module.startswith(f"{target}.")})
             for module, path in modules.items()}
    # Tarjan's strongly connected components, iteratively (no recursion limit on a long chain).
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def _describe_cycle(component: list[str], modules: dict[str, Path]) -> str:
    edges = [f"{modules[a].relative_to(HELPERS.parent)}:{line}: {_layer(a)} {a} imports {_layer(b)} {b}"
             for a in component for b, line in _imports(modules[a]) if b in component and b != a]
    return "; ".join(edges)


def test_every_module_is_in_a_layer():
    outside = {module for module in _modules() if _layer(module) not in (*LAYERS, *BESIDE, None)}
    assert not outside, f"modules outside the layers {LAYERS} and {tuple(BESIDE)}: {sorted(outside)}"


def test_no_import_runs_up_a_layer():
    problems = upward_imports(_modules())
    assert not problems, "imports that run up a layer:\n" + "\n".join(problems)


def test_no_two_modules_import_each_other():
    modules = _modules()
    loops = cycles(modules)
    assert not loops, "modules that import each other:\n" + "\n".join(_describe_cycle(c, modules) for c in loops)


def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / "helpers" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {_module_name(path): path for path in sorted((root / "helpers").rglob("*.py"))}


@pytest.fixture
def house(tmp_path, monkeypatch):
    """A small helpers package of its own, so the checks are seen to catch what they are for."""
    monkeypatch.setattr(sys.modules[__name__], "HELPERS", tmp_path / "helpers")
    return lambda files: _write(tmp_path, files)


def test_an_upward_import_inside_a_function_is_named_with_file_line_and_layers(house):
    modules = house({
        "__init__.py": "",
        "core/__init__.py": "",
        "core/dutch.py": "x = 1\n",
        "stats/__init__.py": "",
        "stats/scales.py": "from helpers.core import dutch\n\n\ndef rule():\n    from ..book import dutch\n",
        "book/__init__.py": "",
        "book/dutch.py": "",
        "synthetic/__init__.py": "",
        "synthetic/generate.py": "from helpers.stats import scales\n",
    })
    problems = upward_imports(modules)
    assert len(problems) == 2
    assert problems[0].startswith("helpers/stats/scales.py:5: stats imports book (helpers.book.dutch)")
    assert problems[1].startswith("helpers/synthetic/generate.py:1: synthetic imports stats")


def test_a_lazy_cycle_is_a_cycle(house):
    modules = house({
        "__init__.py": "",
        "data/__init__.py": "",
        "data/derive.py": "from helpers.data import waves\n",
        "data/waves.py": "def f():\n    from helpers.data.derive import LABELS\n",
        "data/codebook.py": "",
    })
    assert cycles(modules) == [["helpers.data.derive", "helpers.data.waves"]]
    assert "helpers/data/waves.py:2: data helpers.data.waves imports data helpers.data.derive" in \
        _describe_cycle(cycles(modules)[0], modules)
