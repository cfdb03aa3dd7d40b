"""Exact invariant verification: proofs, confirmed and shrunk counterexamples, budgets."""

from __future__ import annotations

import itertools
import math
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules import Owner, Ruleset, Task, Verdict, decide, default_ruleset, load_ruleset
from outsourcing_rules.core.conditions import atoms, evaluate
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.quality import Budget, Proof, check_ruleset, prove_invariants
from outsourcing_rules.quality import encoding as encoding_module
from outsourcing_rules.quality.encoding import Encoding, Unsupported
from outsourcing_rules.quality.verification import BUILTIN_NAMES, HARD_NAMES
from outsourcing_rules.testing import (
    BUILTIN_INVARIANTS,
    HARD_INVARIANTS,
    MONOTONICITY_INVARIANTS,
    owners,
    ruleset_data,
    tasks,
)

from _examples import BROKEN, DESIGN_AGENCY
from conftest import assert_counterexample


def by_name(proofs: list[Proof]) -> dict[str, Proof]:
    return {p.invariant: p for p in proofs}


def assert_confirmed(ruleset: Ruleset, proof: Proof, engine: str) -> None:
    """Check that the proof's counterexample really breaks its invariant on *engine*."""
    assert proof.outcome == "violated"
    assert proof.task is not None
    assert_counterexample(ruleset, proof, engine)


def test_the_default_ruleset_is_proved() -> None:
    """Every declared invariant and every rule-level built-in one holds for the default rules."""
    proofs = prove_invariants(default_ruleset(), builtin=BUILTIN_INVARIANTS)
    assert proofs
    assert [p.outcome for p in proofs] == ["proved"] * len(proofs)
    assert {p.invariant for p in proofs} >= {"core-never-outsourced", *MONOTONICITY_INVARIANTS}


def test_the_reported_design_agency_is_caught_at_default_settings(engine: str) -> None:
    """Issue 13: all design work outsourced, core included, fails ``check`` at its defaults."""
    ruleset = load_ruleset(DESIGN_AGENCY)
    report = check_ruleset(ruleset, engine=engine)
    assert not report.ok
    broken = {f.message.split(" is broken")[0]: f for f in report.errors}
    assert "invariant core-never-outsourced" in broken
    assert "invariant invariants[0]" in broken  # the default's: core work is never handed off
    for finding in broken.values():
        assert finding.rule_id == "design-goes-out"
        assert finding.task is not None
        assert finding.task.category == "design"
    core = broken["invariant core-never-outsourced"]
    assert core.task is not None
    assert fact_values(core.task, core.owner)["core_competency"] is True
    # shrunk to the fewest facts: the category and what makes the task core
    assert len(core.task.to_dict()) + len((core.owner or Owner()).to_dict()) <= 3
    for proof in report.proofs:
        if proof.outcome == "violated":
            assert_confirmed(ruleset, proof, engine)


def test_every_broken_promise_is_found_with_a_shrunk_counterexample(engine: str) -> None:
    """Declared, core and monotonicity invariants: each violation is real and minimal."""
    ruleset = load_ruleset(BROKEN)
    proofs = by_name(
        prove_invariants(
            ruleset, builtin=[*HARD_INVARIANTS, *MONOTONICITY_INVARIANTS], engine=engine
        )
    )
    assert {n for n, p in proofs.items() if p.outcome == "violated"} == {
        "invariants[0]",
        "invariants[1]",
        "invariants[2]",
        "invariants[3]",  # revenue work done well stays: rush sends it out too
        "core-never-outsourced",
        *MONOTONICITY_INVARIANTS,
    }
    for proof in proofs.values():
        assert_confirmed(ruleset, proof, engine)
    core = proofs["core-never-outsourced"]
    assert core.rule_id == "rush"
    assert core.task is not None
    assert core.task.tags == frozenset({"urgent"})
    skill = proofs["monotone-skill"]
    assert skill.task is not None
    assert skill.task.skill is not None
    assert skill.rule_id == "novice"


