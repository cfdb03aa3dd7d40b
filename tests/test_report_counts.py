"""Counts in the reports carry thousands separators: ``1,200 tasks``, never ``1200 tasks``."""

from __future__ import annotations

import re

from outsourcing_rules import Task, plan
from outsourcing_rules.render.html import html_report
from outsourcing_rules.render.markdown import markdown_report

from _examples import SALLY


def _many(number: int) -> list[Task]:
    """Return *number* tasks: a thousand and one kept, the rest eliminated."""
    kept = [Task(name=f"kept {i}", category="consulting") for i in range(1001)]
    dropped = [
        Task(name=f"dropped {i}", can_be_eliminated=True, times_per_year=52, hours_each=1)
        for i in range(number - len(kept))
    ]
    return kept + dropped


def test_the_summary_counts_tasks_with_separators() -> None:
    """1,200 tasks, 1,001 kept: both reports write the separators, and no bare 1200."""
    the_plan = plan(_many(1200), SALLY)
    page = html_report(the_plan)
    summary = page[page.index('<section class="summary">') :]
    summary = summary[: summary.index("</section>")]
    assert "<b>1,200</b>" in summary
    assert "1,001 keep" in summary
    assert not re.search(r"\b1200\b|\b1001\b", summary)
    text = markdown_report(the_plan)
    assert "1,200" in text
    assert "1,001 keep" in text
    assert not re.search(r"\b1200 tasks|\b1001 keep", text)
