"""Markdown reports: a plan with every task, one decision in full, and safe escaping."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from outsourcing_rules import Task, decide, plan
from outsourcing_rules.core.text import printable
from outsourcing_rules.render.markdown import code, decision_markdown, escape, markdown_report

from _examples import FLIGHTS, INVOICING, SALLY

TASKS = [
    INVOICING,
    FLIGHTS,
    Task(name="Old report", can_be_eliminated=True, times_per_year=52, hours_each=1),
]


def _cells(row: str) -> list[str]:
    """Split a table row on its unescaped pipes."""
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_report_sections_in_order() -> None:
    """Title, summary, hires, frequencies, decisions, then a section per task with its verdict."""
    text = markdown_report(plan(TASKS, SALLY), title="Sally's plan")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Sally's plan",
        "## Summary",
        "## Who to hire, one at a time",
        "## Hours a week by frequency",
        "## Decisions",
        "## Each task",
        "### Client invoicing: outsource",
        "### Book flights: keep",
        "### Old report: eliminate",
    ]
    assert "\nWhat to keep, what to hand off and what to drop, and why.\n" in text
    assert "- 5 hours freed a week\n" in text
    assert "- 3 tasks: 1 keep, 1 outsource, 1 eliminate\n" in text
    assert "| 1 | bookkeeper | Client invoicing | 4 | $44,200 |" in text
    assert "- [ ] Put the arrangement in writing" in text


def test_tables_have_even_rows() -> None:
    """Every table row has as many cells as its header, whatever the task names hold."""
    odd = Task(name="a | b *c* [d](e) <i>x</i>", skill="none", times_per_year=20, hours_each=1)
    text = markdown_report(plan([*TASKS, odd], SALLY))
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
        elif block:
            widths = {len(_cells(row)) for row in block}
            assert len(widths) == 1, block
            block = []
    assert "a \\| b \\*c\\* \\[d\\](e) \\<i\\>x\\</i\\>" in text


def test_progress_is_reported() -> None:
    """The progress callback sees every task, ending at the total."""
    seen: list[tuple[int, int]] = []
    markdown_report(plan(TASKS, SALLY), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_decision_in_full() -> None:
    """One decision: rule, explanation, matches, misses, economics, unknowns, changes, brief."""
    text = decision_markdown(decide(TASKS[0], SALLY, engine="native"))
    assert text.startswith("# Client invoicing: outsource\n\nDecided by rule `opportunity-cost`")
    for heading in (
        "## Rules that applied",
        "## Rules that did not apply",
        "## Economics",
        "## Unknown facts that matter",
        "## What would change the verdict",
        "## Hand-off",
    ):
        assert f"\n{heading}\n" in text
    assert "| Saving a year | $44,200 |" in text
    assert "- would be kept if it came up 5 or fewer times a year (rule `low-frequency`)" in text
    assert text.endswith("native engine.*\n")


def test_decision_of_the_default_has_no_matches_table() -> None:
    """No rule applied: the page says so and has no matches section."""
    text = decision_markdown(decide(Task(name="x", core_competency=False)))
    assert "No rule applied: the ruleset's default decided." in text
    assert "## Rules that applied" not in text


def test_escape_keeps_words_readable() -> None:
    """Underscores inside words stay; markup characters and line breaks do not."""
    assert escape("rate_ratio") == "rate_ratio"
    assert escape("_x_ *y*") == "\\_x\\_ \\*y\\*"
    assert escape("two\nlines") == "two lines"
    assert escape("a|b") == "a\\|b"


def test_code_spans_hold_backticks() -> None:
    """A code span is fenced with more backticks than it holds."""
    assert code("plain") == "`plain`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"


@given(st.text(max_size=30))
def test_escaped_text_reads_back(text: str) -> None:
    """Removing the escapes gives the text back: whitespace runs one space, controls escaped."""
    unescaped = re.sub(r"\\(.)", r"\1", escape(text))
    assert unescaped == printable(" ".join(text.split()))
