"""The durable-rules engine, and the fence around durable-rules.

This is the only module that imports durable-rules. It drives the engine's C
core (``durable_rules_engine``) directly and designs around each of its
behaviours that would otherwise leak into decisions:

* **No Host, no threads, no global names.** ``durable.lang`` registers
  rulesets by name in one process-wide ``Host`` that refuses a name twice,
  has no unregister, and starts two timer threads that also run pending
  actions (losing firings). We never create a ``Host``: each compiled ruleset
  gets its own C handle under a unique name, deleted when the ruleset is
  garbage-collected (``weakref.finalize``), so rulesets never meet and never
  leak.
* **Facts, not events.** A task is *asserted* as a fact, so every rule sees
  it (a posted event is consumed by the first rule).
* **One session, cleaned after every task.** Every evaluation uses the same
  session id, and its state is deleted after each task that matched, so
  nothing carries over. Two durable-rules defects shape this: each new
  session id takes a slot the engine never gives back unless its state is
  deleted (a fresh id per task ran out of memory after about 100,000
  tasks), and deleting the state of a session whose only fact matched no
  rule can corrupt the heap (a crash, "free(): invalid pointer"). A fact
  that matches nothing is not stored, so that state needs no deleting.
* **All matches, no priority.** We drain every queued action and collect the
  rule names; ``pri`` (which runs the *lowest* value first) is not used:
  conflicts are resolved outside the engine, by the library's priorities.
  A rule with ``$or`` can fire once per alternative; we keep a set.
* **Nothing matched is not an error.** The C call reports "not handled" as a
  status code, which we read; we never raise ``MessageNotHandledException``.
* **No coercion can reach it.** durable-rules compares loosely (``"0"``
  satisfies ``skill <= 1``, ``1`` satisfies ``core == true``). Facts are
  validated and typed before they get here and rule constants are checked
  against each fact's kind at load time, so both sides of every comparison
  have the same JSON type: levels as integers, booleans as booleans.
* **Unknown is absent.** An unknown fact is left out of the message; a
  condition on a missing field is false, which is the three-valued meaning of
  a condition in negation normal form. Facts are bounded (see
  :mod:`outsourcing_rules.facts`), so no ``NaN`` or ``inf`` is ever sent
  (durable-rules would drop NaN silently and fail on ``inf``).
* **Numbers written the way its parser reads them.** Its JSON parser refuses
  an exponent after a mantissa with no fraction (``1e-05``, ``1e+16``: error
  204, from a task whose rate ratio is tiny or a rule on a huge cost), so
  every float is written with one (``1.0e-05``). It reads integers into 64
  bits and saturates beyond (``10**19`` would compare as ``2**63 - 1``), so
  integers outside that range travel as floats. What is left: an integer
  beyond ``2**53`` compared with a float is compared as a double here and
  exactly in Python, so the two engines can differ only on numbers beyond
  nine quadrillion that lie within one rounding step of each other.
* **One caller at a time.** Several threads on one handle lose firings, so
  each compiled ruleset evaluates under its own lock.
* **Labels as booleans.** durable-rules has no set membership we can trust,
  so each label a ruleset mentions becomes one boolean field.
* It reports nothing about *why* a rule fired; explanations are computed by
  the library from the fact values the engine was given.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import uuid
import weakref
from collections.abc import Sequence
from typing import Any

from ..conditions import AllOf, AnyOf, Atom, Condition, atoms
from ..errors import OutsourcingRulesError
from ..facts import Owner, Task
from ..rules import Ruleset
from ..vocabulary import FACTS, Kind, closure, fact_values

__all__ = ["DurableEngine", "DurableError", "import_error", "live_handles"]

try:  # durable-rules' C extension does not import on Python 3.13 and newer.
    import durable_rules_engine as _dre

    _IMPORT_ERROR: str | None = None
except Exception as exc:  # pragma: no cover - depends on the interpreter
    _dre = None
    _IMPORT_ERROR = f"{type(exc).__name__}: {exc}"

_OPS = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}

#: Rules whose condition expands into more alternatives than this are
#: refused: durable-rules expands ``any`` into one network path per
#: alternative, and a hostile ruleset could make that exponential.
MAX_ALTERNATIVES = 256

#: Status codes of the C core's assert_fact.
_HANDLED, _NOT_HANDLED = 0, 1
#: The one session every evaluation uses (see the module docstring).
_SESSION = "0"

_live: set[int] = set()
_live_lock = threading.Lock()


class DurableError(OutsourcingRulesError, RuntimeError):
    """durable-rules refused a ruleset or a fact the library thought was valid."""


def import_error() -> str | None:
    """Return why durable-rules does not import here, or ``None`` if it does."""
    return _IMPORT_ERROR


def live_handles() -> int:
    """Return how many durable-rules rulesets this process holds right now."""
    with _live_lock:
        return len(_live)


def _release(handle: int) -> None:
    with _live_lock:
        _live.discard(handle)
    with contextlib.suppress(Exception):  # at interpreter shutdown the module may be gone
        _dre.delete_ruleset(handle)


def _alternatives(condition: Condition) -> int:
    if isinstance(condition, Atom):
        return max(1, len(condition.value)) if condition.op == "in" else 1
    assert isinstance(condition, AllOf | AnyOf)
    counts = [_alternatives(p) for p in condition.parts]
    if isinstance(condition, AnyOf):
        return sum(counts)
    total = 1
    for count in counts:
        total *= count
    return total


class _Compiled:
    """One ruleset held by durable-rules: a C handle, its lock, its translation."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.names: dict[str, int] = {}
        used: set[str] = set()
        labels: dict[str, str] = {}
        for rule in ruleset.rules:
            for atom in atoms(rule.condition):
                used.add(atom.fact)
                if FACTS[atom.fact].kind is Kind.LABELS:
                    for label in sorted(atom.value):
                        labels.setdefault(label, f"label{len(labels)}")
        self.labels = labels
        self.facts = [n for n in closure(frozenset(used)) if n in used]
        self.translate_labels = "tags" in used
        definition: dict[str, Any] = {}
        for position, rule in enumerate(ruleset.rules):
            size = _alternatives(rule.condition)
            if size > MAX_ALTERNATIVES:
                raise DurableError(
                    f"rule {rule.id!r} expands into {size} alternatives in durable-rules, "
                    f"over the limit of {MAX_ALTERNATIVES}; use engine='native'"
                )
            name = f"r{position}"
            self.names[name] = position
            definition[name] = {"all": [{"m": self.condition(rule.condition)}]}
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.handle: int | None = None
        if definition:
            try:
                self.handle = _dre.create_ruleset(
                    f"outsourcing-rules-{uuid.uuid4().hex}",
                    _dumps(definition),
                )
            except _dre.error as exc:  # pragma: no cover - the translation is checked
                raise DurableError(
                    f"durable-rules refused ruleset {ruleset.name!r}: {exc}"
                ) from exc
            with _live_lock:
                _live.add(self.handle)
            weakref.finalize(self, _release, self.handle)

    # -- translation of conditions --

    def condition(self, condition: Condition) -> dict[str, Any]:
        if isinstance(condition, Atom):
            return self.atom(condition)
        assert isinstance(condition, AllOf | AnyOf)
        parts = [self.condition(p) for p in condition.parts]
        if len(parts) == 1:
            return parts[0]
        return {"$and" if isinstance(condition, AllOf) else "$or": parts}

    def atom(self, atom: Atom) -> dict[str, Any]:
        fact, op, value = atom.fact, atom.op, atom.value
        if FACTS[fact].kind is Kind.LABELS:
            fields = [self.labels[label] for label in sorted(value)]
            if op == "in":
                return _either([{f: True} for f in fields])
            return _both([{f: False} for f in fields])
        if op == "in":
            return _either([{fact: _plain(v)} for v in sorted(value, key=_order)])
        if op == "not_in":
            return _both([{"$neq": {fact: _plain(v)}} for v in sorted(value, key=_order)])
        if op == "eq":
            return {fact: _plain(value)}
        return {_OPS[op]: {fact: _plain(value)}}

    # -- evaluation --

    def message(self, task: Task, owner: Owner | None) -> dict[str, Any]:
        values = fact_values(task, owner)
        message: dict[str, Any] = {"sid": _SESSION}
        for name in self.facts:
            value = values[name]
            if value is None:
                continue
            if name == "tags":
                for label, field in self.labels.items():
                    message[field] = label in value
                continue
            message[name] = _plain(value)
        return message

    def __call__(self, task: Task, owner: Owner | None) -> Sequence[int]:
        if self.handle is None:
            return []
        handle = self.handle
        message = self.message(task, owner)
        fired: set[int] = set()
        with self.lock:
            message["id"] = next(self.ids)
            status = _NOT_HANDLED
            try:
                status, state = _dre.assert_fact(handle, _dumps_flat(message))
                if status == _HANDLED:
                    action = _dre.start_action_for_state(handle, state)
                    pending: str | None = action[1] if action else None
                    while pending:
                        for name in json.loads(pending):
                            fired.add(self.names[name])
                        pending = _dre.complete_and_start_action(handle, state)
                elif status != _NOT_HANDLED:  # pragma: no cover - ids are unique
                    raise DurableError(f"durable-rules answered status {status} for a new fact")
            except _dre.error as exc:  # pragma: no cover - facts are validated
                raise DurableError(f"durable-rules failed on task {task.name!r}: {exc}") from exc
            finally:
                if status == _HANDLED:
                    _dre.delete_state(handle, _SESSION)
        return sorted(fired)


