"""The ``outsourcing-rules`` command: a thin shell over the public API.

Exit codes: 0 success, 1 a check or test failed, 2 bad input (one readable
line naming the file, line and problem; never a traceback), 141 (as for a
SIGPIPE) when whoever read the output closed the pipe early: the output was
cut short, so the command never reports success, whatever it found.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from ..core.rules import ENGINES
from ..core.text import printable
from ..engines import EngineUnavailableError
from ..errors import FactError, InventoryError, OutsourcingRulesError, RulesetError

__all__ = ["main"]

#: Modules that each add commands with a ``register(subparsers)`` function.
COMMAND_MODULES = ("decide", "explain", "scenarios", "diff", "check")
#: The module of a command run on large files: given first, it is the only one imported
#: (the others bring the checker and Hypothesis, a fifth of a second of start-up).
_ALONE = {"decide": "decide"}

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: A closed pipe: 128 + SIGPIPE, what a shell reports for a command it killed.
EXIT_BROKEN_PIPE = 141


def one_line(text: str) -> str:
    """Return *text* with control characters escaped as Python does: one inert line.

    A problem stays one line, and text from a file never drives the terminal.
    """
    return printable(text)


#: Control characters but tab and newline, and the line separators.
_LOOSE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class _Inert:
    r"""Standard output that writes any control character left in text as ``\uXXXX``.

    Every command escapes the texts it prints from files (:func:`printable`);
    this is the last line: whatever a renderer missed, no escape sequence
    reaches the terminal. ``\u001b`` is also what JSON writes, so JSON
    output stays valid JSON.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write *text*, control characters (but tab and newline) escaped."""
        if _LOOSE_CONTROL.search(text):
            text = _LOOSE_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and one line on a usage error (its own default too)."""


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """Return an argument type reading a whole number from *low* to *high*."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low:,} and {high:,}")
        return value

    return read


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--engine`` to a command."""
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="the rules engine (default: durable where it imports, else native)",
    )


def add_ruleset_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--ruleset`` to a command."""
    parser.add_argument(
        "--ruleset",
        default=None,
        metavar="RULESET",
        help="a ruleset file or built-in name (default: the built-in default ruleset)",
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the command line's parser, every command registered.

    With *command*, the first argument of the command line, a command of
    :data:`_ALONE` registers only its own module.
    """
    from .. import __version__

    parser = _Parser(
        prog="outsourcing-rules",
        description="Decide, for each task of a small business, whether to keep, "
        "outsource or eliminate it, and say why.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    alone = _ALONE.get(command or "")
    for name in COMMAND_MODULES if alone is None else (alone,):
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return its exit code.

    What a shell would run as ``outsourcing-rules decide tasks.yaml`` is
    ``main(["decide", "tasks.yaml"])``; the output goes to standard output
    and error as there, and the exit codes are those of the module's
    docstring. ``--help`` and usage errors exit through :exc:`SystemExit`,
    as argparse does.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    stdout, sys.stdout = sys.stdout, _Inert(sys.stdout)
    try:
        code: int = args.run(args)
    except RulesetError as exc:
        for problem in exc.problems:
            print(f"error: {one_line(str(problem))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InventoryError as exc:
        for error in exc.errors:
            print(f"error: {one_line(str(error))}", file=sys.stderr)
        if exc.more:
            print(f"error: ... and {exc.more:,} more problems", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FactError, EngineUnavailableError, OutsourcingRulesError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into head: the output is incomplete
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    finally:
        sys.stdout = stdout
    return code


def run() -> None:  # pragma: no cover - console entry point
    """Console-script entry point."""
    code = main()
    try:
        sys.stdout.flush()  # what is still buffered goes now, while errors can be caught
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    if code == EXIT_BROKEN_PIPE:
        # Python flushes standard output again at exit: point it at nothing,
        # so the closed pipe does not print a second error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(code)
