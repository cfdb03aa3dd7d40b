"""What the counterfactual search costs, measured in decide() calls.

Run by hand, never by the test suite::

    python benchmarks/counterfactuals.py            # 300 tasks, best of 5 each
    python benchmarks/counterfactuals.py --quick    # a small run to check the script works

For each task of two workloads (the seeded random tasks of ``_workload.py``,
most with several facts unknown, and the tasks of the documentation's
examples), it times ``decision.counterfactuals()`` on a fresh decision (no
cache) and one ``decide()`` of the same task, and reports the median and the
90th percentile of the search's time and of its ratio to one decision, on
each engine that runs here. ``decide()`` is timed two ways: on the same
engine with the ruleset passed in (nothing looked up: its cheapest), and as
users call it (``decide(task, owner)``: default ruleset and engine).
The issue's budget is 100 decisions per search. The report is Markdown on
standard output.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload
import yaml

from outsourcing_rules import Owner, Task, decide, default_ruleset
from outsourcing_rules.engines import available_engines

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def _best(run: Callable[[], Any], repeats: int, inner: int = 1) -> float:
    """Return the best time of *repeats* runs of *inner* calls, per call, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            run()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def _examples() -> list[tuple[Task, Owner | None]]:
    found: list[tuple[Task, Owner | None]] = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "tasks" in data:
            owner = Owner.from_dict(data["owner"]) if data.get("owner") else None
            found += [(Task.from_dict(task), owner) for task in data["tasks"]]
    return found


def _random(count: int) -> list[tuple[Task, Owner | None]]:
    owner = Owner.from_dict(workload.OWNER)
    return [(Task.from_dict(task), owner) for task in workload.tasks_data(count)]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(name: str, pairs: list[tuple[Task, Owner | None]], engine: str, repeats: int) -> str:
    """Time the search and decide() for every task; return the report's table row."""
    ruleset = default_ruleset()
    searches, same, usual = [], [], []
    for task, owner in pairs:
        decide(task, owner, ruleset=ruleset, engine=engine).counterfactuals()  # warm the caches
        searches.append(
            _best(
                lambda t=task, o=owner: decide(
                    t, o, ruleset=ruleset, engine=engine
                ).counterfactuals(),
                repeats,
            )
        )
        same.append(
            _best(lambda t=task, o=owner: decide(t, o, ruleset=ruleset, engine=engine), repeats, 50)
        )
        usual.append(_best(lambda t=task, o=owner: decide(t, o), repeats, 50))
    to_same = [s / b for s, b in zip(searches, same, strict=True)]
    to_usual = [s / b for s, b in zip(searches, usual, strict=True)]
    return (
        f"| {name} ({len(pairs)}) | {engine} "
        f"| {statistics.median(searches) * 1e3:.3f} ms | {_quantile(searches, 0.9) * 1e3:.3f} ms "
        f"| {statistics.median(same) * 1e6:.1f} µs "
        f"| {statistics.median(to_same):.0f} | {_quantile(to_same, 0.9):.0f} "
        f"| {statistics.median(usual) * 1e6:.1f} µs "
        f"| {statistics.median(to_usual):.0f} | {_quantile(to_usual, 0.9):.0f} |"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    args = parser.parse_args(argv)
    count, repeats = (20, 2) if args.quick else (300, 5)
    workloads = {"random tasks": _random(count), "examples": _examples()}
    print(f"Python {platform.python_version()} on {platform.machine()}, best of {repeats}.\n")
    print(
        "| workload (tasks) | engine | search median | search p90 "
        "| decide() on the engine | ratio median | ratio p90 "
        "| decide(task, owner) | ratio median | ratio p90 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for engine in available_engines():
        for name, pairs in workloads.items():
            print(measure(name, pairs, engine, repeats), flush=True)


if __name__ == "__main__":
    main()
