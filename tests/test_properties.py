"""Invariants of the default ruleset's decisions, property-tested on both engines.

Each property is a statement about the domain (RULES.md), checked over
Hypothesis-generated tasks and owners.
"""

from __future__ import annotations

import random
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from outsourcing_rules import (
    Enjoyment,
    Owner,
    Skill,
    Task,
    Verdict,
    decide,
    decide_all,
    default_ruleset,
)
from outsourcing_rules.core.conditions import Atom, evaluate
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.testing import owners, tasks

from conftest import ENGINE_PARAMS

DEFAULT = default_ruleset()
THRESHOLDS = [DEFAULT.parameters["low_frequency_per_year"], 2]
each_engine = pytest.mark.parametrize("engine", ENGINE_PARAMS)
task_strategy = tasks(thresholds=THRESHOLDS)
owner_strategy = st.none() | owners(thresholds=THRESHOLDS)


def _is_owner_work(task: Task, owner: Owner | None) -> bool:
    values = fact_values(task, owner)
    return values["core_competency"] is True or values["only_owner"] is True


@st.composite
def owner_work(draw: st.DrawFn) -> tuple[Task, Owner | None]:
    """Draw a task that is core work or only the owner's, in each way it can be."""
    task, owner = draw(task_strategy), draw(owner_strategy)
    how = draw(st.sampled_from(["stated core", "owner only", "core category"]))
    if how == "core category" and owner is not None and owner.core_competencies:
        category = draw(st.sampled_from(sorted(owner.core_competencies)))
        return attrs.evolve(task, category=category), owner
    if how == "owner only":
        return attrs.evolve(task, only_owner=True), owner
    return attrs.evolve(task, core_competency=True), owner


@st.composite
def other_work(draw: st.DrawFn) -> tuple[Task, Owner | None]:
    """Draw a task, mostly made neither core work nor only the owner's (false or unknown).

    Drawn this way rather than filtered, so that a search rarely has to throw
    cases away (Hypothesis fails a test that filters out most of them).
    """
    task, owner = draw(task_strategy), draw(owner_strategy)
    if draw(st.integers(0, 3)):
        unsure = st.sampled_from([False, None])
        task = attrs.evolve(task, core_competency=draw(unsure), only_owner=draw(unsure))
        if owner is not None and owner.core_competencies and task.category is not None:
            owner = attrs.evolve(owner, core_competencies=owner.core_competencies - {task.category})
    return task, owner


@each_engine
@given(task=task_strategy, owner=owner_strategy)
def test_totality(engine: str, task: Task, owner: Owner | None) -> None:
    """Any valid task gets exactly one verdict, from its highest-priority match or the default."""
    decision = decide(task, owner, engine=engine)
    assert decision.verdict in set(Verdict)
    if decision.matches:
        assert decision.rule_id == decision.matches[0].rule_id
        assert decision.verdict is decision.matches[0].verdict
    else:
        assert decision.rule_id is None
        assert decision.verdict is DEFAULT.default_verdict


@each_engine
@given(case=owner_work())
def test_core_work_and_owner_only_work_are_kept(
    engine: str, case: tuple[Task, Owner | None]
) -> None:
    """Core competency and only-the-owner work is always kept, whatever else is true."""
    task, owner = case
    assert _is_owner_work(task, owner)
    decision = decide(task, owner, engine=engine)
    assert decision.verdict is Verdict.KEEP
    assert decision.rule_id in {"core-competency", "only-owner"}


def _worse_variants(task: Task) -> list[tuple[str, Task]]:
    """Tasks that are the same but liked less, done worse, more often or with less time."""
    out: list[tuple[str, Task]] = []
    if task.enjoyment is not None:
        out += [
            (f"enjoyment {e}", attrs.evolve(task, enjoyment=e))
            for e in Enjoyment
            if e < task.enjoyment
        ]
    if task.skill is not None:
        out += [(f"skill {s}", attrs.evolve(task, skill=s)) for s in Skill if s < task.skill]
    if task.times_per_year is not None and not task.one_off:
        for more in (task.times_per_year + 1, task.times_per_year * 2 + 12, 1_000_000):
            if task.times_per_year < more <= 1_000_000:
                out.append((f"times_per_year {more}", attrs.evolve(task, times_per_year=more)))
    if task.time_available is True:
        out.append(("time_available false", attrs.evolve(task, time_available=False)))
    return out


