"""What ``outsourcing-rules check`` reports: findings, their codes and severities.

=========================== ========= ==================================================
code                        severity  meaning
=========================== ========= ==================================================
``never-applies``           error     the rule's condition can hold for no task at all
``invariant-violated``      error     a task breaks a declared or built-in invariant
                                      (with the task, shrunk, and the rule that breaks it)
``never-decides``           warning   whenever the rule applies, a rule before it in
                                      decision order applies too (always outranked)
``redundant``               warning   removing the rule changes no verdict: wherever it
                                      decides, the rules after it (or the default) give
                                      the same verdict
``identical-rules``         warning   two rules with the same condition
``equivalent-rules``        warning   two rules written differently that apply to exactly
                                      the same tasks
``not-proven``              warning   an invariant the solver could not prove or refute
                                      within its budget (what was tried is said)
``unsupported``             warning   something the solver does not encode; that part was
                                      checked by a search for counterexamples instead
``not-analysed``            warning   an analysis skipped or cut short by its budget
``unused-parameter``        warning   a parameter no condition refers to
``unused-role``             warning   a rule that does not outsource names a role
``vacuous-invariant``       warning   an invariant whose ``when`` can hold for no task
``too-complex``             warning   a condition too large to reason about exactly
``overlap``                 info      two rules with different verdicts apply to one task;
                                      which wins and why
``gap``                     info      a task with every fact the rules test known that no
                                      rule covers (the default decides it)
``overlaps-capped``         info      the overlap analysis stopped at its budget of pairs
``solver-missing``          info      z3 is not installed: invariants were searched, not
                                      proved (install ``outsourcing-rules[check]``)
``invalid``                 error     a structure or vocabulary problem: the ruleset does
                                      not load (reported with the lint of the rules that
                                      could be read, by :func:`find_problems`)
=========================== ========= ==================================================

Every finding has the file, line and column where the thing it is about
was written, where known (``column`` is the rule's or invariant's own).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from ..core.conditions import render_value
from ..core.facts import Owner, Task
from ..core.rules import Ruleset
from ..core.text import plain


class Severity(enum.Enum):
    """How serious a finding is: errors fail ``check``; warnings fail it only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: The severity of every finding, by code.
SEVERITIES: dict[str, Severity] = {
    "never-applies": Severity.ERROR,
    "invariant-violated": Severity.ERROR,
    "never-decides": Severity.WARNING,
    "redundant": Severity.WARNING,
    "identical-rules": Severity.WARNING,
    "equivalent-rules": Severity.WARNING,
    "not-proven": Severity.WARNING,
    "unsupported": Severity.WARNING,
    "not-analysed": Severity.WARNING,
    "unused-parameter": Severity.WARNING,
    "unused-role": Severity.WARNING,
    "vacuous-invariant": Severity.WARNING,
    "too-complex": Severity.WARNING,
    "overlap": Severity.INFO,
    "gap": Severity.INFO,
    "overlaps-capped": Severity.INFO,
    "solver-missing": Severity.INFO,
    "invalid": Severity.ERROR,
}


@attrs.frozen
class Finding:
    """One thing ``check`` found: what, how serious, where, and a witness.

    ``task`` and ``owner`` are a witness where one exists: the (shrunk)
    counterexample of an ``invariant-violated`` finding, or a task showing
    the overlap, gap or outranking a finding describes.
    """

    code: str
    message: str
    rule_id: str | None = None
    path: str | None = None
    line: int | None = None
    task: Task | None = None
    owner: Owner | None = None
    column: int | None = None

    @property
    def severity(self) -> Severity:
        """Error, warning or info, by :data:`SEVERITIES`."""
        return SEVERITIES[self.code]

    def __str__(self) -> str:
        place = self.path or "<ruleset>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.severity.value}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-serialisable data."""
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule_id,
            "path": self.path,
            "line": self.line,
            "column": self.column,
        }
        if self.task is not None:
            data["task"] = plain(self.task.to_dict())
        if self.owner is not None:
            data["owner"] = plain(self.owner.to_dict())
        return data


def render_task(task: Task) -> str:
    """Write a task's known facts as ``{fact: value, ...}`` (its name left out)."""
    data = {k: v for k, v in task.to_dict().items() if k != "name"}
    return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items()) + "}"


def render_case(task: Task, owner: Owner | None) -> str:
    """Write a task and its owner as one would read them in a message."""
    if owner is None:
        return f"{render_task(task)} with no owner"
    data = owner.to_dict()
    return (
        f"{render_task(task)} with owner {{"
        + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items())
        + "}"
    )


def locate(findings: Iterable[Finding], ruleset: Ruleset) -> list[Finding]:
    """Give each finding about a rule or invariant the column it was written at.

    A finding placed at a rule's (or an invariant's) file and line gets that
    rule's column; the others are returned as they are.
    """
    places: dict[tuple[str | None, int], int] = {}
    written: list[tuple[str | None, int | None, int | None]] = [
        (item.path, item.line, item.column) for item in ruleset.rules
    ]
    written += [(item.path, item.line, item.column) for item in ruleset.invariants]
    for path, line, column in written:
        if line is not None and column is not None:
            places.setdefault((path, line), column)
    found = []
    for finding in findings:
        if finding.column is None and finding.line is not None:
            column = places.get((finding.path, finding.line))
            if column is not None:
                finding = attrs.evolve(finding, column=column)
        found.append(finding)
    return found
