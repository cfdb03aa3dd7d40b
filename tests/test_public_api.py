"""The public surface is exactly what the API reference documents, in both directions.

A module with ``__all__`` is public and its ``__all__`` is its surface; a module
without one is internal (docs/explanation/architecture.md). Every public name
must be documented in docs/reference/api.md under its module's path, and every
name documented there must be public: a new name without docs fails here, and
so do docs for a name that is gone.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "outsourcing_rules"
API = ROOT / "docs" / "reference" / "api.md"

#: ``.. autofunction:: outsourcing_rules.x.name`` and the other autodoc directives: the
#: full path, as written.
AUTODOC = re.compile(r"^\.\. auto(?:function|class|exception|data)::\s+([\w.]+)\s*$")
#: ``.. py:data:: name``: as Sphinx does, the name is taken inside the current module.
PY_OBJECT = re.compile(r"^\.\. py:(?:data|function|class|exception)::\s+([\w.]+)")
#: What sets the current module: ``automodule``, ``py:module``, ``py:currentmodule``.
CURRENT_MODULE = re.compile(r"^\.\. (?:automodule|py:module|py:currentmodule)::\s+(\S+)\s*$")
#: A whole module documented with ``:members:`` would hide which names it shows.
WHOLE_MODULE = re.compile(r"^\.\. automodule::\s+(\S+)\n((?:[ \t]+:.*\n)*)", re.MULTILINE)


def module_name(path: Path) -> str:
    """Return the dotted name of the module in *path*."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def declared_all(path: Path) -> list[str] | None:
    """Return the literal ``__all__`` of the module in *path*, or None where it has none."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list | tuple), f"{path}: __all__ is not a literal list"
            return [str(name) for name in value]
    return None


def public_surface() -> dict[str, set[str]]:
    """Return each public module (one with ``__all__``) and the names it lists."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        names = declared_all(path)
        if names is not None:
            assert len(names) == len(set(names)), f"{path}: a name twice in __all__"
            found[module_name(path)] = set(names)
    return found


def documented() -> dict[str, set[str]]:
    """Return each module the API reference documents names of, and those names."""
    found: dict[str, set[str]] = {}
    current: str | None = None
    for line in API.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if match := CURRENT_MODULE.match(line):
            current = None if match[1] == "None" else match[1]
            continue
        if match := AUTODOC.match(line):
            target = match[1]
        elif match := PY_OBJECT.match(line):
            target = f"{current}.{match[1]}" if current else match[1]
        else:
            continue
        module, _, name = target.rpartition(".")
        found.setdefault(module, set()).add(name)
    return found


SURFACE = public_surface()
DOCUMENTED = documented()


def test_the_public_modules_are_the_documented_ones() -> None:
    """Every public module has documented names, and the docs name no internal module."""
    assert set(DOCUMENTED) == set(SURFACE)


@pytest.mark.parametrize("module", sorted(SURFACE))
def test_every_public_name_is_documented(module: str) -> None:
    """A name in a public ``__all__`` without an entry in the API reference fails."""
    missing = SURFACE[module] - DOCUMENTED.get(module, set())
    assert not missing, f"public in {module} but not in docs/reference/api.md: {sorted(missing)}"


@pytest.mark.parametrize("module", sorted(DOCUMENTED))
def test_every_documented_name_is_public(module: str) -> None:
    """An entry in the API reference for a name no public ``__all__`` lists fails."""
    extra = DOCUMENTED[module] - SURFACE.get(module, set())
    assert not extra, f"in docs/reference/api.md but not public in {module}: {sorted(extra)}"


@pytest.mark.parametrize("module", sorted(SURFACE))
def test_every_public_name_exists(module: str) -> None:
    """Each name a public module lists resolves (lazy ones included) and matches ``__all__``."""
    imported = importlib.import_module(module)
    assert set(imported.__all__) == SURFACE[module]
    for name in imported.__all__:
        assert getattr(imported, name, None) is not None, f"{module}.{name}"


def test_no_whole_module_is_documented_by_members() -> None:
    """``automodule`` with ``:members:`` documents names unseen by this test: list each one."""
    for module, options in WHOLE_MODULE.findall(API.read_text(encoding="utf-8")):
        assert ":members:" not in options.split(), f"{module}: list its names one by one"


def test_the_reader_sees_what_the_reference_holds() -> None:
    """The parser above finds the entries it must: a failure here is a broken test, not docs."""
    assert {"decide", "Task", "__version__"} <= DOCUMENTED["outsourcing_rules"]
    assert "impact" in DOCUMENTED["outsourcing_rules.quality"]
    assert "decide_frame" in DOCUMENTED["outsourcing_rules.frames"]
    assert "outsourcing_rules.core.facts" not in SURFACE
    assert "outsourcing_rules.explain.search" not in SURFACE


def test_the_docs_build_checks_every_public_module() -> None:
    """The Sphinx check (docs/_ext, read as text: Sphinx is not a test dependency) covers each."""
    source = (ROOT / "docs" / "_ext" / "outsourcing_docs" / "api.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "SUBPACKAGES":
            assert set(ast.literal_eval(node.value)) == set(SURFACE)
            return
    pytest.fail("docs/_ext/outsourcing_docs/api.py has no SUBPACKAGES")
