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
* **One session, cleaned after every task, abandoned if in doubt.** Each
  handle evaluates in one session, and its state is deleted after each task
  that matched, so nothing carries over. A handle is marked clean only when
  a task's clean-up has finished; if anything interrupts a call in between
  (``KeyboardInterrupt``, a signal handler's timeout, an error), the next
  call on that handle starts a fresh session, so a state left behind can
  never be read by another decision, and then frees the sessions left
  behind (see :func:`_clear`). Two durable-rules defects shape this: each
  new session id takes a slot the engine never gives back unless its state
  is deleted (a fresh id per task ran out of memory after about 100,000
  tasks; a handle holds about 1,024 such sessions, after which every call
  raises ``MemoryError``, so abandoned sessions must not pile up), and
  deleting the state of a session whose only fact matched no rule can
  corrupt the heap (a crash, "free(): invalid pointer"). A fact that
  matches nothing is not stored, so after a task that matched nothing the
  session needs no deleting.
* **All matches, no priority.** We drain every queued action and collect the
  rule names; ``pri`` (which runs the *lowest* value first) is not used:
  conflicts are resolved outside the engine, by the library's priorities.
* **No ``$or``: one durable-rules rule per alternative.** A condition is
  expanded into its alternatives (each a conjunction), and each becomes a
  rule of its own; a rule of ours matched when any of its alternatives fired.
  durable-rules' ``$or`` over conjunctions overflows a 32-entry expression
  table (error 113) after about ten alternatives.
* **Small tables, so big rulesets are split.** The C core's tables have fixed
  sizes and not all are checked: a node with more than 512 alternatives
  below it makes ``create_ruleset`` loop forever *while holding the GIL*
  (freezing every thread of the process), more than 64 alternatives true at
  once overflow its stack (error 303), a fact holds at most 254 fields
  (error 302), and a text of 64 KiB or more is compared wrongly. So a
  ruleset is spread over as many C handles as it needs, each holding at most
  :data:`HANDLE_ALTERNATIVES` alternatives over at most
  :data:`HANDLE_FIELDS` fields, and a task is asserted into each. Creating
  a handle takes more than linear time in its tests, so a ruleset of more
  than :data:`MAX_RULESET_TESTS` tests is refused for this engine; text
  constants are bounded (facts are, by :data:`~outsourcing_rules.core.facts.MAX_TEXT`).
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
  :mod:`outsourcing_rules.core.facts`), so no ``NaN`` or ``inf`` is ever sent
  (durable-rules would drop NaN silently and fail on ``inf``).
* **Numbers it cannot misread: order-preserving integers.** Its C core
  reads a decimal number with ``atof``, which follows the process locale:
  under ``LC_NUMERIC=de_DE.UTF-8`` it reads ``1.7`` as ``1`` (wrong
  verdicts, silently). Its JSON parser also refuses an exponent after a
  mantissa with no fraction (``1e-05``: error 204), and it compares an
  integer with a float as two doubles. So no decimal number is ever sent:
  every number, in a fact or a rule, is first made the double Python
  compares it as, and then sent as the 64-bit integer whose order is that
  double's order (:func:`_for_durable`: the bits of the double, negatives
  mirrored, ``-0.0`` as ``0.0``). Integers are read with ``atol``, which no
  locale changes, and compared exactly over all 64 bits, so ``<``, ``<=``,
  ``==`` and ``!=`` on the integers answer what they answer on the doubles.
  The loader refuses integer constants no double holds, and derived figures
  past ``2**53`` are floats (:data:`~outsourcing_rules.core.facts.MAX_EXACT_INTEGER`),
  so comparing as doubles is comparing as Python does. Changing the locale
  around each call instead (``setlocale``) would be process-wide, not
  thread-safe, and would change it under every other thread for a moment.
* **One caller at a time, and forks start afresh.** Several threads on one
  handle lose firings, so each compiled ruleset evaluates under its own
  lock. A child made by ``os.fork()`` while another thread held such a lock
  would wait for it forever, so after a fork the child gets new locks and
  every handle a fresh session (``os.register_at_fork``).
* **Labels as booleans.** durable-rules has no set membership we can trust,
  so each label a ruleset mentions becomes one boolean field.
* It reports nothing about *why* a rule fired; explanations are computed by
  the library from the fact values the engine was given.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import uuid
import weakref
from collections.abc import Sequence
from typing import Any

from ..core.conditions import AllOf, AnyOf, Atom, Condition, atoms
from ..core.facts import Owner, Task
from ..core.rules import Ruleset
from ..core.vocabulary import FACTS, Kind, closure, fact_reader
from ..errors import OutsourcingRulesError
from ._wire import _both, _dumps, _fields, _for_durable, _operand, _order

