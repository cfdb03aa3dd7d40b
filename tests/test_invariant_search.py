"""The Hypothesis search draws what the ruleset names, so two-fact violations come up fast."""

from __future__ import annotations

from outsourcing_rules import load_ruleset
from outsourcing_rules.testing import verify_invariants

from _examples import DESIGN_AGENCY

STRICT_THRESHOLD = """
ruleset: vip
default: {verdict: keep, because: x}
rules:
  - id: busy-vip
    priority: 1
    when: {all: [{times_per_year: {gt: 365}}, {tags: {in: [vip]}}]}
    then: outsource
    because: Busy VIP work goes to the team.
invariants:
  - {when: {tags: {in: [vip]}}, never: outsource, description: VIP work stays with the owner.}
"""


def test_the_reported_agency_is_found_within_100_cases() -> None:
    """Category and core competency together: the search finds it at max_examples=100."""
    found = verify_invariants(
        load_ruleset(DESIGN_AGENCY),
        engine="native",
        max_examples=100,
        builtin=["core-never-outsourced"],
        declared=False,
    )
    (violation,) = found
    assert violation.rule_id == "design-goes-out"
    assert violation.task.category == "design"


def test_a_strict_threshold_and_a_label_are_found_within_100_cases() -> None:
    """Just past 365 a year, with the label the rule names: drawn from the ruleset's constants."""
    (violation,) = verify_invariants(
        load_ruleset(STRICT_THRESHOLD), engine="native", max_examples=100, builtin=()
    )
    assert violation.rule_id == "busy-vip"
    assert violation.task.times_per_year is not None
    assert violation.task.times_per_year > 365
    assert violation.task.tags is not None
    assert "vip" in violation.task.tags
