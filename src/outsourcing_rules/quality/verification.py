"""Exact verification of a ruleset's invariants with an SMT solver.

For each invariant, :func:`prove_invariants` asks z3 (through
:class:`~outsourcing_rules.quality.encoding.Encoding`) for a task and owner
that break it. The answer is one of:

* ``proved``: no task and owner break it (for exact arithmetic, see below);
* ``violated``: here is one that does, decided again by a real engine to
  confirm it and then shrunk, by dropping known facts one at a time while
  it still breaks the invariant, to the fewest facts;
* ``not-proven``: the solver ran out of its time or size budget, or gave a
  model that the engine's floating-point arithmetic does not confirm; the
  result says what was tried;
* ``unsupported``: the encoder does not translate something in the ruleset
  (nothing is concluded; ``check`` falls back to a search).

Invariants covered: the ruleset's declared ones, ``core-never-outsourced``
and the four ``monotone-*`` ones (each a question about two tasks that
differ in one fact). ``deterministic``, ``name-irrelevant`` and
``engines-agree`` are promises about the engines' code, not the rules; the
solver's meaning is a function of the facts alone, so they are outside
what it can check, and :func:`prove_invariants` leaves them out.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Collection, Iterable
from typing import Any

import attrs

from ..core.conditions import Atom, Condition, atoms, describe_condition, evaluate
from ..core.conditions import negation_normal_form as nnf
from ..core.facts import Owner, Task, Verdict
from ..core.rules import Invariant, Ruleset
from ..core.vocabulary import fact_values
from ..decisions import Decision, decide
from ..errors import FactError
from .encoding import Encoding, Unsupported
from .findings import render_case

#: Every built-in invariant, in the order :mod:`outsourcing_rules.testing` lists them
#: (named here too, so that checking needs no Hypothesis; a test keeps the two alike).
BUILTIN_NAMES: tuple[str, ...] = (
    "core-never-outsourced",
    "deterministic",
    "name-irrelevant",
    "engines-agree",
    "monotone-enjoyment",
    "monotone-skill",
    "monotone-frequency",
    "monotone-time",
)

#: The built-in invariants the solver decides; the others are about the engines' code.
EXACT_INVARIANTS: tuple[str, ...] = (
    "core-never-outsourced",
    "monotone-enjoyment",
    "monotone-skill",
    "monotone-frequency",
    "monotone-time",
)
#: The built-in invariants every ruleset must keep (``testing.HARD_INVARIANTS``).
HARD_NAMES: tuple[str, ...] = ("core-never-outsourced", "deterministic", "name-irrelevant")
#: The built-in invariants about the engines' code rather than the rules.
ENGINE_INVARIANTS: tuple[str, ...] = ("deterministic", "name-irrelevant", "engines-agree")


def _positive_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"Budget.{attribute.name} must be a positive number, not {value!r}")


@attrs.frozen
class Budget:
    """How much the solver may spend.

    ``timeout`` is the seconds one solver query may take; ``max_terms`` the
    largest ruleset (counted in comparisons, over all rules and the
    invariant) a query is built for; ``max_pairs`` the number of rule pairs
    the overlap analysis looks at; ``total`` the seconds of processor time
    the whole rule analysis may take before it reports what it skipped. A query past a
    budget says "not proven" and what was tried; nothing runs unbounded.
    """

    timeout: float = attrs.field(default=5.0, validator=_positive_number)
    max_terms: int = attrs.field(default=100_000, validator=_positive_number)
    max_pairs: int = attrs.field(default=1_000, validator=_positive_number)
    total: float = attrs.field(default=20.0, validator=_positive_number)

    @property
    def timeout_ms(self) -> int:
        """The per-query time budget in milliseconds, for z3."""
        return max(1, int(self.timeout * 1000))


@attrs.frozen
class Proof:
    """The outcome of verifying one invariant exactly.

    ``outcome`` is ``"proved"``, ``"violated"``, ``"not-proven"`` or
    ``"unsupported"``; ``detail`` says what was shown or tried. A violated
    invariant carries its counterexample, confirmed by an engine and shrunk:
    ``task`` and ``owner``, the ``verdict`` and deciding ``rule_id``
    (``None`` for the default) and, for a monotonicity invariant, the
    ``baseline`` task the change was made to. ``line`` and ``path`` place a
    declared invariant.
    """

    invariant: str
    outcome: str
    detail: str
    task: Task | None = None
    owner: Owner | None = None
    verdict: Verdict | None = None
    rule_id: str | None = None
    baseline: Task | None = None
    seconds: float = 0.0
    line: int | None = None
    path: str | None = None

    @property
    def proved(self) -> bool:
        """True when the invariant holds for every task and owner."""
        return self.outcome == "proved"


# --- concrete checks: does a task really break the invariant? --------------------------


def _by(decision: Decision) -> str:
    return f"rule {decision.rule_id!r}" if decision.rule_id else "the default"


_Pair = tuple[Task, Owner | None]
_Check = Callable[[Task, Owner | None], Decision | None]


def shrink(
    task: Task,
    owner: Owner | None,
    broken: Callable[[Task, Owner | None], object],
    keep: Collection[str] = (),
) -> tuple[Task, Owner | None]:
    """Drop known facts (and labels) one at a time while *broken* still holds."""
    for field, value in task.to_dict().items():
        if field == "name" or field in keep:
            continue
        cleared: dict[str, Any] = {field: None}
        trial = attrs.evolve(task, **cleared)
        if _valid(broken, trial, owner):
            task = trial
        elif isinstance(value, list):
            for label in value:
                current = getattr(task, field)
                fewer: dict[str, Any] = {field: current - {label}}
                trial = attrs.evolve(task, **fewer)
                if _valid(broken, trial, owner):
                    task = trial
    if owner is not None:
        for field, value in owner.to_dict().items():
            dropped: dict[str, Any] = {field: None}
            trial_owner: Owner | None = attrs.evolve(owner, **dropped)
            assert trial_owner is not None
            if not trial_owner.to_dict():
                trial_owner = None
            if _valid(broken, task, trial_owner):
                owner = trial_owner
                if owner is None:
                    break
            elif isinstance(value, list):
                for label in value:
                    current = owner.core_competencies or frozenset()
                    trial_owner = attrs.evolve(owner, core_competencies=current - {label})
                    if _valid(broken, task, trial_owner):
                        owner = trial_owner
    return task, owner


def _valid(broken: Callable[[Task, Owner | None], object], task: Task, owner: Owner | None) -> bool:
    try:
        return bool(broken(task, owner))
    except FactError:
        return False


# --- the solver queries ----------------------------------------------------------------


class _Prover:
    def __init__(self, ruleset: Ruleset, engine: str | None, budget: Budget) -> None:
        self.ruleset = ruleset
        self.engine = engine or "native"  # the evaluator itself, unless an engine is named
        self.budget = budget
        extra = [nnf(i.when) for i in ruleset.invariants]
        self.encoding = Encoding(ruleset, extra)
        self.z3 = self.encoding.z3
        self.shared: tuple[Any, Any, Any] | None = None

    def decide(self, task: Task, owner: Owner | None) -> Decision:
        return decide(task, owner, ruleset=self.ruleset, engine=self.engine)

    def _shared(self) -> tuple[Any, Any, Any]:
        """Return the one task's variables, a solver holding them and the verdict term."""
        if self.shared is None:
            world = self.encoding.world()
            solver = self.encoding.solver(self.budget.timeout_ms)
            solver.add(*world.constraints())
            self.shared = (world, solver, self.encoding.verdict(world))
        return self.shared

    def _solve(self, solver: Any, worlds: Iterable[Any]) -> tuple[str, Any]:
        """Check *solver*; on sat prefer a model with whole numbers (easier to read)."""
        z3 = self.z3
        result = solver.check()
        if result == z3.unsat:
            return "unsat", None
        if result != z3.sat:
            return "unknown", solver.reason_unknown()
        model = solver.model()
        solver.push()
        solver.set("timeout", max(1, self.budget.timeout_ms // 4))
        for world in worlds:
            for name in (
                "times_per_year",
                "hours_each",
                "provider_hourly_rate",
                "owner_hourly_rate",
            ):
                solver.add(z3.Implies(world.known[name], z3.IsInt(world.value[name])))
        if solver.check() == z3.sat:
            model = solver.model()
        solver.pop()
        solver.set("timeout", self.budget.timeout_ms)
        return "sat", model

    def single(
        self,
        name: str,
        when: Condition,
        verdict: Verdict,
        always: bool,
        promise: str,
        invariant: Invariant | None = None,
    ) -> Proof:
        """Prove "when *when* holds, never (or always) *verdict*"."""
        enc = self.encoding
        started = time.perf_counter()
        where: dict[str, Any] = (
            {"line": invariant.line, "path": invariant.path} if invariant else {}
        )
        world, solver, chosen = self._shared()
        solver.push()  # one solver holds the ruleset; each invariant is a scope on it
        solver.add(enc.truth(nnf(when), world))
        solver.add(chosen != enc.code(verdict) if always else chosen == enc.code(verdict))
        status, model = self._solve(solver, [world])
        solver.pop()
        elapsed = time.perf_counter() - started
        if status == "unsat":
            return Proof(
                name,
                "proved",
                f"{promise}: holds for every task and owner",
                seconds=elapsed,
                **where,
            )
        if status == "unknown":
            return Proof(
                name, "not-proven", self._gave_up(promise, model), seconds=elapsed, **where
            )

        def broken(task: Task, owner: Owner | None) -> Decision | None:
            if evaluate(when, fact_values(task, owner)) is not True:
                return None
            decision = self.decide(task, owner)
            return None if (decision.verdict is verdict) is always else decision

        return self._confirm(name, promise, model, world, broken, started, where)

    def _confirm(
        self,
        name: str,
        promise: str,
        model: Any,
        world: Any,
        broken: _Check,
        started: float,
        where: dict[str, Any],
    ) -> Proof:
        decision: Decision | None = None
        try:
            task, owner = self.encoding.example(model, world)
        except FactError as exc:
            problem = f"the solver's example is not a valid task ({exc})"
        else:
            decision = broken(task, owner)
            problem = (
                f"the solver's example {render_case(task, owner)} does not break it "
                "when decided in floating point"
            )
        if decision is None:
            return Proof(
                name,
                "not-proven",
                f"{promise}: {problem}",
                seconds=time.perf_counter() - started,
                **where,
            )
        task, owner = shrink(task, owner, broken)
        decision = broken(task, owner)
        assert decision is not None
        detail = (
            f"{promise}; but {_by(decision)} gave {decision.verdict} for {render_case(task, owner)}"
        )
        return Proof(
            name,
            "violated",
            detail,
            task,
            owner,
            decision.verdict,
            decision.rule_id,
            seconds=time.perf_counter() - started,
            **where,
        )

    def _gave_up(self, promise: str, reason: Any) -> str:
        return (
            f"{promise}: not proven; the solver gave up after {self.budget.timeout:g} s "
            f"on every task and owner ({reason or 'no reason given'})"
        )

    def declared(self, index: int, invariant: Invariant) -> Proof:
        when = describe_condition(invariant.when)
        if when.startswith("(") and when.endswith(")"):
            when = when[1:-1]
        promise = f"when {when}, {'always' if invariant.always else 'never'} {invariant.verdict}"
        if invariant.description:
            promise = f"{invariant.description} ({promise})"
        return self.single(
            f"invariants[{index}]",
            invariant.when,
            invariant.verdict,
            invariant.always,
            promise,
            invariant,
        )

    def core_never_outsourced(self) -> Proof:
        return self.single(
            "core-never-outsourced",
            Atom("core_competency", "eq", True),
            Verdict.OUTSOURCE,
            False,
            "core work is never outsourced",
        )

    def monotone(self, name: str) -> Proof:
        from .monotone import prove_monotone

        return prove_monotone(self, name)


def prove_invariants(
    ruleset: Ruleset,
    *,
    builtin: Collection[str] = ("core-never-outsourced",),
    engine: str | None = None,
    budget: Budget | None = None,
) -> list[Proof]:
    """Verify the ruleset's declared invariants and the built-in ones in *builtin* exactly.

    Returns one :class:`Proof` per invariant: the declared ones in file
    order, then the built-in ones of :data:`EXACT_INVARIANTS` named in
    *builtin* (others are about the engines' code and are left out).
    Counterexamples are confirmed by deciding them on *engine*. Raises
    :class:`ImportError` when z3 is not installed (the ``check`` extra).
    """
    budget = budget or Budget()
    names = [n for n in BUILTIN_NAMES if n in set(builtin) and n in EXACT_INVARIANTS]
    size = sum(1 for _ in _all_atoms(ruleset))
    labels = [f"invariants[{i}]" for i in range(len(ruleset.invariants))] + names
    if size > budget.max_terms:
        return [
            Proof(
                label,
                "not-proven",
                f"not proven: the ruleset has {size:,} comparisons, "
                f"more than the size budget of {budget.max_terms:,}",
            )
            for label in labels
        ]
    try:
        prover = _Prover(ruleset, engine, budget)
    except Unsupported as exc:
        return [Proof(label, "unsupported", f"the solver cannot encode {exc}") for label in labels]
    proofs: list[Proof] = []
    for index, invariant in enumerate(ruleset.invariants):
        proofs.append(
            _guard(f"invariants[{index}]", functools.partial(prover.declared, index, invariant))
        )
    for name in names:
        if name == "core-never-outsourced":
            proofs.append(_guard(name, prover.core_never_outsourced))
        else:
            proofs.append(_guard(name, functools.partial(prover.monotone, name)))
    return proofs


def _guard(name: str, run: Callable[[], Proof]) -> Proof:
    try:
        return run()
    except Unsupported as exc:
        return Proof(name, "unsupported", f"the solver cannot encode {exc}")


def _all_atoms(ruleset: Ruleset) -> Iterable[Any]:
    for rule in ruleset.rules:
        yield from atoms(rule.condition)
    for invariant in ruleset.invariants:
        yield from atoms(invariant.when)
