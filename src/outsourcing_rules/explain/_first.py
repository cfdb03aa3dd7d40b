"""The ruleset compiled to stop at the first rule that applies, reading facts as it goes.

The what-if search only wants the rule that decides. This is the native
engine's matcher (:mod:`outsourcing_rules.engines.native`) rewritten for
that: rules in decision order, each preceded by the facts it needs that no
rule above it needed, and a return at the first that applies. A task
decided early reads few of its facts. The conditions are written by the
native engine's own generator and the facts by the vocabulary's
(:func:`~outsourcing_rules.core.vocabulary.fact_lines`): nothing from the
ruleset file is pasted into the source, and the facts are derived as
everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..core.conditions import Atom, atoms
from ..core.facts import Owner, Task
from ..core.rules import Ruleset
from ..core.vocabulary import closure, fact_lines
from ..engines.native import _Generator


def first_source(ruleset: Ruleset) -> tuple[str, dict[str, Any]]:
    """Return the source of the first-rule matcher of *ruleset* and its namespace."""
    gen = _Generator()
    named: dict[int, str] = {}

    def constant(value: Any) -> str:  # one name per object, so a fact's line is always the same
        found = named.get(id(value))
        if found is None:
            found = named[id(value)] = gen.constant(value)
        return found

    lines = ["def match(t, o):"]
    done: set[str] = set()
    for position, rule in enumerate(ruleset.rules):
        needed = frozenset(a.fact for a in atoms(rule.condition))
        for fact in closure(needed):
            if fact not in done:
                done.add(fact)
                (line,) = [
                    x for x in fact_lines(frozenset({fact}), constant) if x.startswith(f"{fact} = ")
                ]
                lines.append(f"    {line}")
        lines.append(f"    if {gen.expression(rule.condition)}:")
        lines.append(f"        return {position}")
    lines.append("    return -1")
    return "\n".join(lines) + "\n", gen.namespace


def first_matcher(ruleset: Ruleset) -> Callable[[Task, Owner | None], int]:
    """Compile *ruleset* into a function giving the position of the first rule that applies.

    ``-1`` when none does.
    """
    source, namespace = first_source(ruleset)
    code = compile(source, f"<outsourcing_rules what-if: {ruleset.name}>", "exec")
    exec(code, namespace)  # our generators' source: no text from the ruleset file
    found: Callable[[Task, Owner | None], int] = namespace["match"]
    return found


def truth_reader(compared: Sequence[Atom]) -> Callable[[Task, Owner | None], list[bool]]:
    """Compile a function telling, for a task and owner, which of *compared* hold.

    Each comparison is written as the native engine writes it, so a fact
    that is unknown makes it false (as a rule reads it).
    """
    gen = _Generator()
    body = fact_lines(frozenset(a.fact for a in compared), gen.constant)
    tests = ", ".join(gen.atom(a) for a in compared)
    source = "def truths(t, o):\n" + "".join(f"    {line}\n" for line in body)
    source += f"    return [{tests}]\n"
    code = compile(source, "<outsourcing_rules what-if truths>", "exec")
    exec(code, gen.namespace)  # our generators' source: no text from the ruleset file
    found: Callable[[Task, Owner | None], list[bool]] = gen.namespace["truths"]
    return found


def checks_of(compared: Sequence[Atom]) -> list[Callable[[Any], bool]]:
    """Compile each of *compared* into a test of one value of its fact (unknown: false)."""
    gen = _Generator()
    tests = "".join(f"        (lambda {a.fact}: {gen.atom(a)}),\n" for a in compared)
    source = f"def checks():\n    return [\n{tests}    ]\n"
    code = compile(source, "<outsourcing_rules what-if checks>", "exec")
    exec(code, gen.namespace)  # our generators' source: no text from the ruleset file
    found: list[Callable[[Any], bool]] = gen.namespace["checks"]()
    return found
