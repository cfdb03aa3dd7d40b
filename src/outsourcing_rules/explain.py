"""Explanations a person can read: why the winner won, why the others lost.

The text is rendered from a decision's matches (which cite only conditions
that hold on the task's facts) only when asked for, so deciding stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conditions import render_value

if TYPE_CHECKING:
    from .decisions import Decision, Match
    from .rules import Rule

__all__ = ["explain", "lost_because", "money", "printable"]

#: Control characters and line separators, escaped as Python writes them.
_CONTROL = {
    code: repr(chr(code))[1:-1] for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


def printable(text: str) -> str:
    """Return *text* with control characters escaped, so it cannot drive a terminal.

    A task name from an inventory may hold escape sequences or newlines; in
    a table or a summary they would recolour the terminal or break the layout.
    """
    return text.translate(_CONTROL)


_VERB = {"keep": "Keep", "outsource": "Outsource", "eliminate": "Eliminate"}


def money(amount: float | None) -> str:
    """Render an amount of money: ``$44,200``; ``unknown`` for ``None``."""
    if amount is None:
        return "unknown"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.0f}"


def lost_because(match: Match, winner: Rule | None) -> str:
    """Say why *match* did not decide, given the deciding rule *winner*."""
    if winner is None:  # pragma: no cover - a match means a winner exists
        return "no rule decided"
    if match.priority < winner.priority:
        agrees = " (it agrees on the verdict)" if match.verdict is winner.verdict else ""
        return f"priority {match.priority} is below {winner.id}'s {winner.priority}{agrees}"
    return f"same priority and verdict as {winner.id}, which is written first"


def _checks(match: Match) -> str:
    return "; ".join(check.describe() for check in match.checks)


def explain(decision: Decision, *, verbose: bool = False) -> str:
    """Return a short paragraph explaining *decision*.

    With *verbose*, add the rules for another verdict that did not apply and
    the unknown facts that could change the verdict (see :mod:`.whynot`).
    """
    verdict = decision.verdict.value
    head = f"{_VERB[verdict]} {decision.task.name!r}"
    winner = decision.rule
    matches = decision.matches
    if winner is None:
        text = (
            f"{head}: no rule of ruleset {decision.ruleset.name!r} applied, so its default "
            f"decides. {decision.because}"
        )
    else:
        first = matches[0]
        text = (
            f"{head}: rule {winner.id} decides (priority {winner.priority}) because "
            f"{_checks(first)}. {winner.because}"
        )
        others = matches[1:]
        if others:
            parts = [
                f"{m.rule_id} would {m.verdict.value} ({_checks(m)}), but its "
                + lost_because(m, winner)
                for m in others
            ]
            text += " Also applied: " + "; ".join(parts) + "."
    saving = decision.economics.saving_per_year
    if saving is not None and verdict == "outsource":
        per_week = decision.economics.saving_per_week
        text += f" Handing it off saves about {money(saving)} a year ({money(per_week)} a week)."
    hours = decision.economics.hours_per_week
    if hours is not None and verdict != "keep":
        text += f" It takes {render_value(round(hours, 1))} hours a week."
    if verbose:
        from .whynot import why_not_text

        more = why_not_text(decision)
        text += f" {more}" if more else ""
    return text
