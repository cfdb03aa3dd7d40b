"""Readable renderings of decisions for terminals: a table of many, the sections of one.

The command line prints these; applications can too. The table speaks to
the owner: its "Why" column is the short reason of the owner's voice
(:mod:`outsourcing_rules.explain.voice`); the rule author's words
(:func:`reason`: rule id and checks) are there on request.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..core.conditions import Check, render_value
from ..core.text import money, printable
from ..decisions import Decision
from ..explain.voice import short_reason
from .sections import Kind, Section, Sections, plain

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


def saving_text(decision: Decision) -> str:
    """Say what handing the task off saves: ``$1,800 a year``, or ``$260 once`` for a project.

    Empty unless the verdict is to outsource and the saving is known; in the
    owner's currency and locale.
    """
    saving = decision.economics.saving_per_year
    if saving is None or decision.verdict.value != "outsource":
        return ""
    owner = decision.owner
    shown = money(saving, getattr(owner, "currency", None), getattr(owner, "locale", None))
    return f"{shown} once" if decision.task.one_off else f"{shown} a year"


#: The widest a column of :func:`text_table` grows: a longer task name is cut with an
#: ellipsis, so one absurd name cannot widen every line of the table.
MAX_COLUMN_WIDTH = 60

#: The width the "Why" column wraps at: reasons run over several lines, broken between words.
WHY_WIDTH = 48


def _fit(text: str) -> str:
    return text if len(text) <= MAX_COLUMN_WIDTH else text[: MAX_COLUMN_WIDTH - 1] + "…"


def why(decision: Decision, *, trace: bool = False) -> str:
    """Say why, for the table's "Why" column: the owner's short reason, or with *trace* the rule's.

    The owner's reason is :func:`~outsourcing_rules.explain.voice.short_reason`
    (``You have basic skill at it.``): the words :meth:`Decision.explain`
    opens with, without rule ids, priorities or fact names. *trace* gives
    the rule author's :func:`reason` instead.
    """
    return printable(reason(decision) if trace else short_reason(decision))


def _wrapped(text: str, width: int) -> list[str]:
    # Break between words; a single word wider than the column is the only thing split.
    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def text_table(
    decisions: Sequence[Decision], *, trace: bool = False, width: int = WHY_WIDTH
) -> str:
    """Render decisions as an aligned table: task, verdict, why, and what a hand-off saves.

    The "Why" column is the reason told to the owner (see :func:`why`;
    *trace* shows the deciding rule and its checks instead), wrapped between
    words at *width* characters onto as many lines as it needs. A task name
    longer than :data:`MAX_COLUMN_WIDTH` characters is cut short with an
    ellipsis (the plan's other formats and ``explain`` show it whole). The
    saving is a year's for recurring work and a one-off project's once.
    """
    if width < 10:
        raise ValueError(f"width must be at least 10 characters, not {width}")
    header = ("Task", "Verdict", "Why", "Saving")
    rows: list[tuple[str, ...]] = []
    for d in decisions:
        first, *rest = _wrapped(why(d, trace=trace), width)
        rows.append((_fit(printable(d.task.name)), d.verdict.value, first, saving_text(d)))
        rows.extend(("", "", line, "") for line in rest)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i == len(cells) - 1 else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


#: How a checklist item's status is marked in text: ``[x]``, ``[ ]``, ``[?]``.
MARKS = {"done": "x", "to do": " ", "unknown": "?"}


def _aligned(section: Section, indent: str) -> list[str]:
    """Lay a table section out in aligned columns, header and rule first; numbers right."""
    cells = [list(section.header)] + [[printable(plain(c)) for c in row] for row in section.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(section.header))]

    def line(row: Sequence[str]) -> str:
        last = len(row) - 1
        return (
            indent
            + "  ".join(
                c.rjust(w) if i in section.numeric else (c if i == last else c.ljust(w))
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )

    # A last column of words is not padded, so its rule is only as wide as its header.
    last = len(widths) - 1
    rules = [
        "-" * (w if i < last or i in section.numeric else len(cells[0][i]))
        for i, w in enumerate(widths)
    ]
    return [line(cells[0]), indent + "  ".join(rules), *(line(row) for row in cells[1:])]


def section_lines(section: Section) -> list[str]:
    """Return the lines of one section as text: ``Title:``, then its content indented."""
    indent = "" if section.title is None else "  "
    lines = [] if section.title is None else [f"{section.title}:"]
    # One paragraph or item, one line: what it quotes from a file cannot break it.
    lines += [indent + printable(plain(p)) for p in section.paragraphs]
    for item in section.items:
        text = printable(plain(item.text))
        if item.status is None:
            lines.append(indent + text)
        else:
            lines.append(f"{indent}  [{MARKS.get(item.status, '?')}] {text} ({item.status})")
    if section.kind is Kind.FIGURES:
        lines += [indent + " ".join(printable(plain(c)) for c in row) for row in section.rows]
    elif section.rows:
        lines += _aligned(section, indent)
    return lines


def sections_text(page: Sections) -> str:
    """Render a decision's sections as plain text: ``Task: VERDICT``, then each section."""
    lines = [f"{printable(page.task)}: {page.verdict.value.upper()}"]
    for section in page.sections:
        lines += ["", *section_lines(section)]
    return "\n".join(lines)
