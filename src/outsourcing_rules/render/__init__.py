"""Decisions and plans written out: one sections model, as text, Markdown, HTML and JSON."""

from .detail import decision_detail, detail_text, owner_text
from .html import decision_html, hours_chart, html_report, sections_html
from .markdown import decision_markdown, markdown_report, sections_markdown
from .report import Report, report_sections
from .sections import Item, Kind, Section, Sections, Span, decision_sections, owner_sections
from .text import sections_text, text_table

__all__ = [
    "Item",
    "Kind",
    "Report",
    "Section",
    "Sections",
    "Span",
    "decision_detail",
    "decision_html",
    "decision_markdown",
    "decision_sections",
    "detail_text",
    "hours_chart",
    "html_report",
    "markdown_report",
    "owner_sections",
    "owner_text",
    "report_sections",
    "sections_html",
    "sections_markdown",
    "sections_text",
    "text_table",
]
