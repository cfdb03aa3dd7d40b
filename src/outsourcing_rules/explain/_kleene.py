"""The what-if search's Kleene test, compiled: which facts alone may move the verdict.

A rule's condition has no negation above its comparisons, so it is
monotone in them: read in Kleene's logic with some comparisons left open,
it is true when it holds with every open one false, false when it fails
with every open one true, unknown otherwise. ``Analysis.settled`` and
``Analysis.unsettled`` (in ``_terms``) use these generated functions; the
source they compile holds only numbers and names passed in the namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.facts import Verdict

if TYPE_CHECKING:
    from ._terms import Analysis

#: A condition over comparison numbers: a number, or ``(is "all", parts)``.
Tree = int | tuple[bool, tuple["Tree", ...]]


def compile_settled(
    analysis: Analysis, name: str
) -> Callable[[Sequence[bool], Sequence[int], Any], bool]:
    """Compile :meth:`Analysis.settled` for input *name*: ``judge(truths, applying, verdict)``.

    Each rule *name* moves is evaluated as :func:`_open` evaluates it, with
    the comparisons *name* may turn left open: a condition has no negation
    above its comparisons, so it is monotone in them, and Kleene's value is
    true when it holds with every open comparison false, false when it
    fails with every one true, unknown otherwise. The source holds only
    numbers; the rules' verdicts and the positions *name* moves are passed
    in the namespace.
    """
    rules = analysis.ruleset.rules
    free = analysis.free[name]
    lines = [
        "def judge(t, applying, verdict):",
        f"    fixed = {len(rules)}",
        "    for q in applying:",
        "        if q not in MOVED:",
        "            fixed = q",
        "            break",
    ]
    for position in analysis.moved_by[name]:
        lines += [f"    if {position} >= fixed:", "        return V[fixed] is verdict"]
        tree = analysis.trees[position]
        if tree is None:  # a condition not all numbered: it may apply
            lines.append("    return False")
            break
        lines += [
            f"    if {_bound(tree, free, True)}:",  # not false: it may apply
            f"        if V[{position}] is not verdict:",
            "            return False",
            f"        if {_bound(tree, free, False)}:",  # true: it applies whatever the value
            "            return True",
        ]
    lines.append("    return V[fixed] is verdict")
    verdicts = (*(rule.verdict for rule in rules), analysis.ruleset.default_verdict)
    namespace: dict[str, Any] = {"MOVED": analysis.moving[name], "V": verdicts}
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<outsourcing_rules what-if settled>", "exec"), namespace)
    judge: Callable[[Sequence[bool], Sequence[int], Any], bool] = namespace["judge"]
    return judge


def compile_movable(
    analysis: Analysis, applying: tuple[int, ...], verdict: Verdict
) -> Callable[[Sequence[bool]], list[str]]:
    """Compile :meth:`Analysis.settled` for every relevant input at once.

    For the rules at *applying* applying now and the verdict *verdict*:
    ``moving(truths)`` returns the relevant inputs, in order, that are not
    settled. Each input's judgement is the one :func:`compile_settled`
    writes, with what *applying* and *verdict* fix worked out here: the rule
    that decides unless the input moves one above it, and which rules give
    *verdict*. What is left tests only the truths.
    """
    rules = analysis.ruleset.rules
    verdicts = (*(rule.verdict for rule in rules), analysis.ruleset.default_verdict)
    lines = ["def moving(t):", "    found = []"]
    namespace: dict[str, Any] = {}
    for number, name in enumerate(analysis.relevant):
        free, moving = analysis.free[name], analysis.moving[name]
        namespace[f"NAME{number}"] = name
        fixed = next((q for q in applying if q not in moving), len(rules))
        body: list[str] = []
        for position in analysis.moved_by[name]:
            if position >= fixed:  # the rule at fixed decides
                if verdicts[fixed] is not verdict:
                    body.append(f"        found.append(NAME{number})")
                body.append("        break")
                break
            tree = analysis.trees[position]
            if tree is None:  # a condition not all numbered: it may apply
                body += [f"        found.append(NAME{number})", "        break"]
                break
            if verdicts[position] is not verdict:  # if it may apply, it may move the verdict
                body += [
                    f"        if {_bound(tree, free, True)}:",
                    f"            found.append(NAME{number})",
                    "            break",
                ]
            else:  # if it applies whatever the value, the verdict stays
                body += [
                    f"        if {_bound(tree, free, True)} and {_bound(tree, free, False)}:",
                    "            break",
                ]
        else:
            if verdicts[fixed] is not verdict:
                body.append(f"        found.append(NAME{number})")
            body.append("        break")
        lines += ["    while True:", *body]
    lines.append("    return found")
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<outsourcing_rules what-if movable>", "exec"), namespace)
    found: Callable[[Sequence[bool]], list[str]] = namespace["moving"]
    return found


def _bound(tree: Tree, free: frozenset[int], high: bool) -> str:
    """Write *tree* as a Python expression over ``t``, each comparison in *free* set to *high*."""
    if isinstance(tree, int):
        return str(high) if tree in free else f"t[{tree}]"
    is_all, parts = tree
    if not parts:
        return str(is_all)
    joined = (" and " if is_all else " or ").join(_bound(part, free, high) for part in parts)
    return f"({joined})"
