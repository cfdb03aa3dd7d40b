"""Hypothesis strategies for whole rulesets: random, valid ruleset files and loaded rulesets.

Every ruleset drawn is built with :func:`~outsourcing_rules.load_ruleset`,
so it passed every check a ruleset file must pass. Options follow the
conventions of :mod:`outsourcing_rules.testing.strategies`.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..core.facts import Verdict
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind
from ..loading import load_ruleset
from .sampling import INTERESTING_NUMBERS
from .strategies import (
    _EXTREME_NUMBERS,
    _LEVELS,
    DEFAULT_CATEGORIES,
    DEFAULT_TAGS,
    _count,
    _free_text,
    _texts,
)

_VERDICTS = tuple(Verdict)


def _escape(value: Any) -> Any:
    """Write a single value so the loader reads it back as itself (``$x`` as ``$$x``)."""
    if isinstance(value, str) and value.startswith("$"):
        return "$" + value
    return value


def _values(
    kind: Kind, categories: tuple[str, ...], tags: tuple[str, ...]
) -> st.SearchStrategy[Any]:
    """Values a condition on a fact of *kind* may compare with, as written in a file."""
    levels = _LEVELS.get(kind)
    if levels is not None:
        names = levels.names()
        return st.sampled_from(names) | st.sampled_from([n.upper() for n in names])
    if kind is Kind.BOOL:
        return st.booleans()
    if kind is Kind.NUMBER:
        return st.one_of(
            st.sampled_from(INTERESTING_NUMBERS),
            st.sampled_from([float(n) for n in INTERESTING_NUMBERS]),
            st.integers(-1000, 10**6),
            st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
            st.sampled_from(_EXTREME_NUMBERS),
        )
    if kind is Kind.TEXT:
        return st.sampled_from(categories) | _free_text(labels=False)
    return st.sampled_from(tags) | _free_text(labels=False)


@functools.lru_cache(maxsize=256)
def _value_lists(
    kind: Kind, categories: tuple[str, ...], tags: tuple[str, ...]
) -> st.SearchStrategy[list[Any]]:
    return st.lists(_values(kind, categories, tags), min_size=1, max_size=4)


@functools.lru_cache(maxsize=64)
def _operator_sets(fact: str) -> st.SearchStrategy[list[str]]:
    allowed = sorted(FACTS[fact].operators)
    return st.lists(st.sampled_from(allowed), min_size=1, max_size=2, unique=True)


# Strategies drawn over and over, built once.
_ONE_IN_FIVE = st.integers(0, 4)
_SHAPES = st.integers(0, 7)  # 0-3: one comparison; 4: a mapping of several; 5-7: all, any, not
_PARTS = st.integers(1, 3)
_BOOLEANS = st.booleans()
_VERDICT = st.sampled_from(_VERDICTS)
_RULE_PREFIX = st.sampled_from(("r", "rule-", "A.b_", "9x-"))
_PRIORITY = st.integers(-2, 6)
_BECAUSE = st.sampled_from(["Because.", 'It\'s "odd" — ünïcode.'])
_RULESET_NAME = st.sampled_from(["generated", "agency's rules"])
_VERSION = st.none() | st.integers(0, 10) | st.just("1.0")


class _Drawer:
    """Draws the conditions of one ruleset, collecting the parameters they use."""

    def __init__(
        self,
        draw: st.DrawFn,
        facts: tuple[str, ...],
        categories: tuple[str, ...],
        tags: tuple[str, ...],
        max_depth: int,
    ) -> None:
        self.draw = draw
        self.facts = st.sampled_from(facts)
        self.categories = categories
        self.tags = tags
        self.max_depth = max_depth
        self.parameters: dict[str, Any] = {}

    def value(self, fact: str, op: str) -> Any:
        kind = FACTS[fact].kind
        many = op in ("in", "not_in")
        raw: Any = self.draw(
            _value_lists(kind, self.categories, self.tags)
            if many
            else _values(kind, self.categories, self.tags)
        )
        if self.draw(_ONE_IN_FIVE) == 0:  # now and then, through a $parameter
            name = f"p{len(self.parameters)}"
            self.parameters[name] = raw  # parameter values are taken literally
            return "$" + name
        # Only a single value written in place can be read as $parameter;
        # list items are taken literally.
        return raw if many else _escape(raw)

    def atom(self) -> dict[str, Any]:
        fact = self.draw(self.facts)
        ops = self.draw(_operator_sets(fact))
        if ops == ["eq"] and self.draw(_BOOLEANS):
            return {fact: self.value(fact, "eq")}  # the shorthand {fact: value}
        return {fact: {op: self.value(fact, op) for op in ops}}

    def condition(self, depth: int = 0) -> dict[str, Any]:
        shape = 0 if depth >= self.max_depth else self.draw(_SHAPES)
        if shape <= 3:
            return self.atom()
        if shape == 4:  # several facts in one mapping: all must hold
            merged: dict[str, Any] = {}
            for _ in range(self.draw(_PARTS)):
                part = self.atom()
                if merged.keys() & part.keys():  # a fact twice would drop one (and its $p)
                    return {"all": [merged, part]}
                merged.update(part)
            return merged
        if shape == 7:
            return {"not": self.condition(depth + 1)}
        key = "all" if shape == 5 else "any"
        return {key: [self.condition(depth + 1) for _ in range(self.draw(_PARTS))]}


@st.composite
def ruleset_data(
    draw: st.DrawFn,
    *,
    max_rules: int = 8,
    facts: Collection[str] | None = None,
    categories: Collection[str] | None = None,
    tags: Collection[str] | None = None,
    max_depth: int = 3,
) -> dict[str, Any]:
    """Draw the plain data of a valid ruleset file, ready for :func:`~.load_ruleset`.

    Up to *max_rules* rules over the *facts* named (default: every fact of
    the rule language), each with a random condition: every operator a fact
    allows, values of the right kind (levels by name, in any case; numbers
    int and float, tiny, huge and negative; text and labels with quotes,
    ``$`` and non-ASCII characters), ``all``/``any``/``not`` nested up to
    *max_depth* deep, and now and then a ``$parameter``. Priorities are
    drawn so rules with different verdicts never share one (a load error)
    while rules with the same verdict often do. Text and label values come
    from *categories* and *tags* (defaults :data:`DEFAULT_CATEGORIES` and
    :data:`DEFAULT_TAGS`), so they meet what :func:`tasks` draws.
    """
    rule_count = _count(max_rules, "max_rules", minimum=0)
    depth = _count(max_depth, "max_depth", minimum=0)
    names = tuple(FACTS) if facts is None else _texts(facts, "facts", labels=True)
    for name in names:
        if name not in FACTS:
            raise InvalidArgument(f"facts names {name!r}, which is not a fact of the rule language")
    drawer = _Drawer(
        draw,
        names,
        DEFAULT_CATEGORIES
        if categories is None
        else _texts(categories, "categories", labels=False),
        DEFAULT_TAGS if tags is None else _texts(tags, "tags", labels=True),
        depth,
    )
    rules = []
    for index in range(draw(st.integers(0, rule_count))):
        verdict = draw(_VERDICT)
        rule_id = draw(_RULE_PREFIX) + str(index)
        # Different verdicts get priorities in different residue classes mod 3.
        priority = 3 * draw(_PRIORITY) + _VERDICTS.index(verdict)
        rule: dict[str, Any] = {
            "id": rule_id,
            "priority": priority,
            "when": drawer.condition(),
            "then": verdict.value,
            "because": draw(_BECAUSE),
        }
        if verdict is Verdict.OUTSOURCE and draw(_BOOLEANS):
            rule["role"] = "virtual assistant"
        rules.append(rule)
    data: dict[str, Any] = {
        "ruleset": draw(_RULESET_NAME),
        "version": draw(_VERSION),
        "default": {"verdict": draw(_VERDICT).value, "because": "Default."},
        "rules": rules,
    }
    if data["version"] is None:
        del data["version"]
    if drawer.parameters:
        data["parameters"] = drawer.parameters
    return data


@st.composite
def rulesets(
    draw: st.DrawFn,
    *,
    max_rules: int = 8,
    facts: Collection[str] | None = None,
    categories: Collection[str] | None = None,
    tags: Collection[str] | None = None,
    max_depth: int = 3,
) -> Ruleset:
    """Draw valid :class:`~outsourcing_rules.Ruleset` objects, loaded from :func:`ruleset_data`.

    The options are those of :func:`ruleset_data`. Each ruleset went through
    :func:`~outsourcing_rules.load_ruleset`, schema and semantic checks
    included, exactly as a file would.
    """
    data = draw(
        ruleset_data(
            max_rules=max_rules, facts=facts, categories=categories, tags=tags, max_depth=max_depth
        )
    )
    return load_ruleset(data)
