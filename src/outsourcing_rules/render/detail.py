"""One decision in full: verdict, matches, misses, economics, unknowns, counterfactuals, hand-off.

:func:`decision_detail` gathers everything known about a decision as plain
data (what ``outsourcing-rules explain --format json`` prints);
:func:`detail_text` renders the same as text for a terminal. Markdown lives
in :mod:`outsourcing_rules.render.markdown`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.conditions import render_value
from ..core.text import money, printable
from ..decisions import Decision
from ..explain.why import lost_because

#: How each economic figure is labelled, and whether it is money.
ECONOMICS_LABELS: dict[str, tuple[str, bool]] = {
    "hours_per_year": ("Hours a year", False),
    "hours_per_week": ("Hours a week", False),
    "owner_cost_per_year": ("Owner's time a year", True),
    "provider_cost_per_year": ("Provider's price a year", True),
    "saving_per_year": ("Saving a year", True),
    "saving_per_week": ("Saving a week", True),
}


def figure(name: str, value: float | None) -> str:
    """Render one economic figure: money as ``$850``, hours to one decimal; ``unknown``."""
    if value is None:
        return "unknown"
    if ECONOMICS_LABELS[name][1]:
        return money(value)
    return render_value(round(value, 1))


def decision_detail(decision: Decision) -> dict[str, Any]:
    """Return everything about *decision* as JSON-serialisable data.

    :meth:`Decision.to_dict`, which carries it all, with the counterfactuals
    of up to two changes that :func:`detail_text` shows too (what
    ``outsourcing-rules explain --format json`` prints, for one task).
    """
    return decision.to_dict(max_changes=2)


def money_of(decision: Decision) -> Callable[[float], str]:
    """Return a formatter of amounts in *decision*'s owner's currency and locale."""
    owner = decision.owner
    currency = None if owner is None else owner.currency
    locale = None if owner is None else owner.locale
    return lambda amount: money(amount, currency, locale)


def change_line(decision: Decision) -> str | None:
    """Say the first thing that would change the verdict, in the owner's words (None: nothing)."""
    changes = decision.counterfactuals()
    return changes[0].advice(money_of(decision)) if changes else None


def owner_text(decision: Decision) -> str:
    """Render *decision* for the owner: the explanation, what would change it, the hand-off.

    No rule ids, priorities or fact names; :func:`detail_text` is the rule
    author's full view.
    """
    lines = [f"{printable(decision.task.name)}: {decision.verdict.value.upper()}", ""]
    lines.append(decision.explain())
    changes = decision.counterfactuals()[:3]
    lines += _section("What would change this:", [c.advice(money_of(decision)) for c in changes])
    brief = decision.handoff
    if brief is not None:
        lines += ["", "Hand-off:", *(f"  {line}" for line in brief.describe().splitlines())]
    return "\n".join(lines)


def _section(title: str, lines: list[str]) -> list[str]:
    # One item, one line: what an item quotes from a file cannot break it or drive a terminal.
    return ["", title, *(f"  {printable(line)}" for line in lines)] if lines else []


def detail_text(decision: Decision) -> str:
    """Render *decision* in full as plain text, one section after another."""
    rule = decision.rule
    head = f"{printable(decision.task.name)}: {decision.verdict.value.upper()}"
    head += (
        f" (rule {rule.id}, priority {rule.priority})"
        if rule is not None
        else " (no rule applied: the ruleset's default)"
    )
    lines = [head, "", decision.explain(), "", decision.trace()]
    matches = []
    for match in decision.matches:
        checks = "; ".join(c.describe() for c in match.checks)
        note = "decides" if rule is not None and match.rule_id == rule.id else None
        note = note or f"lost: {lost_because(match, rule)}"
        matches.append(f"{match.rule_id} ({match.verdict.value}, {note}): {checks}")
    lines += _section("Rules that applied:", matches)
    lines += _section("Rules that did not apply:", [m.describe() for m in decision.why_not()])
    economics = decision.economics.to_dict()
    width = max(len(label) for label, _ in ECONOMICS_LABELS.values())
    lines += _section(
        "Economics:",
        [
            f"{label.ljust(width)}  {figure(name, economics[name])}"
            for name, (label, _) in ECONOMICS_LABELS.items()
        ],
    )
    lines += _section("Unknown facts that matter:", [u.describe() for u in decision.unknowns()])
    changes = [
        f"{c.describe()} ({f'rule {c.rule_id}' if c.rule_id else 'the default'})"
        for c in decision.counterfactuals()
    ]
    lines += _section("What would change the verdict:", changes)
    brief = decision.handoff
    if brief is not None:
        lines += [
            "",
            "Hand-off:",
            *(f"  {printable(line)}" for line in brief.describe().splitlines()),
        ]
    source = decision.provenance
    version = f" version {source['version']}" if source["version"] is not None else ""
    lines += [
        "",
        f"Decided by ruleset {source['ruleset']!r}{version} (digest {source['digest']}) "
        f"on the {source['engine']} engine.",
    ]
    return "\n".join(lines)