try:  # durable-rules' C extension does not import on Python 3.13 and newer.
    import durable_rules_engine as _dre

    _IMPORT_ERROR: str | None = None
except Exception as exc:  # pragma: no cover - depends on the interpreter
    _dre = None
    _IMPORT_ERROR = f"{type(exc).__name__}: {exc}"

_OPS = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}

#: Rules whose condition expands into more alternatives than this are
#: refused: each alternative is a network path, and a hostile ruleset could
#: make their number exponential.
MAX_ALTERNATIVES = 256
#: Rulesets whose rules expand into more alternatives than this in all are
#: refused (at most 64 handles a ruleset, each asserted for every task).
MAX_RULESET_ALTERNATIVES = 4096
#: Rulesets whose alternatives hold more tests than this in all are refused:
#: creating a C handle costs more than linear time in its tests (4,096 tests
#: in one handle take about 0.5 s, 8,192 about 1.5 s, 19,000 about five).
MAX_RULESET_TESTS = 4096
#: Alternatives one C handle holds: 64 true at once is durable-rules' limit.
HANDLE_ALTERNATIVES = 60
#: Fields one fact may carry on one C handle: 254 less ``sid`` and ``id``, with room.
HANDLE_FIELDS = 240
#: The longest text constant durable-rules compares whole, in UTF-8 bytes.
_MAX_TEXT_BYTES = 65_535

#: The field of the one fact that matches each handle's probe rule (see :func:`_clear`).
_PROBE_FIELD = "outsourcing_rules_probe"
#: Status codes of the C core's assert_fact.
_HANDLED, _NOT_HANDLED = 0, 1
#: Session ids for handles whose last call was interrupted (see the module docstring).
_sessions = itertools.count(1)
#: Ids of probe facts: a clearing interrupted and tried again asserts a new one.
_probes = itertools.count(1)

_live: set[int] = set()
_live_lock = threading.Lock()
#: Every compiled ruleset alive, so a forked child can give each new locks.
_everything: weakref.WeakSet[_Compiled] = weakref.WeakSet()


class DurableError(OutsourcingRulesError, RuntimeError):
    """durable-rules refused a ruleset or a fact the library thought was valid."""


def import_error() -> str | None:
    """Return why durable-rules does not import here, or ``None`` if it does."""
    return _IMPORT_ERROR


def live_handles() -> int:
    """Return how many durable-rules rulesets this process holds right now."""
    with _live_lock:
        return len(_live)


def _release(handles: Sequence[_Handle]) -> None:
    for handle in handles:
        with _live_lock:
            _live.discard(handle.handle)
        with contextlib.suppress(Exception):  # at interpreter shutdown the module may be gone
            for session in (*handle.abandoned, handle.session):
                _clear(handle.handle, session)
            _dre.delete_ruleset(handle.handle)


def _clear(handle: int, session: str) -> None:
    """Free a session's state: make it match the probe rule, then delete it.

    A session whose facts all matched nothing still holds memory (about
    80 KB) that ``delete_ruleset`` never frees, and deleting its state as it
    is can corrupt the heap. Once the probe fact has matched, deleting it
    is the ordinary, safe case.
    """
    probe = json.dumps({"sid": session, "id": f"probe{next(_probes)}", _PROBE_FIELD: True})
    status, state = _dre.assert_fact(handle, probe)
    if status == _HANDLED:
        action = _dre.start_action_for_state(handle, state)
        while action and _dre.complete_and_start_action(handle, state):
            pass
        _dre.delete_state(handle, session)


def _reclaim(handle: _Handle) -> None:
    """Free the sessions interrupted calls left on *handle*, oldest first.

    Each is cleared before it leaves the list, so an interruption here only
    leaves it to be cleared again by the next call (clearing a cleared
    session is harmless). Without this, about 1,024 interruptions that left
    a session behind would exhaust the handle: every later call would raise
    ``MemoryError``.
    """
    abandoned = handle.abandoned
    while abandoned:
        try:
            _clear(handle.handle, abandoned[0])
        except _dre.error as exc:  # pragma: no cover - the probe fact is always valid
            raise DurableError(f"durable-rules could not free an old session: {exc}") from exc
        del abandoned[0]


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


class _Handle:
    """One C handle: some alternatives of a ruleset, and the fields its facts need."""

    __slots__ = ("abandoned", "clean", "fields", "handle", "names", "session")

    def __init__(self, handle: int, names: dict[str, int], fields: frozenset[str]) -> None:
        self.handle = handle
        self.names = names  # durable-rules rule name -> position of our rule
        self.fields = fields
        self.session = "0"
        # Sessions left after an interrupted call: never read again, freed by the next call.
        self.abandoned: list[str] = []
        # False from just before a task is asserted until its clean-up is over.
        self.clean = True


