"""``demo`` and ``decide``: decisions for an inventory, as a table or JSON."""

from __future__ import annotations

import argparse
import importlib.resources
import json
from typing import Any

from ..decisions import decide_all
from ..facts import Owner, Task
from ..inventory import read_inventory, read_owner
from ..loading import load_ruleset
from ..reports import text_table
from ..yamlio import read_yaml
from . import add_engine_option, add_ruleset_option

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``demo`` and ``decide`` commands."""
    demo = commands.add_parser(
        "demo",
        help="decide the sources' worked examples (no input needed)",
        description="Decide the worked examples of the sources: a video editor's tasks and "
        "Sally's invoicing, as readable tables.",
    )
    add_engine_option(demo)
    demo.set_defaults(run=run_demo)

    decide = commands.add_parser(
        "decide",
        help="decide every task of an inventory (YAML, JSON or CSV)",
        description="Decide every task of a task inventory and print the decisions.",
    )
    decide.add_argument("tasks", metavar="FILE", help="the task inventory: .yaml, .json or .csv")
    decide.add_argument(
        "--owner",
        metavar="FILE",
        help="the owner (YAML or JSON); replaces an owner named in the inventory",
    )
    add_ruleset_option(decide)
    add_engine_option(decide)
    decide.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="how to print the decisions (default: table)",
    )
    decide.set_defaults(run=run_decide)


def run_demo(args: argparse.Namespace) -> int:
    """Print the demo tables."""
    text = (
        importlib.resources.files("outsourcing_rules")
        .joinpath("data/demo.yaml")
        .read_text(encoding="utf-8")
    )
    for number, case in enumerate(read_yaml(text, path="demo.yaml")):
        owner = Owner.from_dict(case["owner"])
        tasks = [Task.from_dict(t) for t in case["tasks"]]
        decisions = decide_all(tasks, owner, engine=args.engine)
        if number:
            print()
        print(f"{case['title']} (owner: {owner.name}, ${owner.hourly_rate:g}/h)")
        print()
        print(text_table(decisions))
    print()
    print("Try: outsourcing-rules decide YOUR-TASKS.yaml   (see outsourcing-rules decide --help)")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    """Decide an inventory and print the result."""
    inventory = read_inventory(args.tasks)
    owner = read_owner(args.owner) if args.owner else inventory.owner
    ruleset = load_ruleset(args.ruleset) if args.ruleset else None
    decisions = decide_all(inventory.tasks, owner, ruleset=ruleset, engine=args.engine)
    if args.format == "json":
        print(
            json.dumps(
                {"decisions": [d.to_dict() for d in decisions]}, indent=2, ensure_ascii=False
            )
        )
    else:
        print(text_table(decisions))
    return 0
