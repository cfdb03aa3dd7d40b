"""The two engines decide alike: random rulesets and tasks, the default ruleset, and the edge cases.

The contract promises that ``engine="durable"`` and ``engine="native"`` give
the same verdict, deciding rule and matches for every ruleset and task.
Hypothesis searches for a counterexample; the explicit cases below pin each
durable-rules behaviour that ``engines/durable.py`` designs around.
"""

from __future__ import annotations

import importlib.resources
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcing_rules import Owner, Ruleset, Task, decide, default_ruleset, load_ruleset
from outsourcing_rules.core.conditions import evaluate
from outsourcing_rules.core.facts import MAX_HOURS, MAX_RATE, MAX_TIMES_PER_YEAR
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.loading.yamlio import read_yaml
from outsourcing_rules.planning.inventory import read_inventory
from outsourcing_rules.testing import DEFAULT_CATEGORIES, DEFAULT_TAGS, owners, rulesets, tasks

from conftest import comma_decimal_locale, needs_durable

pytestmark = [needs_durable, pytest.mark.durable]

Pair = tuple[Task, Owner | None]


def assert_engines_agree(ruleset: Ruleset, pairs: Sequence[Pair]) -> None:
    """Decide every pair on both engines; verdict, deciding rule and matches must be equal."""
    for task, owner in pairs:
        native = decide(task, owner, ruleset=ruleset, engine="native")
        durable = decide(task, owner, ruleset=ruleset, engine="durable")
        seen = (native.verdict, native.rule_id, native.matched_rule_ids)
        assert seen == (durable.verdict, durable.rule_id, durable.matched_rule_ids), (
            f"native {seen} but durable "
            f"{(durable.verdict, durable.rule_id, durable.matched_rule_ids)} "
            f"on {task!r} for {owner!r} with rules {ruleset.to_data()!r}"
        )
        # Both compiled matchers apply exactly the rules the one traced reading says hold.
        values = fact_values(task, owner)
        holding = {rule.id for rule in ruleset.rules if evaluate(rule.when, values) is True}
        assert set(native.matched_rule_ids) == holding


pairs = st.lists(st.tuples(tasks(), st.none() | owners()), min_size=1, max_size=4)


@given(ruleset=rulesets(max_rules=6, max_depth=2), pairs=pairs)
def test_random_rulesets_agree(ruleset: Ruleset, pairs: list[Pair]) -> None:
    """Any valid ruleset (every fact, operator, nesting, parameter) decides alike on both."""
    assert_engines_agree(ruleset, pairs)


# Conditions over a handful of facts, one level deep, match far more often
# than deep random trees: this is where the matched sets get compared.
FEW_FACTS = [
    ("category", "tags", "core_competency"),
    ("skill", "enjoyment", "times_per_year", "one_off"),
    ("rate_ratio", "owner_hourly_rate", "provider_hourly_rate", "saving_per_year"),
    ("hours_per_week", "hours_each", "recurring", "only_owner", "time_available"),
]


@pytest.mark.parametrize("facts", FEW_FACTS, ids=lambda f: "+".join(f))
@given(data=st.data())
def test_rulesets_on_few_facts_agree(facts: tuple[str, ...], data: st.DataObject) -> None:
    """Shallow rulesets over a few facts, where most rules match some task, decide alike."""
    ruleset = data.draw(rulesets(max_rules=6, max_depth=1, facts=facts), label="ruleset")
    drawn = data.draw(pairs, label="pairs")
    assert_engines_agree(ruleset, drawn)


@settings(max_examples=300)
@given(pairs=pairs)
def test_default_ruleset_agrees(pairs: list[Pair]) -> None:
    """The default ruleset decides every task alike on both engines."""
    assert_engines_agree(default_ruleset(), pairs)


@settings(max_examples=100)
@given(ruleset=rulesets(max_rules=6, max_depth=2), pairs=pairs)
def test_random_rulesets_agree_under_a_comma_locale(ruleset: Ruleset, pairs: list[Pair]) -> None:
    """With ``LC_NUMERIC`` a comma-decimal locale (as many apps set it) the engines still agree."""
    with comma_decimal_locale():
        assert_engines_agree(ruleset, pairs)


@settings(max_examples=200)
@given(pairs=pairs)
def test_default_ruleset_agrees_under_a_comma_locale(pairs: list[Pair]) -> None:
    """The default ruleset, compiled before the locale changed, agrees under a comma locale."""
    with comma_decimal_locale():
        assert_engines_agree(default_ruleset(), pairs)


# --- the edge cases, one by one ---------------------------------------------------------


