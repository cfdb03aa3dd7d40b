"""Exact verification of the monotonicity invariants: two tasks that differ in one fact.

``monotone-skill`` says: for a task that is neither core nor only the
owner's, being less skilled at it never turns *outsource* into *keep*. The
solver gets two copies of the task's variables that share every fact but
the one that changes, and looks for a pair where the first is outsourced
and the second, worse on that fact, kept.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..core.conditions import render_value
from ..core.facts import Owner, Task, Verdict
from ..core.vocabulary import fact_values
from ..decisions import Decision
from ..errors import FactError
from .findings import render_case, render_task
from .verification import Proof, shrink

if TYPE_CHECKING:
    from .verification import _Prover

#: Each monotonicity invariant: the fact that changes and how the promise reads.
CHANGES: dict[str, tuple[str, str]] = {
    "monotone-enjoyment": ("enjoyment", "liking a task less"),
    "monotone-skill": ("skill", "being less skilled at a task"),
    "monotone-frequency": ("times_per_year", "doing a task more often"),
    "monotone-time": ("time_available", "having no time for a task"),
}


def _owner_work(task: Task, owner: Owner | None) -> bool:
    values = fact_values(task, owner)
    return values["core_competency"] is True or values["only_owner"] is True


def prove_monotone(prover: _Prover, name: str) -> Proof:
    """Prove one ``monotone-*`` invariant, or find a confirmed, shrunk counterexample."""
    enc, z3 = prover.encoding, prover.z3
    fact, wording = CHANGES[name]
    promise = f"{wording} never turns outsource into keep"
    started = time.perf_counter()
    before = enc.world("_before")
    after = enc.world("_after", shared=before, fresh=[fact])
    solver = enc.solver(prover.budget.timeout_ms)
    solver.add(*before.constraints(), *after.constraints())
    k, v = before.known, before.value
    solver.add(z3.Not(z3.And(k["core_competency"], v["core_competency"])))
    solver.add(z3.Not(z3.And(k["only_owner"], v["only_owner"])))
    solver.add(before.known[fact], after.known[fact])
    was, now = before.value[fact], after.value[fact]
    if fact == "time_available":
        solver.add(was, z3.Not(now))
    elif fact == "times_per_year":
        solver.add(now > was, z3.Not(z3.And(k["one_off"], v["one_off"])))
    else:
        solver.add(now < was)
    solver.add(enc.verdict(before) == enc.code(Verdict.OUTSOURCE))
    solver.add(enc.verdict(after) == enc.code(Verdict.KEEP))
    status, model = prover._solve(solver, [before, after])
    if status == "unsat":
        return Proof(
            name,
            "proved",
            f"{promise}: holds for every pair of tasks",
            seconds=time.perf_counter() - started,
        )
    if status == "unknown":
        return Proof(
            name,
            "not-proven",
            prover._gave_up(promise, model),
            seconds=time.perf_counter() - started,
        )
    try:
        baseline, owner = enc.example(model, before)
        worse, _ = enc.example(model, after)
    except FactError as exc:
        return Proof(
            name,
            "not-proven",
            f"{promise}: the solver's example is not valid ({exc})",
            seconds=time.perf_counter() - started,
        )
    changed = getattr(worse, fact)

    def broken(task: Task, owner: Owner | None) -> Decision | None:
        if _owner_work(task, owner):
            return None
        if prover.decide(task, owner).verdict is not Verdict.OUTSOURCE:
            return None
        decision = prover.decide(_with(task, fact, changed), owner)
        return decision if decision.verdict is Verdict.KEEP else None

    if broken(baseline, owner) is None:
        return Proof(
            name,
            "not-proven",
            f"{promise}: the solver's example {render_task(baseline)} does not break it "
            "when decided in floating point",
            seconds=time.perf_counter() - started,
        )
    baseline, owner = shrink(baseline, owner, broken, keep=[fact])
    worse = _with(baseline, fact, changed)
    first, second = prover.decide(baseline, owner), prover.decide(worse, owner)
    description = (
        f"{promise}; but {render_case(baseline, owner)} is outsourced by "
        f"{_rule(first)} and, with {fact} {render_value(changed)} instead of "
        f"{render_value(getattr(baseline, fact))}, kept by {_rule(second)}"
    )
    return Proof(
        name,
        "violated",
        description,
        worse,
        owner,
        second.verdict,
        second.rule_id,
        baseline=baseline,
        seconds=time.perf_counter() - started,
    )


def _with(task: Task, fact: str, value: Any) -> Task:
    changes: dict[str, Any] = {fact: value}
    return Task(**{**task_fields(task), **changes})


def task_fields(task: Task) -> dict[str, Any]:
    """Return the task's fields as keyword arguments (unknown ones included)."""
    import attrs

    return attrs.asdict(task, recurse=False)


def _rule(decision: Decision) -> str:
    return f"rule {decision.rule_id!r}" if decision.rule_id else "the default"
