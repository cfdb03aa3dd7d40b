"""The output schemas: every example decision and plan validates against them."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

from outsourcing_rules import (
    Decision,
    Owner,
    Task,
    decide,
    decide_all,
    decision_schema,
    plan,
    plan_schema,
)
from outsourcing_rules.cli import main
from outsourcing_rules.loading.reading import builtin_path
from outsourcing_rules.loading.yamlio import read_yaml
from outsourcing_rules.planning.inventory import read_inventory
from outsourcing_rules.quality.scenarios import load_scenarios
from outsourcing_rules.testing import owners, tasks

DECISION = jsonschema.Draft202012Validator(decision_schema())
PLAN = jsonschema.Draft202012Validator(plan_schema())
DOCS = Path(__file__).parent.parent / "docs" / "examples"
EXAMPLES = builtin_path("default").parent / "examples"


def demo_decisions(engine: str) -> Iterator[Decision]:
    """Yield the decisions ``outsourcing-rules demo`` shows."""
    text = (
        importlib.resources.files("outsourcing_rules")
        .joinpath("data/demo.yaml")
        .read_text(encoding="utf-8")
    )
    for case in read_yaml(text):
        yield from decide_all(case["tasks"], case["owner"], engine=engine)


def example_decisions(engine: str) -> Iterator[Decision]:
    """Yield every decision of the docs' inventories and the example scenario files."""
    inventory = read_inventory(DOCS / "video-editor.yaml")
    yield from decide_all(inventory.tasks, inventory.owner, engine=engine)
    owner = Owner.from_dict(read_yaml((DOCS / "owner.yaml").read_text(encoding="utf-8")))
    yield from decide_all(read_inventory(DOCS / "tasks.csv").tasks, owner, engine=engine)
    for cases in [*EXAMPLES.glob("*.cases.yaml"), *DOCS.glob("*.cases.yaml")]:
        scenarios = load_scenarios(cases)
        ruleset = scenarios.load_ruleset()
        for case in scenarios.cases:
            yield decide(case.task, case.owner, ruleset=ruleset, engine=engine)


def test_the_schemas_are_valid_draft_2020_12() -> None:
    """Both are JSON Schemas a draft 2020-12 validator accepts."""
    jsonschema.Draft202012Validator.check_schema(decision_schema())
    jsonschema.Draft202012Validator.check_schema(plan_schema())


def test_every_example_decision_validates(engine: str) -> None:
    """The demo's, the docs' inventories' and every example case's decision fits the schema."""
    made = [*demo_decisions(engine), *example_decisions(engine)]
    assert len(made) > 30
    verdicts = set()
    for decision in made:
        data = decision.to_dict()
        DECISION.validate(data)
        json.dumps(data)
        verdicts.add(data["verdict"])
        assert (data["handoff"] is None) == (data["verdict"] != "outsource")
    assert verdicts == {"keep", "outsource", "eliminate"}


def test_the_top_level_is_exactly_the_schema(engine: str) -> None:
    """Every key the schema names is there, and none it does not."""
    data = next(demo_decisions(engine)).to_dict()
    assert list(data) == list(decision_schema()["properties"])
    assert decision_schema()["required"] == list(data)


def test_a_missing_or_wrong_part_fails() -> None:
    """The schema can fail: a missing section, a wrong verdict or an extra key do."""
    data = decide({"name": "Payroll", "skill": "none"}).to_dict()
    assert DECISION.is_valid(data)
    for broken in (
        {k: v for k, v in data.items() if k != "handoff"},
        {**data, "verdict": "maybe"},
        {**data, "colour": "red"},
        {**data, "economics": {**data["economics"], "hours_per_year": "many"}},
    ):
        assert not DECISION.is_valid(broken)


@settings(max_examples=30)
@given(tasks(), owners())
def test_any_decision_validates(task: Task, owner: Owner) -> None:
    """Whatever the task and owner, the decision's JSON fits the schema."""
    DECISION.validate(decide(task, owner, engine="native").to_dict())


def test_the_demo_plan_validates_with_and_without_decisions() -> None:
    """Plan.to_dict fits plan_schema, whole or without its decisions."""
    made = list(demo_decisions("native"))
    whole = plan([d.task for d in made[:9]], made[0].owner, engine="native")
    PLAN.validate(whole.to_dict())
    PLAN.validate(whole.to_dict(decisions=False))
    assert whole.to_dict()["hires"]
    assert not PLAN.is_valid({**whole.to_dict(), "decisions": [{"task": "x"}]})


@pytest.mark.parametrize("changes", [1, 2])
def test_max_changes_bounds_the_counterfactuals(changes: int) -> None:
    """to_dict's counterfactuals change at most max_changes facts each."""
    decision = decide(
        Task(name="Flights", times_per_year=3, hours_each=1, skill="competent"),
        Owner(hourly_rate=90),
        engine="native",
    )
    found = decision.to_dict(max_changes=changes)["counterfactuals"]
    assert found
    assert all(len(c["changes"]) <= changes for c in found)
    assert found == [c.to_dict() for c in decision.counterfactuals(max_changes=changes)]


def test_decide_json_and_jsonl_full_print_the_same_decisions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``decide --format json`` and ``jsonl --full`` print the same decisions, each valid."""
    inventory = str(DOCS / "video-editor.yaml")
    assert main(["decide", inventory, "--format", "json", "--engine", "native"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert main(["decide", inventory, "--format", "jsonl", "--full", "--engine", "native"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == whole["decisions"]
    assert len(lines) == len(read_inventory(DOCS / "video-editor.yaml").tasks)
    for decision in lines:
        DECISION.validate(decision)
    PLAN.validate(whole["plan"])
