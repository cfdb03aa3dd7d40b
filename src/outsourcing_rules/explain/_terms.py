"""A ruleset as the what-if search reads it: comparisons by input, and ways to flip rules.

A rule's condition in negation normal form, multiplied out, is a list of
*terms*: sets of comparisons that together make it true. The negated
condition gives the terms that make it stop applying. A change of several
facts is looked for by taking a term and giving each of its comparisons that
does not hold yet a fact to change (:func:`assignments`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms, negation_normal_form
from ..core.facts import Verdict
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind
from ._first import checks_of, first_matcher, truth_reader
from ._grid import grid_of, thresholds
from ._inputs import INPUTS, dependents, fixers, ordered
from ._kleene import Tree, compile_movable, compile_settled
from ._sweep import behind

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
        self.first = first_matcher(ruleset)
        #: What the first applying rule at each position gives; the last is the default's.
        self.answers: list[tuple[Verdict, str | None]] = [
            (rule.verdict, rule.id) for rule in ruleset.rules
        ]
        self.answers.append((ruleset.default_verdict, None))
        #: Each rule's condition by the rule's id.
        self.conditions = {rule.id: rule.condition for rule in ruleset.rules}
        self._cut_plans: dict[tuple[str, Any], CutPlan] = {}
        self._star_reads: dict[str, frozenset[str]] = {}
        self._live: dict[tuple[str, int], tuple[tuple[Atom, ...], Any]] = {}
        #: For each input, the positions (ascending) of the rules a change of it may move.
        self.moved_by = {name: _moved_by(ruleset, name) for name in INPUTS}
        self.moving = {name: frozenset(found) for name, found in self.moved_by.items()}
        #: Every comparison of the rules and of their negations, numbered.
        self.compared = tuple(
            dict.fromkeys(
                a for terms in (*self.true_terms, *self.false_terms) for t in terms for a in t
            )
        )
        self.index = {atom: i for i, atom in enumerate(self.compared)}
        #: The bit of each comparison in a mask of comparisons.
        self.bits = [1 << i for i in range(len(self.compared))]
        #: Each rule's condition over comparison numbers (``None``: not all numbered).
        self.trees = [_tree(rule.condition, self.index) for rule in ruleset.rules]
        #: For each input, the comparisons a change of it may turn.
        self.free = {
            name: frozenset(
                i for i, a in enumerate(self.compared) if _keys(name) & dependents(a.fact)
            )
            for name in INPUTS
        }
        #: Which comparisons hold for a task and owner (unknown facts: false).
        self.truths = truth_reader(self.compared)
        #: Each comparison as a test of one value of its fact.
        self.checks = checks_of(self.compared)
        #: For each input, :meth:`settled` compiled (on first use).
        self._settled: dict[str, Callable[[Sequence[bool], Sequence[int], Any], bool]] = {}
        self._unsettled: dict[tuple[tuple[int, ...], Any], Callable[[Sequence[bool]], list[str]]]
        self._unsettled = {}
        self._terms: dict[tuple[Any, tuple[int, ...]], tuple[int, ...]] = {}
        #: The tests of some comparisons on an input, split (see ``_pairs``).
        self.splits: dict[tuple[str, frozenset[int]], Any] = {}
        #: For some comparisons on an input itself, where they hold (see ``_pairs``).
        self.goods: dict[tuple[str, frozenset[int]], Any] = {}
        self._plans: dict[tuple[int, frozenset[str], int], tuple[Plan, ...]] = {}
        #: What :meth:`plans` has worked out so far, by its arguments (read it first).
        self.known_plans = self._plans

    def check(self, atom: Atom) -> Callable[[Any], bool]:
        """Return the test of one value of *atom*'s fact (true when *atom* holds)."""
        position = self.index.get(atom)
        if position is None:
            return lambda value: atom.test(value) is True
        return self.checks[position]

    def settled(
        self, name: str, verdict: Verdict, applying: Sequence[int], truths: Sequence[bool]
    ) -> bool:
        """Tell whether no value of input *name* alone can give a verdict other than *verdict*.

        *applying* are the rules that apply now, *truths* whether each
        comparison holds now. A rule *name* cannot move keeps applying or
        not; the first such rule that applies (or the default) decides
        unless a rule above it that *name* moves comes to apply. Those are
        evaluated with the comparisons *name* may turn left open (Kleene's
        unknown) and every other one as it is now: one that stays false
        never applies, one that comes out true always does. Settled when
        every rule that may decide gives *verdict*.
        """
        judge = self._settled.get(name)
        if judge is None:
            judge = self._settled[name] = compile_settled(self, name)
        return judge(truths, applying, verdict)

    def unsettled(
        self, truths: Sequence[bool], applying: Sequence[int], verdict: Verdict
    ) -> list[str]:
        """Return the relevant inputs, in order, that are not :meth:`settled`.

        Compiled once for each set of rules applying and verdict.
        """
        key = (tuple(applying), verdict)
        judge = self._unsettled.get(key)
        if judge is None:
            judge = compile_movable(self, key[0], verdict)
            if len(self._unsettled) < _MAX_JUDGES:
                self._unsettled[key] = judge
        return judge(truths)

    def terms(self, verdict: Any, applying: Sequence[int]) -> tuple[int, ...]:
        """Return the ways to move the verdict off *verdict*, as sets of comparison numbers.

        Each set is a bit mask: bit *i* stands for comparison *i*.

        *applying* are the positions of the rules that apply now. For each
        rule for another verdict (and the default, if it differs), its ways
        to apply joined with a way to stop each rule above it that applies
        for *verdict*, as :func:`combine` joins them (capped); each way once.
        """
        key = (verdict, tuple(applying))
        found = self._terms.get(key)
        if found is None:
            found = self._find_terms(verdict, key[1])
            if len(self._terms) < _MAX_PLANS:
                self._terms[key] = found
        return found

    def _find_terms(self, verdict: Any, applying: tuple[int, ...]) -> tuple[int, ...]:
        rules = self.ruleset.rules
        targets: list[tuple[list[frozenset[Atom]], list[int]]] = []
        for position, rule in enumerate(rules):
            if rule.verdict is not verdict:
                blockers = [q for q in applying if q < position and rules[q].verdict is verdict]
                targets.append((self.true_terms[position], blockers))
        if self.ruleset.default_verdict is not verdict:
            blockers = [q for q in applying if rules[q].verdict is verdict]
            targets.append(([frozenset()], blockers))
        found: dict[int, None] = {}
        for own_terms, blockers in targets:
            for term in combine(own_terms, [self.false_terms[q] for q in blockers]):
                found[sum(1 << self.index[a] for a in term)] = None
        return tuple(found)

    def plans(self, needed: int, allowed: frozenset[str], most: int) -> tuple[Plan, ...]:
        """Return the ways to turn the comparisons *needed* true with 2 to *most* of *allowed*.

        *needed* is a bit mask of comparison numbers. Each way is a
        :class:`Plan`: which comparisons each fact must turn.
        """
        key = (needed, allowed, most)
        found = self._plans.get(key)
        if found is None:
            atoms = [a for i, a in enumerate(self.compared) if needed >> i & 1]
            made = []
            for plan in assignments(atoms, set(allowed), most):
                if len(plan) >= 2:
                    made.append(Plan.of(self, plan))
            found = tuple(made)
            if len(self._plans) < _MAX_PLANS:
                self._plans[key] = found
        return found

    def live(self, name: str, applying: Sequence[int]) -> tuple[tuple[Atom, ...], Any]:
        """Return the comparisons *name* may turn in the rules that may decide, and their key.

        *applying* are the rules that apply now. The first of them *name*
        cannot move (or the default) decides unless a rule above it that
        *name* moves comes to apply; only those rules' comparisons can change
        the verdict or the deciding rule as *name* moves alone. The key names
        them in :meth:`cut_plan`'s cache.
        """
        moving = self.moving[name]
        fixed = next((q for q in applying if q not in moving), len(self.ruleset.rules))
        found = self._live.get((name, fixed))
        if found is None:
            used = {
                a
                for p in self.moved_by[name]
                if p < fixed
                for a in atoms(self.ruleset.rules[p].condition)
            }
            tested = tuple(a for a in self.by_input.get(name, ()) if a in used)
            found = self._live[name, fixed] = (tested, ("live", fixed))
        return found

    def star_reads(self, name: str) -> frozenset[str]:
        """Return the inputs where every comparison *name* may turn changes truth may depend on.

        Those behind the derived facts among them, with the inputs that say
        whether a task is valid; empty when *name*'s comparisons are all on
        *name* itself (their cuts are fixed).
        """
        found = self._star_reads.get(name)
        if found is None:
            _, derived = self.cut_plan(name, self.by_input.get(name, ()), "*")
            found = frozenset().union(*(behind(fact) for fact, _, _ in derived))
            self._star_reads[name] = found
        return found

    def cut_plan(self, name: str, tested: Iterable[Atom], key: Any = None) -> CutPlan:
        """Return where the comparisons *tested* may change truth as input *name* moves.

        ``(direct, derived)``: the grid indices fixed by comparisons on *name*
        itself, and for each derived fact, whether it is a number and the
        ``(threshold, strict)`` pairs its comparisons may cross (worked out
        once per ruleset; where a derived fact crosses depends on the task).
        """
        if key is None:
            tested = key = tuple(tested)
        found = self._cut_plans.get((name, key))
        if found is None:
            found = _cut_plan(name, tuple(tested))
            if len(self._cut_plans) < _MAX_PLANS:
                self._cut_plans[name, key] = found
        return found


