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


#: Every name the 0.1 API reference showed under a module path that has since moved.
DOCUMENTED_IN_0_1 = {
    "checking": ("CheckReport", "Finding", "Severity", "check_ruleset", "lint_ruleset"),
    "counterfactuals": ("Counterfactual", "Span"),
    "detail": ("decision_detail", "detail_text"),
    "handoff": ("ChecklistItem", "Handoff", "Status"),
    "impact": ("Change", "Impact", "Outcome", "generated_cases", "impact"),
    "inventory": ("Inventory", "read_inventory", "read_owner"),
    "report_html": ("hours_chart", "html_report"),
    "report_markdown": ("decision_markdown", "markdown_report"),
    "rule_coverage": ("AtomCoverage", "CoverageReport", "measure_coverage"),
    "scenarios": (
        "Case",
        "CaseResult",
        "DEFAULT_RULE",
        "Expectation",
        "ScenarioError",
        "ScenarioFile",
        "compare",
        "load_scenarios",
        "run_case",
        "run_scenarios",
    ),
    "whynot": ("Miss", "UnknownFact"),
}

#: Where each of those names is public now.
PUBLIC_HOME = {
    "checking": "quality",
    "counterfactuals": "explain",
    "detail": "render",
    "handoff": "explain",
    "impact": "quality",
    "inventory": "planning",
    "report_html": "render",
    "report_markdown": "render",
    "rule_coverage": "quality",
    "scenarios": "quality",
    "whynot": "explain",
}


@pytest.mark.parametrize("old", sorted(DOCUMENTED_IN_0_1))
def test_every_name_the_old_docs_showed_resolves_to_the_public_one(old: str) -> None:
    """An internal module losing a re-export must not break a documented 0.1 import."""
    sys.modules.pop(f"outsourcing_rules.{old}", None)
    with pytest.warns(DeprecationWarning, match=f"outsourcing_rules.{old} has moved"):
        module = importlib.import_module(f"outsourcing_rules.{old}")
    public = importlib.import_module(f"outsourcing_rules.{PUBLIC_HOME[old]}")
    for name in DOCUMENTED_IN_0_1[old]:
        assert getattr(module, name, None) is getattr(public, name), f"{old}.{name}"


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_new_module_keeps_its_own_spec(old: str) -> None:
    """Importing an old path leaves the module's ``__spec__`` naming its new place.

    Its relative imports are resolved against ``__spec__.parent``: pointed
    at the old place, they would look in the wrong package.
    """
    new = f"outsourcing_rules.{MOVED[old]}"
    sys.modules.pop(f"outsourcing_rules.{old}", None)
    with pytest.warns(DeprecationWarning, match=f"has moved to {new}"):
        module = importlib.import_module(f"outsourcing_rules.{old}")
    assert module.__spec__ is not None
    assert module.__spec__.name == new
    assert module.__spec__.parent == module.__package__
