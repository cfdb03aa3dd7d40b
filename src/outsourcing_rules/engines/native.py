"""The native engine: a ruleset compiled once into one plain Python function.

As attrs builds ``__init__`` and cattrs builds structuring functions, this
engine writes the source of a function that reads exactly the facts the
ruleset needs, computes the derived ones, and tests every rule's condition
(in negation normal form) in decision order. Nothing from the ruleset file is
pasted into that source: fact names come from the library's own vocabulary,
and every value a rule compares with is passed in as a constant of the
function's namespace (``_k0``, ``_k1``...). Unknown facts are ``None``, and
every comparison on ``None`` is false, which is the three-valued meaning of
the condition (see :mod:`outsourcing_rules.core.conditions`).
"""

from __future__ import annotations

import itertools
from typing import Any

from ..core.conditions import AllOf, AnyOf, Atom, Condition, Not, atoms
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind, fact_lines
from . import Matcher

_PYTHON_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


class _Generator:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._counter = itertools.count()

    def constant(self, value: Any) -> str:
        name = f"_k{next(self._counter)}"
        self.namespace[name] = value
        return name

    def expression(self, condition: Condition) -> str:
        if isinstance(condition, Atom):
            return self.atom(condition)
        if isinstance(condition, Not):  # pragma: no cover - rules hold NNF conditions
            raise TypeError("the native engine compiles conditions in negation normal form")
        joiner = " and " if isinstance(condition, AllOf) else " or "
        assert isinstance(condition, AllOf | AnyOf)
        return "(" + joiner.join(self.expression(p) for p in condition.parts) + ")"

    def atom(self, atom: Atom) -> str:
        fact, op = atom.fact, atom.op
        if FACTS[fact].kind is Kind.BOOL and op in ("eq", "ne"):
            # Boolean facts hold exactly True, False or None (validated), so an
            # identity test is exact, and cheaper than ==; ne means "the other
            # boolean", never None.
            wanted = atom.value if op == "eq" else not atom.value
            return f"({fact} is {'True' if wanted else 'False'})"
        const = self.constant(atom.value)
        if FACTS[fact].kind is Kind.LABELS:
            test = f"{fact}.isdisjoint({const})"
            return f"({fact} is not None and {'not ' if op == 'in' else ''}{test})"
        if op == "eq":  # None == value is False: no guard needed
            return f"({fact} == {const})"
        if op == "in":
            return f"({fact} in {const})"
        if op == "not_in":
            return f"({fact} is not None and {fact} not in {const})"
        return f"({fact} is not None and {fact} {_PYTHON_OPS[op]} {const})"


def generate_source(ruleset: Ruleset) -> tuple[str, dict[str, Any]]:
    """Return the source of the matcher function for *ruleset* and its namespace.

    Exposed for the curious and for the documentation; :class:`NativeEngine`
    is the way to use it.
    """
    gen = _Generator()
    used = {a.fact for rule in ruleset.rules for a in atoms(rule.condition)}
    lines = ["def match(t, o):"]
    lines += [f"    {line}" for line in fact_lines(frozenset(used), gen.constant)]
    lines.append("    m = []")
    for position, rule in enumerate(ruleset.rules):
        lines.append(f"    if {gen.expression(rule.condition)}:")
        lines.append(f"        m.append({position})")
    lines.append("    return tuple(m)")
    return "\n".join(lines) + "\n", gen.namespace


class NativeEngine:
    """Evaluate rulesets in pure Python, through one generated function per ruleset."""

    name = "native"

    def compile(self, ruleset: Ruleset) -> Matcher:
        """Compile *ruleset* into its matcher function."""
        source, namespace = generate_source(ruleset)
        code = compile(source, f"<outsourcing_rules native: {ruleset.name}>", "exec")
        exec(code, namespace)  # the source holds no text from the ruleset file
        matcher: Matcher = namespace["match"]
        return matcher
