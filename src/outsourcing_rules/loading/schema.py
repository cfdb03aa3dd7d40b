"""Checking parsed data against the JSON Schema of ruleset files.

Each schema error becomes a :class:`~outsourcing_rules.errors.Problem` at the
file, line and key (``rules[3].when.skill``) of the value it is about, with
a suggestion for a misspelt key. Data that did not come from
:func:`~outsourcing_rules.loading.yamlio.read_yaml` is first held to the same limits
a file is, and numbers must be finite.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
from collections.abc import Mapping
from typing import Any

import jsonschema
import jsonschema.exceptions

from ..errors import Problem, suggest
from .context import Context
from .yamlio import LocatedDict, ReadError, check_data, column_of, line_of


@functools.cache
def ruleset_schema() -> dict[str, Any]:
    """Return the JSON Schema of ruleset files, as shipped with the package."""
    text = (
        importlib.resources.files("outsourcing_rules")
        .joinpath("schema/ruleset.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    # The shipped schema is held to its meta-schema by the tests
    # (tests/test_loading.py), not on every start: that check took about
    # 50 ms, most of the first ruleset load of a process.
    schema = ruleset_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(_inline_refs(schema, schema["$defs"]))


def _inline_refs(node: Any, defs: Mapping[str, Any]) -> Any:
    """Replace each ``$ref`` to a definition that refers to nothing by the definition itself.

    The same schema, checked about three times faster on long lists (resolving
    a reference costs more than checking a scalar), which bounds the time a
    hostile file within the limits can take. Recursive definitions (a
    condition holds conditions) keep their references.
    """
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            target = defs[ref.removeprefix("#/$defs/")]
            if "$ref" not in json.dumps(target):
                return _inline_refs(target, defs)
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return node


def _key(parts: list[Any] | tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _locate(
    data: Any, parts: list[Any] | tuple[Any, ...]
) -> tuple[tuple[int | None, int | None], str | None]:
    """Return the line and column, and the file, of the value at *parts* inside *data*."""
    line = getattr(data, "line", None)
    column = getattr(data, "column", None)
    path = getattr(data, "path", None)
    node = data
    for part in parts:
        try:
            child = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if line_of(node, part):
            line, column = line_of(node, part), column_of(node, part)
        path = getattr(node, "path", None) or path
        node = child
    path = getattr(node, "path", None) or path
    return (line, column), path


def check_schema(ctx: Context, data: Any, path: str | None) -> None:
    """Check *data*, read from *path*, against the schema; raise every problem found.

    When the only problems are inside some rules, they are deferred
    (:attr:`Context.deferred`) and those rules skipped, so the rest of the
    file is still checked and everything is reported at once.
    """
    ctx.path = path
    ctx.skipped_rules = frozenset()
    if not isinstance(data, Mapping):
        ctx.problems.append(
            Problem(
                "a ruleset must be a mapping with the keys ruleset, default and rules",
                path=path,
                line=getattr(data, "line", None) or 1,
            )
        )
        ctx.fail_if_problems()
    if not isinstance(data, LocatedDict):  # read_yaml checked what it read
        _check_plain(ctx, data, path)
    _check_numbers(ctx, data, data, [])
    if ctx.problems:
        ctx.fail_if_problems()
    in_rules: set[int] = set()
    bad_whens: set[int] = set()
    elsewhere = False
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        _schema_problem(ctx, data, error, path)
        parts = list(error.absolute_path)
        if len(parts) >= 2 and parts[0] == "rules" and isinstance(parts[1], int):
            in_rules.add(parts[1])
            if parts[2:3] == ["when"] or error.validator == "required":
                bad_whens.add(parts[1])
        else:
            elsewhere = True
    if ctx.problems and not elsewhere:
        # Only some rules are malformed: leave them out and check the rest,
        # so their vocabulary problems come in the same report.
        ctx.deferred += ctx.problems
        ctx.problems = []
        ctx.skipped_rules = frozenset(in_rules)
        for i in sorted(in_rules - bad_whens):
            node = data["rules"][i]
            if isinstance(node, Mapping) and isinstance(node.get("when"), Mapping):
                ctx.refused.append((node, f"rules[{i}]"))
        return
    ctx.fail_if_problems()


def _check_plain(ctx: Context, data: Any, path: str | None) -> None:
    """Hold parsed data to the limits a file is held to, before anything recurses."""
    limits = ctx.limits
    try:
        check_data(
            data,
            max_depth=limits.max_depth,
            max_string=limits.max_string,
            max_values=limits.max_values,
        )
    except ReadError as exc:
        ctx.problems.append(Problem(exc.message, path=path))
        ctx.fail_if_problems()


def _check_numbers(ctx: Context, data: Any, node: Any, where: list[Any]) -> None:
    if isinstance(node, float) and not math.isfinite(node):
        (line, column), path = _locate(data, where)
        ctx.problems.append(
            Problem(
                f"{node!r} is not a finite number",
                key=_key(where),
                line=line,
                column=column,
                path=path or ctx.path,
            )
        )
    elif isinstance(node, Mapping):
        for k, v in node.items():
            _check_numbers(ctx, data, v, [*where, k])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_numbers(ctx, data, v, [*where, i])


def _schema_problem(
    ctx: Context, data: Any, error: jsonschema.exceptions.ValidationError, path: str | None
) -> None:
    while error.context:
        # For oneOf/anyOf, explain the branch that fits the value's type
        # ("unknown operator"), not the branch that wanted another type.
        inside = [e for e in error.context if len(e.path) > 0]
        fitting = inside or [e for e in error.context if e.validator != "type"]
        fitting = fitting or list(error.context)
        error = jsonschema.exceptions.best_match(fitting)
    parts = list(error.absolute_path)
    (line, column), file = _locate(data, parts)
    message = error.message
    hint = None
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        allowed = list(schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            parts.append(extra[0])
            (line, column), file = _locate(data, parts)
            message = f"unknown key {extra[0]!r}; expected one of {', '.join(allowed)}"
            hint = suggest(str(extra[0]), allowed)
    elif error.validator == "enum" and isinstance(error.validator_value, list):
        choices = [str(choice) for choice in error.validator_value]
        message = f"{error.instance!r} is not one of {', '.join(choices)}"
        if isinstance(error.instance, str):
            hint = suggest(error.instance.strip().lower(), choices)
    elif error.validator == "required":
        message = message.replace("is a required property", "is required here")
    ctx.problems.append(
        Problem(
            message,
            key=_key(parts),
            path=file or path,
            line=line,
            column=column,
            suggestion=hint,
        )
    )
