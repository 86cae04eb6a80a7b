"""The layout the README promises: no import cycles, layers that know only what they should."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "storage", "bench")
MODULE_LINES_MAX = 320  # "a few hundred lines at most": a module past this is split


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules imported at module level (imports inside functions are deferred)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports do not run
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # `from pkg import mod` depends on mod; `from pkg import name` on pkg itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return result


def _package_imports(graph: dict[str, set[str]], importer: str) -> set[str]:
    return {
        target
        for name, targets in graph.items()
        if name == importer or name.startswith(importer + ".")
        for target in targets
    }


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_storage_knows_nothing_of_slack_or_word():
    imported = _package_imports(_graph(), "storage")
    assert not {m for m in imported if m.startswith("bot")}


def test_the_app_never_imports_the_emulator_or_the_demo():
    graph = _graph()
    app = {
        name
        for name in graph
        if name.startswith("bot")
        and not name.startswith(("bot.emulator", "bot.demo"))
        and name != "bot.cli"  # the command line offers `rapporteur demo`, imported on use
    }
    leaks = {
        (name, target)
        for name in app
        for target in graph[name]
        if target.startswith(("bot.emulator", "bot.demo"))
    }
    assert leaks == set()


def test_modules_stay_small():
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in _modules().items()
    }
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES_MAX} == {}


def test_the_readme_leads_to_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(
        str(path.relative_to(ROOT))
        for name, path in _modules().items()
        if path.name != "__init__.py"
        and not name.startswith("bench")
        and f"({path.relative_to(ROOT)})" not in readme
    )
    assert missing == []
