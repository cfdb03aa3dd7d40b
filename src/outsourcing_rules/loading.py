"""Loading rulesets: read, check against the schema, resolve ``extends``, validate, build.

Every problem found is collected and reported at once, each with its file,
line and key (``rules[3].when.skill``), as one
:class:`~outsourcing_rules.RulesetError`. The loader never evaluates a rule:
it turns text into an immutable :class:`~outsourcing_rules.rules.Ruleset` that
any engine can compile.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import jsonschema.exceptions

from .conditions import AllOf, AnyOf, Atom, Condition, Not
from .engines import ENGINES
from .errors import Problem, RulesetError, suggest
from .facts import MAX_EXACT_INTEGER, Verdict
from .rules import Invariant, Limits, Rule, Ruleset
from .vocabulary import FACTS, OPERATORS, Kind
from .yamlio import LocatedDict, ReadError, check_data, line_of, read_yaml

__all__ = ["BUILTIN_RULESETS", "default_ruleset", "load_ruleset", "ruleset_schema"]

#: Names of the rulesets that ship with the library, loadable by name.
BUILTIN_RULESETS = ("default",)

_NOT_RULE_FACTS = {
    "name": "a task's name is for people and never decides anything",
    "description": "a task's description is for people and never decides anything",
    "hourly_rate": "the owner's rate is the fact owner_hourly_rate",
    "core_competencies": "test core_competency, which is derived from the owner's list",
}


def _rulesets_dir() -> Path:
    packaged = importlib.resources.files("outsourcing_rules").joinpath("rulesets")
    if packaged.is_dir():
        return Path(str(packaged))
    # A development install: the repository keeps rulesets/ at its top level.
    return Path(__file__).resolve().parents[2] / "rulesets"


def builtin_path(name: str) -> Path:
    """Return the file of the built-in ruleset *name*."""
    return _rulesets_dir() / f"{name}.yaml"


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
    schema = ruleset_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
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


# --- the public entry points ---------------------------------------------------------


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
    limits = limits or Limits()
    data, path = _read_source(source, limits)
    root = None if extends_root is None else Path(extends_root).resolve()
    builder = _Builder(limits, allow_paths=allow_extends_paths, root=root)
    ruleset = builder.build(data, path, chain=())
    return ruleset if engine is None else attrs.evolve(ruleset, engine=engine)


def load_extending(
    base: Ruleset, data: Mapping[str, Any], *, limits: Limits | None = None
) -> Ruleset:
    """Load ruleset-file *data* on top of the already loaded ruleset *base*.

    This is what ``extends`` does with a file, for a base that exists only as
    an object (see :mod:`outsourcing_rules.builder`): *data* may set
    ``parameters``, add ``rules``, change or disable rules under
    ``overrides``, and add ``roles`` and ``invariants``; it must not name
    ``extends`` itself. Problems are the same :class:`RulesetError`.
    """
    if "extends" in data:
        raise RulesetError(
            [Problem("extends is given by the base ruleset here, not by the data", key="extends")]
        )
    builder = _Builder(limits or Limits())
    builder.check_schema(data, None)
    base_data = base.to_data()
    base_data["rules"] = [_rule_node(r, f"rules[{i}]") for i, r in enumerate(base_data["rules"])]
    merged = builder.merge(base_data, data)
    return attrs.evolve(builder.assemble(merged, None), extends=base.name)


@functools.cache
def default_ruleset() -> Ruleset:
    """Return the default ruleset that ships with the library (loaded once)."""
    return load_ruleset("default")


# --- reading ----------------------------------------------------------------------


def _looks_like_text(text: str) -> bool:
    if "\n" in text or not text.strip():
        return True
    try:
        if Path(text).is_file():
            return False
    except (OSError, ValueError):
        return True
    return ":" in text or text.lstrip().startswith("{")


def _read_source(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any], limits: Limits
) -> tuple[Any, str | None]:
    if isinstance(source, Mapping):
        return source, None
    if isinstance(source, bytes):
        return _parse(source, None, limits), None
    if isinstance(source, str) and source in BUILTIN_RULESETS:
        return _read_file(builtin_path(source), limits, shown=source)
    if isinstance(source, str) and _looks_like_text(source):
        return _parse(source, None, limits), None
    return _read_file(Path(source), limits)


def _read_file(path: Path, limits: Limits, shown: str | None = None) -> tuple[Any, str]:
    name = shown or str(path)
    try:
        # Check before opening: opening a pipe would wait for a writer, and a
        # device such as /dev/zero never ends.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise RulesetError("is not a regular file (a device or a pipe?)", path=name)
        if info.st_size > limits.max_bytes:
            raise RulesetError(
                f"is {info.st_size:,} bytes, over the limit of {limits.max_bytes:,}", path=name
            )
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)  # a file that grew is still bounded
    except FileNotFoundError:
        hint = suggest(str(path), BUILTIN_RULESETS)
        raise RulesetError(
            [Problem("no such file or built-in ruleset", path=name, suggestion=hint)]
        ) from None
    except IsADirectoryError:
        raise RulesetError("is a directory, not a ruleset file", path=name) from None
    except OSError as exc:
        raise RulesetError(f"cannot be read: {exc.strerror}", path=name) from None
    return _parse(raw, name, limits), name


def _parse(raw: bytes | str, path: str | None, limits: Limits) -> Any:
    try:
        return read_yaml(
            raw,
            path=path,
            max_bytes=limits.max_bytes,
            max_depth=limits.max_depth,
            max_string=limits.max_string,
            max_values=limits.max_values,
        )
    except ReadError as exc:
        raise RulesetError([Problem(exc.message, path=path, line=exc.line)]) from None


# --- building ----------------------------------------------------------------------


def _key(parts: list[Any] | tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
    copy.path = getattr(node, "path", None)
    copy.lines.update(getattr(node, "lines", {}))
    copy.where = where
    return copy


class _Parameters(LocatedDict):
    """Merged parameters that remember the file each one was set in."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.paths: dict[str, str | None] = {}


