"""The hand-off brief: the provider role and the readiness checklist of an outsourced task."""

from __future__ import annotations

import json

import attrs
import pytest

from outsourcing_rules import Owner, Task, Verdict, decide, load_ruleset
from outsourcing_rules.explain.handoff import (
    CHECKLIST,
    DEFAULT_ROLE,
    BriefKind,
    ChecklistItem,
    Handoff,
    Status,
    handoff,
    items_for,
    role_for,
)

import _examples
from _examples import SALLY

#: Sally's invoicing, its procedure written down but its outcome not defined.
INVOICING = attrs.evolve(_examples.INVOICING, procedure_documented=True, outcome_defined=False)

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


def test_role_from_the_category_first() -> None:
    """Sally's invoicing goes to a bookkeeper, the role its category names."""
    brief = decide(INVOICING, SALLY, engine="native").handoff
    assert brief is not None
    assert (brief.role, brief.role_source) == ("bookkeeper", "category")


def test_role_from_the_rule_when_the_category_names_none() -> None:
    """A disliked task in no listed category goes where the rule says: a virtual assistant."""
    task = Task(name="Sort the shed", category="chores", enjoyment="hate")
    brief = decide(task, engine="native").handoff
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
def test_skill_gaps_go_to_the_role_of_their_field(category: str | None, role: str) -> None:
    """RULES.md's role table: S2 to an accountant, S3 to a marketer, S12 to a webmaster."""
    task = Task(name="t", category=category, skill="basic")
    brief = decide(task, Owner(hourly_rate=90), engine="native").handoff
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


def _keys(brief: Handoff | None) -> list[str]:
    assert brief is not None
    return [item.key for item in brief.checklist]


#: Items only a recurring hand-off needs.
RECURRING_ONLY = {"procedure", "report", "review", "let-go", "agreement"}
#: Items only a one-off project needs.
ONE_OFF_ONLY = {"deadline", "price"}


def test_a_recurring_chore_gets_procedure_report_review_and_let_go() -> None:
    """Sally's weekly invoicing: the written procedure (done), a report, a yearly review, let go.

    No deadline, no fixed price and no expertise item: it is a routine, not a
    project, and Sally can do it herself.
    """
    brief = decide(INVOICING, SALLY, engine="native").handoff
    assert brief is not None
    assert brief.kind is BriefKind.RECURRING
    assert [(i.key, i.status) for i in brief.checklist] == [
        ("procedure", Status.DONE),
        ("report", Status.TO_DO),
        ("agreement", Status.TO_DO),
        ("review", Status.TO_DO),
        ("let-go", Status.TO_DO),
    ]
    assert not ONE_OFF_ONLY & set(_keys(brief))
    assert "expertise" not in _keys(brief)
    assert not brief.ready
    assert [i.key for i in brief.to_do] == ["report", "agreement", "review", "let-go"]


def test_a_one_off_project_gets_outcome_deadline_and_price() -> None:
    """A one-off vendor search (S4): the result, a due date and a fixed price; no yearly review."""
    task = Task(
        name="Find a business-card printer", one_off=True, enjoyment="hate", outcome_defined=True
    )
    brief = decide(task, engine="native").handoff
    assert brief is not None
    assert brief.kind is BriefKind.ONE_OFF
    assert [(i.key, i.status) for i in brief.checklist] == [
        ("outcome", Status.DONE),
        ("deadline", Status.TO_DO),
        ("price", Status.TO_DO),
    ]
    assert not RECURRING_ONLY & set(_keys(brief))
    assert "expertise" not in _keys(brief)
    text = brief.describe()
    assert "once a year" not in text
    assert "report" not in text


def test_a_skill_gap_is_a_hire_for_expertise() -> None:
    """Accounting the owner cannot do (S2): hire for a track record; no procedure of the owner's."""
    task = Task(name="Accounting", category="accounting", skill="none", times_per_year=12)
    brief = decide(task, Owner(hourly_rate=90), engine="native").handoff
    assert brief is not None
    assert brief.kind is BriefKind.EXPERTISE
    assert brief.role == "accountant"
    assert _keys(brief) == ["expertise", "report", "agreement", "review", "let-go"]
    assert "procedure" not in _keys(brief)
    assert "lawyer" in brief.checklist[0].text


