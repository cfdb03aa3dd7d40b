"""The hand-off brief: who to hand an outsourced task to, and what to settle first.

A verdict of ``outsource`` is the start of the work, not its end. The brief
names the provider *role* and lists what a good hand-off needs in place,
each item marked from what the task's facts say:

========================  =======================================  =====================
item                      what it asks                             fact that marks it
========================  =======================================  =====================
``procedure``             a written procedure or system, and a     ``procedure_documented``
                          list of what the provider looks after
``goals``                 goals, success factors, expectations     ``outcome_defined``
``outcome``               the result wanted, its standards and     ``outcome_defined``
                          tools, and a regular report
``agreement``             a written agreement, how you talk and    none: to do
                          how you pay
``instructions``          explicit instructions and deadlines      none: to do
``review``                a review at least once a year            none: to do
========================  =======================================  =====================

A fact that is true marks its items done, false marks them to do, unknown
leaves them unknown. The last three items belong to the hand-off itself, so
they are always still to do when the decision is made.

The role comes from the ruleset's ``roles`` mapping by the task's category
when it names one (who does invoicing is a bookkeeper, whatever the reason to
hand it off), else from the deciding rule's ``role`` (a skill gap in no
listed category goes to a specialist), else :data:`DEFAULT_ROLE`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

from ..core.facts import Verdict

if TYPE_CHECKING:
    from ..decisions import Decision

__all__ = [
    "CHECKLIST",
    "DEFAULT_ROLE",
    "ChecklistItem",
    "Handoff",
    "Status",
    "handoff",
]

#: The role when nothing else names one: the generalist who takes most hand-offs.
DEFAULT_ROLE = "virtual assistant"

#: The readiness checklist: key, what it asks, and the task fact that marks it.
CHECKLIST: tuple[tuple[str, str, str | None], ...] = (
    (
        "procedure",
        "Write the procedure (or set up the system) down, with a list of what the "
        "provider is responsible for.",
        "procedure_documented",
    ),
    (
        "goals",
        "Settle the goals, how success is judged and what you expect.",
        "outcome_defined",
    ),
    (
        "outcome",
        "Hand over the result, not single steps: what you want, to which standard, "
        "with which tools, and a regular report on it.",
        "outcome_defined",
    ),
    (
        "agreement",
        "Sign a written agreement, including how you will keep in touch and pay.",
        None,
    ),
    ("instructions", "Give clear instructions and deadlines.", None),
    ("review", "Review the arrangement at least once a year.", None),
)


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
    """The brief for handing a task off: the provider role and the readiness checklist.

    ``role_source`` says where the role came from: ``"category"`` (the
    ruleset's ``roles``), ``"rule"`` (the deciding rule's ``role``) or
    ``"default"``.
    """

    task: str
    role: str
    role_source: str
    checklist: tuple[ChecklistItem, ...]

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


def handoff(decision: Decision) -> Handoff | None:
    """Return the hand-off brief for an ``outsource`` decision; ``None`` for any other."""
    if decision.verdict is not Verdict.OUTSOURCE:
        return None
    role, source = role_for(decision)
    task = decision.task
    items = tuple(
        ChecklistItem(
            key,
            text,
            _status(getattr(task, fact)) if fact is not None else Status.TO_DO,
            fact,
        )
        for key, text, fact in CHECKLIST
    )
    return Handoff(task.name, role, source, items)