def ruleset_of(*conditions: dict[str, Any], parameters: dict[str, Any] | None = None) -> Ruleset:
    """Build a ruleset with one ``outsource`` rule per condition, ids ``c0``, ``c1``..."""
    data: dict[str, Any] = {
        "ruleset": "edge",
        "default": {"verdict": "keep", "because": "d"},
        "rules": [
            {"id": f"c{i}", "priority": 1, "when": when, "then": "outsource", "because": "b"}
            for i, when in enumerate(conditions)
        ],
    }
    if parameters:
        data["parameters"] = parameters
    return load_ruleset(data)


def matched(ruleset: Ruleset, task: Task, owner: Owner | None = None) -> tuple[str, ...]:
    """Return the matched rule ids, after checking both engines agree on them."""
    assert_engines_agree(ruleset, [(task, owner)])
    return decide(task, owner, ruleset=ruleset, engine="durable").matched_rule_ids


def test_int_and_float_compare_equal() -> None:
    """12 in a rule equals 12.0 in a task and the other way round."""
    rules = ruleset_of({"times_per_year": 12}, {"times_per_year": 12.0}, {"hours_each": {"ne": 4}})
    assert matched(rules, Task(name="t", times_per_year=12.0, hours_each=4)) == ("c0", "c1")
    assert matched(rules, Task(name="t", times_per_year=12, hours_each=4.0)) == ("c0", "c1")


@pytest.mark.parametrize(
    "value",
    [1e-05, 1e-300, 5e-324, 1e16, 1e300, 0.1 + 0.2],
    ids=["1e-05", "1e-300", "subnormal", "1e16", "1e300", "0.30000000000000004"],
)
def test_floats_in_exponent_notation(value: float) -> None:
    """Floats Python writes with a bare exponent (``1e-05``) reach durable-rules intact.

    Regression: its parser refused them (error 204), in rule values and in
    derived facts alike.
    """
    rules = ruleset_of(
        {"hours_per_week": {"lt": value}},
        {"hours_per_week": {"eq": value}},
        {"hours_per_week": {"ge": value}},
    )
    assert matched(rules, Task(name="t", one_off=True, hours_each=0)) == ("c0",)
    hours_each = value * 52
    if hours_each <= 10_000 and hours_each / 52 == value:  # the fact itself is *value*
        assert matched(rules, Task(name="t", one_off=True, hours_each=hours_each)) == ("c1", "c2")


def test_rate_ratio_in_exponent_notation() -> None:
    """A derived fact that Python writes as ``1e-05`` is read by durable-rules as that number."""
    rules = ruleset_of({"rate_ratio": {"lt": 0.001}}, {"rate_ratio": 1e-05})
    task = Task(name="t", provider_hourly_rate=100_000)
    assert matched(rules, task, Owner(hourly_rate=1)) == ("c0", "c1")


def test_integers_beyond_64_bits() -> None:
    """A cost of 10**19 (past 2**63) compares as itself, not as 2**63 - 1.

    Regression: durable-rules saturated such integers, so ``10**19 > 9.3e18``
    was false there. Past 2**53 the cost is carried as a float.
    """
    task = Task(name="t", times_per_year=1_000_000, hours_each=10_000)
    owner = Owner(hourly_rate=1_000_000_000)
    rules = ruleset_of(
        {"owner_cost_per_year": {"gt": 9.3e18}},
        {"owner_cost_per_year": 10**19},  # integers a float holds exactly are allowed
        {"owner_cost_per_year": {"lt": 2**64}},
        {"owner_cost_per_year": {"ge": 2**63}},
        {"owner_cost_per_year": 1e19},
        {"owner_cost_per_year": {"lt": 2**53}},
    )
    assert matched(rules, task, owner) == ("c0", "c1", "c2", "c3", "c4")


#: An odd integer cost just past 2**53, and the float next to it.
_ODD_TASK = Task(name="t", times_per_year=999_999, hours_each=9_999)
_ODD_OWNER = Owner(hourly_rate=900_811)
_ODD_COST = 999_999 * 9_999 * 900_811


def test_integers_beyond_doubles_against_floats() -> None:
    """An integer cost past 2**53 against the float next to it: both engines agree.

    This was the last difference between the engines: durable-rules compares
    an integer with a float as two doubles, Python exactly. A derived figure
    past 2**53 is now carried as the nearest float, on every engine.
    """
    assert _ODD_COST > 2**53
    assert float(_ODD_COST) != _ODD_COST  # not a double: the nearest one is a neighbour
    values = fact_values(_ODD_TASK, _ODD_OWNER)
    assert values["owner_cost_per_year"] == float(_ODD_COST)
    assert type(values["owner_cost_per_year"]) is float
    rules = ruleset_of(
        {"owner_cost_per_year": {"eq": float(_ODD_COST)}},
        {"owner_cost_per_year": {"gt": float(_ODD_COST)}},
        {"owner_cost_per_year": {"ge": float(_ODD_COST)}},
    )
    assert matched(rules, _ODD_TASK, _ODD_OWNER) == ("c0", "c2")
    assert_engines_agree(rules, [(_ODD_TASK, _ODD_OWNER)])