def _plain(value: Any) -> Any:
    # Levels travel as their integer order; booleans stay booleans (bool is
    # checked first, as it is an int subclass). Integers beyond 64 bits would
    # saturate in durable-rules: they travel as floats.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value) if _INT64_MIN <= value <= _INT64_MAX else float(value)
    return value


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _dumps_flat(message: dict[str, Any]) -> str:
    """Write a message of plain values: :func:`_dumps`, fast when no float needs an exponent."""
    for value in message.values():
        # Python writes a float with an exponent outside [1e-4, 1e16).
        if type(value) is float and value and not 1e-4 <= abs(value) < 1e16:
            return _dumps(message)
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def _dumps(data: Any) -> str:
    """Write *data* as JSON that durable-rules' parser reads as meant (see the docstring)."""
    if isinstance(data, dict):
        items = (f"{json.dumps(k, ensure_ascii=False)}:{_dumps(v)}" for k, v in data.items())
        return "{" + ",".join(items) + "}"
    if isinstance(data, list):
        return "[" + ",".join(_dumps(v) for v in data) + "]"
    if isinstance(data, float):
        text = repr(data)  # finite: facts and rule values are checked for that
        mantissa, e, exponent = text.partition("e")
        return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text
    return json.dumps(data, ensure_ascii=False)


def _order(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _either(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _both(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$and": parts}


class DurableEngine:
    """Evaluate rulesets on durable-rules' Rete network."""

    name = "durable"

    def compile(self, ruleset: Ruleset) -> _Compiled:
        """Translate *ruleset* into a durable-rules ruleset of its own."""
        if _dre is None:  # pragma: no cover - get_engine checks first
            raise DurableError(f"durable-rules does not import here: {_IMPORT_ERROR}")
        return _Compiled(ruleset)
