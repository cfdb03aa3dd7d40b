"""JSON Schemas of what the library gives back: :func:`decision_schema` and :func:`plan_schema`.

:meth:`Decision.to_dict <outsourcing_rules.Decision.to_dict>`,
``decide --format json`` and ``--format jsonl`` write one shape, and
:meth:`Plan.to_dict <outsourcing_rules.Plan.to_dict>` another that holds
it; these are their JSON Schemas (draft 2020-12), for an app that stores
decisions, a client generated from OpenAPI, or a test. The top level of
each is closed (no key may be missing or added); the parts inside list the
keys they always have and leave room for more, so a client written today
keeps reading tomorrow's output. A test validates every example decision
against them.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import attrs

from ..core.facts import Verdict
from ..economics import Economics

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_BASE = "https://outsourcing-rules.readthedocs.io/schemas/"

_VERDICT: dict[str, Any] = {"enum": [v.value for v in Verdict]}
_TEXT: dict[str, Any] = {"type": "string"}
_NUMBER_OR_NULL: dict[str, Any] = {"type": ["number", "null"]}
_TEXTS: dict[str, Any] = {"type": "array", "items": _TEXT}


def _object(
    description: str, properties: dict[str, Any], *, closed: bool = False
) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        **({"additionalProperties": False} if closed else {}),
    }


def _check(*, seen: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "fact": _TEXT,
        "op": _TEXT,
        "expected": {"description": "The value the condition compares with."},
    }
    if seen:
        properties["actual"] = {"description": "The fact's value; null when unknown."}
    schema = _object("One condition a rule checked.", properties)
    schema["properties"]["parameter"] = {
        **_TEXT,
        "description": "The $parameter the compared value came from, if any.",
    }
    return schema


def _counterfactual() -> dict[str, Any]:
    return _object(
        "A smallest change of the task's facts that would change the verdict.",
        {
            "changes": {"type": "object", "description": "Fact name to its new value."},
            "previous": {"type": "object", "description": "Fact name to its value now."},
            "verdict": _VERDICT,
            "rule": {"type": ["string", "null"], "description": "null: the default decides."},
            "cost": {"type": "number"},
            "description": _TEXT,
        },
    )


@functools.cache
def _decision_schema() -> dict[str, Any]:
    economics = _object(
        "Hours and money, per year and per week; null where a fact is missing.",
        {field.name: _NUMBER_OR_NULL for field in attrs.fields(Economics)},
    )
    match = _object(
        "A rule that applied; every one but the winner says why it lost.",
        {
            "rule": _TEXT,
            "verdict": _VERDICT,
            "priority": {"type": "integer"},
            "because": _TEXT,
            "checks": {"type": "array", "items": _check(seen=True)},
        },
    )
    match["properties"]["lost_because"] = _TEXT
    miss = _object(
        "A rule that did not apply: the conditions that failed and the facts missing.",
        {
            "rule": _TEXT,
            "verdict": _VERDICT,
            "priority": {"type": "integer"},
            "outranks": {"type": "boolean"},
            "failed": {"type": "array", "items": _check(seen=True)},
            "missing": _TEXTS,
            "needs": _TEXTS,
            "description": _TEXT,
        },
    )
    unknown = _object(
        "An unknown fact that could change the verdict, with the values that would.",
        {
            "fact": _TEXT,
            "outcomes": {"type": "array", "items": {"$ref": "#/$defs/counterfactual"}},
            "description": _TEXT,
        },
    )
    item = _object(
        "One readiness item of a hand-off.",
        {
            "item": _TEXT,
            "text": _TEXT,
            "status": {"enum": ["done", "to do", "unknown"]},
            "fact": {"type": ["string", "null"]},
        },
    )
    handoff = _object(
        "The hand-off brief: the provider role and the readiness checklist.",
        {
            "role": _TEXT,
            "role_source": _TEXT,
            "ready": {"type": "boolean"},
            "checklist": {"type": "array", "items": item},
        },
    )
    provenance = _object(
        "What produced the decision.",
        {
            "ruleset": _TEXT,
            "version": {"type": ["integer", "string", "null"]},
            "digest": _TEXT,
            "engine": {"enum": ["durable", "native"]},
        },
    )
    return {
        "$schema": _DRAFT,
        "$id": f"{_BASE}decision.json",
        "title": "Decision",
        **_object(
            "The verdict on one task with everything the library can say about it.",
            {
                "task": {**_TEXT, "description": "The task's name."},
                "verdict": _VERDICT,
                "rule": {
                    "type": ["string", "null"],
                    "description": "The deciding rule's id; null when the default decided.",
                },
                "because": {**_TEXT, "description": "The deciding rule's reason."},
                "explanation": {**_TEXT, "description": "What was decided and why, for the owner."},
                "trace": {**_TEXT, "description": "The rule author's account of the decision."},
                "matches": {"type": "array", "items": match},
                "why_not": {"type": "array", "items": miss},
                "unknowns": {"type": "array", "items": unknown},
                "counterfactuals": {
                    "type": "array",
                    "items": {"$ref": "#/$defs/counterfactual"},
                },
                "economics": economics,
                "handoff": {"anyOf": [handoff, {"type": "null"}]},
                "facts": {
                    "type": "object",
                    "description": "Every known fact the rules saw, derived ones included.",
                },
                "provenance": provenance,
            },
            closed=True,
        ),
        "$defs": {"counterfactual": _counterfactual()},
    }


@functools.cache
def _plan_schema() -> dict[str, Any]:
    decision = {k: v for k, v in _decision_schema().items() if k not in ("$schema", "$id")}
    counterfactual = decision.pop("$defs")["counterfactual"]
    summary = _object(
        "The totals of the plan.",
        {
            "tasks": {"type": "integer", "minimum": 0},
            "verdicts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "hours_freed_per_week": {"type": "number"},
            "tasks_without_hours": {"type": "integer", "minimum": 0},
            "saving_per_year": _NUMBER_OR_NULL,
            "tasks_without_rates": {"type": "integer", "minimum": 0},
        },
    )
    hire = _object(
        "One role to hire, in order of value.",
        {
            "rank": {"type": "integer", "minimum": 1},
            "role": _TEXT,
            "tasks": _TEXTS,
            "hours_per_week": {"type": "number"},
            "saving_per_year": _NUMBER_OR_NULL,
            "one_off_tasks": {"type": "integer", "minimum": 0},
            "one_off_hours": {"type": "number"},
            "one_off_saving": _NUMBER_OR_NULL,
        },
    )
    group = _object(
        "The tasks of one frequency band and their hours a week, by verdict.",
        {
            "band": _TEXT,
            "tasks": _TEXTS,
            "hours_per_week": {"type": "object", "additionalProperties": {"type": "number"}},
        },
    )
    schema = {
        "$schema": _DRAFT,
        "$id": f"{_BASE}plan.json",
        "title": "Plan",
        **_object(
            "What deciding a whole inventory adds up to.",
            {
                "summary": summary,
                "hires": {"type": "array", "items": hire},
                "frequencies": {"type": "array", "items": group},
                "decisions": {"type": "array", "items": {"$ref": "#/$defs/decision"}},
            },
            closed=True,
        ),
        "$defs": {"decision": decision, "counterfactual": counterfactual},
    }
    # Plan.to_dict(decisions=False) leaves the decisions out.
    schema["required"] = ["summary", "hires", "frequencies"]
    return schema


def decision_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of :meth:`Decision.to_dict`.

    >>> from outsourcing_rules import decide, decision_schema
    >>> import jsonschema
    >>> jsonschema.validate(decide({"name": "Payroll"}).to_dict(), decision_schema())
    >>> decision_schema()["properties"]["verdict"]
    {'enum': ['keep', 'outsource', 'eliminate']}

    A fresh copy each call.
    """
    return copy.deepcopy(_decision_schema())


def plan_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of :meth:`Plan.to_dict`; decisions as above.

    A fresh copy each call.
    """
    return copy.deepcopy(_plan_schema())
