"""The condition tree of a rule, and its three-valued logic.

A condition is a tree of :class:`Atom` (one fact compared with one value),
:class:`AllOf`, :class:`AnyOf` and :class:`Not`. Loading builds it, already
validated and with parameters resolved; engines compile it; explanations read
it.

Unknown facts follow Kleene's three-valued logic: a comparison with an unknown
fact is *unknown*; ``all`` is true only when every part is true, ``any`` when
some part is; ``not`` turns true into false and leaves unknown unknown. A rule
applies only when its condition is *true*. :func:`negation_normal_form`
pushes every ``not`` down onto the comparisons (``not skill <= basic`` is
``skill > basic``), which keeps this meaning exactly and is the form both
engines evaluate: in it, a condition is true exactly when it is true with
every comparison on an unknown fact taken as false.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeAlias

import attrs

from .text import plain, printable
from .vocabulary import FACTS, OPERATORS, Kind

_NEGATED = {
    "eq": "ne",
    "ne": "eq",
    "lt": "ge",
    "ge": "lt",
    "le": "gt",
    "gt": "le",
    "in": "not_in",
    "not_in": "in",
}


@attrs.frozen
class Atom:
    """One comparison: ``fact op value``.

    ``value`` is already resolved and typed (a level, a number, text, a
    boolean, or a frozenset for ``in``/``not_in``). ``parameter`` names the
    ``$parameter`` it came from, if any; ``key`` is where it was written.
    """

    fact: str
    op: str
    value: Any
    parameter: str | None = attrs.field(default=None, eq=False)
    key: str = attrs.field(default="", eq=False)

    def negated(self) -> Atom:
        """Return the comparison that is true exactly when this one is false."""
        return attrs.evolve(self, op=_NEGATED[self.op])

    def test(self, actual: Any) -> bool | None:
        """Compare a fact value with this atom: ``None`` when the fact is unknown."""
        if actual is None:
            return None
        op, value = self.op, self.value
        if FACTS[self.fact].kind is Kind.LABELS:
            hit = not actual.isdisjoint(value)
            return hit if op == "in" else not hit
        if op == "eq":
            return bool(actual == value)
        if op == "ne":
            return bool(actual != value)
        if op == "lt":
            return bool(actual < value)
        if op == "le":
            return bool(actual <= value)
        if op == "gt":
            return bool(actual > value)
        if op == "ge":
            return bool(actual >= value)
        if op == "in":
            return actual in value
        return actual not in value

    def describe(self) -> str:
        """Say the comparison in words: ``skill at most basic``."""
        return f"{self.fact} {OPERATORS[self.op]} {render_value(self.value)}"


@attrs.frozen
class AllOf:
    """True when every part is true."""

    parts: tuple[Condition, ...]


@attrs.frozen
class AnyOf:
    """True when at least one part is true."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Not:
    """True when its part is false (unknown stays unknown)."""

    part: Condition


Condition: TypeAlias = Atom | AllOf | AnyOf | Not


