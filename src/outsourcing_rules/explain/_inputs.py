"""The facts a what-if search may change, and light copies of a task with changes made.

Only *task* facts and the owner's hourly rate change; derived facts change
only through their inputs, computed by the vocabulary's own reader.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..core.conditions import Atom
from ..core.facts import Owner, Task
from ..core.vocabulary import FACTS, ORDER, Kind, closure, fact_reader


@attrs.frozen
class Input:
    """A fact a counterfactual may change: its name, kind, and where it is stored.

    ``key`` is the name the vocabulary computes derived facts from (the task's
    stated ``core_competency`` is ``stated_core_competency`` there).
    """

    name: str
    kind: Kind
    owner: bool
    key: str


def _inputs() -> dict[str, Input]:
    found: dict[str, Input] = {}
    for name in ORDER:
        spec = FACTS.get(name)
        if name == "stated_core_competency":
            found["core_competency"] = Input("core_competency", Kind.BOOL, False, name)
        elif spec is not None and spec.source == "task":
            found[name] = Input(name, spec.kind, False, name)
        elif spec is not None and spec.source == "owner" and spec.kind is Kind.NUMBER:
            found[name] = Input(name, spec.kind, True, name)
    return found


#: Every fact a counterfactual may change, in the vocabulary's order.
INPUTS: dict[str, Input] = _inputs()
BY_KEY = {spec.key: spec for spec in INPUTS.values()}
TASK_FIELDS = tuple(field.name for field in attrs.fields(Task))
OWNER_FIELDS = tuple(field.name for field in attrs.fields(Owner))


@functools.cache
def dependents(fact: str) -> frozenset[str]:
    """Return the input keys *fact* is computed from (itself, for a stored fact)."""
    return frozenset(closure(frozenset({fact})))


@functools.cache
def reader(fact: str) -> Callable[[Task, Owner | None], tuple[Any, ...]]:
    """Return the vocabulary's compiled reader of one fact."""
    return fact_reader((fact,))


def inputs_behind(fact: str) -> dict[str, str]:
    """Return the facts given by the user that *fact* is computed from: key to name.

    Task facts and the owner's rate come by their input names; the owner's
    list of core competencies as ``core_competencies``.
    """
    found: dict[str, str] = {}
    for key in closure(frozenset({fact})):
        if key in BY_KEY:
            found[key] = BY_KEY[key].name
        elif key == "core_competencies":
            found[key] = key
    return found


@functools.cache
def fixers(fact: str) -> tuple[str, ...]:
    """Return the inputs whose change can move *fact* (a category only where tested directly)."""
    keys = dependents(fact)
    return tuple(
        spec.name
        for spec in INPUTS.values()
        if spec.key in keys and (spec.key != "category" or fact == "category")
    )


class LightFacts:
    """A light stand-in for a task or an owner: the attributes a compiled reader reads."""


def light(values: dict[str, Any]) -> Any:
    facts = LightFacts()
    facts.__dict__ = values
    return facts


def fields_of(holder: Task | Owner | None, names: Sequence[str]) -> dict[str, Any] | None:
    if holder is None:
        return None
    return dict(zip(names, _getter(tuple(names))(holder), strict=True))


@functools.cache
def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    return operator.attrgetter(*names)


def input_values(task: Task, owner: Owner | None) -> dict[str, Any]:
    """Return the value of every input (by the key derived facts use) and the owner's core list."""
    base: dict[str, Any] = {}
    for spec in INPUTS.values():
        holder: Any = owner if spec.owner else task
        attribute = "hourly_rate" if spec.owner else spec.name
        base[spec.key] = None if holder is None else getattr(holder, attribute)
    base["core_competencies"] = None if owner is None else owner.core_competencies
    return base


def apply_changes(
    task: Task, owner: Owner | None, changes: Mapping[str, Any]
) -> tuple[Task, Owner | None]:
    """Return the task and owner with *changes* made (fact name to new value).

    Making a task a one-off also forgets its frequency, since a one-off
    happens once. Raises :class:`~outsourcing_rules.FactError` when the
    result is not a valid task.
    """
    task_changes = {k: v for k, v in changes.items() if not INPUTS[k].owner}
    if task_changes.get("one_off") is True and "times_per_year" not in task_changes:
        task_changes["times_per_year"] = None
    new_task = attrs.evolve(task, **task_changes) if task_changes else task
    new_owner = owner
    if "owner_hourly_rate" in changes:
        rate = changes["owner_hourly_rate"]
        new_owner = (
            Owner(hourly_rate=rate) if owner is None else attrs.evolve(owner, hourly_rate=rate)
        )
    return new_task, new_owner


def hashable(value: Any) -> Any:
    return frozenset(value) if isinstance(value, set) else value


def key_of(changes: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    if not changes:
        return ()
    return tuple([(k, frozenset(v) if isinstance(v, set) else v) for k, v in changes.items()])


def ordered(names: Iterable[str]) -> list[str]:
    """Sort input names: unordered kinds first, then levels, then numbers (vocabulary order)."""
    rank = {Kind.NUMBER: 2, Kind.SKILL: 1, Kind.ENJOYMENT: 1}
    position = {name: i for i, name in enumerate(INPUTS)}
    return sorted(names, key=lambda n: (rank.get(INPUTS[n].kind, 0), position[n]))


@functools.lru_cache(maxsize=4096)
def valid_value(name: str, value: Any) -> bool:
    """Tell whether a task may hold *value* (a label, for tags) as its fact *name*.

    A ruleset may compare a fact with a value no task can take (an empty
    label, say); such a value is never offered as a change.
    """
    facts: dict[str, Any] = {"name": "t", name: [value] if name == "tags" else value}
    try:
        Task.from_dict(facts)
    except (ValueError, TypeError):
        return False
    return True


def candidates_of(name: str, current: Any, atoms: Iterable[Atom]) -> list[Any]:
    """Values of the unordered input *name* that *atoms* could tell apart, other than *current*.

    For a yes/no fact, the other values; for a text or labels fact, the
    values the comparisons on it mention (a task must be able to hold them),
    each label added or taken away for labels.
    """
    kind = INPUTS[name].kind
    if kind is Kind.BOOL:
        return [v for v in (True, False) if v is not current]
    mentioned: list[Any] = []
    for atom in atoms:
        if atom.fact != name:
            continue
        if atom.op in ("in", "not_in"):
            mentioned.extend(sorted(atom.value, key=str))
        else:
            mentioned.append(atom.value)
    mentioned = [v for v in dict.fromkeys(mentioned) if valid_value(name, v)]
    if kind is Kind.LABELS:
        held: frozenset[str] = current or frozenset()
        sets = [held - {label} if label in held else held | {label} for label in mentioned]
        return list(dict.fromkeys(sets))
    return [v for v in mentioned if v != current]
