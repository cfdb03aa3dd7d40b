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

from ..core.conditions import Condition, atoms
from ..core.facts import MAX_EXACT_INTEGER, Verdict
from ..core.rules import Invariant, Rule, Ruleset
from ..core.vocabulary import FACTS
from ..errors import Problem, suggest
from .conditions import condition
from .context import Context
from .reading import BUILTIN_RULESETS
from .yamlio import line_of

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
    if ctx.problems or ctx.deferred:
        ctx.readable = _readable(ctx, data, rules, invariants, path)
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


def _readable(
    ctx: Context,
    data: Mapping[str, Any],
    rules: list[Rule],
    invariants: list[Invariant],
    path: str | None,
) -> Ruleset | None:
    """Build the ruleset of the rules no problem names, for lint to read; None if it cannot be.

    A rule the schema refused, or whose condition or phrases have a problem,
    never became a :class:`Rule`; a rule named by a later problem (a
    duplicate id, a clash of priorities) is left out too.
    """
    blamed = {p.rule_id for p in [*ctx.problems, *ctx.deferred] if p.rule_id is not None}
    kept: dict[str, Rule] = {}
    for rule in rules:
        if rule.id not in blamed:
            kept.setdefault(rule.id, rule)
    default: Any = data.get("default")
    try:
        return Ruleset(
            name=data["ruleset"],
            version=data.get("version"),
            description=data.get("description"),
            default_verdict=Verdict.parse(default["verdict"]),
            default_because=default["because"],
            rules=tuple(kept.values()),
            parameters=ctx.parameters,
            invariants=tuple(invariants),
            roles=dict(data.get("roles", {})),
            path=path,
        )
    except (KeyError, TypeError, ValueError):  # the default or the name is what is broken
        return None


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
        column=getattr(node, "column", None),
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
        column=getattr(node, "column", None),
    )


# -- conditions --
