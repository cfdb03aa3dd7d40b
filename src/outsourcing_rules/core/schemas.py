"""JSON Schemas of the facts the library takes: :func:`task_schema` and :func:`owner_schema`.

Each is a JSON Schema (draft 2020-12) of what
:meth:`Task.from_dict <outsourcing_rules.Task.from_dict>` and
:meth:`Owner.from_dict <outsourcing_rules.Owner.from_dict>` accept, with a
description, the allowed names and the bounds of every fact, so a web
framework can show them (FastAPI's OpenAPI page) and an editor can check an
inventory. The bounds are the validators' own constants, so the two cannot
drift apart; a test holds every bound against the constructor.

What a schema cannot say, the constructor still checks: text holding a lone
surrogate is refused. Levels are listed in their canonical lower-case
spelling; ``from_dict`` also takes them in any case (``"Basic"``).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import attrs

from .facts import (
    MAX_HOURS,
    MAX_RATE,
    MAX_TEXT,
    MAX_TIMES_PER_YEAR,
    MIN_PROVIDER_RATE,
    Enjoyment,
    Owner,
    Skill,
    Task,
)

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_BASE = "https://outsourcing-rules.readthedocs.io/schemas/"

#: What each fact means, said for the people who fill it in.
_DESCRIPTIONS: dict[str, str] = {
    "name": "What the task is called; for people, it never changes a verdict.",
    "description": "A longer note about the task; for people, it never changes a verdict.",
    "category": "The kind of task (invoicing, video-editing...); the owner's core "
    "competencies and a ruleset's roles refer to it.",
    "core_competency": "The task is the heart of the business (also true when its category "
    "is one of the owner's core competencies).",
    "only_owner": "Only the owner in person can do it.",
    "skill": "How good the owner is at it, from none to expert.",
    "enjoyment": "How the owner feels about it, from hate to love.",
    "times_per_year": "How often a recurring task comes up in a year.",
    "one_off": "A one-time project rather than a recurring task; then times_per_year is "
    "left out or 1.",
    "hours_each": "Hours the task takes each time.",
    "time_available": "The owner has time for it; false means it never gets done.",
    "repetitive": "A repetitive process that eats time.",
    "can_be_eliminated": "The task could be dropped altogether.",
    "revenue_generating": "The task itself brings in revenue.",
    "procedure_documented": "A written procedure or checklist for it exists.",
    "outcome_defined": "Its outcome, standards and reporting are defined.",
    "provider_hourly_rate": "What a provider charges per hour.",
    "tags": "Free labels, which rules may test.",
    "hourly_rate": "What an hour of the owner's time is worth.",
    "core_competencies": "Task categories that are the heart of the business.",
    "currency": "The currency money is shown in, as an ISO 4217 code (USD, GBP...).",
    "locale": "The locale money and numbers are written for (en_US, en_GB...).",
}

#: What an owner's name is (``name`` above is a task's).
_OWNER_NAME = "Who the owner is, as the reports name them; it never changes a verdict."

#: The bounds of every number fact: (minimum, maximum), as the validators check them.
NUMBER_BOUNDS: dict[str, tuple[float, float]] = {
    "times_per_year": (0, MAX_TIMES_PER_YEAR),
    "hours_each": (0, MAX_HOURS),
    "provider_hourly_rate": (MIN_PROVIDER_RATE, MAX_RATE),
    "hourly_rate": (0, MAX_RATE),
}

_TEXT: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT}
_LABEL: dict[str, Any] = {**_TEXT, "minLength": 1, "pattern": r"\S"}


def _property(name: str, kind: Any) -> dict[str, Any]:
    """Return the schema of one fact, from its declared type; ``null`` is unknown."""
    description = _DESCRIPTIONS[name]
    if name == "name" and kind is str:  # a task's name: required, not blank
        return {**_LABEL, "description": description}
    if name in ("currency", "locale"):  # what Babel knows, as the validators check it
        from .text import currency_codes, locale_names

        known = currency_codes() if name == "currency" else locale_names()
        return {"enum": [*sorted(known), None], "description": description}
    if kind == str | None:
        schema: dict[str, Any] = {**_TEXT, "type": ["string", "null"]}
    elif kind == bool | None:
        schema = {"type": ["boolean", "null"]}
    elif kind == float | None:
        low, high = NUMBER_BOUNDS[name]
        schema = {"type": ["number", "null"], "minimum": low, "maximum": high}
    elif kind in (Skill | None, Enjoyment | None):
        levels = Skill if kind == Skill | None else Enjoyment
        schema = {"enum": [*levels.names(), None]}
    elif kind == frozenset[str] | None:
        schema = {"type": ["array", "null"], "items": dict(_LABEL)}
    else:  # pragma: no cover - a new kind of fact must be described here first
        raise TypeError(f"no schema for the fact {name!r} of type {kind!r}")
    return {**schema, "description": description}


def _object(cls: type[Task] | type[Owner], description: str) -> dict[str, Any]:
    fields = attrs.fields(attrs.resolve_types(cls))
    return {
        "$schema": _DRAFT,
        "$id": f"{_BASE}{cls.__name__.lower()}.json",
        "title": cls.__name__,
        "description": description,
        "type": "object",
        "properties": {f.name: _property(f.name, f.type) for f in fields},
        "additionalProperties": False,
    }


@functools.cache
def _task_schema() -> dict[str, Any]:
    schema = _object(
        Task,
        "One task the owner does. Only name is required; a fact left out or null is "
        "unknown, never false or zero.",
    )
    schema["required"] = ["name"]
    # A one-off task happens once (the constructor's own cross-field check).
    schema["if"] = {"properties": {"one_off": {"const": True}}, "required": ["one_off"]}
    schema["then"] = {"properties": {"times_per_year": {"enum": [1, None]}}}
    return schema


@functools.cache
def _owner_schema() -> dict[str, Any]:
    schema = _object(
        Owner,
        "The business owner: what an hour of their time is worth and which task "
        "categories are core. Every fact may be left out (unknown).",
    )
    # The one fact name the two share, with another meaning.
    schema["properties"]["name"]["description"] = _OWNER_NAME
    return schema


def task_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a task, as ``Task.from_dict`` accepts it.

    >>> from outsourcing_rules import task_schema
    >>> schema = task_schema()
    >>> schema["required"], schema["properties"]["skill"]["enum"]
    (['name'], ['none', 'basic', 'competent', 'expert', None])

    A fresh copy each call: change it as you like.
    """
    return copy.deepcopy(_task_schema())


def owner_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an owner, as ``Owner.from_dict`` accepts it.

    >>> from outsourcing_rules import owner_schema
    >>> owner_schema()["properties"]["hourly_rate"]["minimum"]
    0

    A fresh copy each call: change it as you like.
    """
    return copy.deepcopy(_owner_schema())
