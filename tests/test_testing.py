"""The test kit: strategies draw valid, varied objects; verify_invariants finds real violations."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from outsourcing_rules import (
    EngineUnavailableError,
    Owner,
    Ruleset,
    Task,
    Verdict,
    available_engines,
    decide,
    default_ruleset,
    load_ruleset,
)
from outsourcing_rules.core.conditions import AllOf, AnyOf, Atom, Condition, Not, atoms
from outsourcing_rules.core.facts import MAX_HOURS, MAX_RATE, MAX_TIMES_PER_YEAR, MIN_PROVIDER_RATE
from outsourcing_rules.core.vocabulary import FACTS, fact_values
from outsourcing_rules.testing import (
    BUILTIN_INVARIANTS,
    DEFAULT_CATEGORIES,
    HARD_INVARIANTS,
    MONOTONICITY_INVARIANTS,
    Violation,
    owners,
    ruleset_data,
    rulesets,
    tasks,
    verify_invariants,
)

from _examples import BROKEN
from conftest import assert_counterexample

# Showing that a case is reachable needs no shrinking, which would only cost time.
FIND = settings(
    max_examples=2000,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.generate],
)
TASK_FACTS = [a.name for a in attrs.fields(Task) if a.name not in ("name", "description")]


def reachable(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """Return an example of *strategy* meeting *condition* (fails the test if none is found)."""
    return find(strategy, condition, settings=FIND)


# --- strategies: valid objects ------------------------------------------------------------


@given(task=tasks(), owner=owners())
def test_tasks_and_owners_are_valid(task: Task, owner: Owner) -> None:
    """Drawn tasks and owners are valid: they survive a round trip through plain data."""
    assert Task.from_dict(task.to_dict()) == task
    assert Owner.from_dict(owner.to_dict()) == owner
    if task.times_per_year is not None:
        assert 0 <= task.times_per_year <= MAX_TIMES_PER_YEAR
    if task.one_off:
        assert task.times_per_year in (None, 1)


@given(task=tasks(allow_unknown=False), owner=owners(allow_unknown=False))
def test_allow_unknown_false_gives_every_fact(task: Task, owner: Owner) -> None:
    """With ``allow_unknown=False`` every fact of the task and owner is known."""
    assert all(getattr(task, name) is not None for name in TASK_FACTS)
    assert None not in (owner.name, owner.hourly_rate, owner.core_competencies)


@given(ruleset=rulesets())
def test_rulesets_are_valid_and_round_trip(ruleset: Ruleset) -> None:
    """Drawn rulesets loaded cleanly, and reload equal from their own data."""
    assert isinstance(ruleset, Ruleset)
    assert load_ruleset(ruleset.to_data()) == ruleset
    by_priority: dict[int, Verdict] = {}
    for rule in ruleset.rules:
        assert by_priority.setdefault(rule.priority, rule.verdict) is rule.verdict


@given(data=ruleset_data(max_rules=3))
def test_ruleset_data_is_plain_and_loads(data: dict[str, Any]) -> None:
    """``ruleset_data`` draws JSON-able mappings that :func:`load_ruleset` accepts."""
    assert json.loads(json.dumps(data)) == data
    assert len(load_ruleset(data).rules) == len(data["rules"]) <= 3


@given(task=st.from_type(Task), owner=st.from_type(Owner))
def test_from_type_draws_valid_objects(task: Task, owner: Owner) -> None:
    """The strategies are registered: ``st.from_type`` draws valid tasks and owners."""
    assert Task.from_dict(task.to_dict()) == task
    assert Owner.from_dict(owner.to_dict()) == owner


def test_strategies_have_readable_reprs() -> None:
    """Each strategy's repr shows how it was called."""
    assert repr(tasks(categories=["a"])) == "tasks(categories=['a'])"
    assert repr(owners()) == "owners()"
    assert repr(rulesets(max_rules=2)) == "rulesets(max_rules=2)"


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (tasks(categories="invoicing"), "collection of text"),
        (tasks(categories=[]), "must not be empty"),
        (tasks(tags=["ok", " "]), "non-blank"),
        (tasks(thresholds=[float("nan")]), "finite"),
        (tasks(thresholds=[True]), "finite numbers"),
        (tasks(allow_unknown=1), "True or False"),  # type: ignore[arg-type]
        (owners(categories=[3]), "only text"),  # type: ignore[list-item]
        (rulesets(max_rules=-1), "at least 0"),
        (rulesets(facts=["skil"]), "not a fact"),
        (ruleset_data(max_depth=1.5), "integer"),  # type: ignore[arg-type]
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_arguments_are_invalid(strategy: st.SearchStrategy[Any], message: str) -> None:
    """Bad options raise Hypothesis' InvalidArgument, saying what is wrong, when drawn from."""
    with pytest.raises(InvalidArgument, match=message):
        find(strategy, lambda _: True, settings=FIND)