def test_a_narrow_band_of_a_number_is_found() -> None:
    """A violation inside a band 0.1 wide, which sampling almost never hits, is found exactly."""
    ruleset = load_ruleset(
        """
        ruleset: band
        default: {verdict: keep, because: x}
        rules:
          - id: odd-band
            priority: 1
            when: {all: [{hours_each: {gt: 2.5}}, {hours_each: {lt: 2.6}}]}
            then: outsource
            because: x
        invariants:
          - {when: {hours_each: {le: 3}}, never: outsource}
        """
    )
    (proof,) = prove_invariants(ruleset, builtin=())
    assert proof.outcome == "violated"
    assert proof.task is not None
    assert proof.task.hours_each is not None
    assert 2.5 < proof.task.hours_each < 2.6


def test_derived_facts_and_linked_unknowns_are_exact() -> None:
    """A one-off task's yearly hours are its hours each; the solver knows, so it finds it."""
    ruleset = load_ruleset(
        """
        ruleset: derived
        default: {verdict: keep, because: x}
        rules:
          - id: big-project
            priority: 1
            when: {all: [{one_off: true}, {hours_per_year: {ge: 100}}]}
            then: outsource
            because: x
        invariants:
          - {when: {hours_each: {lt: 100}}, never: outsource}
          - {when: {recurring: true}, never: outsource}
        """
    )
    first, second = prove_invariants(ruleset, builtin=())
    assert first.outcome == "proved"  # one-off: hours_per_year is hours_each, so >= 100
    assert second.outcome == "proved"  # one_off true makes recurring false
    broken = load_ruleset(
        ruleset.to_data()
        | {"invariants": [{"when": {"hours_each": {"lt": 101}}, "never": "outsource"}]}
    )
    (proof,) = prove_invariants(broken, builtin=())
    assert proof.outcome == "violated"
    assert proof.task is not None
    assert (proof.task.one_off, proof.task.hours_each is not None) == (True, True)
    assert 100 <= proof.task.hours_each < 101


def test_a_ratio_threshold_with_an_owner() -> None:
    """rate_ratio is owner rate over provider rate; the counterexample needs both."""
    ruleset = load_ruleset(
        """
        ruleset: ratio
        default: {verdict: keep, because: x}
        rules:
          - {id: cheap, priority: 1, when: {rate_ratio: {ge: 3}}, then: outsource, because: x}
        invariants:
          - {when: {provider_hourly_rate: {ge: 50}}, never: outsource}
        """
    )
    (proof,) = prove_invariants(ruleset, builtin=())
    assert proof.outcome == "violated"
    assert proof.task is not None
    assert proof.owner is not None
    assert proof.owner.hourly_rate is not None
    assert proof.task.provider_hourly_rate is not None
    assert proof.owner.hourly_rate / proof.task.provider_hourly_rate >= 3


def test_core_through_the_owners_competencies() -> None:
    """Core work is known from the owner's competencies too, not only from the task."""
    ruleset = load_ruleset(DESIGN_AGENCY)
    stated = ruleset.to_data()
    stated["rules"] = [
        {**r, "when": {"all": [r["when"], {"core_competency": True}]}}
        if r["id"] == "design-goes-out"
        else r
        for r in stated["rules"]
    ]
    proofs = by_name(prove_invariants(load_ruleset(stated)))
    assert proofs["core-never-outsourced"].outcome == "violated"


def test_size_budget_says_not_proven() -> None:
    """Past the size budget nothing is claimed: 'not proven', with what was tried."""
    proofs = prove_invariants(default_ruleset(), budget=Budget(max_terms=2))
    assert proofs
    for proof in proofs:
        assert proof.outcome == "not-proven"
        assert "size budget of 2" in proof.detail


def test_budget_is_validated() -> None:
    """A budget must be positive."""
    with pytest.raises(ValueError, match="positive"):
        Budget(timeout=0)
    assert Budget(timeout=0.5).timeout_ms == 500


