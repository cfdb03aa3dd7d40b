"""The ``{ruleset-table}`` directive: a ruleset rendered as tables, from the loaded ruleset.

The argument is a built-in ruleset's name (``default``) or a ruleset file,
relative to the page. ``:part:`` picks what to show:

* ``rules``: priority, id, condition (as written in the file), verdict and
  provider role, and the reason, in decision order, ending with the default;
* ``parameters``: each parameter's value and the rules that use it;
* ``roles``: the provider role for each task category;
* ``invariants``: the promises the ruleset makes.

What is shown is what :func:`outsourcing_rules.load_ruleset` built, after
``extends`` and ``overrides``, so the page documents the ruleset the library
actually evaluates.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ._nodes import Cell, code, codes, flow_yaml, table

PARTS = ("rules", "parameters", "roles", "invariants")


def _verdict(verdict: Any, role: str | None = None) -> list[nodes.Node]:
    out: list[nodes.Node] = [nodes.strong("", verdict.value)]
    if role:
        out.append(nodes.Text(f" ({role})"))
    return out


def rules_table(ruleset: Any) -> nodes.table:
    """Return the rules of *ruleset* in decision order, ending with its default."""
    from outsourcing_rules.core.conditions import to_data

    rows: list[list[Cell]] = [
        [
            str(rule.priority),
            code(rule.id),
            code(flow_yaml(to_data(rule.when))),
            _verdict(rule.verdict, rule.role),
            rule.because,
        ]
        for rule in ruleset.rules
    ]
    rows.append(
        [
            "",
            nodes.emphasis("", "default"),
            nodes.emphasis("", "no rule applies"),
            _verdict(ruleset.default_verdict),
            ruleset.default_because,
        ]
    )
    return table(["Priority", "Rule", "When", "Then", "Because"], rows, widths=[8, 14, 28, 14, 36])


def parameters_table(ruleset: Any) -> nodes.table:
    """Return each parameter of *ruleset*, its value and the rules that refer to it."""
    from outsourcing_rules.core.conditions import atoms

    rows: list[list[Cell]] = []
    for name, value in ruleset.parameters.items():
        users = [
            rule.id
            for rule in ruleset.rules
            if any(atom.parameter == name for atom in atoms(rule.when))
        ]
        rows.append([code(f"${name}"), code(flow_yaml(value)), codes(users) or "none"])
    return table(["Parameter", "Value", "Used by"], rows, widths=[40, 20, 40])


def roles_table(ruleset: Any) -> nodes.table:
    """Return the provider role of each task category."""
    rows: list[list[Cell]] = [[code(category), role] for category, role in ruleset.roles.items()]
    return table(["Category", "Provider role"], rows, widths=[40, 60])


def invariants_table(ruleset: Any) -> nodes.table:
    """Return the invariants of *ruleset*."""
    from outsourcing_rules.core.conditions import to_data

    rows: list[list[Cell]] = [
        [
            code(flow_yaml(to_data(inv.when))),
            [nodes.Text("always " if inv.always else "never "), *_verdict(inv.verdict)],
            inv.description or "",
        ]
        for inv in ruleset.invariants
    ]
    return table(["When", "Verdict", "Promise"], rows, widths=[35, 20, 45])


_BUILDERS = {
    "rules": rules_table,
    "parameters": parameters_table,
    "roles": roles_table,
    "invariants": invariants_table,
}


class RulesetTable(SphinxDirective):
    """Render part of a ruleset as a table."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "part": lambda text: directives.choice(text, PARTS),
    }

    def run(self) -> list[nodes.Node]:
        """Load the ruleset and build the table."""
        from outsourcing_rules import RulesetError, load_ruleset
        from outsourcing_rules.loading.reading import BUILTIN_RULESETS

        source = self.arguments[0]
        if source not in BUILTIN_RULESETS:
            _rel, path = self.env.relfn2path(source, self.env.docname)
            if not os.path.isfile(path):
                raise self.error(f"no built-in ruleset or file {source!r}")
            self.env.note_dependency(path)
            source = str(path)
        try:
            ruleset = load_ruleset(source)
        except RulesetError as exc:
            raise self.error(f"the ruleset {source!r} does not load: {exc}") from None
        part = self.options.get("part", "rules")
        if part != "rules" and not getattr(ruleset, part):
            return [nodes.paragraph(text=f"This ruleset has no {part}.")]
        return [_BUILDERS[part](ruleset)]


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("ruleset-table", RulesetTable)
