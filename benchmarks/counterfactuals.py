"""What the counterfactual search costs, measured in decide() calls.

Run by hand, never by the test suite::

    python benchmarks/counterfactuals.py            # 300 random tasks, best of 5 each
    python benchmarks/counterfactuals.py --quick    # a small run to check the script works
    python benchmarks/counterfactuals.py --tasks    # also one row per inventory task
    python benchmarks/counterfactuals.py --engine native   # one engine only

For each task of two workloads (the tasks of the demo and of the
documentation's example inventories, and the seeded random tasks of
``_workload.py``, most with several facts unknown), it times
``decision.counterfactuals()`` on a fresh decision (no cache; the decision
itself is made inside the timing) and one ``decide()`` of the same task, and
reports the per-task medians and 90th percentiles of the search's time and
of its ratio to one decision, on each engine that runs here. ``decide()`` is
timed two ways: on the same engine with the ruleset passed in (nothing
looked up: its cheapest), and as users call it (``decide(task, owner)``:
default ruleset and engine). The budget is 100 decisions per search, against
the cheapest. Times are processor time of this process by default (a shared
machine's waiting is left out; ``--clock wall`` for the wall clock). The
report is Markdown on standard output.
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
from outsourcing_rules.planning import read_inventory

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
DEMO = ROOT / "src" / "outsourcing_rules" / "data" / "demo.yaml"

#: The clock the timings read (``--clock``).
CLOCK = time.process_time


def _best(run: Callable[[], Any], repeats: int, inner: int = 1) -> float:
    """Return the best time of *repeats* runs of *inner* calls, per call, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = CLOCK()
        for _ in range(inner):
            run()
        best = min(best, (CLOCK() - start) / inner)
    return best


def _inventories() -> list[tuple[Task, Owner | None]]:
    """Return the tasks of the demo and the example inventories (YAML and CSV), with owners."""
    found: list[tuple[Task, Owner | None]] = []
    for case in yaml.safe_load(DEMO.read_text(encoding="utf-8")):
        owner = Owner.from_dict(case["owner"])
        found += [(Task.from_dict(task), owner) for task in case["tasks"]]
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "tasks" in data:
            owner = Owner.from_dict(data["owner"]) if data.get("owner") else None
            found += [(Task.from_dict(task), owner) for task in data["tasks"]]
    sally = Owner.from_dict(yaml.safe_load((EXAMPLES / "owner.yaml").read_text(encoding="utf-8")))
    found += [(task, sally) for task in read_inventory(EXAMPLES / "tasks.csv").tasks]
    return found


def _random(count: int) -> list[tuple[Task, Owner | None]]:
    owner = Owner.from_dict(workload.OWNER)
    return [(Task.from_dict(task), owner) for task in workload.tasks_data(count)]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(
    name: str,
    pairs: list[tuple[Task, Owner | None]],
    engine: str,
    repeats: int,
    rows: list[str] | None = None,
) -> str:
    """Time the search and decide() for every task; return the report's table row.

    With *rows*, one row per task is added to it.
    """
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
    if rows is not None:
        for (task, _), search, one, ratio in zip(pairs, searches, same, to_same, strict=True):
            rows.append(
                f"| {task.name} | {engine} | {search * 1e6:.0f} µs | {one * 1e6:.1f} µs "
                f"| {ratio:.0f} |"
            )
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
    parser.add_argument("--tasks", action="store_true", help="one row per inventory task too")
    parser.add_argument(
        "--clock", choices=("process", "wall"), default="process", help="what the timings read"
    )
    parser.add_argument(
        "--engine", choices=available_engines(), help="time this engine only (default: each)"
    )
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.clock == "process" else time.perf_counter
    count, repeats = (20, 2) if args.quick else (300, 5)
    workloads = {"demo and examples": _inventories(), "random tasks": _random(count)}
    print(
        f"Python {platform.python_version()} on {platform.machine()}, best of {repeats}, "
        f"{args.clock} time.\n"
    )
    print(
        "| workload (tasks) | engine | search median | search p90 "
        "| decide() on the engine | ratio median | ratio p90 "
        "| decide(task, owner) | ratio median | ratio p90 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    rows: list[str] = []
    for engine in [args.engine] if args.engine else available_engines():
        for name, pairs in workloads.items():
            each = rows if args.tasks and name == "demo and examples" else None
            print(measure(name, pairs, engine, repeats, each), flush=True)
    if rows:
        print("\n| task | engine | search | decide() on the engine | ratio |")
        print("|---|---|---|---|---|")
        print("\n".join(rows))


if __name__ == "__main__":
    main()
