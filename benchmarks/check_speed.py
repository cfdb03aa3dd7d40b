"""How long ``outsourcing-rules check`` takes: the default ruleset and a 1,000-rule one.

Run by hand, never by the test suite::

    python benchmarks/check_speed.py            # 3 repeats (--repeats N)
    python benchmarks/check_speed.py --quick    # 1 repeat, a 200-rule ruleset

It times, with the solver (the ``check`` extra):

* ``check`` of the default ruleset as a user runs it: a fresh interpreter
  running the command line (imports included), wall time;
* :func:`~outsourcing_rules.quality.check_ruleset` of the default ruleset in
  one process (the work alone), and of an agency ruleset that extends the
  default with 1,000 generated rules over every kind of fact (loaded with a
  raised ``max_rules``), split into its analysis and its proofs.

Targets: the default ruleset under 1 s, the 1,000-rule ruleset under 30 s.
The report is Markdown on standard output.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from outsourcing_rules import Limits, __version__, load_ruleset
from outsourcing_rules.quality import analyse_rules, check_ruleset, prove_invariants

_CATEGORIES = ["design", "email", "invoicing", "research", "payroll", "web", "video", "legal"]
_TAGS = ["urgent", "client", "weekly", "admin"]
_LEVELS = ["none", "basic", "competent", "expert"]


def _condition(rng: random.Random) -> dict[str, Any]:
    kind = rng.randrange(8)
    if kind == 0:
        return {"category": rng.choice(_CATEGORIES)}
    if kind == 1:
        return {"tags": {"in": rng.sample(_TAGS, 2)}}
    if kind == 2:
        return {"skill": {rng.choice(["le", "ge"]): rng.choice(_LEVELS)}}
    if kind == 3:
        return {"times_per_year": {rng.choice(["lt", "ge"]): rng.choice([4, 12, 52, 250])}}
    if kind == 4:
        return {"hours_per_year": {"ge": rng.choice([10, 50, 200, 1000])}}
    if kind == 5:
        return {"rate_ratio": {"ge": rng.choice([1.5, 2, 3, 5])}}
    if kind == 6:
        return {
            rng.choice(["repetitive", "time_available", "revenue_generating"]): rng.random() < 0.5
        }
    return {"enjoyment": {"le": rng.choice(["hate", "dislike", "neutral"])}}


def big_ruleset(count: int, seed: int = 13, *, keyed: bool = False) -> dict[str, Any]:
    """Return an agency ruleset: the default plus *count* generated rules.

    Random rules (``keyed=False``) have one to three comparisons of any
    kind, so broad ones outrank most of the rest: a hard case. Keyed rules
    (``keyed=True``) each name one of 250 categories and add one or two
    comparisons, as an agency with many kinds of work writes them.
    """
    rng = random.Random(seed)
    rules = []
    for i in range(count):
        parts = [_condition(rng) for _ in range(rng.randint(1, 2 if keyed else 3))]
        if keyed:
            parts = [{"category": f"kind-{rng.randrange(250)}"}, *parts]
        verdict = rng.choice(["keep", "outsource", "eliminate"])
        # Priorities below the default's core rules, one residue per verdict (a load rule).
        priority = 3 * (i + 1) + ["keep", "outsource", "eliminate"].index(verdict) - 10_000
        rules.append(
            {
                "id": f"agency-{i}",
                "priority": priority,
                "when": {"all": parts} if len(parts) > 1 else parts[0],
                "then": verdict,
                "because": "Generated.",
            }
        )
    return {"ruleset": "big-agency", "extends": "default", "rules": rules}


def _median(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    count = 200 if args.quick else 1000
    rows: list[tuple[str, str, str]] = []

    cli, cli_cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from outsourcing_rules.cli import run; run()",
                "check",
                "default",
            ],
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    rows.append(
        (
            f"`outsourcing-rules check default`, fresh process, imports included "
            f"(CPU; wall {statistics.median(cli):.2f} s)",
            _median(cli_cpu),
            "< 1 s",
        )
    )

    inproc = []
    for _ in range(repeats):
        started = time.process_time()
        report = check_ruleset("default")
        inproc.append(time.process_time() - started)
    assert report.ok
    rows.append(("`check_ruleset('default')` in process (CPU)", _median(inproc), "< 1 s"))

    limits = Limits(max_rules=count + 100)
    found: dict[str, dict[str, int]] = {}
    for keyed in (True, False):
        kind = "keyed" if keyed else "random"
        ruleset = load_ruleset(big_ruleset(count, keyed=keyed), limits=limits)
        parts: dict[str, list[float]] = {"analysis": [], "proofs": [], "check": []}
        walls = 0.0
        for _ in range(max(1, repeats // 2)):
            started = time.process_time()
            analyse_rules(ruleset)
            parts["analysis"].append(time.process_time() - started)
            started = time.process_time()
            prove_invariants(ruleset)
            parts["proofs"].append(time.process_time() - started)
            started, wall = time.process_time(), time.perf_counter()
            big = check_ruleset(ruleset)
            parts["check"].append(time.process_time() - started)
            walls = time.perf_counter() - wall
        rows.append(
            (
                f"`check_ruleset`, {len(ruleset.rules):,} {kind} rules (CPU; wall {walls:.1f} s)",
                _median(parts["check"]),
                "< 30 s",
            )
        )
        for name in ("analysis", "proofs"):
            rows.append((f"... of which {name} (CPU)", _median(parts[name]), ""))
        codes: dict[str, int] = {}
        for finding in big.findings:
            codes[finding.code] = codes.get(finding.code, 0) + 1
        found[kind] = codes

    print(
        f"# check speed ({datetime.date.today()}, outsourcing-rules {__version__}, "
        f"Python {platform.python_version()}, {platform.machine()})\n"
    )
    print(f"Median of {repeats} run(s).\n")
    print("| what | median | target |\n| --- | ---: | ---: |")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    for kind, codes in found.items():
        listed = ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
        print(f"\nFindings on the {kind} ruleset: {listed}")


if __name__ == "__main__":
    main()
