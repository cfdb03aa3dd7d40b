"""Building rulesets from Python, and writing any ruleset back out as YAML.

:class:`RulesetBuilder` says in Python what a ruleset file says in YAML, and
hands the result to the same loader, so a builder meets exactly the
:class:`~outsourcing_rules.RulesetError` a file would (with keys such as
``rules[0].when.skil`` instead of lines)::

    >>> from outsourcing_rules import RulesetBuilder, default_ruleset
    >>> acme = (
    ...     RulesetBuilder("acme", extends=default_ruleset())
    ...     .parameter("low_frequency_per_year", 6)
    ...     .rule(id="payroll-stays", priority=95, when={"category": "payroll"},
    ...           then="keep", because="Pay data stays in house.")
    ...     .override("annoyance", disabled=True)
    ...     .build()
    ... )
    >>> acme.rule_ids[:2]
    ('core-competency', 'payroll-stays')

Builders are immutable: every method returns a new builder, so a partly
built one can be shared and extended in several directions.
:func:`dump_ruleset` writes a loaded ruleset (resolved, with no ``extends``)
as YAML that loads back equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import yaml

from ..core.facts import Verdict
from ..core.rules import Limits, Ruleset
from ..core.text import plain
from . import load_extending, load_ruleset


def _drop_none(**fields: Any) -> dict[str, Any]:
    return {key: plain(value) for key, value in fields.items() if value is not None}


@attrs.frozen
class RulesetBuilder:
    """Build a ruleset in Python; :meth:`build` validates it with the ruleset loader.

    *extends* is a loaded :class:`~outsourcing_rules.Ruleset`, the name of a
    built-in ruleset (``"default"``) or the path of a ruleset file (relative
    to the working directory). Without it, :meth:`default` must be given.
    """

    name: str
    extends: Ruleset | str | None = attrs.field(default=None, kw_only=True)
    version: str | int | None = attrs.field(default=None, kw_only=True)
    description: str | None = attrs.field(default=None, kw_only=True)
    _parameters: tuple[tuple[str, Any], ...] = attrs.field(default=(), alias="_parameters")
    _default: tuple[Any, str] | None = attrs.field(default=None, alias="_default")
    _rules: tuple[dict[str, Any], ...] = attrs.field(default=(), alias="_rules")
    _overrides: tuple[dict[str, Any], ...] = attrs.field(default=(), alias="_overrides")
    _roles: tuple[tuple[str, str], ...] = attrs.field(default=(), alias="_roles")
    _invariants: tuple[dict[str, Any], ...] = attrs.field(default=(), alias="_invariants")

    def parameter(self, name: str, value: Any) -> RulesetBuilder:
        """Set the parameter *name* (conditions refer to it as ``$name``)."""
        return attrs.evolve(self, _parameters=(*self._parameters, (name, value)))

    def default(self, verdict: Verdict | str, because: str) -> RulesetBuilder:
        """Set the verdict, and its reason, when no rule applies."""
        return attrs.evolve(self, _default=(verdict, because))

    def rule(
        self,
        *,
        id: str,  # the ruleset file's own word for it
        priority: int,
        when: Mapping[str, Any],
        then: Verdict | str,
        because: str,
        role: str | None = None,
    ) -> RulesetBuilder:
        """Add a rule; *when* is a condition as a ruleset file writes it.

        Values may be Python objects: ``{"skill": {"le": Skill.BASIC}}`` and
        ``{"category": {"in": {"payroll", "hr"}}}`` work as well as their
        YAML spelling.
        """
        data = _drop_none(
            id=id, priority=priority, when=when, then=then, because=because, role=role
        )
        return attrs.evolve(self, _rules=(*self._rules, data))

    def override(
        self,
        id: str,  # the ruleset file's own word for it
        *,
        disabled: bool | None = None,
        priority: int | None = None,
        when: Mapping[str, Any] | None = None,
        then: Verdict | str | None = None,
        because: str | None = None,
        role: str | None = None,
    ) -> RulesetBuilder:
        """Change or disable a rule of the extended ruleset, by id."""
        data = _drop_none(
            id=id,
            disabled=disabled,
            priority=priority,
            when=when,
            then=then,
            because=because,
            role=role,
        )
        return attrs.evolve(self, _overrides=(*self._overrides, data))

    def role(self, category: str, provider: str) -> RulesetBuilder:
        """Suggest *provider* (a role such as ``"bookkeeper"``) for tasks of *category*."""
        return attrs.evolve(self, _roles=(*self._roles, (category, provider)))

    def invariant(
        self,
        *,
        when: Mapping[str, Any],
        never: Verdict | str | None = None,
        always: Verdict | str | None = None,
        description: str | None = None,
    ) -> RulesetBuilder:
        """Declare a promise: tasks where *when* holds are *never* or *always* given a verdict."""
        data = _drop_none(when=when, never=never, always=always, description=description)
        return attrs.evolve(self, _invariants=(*self._invariants, data))

    def to_data(self) -> dict[str, Any]:
        """Return the ruleset-file data this builder stands for.

        With a :class:`~outsourcing_rules.Ruleset` to extend there is no file
        to name, so ``extends`` is left out; :meth:`build` still uses it.
        """
        data: dict[str, Any] = {"ruleset": self.name}
        if self.version is not None:
            data["version"] = self.version
        if self.description is not None:
            data["description"] = self.description
        if isinstance(self.extends, str):
            data["extends"] = self.extends
        if self._parameters:
            data["parameters"] = {name: plain(value) for name, value in self._parameters}
        if self._default is not None:
            verdict, because = self._default
            data["default"] = {"verdict": plain(verdict), "because": because}
        if self._rules:
            data["rules"] = [dict(rule) for rule in self._rules]
        if self._overrides:
            data["overrides"] = [dict(override) for override in self._overrides]
        if self._roles:
            data["roles"] = dict(self._roles)
        if self._invariants:
            data["invariants"] = [dict(invariant) for invariant in self._invariants]
        return data

    def build(self, *, limits: Limits | None = None, engine: str | None = None) -> Ruleset:
        """Validate and return the ruleset.

        Raises :class:`~outsourcing_rules.RulesetError` with every problem,
        exactly as loading the same ruleset from a file would.
        """
        data = self.to_data()
        if isinstance(self.extends, Ruleset):
            built = load_extending(self.extends, data, limits=limits)
            return load_ruleset(built, engine=engine)
        return load_ruleset(data, limits=limits, engine=engine)


class _Dumper(yaml.SafeDumper):
    """A safe dumper that indents lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes NEL and the Unicode line separators raw inside quotes,
    # where reading folds them into spaces; double quotes escape them.
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


