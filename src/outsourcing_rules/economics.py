"""The economics of a task: hours, what they cost the owner, what a provider would charge.

Every figure is ``None`` when a fact it needs is unknown: a missing rate is
not a zero rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen
class Economics:
    """Per-year and per-week figures for one task (``None`` where unknown).

    ``saving_per_year`` is what the owner's hours are worth minus what a
    provider charges for the same hours; it is negative when the provider
    is dearer.
    """

    hours_per_year: float | None
    hours_per_week: float | None
    owner_cost_per_year: float | None
    provider_cost_per_year: float | None
    saving_per_year: float | None
    saving_per_week: float | None

    @classmethod
    def from_facts(cls, values: Mapping[str, Any]) -> Economics:
        """Read the figures from a task's fact values (see :func:`fact_values`)."""
        return cls(**{f.name: values.get(f.name) for f in attrs.fields(cls)})

    def to_dict(self) -> dict[str, float | None]:
        """Return the figures as a plain mapping."""
        return attrs.asdict(self)
