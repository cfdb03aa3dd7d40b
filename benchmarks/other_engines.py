r"""The same nine-rule decision on other Python rule engines, for comparison.

Run by hand, in a throwaway virtual environment, never by the test suite;
none of these engines is a dependency of outsourcing_rules::

    python3.11 -m venv /tmp/others && /tmp/others/bin/pip install rule-engine \\
        business-rules zen-engine
    /tmp/others/bin/python benchmarks/other_engines.py
    # experta needs Python 3.9 or older (its pinned frozendict 1.2 does not
    # import on 3.10 and newer):
    python3.9 -m venv /tmp/experta && /tmp/experta/bin/pip install experta
    /tmp/experta/bin/python benchmarks/other_engines.py

Each engine decides the same seeded tasks as ``throughput.py`` (from
``_workload.py``, which needs no outsourcing_rules), records every rule that
applies and resolves the winner by the default ruleset's priorities. Every
engine's answers are checked against the hand-written reference first. The
reference itself is timed in the same process, as the yardstick that makes
rates from different interpreters comparable. Engines that do not import are
skipped. The report is Markdown on standard output.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload

Facts = dict[str, Any]
#: An engine prepared once: takes the facts of many tasks, returns for each task the
#: ids of the rules that fired.
Fire = Callable[[Sequence[Facts]], list[Sequence[str]]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


# --- rule-engine (zeroSteiner/rule-engine) --------------------------------------------


def build_rule_engine() -> Fire:
    """Build nine ``rule_engine.Rule`` objects; unknown facts resolve to ``null``."""
    import rule_engine

    context = rule_engine.Context(default_value=None)
    texts = {
        "core-competency": "core_competency == true",
        "only-owner": "only_owner == true",
        "eliminate": "can_be_eliminated == true",
        "skill-gap": "skill != null and skill <= 1",
        "low-frequency": (
            "recurring == true and times_per_year != null and "
            f"times_per_year < {workload.LOW_FREQUENCY_PER_YEAR}"
        ),
        "annoyance": "enjoyment != null and enjoyment <= 1",
        "time-scarcity": "time_available == false",
        "opportunity-cost": (
            f"rate_ratio != null and rate_ratio >= {workload.OPPORTUNITY_COST_RATIO}"
        ),
        "repetitive": "repetitive == true",
    }
    rules = [(rule_id, rule_engine.Rule(text, context=context)) for rule_id, text in texts.items()]

    def fire(facts: Facts) -> list[str]:
        return [rule_id for rule_id, rule in rules if rule.matches(facts)]

    return one_by_one(fire)


# --- business-rules (venmo/business-rules) --------------------------------------------


def build_business_rules() -> Fire:
    """Build the rules as business-rules JSON; it has no unknown, so facts say if they are known.

    Booleans are tri-state strings (``"true"``, ``"false"``, ``"unknown"``);
    numbers come with a ``<name>_known`` boolean checked first in an ``all``.
    """
    from business_rules import run_all
    from business_rules.actions import BaseActions, rule_action
    from business_rules.fields import FIELD_TEXT
    from business_rules.variables import (
        BaseVariables,
        boolean_rule_variable,
        numeric_rule_variable,
        string_rule_variable,
    )

    def tri(value: bool | None) -> str:
        return "unknown" if value is None else ("true" if value else "false")

    class TaskVariables(BaseVariables):  # type: ignore[misc]
        def __init__(self, facts: Facts) -> None:
            self.facts = facts

        @string_rule_variable  # type: ignore[misc]
        def core_competency(self) -> str:
            return tri(self.facts["core_competency"])

        @string_rule_variable  # type: ignore[misc]
        def only_owner(self) -> str:
            return tri(self.facts["only_owner"])

        @string_rule_variable  # type: ignore[misc]
        def can_be_eliminated(self) -> str:
            return tri(self.facts["can_be_eliminated"])

        @string_rule_variable  # type: ignore[misc]
        def recurring(self) -> str:
            return tri(self.facts["recurring"])

        @string_rule_variable  # type: ignore[misc]
        def time_available(self) -> str:
            return tri(self.facts["time_available"])

        @string_rule_variable  # type: ignore[misc]
        def repetitive(self) -> str:
            return tri(self.facts["repetitive"])

        @boolean_rule_variable  # type: ignore[misc]
        def skill_known(self) -> bool:
            return self.facts["skill"] is not None

        @numeric_rule_variable  # type: ignore[misc]
        def skill(self) -> int:
            return self.facts["skill"]  # type: ignore[no-any-return]

        @boolean_rule_variable  # type: ignore[misc]
        def enjoyment_known(self) -> bool:
            return self.facts["enjoyment"] is not None

        @numeric_rule_variable  # type: ignore[misc]
        def enjoyment(self) -> int:
            return self.facts["enjoyment"]  # type: ignore[no-any-return]

        @boolean_rule_variable  # type: ignore[misc]
        def times_per_year_known(self) -> bool:
            return self.facts["times_per_year"] is not None

        @numeric_rule_variable  # type: ignore[misc]
        def times_per_year(self) -> float:
            return self.facts["times_per_year"]  # type: ignore[no-any-return]

        @boolean_rule_variable  # type: ignore[misc]
        def rate_ratio_known(self) -> bool:
            return self.facts["rate_ratio"] is not None

        @numeric_rule_variable  # type: ignore[misc]
        def rate_ratio(self) -> float:
            return self.facts["rate_ratio"]  # type: ignore[no-any-return]

    class Recorder(BaseActions):  # type: ignore[misc]
        def __init__(self, fired: list[str]) -> None:
            self.fired = fired

        @rule_action(params={"rule_id": FIELD_TEXT})  # type: ignore[misc]
        def fire(self, rule_id: str) -> None:
            self.fired.append(rule_id)

    def known_and(name: str, operator: str, value: float) -> dict[str, Any]:
        return {
            "all": [
                {"name": f"{name}_known", "operator": "is_true", "value": True},
                {"name": name, "operator": operator, "value": value},
            ]
        }

    def flag(name: str, value: str) -> dict[str, Any]:
        return {"name": name, "operator": "equal_to", "value": value}

    conditions = {
        "core-competency": flag("core_competency", "true"),
        "only-owner": flag("only_owner", "true"),
        "eliminate": flag("can_be_eliminated", "true"),
        "skill-gap": known_and("skill", "less_than_or_equal_to", 1),
        "low-frequency": {
            "all": [
                flag("recurring", "true"),
                known_and("times_per_year", "less_than", workload.LOW_FREQUENCY_PER_YEAR),
            ]
        },
        "annoyance": known_and("enjoyment", "less_than_or_equal_to", 1),
        "time-scarcity": flag("time_available", "false"),
        "opportunity-cost": known_and(
            "rate_ratio", "greater_than_or_equal_to", workload.OPPORTUNITY_COST_RATIO
        ),
        "repetitive": flag("repetitive", "true"),
    }
    rules = [
        {
            "conditions": condition,
            "actions": [{"name": "fire", "params": {"rule_id": rule_id}}],
        }
        for rule_id, condition in conditions.items()
    ]

    def fire(facts: Facts) -> list[str]:
        fired: list[str] = []
        run_all(rules, TaskVariables(facts), Recorder(fired), stop_on_first_trigger=False)
        return fired

    return one_by_one(fire)


# --- zen-engine (gorules/zen) ---------------------------------------------------------


def _zen_decision() -> dict[str, Any]:
    """Return a JSON Decision Model: one decision table, hit policy ``collect``."""
    columns = [
        "core_competency",
        "only_owner",
        "can_be_eliminated",
        "skill",
        "recurring",
        "times_per_year",
        "enjoyment",
        "time_available",
        "rate_ratio",
        "repetitive",
    ]
    cells = {
        "core-competency": {"core_competency": "== true"},
        "only-owner": {"only_owner": "== true"},
        "eliminate": {"can_be_eliminated": "== true"},
        "skill-gap": {"skill": "$ != null and $ <= 1"},
        "low-frequency": {
            "recurring": "== true",
            "times_per_year": f"$ != null and $ < {workload.LOW_FREQUENCY_PER_YEAR}",
        },
        "annoyance": {"enjoyment": "$ != null and $ <= 1"},
        "time-scarcity": {"time_available": "== false"},
        "opportunity-cost": {"rate_ratio": f"$ != null and $ >= {workload.OPPORTUNITY_COST_RATIO}"},
        "repetitive": {"repetitive": "== true"},
    }
    rules = []
    for rule_id, row in cells.items():
        rule = {"_id": rule_id, **{f"in-{c}": row.get(c, "") for c in columns}}
        rule["out-rule"] = f'"{rule_id}"'
        rules.append(rule)
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": "Rules",
                "position": {"x": 200, "y": 0},
                "content": {
                    "hitPolicy": "collect",
                    "inputs": [
                        {"id": f"in-{c}", "name": c, "type": "expression", "field": c}
                        for c in columns
                    ],
                    "outputs": [
                        {"id": "out-rule", "name": "rule", "type": "expression", "field": "rule"}
                    ],
                    "rules": rules,
                },
            },
            {
                "id": "response",
                "type": "outputNode",
                "name": "Response",
                "position": {"x": 400, "y": 0},
            },
        ],
        "edges": [
            {"id": "e1", "sourceId": "request", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "response", "type": "edge"},
        ],
    }


def build_zen_engine() -> Fire:
    """Build one ZEN decision table (hit policy ``collect``), evaluated task by task."""
    import json

    import zen

    engine = zen.ZenEngine()
    decision = engine.create_decision(json.dumps(_zen_decision()))

    def fire(facts: Facts) -> list[str]:
        result = decision.evaluate(facts)["result"]
        return [row["rule"] for row in result]

    return one_by_one(fire)


def build_zen_engine_batch() -> Fire:
    """Hand all tasks to the same ZEN decision at once, through ``evaluate_batch``."""
    import zen

    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"rules": _zen_decision()}}})

    def fire_all(many: Sequence[Facts]) -> list[Sequence[str]]:
        answers = engine.evaluate_batch([{"key": "rules", "context": f} for f in many])
        return [[row["rule"] for row in answer["data"]["result"]] for answer in answers]

    return fire_all


# --- experta (the maintained fork of PyKnow) ------------------------------------------


def build_experta() -> Fire:
    """Build an experta ``KnowledgeEngine``; each task is one fact, unknown facts left out."""
    from experta import Fact, KnowledgeEngine, P, Rule

    low, ratio = workload.LOW_FREQUENCY_PER_YEAR, workload.OPPORTUNITY_COST_RATIO

    class Outsourcing(KnowledgeEngine):  # type: ignore[misc]
        fired: list[str]

        @Rule(Fact(core_competency=True))  # type: ignore[misc]
        def core_competency(self) -> None:
            self.fired.append("core-competency")

        @Rule(Fact(only_owner=True))  # type: ignore[misc]
        def only_owner(self) -> None:
            self.fired.append("only-owner")

        @Rule(Fact(can_be_eliminated=True))  # type: ignore[misc]
        def eliminate(self) -> None:
            self.fired.append("eliminate")

        @Rule(Fact(skill=P(lambda x: x <= 1)))  # type: ignore[misc]
        def skill_gap(self) -> None:
            self.fired.append("skill-gap")

        @Rule(Fact(recurring=True, times_per_year=P(lambda x: x < low)))  # type: ignore[misc]
        def low_frequency(self) -> None:
            self.fired.append("low-frequency")

        @Rule(Fact(enjoyment=P(lambda x: x <= 1)))  # type: ignore[misc]
        def annoyance(self) -> None:
            self.fired.append("annoyance")

        @Rule(Fact(time_available=False))  # type: ignore[misc]
        def time_scarcity(self) -> None:
            self.fired.append("time-scarcity")

        @Rule(Fact(rate_ratio=P(lambda x: x >= ratio)))  # type: ignore[misc]
        def opportunity_cost(self) -> None:
            self.fired.append("opportunity-cost")

        @Rule(Fact(repetitive=True))  # type: ignore[misc]
        def repetitive(self) -> None:
            self.fired.append("repetitive")

    engine = Outsourcing()

    def fire(facts: Facts) -> list[str]:
        engine.fired = []
        engine.reset()
        engine.declare(Fact(**{k: v for k, v in facts.items() if v is not None}))
        engine.run()
        return engine.fired

    return one_by_one(fire)


ENGINES: dict[str, tuple[str, Callable[[], Fire]]] = {
    "rule-engine": ("rule-engine", build_rule_engine),
    "business-rules": ("business-rules", build_business_rules),
    "zen-engine": ("zen-engine", build_zen_engine),
    "zen-engine `evaluate_batch`": ("zen-engine", build_zen_engine_batch),
    "experta": ("experta", build_experta),
}


def one_by_one(fire: Callable[[Facts], Sequence[str]]) -> Fire:
    """Turn an engine that decides one task at a time into one that takes many."""

    def fire_all(many: Sequence[Facts]) -> list[Sequence[str]]:
        return [fire(facts) for facts in many]

    return fire_all


reference_fire = one_by_one(workload.reference_matches)


def run(fire: Fire, data: Sequence[Facts]) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """Derive every task's facts, let the engine fire, resolve each task's winner."""
    owner, resolve, derive = workload.OWNER, workload.resolve, workload.derived_facts
    return [resolve(fired) for fired in fire([derive(task, owner) for task in data])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=20_000, help="tasks to decide")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats of each")
    parser.add_argument("--only", nargs="*", help="engines to run (default: all that import)")
    args = parser.parse_args(argv)
    data = list(workload.tasks_data(args.tasks))
    expected = [workload.reference_decide(d, workload.OWNER) for d in data]

    fires: dict[str, Fire] = {"hand-written reference (dicts)": reference_fire}
    versions: dict[str, str] = {"hand-written reference (dicts)": "-"}
    for name, (distribution, build) in ENGINES.items():
        if args.only and name not in args.only:
            continue
        try:
            fires[name] = build()
        except ImportError as exc:
            log(f"skipping {name}: {exc}")
            continue
        versions[name] = version(distribution)

    for name, fire in fires.items():
        got = run(fire, data)
        assert len(got) == len(expected), f"{name} answered {len(got)} of {len(expected)} tasks"
        wrong = [i for i in range(len(expected)) if expected[i] != got[i]]
        assert not wrong, (
            f"{name} disagrees on {len(wrong)} tasks, first {data[wrong[0]]}: "
            f"expected {expected[wrong[0]]}, got {got[wrong[0]]}"
        )
        log(f"{name}: agrees on all {len(data):,} tasks")

    times: dict[str, list[float]] = {name: [] for name in fires}
    for repeat in range(args.repeats):
        for name, fire in fires.items():
            gc.collect()
            start = time.perf_counter()
            run(fire, data)
            elapsed = time.perf_counter() - start
            times[name].append(elapsed)
            log(f"  repeat {repeat + 1}/{args.repeats} {name}: {elapsed:.3f} s")

    reference = statistics.median(times["hand-written reference (dicts)"])
    print(
        f"Python {platform.python_version()}, {args.tasks:,} tasks, "
        f"median of {args.repeats} repeats\n"
    )
    print("| engine | version | median time | decisions/s | vs reference |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, found in times.items():
        median = statistics.median(found)
        print(
            f"| {name} | {versions[name]} | {median:.3f} s | {args.tasks / median:,.0f} | "
            f"{reference / median:.3f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
