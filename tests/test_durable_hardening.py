"""The durable engine against its host process: the locale, interrupts and ``os.fork()``.

durable-rules' C core reads numbers with the process locale, keeps a
session's state between calls, and is driven under a lock: each test here
disturbs one of those from outside (a comma-decimal locale, an exception
between the engine call and its clean-up, a fork while other threads
decide) and requires the decisions to stay those of the native engine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from outsourcing_rules import Owner, Task, decide, default_ruleset, load_ruleset
from outsourcing_rules.engines import durable as fence
from outsourcing_rules.engines import matcher_for

from conftest import _build_comma_locale, comma_decimal_locale, needs_durable

pytestmark = [needs_durable, pytest.mark.durable]


def two_rules() -> Any:
    """Return a ruleset whose two rules each match one category."""
    return load_ruleset(
        {
            "ruleset": "two",
            "default": {"verdict": "keep", "because": "d"},
            "rules": [
                {"id": f"on-{c}", "priority": 1, "then": "keep", "because": "b",
                 "when": {"category": c}}
                for c in ("a", "b")
            ],
        }
    )  # fmt: skip


# --- the locale ------------------------------------------------------------------------


def test_a_comma_decimal_locale_changes_no_verdict() -> None:
    """Under ``de_DE`` the C core read ``1.7`` as ``1``: the issue's case keeps, as on native."""
    task, owner = Task(name="a", provider_hourly_rate=1e6), Owner(hourly_rate=25)
    with comma_decimal_locale():
        durable = decide(task, owner, engine="durable")
        native = decide(task, owner, engine="native")
    assert (durable.verdict, durable.matched_rule_ids) == (native.verdict, native.matched_rule_ids)
    assert "opportunity-cost" not in durable.matched_rule_ids


def test_a_ruleset_compiled_under_a_comma_locale_reads_its_constants() -> None:
    """Constants are read when the ruleset is compiled: ``hours_each > 1.5`` stays 1.5."""
    data = {
        "ruleset": "half",
        "default": {"verdict": "keep", "because": "d"},
        "rules": [
            {"id": "long", "priority": 1, "then": "outsource", "because": "b",
             "when": {"hours_each": {"gt": 1.5}}}
        ],
    }  # fmt: skip
    with comma_decimal_locale():
        ruleset = load_ruleset(data)
        seen = [
            decide(Task(name="t", hours_each=h), ruleset=ruleset, engine="durable").rule_id
            for h in (1.2, 1.5, 1.7, 2)
        ]
    assert seen == [None, None, "long", "long"]


# --- interrupts ------------------------------------------------------------------------


class Interrupting:
    """durable-rules' C module, with a KeyboardInterrupt once at one point of one call."""

    def __init__(self, real: Any, name: str, before: bool) -> None:
        self.real, self.name, self.before, self.armed = real, name, before, True

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.real, name)
        if name != self.name:
            return found

        def call(*args: Any) -> Any:
            if self.armed and self.before:
                self.armed = False
                raise KeyboardInterrupt
            result = found(*args)
            if self.armed:
                self.armed = False
                raise KeyboardInterrupt
            return result

        return call


@pytest.mark.parametrize(
    ("name", "before"),
    [
        ("assert_fact", False),
        ("start_action_for_state", False),
        ("delete_state", True),
    ],
    ids=["after-assert", "after-first-action", "before-clean-up"],
)
def test_an_interrupted_decision_leaves_nothing_for_the_next(
    monkeypatch: pytest.MonkeyPatch, name: str, before: bool
) -> None:
    """A KeyboardInterrupt between the engine call and its clean-up: the next task is its own."""
    ruleset = two_rules()
    assert decide(Task(name="warm", category="b"), ruleset=ruleset, engine="durable").rule_id
    monkeypatch.setattr(fence, "_dre", Interrupting(fence._dre, name, before))
    with pytest.raises(KeyboardInterrupt):
        decide(Task(name="first", category="a"), ruleset=ruleset, engine="durable")
    for category, expected in (("b", ("on-b",)), ("c", ()), ("a", ("on-a",)), ("b", ("on-b",))):
        task = Task(name="next", category=category)
        assert decide(task, ruleset=ruleset, engine="durable").matched_rule_ids == expected


