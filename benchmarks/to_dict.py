"""What ``Decision.to_dict()`` costs, by ruleset size and by counterfactual depth.

Run by hand, never by the test suite::

    python benchmarks/to_dict.py            # rulesets of 9 (default), 50, 100 and 400 rules
    python benchmarks/to_dict.py --quick    # a small run to check the script works

``to_dict`` carries everything a decision can say: the explanation, the
trace, why-not, unknowns, counterfactuals and the hand-off. It is computed
lazily, so each timing below is on a fresh decision: the whole cost of one
JSON answer. ``max_changes=1`` (the default) searches single-fact changes;
``2`` adds pairs. The synthetic rulesets have rules on three facts each, so
every rule adds thresholds for the search to try. Medians, in milliseconds,
as a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from outsourcing_rules import Owner, Ruleset, Task, decide, default_ruleset, load_ruleset

OWNER = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
LEVELS = ["none", "basic", "competent"]
VERDICTS = ["keep", "outsource", "eliminate"]


def synthetic(rules: int) -> Ruleset:
    """Return a ruleset of *rules* rules, each on frequency, hours and skill."""
    return load_ruleset(
        {
            "ruleset": f"synthetic-{rules}",
            "default": {"verdict": "keep", "because": "Nothing applies."},
            "rules": [
                {
                    "id": f"r{i}",
                    "priority": i + 1,
                    "when": {
                        "all": [
                            {"times_per_year": {"gt": i}},
                            {"hours_each": {"lt": 100 - i % 50}},
                            {"skill": {"le": LEVELS[i % 3]}},
                        ]
                    },
                    "then": VERDICTS[i % 3],
                    "because": "A synthetic rule.",
                }
                for i in range(rules)
            ],
        }
    )


def task(i: int) -> Task:
    """Return the *i*-th task of the workload: varied frequency and skill."""
    return Task(
        name=f"Task {i}",
        times_per_year=(i * 7) % 60,
        hours_each=1 + i % 30,
        skill=LEVELS[i % 3],
        enjoyment="dislike",
        provider_hourly_rate=40,
    )


def median_ms(ruleset: Ruleset, max_changes: int, repeats: int) -> float:
    """Return the median milliseconds of to_dict on fresh decisions."""
    times = []
    for i in range(repeats):
        decision = decide(task(i), OWNER, ruleset=ruleset, engine="native")
        start = time.perf_counter()
        decision.to_dict(max_changes=max_changes)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> None:
    """Time to_dict and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    args = parser.parse_args(argv)
    sizes: list[tuple[str, Any]] = [("default (9 rules)", default_ruleset())]
    sizes += [(f"{n} rules", synthetic(n)) for n in ((20,) if args.quick else (50, 100, 400))]
    repeats = 3 if args.quick else 21
    print("| ruleset | to_dict() | to_dict(max_changes=2) |")
    print("|---|---:|---:|")
    for label, ruleset in sizes:
        one = median_ms(ruleset, 1, repeats)
        pairs = median_ms(ruleset, 2, repeats if len(ruleset.rules) <= 50 else 3)
        print(f"| {label} | {one:,.1f} ms | {pairs:,.1f} ms |")


if __name__ == "__main__":
    main()
