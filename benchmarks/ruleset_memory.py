"""Memory a live, compiled ruleset costs, per engine: what a server caching uploads must budget.

Run by hand, never by the test suite::

    python benchmarks/ruleset_memory.py                 # 2,000 rulesets an engine
    python benchmarks/ruleset_memory.py --rulesets 500 --ruleset default

Loads *N* distinct copies of a ruleset (each with its own name, so no cache
can share them), compiles each on the engine by deciding one task, keeps
them all alive, and reports the growth of the resident set size (which sees
durable-rules' C heap too) divided by *N*. Then it drops them and reports
how much of that the allocator gave back to the system, and loads *N* more:
their growth shows whether the memory of the dropped ones is reused (the
allocator keeps freed memory for the process). Loading alone (the parsed, validated
``Ruleset`` without a compiled engine) is measured the same way.

The report is Markdown on standard output.
"""

from __future__ import annotations

import argparse
import gc
import platform
import re
import subprocess
import sys
from pathlib import Path

from outsourcing_rules import Task, available_engines, decide, load_ruleset
from outsourcing_rules.loading.reading import builtin_path


def rss_kib() -> int:
    """Return the resident set size now, in KiB (Linux: from /proc/self/statm)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    import resource

    return pages * resource.getpagesize() // 1024


def copies(text: str, count: int) -> list[str]:
    """Return *count* copies of ruleset *text*, each under a name of its own."""
    named = re.compile(r"^ruleset:.*$", re.MULTILINE)
    assert named.search(text), "the ruleset must name itself on a line of its own"
    return [named.sub(f"ruleset: copy-{i}", text, count=1) for i in range(count)]


def measure(texts: list[str], engine: str | None) -> tuple[float, float]:
    """Return KiB per live ruleset, and the share given back when all are dropped."""
    task = Task(name="t", category="x", hours_each=2)
    gc.collect()
    before = rss_kib()
    kept = []
    for text in texts:
        ruleset = load_ruleset(text.encode())
        if engine is not None:
            decide(task, ruleset=ruleset, engine=engine)
        kept.append(ruleset)
    gc.collect()
    grown = rss_kib() - before
    kept.clear()
    gc.collect()
    back = grown - (rss_kib() - before)
    return grown / len(texts), (back / grown if grown else 1.0)


def main() -> None:
    """Measure each engine, each in a fresh interpreter, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rulesets", type=int, default=2_000)
    parser.add_argument("--ruleset", default="default", help="a built-in name or a file")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = builtin_path(args.ruleset) if args.ruleset == "default" else Path(args.ruleset)
    text = path.read_text(encoding="utf-8")
    if args.one is not None:  # the child: one measurement, printed as a table row
        engine = None if args.one == "none" else args.one
        measure(copies(text, 50), engine)  # warm-up: the allocator's own growth
        per, back = measure(copies(text, args.rulesets), engine)
        again, _ = measure(copies(text, args.rulesets), engine)
        label = engine or "nothing (loaded only)"
        print(f"| {label} | {per:,.1f} | {back:.0%} | {again:,.1f} |")
        return
    print(f"# Memory per live ruleset ({args.ruleset}, {args.rulesets:,} copies)\n")
    print(f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}.\n")
    print("| compiled for | KiB per ruleset | given back when dropped | KiB per ruleset, again |")
    print("| --- | ---: | ---: | ---: |", flush=True)
    for one in ["none", *available_engines()]:
        command = [sys.executable, __file__, "--one", one, "--rulesets", str(args.rulesets)]
        subprocess.run([*command, "--ruleset", args.ruleset], check=True)


if __name__ == "__main__":
    main()
