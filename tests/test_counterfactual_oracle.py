"""The fast counterfactual search returns what the slow one it replaced did; more only where right.

The slow search is kept, frozen, in ``tests/cf_oracle``. Both are run on the
same decisions and must give the same counterfactuals, field by field and in
the same order: changes and previous values (with their order), verdict,
deciding rule, spans and cost. One difference is allowed: the fast search
plans a change of several facts again when its values bring in a higher rule
that keeps the verdict (the oracle gave up), so it may offer more changes of
two or three facts; each must change the verdict as it says and hold no
smaller change that does, and an oracle's triple holding such a pair is
then not minimal and may be left out. Rulesets are the default ones, small
hand-written ones that stress unknown facts, strict thresholds, labels and
derived facts, and random ones from :func:`outsourcing_rules.testing.rulesets`.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cf_oracle
from outsourcing_rules import Owner, Task, decide, default_ruleset, load_ruleset
from outsourcing_rules.engines import available_engines
from outsourcing_rules.explain._inputs import INPUTS, apply_changes
from outsourcing_rules.explain.counterfactuals import Counterfactual, SearchOptions, search
from outsourcing_rules.planning import read_inventory
from outsourcing_rules.testing import owners, rulesets, tasks
from test_counterfactual_edges import BLOCKED

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "outsourcing_rules" / "data" / "demo.yaml"
EXAMPLES = ROOT / "docs" / "examples"

#: Strict and non-strict thresholds on stored and derived numbers, levels,
#: labels, categories, and facts that may be unknown.
EDGES = load_ruleset("""
ruleset: oracle-edges
default: {verdict: keep, because: Keep.}
rules:
  - {id: core, priority: 100, when: {core_competency: true}, then: keep, because: Core.}
  - id: tagged
    priority: 95
    when: {all: [{tags: {in: [legal, urgent]}}, {skill: {lt: competent}}]}
    then: outsource
    because: Tagged.
  - id: dull-category
    priority: 90
    when: {category: {in: [filing, cleaning]}}
    then: eliminate
    because: Dull.
  - id: heavy
    priority: 80
    when: {all: [{hours_per_year: {gt: 100}}, {rate_ratio: {gt: 1.5}}]}
    then: outsource
    because: Heavy.
  - id: rare
    priority: 60
    when:
      all:
        - {recurring: true}
        - {times_per_year: {le: 6}}
        - any: [{hours_known: false}, {hours_each: {lt: 2.5}}]
    then: keep
    because: Rare.
  - id: cheap
    priority: 50
    when: {not: {provider_hourly_rate: {ge: 40}}}
    then: outsource
    because: Cheap.
  - id: liked
    priority: 40
    when: {any: [{enjoyment: {gt: neutral}}, {saving_per_week: {lt: -10}}]}
    then: keep
    because: Liked.
  - id: untagged
    priority: 30
    when: {tags: {not_in: [routine]}}
    then: eliminate
    because: Untagged.
  - {id: spare, priority: 20, when: {time_available: true}, then: keep, because: Spare.}
""")

RULESETS = [default_ruleset(), load_ruleset("default@1"), EDGES]


def _inventories() -> list[tuple[Task, Owner | None]]:
    """Every task of the demo and of the documentation's example inventories."""
    found: list[tuple[Task, Owner | None]] = []
    for case in yaml.safe_load(DEMO.read_text(encoding="utf-8")):
        owner = Owner.from_dict(case["owner"])
        found += [(Task.from_dict(task), owner) for task in case["tasks"]]
    sally = Owner.from_dict(yaml.safe_load((EXAMPLES / "owner.yaml").read_text(encoding="utf-8")))
    for name, owner in (("video-editor.yaml", None), ("tasks.csv", sally)):
        inventory = read_inventory(EXAMPLES / name)
        found += [(task, owner or inventory.owner) for task in inventory.tasks]
    return found


def _said(found: tuple[Counterfactual, ...]) -> list[tuple[Any, ...]]:
    """Everything a counterfactual carries, in order (mappings as lists of items)."""
    return [
        (
            list(c.changes.items()),
            list(c.previous.items()),
            c.verdict,
            c.rule_id,
            list(c.spans.items()),
            c.cost,
        )
        for c in found
    ]


