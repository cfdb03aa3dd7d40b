"""The test kit for ruleset authors: Hypothesis strategies and invariant checks.

An agency can property-test its own ruleset in its own pytest suite::

    from hypothesis import given
    from outsourcing_rules import decide, load_ruleset
    from outsourcing_rules.testing import owners, tasks

    RULES = load_ruleset("agency.yaml")

    @given(tasks(), owners())
    def test_payroll_stays(task, owner):
        ...

and check the invariants the ruleset declares, with the library's own::

    from outsourcing_rules.testing import verify_invariants

    def test_invariants():
        assert verify_invariants("agency.yaml") == []

The kit needs Hypothesis, which the ``check`` extra installs
(``pip install 'outsourcing-rules[check]'``); without it, importing this
module raises :class:`~outsourcing_rules.MissingExtraError` saying so.

Importing this module registers the strategies with Hypothesis, so
``st.from_type(Task)`` and ``st.from_type(Owner)`` draw valid objects (an
installed package also registers them through Hypothesis' entry point).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .sampling import DEFAULT_GENERATED, INTERESTING_NUMBERS, generated_cases

if TYPE_CHECKING:
    from ._search import Violation
    from .invariants import (
        BUILTIN_INVARIANTS,
        HARD_INVARIANTS,
        MONOTONICITY_INVARIANTS,
        verify_invariants,
    )
    from .ruleset_strategies import ruleset_data, rulesets
    from .strategies import (
        DEFAULT_CATEGORIES,
        DEFAULT_TAGS,
        owners,
        register_strategies,
        tasks,
    )

#: Where each name that needs Hypothesis lives; imported on first use, so the
#: seeded sampler (what ``diff`` uses) works without the ``check`` extra.
_NEEDS_HYPOTHESIS = {
    **dict.fromkeys(
        (
            "BUILTIN_INVARIANTS",
            "HARD_INVARIANTS",
            "MONOTONICITY_INVARIANTS",
            "verify_invariants",
        ),
        "invariants",
    ),
    "Violation": "_search",
    **dict.fromkeys(
        (
            "DEFAULT_CATEGORIES",
            "DEFAULT_TAGS",
            "owners",
            "register_strategies",
            "tasks",
        ),
        "strategies",
    ),
    **dict.fromkeys(("ruleset_data", "rulesets"), "ruleset_strategies"),
}

__all__ = [
    "BUILTIN_INVARIANTS",
    "DEFAULT_CATEGORIES",
    "DEFAULT_GENERATED",
    "DEFAULT_TAGS",
    "HARD_INVARIANTS",
    "INTERESTING_NUMBERS",
    "MONOTONICITY_INVARIANTS",
    "Violation",
    "generated_cases",
    "owners",
    "register_strategies",
    "ruleset_data",
    "rulesets",
    "tasks",
    "verify_invariants",
]


def _hypothesis_module(name: str) -> Any:
    """Import the kit's module *name*, or say which extra brings Hypothesis."""
    try:
        import hypothesis  # noqa: F401  (only to see that it is there)
    except ImportError:
        from ..errors import MissingExtraError

        raise MissingExtraError(
            "outsourcing_rules.testing (and outsourcing-rules check)", "check", "Hypothesis"
        ) from None
    return importlib.import_module(f"{__name__}.{name}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    module = _NEEDS_HYPOTHESIS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_hypothesis_module(module), name)
    globals()[name] = value
    return value


try:
    import hypothesis as _hypothesis  # noqa: F401  (registration needs it; the kit waits)
except ImportError:
    pass
else:
    _hypothesis_module("strategies").register_strategies()