def test_interruptions_never_exhaust_a_handle(monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 interrupted calls, each leaving a session behind: later calls still decide.

    A handle holds about 1,024 sessions that a call was interrupted in after
    a task that matched nothing; past that, every call raised
    ``MemoryError``. Now the next call frees each such session.
    """
    ruleset = two_rules()
    assert decide(Task(name="warm", category="a"), ruleset=ruleset, engine="durable").rule_id
    interrupting = Interrupting(fence._dre, "assert_fact", before=False)
    monkeypatch.setattr(fence, "_dre", interrupting)
    nothing, other = Task(name="none", category="c"), Task(name="b", category="b")
    for _ in range(3_000):
        interrupting.armed = True
        with pytest.raises(KeyboardInterrupt):
            decide(nothing, ruleset=ruleset, engine="durable")
        assert decide(other, ruleset=ruleset, engine="durable").matched_rule_ids == ("on-b",)
    handles = matcher_for(ruleset, "durable").handles  # type: ignore[attr-defined]
    assert [len(h.abandoned) for h in handles] == [0]
    assert matcher_for(ruleset, "durable").held_facts() == 0  # type: ignore[attr-defined]


def test_an_interrupted_clearing_is_finished_by_a_later_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An interruption while a left session is being freed: the next call frees it."""
    ruleset = two_rules()
    assert decide(Task(name="warm", category="a"), ruleset=ruleset, engine="durable").rule_id
    monkeypatch.setattr(fence, "_dre", Interrupting(fence._dre, "assert_fact", before=False))
    with pytest.raises(KeyboardInterrupt):  # leaves its session behind
        decide(Task(name="first", category="a"), ruleset=ruleset, engine="durable")
    monkeypatch.setattr(fence, "_dre", Interrupting(fence._dre.real, "delete_state", before=True))
    with pytest.raises(KeyboardInterrupt):  # while that session is being freed
        decide(Task(name="second", category="b"), ruleset=ruleset, engine="durable")
    handles = matcher_for(ruleset, "durable").handles  # type: ignore[attr-defined]
    assert len(handles[0].abandoned) == 1
    for category, expected in (("c", ()), ("a", ("on-a",)), ("b", ("on-b",))):
        task = Task(name="next", category=category)
        assert decide(task, ruleset=ruleset, engine="durable").matched_rule_ids == expected
    assert [len(h.abandoned) for h in handles] == [0]
    assert matcher_for(ruleset, "durable").held_facts() == 0  # type: ignore[attr-defined]


class Interrupted(Exception):
    """Raised by the timer's signal handler, as a web server's request timeout would."""


def test_real_signals_never_give_a_wrong_decision() -> None:
    """Timer signals land anywhere in thousands of decisions: each one that returns is right."""
    ruleset = two_rules()
    tasks = [Task(name=c, category=c) for c in ("a", "b", "c")]
    expected = {"a": ("on-a",), "b": ("on-b",), "c": ()}
    armed = [False]

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if armed[0]:
            armed[0] = False
            raise Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    wrong: list[tuple[str, tuple[str, ...]]] = []
    interrupted = finished = 0
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.0001, 0.0004)
        for i in range(4_000):
            task = tasks[i % 3]
            try:
                armed[0] = True
                seen = decide(task, ruleset=ruleset, engine="durable").matched_rule_ids
                armed[0] = False
            except Interrupted:
                interrupted += 1
                continue
            finished += 1
            if seen != expected[task.name]:
                wrong.append((task.name, seen))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert interrupted > 0
    assert finished > 0
    assert wrong == []
    assert decide(tasks[0], ruleset=ruleset, engine="durable").matched_rule_ids == ("on-a",)
    compiled = matcher_for(ruleset, "durable")
    assert [len(h.abandoned) for h in compiled.handles] == [0]  # type: ignore[attr-defined]
    assert compiled.held_facts() == 0  # type: ignore[attr-defined]


# --- fork ------------------------------------------------------------------------------


@pytest.fixture
def deciding_threads() -> Iterator[Any]:
    """Four threads deciding on one durable ruleset until the test ends; yields the ruleset."""
    ruleset = default_ruleset()
    stop = threading.Event()
    task, owner = Task(name="t", provider_hourly_rate=10, times_per_year=50), Owner(hourly_rate=80)

    def work() -> None:
        while not stop.is_set():
            decide(task, owner, ruleset=ruleset, engine="durable")

    threads = [threading.Thread(target=work, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    yield ruleset
    stop.set()
    for thread in threads:
        thread.join(timeout=30)


def wait_for(pid: int, timeout: float) -> int | None:
    """Return the exit status of child *pid*, or None (child killed) if it ran past *timeout*."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork() is POSIX only")
def test_a_child_forked_while_threads_decide_decides_too(deciding_threads: Any) -> None:
    """Twenty forks while four threads hold and release the engine lock: every child decides."""
    ruleset = deciding_threads
    task, owner = Task(name="c", category="x", hours_each=3), Owner(hourly_rate=50)
    expected = decide(task, owner, ruleset=ruleset, engine="native").matched_rule_ids
    for attempt in range(20):
        time.sleep(0.002)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child process
            code = 1
            try:
                seen = decide(task, owner, ruleset=ruleset, engine="durable").matched_rule_ids
                code = 0 if seen == expected else 3
            finally:
                os._exit(code)
        assert wait_for(pid, timeout=15) == 0, f"child {attempt} did not decide"


# --- memory ----------------------------------------------------------------------------


def test_dropped_rulesets_give_their_memory_back() -> None:
    """Compile, decide (matching nothing) and drop 400 rulesets: the process does not grow.

    A session whose facts matched nothing kept about 80 KB in durable-rules
    after its handle was deleted; the fence now clears it first. Run in a
    child process, measured after a warm-up round, by the resident set size.
    """
    code = """
        import gc
        from outsourcing_rules import Task, decide, load_ruleset

        def rss():
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * 4096

        def round_():
            for i in range(400):
                ruleset = load_ruleset(
                    f"ruleset: r{i}\\ndefault: {{verdict: keep, because: d}}\\nrules:\\n"
                    "  - {id: a, priority: 1, when: {hours_each: 1}, then: keep, because: b}\\n"
                )
                decide(Task(name="t", hours_each=2), ruleset=ruleset, engine="durable")
            gc.collect()

        round_()
        before = rss()
        round_()
        round_()
        print((rss() - before) // 1024)
    """
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc to read the resident set size")
    finished = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    grown_kib = int(finished.stdout.strip())
    assert grown_kib < 8_000, f"grew {grown_kib:,} KiB over 800 rulesets"


@pytest.mark.skipif(shutil.which("localedef") is None, reason="needs glibc's localedef")
def test_a_comma_locale_is_built_where_none_is_installed(tmp_path: Path) -> None:
    """The fallback the locale tests rely on where no comma-decimal locale is installed."""
    import locale

    previous = locale.setlocale(locale.LC_NUMERIC)
    try:
        assert _build_comma_locale(locale, str(tmp_path)) == "outsourcing_comma"
        assert locale.localeconv()["decimal_point"] == ","
    finally:
        locale.setlocale(locale.LC_NUMERIC, previous)
        os.environ.pop("LOCPATH", None)
