"""``test``: run scenario files against a ruleset, optionally with rule coverage.

Exit codes: 0 every case passed, 1 some case failed, 2 bad input (a scenario
file, task or ruleset that does not load, or a case naming a rule the
ruleset lacks), with one line per problem.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..core.rules import Ruleset
from ..decisions import Decision
from ..errors import Problem
from ..quality.coverage import measure_coverage
from ..quality.scenarios import (
    CaseResult,
    ScenarioError,
    ScenarioFile,
    load_scenarios,
    run_scenarios,
)
from . import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, add_engine_option, one_line


def register(commands: Any) -> None:
    """Add the ``test`` command."""
    test = commands.add_parser(
        "test",
        help="run scenario files (*.cases.yaml) against a ruleset",
        description="Decide every case of the scenario files and compare with what each "
        "expects. Exit 0 when all pass, 1 when any fails, 2 on bad input.",
    )
    test.add_argument("cases", nargs="+", metavar="CASES", help="scenario files (YAML)")
    test.add_argument(
        "--ruleset",
        default=None,
        metavar="RULESET",
        help="run every case against this ruleset (a file or built-in name) instead of "
        "the one its file names (default: the file's ruleset, else the built-in default)",
    )
    add_engine_option(test)
    test.add_argument(
        "--coverage",
        action="store_true",
        help="report rules that never applied or decided, and comparisons not seen "
        "true, false and unknown",
    )
    test.add_argument(
        "-v", "--verbose", action="store_true", help="list passing cases too, not only failures"
    )
    test.set_defaults(run=run_test)


def _load_all(paths: list[str]) -> list[ScenarioFile]:
    """Read every file, reporting the problems of all of them before giving up."""
    loaded: list[ScenarioFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_scenarios(path))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return loaded


def _print_result(result: CaseResult, verbose: bool) -> None:
    if result.passed:
        if verbose:
            print(f"ok    {result.summary()}")
        return
    print(f"FAIL  {result.summary()}")
    for failure in result.failures:
        print(f"        - {failure}")


def run_test(args: argparse.Namespace) -> int:
    """Run the scenario files; print failures, a summary and optionally coverage."""
    try:
        files = _load_all(args.cases)
        runs: list[tuple[ScenarioFile, list[CaseResult]]] = []
        for scenarios in files:
            runs.append(
                (scenarios, run_scenarios(scenarios, ruleset=args.ruleset, engine=args.engine))
            )
    except ScenarioError as exc:
        for problem in exc.problems:
            print(f"error: {one_line(str(problem))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    total = failures = 0
    by_ruleset: dict[str, tuple[Ruleset, list[Decision]]] = {}
    for _, results in runs:
        for result in results:
            total += 1
            failures += not result.passed
            _print_result(result, args.verbose)
            ruleset = result.decision.ruleset
            by_ruleset.setdefault(ruleset.digest, (ruleset, []))[1].append(result.decision)
    names = ", ".join(sorted({repr(r.name) for r, _ in by_ruleset.values()}))
    print(
        f"{total} case{'s' if total != 1 else ''} against ruleset {names}: "
        f"{total - failures} passed, {failures} failed"
    )
    if args.coverage:
        for ruleset, decisions in by_ruleset.values():
            print()
            print(measure_coverage(decisions, ruleset).render())
    return EXIT_FAILED if failures else EXIT_OK
