"""Readable renderings of decisions: a plain-text table for terminals.

The command line prints these; applications can too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.conditions import render_value
from ..core.text import money, printable
from ..decisions import Check, Decision

_SYMBOLS = {
    "eq": "=",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "in": "in",
    "not_in": "not in",
}


def _short(check: Check) -> str:
    if check.op == "eq" and isinstance(check.expected, bool):
        return check.fact if check.expected else f"not {check.fact}"
    shown = render_value(check.actual)
    return f"{check.fact} {shown} ({_SYMBOLS[check.op]} {render_value(check.expected)})"


def reason(decision: Decision) -> str:
    """Say in a few words which rule decided and on what: ``skill-gap: skill basic (<= basic)``."""
    if decision.rule_id is None:
        return "default: no rule applied"
    checks = decision.matches[0].checks
    return f"{decision.rule_id}: " + ", ".join(_short(c) for c in checks)


def _saving(decision: Decision) -> str:
    """Return the saving of a hand-off a year; a one-off project's once, never a year."""
    saving = decision.economics.saving_per_year
    if saving is None or decision.verdict.value != "outsource":
        return ""
    return f"{money(saving)} once" if decision.task.one_off else money(saving)


#: The widest a column of :func:`text_table` grows: longer cells are cut with an ellipsis,
#: so one absurd name cannot widen every line of the table.
MAX_COLUMN_WIDTH = 60


def _fit(text: str) -> str:
    return text if len(text) <= MAX_COLUMN_WIDTH else text[: MAX_COLUMN_WIDTH - 1] + "…"


def text_table(decisions: Sequence[Decision]) -> str:
    """Render decisions as an aligned table: task, verdict, deciding reason, saving a year.

    No column is wider than :data:`MAX_COLUMN_WIDTH` characters: a longer
    task name or reason is cut short with an ellipsis (the plan's other
    formats and ``explain`` show it whole).
    """
    header = ("Task", "Verdict", "Why", "Saving/yr")
    rows = [
        (
            _fit(printable(d.task.name)),
            d.verdict.value,
            _fit(printable(reason(d))),
            _saving(d),
        )
        for d in decisions
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i == len(cells) - 1 else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
