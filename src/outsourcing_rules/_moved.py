"""The module paths of release 0.1, kept working for one release with a warning.

Release 0.2 grouped the modules into layers (``core``, ``loading``,
``engines``, ``explain``, ``planning``, ``quality``, ``render``). A program
that imports an old path, say ``outsourcing_rules.checking``, gets the module
now behind it and a :class:`DeprecationWarning` naming the new place. One
finder on :data:`sys.meta_path` does this for every old path, so no stub
module is left lying at the top of the package.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings
from collections.abc import Sequence

#: Old module path (under ``outsourcing_rules.``) -> the module that replaced it.
MOVED: dict[str, str] = {
    "facts": "core.facts",
    "vocabulary": "core.vocabulary",
    "conditions": "core.conditions",
    "rules": "core.rules",
    "yamlio": "loading.yamlio",
    "builder": "loading.builder",
    "whynot": "explain.why",
    "whatif": "explain.search",
    "counterfactuals": "explain.counterfactuals",
    "handoff": "explain.handoff",
    "inventory": "planning.inventory",
    "satisfiability": "quality.satisfiability",
    "checking": "quality.checking",
    "rule_coverage": "quality.coverage",
    "impact": "quality.impact",
    "scenarios": "quality.scenarios",
    "pytest_plugin": "quality.pytest_plugin",
    "reports": "render.text",
    "detail": "render.detail",
    "report_markdown": "render.markdown",
    "report_html": "render.html",
}

_PREFIX = "outsourcing_rules."


class _MovedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers an import of an old path with the new module, and warns."""

    def __init__(self) -> None:
        #: The spec of each new module handed out, by its name, to put back after the import.
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.startswith(_PREFIX) and fullname[len(_PREFIX) :] in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        new = _PREFIX + MOVED[spec.name[len(_PREFIX) :]]
        warnings.warn(
            f"{spec.name} has moved to {new}; the old path goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(new)
        self._specs[new] = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the module was imported under its new name.

        The import system has just set the module's ``__spec__`` to the old
        path's; it is put back, or the module's relative imports would be
        resolved against the old place (Python 3.12 and newer warn that
        ``__package__ != __spec__.parent``).
        """
        module.__spec__ = self._specs.get(module.__name__, module.__spec__)


def install() -> None:
    """Put the finder on :data:`sys.meta_path` (once)."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
