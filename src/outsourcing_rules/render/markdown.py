"""Markdown reports: a whole plan, or one decision in full, from its sections.

Everything that comes from the user (task names, categories, roles, rule
ids and reasons) is escaped, so a task called ``a|b *c*`` cannot break a
table or turn into emphasis. The output is CommonMark with GitHub-style
tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..core.text import printable
from ..decisions import Decision
from ..planning.plans import Plan
from .report import report_sections
from .sections import Kind, Line, Section, Sections, Span, decision_sections, owner_sections

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


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> list[str]:
    """Return the lines of a GitHub table; the columns in *numeric* align right."""
    aligns = ["---:" if i in numeric else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _run(span: Span) -> str:
    """Write one span: escaped, as code or strong; the spaces at its ends kept."""
    if span.style == "code":
        return code(span.text)
    text = escape(span.text)
    if not text:
        return " " if span.text[:1].isspace() else ""
    lead = " " if span.text[:1].isspace() else ""
    trail = " " if span.text[-1:].isspace() else ""
    return lead + (f"**{text}**" if span.style == "strong" else text) + trail


def _spans(line: Line) -> str:
    return "".join(_run(span) for span in line)


def _section(section: Section, level: int, *, compact: bool) -> list[str]:
    """Return the lines of one section: a heading (or, *compact*, a label) and its blocks."""
    blocks = [[_spans(p)] for p in section.paragraphs]
    if section.kind is Kind.NOTE:
        blocks = [[f"*{block[0]}*"] for block in blocks]
    if section.items:
        blocks.append(
            [
                f"- [{'x' if item.status == 'done' else ' '}] {_spans(item.text)} "
                f"*({escape(item.status)})*"
                if item.status is not None
                else f"- {_spans(item.text)}"
                for item in section.items
            ]
        )
    if section.kind is Kind.FIGURES:
        blocks.append(["- " + " ".join(_spans(cell) for cell in row) for row in section.rows])
    elif section.rows:
        rows = [[_spans(cell) for cell in row] for row in section.rows]
        blocks.append(_table(section.header, rows, numeric=section.numeric))
    if section.title is not None and not compact:
        blocks.insert(0, [f"{'#' * (level + 1)} {escape(section.title)}"])
    elif section.title is not None:
        label = f"*{escape(section.title)}:*"
        if not section.paragraphs and section.kind is Kind.LIST and len(section.items) == 1:
            blocks = [[f"{label} {_spans(section.items[0].text)}"]]
        elif section.paragraphs:
            blocks[0][0] = f"{label} {blocks[0][0]}"
        else:
            blocks.insert(0, [label])
    lines: list[str] = []
    for block in blocks:
        lines += ["", *block] if lines else block
    return lines


def _page(page: Sections, level: int, *, compact: bool) -> list[str]:
    lines = [f"{'#' * level} {escape(page.task)}: {page.verdict.value}"]
    for section in page.sections:
        lines += ["", *_section(section, level, compact=compact)]
    return lines


def sections_markdown(page: Sections) -> str:
    """Render a decision's sections as a Markdown page: ``# Task: verdict``, a ``##`` each."""
    return "\n".join(_page(page, 1, compact=False)) + "\n"


def markdown_report(
    plan: Plan, *, title: str = "Delegation plan", progress: Progress | None = None
) -> str:
    """Render *plan* as a Markdown report: the sections of :func:`~.report.report_sections`.

    The lede, summary, hires, frequencies and decisions, then each task.
    *progress*, if given, is called with ``(done, total)`` as each task's
    section is written.
    """
    report = report_sections(plan, title=title)
    lines = [f"# {escape(report.title)}"]
    for section in report.sections:
        lines += ["", *_section(section, 1, compact=False)]
    total = len(plan.decisions)
    if total:
        lines += ["", f"## {escape(report.tasks_title)}"]
    for done, decision in enumerate(plan.decisions, start=1):
        lines += ["", *_page(owner_sections(decision, changes=1), 3, compact=True)]
        if progress is not None:
            progress(done, total)
    if report.footer is not None:
        lines += ["", *_section(report.footer, 1, compact=False)]
    return "\n".join(lines) + "\n"


def decision_markdown(decision: Decision) -> str:
    """Render one decision in full as Markdown (what ``explain --format markdown`` prints).

    The sections of :func:`~.sections.decision_sections`, the same that
    :func:`~.detail.detail_text` writes.
    """
    return sections_markdown(decision_sections(decision))
