"""The ``{console}`` directive: a shell session with ``outsourcing-rules`` that is tested.

A reader sees an ordinary terminal session::

    ```{console}
    :cwd: examples

    $ outsourcing-rules decide video-editor.yaml
    Task   Verdict ...
    ```

In the doctest build, each ``$`` command is run through
:func:`outsourcing_rules.cli.main` (in-process, with standard error shown as
a terminal would show it) from the directory ``:cwd:`` names, relative to the
page, and its output is compared with the lines shown under it, exactly as a
doctest compares (``...`` matches anything). ``echo $?`` prints the exit
code of the previous command.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from collections.abc import Sequence
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

PROGRAM = "outsourcing-rules"
PROMPT = "$ "

_last_exit_code = 0


def run_command(command: str, cwd: str) -> None:
    """Run one shell *command* of a ``{console}`` block in *cwd*, printing what a terminal shows.

    Only ``outsourcing-rules ...`` and ``echo $?`` are understood: the
    documentation shows nothing else, and running anything else would be a
    mistake in a page.
    """
    global _last_exit_code
    words = shlex.split(command)
    if words == ["echo", "$?"]:
        print(_last_exit_code)
        return
    if not words or words[0] != PROGRAM:
        raise ValueError(f"a {{console}} block may only run {PROGRAM}, not {command!r}")
    from outsourcing_rules.cli import main

    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(sys.stdout):
            try:
                code = main(words[1:])
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    finally:
        os.chdir(before)
    _last_exit_code = code


def sessions(lines: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Split a console block into ``(command, output lines)`` pairs."""
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith(PROMPT):
            found.append((line[len(PROMPT) :].strip(), []))
        elif found:
            found[-1][1].append(line.rstrip())
        elif line.strip():
            raise ValueError(f"output before the first '$ ' command: {line!r}")
    return found


def doctest_source(pairs: Sequence[tuple[str, list[str]]], cwd: str) -> str:
    """Return the doctest that runs *pairs* of command and expected output in *cwd*."""
    out = [">>> from outsourcing_docs.console import run_command"]
    for command, output in pairs:
        while output and not output[-1]:
            output = output[:-1]
        out.append(f">>> run_command({command!r}, cwd={cwd!r})")
        out.extend(line if line else "<BLANKLINE>" for line in output)
    return "\n".join(out) + "\n"


class Console(SphinxDirective):
    """Show a terminal session and run it as a doctest."""

    has_content = True
    option_spec: ClassVar[dict[str, object]] = {"cwd": directives.unchanged}  # type: ignore[misc]

    def run(self) -> list[nodes.Node]:
        """Build the literal block, carrying the hidden doctest that checks it."""
        try:
            pairs = sessions(list(self.content))
        except ValueError as exc:
            raise self.error(str(exc)) from None
        if not pairs:
            raise self.error("a {console} block needs at least one '$ ' command")
        _rel, cwd = self.env.relfn2path(self.options.get("cwd", "."), self.env.docname)
        if not os.path.isdir(cwd):
            raise self.error(f"{{console}} :cwd: {cwd} is not a directory")
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, language="console")
        block["testnodetype"] = "doctest"
        block["groups"] = ["default"]
        block["test"] = doctest_source(pairs, str(cwd))
        self.set_source_info(block)
        return [block]


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("console", Console)