def _locate(data: Any, parts: list[Any] | tuple[Any, ...]) -> tuple[int | None, str | None]:
    """Return the line and file of the value at *parts* inside *data*."""
    line = getattr(data, "line", None)
    path = getattr(data, "path", None)
    node = data
    for part in parts:
        try:
            child = node[part]
        except (KeyError, IndexError, TypeError):
            break
        line = line_of(node, part) or line
        path = getattr(node, "path", None) or path
        node = child
    path = getattr(node, "path", None) or path
    return line, path


class _Builder:
    """Turns parsed data into a :class:`Ruleset`, collecting every problem."""

    def __init__(
        self, limits: Limits, *, allow_paths: bool = True, root: Path | None = None
    ) -> None:
        self.limits = limits
        self.allow_paths = allow_paths
        self.root = root
        self.problems: list[Problem] = []
        self.path: str | None = None
        self.parameter_places: dict[str, tuple[str | None, int | None]] = {}

    # -- problems --

    def problem(
        self,
        message: str,
        container: Any,
        key: Any,
        where: str,
        *,
        rule_id: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        path = getattr(container, "path", None) or self.path
        self.problems.append(
            Problem(
                message,
                key=where,
                path=path,
                line=line_of(container, key),
                rule_id=rule_id,
                suggestion=suggestion,
            )
        )

    def fail_if_problems(self) -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            raise RulesetError(problems)

    # -- the whole file --

    def build(self, data: Any, path: str | None, chain: tuple[str, ...]) -> Ruleset:
        merged, base_path = self.resolve(data, path, chain)
        ruleset = self.assemble(merged, path or base_path)
        extends = data.get("extends")
        return ruleset if extends is None else attrs.evolve(ruleset, extends=extends)

    def check_schema(self, data: Any, path: str | None) -> None:
        self.path = path
        if not isinstance(data, Mapping):
            self.problems.append(
                Problem(
                    "a ruleset must be a mapping with the keys ruleset, default and rules",
                    path=path,
                    line=getattr(data, "line", None) or 1,
                )
            )
            self.fail_if_problems()
        if not isinstance(data, LocatedDict):  # read_yaml checked what it read
            self.check_plain(data, path)
        self.check_numbers(data, data, [])
        for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
            self.schema_problem(data, error, path)
        self.fail_if_problems()

    def check_plain(self, data: Any, path: str | None) -> None:
        """Hold parsed data to the limits a file is held to, before anything recurses."""
        limits = self.limits
        try:
            check_data(
                data,
                max_depth=limits.max_depth,
                max_string=limits.max_string,
                max_values=limits.max_values,
            )
        except ReadError as exc:
            self.problems.append(Problem(exc.message, path=path))
            self.fail_if_problems()

    def check_numbers(self, data: Any, node: Any, where: list[Any]) -> None:
        if isinstance(node, float) and not math.isfinite(node):
            line, path = _locate(data, where)
            self.problems.append(
                Problem(
                    f"{node!r} is not a finite number",
                    key=_key(where),
                    line=line,
                    path=path or self.path,
                )
            )
        elif isinstance(node, Mapping):
            for k, v in node.items():
                self.check_numbers(data, v, [*where, k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.check_numbers(data, v, [*where, i])

    def schema_problem(
        self, data: Any, error: jsonschema.exceptions.ValidationError, path: str | None
    ) -> None:
        while error.context:
            # For oneOf/anyOf, explain the branch that fits the value's type
            # ("unknown operator"), not the branch that wanted another type.
            inside = [e for e in error.context if len(e.path) > 0]
            fitting = inside or [e for e in error.context if e.validator != "type"]
            fitting = fitting or list(error.context)
            error = jsonschema.exceptions.best_match(fitting)
        parts = list(error.absolute_path)
        line, file = _locate(data, parts)
        message = error.message
        hint = None
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            allowed = list(schema.get("properties", {}))
            extra = [k for k in error.instance if k not in allowed]
            if extra:
                parts.append(extra[0])
                line, file = _locate(data, parts)
                message = f"unknown key {extra[0]!r}; expected one of {', '.join(allowed)}"
                hint = suggest(str(extra[0]), allowed)
        elif error.validator == "required":
            message = message.replace("is a required property", "is required here")
        self.problems.append(
            Problem(message, key=_key(parts), path=file or path, line=line, suggestion=hint)
        )

    def resolve(
        self, data: Any, path: str | None, chain: tuple[str, ...]
    ) -> tuple[dict[str, Any], str | None]:
        """Check *data* and merge it onto what it extends; rules keep their own places."""
        self.check_schema(data, path)
        if "extends" not in data:
            if "overrides" in data:
                self.problem(
                    "overrides need extends: there is nothing to override",
                    data,
                    "overrides",
                    "overrides",
                )
            if "default" not in data:
                self.problem(
                    "a ruleset needs a default verdict (or extends another)", data, None, "default"
                )
            self.fail_if_problems()
            own = dict(data)
            own["rules"] = [
                _rule_node(r, f"rules[{i}]") for i, r in enumerate(data.get("rules", []))
            ]
            return own, path
        target = data["extends"]
        here = str(Path(path).parent) if path else str(self.root or os.getcwd())
        if target in BUILTIN_RULESETS:
            base_file = builtin_path(target)
            shown = target
        else:
            base_file = Path(here, target)
            shown = str(base_file)
            self.check_extends_path(data, target, base_file)
        identity = str(base_file.resolve())
        if identity in chain or (path and identity == str(Path(path).resolve())):
            self.problem(f"extends {target!r} makes a cycle", data, "extends", "extends")
            self.fail_if_problems()
        if len(chain) >= self.limits.max_extends:
            self.problem(
                f"extends is chained deeper than the limit of {self.limits.max_extends}",
                data,
                "extends",
                "extends",
            )
            self.fail_if_problems()
        try:
            base_data, base_name = _read_file(base_file, self.limits, shown=shown)
        except RulesetError as exc:
            line = line_of(data, "extends")
            raise RulesetError(
                [
                    Problem(f"extends {target!r}: {p.message}", key="extends", path=path, line=line)
                    for p in exc.problems
                ]
            ) from None
        own_identity = str(Path(path).resolve()) if path else "<text>"
        base, _ = _Builder(self.limits, allow_paths=self.allow_paths, root=self.root).resolve(
            base_data, base_name, (*chain, own_identity)
        )
        self.path = path
        return self.merge(base, data), path

    def check_extends_path(self, data: Any, target: str, base_file: Path) -> None:
        """Refuse, before opening it, a file the caller's extends policy does not allow."""
        if not self.allow_paths:
            message = (
                f"extends {target!r} names a file, but only built-in rulesets "
                f"({', '.join(BUILTIN_RULESETS)}) may be extended here"
            )
        elif self.root is not None and not base_file.resolve().is_relative_to(self.root):
            message = f"extends {target!r} leads outside the directory rulesets may come from"
        else:
            return
        self.problem(
            message,
            data,
            "extends",
            "extends",
            suggestion=suggest(target, BUILTIN_RULESETS) if not self.allow_paths else None,
        )
        self.fail_if_problems()

    def merge(self, base: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(base)
        for key in ("ruleset", "version", "description", "default"):
            if key in data:
                merged[key] = data[key]
            elif key in ("version", "description"):
                merged.pop(key, None)
        base_params = base.get("parameters", {})
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
            params.paths[name] = getattr(data["parameters"], "path", None) or self.path
        merged["parameters"] = params
        rules = list(base.get("rules", []))
        by_id = {r["id"]: i for i, r in enumerate(rules)}
        overridden: dict[str, int] = {}
        for i, override in enumerate(data.get("overrides", [])):
            where = f"overrides[{i}]"
            rid = override["id"]
            if rid in overridden:
                self.problem(
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
                self.problem(
                    f"rule {rid!r} is disabled, so changing its {', '.join(changes)} "
                    "has no effect; drop the changes or the disabled flag",
                    override,
                    "disabled",
                    where + ".disabled",
                    rule_id=rid,
                )
                continue
            if rid not in by_id:
                self.problem(
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
            changed.line, changed.path = (
                override.line if isinstance(override, LocatedDict) else None,
                self.path,
            )
            changed.lines.update({k: line_of(override, k) or 0 for k in changed})
            for field, value in override.items():
                if field not in ("id", "disabled"):
                    changed[field] = value
            rules[index] = changed
        kept = [r for r in rules if r is not None]
        # A rule under ``rules`` with the id of an extended rule redefines it
        # whole, in its place (the contract's example redefines
        # core-competency this way); ``overrides`` changes parts of one.
        position = {r["id"]: i for i, r in enumerate(kept)}
        changed_ids = {o["id"] for o in data.get("overrides", [])}
        redefined: set[str] = set()
        for i, rule in enumerate(data.get("rules", [])):
            rule = _rule_node(rule, f"rules[{i}]")
            rid = rule["id"]
            if rid in changed_ids:
                self.problem(
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
        merged["rules"] = kept
        roles = dict(base.get("roles", {}))
        roles.update(data.get("roles", {}))
        merged["roles"] = roles
        merged["invariants"] = [*base.get("invariants", []), *data.get("invariants", [])]
        merged.pop("extends", None)
        merged.pop("overrides", None)
        self.fail_if_problems()
        return merged

    def assemble(self, data: Mapping[str, Any], path: str | None) -> Ruleset:
        self.path = path
        self.parameters = dict(data.get("parameters", {}))
        self.used_parameters: set[str] = set()
        params_node = data.get("parameters", {})
        self.parameter_places = {
            name: (
                getattr(params_node, "paths", {}).get(name)
                or getattr(params_node, "path", None)
                or path,
                line_of(params_node, name),
            )
            for name in self.parameters
        }
        for name, value in self.parameters.items():
            values = value if isinstance(value, list) else [value]
            if len(values) > self.limits.max_values:
                self.problem("has too many values", params_node, name, f"parameters.{name}")
        rules_node = data.get("rules", [])
        if len(rules_node) > self.limits.max_rules:
            self.problem(
                f"has {len(rules_node):,} rules, over the limit of {self.limits.max_rules:,}",
                data,
                "rules",
                "rules",
            )
            self.fail_if_problems()
        rules: list[Rule] = []
        seen: dict[str, str] = {}
        for i, node in enumerate(rules_node):
            rule = self.rule(node, i)
            if rule is None:
                continue
            written = getattr(node, "where", "") or f"rules[{i}]"
            if rule.id in seen:
                self.problem(
                    f"duplicate rule id {rule.id!r} (also {seen[rule.id]})",
                    node,
                    "id",
                    f"{written}.id",
                    rule_id=rule.id,
                )
            seen.setdefault(rule.id, written)
            rules.append(rule)
        self.check_priorities(rules)
        invariants = [
            inv
            for i, node in enumerate(data.get("invariants", []))
            if (inv := self.invariant(node, i)) is not None
        ]
        default = data["default"]
        self.fail_if_problems()
        return Ruleset(
            name=data["ruleset"],
            version=data.get("version"),
            description=data.get("description"),
            default_verdict=Verdict.parse(default["verdict"]),
            default_because=default["because"],
            rules=tuple(rules),
            parameters=self.parameters,
            invariants=tuple(invariants),
            roles=dict(data.get("roles", {})),
            path=path,
        )

    def check_priorities(self, rules: list[Rule]) -> None:
        by_priority: dict[int, Rule] = {}
        for rule in rules:
            other = by_priority.setdefault(rule.priority, rule)
            if other.verdict is not rule.verdict:
                self.problems.append(
                    Problem(
                        f"rule {rule.id!r} ({rule.verdict.value}) has the same priority "
                        f"{rule.priority} as rule {other.id!r} ({other.verdict.value}); "
                        "rules with different verdicts need different priorities",
                        key="priority",
                        path=rule.path or self.path,
                        line=rule.line,
                        rule_id=rule.id,
                    )
                )

    def rule(self, node: Mapping[str, Any], index: int) -> Rule | None:
        where = getattr(node, "where", "") or f"rules[{index}]"
        before = len(self.problems)
        condition = self.condition(node["when"], node, "when", f"{where}.when", node["id"])
        if len(self.problems) > before or condition is None:
            return None
        return Rule(
            id=node["id"],
            priority=node["priority"],
            when=condition,
            verdict=Verdict.parse(node["then"]),
            because=node["because"],
            role=node.get("role"),
            line=getattr(node, "line", None),
            path=getattr(node, "path", None) or self.path,
        )

    def invariant(self, node: Mapping[str, Any], index: int) -> Invariant | None:
        where = f"invariants[{index}]"
        condition = self.condition(node["when"], node, "when", f"{where}.when", None)
        if condition is None:
            return None
        always = "always" in node
        return Invariant(
            when=condition,
            verdict=Verdict.parse(node["always" if always else "never"]),
            always=always,
            description=node.get("description"),
            line=getattr(node, "line", None),
            path=getattr(node, "path", None) or self.path,
        )

    # -- conditions --

    def condition(
        self, node: Any, parent: Any, key: Any, where: str, rule_id: str | None, depth: int = 0
    ) -> Condition | None:
        if depth > self.limits.max_depth:
            self.problem(
                f"nests deeper than the limit of {self.limits.max_depth}",
                parent,
                key,
                where,
                rule_id=rule_id,
            )
            return None
        parts: list[Condition] = []
        ok = True
        for name, value in node.items():
            sub = f"{where}.{name}"
            if name in ("all", "any"):
                children = [
                    self.condition(child, value, i, f"{sub}[{i}]", rule_id, depth + 1)
                    for i, child in enumerate(value)
                ]
                if any(c is None for c in children):
                    ok = False
                    continue
                combined = tuple(c for c in children if c is not None)
                parts.append(AllOf(combined) if name == "all" else AnyOf(combined))
            elif name == "not":
                child = self.condition(value, node, name, sub, rule_id, depth + 1)
                if child is None:
                    ok = False
                else:
                    parts.append(Not(child))
            else:
                found = self.comparisons(name, value, node, sub, rule_id)
                if found is None:
                    ok = False
                else:
                    parts.extend(found)
        if not ok or not parts:
            return None
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def comparisons(
        self, fact: str, value: Any, node: Any, where: str, rule_id: str | None
    ) -> list[Atom] | None:
        spec = FACTS.get(fact)
        if spec is None:
            reason = _NOT_RULE_FACTS.get(fact)
            message = f"unknown fact {fact!r}" + (f": {reason}" if reason else "")
            self.problem(
                message,
                node,
                fact,
                where,
                rule_id=rule_id,
                suggestion=None if reason else suggest(fact, FACTS),
            )
            return None
        tests = value.items() if isinstance(value, Mapping) else [("eq", value)]
        found: list[Atom] = []
        for op, raw in tests:
            sub = f"{where}.{op}" if isinstance(value, Mapping) else where
            holder, key = (value, op) if isinstance(value, Mapping) else (node, fact)
            if op not in OPERATORS:
                self.problem(
                    f"unknown operator {op!r}",
                    holder,
                    key,
                    sub,
                    rule_id=rule_id,
                    suggestion=suggest(op, OPERATORS),
                )
                continue
            if op not in spec.operators:
                allowed = ", ".join(sorted(spec.operators))
                self.problem(
                    f"{fact} is a {spec.kind.value} fact and cannot use {op!r}; use {allowed}",
                    holder,
                    key,
                    sub,
                    rule_id=rule_id,
                )
                continue
            atom = self.atom(fact, spec.kind, op, raw, holder, key, sub, rule_id)
            if atom is not None:
                found.append(atom)
        return found if len(found) == len(tests) else None

    def atom(
        self,
        fact: str,
        kind: Kind,
        op: str,
        raw: Any,
        holder: Any,
        key: Any,
        where: str,
        rule_id: str | None,
    ) -> Atom | None:
        parameter = None
        if isinstance(raw, str) and raw.startswith("$") and not raw.startswith("$$"):
            parameter = raw[1:]
            if parameter not in self.parameters:
                self.problem(
                    f"unknown parameter {raw!r}",
                    holder,
                    key,
                    where,
                    rule_id=rule_id,
                    suggestion=_dollar(suggest(parameter, self.parameters)),
                )
                return None
            self.used_parameters.add(parameter)
            raw = self.parameters[parameter]
        elif isinstance(raw, str) and raw.startswith("$$"):
            raw = raw[1:]
        before = len(self.problems)
        found = self.typed_atom(fact, kind, op, raw, parameter, holder, key, where, rule_id)
        if parameter is not None and len(self.problems) > before:
            self.blame_parameter(parameter, before, where, rule_id)
        return found

    def blame_parameter(self, parameter: str, since: int, where: str, rule_id: str | None) -> None:
        """Move the problems found since *since* to where *parameter* was set.

        A parameter's value that does not fit a comparison is wrong where it
        is written (often in an extending file), not in the rule that uses it.
        """
        path, line = self.parameter_places.get(parameter, (None, None))
        user = f"rule {rule_id!r} at {where}" if rule_id else where
        self.problems[since:] = [
            attrs.evolve(
                p,
                message=f"{p.message}; it is used by {user}",
                key=f"parameters.{parameter}",
                path=path or p.path,
                line=line or p.line,
            )
            for p in self.problems[since:]
        ]

    def typed_atom(
        self,
        fact: str,
        kind: Kind,
        op: str,
        raw: Any,
        parameter: str | None,
        holder: Any,
        key: Any,
        where: str,
        rule_id: str | None,
    ) -> Atom | None:
        source = f" (parameter ${parameter})" if parameter else ""
        if op in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                self.problem(
                    f"{op} needs a non-empty list of values{source}",
                    holder,
                    key,
                    where,
                    rule_id=rule_id,
                )
                return None
            values = [self.typed(fact, kind, v, holder, key, where, rule_id, source) for v in raw]
            if any(v is _BAD for v in values):
                return None
            return Atom(fact, op, frozenset(values), parameter, where)
        if isinstance(raw, list):
            self.problem(
                f"{op} compares with one value, not a list{source}; use in",
                holder,
                key,
                where,
                rule_id=rule_id,
            )
            return None
        typed = self.typed(fact, kind, raw, holder, key, where, rule_id, source)
        if typed is _BAD:
            return None
        return Atom(fact, op, typed, parameter, where)

    def typed(
        self,
        fact: str,
        kind: Kind,
        raw: Any,
        holder: Any,
        key: Any,
        where: str,
        rule_id: str | None,
        source: str,
    ) -> Any:
        levels = kind.levels
        if levels is not None:
            parsed = levels.parse(raw)
            if isinstance(parsed, levels):
                return parsed
            names = levels.names()
            self.problem(
                f"{raw!r} is not a {kind.value} level{source}; use one of {', '.join(names)}",
                holder,
                key,
                where,
                rule_id=rule_id,
                suggestion=suggest(str(raw), names) if isinstance(raw, str) else None,
            )
            return _BAD
        if kind is Kind.BOOL and isinstance(raw, bool):
            return raw
        if kind is Kind.NUMBER and isinstance(raw, int | float) and not isinstance(raw, bool):
            if isinstance(raw, int) and not -MAX_EXACT_INTEGER <= raw <= MAX_EXACT_INTEGER:
                self.problem(
                    f"{fact} is compared with the integer {raw}{source}, but only integers "
                    f"between -2**53 and 2**53 ({MAX_EXACT_INTEGER}) compare exactly on "
                    f"every engine; write it as a float ({_yaml_float(float(raw))})",
                    holder,
                    key,
                    where,
                    rule_id=rule_id,
                )
                return _BAD
            return raw
        if kind in (Kind.TEXT, Kind.LABELS) and isinstance(raw, str):
            return raw
        expected = {Kind.BOOL: "true or false", Kind.NUMBER: "a number"}.get(kind, "text")
        hint = ""
        if kind is Kind.NUMBER and isinstance(raw, str):
            number = _number_text(raw)
            if number is not None:
                hint = f" (YAML reads {raw} as text; write {_yaml_float(number)})"
        self.problem(
            f"{fact} is compared with {raw!r}{source}, but it takes {expected}{hint}",
            holder,
            key,
            where,
            rule_id=rule_id,
        )
        return _BAD


_BAD = object()


def _yaml_float(number: float) -> str:
    """Write *number* so that YAML reads it back as that float (``1.0e+19``, not ``1e+19``)."""
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


def _number_text(text: str) -> float | None:
    """Return the finite number *text* spells (``1e19``), or ``None``."""
    try:
        number = float(text.replace("_", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) and text.strip() == text else None


def _dollar(name: str | None) -> str | None:
    return None if name is None else "$" + name
