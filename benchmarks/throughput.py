"""Decisions per second of the default ruleset, against the practical limits.

Run by hand, never by the test suite::

    python benchmarks/throughput.py            # 100,000 tasks, 5 repeats, 1M streamed
    python benchmarks/throughput.py --quick    # a small run to check the script works

It decides one fixed, seeded set of random valid tasks (see ``_workload.py``)
for one owner with a rate and core competencies, so every rule of the default
ruleset can apply, with:

* the native engine through the public API (``decide_all`` and streaming
  ``decide_iter``), every match recorded on the decisions;
* the durable engine through the public API;
* raw durable-rules, the same nine rules registered by hand through
  ``durable.lang`` (``ruleset``, ``when_all``, ``m``, ``assert_fact``), each
  task asserted as a fact in a state of its own that is deleted afterwards,
  every rule that fires recorded: what using durable-rules directly costs;
* a hand-written ``if``/``else`` of the same nine rules, computing the same
  derived facts and returning the verdict, the deciding rule and every matched
  rule: the practical limit of pure Python.

It first checks that all of them (and the dictionary-based reference of
``_workload.py``) agree on every task's verdict, deciding rule and matches,
then times them round-robin and reports medians, and measures peak memory
(``tracemalloc``) of ``decide_all`` against streaming ``decide_iter``,
including a stream of a million decisions. The report is Markdown on standard
output; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import gc
import itertools
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import metadata
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload

from outsourcing_rules import (
    Enjoyment,
    Owner,
    Skill,
    Task,
    Verdict,
    available_engines,
    decide_all,
    decide_iter,
    default_ruleset,
)

#: One task's outcome, comparable across contenders: verdict, deciding rule, matches.
Outcome = tuple[str, str | None, tuple[str, ...]]

TARGET_NATIVE = 0.5  # native >= 0.5x hand-written
TARGET_DURABLE = 0.7  # durable engine >= 0.7x raw durable-rules


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the hand-written decision: the practical limit ----------------------------------

_KEEP, _OUTSOURCE, _ELIMINATE = Verdict.KEEP, Verdict.OUTSOURCE, Verdict.ELIMINATE
_BASIC, _DISLIKE = Skill.BASIC, Enjoyment.DISLIKE
_VERDICT_OF = {rule_id: Verdict(verdict) for rule_id, verdict in workload.RULES}


def decide_by_hand(
    task: Task, rate: float | None, competencies: frozenset[str] | None
) -> tuple[Verdict, str | None, list[str]]:
    """Decide *task* with the default ruleset written out as plain Python."""
    one_off = task.one_off
    times = task.times_per_year
    if one_off is not None:
        recurring: bool | None = not one_off
    else:
        recurring = True if times is not None else None
    stated = task.core_competency
    category = task.category
    known = category is not None and competencies is not None
    if stated is True or (known and category in competencies):  # type: ignore[operator]
        core: bool | None = True
    elif stated is False or known:
        core = False
    else:
        core = None
    provider = task.provider_hourly_rate
    ratio = None if rate is None or provider is None else rate / provider

    matched: list[str] = []
    if core is True:
        matched.append("core-competency")
    if task.only_owner is True:
        matched.append("only-owner")
    if task.can_be_eliminated is True:
        matched.append("eliminate")
    skill = task.skill
    if skill is not None and skill <= _BASIC:
        matched.append("skill-gap")
    if recurring is True and times is not None and times < 12:
        matched.append("low-frequency")
    enjoyment = task.enjoyment
    if enjoyment is not None and enjoyment <= _DISLIKE:
        matched.append("annoyance")
    if task.time_available is False:
        matched.append("time-scarcity")
    if ratio is not None and ratio >= 2:
        matched.append("opportunity-cost")
    if task.repetitive is True:
        matched.append("repetitive")
    if matched:
        first = matched[0]
        return _VERDICT_OF[first], first, matched
    return _KEEP, None, matched


def hand_written(
    tasks: Sequence[Task], owner: Owner
) -> list[tuple[Verdict, str | None, list[str]]]:
    rate, competencies = owner.hourly_rate, owner.core_competencies
    return [decide_by_hand(t, rate, competencies) for t in tasks]


# --- raw durable-rules through its documented Python API ------------------------------


def facts_message(task: Task, owner: Owner) -> dict[str, Any]:
    """Return the facts the nine rules test, known ones only, as durable-rules wants them."""
    one_off = task.one_off
    times = task.times_per_year
    competencies = owner.core_competencies
    rate = owner.hourly_rate
    message: dict[str, Any] = {}
    if one_off is not None:
        message["recurring"] = not one_off
    elif times is not None:
        message["recurring"] = True
    if times is not None:
        message["times_per_year"] = times
    stated = task.core_competency
    category = task.category
    known = category is not None and competencies is not None
    if stated is True or (known and category in competencies):  # type: ignore[operator]
        message["core_competency"] = True
    elif stated is False or known:
        message["core_competency"] = False
    for name in ("only_owner", "can_be_eliminated", "time_available", "repetitive"):
        value = getattr(task, name)
        if value is not None:
            message[name] = value
    if task.skill is not None:
        message["skill"] = int(task.skill)
    if task.enjoyment is not None:
        message["enjoyment"] = int(task.enjoyment)
    provider = task.provider_hourly_rate
    if rate is not None and provider is not None:
        message["rate_ratio"] = rate / provider
    return message


class RawDurable:
    """The nine rules registered by hand with ``durable.lang``; one state per task."""

    def __init__(self) -> None:
        from durable import lang
        from durable.engine import MessageNotHandledException

        self._lang = lang
        self._not_handled = MessageNotHandledException
        self.name = f"outsourcing-benchmark-{os.getpid()}"
        self._ids = itertools.count()
        fired: list[str] = []
        self.fired = fired
        m = lang.m
        # durable-rules' condition language overloads ==, so `== True` is meant.
        with lang.ruleset(self.name):

            @lang.when_all(m.core_competency == True)  # noqa: E712
            def core_competency(c: Any) -> None:
                fired.append("core-competency")

            @lang.when_all(m.only_owner == True)  # noqa: E712
            def only_owner(c: Any) -> None:
                fired.append("only-owner")

            @lang.when_all(m.can_be_eliminated == True)  # noqa: E712
            def eliminate(c: Any) -> None:
                fired.append("eliminate")

            @lang.when_all(m.skill <= 1)
            def skill_gap(c: Any) -> None:
                fired.append("skill-gap")

            @lang.when_all((m.recurring == True) & (m.times_per_year < 12))  # noqa: E712
            def low_frequency(c: Any) -> None:
                fired.append("low-frequency")

            @lang.when_all(m.enjoyment <= 1)
            def annoyance(c: Any) -> None:
                fired.append("annoyance")

            @lang.when_all(m.time_available == False)  # noqa: E712
            def time_scarcity(c: Any) -> None:
                fired.append("time-scarcity")

            @lang.when_all(m.rate_ratio >= 2)
            def opportunity_cost(c: Any) -> None:
                fired.append("opportunity-cost")

            @lang.when_all(m.repetitive == True)  # noqa: E712
            def repetitive(c: Any) -> None:
                fired.append("repetitive")

    def run(self, tasks: Iterable[Task], owner: Owner) -> list[Outcome]:
        """Decide every task: assert it, record what fires, delete its state."""
        assert_fact, delete_state = self._lang.assert_fact, self._lang.delete_state
        not_handled, fired, name, ids = self._not_handled, self.fired, self.name, self._ids
        resolve = workload.resolve
        out = []
        for task in tasks:
            sid = str(next(ids))
            message = facts_message(task, owner)
            message["sid"] = message["id"] = sid
            fired.clear()
            try:
                assert_fact(name, message)
            except not_handled:
                pass  # no rule applies: the default decides
            finally:
                # Even a fact that no rule takes leaves a state behind; about a
                # thousand of those and durable-rules raises MemoryError.
                delete_state(name, sid)
            out.append(resolve(fired))
        return out


# --- running the contenders -----------------------------------------------------------


def outcomes_of_decisions(decisions: Iterable[Any]) -> list[Outcome]:
    return [(d.verdict.value, d.rule_id, d.matched_rule_ids) for d in decisions]


def check_agreement(
    tasks: Sequence[Task], data: Sequence[dict[str, Any]], owner: Owner, raw: RawDurable | None
) -> None:
    """Assert that every contender agrees on every task's verdict, winner and matches."""
    ruleset = default_ruleset()
    reference = [workload.reference_decide(d, workload.OWNER) for d in data]
    contenders: dict[str, list[Outcome]] = {
        "hand-written": [(v.value, r, tuple(m)) for v, r, m in hand_written(tasks, owner)],
        "native decide_all": outcomes_of_decisions(
            decide_all(tasks, owner, ruleset=ruleset, engine="native")
        ),
        "native decide_iter": outcomes_of_decisions(
            decide_iter(tasks, owner, ruleset=ruleset, engine="native")
        ),
    }
    if raw is not None:
        contenders["durable decide_all"] = outcomes_of_decisions(
            decide_all(tasks, owner, ruleset=ruleset, engine="durable")
        )
        contenders["raw durable-rules"] = raw.run(tasks, owner)
    for name, got in contenders.items():
        wrong = [i for i, (a, b) in enumerate(zip(reference, got, strict=True)) if a != b]
        assert not wrong, (
            f"{name} disagrees with the reference on {len(wrong)} tasks, first "
            f"{data[wrong[0]]}: expected {reference[wrong[0]]}, got {got[wrong[0]]}"
        )
    log(f"agreement: {len(contenders)} contenders agree on all {len(tasks):,} tasks")


