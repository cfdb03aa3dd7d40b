"""Composing rulesets: ``extends`` chains, parameter overrides, ``overrides`` and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import (
    Enjoyment,
    Limits,
    Owner,
    RulesetError,
    Skill,
    Task,
    Verdict,
    decide,
    default_ruleset,
    load_ruleset,
)

from conftest import write_text

OWNER = Owner(name="Pat", hourly_rate=60, core_competencies={"coaching"})

#: Booking flights six times a year, disliked: rare enough to keep under the default.
FLIGHTS = Task(
    name="Book flights",
    category="travel",
    times_per_year=6,
    one_off=False,
    hours_each=1,
    skill=Skill.COMPETENT,
    enjoyment=Enjoyment.DISLIKE,
)


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """Write agency.yaml -> base/team.yaml -> default and return the agency file."""
    write_text(
        tmp_path,
        "base/team.yaml",
        """
        ruleset: team
        extends: default
        parameters:
          payroll_categories: [payroll, salaries]
        rules:
          - id: confidential
            priority: 95
            when: {category: {in: $payroll_categories}}
            then: keep
            because: Pay data stays in house.
        roles:
          payroll: payroll clerk
        invariants:
          - when: {category: payroll}
            never: outsource
        """,
    )
    return write_text(
        tmp_path,
        "agency.yaml",
        """
        ruleset: agency
        version: 2
        extends: base/team.yaml
        parameters:
          low_frequency_per_year: 4
        overrides:
          - id: time-scarcity
            disabled: true
        roles:
          travel: travel agent
        """,
    )


def test_a_chain_of_three_collects_rules_parameters_roles_and_invariants(chain: Path) -> None:
    """The chain agency -> team -> default: every level contributes, the nearest one wins."""
    ruleset = load_ruleset(chain)
    assert ruleset.name == "agency"
    assert ruleset.version == 2
    assert ruleset.extends == "base/team.yaml"
    assert "confidential" in ruleset.rule_ids
    assert "time-scarcity" not in ruleset.rule_ids
    assert set(default_ruleset().rule_ids) - {"time-scarcity"} <= set(ruleset.rule_ids)
    assert ruleset.parameters["low_frequency_per_year"] == 4
    assert ruleset.parameters["payroll_categories"] == ["payroll", "salaries"]
    assert ruleset.parameters["opportunity_cost_ratio"] == 2
    assert ruleset.roles["payroll"] == "payroll clerk"
    assert ruleset.roles["travel"] == "travel agent"
    assert ruleset.roles["invoicing"] == "bookkeeper"
    assert len(ruleset.invariants) == len(default_ruleset().invariants) + 1


def test_each_rule_remembers_the_file_that_wrote_it(chain: Path) -> None:
    """Rules keep the file and line of the level that wrote them, for messages and audits."""
    ruleset = load_ruleset(chain)
    assert ruleset.rule("confidential").path is not None
    assert ruleset.rule("confidential").path.endswith("team.yaml")
    assert ruleset.rule("confidential").line == 6
    assert ruleset.rule("skill-gap").path == "default"


def test_each_invariant_remembers_the_file_that_wrote_it(chain: Path) -> None:
    """Inherited invariants point at the default ruleset, the team's at its own file."""
    ruleset = load_ruleset(chain)
    assert [i.path for i in ruleset.invariants[:-1]] == ["default"] * 4
    assert ruleset.invariants[-1].path is not None
    assert ruleset.invariants[-1].path.endswith("team.yaml")
    assert ruleset.invariants[-1].line == 14


