"""Concurrency and isolation: threads, rulesets sharing a name, and nothing leaking.

The contract says evaluation is safe from several threads at once and that
two rulesets loaded in one process never interfere. These tests decide the
same tasks sequentially and from several threads at once (with the
interpreter switching threads as often as it can) and require identical
results; load two rulesets under one name and use them interleaved and in
parallel; and load, replace and drop rulesets in a loop, requiring the
durable-rules handles to return to their baseline and memory to stay flat.
"""

from __future__ import annotations

import gc
import random
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from outsourcing_rules import (
    Owner,
    Ruleset,
    Skill,
    Task,
    decide,
    decide_iter,
    default_ruleset,
    load_ruleset,
)

from conftest import needs_durable

OWNER = Owner(name="Sally", hourly_rate=120, core_competencies={"consulting"})
CATEGORIES = ["consulting", "invoicing", "travel", "crm", None]
LABELS = ["admin", "clients", "finance"]

Outcome = tuple[str, str | None, tuple[str, ...]]


def random_tasks(count: int, seed: int) -> list[Task]:
    """Return *count* varied valid tasks, the same ones for the same *seed*."""
    rng = random.Random(seed)

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.3 else value

    tasks = []
    for number in range(count):
        one_off = maybe(rng.random() < 0.2)
        tasks.append(
            Task(
                name=f"task {number}",
                category=rng.choice(CATEGORIES),
                core_competency=maybe(rng.random() < 0.1),
                only_owner=maybe(rng.random() < 0.1),
                skill=maybe(rng.choice(list(Skill))),
                one_off=one_off,
                times_per_year=None if one_off else maybe(rng.choice([1, 6, 12, 52, 250])),
                hours_each=maybe(round(rng.uniform(0.25, 20), 2)),
                repetitive=maybe(rng.random() < 0.5),
                can_be_eliminated=maybe(rng.random() < 0.1),
                time_available=maybe(rng.random() < 0.5),
                provider_hourly_rate=maybe(rng.choice([15, 37.5, 60, 200])),
                tags=maybe(rng.sample(LABELS, rng.randint(0, 2))),
            )
        )
    return tasks


TASKS = random_tasks(300, seed=7)


def outcome(task: Task, ruleset: Ruleset, engine: str) -> Outcome:
    """Decide one task; return what must not depend on threads."""
    decision = decide(task, OWNER, ruleset=ruleset, engine=engine)
    return (decision.verdict.value, decision.rule_id, decision.matched_rule_ids)


def in_threads(workers: list[Callable[[], Any]]) -> list[Any]:
    """Start *workers* together (the interpreter switching threads often); return their results."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)
    errors: list[BaseException] = []

    def run(index: int, work: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except BaseException as error:  # handed to the test below
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    if errors:
        raise errors[0]
    return results


def shuffled(seed: int) -> list[int]:
    """Return the task positions in an order of their own."""
    order = list(range(len(TASKS)))
    random.Random(seed).shuffle(order)
    return order


# --- threads ------------------------------------------------------------------------------


def test_threads_decide_exactly_as_one_thread(engine: str) -> None:
    """Six threads deciding every task in orders of their own agree with a sequential run."""
    ruleset = default_ruleset()
    expected = [outcome(task, ruleset, engine) for task in TASKS]

    def worker(seed: int) -> Callable[[], dict[int, Outcome]]:
        return lambda: {i: outcome(TASKS[i], ruleset, engine) for i in shuffled(seed)}

    for got in in_threads([worker(seed) for seed in range(6)]):
        assert [got[i] for i in range(len(TASKS))] == expected


def test_threads_compiling_a_fresh_ruleset_compile_it_once(engine: str) -> None:
    """Threads that all meet an uncompiled ruleset at once get one compiled ruleset."""
    ruleset = load_ruleset(default_ruleset().to_data())
    before = _handles()
    expected = [outcome(task, default_ruleset(), engine) for task in TASKS[:50]]
    results = in_threads(
        [lambda: [outcome(task, ruleset, engine) for task in TASKS[:50]] for _ in range(6)]
    )
    assert all(result == expected for result in results)
    if engine == "durable":
        assert _handles() == before + 1


def test_threads_stream_through_decide_iter(engine: str) -> None:
    """Concurrent ``decide_iter`` streams each give the sequential decisions, in order."""
    expected = [outcome(task, default_ruleset(), engine) for task in TASKS]

    def stream() -> list[Outcome]:
        return [
            (d.verdict.value, d.rule_id, d.matched_rule_ids)
            for d in decide_iter(iter(TASKS), OWNER, engine=engine)
        ]

    assert in_threads([stream] * 4) == [expected] * 4


def big_ruleset(name: str = "big") -> Ruleset:
    """Return a ruleset of 150 rules: spread over several durable-rules handles."""
    rules = [
        {
            "id": f"r{i}",
            "priority": 1,
            "when": {"hours_each": {"lt": i / 10}} if i % 2 else {"times_per_year": {"ge": i}},
            "then": "outsource",
            "because": "b",
        }
        for i in range(150)
    ]
    return load_ruleset(
        {"ruleset": name, "default": {"verdict": "keep", "because": "d"}, "rules": rules}
    )


def test_threads_on_a_ruleset_spread_over_handles(engine: str) -> None:
    """A ruleset split over several durable-rules handles is as thread-safe as a small one."""
    ruleset = big_ruleset()
    expected = [outcome(task, ruleset, "native") for task in TASKS]
    results = in_threads(
        [
            lambda seed=seed: {i: outcome(TASKS[i], ruleset, engine) for i in shuffled(seed)}
            for seed in range(4)
        ]
    )
    for got in results:
        assert [got[i] for i in range(len(TASKS))] == expected


# --- rulesets that share a name ----------------------------------------------------------

SAME_NAME = """
ruleset: same-name
version: {version}
default: {{verdict: keep, because: Nothing applies.}}
rules:
  - {{id: r, priority: 10, when: {when}, then: {then}, because: b}}
