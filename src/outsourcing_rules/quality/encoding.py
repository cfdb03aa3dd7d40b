"""A ruleset as an SMT formula: the exact meaning of its facts, conditions and decisions.

:class:`Encoding` turns a :class:`~outsourcing_rules.Ruleset` into z3 terms
that mean exactly what the library computes, so a solver can answer
questions about *every* task and owner at once:

* each input fact is a pair of z3 variables, "is known" and its value:
  yes-or-no facts are Booleans, numbers are reals within the bounds of
  :mod:`outsourcing_rules.core.facts`, levels (skill, enjoyment) are
  integers in their order, the category is one of the categories the
  ruleset names or "another one", and each label set (tags, the owner's
  core competencies) is one Boolean per label named;
* derived facts are their definitions, with unknowns flowing through as
  :mod:`outsourcing_rules.core.vocabulary` computes them (the hours of a
  one-off task are its hours each; a ratio is unknown when either rate is);
* a comparison is true when its fact is known and the comparison holds;
  ``all`` and ``any`` are conjunction and disjunction (rule conditions are in
  negation normal form, where this is exactly the three-valued meaning);
* the verdict is the first applying rule's, in decision order, else the
  default.

:meth:`Encoding.example` turns a solver model back into a real
:class:`~outsourcing_rules.Task` and :class:`~outsourcing_rules.Owner`.

The one gap between the two meanings is arithmetic: z3's reals are exact
rationals, while Python computes derived figures in floating point. A proof
is a proof for exact arithmetic; callers check every counterexample by
deciding it with a real engine before they report it.

z3 is imported lazily: it comes with the ``check`` extra
(``pip install "outsourcing-rules[check]"``). :func:`solver_available`
says whether it imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from ..core.conditions import AllOf, AnyOf, Atom, Condition, Not, compared_in
from ..core.facts import (
    MAX_EXACT_INTEGER,
    MAX_HOURS,
    MAX_RATE,
    MAX_TIMES_PER_YEAR,
    MIN_PROVIDER_RATE,
    Owner,
    Task,
    Verdict,
)
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, WEEKS_PER_YEAR, Kind

#: The input facts: the task's and owner's own, with their kind.
_INPUTS: dict[str, Kind] = {
    name: spec.kind for name, spec in FACTS.items() if spec.source in ("task", "owner")
}
_INPUTS["stated_core_competency"] = Kind.BOOL
_INPUTS["core_competencies"] = Kind.LABELS
#: Where each input lives on a Task or Owner, when not the task's field of its name.
_FIELDS: dict[str, tuple[str, str]] = {
    "owner_hourly_rate": ("owner", "hourly_rate"),
    "core_competencies": ("owner", "core_competencies"),
    "stated_core_competency": ("task", "core_competency"),
}
#: Bounds of numeric inputs (exactly as :mod:`outsourcing_rules.core.facts` checks them).
_BOUNDS: dict[str, tuple[float, float]] = {
    "times_per_year": (0, MAX_TIMES_PER_YEAR),
    "hours_each": (0, MAX_HOURS),
    "provider_hourly_rate": (MIN_PROVIDER_RATE, MAX_RATE),
    "owner_hourly_rate": (0, MAX_RATE),
}
_CODES = {verdict: index for index, verdict in enumerate(Verdict)}


class Unsupported(Exception):
    """The ruleset uses something the encoder does not translate; nothing is concluded."""


def solver_available() -> bool:
    """Return whether z3 (the ``check`` extra) imports here."""
    try:
        importlib.import_module("z3")
    except ImportError:
        return False
    return True


def _z3() -> Any:
    return importlib.import_module("z3")


def exact(value: float) -> Fraction:
    """Return the exact rational value of an int or float."""
    return Fraction(value)


class _World:
    """One task and owner as z3 variables: known flags, values and derived facts."""

    def __init__(
        self, enc: Encoding, suffix: str, shared: _World | None, fresh: Iterable[str]
    ) -> None:
        z3, ctx = enc.z3, enc.ctx
        self.enc = enc
        self.known: dict[str, Any] = {}
        self.value: dict[str, Any] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.truths: dict[int, tuple[Condition, Any]] = {}
        renewed = set(fresh)
        for name, kind in _INPUTS.items():
            if shared is not None and name not in renewed:
                self.known[name] = shared.known[name]
                self.value[name] = shared.value[name]
                if name in shared.members:
                    self.members[name] = shared.members[name]
                continue
            tag = f"{name}{suffix}"
            self.known[name] = z3.Bool(f"known_{tag}", ctx)
            self.value[name] = None
            if kind is Kind.BOOL:
                self.value[name] = z3.Bool(tag, ctx)
            elif kind is Kind.NUMBER:
                self.value[name] = z3.Real(tag, ctx)
            elif kind is Kind.LABELS:  # one Boolean per label named
                self.members[name] = {
                    label: z3.Bool(f"{tag}[{i}]", ctx)
                    for i, label in enumerate(enc.labels.get(name, ()))
                }
            else:  # levels and the category: an integer
                self.value[name] = z3.Int(tag, ctx)
        self._derive()

    # -- derived facts, as core/vocabulary computes them --

    def _derive(self) -> None:
        z3 = self.enc.z3
        k, v = self.known, self.value
        one_off = z3.And(k["one_off"], v["one_off"])
        k["recurring"] = z3.Or(k["one_off"], k["times_per_year"])
        v["recurring"] = z3.If(k["one_off"], z3.Not(v["one_off"]), True)
        k["hours_per_year"] = z3.And(k["hours_each"], z3.Or(one_off, k["times_per_year"]))
        v["hours_per_year"] = z3.If(one_off, v["hours_each"], v["times_per_year"] * v["hours_each"])
        k["hours_per_week"] = k["hours_per_year"]
        v["hours_per_week"] = v["hours_per_year"] / WEEKS_PER_YEAR
        for cost, rate in (
            ("owner_cost_per_year", "owner_hourly_rate"),
            ("provider_cost_per_year", "provider_hourly_rate"),
        ):
            k[cost] = z3.And(k["hours_per_year"], k[rate])
            v[cost] = v["hours_per_year"] * v[rate]
        k["saving_per_year"] = z3.And(k["owner_cost_per_year"], k["provider_cost_per_year"])
        v["saving_per_year"] = v["owner_cost_per_year"] - v["provider_cost_per_year"]
        k["saving_per_week"] = k["saving_per_year"]
        v["saving_per_week"] = v["saving_per_year"] / WEEKS_PER_YEAR
        k["rate_ratio"] = z3.And(k["owner_hourly_rate"], k["provider_hourly_rate"])
        v["rate_ratio"] = v["owner_hourly_rate"] / v["provider_hourly_rate"]
        # Whether a fact is known is itself a fact that is always known.
        for name, source in (
            ("hours_known", "hours_per_year"),
            ("enjoyment_known", "enjoyment"),
            ("rates_known", "rate_ratio"),
        ):
            k[name] = self.enc.true
            v[name] = k[source]
        stated = k["stated_core_competency"]
        stated_true = z3.And(stated, v["stated_core_competency"])
        both = z3.And(k["category"], k["core_competencies"])
        member = z3.Or(
            self.enc.false,
            *(
                z3.And(v["category"] == i, has)
                for i, has in enumerate(self.members["core_competencies"].values())
            ),
        )
        k["core_competency"] = z3.Or(stated, both)
        v["core_competency"] = z3.Or(stated_true, z3.And(both, member))

    def constraints(self) -> list[Any]:
        """Return what every real task and owner satisfy: bounds, one-off rules, labels."""
        z3 = self.enc.z3
        out = []
        for name, (low, high) in _BOUNDS.items():
            value = self.value[name]
            low_q, high_q = _rational(z3, low, self.enc.ctx), _rational(z3, high, self.enc.ctx)
            out.append(z3.Implies(self.known[name], z3.And(value >= low_q, value <= high_q)))
        for name, kind in _INPUTS.items():
            levels = kind.levels
            if levels is not None:
                out.append(z3.And(self.value[name] >= 0, self.value[name] < len(levels)))
        out.append(
            z3.And(self.value["category"] >= 0, self.value["category"] < len(self.enc.categories))
        )
        out.append(
            z3.Implies(
                z3.And(self.known["one_off"], self.value["one_off"], self.known["times_per_year"]),
                self.value["times_per_year"] == 1,
            )
        )
        # A label is never blank text, so a blank category is nobody's competency.
        for members in self.members.values():
            out.extend(z3.Not(has) for label, has in members.items() if not label.strip())
        return out

    def fact(self, name: str) -> tuple[Any, Any]:
        return self.known[name], self.value.get(name)


def _rational(z3: Any, number: float, ctx: Any) -> Any:
    """Return *number* as an exact z3 rational."""
    q = exact(number)
    return z3.RealVal(f"{q.numerator}/{q.denominator}", ctx)


class Encoding:
    """A ruleset in z3 terms, built once, queried many times.

    ``world()`` makes a task-and-owner's variables (more than one for
    questions about a change of one fact), ``truth(condition, world)`` the
    term "*condition* is true", ``applies``/``verdict_is`` the decision.
    Raises :class:`Unsupported` for a condition it cannot translate and
    :class:`ImportError` when z3 is not installed.
    """

    def __init__(self, ruleset: Ruleset, extra: Iterable[Condition] = ()) -> None:
        self.z3 = _z3()
        self.ctx = self.z3.Context()
        self.ruleset = ruleset
        self.false = self.z3.BoolVal(False, self.ctx)
        self.true = self.z3.BoolVal(True, self.ctx)
        conditions = [r.condition for r in ruleset.rules] + list(extra)
        categories: dict[str, None] = {}
        labels: dict[str, dict[str, None]] = {}
        for fact, values in compared_in(conditions).items():
            kind = FACTS[fact].kind if fact in FACTS else None
            if kind is Kind.TEXT:
                if fact != "category":
                    raise Unsupported(f"text fact {fact!r} is not encoded")
                categories.update(dict.fromkeys(values))
            elif kind is Kind.LABELS:
                labels.setdefault(fact, {}).update(dict.fromkeys(values))
        self.other = _fresh("another category", categories)
        #: The categories the solver can choose: each one named, then "another".
        self.categories: list[str] = [*categories, self.other]
        self.labels = {name: list(found) for name, found in labels.items()}
        self.labels["core_competencies"] = self.categories

    def world(
        self, suffix: str = "", *, shared: _World | None = None, fresh: Iterable[str] = ()
    ) -> _World:
        """Return new variables for a task and owner (sharing all but *fresh* with *shared*)."""
        return _World(self, suffix, shared, fresh)

    # -- conditions --

    def truth(self, condition: Condition, world: _World) -> Any:
        """Return the z3 term "*condition* (in negation normal form) is true"."""
        found = world.truths.get(id(condition))
        if found is not None:
            return found[1]
        z3 = self.z3
        if isinstance(condition, Atom):
            term = self._atom(condition, world)
        elif isinstance(condition, AllOf):
            term = z3.And(self.true, *(self.truth(p, world) for p in condition.parts))
        elif isinstance(condition, AnyOf):
            term = z3.Or(self.false, *(self.truth(p, world) for p in condition.parts))
        elif isinstance(condition, Not):
            raise Unsupported("a condition not in negation normal form")
        else:
            raise Unsupported(f"condition {condition!r}")
        world.truths[id(condition)] = (condition, term)  # holds the condition: ids stay unique
        return term

    def _atom(self, atom: Atom, world: _World) -> Any:
        z3 = self.z3
        spec = FACTS.get(atom.fact)
        if spec is None:
            raise Unsupported(f"fact {atom.fact!r}")
        known, value = world.fact(atom.fact)
        kind, op = spec.kind, atom.op
        if kind is Kind.LABELS:
            members = world.members[atom.fact]
            hit = z3.Or(self.false, *(members[label] for label in sorted(atom.value)))
            if op == "in":
                return z3.And(known, hit)
            if op == "not_in":
                return z3.And(known, z3.Not(hit))
            raise Unsupported(f"operator {op!r} on labels")
        if op in ("in", "not_in"):
            hit = z3.Or(
                self.false, *(value == self._constant(kind, v) for v in sorted(atom.value, key=str))
            )
            return z3.And(known, hit if op == "in" else z3.Not(hit))
        if kind in (Kind.BOOL, Kind.TEXT) and op not in ("eq", "ne"):
            raise Unsupported(f"operator {op!r} on {atom.fact}")
        constant = self._constant(kind, atom.value)
        compare = {
            "eq": lambda a, b: a == b,
            "ne": lambda a, b: a != b,
            "lt": lambda a, b: a < b,
            "le": lambda a, b: a <= b,
            "gt": lambda a, b: a > b,
            "ge": lambda a, b: a >= b,
        }.get(op)
        if compare is None:
            raise Unsupported(f"operator {op!r}")
        return z3.And(known, compare(value, constant))

    def _constant(self, kind: Kind, value: Any) -> Any:
        z3 = self.z3
        if kind is Kind.BOOL:
            if not isinstance(value, bool):
                raise Unsupported(f"yes-or-no value {value!r}")
            return z3.BoolVal(value, self.ctx)
        if kind is Kind.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Unsupported(f"number {value!r}")
            return _rational(z3, value, self.ctx)
        if kind.levels is not None:
            return z3.IntVal(int(value), self.ctx)
        if kind is Kind.TEXT:
            return z3.IntVal(self.categories.index(value), self.ctx)
        raise Unsupported(f"value {value!r}")

    # -- decisions --

    def applies(self, world: _World) -> list[Any]:
        """Return, for each rule in decision order, the term "it applies"."""
        return [self.truth(rule.condition, world) for rule in self.ruleset.rules]

    def verdict(self, world: _World, applies: list[Any] | None = None) -> Any:
        """Return the verdict as an integer term (its index in :class:`Verdict`)."""
        z3 = self.z3
        applies = self.applies(world) if applies is None else applies
        term = z3.IntVal(_CODES[self.ruleset.default_verdict], self.ctx)
        for rule, applied in zip(reversed(self.ruleset.rules), reversed(applies), strict=True):
            term = z3.If(applied, z3.IntVal(_CODES[rule.verdict], self.ctx), term)
        return term

    def code(self, verdict: Verdict) -> Any:
        """Return the integer term of *verdict*."""
        return self.z3.IntVal(_CODES[verdict], self.ctx)

    def solver(self, timeout_ms: int) -> Any:
        """Return a new solver with a time budget."""
        solver = self.z3.Solver(ctx=self.ctx)
        solver.set("timeout", max(1, int(timeout_ms)))
        return solver

    # -- back to tasks --

    def example(self, model: Any, world: _World) -> tuple[Task, Owner | None]:
        """Return the task and owner a model describes (``FactError`` if it is not valid)."""
        z3 = self.z3
        task: dict[str, Any] = {"name": "counterexample"}
        owner: dict[str, Any] = {}

        def known(name: str) -> bool:
            return bool(z3.is_true(model.eval(world.known[name], model_completion=True)))

        for name, kind in _INPUTS.items():
            if not known(name):
                continue
            holder, field = _FIELDS.get(name, ("task", name))
            target = owner if holder == "owner" else task
            term = world.value[name]
            if kind is Kind.LABELS:
                target[field] = frozenset(
                    label
                    for label, has in world.members[name].items()
                    if z3.is_true(model.eval(has, model_completion=True))
                )
                continue
            found = model.eval(term, model_completion=True)
            if kind is Kind.BOOL:
                target[field] = bool(z3.is_true(found))
            elif kind is Kind.NUMBER:
                target[field] = _number(z3, found)
            elif kind.levels is not None:
                target[field] = kind.levels(found.as_long())
            else:
                target[field] = self.categories[found.as_long()]
        return Task(**task), (Owner(**owner) if owner else None)


def _number(z3: Any, term: Any) -> float:
    if z3.is_rational_value(term):
        q = Fraction(term.numerator_as_long(), term.denominator_as_long())
    else:  # an algebraic number: the nearest rational the solver gives
        q = Fraction(term.approx(20).as_fraction())
    if q.denominator == 1 and abs(q.numerator) <= MAX_EXACT_INTEGER:
        return int(q.numerator)
    return float(q)


def _fresh(base: str, taken: Mapping[str, Any] | Iterable[str]) -> str:
    names = set(taken)
    candidate, n = base, 1
    while candidate in names:
        n += 1
        candidate = f"{base} {n}"
    return candidate
