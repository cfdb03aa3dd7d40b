"""Rulesets, decisions and plans pickle and deep-copy (for process pools, Dask and Spark)."""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcing_rules import (
    Decision,
    Ruleset,
    Task,
    decide,
    decide_all,
    default_ruleset,
    load_ruleset,
    plan,
)
from outsourcing_rules.engines import matcher_for
from outsourcing_rules.testing import rulesets, tasks

from _examples import INVOICING, SALLY

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"


def test_a_compiled_ruleset_pickles_without_its_compiled_forms(engine: str) -> None:
    """The compiled matchers and the lock stay behind; the copy compiles again on first use."""
    ruleset = load_ruleset(EXAMPLES / "acme-agency.yaml")
    matcher_for(ruleset, engine)  # compiled and cached on the original
    copied = pickle.loads(pickle.dumps(ruleset))
    assert copied == ruleset
    assert copied.digest == ruleset.digest
    assert copied.path == ruleset.path
    assert copied._compiled == {}
    assert copied._lock is not ruleset._lock
    assert decide(INVOICING, SALLY, ruleset=copied, engine=engine) == decide(
        INVOICING, SALLY, ruleset=ruleset, engine=engine
    )


def test_a_ruleset_deep_copies() -> None:
    """Deepcopy gives an equal ruleset with its own cache and lock."""
    ruleset = default_ruleset()
    matcher_for(ruleset, "native")
    copied = copy.deepcopy(ruleset)
    assert copied == ruleset
    assert copied._compiled == {}
    assert copied.rules == ruleset.rules


def test_a_decision_pickles_with_its_explanation(engine: str) -> None:
    """A decision looked into (matches, explanation) pickles, and says the same after."""
    decision = decide(INVOICING, SALLY, engine=engine)
    text = decision.explain()
    copied = pickle.loads(pickle.dumps(decision))
    assert isinstance(copied, Decision)
    assert copied == decision
    assert copied.explain() == text
    assert copied.to_dict() == decision.to_dict()
    assert copy.deepcopy(decision).to_dict() == decision.to_dict()


def test_a_plan_pickles_and_deep_copies() -> None:
    """A plan of several decisions pickles whole: same summary, same hires."""
    made = plan([INVOICING, {"name": "Edit video", "skill": "none"}], SALLY)
    for copied in (pickle.loads(pickle.dumps(made)), copy.deepcopy(made)):
        assert copied.summary() == made.summary()
        assert copied.to_dict() == made.to_dict()


@settings(max_examples=30)
@given(ruleset=rulesets(max_rules=5), drawn=st.lists(tasks(), max_size=5))
def test_any_ruleset_decides_the_same_after_a_round_trip(
    ruleset: Ruleset, drawn: list[Task]
) -> None:
    """Random rulesets pickle to equal rulesets that decide every task the same."""
    copied = pickle.loads(pickle.dumps(ruleset))
    assert copied == ruleset
    assert decide_all(drawn, ruleset=copied, engine="native") == decide_all(
        drawn, ruleset=ruleset, engine="native"
    )


def _verdicts(ruleset: Ruleset) -> list[str]:
    return [d.verdict.value for d in decide_all([INVOICING], SALLY, ruleset=ruleset)]


def test_a_process_pool_takes_a_ruleset() -> None:
    """A ruleset shipped to another process decides there as here."""
    ruleset = default_ruleset()
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_verdicts, ruleset).result(timeout=120) == _verdicts(ruleset)
