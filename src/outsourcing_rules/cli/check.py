"""``check``: validate a ruleset, analyse its rules, and prove its invariants.

Exit codes: 0 no errors (warnings are printed but do not fail, unless
``--strict``), 1 a rule can never apply, an invariant is violated (or, with
``--strict``, any warning), 2 the ruleset does not load (one line per
problem on standard error, with file, line and column, and in the same run
the lint of the rules that could be read on standard output) or a bad option.
Which findings are errors, warnings and notes is listed in
:mod:`outsourcing_rules.quality.findings`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import attrs

from ..core.rules import Limits
from ..errors import MissingExtraError, RulesetError
from ..quality.checking import check_ruleset
from ..quality.findings import Severity
from ..quality.problems import find_problems
from ..quality.verification import Budget
from ..render.findings import FORMATS, render_check, render_problems
from . import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, add_engine_option, one_line, whole_number

#: ``--max-...`` options, one per field of :class:`~outsourcing_rules.Limits`.
LIMIT_OPTIONS = tuple(field.name for field in attrs.fields(Limits))


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} must be more than 0 and at most 3600 seconds")
    return value


def register(commands: Any) -> None:
    """Add the ``check`` command."""
    check = commands.add_parser(
        "check",
        help="validate a ruleset, analyse its rules and prove its invariants",
        description="Validate a ruleset (exit 2 with file, line and column when it does not "
        "load, listing every problem and linting the rules that could be read); "
        "analyse its rules exactly with the z3 solver (rules that never apply are errors; "
        "rules that never decide, redundant, identical or equivalent rules are warnings; "
        "overlaps and gaps are notes), and prove its declared invariants and the built-in "
        "ones, or refute them with a counterexample task (error). Exit 1 on any error.",
    )
    check.add_argument("ruleset", metavar="RULESET", help="a ruleset file or built-in name")
    add_engine_option(check)
    check.add_argument(
        "--method",
        choices=("auto", "exact", "search"),
        default="auto",
        help="exact: prove with z3; search: look for counterexamples with Hypothesis; "
        "auto (default): exact where z3 is installed",
    )
    check.add_argument(
        "--timeout",
        type=_seconds,
        default=Budget().timeout,
        metavar="SECONDS",
        help=f"time budget of each solver query (default: {Budget().timeout:g})",
    )
    check.add_argument(
        "--max-examples",
        type=whole_number(1, 100_000),
        default=None,
        metavar="N",
        help="cases tried per invariant searched with Hypothesis (default: 200 with "
        "--method search; with the solver, also search the engine invariants "
        "deterministic and name-irrelevant with N cases)",
    )
    check.add_argument(
        "--builtin",
        default=None,
        metavar="NAMES",
        help="comma-separated built-in invariants to verify, 'all', or 'none' "
        "(default: the ones every ruleset must keep)",
    )
    check.add_argument(
        "--no-invariants",
        action="store_true",
        help="only validate, lint and analyse; do not verify invariants",
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 on any)"
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, sarif (code scanning) or github (Actions annotations)",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="also list notes and every proof"
    )
    limits = check.add_argument_group(
        "limits", "raise the loader's limits for a ruleset you trust (see Limits)"
    )
    defaults = Limits()
    for name in LIMIT_OPTIONS:
        limits.add_argument(
            f"--{name.replace('_', '-')}",
            type=whole_number(0 if name == "max_extends" else 1, 10**9),
            default=None,
            metavar="N",
            help=f"default: {getattr(defaults, name):,}",
        )
    check.set_defaults(run=run_check)


def _builtin(value: str | None) -> tuple[str, ...] | str | None:
    """Return the built-in invariant names asked for, or an error message."""
    if value is None:
        return None
    from ..engines import available_engines
    from ..errors import suggest
    from ..quality.verification import BUILTIN_NAMES

    if value.strip() == "none":
        return ()
    if value.strip() == "all":
        usable = [n for n in BUILTIN_NAMES if n != "engines-agree"]
        if "durable" in available_engines():
            usable.append("engines-agree")
        return tuple(usable)
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in BUILTIN_NAMES]
    if unknown:
        hint = suggest(unknown[0], BUILTIN_NAMES)
        return (
            f"--builtin: unknown built-in invariant {unknown[0]!r}"
            + (f" (did you mean {hint!r}?)" if hint else "")
            + f"; use any of {', '.join(BUILTIN_NAMES)}, all or none"
        )
    return names


def _limits(args: argparse.Namespace) -> Limits | str | None:
    given = {n: getattr(args, n) for n in LIMIT_OPTIONS if getattr(args, n) is not None}
    if not given:
        return None
    for name, value in given.items():
        try:
            Limits(**{name: value})
        except ValueError as exc:
            return f"--{name.replace('_', '-')}: {exc}"
    return Limits(**given)


def run_check(args: argparse.Namespace) -> int:
    """Check the ruleset and print the findings."""
    builtin = _builtin(args.builtin)
    limits = _limits(args)
    for problem in (builtin, limits):
        if isinstance(problem, str):
            print(f"error: {one_line(problem)}", file=sys.stderr)
            return EXIT_BAD_INPUT
    assert not isinstance(builtin, str)
    assert not isinstance(limits, str)
    try:
        report = check_ruleset(
            args.ruleset,
            engine=args.engine,
            max_examples=args.max_examples,
            builtin=builtin,
            invariants=not args.no_invariants,
            method=args.method,
            budget=Budget(timeout=args.timeout),
            limits=limits,
        )
    except ImportError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        if isinstance(exc, MissingExtraError) and exc.missing == "Hypothesis":
            print(
                "hint: without the extra, `check --no-invariants` validates and lints the ruleset",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT
    except RulesetError as exc:
        return _not_loaded(args, exc, limits)
    output = render_check(report, args.format, verbose=args.verbose, strict=args.strict)
    if output:
        print(output)
    return EXIT_OK if report.passed(strict=args.strict) else EXIT_FAILED


def _not_loaded(args: argparse.Namespace, error: RulesetError, limits: Limits | None) -> int:
    """Report a ruleset that does not load: every problem, and the lint of the rules read."""
    for problem in error.problems:
        print(f"error: {one_line(str(problem))}", file=sys.stderr)
    try:
        found = find_problems(
            args.ruleset,
            limits=limits,
            method=args.method,
            budget=Budget(timeout=args.timeout),
            engine=args.engine,
        )
    except ImportError as exc:  # --method exact without z3: the problems are said above
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    shown = [
        f
        for f in found
        if f.code != "invalid" and (args.verbose or f.severity is not Severity.INFO)
    ]
    if args.format != "text" or shown:
        print(
            render_problems(
                found,
                args.format,
                verbose=args.verbose,
                name=args.ruleset,
                path=error.path,
                lint_only=True,
            )
        )
    return EXIT_BAD_INPUT
