"""``explain``: one task's decision in full, as text, JSON, Markdown or HTML."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..core.facts import Task
from ..decisions import decide
from ..errors import FactError, suggest
from ..loading import load_ruleset
from ..planning.inventory import Inventory, read_inventory_and_owner
from ..render.detail import decision_detail, detail_text, owner_text
from ..render.html import decision_html
from ..render.markdown import decision_markdown
from . import add_engine_option, add_ruleset_option


def register(commands: Any) -> None:
    """Add the ``explain`` command."""
    explain = commands.add_parser(
        "explain",
        help="explain one task's decision in full",
        description="Explain the decision on one task of an inventory: in the owner's words, "
        "what to do and why, what would change it, and the hand-off brief; with --trace, in "
        "full for the rule author: the rules that applied and why the losers lost, the rules "
        "that did not apply, the economics, and the unknown facts that matter.",
    )
    explain.add_argument("tasks", metavar="FILE", help="the task inventory: .yaml, .json or .csv")
    explain.add_argument("--task", required=True, metavar="NAME", help="the name of the task")
    explain.add_argument(
        "--owner",
        metavar="FILE",
        help="the owner (YAML or JSON); replaces an owner named in the inventory",
    )
    add_ruleset_option(explain)
    add_engine_option(explain)
    explain.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="how to print the explanation (default: text); markdown and html hold the "
        "rule author's full view, as --trace does, html as one self-contained page",
    )
    explain.add_argument(
        "--trace",
        action="store_true",
        help="the rule author's view: every rule, priority, check and value, the rules that "
        "did not apply, the economics in full (text only; JSON always holds it all)",
    )
    explain.set_defaults(run=run_explain)


def find_task(inventory: Inventory, name: str) -> Task:
    """Return the task of *inventory* called *name*.

    An exact name wins; otherwise one task whose name matches ignoring case
    and spacing. Anything else is a :class:`~outsourcing_rules.FactError`
    with a did-you-mean.
    """
    for task in inventory.tasks:
        if task.name == name:
            return task
    wanted = " ".join(name.split()).casefold()
    loose = [t for t in inventory.tasks if " ".join(t.name.split()).casefold() == wanted]
    if len(loose) == 1:
        return loose[0]
    names = {" ".join(t.name.split()).casefold(): t.name for t in inventory.tasks}
    close = suggest(wanted, names)
    problem = (
        f"{len(loose)} tasks are named {name!r} (ignoring case); give the exact name"
        if loose
        else f"no task named {name!r} in the inventory"
    )
    raise FactError(
        "task",
        name,
        problem,
        suggestion=None if close is None or loose else names[close],
        path=inventory.path,
    )


def run_explain(args: argparse.Namespace) -> int:
    """Decide one task of an inventory and print its explanation in full."""
    inventory = read_inventory_and_owner(args.tasks, args.owner)
    owner = inventory.owner
    ruleset = load_ruleset(args.ruleset) if args.ruleset else None
    task = find_task(inventory, args.task)
    decision = decide(task, owner, ruleset=ruleset, engine=args.engine)
    if args.format == "json":
        print(json.dumps(decision_detail(decision), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(decision_markdown(decision), end="")
    elif args.format == "html":
        print(decision_html(decision), end="")
    elif args.trace:
        print(detail_text(decision))
    else:
        print(owner_text(decision))
    return 0
