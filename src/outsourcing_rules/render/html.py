"""A self-contained HTML report of a plan: summary, chart, hires, decisions, each task.

The page needs nothing from outside itself: the styles are inline, the chart
of hours a week by frequency band and verdict is an inline SVG, and there
are no scripts, fonts, images or links beyond anchors within the page. Every
piece of text that comes from the user (task names, roles, reasons) is
HTML-escaped, so a task called ``<script>`` is shown, not run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ..core.facts import Verdict
from ..core.text import hours, money, number, printable
from ..decisions import Decision
from ..explain.voice import short_reason
from ..planning.plans import Plan
from .detail import change_line
from .markdown import Progress, _weekly_hours, _yearly_saving
from .text import saving_text

__all__ = ["hours_chart", "html_report"]

_STYLE = """
:root { --keep: #4c78a8; --outsource: #f58518; --eliminate: #9d755d; --ink: #1d1d1f;
        --muted: #5f6368; --line: #d9d9de; --paper: #ffffff; --band: #f5f5f7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink); overflow-wrap: anywhere;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .75rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.lede { color: var(--muted); margin: 0 0 1.5rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; list-style: none; }
.figures li { background: var(--band); border-radius: .5rem; padding: .75rem 1rem;
              min-width: 11rem; }
.figures b { display: block; font-size: 1.4rem; }
.figures small { color: var(--muted); }
.table { max-width: 100%; overflow-x: auto; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { font-weight: 600; background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { display: inline-block; border-radius: 1rem; padding: 0 .6rem; color: #fff;
           font-size: .85rem; font-weight: 600; }
.verdict.keep { background: var(--keep); }
.verdict.outsource { background: var(--outsource); }
.verdict.eliminate { background: var(--eliminate); }
article { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem;
          margin: 0 0 1rem; }
article p { margin: .25rem 0 .5rem; }
ul.checklist { list-style: none; padding-left: 0; margin: .25rem 0 0; }
ul.checklist li::before { display: inline-block; width: 1.5rem; font-weight: 700; }
ul.checklist li.done::before { content: "\\2713"; color: #2e7d32; }
ul.checklist li.to-do::before { content: "\\25A1"; color: var(--muted); }
ul.checklist li.unknown::before { content: "?"; color: var(--outsource); }
ul.checklist small { color: var(--muted); }
svg.chart { width: 100%; height: auto; max-width: 44rem; display: block; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.chart .keep { fill: var(--keep); }
svg.chart .outsource { fill: var(--outsource); }
svg.chart .eliminate { fill: var(--eliminate); }
svg.chart .axis { stroke: var(--line); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
a { color: inherit; }
@media print { article { break-inside: avoid; } }
"""

_VERBS = {Verdict.KEEP: "keep", Verdict.OUTSOURCE: "outsource", Verdict.ELIMINATE: "eliminate"}


def _e(text: object) -> str:
    # Control characters as escapes too: the page may be read with cat.
    return html.escape(printable(str(text)), quote=True)


def _n(value: float) -> str:
    """Return a coordinate for SVG, with at most one decimal."""
    return f"{value:.1f}".removesuffix(".0")


def hours_chart(plan: Plan) -> str:
    """Return an inline SVG bar chart: hours a week per frequency band, split by verdict."""
    groups = plan.frequencies
    label_width, bar_width, row, top = 90, 460, 30, 36
    total = max((sum(g.hours(v) for v in Verdict) for g in groups), default=0.0)
    height = top + row * max(len(groups), 1) + 10
    width = label_width + bar_width + 90
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Hours a week by frequency and verdict</title>',
        '<desc id="chart-desc">One bar per frequency band; each bar is split into the hours '
        "a week kept, outsourced and eliminated.</desc>",
    ]
    x = label_width
    for verdict in Verdict:
        parts.append(
            f'<rect class="{_VERBS[verdict]}" x="{x}" y="8" width="12" height="12" rx="2"/>'
            f'<text x="{x + 17}" y="18">{verdict.value}</text>'
        )
        x += 110
    if total <= 0:
        parts.append(f'<text x="{label_width}" y="{top + 18}">No hours are known yet.</text>')
    for index, group in enumerate(groups if total > 0 else ()):
        y = top + index * row
        parts.append(f'<text x="0" y="{y + 18}">{_e(group.band.value)}</text>')
        x_at = float(label_width)
        for verdict in Verdict:
            spent = group.hours(verdict)
            if spent <= 0:
                continue
            span = bar_width * spent / total
            parts.append(
                f'<rect class="{_VERBS[verdict]}" x="{_n(x_at)}" y="{y + 4}" '
                f'width="{_n(max(span, 0.5))}" height="{row - 10}">'
                f"<title>{_e(group.band.value)}, {verdict.value}: "
                f"{number(spent)} hours a week</title></rect>"
            )
            x_at += span
        shown = number(sum(group.hours(v) for v in Verdict))
        parts.append(f'<text x="{_n(x_at + 6)}" y="{y + 18}">{shown} h</text>')
    parts.append(
        f'<line class="axis" x1="{label_width}" y1="{top - 2}" x2="{label_width}" '
        f'y2="{height - 6}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _table(
    header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    """Return an HTML table; cells are HTML already; columns in *numeric* align right."""
    head = "".join(
        f'<th{" class=num" if i in numeric else ""} scope="col">{_e(h)}</th>'
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return (
        f'<div class="table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _badge(verdict: Verdict) -> str:
    return f'<span class="verdict {_VERBS[verdict]}">{verdict.value}</span>'


def _summary(plan: Plan) -> str:
    counts = plan.counts
    saving = "unknown" if plan.saving_per_year is None else money(plan.saving_per_year)
    notes = []
    if plan.tasks_without_hours:
        notes.append(f"{plan.tasks_without_hours} with unknown hours")
    if plan.tasks_without_rates:
        notes.append(f"{plan.tasks_without_rates} without the rates to tell the saving")
    items = [
        (
            str(len(plan.decisions)),
            "tasks, " + ", ".join(f"{counts[v]} {v.value}" for v in Verdict),
        ),
        (number(plan.hours_freed_per_week), "hours freed a week"),
        (saving, "saved a year"),
        (str(len(plan.hires)), "roles to hire, one at a time"),
    ]
    if plan.one_off_hours_freed or plan.one_off_saving:
        spared = "unknown" if plan.one_off_saving is None else money(plan.one_off_saving)
        items.append((hours(plan.one_off_hours_freed), f"of one-off projects, once ({spared})"))
    figures = "".join(
        f"<li><b>{_e(big)}</b><small>{_e(small)}</small></li>" for big, small in items
    )
    note = f"<p class=lede>Of the tasks handed off or dropped: {_e('; '.join(notes))}.</p>"
    return f'<ul class="figures">{figures}</ul>' + (note if notes else "")


def _task(index: int, decision: Decision) -> str:
    parts = [
        f'<article id="task-{index}"><h3>{_e(decision.task.name)} {_badge(decision.verdict)}</h3>',
        f"<p>{_e(decision.explain())}</p>",
    ]
    change = change_line(decision)
    if change is not None:
        parts.append(f'<p class="change"><b>What would change this:</b> {_e(change)}</p>')
    brief = decision.handoff
    if brief is not None:
        items = "".join(
            f'<li class="{item.status.value.replace(" ", "-")}">{_e(item.text)} '
            f"<small>({_e(item.status.value)})</small></li>"
            for item in brief.checklist
        )
        parts.append(
            f"<p>Hand it to: <strong>{_e(brief.role)}</strong>. Before handing it off:</p>"
            f'<ul class="checklist">{items}</ul>'
        )
    parts.append("</article>")
    return "".join(parts)


def html_report(
    plan: Plan, *, title: str = "Delegation plan", progress: Progress | None = None
) -> str:
    """Render *plan* as one self-contained HTML page.

    *progress*, if given, is called with ``(done, total)`` as each task's
    section is written.
    """
    from .. import __version__

    sections = [
        f"<h1>{_e(title)}</h1>",
        "<p class=lede>What to keep, what to hand off and what to drop, and why.</p>",
        _summary(plan),
        '<h2 id="chart">Hours a week by frequency</h2>',
        hours_chart(plan),
    ]
    if plan.hires:
        sections.append('<h2 id="hires">Who to hire, one at a time</h2>')
        sections.append(
            _table(
                ("#", "Role", "Tasks", "Hours a week", "Saving a year", "One-off projects"),
                (
                    (
                        str(h.rank),
                        _e(h.role),
                        _e(", ".join(h.tasks)),
                        _e(_weekly_hours(h)),
                        _e(_yearly_saving(h)),
                        _e(h.once()),
                    )
                    for h in plan.hires
                ),
                numeric=(3, 4),
            )
        )
    if plan.frequencies:
        sections.append('<h2 id="frequency">Tasks by frequency</h2>')
        sections.append(
            _table(
                ("Frequency", "Tasks", "Kept h/week", "Outsourced h/week", "Eliminated h/week"),
                (
                    (
                        _e(g.band.value),
                        str(len(g.tasks)),
                        number(g.kept_hours_per_week),
                        number(g.outsourced_hours_per_week),
                        number(g.eliminated_hours_per_week),
                    )
                    for g in plan.frequencies
                ),
                numeric=(1, 2, 3, 4),
            )
        )
    sections.append('<h2 id="decisions">Decisions</h2>')
    sections.append(
        _table(
            ("Task", "Verdict", "Why", "Saving"),
            (
                (
                    f'<a href="#task-{i}">{_e(d.task.name)}</a>',
                    _badge(d.verdict),
                    _e(short_reason(d)),
                    _e(saving_text(d)),  # a year, or once for a one-off project
                )
                for i, d in enumerate(plan.decisions, start=1)
            ),
            numeric=(3,),
        )
    )
    sections.append('<h2 id="tasks">Each task</h2>')
    total = len(plan.decisions)
    for index, decision in enumerate(plan.decisions, start=1):
        sections.append(_task(index, decision))
        if progress is not None:
            progress(index, total)
    rulesets = sorted({(d.ruleset.name, d.ruleset.digest, d.engine) for d in plan.decisions})
    made_by = "; ".join(
        f"ruleset {name} ({digest}), {engine} engine" for name, digest, engine in rulesets
    )
    sections.append(
        f"<footer>Made by outsourcing_rules {_e(__version__)}"
        + (f" with {_e(made_by)}" if made_by else "")
        + ".</footer>"
    )
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
