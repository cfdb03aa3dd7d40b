"""The hand-off brief: who to hand an outsourced task to, and what to settle first.

A verdict of ``outsource`` is the start of the work, not its end. The brief
names the provider *role* and lists what this hand-off needs in place. The
list is chosen for the task, as the domain's readiness advice asks:

- a **one-off project** needs the result it must deliver, a date it is due
  and a fixed price or a cap on the hours billed; no yearly review, since
  there is nothing left to review once it is delivered;
- a **skill gap** is a hire for expertise: choose the provider for a record
  of doing this well, as you would choose a lawyer, and judge the result,
  not the method (so no procedure of yours to write down);
- a **recurring chore** needs its procedure written down, a regular report,
  a written agreement, a review at least once a year and, once it runs, the
  owner letting go (reading the report instead of redoing the work).

A skill gap on a one-off project gets both the expertise item and the
project's items; a recurring skill gap gets the expertise item and the
chore's items apart from the procedure. A task with no frequency known is
treated as recurring. Items the facts settle are marked: a written
procedure (``procedure_documented``) and a defined result
(``outcome_defined``) show as done when true, to do when false, unknown
when not given; every other item is work still to do when the decision is
made.

The role comes from the ruleset's ``roles`` mapping by the task's category
when it names one (who does invoicing is a bookkeeper, whatever the reason to
hand it off), else from the deciding rule's ``role`` (a skill gap in no
listed category goes to a specialist), else :data:`DEFAULT_ROLE`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

from ..core.facts import Skill, Verdict

if TYPE_CHECKING:
    from ..decisions import Decision

#: The role when nothing else names one: the generalist who takes most hand-offs.
DEFAULT_ROLE = "virtual assistant"

#: Every item a brief may hold: key, what it asks, and the task fact that marks it.
CHECKLIST: tuple[tuple[str, str, str | None], ...] = (
    (
        "expertise",
        "Pick the provider for a record of doing this well, as you would pick a "
        "lawyer, and judge their work by its result rather than their method.",
        None,
    ),
    (
        "outcome",
        "Say what the finished result must be and how you will know it is right.",
        "outcome_defined",
    ),
    ("deadline", "Agree the date it is due.", None),
    (
        "price",
        "Agree a fixed price, or a cap on the hours billed, before the work starts.",
        None,
    ),
    (
        "procedure",
        "Write down how the task is done, and list what the provider looks after.",
        "procedure_documented",
    ),
    (
        "report",
        "Ask for a short regular report (weekly, say) of what was done.",
        "outcome_defined",
    ),
    (
        "agreement",
        "Put the arrangement in writing: the work, how you keep in touch, how you pay.",
        None,
    ),
    ("review", "Look at the arrangement again at least once a year.", None),
    (
        "let-go",
        "Once it runs, read the report instead of checking or redoing each step.",
        None,
    ),
)
_ITEMS = {key: (text, fact) for key, text, fact in CHECKLIST}


class BriefKind(enum.Enum):
    """What kind of hand-off a brief is for; it decides the items on the checklist."""

    ONE_OFF = "one-off project"
    EXPERTISE = "hire for expertise"
    RECURRING = "recurring chore"

    def __str__(self) -> str:
        return self.value


class Status(enum.Enum):
    """Where a checklist item stands: done, to do, or unknown (its fact is not given)."""

    DONE = "done"
    TO_DO = "to do"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class ChecklistItem:
    """One thing to settle before handing a task off, and where it stands."""

    key: str
    text: str
    status: Status
    fact: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the item as JSON-serialisable data."""
        return {"item": self.key, "text": self.text, "status": self.status.value, "fact": self.fact}


@attrs.frozen
class Handoff:
    """The brief for handing a task off: the provider role and the checklist chosen for it.

    ``role_source`` says where the role came from: ``"category"`` (the
    ruleset's ``roles``), ``"rule"`` (the deciding rule's ``role``) or
    ``"default"``. ``kind`` says what sort of hand-off it is, which chose
    the checklist's items.
    """

    task: str
    role: str
    role_source: str
    checklist: tuple[ChecklistItem, ...]
    kind: BriefKind = BriefKind.RECURRING

    @property
    def ready(self) -> bool:
        """True when every item of the checklist is done."""
        return all(item.status is Status.DONE for item in self.checklist)

    @property
    def to_do(self) -> tuple[ChecklistItem, ...]:
        """The items not known to be done, in checklist order."""
        return tuple(item for item in self.checklist if item.status is not Status.DONE)

    def describe(self) -> str:
        """Say the brief in a few lines: the role, then each item with its status."""
        article = "an" if self.role[:1].lower() in "aeiou" else "a"
        lines = [f"Hand {self.task!r} to {article} {self.role}. Before handing it off:"]
        lines += [
            f"  [{_MARK[item.status]}] {item.text} ({item.status})" for item in self.checklist
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the brief as JSON-serialisable data."""
        return {
            "role": self.role,
            "role_source": self.role_source,
            "kind": self.kind.value,
            "ready": self.ready,
            "checklist": [item.to_dict() for item in self.checklist],
        }


_MARK = {Status.DONE: "x", Status.TO_DO: " ", Status.UNKNOWN: "?"}


def role_for(decision: Decision) -> tuple[str, str]:
    """Return the provider role for *decision* and where it came from."""
    category = decision.task.category
    roles = decision.ruleset.roles
    if category is not None and category in roles:
        return roles[category], "category"
    rule = decision.rule
    if rule is not None and rule.role:
        return rule.role, "rule"
    return DEFAULT_ROLE, "default"


def _status(value: object) -> Status:
    if value is None:
        return Status.UNKNOWN
    return Status.DONE if value else Status.TO_DO


def items_for(*, one_off: bool, skill_gap: bool) -> tuple[str, ...]:
    """Return the keys of the checklist items a brief holds, in checklist order.

    A one-off project: outcome, deadline, price. A recurring chore:
    procedure, report, agreement, review, let go. A skill gap adds the
    expertise item and drops the procedure (the expert brings their own).
    """
    if one_off:
        keys = {"outcome", "deadline", "price"}
    else:
        keys = {"procedure", "report", "agreement", "review", "let-go"}
    if skill_gap:
        keys = (keys - {"procedure"}) | {"expertise"}
    return tuple(key for key, _, _ in CHECKLIST if key in keys)


def handoff(decision: Decision) -> Handoff | None:
    """Return the hand-off brief for an ``outsource`` decision; ``None`` for any other."""
    if decision.verdict is not Verdict.OUTSOURCE:
        return None
    role, source = role_for(decision)
    task = decision.task
    one_off = task.one_off is True
    skill_gap = task.skill is not None and task.skill <= Skill.BASIC
    kind = (
        BriefKind.EXPERTISE if skill_gap else BriefKind.ONE_OFF if one_off else BriefKind.RECURRING
    )
    items = []
    for key in items_for(one_off=one_off, skill_gap=skill_gap):
        text, fact = _ITEMS[key]
        status = _status(getattr(task, fact)) if fact is not None else Status.TO_DO
        items.append(ChecklistItem(key, text, status, fact))
    return Handoff(task.name, role, source, tuple(items), kind)