#: One alternative: the position of its rule, and its conjunction of tests.
_Alternative = tuple[int, list[dict[str, Any]]]


class _Compiled:
    """One ruleset held by durable-rules: its C handles, a lock, its translation."""

    def __init__(self, ruleset: Ruleset) -> None:
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
        # Reads just these facts (and what they are computed from) per task.
        self.read = fact_reader(self.facts)
        self.translate_labels = "tags" in used
        alternatives: list[_Alternative] = []
        tests = 0
        for position, rule in enumerate(ruleset.rules):
            size = _alternatives(rule.condition)
            if size > MAX_ALTERNATIVES:
                raise DurableError(
                    f"rule {rule.id!r} expands into {size} alternatives in durable-rules, "
                    f"over the limit of {MAX_ALTERNATIVES}; use engine='native'"
                )
            if len(alternatives) + size > MAX_RULESET_ALTERNATIVES:
                raise DurableError(
                    f"ruleset {ruleset.name!r} expands into more than "
                    f"{MAX_RULESET_ALTERNATIVES} alternatives in durable-rules; "
                    "use engine='native'"
                )
            for conjunction in self.alternatives(rule.condition):
                self.check(rule.id, conjunction)
                alternatives.append((position, conjunction))
                tests += len(conjunction)
            if tests > MAX_RULESET_TESTS:
                raise DurableError(
                    f"ruleset {ruleset.name!r} makes more than {MAX_RULESET_TESTS:,} tests in "
                    "durable-rules (each value of a not_in is one); use engine='native'"
                )
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.handles: list[_Handle] = []
        try:
            for group in _groups(alternatives):
                self.handles.append(self.create(ruleset, group))
        finally:
            weakref.finalize(self, _release, self.handles)
        _everything.add(self)

    def create(self, ruleset: Ruleset, group: list[_Alternative]) -> _Handle:
        """Hand *group* to durable-rules as one ruleset of its own."""
        definition = {
            f"r{i}": {"all": [{"m": _both(conjunction)}]}
            for i, (_, conjunction) in enumerate(group)
        }
        definition["probe"] = {"all": [{"m": {_PROBE_FIELD: True}}]}
        try:
            handle = _dre.create_ruleset(
                f"outsourcing-rules-{uuid.uuid4().hex}", _dumps(definition)
            )
        except _dre.error as exc:  # pragma: no cover - the translation is checked
            raise DurableError(f"durable-rules refused ruleset {ruleset.name!r}: {exc}") from exc
        with _live_lock:
            _live.add(handle)
        names = {f"r{i}": position for i, (position, _) in enumerate(group)}
        return _Handle(handle, names, _fields(conjunction for _, conjunction in group))

    # -- translation of conditions --

    def alternatives(self, condition: Condition) -> list[list[dict[str, Any]]]:
        """Expand *condition* (in negation normal form) into conjunctions of tests."""
        if isinstance(condition, Atom):
            return self.atom(condition)
        assert isinstance(condition, AllOf | AnyOf)
        expanded = [self.alternatives(p) for p in condition.parts]
        if isinstance(condition, AnyOf):
            return [conjunction for part in expanded for conjunction in part]
        return [
            [test for conjunction in combination for test in conjunction]
            for combination in itertools.product(*expanded)
        ]

    def atom(self, atom: Atom) -> list[list[dict[str, Any]]]:
        """Translate one comparison into alternatives of durable-rules tests."""
        fact, op, value = atom.fact, atom.op, atom.value
        if FACTS[fact].kind is Kind.LABELS:
            fields = [self.labels[label] for label in sorted(value)]
            if op == "in":
                return [[{f: True}] for f in fields]
            return [[{f: False} for f in fields]]
        if op == "in":
            return [[{fact: _for_durable(v)}] for v in sorted(value, key=_order)]
        if op == "not_in":
            return [[{"$neq": {fact: _for_durable(v)}} for v in sorted(value, key=_order)]]
        if op == "eq":
            return [[{fact: _for_durable(value)}]]
        return [[{_OPS[op]: {fact: _for_durable(value)}}]]

    @staticmethod
    def check(rule_id: str, conjunction: list[dict[str, Any]]) -> None:
        """Refuse what durable-rules would get wrong rather than answer wrongly."""
        if len(_fields([conjunction])) > HANDLE_FIELDS:
            raise DurableError(
                f"rule {rule_id!r} tests more than {HANDLE_FIELDS} facts and labels at once, "
                "more than durable-rules can carry; use engine='native'"
            )
        for test in conjunction:
            value = _operand(test)
            if isinstance(value, str) and len(value.encode("utf-8")) >= _MAX_TEXT_BYTES:
                raise DurableError(
                    f"rule {rule_id!r} compares with a text of {len(value):,} characters, "
                    "longer than durable-rules compares correctly; use engine='native'"
                )

    # -- evaluation --

    def message(self, task: Task, owner: Owner | None) -> dict[str, Any]:
        message: dict[str, Any] = {}
        for name, value in zip(self.facts, self.read(task, owner), strict=True):
            if value is None:
                continue
            if name == "tags":
                for label, field in self.labels.items():
                    message[field] = label in value
                continue
            message[name] = _for_durable(value)
        return message

    def __call__(self, task: Task, owner: Owner | None) -> tuple[int, ...]:
        if not self.handles:
            return ()
        message = self.message(task, owner)
        fired: set[int] = set()
        with self.lock:
            number = next(self.ids)
            single = len(self.handles) == 1
            for handle in self.handles:
                part = (
                    message if single else {k: v for k, v in message.items() if k in handle.fields}
                )
                self.assert_into(handle, part, number, task, fired)
        return tuple(sorted(fired))

    def held_facts(self) -> int:
        """Count the facts durable-rules still holds for this ruleset: 0 between decisions.

        Each decision deletes its state; a leftover fact would be matched
        again by the next task's rules.
        """
        count = 0
        for handle in self.handles:
            # No state for the session at all raises: nothing is held.
            with contextlib.suppress(_dre.error):
                count += len(json.loads(_dre.get_facts(handle.handle, handle.session)))
        return count

    @staticmethod
    def assert_into(
        handle: _Handle, message: dict[str, Any], number: int, task: Task, fired: set[int]
    ) -> None:
        """Assert *message* into one handle; add the positions of the rules that fired.

        The handle is clean again only once the clean-up has run: an exception
        anywhere before that (even between two bytecodes) leaves it marked,
        and the next call starts a fresh session instead of reading this one.
        """
        if not handle.clean:
            handle.abandoned.append(handle.session)
            handle.session = str(next(_sessions))
        if handle.abandoned:
            _reclaim(handle)
        handle.clean = False
        message["sid"], message["id"] = handle.session, number
        status: int | None = None
        try:
            status, state = _dre.assert_fact(handle.handle, _dumps(message))
            if status == _HANDLED:
                action = _dre.start_action_for_state(handle.handle, state)
                pending: str | None = action[1] if action else None
                while pending:
                    for name in json.loads(pending):
                        fired.add(handle.names[name])
                    pending = _dre.complete_and_start_action(handle.handle, state)
            elif status != _NOT_HANDLED:  # pragma: no cover - ids are unique
                raise DurableError(f"durable-rules answered status {status} for a new fact")
        except _dre.error as exc:  # pragma: no cover - facts are validated
            raise DurableError(f"durable-rules failed on task {task.name!r}: {exc}") from exc
        finally:
            if status == _HANDLED:
                _dre.delete_state(handle.handle, handle.session)
        handle.clean = True


