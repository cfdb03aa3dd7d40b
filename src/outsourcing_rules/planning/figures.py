"""A plan's figures, whatever added them up, and the one text that says them.

:meth:`Plan.summary() <outsourcing_rules.Plan.summary>` and
:meth:`Hire.describe() <outsourcing_rules.planning.Hire.describe>` say
:class:`PlanFigures` and :class:`HireFigures`: counts, totals and the
first few task names, with no decisions behind them. A
:class:`~outsourcing_rules.Plan` gives its own with
:meth:`~outsourcing_rules.Plan.figures`; the command line's columnar path
adds the same figures up column by column over a file decided in batches
(:mod:`outsourcing_rules.frames`), and prints them with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

from ..core.facts import Verdict
from ..core.text import hours, money, printable

#: The most task names a hire's line lists; the rest are counted.
NAMES_SHOWN = 5


def count(number: int, noun: str) -> str:
    """Say *number* of *noun*: ``1 task``, ``1,200 tasks``."""
    return f"{number} {noun}" if number == 1 else f"{number:,} {noun}s"


@attrs.frozen
class HireFigures:
    """What a plan says of one hire: its counts and totals and its first task names.

    The fields are those of :class:`~outsourcing_rules.planning.Hire`, but
    ``tasks`` is how many tasks the hire takes and ``names`` the first
    :data:`NAMES_SHOWN` of them, in the inventory's order.
    """

    rank: int
    role: str
    tasks: int
    names: tuple[str, ...]
    hours_per_week: float
    saving_per_year: float | None
    tasks_without_hours: int = 0
    tasks_without_rates: int = 0
    one_off_tasks: int = 0
    one_off_hours: float = 0.0
    one_off_saving: float | None = None
    one_off_without_hours: int = 0

    @property
    def recurring(self) -> bool:
        """True when at least one of the hire's tasks recurs (is not a one-off project)."""
        return self.tasks > self.one_off_tasks

    @property
    def recurring_hours_known(self) -> bool:
        """True when the hours of at least one of the hire's recurring tasks are known."""
        unknown = self.tasks_without_hours - self.one_off_without_hours
        return unknown < self.tasks - self.one_off_tasks

    def describe(self) -> str:
        """Say the hire in one line: ``1. bookkeeper: 4 hours a week, $44,200 a year (...)``."""
        parts = []
        if self.recurring:
            parts.append(self._recurring())
        if self.one_off_tasks:
            parts.append(self.once())
        return f"{self.rank}. {printable(self.role)}: {'; '.join(parts)} ({self._names()})"

    def _recurring(self) -> str:
        unknown = self.tasks_without_hours - self.one_off_without_hours
        if not self.recurring_hours_known:
            time = "hours unknown"
        else:
            time = f"{hours(self.hours_per_week)} a week"
            if unknown:
                time += f" and {count(unknown, 'task')} of unknown hours"
        saving = f", {money(self.saving_per_year)} a year" if self.saving_per_year else ""
        return time + saving

    def once(self) -> str:
        """Say the hire's one-off projects, once: ``a one-off project of 4 hours, $260 once``.

        Empty when the hire takes no one-off project.
        """
        projects = self.one_off_tasks
        if not projects:
            return ""
        noun = "a one-off project" if projects == 1 else f"{projects:,} one-off projects"
        unknown = self.one_off_without_hours
        if unknown >= projects:
            time = f"{noun} of unknown hours"
        else:
            time = f"{noun} of {hours(self.one_off_hours)}"
            if unknown:
                time += f" ({unknown:,} of unknown hours)"
        saving = f", {money(self.one_off_saving)} once" if self.one_off_saving else ""
        return time + saving

    def _names(self) -> str:
        """Name the hire's tasks: all of a few, else the first ones and how many more."""
        shown = [printable(name) for name in self.names[:NAMES_SHOWN]]
        rest = self.tasks - len(shown)
        if not rest:
            return ", ".join(shown)
        return f"{self.tasks:,} tasks: {', '.join(shown)} and {rest:,} more"


