"""Reasoning about conditions without tasks: can a rule ever apply, does another always win.

A rule applies when its condition is *true*; a comparison on an unknown fact
is never true (see :mod:`outsourcing_rules.core.conditions`). So a condition in
negation normal form, written out as a disjunction of conjunctions of
comparisons (its DNF), can apply exactly when one conjunction can: when
every fact it compares can take one value meeting all its comparisons.
"Rule *a* does not apply" is the same shape with each comparison read as
"not true": the fact is unknown or the opposite comparison holds.

The reasoning is exact for each fact on its own: booleans and levels by
trying every value; text by trying every value mentioned and one that is
not; numbers by trying every constant mentioned and a value (int or float)
inside every gap between them, within the bounds a fact can take (hours and
rates are never negative, see :mod:`outsourcing_rules.core.facts`); labels by
asking whether each "has one of" list keeps a label no "has none of" list
excludes. Facts are treated as independent of one another, which is
looser than the truth (``one_off`` and ``recurring`` are linked): so
"never applies" and "never decides" are never claimed wrongly, though a
contradiction spread over two linked facts goes unnoticed.

DNF can grow exponentially; products are pruned as they are built and give
up past :data:`MAX_CONJUNCTS`, raising :class:`TooComplex`.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ..core.conditions import AllOf, Atom, Condition, Not, render_value
from ..core.facts import MAX_EXACT_INTEGER
from ..core.vocabulary import BOUNDS, FACTS, Kind

#: Largest DNF (number of conjunctions) built before giving up.
MAX_CONJUNCTS = 4096
#: Steps the search for a task that escapes every earlier rule may take.
SEARCH_BUDGET = 200_000


class TooComplex(Exception):
    """A condition's DNF would exceed :data:`MAX_CONJUNCTS`; nothing is concluded."""


class Literal(NamedTuple):
    """A comparison that must be true (``positive``) or must not be true."""

    atom: Atom
    positive: bool

    def describe(self) -> str:
        """Say the literal in words."""
        text = self.atom.describe()
        return text if self.positive else f"not ({text})"


Conjunct = tuple[Literal, ...]


# --- DNF ----------------------------------------------------------------------------


def conjuncts(
    condition: Condition, *, applies: bool = True, cap: int = MAX_CONJUNCTS
) -> list[Conjunct]:
    """Return the satisfiable conjunctions of the DNF of "*condition* applies".

    With ``applies=False``, of "*condition* does not apply" (false or
    unknown). *condition* must be in negation normal form (as
    :attr:`Rule.condition <outsourcing_rules.core.rules.Rule.condition>` is).
    An empty list means it can never hold. Raises :class:`TooComplex` past *cap*.
    """
    return _dnf(condition, applies, cap)


def _dnf(condition: Condition, positive: bool, cap: int) -> list[Conjunct]:
    if isinstance(condition, Atom):
        literal = Literal(condition, positive)
        return [(literal,)] if satisfiable((literal,)) else []
    if isinstance(condition, Not):
        raise TypeError("conjuncts() needs a condition in negation normal form")
    parts = [_dnf(part, positive, cap) for part in condition.parts]
    if isinstance(condition, AllOf) != positive:  # a disjunction (De Morgan when negated)
        union = list(dict.fromkeys(c for part in parts for c in part))
        if len(union) > cap:
            raise TooComplex
        return union
    return product([[()], *parts], cap)


def product(factors: Iterable[Sequence[Conjunct]], cap: int = MAX_CONJUNCTS) -> list[Conjunct]:
    """Conjoin DNFs: every satisfiable combination of one conjunction from each."""
    result: list[Conjunct] = [()]
    for factor in factors:
        combined: dict[Conjunct, None] = {}
        for left in result:
            for right in factor:
                joined = tuple(dict.fromkeys((*left, *right)))
                if satisfiable(joined):
                    combined[joined] = None
                    if len(combined) > cap:
                        raise TooComplex
        result = list(combined)
        if not result:
            break
    return result


def can_apply(condition: Condition, cap: int = MAX_CONJUNCTS) -> bool:
    """Return whether some task could make *condition* (in negation normal form) true."""
    return bool(conjuncts(condition, cap=cap))


def covering_rules(
    condition: Condition,
    others: Sequence[tuple[str, Condition]],
    cap: int = MAX_CONJUNCTS,
    budget: int = SEARCH_BUDGET,
) -> list[str] | None:
    """Return ids of *others* of which one applies whenever *condition* does, or ``None``.

    *others* are ``(rule id, condition)`` pairs in negation normal form. The
    ids returned are a smallest-by-deletion set that covers *condition*;
    ``None`` means some task meets *condition* and none of them. An empty
    list means *condition* itself can never hold.

    "None of them applies" is, for each conjunction of each other rule's
    DNF, "one of its comparisons is not true"; the search looks for one such
    comparison per conjunction consistent with a conjunction of
    *condition*, backtracking, and raises :class:`TooComplex` after
    *budget* steps.
    """
    mine = _cached_conjuncts(condition, cap)
    if not mine:
        return []
    overlapping: list[tuple[str, list[Conjunct]]] = []
    for rule_id, other in others:
        clauses = _cached_conjuncts(other, cap)
        if any(satisfiable((*b, *a)) for a in clauses for b in mine):
            overlapping.append((rule_id, clauses))
    steps = [budget]

    def covered(chosen: Sequence[tuple[str, Sequence[Conjunct]]]) -> bool:
        clauses = [clause for _, rule_clauses in chosen for clause in rule_clauses]
        return not any(_escapes(b, clauses, steps) for b in mine)

    if not covered(overlapping):
        return None
    for pair in overlapping:  # most often one rule alone covers it
        if covered([pair]):
            return [pair[0]]
    needed = list(overlapping)
    for pair in list(needed):
        trial = [p for p in needed if p is not pair]
        if covered(trial):
            needed = trial
    return [rule_id for rule_id, _ in needed]


