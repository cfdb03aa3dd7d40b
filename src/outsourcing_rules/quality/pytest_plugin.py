"""A pytest plugin that collects scenario files as tests: one test item per case.

Installed with the package (a ``pytest11`` entry point), it collects every
file whose name matches ``*.cases.yaml`` in the directories pytest searches.
Two ini options tune it::

    [pytest]
    outsourcing_rules_cases = *.cases.yaml *.scenarios.yml
    outsourcing_rules_engine = native

A failing case reports what it expected, the verdict and rule it got, the
rules that applied, and the decision's explanation. A scenario file that
does not load (or names a ruleset that does not) is a collection error that
lists every problem with its line. ``-p no:outsourcing_rules`` turns the
plugin off.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..core.rules import Ruleset
    from .scenarios import Case, CaseResult

#: Which files hold cases, unless the ini option says otherwise.
DEFAULT_PATTERNS = ["*.cases.yaml"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ini options ``outsourcing_rules_cases`` and ``outsourcing_rules_engine``."""
    parser.addini(
        "outsourcing_rules_cases",
        type="args",
        default=DEFAULT_PATTERNS,
        help="glob patterns of outsourcing_rules scenario files to collect (default: *.cases.yaml)",
    )
    parser.addini(
        "outsourcing_rules_engine",
        default="",
        help="engine that runs scenario cases: durable or native (default: the library's)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CasesFile | None:
    """Collect *file_path* when its name matches one of the configured patterns."""
    patterns: list[str] = parent.config.getini("outsourcing_rules_cases")
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        collected: CasesFile = CasesFile.from_parent(parent, path=file_path)
        return collected
    return None


class CaseFailed(Exception):
    """A case's decision differs from what it expects; ``result`` says how."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.summary())
        self.result = result


class CasesFile(pytest.File):
    """A scenario file: loads it and its ruleset, and yields one item per case."""

    def collect(self) -> Iterator[CaseItem]:
        """Yield a :class:`CaseItem` for every case of the file."""
        from ..errors import OutsourcingRulesError, RulesetError
        from .scenarios import ScenarioError, load_scenarios

        try:
            scenarios = load_scenarios(self.path)
            ruleset = scenarios.load_ruleset()
            scenarios.check_rule_ids(ruleset)
        except (ScenarioError, RulesetError) as exc:
            lines = "\n".join(str(p) for p in exc.problems)
            raise self.CollectError(f"cannot run the cases of {self.path}:\n{lines}") from None
        except OutsourcingRulesError as exc:
            raise self.CollectError(f"cannot run the cases of {self.path}: {exc}") from None
        engine = self.config.getini("outsourcing_rules_engine") or None
        for case in scenarios.cases:
            yield CaseItem.from_parent(
                self, name=case.name, case=case, ruleset=ruleset, engine=engine
            )


class CaseItem(pytest.Item):
    """One case of a scenario file, run as a test."""

    def __init__(
        self, *, case: Case, ruleset: Ruleset, engine: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.ruleset = ruleset
        self.engine = engine

    def runtest(self) -> None:
        """Decide the case; raise :class:`CaseFailed` when the decision is not the expected one."""
        from .scenarios import run_case

        result = run_case(self.case, self.ruleset, engine=self.engine)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """Report a failed case as text: expected, got, the rules that applied, why."""
        from ..errors import OutsourcingRulesError

        if isinstance(excinfo.value, CaseFailed):
            return excinfo.value.result.details()
        if isinstance(excinfo.value, OutsourcingRulesError):
            return f"{self.case.place}: {self.case.name}: {excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Point at the case's line in its file."""
        line = None if self.case.line is None else self.case.line - 1
        return self.path, line, f"case: {self.case.name}"
