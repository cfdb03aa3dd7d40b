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
computes them, in the same float arithmetic (:mod:`.derived`); the
differential tests prove the two equal.

The compiled form is cached on the ruleset (:meth:`Ruleset.compiled`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms
from ..core.facts import Owner
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind, closure
from ..explain.handoff import DEFAULT_ROLE
from .problems import need

need("polars", "frames")
import polars as pl  # noqa: E402

from .derived import derived  # noqa: E402

#: The economic figures every decided frame carries, as in :class:`~outsourcing_rules.Economics`.
ECONOMICS = (
    "hours_per_year",
    "hours_per_week",
    "owner_cost_per_year",
    "provider_cost_per_year",
    "saving_per_year",
    "saving_per_week",
)

#: Up to this many rules, the outcome of every pattern of rules is tabulated once.
DENSE_RULES = 12

#: The facts' expressions of up to this many owners are kept with a compiled ruleset.
OWNERS_KEPT = 16
_OWNERS_LOCK = threading.Lock()

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
    _cache: dict[str, object] = attrs.field(factory=dict, eq=False, repr=False)
    #: The facts' expressions of the last owners (:meth:`fact_expressions`), newest last.
    _owners: dict[tuple[Owner | None, float], list[list[pl.Expr]]] = attrs.field(
        factory=dict, eq=False, repr=False
    )

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

    def fact_expressions(self, owner: Owner | None) -> list[list[pl.Expr]]:
        """Expressions adding every fact the ruleset reads, and the economics, as columns.

        In layers: each fact is computed once, in the first layer after
        every fact it reads (``hours_per_week`` reads the column of
        ``hours_per_year``), so add each layer in turn (:meth:`with_facts`).
        Those of the last :data:`OWNERS_KEPT` owners are kept: deciding
        batch after batch builds them once.
        """
        # Owners with rates 0.0 and -0.0 are equal, but their figures' signs differ.
        rate = None if owner is None else owner.hourly_rate
        key = (owner, 1.0 if rate is None else math.copysign(1.0, rate))
        found = self._owners.get(key)
        if found is None:
            found = self._fact_expressions(owner)
            with _OWNERS_LOCK:  # Dask decides partitions in threads
                while len(self._owners) >= OWNERS_KEPT:
                    del self._owners[next(iter(self._owners))]
                self._owners[key] = found
        return found

    def _fact_expressions(self, owner: Owner | None) -> list[list[pl.Expr]]:
        depth: dict[str, int] = {}
        layers: list[list[pl.Expr]] = []
        for name in self.facts:
            if FACTS[name].source == "task":
                expr, level = pl.col(name), 0
            else:
                used: list[str] = []

                def f(fact: str, used: list[str] = used) -> pl.Expr:
                    used.append(fact)
                    return pl.col(fact_column(fact))

                expr = derived(name, f, owner)
                level = 1 + max((depth[u] for u in used), default=-1)
            depth[name] = level
            while len(layers) <= level:
                layers.append([])
            layers[level].append(expr.alias(fact_column(name)))
        return layers

    def with_facts(self, typed: pl.LazyFrame, owner: Owner | None) -> pl.LazyFrame:
        """Return *typed* with a column for every fact the ruleset reads (:func:`fact_column`)."""
        for layer in self.fact_expressions(owner):
            typed = typed.with_columns(layer)
        return typed

    def decide(
        self, typed: pl.LazyFrame, owner: Owner | None, keep: Sequence[str] = ()
    ) -> pl.DataFrame:
        """Return the decision columns for a frame of typed task columns.

        The columns named in *keep* come first, as they are. Each row's rules
        that applied are packed into bits (64 rules a word). With at most
        :data:`DENSE_RULES` rules, every pattern's outcome (verdict, deciding
        rule, matched ids, the rule's role) is in tables built once, and a
        row's outcome is read from them by its pattern in the same query;
        with more, the few distinct patterns are resolved once each in
        Python and joined back. Either is far cheaper than building those
        columns row by row.
        """
        facts = self.with_facts(typed, owner)
        economics = [pl.col(fact_column(n)).alias(n) for n in ECONOMICS]
        if len(self.rules) <= DENSE_RULES:
            pattern, outcomes = self._dense()
            frame = facts.with_columns(pattern).select(*keep, *outcomes, *economics)
            return frame.collect()
        return self._decide_sparse(facts, keep, economics)

    def _dense(self) -> tuple[pl.Expr, list[pl.Expr]]:
        """Return the pattern of rules and the outcome columns read by it (built once)."""
        found = self._cache.get("dense")
        if found is None:
            tables = self._tables()
            word = pl.col("__pattern")
            found = (
                self._packed(pl.UInt16).alias("__pattern"),
                [
                    pl.lit(tables.verdicts).gather(word).alias("verdict"),
                    pl.lit(tables.rules).gather(word).alias("rule"),
                    pl.lit(tables.matched).gather(word).alias("matched"),
                    self._dense_role(word).alias("role"),
                ],
            )
            self._cache["dense"] = found
        assert isinstance(found, tuple)
        return found

    def _packed(self, dtype: Any, word: int = 0) -> pl.Expr:
        """Return the rules that applied, rule i (of this word of 64) as bit i.

        Each rule picks its bit or nought (``when``/``then``: one pass over the
        rule's mask, where a cast and a product took two), and the picks are summed.
        """
        nought = pl.lit(0, dtype=dtype)
        parts = [
            pl.when(rule).then(pl.lit(1 << (i % 64), dtype=dtype)).otherwise(nought)
            for i, rule in enumerate(self.rules)
            if i // 64 == word
        ]
        return pl.sum_horizontal(parts) if parts else pl.repeat(pl.lit(0, dtype=dtype), pl.len())

    def _role(self, outsourced: pl.Expr, rule_role: pl.Expr) -> pl.Expr:
        """Return the role a row hands off to: its category's, else the rule's, else the default."""
        names = pl.Series(self._role_names(), dtype=pl.String)
        return pl.lit(names).gather(self._role_number(outsourced, rule_role))

    def _dense_role(self, pattern: pl.Expr) -> pl.Expr:
        """Return the role of each row by one lookup: its category's place, then its pattern.

        The same role as :meth:`_role`, from a table of every pair of the
        category's role (or none) and the pattern of rules, built once.
        """
        table = self._roles_by_category()
        if not self.category_roles:
            return pl.lit(table).gather(pattern)
        categories = pl.Enum(list(self.category_roles))
        where = pl.col("category").cast(categories, strict=False).to_physical().cast(pl.UInt32)
        none = pl.lit(len(self.category_roles), dtype=pl.UInt32)
        patterns = pl.lit(1 << len(self.rules), dtype=pl.UInt32)
        return pl.lit(table).gather(where.fill_null(none) * patterns + pattern.cast(pl.UInt32))

    def _roles_by_category(self) -> pl.Series:
        """Return the role of every (category role or none, pattern) pair, pattern fastest."""
        found = self._cache.get("roles by category")
        if found is None:
            tables = self._tables()
            number = {name: i for i, name in enumerate(self._role_names())}
            slots = [number[r] for r in self.category_roles.values()] + [None]
            outcomes = pl.DataFrame({"out": tables.outsourced, "rule": tables.roles})
            default = pl.lit(number[DEFAULT_ROLE], dtype=pl.UInt32)
            numbers = pl.concat(
                outcomes.select(
                    pl.when("out").then(
                        pl.coalesce(pl.lit(slot, dtype=pl.UInt32), pl.col("rule"), default)
                    )
                ).to_series()
                for slot in slots
            )
            found = pl.Series(self._role_names(), dtype=pl.String).gather(numbers)
            self._cache["roles by category"] = found
        assert isinstance(found, pl.Series)
        return found

    def _role_number(self, outsourced: pl.Expr, rule_role: pl.Expr) -> pl.Expr:
        """Return the number of the role (:meth:`_role_names`), from the rule role's number."""
        number = {name: i for i, name in enumerate(self._role_names())}
        if self.category_roles:
            categories = pl.Enum(list(self.category_roles))
            where = pl.col("category").cast(categories, strict=False).to_physical()
            of_category = [number[r] for r in self.category_roles.values()]
            by_category = pl.lit(pl.Series(of_category, dtype=pl.UInt32)).gather(where)
        else:
            by_category = pl.lit(None, dtype=pl.UInt32)
        default = pl.lit(number[DEFAULT_ROLE], dtype=pl.UInt32)
        return pl.when(outsourced).then(pl.coalesce(by_category, rule_role, default))

    def _role_names(self) -> list[str]:
        """Every role a row may get, in a fixed order: a role's number is its place here."""
        found = self._cache.get("roles")
        if found is None:
            roles = {*self.category_roles.values(), DEFAULT_ROLE}
            roles.update(r for r in self.roles if r is not None)
            found = sorted(roles)
            self._cache["roles"] = found
        assert isinstance(found, list)
        return found

    def _role_numbers(self, rule_roles: list[str | None]) -> pl.Series:
        """Return the numbers of rules' roles (null for none), as :meth:`_role` reads them."""
        number = {name: i for i, name in enumerate(self._role_names())}
        return pl.Series([None if r is None else number[r] for r in rule_roles], dtype=pl.UInt32)

    def _tables(self) -> _Tables:
        """Return the outcome of every pattern of rules (built on first use)."""
        found = self._cache.get("tables")
        if found is None:
            patterns = range(1 << len(self.rules))
            outcomes = [
                self._outcome([i for i in range(len(self.rules)) if p >> i & 1]) for p in patterns
            ]
            verdicts, rules, matched, roles = (
                list(column) for column in zip(*outcomes, strict=True)
            )
            found = _Tables(
                verdicts=pl.Series(verdicts, dtype=pl.String),
                rules=pl.Series(rules, dtype=pl.String),
                matched=pl.Series(matched, dtype=pl.List(pl.String)),
                roles=self._role_numbers(roles),
                outsourced=pl.Series([v == "outsource" for v in verdicts], dtype=pl.Boolean),
            )
            self._cache["tables"] = found
        assert isinstance(found, _Tables)
        return found

    def _outcome(self, applied: list[int]) -> tuple[str, str | None, list[str], str | None]:
        """Return the verdict, rule, matched ids and rule role when rules *applied* apply."""
        first = applied[0] if applied else None
        return (
            self.default_verdict if first is None else self.verdicts[first],
            None if first is None else self.rule_ids[first],
            [self.rule_ids[p] for p in applied],
            None if first is None else self.roles[first],
        )

    def _decide_sparse(
        self, facts: pl.LazyFrame, keep: Sequence[str], economics: list[pl.Expr]
    ) -> pl.DataFrame:
        """Decide with many rules: each distinct pattern of rules resolved once, joined back."""
        words = [f"__rules_{w}" for w in range(max(1, (len(self.rules) + 63) // 64))]
        packed = [self._packed(pl.UInt64, w).alias(word) for w, word in enumerate(words)]
        frame = facts.select(*keep, "category", *economics, *packed).collect()
        patterns = frame.select(words).unique()
        frame = frame.join(self._outcomes(patterns), on=words, how="left", maintain_order="left")
        role = self._role(pl.col("verdict") == "outsource", pl.col("__rule_role"))
        return frame.select(*keep, "verdict", "rule", "matched", role.alias("role"), *ECONOMICS)

    def _outcomes(self, patterns: pl.DataFrame) -> pl.DataFrame:
        """Return the verdict, rule, matched ids and rule role of each pattern of rules."""
        outcomes = [
            self._outcome(
                [w * 64 + bit for w, word in enumerate(row) for bit in range(64) if word >> bit & 1]
            )
            for row in patterns.iter_rows()
        ]
        verdicts, rules, matched, roles = (
            (list(column) for column in zip(*outcomes, strict=True))
            if outcomes
            else ([], [], [], [])
        )
        return patterns.with_columns(
            pl.Series("verdict", verdicts, dtype=pl.String),
            pl.Series("rule", rules, dtype=pl.String),
            pl.Series("matched", matched, dtype=pl.List(pl.String)),
            self._role_numbers(roles).alias("__rule_role"),
        )


@attrs.frozen
class _Tables:
    """The outcome of every pattern of rules, the pattern as index (dense rule sets)."""

    verdicts: pl.Series
    rules: pl.Series
    matched: pl.Series
    roles: pl.Series
    outsourced: pl.Series


def compiled(ruleset: Ruleset) -> CompiledRuleset:
    """Return *ruleset* compiled for the columnar engine, compiling it on first use."""
    found: CompiledRuleset = ruleset.compiled(KEY, CompiledRuleset.build)
    return found
