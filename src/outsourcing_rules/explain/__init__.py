"""One decision, looked at: why, why not, what would change it, how to hand it off.

:class:`~outsourcing_rules.Decision` reaches these through its methods
(``why_not()``, ``unknowns()``, ``counterfactuals()``, ``handoff``); the
types they return are public here.
"""

from .counterfactuals import Counterfactual
from .handoff import BriefKind, ChecklistItem, Handoff, Status
from .why import Miss, UnknownFact
from .wording import Span

__all__ = [
    "BriefKind",
    "ChecklistItem",
    "Counterfactual",
    "Handoff",
    "Miss",
    "Span",
    "Status",
    "UnknownFact",
]
