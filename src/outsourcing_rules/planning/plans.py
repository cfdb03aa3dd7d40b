"""A delegation plan for a whole task inventory: what it frees, and who to hire first.

:func:`plan` decides every task and adds up what the decisions mean together:

- ``hours_freed_per_week``: the hours of every recurring task outsourced or
  eliminated (tasks whose hours are unknown are counted in
  ``tasks_without_hours``);
- ``one_off_hours_freed`` and ``one_off_saving``: the same for one-off
  projects, once: a project's hours and money are never spread over weeks
  or years, so they are added up apart from the recurring ones;
- ``saving_per_year``: for an outsourced task, what the owner's hours are
  worth minus what the provider charges; for an eliminated one, all that the
  owner's hours are worth. Tasks where a rate is missing are left out and
  counted in ``tasks_without_rates``;
- ``hires``: one per provider role (see :mod:`outsourcing_rules.explain.handoff`), in
  the order to hire them, one at a time, ranked by hours freed a week (or by
  money saved a year, with ``rank_by="money"``); a hire's one-off projects
  are added up apart, once, like the plan's;
- ``frequencies``: the tasks grouped by how often they come up, with the
  hours a week kept, outsourced and eliminated in each group (none for the
  one-off band: a project's hours are not spread over weeks).

Frequency bands go by ``times_per_year`` (see :data:`BANDS`): daily from 200
times a year (most working days), weekly from 40 (about once a week or
more), monthly from 10, quarterly from 3, yearly below 3; ``one_off`` tasks
are one-off, and recurring tasks with no frequency are unknown.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from ..core.facts import Owner, Task, Verdict
from ..core.rules import Ruleset
from ..core.text import hours, money, printable
from ..decisions import Decision, decide_all


class Frequency(enum.Enum):
    """How often a task comes up, in bands (see :data:`BANDS`)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    ONE_OFF = "one-off"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


#: The recurring bands, each with the fewest times a year that puts a task in it.
BANDS: tuple[tuple[Frequency, float], ...] = (
    (Frequency.DAILY, 200),
    (Frequency.WEEKLY, 40),
    (Frequency.MONTHLY, 10),
    (Frequency.QUARTERLY, 3),
    (Frequency.YEARLY, 0),
)


def frequency(task: Task) -> Frequency:
    """Return the frequency band of *task*."""
    if task.one_off:
        return Frequency.ONE_OFF
    times = task.times_per_year
    if times is None:
        return Frequency.UNKNOWN
    return next(band for band, least in BANDS if times >= least)


def _sum(values: Iterable[float | None]) -> tuple[float, int, int]:
    """Add the known values; return the total, how many were known and how many not."""
    total, known, unknown = 0.0, 0, 0
    for value in values:
        if value is None:
            unknown += 1
        else:
            total += value
            known += 1
    return total, known, unknown


def _freed_money(decision: Decision) -> float | None:
    """Return what handing off or dropping *decision*'s task saves a year (None: unknown)."""
    if decision.verdict is Verdict.ELIMINATE:
        return decision.economics.owner_cost_per_year
    return decision.economics.saving_per_year


@attrs.frozen
class Hire:
    """A provider role to hire, the tasks it would take, and what that frees.

    ``rank`` is the order to hire in (1 first). ``hours_per_week`` and
    ``saving_per_year`` add up the recurring tasks (``saving_per_year`` is
    ``None`` when no recurring task's saving is known). A one-off project's
    hours and money are never spread over weeks or years: ``one_off_hours``
    and ``one_off_saving`` add up the hire's ``one_off_tasks`` projects
    apart, once (``one_off_saving`` is ``None`` when no project's saving is
    known). ``tasks_without_hours`` and ``tasks_without_rates`` count the
    tasks left out of the figures, ``one_off_without_hours`` the projects
    among them whose hours are unknown.
    """

    rank: int
    role: str
    tasks: tuple[str, ...]
    hours_per_week: float
    saving_per_year: float | None
    tasks_without_hours: int = 0
    tasks_without_rates: int = 0
    one_off_tasks: int = 0
    one_off_hours: float = 0.0
    one_off_saving: float | None = None
    one_off_without_hours: int = 0

    @property
    def hours_known(self) -> bool:
        """True when the hours of at least one of the hire's tasks are known."""
        return self.tasks_without_hours < len(self.tasks)

    def describe(self) -> str:
        """Say the hire in one line: ``1. bookkeeper: 4 hours a week, $44,200 a year (...)``.

        Recurring work is said a week and a year, one-off projects once:
        ``3. webmaster: a one-off project of 30 hours, $1,500 once (...)``.
        """
        parts = []
        if self.recurring:
            parts.append(self._recurring())
        if self.one_off_tasks:
            parts.append(self.once())
        return f"{self.rank}. {printable(self.role)}: {'; '.join(parts)} ({self._names()})"

    @property
    def recurring_hours_known(self) -> bool:
        """True when the hours of at least one of the hire's recurring tasks are known."""
        unknown = self.tasks_without_hours - self.one_off_without_hours
        return unknown < len(self.tasks) - self.one_off_tasks

    def _recurring(self) -> str:
        unknown = self.tasks_without_hours - self.one_off_without_hours
        if not self.recurring_hours_known:
            time = "hours unknown"
        else:
            time = f"{hours(self.hours_per_week)} a week"
            if unknown:
                time += f" and {_count(unknown, 'task')} of unknown hours"
        saving = f", {money(self.saving_per_year)} a year" if self.saving_per_year else ""
        return time + saving

    @property
    def recurring(self) -> bool:
        """True when at least one of the hire's tasks recurs (is not a one-off project)."""
        return len(self.tasks) > self.one_off_tasks

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

    #: The most task names :meth:`describe` lists; the rest are counted.
    NAMES_SHOWN = 5

    def _names(self) -> str:
        """Name the hire's tasks: all of a few, else the first ones and how many more."""
        shown = [printable(name) for name in self.tasks[: self.NAMES_SHOWN]]
        rest = len(self.tasks) - len(shown)
        if not rest:
            return ", ".join(shown)
        return f"{len(self.tasks):,} tasks: {', '.join(shown)} and {rest:,} more"

    def to_dict(self) -> dict[str, Any]:
        """Return the hire as JSON-serialisable data."""
        return {**attrs.asdict(self), "tasks": list(self.tasks)}


