"""A ruleset as the what-if search reads it: comparisons by input, and ways to flip rules.

A rule's condition in negation normal form, multiplied out, is a list of
*terms*: sets of comparisons that together make it true. The negated
condition gives the terms that make it stop applying. A change of several
facts is looked for by taking a term and giving each of its comparisons that
does not hold yet a fact to change (:func:`assignments`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from outsourcing_rules.core.conditions import (
    AllOf,
    AnyOf,
    Atom,
    Condition,
    atoms,
    negation_normal_form,
)
from outsourcing_rules.core.rules import Ruleset
from outsourcing_rules.core.vocabulary import fact_reader

from ._inputs import INPUTS, fixers

#: Most ways to make one rule apply (or stop applying) that a search looks at.
MAX_TERMS = 64


def dnf(condition: Condition) -> list[frozenset[Atom]]:
    """Return the ways to make a negation-normal *condition* true: sets of comparisons."""
    if isinstance(condition, Atom):
        return [frozenset({condition})]
    if isinstance(condition, AnyOf):
        found: list[frozenset[Atom]] = []
        for part in condition.parts:
            found.extend(dnf(part))
        return list(dict.fromkeys(found))[:MAX_TERMS]
    assert isinstance(condition, AllOf)
    terms: list[frozenset[Atom]] = [frozenset()]
    for part in condition.parts:
        options = dnf(part)
        terms = list(dict.fromkeys(t | o for t in terms for o in options))[:MAX_TERMS]
    return terms


class Analysis:
    """A ruleset as the search reads it: its comparisons by input, and how to make rules flip."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.atoms = tuple(
            dict.fromkeys(a for rule in ruleset.rules for a in atoms(rule.condition))
        )
        by_input: dict[str, list[Atom]] = {}
        for atom in self.atoms:
            for name in fixers(atom.fact):
                by_input.setdefault(name, []).append(atom)
        self.by_input = {name: tuple(found) for name, found in by_input.items()}
        self.relevant = tuple(name for name in INPUTS if name in by_input)
        self.true_terms = [dnf(rule.condition) for rule in ruleset.rules]
        self.false_terms = [
            dnf(negation_normal_form(rule.condition, negate=True)) for rule in ruleset.rules
        ]
        self.tested = tuple(dict.fromkeys(atom.fact for atom in self.atoms))
        self.read = fact_reader(self.tested)


def analysis_of(ruleset: Ruleset) -> Analysis:
    found: Analysis = ruleset.compiled("what-if search, the test oracle", Analysis)
    return found


def combine(
    own: Sequence[frozenset[Atom]], blockers: Sequence[Sequence[frozenset[Atom]]]
) -> Iterator[frozenset[Atom]]:
    """Every union of one of *own*'s terms with one term per blocker (capped)."""
    terms = list(own)
    for options in blockers:
        terms = list(dict.fromkeys(t | o for t in terms for o in options))[:MAX_TERMS]
    return iter(terms)


def assignments(
    needed: Sequence[Atom], allowed: set[str], most: int
) -> Iterator[dict[str, list[Atom]]]:
    """Ways to give each comparison in *needed* a fact to change, with at most *most* facts."""

    def walk(index: int, plan: dict[str, list[Atom]]) -> Iterator[dict[str, list[Atom]]]:
        if index == len(needed):
            yield plan
            return
        atom = needed[index]
        for name in fixers(atom.fact):
            if name not in allowed:
                continue
            if name not in plan and len(plan) >= most:
                continue
            step = {k: list(v) for k, v in plan.items()}
            step.setdefault(name, []).append(atom)
            yield from walk(index + 1, step)

    return walk(0, {})
