"""A loaded ruleset: validated, immutable, ready for any engine.

:func:`~outsourcing_rules.load_ruleset` builds these objects; nothing here
parses files. A :class:`Ruleset` keeps its rules in decision order (highest
priority first, then the order written), so the first rule that applies is
the one that decides. Engines compile a ruleset once and cache the result on
it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .conditions import Condition, compared_in, negation_normal_form, to_data
from .facts import Verdict
from .text import plain

#: The deepest nesting :class:`Limits` accepts: deeper data would run the
#: loader's recursive steps (schema validation, conditions) out of stack.
MAX_DEPTH_CEILING = 100


def _positive(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Limits.{attribute.name} must be a positive integer, not {value!r}")


def _count(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Limits.{attribute.name} must be an integer of 0 or more, not {value!r}")


def _depth(inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    _positive(inst, attribute, value)
    if value > MAX_DEPTH_CEILING:
        raise ValueError(
            f"Limits.max_depth must be at most {MAX_DEPTH_CEILING}, not {value!r}: "
            "deeper data would exhaust Python's recursion limit"
        )


@attrs.frozen
class Limits:
    """Bounds on what a ruleset file may contain; loading refuses anything larger.

    ``max_bytes`` bounds the file (or text) size, ``max_rules`` the rules
    after ``extends`` is resolved, ``max_depth`` the nesting of mappings and
    lists (a condition level takes one or two), ``max_string`` the length of
    any text, ``max_values`` the number of values of all kinds, and
    ``max_extends`` the length of an ``extends`` chain (0 forbids
    ``extends``). Each is checked before the data it bounds is built, so a
    hostile file fails fast with a :class:`~outsourcing_rules.RulesetError`
    naming the limit. ``max_depth`` may not exceed 100, where Python's own
    recursion limit would come first.

    The defaults are far above any real ruleset (the default ruleset holds
    235 values) and far below what could exhaust memory or time: a file at
    the limits loads in about a second. Raise them per call of
    :func:`~outsourcing_rules.load_ruleset` when you trust the source, lower
    them for a service that loads its customers' files.
    """

    max_bytes: int = attrs.field(default=1_000_000, validator=_positive)
    max_rules: int = attrs.field(default=1_000, validator=_positive)
    max_depth: int = attrs.field(default=32, validator=_depth)
    max_string: int = attrs.field(default=10_000, validator=_positive)
    max_values: int = attrs.field(default=20_000, validator=_positive)
    max_extends: int = attrs.field(default=16, validator=_count)


def _pairs(value: Mapping[str, str] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Hold a rule's phrases as ``(fact, phrase)`` pairs, so a rule stays hashable."""
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(fact), str(phrase)) for fact, phrase in items)


@attrs.frozen
class Rule:
    """One rule: when its condition is true, it proposes a verdict.

    ``when`` is the condition as written; ``condition`` is the same condition
    in negation normal form, which is what engines evaluate. ``role`` is the
    provider role the rule suggests for an ``outsource`` verdict. ``say``
    holds the owner-facing phrase for each fact the condition tests, as
    ``(fact, phrase)`` pairs (see :mod:`outsourcing_rules.explain.voice`).
    ``path``, ``line`` and ``column`` say where the rule was written, where known.
    """

    id: str
    priority: int
    when: Condition
    verdict: Verdict
    because: str
    role: str | None = None
    say: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    line: int | None = attrs.field(default=None, eq=False)
    path: str | None = attrs.field(default=None, eq=False)
    column: int | None = attrs.field(default=None, eq=False)
    condition: Condition = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "condition", negation_normal_form(self.when))

    def to_data(self) -> dict[str, Any]:
        """Return the rule as ruleset-file data."""
        data: dict[str, Any] = {
            "id": self.id,
            "priority": self.priority,
            "when": to_data(self.when),
            "then": self.verdict.value,
            "because": self.because,
        }
        if self.role is not None:
            data["role"] = self.role
        if self.say:
            data["say"] = dict(self.say)
        return data


@attrs.frozen
class Invariant:
    """A property the ruleset promises: when ``when`` holds, never or always a verdict."""

    when: Condition
    verdict: Verdict
    always: bool
    description: str | None = None
    line: int | None = attrs.field(default=None, eq=False)
    path: str | None = attrs.field(default=None, eq=False)
    column: int | None = attrs.field(default=None, eq=False)

    def to_data(self) -> dict[str, Any]:
        """Return the invariant as ruleset-file data."""
        data: dict[str, Any] = {"when": to_data(self.when)}
        data["always" if self.always else "never"] = self.verdict.value
        if self.description:
            data["description"] = self.description
        return data