def test_unsupported_constructs_give_a_finding_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ruleset the encoder refuses gets 'unsupported' and a search instead of a proof."""

    def refuse(self: Encoding, atom: Any, world: Any) -> Any:
        raise Unsupported(f"the comparison {atom.describe()!r}")

    monkeypatch.setattr(Encoding, "_atom", refuse)
    (proof, *_) = prove_invariants(default_ruleset())
    assert proof.outcome == "unsupported"
    report = check_ruleset(load_ruleset(DESIGN_AGENCY), engine="native", builtin=())
    codes = {f.code for f in report.findings}
    assert "unsupported" in codes
    assert "invariant-violated" in codes  # the search still finds the violation
    assert report.method == "exact"
    assert report.proofs == ()


def test_floating_point_disagreement_is_not_proven(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the engine does not confirm the solver's example, the result is 'not proven'."""
    monkeypatch.setattr(
        "outsourcing_rules.quality.verification.decide",
        lambda task, owner, **kw: decide(task, owner, ruleset=default_ruleset(), engine="native"),
    )
    proofs = by_name(prove_invariants(load_ruleset(DESIGN_AGENCY)))
    core = proofs["core-never-outsourced"]
    assert core.outcome == "not-proven"
    assert "floating point" in core.detail


def test_the_names_of_built_in_invariants_agree_with_the_test_kit() -> None:
    """The checker's copy of the built-in names matches outsourcing_rules.testing."""
    assert tuple(BUILTIN_INVARIANTS) == BUILTIN_NAMES
    assert tuple(HARD_INVARIANTS) == HARD_NAMES


def test_solver_available() -> None:
    """z3 is installed for the test suite (the 'test' extra)."""
    assert encoding_module.solver_available()


# --- the encoding means what the engines compute -------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=ruleset_data(max_rules=4, max_depth=2),
    task=tasks(),
    owner=st.none() | owners(),
)
def test_the_encoding_agrees_with_the_evaluator(
    data: dict[str, Any], task: Task, owner: Owner | None
) -> None:
    """With every input fixed to a real task's, each rule applies in z3 exactly when it does."""
    ruleset = load_ruleset(data)
    encoding = Encoding(ruleset)
    z3 = encoding.z3
    world = encoding.world()
    solver = encoding.solver(5000)
    solver.add(*world.constraints())
    values = fact_values(task, owner)
    categories = encoding.categories
    for name in encoding_module._INPUTS:
        known = world.known[name]
        if name == "core_competencies":
            given_value = None if owner is None else owner.core_competencies
        elif name == "owner_hourly_rate":
            given_value = None if owner is None else owner.hourly_rate
        elif name == "stated_core_competency":
            given_value = task.core_competency
        else:
            given_value = getattr(task, name)
        solver.add(known == (given_value is not None))
        if given_value is None:
            continue
        named = categories[:-1]  # the last is "another category"
        if name in ("core_competencies", "tags"):
            for label, has in world.members[name].items():
                if name == "core_competencies" and label == encoding.other:
                    other = task.category is not None and task.category not in named
                    solver.add(has == (other and task.category in given_value))
                else:
                    solver.add(has == (label in given_value))
        elif name == "category":
            index = named.index(given_value) if given_value in named else len(named)
            solver.add(world.value[name] == index)
        elif isinstance(given_value, bool):
            solver.add(world.value[name] == given_value)
        elif hasattr(given_value, "names"):
            solver.add(world.value[name] == int(given_value))
        else:
            solver.add(
                world.value[name] == encoding_module._rational(z3, given_value, encoding.ctx)
            )
    assert solver.check() == z3.sat
    for rule in ruleset.rules:
        expected = evaluate(rule.condition, values) is True
        if any(_inexact(values.get(a.fact), a.value) for a in atoms(rule.condition)):
            continue  # floating point and exact arithmetic may part at a threshold
        result = solver.check(encoding.truth(rule.condition, world))
        assert (result == z3.sat) is expected, rule.id


def _inexact(value: Any, constant: Any) -> bool:
    """Whether a derived float and a rule constant are close enough for rounding to matter."""
    if not isinstance(value, float) or isinstance(constant, frozenset | bool):
        return False
    if not isinstance(constant, int | float):
        return False
    return math.isclose(value, constant, rel_tol=1e-9, abs_tol=1e-12)


# --- proofs agree with brute force ------------------------------------------------------------

SMALL_FACTS = ("repetitive", "only_owner", "skill", "category", "times_per_year")
SMALL_CATEGORIES = ("design", "email")
WHENS = [
    {"repetitive": True},
    {"skill": {"le": "basic"}},
    {"category": "design"},
    {"times_per_year": {"ge": 12}},
    {"any": [{"only_owner": True}, {"category": {"ne": "email"}}]},
]