@attrs.frozen
class PlanFigures:
    """What a plan's summary says: the verdicts counted, the hours and money freed, the hires.

    The fields are those of :class:`~outsourcing_rules.Plan` without its
    decisions: ``tasks`` counts them, ``kept``, ``outsourced`` and
    ``eliminated`` count each verdict, and ``one_off_projects`` counts the
    one-off projects handed off or dropped.
    """

    tasks: int
    kept: int
    outsourced: int
    eliminated: int
    hours_freed_per_week: float
    tasks_without_hours: int
    saving_per_year: float | None
    tasks_without_rates: int
    hires: tuple[HireFigures, ...]
    one_off_projects: int = 0
    one_off_hours_freed: float = 0.0
    one_off_saving: float | None = 0.0

    @property
    def counts(self) -> dict[Verdict, int]:
        """How many tasks got each verdict."""
        return {
            Verdict.KEEP: self.kept,
            Verdict.OUTSOURCE: self.outsourced,
            Verdict.ELIMINATE: self.eliminated,
        }

    def summary(self) -> str:
        """Say the plan in a few lines: verdicts, hours and money freed, hires in order."""
        counts = self.counts
        lines = [
            f"{count(self.tasks, 'task')}: "
            + ", ".join(f"{counts[v]:,} {v.value}" for v in Verdict)
            + "."
        ]
        freed = f"Hours freed: {hours(self.hours_freed_per_week)} a week"
        if self.tasks_without_hours:
            freed += f" ({count(self.tasks_without_hours, 'task')} with unknown hours)"
        lines.append(freed + ".")
        if self.saving_per_year is None:
            saving = "Saving: unknown"
        else:
            saving = f"Saving: {money(self.saving_per_year)} a year"
        if self.tasks_without_rates:
            saving += f" ({count(self.tasks_without_rates, 'task')} without the rates to tell)"
        lines.append(saving + ".")
        if self.one_off_projects:
            spared = "unknown" if self.one_off_saving is None else money(self.one_off_saving)
            lines.append(
                "One-off projects handed off or dropped: "
                f"{count(self.one_off_projects, 'project')}, "
                f"{hours(self.one_off_hours_freed)} and {spared} once."
            )
        if self.hires:
            lines.append("Hire one at a time, in this order:")
            lines += [f"  {hire.describe()}" for hire in self.hires]
        return "\n".join(lines)


class Ranked(Protocol):
    """What ranks a hire: its role and its hours and money, recurring and one-off."""

    @property
    def role(self) -> str:
        """The provider role."""

    @property
    def hours_per_week(self) -> float:
        """The recurring hours freed a week."""

    @property
    def saving_per_year(self) -> float | None:
        """The recurring money saved a year (None: unknown)."""

    @property
    def one_off_hours(self) -> float:
        """The hours of the one-off projects."""

    @property
    def one_off_saving(self) -> float | None:
        """The money the one-off projects save, once (None: unknown)."""


def hire_order(rank_by: str) -> Callable[[Ranked], tuple[float, float, float, str]]:
    """Return the sort key that puts hires in the order to hire them, first first.

    ``"hours"``: by recurring hours freed a week, then money saved a year;
    ``"money"``: by money, then hours. Between equals, the bigger one-off
    projects (their hours, or their money), then the role's name, so the
    order never depends on the order of the tasks.
    """

    def value(hire: Ranked) -> tuple[float, float, float, str]:
        money_value = hire.saving_per_year if hire.saving_per_year is not None else -float("inf")
        once = hire.one_off_saving if rank_by == "money" else hire.one_off_hours
        once_value = once if once is not None else -float("inf")
        if rank_by == "money":
            return (-money_value, -hire.hours_per_week, -once_value, hire.role)
        return (-hire.hours_per_week, -money_value, -once_value, hire.role)

    return value
