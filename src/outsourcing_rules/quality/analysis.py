"""Exact analysis of a ruleset's rules with an SMT solver, each finding with a witness task.

The capabilities the business-rules verification literature asks for
(Smit et al. 2017, the BRM capability framework; Calvanese et al. 2018 on
DMN decision tables), under this library's meaning of a ruleset (unknown
facts, derived facts, first applying rule decides, else the default):

* rules that can never apply (``never-applies``);
* rules that never decide, always outranked (``never-decides``, naming a
  smallest set of rules before it that always apply too);
* redundant rules: removing them changes no verdict (``redundant``, naming a
  rule with the same verdict that applies wherever this one does, if any);
* identical and equivalent rules (``identical-rules``, ``equivalent-rules``);
* overlapping rules with different verdicts, and which one wins (``overlap``);
* gaps: tasks with every tested fact known that no rule covers (``gap``;
  informational, since the default decides them).

Each question is one query to an incremental z3 solver holding the
ruleset once ("rule *i* applies" is a named Boolean). Every query has the
time budget of :class:`~outsourcing_rules.quality.verification.Budget`;
pairwise questions stop at ``max_pairs``; past a budget the finding
``not-analysed`` says what was skipped.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

import attrs

from ..core.conditions import atoms, evaluate, witness
from ..core.facts import Owner, Task
from ..core.rules import Rule, Ruleset
from ..core.vocabulary import closure, fact_values
from ..decisions import decide
from ..errors import FactError
from .encoding import Encoding, Unsupported
from .findings import Finding, render_case
from .verification import Budget, shrink


def _example(task: Task, owner: Owner | None) -> str:
    return render_case(task, owner).removesuffix(" with no owner")


class _Analysis:
    def __init__(self, ruleset: Ruleset, budget: Budget, engine: str | None) -> None:
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.budget = budget
        # Witnesses are decided on the engine asked for, else the native one (the
        # engines decide alike, and the native one is the faster to ask one task).
        self.engine = engine or "native"
        self.inputs = [
            frozenset(closure({a.fact for a in atoms(rule.condition)})) for rule in ruleset.rules
        ]
        self.enc = Encoding(ruleset)
        self.z3 = self.enc.z3
        self.world = self.enc.world()
        self.solver = self.enc.solver(budget.timeout_ms)
        self.solver.add(*self.world.constraints())
        self.selector = [
            self.z3.Bool(f"applies[{i}]", self.enc.ctx) for i in range(len(self.rules))
        ]
        for chosen, rule in zip(self.selector, self.rules, strict=True):
            self.solver.add(chosen == self.enc.truth(rule.condition, self.world))
        z3 = self.z3
        self.negated = [z3.Not(chosen) for chosen in self.selector]
        # none[i]: no rule before rule i applies (a chain, so a query needs two assumptions).
        self.none = [z3.Bool(f"none-before[{i}]", self.enc.ctx) for i in range(len(self.rules))]
        previous = self.enc.true
        for i, flag in enumerate(self.none):
            self.solver.add(flag == previous)
            previous = z3.And(flag, self.negated[i])
        self.findings: list[Finding] = []
        self.skipped: list[str] = []
        # CPU time, so a busy machine does not cut the analysis short.
        self.deadline = time.process_time() + budget.total

    # -- helpers --

    def check(self, *assumptions: Any) -> tuple[str, Any]:
        result = self.solver.check(*assumptions)
        if result == self.z3.sat:
            return "sat", self.solver.model()
        if result == self.z3.unsat:
            return "unsat", None
        return "unknown", self.solver.reason_unknown()

    def witness(self, model: Any) -> tuple[Task, Owner | None] | None:
        try:
            return self.enc.example(model, self.world)
        except FactError:
            return None

    def applies(self, rule: Rule, pair: tuple[Task, Owner | None] | None) -> bool:
        return pair is not None and evaluate(rule.condition, fact_values(*pair)) is True

    def small_witness(self, model: Any, rules: Sequence[Rule]) -> tuple[Task, Owner | None] | None:
        """Return the model's task cut down to the facts that make *rules* apply, or ``None``.

        Each rule's condition is true through some of its comparisons
        (:func:`~outsourcing_rules.core.conditions.witness`); the facts they
        test, and those the derived ones are computed from, are all the task
        needs. The cut-down task is checked again before it is returned.
        """
        pair = self.witness(model)
        if pair is None:
            return None
        values = fact_values(*pair)
        needed: set[str] = set()
        for rule in rules:
            found = witness(rule.condition, values)
            if found is None:
                return None  # floating point parted from the solver: no witness
            needed.update(a.fact for a in found)
        inputs = set(closure(needed))
        task, owner = pair
        cleared: dict[str, Any] = {
            field: None
            for field in task.to_dict()
            if field != "name" and _INPUT_OF.get(field, field) not in inputs
        }
        small = (attrs.evolve(task, **cleared), owner)
        if owner is not None:
            kept: dict[str, Any] = {
                "hourly_rate": owner.hourly_rate if "owner_hourly_rate" in inputs else None,
                "core_competencies": owner.core_competencies
                if "core_competencies" in inputs
                else None,
            }
            trimmed = attrs.evolve(owner, **kept)
            small = (small[0], trimmed if trimmed.to_dict() else None)
        if all(self.applies(rule, small) for rule in rules):
            return small
        return pair if all(self.applies(rule, pair) for rule in rules) else None

    def decides(self, rule: Rule, task: Task, owner: Owner | None) -> bool:
        return decide(task, owner, ruleset=self.ruleset, engine=self.engine).rule_id == rule.id

    def finding(
        self, code: str, rule: Rule | None, message: str, pair: tuple[Task, Owner | None] | None
    ) -> None:
        task, owner = pair if pair is not None else (None, None)
        self.findings.append(
            Finding(
                code,
                message,
                rule.id if rule else None,
                (rule.path if rule else None) or self.ruleset.path,
                rule.line if rule else None,
                task,
                owner,
            )
        )

    def out_of_time(self, what: str) -> bool:
        if time.process_time() > self.deadline:
            self.skipped.append(what)
            return True
        return False

    # -- the capabilities --

    def run(self) -> list[Finding]:
        live: list[int] = []  # rules that can apply
        deciding: dict[int, Any] = {}  # rules that can decide -> a model where they do
        for i, rule in enumerate(self.rules):
            if self.out_of_time(f"rules from {rule.id!r} on"):
                break
            status, found = self.check(self.selector[i], self.none[i])
            if status == "sat":
                live.append(i)
                deciding[i] = found
                continue
            if status == "unknown":
                self.skipped.append(f"whether rule {rule.id!r} can decide ({found})")
                live.append(i)
                continue
            status, model = self.check(self.selector[i])
            if status == "unknown":
                self.skipped.append(f"whether rule {rule.id!r} can apply ({model})")
                continue
            if status == "unsat":
                self.finding(
                    "never-applies",
                    rule,
                    f"rule {rule.id!r} can never apply: its comparisons cannot all hold "
                    "for any task (linked facts such as one_off, recurring and the hours "
                    "they imply included)",
                    None,
                )
                continue
            self.never_decides(i, list(live), model)
            live.append(i)
        self.redundancy(deciding)
        self.twins(live)
        self.overlaps(live, deciding)
        self.gap()
        if self.skipped:
            self.finding(
                "not-analysed",
                None,
                "the solver's budget ran out before: "
                + "; ".join(self.skipped[:5])
                + (f" and {len(self.skipped) - 5} more" if len(self.skipped) > 5 else ""),
                None,
            )
        return self.findings

    def never_decides(self, i: int, earlier: Sequence[int], model: Any) -> None:
        rule = self.rules[i]
        # A rule testing none of the inputs rule i tests cannot cover it: leave
        # those inputs unknown and it does not apply while rule i still does.
        earlier = [j for j in earlier if self.inputs[j] & self.inputs[i]]
        negated = {j: self.negated[j] for j in earlier}
        status, _ = self.check(self.selector[i], *negated.values())
        cover = list(earlier)
        if status == "unsat":
            core = {c.get_id() for c in self.solver.unsat_core()}
            cover = [j for j in earlier if negated[j].get_id() in core]
            for j in list(cover) if len(cover) <= _MINIMISE else []:  # smallest by deletion
                trial = [k for k in cover if k != j]
                if self.check(self.selector[i], *(negated[k] for k in trial))[0] == "unsat":
                    cover = trial
        names = ", ".join(repr(self.rules[j].id) for j in cover)
        pair = self.small_witness(model, [rule])
        shown = ""
        if pair is not None:
            decision = decide(*pair, ruleset=self.ruleset, engine=self.engine)
            shown = f"; e.g. for {_example(*pair)} rule {decision.rule_id!r} decides"
        self.finding(
            "never-decides",
            rule,
            f"rule {rule.id!r} never decides: whenever it applies, "
            f"{'rule' if len(cover) == 1 else 'rules'} {names} before it "
            f"{'applies' if len(cover) == 1 else 'apply'} too{shown}",
            pair,
        )

    def redundancy(self, deciding: dict[int, Any]) -> None:
        z3, enc = self.z3, self.enc
        tail = enc.code(self.ruleset.default_verdict)
        tails: dict[int, Any] = {}
        for i in range(len(self.rules) - 1, -1, -1):
            tails[i] = tail  # the verdict when rule i and those before it do not apply
            tail = z3.If(self.selector[i], enc.code(self.rules[i].verdict), tail)
        for i, model in deciding.items():
            rule = self.rules[i]
            if self.out_of_time(f"redundancy of {rule.id!r}"):
                return
            self.solver.push()
            self.solver.add(tails[i] != enc.code(rule.verdict))
            status, _ = self.check(self.selector[i], self.none[i])
            self.solver.pop()
            if status != "unsat":
                continue
            wider = ""
            for j, other in enumerate(self.rules):
                if (
                    j != i
                    and other.verdict is rule.verdict
                    and self.check(self.selector[i], self.negated[j])[0] == "unsat"
                ):
                    wider = f"; rule {other.id!r} ({other.verdict}) applies wherever it does"
                    break
            pair = self.witness(model)
            if pair is not None:
                pair = shrink(*pair, functools.partial(self.decides, rule))
            shown = f"; e.g. {_example(*pair)}" if pair else ""
            self.finding(
                "redundant",
                rule,
                f"rule {rule.id!r} is redundant: removing it changes no verdict, since "
                f"wherever it decides the rules after it or the default also give "
                f"{rule.verdict}{wider}{shown}",
                pair,
            )

    def twins(self, live: Sequence[int]) -> None:
        seen: dict[Any, int] = {}
        groups: dict[frozenset[str], list[int]] = {}
        pairs = 0
        for i in live:
            rule = self.rules[i]
            first = seen.setdefault(rule.condition, i)
            if first != i:
                other = self.rules[first]
                same = (
                    "the same verdict"
                    if other.verdict is rule.verdict
                    else (
                        f"verdict {rule.verdict} against {other.verdict}; {other.id!r} always wins"
                    )
                )
                self.finding(
                    "identical-rules",
                    rule,
                    f"rule {rule.id!r} has the same condition as rule {other.id!r} ({same})",
                    None,
                )
                continue
            facts = frozenset(a.fact for a in atoms(rule.condition))
            for j in groups.setdefault(facts, []):
                pairs += 1
                if pairs > self.budget.max_pairs or self.out_of_time("equivalent rules"):
                    self.skipped.append("some pairs of rules for equivalence")
                    return
                if self.check(self.selector[i], self.negated[j])[0] != "unsat":
                    continue
                if self.check(self.selector[j], self.negated[i])[0] != "unsat":
                    continue
                other = self.rules[j]
                self.finding(
                    "equivalent-rules",
                    rule,
                    f"rule {rule.id!r} applies to exactly the tasks rule {other.id!r} applies "
                    f"to, though written differently ({rule.verdict} against {other.verdict})",
                    None,
                )
                break
            groups[facts].append(i)

    def overlaps(self, live: Sequence[int], deciding: dict[int, Any]) -> None:
        pairs = 0
        for a, i in enumerate(live):
            for j in live[a + 1 :]:
                first, second = self.rules[i], self.rules[j]
                if first.verdict is second.verdict or j not in deciding:
                    continue
                pairs += 1
                if pairs > self.budget.max_pairs or self.out_of_time("overlapping rules"):
                    self.finding(
                        "overlaps-capped",
                        None,
                        f"overlaps were looked for in the first {pairs - 1:,} pairs of rules "
                        "with different verdicts only (the budget's max_pairs)",
                        None,
                    )
                    return
                status, model = self.check(self.selector[i], self.selector[j])
                if status != "sat":
                    continue
                pair = self.small_witness(model, [first, second])
                why = (
                    f"its priority {first.priority} is higher than {second.priority}"
                    if first.priority != second.priority
                    else "it is written first"
                )
                shown = f" such as {_example(*pair)}" if pair else ""
                self.finding(
                    "overlap",
                    second,
                    f"rules {first.id!r} ({first.verdict}) and {second.id!r} "
                    f"({second.verdict}) both apply to some tasks{shown}; {first.id!r} "
                    f"wins because {why}",
                    pair,
                )

    def gap(self) -> None:
        tested = {a.fact for rule in self.rules for a in atoms(rule.condition)}
        inputs = [n for n in closure(tested) if n in self.world.known and n in _INPUT_NAMES]
        if not inputs:
            return  # no rule tests anything: every task falls to the default, as written
        known = [self.world.known[n] for n in inputs]
        status, model = self.check(*self.negated, *known)
        if status != "sat":
            return
        pair = self.witness(model)
        if pair is None:
            return
        verdict = self.ruleset.default_verdict
        self.finding(
            "gap",
            None,
            f"no rule covers some tasks with every fact the rules test known, such as "
            f"{_example(*pair)}; the default ({verdict}) decides them",
            pair,
        )


#: The largest set of outranking rules cut down to a smallest one (one query per rule).
_MINIMISE = 8
#: The input a task field feeds, where its name differs.
_INPUT_OF = {"core_competency": "stated_core_competency"}


def _input_names() -> frozenset[str]:
    from .encoding import _INPUTS

    return frozenset(_INPUTS)


_INPUT_NAMES = _input_names()


def analyse_rules(
    ruleset: Ruleset, *, budget: Budget | None = None, engine: str | None = None
) -> list[Finding]:
    """Return the solver's findings about *ruleset*'s rules (see the module's list).

    Raises :class:`ImportError` when z3 is not installed; a ruleset the
    encoder cannot translate gives one ``unsupported`` finding.
    """
    chosen = budget or Budget()
    size = sum(1 for rule in ruleset.rules for _ in atoms(rule.condition))
    if size > chosen.max_terms:
        return [
            Finding(
                "not-analysed",
                f"the rules were not analysed: {size:,} comparisons, more than the size "
                f"budget of {chosen.max_terms:,}",
                path=ruleset.path,
            )
        ]
    try:
        analysis = _Analysis(ruleset, chosen, engine)
    except Unsupported as exc:
        return [
            Finding(
                "unsupported",
                f"the solver cannot encode {exc}; the rules were not analysed",
                path=ruleset.path,
            )
        ]
    return analysis.run()
