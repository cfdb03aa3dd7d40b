"""The durable-rules behaviours ``engines/durable.py`` designs around, shown on the C module.

Each test drives ``durable_rules_engine`` directly, the way the fence does,
and pins one behaviour the fence's docstring relies on (loose comparisons,
NaN, the number parser, fixed-size tables, a crash, a hang). If a new
durable-rules release changes one, the failing test names the design
assumption that no longer holds, so the fence can be relaxed or repaired.
The last tests check that the library, through the fence, is immune to each.

Behaviours that kill or freeze the interpreter run in a child process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from outsourcing_rules import Task, decide, load_ruleset
from outsourcing_rules.engines import durable as fence
from outsourcing_rules.engines import matcher_for

from conftest import needs_durable

pytestmark = [needs_durable, pytest.mark.durable]

NOT_HANDLED = 1


class Raw:
    """A handle on durable-rules' C core, driven as the fence drives it."""

    def __init__(self, rules: dict[str, Any]) -> None:
        import durable_rules_engine

        self.dre: Any = durable_rules_engine
        self.handle = self.dre.create_ruleset(f"fence-test-{uuid.uuid4().hex}", json.dumps(rules))

    def fire(self, message: str | dict[str, Any]) -> tuple[int, list[str]]:
        """Assert one fact; return the status and the names of the rules that fired."""
        text = message if isinstance(message, str) else json.dumps(message)
        status, state = self.dre.assert_fact(self.handle, text)
        fired: list[str] = []
        if status == 0:
            action = self.dre.start_action_for_state(self.handle, state)
            pending = action[1] if action else None
            while pending:
                fired.extend(json.loads(pending))
                pending = self.dre.complete_and_start_action(self.handle, state)
            self.dre.delete_state(self.handle, "0")
        return status, fired


@pytest.fixture
def raw() -> Iterator[list[Raw]]:
    """Collect Raw handles and delete them after the test."""
    made: list[Raw] = []
    yield made
    for handle in made:
        handle.dre.delete_ruleset(handle.handle)


def one_rule(made: list[Raw], condition: dict[str, Any]) -> Raw:
    """Create a handle with a single rule ``r`` testing *condition*."""
    handle = Raw({"r": {"all": [{"m": condition}]}})
    made.append(handle)
    return handle


def fact(**fields: Any) -> dict[str, Any]:
    """Return a fact of the one session the fence uses."""
    return {"sid": "0", "id": 1, **fields}


