"""Decisions and plans written out: text tables, Markdown, HTML, the detail view."""

from .detail import decision_detail, detail_text
from .html import hours_chart, html_report
from .markdown import decision_markdown, markdown_report
from .text import text_table

__all__ = [
    "decision_detail",
    "decision_markdown",
    "detail_text",
    "hours_chart",
    "html_report",
    "markdown_report",
    "text_table",
]
