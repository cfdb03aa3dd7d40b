"""``check``: validate a ruleset, lint it, and verify its invariants.

Exit codes: 0 no errors (warnings are printed but do not fail), 1 a rule can
never apply or an invariant is violated, 2 the ruleset does not load (one
line per problem, with file and line). Which findings are errors and which
are warnings is listed in :mod:`outsourcing_rules.quality.checking`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core.conditions import render_value
from ..core.facts import Owner, Task
from ..quality.checking import CheckReport, Severity, check_ruleset
from . import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, add_engine_option, one_line, whole_number

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``check`` command."""
    check = commands.add_parser(
        "check",
        help="validate a ruleset, lint it and verify its invariants",
        description="Validate a ruleset (exit 2 with file and line when it does not load), "
        "find rules that can never apply (error) or never decide (warning) and unused "
        "parameters (warning), and search for counterexamples to its declared invariants "
        "and the built-in ones (error). Exit 1 on any error.",
    )
    check.add_argument("ruleset", metavar="RULESET", help="a ruleset file or built-in name")
    add_engine_option(check)
    check.add_argument(
        "--max-examples",
        type=whole_number(1, 100_000),
        default=200,
        metavar="N",
        help="cases tried per invariant in the search for counterexamples (default: 200)",
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
        help="only validate and lint; do not search for counterexamples",
    )
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    check.set_defaults(run=run_check)


def _builtin(value: str | None) -> tuple[str, ...] | str | None:
    """Return the built-in invariant names asked for, or an error message."""
    if value is None:
        return None
    from ..engines import available_engines
    from ..testing import BUILTIN_INVARIANTS

    if value.strip() == "none":
        return ()
    if value.strip() == "all":
        usable = [n for n in BUILTIN_INVARIANTS if n != "engines-agree"]
        if "durable" in available_engines():
            usable.append("engines-agree")
        return tuple(usable)
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in BUILTIN_INVARIANTS]
    if unknown:
        return (
            f"--builtin: unknown built-in invariant {unknown[0]!r}; "
            f"use any of {', '.join(BUILTIN_INVARIANTS)}, all or none"
        )
    return names


def _case(task: Task | None, owner: Owner | None) -> str:
    def mapping(data: dict[str, Any]) -> str:
        return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in data.items()) + "}"

    text = f"task {mapping(task.to_dict())}" if task is not None else ""
    if owner is not None:
        text += f", owner {mapping(owner.to_dict())}"
    return text


def _print_text(report: CheckReport, invariants: bool) -> None:
    ordered = sorted(
        report.findings, key=lambda f: (f.severity is not Severity.ERROR, f.path or "", f.line or 0)
    )
    for finding in ordered:
        print(finding)
        if finding.task is not None:
            print(f"    counterexample: {_case(finding.task, finding.owner)}")
    errors, warnings = len(report.errors), len(report.warnings)
    ruleset = report.ruleset
    where = f" ({ruleset.path})" if ruleset.path and ruleset.path != ruleset.name else ""
    if not report.findings:
        checked = (
            "validated, linted and invariants verified" if invariants else "validated and linted"
        )
        print(f"ruleset {ruleset.name!r}{where}: {checked}; no problems found")
        return
    print(
        f"ruleset {ruleset.name!r}{where}: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def _data(report: CheckReport) -> dict[str, Any]:
    return {
        "ruleset": report.ruleset.name,
        "path": report.ruleset.path,
        "ok": report.ok,
        "findings": [f.to_dict() for f in report.findings],
    }


def run_check(args: argparse.Namespace) -> int:
    """Check the ruleset and print the findings."""
    builtin = _builtin(args.builtin)
    if isinstance(builtin, str):
        print(f"error: {one_line(builtin)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = check_ruleset(
        args.ruleset,
        engine=args.engine,
        max_examples=args.max_examples,
        builtin=builtin,
        invariants=not args.no_invariants,
    )
    if args.format == "json":
        print(json.dumps(_data(report), indent=2, ensure_ascii=False))
    else:
        _print_text(report, not args.no_invariants)
    return EXIT_OK if report.ok else EXIT_FAILED
