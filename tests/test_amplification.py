"""A ruleset cannot grow past the limits after they are checked.

The reader counts a ``$parameter``'s values once, where they are written;
every rule that uses it compares with all of them. Counted once, a 10,000
value list reused by 625 rules made a 117 KB file into 6.25 million
comparisons (a 71-second first decision on durable). Each use now counts.
"""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing_rules import Limits, RulesetError, Task, decide, load_ruleset
from outsourcing_rules.engines import durable as fence

from conftest import needs_durable


def reusing(rules: int, values: int) -> dict[str, Any]:
    """Return a ruleset whose *rules* each test ``not_in`` one parameter of *values* values."""
    return {
        "ruleset": "reuse",
        "default": {"verdict": "keep", "because": "d"},
        "parameters": {"big": [f"v{i}" for i in range(values)]},
        "rules": [
            {"id": f"r{i}", "priority": 1, "then": "keep", "because": "b",
             "when": {"category": {"not_in": "$big"}}}
            for i in range(rules)
        ],
    }  # fmt: skip


def count_values(data: Any) -> int:
    """Count the values in plain data, keys included, as ``max_values`` does."""
    stack, count = [data], 0
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def test_each_use_of_a_parameter_counts_against_max_values() -> None:
    """100 values used by 9 rules fit in 1,000; used by 11 they do not."""
    limits = Limits(max_values=1_000)
    assert len(load_ruleset(reusing(9, 100), limits=limits).rules) == 9
    with pytest.raises(RulesetError, match=r"counting each \$parameter at every use"):
        load_ruleset(reusing(11, 100), limits=limits)


def test_the_issues_upload_is_refused_under_the_default_limits() -> None:
    """Three rules on one 10,000-value list: 30,000 comparisons, over the 20,000 allowed."""
    with pytest.raises(RulesetError, match="more than 20,000 values"):
        load_ruleset(reusing(3, 10_000))


def test_what_loads_keeps_its_decisions_within_the_limits() -> None:
    """A decision's ``to_dict()`` and ``explain()`` grow with the comparisons, now bounded."""
    limits = Limits(max_values=1_000)
    for rules in (9, 50):
        try:
            ruleset = load_ruleset(reusing(rules, 100), limits=limits)
        except RulesetError:
            continue
        decision = decide(Task(name="t", category="x"), ruleset=ruleset, engine="native")
        assert len(decision.matched_rule_ids) == rules
        assert count_values(decision.to_dict()) <= 2 * limits.max_values
        assert len(decision.explain()) <= 10 * limits.max_values


@needs_durable
@pytest.mark.durable
def test_durable_refuses_more_tests_than_it_compiles_fast() -> None:
    """Past MAX_RULESET_TESTS, durable says to use native (which decides it at once)."""
    size = fence.MAX_RULESET_TESTS // 2 + 1
    ruleset = load_ruleset(reusing(2, size))
    task = Task(name="t", category="x")
    with pytest.raises(fence.DurableError, match="use engine='native'"):
        decide(task, ruleset=ruleset, engine="durable")
    assert decide(task, ruleset=ruleset, engine="native").matched_rule_ids == ("r0", "r1")
    smaller = load_ruleset(reusing(2, size - 2))
    assert decide(task, ruleset=smaller, engine="durable").matched_rule_ids == ("r0", "r1")
