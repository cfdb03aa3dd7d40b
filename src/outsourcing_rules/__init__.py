"""outsourcing_rules: keep it, outsource it or eliminate it, and say why.

>>> from outsourcing_rules import Owner, Task, decide
>>> sally = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
>>> invoicing = Task(name="Client invoicing", category="invoicing",
...                  times_per_year=52, hours_each=4, provider_hourly_rate=37.5)
>>> d = decide(invoicing, sally)
>>> d.verdict, d.rule_id
(<Verdict.OUTSOURCE: 'outsource'>, 'opportunity-cost')
"""

from importlib.metadata import PackageNotFoundError, version

from .core.conditions import Check
from .core.facts import Enjoyment, Owner, Skill, Task, Verdict
from .core.rules import Invariant, Limits, Rule, Ruleset
from .core.schemas import owner_schema, task_schema
from .decisions import Decision, Match, decide, decide_all, decide_iter
from .economics import Economics
from .engines import EngineUnavailableError, available_engines, default_engine_name
from .errors import (
    FactError,
    InventoryError,
    MissingExtraError,
    OutsourcingRulesError,
    Problem,
    RulesetError,
)
from .loading import default_ruleset, load_ruleset
from .loading.builder import RulesetBuilder, dump_ruleset
from .loading.schema import ruleset_schema
from .planning.plans import Plan, plan
from .render.schemas import decision_schema, plan_schema

try:
    __version__ = version("outsourcing-rules")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Check",
    "Decision",
    "Economics",
    "EngineUnavailableError",
    "Enjoyment",
    "FactError",
    "Invariant",
    "InventoryError",
    "Limits",
    "Match",
    "MissingExtraError",
    "OutsourcingRulesError",
    "Owner",
    "Plan",
    "Problem",
    "Rule",
    "Ruleset",
    "RulesetBuilder",
    "RulesetError",
    "Skill",
    "Task",
    "Verdict",
    "__version__",
    "available_engines",
    "decide",
    "decide_all",
    "decide_iter",
    "decision_schema",
    "default_engine_name",
    "default_ruleset",
    "dump_ruleset",
    "load_ruleset",
    "owner_schema",
    "plan",
    "plan_schema",
    "ruleset_schema",
    "task_schema",
]

import logging as _logging

from . import _moved

_moved.install()

_logging.getLogger(__name__).addHandler(_logging.NullHandler())