def _rules_in_order(rules: Any) -> tuple[Rule, ...]:
    """Sort rules into decision order."""
    ordered = list(rules)
    # Stable: equal priorities keep the order written (they share a verdict,
    # which loading guarantees, so the order only affects which one is cited).
    ordered.sort(key=lambda r: -r.priority)
    return tuple(ordered)


def _as_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


#: The engines this library knows, by name: what a ruleset's ``engine`` may say.
#: Named here, below loading, so that loading checks a name without importing
#: the engines (``engines/`` compiles them).
ENGINES = ("durable", "native")


@attrs.frozen(eq=False, getstate_setstate=False)
class Ruleset:
    """A validated ruleset: rules in decision order, a default, parameters.

    Compare rulesets with ``==``: two are equal when their content is
    (name, version, parameters, default, rules, invariants, roles), wherever
    they were loaded from. ``engine`` is the engine decisions use unless a
    call names another. ``digest`` is a hash of that content, recorded on
    every decision for audit.
    """

    name: str
    version: str | int | None
    default_verdict: Verdict
    default_because: str
    rules: tuple[Rule, ...] = attrs.field(converter=_rules_in_order)
    parameters: Mapping[str, Any] = attrs.field(factory=dict, converter=_as_dict)
    invariants: tuple[Invariant, ...] = attrs.field(factory=tuple, converter=_as_tuple)
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_as_dict)
    description: str | None = None
    path: str | None = None
    extends: str | None = None
    engine: str | None = None
    _compiled: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)
    digest: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        text = json.dumps(self.to_data(flat=True), sort_keys=True, ensure_ascii=False)
        object.__setattr__(self, "digest", hashlib.sha256(text.encode()).hexdigest()[:16])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ruleset):
            return NotImplemented
        return self.digest == other.digest and self.to_data(flat=True) == other.to_data(flat=True)

    def __hash__(self) -> int:
        return hash(self.digest)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the content, not the compiled forms or the lock (rebuilt on first use)."""
        return {
            f.name: getattr(self, f.name)
            for f in attrs.fields(Ruleset)
            if f.name not in ("_compiled", "_lock")
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_compiled", {})
        object.__setattr__(self, "_lock", threading.Lock())

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id *rule_id*; ``KeyError`` if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the rules, in decision order."""
        return tuple(r.id for r in self.rules)

    def compiled(self, key: str, build: Callable[[Ruleset], Any]) -> Any:
        """Return what ``build(self)`` made for engine *key*, building it once.

        Engines use this to compile a ruleset once and share the result
        between calls and threads.
        """
        found = self._compiled.get(key)
        if found is None:
            _compiling[id(self)] = self
            with self._lock:
                found = self._compiled.get(key)
                if found is None:
                    found = build(self)
                    self._compiled[key] = found
        return found

    def to_data(self, *, flat: bool = True) -> dict[str, Any]:
        """Return the ruleset as ruleset-file data (rules in decision order).

        The result has no ``extends``: it is the full, resolved ruleset, and
        loading it gives an equal ruleset.
        """
        data: dict[str, Any] = {"ruleset": self.name}
        if self.version is not None:
            data["version"] = self.version
        if self.description:
            data["description"] = self.description
        if self.parameters:
            data["parameters"] = {k: plain(v) for k, v in self.parameters.items()}
        data["default"] = {"verdict": self.default_verdict.value, "because": self.default_because}
        data["rules"] = [r.to_data() for r in self.rules]
        if self.roles:
            data["roles"] = dict(self.roles)
        if self.invariants:
            data["invariants"] = [i.to_data() for i in self.invariants]
        return data


#: Rulesets that have taken their compile lock, so a forked child can renew it.
_compiling: weakref.WeakValueDictionary[int, Ruleset] = weakref.WeakValueDictionary()


def _after_fork_in_child() -> None:
    # A thread of the parent may have held a compile lock: it does not exist here.
    for ruleset in list(_compiling.values()):
        object.__setattr__(ruleset, "_lock", threading.Lock())


if hasattr(os, "register_at_fork"):  # POSIX only
    os.register_at_fork(after_in_child=_after_fork_in_child)


def compared_values(rulesets: Iterable[Ruleset]) -> dict[str, list[Any]]:
    """Return every value each fact is compared with in *rulesets*' rules, in the order met.

    :func:`~outsourcing_rules.core.conditions.compared_in` over every rule.
    """
    return compared_in(rule.when for ruleset in rulesets for rule in ruleset.rules)
