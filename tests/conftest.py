"""Shared fixtures and Hypothesis profiles for the test suite."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from outsourcing_rules import Decision, Ruleset, Verdict, available_engines, decide
from outsourcing_rules.cli import main
from outsourcing_rules.core.conditions import evaluate
from outsourcing_rules.core.vocabulary import fact_values
from outsourcing_rules.engines.durable import import_error

settings.register_profile(
    "default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("quick", max_examples=20, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

DURABLE_MISSING = import_error()
#: Skip marker for tests that need durable-rules, with the reason it is missing.
needs_durable = pytest.mark.skipif(
    DURABLE_MISSING is not None,
    reason=f"durable-rules does not import on this Python ({DURABLE_MISSING})",
)

ENGINE_PARAMS = [
    pytest.param("native", id="native"),
    pytest.param("durable", id="durable", marks=[needs_durable, pytest.mark.durable]),
]


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest) -> str:
    """Run a test once on each engine (durable skipped where it does not import)."""
    name: str = request.param
    assert name in available_engines()
    return name


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process; return its exit code, standard output and error."""
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def write_text(directory: Path, name: str, text: str) -> Path:
    """Write dedented *text* to *directory*/*name* (folders made), leading blank lines dropped."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text).lstrip(), encoding="utf-8")
    return path


def assert_counterexample(ruleset: Ruleset, found: Any, engine: str) -> Decision:
    """Check that *found*'s task and owner really break the promise it names; return the decision.

    *found* is a counterexample from the test kit (a ``Violation``) or from
    ``check``'s solver (a violated ``Proof``): both name the ``invariant``
    and give the ``task``, ``owner``, ``verdict``, ``rule_id`` and, for a
    monotonicity promise, the ``baseline`` task before the change. The
    decision on *engine* must be the one reported, and it must break the
    promise: a declared invariant's verdict where its ``when`` holds (or any
    other where it says ``always``), a core task outsourced, or a change
    toward handing off that turns an outsourced baseline into a kept task.
    """
    decision = decide(found.task, found.owner, ruleset=ruleset, engine=engine)
    assert (decision.verdict, decision.rule_id) == (found.verdict, found.rule_id)
    values = fact_values(found.task, found.owner)
    if found.invariant.startswith("invariants["):
        invariant = ruleset.invariants[int(found.invariant[len("invariants[") : -1])]
        assert evaluate(invariant.when, values) is True
        assert (decision.verdict is invariant.verdict) is not invariant.always
    elif found.invariant == "core-never-outsourced":
        assert values["core_competency"] is True
        assert decision.verdict is Verdict.OUTSOURCE
    else:
        assert found.baseline is not None
        before = decide(found.baseline, found.owner, ruleset=ruleset, engine=engine)
        assert (before.verdict, decision.verdict) == (Verdict.OUTSOURCE, Verdict.KEEP)
    return decision


#: A comma-decimal locale built by :func:`comma_decimal_locale`, where none was installed.
_BUILT: list[str] = []

#: Locales whose decimal separator is a comma, tried in order.
COMMA_LOCALES = ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8")


@contextlib.contextmanager
def comma_decimal_locale() -> Iterator[str]:
    """Run the block with ``LC_NUMERIC`` set to a comma-decimal locale, restored after.

    Where no such locale is installed, one is built with ``localedef`` into
    a temporary directory (``LOCPATH``). Where that fails too, the test
    fails: it never passes by skipping what it is there to check.
    """
    import locale
    import tempfile

    previous = locale.setlocale(locale.LC_NUMERIC)
    found = _set_comma_locale(locale)
    if found is None:
        if not _BUILT:  # once a session: localedef takes a second
            _BUILT.append(tempfile.mkdtemp(prefix="comma-locale-"))
            atexit.register(shutil.rmtree, _BUILT[0], ignore_errors=True)
        found = _build_comma_locale(locale, _BUILT[0])
    if found is None:
        pytest.fail(
            "no comma-decimal locale here, and localedef could not build one: "
            "install one (localedef -i de_DE -f UTF-8 de_DE.UTF-8)"
        )
    try:
        assert locale.localeconv()["decimal_point"] == ","
        yield found
    finally:
        locale.setlocale(locale.LC_NUMERIC, previous)
        os.environ.pop("LOCPATH", None)


def _build_comma_locale(locale: Any, directory: str) -> str | None:
    """Build de_DE's numbers into *directory* with localedef and set them; None if it fails."""
    import subprocess

    name = "outsourcing_comma"
    target = os.path.join(directory, name)
    if not os.path.isdir(target):
        command = ["localedef", "-i", "de_DE", "-f", "UTF-8", target]
        try:
            subprocess.run(command, capture_output=True, check=False, timeout=120)
        except OSError:  # no localedef here
            return None
    os.environ["LOCPATH"] = directory
    try:
        locale.setlocale(locale.LC_NUMERIC, name)
    except locale.Error:
        return None
    return name


def _set_comma_locale(locale: Any) -> str | None:
    for name in COMMA_LOCALES:
        try:
            locale.setlocale(locale.LC_NUMERIC, name)
        except locale.Error:
            continue
        return name
    return None
