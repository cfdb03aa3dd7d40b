"""``diff``: which decisions change between two rulesets.

Exit codes: 0 the report was printed (whether or not decisions change; with
``--exit-code``, 1 when some do), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..loading import load_ruleset
from ..planning.inventory import read_inventory, read_owner
from ..quality.impact import impact
from ..testing.sampling import DEFAULT_GENERATED
from . import EXIT_FAILED, EXIT_OK, add_engine_option, whole_number


def register(commands: Any) -> None:
    """Add the ``diff`` command."""
    diff = commands.add_parser(
        "diff",
        help="show which decisions change between two rulesets",
        description="Decide the same tasks under BASE and CHANGED and list each kind of "
        "change (verdict/rule before -> after) with how many tasks it hits and examples. "
        "Without TASKS, tasks are generated around the values the rulesets compare with.",
    )
    diff.add_argument("base", metavar="BASE", help="the ruleset before (a file or built-in name)")
    diff.add_argument("changed", metavar="CHANGED", help="the ruleset after")
    diff.add_argument(
        "tasks", metavar="TASKS", nargs="?", help="a task inventory (.yaml, .json or .csv)"
    )
    diff.add_argument(
        "--owner",
        metavar="FILE",
        help="the owner (YAML or JSON); replaces the inventory's, or is the owner of "
        "every generated task",
    )
    add_engine_option(diff)
    diff.add_argument(
        "--generate",
        type=whole_number(1, 1_000_000),
        default=DEFAULT_GENERATED,
        metavar="N",
        help=f"without TASKS, how many tasks to generate (default: {DEFAULT_GENERATED})",
    )
    diff.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    diff.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when some decision changes (for CI), 0 when none does",
    )
    diff.set_defaults(run=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    """Compare the decisions of two rulesets and print the report."""
    base = load_ruleset(args.base)
    changed = load_ruleset(args.changed)
    owner = read_owner(args.owner) if args.owner else None
    if args.tasks is not None:
        inventory = read_inventory(args.tasks)
        report = impact(
            base,
            changed,
            inventory.tasks,
            owner or inventory.owner,
            engine=args.engine,
            source=args.tasks,
        )
    else:
        report = impact(base, changed, owner=owner, engine=args.engine, generate=args.generate)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.render())
    return EXIT_FAILED if args.exit_code and report.changes else EXIT_OK
