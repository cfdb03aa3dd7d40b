"""The columnar engine: a ruleset compiled once into polars expressions.

It is the native engine's idea (compile once, evaluate many) over columns:
every rule's condition, in negation normal form, becomes one boolean polars
expression, and a whole frame of tasks is decided in a handful of vectorised
passes. The three-valued logic is that of :mod:`outsourcing_rules.core.conditions`:
a comparison on an unknown (null) fact is unknown, and in negation normal
form a condition is true exactly when it is true with every such comparison
taken as false, so each comparison's null is filled with false and the parts
are joined with plain ``&`` and ``|``. The first rule that applies, in
decision order, decides; else the ruleset's default.

Derived facts are computed as :mod:`outsourcing_rules.core.vocabulary`
computes them, in the same float arithmetic: every input number is a double
holding it exactly (the facts' bounds keep integers under 2**53), and a
product, difference or quotient of exact doubles is the correctly rounded
exact result, which is what Python's integer arithmetic followed by
``_exact`` gives. The differential tests prove the two equal.

The compiled form is cached on the ruleset (:meth:`Ruleset.compiled`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms
from ..core.facts import Owner
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, WEEKS_PER_YEAR, Kind, closure
from ..explain.handoff import DEFAULT_ROLE
from .problems import need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

#: The economic figures every decided frame carries, as in :class:`~outsourcing_rules.Economics`.
ECONOMICS = (
    "hours_per_year",
    "hours_per_week",
    "owner_cost_per_year",
    "provider_cost_per_year",
    "saving_per_year",
    "saving_per_week",
)

#: The key of the compiled form in :meth:`Ruleset.compiled`.
KEY = "frames.polars"


def fact_column(name: str) -> str:
    """Return the name of the internal column holding rule fact *name*."""
    return f"__fact_{name}"


def _number(value: Any) -> float:
    """Return a rule's number as a double (past every double, an infinity: same order)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _constant(kind: Kind, value: Any) -> Any:
    if kind is Kind.NUMBER:
        return _number(value)
    if kind.levels is not None:
        return int(value)
    return value


def _atom(atom: Atom) -> pl.Expr:
    spec = FACTS[atom.fact]
    column = pl.col(fact_column(atom.fact))
    op, kind = atom.op, spec.kind
    if kind is Kind.LABELS:
        wanted = sorted(atom.value)
        hit = (
            pl.any_horizontal(column.list.contains(pl.lit(label)) for label in wanted)
            if wanted
            else column.is_not_null() & pl.lit(False)
        )
        test = hit if op == "in" else ~hit
        return test.fill_null(False)
    if kind is Kind.BOOL:
        wanted_bool = bool(atom.value) if op == "eq" else not atom.value
        return (column == wanted_bool).fill_null(False)
    if op in ("in", "not_in"):
        values = sorted({_constant(kind, v) for v in atom.value}, key=repr)
        found = column.is_in(pl.Series(values, dtype=column_dtype(kind)).implode())
        test = found if op == "in" else ~found
        return (test & column.is_not_null()).fill_null(False)
    const = pl.lit(_constant(kind, atom.value), dtype=column_dtype(kind))
    compare: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
        "eq": lambda a, b: a == b,
        "ne": lambda a, b: a != b,
        "lt": lambda a, b: a < b,
        "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b,
        "ge": lambda a, b: a >= b,
    }
    return compare[op](column, const).fill_null(False)


def condition_expression(condition: Condition) -> pl.Expr:
    """Compile a condition in negation normal form into a boolean expression with no nulls."""
    if isinstance(condition, Atom):
        return _atom(condition)
    if not isinstance(condition, AllOf | AnyOf):  # pragma: no cover - rules hold NNF
        raise TypeError("the columnar engine compiles conditions in negation normal form")
    parts = [condition_expression(p) for p in condition.parts]
    if isinstance(condition, AllOf):
        return pl.all_horizontal(parts) if parts else pl.lit(True)
    return pl.any_horizontal(parts) if parts else pl.lit(False)


def column_dtype(kind: Kind) -> Any:
    """Return the polars type of the column holding a fact of *kind*."""
    return {
        Kind.BOOL: pl.Boolean,
        Kind.NUMBER: pl.Float64,
        Kind.TEXT: pl.String,
        Kind.SKILL: pl.Int8,
        Kind.ENJOYMENT: pl.Int8,
        Kind.LABELS: pl.List(pl.String),
    }[kind]


# --- derived facts, as vocabulary computes them ------------------------------------


def _derived(name: str, f: Callable[[str], pl.Expr], owner: Owner | None) -> pl.Expr:
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
        source = "hours_per_year" if name == "hours_per_week" else "saving_per_year"
        # Not ``/ 52.0``: polars divides a column by a constant through its
        # reciprocal, a last bit away from the quotient Python computes.
        return f(source).map_batches(_per_week, return_dtype=pl.Float64)
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
        listed = category.is_in(pl.Series(sorted(core), dtype=pl.String).implode())
        return (
            pl.when(stated.fill_null(False))
            .then(pl.lit(True))
            .when(category.is_not_null())
            .then(listed)
            .otherwise(stated)
        )
    raise NotImplementedError(f"the columnar engine has no derivation of {name!r}")


