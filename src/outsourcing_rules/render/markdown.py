"""Markdown reports: a whole plan, or one decision in full.

Everything that comes from the user (task names, categories, roles, rule
ids and reasons) is escaped, so a task called ``a|b *c*`` cannot break a
table or turn into emphasis. The output is CommonMark with GitHub-style
tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..core.text import count, hours, money, number, printable
from ..decisions import Decision
from ..explain.voice import short_reason
from ..explain.why import lost_because
from ..planning.plans import Hire, Plan
from .detail import ECONOMICS_LABELS, change_line, figure
from .text import saving_text

__all__ = ["Progress", "code", "decision_markdown", "escape", "markdown_report"]

#: ``progress(done, total)`` is called as the per-task sections are written.
Progress = Callable[[int, int], None]

# Characters that can mean something mid-line (emphasis, code, links, HTML,
# tables, entities, heading closers, strike-through), and underscores not
# inside a word (inside one, they cannot start emphasis).
_SPECIAL = re.compile(r"([\\`*\[\]<>|#~&]|(?<!\w)_|_(?!\w))")


def escape(text: str) -> str:
    """Escape *text* for Markdown: characters that would mean something get a backslash.

    Line breaks become spaces, so a value never starts a new block, and
    other control characters are written as escapes (such as ESC), so the
    document cannot drive the terminal it is shown in.
    """
    return _SPECIAL.sub(r"\\\1", printable(" ".join(str(text).split())))


def code(text: str) -> str:
    """Render *text* as an inline code span, whatever backticks it holds."""
    flat = printable(" ".join(str(text).split()))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 0) -> list[str]:
    """Return the lines of a GitHub table; the last *right* columns align right."""
    aligns = ["---"] * (len(header) - right) + ["---:"] * right
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _plan_sections(plan: Plan) -> list[str]:
    counts = plan.counts
    lines = [
        "## Summary",
        "",
        f"- Tasks: {len(plan.decisions)} ("
        + ", ".join(f"{counts[v]} {v.value}" for v in counts)
        + ")",
        f"- Hours freed a week: {number(plan.hours_freed_per_week)}"
        + (
            f" ({count(plan.tasks_without_hours, 'task')} with unknown hours)"
            if plan.tasks_without_hours
            else ""
        ),
        "- Saving a year: "
        + ("unknown" if plan.saving_per_year is None else money(plan.saving_per_year))
        + (
            f" ({count(plan.tasks_without_rates, 'task')} without the rates to tell)"
            if plan.tasks_without_rates
            else ""
        ),
    ]
    if plan.one_off_hours_freed or plan.one_off_saving:
        spared = "unknown" if plan.one_off_saving is None else money(plan.one_off_saving)
        lines.append(
            f"- One-off projects handed off or dropped: {hours(plan.one_off_hours_freed)} "
            f"and {spared}, once (not in the weekly figures)"
        )
    if plan.hires:
        lines += ["", "## Who to hire, one at a time", ""]
        lines += _table(
            ("#", "Role", "Tasks", "Hours a week", "Saving a year", "One-off projects"),
            [
                (
                    str(h.rank),
                    escape(h.role),
                    ", ".join(escape(t) for t in h.tasks),
                    _weekly_hours(h),
                    _yearly_saving(h),
                    escape(h.once()),
                )
                for h in plan.hires
            ],
            right=3,
        )
    if plan.frequencies:
        lines += ["", "## Hours a week by frequency", ""]
        lines += _table(
            ("Frequency", "Tasks", "Keep", "Outsource", "Eliminate"),
            [
                (
                    g.band.value,
                    str(len(g.tasks)),
                    number(g.kept_hours_per_week),
                    number(g.outsourced_hours_per_week),
                    number(g.eliminated_hours_per_week),
                )
                for g in plan.frequencies
            ],
            right=4,
        )
    lines += ["", "## Decisions", ""]
    lines += _table(
        ("Task", "Verdict", "Why", "Saving"),
        [
            (
                escape(d.task.name),
                d.verdict.value,
                escape(short_reason(d)),
                saving_text(d),  # a year, or once for a one-off project
            )
            for d in plan.decisions
        ],
        right=1,
    )
    return lines


def _handoff(decision: Decision) -> list[str]:
    brief = decision.handoff
    if brief is None:
        return []
    lines = [f"Hand it to: **{escape(brief.role)}**. Before handing it off:", ""]
    lines += [
        f"- [{'x' if item.status.value == 'done' else ' '}] {escape(item.text)} "
        f"*({item.status.value})*"
        for item in brief.checklist
    ]
    return lines


def _task_section(decision: Decision) -> list[str]:
    lines = [f"### {escape(decision.task.name)}", "", escape(decision.explain())]
    change = change_line(decision)
    if change is not None:
        lines += ["", f"*What would change this:* {escape(change)}"]
    brief = _handoff(decision)
    return [*lines, "", *brief] if brief else lines


def _weekly_hours(hire: Hire) -> str:
    """Return a hire's hours a week: its recurring tasks' only (a project's are said once)."""
    if not hire.recurring:
        return ""
    return number(hire.hours_per_week) if hire.recurring_hours_known else "unknown"


def _yearly_saving(hire: Hire) -> str:
    """Return a hire's saving a year: its recurring tasks' only."""
    if not hire.recurring:
        return ""
    return "unknown" if hire.saving_per_year is None else money(hire.saving_per_year)


def markdown_report(
    plan: Plan, *, title: str = "Delegation plan", progress: Progress | None = None
) -> str:
    """Render *plan* as a Markdown report: summary, hires, frequencies, decisions, each task.

    *progress*, if given, is called with ``(done, total)`` as each task's
    section is written.
    """
    lines = [f"# {escape(title)}", "", *_plan_sections(plan), "", "## Each task"]
    total = len(plan.decisions)
    for done, decision in enumerate(plan.decisions, start=1):
        lines += ["", *_task_section(decision)]
        if progress is not None:
            progress(done, total)
    return "\n".join(lines) + "\n"


def decision_markdown(decision: Decision) -> str:
    """Render one decision in full as Markdown (what ``explain --format markdown`` prints)."""
    rule = decision.rule
    lines = [f"# {escape(decision.task.name)}: {decision.verdict.value}", ""]
    lines.append(
        f"Decided by rule {code(rule.id)} (priority {rule.priority})."
        if rule is not None
        else "No rule applied: the ruleset's default decided."
    )
    lines += ["", escape(decision.explain())]
    if decision.matches:
        lines += ["", "## Rules that applied", ""]
        lines += _table(
            ("Rule", "Verdict", "Priority", "Checks", "Outcome"),
            [
                (
                    escape(m.rule_id),
                    m.verdict.value,
                    str(m.priority),
                    escape("; ".join(c.describe() for c in m.checks)),
                    "decides"
                    if rule is not None and m.rule_id == rule.id
                    else escape(lost_because(m, rule)),
                )
                for m in decision.matches
            ],
        )
    misses = decision.why_not()
    if misses:
        lines += ["", "## Rules that did not apply", ""]
        lines += [f"- {escape(m.describe())}" for m in misses]
    economics = decision.economics.to_dict()
    lines += ["", "## Economics", ""]
    lines += _table(
        ("Figure", "Value"),
        [(label, figure(name, economics[name])) for name, (label, _) in ECONOMICS_LABELS.items()],
        right=1,
    )
    if decision.unknowns():
        lines += ["", "## Unknown facts that matter", ""]
        lines += [f"- {escape(u.describe())}" for u in decision.unknowns()]
    changes = decision.counterfactuals()
    if changes:
        lines += ["", "## What would change the verdict", ""]
        for change in changes:
            by = f"rule {code(change.rule_id)}" if change.rule_id else "the default"
            lines.append(f"- {escape(change.describe())} ({by})")
    brief = decision.handoff
    if brief is not None:
        lines += ["", "## Hand-off", "", *_handoff(decision)]
    source = decision.provenance
    lines += [
        "",
        f"*Ruleset {code(source['ruleset'])} version {escape(str(source['version']))}, "
        f"digest {code(source['digest'])}, {source['engine']} engine.*",
    ]
    return "\n".join(lines) + "\n"