@attrs.frozen
class FrequencyGroup:
    """The tasks of one frequency band and their hours a week, by verdict.

    The one-off band has none: a project's hours are said once, in
    :attr:`Plan.one_off_hours_freed`, never spread over weeks.
    """

    band: Frequency
    tasks: tuple[str, ...]
    kept_hours_per_week: float
    outsourced_hours_per_week: float
    eliminated_hours_per_week: float

    def hours(self, verdict: Verdict) -> float:
        """Return the hours a week of the band's tasks with *verdict*."""
        return {
            Verdict.KEEP: self.kept_hours_per_week,
            Verdict.OUTSOURCE: self.outsourced_hours_per_week,
            Verdict.ELIMINATE: self.eliminated_hours_per_week,
        }[verdict]

    def to_dict(self) -> dict[str, Any]:
        """Return the group as JSON-serialisable data."""
        return {
            "band": self.band.value,
            "tasks": list(self.tasks),
            "hours_per_week": {v.value: self.hours(v) for v in Verdict},
        }


@attrs.frozen(eq=False)
class Plan:
    """What deciding a whole inventory adds up to (see :mod:`outsourcing_rules.planning.plans`)."""

    decisions: tuple[Decision, ...]
    hours_freed_per_week: float
    tasks_without_hours: int
    saving_per_year: float | None
    tasks_without_rates: int
    hires: tuple[Hire, ...]
    frequencies: tuple[FrequencyGroup, ...]
    one_off_hours_freed: float = 0.0
    one_off_saving: float | None = 0.0

    @classmethod
    def from_decisions(
        cls, decisions: Iterable[Decision], *, rank_by: Literal["hours", "money"] = "hours"
    ) -> Plan:
        """Build the plan of decisions already made.

        *rank_by* orders the hires: ``"hours"`` (the default) by hours freed a
        week, then money; ``"money"`` by money saved a year, then hours.
        """
        if rank_by not in ("hours", "money"):
            raise ValueError(f"rank_by must be 'hours' or 'money', not {rank_by!r}")
        made = tuple(decisions)
        freed = [d for d in made if d.verdict is not Verdict.KEEP and not d.task.one_off]
        once = [d for d in made if d.verdict is not Verdict.KEEP and d.task.one_off]
        hours, _, without_hours = _sum(d.economics.hours_per_week for d in freed)
        saving, known, without_rates = _sum(_freed_money(d) for d in freed)
        once_hours, _, once_without_hours = _sum(d.economics.hours_per_year for d in once)
        once_saving, once_known, once_without_rates = _sum(_freed_money(d) for d in once)
        return cls(
            decisions=made,
            hours_freed_per_week=hours,
            tasks_without_hours=without_hours + once_without_hours,
            saving_per_year=saving if known or not freed else None,
            tasks_without_rates=without_rates + once_without_rates,
            hires=_hires(made, rank_by),
            frequencies=_groups(made),
            one_off_hours_freed=once_hours,
            one_off_saving=once_saving if once_known or not once else None,
        )

    @property
    def counts(self) -> dict[Verdict, int]:
        """How many tasks got each verdict."""
        found = dict.fromkeys(Verdict, 0)
        for decision in self.decisions:
            found[decision.verdict] += 1
        return found

    def summary(self) -> str:
        """Say the plan in a few lines: verdicts, hours and money freed, hires in order."""
        counts = self.counts
        lines = [
            f"{_count(len(self.decisions), 'task')}: "
            + ", ".join(f"{counts[v]:,} {v.value}" for v in Verdict)
            + "."
        ]
        freed = f"Hours freed: {hours(self.hours_freed_per_week)} a week"
        if self.tasks_without_hours:
            freed += f" ({_count(self.tasks_without_hours, 'task')} with unknown hours)"
        lines.append(freed + ".")
        if self.saving_per_year is None:
            saving = "Saving: unknown"
        else:
            saving = f"Saving: {money(self.saving_per_year)} a year"
        if self.tasks_without_rates:
            saving += f" ({_count(self.tasks_without_rates, 'task')} without the rates to tell)"
        lines.append(saving + ".")
        projects = sum(
            d.verdict is not Verdict.KEEP and bool(d.task.one_off) for d in self.decisions
        )
        if projects:
            spared = "unknown" if self.one_off_saving is None else money(self.one_off_saving)
            lines.append(
                f"One-off projects handed off or dropped: {_count(projects, 'project')}, "
                f"{hours(self.one_off_hours_freed)} and {spared} once."
            )
        if self.hires:
            lines.append("Hire one at a time, in this order:")
            lines += [f"  {hire.describe()}" for hire in self.hires]
        return "\n".join(lines)

    def to_dict(self, *, decisions: bool = True) -> dict[str, Any]:
        """Return the plan as JSON-serialisable data; with *decisions*, each decision too."""
        data: dict[str, Any] = {
            "summary": {
                "tasks": len(self.decisions),
                "verdicts": {v.value: n for v, n in self.counts.items()},
                "hours_freed_per_week": self.hours_freed_per_week,
                "tasks_without_hours": self.tasks_without_hours,
                "saving_per_year": self.saving_per_year,
                "tasks_without_rates": self.tasks_without_rates,
                "one_off_hours_freed": self.one_off_hours_freed,
                "one_off_saving": self.one_off_saving,
            },
            "hires": [hire.to_dict() for hire in self.hires],
            "frequencies": [group.to_dict() for group in self.frequencies],
        }
        if decisions:
            data["decisions"] = [d.to_dict() for d in self.decisions]
        return data


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number:,} {noun}s"