def _groups(alternatives: list[_Alternative]) -> list[list[_Alternative]]:
    """Split *alternatives* into groups that fit one C handle each, in order."""
    groups: list[list[_Alternative]] = []
    fields: frozenset[str] = frozenset()
    for alternative in alternatives:
        wider = fields | _fields([alternative[1]])
        if not groups or len(groups[-1]) >= HANDLE_ALTERNATIVES or len(wider) > HANDLE_FIELDS:
            groups.append([])
            wider = _fields([alternative[1]])
        groups[-1].append(alternative)
        fields = wider
    return groups


def _after_fork_in_child() -> None:
    """Give a forked child new locks, and every handle a fresh session.

    The parent's other threads do not exist in the child: a lock one of them
    held would never be released, and a session it was using may hold a
    task's state that no one will clean up.
    """
    global _live_lock
    _live_lock = threading.Lock()
    for compiled in list(_everything):
        compiled.lock = threading.Lock()
        for handle in compiled.handles:
            handle.clean = False


if hasattr(os, "register_at_fork"):  # POSIX only
    os.register_at_fork(after_in_child=_after_fork_in_child)


class DurableEngine:
    """Evaluate rulesets on durable-rules' Rete network."""

    name = "durable"

    def compile(self, ruleset: Ruleset) -> _Compiled:
        """Translate *ruleset* into a durable-rules ruleset of its own."""
        if _dre is None:  # pragma: no cover - get_engine checks first
            raise DurableError(f"durable-rules does not import here: {_IMPORT_ERROR}")
        return _Compiled(ruleset)
