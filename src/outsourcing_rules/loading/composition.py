"""Composing a ruleset with what it ``extends``.

:func:`resolve` checks a file against the schema, reads the chain of files
it extends (each confined by the caller's policy: built-in names only, or
files under one directory), refuses cycles and chains over the limit, and
merges each file onto its base with :func:`merge`: parameters, partial
``overrides`` of rules, whole redefinition of a rule by its id, roles and
invariants. Every merged rule remembers the key it was written under, so
later problems name the place in the file that wrote it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, RulesetError, suggest
from .context import Context
from .reading import BUILTIN_RULESETS, _read_file, builtin_path
from .schema import check_schema
from .yamlio import LocatedDict, column_of, line_of


class _RuleNode(LocatedDict):
    """A rule's mapping that remembers the key it was written under.

    After ``extends`` and ``overrides`` are merged, a rule's place in the
    merged list says nothing to the author: problems name the key in the
    file that wrote it (``rules[2]`` of the base, ``overrides[0]``).
    """

    where: str = ""


def _rule_node(node: Mapping[str, Any], where: str) -> _RuleNode:
    copy = _RuleNode(node)
    copy.line = getattr(node, "line", None)
    copy.column = getattr(node, "column", None)
    copy.path = getattr(node, "path", None)
    copy.lines.update(getattr(node, "lines", {}))
    copy.columns.update(getattr(node, "columns", {}))
    copy.where = where
    return copy


class _Parameters(LocatedDict):
    """Merged parameters that remember the file each one was set in."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.paths: dict[str, str | None] = {}


def resolve(ctx: Context, data: Any, path: str | None, chain: tuple[str, ...]) -> dict[str, Any]:
    """Check *data* and merge it onto what it extends; rules keep their own places.

    *chain* holds the files that led here, each as its resolved path, to
    refuse cycles and chains deeper than the limit.
    """
    check_schema(ctx, data, path)
    if "extends" not in data:
        if "overrides" in data:
            ctx.problem(
                "overrides need extends: there is nothing to override",
                data,
                "overrides",
                "overrides",
            )
        if "default" not in data:
            ctx.problem(
                "a ruleset needs a default verdict (or extends another)", data, None, "default"
            )
        ctx.fail_if_problems()
        own = dict(data)
        own["rules"] = [
            _rule_node(r, f"rules[{i}]")
            for i, r in enumerate(data.get("rules", []))
            if i not in ctx.skipped_rules
        ]
        return own
    target = data["extends"]
    here = str(Path(path).parent) if path else str(ctx.root or os.getcwd())
    if target in BUILTIN_RULESETS:
        base_file = builtin_path(target)
        shown = target
    else:
        base_file = Path(here, target)
        shown = str(base_file)
        check_extends_target(ctx, data, target, base_file)
        check_extends_path(ctx, data, target, base_file)
    identity = str(base_file.resolve())
    if identity in chain or (path and identity == str(Path(path).resolve())):
        ctx.problem(f"extends {target!r} makes a cycle", data, "extends", "extends")
        ctx.fail_if_problems()
    if len(chain) >= ctx.limits.max_extends:
        ctx.problem(
            f"extends is chained deeper than the limit of {ctx.limits.max_extends}",
            data,
            "extends",
            "extends",
        )
        ctx.fail_if_problems()
    try:
        base_data, base_name = _read_file(base_file, ctx.limits, shown=shown)
    except RulesetError as exc:
        line = line_of(data, "extends")
        raise RulesetError(
            [
                Problem(f"extends {target!r}: {p.message}", key="extends", path=path, line=line)
                for p in exc.problems
            ]
        ) from None
    own_identity = str(Path(path).resolve()) if path else "<text>"
    # The base is checked in a context of its own, with the same limits and policy.
    base_ctx = Context(ctx.limits, allow_paths=ctx.allow_paths, root=ctx.root)
    base = resolve(base_ctx, base_data, base_name, (*chain, own_identity))
    ctx.deferred += base_ctx.deferred
    ctx.refused += base_ctx.refused
    ctx.path = path
    return merge(ctx, base, data)


def check_extends_target(ctx: Context, data: Any, target: str, base_file: Path) -> None:
    """Refuse a path no file can have (a NUL) or one that ends in a loop of links."""
    if "\0" in target:
        message = f"extends {target!r} holds a NUL character, which no file name can"
    else:
        try:
            base_file.resolve(strict=True)
            return
        except RuntimeError:  # a loop, before Python 3.13
            pass
        except OSError as exc:  # missing or unreadable: the reader says so
            if exc.errno != errno.ELOOP:
                return
        message = f"extends {target!r} leads into a loop of symbolic links"
    ctx.problem(message, data, "extends", "extends")
    ctx.fail_if_problems()


