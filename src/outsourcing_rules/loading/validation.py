"""Validating merged ruleset data and building the :class:`~outsourcing_rules.core.rules.Ruleset`.

:func:`assemble` checks the limits, rule ids and priorities, and turns each
rule's and invariant's ``when:`` mapping into typed
:class:`~outsourcing_rules.core.conditions.Atom`, ``AllOf``, ``AnyOf`` and ``Not``
conditions: every fact and operator known and allowed, every value of the
fact's type, every ``$parameter`` defined. A parameter whose value does not
fit is blamed where the parameter was set, not in the rule that uses it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import attrs

from ..core.conditions import AllOf, AnyOf, Atom, Condition, Not, atoms
from ..core.facts import MAX_EXACT_INTEGER, Verdict
from ..core.rules import Invariant, Rule, Ruleset
from ..core.vocabulary import FACTS, OPERATORS, Kind
from ..errors import Problem, suggest
from .context import Context
from .reading import BUILTIN_RULESETS
from .yamlio import float_text, line_of

_NOT_RULE_FACTS = {
    "name": "a task's name is for people and never decides anything",
    "description": "a task's description is for people and never decides anything",
    "hourly_rate": "the owner's rate is the fact owner_hourly_rate",
    "core_competencies": "test core_competency, which is derived from the owner's list",
}

# -- the ruleset, its rules and invariants --


def assemble(ctx: Context, data: Mapping[str, Any], path: str | None) -> Ruleset:
    """Validate the merged ruleset *data* and build it; raise every problem found."""
    ctx.path = path
    ctx.parameters = dict(data.get("parameters", {}))
    params_node = data.get("parameters", {})
    ctx.parameter_places = {
        name: (
            getattr(params_node, "paths", {}).get(name)
            or getattr(params_node, "path", None)
            or path,
            line_of(params_node, name),
        )
        for name in ctx.parameters
    }
    for name, value in ctx.parameters.items():
        values = value if isinstance(value, list) else [value]
        if len(values) > ctx.limits.max_values:
            ctx.problem("has too many values", params_node, name, f"parameters.{name}")
    rules_node = data.get("rules", [])
    if len(rules_node) > ctx.limits.max_rules:
        ctx.problem(
            f"has {len(rules_node):,} rules, over the limit of {ctx.limits.max_rules:,}",
            data,
            "rules",
            "rules",
        )
        ctx.fail_if_problems()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for i, node in enumerate(rules_node):
        rule = _rule(ctx, node, i)
        if rule is None:
            continue
        written = getattr(node, "where", "") or f"rules[{i}]"
        if rule.id in seen:
            ctx.problem(
                f"duplicate rule id {rule.id!r} (also {seen[rule.id]})",
                node,
                "id",
                f"{written}.id",
                rule_id=rule.id,
            )
        seen.setdefault(rule.id, written)
        rules.append(rule)
    _check_priorities(ctx, rules)
    for node, written in ctx.refused:  # the schema refused these rules, not their conditions
        rule_id = node.get("id")
        condition(
            ctx,
            node["when"],
            node,
            "when",
            f"{written}.when",
            rule_id if isinstance(rule_id, str) else None,
        )
    invariants = [
        inv
        for i, node in enumerate(data.get("invariants", []))
        if (inv := _invariant(ctx, node, i)) is not None
    ]
    _misspelt_parameters(ctx, params_node, rules, invariants)
    default = data["default"]
    ctx.fail_if_problems(final=True)
    return Ruleset(
        name=data["ruleset"],
        version=data.get("version"),
        description=data.get("description"),
        default_verdict=Verdict.parse(default["verdict"]),
        default_because=default["because"],
        rules=tuple(rules),
        parameters=ctx.parameters,
        invariants=tuple(invariants),
        roles=dict(data.get("roles", {})),
        path=path,
    )


def _misspelt_parameters(
    ctx: Context, params_node: Any, rules: list[Rule], invariants: list[Invariant]
) -> None:
    """Refuse a parameter no condition uses whose name is close to one that is used.

    ``low_frequency_per_yer: 6`` in an agency's file would otherwise set a
    new, unused parameter and leave the threshold it meant to tune as it
    was: a silent mistake. An unused parameter with no near namesake stays a
    lint warning (``unused-parameter``).
    """
    used = {a.parameter for r in rules for a in atoms(r.when) if a.parameter is not None}
    used |= {a.parameter for i in invariants for a in atoms(i.when) if a.parameter is not None}
    for name in ctx.parameters:
        if name in used:
            continue
        path, line = ctx.parameter_places.get(name, (None, None))
        if path in BUILTIN_RULESETS:
            continue  # set by the built-in base (a redefined rule left it unused), not a typo
        hint = suggest(name, sorted(used))
        if hint is None:
            continue
        ctx.problems.append(
            Problem(
                f"parameter {name!r} is used by no condition, so setting it changes nothing",
                key=f"parameters.{name}",
                path=path,
                line=line,
                suggestion=hint,
            )
        )


def _check_priorities(ctx: Context, rules: list[Rule]) -> None:
    by_priority: dict[int, Rule] = {}
    for rule in rules:
        other = by_priority.setdefault(rule.priority, rule)
        if other.verdict is not rule.verdict:
            ctx.problems.append(
                Problem(
                    f"rule {rule.id!r} ({rule.verdict.value}) has the same priority "
                    f"{rule.priority} as rule {other.id!r} ({other.verdict.value}); "
                    "rules with different verdicts need different priorities",
                    key="priority",
                    path=rule.path or ctx.path,
                    line=rule.line,
                    rule_id=rule.id,
                )
            )


def _rule(ctx: Context, node: Mapping[str, Any], index: int) -> Rule | None:
    where = getattr(node, "where", "") or f"rules[{index}]"
    before = len(ctx.problems)
    found = condition(ctx, node["when"], node, "when", f"{where}.when", node["id"])
    if not -MAX_EXACT_INTEGER <= node["priority"] <= MAX_EXACT_INTEGER:
        # Never shown: an integer of thousands of digits cannot even be written out.
        ctx.problem(
            f"priority is out of range: at most {MAX_EXACT_INTEGER:,} either side of zero",
            node,
            "priority",
            f"{where}.priority",
            rule_id=node["id"],
        )
    if len(ctx.problems) > before or found is None:
        return None
    say = _say(ctx, node, where, found)
    if say is None:
        return None
    return Rule(
        id=node["id"],
        priority=node["priority"],
        when=found,
        verdict=Verdict.parse(node["then"]),
        because=node["because"],
        role=node.get("role"),
        say=say,
        line=getattr(node, "line", None),
        path=getattr(node, "path", None) or ctx.path,
    )


#: Names a phrase may show besides the facts: who would take the task.
PHRASE_NAMES = frozenset({"provider"})


def _say(
    ctx: Context, node: Mapping[str, Any], where: str, when: Condition
) -> dict[str, str] | None:
    """Check a rule's owner-facing phrases: each for a fact the rule tests, naming known facts."""
    phrases = node.get("say")
    if phrases is None:
        return {}
    tested = {atom.fact for atom in atoms(when)}
    ok = True
    for fact, phrase in phrases.items():
        key = f"{where}.say.{fact}"
        if fact not in FACTS:
            ctx.problem(
                f"a phrase for unknown fact {fact!r}",
                phrases,
                fact,
                key,
                rule_id=node["id"],
                suggestion=suggest(fact, FACTS),
            )
            ok = False
            continue
        if fact not in tested:
            ctx.problem(
                f"a phrase for {fact!r}, which this rule does not test "
                f"(it tests {', '.join(sorted(tested))})",
                phrases,
                fact,
                key,
                rule_id=node["id"],
            )
            ok = False
            continue
        for problem in _phrase_problems(phrase):
            ctx.problem(problem, phrases, fact, key, rule_id=node["id"], suggestion=_hint(phrase))
            ok = False
    return dict(phrases) if ok else None


