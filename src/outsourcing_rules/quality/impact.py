"""The impact of a ruleset change: which decisions change, and how.

:func:`impact` decides the same tasks under a base ruleset and a changed
one and groups the tasks whose decision differs by the kind of change
(``keep/low-frequency -> outsource/annoyance``), with examples. The tasks
are an inventory the caller gives, or, without one, tasks generated with
facts that sit on and around the thresholds, categories and labels both
rulesets mention; each generated example is then simplified (facts
made unknown one by one while the change stays the same), so it shows only
the facts that matter.

Generation is seeded, so the same two rulesets give the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..core.conditions import render_value
from ..core.facts import (
    Owner,
    Task,
    Verdict,
)
from ..core.rules import Ruleset
from ..core.text import plain, printable
from ..decisions import decide
from ..errors import FactError
from ..testing.sampling import DEFAULT_GENERATED, Case, generated_cases

#: How many example tasks each kind of change keeps.
EXAMPLES = 3


@attrs.frozen
class Outcome:
    """A verdict and the rule that gave it (``None``: the ruleset's default)."""

    verdict: Verdict
    rule_id: str | None

    def __str__(self) -> str:
        return f"{self.verdict.value}/{self.rule_id or 'default'}"


@attrs.frozen
class Change:
    """One kind of change (*before* -> *after*), how many tasks it hits, and examples."""

    before: Outcome
    after: Outcome
    count: int
    examples: tuple[Case, ...]

    @property
    def verdict_changed(self) -> bool:
        """True when the verdict changes, not only the deciding rule."""
        return self.before.verdict is not self.after.verdict

    def describe(self, *, by_name: bool = True) -> str:
        """One line: ``keep/low-frequency -> outsource/annoyance: 12 tasks, e.g. ...``.

        With *by_name*, examples are named; otherwise their facts are shown.
        """
        noun = "task" if self.count == 1 else "tasks"
        shown = ", ".join(
            printable(task.name) if by_name else describe_case(task, owner)
            for task, owner in self.examples
        )
        return f"{self.before} -> {self.after}: {self.count:,} {noun}, e.g. {shown}"


def describe_case(task: Task, owner: Owner | None) -> str:
    """Show a task's known facts (and its owner's) as a compact mapping."""
    facts = {k: v for k, v in task.to_dict().items() if k not in ("name", "description")}
    text = _mapping(facts)
    if owner is not None and (owned := {k: v for k, v in owner.to_dict().items() if k != "name"}):
        text += f" with owner {_mapping(owned)}"
    return text


def _mapping(data: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items()) + "}"


@attrs.frozen
class Impact:
    """Which decisions differ between two rulesets over the same tasks."""

    base: Ruleset
    changed: Ruleset
    total: int
    changes: tuple[Change, ...]
    generated: bool
    source: str | None = None

    @property
    def changed_count(self) -> int:
        """How many tasks get a different decision (verdict or deciding rule)."""
        return sum(c.count for c in self.changes)

    @property
    def verdict_count(self) -> int:
        """How many tasks get a different verdict."""
        return sum(c.count for c in self.changes if c.verdict_changed)

    def render(self) -> str:
        """Return the report as text: a headline, then one line per kind of change."""
        over = (
            f"{self.total:,} generated tasks"
            if self.generated
            else f"{self.total:,} tasks" + (f" of {self.source}" if self.source else "")
        )
        base, changed = repr(self.base.name), repr(self.changed.name)
        if base == changed and self.base.version != self.changed.version:
            base += f" (version {self.base.version})"
            changed += f" (version {self.changed.version})"
        head = f"{base} -> {changed} over {over}: "
        if not self.changes:
            return head + "no decision changes"
        noun = "decision changes" if self.changed_count == 1 else "decisions change"
        lines = [f"{head}{self.changed_count:,} {noun} ({self.verdict_count:,} in verdict)"]
        lines.extend(f"  {c.describe(by_name=not self.generated)}" for c in self.changes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-serialisable data."""
        return {
            "base": self.base.name,
            "changed": self.changed.name,
            "tasks": self.total,
            "generated": self.generated,
            "changes": [
                {
                    "from": {"verdict": c.before.verdict.value, "rule": c.before.rule_id},
                    "to": {"verdict": c.after.verdict.value, "rule": c.after.rule_id},
                    "count": c.count,
                    "examples": [
                        {
                            "task": plain(task.to_dict()),
                            **({"owner": plain(owner.to_dict())} if owner else {}),
                        }
                        for task, owner in c.examples
                    ],
                }
                for c in self.changes
            ],
        }


def _outcome(task: Task, owner: Owner | None, ruleset: Ruleset, engine: str | None) -> Outcome:
    decision = decide(task, owner, ruleset=ruleset, engine=engine)
    return Outcome(decision.verdict, decision.rule_id)


def _kind(
    case: Case, base: Ruleset, changed: Ruleset, engine: str | None
) -> tuple[Outcome, Outcome]:
    task, owner = case
    return _outcome(task, owner, base, engine), _outcome(task, owner, changed, engine)


def simplest(case: Case, base: Ruleset, changed: Ruleset, *, engine: str | None = None) -> Case:
    """Make facts of *case* unknown one by one while its kind of change stays the same."""
    want = _kind(case, base, changed, engine)
    task, owner = case
    for field in attrs.fields(Task):
        if field.name in ("name", "description") or getattr(task, field.name) is None:
            continue
        unknown: dict[str, Any] = {field.name: None}
        try:
            trial = attrs.evolve(task, **unknown)
        except FactError:
            continue
        if _kind((trial, owner), base, changed, engine) == want:
            task = trial
    if owner is not None:
        for field in attrs.fields(Owner):
            if getattr(owner, field.name) is None:
                continue
            unknown = {field.name: None}
            shorter = attrs.evolve(owner, **unknown)
            if _kind((task, shorter), base, changed, engine) == want:
                owner = shorter
    return task, owner


def impact(
    base: Ruleset,
    changed: Ruleset,
    tasks: Iterable[Task] | None = None,
    owner: Owner | None = None,
    *,
    engine: str | None = None,
    generate: int = DEFAULT_GENERATED,
    source: str | None = None,
) -> Impact:
    """Decide the same tasks under *base* and *changed*; group the decisions that differ.

    *tasks* (with *owner*) is an inventory; without it, *generate* tasks
    (with owners, or all with *owner* if given) are generated and each kind
    of change gets one simplified example. Kinds of change are listed
    verdict changes first, then by how many tasks they hit. *source* names
    the inventory in the report.
    """
    generated = tasks is None
    if tasks is None:
        cases = generated_cases([base, changed], generate)
        if owner is not None:
            cases = [(task, owner) for task, _ in cases]
    else:
        cases = [(task, owner) for task in tasks]
    groups: dict[tuple[Outcome, Outcome], list[Case]] = {}
    for case in cases:
        before, after = _kind(case, base, changed, engine)
        if before != after:
            groups.setdefault((before, after), []).append(case)
    changes = []
    for (before, after), hit in groups.items():
        examples = (
            (simplest(min(hit, key=_size), base, changed, engine=engine),)
            if generated
            else tuple(hit[:EXAMPLES])
        )
        changes.append(Change(before, after, len(hit), examples))
    changes.sort(key=lambda c: (not c.verdict_changed, -c.count, str(c.before), str(c.after)))
    return Impact(base, changed, len(cases), tuple(changes), generated, source)


def _size(case: Case) -> int:
    """How many facts a case states: the smallest makes the clearest example."""
    task, owner = case
    return len(task.to_dict()) + (len(owner.to_dict()) if owner is not None else 0)