def check_extends_path(ctx: Context, data: Any, target: str, base_file: Path) -> None:
    """Refuse, before opening it, a file the caller's extends policy does not allow."""
    if not ctx.allow_paths:
        message = (
            f"extends {target!r} names a file, but only built-in rulesets "
            f"({', '.join(BUILTIN_RULESETS)}) may be extended here"
        )
    elif ctx.root is not None and not base_file.resolve().is_relative_to(ctx.root):
        message = f"extends {target!r} leads outside the directory rulesets may come from"
    else:
        return
    ctx.problem(
        message,
        data,
        "extends",
        "extends",
        suggestion=suggest(target, BUILTIN_RULESETS) if not ctx.allow_paths else None,
    )
    ctx.fail_if_problems()


def merge(ctx: Context, base: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ruleset data *data* makes of its checked, merged *base*."""
    merged = dict(base)
    for key in ("ruleset", "version", "description", "default"):
        if key in data:
            merged[key] = data[key]
        elif key in ("version", "description"):
            merged.pop(key, None)
    merged["parameters"] = _merge_parameters(ctx, base.get("parameters", {}), data)
    rules = _apply_overrides(ctx, list(base.get("rules", [])), data)
    merged["rules"] = _redefine_rules(ctx, [r for r in rules if r is not None], data)
    roles = dict(base.get("roles", {}))
    roles.update(data.get("roles", {}))
    merged["roles"] = roles
    merged["invariants"] = [*base.get("invariants", []), *data.get("invariants", [])]
    merged.pop("extends", None)
    merged.pop("overrides", None)
    ctx.fail_if_problems()
    return merged


def _merge_parameters(ctx: Context, base_params: Any, data: Mapping[str, Any]) -> _Parameters:
    params = _Parameters(base_params)
    params.lines.update(getattr(base_params, "lines", {}))
    params.paths.update(
        getattr(base_params, "paths", {})
        or dict.fromkeys(base_params, getattr(base_params, "path", None))
    )
    for name, value in data.get("parameters", {}).items():
        # New parameters are welcome: an agency's own rules may need them.
        params[name] = value
        params.lines[name] = line_of(data["parameters"], name) or 0
        params.paths[name] = getattr(data["parameters"], "path", None) or ctx.path
    return params


def _apply_overrides(ctx: Context, rules: list[Any], data: Mapping[str, Any]) -> list[Any]:
    # Each override changes parts of one base rule in its place, or disables
    # it (None, dropped by the caller).
    by_id = {r["id"]: i for i, r in enumerate(rules)}
    overridden: dict[str, int] = {}
    for i, override in enumerate(data.get("overrides", [])):
        where = f"overrides[{i}]"
        rid = override["id"]
        if rid in overridden:
            ctx.problem(
                f"rule {rid!r} is overridden twice (also overrides[{overridden[rid]}]); "
                "put every change to it in one override",
                override,
                "id",
                where + ".id",
                rule_id=rid,
            )
            continue
        overridden[rid] = i
        changes = sorted(k for k in override if k not in ("id", "disabled"))
        if override.get("disabled") and changes:
            ctx.problem(
                f"rule {rid!r} is disabled, so changing its {', '.join(changes)} "
                "has no effect; drop the changes or the disabled flag",
                override,
                "disabled",
                where + ".disabled",
                rule_id=rid,
            )
            continue
        if rid not in by_id:
            ctx.problem(
                f"overrides rule {rid!r}, which the extended ruleset does not have",
                override,
                "id",
                where + ".id",
                rule_id=rid,
                suggestion=suggest(rid, by_id),
            )
            continue
        index = by_id[rid]
        if override.get("disabled"):
            rules[index] = None
            continue
        base_rule = rules[index]
        changed = _rule_node(
            base_rule, where if "when" in override else getattr(base_rule, "where", where)
        )
        changed.line, changed.column, changed.path = (
            override.line if isinstance(override, LocatedDict) else None,
            override.column if isinstance(override, LocatedDict) else None,
            ctx.path,
        )
        changed.lines.update({k: line_of(override, k) or 0 for k in changed})
        changed.columns = {k: c for k in changed if (c := column_of(override, k)) is not None}
        for field, value in override.items():
            if field not in ("id", "disabled"):
                changed[field] = value
        rules[index] = changed
    return rules


def _redefine_rules(ctx: Context, kept: list[Any], data: Mapping[str, Any]) -> list[Any]:
    # A rule under ``rules`` with the id of an extended rule redefines it
    # whole, in its place (the contract's example redefines
    # core-competency this way); ``overrides`` changes parts of one. Other
    # rules are added after the extended ones.
    position = {r["id"]: i for i, r in enumerate(kept)}
    changed_ids = {o["id"] for o in data.get("overrides", [])}
    redefined: set[str] = set()
    for i, rule in enumerate(data.get("rules", [])):
        if i in ctx.skipped_rules:
            continue
        rule = _rule_node(rule, f"rules[{i}]")
        rid = rule["id"]
        if rid in changed_ids:
            ctx.problem(
                f"rule {rid!r} is both redefined here and changed under overrides; "
                "do one or the other",
                rule,
                "id",
                f"rules[{i}].id",
                rule_id=rid,
            )
        elif rid in position and rid not in redefined:
            redefined.add(rid)
            kept[position[rid]] = rule
            continue
        kept.append(rule)
    return kept