# --- strategies: the variety claimed --------------------------------------------------------


@pytest.mark.parametrize("fact", TASK_FACTS)
def test_every_task_fact_can_be_known_or_unknown(fact: str) -> None:
    """Each fact of a task comes up both unknown and known."""
    reachable(tasks(), lambda t: getattr(t, fact) is None)
    reachable(tasks(), lambda t: getattr(t, fact) is not None)


@pytest.mark.parametrize(
    ("description", "condition"),
    [
        ("one-off, no frequency", lambda t: t.one_off is True and t.times_per_year is None),
        ("one-off, once a year", lambda t: t.one_off is True and t.times_per_year == 1),
        ("never", lambda t: t.times_per_year == 0),
        ("as often as allowed", lambda t: t.times_per_year == MAX_TIMES_PER_YEAR),
        ("longest", lambda t: t.hours_each == MAX_HOURS),
        ("zero hours", lambda t: t.hours_each == 0),
        ("cheapest provider", lambda t: t.provider_hourly_rate == MIN_PROVIDER_RATE),
        ("dearest provider", lambda t: t.provider_hourly_rate == MAX_RATE),
        ("fractional hours", lambda t: t.hours_each is not None and t.hours_each % 1 > 0),
        ("float equal to an int", lambda t: isinstance(t.hours_each, float) and t.hours_each == 4),
        ("no labels", lambda t: t.tags == frozenset()),
        ("several labels", lambda t: t.tags is not None and len(t.tags) >= 3),
        ("odd label", lambda t: t.tags is not None and "quote'\"" in t.tags),
        ("odd category", lambda t: t.category == "O'Brien's \"quotes\""),
        ("free text category", lambda t: t.category not in (None, *DEFAULT_CATEGORIES)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_interesting_tasks_are_reachable(
    description: str, condition: Callable[[Task], bool]
) -> None:
    """Boundary values, one-off tasks, label sets and odd text all come up."""
    reachable(tasks(), condition)


def test_thresholds_and_their_neighbours_come_up() -> None:
    """A threshold given is drawn exactly, and so are the numbers either side of it."""
    for value in (37, 36, 38, 36.99, 37.01):
        reachable(tasks(thresholds=[37]), lambda t, v=value: t.times_per_year == v)


def test_core_competency_is_often_true_through_the_owner() -> None:
    """Tasks and owners share a category pool, so a category is often a core competency."""
    pairs = st.tuples(tasks(), owners())
    task, owner = reachable(
        pairs,
        lambda p: p[0].core_competency is None and fact_values(*p)["core_competency"] is True,
    )
    assert task.category in owner.core_competencies


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_rulesets_use_every_operator_of_every_fact(fact: str) -> None:
    """For every fact, rulesets compare it with every operator it allows.

    One operator at a time: a single ruleset holding all eight is drawn about
    once in a hundred, so asking for it made the test fail now and then.
    """

    def used(ruleset: Ruleset) -> set[str]:
        return {a.op for rule in ruleset.rules for a in atoms(rule.when) if a.fact == fact}

    for op in sorted(FACTS[fact].operators):
        reachable(rulesets(facts=[fact], max_depth=0), lambda r, op=op: op in used(r))


def _depth(condition: Condition) -> int:
    if isinstance(condition, Atom):
        return 0
    if isinstance(condition, Not):
        return 1 + _depth(condition.part)
    return 1 + max(_depth(p) for p in condition.parts)


def _kinds(condition: Condition) -> set[type]:
    if isinstance(condition, Atom):
        return {Atom}
    if isinstance(condition, Not):
        return {Not} | _kinds(condition.part)
    return {type(condition)}.union(*(_kinds(p) for p in condition.parts))


def test_rulesets_nest_all_any_and_not() -> None:
    """Conditions nest ``all``, ``any`` and ``not`` inside each other."""
    reachable(
        rulesets(),
        lambda r: any(
            _depth(rule.when) >= 3 and _kinds(rule.when) >= {AllOf, AnyOf, Not} for rule in r.rules
        ),
    )


def test_rulesets_use_parameters_in_single_values_and_lists() -> None:
    """``$parameters`` stand for single values and for ``in`` lists."""
    ruleset = reachable(
        rulesets(),
        lambda r: (
            any(
                a.parameter is not None and a.op in ("in", "not_in")
                for rule in r.rules
                for a in atoms(rule.when)
            )
            and any(
                a.parameter is not None and a.op not in ("in", "not_in")
                for rule in r.rules
                for a in atoms(rule.when)
            )
        ),
    )
    assert ruleset.parameters


def test_rulesets_share_priorities_within_a_verdict() -> None:
    """Rules with the same verdict may share a priority; every verdict and default comes up."""
    reachable(
        rulesets(),
        lambda r: len({rule.priority for rule in r.rules}) < len(r.rules),
    )
    for verdict in Verdict:
        reachable(rulesets(), lambda r, v=verdict: r.default_verdict is v)
        reachable(rulesets(), lambda r, v=verdict: any(rule.verdict is v for rule in r.rules))


def test_rulesets_and_tasks_often_meet() -> None:
    """Rules drawn over a few facts apply to tasks drawn alongside, so engines are exercised."""
    found = reachable(
        st.tuples(rulesets(facts=["category", "tags"], max_rules=4, max_depth=0), tasks()),
        lambda p: len(decide(p[1], ruleset=p[0], engine="native").matched_rule_ids) >= 2,
    )
    assert found


# --- verify_invariants --------------------------------------------------------------------


def assert_really_violates(ruleset: Ruleset, violation: Violation, engine: str) -> None:
    """Check *violation*'s counterexample against the decision and the promise it names.

    Beyond what any counterexample must show, the kit's also place a declared
    invariant in its file, and shrink a monotonicity one to a single changed
    fact of a task that is neither core nor the owner's alone.
    """
    assert_counterexample(ruleset, violation, engine)
    if violation.invariant.startswith("invariants["):
        invariant = ruleset.invariants[int(violation.invariant[len("invariants[") : -1])]
        assert (violation.path, violation.line) == (invariant.path, invariant.line)
    elif violation.invariant != "core-never-outsourced":
        assert violation.invariant in MONOTONICITY_INVARIANTS
        assert violation.baseline is not None
        changed = {
            name
            for name in TASK_FACTS
            if getattr(violation.baseline, name) != getattr(violation.task, name)
        }
        assert len(changed) == 1
        values = fact_values(violation.task, violation.owner)
        assert values["core_competency"] is not True
        assert values["only_owner"] is not True


def test_default_ruleset_keeps_every_invariant(engine: str) -> None:
    """The default ruleset keeps its declared invariants, the hard ones and monotonicity."""
    builtin = [*HARD_INVARIANTS, *MONOTONICITY_INVARIANTS]
    assert verify_invariants(default_ruleset(), engine=engine, builtin=builtin) == []


def test_broken_ruleset_violations_are_real() -> None:
    """Each promise the broken ruleset breaks is reported once, with a real counterexample."""
    engine = "native"  # the engines decide alike (test_equivalence.py)
    ruleset = load_ruleset(BROKEN)
    builtin = [*HARD_INVARIANTS, *MONOTONICITY_INVARIANTS]
    found = verify_invariants(ruleset, engine=engine, builtin=builtin)
    names = [v.invariant for v in found]
    assert names == [
        "invariants[0]",
        "invariants[1]",
        "invariants[2]",
        "invariants[3]",  # revenue work done well stays (default version 2)
        "core-never-outsourced",
        *MONOTONICITY_INVARIANTS,
    ]
    for violation in found:
        assert_really_violates(ruleset, violation, engine)
    core = found[4]
    assert core.rule_id == "rush"
    assert core.task.tags == frozenset({"urgent"})  # shrunk: only what matters is left
    assert "rush" in core.description


def test_monotonicity_is_not_checked_unless_asked() -> None:
    """An agency ruleset may break monotonicity on purpose: it is left out by default."""
    without_rush = "\n".join(line for line in BROKEN.splitlines() if "rush" not in line)
    ruleset = load_ruleset(without_rush)
    found = verify_invariants(ruleset, engine="native", max_examples=100)
    assert [v.invariant for v in found] == []


def test_always_invariant_reports_the_default() -> None:
    """An ``always`` promise the default breaks names no rule, and says so."""
    ruleset = load_ruleset(
        """
ruleset: r
default: {verdict: keep, because: d}
rules:
  - {id: drop, priority: 1, when: {can_be_eliminated: true}, then: eliminate, because: b}
invariants:
  - {when: {any: [{repetitive: true}, {not: {skill: expert}}]}, always: eliminate}
"""
    )
    (violation,) = verify_invariants(ruleset, engine="native", builtin=())
    assert violation.rule_id is None
    assert violation.verdict is Verdict.KEEP
    assert "the default" in violation.description
    assert "when repetitive equal to true or not (skill equal to expert), always" in (
        violation.description
    )
    assert_really_violates(ruleset, violation, "native")


def test_a_fixed_owner_is_used_throughout() -> None:
    """With *owner*, every counterexample is for that owner."""
    sally = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
    found = verify_invariants(load_ruleset(BROKEN), engine="native", owner=sally, max_examples=50)
    assert found
    assert all(v.owner == sally for v in found)


def test_results_are_reproducible() -> None:
    """By default the search is derandomized: two runs report the same counterexamples."""
    ruleset = load_ruleset(BROKEN)
    first = verify_invariants(ruleset, engine="native", max_examples=30, builtin=())
    assert first
    assert first == verify_invariants(ruleset, engine="native", max_examples=30, builtin=())


def test_violations_read_well_and_serialise() -> None:
    """A violation says which promise broke, where, and how; ``to_dict`` is JSON."""
    ruleset = load_ruleset(BROKEN)
    (violation, *_) = verify_invariants(ruleset, engine="native", max_examples=30, builtin=())
    text = str(violation)
    declared = ruleset.invariants[0]
    assert declared.path is not None  # inherited from the default ruleset's file
    assert text.startswith(f"invariants[0] ({declared.path}, line {declared.line}): ")
    assert "Core work is never handed off." in text
    data = violation.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rule"] == "rush"
    assert data["verdict"] == "outsource"


def test_library_guarantees_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision that depended on the name, or on what was decided before, is caught."""
    import outsourcing_rules.testing._search as module

    real = module.decide
    calls = {"n": 0}

    def by_name(task: Task, owner: Owner | None = None, **kw: Any) -> Any:
        picked = Task(name=task.name, can_be_eliminated=task.name.startswith("S"))
        return real(picked, owner, **kw)

    monkeypatch.setattr(module, "decide", by_name)
    (violation,) = verify_invariants(
        default_ruleset(), builtin=["name-irrelevant"], max_examples=50
    )
    assert violation.baseline is not None
    assert violation.baseline.name.startswith("S") != violation.task.name.startswith("S")

    def flaky(task: Task, owner: Owner | None = None, **kw: Any) -> Any:
        calls["n"] += 1
        return real(Task(name="t", can_be_eliminated=calls["n"] % 2 == 0), owner, **kw)

    monkeypatch.setattr(module, "decide", flaky)
    (violation,) = verify_invariants(default_ruleset(), builtin=["deterministic"], max_examples=50)
    assert violation.invariant == "deterministic"


@pytest.mark.skipif("durable" not in available_engines(), reason="needs durable-rules")
def test_engines_agree_on_the_default_ruleset() -> None:
    """The engines-agree invariant finds nothing to report on the default ruleset."""
    assert verify_invariants(default_ruleset(), builtin=["engines-agree"], max_examples=100) == []


@pytest.mark.skipif("durable" in available_engines(), reason="durable-rules imports here")
def test_engines_agree_needs_durable() -> None:
    """Where durable-rules does not import, asking for it says so at once, not mid-search."""
    with pytest.raises(EngineUnavailableError, match="engines-agree"):
        verify_invariants(default_ruleset(), builtin=["engines-agree"])
    with pytest.raises(EngineUnavailableError, match="engine='native'"):
        verify_invariants(default_ruleset(), engine="durable")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"builtin": ["core-never-outsource"]}, ValueError, "did you mean 'core-never-outsourced'"),
        ({"builtin": "deterministic"}, TypeError, "collection of names"),
        ({"engine": "drools"}, ValueError, "unknown engine"),
        ({"max_examples": 0}, ValueError, "positive integer"),
        ({"owner": {"name": "x"}}, TypeError, "Owner or None"),
    ],
    ids=["builtin", "builtin-str", "engine", "max_examples", "owner"],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], error: type, message: str) -> None:
    """Bad arguments fail at once with a message naming them."""
    with pytest.raises(error, match=message):
        verify_invariants(default_ruleset(), **kwargs)


def test_builtin_names_are_documented() -> None:
    """Every built-in invariant has a description; the hard and monotone groups are built-ins."""
    assert set(HARD_INVARIANTS) | set(MONOTONICITY_INVARIANTS) <= set(BUILTIN_INVARIANTS)
    assert all(text.endswith(".") for text in BUILTIN_INVARIANTS.values())
