"""Impact of a ruleset change: which decisions change, grouped by kind, with examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import (
    Enjoyment,
    Owner,
    RulesetBuilder,
    Skill,
    Task,
    Verdict,
    decide,
    default_ruleset,
)
from outsourcing_rules.core.rules import Ruleset
from outsourcing_rules.quality.impact import Outcome, impact, simplest
from outsourcing_rules.testing import owners, rulesets, tasks
from outsourcing_rules.testing.sampling import generated_cases

OWNER = Owner(name="Acme", hourly_rate=100)

#: Lower frequency threshold, payroll kept, annoyance disabled.
AGENCY = (
    RulesetBuilder("agency", extends=default_ruleset())
    .parameter("low_frequency_per_year", 6)
    .rule(
        id="payroll",
        priority=95,
        when={"category": "payroll"},
        then="keep",
        because="Pay data stays in house.",
    )
    .override("annoyance", disabled=True)
    .build()
)

INVENTORY = [
    Task(name="Run payroll", category="payroll", skill=Skill.NONE),
    Task(name="Payroll audit", category="payroll", skill=Skill.BASIC),
    Task(name="Book flights", times_per_year=8, enjoyment=Enjoyment.DISLIKE),
    Task(name="Coach clients", category="coaching", skill=Skill.EXPERT),
]


def test_an_inventory_groups_changes_by_kind(engine: str) -> None:
    """Each kind of change lists its tasks; unchanged tasks are only counted."""
    report = impact(default_ruleset(), AGENCY, INVENTORY, OWNER, engine=engine, source="inv.yaml")
    assert report.total == 4
    assert report.changed_count == 3
    assert report.verdict_count == 2
    first, second = report.changes
    assert (first.before, first.after) == (
        Outcome(Verdict.OUTSOURCE, "skill-gap"),
        Outcome(Verdict.KEEP, "payroll"),
    )
    assert [t.name for t, _ in first.examples] == ["Run payroll", "Payroll audit"]
    assert (str(second.before), str(second.after)) == ("keep/low-frequency", "keep/default")
    assert not second.verdict_changed
    assert report.render().splitlines() == [
        "'default' -> 'agency' over 4 tasks of inv.yaml: 3 decisions change (2 in verdict)",
        "  outsource/skill-gap -> keep/payroll: 2 tasks, e.g. Run payroll, Payroll audit",
        "  keep/low-frequency -> keep/default: 1 task, e.g. Book flights",
    ]


def test_rule_only_changes_come_after_verdict_changes() -> None:
    """A task whose verdict stays but whose deciding rule changes is listed, after verdicts."""
    tasks_ = [
        Task(name="Hated flights", times_per_year=20, enjoyment=Enjoyment.HATE),
        Task(name="Payroll by the owner", category="payroll", only_owner=True),
        *INVENTORY,
    ]
    report = impact(default_ruleset(), AGENCY, tasks_, OWNER)
    assert [c.verdict_changed for c in report.changes] == [True, True, False, False]
    assert str(report.changes[1].before) == "outsource/annoyance"
    assert report.changes[-1].describe() == (
        "keep/only-owner -> keep/payroll: 1 task, e.g. Payroll by the owner"
    )


def test_identical_rulesets_change_nothing() -> None:
    """Comparing a ruleset with itself reports no change."""
    report = impact(default_ruleset(), default_ruleset(), INVENTORY, OWNER)
    assert report.changes == ()
    assert report.render().endswith("over 4 tasks: no decision changes")


def test_generated_tasks_find_each_kind_with_a_simple_example() -> None:
    """Without an inventory, generated tasks find the changes; each example shows few facts."""
    report = impact(default_ruleset(), AGENCY, generate=1500)
    assert report.generated
    assert report.total == 1500
    kinds = {(str(c.before), str(c.after)): c for c in report.changes}
    assert ("outsource/skill-gap", "keep/payroll") in kinds
    assert ("outsource/annoyance", "keep/default") in kinds
    assert ("keep/low-frequency", "keep/default") in kinds
    payroll = kinds[("outsource/skill-gap", "keep/payroll")]
    ((task, _),) = payroll.examples
    assert task.category == "payroll"
    assert task.skill in (Skill.NONE, Skill.BASIC)
    assert task.to_dict().keys() == {"name", "category", "skill"}
    assert "e.g. {category: payroll, skill: " in payroll.describe(by_name=False)
    # Every example really shows its change.
    for change in report.changes:
        for example_task, example_owner in change.examples:
            before = decide(example_task, example_owner)
            after = decide(example_task, example_owner, ruleset=AGENCY)
            assert Outcome(before.verdict, before.rule_id) == change.before
            assert Outcome(after.verdict, after.rule_id) == change.after


def test_generation_is_the_same_in_every_process() -> None:
    """Categories and tags from ``in`` lists come in one order whatever the hash seed.

    ``diff`` draws its tasks with a fixed seed, so two runs must draw the
    same tasks; a set's order changes with PYTHONHASHSEED, so a sampler
    that followed it drew other tasks in each process.
    """
    code = textwrap.dedent(
        """
        from outsourcing_rules import load_ruleset
        from outsourcing_rules.testing.sampling import generated_cases
        ruleset = load_ruleset(
            "ruleset: x\\ndefault: {verdict: keep, because: k}\\nrules:\\n"
            "  - {id: a, priority: 1, when: {category: {in: [alpha, beta, gamma, delta]}},"
            " then: outsource, because: b}\\n"
            "  - {id: b, priority: 2, when: {tags: {in: [red, green, blue, cyan]}},"
            " then: eliminate, because: b}\\n"
        )
        print([(t.category, sorted(t.tags or ())) for t, _ in generated_cases([ruleset], 40)])
        """
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(runs) == 1
    drawn = runs.pop()
    assert all(name in drawn for name in ("delta", "gamma", "green", "blue"))


def test_generation_is_deterministic() -> None:
    """The same rulesets give the same generated tasks and the same report."""
    one = generated_cases([default_ruleset(), AGENCY], 200)
    two = generated_cases([default_ruleset(), AGENCY], 200)
    assert one == two
    assert generated_cases([default_ruleset()], 50, seed=1) != generated_cases(
        [default_ruleset()], 50, seed=2
    )
    assert (
        impact(default_ruleset(), AGENCY, generate=300).render()
        == impact(default_ruleset(), AGENCY, generate=300).render()
    )


def test_generated_tasks_aim_at_the_rulesets_values() -> None:
    """Categories and thresholds the rules compare with show up among the generated tasks."""
    cases = generated_cases([AGENCY], 500)
    assert any(t.category == "payroll" for t, _ in cases)
    assert any(t.times_per_year == 6 for t, _ in cases)
    assert any(t.times_per_year is None for t, _ in cases)
    assert any(owner is None for _, owner in cases)


def test_a_given_owner_is_used_for_every_generated_task() -> None:
    """With an owner and no inventory, every generated task belongs to that owner."""
    report = impact(default_ruleset(), AGENCY, owner=OWNER, generate=300)
    assert report.changes
    for change in report.changes:
        for _, owner in change.examples:  # simplified: each fact is the owner's or unknown
            assert owner is not None
            assert owner.name in (None, "Acme")
            assert owner.hourly_rate in (None, 100)
            assert owner.core_competencies is None


def test_to_dict_is_json() -> None:
    """The report's data survives a JSON round trip, examples included."""
    data = impact(default_ruleset(), AGENCY, INVENTORY, OWNER).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["changes"][0]["from"] == {"verdict": "outsource", "rule": "skill-gap"}
    assert data["changes"][0]["examples"][0]["owner"] == {"name": "Acme", "hourly_rate": 100}


