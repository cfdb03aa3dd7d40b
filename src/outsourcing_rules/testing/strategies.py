"""Hypothesis strategies for tasks and owners (rulesets: :mod:`.ruleset_strategies`).

They follow Hypothesis' own conventions for strategies that libraries ship:
every option is keyword-only, arguments are checked when the strategy is
first drawn from (a bad one raises :class:`hypothesis.errors.InvalidArgument`),
and each strategy's ``repr`` shows how it was called. Examples shrink towards
unknown facts and the first values of each pool, so a failing test reports
the smallest task that still fails.

Every object drawn is valid: tasks and owners respect the bounds of
:mod:`outsourcing_rules.core.facts`, and rulesets are built with
:func:`~outsourcing_rules.load_ruleset`, so they passed every check a ruleset
file must pass.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..core.facts import (
    MAX_HOURS,
    MAX_RATE,
    MAX_TIMES_PER_YEAR,
    MIN_PROVIDER_RATE,
    Enjoyment,
    Owner,
    Skill,
    Task,
)
from ..core.vocabulary import Kind
from .sampling import INTERESTING_NUMBERS

#: Task categories drawn when none are given: a few ordinary ones (shared by
#: :func:`tasks`, :func:`owners` and :func:`rulesets`, so a task's category is
#: often one of the owner's core competencies or one a rule names) and a few
#: with characters that have tripped rule engines before.
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "invoicing",
    "consulting",
    "design",
    "email",
    "research",
    "café menu",
    "O'Brien's \"quotes\"",
    "back\\slash",
    "$dollar",
    "tab\tnew\nline",
    "日本語",
    "🎉",
    "",
)

#: Task labels drawn when none are given, odd characters included.
DEFAULT_TAGS: tuple[str, ...] = (
    "admin",
    "client-facing",
    "weekly",
    "needs access",
    "ünïcode",
    "quote'\"",
    "$money",
    "a.b[c]",
)


_NAMES = ("Client invoicing", "Book flights", "Update the CRM", "Edit videos", "x")
_LEVELS: dict[Kind, type[Skill] | type[Enjoyment]] = {Kind.SKILL: Skill, Kind.ENJOYMENT: Enjoyment}
_EXTREME_NUMBERS: tuple[float, ...] = (
    -1.5,
    0.1,
    1e-300,
    5e-324,
    2**31,
    # Past 2**53 a rule's integer must be one a float holds exactly (the
    # loader refuses others): 2**53 + 1 is not, 2**53 + 2 and 10**20 are.
    2**53,
    -(2**53),
    2**53 + 2,
    2.0**53 + 2,
    2**63,
    2**64,
    10**20,
    1e20,
    1e300,
)


# --- argument checks ------------------------------------------------------------------


def _texts(value: object, name: str, *, labels: bool) -> tuple[str, ...]:
    """Check an option holding a collection of text values; return it as a tuple."""
    if isinstance(value, str | bytes) or not isinstance(value, Collection):
        raise InvalidArgument(f"{name}={value!r} must be a collection of text, not one string")
    found = tuple(value)
    if not found:
        raise InvalidArgument(f"{name}={value!r} must not be empty")
    for item in found:
        if not isinstance(item, str):
            raise InvalidArgument(f"{name} must hold only text, but holds {item!r}")
        if labels and not item.strip():
            raise InvalidArgument(f"{name} must hold non-blank labels, but holds {item!r}")
    return tuple(dict.fromkeys(found))


def _thresholds(value: object) -> tuple[float, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgument(f"thresholds={value!r} must be a collection of numbers")
    found = tuple(value)
    for item in found:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise InvalidArgument(f"thresholds must hold finite numbers, but holds {item!r}")
    return found


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")
    return value


def _count(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be an integer of at least {minimum}")
    return value


# --- facts --------------------------------------------------------------------------------


def _numbers(
    maximum: float, minimum: float = 0, thresholds: Iterable[float] = ()
) -> st.SearchStrategy[float]:
    """Numbers in ``[minimum, maximum]``, favouring boundaries and thresholds (int and float)."""
    marks: set[float] = {minimum, maximum, *INTERESTING_NUMBERS}
    for t in thresholds:
        # The threshold, the next float either side (a strict comparison's
        # edge), and a step either side in whole and in hundredths.
        marks.update((t, t - 1, t + 1, t - 0.01, t + 0.01))
        marks.update(math.nextafter(float(t), d) for d in (-math.inf, math.inf))
    near = sorted(m for m in marks if minimum <= m <= maximum)
    floats = [float(m) for m in near if float(m) == m]
    return st.one_of(
        st.sampled_from(near),
        st.sampled_from(floats),
        st.integers(math.ceil(minimum), int(maximum)),
        st.floats(minimum, maximum, allow_nan=False, allow_infinity=False),
    )


def _maybe(strategy: st.SearchStrategy[Any], allow_unknown: bool) -> st.SearchStrategy[Any]:
    """*strategy*, or also ``None`` (unknown, tried first when shrinking) if allowed."""
    return st.none() | strategy if allow_unknown else strategy


def _free_text(*, labels: bool) -> st.SearchStrategy[str]:
    text = st.text(max_size=20)
    return text.filter(str.strip) if labels else text


@st.composite
def tasks(
    draw: st.DrawFn,
    *,
    categories: Collection[str] | None = None,
    tags: Collection[str] | None = None,
    thresholds: Iterable[float] = (),
    allow_unknown: bool = True,
) -> Task:
    """Draw valid :class:`~outsourcing_rules.Task` objects, covering every fact.

    *categories* is the pool a task's category is drawn from (default
    :data:`DEFAULT_CATEGORIES` plus arbitrary text); give :func:`owners` the
    same pool so core competencies often match. *tags* is the pool of labels
    (default :data:`DEFAULT_TAGS` plus arbitrary labels); a task's tags are a
    set of them, possibly empty. Numeric facts favour 0, their upper bound
    (:data:`~outsourcing_rules.core.facts.MAX_HOURS` and friends),
    :data:`INTERESTING_NUMBERS` and the *thresholds* given, with the numbers
    either side. One-off tasks come up with no frequency or a frequency of 1.
    With *allow_unknown* (the default) any fact but the name may be unknown
    (``None``), and examples shrink towards unknown facts.
    """
    category_pool = None if categories is None else _texts(categories, "categories", labels=False)
    tag_pool = None if tags is None else _texts(tags, "tags", labels=True)
    parts = _task_parts(
        category_pool, tag_pool, _thresholds(thresholds), _flag(allow_unknown, "allow_unknown")
    )
    one_off = draw(parts["one_off"])
    times = draw(parts["once" if one_off else "times_per_year"])
    return Task(
        **{name: draw(strategy) for name, strategy in parts.items() if name not in _SPECIAL},
        one_off=one_off,
        times_per_year=times,
    )


_SPECIAL = frozenset({"one_off", "once", "times_per_year"})


@functools.lru_cache(maxsize=64)
def _task_parts(
    category_pool: tuple[str, ...] | None,
    tag_pool: tuple[str, ...] | None,
    marks: tuple[float, ...],
    allow_unknown: bool,
) -> dict[str, st.SearchStrategy[Any]]:
    """Build the strategy of each task fact once per set of options (drawing stays cheap)."""

    def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return _maybe(strategy, allow_unknown)

    category = st.sampled_from(category_pool or DEFAULT_CATEGORIES)
    if category_pool is None:
        category |= _free_text(labels=False)
    label = st.sampled_from(tag_pool or DEFAULT_TAGS)
    if tag_pool is None:
        label |= _free_text(labels=True)
    flag = maybe(st.booleans())
    return {
        "name": st.sampled_from(_NAMES) | _free_text(labels=True),
        "description": st.none() | st.text(max_size=30),
        "category": maybe(category),
        "core_competency": flag,
        "only_owner": flag,
        "skill": maybe(st.sampled_from(Skill)),
        "enjoyment": maybe(st.sampled_from(Enjoyment)),
        "one_off": flag,
        # A one-off task happens once: no frequency, or a frequency of 1.
        "once": st.sampled_from([None, 1, 1.0] if allow_unknown else [1, 1.0]),
        "times_per_year": maybe(_numbers(MAX_TIMES_PER_YEAR, thresholds=marks)),
        "hours_each": maybe(_numbers(MAX_HOURS, thresholds=marks)),
        "time_available": flag,
        "repetitive": flag,
        "can_be_eliminated": flag,
        "revenue_generating": flag,
        "procedure_documented": flag,
        "outcome_defined": flag,
        "provider_hourly_rate": maybe(_numbers(MAX_RATE, MIN_PROVIDER_RATE, marks)),
        "tags": maybe(st.frozensets(label, max_size=4)),
    }


@st.composite
def owners(
    draw: st.DrawFn,
    *,
    categories: Collection[str] | None = None,
    thresholds: Iterable[float] = (),
    allow_unknown: bool = True,
) -> Owner:
    """Draw valid :class:`~outsourcing_rules.Owner` objects.

    ``core_competencies`` is a set (possibly empty) drawn from *categories*
    (default :data:`DEFAULT_CATEGORIES`), the same pool :func:`tasks` uses,
    so a task is often core for the owner. The hourly rate favours 0, the
    upper bound, :data:`INTERESTING_NUMBERS` and *thresholds*. With
    *allow_unknown* (the default) each fact may be unknown.
    """
    pool = DEFAULT_CATEGORIES
    if categories is not None:
        pool = _texts(categories, "categories", labels=False)
    parts = _owner_parts(pool, _thresholds(thresholds), _flag(allow_unknown, "allow_unknown"))
    return Owner(**{name: draw(strategy) for name, strategy in parts.items()})


@functools.lru_cache(maxsize=64)
def _owner_parts(
    pool: tuple[str, ...], marks: tuple[float, ...], allow_unknown: bool
) -> dict[str, st.SearchStrategy[Any]]:
    """Build the strategy of each owner fact once per set of options."""
    nameable = [c for c in pool if c.strip()]  # a label cannot be blank
    competencies = (
        st.frozensets(st.sampled_from(nameable), max_size=3) if nameable else st.just(frozenset())
    )
    names = st.sampled_from(["Sally", "Acme"]) | st.text(max_size=20)
    return {
        "name": _maybe(names, allow_unknown),
        "hourly_rate": _maybe(_numbers(MAX_RATE, thresholds=marks), allow_unknown),
        "core_competencies": _maybe(competencies, allow_unknown),
    }


def register_strategies() -> None:
    """Make ``st.from_type(Task)`` and ``st.from_type(Owner)`` draw valid objects.

    Hypothesis calls this through the ``hypothesis`` entry point when it is
    imported; importing :mod:`outsourcing_rules.testing` calls it too.
    """
    st.register_type_strategy(Task, tasks())
    st.register_type_strategy(Owner, owners())
