"""The ``{rule-facts}`` and ``{rule-operators}`` directives: the rule language's vocabulary.

Both tables are rendered from :data:`outsourcing_rules.core.vocabulary.FACTS` and
:data:`~outsourcing_rules.core.vocabulary.OPERATORS`, the same objects the loader
checks rulesets against, so a fact or operator the library accepts is a
fact or operator the documentation lists, and nothing else.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ._nodes import Cell, code, codes, joined, table

_SOURCES = {"task": "task", "owner": "owner", "derived": "derived"}


def kind_text(kind: Any) -> list[nodes.Node]:
    """Say what values a fact of *kind* holds, naming the levels of an ordered kind."""
    levels = kind.levels
    if levels is not None:
        return [nodes.Text("level: "), *codes(levels.names(), " < ")]
    return [
        nodes.Text(
            {
                "bool": "true or false",
                "number": "number",
                "text": "text",
                "labels": "set of labels",
            }[kind.value]
        )
    ]


def _needs(spec: Any) -> list[nodes.Node]:
    from outsourcing_rules.core import vocabulary

    # Inputs that are not rule facts themselves (the task's stated
    # core_competency, the owner's list of core categories) are named by
    # where they come from.
    hidden: dict[str, tuple[str, str]] = getattr(vocabulary, "_HIDDEN_INPUTS", {})
    parts: list[nodes.Node] = []
    for need in spec.needs:
        if need in hidden:
            source, attribute = hidden[need]
            parts.append(nodes.inline("", "", nodes.Text(f"the {source}'s "), code(attribute)))
        else:
            parts.append(code(need))
    return [nodes.Text("Computed from "), *joined(parts)]


def facts_table(source: str | None) -> nodes.table:
    """Return the table of rule facts, only those of *source* (task, owner, derived) if given."""
    from outsourcing_rules.core.vocabulary import FACTS

    rows: list[list[Cell]] = []
    for name, spec in FACTS.items():
        if source is not None and spec.source != source:
            continue
        meaning: list[nodes.Node] = [nodes.Text(spec.description)]
        if spec.needs:
            meaning += [nodes.Text(" "), *_needs(spec), nodes.Text(".")]
        if spec.source != "derived" and spec.attribute and spec.attribute != name:
            meaning += [
                nodes.Text(f" Read from the {spec.source}'s "),
                code(spec.attribute),
                nodes.Text("."),
            ]
        rows.append(
            [
                code(name),
                kind_text(spec.kind),
                codes(sorted(spec.operators, key=_operator_order)),
                meaning,
            ]
        )
    return table(["Fact", "Value", "Operators", "Meaning"], rows, widths=[20, 22, 20, 38])


def _operator_order(op: str) -> int:
    from outsourcing_rules.core.vocabulary import OPERATORS

    return list(OPERATORS).index(op)


def operators_table() -> nodes.table:
    """Return the table of operators: what each means and the kinds of facts it applies to."""
    from outsourcing_rules.core.vocabulary import FACTS, OPERATORS

    rows: list[list[Cell]] = []
    for op, meaning in OPERATORS.items():
        kinds: list[str] = []
        for spec in FACTS.values():
            label = spec.kind.value
            if op in spec.operators and label not in kinds:
                kinds.append(label)
        rows.append([code(op), meaning, codes(kinds)])
    return table(["Operator", "Meaning", "Facts of kind"], rows, widths=[15, 35, 50])


class RuleFacts(SphinxDirective):
    """The table of facts a rule may test."""

    option_spec = {"source": lambda text: directives.choice(text, tuple(_SOURCES))}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        """Build the table."""
        return [facts_table(self.options.get("source"))]


class RuleOperators(SphinxDirective):
    """The table of comparison operators."""

    def run(self) -> list[nodes.Node]:
        """Build the table."""
        return [operators_table()]


def setup(app: Sphinx) -> None:
    """Register the directives."""
    app.add_directive("rule-facts", RuleFacts)
    app.add_directive("rule-operators", RuleOperators)
