"""The ``{cli-reference}`` directive: the command line, generated from its own parser.

It walks :func:`outsourcing_rules.cli.build_parser` (and every sub-command
registered in ``COMMAND_MODULES``), so a new command or option appears in
the documentation the moment it is added, with the help text the command
itself prints. No sphinx-argparse: argparse's own formatter writes the usage
lines, at a fixed width so the page does not depend on the terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ._nodes import Cell, code, codes, paragraph, table

#: Width of the usage lines, in characters.
USAGE_WIDTH = 78


def usage(parser: argparse.ArgumentParser) -> str:
    """Return the usage line(s) of *parser*, wrapped at :data:`USAGE_WIDTH`."""
    formatter = parser.formatter_class(prog=parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _subcommands(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


def _argument(action: argparse.Action) -> list[nodes.Node]:
    if action.option_strings:
        shown = ", ".join(action.option_strings)
        if action.nargs != 0:
            if action.metavar:
                shown += f" {action.metavar}"
            elif action.choices:
                shown += " {" + ",".join(str(c) for c in action.choices) + "}"
            else:
                shown += f" {action.dest.upper()}"
        return [code(shown)]
    return [code(str(action.metavar or action.dest))]


def _description(parser: argparse.ArgumentParser, action: argparse.Action) -> list[nodes.Node]:
    formatter = parser.formatter_class(prog=parser.prog)
    text = formatter._expand_help(action) if action.help else ""
    out: list[nodes.Node] = [nodes.Text(text)]
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        out.append(nodes.Text("; one of " if text else "One of "))
        out.extend(codes(str(c) for c in action.choices))
    if action.required and action.option_strings:
        out.append(nodes.Text(" (required)"))
    return out


def arguments_table(parser: argparse.ArgumentParser, *, show_help: bool) -> nodes.table | None:
    """Return the table of *parser*'s arguments, or ``None`` if it has none worth listing.

    ``-h/--help`` is listed only when *show_help* is true (for the program
    itself), not repeated for every command.
    """
    rows: list[list[Cell]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if isinstance(action, argparse._HelpAction) and not show_help:
            continue
        if action.help == argparse.SUPPRESS:
            continue
        rows.append([_argument(action), _description(parser, action)])
    if not rows:
        return None
    return table(["Argument", "What it does"], rows, widths=[30, 70])


class CliReference(SphinxDirective):
    """Document the command line: the program, then one section per command."""

    def run(self) -> list[nodes.Node]:
        """Build the reference from the live parser."""
        from outsourcing_rules.cli import build_parser

        parser = build_parser()
        out: list[nodes.Node] = []
        if parser.description:
            out.append(paragraph(parser.description))
        out.append(nodes.literal_block(text := usage(parser), text, language="text"))
        found = arguments_table(parser, show_help=True)
        if found is not None:
            out.append(found)
        out.extend(self._commands(parser, prefix="cli"))
        return out

    def _commands(self, parser: argparse.ArgumentParser, prefix: str) -> list[nodes.Node]:
        sections: list[nodes.Node] = []
        for name, summary, sub in _subcommands(parser):
            anchor = f"{prefix}-{name}"
            section = nodes.section(ids=[anchor], names=[anchor])
            title = nodes.title()
            title += code(sub.prog)
            section += title
            text = sub.description or summary
            if text:
                section += paragraph(text)
            section += nodes.literal_block(text := usage(sub), text, language="text")
            found = arguments_table(sub, show_help=False)
            if found is not None:
                section += found
            section.extend(self._commands(sub, prefix=anchor))
            self.state.document.note_implicit_target(section, section)
            sections.append(section)
        return sections


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("cli-reference", CliReference)