def _phrase_problems(phrase: str) -> list[str]:
    try:
        fields = [
            (name, spec, conversion)
            for _text, name, spec, conversion in string.Formatter().parse(phrase)
            if name is not None
        ]
    except ValueError as exc:
        return [f"the phrase {phrase!r} is not well formed ({exc}); write {{{{ for a brace"]
    found = []
    for name, spec, conversion in fields:
        if spec or conversion:
            found.append(f"the phrase shows {{{name}}} with a format; write just {{fact}}")
        elif name not in FACTS and name not in PHRASE_NAMES:
            found.append(f"the phrase names unknown fact {{{name}}}")
    return found


def _hint(phrase: str) -> str | None:
    try:
        names = [n for _t, n, _s, _c in string.Formatter().parse(phrase) if n]
    except ValueError:
        return None
    for name in names:
        if name not in FACTS and name not in PHRASE_NAMES:
            return suggest(name, [*FACTS, *PHRASE_NAMES])
    return None


def _invariant(ctx: Context, node: Mapping[str, Any], index: int) -> Invariant | None:
    where = f"invariants[{index}]"
    found = condition(ctx, node["when"], node, "when", f"{where}.when", None)
    if found is None:
        return None
    always = "always" in node
    return Invariant(
        when=found,
        verdict=Verdict.parse(node["always" if always else "never"]),
        always=always,
        description=node.get("description"),
        line=getattr(node, "line", None),
        path=getattr(node, "path", None) or ctx.path,
    )


# -- conditions --


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
