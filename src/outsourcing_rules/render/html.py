"""Self-contained HTML: a plan's report (summary, chart, hires, decisions, each task), a decision.

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
from ..core.text import number, printable
from ..decisions import Decision
from ..planning.plans import Plan
from .markdown import Progress
from .report import report_sections
from .sections import Kind, Line, Section, Sections, Span, decision_sections, owner_sections

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


def _span(span: Span) -> str:
    if span.style == "verdict":
        said = _badge(Verdict(span.text))
    elif span.style in ("code", "strong"):
        said = f"<{span.style}>{_e(span.text)}</{span.style}>"
    else:
        said = _e(span.text)
    return said if span.target is None else f'<a href="#{_e(span.target)}">{said}</a>'


def _spans(line: Line) -> str:
    return "".join(_span(span) for span in line)


def _section(section: Section, level: int, *, compact: bool, figure: str = "") -> str:
    """Return one section: a heading (or, *compact*, a bold label) and its content.

    *figure*, HTML already, goes under the heading (the chart of the hours).
    """
    mark = f' class="{section.key}"'  # a key is one of the library's own words
    if section.kind is Kind.NOTE and not compact:
        return "<footer>" + "".join(_spans(p) for p in section.paragraphs) + "</footer>"
    label = f"<b>{_e(section.title)}:</b> " if compact and section.title is not None else ""
    if label and not section.paragraphs and section.kind is Kind.LIST and len(section.items) == 1:
        return f"<p{mark}>{label}{_spans(section.items[0].text)}</p>"
    parts = []
    if section.title is not None and not compact:
        parts.append(f'<h{level + 1} id="{section.key}">{_e(section.title)}</h{level + 1}>')
        parts.append(figure)
    elif label and not section.paragraphs:
        parts.append(f"<p{mark}>{label.rstrip()}</p>")
    for place, paragraph in enumerate(section.paragraphs):
        said = _spans(paragraph)
        said = f"<small>{said}</small>" if section.kind is Kind.NOTE else said
        parts.append(f"<p{mark}>{label if place == 0 else ''}{said}</p>")
    if section.kind is Kind.CHECKLIST:
        items = "".join(
            f'<li class="{(item.status or "unknown").replace(" ", "-")}">{_spans(item.text)} '
            f"<small>({_e(item.status)})</small></li>"
            for item in section.items
        )
        parts.append(f'<ul class="checklist">{items}</ul>')
    elif section.items:
        items = "".join(f"<li>{_spans(item.text)}</li>" for item in section.items)
        parts.append(f"<ul>{items}</ul>")
    if section.kind is Kind.FIGURES:
        shown = "".join(
            f"<li><b>{_spans(big)}</b><small>{_spans(small)}</small></li>"
            for big, small in section.rows
        )
        parts.append(f'<ul class="figures">{shown}</ul>')
    elif section.rows:
        rows = ([_spans(cell) for cell in row] for row in section.rows)
        parts.append(_table(section.header, rows, numeric=section.numeric))
    body = "".join(parts)
    return body if compact else f"<section{mark}>{body}</section>"


def sections_html(page: Sections, *, level: int = 1, compact: bool = False) -> str:
    """Render a decision's sections as HTML: a heading with the verdict, then each section.

    At *level* 1 the heading is ``<h1>`` and each titled section a
    ``<section>`` under an ``<h2>``; *compact* (a plan's task cards) writes
    the titles as bold labels instead.
    """
    head = f"<h{level}>{_e(page.task)} {_badge(page.verdict)}</h{level}>"
    return head + "".join(_section(s, level, compact=compact) for s in page.sections)


def _task(index: int, decision: Decision) -> str:
    card = sections_html(owner_sections(decision, changes=1), level=3, compact=True)
    return f'<article id="task-{index}">{card}</article>'


def _document(title: str, body: str) -> str:
    """Return a whole page: the inline styles, *title*, *body* in ``<main>``."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def decision_html(decision: Decision) -> str:
    """Render one decision in full as a self-contained HTML page (``explain --format html``).

    The sections of :func:`~.sections.decision_sections`, the same that
    :func:`~.detail.detail_text` and :func:`~.markdown.decision_markdown` write.
    """
    page = decision_sections(decision)
    return _document(f"{page.task}: {page.verdict.value}", sections_html(page))


def html_report(
    plan: Plan, *, title: str = "Delegation plan", progress: Progress | None = None
) -> str:
    """Render *plan* as one self-contained HTML page.

    *progress*, if given, is called with ``(done, total)`` as each task's
    section is written.
    """
    report = report_sections(plan, title=title)
    parts = [f"<h1>{_e(report.title)}</h1>"]
    for section in report.sections:
        chart = hours_chart(plan) if section.key == "frequencies" else ""
        parts.append(_section(section, 1, compact=False, figure=chart))
    total = len(plan.decisions)
    if total:
        parts.append(f'<h2 id="tasks">{_e(report.tasks_title)}</h2>')
    for index, decision in enumerate(plan.decisions, start=1):
        parts.append(_task(index, decision))
        if progress is not None:
            progress(index, total)
    if report.footer is not None:
        parts.append(_section(report.footer, 1, compact=False))
    return _document(title, "\n".join(parts))
