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


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return the closest of *choices* to *word*, or ``None`` if none is *cutoff* close."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


class OutsourcingRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class MissingExtraError(OutsourcingRulesError, ImportError):
    """A feature needs an optional dependency that is not installed; ``extra`` installs it.

    The message says what to run (``pip install 'outsourcing-rules[check]'``).
    """

    def __init__(self, feature: str, extra: str, missing: str) -> None:
        self.feature = feature
        self.extra = extra
        self.missing = missing
        super().__init__(
            f"{feature} needs {missing}, which is not installed; install the {extra!r} "
            f"extra: pip install 'outsourcing-rules[{extra}]'",
            name=missing,
        )

    def __reduce__(self) -> Any:
        return (MissingExtraError, (self.feature, self.extra, self.missing))


def _place(line: int | None, column: int | None) -> str:
    """Return ``:line:column`` (or ``:line``, or nothing) to follow a file name."""
    if line is None:
        return ""
    return f":{line}" + (f":{column}" if column is not None else "")


@attrs.frozen
class Problem:
    """One problem found in a ruleset: what is wrong and where.

    ``key`` is the path inside the document (``rules[3].when.skill``),
    ``path`` the file it came from (``None`` for text or a mapping), and
    ``line`` and ``column`` the 1-based place in that file, where known.
    """

    message: str
    key: str = ""
    path: str | None = None
    line: int | None = None
    rule_id: str | None = None
    suggestion: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.path or "<ruleset>"
        place += _place(self.line, self.column)
        where = f" at {self.key}" if self.key else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{place}{where}: {self.message}{hint}"


class RulesetError(OutsourcingRulesError, ValueError):
    """A ruleset could not be loaded: every problem found, each with its place.

    The attributes ``path``, ``line``, ``column``, ``key``, ``rule_id`` and
    ``suggestion`` describe the first problem; ``problems`` lists all of them.
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
        self.column = first.column
        self.key = first.key
        self.rule_id = first.rule_id
        self.suggestion = first.suggestion
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> Any:
        return (RulesetError, (self.problems,))


class FactError(OutsourcingRulesError, ValueError):
    """A fact about a task or an owner is invalid.

    ``field`` names the fact, ``value`` is what was given; ``suggestion`` is a
    did-you-mean for a misspelt field name or level (``basics``: ``basic``).
    ``key`` is the fact's path in the data (``tasks[3].skill``); ``path``,
    ``line`` and ``column`` are set when the fact came from a file (a task
    inventory). ``errors`` lists every problem the error reports: for one
    bad fact, the error itself; see :class:`InventoryError` for several.
    """

    #: The problems left out of ``errors`` past a cap (see :class:`InventoryError`).
    more = 0

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
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.reason = message
        self.suggestion = suggestion
        self.path = path
        self.line = line
        self.item = item
        self.column = column
        self.key = key if key is not None else field
        super().__init__(self._render())

    @property
    def errors(self) -> tuple[FactError, ...]:
        """Every problem this error reports, each a :class:`FactError` of its own."""
        return (self,)

    def __reduce__(self) -> Any:
        # Exceptions pickle their message by default, which is not what
        # __init__ takes: rebuild from the fields (for multiprocessing, copy).
        return (_fact_error, (self._fields(),))

    def _fields(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "message": self.reason,
            "suggestion": self.suggestion,
            "path": self.path,
            "line": self.line,
            "item": self.item,
            "column": self.column,
            "key": self.key,
        }

    def _render(self) -> str:
        place = ""
        if self.path is not None:
            place = self.path + _place(self.line, self.column) + ": "
        item = f"{self.item}: " if self.item else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{place}{item}{self.field}: {self.reason}{hint}"

    def to_dict(self) -> list[dict[str, Any]]:
        """Return every problem as JSON-serialisable data, one mapping each.

        Each holds ``field``, ``key`` (the path in the data), ``message``
        (the problem alone, without the place) and, where known,
        ``suggestion``, ``item``, ``path``, ``line`` and ``column``. The
        value given is left out: it may be anything, and a reply should not
        echo it.
        """
        found = []
        for error in self.errors:
            data: dict[str, Any] = {
                "field": error.field,
                "key": error.key,
                "message": error.reason,
            }
            for name in ("suggestion", "item", "path", "line", "column"):
                if getattr(error, name) is not None:
                    data[name] = getattr(error, name)
            found.append(data)
        return found

    def located(
        self,
        *,
        path: str | None,
        line: int | None,
        item: str | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> FactError:
        """Return a copy of this error that says which file, place and item it came from.

        *key* is the path of the item in the data (``tasks[3]``): the copy's
        key becomes ``tasks[3].skill``.
        """
        fields = self._fields()
        fields.update(path=path, line=line, column=column)
        if item is not None:
            fields["item"] = item
        if key is not None:
            fields["key"] = f"{key}.{self.key}"
        return _fact_error(fields)


def _fact_error(fields: dict[str, Any]) -> FactError:
    fields = dict(fields)
    return FactError(fields.pop("field"), fields.pop("value"), fields.pop("message"), **fields)


class InventoryError(FactError):
    """Several facts are invalid: one :class:`FactError` for each, in the order written.

    :meth:`Task.from_dict <outsourcing_rules.Task.from_dict>` raises one for
    a task with more than one bad fact; an inventory file raises one for
    all its bad tasks (and a bad owner), reading on past each, up to
    :attr:`MAX_REPORTED` problems; ``more`` counts the rest. The error's own
    attributes (``field``, ``value``, ``path``, ``line``...) are those of
    the first, so code written for a single :class:`FactError` keeps working.
    """

    #: The most errors one inventory reports; the rest are counted in ``more``.
    MAX_REPORTED = 100

    def __init__(self, errors: Sequence[FactError], *, more: int = 0) -> None:
        if not errors:
            raise ValueError("an InventoryError needs at least one error")
        if more < 0:
            raise ValueError(f"more must not be negative, got {more}")
        self._errors: tuple[FactError, ...] = tuple(e for error in errors for e in error.errors)
        self.more = more + sum(e.more for e in errors)
        first = self._errors[0]
        super().__init__(
            first.field,
            first.value,
            first.reason,
            suggestion=first.suggestion,
            path=first.path,
            line=first.line,
            item=first.item,
            column=first.column,
            key=first.key,
        )

    @property
    def errors(self) -> tuple[FactError, ...]:
        """Every problem, each a :class:`FactError` with its own place."""
        return self._errors

    def __reduce__(self) -> Any:
        return (_inventory_error, (self._errors, self.more))

    def _render(self) -> str:
        lines = [str(e) for e in self._errors]
        if self.more:
            lines.append(f"... and {self.more:,} more problems")
        return "\n".join(lines)

    def located(
        self,
        *,
        path: str | None,
        line: int | None = None,
        item: str | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> InventoryError:
        """Return a copy whose errors all say they come from *path*.

        Each error keeps its own line, column and item: *line*, *column*
        and *item* apply to the errors that have none; *key* prefixes each.
        """
        return InventoryError(
            [
                e.located(
                    path=path,
                    line=e.line if e.line is not None else line,
                    column=e.column if e.line is not None else column,
                    item=e.item or item,
                    key=key,
                )
                for e in self._errors
            ],
            more=self.more,
        )


def _inventory_error(errors: tuple[FactError, ...], more: int) -> InventoryError:
    return InventoryError(errors, more=more)
