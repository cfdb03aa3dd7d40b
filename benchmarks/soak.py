"""Soak test: a million decisions on each engine, showing memory stays flat.

Run by hand, never by the test suite (it takes minutes)::

    python benchmarks/soak.py                      # 1,000,000 decisions an engine
    python benchmarks/soak.py --decisions 200000 --every 20000 --tracemalloc

Tasks come from a generator: the seeded workload of ``_workload.py`` (10,000
tasks as plain data, drawn once), each turned into a fresh ``Task`` by
``Task.from_dict`` when it is needed, so no task object is ever reused. They
flow through :func:`~outsourcing_rules.decide_iter`; each decision is read
(verdict and deciding rule) and dropped, as a service streaming an inventory
would. Every ``--every`` decisions the script reports the rate over the last
stretch (building each task included; ``docs/explanation/performance.md``
times the engines alone), the resident set size now and at its peak, the
memory blocks Python has allocated (:func:`sys.getallocatedblocks`, after a
garbage collection) and, with ``--tracemalloc``, the Python heap traced by
:mod:`tracemalloc` now and at its peak (tracing slows deciding about tenfold,
so use it on shorter runs). Memory that stays flat from the first checkpoint
to the last means nothing accumulates per decision: not in the library, not
in durable-rules' C heap (which only the resident set size can see), not in
the engines' caches. The number of live durable-rules handles is reported
too; it must not grow.

The report is Markdown on standard output; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import gc
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from importlib import metadata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload

from outsourcing_rules import Owner, Task, available_engines, decide_iter

MIB = 1024 * 1024


#: Distinct tasks in the workload; the generator cycles through them.
POOL = 10_000


def tasks(count: int) -> Iterator[Task]:
    """Yield *count* fresh tasks built from the seeded workload's plain data."""
    pool = list(workload.tasks_data(min(count, POOL)))
    for number in range(count):
        yield Task.from_dict(pool[number % len(pool)])


def rss_now() -> int | None:
    """Return the resident set size in bytes (Linux), else ``None``."""
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def rss_peak() -> int:
    """Return the peak resident set size in bytes so far.

    The kernel's high-water mark lags (and counts pages differently from
    ``statm``), so the size seen now counts too.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak if sys.platform == "darwin" else peak * 1024
    return max(peak, rss_now() or 0)


def live_handles() -> int | None:
    """Return the durable-rules handles alive, where durable-rules imports."""
    try:
        from outsourcing_rules.engines.durable import import_error, live_handles
    except ImportError:  # pragma: no cover - the module always imports
        return None
    return None if import_error() else live_handles()


def mib(size: int | None) -> str:
    """Format a size in MiB."""
    return "n/a" if size is None else f"{size / MIB:.1f}"


def soak(engine: str, count: int, every: int, trace: bool) -> list[dict[str, object]]:
    """Decide *count* tasks on *engine*; return one checkpoint every *every* decisions."""
    owner = Owner.from_dict(workload.OWNER)
    gc.collect()
    if trace:
        tracemalloc.start()
    checkpoints: list[dict[str, object]] = []
    verdicts: collections.Counter[str] = collections.Counter()
    started = last = time.perf_counter()
    for done, decision in enumerate(decide_iter(tasks(count), owner, engine=engine), start=1):
        # A decision's verdict, and whether a rule or the default gave it.
        verdicts[decision.verdict.value] += 1
        verdicts["by the default" if decision.rule_id is None else "by a rule"] += 1
        if done % every == 0:
            now = time.perf_counter()
            traced = tracemalloc.get_traced_memory() if trace else (None, None)
            gc.collect()
            checkpoints.append(
                {
                    "decisions": done,
                    "rate": every / (now - last),
                    "blocks": sys.getallocatedblocks(),
                    "rss": rss_now(),
                    "rss_peak": rss_peak(),
                    "traced": traced[0],
                    "traced_peak": traced[1],
                    "handles": live_handles(),
                }
            )
            last = time.perf_counter()  # the checkpoint's own work is not counted
            print(
                f"{engine}: {done:,} decisions, {checkpoints[-1]['rate']:,.0f}/s, "
                f"RSS {mib(rss_now())} MiB",
                file=sys.stderr,
                flush=True,
            )
    total = time.perf_counter() - started
    if trace:
        tracemalloc.stop()
    checkpoints.append({"total_seconds": total, "verdicts": dict(verdicts)})
    return checkpoints


def report(engine: str, checkpoints: list[dict[str, object]], trace: bool) -> None:
    """Print one engine's checkpoints as a Markdown table, then its growth."""
    summary = checkpoints.pop()
    print(f"\n### {engine}\n")
    header = "| decisions | decisions/s | RSS MiB | peak RSS MiB | Python blocks |"
    rule = "|---:|---:|---:|---:|---:|"
    if trace:
        header += " traced MiB | traced peak MiB |"
        rule += "---:|---:|"
    print(header + " durable handles |")
    print(rule + "---:|")
    for point in checkpoints:
        row = (
            f"| {point['decisions']:,} | {point['rate']:,.0f} | {mib(point['rss'])}"  # type: ignore[str-format]
            f" | {mib(point['rss_peak'])} | {point['blocks']:,} |"  # type: ignore[arg-type]
        )
        if trace:
            row += f" {mib(point['traced'])} | {mib(point['traced_peak'])} |"  # type: ignore[arg-type]
        handles = point["handles"]
        print(row + f" {'n/a' if handles is None else handles} |")
    first, final = checkpoints[0], checkpoints[-1]
    total = float(summary["total_seconds"])  # type: ignore[arg-type]
    print(
        f"\n{final['decisions']:,} decisions in {total:,.0f} s "
        f"({final['decisions'] / total:,.0f}/s overall).",  # type: ignore[operator]
        end=" ",
    )
    if first["rss"] is not None and final["rss"] is not None:
        grown = (final["rss"] - first["rss"]) / MIB  # type: ignore[operator]
        print(f"RSS from the first checkpoint to the last: {grown:+.1f} MiB.", end=" ")
    blocks = final["blocks"] - first["blocks"]  # type: ignore[operator]
    print(f"Python blocks: {blocks:+,}.", end=" ")
    if trace:
        grown = (final["traced"] - first["traced"]) / MIB  # type: ignore[operator]
        print(f"Traced Python heap: {grown:+.2f} MiB.", end="")
    counts: dict[str, int] = summary["verdicts"]  # type: ignore[assignment]
    shown = ", ".join(
        f"{name} {counts.get(name, 0):,}" for name in ("keep", "outsource", "eliminate")
    )
    print(
        f"\nVerdicts: {shown}; decided by a rule {counts.get('by a rule', 0):,}, "
        f"by the default {counts.get('by the default', 0):,}."
    )


def main(argv: list[str] | None = None) -> int:
    """Run the soak on each engine asked for and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000, help="decisions an engine")
    parser.add_argument("--every", type=int, default=100_000, help="decisions a checkpoint")
    parser.add_argument(
        "--engine", action="append", choices=("native", "durable"), help="default: every engine"
    )
    parser.add_argument(
        "--tracemalloc", dest="trace", action="store_true", help="trace the heap (slow)"
    )
    args = parser.parse_args(argv)
    engines = args.engine or available_engines()
    print(f"## Soak: {args.decisions:,} decisions an engine through decide_iter\n")
    print(
        f"{datetime.date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"outsourcing-rules {metadata.version('outsourcing-rules')}, "
        f"tracemalloc {'on (rates include its overhead)' if args.trace else 'off'}."
    )
    for engine in engines:
        report(engine, soak(engine, args.decisions, args.every, args.trace), args.trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
