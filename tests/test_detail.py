"""One decision in full: the JSON detail and the text rendering."""

from __future__ import annotations

import json

import attrs

from outsourcing_rules import Task, decide
from outsourcing_rules.render.detail import decision_detail, detail_text
from outsourcing_rules.render.sections import figure

import _examples
from _examples import FLIGHTS, SALLY

#: Sally's invoicing, its procedure written down.
INVOICING = attrs.evolve(_examples.INVOICING, procedure_documented=True)


def test_detail_has_everything(engine: str) -> None:
    """The detail is to_dict: explanation, misses, unknowns, counterfactuals and hand-off."""
    decision = decide(INVOICING, SALLY, engine=engine)
    data = decision_detail(decision)
    json.dumps(data)
    assert data == decision.to_dict(max_changes=2)
    assert {"explanation", "why_not", "unknowns", "counterfactuals", "handoff"} <= set(data)
    assert data["handoff"]["role"] == "bookkeeper"
    first = decision.counterfactuals()[0]
    assert data["counterfactuals"][0]["description"] == first.describe()
    assert data["counterfactuals"][0]["advice"] == first.advice()
    assert {m["rule"] for m in data["why_not"]} >= {"skill-gap", "low-frequency"}


def test_detail_of_a_kept_task_has_no_handoff() -> None:
    """The hand-off is null unless the task is outsourced."""
    assert decision_detail(decide(FLIGHTS))["handoff"] is None


def test_text_sections(engine: str) -> None:
    """The text shows every section, in order.

    Head, deciding rule, explanation, trace, matches, misses, economics,
    unknowns, changes, hand-off and provenance.
    """
    text = detail_text(decide(INVOICING, SALLY, engine=engine))
    assert text.startswith(
        "Client invoicing: OUTSOURCE\n\nDecided by rule opportunity-cost (priority 40).\n\nHand "
    )
    order = [
        "rule opportunity-cost decides (priority 40) because",
        "Rules that applied:",
        "Rules that did not apply:",
        "Economics:",
        "Unknown facts that matter:",
        "What would change the verdict:",
        "Hand-off:",
        "Decided by ruleset default version 2 (digest ",
    ]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "  Saving a year            $44,200" in text
    assert "  would be kept if a provider charged $250.01 an hour or more (the default)" in text
    assert "    [x] Write down how the task is done" in text
    assert text.rstrip().endswith(f"on the {engine} engine.")


def test_text_of_a_loser_says_why_it_lost() -> None:
    """Flights: the losing annoyance rule is shown with the reason it lost."""
    text = detail_text(decide(FLIGHTS))
    assert "  low-frequency  keep             60  decides" in text
    assert (
        "  annoyance      outsource        50  priority 50 is below low-frequency's 60"
        "  enjoyment at most dislike: it is dislike"
    ) in text
    assert "Hand-off:" not in text


def test_text_of_the_default() -> None:
    """With no rule applying, the head says the default decided."""
    text = detail_text(decide(Task(name="x", core_competency=False)))
    assert text.splitlines()[:3] == [
        "x: KEEP",
        "",
        "No rule applied: the ruleset's default decided.",
    ]
    assert "Rules that applied:" not in text


def test_figures() -> None:
    """Money as dollars, hours to one decimal, unknown as a word."""
    assert figure("saving_per_year", 44_200) == "$44,200"
    assert figure("hours_per_week", 1.1538) == "1.2"
    assert figure("hours_per_year", None) == "unknown"