def test_extends_is_relative_to_the_file_not_the_working_directory(
    chain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the same file from elsewhere finds the same base."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_ruleset(chain) == load_ruleset(str(chain))
    assert "confidential" in load_ruleset(chain).rule_ids


def test_a_lower_parameter_changes_the_decision(engine: str, chain: Path) -> None:
    """Six flights a year stay under the default (under 12) but go out under the agency's 4."""
    before = decide(FLIGHTS, OWNER, engine=engine)
    after = decide(FLIGHTS, OWNER, ruleset=load_ruleset(chain), engine=engine)
    assert (before.verdict, before.rule_id) == (Verdict.KEEP, "low-frequency")
    assert (after.verdict, after.rule_id) == (Verdict.OUTSOURCE, "annoyance")


def test_a_parameter_list_from_the_middle_level_is_used(engine: str, chain: Path) -> None:
    """The team's payroll categories reach the rule that refers to them."""
    ruleset = load_ruleset(chain)
    salaries = Task(name="Salaries", category="salaries", skill=Skill.NONE)
    decision = decide(salaries, OWNER, ruleset=ruleset, engine=engine)
    assert (decision.verdict, decision.rule_id) == (Verdict.KEEP, "confidential")
    assert "skill-gap" in decision.matched_rule_ids


def test_a_disabled_rule_never_applies(engine: str, chain: Path) -> None:
    """With time-scarcity disabled, a task nobody has time for falls through to the default."""
    crm = Task(name="Update the CRM", category="crm", time_available=False)
    assert decide(crm, OWNER, engine=engine).rule_id == "time-scarcity"
    decision = decide(crm, OWNER, ruleset=load_ruleset(chain), engine=engine)
    assert decision.rule_id is None
    assert decision.verdict is Verdict.KEEP
    assert decision.matched_rule_ids == ()


def test_an_override_changes_priority_and_the_winner(tmp_path: Path, engine: str) -> None:
    """Raising annoyance above low-frequency makes disliked rare tasks go out."""
    path = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - id: annoyance
            priority: 65
            role: travel agent
        """,
    )
    ruleset = load_ruleset(path)
    assert ruleset.rule("annoyance").priority == 65
    assert ruleset.rule("annoyance").role == "travel agent"
    assert ruleset.rule("annoyance").when == default_ruleset().rule("annoyance").when
    decision = decide(FLIGHTS, OWNER, ruleset=ruleset, engine=engine)
    assert (decision.verdict, decision.rule_id) == (Verdict.OUTSOURCE, "annoyance")
    assert decision.matched_rule_ids == ("annoyance", "low-frequency")


def test_an_override_replaces_the_condition(tmp_path: Path, engine: str) -> None:
    """A new ``when`` replaces the old one entirely."""
    path = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - id: skill-gap
            when: {skill: none}
        """,
    )
    ruleset = load_ruleset(path)
    basic = Task(name="Ads", category="marketing", skill=Skill.BASIC)
    assert decide(basic, OWNER, engine=engine).rule_id == "skill-gap"
    assert decide(basic, OWNER, ruleset=ruleset, engine=engine).rule_id is None


def test_a_cycle_is_an_error_at_the_extends_line(tmp_path: Path) -> None:
    """A chain a -> b -> a cannot be resolved; the error names the file and line that closes it."""
    a = write_text(tmp_path, "a.yaml", "ruleset: a\nextends: b.yaml\n")
    write_text(tmp_path, "b.yaml", "ruleset: b\nversion: 1\nextends: a.yaml\n")
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    assert info.value.path is not None
    assert info.value.path.endswith("b.yaml")
    assert (info.value.line, info.value.key) == (3, "extends")
    assert "cycle" in str(info.value)


def test_a_file_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    """The shortest cycle is caught too."""
    a = write_text(tmp_path, "a.yaml", "ruleset: a\nextends: a.yaml\n")
    with pytest.raises(RulesetError, match="cycle"):
        load_ruleset(a)


def test_extends_deeper_than_the_limit(chain: Path) -> None:
    """``Limits.max_extends`` bounds the chain."""
    assert load_ruleset(chain, limits=Limits(max_extends=2)).name == "agency"
    with pytest.raises(RulesetError, match="deeper than the limit of 1"):
        load_ruleset(chain, limits=Limits(max_extends=1))


def test_a_missing_base_names_the_extends_line(tmp_path: Path) -> None:
    """A base that does not exist is reported where ``extends`` names it."""
    a = write_text(tmp_path, "a.yaml", "ruleset: a\n\nextends: nowhere.yaml\n")
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    assert (info.value.line, info.value.key) == (3, "extends")
    assert "no such file" in str(info.value)


def test_overriding_a_missing_id_suggests_the_nearest(tmp_path: Path) -> None:
    """A typo in an override's id is a load error with a did-you-mean, not a silent no-op."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - id: opportunity-costs
            priority: 10
        """,
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    error = info.value
    assert (error.line, error.key, error.rule_id) == (4, "overrides[0].id", "opportunity-costs")
    assert error.suggestion == "opportunity-cost"
    assert "did you mean 'opportunity-cost'?" in str(error)


def test_an_override_of_a_rule_the_base_disabled_is_missing(tmp_path: Path) -> None:
    """A rule disabled one level down no longer exists for the level above."""
    write_text(
        tmp_path,
        "b.yaml",
        "ruleset: b\nextends: default\noverrides:\n  - {id: annoyance, disabled: true}\n",
    )
    a = write_text(
        tmp_path, "a.yaml", "ruleset: a\nextends: b.yaml\noverrides:\n  - {id: annoyance}\n"
    )
    with pytest.raises(RulesetError, match="does not have"):
        load_ruleset(a)


def test_overriding_one_rule_twice_is_an_error(tmp_path: Path) -> None:
    """Two overrides of one id would silently depend on their order; this used to crash."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - {id: annoyance, disabled: true}
          - {id: annoyance, priority: 5}
        """,
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    assert (info.value.line, info.value.key) == (5, "overrides[1].id")
    assert "overridden twice" in str(info.value)