def in_child(code: str, timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run *code* in a fresh interpreter; return its result, or None if it did not finish."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None


# --- comparisons ------------------------------------------------------------------------


def test_it_compares_loosely(raw: list[Raw]) -> None:
    """``"0"`` satisfies ``<= 1`` and ``1`` equals ``true``: the fence must send typed facts."""
    assert one_rule(raw, {"$lte": {"skill": 1}}).fire(fact(skill="0")) == (0, ["r"])
    assert one_rule(raw, {"core": True}).fire(fact(core=1)) == (0, ["r"])


def test_a_nan_field_makes_every_condition_false(raw: list[Raw]) -> None:
    """NaN is dropped silently, even by ``!=``: facts must never be NaN."""
    for condition in ({"$lte": {"x": 1}}, {"$gte": {"x": 1}}, {"$neq": {"x": 1}}):
        handle = one_rule(raw, condition)
        assert handle.fire('{"sid": "0", "id": 1, "x": NaN}')[0] == NOT_HANDLED


def test_infinity_is_an_error(raw: list[Raw]) -> None:
    """``Infinity`` does not parse: facts must be finite."""
    handle = one_rule(raw, {"$lte": {"x": 1}})
    with pytest.raises(handle.dre.error):
        handle.fire('{"sid": "0", "id": 1, "x": Infinity}')


def test_an_exponent_needs_a_fraction(raw: list[Raw]) -> None:
    """``1e-05`` is a parse error (204); ``1.0e-05`` is read as meant."""
    handle = one_rule(raw, {"$lt": {"x": 1}})
    with pytest.raises(handle.dre.error, match="204"):
        handle.fire('{"sid": "0", "id": 1, "x": 1e-05}')
    assert handle.fire('{"sid": "0", "id": 1, "x": 1.0e-05}') == (0, ["r"])


def test_integers_saturate_at_64_bits(raw: list[Raw]) -> None:
    """``2**63 + 5 < 2**64`` is false here: both read as ``2**63 - 1``, so big ints go as floats."""
    assert one_rule(raw, {"$lt": {"x": 2**64}}).fire(fact(x=2**63 + 5))[0] == NOT_HANDLED
    assert one_rule(raw, {"$lt": {"x": 2.0**64}}).fire(fact(x=2.0**63)) == (0, ["r"])


def test_an_integer_is_compared_with_a_float_as_a_double(raw: list[Raw]) -> None:
    """``2**53 + 1 == 2.0**53`` holds here (Python says no): constants stay within 2**53."""
    odd = 2**53 + 1
    assert odd != 2.0**53
    assert one_rule(raw, {"x": 2.0**53}).fire(fact(x=odd)) == (0, ["r"])
    assert one_rule(raw, {"x": 2**53 - 1}).fire(fact(x=2.0**53))[0] == NOT_HANDLED


def test_long_text_is_compared_wrongly(raw: list[Raw]) -> None:
    """A value of 64 KiB or more compares equal to a different, shorter one: text is bounded."""
    handle = one_rule(raw, {"category": "a" * 9_000})
    assert handle.fire(fact(category="a" * 70_000)) == (0, ["r"])
    assert handle.fire(fact(category="a" * 60_000))[0] == NOT_HANDLED


# --- fixed-size tables ------------------------------------------------------------------


def test_64_alternatives_may_be_true_at_once_not_65(raw: list[Raw]) -> None:
    """A 65th true alternative overflows the stack (error 303): handles hold at most 64."""
    rules = {f"r{i}": {"all": [{"m": {"$lt": {"x": i + 10}}}]} for i in range(64)}
    sixty_four = Raw(rules)
    raw.append(sixty_four)
    assert len(sixty_four.fire(fact(x=0))[1]) == 64
    rules["r64"] = {"all": [{"m": {"$lt": {"x": 74}}}]}
    sixty_five = Raw(rules)
    raw.append(sixty_five)
    with pytest.raises(sixty_five.dre.error, match="303"):
        sixty_five.fire(fact(x=0))
    assert fence.HANDLE_ALTERNATIVES <= 64


def test_a_fact_holds_at_most_254_fields(raw: list[Raw]) -> None:
    """With ``sid`` and ``id``, 252 more fields fit and 253 do not (error 302)."""
    handle = one_rule(raw, {"f0": True})
    assert handle.fire(fact(**{f"f{i}": True for i in range(252)})) == (0, ["r"])
    with pytest.raises(handle.dre.error, match="302"):
        handle.fire(fact(**{f"f{i}": True for i in range(253)}))
    assert fence.HANDLE_FIELDS <= 252


def test_or_over_conjunctions_overflows_its_expression_table(raw: list[Raw]) -> None:
    """``$or`` of twenty two-test conjunctions is refused (error 113): the fence sends no $or."""
    import durable_rules_engine as dre

    alternatives = [{"$and": [{"a": i}, {"b": i}]} for i in range(20)]
    with pytest.raises(dre.error, match="113"):
        one_rule(raw, {"$or": alternatives})
    assert one_rule(raw, {"$or": alternatives[:10]}).fire(fact(a=9, b=9)) == (0, ["r"])


def test_two_handles_with_one_name_do_not_meet(raw: list[Raw]) -> None:
    """Names are not registered at the C level: each handle keeps its own rules."""
    import durable_rules_engine as dre

    first = dre.create_ruleset("same-name", json.dumps({"r": {"all": [{"m": {"x": 1}}]}}))
    second = dre.create_ruleset("same-name", json.dumps({"r": {"all": [{"m": {"x": 2}}]}}))
    try:
        for handle, value in ((first, 1), (second, 2)):
            status, state = dre.assert_fact(handle, json.dumps(fact(x=value)))
            assert status == 0
            dre.start_action_for_state(handle, state)
            dre.delete_state(handle, "0")
            assert dre.assert_fact(handle, json.dumps(fact(x=3 - value)))[0] == NOT_HANDLED
    finally:
        dre.delete_ruleset(first)
        dre.delete_ruleset(second)


# --- what kills or freezes the interpreter ----------------------------------------------


def test_more_than_512_alternatives_freeze_create_ruleset() -> None:
    """513 alternatives under one node: ``create_ruleset`` never returns (512 do, at once)."""
    code = """
        import json, sys, durable_rules_engine as dre
        n = int(sys.argv[1]) if len(sys.argv) > 1 else {n}
        rules = {{f"r{{i}}": {{"all": [{{"m": {{"x": i}}}}]}} for i in range(n)}}
        dre.create_ruleset("freeze", json.dumps(rules))
        print("returned")
    """
    finished = in_child(code.format(n=512), timeout=30)
    assert finished is not None
    assert finished.stdout.strip() == "returned"
    assert in_child(code.format(n=513), timeout=3) is None, (
        "durable-rules no longer hangs on 513 alternatives: HANDLE_ALTERNATIVES may be raised"
    )


def test_deleting_the_state_of_an_unmatched_fact_corrupts_the_heap() -> None:
    """The crash behind the fence's rule: delete a session's state only after a match.

    The corruption shows as a crash or not depending on the heap's layout, so
    the child repeats it on handles named as the fence names them.
    """
    code = """
        import json, uuid
        import durable_rules_engine as dre
        for _ in range(20):
            rules = {"r": {"all": [{"m": {"$lte": {"x": 1}}}]}}
            handle = dre.create_ruleset(f"outsourcing-rules-{uuid.uuid4().hex}", json.dumps(rules))
            assert dre.assert_fact(handle, '{"x":5,"sid":"1","id":"1"}')[0] == 1
            dre.delete_state(handle, "1")
        print("survived", flush=True)
    """
    finished = in_child(code, timeout=60)
    assert finished is not None
    assert "survived" not in finished.stdout, "durable-rules no longer crashes here"
    assert finished.returncode != 0


# --- the library is immune --------------------------------------------------------------


def ruleset_of(rules: list[dict[str, Any]]) -> Any:
    """Load a ruleset made of *rules* (plain data)."""
    return load_ruleset(
        {"ruleset": "fenced", "default": {"verdict": "keep", "because": "d"}, "rules": rules}
    )


def rule(i: int, when: dict[str, Any]) -> dict[str, Any]:
    """Return rule ``r<i>`` (keep) with condition *when*."""
    return {"id": f"r{i}", "priority": 1, "then": "keep", "because": "b", "when": when}


def test_a_thousand_rules_neither_freeze_nor_overflow() -> None:
    """1,000 rules (a freeze for one handle) all true at once (an overflow): split, they agree."""
    ruleset = ruleset_of([rule(i, {"hours_each": {"lt": i + 10}}) for i in range(1_000)])
    task = Task(name="t", hours_each=1, category="c0")
    durable = decide(task, ruleset=ruleset, engine="durable")
    native = decide(task, ruleset=ruleset, engine="native")
    assert len(durable.matched_rule_ids) == 1_000
    assert durable.matched_rule_ids == native.matched_rule_ids
    assert len(fence.DurableEngine().compile(ruleset).handles) > 1


def test_many_labels_are_spread_over_handles() -> None:
    """600 labels (600 fields, over the 254 a fact may hold) decide like the native engine."""
    rules = [
        rule(i, {"tags": {"in": [f"l{j}" for j in range(i * 200, i * 200 + 200)]}})
        for i in range(3)
    ]
    ruleset = ruleset_of(rules)
    for tags in (["l0"], ["l599"], ["l250", "l450"], []):
        task = Task(name="t", tags=tags)
        durable = decide(task, ruleset=ruleset, engine="durable").matched_rule_ids
        assert durable == decide(task, ruleset=ruleset, engine="native").matched_rule_ids


def test_or_over_conjunctions_is_expanded_not_sent() -> None:
    """Twenty alternatives of two tests each (an error 113 as $or) decide like native."""
    alternatives = [{"all": [{"times_per_year": i + 1}, {"hours_each": i + 1}]} for i in range(20)]
    ruleset = ruleset_of([rule(0, {"any": alternatives})])
    for i in (0, 19, 25):
        task = Task(name="t", times_per_year=i + 1, hours_each=i + 1)
        assert decide(task, ruleset=ruleset, engine="durable").matched_rule_ids == (
            ("r0",) if i < 20 else ()
        )


def test_a_text_constant_too_long_for_durable_is_refused_at_compile() -> None:
    """A constant of 64 KiB would be compared wrongly: durable refuses it, native decides."""
    from outsourcing_rules import Limits

    long = "é" * 40_000  # 80,000 bytes of UTF-8
    data = {
        "ruleset": "long",
        "default": {"verdict": "keep", "because": "d"},
        "rules": [rule(0, {"category": {"ne": long}})],
    }
    ruleset = load_ruleset(data, limits=Limits(max_string=50_000))
    with pytest.raises(fence.DurableError, match="longer than durable-rules compares"):
        decide(Task(name="t", category="x"), ruleset=ruleset, engine="durable")
    assert decide(Task(name="t", category="x"), ruleset=ruleset, engine="native").rule_id == "r0"


def test_a_first_task_that_matches_nothing_does_not_crash() -> None:
    """The crash above never happens through the library (run in a child to be sure)."""
    code = """
        from outsourcing_rules import Task, decide, load_ruleset
        ruleset = load_ruleset(
            "ruleset: x\\ndefault: {verdict: keep, because: d}\\nrules:\\n"
            "  - {id: r, priority: 1, when: {hours_each: 1}, then: keep, because: b}\\n"
        )
        for hours in (2, 3, 1, 4):
            print(decide(Task(name="t", hours_each=hours), ruleset=ruleset,
                         engine="durable").rule_id)
    """
    finished = in_child(code, timeout=120)
    assert finished is not None
    assert (finished.returncode, finished.stdout.split()) == (0, ["None", "None", "r", "None"])


def test_each_decision_deletes_its_state_so_nothing_accumulates() -> None:
    """durable-rules keeps every asserted fact until told otherwise; each decision clears its own.

    Without the clean-up the facts held would grow by one a decision, and a
    later task could be matched against an earlier one's values.
    """
    ruleset = load_ruleset(
        {
            "ruleset": "held",
            "default": {"verdict": "keep", "because": "x"},
            "rules": [
                {
                    "id": "a",
                    "priority": 2,
                    "when": {"skill": {"le": "basic"}},
                    "then": "outsource",
                    "because": "x",
                },
                {
                    "id": "b",
                    "priority": 1,
                    "when": {"times_per_year": {"lt": 12}},
                    "then": "keep",
                    "because": "x",
                },
            ],
        }
    )
    compiled = matcher_for(ruleset, "durable")
    for n in range(5):
        decide(
            Task(name=f"t{n}", skill="none", times_per_year=n), ruleset=ruleset, engine="durable"
        )
        assert compiled.held_facts() == 0
