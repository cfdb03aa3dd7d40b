"""The benchmarks' workload: seeded random tasks and the reference decision.

This module imports nothing from outsourcing_rules, so the script that times
other rule engines (:mod:`other_engines`) can run it in a throwaway virtual
environment that lacks the library. Tasks are plain dictionaries of facts, as
``Task.from_dict`` takes them; ``None`` (or a missing key) is an unknown fact.

The reference decision, :func:`reference_decide`, is the default ruleset of
``rulesets/default.yaml`` written out by hand on these dictionaries. The
throughput benchmark checks it against the library on every task, so any
engine that agrees with it agrees with the library.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

#: The seed of the workload: the same seed gives the same tasks everywhere.
SEED = 20240611

#: The benchmark owner: an hourly rate (so opportunity cost can apply) and core
#: categories (so core competency can be derived from a task's category).
OWNER: dict[str, Any] = {
    "name": "Benchmark Consulting",
    "hourly_rate": 150.0,
    "core_competencies": ["consulting", "design"],
}

#: Levels as the integers of their order (``Skill`` and ``Enjoyment`` values).
SKILL_LEVELS = ("none", "basic", "competent", "expert")
ENJOYMENT_LEVELS = ("hate", "dislike", "neutral", "like", "love")

#: The default ruleset's parameters.
LOW_FREQUENCY_PER_YEAR = 12
OPPORTUNITY_COST_RATIO = 2

#: The default ruleset's rules in decision order (highest priority first),
#: with the verdict each proposes.
RULES: tuple[tuple[str, str], ...] = (
    ("core-competency", "keep"),
    ("only-owner", "keep"),
    ("eliminate", "eliminate"),
    ("skill-gap", "outsource"),
    ("low-frequency", "keep"),
    ("annoyance", "outsource"),
    ("time-scarcity", "outsource"),
    ("opportunity-cost", "outsource"),
    ("repetitive", "outsource"),
)
RULE_IDS = tuple(rule_id for rule_id, _ in RULES)
VERDICTS = dict(RULES)
#: What the ruleset decides when no rule applies.
DEFAULT_VERDICT = "keep"

_CATEGORIES = (
    "consulting",
    "design",
    "invoicing",
    "bookkeeping",
    "travel",
    "research",
    "crm",
    "scheduling",
    "transcription",
    "website",
    "social-media",
    "email",
)
_FREQUENCIES = (1, 2, 3, 4, 6, 11, 11.5, 12, 24, 52, 104, 250)
_PROVIDER_RATES = (15, 25, 37.5, 50, 60, 75, 76, 125, 200, 400)
_TAGS = ("admin", "clients", "finance", "growth", "ops")
_SKILL_WEIGHTS = ((None, 25), ("none", 4), ("basic", 6), ("competent", 12), ("expert", 8))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights)[0]


def _flag(rng: random.Random, unknown: int, true: int, false: int) -> bool | None:
    return _pick(rng, ((None, unknown), (True, true), (False, false)))


def task_data(rng: random.Random, number: int) -> dict[str, Any]:
    """Return the facts of one random valid task, unknown facts as ``None``.

    The weights make every rule of the default ruleset decide a fair share of
    the tasks, leave room for the default (no rule applies), and include
    one-off tasks, thresholds hit exactly (12 a year, a rate ratio of exactly
    2) and tasks with most facts unknown.
    """
    one_off = _flag(rng, 30, 15, 55)
    if one_off:
        times: float | None = _pick(rng, ((None, 1), (1, 1)))
    elif rng.random() < 0.2:
        times = None
    elif rng.random() < 0.8:
        times = rng.choice(_FREQUENCIES)
    else:
        times = round(rng.uniform(0.5, 300), 1)
    provider: float | None
    if rng.random() < 0.3:
        provider = None
    elif rng.random() < 0.8:
        provider = rng.choice(_PROVIDER_RATES)
    else:
        provider = round(rng.uniform(10, 500), 2)
    skill = _pick(rng, _SKILL_WEIGHTS)
    enjoyment = None if rng.random() < 0.25 else rng.choice(ENJOYMENT_LEVELS)
    tags = None if rng.random() < 0.7 else sorted(rng.sample(_TAGS, rng.randint(1, 3)))
    return {
        "name": f"task {number}",
        "category": None if rng.random() < 0.15 else rng.choice(_CATEGORIES),
        "core_competency": _flag(rng, 85, 5, 10),
        "only_owner": _flag(rng, 70, 8, 22),
        "skill": skill,
        "enjoyment": enjoyment,
        "times_per_year": times,
        "one_off": one_off,
        "hours_each": None if rng.random() < 0.25 else round(rng.uniform(0.25, 20), 2),
        "time_available": _flag(rng, 40, 20, 40),
        "repetitive": _flag(rng, 40, 30, 30),
        "can_be_eliminated": _flag(rng, 65, 8, 27),
        "revenue_generating": _flag(rng, 60, 10, 30),
        "procedure_documented": _flag(rng, 50, 25, 25),
        "outcome_defined": _flag(rng, 50, 25, 25),
        "provider_hourly_rate": provider,
        "tags": tags,
    }


def tasks_data(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """Yield *count* random valid tasks, the same ones for the same *seed*."""
    rng = random.Random(seed)
    for number in range(count):
        yield task_data(rng, number)


def derived_facts(task: dict[str, Any], owner: dict[str, Any]) -> dict[str, Any]:
    """Return the value of every fact the default ruleset tests (``None`` = unknown).

    Levels come back as the integers of their order; ``recurring``,
    ``core_competency`` and ``rate_ratio`` are derived as the library derives
    them.
    """
    one_off = task.get("one_off")
    times = task.get("times_per_year")
    if one_off is not None:
        recurring: bool | None = not one_off
    else:
        recurring = True if times is not None else None
    stated = task.get("core_competency")
    category = task.get("category")
    competencies = owner.get("core_competencies")
    known = category is not None and competencies is not None
    if stated is True or (known and category in competencies):
        core: bool | None = True
    elif stated is False or known:
        core = False
    else:
        core = None
    rate = owner.get("hourly_rate")
    provider = task.get("provider_hourly_rate")
    skill = task.get("skill")
    enjoyment = task.get("enjoyment")
    return {
        "core_competency": core,
        "only_owner": task.get("only_owner"),
        "can_be_eliminated": task.get("can_be_eliminated"),
        "skill": None if skill is None else SKILL_LEVELS.index(skill),
        "recurring": recurring,
        "times_per_year": times,
        "enjoyment": None if enjoyment is None else ENJOYMENT_LEVELS.index(enjoyment),
        "time_available": task.get("time_available"),
        "rate_ratio": None if rate is None or provider is None else rate / provider,
        "repetitive": task.get("repetitive"),
    }


def reference_matches(facts: dict[str, Any]) -> list[str]:
    """Return the ids of every rule that applies to *facts*, in decision order."""
    matched = []
    if facts["core_competency"] is True:
        matched.append("core-competency")
    if facts["only_owner"] is True:
        matched.append("only-owner")
    if facts["can_be_eliminated"] is True:
        matched.append("eliminate")
    if facts["skill"] is not None and facts["skill"] <= 1:
        matched.append("skill-gap")
    times = facts["times_per_year"]
    if facts["recurring"] is True and times is not None and times < LOW_FREQUENCY_PER_YEAR:
        matched.append("low-frequency")
    if facts["enjoyment"] is not None and facts["enjoyment"] <= 1:
        matched.append("annoyance")
    if facts["time_available"] is False:
        matched.append("time-scarcity")
    ratio = facts["rate_ratio"]
    if ratio is not None and ratio >= OPPORTUNITY_COST_RATIO:
        matched.append("opportunity-cost")
    if facts["repetitive"] is True:
        matched.append("repetitive")
    return matched


def reference_decide(
    task: dict[str, Any], owner: dict[str, Any]
) -> tuple[str, str | None, tuple[str, ...]]:
    """Return ``(verdict, deciding rule id or None, every matched rule id)`` for *task*."""
    matched = reference_matches(derived_facts(task, owner))
    if not matched:
        return DEFAULT_VERDICT, None, ()
    return VERDICTS[matched[0]], matched[0], tuple(matched)


def resolve(fired: list[str] | set[str]) -> tuple[str, str | None, tuple[str, ...]]:
    """Turn the rule ids an engine fired (any order) into verdict, winner and matches."""
    ordered = tuple(rule_id for rule_id in RULE_IDS if rule_id in fired)
    if not ordered:
        return DEFAULT_VERDICT, None, ()
    return VERDICTS[ordered[0]], ordered[0], ordered