def test_disabling_and_changing_a_rule_at_once_is_an_error(tmp_path: Path) -> None:
    """Changes to a disabled rule could never take effect, so they are reported."""
    a = write_text(
        tmp_path,
        "a.yaml",
        "ruleset: a\nextends: default\noverrides:\n"
        "  - {id: annoyance, disabled: true, priority: 1}\n",
    )
    with pytest.raises(RulesetError, match="disabled, so changing its priority"):
        load_ruleset(a)


def test_disabled_false_keeps_the_rule(tmp_path: Path) -> None:
    """``disabled: false`` is an override that changes nothing."""
    a = write_text(
        tmp_path,
        "a.yaml",
        "ruleset: a\nextends: default\noverrides:\n  - {id: annoyance, disabled: false}\n",
    )
    assert load_ruleset(a).rule("annoyance") == default_ruleset().rule("annoyance")


def test_a_rule_reusing_a_base_id_redefines_it(tmp_path: Path) -> None:
    """A rule under ``rules`` with an extended rule's id replaces that rule whole."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        rules:
          - {id: eliminate, priority: 1, when: {repetitive: true}, then: keep, because: x}
        """,
    )
    ruleset = load_ruleset(a)
    assert ruleset.rule_ids.count("eliminate") == 1
    assert ruleset.rule("eliminate").priority == 1
    assert ruleset.rule("eliminate").verdict.value == "keep"
    assert len(ruleset.rules) == len(default_ruleset().rules)


def test_redefining_and_overriding_one_rule_is_refused(tmp_path: Path) -> None:
    """One rule cannot be both redefined under ``rules`` and changed under ``overrides``."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - {id: eliminate, priority: 2}
        rules:
          - {id: eliminate, priority: 1, when: {repetitive: true}, then: keep, because: x}
        """,
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    assert (info.value.line, info.value.key) == (6, "rules[0].id")
    assert "both redefined here and changed under overrides" in str(info.value)


CONTRACT_EXAMPLE = """
ruleset: acme-va-agency
version: 3
extends: default
parameters:
  low_frequency_per_year: 12
default:
  verdict: keep
  because: No reason to hand this task off.
rules:
  - id: core-competency
    priority: 100
    when: {core_competency: true}
    then: keep
    because: It is what the business exists to do.
  - id: low-frequency
    priority: 60
    when:
      all:
        - {one_off: false}
        - {times_per_year: {lt: $low_frequency_per_year}}
    then: keep
    because: Too rare to repay the hand-off.
  - id: skill-gap
    priority: 80
    when: {skill: {le: basic}}
    then: outsource
    role: specialist
    because: Someone who is good at this will do it better.
overrides:
  - id: annoyance
    disabled: true
invariants:
  - when: {core_competency: true}
    never: outsource
"""


def test_the_contracts_ruleset_example_loads(tmp_path: Path) -> None:
    """The ruleset file example users were promised loads and means what it says."""
    ruleset = load_ruleset(write_text(tmp_path, "acme.yaml", CONTRACT_EXAMPLE))
    assert ruleset.name == "acme-va-agency"
    assert "annoyance" not in ruleset.rule_ids
    assert ruleset.rule("skill-gap").priority == 80
    assert ruleset.rule_ids[:2] == ("core-competency", "only-owner")
    assert ruleset.rule_ids.index("skill-gap") < ruleset.rule_ids.index("low-frequency")
    assert len(ruleset.invariants) == len(default_ruleset().invariants) + 1


def test_a_bad_parameter_value_is_blamed_where_it_is_set(tmp_path: Path) -> None:
    """A parameter of the wrong type is reported at the agency's line, naming the rule using it."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        parameters:
          low_frequency_per_year: often
        """,
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    error = info.value
    assert error.path == str(a)
    assert (error.line, error.key, error.rule_id) == (
        4,
        "parameters.low_frequency_per_year",
        "low-frequency",
    )
    assert "takes a number" in str(error)


def test_problems_in_an_override_name_the_override(tmp_path: Path) -> None:
    """An unknown fact in an override's condition is placed under ``overrides[i]``."""
    a = write_text(
        tmp_path,
        "a.yaml",
        """
        ruleset: a
        extends: default
        overrides:
          - id: core-competency
            disabled: true
          - id: skill-gap
            when: {skil: {le: basic}}
        """,
    )
    with pytest.raises(RulesetError) as info:
        load_ruleset(a)
    error = info.value
    assert (error.path, error.line, error.key) == (str(a), 7, "overrides[1].when.skil")
    assert error.suggestion == "skill"


def test_overrides_need_extends() -> None:
    """Without a base there is nothing to override."""
    text = (
        "ruleset: a\ndefault: {verdict: keep, because: x}\n"
        "overrides:\n  - {id: annoyance, disabled: true}\n"
    )
    with pytest.raises(RulesetError, match="overrides need extends"):
        load_ruleset(text)
