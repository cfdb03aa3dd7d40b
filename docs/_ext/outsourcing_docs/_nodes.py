"""Small builders for the docutils nodes the generated pages are made of."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeAlias

from docutils import nodes

#: What a table cell may hold: plain text, one node, or several inline nodes.
Cell: TypeAlias = str | nodes.Node | Sequence[nodes.Node]


def code(text: str) -> nodes.literal:
    """Return *text* as inline code."""
    return nodes.literal(text, text)


def joined(items: Iterable[nodes.Node | str], sep: str = ", ") -> list[nodes.Node]:
    """Return *items* as inline nodes separated by *sep*."""
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(sep))
        out.append(nodes.Text(item) if isinstance(item, str) else item)
    return out


def either(items: Sequence[nodes.Node | str]) -> list[nodes.Node]:
    """Return *items* as alternatives: ``a, b or c``."""
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(" or " if index == len(items) - 1 else ", "))
        out.append(nodes.Text(item) if isinstance(item, str) else item)
    return out


def codes(texts: Iterable[str], sep: str = ", ") -> list[nodes.Node]:
    """Return each of *texts* as inline code, separated by *sep*."""
    return joined((code(t) for t in texts), sep)


def paragraph(*content: nodes.Node | str) -> nodes.paragraph:
    """Return a paragraph of inline nodes and text."""
    para = nodes.paragraph()
    for item in content:
        para += nodes.Text(item) if isinstance(item, str) else item
    return para


def _cell(content: Cell) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(content, str):
        entry += nodes.paragraph(content, content)
    elif isinstance(content, nodes.Node):
        entry += content if isinstance(content, nodes.Body) else paragraph(content)
    else:
        entry += paragraph(*content)
    return entry


def table(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[int]
) -> nodes.table:
    """Return a table with a header row; *widths* are relative column widths."""
    tgroup = nodes.tgroup(cols=len(header))
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(_cell(h) for h in header))
    tgroup += head
    body = nodes.tbody()
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row has {len(row)} cells for {len(header)} columns")
        body += nodes.row("", *(_cell(c) for c in row))
    tgroup += body
    result = nodes.table("", tgroup)
    result["classes"].append("outsourcing-docs")
    return result


def flow_yaml(value: object) -> str:
    """Render plain data as compact YAML flow style, as people write conditions."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
