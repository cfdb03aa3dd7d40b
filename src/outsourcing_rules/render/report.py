"""A plan laid out once: the sections of a report, which Markdown and HTML both write.

:func:`report_sections` decides what a plan's report says, in which order
and under which titles: the lede, the summary figures, who to hire, the
hours a week by frequency, the table of decisions, then each task (laid
out by :func:`~.sections.owner_sections`, one change each) and where the
decisions came from. :func:`~.markdown.markdown_report` and
:func:`~.html.html_report` only lay it out.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..core.facts import Verdict
from ..core.text import count, hours, money, number
from ..explain.voice import short_reason
from ..planning.plans import Hire, Plan
from .sections import Kind, Line, Section, Span
from .text import saving_text


@attrs.frozen
class Report:
    """A plan's report: its title, its sections, the title over the tasks, the small print."""

    title: str
    sections: tuple[Section, ...]
    #: The title over the tasks, each laid out by :func:`~.sections.owner_sections`.
    tasks_title: str
    footer: Section | None

    def to_dict(self) -> dict[str, Any]:
        """Return the report's layout as JSON-serialisable data (the tasks are not in it)."""
        return {
            "title": self.title,
            "sections": [s.to_dict() for s in self.sections],
            "tasks_title": self.tasks_title,
            "footer": None if self.footer is None else self.footer.to_dict(),
        }


def _cells(*texts: str) -> tuple[Line, ...]:
    return tuple((Span(text),) for text in texts)


def _summary(plan: Plan) -> Section:
    counts = plan.counts
    without_hours = plan.tasks_without_hours
    without_rates = plan.tasks_without_rates
    figures = [
        (
            number(len(plan.decisions)),
            "tasks: " + ", ".join(f"{number(counts[v])} {v.value}" for v in Verdict),
        ),
        (
            number(plan.hours_freed_per_week),
            "hours freed a week"
            + (f" ({count(without_hours, 'task')} with unknown hours)" if without_hours else ""),
        ),
        (
            "unknown" if plan.saving_per_year is None else money(plan.saving_per_year),
            "saved a year"
            + (
                f" ({count(without_rates, 'task')} without the rates to tell)"
                if without_rates
                else ""
            ),
        ),
        (number(len(plan.hires)), "roles to hire, one at a time"),
    ]
    if plan.one_off_hours_freed or plan.one_off_saving:
        spared = "unknown" if plan.one_off_saving is None else money(plan.one_off_saving)
        figures.append(
            (
                hours(plan.one_off_hours_freed),
                f"of one-off projects handed off or dropped, once ({spared}; "
                "not in the weekly figures)",
            )
        )
    return Section(
        "summary",
        Kind.FIGURES,
        "Summary",
        header=("Figure", "What it counts"),
        rows=tuple(_cells(*pair) for pair in figures),
    )


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


def _hires(plan: Plan) -> Section | None:
    if not plan.hires:
        return None
    return Section(
        "hires",
        Kind.TABLE,
        "Who to hire, one at a time",
        header=("#", "Role", "Tasks", "Hours a week", "Saving a year", "One-off projects"),
        rows=tuple(
            _cells(
                str(h.rank),
                h.role,
                ", ".join(h.tasks),
                _weekly_hours(h),
                _yearly_saving(h),
                h.once(),
            )
            for h in plan.hires
        ),
        numeric=(3, 4),
    )


def _frequencies(plan: Plan) -> Section | None:
    if not plan.frequencies:
        return None
    return Section(
        "frequencies",
        Kind.TABLE,
        "Hours a week by frequency",
        header=("Frequency", "Tasks", "Keep", "Outsource", "Eliminate"),
        rows=tuple(
            _cells(
                g.band.value,
                str(len(g.tasks)),
                number(g.kept_hours_per_week),
                number(g.outsourced_hours_per_week),
                number(g.eliminated_hours_per_week),
            )
            for g in plan.frequencies
        ),
        numeric=(1, 2, 3, 4),
    )


def _decisions(plan: Plan) -> Section | None:
    if not plan.decisions:
        return None
    return Section(
        "decisions",
        Kind.TABLE,
        "Decisions",
        header=("Task", "Verdict", "Why", "Saving"),
        rows=tuple(
            (
                (Span(d.task.name, target=f"task-{i}"),),
                (Span(d.verdict.value, "verdict"),),
                (Span(short_reason(d)),),
                (Span(saving_text(d)),),  # a year, or once for a one-off project
            )
            for i, d in enumerate(plan.decisions, start=1)
        ),
        numeric=(3,),
    )


def _footer(plan: Plan) -> Section:
    from .. import __version__

    rulesets = sorted({(d.ruleset.name, d.ruleset.digest, d.engine) for d in plan.decisions})
    made_by = "; ".join(
        f"ruleset {name} ({digest}), {engine} engine" for name, digest, engine in rulesets
    )
    said = f"Made by outsourcing_rules {__version__}" + (f" with {made_by}" if made_by else "")
    return Section("provenance", Kind.NOTE, paragraphs=((Span(said + "."),),))


def report_sections(plan: Plan, *, title: str = "Delegation plan") -> Report:
    """Lay *plan* out as a report: what every format of the report shows, in order."""
    lede = Section(
        "lede",
        Kind.TEXT,
        paragraphs=((Span("What to keep, what to hand off and what to drop, and why."),),),
    )
    found = [lede, _summary(plan), _hires(plan), _frequencies(plan), _decisions(plan)]
    return Report(
        title=title,
        sections=tuple(s for s in found if s is not None),
        tasks_title="Each task",
        footer=_footer(plan),
    )