def _same(
    task: Task, owner: Owner | None, ruleset: Any, engine: str, options: SearchOptions
) -> None:
    decision = decide(task, owner, ruleset=ruleset, engine=engine)
    fast = search(decision, options)
    slow = cf_oracle.search(decision, options)
    said, oracle = _said(fast), _said(slow)
    if said == oracle:
        return
    extra = [c for c, one in zip(fast, said, strict=True) if one not in oracle]
    for found in extra:  # only re-planned changes of several facts, each right and minimal
        assert len(found.changes) >= 2, (task, owner, options, found)
        again = decide(*found.apply(task, owner), ruleset=ruleset, engine=engine)
        assert (again.verdict, again.rule_id) == (found.verdict, found.rule_id), found
        items = list(found.changes.items())
        for size in range(1, len(items)):
            for part in itertools.combinations(items, size):
                smaller = decide(*apply_changes(task, owner, dict(part)), ruleset=ruleset)
                assert smaller.verdict is decision.verdict, (found, part)
    wider = [frozenset(c.changes) for c in extra]
    kept = [
        one
        for c, one in zip(slow, oracle, strict=True)
        if not any(pair < frozenset(c.changes) for pair in wider)
    ]
    assert [one for one in said if one in oracle] == kept, (task, owner, options)


def test_a_replanned_pair_is_the_one_difference_allowed() -> None:
    """Past a rule its nearest values bring in: the oracle offers nothing, the search a pair."""
    task = Task(name="t", times_per_year=1, hours_each=1)
    decision = decide(task, ruleset=BLOCKED, engine="native")
    options = SearchOptions.of(max_changes=2)
    assert cf_oracle.search(decision, options) == ()
    assert [dict(c.changes) for c in search(decision, options)] == [
        {"times_per_year": 20, "hours_each": 2.0}
    ]
    for engine in available_engines():
        _same(task, None, BLOCKED, engine, options)
        _same(task, None, BLOCKED, engine, SearchOptions.of(max_changes=3))


def test_the_inventories_have_tasks() -> None:
    """The comparison below runs on the demo and the examples: they must not be empty."""
    assert len(_inventories()) >= 20


@pytest.mark.parametrize("ruleset", RULESETS, ids=lambda r: r.name + str(r.version))
@pytest.mark.parametrize("max_changes", [1, 2, 3])
def test_the_inventories_get_the_oracles_counterfactuals(ruleset: Any, max_changes: int) -> None:
    """Each task of the demo and the examples, under each ruleset, on every engine."""
    options = SearchOptions.of(max_changes=max_changes)
    for task, owner in _inventories():
        for engine in available_engines():
            _same(task, owner, ruleset, engine, options)
            _same(task, None, ruleset, engine, options)


def test_some_searches_find_something() -> None:
    """The comparison is not of empty results only: pairs and singles both turn up."""
    sizes = set()
    for task, owner in _inventories():
        decision = decide(task, owner, ruleset=EDGES, engine="native")
        sizes |= {len(c.changes) for c in search(decision, SearchOptions.of(max_changes=2))}
    assert sizes == {1, 2}


_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    deadline=None,
)
_NAMES = sorted(INPUTS)


@st.composite
def _options(draw: st.DrawFn) -> SearchOptions:
    only = draw(st.none() | st.sets(st.sampled_from(_NAMES), max_size=6))
    return SearchOptions.of(
        fixed=draw(st.sets(st.sampled_from(_NAMES), max_size=3)),
        costs=draw(
            st.dictionaries(
                st.sampled_from(_NAMES), st.sampled_from([0, 0.5, 2, 3, float("inf")]), max_size=3
            )
        ),
        max_changes=draw(st.integers(1, 3)),
        only=only,
        obvious=draw(st.booleans()),
    )


@_SETTINGS
@given(
    st.sampled_from(RULESETS) | rulesets(max_rules=6),
    tasks(),
    st.none() | owners(),
    _options(),
    st.sampled_from(available_engines()),
)
def test_property_the_search_gives_the_oracles_counterfactuals(
    ruleset: Any, task: Task, owner: Owner | None, options: SearchOptions, engine: str
) -> None:
    """Random rulesets, tasks (many facts unknown), owners and options: the same answer."""
    _same(task, owner, ruleset, engine, options)