#: What else changing an input changes: making a task a one-off forgets its
#: frequency, and setting the owner's rate with no owner makes one.
_ALSO = {"one_off": {"times_per_year"}, "owner_hourly_rate": {"core_competencies"}}


def _keys(name: str) -> set[str]:
    return {INPUTS[name].key, *_ALSO.get(name, ())}


def _moved_by(ruleset: Ruleset, name: str) -> tuple[int, ...]:
    keys = _keys(name)
    return tuple(
        position
        for position, rule in enumerate(ruleset.rules)
        if any(keys & dependents(atom.fact) for atom in atoms(rule.condition))
    )


def _tree(condition: Condition, index: dict[Atom, int]) -> Tree | None:
    if isinstance(condition, Atom):
        return index.get(condition)
    if not isinstance(condition, AllOf | AnyOf):
        return None  # a rule's condition is in negation normal form: never here
    parts = [_tree(part, index) for part in condition.parts]
    if any(part is None for part in parts):
        return None
    return isinstance(condition, AllOf), tuple(p for p in parts if p is not None)


#: Grid indices where comparisons on the input itself change truth, and the
#: derived facts to cross: ``(fact, is a number, ((threshold, strict), ...))``.
CutPlan = tuple[frozenset[int], tuple[tuple[str, bool, tuple[tuple[Any, bool], ...]], ...]]