class _Flow(dict[str, Any]):
    """A mapping written on one line: ``{skill: {le: basic}}``."""


class _FlowList(list[Any]):
    """A list written on one line: ``[payroll, hr]``."""


_Dumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True)
)
_Dumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)

#: Conditions up to this many characters are written on one line.
_FLOW_WIDTH = 60


def _flowing(value: Any) -> Any:
    """Mark every part of *value* as one-line, recursively."""
    if isinstance(value, Mapping):
        return _Flow({key: _flowing(item) for key, item in value.items()})
    if isinstance(value, list):
        return _FlowList(_flowing(item) for item in value)
    return value


def _condition(value: Any) -> Any:
    """Write a condition on one line when it is short, else one part a line."""
    short = _flowing(value)
    text = yaml.dump(short, Dumper=_Dumper, width=10_000, allow_unicode=True).strip()
    if len(text) <= _FLOW_WIDTH or not isinstance(value, Mapping):
        return short
    return {
        key: [_condition(item) for item in item_list]
        if isinstance((item_list := value[key]), list) and key in ("all", "any")
        else _condition(value[key])
        for key in value
    }


def _readable(data: dict[str, Any]) -> dict[str, Any]:
    """Lay ruleset data out as a person would write it: short conditions and lists inline."""
    out = dict(data)
    if "parameters" in out:
        out["parameters"] = {
            name: _FlowList(value) if isinstance(value, list) else value
            for name, value in out["parameters"].items()
        }
    for section in ("rules", "invariants"):
        if section in out:
            out[section] = [{**item, "when": _condition(item["when"])} for item in out[section]]
    return out


def dump_ruleset(ruleset: Ruleset) -> str:
    """Return *ruleset* as ruleset-file YAML; loading the text gives an equal ruleset.

    The text is the resolved ruleset: rules in decision order, parameters
    and inherited rules included, and no ``extends``.

    >>> from outsourcing_rules import default_ruleset, load_ruleset
    >>> text = dump_ruleset(default_ruleset())
    >>> print(text.splitlines()[0])
    ruleset: default
    >>> load_ruleset(text) == default_ruleset()
    True
    """
    return yaml.dump(
        _readable(ruleset.to_data()),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
