"""Derived facts as polars expressions, computed as :mod:`outsourcing_rules.core.vocabulary` does.

Every input number is a double holding it exactly (the facts' bounds keep
integers under 2**53), and a product, difference or quotient of exact
doubles is the correctly rounded exact result, which is what Python's
integer arithmetic followed by ``_exact`` gives. The differential tests of
the columnar engine prove the two equal.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.facts import Owner
from ..core.vocabulary import FACTS, WEEKS_PER_YEAR
from .problems import need

need("polars", "frames")
import polars as pl  # noqa: E402


def derived(name: str, f: Callable[[str], pl.Expr], owner: Owner | None) -> pl.Expr:
    """Return the expression of derived (or owner) fact *name*, reading others through *f*."""
    null = pl.lit(None, dtype=pl.Float64)
    if name == "owner_hourly_rate":
        rate = None if owner is None else owner.hourly_rate
        return pl.lit(None if rate is None else float(rate), dtype=pl.Float64)
    if name == "recurring":
        return (
            pl.when(f("one_off").is_not_null())
            .then(~f("one_off"))
            .when(f("times_per_year").is_not_null())
            .then(pl.lit(True))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
        )
    if name == "hours_per_year":
        return (
            pl.when(f("hours_each").is_null())
            .then(null)
            .when(f("one_off"))
            .then(f("hours_each"))
            .otherwise(f("times_per_year") * f("hours_each"))
        )
    if name in ("hours_per_week", "saving_per_week"):
        source = f("hours_per_year" if name == "hours_per_week" else "saving_per_year")
        # Not ``/ 52.0``: polars divides a column by a constant through its
        # reciprocal, a last bit away from the quotient Python computes. A
        # column of 52s (NaN where the figure is NaN) is divided exactly.
        weeks = float(WEEKS_PER_YEAR)
        return source / source.fill_null(weeks).clip(weeks, weeks)
    if name == "owner_cost_per_year":
        return f("hours_per_year") * f("owner_hourly_rate")
    if name == "provider_cost_per_year":
        return f("hours_per_year") * f("provider_hourly_rate")
    if name == "saving_per_year":
        return f("owner_cost_per_year") - f("provider_cost_per_year")
    if name == "rate_ratio":
        return f("owner_hourly_rate") / f("provider_hourly_rate")
    if name == "hours_known":
        return f("hours_per_year").is_not_null()
    if name == "enjoyment_known":
        return f("enjoyment").is_not_null()
    if name == "rates_known":
        return f("owner_hourly_rate").is_not_null() & f("provider_hourly_rate").is_not_null()
    if name == "core_competency":
        stated = pl.col("core_competency")
        core = None if owner is None else owner.core_competencies
        if core is None:
            return stated.cast(pl.Boolean)
        category = f("category")
        listed = _listed(category, sorted(core))
        return (
            pl.when(stated.fill_null(False))
            .then(pl.lit(True))
            .when(category.is_not_null())
            .then(listed)
            .otherwise(stated)
        )
    raise NotImplementedError(f"the columnar engine has no derivation of {name!r}")


#: Up to this many core categories, a task's category is compared with each in turn.
FEW_CATEGORIES = 8


def _listed(category: pl.Expr, core: list[str]) -> pl.Expr:
    """Whether each category is one of *core* (null where the category is unknown).

    A few comparisons of text cost less than one lookup in a hash set
    (``is_in``) a row; past :data:`FEW_CATEGORIES`, the lookup costs less.
    """
    if not core or len(core) > FEW_CATEGORIES:
        return category.is_in(pl.Series(core, dtype=pl.String).implode())
    return pl.any_horizontal(category == name for name in core)


def _check_derivations() -> None:
    """Fail at import if vocabulary gained a derived fact this engine cannot compute."""
    for name, spec in FACTS.items():
        if spec.source != "task" and name not in _DERIVED:
            raise NotImplementedError(f"the columnar engine has no derivation of {name!r}")


_DERIVED = frozenset(
    {
        "owner_hourly_rate",
        "recurring",
        "hours_per_year",
        "hours_per_week",
        "saving_per_week",
        "owner_cost_per_year",
        "provider_cost_per_year",
        "saving_per_year",
        "rate_ratio",
        "hours_known",
        "enjoyment_known",
        "rates_known",
        "core_competency",
    }
)
_check_derivations()