def test_a_one_off_skill_gap_gets_expertise_and_the_project_items() -> None:
    """A one-off legal matter the owner lacks the skill for: expertise, outcome, deadline, price."""
    task = Task(name="Review a lease", category="legal", skill="none", one_off=True)
    brief = decide(task).handoff
    assert brief is not None
    assert brief.kind is BriefKind.EXPERTISE
    assert _keys(brief) == ["expertise", "outcome", "deadline", "price"]
    assert not RECURRING_ONLY & set(_keys(brief))


def test_the_facts_mark_what_is_settled() -> None:
    """outcome_defined marks the report of a chore; false is to do, not given unknown."""
    done = attrs.evolve(INVOICING, procedure_documented=False, outcome_defined=True)
    brief = decide(done, SALLY).handoff
    assert brief is not None
    statuses = {i.key: i.status for i in brief.checklist}
    assert statuses["procedure"] is Status.TO_DO
    assert statuses["report"] is Status.DONE
    unknown = attrs.evolve(INVOICING, procedure_documented=None, outcome_defined=None)
    brief = decide(unknown, SALLY).handoff
    assert brief is not None
    statuses = {i.key: i.status for i in brief.checklist}
    assert statuses["procedure"] is Status.UNKNOWN
    assert statuses["report"] is Status.UNKNOWN
    assert statuses["review"] is Status.TO_DO


def test_a_ready_brief() -> None:
    """Every item done makes the brief ready; an empty brief is ready too."""
    assert Handoff("Taxes", "accountant", "category", ()).ready
    item = ChecklistItem("outcome", "x", Status.DONE, "outcome_defined")
    assert Handoff("t", "r", "default", (item,), BriefKind.ONE_OFF).ready


def test_items_for_each_kind() -> None:
    """The item lists themselves, so the choice is pinned apart from any ruleset."""
    assert items_for(one_off=True, skill_gap=False) == ("outcome", "deadline", "price")
    assert items_for(one_off=False, skill_gap=False) == (
        "procedure",
        "report",
        "agreement",
        "review",
        "let-go",
    )
    assert items_for(one_off=False, skill_gap=True) == (
        "expertise",
        "report",
        "agreement",
        "review",
        "let-go",
    )


def test_the_catalogue_holds_every_item_once() -> None:
    """Each key appears once, and only the two readiness facts mark items."""
    keys = [key for key, _, _ in CHECKLIST]
    assert len(keys) == len(set(keys))
    assert {fact for _, _, fact in CHECKLIST} == {None, "procedure_documented", "outcome_defined"}


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
    assert "[x] Write down how the task is done" in text
    assert "(to do)" in text
    data = brief.to_dict()
    json.dumps(data)
    assert data["role"] == "bookkeeper"
    assert data["kind"] == "recurring chore"
    assert data["checklist"][0] == {
        "item": "procedure",
        "text": {k: t for k, t, _ in CHECKLIST}["procedure"],
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


def test_basic_skill_is_a_skill_gap_too() -> None:
    """Knowing only the basics counts as a gap: the brief hires for expertise, with no procedure."""
    task = Task(name="Bookkeeping", category="bookkeeping", skill="basic", times_per_year=12)
    brief = decide(task, Owner(hourly_rate=90)).handoff
    assert brief is not None
    assert brief.kind is BriefKind.EXPERTISE
    assert "expertise" in _keys(brief)
    assert "procedure" not in _keys(brief)
    competent = attrs.evolve(task, skill="competent", repetitive=True)
    other = decide(competent, Owner(hourly_rate=90)).handoff
    assert other is not None
    assert other.kind is BriefKind.RECURRING
    assert "expertise" not in _keys(other)


def test_the_brief_as_data_has_exactly_its_keys() -> None:
    """``to_dict`` names the role, where it came from, the kind and readiness, then the items."""
    brief = decide(INVOICING, SALLY).handoff
    assert brief is not None
    data = brief.to_dict()
    assert list(data) == ["role", "role_source", "kind", "ready", "checklist"]
    assert (data["role_source"], data["ready"]) == ("category", False)
    done = Handoff("Taxes", "accountant", "rule", ())
    assert done.to_dict() == {
        "role": "accountant",
        "role_source": "rule",
        "kind": "recurring chore",
        "ready": True,
        "checklist": [],
    }


def test_a_consonant_takes_a_even_when_it_is_an_x() -> None:
    """The article looks at the vowels only: 'a xerox operator', 'an editor'."""
    assert (
        Handoff("Copies", "xerox operator", "rule", ())
        .describe()
        .startswith("Hand 'Copies' to a xerox operator.")
    )
    assert Handoff("Copy", "editor", "rule", ()).describe().startswith("Hand 'Copy' to an editor.")
