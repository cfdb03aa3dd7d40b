"""The state one loading shares between its steps: the problems found, and where it is.

Every step (schema checks, ``extends`` composition, validation of rules and
conditions) takes a :class:`Context` and reports into it with
:meth:`Context.problem`; :meth:`Context.fail_if_problems` raises everything
collected so far as one :class:`~outsourcing_rules.RulesetError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from ..core.rules import Limits, Ruleset
from ..errors import Problem, RulesetError
from .yamlio import column_of, line_of


@attrs.define(eq=False)
class Context:
    """The limits and ``extends`` policy of one loading, and what it has found so far.

    *path* is the file being checked (``None`` for text or data), the
    fallback for problems whose value does not know its file. *parameters*
    are the merged ruleset's, and *parameter_places* the file and line each
    was set at, so a bad parameter is blamed where it was written.
    """

    limits: Limits
    allow_paths: bool = True
    root: Path | None = None
    path: str | None = None
    problems: list[Problem] = attrs.Factory(list)
    #: Problems of rules the schema refused, held back while the rest of the
    #: ruleset is checked, so one report says everything (see check_schema).
    deferred: list[Problem] = attrs.Factory(list)
    #: The positions under ``rules`` of the file being read that are left out
    #: of the ruleset because the schema refused them.
    skipped_rules: frozenset[int] = frozenset()
    #: Skipped rules whose ``when:`` the schema did not refuse, with the key
    #: each was written under: their conditions are still checked.
    refused: list[tuple[Any, str]] = attrs.Factory(list)
    parameters: dict[str, Any] = attrs.Factory(dict)
    parameter_places: dict[str, tuple[str | None, int | None]] = attrs.Factory(dict)
    #: Values the rules compare with so far, each ``$parameter`` counted at every use.
    compared: int = 0
    #: When the ruleset has problems: the ruleset of the rules and invariants that
    #: could be read without one (see :func:`outsourcing_rules.loading.load_readable`).
    readable: Ruleset | None = None

    def problem(
        self,
        message: str,
        container: Any,
        key: Any,
        where: str,
        *,
        rule_id: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        """Record a problem with *key* of *container*, shown as the key *where*."""
        path = getattr(container, "path", None) or self.path
        self.problems.append(
            Problem(
                message,
                key=where,
                path=path,
                line=line_of(container, key),
                column=column_of(container, key),
                rule_id=rule_id,
                suggestion=suggestion,
            )
        )

    def fail_if_problems(self, *, final: bool = False) -> None:
        """Raise every problem recorded so far as one :class:`RulesetError`, and forget them.

        The deferred problems go with the others; alone, they are raised
        only at the *final* check, once every rule has been looked at.
        """
        if self.problems or (final and self.deferred):
            problems = self.problems
            if self.deferred:
                problems = sorted(
                    [*self.deferred, *problems], key=lambda p: (p.path or "", p.line or 0)
                )
            self.problems, self.deferred = [], []
            raise RulesetError(problems)