def _number_points(ruleset: Ruleset) -> list[float | None]:
    constants = sorted(
        {
            float(v)
            for c in [r.condition for r in ruleset.rules] + [i.when for i in ruleset.invariants]
            for a in atoms(c)
            if a.fact == "times_per_year"
            for v in (a.value if isinstance(a.value, frozenset) else [a.value])
            if 0 <= v <= 1_000_000
        }
        | {0.0, 1_000_000.0}
    )
    points: set[float] = set(constants)
    for c in constants:
        points.update(math.nextafter(c, d) for d in (-math.inf, math.inf))
    return [None, *sorted(p for p in points if 0 <= p <= 1_000_000)]


def _named(ruleset: Ruleset, fact: str) -> list[Any]:
    """Return the values the ruleset's conditions compare *fact* with."""
    conditions = [r.condition for r in ruleset.rules] + [i.when for i in ruleset.invariants]
    return sorted(
        {
            v
            for c in conditions
            for a in atoms(c)
            if a.fact == fact
            for v in (a.value if isinstance(a.value, frozenset) else [a.value])
        },
        key=str,
    )


def _brute_force(ruleset: Ruleset) -> bool:
    """Whether some task over SMALL_FACTS breaks the ruleset's one invariant."""
    (invariant,) = ruleset.invariants
    domains: dict[str, list[Any]] = {
        "repetitive": [None, True, False],
        "only_owner": [None, True, False],
        "skill": [None, "none", "basic", "competent", "expert"],
        "category": [None, *SMALL_CATEGORIES, "other", *_named(ruleset, "category")],
        "times_per_year": _number_points(ruleset),
    }
    for combo in itertools.product(*domains.values()):
        task = Task(name="t", **dict(zip(domains, combo, strict=True)))
        if evaluate(invariant.when, fact_values(task, None)) is not True:
            continue
        verdict = decide(task, None, ruleset=ruleset, engine="native").verdict
        if (verdict is invariant.verdict) is not invariant.always:
            return True
    return False


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=ruleset_data(max_rules=3, facts=SMALL_FACTS, categories=SMALL_CATEGORIES, max_depth=2),
    when=st.sampled_from(WHENS),
    verdict=st.sampled_from([v.value for v in Verdict]),
    always=st.booleans(),
)
def test_proofs_agree_with_brute_force(
    data: dict[str, Any], when: dict[str, Any], verdict: str, always: bool
) -> None:
    """On small rulesets, 'proved' means no task breaks the invariant, 'violated' that one does."""
    data = data | {"invariants": [{"when": when, ("always" if always else "never"): verdict}]}
    ruleset = load_ruleset(data)
    (proof,) = prove_invariants(ruleset, builtin=())
    if proof.outcome == "not-proven":
        return  # a solver model floating point cannot reach; nothing is claimed
    assert proof.outcome in ("proved", "violated")
    assert (proof.outcome == "violated") is _brute_force(ruleset)


def test_proof_objects_are_frozen() -> None:
    """A proof is a value."""
    (proof, *_) = prove_invariants(default_ruleset())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        proof.outcome = "x"  # type: ignore[misc]


def test_a_product_of_alternatives_is_answered() -> None:
    """Fourteen 'any' of five comparisons each (5**14 conjunctions written out) is no problem.

    The per-fact lint would have to expand the product; the solver does not.
    """
    anys = [
        {
            "any": [{"times_per_year": {"ge": i * 10 + k}} for k in range(4)]
            + [{"hours_each": {"lt": i + 1}}]
        }
        for i in range(14)
    ]
    data = {
        "ruleset": "product",
        "default": {"verdict": "keep", "because": "x"},
        "rules": [
            {
                "id": f"r{j}",
                "priority": j,
                "when": {"all": anys},
                "then": "outsource",
                "because": "x",
            }
            for j in range(3)
        ],
        "invariants": [{"when": {"all": anys}, "never": "eliminate"}],
    }
    report = check_ruleset(data, engine="native")
    assert [p.outcome for p in report.proofs] == ["proved", "violated"]
    codes = {f.code for f in report.findings}
    assert {"never-decides", "identical-rules", "redundant"} <= codes
    assert "too-complex" not in codes
