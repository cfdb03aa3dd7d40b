"""``demo`` and ``decide``: decisions for an inventory, as a table, JSON, Markdown or HTML."""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
import warnings
from typing import IO, Any

from ..core.facts import Owner, Task
from ..decisions import Decision, decide_all, decide_iter
from ..errors import FactError
from ..loading import load_ruleset
from ..loading.yamlio import read_yaml
from ..planning.inventory import InventoryWarning, read_inventory_and_owner
from ..planning.plans import Plan
from ..render.html import html_report
from ..render.markdown import markdown_report
from ..render.text import text_table
from . import add_engine_option, add_ruleset_option
from .output import atomic_output, write_csv, write_jsonl, write_parquet
from .progress import Bars, Phase

#: The most tasks ``--format table`` lists; past it, the plan and a pointer to jsonl or csv.
TABLE_ROWS = 1_000


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
    decide.add_argument(
        "tasks",
        metavar="FILE",
        help="the task inventory: .yaml, .json or .csv (or .parquet, with the frames extra); "
        "- reads CSV from standard input",
    )
    decide.add_argument(
        "--owner",
        metavar="FILE",
        help="the owner (YAML or JSON); replaces an owner named in the inventory",
    )
    add_ruleset_option(decide)
    add_engine_option(decide)
    decide.add_argument(
        "--format",
        choices=("table", "json", "jsonl", "csv", "parquet", "markdown", "html"),
        default="table",
        help="how to print the decisions and the plan (default: table, which lists up to "
        f"{TABLE_ROWS:,} tasks, then only the plan); jsonl prints each decision in full, "
        "one a line, in the shape of decision_schema() (as json's decisions), and no plan; "
        "csv and parquet print one row a task (name, verdict, rule, matched, role, hours "
        "and saving) and no plan, streamed in batches for a CSV file when the frames extra "
        "is installed; parquet only with -o and the frames extra",
    )
    decide.add_argument(
        "--compact",
        action="store_true",
        help="with --format jsonl, one row a task with the csv columns instead of each "
        "decision in full; streamed through the columnar engine with the frames extra",
    )
    decide.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output: to a temporary file beside it, "
        "renamed over FILE once complete, so FILE is never left half-written",
    )
    decide.add_argument(
        "--decimal",
        choices=(".", ","),
        default=".",
        help="the decimal mark of a CSV file's numbers (default: .); a comma is never read "
        "as a thousands separator",
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
    from . import stream

    if args.compact and args.format != "jsonl":
        raise FactError(
            "--compact",
            f"--format {args.format}",
            "applies only to --format jsonl (csv and parquet are always one row a task)",
        )
    with Bars() as bars:
        if stream.wanted(args, listed=TABLE_ROWS):
            from ..frames.csvfile import Unreadable

            try:
                if args.format == "table":  # more tasks than a table lists: the plan alone
                    figures, noted = stream.run_planned(args, bars, TABLE_ROWS)
                    with atomic_output(args.output) as out:
                        _plan_alone(figures.tasks, figures.summary(), out)
                else:
                    noted = stream.run_streamed(args, bars)
            except Unreadable:  # the native reader decides it, or says what is wrong where
                pass
            else:
                _warn(noted)
                return 0
        with warnings.catch_warnings(record=True) as noted:
            warnings.simplefilter("always", InventoryWarning)
            reading = bars.phase("reading")
            inventory = read_inventory_and_owner(args.tasks, args.owner, decimal=args.decimal)
            reading(len(inventory.tasks), len(inventory.tasks))
        owner = inventory.owner
        ruleset = load_ruleset(args.ruleset) if args.ruleset else None
        deciding = bars.phase("deciding", len(inventory.tasks))
        made = deciding.wrap(
            decide_iter(inventory.tasks, owner, ruleset=ruleset, engine=args.engine)
        )
        if args.format == "jsonl" and not args.compact:
            # One decision a line, written as it is decided: no list of them all is kept.
            with atomic_output(args.output) as out:
                for decision in made:
                    print(json.dumps(decision.to_dict(), ensure_ascii=False), file=out)
            deciding.finish()
            _warn(noted)
            return 0
        decisions = list(made)
        writing = bars.phase("writing", len(decisions))
        if args.format == "parquet":
            if not args.output:
                raise FactError("--format", "parquet", "writes a binary file: give it -o FILE")
            with atomic_output(args.output, binary=True) as raw:
                write_parquet(decisions, raw)
        else:
            with atomic_output(args.output) as out:
                _write(args, decisions, out, writing)
        writing.finish()
    # Said once the run succeeded: on bad input, the errors are what matter.
    _warn(noted)
    return 0


def _warn(noted: list[warnings.WarningMessage]) -> None:
    for warning in noted:
        print(f"warning: {warning.message}", file=sys.stderr)


def _write(args: argparse.Namespace, decisions: list[Decision], out: IO[str], bar: Phase) -> None:
    form = args.format
    if form == "jsonl":  # --compact: the csv columns, as the columnar path writes them
        write_jsonl(decisions, out)
        return
    if form == "csv":
        write_csv(decisions, out)
        return
    plan = Plan.from_decisions(decisions)
    if form == "json":
        data = {
            "decisions": [d.to_dict() for d in bar.wrap(decisions)],
            "plan": plan.to_dict(decisions=False),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    elif form in ("markdown", "html"):
        render = markdown_report if form == "markdown" else html_report
        print(render(plan, progress=bar), end="", file=out)
    elif len(decisions) > TABLE_ROWS:
        _plan_alone(len(decisions), plan.summary(), out)
    else:
        print(text_table(decisions), file=out)
        print(file=out)
        print(plan.summary(), file=out)


def _plan_alone(tasks: int, summary: str, out: IO[str]) -> None:
    """Print the plan of an inventory too long for a table, and where to find every task."""
    print(
        f"{tasks:,} tasks are too many for a table (it lists up to "
        f"{TABLE_ROWS:,}): here is the plan. For every task, use --format csv or "
        "--format jsonl --compact (-o FILE to write a file).",
        file=out,
    )
    print(file=out)
    print(summary, file=out)
