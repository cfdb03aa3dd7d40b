"""Where the time of a decision goes: cProfile, and line by line where available.

Run by hand, never by the test suite::

    python benchmarks/profile_engines.py                  # native engine, cProfile
    python benchmarks/profile_engines.py --engine durable
    python benchmarks/profile_engines.py --lines          # also line_profiler, if installed

It decides the seeded workload of ``throughput.py`` with ``decide_all`` once
under :mod:`cProfile` and prints the functions that cost the most time of
their own. With ``--lines`` (and ``line_profiler`` importable, for instance
in a throwaway virtual environment) it also times every line of the hot
functions: ``decide_iter``, the native engine's generated matcher (whose
source is printed with line numbers first, as line_profiler cannot read it
from a file) and the durable engine's evaluation.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import sys
from collections.abc import Sequence
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload

from outsourcing_rules import Owner, Task, decide_all, default_ruleset
from outsourcing_rules import decisions as decisions_module
from outsourcing_rules.engines import matcher_for


def hot_functions(engine: str) -> list[Any]:
    """Return the functions worth timing line by line for *engine*."""
    ruleset = default_ruleset()
    found: list[Any] = [decisions_module.decide_iter]
    matcher = matcher_for(ruleset, engine)
    if engine == "native":
        found.append(matcher)
    else:
        from outsourcing_rules.core.vocabulary import fact_values
        from outsourcing_rules.engines._wire import _for_durable

        compiled = type(matcher)
        found += [compiled.__call__, compiled.message, fact_values, _for_durable]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("native", "durable"), default="native")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=15, help="functions to list")
    parser.add_argument("--lines", action="store_true", help="also profile line by line")
    args = parser.parse_args(argv)

    tasks = [Task(**d) for d in workload.tasks_data(args.tasks)]
    owner = Owner(**workload.OWNER)
    ruleset = default_ruleset()
    decide_all(tasks[:10], owner, ruleset=ruleset, engine=args.engine)  # compile first
    gc.collect()
    gc.freeze()

    profile = cProfile.Profile()
    profile.runcall(decide_all, tasks, owner, ruleset=ruleset, engine=args.engine)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"## cProfile: decide_all of {args.tasks:,} tasks on {args.engine}\n")
    print(out.getvalue())

    if args.lines:
        try:
            from line_profiler import LineProfiler
        except ImportError:
            print("line_profiler is not installed here; skipping the line-by-line profile")
            return 0
        if args.engine == "native":
            from outsourcing_rules.engines.native import generate_source

            source, _ = generate_source(ruleset)
            print("## The generated matcher, by line number\n")
            for number, line in enumerate(source.splitlines(), 1):
                print(f"{number:4d}  {line}")
            print()
        lines = LineProfiler(*hot_functions(args.engine))
        lines.runcall(decide_all, tasks, owner, ruleset=ruleset, engine=args.engine)
        print(f"## line_profiler: decide_all of {args.tasks:,} tasks on {args.engine}\n")
        lines.print_stats(stripzeros=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
