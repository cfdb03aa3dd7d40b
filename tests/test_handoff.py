"""The hand-off brief: the provider role and the readiness checklist of an outsourced task."""

from __future__ import annotations

import json

import attrs
import pytest

from outsourcing_rules import Owner, Task, Verdict, decide, load_ruleset
from outsourcing_rules.explain.handoff import (
    CHECKLIST,
    DEFAULT_ROLE,
    Handoff,
    Status,
    handoff,
    role_for,
)

SALLY = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
INVOICING = Task(
    name="Client invoicing",
    category="invoicing",
    times_per_year=52,
    hours_each=4,
    provider_hourly_rate=37.5,
    procedure_documented=True,
    outcome_defined=False,
)

BARE = """
ruleset: bare
default: {verdict: keep, because: Keep.}
rules:
  - {id: skill-gap, priority: 3, when: {skill: none}, then: outsource, because: Weak.}
  - {id: custom, priority: 2, when: {repetitive: true}, then: outsource, because: Dull.}
  - {id: named, priority: 1, when: {enjoyment: hate}, then: outsource, role: gofer,
     because: Hated.}
roles: {invoicing: bookkeeper}
"""


def test_role_from_the_category_first(engine: str) -> None:
    """Sally's invoicing goes to a bookkeeper, the role its category names."""
    brief = decide(INVOICING, SALLY, engine=engine).handoff
    assert brief is not None
    assert (brief.role, brief.role_source) == ("bookkeeper", "category")


def test_role_from_the_rule_when_the_category_names_none(engine: str) -> None:
    """A disliked task in no listed category goes where the rule says: a virtual assistant."""
    task = Task(name="Sort the shed", category="chores", enjoyment="hate")
    brief = decide(task, engine=engine).handoff
    assert brief is not None
    assert (brief.role, brief.role_source) == ("virtual assistant", "rule")


@pytest.mark.parametrize(
    ("category", "role"),
    [
        ("accounting", "accountant"),
        ("social-media", "social media manager"),
        ("website", "webmaster"),
        (None, "specialist"),
    ],
)
def test_skill_gaps_go_to_the_role_of_their_field(
    engine: str, category: str | None, role: str
) -> None:
    """RULES.md's role table: S2 to an accountant, S3 to a marketer, S12 to a webmaster."""
    task = Task(name="t", category=category, skill="basic")
    brief = decide(task, Owner(hourly_rate=90), engine=engine).handoff
    assert brief is not None
    assert brief.role == role


def test_role_fallbacks() -> None:
    """Category first, then the rule's role, else the default role."""
    ruleset = load_ruleset(BARE)
    weak = decide(Task(name="t", skill="none"), ruleset=ruleset)
    assert role_for(weak) == (DEFAULT_ROLE, "default")
    dull = decide(Task(name="t", repetitive=True), ruleset=ruleset)
    assert role_for(dull) == (DEFAULT_ROLE, "default")
    hated = decide(Task(name="t", enjoyment="hate"), ruleset=ruleset)
    assert role_for(hated) == ("gofer", "rule")
    hated_bill = decide(Task(name="t", enjoyment="hate", category="invoicing"), ruleset=ruleset)
    assert role_for(hated_bill) == ("bookkeeper", "category")
    billed = decide(Task(name="t", repetitive=True, category="invoicing"), ruleset=ruleset)
    assert role_for(billed) == ("bookkeeper", "category")


def test_checklist_is_marked_from_the_facts() -> None:
    """procedure_documented true: done; outcome_defined false: to do; the rest to do."""
    brief = decide(INVOICING, SALLY).handoff
    assert brief is not None
    assert [(i.key, i.status) for i in brief.checklist] == [
        ("procedure", Status.DONE),
        ("goals", Status.TO_DO),
        ("outcome", Status.TO_DO),
        ("agreement", Status.TO_DO),
        ("instructions", Status.TO_DO),
        ("review", Status.TO_DO),
    ]
    assert not brief.ready
    assert [i.key for i in brief.to_do] == [
        "goals",
        "outcome",
        "agreement",
        "instructions",
        "review",
    ]


def test_unknown_facts_leave_items_unknown() -> None:
    """With the readiness facts not given, their items are unknown."""
    task = attrs.evolve(INVOICING, procedure_documented=None, outcome_defined=None)
    brief = decide(task, SALLY).handoff
    assert brief is not None
    assert [i.status for i in brief.checklist[:3]] == [Status.UNKNOWN] * 3


def test_the_checklist_covers_the_domain_items() -> None:
    """Procedure, goals, outcome and reporting, agreement, deadlines, yearly review."""
    assert [key for key, _, _ in CHECKLIST] == [
        "procedure",
        "goals",
        "outcome",
        "agreement",
        "instructions",
        "review",
    ]


@pytest.mark.parametrize(
    "task",
    [
        Task(name="Core", core_competency=True, skill="none"),
        Task(name="Report", can_be_eliminated=True),
        Task(name="Nothing"),
    ],
)
def test_no_brief_unless_outsourced(task: Task) -> None:
    """Kept and eliminated tasks have no hand-off brief."""
    decision = decide(task)
    assert decision.verdict is not Verdict.OUTSOURCE
    assert decision.handoff is None
    assert handoff(decision) is None


def test_describe_and_to_dict() -> None:
    """The brief reads as a checklist and serialises to JSON."""
    brief = decide(INVOICING, SALLY).handoff
    assert brief is not None
    text = brief.describe()
    assert text.splitlines()[0] == "Hand 'Client invoicing' to a bookkeeper. Before handing it off:"
    assert "[x] Write the procedure" in text
    assert "(to do)" in text
    data = brief.to_dict()
    json.dumps(data)
    assert data["role"] == "bookkeeper"
    assert data["checklist"][0] == {
        "item": "procedure",
        "text": CHECKLIST[0][1],
        "status": "done",
        "fact": "procedure_documented",
    }


def test_an_article_before_a_vowel() -> None:
    """'an accountant', not 'a accountant'."""
    brief = Handoff("Taxes", "accountant", "category", ())
    assert brief.describe().startswith("Hand 'Taxes' to an accountant.")
    assert brief.ready


def test_the_brief_is_cached_and_frozen() -> None:
    """The same brief object comes back, and it cannot be changed."""
    decision = decide(INVOICING, SALLY)
    brief = decision.handoff
    assert brief is decision.handoff
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        brief.role = "x"  # type: ignore[misc, union-attr]
