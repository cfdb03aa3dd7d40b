"""Tasks drawn without Hypothesis: seeded samples aimed at what rulesets compare with.

The test kit's one sampler outside Hypothesis. ``outsourcing-rules diff``
(:func:`outsourcing_rules.quality.impact`) decides these samples under two
rulesets when no inventory is given. Known numbers sit on, just beside, or
well either side of the values the rules compare with, and of
:data:`INTERESTING_NUMBERS`, the same marks the Hypothesis strategies favour.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from ..core.facts import Enjoyment, Owner, Skill, Task, task_fields_holding
from ..core.rules import Ruleset, compared_values
from ..core.vocabulary import BOUNDS, FACTS, Kind

#: Numbers both tasks and rulesets favour, so that comparisons often meet a
#: value exactly at their threshold (12 is the default ruleset's
#: low-frequency bound, 2 its opportunity-cost ratio, 52 weeks a year).
INTERESTING_NUMBERS: tuple[float, ...] = (0, 1, 2, 4, 12, 25, 52, 100, 250)

#: How many tasks are generated when no inventory is given.
DEFAULT_GENERATED = 2000

_PLAIN_CATEGORIES = ("invoicing", "consulting", "email", "research")
_PLAIN_TAGS = ("admin", "weekly")
_BOOL_FACTS = task_fields_holding(bool)

Case = tuple[Task, Owner | None]


class _Sampler:
    """Draws tasks and owners whose facts sit on and around the rulesets' thresholds."""

    def __init__(self, rulesets: Sequence[Ruleset], seed: int) -> None:
        self.random = random.Random(seed)
        self.constants = compared_values(rulesets)
        numbers = [
            v
            for fact, values in self.constants.items()
            for v in values
            if FACTS[fact].kind is Kind.NUMBER
        ]
        self.numbers = sorted({*INTERESTING_NUMBERS, *numbers})
        self.categories = [*self.constants.get("category", []), *_PLAIN_CATEGORIES]
        self.tags = [t for t in [*self.constants.get("tags", []), *_PLAIN_TAGS] if t.strip()]

    def maybe(self) -> bool:
        return self.random.random() < 0.6

    def number(self, fact: str) -> float:
        low, high = BOUNDS[fact]
        own = [v for v in self.constants.get(fact, []) if isinstance(v, int | float)]
        pool = own if own and self.random.random() < 0.6 else self.numbers
        base: float = self.random.choice(pool)
        nudge = self.random.choice((0, 0, -1, 1, -0.01, 0.01, base * 0.5 - base, base))
        value: float = base + nudge
        return min(max(value, low), high)

    def case(self, index: int) -> Case:
        rnd = self.random
        facts: dict[str, Any] = {"name": f"generated task {index + 1}"}
        for name in _BOOL_FACTS:
            if self.maybe():
                facts[name] = rnd.random() < 0.5
        if self.maybe():
            facts["skill"] = rnd.choice(list(Skill))
        if self.maybe():
            facts["enjoyment"] = rnd.choice(list(Enjoyment))
        if self.maybe():
            facts["category"] = rnd.choice(self.categories)
        if self.maybe():
            facts["tags"] = frozenset(rnd.sample(self.tags, rnd.randint(0, min(3, len(self.tags)))))
        if self.maybe():
            facts["hours_each"] = self.number("hours_each")
        if self.maybe():
            facts["provider_hourly_rate"] = self.number("provider_hourly_rate")
        if facts.get("one_off"):
            if rnd.random() < 0.5:
                facts["times_per_year"] = 1
        elif self.maybe():
            facts["times_per_year"] = self.number("times_per_year")
        owner = None
        if rnd.random() < 0.9:
            competencies = None
            if self.maybe():
                pool = [c for c in self.categories if c.strip()]
                competencies = frozenset(rnd.sample(pool, rnd.randint(0, min(2, len(pool)))))
            rate = self.number("owner_hourly_rate") if self.maybe() else None
            owner = Owner(hourly_rate=rate, core_competencies=competencies)
        return Task(**facts), owner


def generated_cases(
    rulesets: Sequence[Ruleset], count: int = DEFAULT_GENERATED, *, seed: int = 0
) -> list[Case]:
    """Generate *count* tasks with owners, aimed at what *rulesets* compare with.

    Every fact is unknown about a third of the time; known numbers sit on,
    just beside, or well either side of the values the rules compare with.
    Deterministic for a given *seed*.
    """
    sampler = _Sampler(rulesets, seed)
    return [sampler.case(i) for i in range(count)]
