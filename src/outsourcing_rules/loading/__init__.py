"""Loading rulesets: read, check against the schema, resolve ``extends``, validate, build.

Every problem found is collected and reported at once, each with its file,
line and key (``rules[3].when.skill``), as one
:class:`~outsourcing_rules.RulesetError`. The loader never evaluates a rule:
it turns text into an immutable :class:`~outsourcing_rules.core.rules.Ruleset` that
any engine can compile.

The steps live in their own modules, sharing one
:class:`~outsourcing_rules.loading.context.Context` (the problems found so
far, the file being checked, the parameters):
:mod:`~outsourcing_rules.loading.reading` turns a source into located data,
:mod:`~outsourcing_rules.loading.schema` checks it against the JSON Schema,
:mod:`~outsourcing_rules.loading.composition` merges it onto what it
``extends``, and :mod:`~outsourcing_rules.loading.validation` types its
conditions and builds the ruleset.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..core.rules import ENGINES, Limits, Ruleset
from ..errors import Problem, RulesetError
from .composition import _rule_node, merge, resolve
from .context import Context
from .reading import _read_source
from .schema import check_schema
from .validation import assemble


def load_ruleset(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any] | Ruleset,
    *,
    limits: Limits | None = None,
    engine: str | None = None,
    allow_extends_paths: bool = True,
    extends_root: str | os.PathLike[str] | None = None,
) -> Ruleset:
    """Load and validate a ruleset.

    *source* is a path, the name of a built-in ruleset (``"default"``), YAML
    or JSON text, or an already parsed mapping. A :class:`Ruleset` is returned
    as it is. Text given as ``str`` that names an existing file is read as
    that file, so pass a customer's upload as ``bytes`` (or parsed data).

    *engine* (``"durable"`` or ``"native"``) is the engine decisions with
    this ruleset use unless a call names another; *limits* bound what the
    file may contain.

    ``extends`` may name a built-in ruleset or a file, relative to the file
    that names it (to the working directory, or *extends_root*, for text).
    For rulesets you do not trust, ``allow_extends_paths=False`` allows only
    built-in names, and *extends_root* keeps every file of the chain inside
    that directory (after following symbolic links); either way a refused
    file is never opened. Only regular files are read, never devices or pipes.

    Raises :class:`~outsourcing_rules.RulesetError` listing every problem,
    each with file, line and key.
    """
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if isinstance(source, Ruleset):
        return source if engine is None else attrs.evolve(source, engine=engine)
    root = None if extends_root is None else Path(extends_root).resolve()
    ctx = Context(limits or Limits(), allow_paths=allow_extends_paths, root=root)
    ruleset = _assembled(source, ctx)
    return ruleset if engine is None else attrs.evolve(ruleset, engine=engine)


def _assembled(source: str | os.PathLike[str] | bytes | Mapping[str, Any], ctx: Context) -> Ruleset:
    """Read, check, compose and build *source*; raise every problem found."""
    data, path = _read_source(source, ctx.limits)
    ruleset = assemble(ctx, resolve(ctx, data, path, chain=()), path)
    extends = data.get("extends")
    return ruleset if extends is None else attrs.evolve(ruleset, extends=extends)


def load_readable(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any] | Ruleset,
    *,
    limits: Limits | None = None,
    allow_extends_paths: bool = True,
    extends_root: str | os.PathLike[str] | None = None,
) -> tuple[Ruleset | None, RulesetError | None]:
    """Load a ruleset, or as much of it as can be read: for tools that report every problem.

    The options are :func:`load_ruleset`'s. Returns ``(ruleset, None)``
    when *source* loads, else ``(readable, error)``: *error* is the
    :class:`~outsourcing_rules.RulesetError` :func:`load_ruleset` raises,
    with every structure and vocabulary problem, and *readable* the ruleset
    of the rules and invariants that could be read without a problem (the
    rules the problems name left out), or ``None`` when the problems are
    not confined to rules (the file does not parse, a top-level key is
    wrong, ``extends`` cannot be followed...). *readable* is for reading,
    by lint for example, never for deciding.
    """
    if isinstance(source, Ruleset):
        return source, None
    root = None if extends_root is None else Path(extends_root).resolve()
    ctx = Context(limits or Limits(), allow_paths=allow_extends_paths, root=root)
    try:
        return _assembled(source, ctx), None
    except RulesetError as exc:
        return ctx.readable, exc


def load_extending(
    base: Ruleset, data: Mapping[str, Any], *, limits: Limits | None = None
) -> Ruleset:
    """Load ruleset-file *data* on top of the already loaded ruleset *base*.

    This is what ``extends`` does with a file, for a base that exists only as
    an object (see :mod:`outsourcing_rules.loading.builder`): *data* may set
    ``parameters``, add ``rules``, change or disable rules under
    ``overrides``, and add ``roles`` and ``invariants``; it must not name
    ``extends`` itself. Problems are the same :class:`RulesetError`.
    """
    if "extends" in data:
        raise RulesetError(
            [Problem("extends is given by the base ruleset here, not by the data", key="extends")]
        )
    ctx = Context(limits or Limits())
    check_schema(ctx, data, None)
    base_data = base.to_data()
    base_data["rules"] = [_rule_node(r, f"rules[{i}]") for i, r in enumerate(base_data["rules"])]
    merged = merge(ctx, base_data, data)
    return attrs.evolve(assemble(ctx, merged, None), extends=base.name)


@functools.cache
def default_ruleset() -> Ruleset:
    """Return the default ruleset that ships with the library (loaded once)."""
    return load_ruleset("default")