def _cut_plan(name: str, tested: tuple[Atom, ...]) -> CutPlan:
    grid = grid_of(INPUTS[name])
    assert grid is not None
    direct: set[int] = set()
    derived: dict[str, dict[tuple[Any, bool], None]] = {}
    for atom in tested:
        numbers, strictness, cuts = thresholds(atom, name)
        if cuts is not None:
            direct |= cuts
            continue
        pairs = derived.setdefault(atom.fact, {})
        if FACTS[atom.fact].kind is Kind.NUMBER:
            pairs.update(dict.fromkeys((t, s) for t in numbers for s in strictness))
    return (
        frozenset(c for c in direct if grid.low < c <= grid.high),
        tuple(
            (fact, FACTS[fact].kind is Kind.NUMBER, tuple(pairs)) for fact, pairs in derived.items()
        ),
    )


#: Most entries of each of one ruleset's caches of plans (a bound on their memory).
_MAX_PLANS = 20_000
#: Most compiled judges kept per ruleset (one per set of rules applying and
#: verdict): about 400 serve 2,000 random tasks on the default ruleset, at
#: 0.2 ms and a few KB each; on a ruleset of 300 rules each takes about 10 ms
#: and 60 KB, so the cap bounds that at about 60 MB.
_MAX_JUDGES = 1_024


class Plan:
    """One way to change several facts: the comparisons each fact must turn true.

    ``order`` is the order the facts are given values in (facts a rule tests
    directly first, so a derived threshold sees their new values); ``marker``
    tells two plans apart. ``reads`` gives, for each fact, the inputs its
    comparisons depend on (validity included); ``alone`` the facts whose
    comparisons no other change of the plan can move, so whose values can
    be chosen first.
    """

    __slots__ = ("alone", "ids", "marker", "order", "reads", "tested")

    def __init__(
        self,
        tested: dict[str, tuple[Atom, ...]],
        ids: dict[str, frozenset[int]],
        order: tuple[str, ...],
    ) -> None:
        self.tested = tested
        self.ids = ids
        self.order = order
        self.marker = frozenset(ids.items())
        self.reads = {n: _reads(atoms) - {n} for n, atoms in tested.items()}
        self.alone = tuple(n for n in order if not self.reads[n] & set(tested))

    @classmethod
    def of(cls, analysis: Analysis, plan: dict[str, list[Atom]]) -> Plan:
        """Make the plan of :func:`assignments`'s *plan*."""
        direct = {n: all(a.fact == INPUTS[n].key for a in plan[n]) for n in plan}
        order = tuple(sorted(ordered(plan), key=lambda n: not direct[n]))
        return cls(
            {n: tuple(atoms) for n, atoms in plan.items()},
            {n: frozenset(analysis.index[a] for a in atoms) for n, atoms in plan.items()},
            order,
        )


#: Inputs that decide whether a change makes a valid task: a one-off happens once.
_VALID = frozenset({"one_off", "times_per_year"})


def _reads(atoms: Sequence[Atom]) -> frozenset[str]:
    """Return the inputs the truth of *atoms* may depend on, with those of a valid task.

    The owner's rate made on an owner who was not there leaves every other
    fact of the owner unknown, as it was: it counts only where it is read.
    """
    keys = set().union(*(dependents(a.fact) for a in atoms))
    return frozenset(n for n, spec in INPUTS.items() if spec.key in keys) | _VALID


def analysis_of(ruleset: Ruleset) -> Analysis:
    found: Analysis = ruleset.compiled("what-if search", Analysis)
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