"""
FIRST = SAME_NAME.format(version=1, when="{repetitive: true}", then="outsource")
SECOND = SAME_NAME.format(version=1, when="{repetitive: false}", then="eliminate")


def test_rulesets_sharing_a_name_do_not_interfere_interleaved(engine: str) -> None:
    """Two rulesets called alike, used turn about, each decide by their own rules."""
    first, second = load_ruleset(FIRST), load_ruleset(SECOND)
    assert first.name == second.name
    alone = {
        id(ruleset): [outcome(task, ruleset, "native") for task in TASKS]
        for ruleset in (first, second)
    }
    for index, task in enumerate(TASKS):
        for ruleset in (first, second) if index % 2 else (second, first):
            assert outcome(task, ruleset, engine) == alone[id(ruleset)][index]
    repetitive = Task(name="t", repetitive=True)
    assert decide(repetitive, ruleset=first, engine=engine).verdict.value == "outsource"
    assert decide(repetitive, ruleset=second, engine=engine).rule_id is None


def test_rulesets_sharing_a_name_do_not_interfere_in_threads(engine: str) -> None:
    """Threads on two same-name rulesets at once each see their own ruleset's decisions."""
    rulesets = [load_ruleset(FIRST), load_ruleset(SECOND), big_ruleset("same-name")]
    expected = [[outcome(t, r, "native") for t in TASKS] for r in rulesets]
    workers = [
        lambda r=r, seed=seed: {i: outcome(TASKS[i], r, engine) for i in shuffled(seed)}
        for seed in range(2)
        for r in rulesets
    ]
    results = in_threads(workers)
    for position, got in enumerate(results):
        assert [got[i] for i in range(len(TASKS))] == expected[position % len(rulesets)]


# --- nothing leaks ------------------------------------------------------------------------


def _handles() -> int:
    """Return the live durable-rules handles, or 0 where durable-rules does not import."""
    from outsourcing_rules.engines.durable import import_error, live_handles

    return 0 if import_error() else live_handles()


def reload_loop(cycles: int, engine: str) -> Iterator[int]:
    """Load a fresh ruleset, decide with it, replace and drop it, *cycles* times."""
    ruleset = None
    for cycle in range(cycles):
        # A new ruleset each time (its own content and digest), replacing the last.
        ruleset = load_ruleset(FIRST.replace("version: 1", f"version: {cycle}"))
        for task in TASKS[:5]:
            decide(task, OWNER, ruleset=ruleset, engine=engine)
        if cycle % 25 == 0:
            decide(TASKS[0], ruleset=big_ruleset(), engine=engine)  # several handles
        yield cycle
    del ruleset


@needs_durable
def test_dropped_rulesets_free_their_durable_handles() -> None:
    """After loading, using and dropping rulesets, live handles return to the baseline."""
    gc.collect()
    baseline = _handles()
    for cycle in reload_loop(120, "durable"):
        if cycle == 60:
            assert _handles() >= baseline  # alive while in use
    gc.collect()
    assert _handles() == baseline


def _rss() -> int | None:
    try:
        text = Path("/proc/self/statm").read_text(encoding="ascii")
    except OSError:
        return None
    import os

    return int(text.split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_reloading_rulesets_does_not_grow_memory(engine: str) -> None:
    """150 load-decide-drop cycles leave the Python heap (and the process) flat."""
    for _ in reload_loop(26, engine):  # warm caches (schema, imports, the default ruleset)
        pass
    gc.collect()
    tracemalloc.start()
    try:
        rss_before = _rss()
        start, _ = tracemalloc.get_traced_memory()
        for _ in reload_loop(150, engine):
            pass
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Flat is about 20 kB of noise; keeping each ruleset (about 2.7 kB with its
    # compiled forms) or each of the 750 decisions would add 400 kB or more.
    assert end - start < 150_000, f"the Python heap grew by {end - start:,} bytes"
    rss_after = _rss()
    if rss_before is not None and rss_after is not None:
        # A leaked durable-rules handle is C memory tracemalloc cannot see.
        assert rss_after - rss_before < 64 * 1024 * 1024


@pytest.mark.parametrize("count", [1, 20])
def test_many_live_rulesets_each_keep_their_own_rules(engine: str, count: int) -> None:
    """Rulesets alive at once (one handle set each) never answer for one another."""
    rulesets = [
        load_ruleset(
            SAME_NAME.format(version=i, when=f"{{times_per_year: {{ge: {i}}}}}", then="outsource")
        )
        for i in range(count)
    ]
    task = Task(name="t", times_per_year=count // 2)
    verdicts = [decide(task, ruleset=r, engine=engine).verdict.value for r in rulesets]
    assert verdicts == ["outsource" if i <= count // 2 else "keep" for i in range(count)]
