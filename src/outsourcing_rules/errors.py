"""The library's exceptions: one base class, one subclass per phase.

Every error carries its place as attributes (``path``, ``line``, ``key``,
``rule_id``, ``suggestion``), not only inside the message, so callers and
the command line can show it without parsing text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "FactError",
    "InventoryError",
    "OutsourcingRulesError",
    "Problem",
    "RulesetError",
    "suggest",
]


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """Return the closest of *choices* to *word*, or ``None`` if none is close."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class OutsourcingRulesError(Exception):
    """Base class of every error this library raises on purpose."""


@attrs.frozen
class Problem:
    """One problem found in a ruleset: what is wrong and where.

    ``key`` is the path inside the document (``rules[3].when.skill``),
    ``path`` the file it came from (``None`` for text or a mapping) and
    ``line`` the 1-based line in that file, where known.
    """

    message: str
    key: str = ""
    path: str | None = None
    line: int | None = None
    rule_id: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        place = self.path or "<ruleset>"
        if self.line is not None:
            place += f":{self.line}"
        where = f" at {self.key}" if self.key else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{place}{where}: {self.message}{hint}"


class RulesetError(OutsourcingRulesError, ValueError):
    """A ruleset could not be loaded: every problem found, each with its place.

    The attributes ``path``, ``line``, ``key``, ``rule_id`` and ``suggestion``
    describe the first problem; ``problems`` lists all of them.
    """

    def __init__(self, problems: Sequence[Problem] | str, *, path: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, path=path)]
        if not problems:
            raise ValueError("a RulesetError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        self.path = first.path
        self.line = first.line
        self.key = first.key
        self.rule_id = first.rule_id
        self.suggestion = first.suggestion
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> Any:
        return (RulesetError, (self.problems,))


class FactError(OutsourcingRulesError, ValueError):
    """A fact about a task or an owner is invalid.

    ``field`` names the fact, ``value`` is what was given; ``suggestion`` is a
    did-you-mean for unknown field names. ``path`` and ``line`` are set when the
    fact came from a file (a task inventory).
    """

    def __init__(
        self,
        field: str,
        value: object,
        message: str,
        *,
        suggestion: str | None = None,
        path: str | None = None,
        line: int | None = None,
        item: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.reason = message
        self.suggestion = suggestion
        self.path = path
        self.line = line
        self.item = item
        super().__init__(self._render())

    def __reduce__(self) -> Any:
        # Exceptions pickle their message by default, which is not what
        # __init__ takes: rebuild from the fields (for multiprocessing, copy).
        return (
            _fact_error,
            (self.field, self.value, self.reason, self.suggestion, self.path, self.line, self.item),
        )

    def _render(self) -> str:
        place = ""
        if self.path is not None:
            place = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        item = f"{self.item}: " if self.item else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{place}{item}{self.field}: {self.reason}{hint}"

    def located(self, *, path: str | None, line: int | None, item: str | None = None) -> FactError:
        """Return a copy of this error that says which file, line and item it came from."""
        return FactError(
            self.field,
            self.value,
            self.reason,
            suggestion=self.suggestion,
            path=path,
            line=line,
            item=item if item is not None else self.item,
        )


def _fact_error(
    field: str,
    value: object,
    reason: str,
    suggestion: str | None,
    path: str | None,
    line: int | None,
    item: str | None,
) -> FactError:
    return FactError(field, value, reason, suggestion=suggestion, path=path, line=line, item=item)


class InventoryError(FactError):
    """Tasks of an inventory file are invalid: one :class:`FactError` for each, in file order.

    Reading goes on past a bad task, so one run reports every bad task (and
    a bad owner) of the file, up to :attr:`MAX_REPORTED`; ``more`` counts the
    rest. The error's own attributes (``field``, ``value``, ``path``,
    ``line``...) are those of the first, so code written for a single
    :class:`FactError` keeps working.
    """

    #: The most errors one inventory reports; the rest are counted in ``more``.
    MAX_REPORTED = 100

    def __init__(self, errors: Sequence[FactError], *, more: int = 0) -> None:
        if not errors:
            raise ValueError("an InventoryError needs at least one error")
        if more < 0:
            raise ValueError(f"more must not be negative, got {more}")
        self.errors: tuple[FactError, ...] = tuple(errors)
        self.more = more
        first = self.errors[0]
        super().__init__(
            first.field,
            first.value,
            first.reason,
            suggestion=first.suggestion,
            path=first.path,
            line=first.line,
            item=first.item,
        )

    def __reduce__(self) -> Any:
        return (_inventory_error, (self.errors, self.more))

    def _render(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.more:
            lines.append(f"... and {self.more:,} more invalid tasks")
        return "\n".join(lines)

    def located(
        self, *, path: str | None, line: int | None = None, item: str | None = None
    ) -> InventoryError:
        """Return a copy whose errors all say they come from *path*.

        Each error keeps its own line and item: *line* and *item* apply to
        the errors that have none.
        """
        return InventoryError(
            [
                e.located(
                    path=path, line=e.line if e.line is not None else line, item=e.item or item
                )
                for e in self.errors
            ],
            more=self.more,
        )


def _inventory_error(errors: tuple[FactError, ...], more: int) -> InventoryError:
    return InventoryError(errors, more=more)
