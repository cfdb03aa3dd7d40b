"""Rules and rulesets as values (core.rules): data out, equality, lookup, compiled once."""

from __future__ import annotations

import pytest

from outsourcing_rules import load_ruleset
from outsourcing_rules.core.rules import Ruleset

TEXT = """
ruleset: travel
version: 2
default: {verdict: keep, because: Nothing says otherwise.}
rules:
  - {id: travel, priority: 40, when: {category: {in: [travel, errands]}}, then: outsource,
     because: Agents book it better., role: travel agent}
  - {id: eliminate, priority: 90, when: {can_be_eliminated: true}, then: eliminate,
     because: Nobody needs it.}
invariants:
  - {when: {only_owner: true}, never: outsource, description: The owner's own work stays.}
"""


def test_a_rule_writes_back_every_field_it_was_read_from() -> None:
    """``to_data`` gives the ruleset-file keys, the role included, and reloads to an equal rule."""
    ruleset = load_ruleset(TEXT)
    travel = ruleset.rule("travel")
    assert travel.to_data() == {
        "id": "travel",
        "priority": 40,
        "when": {"category": {"in": ["errands", "travel"]}},
        "then": "outsource",
        "because": "Agents book it better.",
        "role": "travel agent",
    }
    assert "role" not in ruleset.rule("eliminate").to_data()
    assert load_ruleset(ruleset.to_data()) == ruleset


def test_an_invariant_writes_back_its_condition_verdict_and_description() -> None:
    """An invariant's data says ``never`` or ``always`` with the verdict, as written."""
    (invariant,) = load_ruleset(TEXT).invariants
    assert invariant.to_data() == {
        "when": {"only_owner": True},
        "never": "outsource",
        "description": "The owner's own work stays.",
    }


def test_rules_come_in_decision_order() -> None:
    """The highest priority comes first, whatever order the file wrote them in."""
    assert load_ruleset(TEXT).rule_ids == ("eliminate", "travel")


def test_equal_content_is_an_equal_ruleset_and_different_content_is_not() -> None:
    """Equality is by content: the same text twice is equal (and hashes equal); a change is not."""
    one, two = load_ruleset(TEXT), load_ruleset(TEXT)
    assert one == two
    assert hash(one) == hash(two)
    assert len({one, two}) == 1
    changed = load_ruleset(TEXT.replace("priority: 40", "priority: 41"))
    assert changed != one
    assert one != "travel"
    assert one.__eq__("travel") is NotImplemented


def test_looking_up_a_rule_that_does_not_exist_names_it() -> None:
    """``rule()`` raises ``KeyError`` carrying the id asked for."""
    with pytest.raises(KeyError) as raised:
        load_ruleset(TEXT).rule("no-such-rule")
    assert raised.value.args == ("no-such-rule",)


def test_a_ruleset_is_compiled_once_per_engine_key() -> None:
    """``compiled`` builds on first use, then returns the same object without building again."""
    ruleset = load_ruleset(TEXT)
    built: list[str] = []

    def build(which: Ruleset) -> object:
        assert which is ruleset
        built.append(which.name)
        return object()

    first = ruleset.compiled("test-engine", build)
    assert ruleset.compiled("test-engine", build) is first
    assert built == ["travel"]
    other = ruleset.compiled("other-engine", build)
    assert other is not first
    assert built == ["travel", "travel"]


def test_a_list_parameter_is_written_back_as_a_list_of_its_values() -> None:
    """Parameters keep their values in the data out, a list's items included."""
    ruleset = load_ruleset("""
ruleset: p
parameters: {kinds: [travel, errands]}
default: {verdict: keep, because: Nothing says otherwise.}
rules:
  - {id: t, priority: 1, when: {category: {in: $kinds}}, then: outsource, because: Agents.}
""")
    assert ruleset.to_data()["parameters"] == {"kinds": ["travel", "errands"]}


def test_the_digest_is_a_short_hash_of_the_content() -> None:
    """Every ruleset carries 16 hex digits that change with the content and nothing else."""
    one = load_ruleset(TEXT)
    assert len(one.digest) == 16
    assert int(one.digest, 16) >= 0
    assert load_ruleset(TEXT).digest == one.digest
    assert load_ruleset(TEXT.replace("priority: 40", "priority: 41")).digest != one.digest


def test_description_roles_and_an_always_invariant_are_written_back() -> None:
    """The data out keeps the description, the roles and an ``always`` promise."""
    ruleset = load_ruleset("""
ruleset: described
description: Hand off what others do better.
default: {verdict: keep, because: Nothing says otherwise.}
roles: {travel: travel agent}
rules:
  - {id: t, priority: 1, when: {category: travel}, then: outsource, because: Agents.}
invariants:
  - {when: {can_be_eliminated: true}, always: eliminate}
""")
    data = ruleset.to_data()
    assert data["description"] == "Hand off what others do better."
    assert data["roles"] == {"travel": "travel agent"}
    assert data["invariants"] == [{"when": {"can_be_eliminated": True}, "always": "eliminate"}]