def _hires(decisions: Sequence[Decision], rank_by: str) -> tuple[Hire, ...]:
    by_role: dict[str, list[Decision]] = {}
    for decision in decisions:
        brief = decision.handoff
        if brief is not None:
            by_role.setdefault(brief.role, []).append(decision)
    drafts = []
    for role, chosen in by_role.items():
        recurring = [d for d in chosen if not d.task.one_off]
        once = [d for d in chosen if d.task.one_off]
        hours, _, without_hours = _sum(d.economics.hours_per_week for d in recurring)
        saving, known, without_rates = _sum(d.economics.saving_per_year for d in recurring)
        once_hours, _, once_without_hours = _sum(d.economics.hours_per_year for d in once)
        once_saving, once_known, once_without_rates = _sum(
            d.economics.saving_per_year for d in once
        )
        drafts.append(
            Hire(
                rank=0,
                role=role,
                tasks=tuple(d.task.name for d in chosen),
                hours_per_week=hours,
                saving_per_year=saving if known else None,
                tasks_without_hours=without_hours + once_without_hours,
                tasks_without_rates=without_rates + once_without_rates,
                one_off_tasks=len(once),
                one_off_hours=once_hours,
                one_off_saving=once_saving if once_known else None,
                one_off_without_hours=once_without_hours,
            )
        )

    def value(hire: Hire) -> tuple[float, float, float, str]:
        money_value = hire.saving_per_year if hire.saving_per_year is not None else -float("inf")
        # Recurring work ranks first; between equals, the bigger one-off projects.
        once = hire.one_off_saving if rank_by == "money" else hire.one_off_hours
        once_value = once if once is not None else -float("inf")
        if rank_by == "money":
            return (-money_value, -hire.hours_per_week, -once_value, hire.role)
        return (-hire.hours_per_week, -money_value, -once_value, hire.role)

    drafts.sort(key=value)
    return tuple(attrs.evolve(hire, rank=rank) for rank, hire in enumerate(drafts, start=1))


def _groups(decisions: Sequence[Decision]) -> tuple[FrequencyGroup, ...]:
    members: dict[Frequency, list[Decision]] = {band: [] for band in Frequency}
    for decision in decisions:
        members[frequency(decision.task)].append(decision)
    groups = []
    for band, chosen in members.items():
        if not chosen:
            continue
        weekly = [] if band is Frequency.ONE_OFF else chosen  # a project has no hours a week
        hours = {
            verdict: _sum(d.economics.hours_per_week for d in weekly if d.verdict is verdict)[0]
            for verdict in Verdict
        }
        groups.append(
            FrequencyGroup(
                band,
                tuple(d.task.name for d in chosen),
                hours[Verdict.KEEP],
                hours[Verdict.OUTSOURCE],
                hours[Verdict.ELIMINATE],
            )
        )
    return tuple(groups)


def plan(
    tasks: Iterable[Task | Mapping[str, Any]],
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    engine: str | None = None,
    rank_by: Literal["hours", "money"] = "hours",
) -> Plan:
    """Decide every task of an inventory and return the delegation plan.

    *ruleset* and *engine* are as for :func:`~outsourcing_rules.decide`;
    *rank_by* orders the hires (see :meth:`Plan.from_decisions`).
    """
    return Plan.from_decisions(
        decide_all(tasks, owner, ruleset=ruleset, engine=engine), rank_by=rank_by
    )
