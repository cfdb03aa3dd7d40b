"""A check that the API reference documents every public name.

The public API is what ``outsourcing_rules.__all__`` lists. After all pages
are read, each of those names must be a documented Python object
(``outsourcing_rules.NAME``, from an autodoc directive or ``py:data``), or
the build warns, naming what is missing, so a name exported without
documentation fails the ``-W`` build. The same holds for the public
sub-packages listed in :data:`SUBPACKAGES`.

Constants are documented where users import them
(``outsourcing_rules.testing.DEFAULT_TAGS``), but their ``#:`` comments sit
in the module that defines them, where autodoc's source analysis does not
look; :func:`reexported_constant_docs` fetches them from there, instead of
showing the docstring of ``tuple`` or ``dict``.
"""

from __future__ import annotations

import importlib
import types
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Public modules whose ``__all__`` the reference must cover: every module with an
#: ``__all__`` (tests/test_public_api.py checks that this list and the docs agree).
SUBPACKAGES = (
    "outsourcing_rules",
    "outsourcing_rules.cli",
    "outsourcing_rules.explain",
    "outsourcing_rules.frames",
    "outsourcing_rules.planning",
    "outsourcing_rules.quality",
    "outsourcing_rules.render",
    "outsourcing_rules.testing",
)


def public_names(module_name: str) -> list[str] | None:
    """Return the fully qualified public names of *module_name*, or ``None`` if it is absent.

    A module that exists but fails to import is reported as a warning (the
    reference could not be checked against it), not as a crash of the build.
    """
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        if isinstance(exc, ModuleNotFoundError) and exc.name == module_name:
            return None  # not written yet: nothing to check
        logger.warning("cannot import %s to check its documentation: %s", module_name, exc)
        return None
    return [f"{module_name}.{name}" for name in getattr(module, "__all__", ())]


def _check(_app: Sphinx, env: BuildEnvironment) -> None:
    documented = set(env.get_domain("py").objects)  # type: ignore[attr-defined]
    if not any(name.startswith("outsourcing_rules.") for name in documented):
        return  # the API pages are not part of this build
    for module_name in SUBPACKAGES:
        for name in public_names(module_name) or ():
            if name not in documented:
                logger.warning(
                    "%s is public (in %s.__all__) but not documented in the API reference",
                    name,
                    module_name,
                )


def reexported_constant_docs(
    _app: Sphinx, what: str, name: str, obj: Any, _options: Any, lines: list[str]
) -> None:
    """Give a re-exported constant the ``#:`` comment written where it is defined."""
    if what != "data" or not name.startswith("outsourcing_rules.") or "." not in name:
        return
    module_name, attribute = name.rsplit(".", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return
    for sub in vars(module).values():
        if not isinstance(sub, types.ModuleType) or getattr(sub, attribute, None) is not obj:
            continue
        if not sub.__name__.startswith(module_name + "."):
            continue
        found = ModuleAnalyzer.for_module(sub.__name__).find_attr_docs().get(("", attribute))
        if found:
            lines[:] = list(found)
            return


def setup(app: Sphinx) -> None:
    """Register the check and the docstring fix."""
    app.connect("env-check-consistency", _check)
    app.connect("autodoc-process-docstring", reexported_constant_docs)
