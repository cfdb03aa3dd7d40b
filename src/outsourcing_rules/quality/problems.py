"""Every problem of a ruleset in one pass: structure, vocabulary and lint.

:func:`~outsourcing_rules.quality.check_ruleset` checks a ruleset that
loads. A ruleset that does not load has its problems found all at once by
the loader (:class:`~outsourcing_rules.RulesetError`), but lint needs rules
to read. :func:`find_problems` gives both in one call: each structure and
vocabulary problem as an ``invalid`` finding, and the lint findings of the
rules that could be read (the rules a problem names are left out), each
with its file, line and column. An editor, a pre-commit hook or an app
that lets agencies upload rulesets calls it to show everything at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..core.rules import Limits, Ruleset
from ..errors import MissingExtraError, Problem
from ..loading import load_readable
from .checking import _exact_lint, lint_ruleset
from .encoding import solver_available
from .findings import Finding, locate
from .verification import Budget


def _invalid(problem: Problem) -> Finding:
    where = f"at {problem.key}: " if problem.key else ""
    hint = f" (did you mean {problem.suggestion!r}?)" if problem.suggestion else ""
    return Finding(
        "invalid",
        f"{where}{problem.message}{hint}",
        problem.rule_id,
        problem.path,
        problem.line,
        column=problem.column,
    )


def find_problems(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any] | Ruleset,
    *,
    limits: Limits | None = None,
    method: str = "auto",
    budget: Budget | None = None,
    engine: str | None = None,
) -> tuple[Finding, ...]:
    """Return every structure, vocabulary and lint problem of a ruleset, in one pass.

    Each problem that keeps the ruleset from loading is an ``invalid``
    finding (an error) with the place and key :class:`~outsourcing_rules.RulesetError`
    gives it; the rules that could be read are linted as ``check`` lints
    them (*method* ``"exact"``, ``"search"`` or ``"auto"``: with the z3
    solver where it is installed, else fact by fact; *budget* bounds the
    solver), and their findings follow. Rules with a problem are left out
    of the lint; so is ``unused-parameter`` while any rule is, since a rule
    left out may be the one that uses a parameter. Invariants are not
    verified: that needs the whole ruleset (see
    :func:`~outsourcing_rules.quality.check_ruleset`).

    A ruleset that loads gets the same lint ``check`` gives it, and no
    ``invalid`` finding. *limits* are the loader's
    :class:`~outsourcing_rules.Limits`.
    """
    if method not in ("auto", "exact", "search"):
        raise ValueError(f"method must be 'auto', 'exact' or 'search', not {method!r}")
    if method == "exact" and not solver_available():
        raise MissingExtraError("exact checking", "check", "z3")
    readable, error = load_readable(source, limits=limits)
    found = [] if error is None else [_invalid(p) for p in error.problems]
    if readable is None:
        return tuple(found)
    exact = method == "exact" or (method == "auto" and solver_available())
    lint = _exact_lint(readable, budget or Budget(), engine) if exact else lint_ruleset(readable)
    if error is not None:
        lint = [f for f in lint if f.code != "unused-parameter"]
    found += locate(lint, readable)
    return tuple(found)
