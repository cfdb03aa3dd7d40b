"""One decision, looked at: why, why not, what would change it, how to hand it off.

:class:`~outsourcing_rules.Decision` reaches these through its methods
(``why_not()``, ``unknowns()``, ``counterfactuals()``, ``handoff``); the
types they return are public here.
"""

from .counterfactuals import Counterfactual, SearchOptions, counterfactuals
from .handoff import (
    CHECKLIST,
    DEFAULT_ROLE,
    BriefKind,
    ChecklistItem,
    Handoff,
    Status,
    handoff,
)
from .why import Miss, UnknownFact, unknowns, why_not
from .wording import Span

__all__ = [
    "CHECKLIST",
    "DEFAULT_ROLE",
    "BriefKind",
    "ChecklistItem",
    "Counterfactual",
    "Handoff",
    "Miss",
    "SearchOptions",
    "Span",
    "Status",
    "UnknownFact",
    "counterfactuals",
    "handoff",
    "unknowns",
    "why_not",
]
