"""Loading rulesets: sources, schema and semantic validation, every problem with its place."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from outsourcing_rules import (
    Enjoyment,
    RulesetError,
    Skill,
    Verdict,
    default_ruleset,
    load_ruleset,
    ruleset_schema,
)
from outsourcing_rules.core.conditions import AllOf, Atom, Not
from outsourcing_rules.loading.reading import builtin_path
from outsourcing_rules.loading.schema import _inline_refs

from _examples import CONTRACT_IDS

HEAD = """\
ruleset: test
default: {verdict: keep, because: Nothing applies.}
"""


def load(body: str) -> object:
    return load_ruleset(HEAD + textwrap.dedent(body))


def problems(body: str) -> list[tuple[int | None, str, str]]:
    """Load *body* expecting failure; return (line, key, message) of each problem."""
    with pytest.raises(RulesetError) as caught:
        load(body)
    return [(p.line, p.key, p.message) for p in caught.value.problems]


def test_default_ruleset_has_the_contract_rule_ids() -> None:
    """Agency rulesets override these ids, so they are part of the contract (version 2 adds)."""
    version_2 = {"revenue-work", "heavy-time-sink", "frequent-routine"}
    assert set(default_ruleset().rule_ids) - version_2 == CONTRACT_IDS
    assert default_ruleset().default_verdict is Verdict.KEEP


def test_the_shipped_ruleset_schema_is_valid_for_its_draft() -> None:
    """The loader trusts the shipped schema without checking it at run time: this checks it."""
    schema = ruleset_schema()
    validator = jsonschema.validators.validator_for(schema)
    assert validator is jsonschema.Draft202012Validator
    validator.check_schema(schema)
    # The loader's copy, with references inlined, is a valid schema too.
    inlined = _inline_refs(schema, schema["$defs"])
    validator.check_schema(inlined)


def test_default_ruleset_matches_the_shipped_schema() -> None:
    """The shipped default validates against the shipped JSON Schema."""
    data = yaml.safe_load(builtin_path("default").read_text(encoding="utf-8"))
    jsonschema.validate(data, ruleset_schema())


def test_rules_are_kept_in_decision_order() -> None:
    """Highest priority first; equal priorities keep the order written."""
    ruleset = load("""
        rules:
          - {id: low, priority: 1, when: {repetitive: true}, then: outsource, because: r}
          - {id: b, priority: 5, when: {only_owner: true}, then: keep, because: r}
          - {id: a, priority: 5, when: {one_off: true}, then: keep, because: r}
    """)
    assert ruleset.rule_ids == ("b", "a", "low")  # type: ignore[attr-defined]


def test_sources_path_text_mapping_bytes_and_name(tmp_path: Path) -> None:
    """A ruleset loads from a path, YAML text, JSON text, a mapping, bytes or a built-in name."""
    text = builtin_path("default").read_text(encoding="utf-8")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    data = yaml.safe_load(text)
    expected = default_ruleset()
    for source in (path, str(path), text, json.dumps(data), data, text.encode(), "default"):
        assert load_ruleset(source) == expected  # type: ignore[arg-type]
    assert load_ruleset(path).path == str(path)


def test_conditions_are_typed_and_parameters_resolved() -> None:
    """Level names become levels, $parameters their values, not a negation stays a Not."""
    ruleset = load("""
        parameters: {rare: 6, cats: [a, b]}
        rules:
          - id: r
            priority: 1
            when:
              all:
                - {skill: {le: basic}}
                - {times_per_year: {lt: $rare}}
                - {category: {in: $cats}}
                - not: {enjoyment: love}
            then: outsource
            because: r
    """)
    when = ruleset.rules[0].when  # type: ignore[attr-defined]
    assert isinstance(when, AllOf)
    skill, rare, cats, negated = when.parts
    assert skill == Atom("skill", "le", Skill.BASIC)
    assert rare == Atom("times_per_year", "lt", 6)
    assert rare.parameter == "rare"
    assert cats == Atom("category", "in", frozenset({"a", "b"}))
    assert negated == Not(Atom("enjoyment", "eq", Enjoyment.LOVE))


def test_several_keys_in_one_mapping_must_all_hold() -> None:
    """{a: x, b: y} means both; a range can be written {ge: 1, lt: 5}."""
    ruleset = load("""
        rules:
          - {id: r, priority: 1, when: {repetitive: true, times_per_year: {ge: 1, lt: 5}},
             then: outsource, because: r}
    """)
    assert ruleset.rules[0].when == AllOf(
        (  # type: ignore[attr-defined]
            Atom("repetitive", "eq", True),
            Atom("times_per_year", "ge", 1),
            Atom("times_per_year", "lt", 5),
        )
    )


def test_dollar_dollar_is_a_literal_dollar() -> None:
    """Text that starts with $ is written $$ so it is not taken for a parameter."""
    ruleset = load("""
        rules:
          - {id: r, priority: 1, when: {category: $$money}, then: keep, because: r}
    """)
    assert ruleset.rules[0].when == Atom("category", "eq", "$money")  # type: ignore[attr-defined]


def test_list_items_and_parameter_values_are_taken_as_written() -> None:
    """Only a single value after a fact or operator is read for $: lists and parameters are not."""
    ruleset = load("""
        parameters: {cost_centre: $money}
        rules:
          - {id: r, priority: 1, when: {category: {in: [$money, $$cash]}}, then: keep, because: r}
          - {id: s, priority: 2, when: {category: $cost_centre}, then: keep, because: r}
    """)
    second, first = ruleset.rules  # type: ignore[attr-defined]  # higher priority first
    assert first.when == Atom("category", "in", frozenset({"$money", "$$cash"}))
    assert second.when == Atom("category", "eq", "$money")


def test_every_problem_is_reported_at_once_with_line_and_key() -> None:
    """Unknown fact, operator value type, parameter and level, all in one error, each placed."""
    found = problems("""
        rules:
          - id: a
            priority: 1
            when: {skil: basic}
            then: keep
            because: r
          - id: b
            priority: 2
            when: {times_per_year: {lt: $rar}}
            then: outsource
            because: r
          - id: c
            priority: 3
            when: {skill: {le: expret}, repetitive: "yes"}
            then: outsource
            because: r
    """)
    assert [(line, key) for line, key, _ in found] == [
        (7, "rules[0].when.skil"),
        (12, "rules[1].when.times_per_year.lt"),
        (17, "rules[2].when.skill.le"),
        (17, "rules[2].when.repetitive"),
    ]
    messages = " | ".join(m for _, _, m in found)
    assert "unknown fact 'skil'" in messages
    assert "unknown parameter '$rar'" in messages
    assert "'expret' is not a skill level" in messages
    assert "takes true or false" in messages


def test_problems_carry_suggestions_and_rule_ids() -> None:
    """Each problem says which rule and offers a did-you-mean where one is close."""
    with pytest.raises(RulesetError) as caught:
        load("""
            parameters: {rare: 6}
            rules:
              - {id: a, priority: 1, when: {skil: basic}, then: keep, because: r}
              - {id: b, priority: 2, when: {times_per_year: {lt: $rar}}, then: keep, because: r}
        """)
    first, second = caught.value.problems
    assert (first.rule_id, first.suggestion) == ("a", "skill")
    assert (second.rule_id, second.suggestion) == ("b", "$rare")
    assert caught.value.rule_id == "a"
    assert caught.value.line == 6
    assert "did you mean 'skill'?" in str(caught.value)


def test_unknown_keys_and_operators_come_from_the_schema_with_suggestions() -> None:
    """A misspelt key or operator is named, with the allowed ones and a did-you-mean."""
    found = problems("""
        rules:
          - {id: a, priority: 1, when: {skill: {lte: basic}}, then: keep, because: r, rol: x}
    """)
    keys = {key: message for _, key, message in found}
    assert "unknown key 'lte'" in keys["rules[0].when.skill.lte"]
    assert "unknown key 'rol'" in keys["rules[0].rol"]


@pytest.mark.parametrize(
    ("when", "fragment"),
    [
        ("{category: {lt: b}}", "cannot use 'lt'"),
        ("{repetitive: {gt: true}}", "cannot use 'gt'"),
        ("{tags: x}", "cannot use 'eq'"),
        ("{times_per_year: {lt: three}}", "takes a number"),
        ("{times_per_year: {eq: true}}", "takes a number"),
        ("{category: 3}", "takes text"),
        ("{skill: {in: [basic, guru]}}", "'guru' is not a skill level"),
        ("{name: x}", "never decides anything"),
        ("{hourly_rate: {gt: 3}}", "owner_hourly_rate"),
        ("{times_per_year: {eq: [1, 2]}}", "is not of type"),
    ],
)
def test_wrong_types_and_operators_for_a_fact(when: str, fragment: str) -> None:
    """Each fact takes only the operators and value types of its kind."""
    found = problems(f"""
        rules:
          - {{id: a, priority: 1, when: {when}, then: keep, because: r}}
    """)
    assert any(fragment in message for _, _, message in found), found


def test_duplicate_ids_and_priority_conflicts() -> None:
    """Two rules with one id, or equal priority with different verdicts, are load errors."""
    found = problems("""
        rules:
          - {id: a, priority: 1, when: {repetitive: true}, then: keep, because: r}
          - {id: a, priority: 2, when: {repetitive: true}, then: keep, because: r}
          - {id: c, priority: 2, when: {one_off: true}, then: outsource, because: r}
    """)
    messages = [m for _, _, m in found]
    assert any("duplicate rule id 'a'" in m for m in messages)
    assert any("same priority 2" in m for m in messages)


def test_equal_priority_with_the_same_verdict_is_fine() -> None:
    """Equal priorities only conflict when the verdicts differ."""
    ruleset = load("""
        rules:
          - {id: a, priority: 1, when: {repetitive: true}, then: keep, because: r}
          - {id: b, priority: 1, when: {one_off: true}, then: keep, because: r}
    """)
    assert len(ruleset.rules) == 2  # type: ignore[attr-defined]


def test_a_ruleset_needs_a_default() -> None:
    """Without extends, a ruleset must say what happens when no rule applies."""
    with pytest.raises(RulesetError, match="default verdict"):
        load_ruleset("ruleset: x\nrules: []\n")


def test_yaml_level_problems_have_lines(tmp_path: Path) -> None:
    """Duplicate keys and syntax errors say file and line."""
    path = tmp_path / "bad.yaml"
    path.write_text("ruleset: a\nruleset: b\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert "duplicate key 'ruleset'" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:2")


def test_missing_file_suggests_a_builtin() -> None:
    """A name that is neither a file nor a built-in ruleset says so."""
    with pytest.raises(RulesetError, match="no such file") as caught:
        load_ruleset("defualt")
    assert caught.value.suggestion == "default"


def test_not_a_mapping() -> None:
    """A YAML list is not a ruleset."""
    with pytest.raises(RulesetError, match="must be a mapping"):
        load_ruleset("- a\n- b\n")


def test_non_finite_numbers_are_refused() -> None:
    """.inf and .nan never become thresholds."""
    found = problems("""
        parameters: {big: .inf}
        rules: []
    """)
    assert found[0][1] == "parameters.big"
    assert "finite" in found[0][2]


def test_integers_no_float_holds_are_refused_with_the_nearest_float() -> None:
    """An integer constant past 2**53 that is not exactly a float is refused, wherever written.

    The engines compare such an integer differently; an integer a float
    holds exactly (10**19, 2**60) loads as it is, as do floats of any size.
    """
    found = problems("""
        parameters: {huge: 10000000000000000001}
        rules:
          - {id: a, priority: 1, when: {owner_cost_per_year: {gt: 9007199254740993}},
             then: keep, because: r}
          - {id: b, priority: 2, when: {saving_per_year: {lt: $huge}}, then: keep, because: r}
          - {id: c, priority: 3, when: {owner_cost_per_year: {in: [1, -9007199254740993]}},
             then: keep, because: r}
    """)
    by_key = {key: message for _, key, message in found}
    assert set(by_key) == {
        "rules[0].when.owner_cost_per_year.gt",
        "parameters.huge",
        "rules[2].when.owner_cost_per_year.in",
    }, found
    first = by_key["rules[0].when.owner_cost_per_year.gt"]
    assert "the integer 9007199254740993, which no float holds exactly" in first
    assert "the nearest float is 9007199254740992.0" in first
    assert (
        "the nearest float is -9007199254740992.0" in by_key["rules[2].when.owner_cost_per_year.in"]
    )
    parameter = by_key["parameters.huge"]
    assert "the nearest float is 1.0e+19" in parameter
    assert "used by rule 'b' at rules[1].when.saving_per_year.lt" in parameter
    loaded = load("""
        rules:
          - {id: a, priority: 1, when: {owner_cost_per_year: {gt: 9007199254740992}},
             then: keep, because: r}
          - {id: b, priority: 2, when: {owner_cost_per_year: {lt: -9007199254740992}},
             then: keep, because: r}
          - {id: c, priority: 3, when: {owner_cost_per_year: {gt: 10000000000000000000}},
             then: keep, because: r}
          - {id: d, priority: 4, when: {owner_cost_per_year: {gt: 1152921504606846976}},
             then: keep, because: r}
          - {id: e, priority: 5, when: {owner_cost_per_year: {gt: 1e19}}, then: keep, because: r}
    """)
    values = {r.id: r.when.value for r in loaded.rules}  # type: ignore[attr-defined]
    assert values["c"] == 10**19
    assert type(values["c"]) is int
    assert values["e"] == 1e19
    assert type(values["e"]) is float


def test_integers_beyond_every_float_are_refused_briefly() -> None:
    """An integer of hundreds of digits is refused, shown cut short, never an OverflowError."""
    huge = "1" + "0" * 400
    found = problems(f"""
        rules:
          - {{id: a, priority: 1, when: {{owner_cost_per_year: {{gt: {huge}}}}},
             then: keep, because: r}}
    """)
    assert len(found) == 1
    assert "the integer 10000000000000000000...(401 digits), too large" in found[0][2]


def test_json_rulesets_take_numbers_as_json_writes_them() -> None:
    """``json.dumps`` writes 1e19 as ``1e+19``, which YAML 1.1 alone would read as text."""
    data = {
        "ruleset": "j",
        "default": {"verdict": "keep", "because": "d"},
        "rules": [
            {
                "id": "a",
                "priority": 1,
                "when": {"owner_cost_per_year": {"gt": 1e19}, "rate_ratio": {"lt": 2e-5}},
                "then": "keep",
                "because": "r",
            }
        ],
    }
    text = json.dumps(data)
    assert "1e+19" in text
    assert "2e-05" in text
    ruleset = load_ruleset(text.encode())
    assert ruleset == load_ruleset(data)
    assert load_ruleset(json.dumps(ruleset.to_data()).encode()) == ruleset


def test_extends_and_overrides(tmp_path: Path) -> None:
    """An agency ruleset starts from the default, tunes a parameter and disables a rule."""
    path = tmp_path / "agency.yaml"
    path.write_text(
        textwrap.dedent("""
            ruleset: agency
            extends: default
            parameters: {low_frequency_per_year: 4}
            overrides:
              - {id: annoyance, disabled: true}
              - {id: repetitive, priority: 35}
            rules:
              - {id: payroll, priority: 95, when: {category: payroll}, then: keep,
                 because: Confidential.}
        """),
        encoding="utf-8",
    )
    ruleset = load_ruleset(path)
    assert "annoyance" not in ruleset.rule_ids
    assert ruleset.rule("repetitive").priority == 35
    assert ruleset.rule_ids[1] == "payroll"
    assert ruleset.parameters["low_frequency_per_year"] == 4
    low = ruleset.rule("low-frequency").when
    assert isinstance(low, AllOf)
    assert low.parts[1] == Atom("times_per_year", "lt", 4)


def test_overriding_a_missing_rule_is_an_error(tmp_path: Path) -> None:
    """An override must name a rule of the extended ruleset; a near miss is suggested."""
    with pytest.raises(RulesetError, match="does not have") as caught:
        load_ruleset(
            "ruleset: a\nextends: default\noverrides:\n  - {id: anoyance, disabled: true}\n"
        )
    assert caught.value.suggestion == "annoyance"
    assert caught.value.line == 4


def test_extends_cycle(tmp_path: Path) -> None:
    """Ruleset a extending b extending a is refused, not an endless loop."""
    (tmp_path / "a.yaml").write_text("ruleset: a\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("ruleset: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(RulesetError, match="cycle"):
        load_ruleset(tmp_path / "a.yaml")


def test_digest_follows_content_not_source(tmp_path: Path) -> None:
    """The same content loaded twice has the same digest; a changed threshold changes it."""
    text = builtin_path("default").read_text(encoding="utf-8")
    assert load_ruleset(text).digest == default_ruleset().digest
    changed = text.replace("low_frequency_per_year: 12", "low_frequency_per_year: 13")
    assert load_ruleset(changed).digest != default_ruleset().digest
    assert load_ruleset(changed) != default_ruleset()


def test_to_data_loads_back_equal() -> None:
    """A ruleset written back as data loads into an equal ruleset."""
    ruleset = default_ruleset()
    assert load_ruleset(ruleset.to_data()) == ruleset


def test_engine_preference() -> None:
    """A ruleset can carry the engine its decisions use; unknown engines are refused."""
    assert load_ruleset("default", engine="native").engine == "native"
    with pytest.raises(ValueError, match="unknown engine"):
        load_ruleset("default", engine="rete")


def test_ruleset_errors_survive_pickling_with_every_problem() -> None:
    """A RulesetError crossing a process boundary keeps its problems, not only its text."""
    with pytest.raises(RulesetError) as caught:
        load_ruleset("ruleset: x\nrules:\n  - {id: a, priority: 1, when: {skil: 1}}\n")
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.problems == caught.value.problems
    assert len(again.problems) > 1
    assert str(again) == str(caught.value)


def test_a_rule_that_is_not_a_mapping_is_a_located_problem() -> None:
    """``rules: [null, ...]`` is reported (found by the fuzz test), never an AttributeError."""
    data = {
        "ruleset": "r",
        "default": {"verdict": "keep", "because": "x"},
        "rules": [
            None,
            {"id": "a", "priority": 1, "when": {"skill": "none"}, "then": "keep", "because": "x"},
        ],
    }
    with pytest.raises(RulesetError, match=r"rules\[0\]"):
        load_ruleset(data)
