"""The test kit for ruleset authors: Hypothesis strategies and invariant checks.

An agency can property-test its own ruleset in its own pytest suite::

    from hypothesis import given
    from outsourcing_rules import decide, load_ruleset
    from outsourcing_rules.testing import owners, tasks

    RULES = load_ruleset("agency.yaml")

    @given(tasks(), owners())
    def test_payroll_stays(task, owner):
        ...

Importing this module registers the strategies with Hypothesis, so
``st.from_type(Task)`` and ``st.from_type(Owner)`` draw valid objects (an
installed package also registers them through Hypothesis' entry point).
"""

from __future__ import annotations

from .strategies import (
    DEFAULT_CATEGORIES,
    DEFAULT_TAGS,
    INTERESTING_NUMBERS,
    owners,
    register_strategies,
    ruleset_data,
    rulesets,
    tasks,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_TAGS",
    "INTERESTING_NUMBERS",
    "owners",
    "register_strategies",
    "ruleset_data",
    "rulesets",
    "tasks",
]

register_strategies()
