"""Reading a ``when:`` mapping into a condition tree: facts, operators, values and parameters.

Every comparison is checked against the vocabulary (the fact exists and is
a rule fact, the operator suits its kind, the value has the fact's type),
``$parameters`` are resolved and counted against the limits, and numbers are
held to what every engine compares exactly. Problems go to the loading
context, each with its place; nothing is raised from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, Not
from ..core.facts import MAX_EXACT_INTEGER
from ..core.vocabulary import FACTS, OPERATORS, Kind
from ..errors import suggest
from .context import Context
from .yamlio import float_text

_NOT_RULE_FACTS = {
    "name": "a task's name is for people and never decides anything",
    "description": "a task's description is for people and never decides anything",
    "hourly_rate": "the owner's rate is the fact owner_hourly_rate",
    "core_competencies": "test core_competency, which is derived from the owner's list",
}


def condition(
    ctx: Context,
    node: Any,
    parent: Any,
    key: Any,
    where: str,
    rule_id: str | None,
    depth: int = 0,
) -> Condition | None:
    """Return the condition the ``when:`` mapping *node* spells, or ``None`` after a problem.

    *node* is ``parent[key]``, shown as the key *where*; problems name
    *rule_id* when the condition is a rule's.
    """
    if depth > ctx.limits.max_depth:
        ctx.problem(
            f"nests deeper than the limit of {ctx.limits.max_depth}",
            parent,
            key,
            where,
            rule_id=rule_id,
        )
        return None
    parts: list[Condition] = []
    ok = True
    for name, value in node.items():
        sub = f"{where}.{name}"
        if name in ("all", "any"):
            children = [
                condition(ctx, child, value, i, f"{sub}[{i}]", rule_id, depth + 1)
                for i, child in enumerate(value)
            ]
            if any(c is None for c in children):
                ok = False
                continue
            combined = tuple(c for c in children if c is not None)
            parts.append(AllOf(combined) if name == "all" else AnyOf(combined))
        elif name == "not":
            child = condition(ctx, value, node, name, sub, rule_id, depth + 1)
            if child is None:
                ok = False
            else:
                parts.append(Not(child))
        else:
            found = _comparisons(ctx, name, value, node, sub, rule_id)
            if found is None:
                ok = False
            else:
                parts.extend(found)
    if not ok or not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _comparisons(
    ctx: Context, fact: str, value: Any, node: Any, where: str, rule_id: str | None
) -> list[Atom] | None:
    # ``fact: value`` or ``fact: {op: value, ...}``: one atom per comparison.
    spec = FACTS.get(fact)
    if spec is None:
        reason = _NOT_RULE_FACTS.get(fact)
        message = f"unknown fact {fact!r}" + (f": {reason}" if reason else "")
        ctx.problem(
            message,
            node,
            fact,
            where,
            rule_id=rule_id,
            suggestion=None if reason else suggest(fact, FACTS),
        )
        return None
    tests = value.items() if isinstance(value, Mapping) else [("eq", value)]
    found: list[Atom] = []
    for op, raw in tests:
        sub = f"{where}.{op}" if isinstance(value, Mapping) else where
        holder, key = (value, op) if isinstance(value, Mapping) else (node, fact)
        if op not in OPERATORS:
            ctx.problem(
                f"unknown operator {op!r}",
                holder,
                key,
                sub,
                rule_id=rule_id,
                suggestion=suggest(op, OPERATORS),
            )
            continue
        if op not in spec.operators:
            allowed = ", ".join(sorted(spec.operators))
            ctx.problem(
                f"{fact} is a {spec.kind.value} fact and cannot use {op!r}; use {allowed}",
                holder,
                key,
                sub,
                rule_id=rule_id,
            )
            continue
        atom = _atom(ctx, fact, spec.kind, op, raw, holder, key, sub, rule_id)
        if atom is not None:
            found.append(atom)
    return found if len(found) == len(tests) else None


def _atom(
    ctx: Context,
    fact: str,
    kind: Kind,
    op: str,
    raw: Any,
    holder: Any,
    key: Any,
    where: str,
    rule_id: str | None,
) -> Atom | None:
    # ``$name`` stands for a parameter's value, ``$$`` for a literal ``$``.
    parameter = None
    if isinstance(raw, str) and raw.startswith("$") and not raw.startswith("$$"):
        parameter = raw[1:]
        if parameter not in ctx.parameters:
            ctx.problem(
                f"unknown parameter {raw!r}",
                holder,
                key,
                where,
                rule_id=rule_id,
                suggestion=_dollar(suggest(parameter, ctx.parameters)),
            )
            return None
        raw = ctx.parameters[parameter]
    elif isinstance(raw, str) and raw.startswith("$$"):
        raw = raw[1:]
    if not _count_compared(ctx, raw, holder, key, where, rule_id):
        return None
    before = len(ctx.problems)
    found = _typed_atom(ctx, fact, kind, op, raw, parameter, holder, key, where, rule_id)
    if parameter is not None and len(ctx.problems) > before:
        _blame_parameter(ctx, parameter, before, where, rule_id)
    return found


def _count_compared(
    ctx: Context, raw: Any, holder: Any, key: Any, where: str, rule_id: str | None
) -> bool:
    """Count *raw*'s values against ``max_values``; False once the rules compare with too many.

    The reader counts a parameter's values once, where they are written; a
    rule that uses it compares with all of them, so every use counts again
    here. Otherwise one list reused by many rules would multiply the ruleset
    (and every engine's work) past the limits after they were checked.
    """
    limit = ctx.limits.max_values
    if ctx.compared > limit:
        return False  # already refused: build nothing more
    ctx.compared += len(raw) if isinstance(raw, list) else 1
    if ctx.compared <= limit:
        return True
    ctx.problem(
        f"the rules compare with more than {limit:,} values in all, counting each "
        "$parameter at every use (the limit max_values)",
        holder,
        key,
        where,
        rule_id=rule_id,
    )
    return False


def _blame_parameter(
    ctx: Context, parameter: str, since: int, where: str, rule_id: str | None
) -> None:
    """Move the problems found since *since* to where *parameter* was set.

    A parameter's value that does not fit a comparison is wrong where it
    is written (often in an extending file), not in the rule that uses it.
    """
    path, line = ctx.parameter_places.get(parameter, (None, None))
    user = f"rule {rule_id!r} at {where}" if rule_id else where
    ctx.problems[since:] = [
        attrs.evolve(
            p,
            message=f"{p.message}; it is used by {user}",
            key=f"parameters.{parameter}",
            path=path or p.path,
            line=line or p.line,
        )
        for p in ctx.problems[since:]
    ]


def _typed_atom(
    ctx: Context,
    fact: str,
    kind: Kind,
    op: str,
    raw: Any,
    parameter: str | None,
    holder: Any,
    key: Any,
    where: str,
    rule_id: str | None,
) -> Atom | None:
    source = f" (parameter ${parameter})" if parameter else ""
    if op in ("in", "not_in"):
        if not isinstance(raw, list) or not raw:
            ctx.problem(
                f"{op} needs a non-empty list of values{source}",
                holder,
                key,
                where,
                rule_id=rule_id,
            )
            return None
        values = [_typed(ctx, fact, kind, v, holder, key, where, rule_id, source) for v in raw]
        if any(v is _BAD for v in values):
            return None
        return Atom(fact, op, frozenset(values), parameter, where)
    if isinstance(raw, list):
        ctx.problem(
            f"{op} compares with one value, not a list{source}; use in",
            holder,
            key,
            where,
            rule_id=rule_id,
        )
        return None
    typed = _typed(ctx, fact, kind, raw, holder, key, where, rule_id, source)
    if typed is _BAD:
        return None
    return Atom(fact, op, typed, parameter, where)


def _typed(
    ctx: Context,
    fact: str,
    kind: Kind,
    raw: Any,
    holder: Any,
    key: Any,
    where: str,
    rule_id: str | None,
    source: str,
) -> Any:
    # The value *raw* as the fact's type, or _BAD after a problem.
    levels = kind.levels
    if levels is not None:
        parsed = levels.parse(raw)
        if isinstance(parsed, levels):
            return parsed
        names = levels.names()
        ctx.problem(
            f"{raw!r} is not {'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value} "
            f"level{source}; use one of {', '.join(names)}",
            holder,
            key,
            where,
            rule_id=rule_id,
            suggestion=suggest(str(raw), names) if isinstance(raw, str) else None,
        )
        return _BAD
    if kind is Kind.BOOL and isinstance(raw, bool):
        return raw
    if kind is Kind.NUMBER and isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, int) and not -MAX_EXACT_INTEGER <= raw <= MAX_EXACT_INTEGER:
            problem = _inexact(raw)
            if problem is not None:
                ctx.problem(
                    f"{fact} is compared with the integer {_digits(raw)}{source}, {problem}",
                    holder,
                    key,
                    where,
                    rule_id=rule_id,
                )
                return _BAD
        return raw
    if kind in (Kind.TEXT, Kind.LABELS) and isinstance(raw, str):
        return raw
    expected = {Kind.BOOL: "true or false", Kind.NUMBER: "a number"}.get(kind, "text")
    ctx.problem(
        f"{fact} is compared with {raw!r}{source}, but it takes {expected}",
        holder,
        key,
        where,
        rule_id=rule_id,
    )
    return _BAD


_BAD = object()


def _inexact(number: int) -> str | None:
    """Say why integer *number* (past 2**53) cannot be a rule constant, or ``None`` if it can.

    Past 2**53 not every integer is a float, and durable-rules compares an
    integer with a float as two floats where Python compares exactly: the
    engines agree on an integer only if a float holds it exactly.
    """
    try:
        nearest = float(number)
    except OverflowError:
        return "too large for any engine to compare (the largest number is about 1.8e+308)"
    if nearest == number:
        return None
    return (
        "which no float holds exactly, so the engines would compare it differently; "
        f"the nearest float is {float_text(nearest)} (write that if it will do), and "
        "every integer between -2**53 and 2**53 is exact"
    )


def _digits(number: int) -> str:
    """Write *number*, cut short when it is very long."""
    sign, digits = ("-" if number < 0 else ""), str(abs(number))  # loaded: at most 4,300 digits
    return sign + (digits if len(digits) <= 40 else f"{digits[:20]}...({len(digits)} digits)")


def _dollar(name: str | None) -> str | None:
    return None if name is None else "$" + name