@functools.lru_cache(maxsize=4096)
def _cached_conjuncts(condition: Condition, cap: int) -> list[Conjunct]:
    return conjuncts(condition, cap=cap)


def _escapes(mine: Conjunct, clauses: Sequence[Conjunct], steps: list[int]) -> bool:
    """Whether *mine* can hold while every conjunction in *clauses* fails.

    A conjunction fails when one of its comparisons is not true. A
    comparison on a fact *mine* does not need known can fail by leaving that
    fact unknown, so only conjunctions entirely on *mine*'s facts need a
    choice; each choice adds "this comparison is false" to the fact it is on.
    """
    needed = {lit.atom.fact for lit in mine if lit.positive}
    hard = sorted((c for c in clauses if all(lit.atom.fact in needed for lit in c)), key=len)
    state: dict[str, tuple[Literal, ...]] = {}
    for lit in mine:
        state[lit.atom.fact] = (*state.get(lit.atom.fact, ()), lit)

    def search(index: int) -> bool:
        if index == len(hard):
            return True
        steps[0] -= 1
        if steps[0] < 0:
            raise TooComplex
        for lit in hard[index]:
            fact = lit.atom.fact
            failing = Literal(lit.atom, False)
            before = state[fact]
            if failing in before:
                return search(index + 1)
            after = (*before, failing)
            if _fact_satisfiable(fact, frozenset(after)):
                state[fact] = after
                if search(index + 1):
                    return True
                state[fact] = before
        return False

    return search(0)


# --- one conjunction, fact by fact -----------------------------------------------------


def satisfiable(conjunct: Iterable[Literal]) -> bool:
    """Return whether some values of the facts make every literal of *conjunct* hold."""
    by_fact: dict[str, set[Literal]] = {}
    for literal in conjunct:
        by_fact.setdefault(literal.atom.fact, set()).add(literal)
    return all(_fact_satisfiable(fact, frozenset(literals)) for fact, literals in by_fact.items())


def contradiction(conjunct: Sequence[Literal]) -> Conjunct:
    """Return a smallest-by-deletion unsatisfiable part of an unsatisfiable *conjunct*."""
    core = list(conjunct)
    for literal in list(core):
        trial = [other for other in core if other is not literal]
        if not satisfiable(trial):
            core = trial
    return tuple(core)


def explain_contradiction(core: Sequence[Literal]) -> str:
    """Say why the literals of *core* cannot all hold, in words."""
    if len(core) == 1:
        literal = core[0]
        bounds = BOUNDS.get(literal.atom.fact)
        reason = literal.describe() + " never holds"
        if bounds is not None:
            low, high = (render_value(b) for b in bounds)
            reason += f" ({literal.atom.fact} is always between {low} and {high})"
        return reason
    joined = " and ".join(literal.describe() for literal in core)
    return f"{joined} cannot all hold"


@functools.lru_cache(maxsize=65_536)
def _fact_satisfiable(fact: str, literals: frozenset[Literal]) -> bool:
    must = [lit.atom for lit in literals if lit.positive]
    if not must:
        return True  # the fact can be unknown, which makes every literal "not true"
    atoms = must + [lit.atom.negated() for lit in literals if not lit.positive]
    kind = FACTS[fact].kind
    if kind is Kind.LABELS:
        return _labels_satisfiable(atoms)
    return any(all(atom.test(value) for atom in atoms) for value in _candidates(fact, kind, atoms))


def _labels_satisfiable(atoms: Sequence[Atom]) -> bool:
    excluded: set[Any] = set()
    for atom in atoms:
        if atom.op == "not_in":
            excluded.update(atom.value)
    return all(set(atom.value) - excluded for atom in atoms if atom.op == "in")


def _mentioned(atoms: Sequence[Atom]) -> set[Any]:
    found: set[Any] = set()
    for atom in atoms:
        if isinstance(atom.value, frozenset):
            found.update(atom.value)
        else:
            found.add(atom.value)
    return found


def _candidates(fact: str, kind: Kind, atoms: Sequence[Atom]) -> list[Any]:
    """Values of *fact* such that every way of meeting *atoms* is met by one of them."""
    if kind is Kind.BOOL:
        return [True, False]
    levels = kind.levels
    if levels is not None:
        return list(levels)
    mentioned = _mentioned(atoms)
    if kind is Kind.TEXT:
        fresh = "\x00unmentioned"
        while fresh in mentioned:
            fresh += "\x00"
        return [*mentioned, fresh]
    low, high = BOUNDS.get(fact, (-math.inf, math.inf))
    points = sorted({low, high, *(v for v in mentioned if low <= v <= high)})
    values = [p for p in points if math.isfinite(p)]
    for a, b in itertools.pairwise(points):
        inside = _between(a, b)
        if inside is not None:
            values.append(inside)
    return values


def _between(a: float, b: float) -> float | None:
    """Return an int or float strictly between *a* and *b*, or ``None`` if there is none."""
    if a == -math.inf:
        return math.nextafter(float(b), -math.inf) if b != -math.inf else None
    if b == math.inf:
        return math.nextafter(float(a), math.inf)
    tries: list[float] = [
        float(a),
        math.nextafter(float(a), math.inf),
        math.floor(a) + 1,
        float(b),
        math.nextafter(float(b), -math.inf),
        math.ceil(b) - 1,
    ]
    for value in tries:
        # No fact holds an integer past 2**53: such figures are floats.
        if type(value) is int and abs(value) > MAX_EXACT_INTEGER:
            continue
        if a < value < b:
            return value
    return None