def render_value(value: Any) -> str:
    """Render a condition or fact value as a person would write it."""
    if isinstance(value, frozenset | set | list | tuple):
        return "[" + ", ".join(render_value(v) for v in sorted(value, key=str)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "unknown"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        shown = f"{value:.2f}".rstrip("0").rstrip(".")  # never "1." for 1.004
        if shown in ("0", "-0"):  # too small for two decimals: its first figures
            shown = f"{value:.2g}"
        return shown
    return printable(str(value))  # a text from a file never drives a terminal


@attrs.frozen
class Check:
    """One condition a rule checked, with the value of the fact it saw.

    A decision's matches hold them; why-not builds them for the rules that
    did not apply. (Defined here, with the conditions, so that both can.)
    """

    fact: str
    op: str
    expected: Any
    actual: Any
    parameter: str | None = None

    def describe(self) -> str:
        """Say the check in words: ``skill at most basic (it is none)``."""
        source = f" (${self.parameter})" if self.parameter else ""
        return (
            f"{self.fact} {OPERATORS[self.op]} {render_value(self.expected)}{source}: "
            f"it is {render_value(self.actual)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the check as JSON-serialisable data."""
        data = {
            "fact": self.fact,
            "op": self.op,
            "expected": plain(self.expected),
            "actual": plain(self.actual),
        }
        if self.parameter:
            data["parameter"] = self.parameter
        return data


def describe_condition(condition: Condition) -> str:
    """Say a condition in words: ``(skill at most basic or repetitive equal to true)``."""
    if isinstance(condition, Atom):
        return condition.describe()
    if isinstance(condition, Not):
        return f"not ({describe_condition(condition.part)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    text = joiner.join(describe_condition(p) for p in condition.parts)
    return text if len(condition.parts) == 1 else f"({text})"


def negation_normal_form(condition: Condition, negate: bool = False) -> Condition:
    """Return an equivalent condition with no :class:`Not` left in it."""
    if isinstance(condition, Atom):
        return condition.negated() if negate else condition
    if isinstance(condition, Not):
        return negation_normal_form(condition.part, not negate)
    parts = tuple(negation_normal_form(p, negate) for p in condition.parts)
    flip = isinstance(condition, AllOf) == negate  # De Morgan
    return AnyOf(parts) if flip else AllOf(parts)


def _kleene(is_all: bool, results: list[bool | None]) -> bool | None:
    """Combine the parts of ``all`` or ``any`` in Kleene's logic (the one statement of it).

    ``all`` is false when a part is false, ``any`` true when a part is true;
    otherwise a part that is unknown makes the whole unknown.
    """
    decisive = not is_all
    if decisive in results:
        return decisive
    return None if None in results else not decisive


@attrs.frozen
class Traced:
    """A condition evaluated on fact values, with the outcome of every part.

    The one three-valued evaluation of the library: :func:`evaluate`,
    :func:`witness`, why-not (:meth:`blockers`) and rule coverage
    (:meth:`outcomes`) all read this trace, and both engines are tested
    equal to it. ``result`` is ``True``, ``False`` or ``None`` (unknown).
    """

    condition: Condition
    result: bool | None
    parts: tuple[Traced, ...] = ()

    def outcomes(self) -> Iterator[tuple[Atom, bool | None]]:
        """Yield every comparison with its outcome, in the order written."""
        if isinstance(self.condition, Atom):
            yield self.condition, self.result
        for part in self.parts:
            yield from part.outcomes()

    def witness(self) -> list[Atom] | None:
        """Return the comparisons that make a negation-normal condition true, else ``None``.

        For ``all`` that is every part's witness, for ``any`` the first true
        part's. Every returned atom holds on the values traced.
        """
        if self.result is not True:
            return None
        if isinstance(self.condition, Atom):
            return [self.condition]
        if isinstance(self.condition, Not):
            raise TypeError("witness() needs a condition in negation normal form")
        if isinstance(self.condition, AnyOf):
            first = next(p for p in self.parts if p.result is True)
            return first.witness()
        found: list[Atom] = []
        for part in self.parts:
            found.extend(part.witness() or ())
        return found

    def blockers(self) -> tuple[list[Atom], list[str]]:
        """Return what keeps a negation-normal condition from being true.

        The comparisons found false, and the facts found unknown, on every
        branch that is not true (both empty when the condition is true).
        """
        failed: list[Atom] = []
        missing: list[str] = []
        self._collect(failed, missing)
        return failed, missing

    def _collect(self, failed: list[Atom], missing: list[str]) -> None:
        if self.result is True:
            return
        condition = self.condition
        if isinstance(condition, Atom):
            if self.result is None:
                missing.append(condition.fact)
            else:
                failed.append(condition)
            return
        if isinstance(condition, Not):
            raise TypeError("blockers() needs a condition in negation normal form")
        for part in self.parts:
            part._collect(failed, missing)


def trace(condition: Condition, values: Mapping[str, Any]) -> Traced:
    """Evaluate *condition* on fact *values*, keeping the outcome of every part."""
    if isinstance(condition, Atom):
        return Traced(condition, condition.test(values.get(condition.fact)))
    if isinstance(condition, Not):
        inner = trace(condition.part, values)
        return Traced(condition, None if inner.result is None else not inner.result, (inner,))
    parts = tuple(trace(p, values) for p in condition.parts)
    result = _kleene(isinstance(condition, AllOf), [p.result for p in parts])
    return Traced(condition, result, parts)


def evaluate(condition: Condition, values: Mapping[str, Any]) -> bool | None:
    """Evaluate *condition* on fact *values*: ``True``, ``False`` or ``None`` (unknown)."""
    return trace(condition, values).result


def witness(condition: Condition, values: Mapping[str, Any]) -> list[Atom] | None:
    """Return the comparisons that make a negation-normal *condition* true (see :class:`Traced`)."""
    return trace(condition, values).witness()


def atoms(condition: Condition) -> Iterator[Atom]:
    """Yield every comparison in *condition*, in the order written."""
    if isinstance(condition, Atom):
        yield condition
    elif isinstance(condition, Not):
        yield from atoms(condition.part)
    else:
        for part in condition.parts:
            yield from atoms(part)


def compared_in(conditions: Iterable[Condition]) -> dict[str, list[Any]]:
    """Return every value each fact is compared with in *conditions*, in the order met.

    The one collection of the constants of rules (and invariants): samplers
    and strategies aim at them, the solver names them. An ``in``/``not_in``
    list gives each of its values, sorted, so the order never depends on
    how a set happens to hash (and a seeded sampler is the same run to run).
    """
    found: dict[str, dict[Any, None]] = {}
    for condition in conditions:
        for atom in atoms(condition):
            values = (
                sorted(atom.value, key=lambda v: (type(v).__name__, v))
                if isinstance(atom.value, frozenset)
                else [atom.value]
            )
            found.setdefault(atom.fact, {}).update(dict.fromkeys(values))
    return {fact: list(values) for fact, values in found.items()}


def to_data(condition: Condition) -> Any:
    """Return *condition* as ruleset-file data (parameters written back as ``$name``)."""
    if isinstance(condition, Atom):
        value: Any = (
            "$" + condition.parameter if condition.parameter is not None else plain(condition.value)
        )
        if condition.parameter is None and isinstance(value, str) and value.startswith("$"):
            value = "$" + value  # a literal dollar is written $$, or it would read as a parameter
        if condition.op == "eq":
            return {condition.fact: value}
        return {condition.fact: {condition.op: value}}
    if isinstance(condition, Not):
        return {"not": to_data(condition.part)}
    key = "all" if isinstance(condition, AllOf) else "any"
    return {key: [to_data(p) for p in condition.parts]}