def _up_to(maximum: int) -> st.SearchStrategy[int]:
    """Integers up to *maximum*, often near it (where products pass 2**53)."""
    return st.integers(1, maximum) | st.integers(maximum - maximum // 10, maximum)


@given(
    times=_up_to(MAX_TIMES_PER_YEAR),
    hours=_up_to(MAX_HOURS),
    rate=_up_to(MAX_RATE),
    provider=_up_to(MAX_RATE),
    step=st.integers(-2, 2),
)
@settings(max_examples=200)
def test_huge_figures_against_neighbouring_constants(
    times: int, hours: int, rate: int, provider: int, step: int
) -> None:
    """Costs and savings of any size compare alike with constants one rounding step away."""
    task = Task(name="t", times_per_year=times, hours_each=hours, provider_hourly_rate=provider)
    owner = Owner(hourly_rate=rate)
    values = fact_values(task, owner)
    conditions = []
    for fact in ("owner_cost_per_year", "provider_cost_per_year", "saving_per_year"):
        value = values[fact]
        near = float(value)
        for _ in range(abs(step)):
            near = math.nextafter(near, math.inf if step > 0 else -math.inf)
        # The figure itself, the float next to it, and an integer next to it
        # when a float holds that integer exactly (the loader's rule).
        constants = {value, near, int(near) + step}
        for constant in constants:
            if isinstance(constant, int) and float(constant) != constant:
                continue
            conditions += [{fact: {op: constant}} for op in ("eq", "lt", "ge")]
    assert_engines_agree(ruleset_of(*conditions), [(task, owner)])


def test_figures_within_2_53_stay_exact_integers() -> None:
    """Up to 2**53 a cost made of integers is an integer, so it compares exactly everywhere."""
    task = Task(name="t", times_per_year=1_000, hours_each=1_000)
    owner = Owner(hourly_rate=9_007_199)
    values = fact_values(task, owner)
    assert values["owner_cost_per_year"] == 9_007_199_000_000
    assert type(values["owner_cost_per_year"]) is int
    rules = ruleset_of(
        {"owner_cost_per_year": 9_007_199_000_000},
        {"owner_cost_per_year": {"gt": 9_007_198_999_999}},
        {"owner_cost_per_year": {"lt": 9_007_199_000_000.5}},
        {"owner_cost_per_year": {"gt": 9_007_199_000_000}},
    )
    assert matched(rules, task, owner) == ("c0", "c1", "c2")


TEXTS = [
    'it\'s "quoted"',
    "back\\slash",
    "tab\tnew\nline",
    "nul\x00byte",
    "nul\x00other",
    "日本語",
    "🎉",
    "$dollar",
    "",
    " ",
    "\u200b",
    "e\u0301",  # e + combining accent: not the same text as é
    "é",
]


@pytest.mark.parametrize("category", TEXTS, ids=repr)
def test_odd_text_compares_exactly(category: str) -> None:
    """Quotes, backslashes, control characters, NUL and non-ASCII text compare exactly."""
    escaped = "$" + category if category.startswith("$") else category
    rules = ruleset_of(
        {"category": escaped},
        {"category": {"ne": escaped}},
        {"category": {"in": [category, "other"]}},  # list items are taken literally
        {"category": {"not_in": [category]}},
    )
    assert matched(rules, Task(name="t", category=category)) == ("c0", "c2")
    for other in TEXTS:
        if other != category:
            assert matched(rules, Task(name="t", category=other)) == ("c1", "c3")


LABELS = ["admin", "quote'\"", "a.b[c]", "$money", "needs access", "ünïcode", "nul\x00byte"]


@pytest.mark.parametrize("label", LABELS, ids=repr)
def test_labels_with_odd_characters(label: str) -> None:
    """Labels with quotes, dots, brackets, ``$``, spaces and NUL are told apart on both."""
    rules = ruleset_of({"tags": {"in": [label]}}, {"tags": {"not_in": [label, "zz"]}})
    assert matched(rules, Task(name="t", tags={label})) == ("c0",)
    assert matched(rules, Task(name="t", tags={"other"})) == ("c1",)
    assert matched(rules, Task(name="t", tags=set())) == ("c1",)  # no labels: none of them
    assert matched(rules, Task(name="t")) == ()  # unknown labels: neither


def test_unknown_facts_never_satisfy_ne_or_not_in() -> None:
    """``ne`` and ``not_in`` on an unknown fact are unknown, so the rule does not apply."""
    rules = ruleset_of(
        {"skill": {"ne": "basic"}},
        {"category": {"not_in": ["x"]}},
        {"core_competency": {"ne": True}},
        {"not": {"times_per_year": {"lt": 12}}},
        {"saving_per_year": {"ne": 0}},
    )
    assert matched(rules, Task(name="t")) == ()
    known = Task(name="t", skill="expert", category="y", core_competency=False, times_per_year=12)
    assert matched(rules, known) == ("c0", "c1", "c2", "c3")


def test_deep_nesting() -> None:
    """``all``/``any``/``not`` nested many levels deep decide alike."""
    condition: dict[str, Any] = {"skill": {"le": "basic"}}
    for depth in range(12):
        if depth % 3 == 0:
            condition = {"not": {"not": condition}}
        elif depth % 3 == 1:
            condition = {"any": [condition, {"category": "never"}]}
        else:
            condition = {"all": [condition, {"one_off": {"ne": True}}]}
    rules = ruleset_of(condition)
    assert matched(rules, Task(name="t", skill="none", one_off=False)) == ("c0",)
    assert matched(rules, Task(name="t", skill="none")) == ()
    assert matched(rules, Task(name="t", skill="expert", one_off=False)) == ()


def test_in_and_not_in_with_parameters() -> None:
    """``in``/``not_in`` through a ``$parameter`` list, mixing ints and floats."""
    rules = ruleset_of(
        {"times_per_year": {"in": "$often"}},
        {"times_per_year": {"not_in": "$often"}},
        {"enjoyment": {"in": ["hate", "dislike"]}},
        parameters={"often": [52, 104.0, 365]},
    )
    assert matched(rules, Task(name="t", times_per_year=52.0, enjoyment="hate")) == ("c0", "c2")
    assert matched(rules, Task(name="t", times_per_year=104)) == ("c0",)
    assert matched(rules, Task(name="t", times_per_year=12, enjoyment="like")) == ("c1",)


@given(
    category=st.sampled_from(DEFAULT_CATEGORIES) | st.text(max_size=8),
    label=st.sampled_from(DEFAULT_TAGS) | st.text(min_size=1, max_size=8).filter(str.strip),
    text=st.text(max_size=8),
)
def test_any_text_compares_exactly(category: str, label: str, text: str) -> None:
    """Any text in a rule and any text in a task compare exactly alike on both engines."""
    escaped = "$" + text if text.startswith("$") else text
    rules = ruleset_of({"category": escaped}, {"tags": {"in": [text or "x"]}})
    for task in [
        Task(name="t", category=category, tags={label}),
        Task(name="t", category=text, tags={text} if text.strip() else set()),
    ]:
        assert_engines_agree(rules, [(task, None)])


def _examples() -> list[tuple[Task, Owner | None, Ruleset]]:
    """Return the demo's tasks and the docs' inventories, with the rulesets that decide them."""
    text = (
        importlib.resources.files("outsourcing_rules")
        .joinpath("data/demo.yaml")
        .read_text(encoding="utf-8")
    )
    found: list[tuple[Task, Owner | None, Ruleset]] = []
    default = default_ruleset()
    for case in read_yaml(text):
        owner = Owner.from_dict(case["owner"])
        found += [(Task.from_dict(t), owner, default) for t in case["tasks"]]
    docs = Path(__file__).parent.parent / "docs" / "examples"
    agency = load_ruleset(docs / "acme-agency.yaml")
    inventory = read_inventory(docs / "video-editor.yaml")
    for ruleset in (default, agency):
        found += [(t, inventory.owner, ruleset) for t in inventory.tasks]
    return found


def test_everything_a_decision_says_is_the_same_on_both_engines() -> None:
    """Explanation, trace, why-not, unknowns, counterfactuals, hand-off: the engine is not heard.

    This is why the wording tests (test_voice, test_wording...) run on the
    native engine alone: what is said is computed from the matches, which
    the tests above hold equal, and from the task, never from the engine.
    """
    seen = 0
    for task, owner, ruleset in _examples():
        native = decide(task, owner, ruleset=ruleset, engine="native").to_dict(max_changes=2)
        durable = decide(task, owner, ruleset=ruleset, engine="durable").to_dict(max_changes=2)
        assert (native.pop("provenance")["engine"], durable.pop("provenance")["engine"]) == (
            "native",
            "durable",
        )
        assert native == durable, task.name
        seen += 1
    assert seen >= 25
