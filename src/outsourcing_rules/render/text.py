"""Readable renderings of decisions for terminals: a table of many, the sections of one.

The command line prints these; applications can too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.conditions import render_value
from ..core.text import money, printable
from ..decisions import Check, Decision
from .sections import Kind, Section, Sections, plain

__all__ = ["MARKS", "reason", "section_lines", "sections_text", "text_table"]

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
