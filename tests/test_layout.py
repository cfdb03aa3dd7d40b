"""The package's layout, as docs/explanation/architecture.md states it: layers, and module size.

A module imports only from its own layer or the layers below it, at import
time and inside functions alike; imports made only for type checking
(``if TYPE_CHECKING:``) are left out, since they never run. No module is
over 500 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import outsourcing_rules

PACKAGE = Path(outsourcing_rules.__file__).parent

#: Each top-level module or folder, by layer, lowest first (the architecture page's table).
LAYERS: dict[str, int] = {
    "errors": 0,
    "core": 1,
    "loading": 2,
    "engines": 3,
    "explain": 4,
    "decisions": 5,
    "economics": 5,
    "planning": 6,
    "testing": 6,
    "frames": 7,
    "quality": 8,
    "render": 9,
    "cli": 10,
}

MAX_LINES = 500


def modules() -> list[Path]:
    """Every Python module of the installed package."""
    return sorted(PACKAGE.rglob("*.py"))


def imports(text: str, parts: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """Yield (line, module) for each relative import of a module's *text* that runs.

    *parts* is the module's place in the package (``("core", "rules")``); the
    module yielded is the dotted path inside the package (``core.rules``).
    """
    package = list(parts[:-1])
    for node in _running(ast.parse(text)):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[: len(package) - (node.level - 1)]
        if node.module:
            yield node.lineno, ".".join([*base, node.module])
        else:
            for alias in node.names:
                yield node.lineno, ".".join([*base, alias.name])


def _running(node: ast.AST) -> Iterator[ast.AST]:
    """Yield *node* and every node under it, but not what ``if TYPE_CHECKING:`` guards."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield from _running(other)
            continue
        yield from _running(child)


def place(path: Path) -> tuple[str, ...]:
    """Return the module's place in the package: ``core/rules.py`` is ``("core", "rules")``."""
    return path.relative_to(PACKAGE).with_suffix("").parts


def upward(text: str, parts: tuple[str, ...]) -> list[str]:
    """Name each import of the module at *parts* that reaches a layer above its own."""
    own = parts[0]
    if own not in LAYERS:  # the facade, the old-path finder: they may import anything
        return []
    found = []
    for line, module in imports(text, parts):
        other = module.split(".")[0]
        if other in LAYERS and LAYERS[other] > LAYERS[own]:
            found.append(f"{'/'.join(parts)}.py:{line} imports {module}")
    return found


def test_every_top_level_part_has_a_layer() -> None:
    """A new module or folder must be placed in a layer (here and on the architecture page)."""
    names = {
        p.relative_to(PACKAGE).with_suffix("").parts[0]
        for p in modules()
        if p.parent != PACKAGE or p.stem not in ("__init__", "_moved")
    }
    assert names == set(LAYERS)


def test_the_import_reader_sees_imports() -> None:
    """The reader is not blind: decisions imports the engines, and explain inside a method."""
    path = PACKAGE / "decisions.py"
    found = {module for _, module in imports(path.read_text(encoding="utf-8"), place(path))}
    assert "engines" in found
    assert "explain.why" in found
    assert "explain.counterfactuals" in found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_from_its_layer_or_below(path: Path) -> None:
    """Layers, top down: cli, render, quality, frames, planning and testing, decisions, ..."""
    assert upward(path.read_text(encoding="utf-8"), place(path)) == []


def test_an_upward_import_would_be_seen() -> None:
    """A core module importing the engines fails, even inside a function; for typing alone not."""
    text = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ..decisions import Decision\n"
        "def f():\n"
        "    from ..engines import get_engine\n"
        "    from . import rules\n"
        "    return get_engine, rules\n"
    )
    assert upward(text, ("core", "probe")) == ["core/probe.py:5 imports engines"]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path: Path) -> None:
    """Split a module by idea before it passes 500 lines."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines"
