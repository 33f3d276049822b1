"""The package's shape, checked from its source: layers that only point down, no import cycle,
a CLI that reaches the library only through the command layer, and modules of a readable size.

Every import counts, including those inside functions (a lazy import is still a dependency), except
those under ``if TYPE_CHECKING:``, which only name types for annotations.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lca"
# low to high; a module may import from its own layer and the layers before it
LAYERS = (
    ("lca", "lca.errors", "lca.paths", "lca.rules", "lca.distributions", "lca.xlsx", "lca.choices"),
    ("lca.inventory",),
    ("lca.brightway",),
    ("lca.subjects",),
    ("lca.analysis",),
    ("lca.ledger",),
    ("lca.exchange",),
    ("lca.output",),
    ("lca.report",),
    ("lca.runs",),
    ("lca.cli", "lca.__main__"),
)
CLI_MAY_IMPORT = ("lca", "lca.runs", "lca.output", "lca.errors", "lca.choices", "lca.cli")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module an imported name lives in: 'lca.subjects.routes.select_pair' -> 'lca.subjects.routes'."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and ast.unparse(block.test).endswith("TYPE_CHECKING") for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {_resolve(a.name) for a in node.names if a.name.split(".")[0] == "lca"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            if base.split(".")[0] != "lca":
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(_resolve(target) if _resolve(target) in MODULES and target in MODULES else _resolve(base))
    found.discard(module)
    return found


def layer_of(module: str) -> int:
    for index, members in enumerate(LAYERS):
        if any(module == m or (m != "lca" and module.startswith(m + ".")) for m in members):
            return index
    raise AssertionError(f"module {module} is in no layer: add it to LAYERS in {__file__}")


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_no_import_points_up():
    upward = [f"{m} (layer {layer_of(m)}) imports {i} (layer {layer_of(i)})"
              for m in MODULES for i in sorted(imports_of(m)) if layer_of(i) > layer_of(m)]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    graph = {m: imports_of(m) - {"lca"} for m in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_cli_reaches_the_library_only_through_the_command_layer():
    allowed = set(CLI_MAY_IMPORT)
    bad = [f"{m} imports {i}" for m in MODULES if m.startswith("lca.cli") for i in sorted(imports_of(m))
           if not (i in allowed or i.startswith(("lca.cli.", "lca.output.", "lca.runs.")))]
    assert not bad, "\n".join(bad)


def test_click_only_in_the_cli():
    users = [m for m, path in MODULES.items() if not m.startswith("lca.cli")
             and any(isinstance(n, ast.Import | ast.ImportFrom) and "click" in ast.unparse(n).split()[1].split(".")[0]
                     for n in ast.walk(ast.parse(path.read_text())))]
    assert not users


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_of_a_readable_size(module):
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines (at most {MAX_LINES}): split it by concern"


def test_the_checker_sees_a_planted_upward_import(tmp_path, monkeypatch):
    """The graph walk is not vacuous: an import from a higher layer is found."""
    fake = tmp_path / "lca" / "inventory"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("def f():\n    from lca.analysis.calculate import compare\n")
    monkeypatch.setitem(MODULES, "lca.inventory.bad", fake / "bad.py")
    assert "lca.analysis.calculate" in imports_of("lca.inventory.bad")
    assert layer_of("lca.analysis.calculate") > layer_of("lca.inventory.bad")


def test_every_subpackage_is_packaged():
    """A subpackage missing from setup.cfg's `packages` works in a checkout and fails once installed."""
    import configparser

    config = configparser.ConfigParser()
    config.read(PACKAGE.parent / "setup.cfg")
    listed = {name.strip() for name in config["options"]["packages"].replace("\n", ",").split(",") if name.strip()}
    packages = {m for m, path in MODULES.items() if path.name == "__init__.py"}
    assert packages <= listed, f"add to setup.cfg packages: {', '.join(sorted(packages - listed))}"
