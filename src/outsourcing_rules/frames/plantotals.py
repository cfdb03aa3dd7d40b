"""A plan added up column by column over an inventory decided in batches.

:class:`PlanTotals` takes each batch that
:func:`~outsourcing_rules.frames.decide_frame` decided and adds it to
running totals with a few polars group-bys (by verdict, by one-off or
recurring among the tasks handed off or dropped, by role and one-off among
the hires), then gives the
:class:`~outsourcing_rules.planning.PlanFigures` that
:meth:`Plan.summary() <outsourcing_rules.Plan.summary>` says, with the same
words, without a :class:`~outsourcing_rules.Decision` ever being made.
Memory holds one batch and a few numbers per role.

The figures are those of :meth:`Plan.from_decisions
<outsourcing_rules.Plan.from_decisions>` to the last bit, not merely
close: floating-point addition depends on its order, and the native plan
adds one decision at a time in the inventory's order. Here each group's
running total is put before the batch's values and the group summed with
polars' ``cum_sum``, a scan in order, so the additions are the same ones,
in the same order.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..core.facts import Verdict
from ..planning.figures import NAMES_SHOWN, HireFigures, PlanFigures, hire_order
from .problems import need

need("polars", "frames")
import polars as pl  # noqa: E402


@attrs.define
class _Sums:
    """One group's running figures: hours and money added in order, and counts."""

    hours: float = 0.0
    money: float = 0.0
    tasks: int = 0
    hours_unknown: int = 0
    money_known: int = 0

    @property
    def money_unknown(self) -> int:
        return self.tasks - self.money_known


_KEPT = Verdict.KEEP.value


class PlanTotals:
    """Running totals of a plan, fed one decided batch at a time with :meth:`add`."""

    def __init__(self) -> None:
        self.verdicts: dict[str, int] = dict.fromkeys((v.value for v in Verdict), 0)
        self._freed: dict[tuple[Any, ...], _Sums] = {}  # by one-off
        self._hires: dict[tuple[Any, ...], _Sums] = {}  # by role and one-off
        self._names: dict[str, list[str]] = {}  # a role's first task names

    @property
    def tasks(self) -> int:
        """How many tasks have been added."""
        return sum(self.verdicts.values())

    def add(self, decided: pl.DataFrame, one_off: pl.Series | None = None) -> None:
        """Add a batch: *decided* as ``decide_frame`` returns it, *one_off* its tasks' facts.

        *one_off* is the batch's ``one_off`` column (None: the inventory has
        none, so no task is a one-off project).
        """
        once = (
            pl.lit(False) if one_off is None else pl.lit(one_off.cast(pl.Boolean)).fill_null(False)
        )
        verdict = pl.col("verdict")
        rows = decided.select(
            pl.col("name"),
            verdict,
            pl.col("role"),
            once.alias("once"),
            # A project's hours are said once, recurring work's a week.
            pl.when(once).then(pl.col("hours_per_year")).otherwise(pl.col("hours_per_week"))
            .alias("hours"),
            # Dropping a task frees all the owner's hours are worth; handing it off, the saving.
            pl.when(verdict == Verdict.ELIMINATE.value)
            .then(pl.col("owner_cost_per_year"))
            .otherwise(pl.col("saving_per_year"))
            .alias("money"),
        )  # fmt: skip
        for found, number in rows.group_by("verdict").len().iter_rows():
            self.verdicts[found] += number
        _fold(self._freed, rows.filter(verdict != _KEPT), ["once"])
        hired = rows.filter(pl.col("role").is_not_null())
        _fold(self._hires, hired, ["role", "once"])
        firsts = hired.group_by("role").agg(pl.col("name").head(NAMES_SHOWN))
        for role, names in firsts.iter_rows():
            shown = self._names.setdefault(role, [])
            shown.extend(names[: NAMES_SHOWN - len(shown)])

    def figures(self, *, rank_by: str = "hours") -> PlanFigures:
        """Return the plan's figures so far; *rank_by* orders the hires as in ``Plan``."""
        recurring = self._freed.get((False,), _Sums())
        once = self._freed.get((True,), _Sums())
        return PlanFigures(
            tasks=self.tasks,
            kept=self.verdicts[Verdict.KEEP.value],
            outsourced=self.verdicts[Verdict.OUTSOURCE.value],
            eliminated=self.verdicts[Verdict.ELIMINATE.value],
            hours_freed_per_week=recurring.hours,
            tasks_without_hours=recurring.hours_unknown + once.hours_unknown,
            saving_per_year=recurring.money
            if recurring.money_known or not recurring.tasks
            else None,
            tasks_without_rates=recurring.money_unknown + once.money_unknown,
            hires=self._ranked(rank_by),
            one_off_projects=once.tasks,
            one_off_hours_freed=once.hours,
            one_off_saving=once.money if once.money_known or not once.tasks else None,
        )

    def _ranked(self, rank_by: str) -> tuple[HireFigures, ...]:
        drafts = []
        for role, names in self._names.items():
            recurring = self._hires.get((role, False), _Sums())
            once = self._hires.get((role, True), _Sums())
            drafts.append(
                HireFigures(
                    rank=0,
                    role=role,
                    tasks=recurring.tasks + once.tasks,
                    names=tuple(names),
                    hours_per_week=recurring.hours,
                    saving_per_year=recurring.money if recurring.money_known else None,
                    tasks_without_hours=recurring.hours_unknown + once.hours_unknown,
                    tasks_without_rates=recurring.money_unknown + once.money_unknown,
                    one_off_tasks=once.tasks,
                    one_off_hours=once.hours,
                    one_off_saving=once.money if once.money_known else None,
                    one_off_without_hours=once.hours_unknown,
                )
            )
        drafts.sort(key=hire_order(rank_by))
        return tuple(attrs.evolve(hire, rank=rank) for rank, hire in enumerate(drafts, start=1))


def _fold(totals: dict[tuple[Any, ...], _Sums], rows: pl.DataFrame, keys: list[str]) -> None:
    """Add *rows* to each group's running *totals* (groups by *keys*), sums in row order."""
    if rows.is_empty():
        return
    for key in rows.select(keys).unique().iter_rows():
        totals.setdefault(key, _Sums())
    carried = pl.DataFrame(
        {
            **{name: [key[i] for key in totals] for i, name in enumerate(keys)},
            "hours": [sums.hours for sums in totals.values()],
            "money": [sums.money for sums in totals.values()],
            "carried": [True] * len(totals),
        },
        schema={**{name: rows.schema[name] for name in keys}, "hours": pl.Float64,
                "money": pl.Float64, "carried": pl.Boolean},
    )  # fmt: skip
    fresh = ~pl.col("carried")
    joined = pl.concat([carried, rows.select(*keys, "hours", "money", carried=pl.lit(False))])
    summed = joined.group_by(keys).agg(
        # The running total first, then the batch's known values in order: Python's +=.
        pl.col("hours").drop_nulls().cum_sum().last(),
        pl.col("money").drop_nulls().cum_sum().last(),
        fresh.sum().alias("tasks"),
        (pl.col("hours").is_null() & fresh).sum().alias("hours_unknown"),
        (pl.col("money").is_not_null() & fresh).sum().alias("money_known"),
    )
    for row in summed.iter_rows(named=True):
        sums = totals[tuple(row[name] for name in keys)]
        sums.hours, sums.money = row["hours"], row["money"]
        sums.tasks += row["tasks"]
        sums.hours_unknown += row["hours_unknown"]
        sums.money_known += row["money_known"]
