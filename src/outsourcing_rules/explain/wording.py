"""How a counterfactual is said: as a condition for the rule author, as advice for the owner.

Two voices read the same change. :func:`condition` writes what a rule
author checks ("if the owner's skill were none or basic"); :func:`advice`
writes what the owner can read and act on ("If you found a provider who
charges $125 an hour or less, it would be worth handing off."), with no
rule ids, fact names, parameters or operator words. Changes the owner can
make are said as things to do; the rest as "if ...".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..core.conditions import render_value
from ..core.facts import Enjoyment, Skill, Verdict
from ..core.text import hours, printable, times


@attrs.frozen
class Span:
    """The values of one changed fact, around the new one, that give the same verdict.

    ``low`` and ``high`` are the first and last such values; ``lowest`` and
    ``highest`` say whether the run reaches the smallest and largest value the
    fact can take (so "12 or more times a year" rather than "12 to 40").
    """

    low: Any
    high: Any
    lowest: bool
    highest: bool


_Span = Span

#: Money as a function of an amount; the default writes dollars.
Money = Callable[[float], str]


def _dollars(amount: float) -> str:
    if float(amount).is_integer():
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


_WOULD = {
    Verdict.KEEP: "would be kept",
    Verdict.OUTSOURCE: "would be outsourced",
    Verdict.ELIMINATE: "would be eliminated",
}

_OWNER_WOULD = {
    Verdict.KEEP: "you would keep it yourself",
    Verdict.OUTSOURCE: "it would be worth handing off",
    Verdict.ELIMINATE: "you could drop it altogether",
}


def consequence(verdict: Verdict) -> str:
    """Say what would happen, for the rule author: ``would be outsourced``."""
    return _WOULD[verdict]


# --- which changes are the owner's to make --------------------------------------------


def controlled(name: str, value: Any, previous: Any, span: _Span | None) -> bool:
    """Tell whether setting *name* to *value* is something the owner can do.

    Finding a cheaper provider, writing the procedure down, defining the
    outcome and making time for the task are; everything else (how often it
    comes up, how good the owner is at it, what the owner's hour is worth)
    is a circumstance, not a step to take.
    """
    if name in ("procedure_documented", "outcome_defined", "time_available"):
        return value is True
    if name == "provider_hourly_rate":
        if previous is not None:
            return bool(value < previous)
        return span is not None and span.lowest and not span.highest
    return False


# --- the rule author's words ------------------------------------------------------------

# How each yes/no fact reads when true and when false.
_FLAGS: dict[str, tuple[str, str]] = {
    "core_competency": ("it were a core competency", "it were not a core competency"),
    "only_owner": ("only the owner could do it", "someone other than the owner could do it"),
    "one_off": ("it were a one-off project", "it were a recurring task"),
    "time_available": ("the owner had time for it", "the owner had no time for it"),
    "repetitive": ("it were repetitive", "it were not repetitive"),
    "can_be_eliminated": ("it could be dropped", "it could not be dropped"),
    "revenue_generating": ("it brought in revenue", "it did not bring in revenue"),
    "procedure_documented": (
        "its procedure were written down",
        "its procedure were not written down",
    ),
    "outcome_defined": ("its outcome were defined", "its outcome were not defined"),
}

_FEELINGS = {
    "hate": "hated",
    "dislike": "disliked",
    "neutral": "felt neutral about",
    "like": "liked",
    "love": "loved",
}


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _join_or(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _times(value: Any) -> str:
    return times(value, show=render_value)  # the exact value a threshold crosses at


def _hours(value: Any) -> str:
    return hours(value, show=render_value)


def _range(span: _Span | None, value: Any, show: Callable[[Any], str], more: str, less: str) -> str:
    """Render *value*, or the run of values around it that give the same verdict."""
    if span is None or span.low == span.high:
        return show(value)
    if span.highest:
        return f"{show(span.low)} or {more}"
    if span.lowest:
        return f"{show(span.high)} or {less}"
    return f"between {show(span.low)} and {show(span.high)}"


def _levels(span: _Span | None, value: Any) -> list[Any]:
    """Return the levels a change names: the whole run of its span, lowest first."""
    if span is None:
        return [value]
    return [level for level in type(value) if span.low <= level <= span.high]


def _phrase(name: str, value: Any, previous: Any, span: _Span | None) -> str:
    """Say one change as the clause of a condition, for the rule author."""
    if name in _FLAGS:
        return _FLAGS[name][0 if value else 1]
    if span is not None and span.lowest and span.highest and span.low != span.high:
        return f"{name} were known (any value would do)"
    if name == "times_per_year":
        if span is not None and span.low != span.high:
            shown = _range(span, value, render_value, "more", "fewer")
            return f"it came up {shown} times a year"
        return f"it came up {_times(value)} a year"
    if name == "hours_each":
        return f"it took {_range(span, value, _hours, 'more', 'less')} each time"
    if name == "provider_hourly_rate":
        shown = _range(span, value, lambda v: f"{_dollars(v)} an hour", "more", "less")
        return f"a provider charged {shown}"
    if name == "owner_hourly_rate":
        return f"the owner's hour were worth {_range(span, value, _dollars, 'more', 'less')}"
    if name == "skill":
        return f"the owner's skill were {_join_or([str(v) for v in _levels(span, value)])}"
    if name == "enjoyment":
        feelings = [_FEELINGS[str(v)] for v in _levels(span, value)]
        return f"the owner {_join_or(feelings)} it"
    if name == "category":
        return f"its category were {value}"
    if name == "tags":
        return _tags(value, previous)
    return f"{name} were {render_value(value)}"  # pragma: no cover - every input is named above


def _tags(value: Any, previous: Any) -> str:
    before: frozenset[str] = previous or frozenset()
    added, removed = sorted(value - before), sorted(before - value)
    parts = [f"it were tagged {label}" for label in added]
    parts += [f"it were not tagged {label}" for label in removed]
    return _join(parts) if parts else "its tags were unchanged"


def condition(
    changes: Mapping[str, Any], previous: Mapping[str, Any], spans: Mapping[str, _Span]
) -> str:
    """Say a change as a condition: ``if it came up 12 or more times a year``."""
    parts = [
        _phrase(name, value, previous.get(name), spans.get(name)) for name, value in changes.items()
    ]
    return "if " + _join(parts)


# --- the owner's words ---------------------------------------------------------------

# Yes/no facts as the owner reads them: (true, false), after "if".
_OWNER_FLAGS: dict[str, tuple[str, str]] = {
    "core_competency": ("it were core to your business", "it were not core to your business"),
    "only_owner": ("only you could do it", "someone else could do it"),
    "one_off": ("it were a one-off project", "it came up again and again"),
    "time_available": ("you made time for it", "you had no time for it"),
    "repetitive": ("it were a repetitive routine", "it were not a routine"),
    "can_be_eliminated": ("it could be dropped", "it had to be done"),
    "revenue_generating": ("it brought in money", "it did not bring in money"),
    "procedure_documented": ("you wrote down how it is done", "there were no written procedure"),
    "outcome_defined": ("you defined the result you want", "the result wanted were unclear"),
}

# The same, said as a step to take (only for the changes the owner controls).
_STEPS = {
    "time_available": "make time for it",
    "procedure_documented": "write down how it is done",
    "outcome_defined": "define the result you want from it",
}

_SKILL_WORDS = {
    Skill.NONE: "could not do it at all",
    Skill.BASIC: "knew only the basics of it",
    Skill.COMPETENT: "were competent at it",
    Skill.EXPERT: "were an expert at it",
}

_ENJOYMENT_WORDS = {
    Enjoyment.HATE: "hated it",
    Enjoyment.DISLIKE: "disliked it",
    Enjoyment.NEUTRAL: "did not mind it",
    Enjoyment.LIKE: "liked it",
    Enjoyment.LOVE: "loved it",
}

# Facts named in plain words, for "if you knew ...".
_UNKNOWN_WORDS = {
    "times_per_year": "how often it comes up",
    "hours_each": "how long it takes",
    "provider_hourly_rate": "what a provider charges",
    "owner_hourly_rate": "what your hour is worth",
}


def _skill(levels: list[Any]) -> str:
    if levels == [Skill.NONE, Skill.BASIC]:
        return "were not good at it"
    if levels == [Skill.COMPETENT, Skill.EXPERT]:
        return "were good at it"
    return "you " + _join_or([_SKILL_WORDS[level] for level in levels])


def _enjoyment(levels: list[Any]) -> str:
    if levels == [Enjoyment.HATE, Enjoyment.DISLIKE]:
        return "disliked it"
    if levels == [Enjoyment.LIKE, Enjoyment.LOVE]:
        return "enjoyed it"
    if levels == [Enjoyment.HATE, Enjoyment.DISLIKE, Enjoyment.NEUTRAL]:
        return "did not enjoy it"
    return _join_or([_ENJOYMENT_WORDS[level] for level in levels])


def _owner_phrase(name: str, value: Any, previous: Any, span: _Span | None, money: Money) -> str:
    """Say one change as the owner reads it, after "if"."""
    if name in _OWNER_FLAGS:
        return _OWNER_FLAGS[name][0 if value else 1]
    if span is not None and span.lowest and span.highest and span.low != span.high:
        return f"you knew {_UNKNOWN_WORDS.get(name, 'more about it')}"
    if name == "times_per_year":
        if span is not None and span.low != span.high:
            return f"it came up {_range(span, value, render_value, 'more', 'fewer')} times a year"
        return f"it came up {_times(value)} a year"
    if name == "hours_each":
        return f"it took {_range(span, value, _hours, 'more', 'less')} each time"
    if name == "provider_hourly_rate":
        shown = _range(span, value, lambda v: f"{money(v)} an hour", "more", "less")
        if controlled(name, value, previous, span):
            return f"you found a provider who charges {shown}"
        return f"providers charged {shown}"
    if name == "owner_hourly_rate":
        return f"your hour were worth {_range(span, value, money, 'more', 'less')}"
    if name == "skill":
        found = _skill(_levels(span, value))
        return found if found.startswith("you ") else "you " + found
    if name == "enjoyment":
        return "you " + _enjoyment(_levels(span, value))
    if name == "category":
        return f"it were {printable(value)} work"
    if name == "tags":
        return printable(_tags(value, previous).replace("tagged", "labelled"))
    return "its circumstances changed"  # pragma: no cover - every input is named above


def advice(
    changes: Mapping[str, Any],
    previous: Mapping[str, Any],
    spans: Mapping[str, _Span],
    verdict: Verdict,
    money: Money | None = None,
) -> str:
    """Say a change to the owner as one sentence, a step to take where it is theirs to take.

    ``Write down how it is done, and it would be worth handing off.``
    ``If it came up 12 or more times a year, it would be worth handing off.``
    """
    show = money or _dollars
    outcome = _OWNER_WOULD[verdict]
    items = list(changes.items())
    if all(
        name in _STEPS and controlled(name, value, previous.get(name), spans.get(name))
        for name, value in items
    ):
        steps = _join([_STEPS[name] for name, _ in items])
        return f"{steps[0].upper()}{steps[1:]}, and {outcome}."
    parts = [
        _owner_phrase(name, value, previous.get(name), spans.get(name), show)
        for name, value in items
    ]
    return f"If {_join(parts)}, {outcome}."