def _per_week(series: pl.Series) -> pl.Series:
    """Return yearly figures a week, each correctly rounded (Arrow divides exactly)."""
    weekly = pc.divide(series.to_arrow(), float(WEEKS_PER_YEAR))
    found = pl.from_arrow(weekly)
    assert isinstance(found, pl.Series)
    return found


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


# --- the compiled ruleset ---------------------------------------------------------------


@attrs.frozen
class CompiledRuleset:
    """A ruleset as polars expressions: one boolean column a rule, in decision order."""

    facts: tuple[str, ...]
    rules: tuple[pl.Expr, ...]
    rule_ids: tuple[str, ...]
    verdicts: tuple[str, ...]
    roles: tuple[str | None, ...]
    default_verdict: str
    category_roles: dict[str, str]

    @classmethod
    def build(cls, ruleset: Ruleset) -> CompiledRuleset:
        """Compile *ruleset* (call it through :func:`compiled`, which caches it)."""
        used = {a.fact for rule in ruleset.rules for a in atoms(rule.condition)}
        used.update(ECONOMICS)
        return cls(
            facts=tuple(n for n in closure(frozenset(used)) if n in FACTS),
            rules=tuple(condition_expression(r.condition) for r in ruleset.rules),
            rule_ids=tuple(r.id for r in ruleset.rules),
            verdicts=tuple(r.verdict.value for r in ruleset.rules),
            roles=tuple(r.role for r in ruleset.rules),
            default_verdict=ruleset.default_verdict.value,
            category_roles=dict(ruleset.roles),
        )

    def fact_expressions(self, owner: Owner | None) -> list[pl.Expr]:
        """Expressions adding every fact the ruleset reads, and the economics, as columns."""
        made: dict[str, pl.Expr] = {}

        def f(name: str) -> pl.Expr:
            return made[name]

        for name in self.facts:
            if FACTS[name].source == "task":
                made[name] = pl.col(name)
            else:
                made[name] = _derived(name, f, owner)
        return [expr.alias(fact_column(name)) for name, expr in made.items()]

    def decide(self, typed: pl.LazyFrame, owner: Owner | None) -> pl.DataFrame:
        """Return the decision columns for a frame of typed task columns.

        Each row's rules that applied are packed into bits (64 rules a word);
        the few distinct patterns are resolved once each in Python (verdict,
        deciding rule, matched ids, the rule's role) and joined back, which
        is far cheaper than building those columns row by row.
        """
        words = [f"__rules_{w}" for w in range((len(self.rules) + 63) // 64)]
        packed = [
            pl.sum_horizontal(
                rule.cast(pl.UInt64) * pl.lit(1 << (i % 64), dtype=pl.UInt64)
                for i, rule in enumerate(self.rules)
                if i // 64 == w
            ).alias(word)
            for w, word in enumerate(words)
        ]
        frame = (
            typed.with_columns(self.fact_expressions(owner))
            .select("category", *[fact_column(n) for n in ECONOMICS], *packed)
            .collect()
        )
        if words:
            patterns = frame.select(words).unique()
            frame = frame.join(
                self._outcomes(patterns), on=words, how="left", maintain_order="left"
            )
        else:
            frame = frame.with_columns(
                pl.lit(self.default_verdict).alias("verdict"),
                pl.lit(None, dtype=pl.String).alias("rule"),
                pl.lit([], dtype=pl.List(pl.String)).alias("matched"),
                pl.lit(None, dtype=pl.String).alias("__rule_role"),
            )
        by_category = (
            pl.col("category").replace_strict(
                self.category_roles, default=None, return_dtype=pl.String
            )
            if self.category_roles
            else pl.lit(None, dtype=pl.String)
        )
        role = (
            pl.when(pl.col("verdict") == "outsource")
            .then(pl.coalesce(by_category, pl.col("__rule_role"), pl.lit(DEFAULT_ROLE)))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
        return frame.select(
            "verdict",
            "rule",
            "matched",
            role.alias("role"),
            *[pl.col(fact_column(n)).alias(n) for n in ECONOMICS],
        )

    def _outcomes(self, patterns: pl.DataFrame) -> pl.DataFrame:
        """Return the verdict, rule, matched ids and rule role of each pattern of rules."""
        verdicts, rules, matched, roles = [], [], [], []
        for row in patterns.iter_rows():
            applied = [
                w * 64 + bit for w, word in enumerate(row) for bit in range(64) if word >> bit & 1
            ]
            first = applied[0] if applied else None
            verdicts.append(self.default_verdict if first is None else self.verdicts[first])
            rules.append(None if first is None else self.rule_ids[first])
            roles.append(None if first is None else self.roles[first])
            matched.append([self.rule_ids[p] for p in applied])
        return patterns.with_columns(
            pl.Series("verdict", verdicts, dtype=pl.String),
            pl.Series("rule", rules, dtype=pl.String),
            pl.Series("matched", matched, dtype=pl.List(pl.String)),
            pl.Series("__rule_role", roles, dtype=pl.String),
        )


def compiled(ruleset: Ruleset) -> CompiledRuleset:
    """Return *ruleset* compiled for the columnar engine, compiling it on first use."""
    found: CompiledRuleset = ruleset.compiled(KEY, CompiledRuleset.build)
    return found
