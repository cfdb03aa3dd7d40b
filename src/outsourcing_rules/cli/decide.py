"""``demo`` and ``decide``: decisions for an inventory, as a table, JSON, Markdown or HTML."""

from __future__ import annotations

import argparse
import importlib.resources
import json
from typing import Any

from ..core.facts import Owner, Task
from ..decisions import decide_all, decide_iter
from ..loading import load_ruleset
from ..loading.yamlio import read_yaml
from ..planning.inventory import read_inventory, read_owner
from ..planning.plans import Plan
from ..render.html import html_report
from ..render.markdown import markdown_report
from ..render.text import text_table
from . import add_engine_option, add_ruleset_option
from .progress import Counter

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
        description="Decide every task of a task inventory and print the decisions, then "
        "the plan they add up to: hours and money freed, and who to hire first. Markdown "
        "and HTML give a full report with every task's explanation; the HTML page is "
        "self-contained.",
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
        choices=("table", "json", "jsonl", "markdown", "html"),
        default="table",
        help="how to print the decisions and the plan (default: table); jsonl prints one "
        "decision a line, in the shape of decision_schema(), and no plan",
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
    """Decide an inventory and print the decisions and the plan they add up to."""
    inventory = read_inventory(args.tasks)
    owner = read_owner(args.owner) if args.owner else inventory.owner
    ruleset = load_ruleset(args.ruleset) if args.ruleset else None
    counter = Counter("deciding", len(inventory.tasks))
    made = decide_iter(inventory.tasks, owner, ruleset=ruleset, engine=args.engine)
    decisions = list(counter.wrap(made))
    counter.finish()
    plan = Plan.from_decisions(decisions)
    if args.format == "jsonl":  # one decision a line, the shape of decision_schema()
        for decision in decisions:
            print(json.dumps(decision.to_dict(), ensure_ascii=False))
    elif args.format == "json":
        data = {
            "decisions": [d.to_dict() for d in decisions],
            "plan": plan.to_dict(decisions=False),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format in ("markdown", "html"):
        writer = Counter("writing", len(decisions))
        render = markdown_report if args.format == "markdown" else html_report
        text = render(plan, progress=writer)
        writer.finish()
        print(text, end="")
    else:
        print(text_table(decisions))
        print()
        print(plan.summary())
    return 0
