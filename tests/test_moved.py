"""The module paths of release 0.1 still import, with a warning naming the new place."""

from __future__ import annotations

import importlib
import sys

import pytest

from outsourcing_rules._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_path_warns_and_gives_the_new_module(old: str) -> None:
    """Importing ``outsourcing_rules.<old>`` warns once and returns the module that replaced it."""
    name = f"outsourcing_rules.{old}"
    sys.modules.pop(name, None)
    message = f"{name} has moved to outsourcing_rules.{MOVED[old]}"
    with pytest.warns(DeprecationWarning, match=message):
        module = importlib.import_module(name)
    assert module is importlib.import_module(f"outsourcing_rules.{MOVED[old]}")


def test_names_the_docs_showed_under_old_paths_still_resolve() -> None:
    """``from outsourcing_rules.checking import check_ruleset`` keeps working for one release."""
    sys.modules.pop("outsourcing_rules.checking", None)
    with pytest.warns(DeprecationWarning, match="has moved to outsourcing_rules.quality"):
        from outsourcing_rules.checking import check_ruleset  # type: ignore[import-not-found]
    from outsourcing_rules.quality import check_ruleset as current

    assert check_ruleset is current


def test_new_paths_do_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    """The public sub-packages import without any warning."""
    for name in ("explain", "planning", "quality", "render", "testing", "cli"):
        importlib.import_module(f"outsourcing_rules.{name}")
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]
