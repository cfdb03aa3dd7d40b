"""One decision in full: verdict, matches, misses, economics, unknowns, counterfactuals, hand-off.

:func:`decision_detail` gathers everything known about a decision as plain
data (what ``outsourcing-rules explain --format json`` prints);
:func:`detail_text` and :func:`owner_text` write the sections of
:mod:`outsourcing_rules.render.sections` as text for a terminal. Markdown
and HTML write the same sections in :mod:`outsourcing_rules.render.markdown`
and :mod:`outsourcing_rules.render.html`.
"""

from __future__ import annotations

from typing import Any

from ..decisions import Decision
from .sections import decision_sections, owner_sections
from .text import sections_text


def decision_detail(decision: Decision) -> dict[str, Any]:
    """Return everything about *decision* as JSON-serialisable data.

    :meth:`Decision.to_dict`, which carries it all, with the counterfactuals
    of up to two changes that :func:`detail_text` shows too (what
    ``outsourcing-rules explain --format json`` prints, for one task).
    """
    return decision.to_dict(max_changes=2)


def owner_text(decision: Decision) -> str:
    """Render *decision* for the owner: the explanation, what would change it, the hand-off.

    No rule ids, priorities or fact names (:func:`~.sections.owner_sections`);
    :func:`detail_text` is the rule author's full view.
    """
    return sections_text(owner_sections(decision))


def detail_text(decision: Decision) -> str:
    """Render *decision* in full as plain text, one section after another.

    The sections of :func:`~.sections.decision_sections`, the same that
    :func:`~.markdown.decision_markdown` writes.
    """
    return sections_text(decision_sections(decision))