@given(rulesets(max_rules=4), rulesets(max_rules=4), st.lists(tasks(), max_size=5), owners())
def test_the_report_accounts_for_every_task(
    base: Ruleset, changed: Ruleset, task_list: list[Task], owner: Owner
) -> None:
    """Tasks whose decision differs are counted once, in the group of their own change."""
    report = impact(base, changed, task_list, owner, engine="native")
    differing = 0
    for task in task_list:
        before = decide(task, owner, ruleset=base, engine="native")
        after = decide(task, owner, ruleset=changed, engine="native")
        if (before.verdict, before.rule_id) != (after.verdict, after.rule_id):
            differing += 1
    assert report.changed_count == differing
    assert report.verdict_count <= report.changed_count
    assert impact(base, base, task_list, owner, engine="native").changes == ()


def test_simplest_keeps_the_kind_of_change() -> None:
    """Simplifying drops facts that do not matter, and keeps those that do."""
    task = Task(
        name="x",
        category="payroll",
        skill=Skill.NONE,
        repetitive=False,
        hours_each=3,
        tags={"admin"},
    )
    simple, owner = simplest((task, OWNER), default_ruleset(), AGENCY)
    assert simple == Task(name="x", category="payroll", skill=Skill.NONE)
    assert owner == Owner()
