"""Scenario files: worked examples a ruleset must decide as expected.

A scenario file is YAML::

    ruleset: agency.yaml            # optional; relative to this file
    owner: {name: Acme, hourly_rate: 100}   # optional; for cases without one
    cases:
      - name: payroll stays in house
        owner: {name: Acme, hourly_rate: 100, core_competencies: [coaching]}
        task: {name: Run payroll, category: payroll, skill: none}
        expect: {verdict: keep, rule: confidential-stays}
      - name: flights are not a skill gap
        task: {category: travel, skill: competent}     # named after the case
        expect: {matches: [low-frequency], not_matched: [skill-gap]}

``expect`` holds any of ``verdict``, ``rule`` (the deciding rule's id;
``default`` when no rule applied and the ruleset's default decided),
``matches`` (ids of rules that must apply) and ``not_matched`` (ids of rules
that must not). :func:`load_scenarios` reads a file and reports every
problem at once, each with its file, line and key, as a
:class:`ScenarioError`; :func:`run_scenarios` decides every case and returns
the :class:`CaseResult` of each. Expected rule ids must exist in the ruleset
the cases run against (a typo would otherwise pass ``not_matched`` forever).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..core.facts import Owner, Task, Verdict
from ..core.rules import Ruleset
from ..core.text import printable
from ..decisions import Decision, decide
from ..errors import FactError, OutsourcingRulesError, Problem, suggest
from ..loading import default_ruleset, load_ruleset
from ..loading.reading import BUILTIN_RULESETS
from ..loading.yamlio import ReadError, column_of, line_of, read_yaml

#: What ``expect: {rule: ...}`` says when no rule applies and the default decides.
DEFAULT_RULE = "default"

_FILE_KEYS = ("ruleset", "owner", "cases", "description")
_CASE_KEYS = ("name", "owner", "task", "expect", "description")
_EXPECT_KEYS = ("verdict", "rule", "matches", "not_matched")
#: Scenario files are small; refuse anything absurd before parsing it.
MAX_SCENARIO_BYTES = 10_000_000


class ScenarioError(OutsourcingRulesError, ValueError):
    """A scenario file could not be read: every problem found, each with its place.

    ``problems`` lists them; ``path`` and ``line`` are those of the first.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("a ScenarioError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.path = self.problems[0].path
        self.line = self.problems[0].line
        super().__init__("\n".join(str(p) for p in self.problems))


@attrs.frozen
class Expectation:
    """What a case expects; ``None`` (or empty) parts are not checked.

    ``rule`` is a rule id, or :data:`DEFAULT_RULE` for "no rule applied".
    """

    verdict: Verdict | None = None
    rule: str | None = None
    matches: tuple[str, ...] = ()
    not_matched: tuple[str, ...] = ()

    def rule_ids(self) -> list[str]:
        """Every rule id this expectation names (``default`` aside)."""
        named = [*self.matches, *self.not_matched]
        if self.rule is not None and self.rule != DEFAULT_RULE:
            named.insert(0, self.rule)
        return named

    def describe(self) -> str:
        """Say what is expected: ``keep by confidential-stays; low-frequency applies``."""
        parts = []
        if self.verdict is not None or self.rule is not None:
            verdict = self.verdict.value if self.verdict is not None else "any verdict"
            parts.append(f"{verdict} by {self.rule}" if self.rule is not None else verdict)
        if self.matches:
            parts.append(f"{', '.join(self.matches)} {_applies(len(self.matches))}")
        if self.not_matched:
            parts.append(f"{', '.join(self.not_matched)} not applying")
        return "; ".join(parts)


def _applies(count: int) -> str:
    return "applies" if count == 1 else "apply"


@attrs.frozen
class Case:
    """One scenario: a task (and owner) and what the ruleset must decide for it."""

    name: str
    task: Task
    owner: Owner | None
    expect: Expectation
    path: str | None = attrs.field(default=None, eq=False)
    line: int | None = attrs.field(default=None, eq=False)

    @property
    def place(self) -> str:
        """Where the case is written: ``cases.yaml:12``."""
        where = self.path or "<scenarios>"
        return f"{where}:{self.line}" if self.line is not None else where


@attrs.frozen
class ScenarioFile:
    """The cases of one scenario file and the ruleset it names (``None``: not named)."""

    cases: tuple[Case, ...]
    ruleset: str | None = None
    path: str | None = None
    line_of_ruleset: int | None = attrs.field(default=None, eq=False)

    def load_ruleset(self, override: Ruleset | str | None = None) -> Ruleset:
        """Return the ruleset the cases run against.

        *override* (a ruleset or a path) wins over the file's ``ruleset:``;
        without either, the default ruleset.
        """
        if override is not None:
            return load_ruleset(override)
        if self.ruleset is None:
            return default_ruleset()
        if self.ruleset in BUILTIN_RULESETS:
            return load_ruleset(self.ruleset)
        here = Path(self.path).parent if self.path else Path.cwd()
        return load_ruleset(here / self.ruleset)

    def check_rule_ids(self, ruleset: Ruleset) -> None:
        """Raise :class:`ScenarioError` for every expected rule id *ruleset* lacks."""
        known = ruleset.rule_ids
        problems = []
        for case in self.cases:
            for rule_id in case.expect.rule_ids():
                if rule_id not in known:
                    problems.append(
                        Problem(
                            f"case {case.name!r} names rule {rule_id!r}, which ruleset "
                            f"{ruleset.name!r} does not have",
                            key="expect",
                            path=case.path,
                            line=case.line,
                            rule_id=rule_id,
                            suggestion=suggest(rule_id, known),
                        )
                    )
        if problems:
            raise ScenarioError(problems)


@attrs.frozen
class CaseResult:
    """The decision on one case and how it differs from what was expected."""

    case: Case
    decision: Decision
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the decision is what the case expects."""
        return not self.failures

    def got(self) -> str:
        """Say what was decided: ``outsource by skill-gap``."""
        return f"{self.decision.verdict.value} by {self.decision.rule_id or DEFAULT_RULE}"

    def summary(self) -> str:
        """One line for a report: place, name, and for a failure, expected versus got."""
        head = f"{printable(self.case.place)}: {printable(self.case.name)}"
        if self.passed:
            return f"{head}: {self.got()}"
        return f"{head}: expected {self.case.expect.describe()}; got {self.got()}"

    def details(self) -> str:
        """Several lines for a failure report: what differed, the matches and the explanation."""
        lines = [self.summary(), *(f"  - {failure}" for failure in self.failures)]
        applied = ", ".join(self.decision.matched_rule_ids) or "none"
        lines.append(f"  rules that applied: {applied}")
        lines.append("  " + self.decision.explain().replace("\n", "\n  "))
        return "\n".join(lines)


def compare(expect: Expectation, decision: Decision) -> tuple[str, ...]:
    """Return what is wrong with *decision* against *expect* (empty when it matches)."""
    failures = []
    got_rule = decision.rule_id or DEFAULT_RULE
    if expect.verdict is not None and decision.verdict is not expect.verdict:
        failures.append(f"verdict is {decision.verdict.value}, expected {expect.verdict.value}")
    if expect.rule is not None and got_rule != expect.rule:
        failures.append(f"decided by {got_rule}, expected {expect.rule}")
    applied = set(decision.matched_rule_ids)
    missing = [r for r in expect.matches if r not in applied]
    if missing:
        failures.append(f"{', '.join(missing)} did not apply")
    unwanted = [r for r in expect.not_matched if r in applied]
    if unwanted:
        failures.append(f"{', '.join(unwanted)} applied")
    return tuple(failures)


def run_case(case: Case, ruleset: Ruleset, *, engine: str | None = None) -> CaseResult:
    """Decide one case with *ruleset* and compare the decision with the expectation."""
    decision = decide(case.task, case.owner, ruleset=ruleset, engine=engine)
    return CaseResult(case, decision, compare(case.expect, decision))


def run_scenarios(
    scenarios: ScenarioFile,
    *,
    ruleset: Ruleset | str | None = None,
    engine: str | None = None,
) -> list[CaseResult]:
    """Decide every case of *scenarios*; return one :class:`CaseResult` each, in order.

    *ruleset* replaces the file's own ``ruleset:``. Raises
    :class:`ScenarioError` when a case names a rule the ruleset lacks, and
    :class:`~outsourcing_rules.RulesetError` when the ruleset does not load.
    """
    chosen = scenarios.load_ruleset(ruleset)
    scenarios.check_rule_ids(chosen)
    return [run_case(case, chosen, engine=engine) for case in scenarios.cases]


# --- reading ------------------------------------------------------------------------


class _Reader:
    """Reads one scenario file, collecting every problem."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(
        self, message: str, container: Any, key: Any, where: str, suggestion: str | None = None
    ) -> None:
        self.problems.append(
            Problem(
                message,
                key=where,
                path=self.path,
                line=line_of(container, key) or getattr(container, "line", None),
                column=column_of(container, key) if line_of(container, key) else None,
                suggestion=suggestion,
            )
        )

    def unknown_keys(self, node: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                self.problem(
                    f"unknown key {key!r}; expected one of {', '.join(allowed)}",
                    node,
                    key,
                    f"{where}.{key}" if where else str(key),
                    suggest(str(key), allowed),
                )

    def read(self, data: Any) -> ScenarioFile:
        if not isinstance(data, Mapping):
            self.problem("a scenario file must be a mapping with a list of cases", data, None, "")
            raise ScenarioError(self.problems)
        self.unknown_keys(data, _FILE_KEYS, "")
        ruleset = data.get("ruleset")
        if ruleset is not None and (not isinstance(ruleset, str) or not ruleset.strip()):
            self.problem("ruleset must be the path of a ruleset file", data, "ruleset", "ruleset")
            ruleset = None
        owner = self.owner(data["owner"], data, "owner") if "owner" in data else None
        cases_node = data.get("cases")
        if not isinstance(cases_node, list) or not cases_node:
            self.problem("cases must be a non-empty list of cases", data, "cases", "cases")
            raise ScenarioError(self.problems)
        cases: list[Case] = []
        names: dict[str, int] = {}
        for index, node in enumerate(cases_node):
            case = self.case(node, cases_node, index, owner)
            if case is None:
                continue
            if case.name in names:
                self.problem(
                    f"case name {case.name!r} is used twice (also cases[{names[case.name]}]); "
                    "names must be unique",
                    node,
                    "name",
                    f"cases[{index}].name",
                )
            names.setdefault(case.name, index)
            cases.append(case)
        if self.problems:
            raise ScenarioError(self.problems)
        return ScenarioFile(
            tuple(cases), ruleset, self.path, line_of(data, "ruleset") if ruleset else None
        )

    def owner(self, node: Any, parent: Any, where: str) -> Owner | None:
        try:
            return Owner.from_dict(node)
        except FactError as exc:
            if isinstance(node, Mapping):
                for error in exc.errors:
                    self.problem(
                        error.reason, node, error.field, f"{where}.{error.field}", error.suggestion
                    )
            else:
                self.problem("owner must be a mapping of owner facts", parent, "owner", where)
            return None

    def case(self, node: Any, parent: list[Any], index: int, owner: Owner | None) -> Case | None:
        where = f"cases[{index}]"
        if not isinstance(node, Mapping):
            self.problem(
                "a case must be a mapping with name, task and expect", parent, index, where
            )
            return None
        before = len(self.problems)
        self.unknown_keys(node, _CASE_KEYS, where)
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem("every case needs a name (text)", node, "name", f"{where}.name")
            name = None
        if "owner" in node:
            owner = self.owner(node["owner"], node, f"{where}.owner")
        task = self.task(node, where, name)
        expect = self.expectation(node, where)
        if len(self.problems) > before or name is None or task is None or expect is None:
            return None
        return Case(name, task, owner, expect, self.path, getattr(node, "line", None))

    def task(self, node: Mapping[str, Any], where: str, name: str | None) -> Task | None:
        raw = node.get("task")
        if not isinstance(raw, Mapping):
            self.problem("task must be a mapping of task facts", node, "task", f"{where}.task")
            return None
        facts = dict(raw)
        if "name" not in facts and name is not None:
            facts["name"] = name  # a task without a name is named after its case
        try:
            return Task.from_dict(facts)
        except FactError as exc:
            for error in exc.errors:
                self.problem(
                    error.reason, raw, error.field, f"{where}.task.{error.field}", error.suggestion
                )
            return None

    def expectation(self, node: Mapping[str, Any], where: str) -> Expectation | None:
        raw = node.get("expect")
        at = f"{where}.expect"
        if not isinstance(raw, Mapping) or not any(k in raw for k in _EXPECT_KEYS):
            self.problem(
                "expect must be a mapping with verdict, rule, matches or not_matched",
                node,
                "expect",
                at,
            )
            return None
        before = len(self.problems)
        self.unknown_keys(raw, _EXPECT_KEYS, at)
        verdict = None
        if "verdict" in raw:
            try:
                verdict = Verdict.parse(raw["verdict"])
            except ValueError as exc:
                names = [v.value for v in Verdict]
                hint = suggest(str(raw["verdict"]), names)
                self.problem(str(exc), raw, "verdict", f"{at}.verdict", hint)
        rule = raw.get("rule")
        if "rule" in raw and rule is None:
            rule = DEFAULT_RULE
        if rule is not None and not isinstance(rule, str):
            self.problem("rule must be a rule id (or default)", raw, "rule", f"{at}.rule")
        lists = {}
        for key in ("matches", "not_matched"):
            value = raw.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.problem(f"{key} must be a list of rule ids", raw, key, f"{at}.{key}")
                value = []
            lists[key] = tuple(value)
        both = sorted(set(lists["matches"]) & set(lists["not_matched"]))
        if both:
            self.problem(f"{', '.join(both)} cannot both apply and not apply", raw, "matches", at)
        if len(self.problems) > before:
            return None
        return Expectation(verdict, rule, lists["matches"], lists["not_matched"])


def load_scenarios(
    source: str | os.PathLike[str] | Mapping[str, Any], *, path: str | None = None
) -> ScenarioFile:
    """Read a scenario file (a path, or already parsed data with *path* for messages).

    Raises :class:`ScenarioError` listing every problem, each with file,
    line and key.
    """
    if isinstance(source, Mapping):
        return _Reader(path).read(source)
    shown = str(source)
    file = Path(source)
    try:
        raw = _read_regular(file, shown)
    except FileNotFoundError:
        raise ScenarioError([Problem("no such file", path=shown)]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("is a directory, not a scenario file", path=shown)]) from None
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot be read: {exc.strerror}", path=shown)]) from None
    try:
        data = read_yaml(raw, path=shown, max_bytes=MAX_SCENARIO_BYTES)
    except ReadError as exc:
        raise ScenarioError(
            [Problem(exc.message, path=shown, line=exc.line, column=exc.column)]
        ) from None
    return _Reader(shown).read(data)


def _read_regular(file: Path, shown: str) -> bytes:
    """Read *file* if it is a regular file within the size limit, checked before opening.

    Opening a named pipe would wait for a writer, and a device such as
    ``/dev/zero`` never ends: both are refused from their metadata.
    """
    info = file.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError([Problem("is not a regular file (a device or a pipe?)", path=shown)])
    if info.st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"is {info.st_size:,} bytes, over the limit of {MAX_SCENARIO_BYTES:,}",
                    path=shown,
                )
            ]
        )
    with file.open("rb") as stream:
        return stream.read(MAX_SCENARIO_BYTES + 1)  # a file that grew is still bounded


def failed(results: Iterable[CaseResult]) -> list[CaseResult]:
    """Return the results that did not pass."""
    return [r for r in results if not r.passed]