def time_round_robin(
    runs: dict[str, Callable[[], object]], repeats: int
) -> dict[str, list[tuple[float, float]]]:
    """Time each run *repeats* times, interleaved, so drift on a noisy machine spreads evenly.

    Each timing is ``(cpu, wall)``: the CPU time of this process (all its
    threads), which other processes on a shared machine disturb less, and the
    wall-clock time.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for repeat in range(repeats):
        for name, run in runs.items():
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            result = run()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            del result
            times[name].append((cpu, wall))
            log(f"  repeat {repeat + 1}/{repeats} {name}: {cpu:.3f} s CPU, {wall:.3f} s wall")
    return times


def peak_traced(run: Callable[[], object]) -> int:
    """Return the peak of memory traced by ``tracemalloc`` while *run* runs (result kept)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def rss_kib() -> int | None:
    """Return this process's resident set size in KiB (Linux), else ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def stream_check(tasks: Sequence[Task], owner: Owner, engine: str, total: int) -> dict[str, Any]:
    """Stream *total* decisions through ``decide_iter``; sample traced memory as it goes."""
    count = len(tasks)
    every = max(1, total // 10)

    def inputs() -> Iterator[Task]:
        for i in range(total):  # the same task objects over and over: no input growth
            yield tasks[i % count]

    samples: list[int] = []
    gc.collect()
    rss_before = rss_kib()
    tracemalloc.start()
    try:
        for done, _decision in enumerate(
            decide_iter(inputs(), owner, ruleset=default_ruleset(), engine=engine), 1
        ):
            if done % every == 0:
                samples.append(tracemalloc.get_traced_memory()[0])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_after = rss_kib()
    return {
        "peak": peak,
        "samples": samples,
        "rss_growth": None if rss_before is None or rss_after is None else rss_after - rss_before,
    }


# --- the report -----------------------------------------------------------------------


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = [f"outsourcing-rules {metadata.version('outsourcing-rules')}"]
    try:
        versions.append(f"durable-rules {metadata.version('durable-rules')}")
    except metadata.PackageNotFoundError:
        versions.append("durable-rules not installed")
    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- CPU: {cpu}, {os.cpu_count()} logical cores",
        f"- {', '.join(versions)}",
    ]


def target_rows(median: dict[str, float], durable: bool) -> list[str]:
    """Return the Markdown rows that say whether each target of the issue is met."""
    rows = ["| target | measured | met |", "| --- | ---: | :-: |"]
    checks = [
        (
            f"native `decide_all` >= {TARGET_NATIVE}x hand-written",
            "hand-written if/else",
            "native `decide_all`",
            TARGET_NATIVE,
        ),
        (
            f"native `decide_iter` >= {TARGET_NATIVE}x hand-written, streamed",
            "hand-written if/else, streamed",
            "native `decide_iter`",
            TARGET_NATIVE,
        ),
    ]
    if durable:
        checks += [
            (
                f"durable `{api}` >= {TARGET_DURABLE}x raw durable-rules",
                "raw durable-rules (`durable.lang`)",
                f"durable `{api}`",
                TARGET_DURABLE,
            )
            for api in ("decide_all", "decide_iter")
        ]
    for label, baseline, contender, target in checks:
        ratio = median[baseline] / median[contender]
        rows.append(f"| {label} | {ratio:.2f}x | {'yes' if ratio >= target else 'no'} |")
    return rows


def report(
    count: int,
    repeats: int,
    streamed: int,
    times: dict[str, list[tuple[float, float]]],
    memory: dict[str, tuple[int, int]],
    streams: dict[str, dict[str, Any]],
    outcomes: list[Outcome],
) -> str:
    """Return the whole report as Markdown."""
    median = {name: statistics.median(cpu for cpu, _ in t) for name, t in times.items()}
    wall = {name: statistics.median(w for _, w in t) for name, t in times.items()}
    listed, streamed_hand = median["hand-written if/else"], median["hand-written if/else, streamed"]
    out = [f"### Throughput: {count:,} tasks, median of {repeats} repeats", "", *machine(), ""]
    out += [
        "| contender | median CPU time | decisions/s | fastest..slowest (CPU) "
        "| median wall time | vs hand-written (same form) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, t in times.items():
        cpus = [cpu for cpu, _ in t]
        # Streamed contenders keep nothing, so they are held against the streamed baseline.
        baseline = streamed_hand if "stream" in name or "iter" in name else listed
        out.append(
            f"| {name} | {median[name]:.3f} s | {count / median[name]:,.0f} | "
            f"{min(cpus):.3f}..{max(cpus):.3f} s | {wall[name]:.3f} s | "
            f"{baseline / median[name]:.2f}x |"
        )
    out += ["", *target_rows(median, "durable `decide_all`" in median), ""]
    out += [
        f"Peak memory traced by `tracemalloc` while deciding the {count:,} tasks "
        "(the tasks themselves are built beforehand and not counted):",
        "",
        "| engine | `decide_all` (keeps every decision) | `decide_iter` (streamed) |",
        "| --- | ---: | ---: |",
    ]
    out += [
        f"| {e} | {kib(whole)} | {kib(streaming)} |" for e, (whole, streaming) in memory.items()
    ]
    out += [
        "",
        f"Streaming {streamed:,} decisions through `decide_iter` "
        "(traced memory sampled every tenth of the way):",
        "",
        "| engine | peak traced | traced at each tenth (KiB) | RSS growth |",
        "| --- | ---: | --- | ---: |",
    ]
    for engine, found in streams.items():
        growth = found["rss_growth"]
        out.append(
            f"| {engine} | {kib(found['peak'])} | "
            f"{', '.join(f'{s / 1024:.0f}' for s in found['samples'])} | "
            f"{'n/a' if growth is None else f'{growth:,} KiB'} |"
        )
    verdicts = collections.Counter(v for v, _, _ in outcomes)
    winners = collections.Counter(r for _, r, _ in outcomes)
    out += ["", "The workload's verdicts and deciding rules:", ""]
    out += ["| verdict | tasks |", "| --- | ---: |"]
    out += [f"| {v} | {verdicts[v]:,} |" for v in ("keep", "outsource", "eliminate")]
    out += ["", "| deciding rule | tasks |", "| --- | ---: |"]
    out += [f"| {r or '(default)'} | {winners[r]:,} |" for r in (*workload.RULE_IDS, None)]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run: 5,000 tasks")
    parser.add_argument("--tasks", type=int, help="tasks to decide (default 100,000)")
    parser.add_argument("--repeats", type=int, help="timed repeats of each (default 5)")
    parser.add_argument("--stream", type=int, help="decisions in the streaming check (1M)")
    args = parser.parse_args(argv)
    count = args.tasks or (5_000 if args.quick else 100_000)
    repeats = args.repeats or (3 if args.quick else 5)
    streamed = args.stream or (50_000 if args.quick else 1_000_000)

    log(f"building {count:,} seeded random tasks")
    data = list(workload.tasks_data(count))
    tasks = [Task(**d) for d in data]
    owner = Owner(**workload.OWNER)
    ruleset = default_ruleset()
    engines = ("native", "durable") if "durable" in available_engines() else ("native",)
    raw = RawDurable() if "durable" in engines else None
    for engine in engines:  # load and compile the ruleset before anything is timed
        decide_all(tasks[:10], owner, ruleset=ruleset, engine=engine)

    check_agreement(tasks, data, owner, raw)
    outcomes = [workload.reference_decide(d, workload.OWNER) for d in data]
    # The tasks are the input, not the work: move them (and everything else
    # alive now) out of the garbage collector's sight, so that collections
    # triggered while deciding cost what the decisions cost, not what the
    # input tasks would. The collector itself stays on.
    gc.collect()
    gc.freeze()

    rate, competencies = owner.hourly_rate, owner.core_competencies
    runs: dict[str, Callable[[], object]] = {
        "hand-written if/else": lambda: hand_written(tasks, owner),
        "hand-written if/else, streamed": lambda: collections.deque(
            (decide_by_hand(t, rate, competencies) for t in tasks), maxlen=0
        ),
    }
    for engine in engines:
        if engine == "durable" and raw is not None:
            runs["raw durable-rules (`durable.lang`)"] = lambda: raw.run(tasks, owner)
        runs[f"{engine} `decide_all`"] = lambda e=engine: decide_all(
            tasks, owner, ruleset=ruleset, engine=e
        )
        runs[f"{engine} `decide_iter`"] = lambda e=engine: collections.deque(
            decide_iter(tasks, owner, ruleset=ruleset, engine=e), maxlen=0
        )
    log(f"timing {len(runs)} contenders, {repeats} repeats of {count:,} tasks")
    times = time_round_robin(runs, repeats)

    log("measuring peak memory")
    memory: dict[str, tuple[int, int]] = {}
    streams: dict[str, dict[str, Any]] = {}
    for engine in engines:
        memory[engine] = (
            peak_traced(lambda e=engine: decide_all(tasks, owner, ruleset=ruleset, engine=e)),
            peak_traced(
                lambda e=engine: collections.deque(
                    decide_iter(tasks, owner, ruleset=ruleset, engine=e), maxlen=0
                )
            ),
        )
    for engine in engines:
        log(f"streaming {streamed:,} decisions through decide_iter on {engine}")
        streams[engine] = stream_check(tasks, owner, engine, streamed)

    print(report(count, repeats, streamed, times, memory, streams, outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