@each_engine
@given(case=other_work())
def test_monotone_in_dislike_skill_frequency_and_time(
    engine: str, case: tuple[Task, Owner | None]
) -> None:
    """Non-core work handed off stays handed off when it gets worse for the owner.

    Liking it less, being less skilled, doing it more often or having less
    time never turns an outsourced task into a kept one.
    """
    task, owner = case
    assume(not _is_owner_work(task, owner))
    decision = decide(task, owner, engine=engine)
    assume(decision.verdict is Verdict.OUTSOURCE)
    for change, worse in _worse_variants(task):
        after = decide(worse, owner, engine=engine)
        assert after.verdict is not Verdict.KEEP, f"{change}: {after.explain()}"


@each_engine
@given(task=task_strategy, owner=owner_strategy, data=st.data())
def test_deterministic_order_independent_and_pure(
    engine: str, task: Task, owner: Owner | None, data: st.DataObject
) -> None:
    """The same facts always give the same decision, and deciding changes no input.

    This holds whatever else is decided around the task, in any order.
    """
    before = (task.to_dict(), None if owner is None else owner.to_dict())
    first = decide(task, owner, engine=engine)
    others = data.draw(st.lists(task_strategy, max_size=5))
    batch = [*others, task]
    random.Random(data.draw(st.integers(0, 1000))).shuffle(batch)
    again = decide_all(batch, owner, engine=engine)[batch.index(task)]
    assert again == first
    assert again.matched_rule_ids == first.matched_rule_ids
    assert (task.to_dict(), None if owner is None else owner.to_dict()) == before


def _holds(check: Any) -> bool:
    return Atom(check.fact, check.op, check.expected).test(check.actual) is True


@each_engine
@given(task=task_strategy, owner=owner_strategy)
def test_explanations_are_sound_and_complete(engine: str, task: Task, owner: Owner | None) -> None:
    """Explanations cite only what holds, miss nothing, and name the right winner.

    Every cited condition holds on the task's facts; the matches are exactly
    the rules whose condition is true (three-valued); the deciding rule is
    the highest-priority match.
    """
    decision = decide(task, owner, engine=engine)
    values = fact_values(task, owner)
    for match in decision.matches:
        assert match.checks, match.rule_id
        for check in match.checks:
            assert check.actual == values[check.fact]
            assert _holds(check), (match.rule_id, check)
    applies = [r.id for r in DEFAULT.rules if evaluate(r.when, values) is True]
    assert list(decision.matched_rule_ids) == applies
    priorities = [m.priority for m in decision.matches]
    assert priorities == sorted(priorities, reverse=True)
    text = decision.trace()
    assert text.startswith(decision.verdict.value.capitalize())
    for match in decision.matches:
        assert match.rule_id in text
    assert decision.explain().startswith(_OWNER_OPENING[decision.verdict])


_OWNER_OPENING = {
    Verdict.KEEP: "Keep doing ",
    Verdict.OUTSOURCE: "Hand ",
    Verdict.ELIMINATE: "Stop ",
}


@each_engine
@given(
    task=task_strategy,
    owner=owner_strategy,
    name=st.text(min_size=1).filter(str.strip),
    description=st.none() | st.text(),
)
def test_name_and_description_never_decide(
    engine: str, task: Task, owner: Owner | None, name: str, description: str | None
) -> None:
    """Renaming or redescribing a task never changes its verdict or matches."""
    before = decide(task, owner, engine=engine)
    after = decide(attrs.evolve(task, name=name, description=description), owner, engine=engine)
    assert (after.verdict, after.matched_rule_ids) == (before.verdict, before.matched_rule_ids)
