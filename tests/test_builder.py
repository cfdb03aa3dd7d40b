"""The ruleset builder and ``dump_ruleset``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given

from outsourcing_rules import (
    Enjoyment,
    Owner,
    RulesetBuilder,
    RulesetError,
    Skill,
    Task,
    Verdict,
    decide,
    default_ruleset,
    dump_ruleset,
    load_ruleset,
)
from outsourcing_rules.testing import rulesets

OWNER = Owner(name="Acme", hourly_rate=80, core_competencies={"coaching"})


def acme() -> RulesetBuilder:
    return (
        RulesetBuilder("acme", extends=default_ruleset(), version=3)
        .parameter("low_frequency_per_year", 6)
        .rule(
            id="payroll-stays",
            priority=95,
            when={"category": {"in": {"payroll", "salaries"}}},
            then="keep",
            because="Pay data stays in house.",
        )
        .override("annoyance", disabled=True)
    )


def test_builds_an_extension_of_a_loaded_ruleset() -> None:
    """The builder adds rules, sets parameters and disables rules of its base."""
    ruleset = acme().build()
    assert ruleset.name == "acme"
    assert ruleset.version == 3
    assert ruleset.extends == "default"
    assert ruleset.parameters["low_frequency_per_year"] == 6
    assert ruleset.parameters["opportunity_cost_ratio"] == 2
    assert "annoyance" not in ruleset.rule_ids
    assert ruleset.rule_ids[:2] == ("core-competency", "payroll-stays")
    assert ruleset.invariants == default_ruleset().invariants


def test_the_built_ruleset_decides_by_its_own_rules(engine: str) -> None:
    """Payroll is kept by the new rule even though the owner has no skill for it."""
    payroll = Task(name="Run payroll", category="payroll", skill=Skill.NONE)
    assert decide(payroll, OWNER, engine=engine).rule_id == "skill-gap"
    decision = decide(payroll, OWNER, ruleset=acme().build(), engine=engine)
    assert (decision.verdict, decision.rule_id) == (Verdict.KEEP, "payroll-stays")


def test_python_values_are_written_as_the_file_would() -> None:
    """Levels, verdicts and sets may be given as Python objects."""
    ruleset = (
        RulesetBuilder("r")
        .default(Verdict.KEEP, "Nothing to do.")
        .rule(
            id="hated",
            priority=10,
            when={"enjoyment": {"le": Enjoyment.DISLIKE}, "tags": {"in": ("admin",)}},
            then=Verdict.OUTSOURCE,
            because="Hated admin goes.",
            role="virtual assistant",
        )
        .build()
    )
    assert ruleset.rule("hated").to_data()["when"] == {
        "all": [{"enjoyment": {"le": "dislike"}}, {"tags": {"in": ["admin"]}}]
    }
    assert ruleset.rule("hated").verdict is Verdict.OUTSOURCE


def test_builders_are_immutable() -> None:
    """Each method returns a new builder; a shared one can grow in two directions."""
    base = RulesetBuilder("base").default("keep", "Nothing to do.")
    strict = base.rule(id="a", priority=1, when={"repetitive": True}, then="eliminate", because="x")
    assert base.build().rules == ()
    assert strict.build().rule_ids == ("a",)
    assert base.parameter("p", 1).build().parameters == {"p": 1}
    assert base.build().parameters == {}


def test_errors_are_the_loaders_errors() -> None:
    """A typo in a built rule fails as it would in a file: same message, key and suggestion."""
    builder = (
        RulesetBuilder("r")
        .default("keep", "x")
        .rule(id="a", priority=1, when={"skil": {"le": "basic"}}, then="outsource", because="x")
    )
    with pytest.raises(RulesetError) as built:
        builder.build()
    with pytest.raises(RulesetError) as loaded:
        load_ruleset(yaml.safe_dump(builder.to_data()))
    assert [(p.message, p.key, p.suggestion) for p in built.value.problems] == [
        (p.message, p.key, p.suggestion) for p in loaded.value.problems
    ]
    assert (built.value.key, built.value.suggestion) == ("rules[0].when.skil", "skill")


def test_an_override_of_a_missing_rule_suggests_one() -> None:
    """Overriding an id the base lacks is a load error with a did-you-mean."""
    with pytest.raises(RulesetError) as info:
        RulesetBuilder("r", extends=default_ruleset()).override("anoyance", disabled=True).build()
    assert (info.value.key, info.value.suggestion) == ("overrides[0].id", "annoyance")


def test_a_bad_parameter_is_blamed_on_the_parameter() -> None:
    """A parameter of the wrong type is reported under parameters, naming the rule using it."""
    with pytest.raises(RulesetError) as info:
        RulesetBuilder("r", extends=default_ruleset()).parameter(
            "opportunity_cost_ratio", "high"
        ).build()
    assert info.value.key == "parameters.opportunity_cost_ratio"
    assert info.value.rule_id == "opportunity-cost"


def test_without_a_base_a_default_is_needed() -> None:
    """A ruleset that extends nothing must say what happens when no rule applies."""
    with pytest.raises(RulesetError, match="needs a default"):
        RulesetBuilder("r").build()


def test_extends_by_name_or_path(tmp_path: Path) -> None:
    """A built-in name or a file path work as ``extends`` does in a file."""
    by_name = RulesetBuilder("r", extends="default").override("repetitive", priority=35).build()
    assert by_name.rule("repetitive").priority == 35
    path = tmp_path / "base.yaml"
    path.write_text(dump_ruleset(by_name), encoding="utf-8")
    by_path = RulesetBuilder("r", extends=str(path)).build()
    assert by_path.rule_ids == by_name.rule_ids
    assert by_path.rule("repetitive").priority == 35


def test_roles_and_invariants_are_added() -> None:
    """Roles merge over the base's; invariants add to the base's."""
    ruleset = (
        acme()
        .role("payroll", "payroll clerk")
        .invariant(when={"category": "payroll"}, never="outsource", description="Pay stays.")
        .build()
    )
    assert ruleset.roles["payroll"] == "payroll clerk"
    assert ruleset.roles["invoicing"] == "bookkeeper"
    assert ruleset.invariants[-1].to_data() == {
        "when": {"category": "payroll"},
        "never": "outsource",
        "description": "Pay stays.",
    }


def test_build_can_prefer_an_engine() -> None:
    """``build(engine=...)`` records the engine decisions use by default."""
    assert acme().build(engine="native").engine == "native"


def test_to_data_with_a_named_base_is_a_loadable_file(tmp_path: Path) -> None:
    """What ``to_data`` returns, written as YAML, loads to the ruleset ``build`` returns."""
    builder = RulesetBuilder("r", extends="default").parameter("low_frequency_per_year", 3)
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(builder.to_data()), encoding="utf-8")
    assert load_ruleset(path) == builder.build()


def test_dump_of_an_extension_is_resolved() -> None:
    """The dump holds every inherited rule and no extends, and loads back equal."""
    ruleset = acme().build()
    text = dump_ruleset(ruleset)
    data = yaml.safe_load(text)
    assert "extends" not in data
    assert [r["id"] for r in data["rules"]] == list(ruleset.rule_ids)
    assert load_ruleset(text) == ruleset


def test_dump_keeps_a_literal_dollar() -> None:
    """Regression: a text value starting with ``$`` used to load back as a parameter."""
    ruleset = (
        RulesetBuilder("r")
        .default("keep", "x")
        .rule(id="a", priority=1, when={"category": "$$ales"}, then="keep", because="x")
        .build()
    )
    assert ruleset.rule("a").when.value == "$ales"  # type: ignore[union-attr]
    assert load_ruleset(dump_ruleset(ruleset)) == ruleset


def test_dump_writes_short_conditions_on_one_line() -> None:
    """The dump reads like a hand-written file."""
    text = dump_ruleset(default_ruleset())
    assert "    when: {core_competency: true}\n" in text
    assert "        - {times_per_year: {lt: $low_frequency_per_year}}\n" in text


@given(rulesets())
def test_dump_then_load_gives_an_equal_ruleset(ruleset: object) -> None:
    """For any valid ruleset, loading its dump gives it back (content, order and digest)."""
    assert isinstance(ruleset, type(default_ruleset()))
    again = load_ruleset(dump_ruleset(ruleset))
    assert again == ruleset
    assert again.rule_ids == ruleset.rule_ids
    assert again.digest == ruleset.digest
