"""Facts about a task and its owner: frozen, validated attrs classes.

A fact that is not given is ``None``: unknown, not false. Values are checked
when the object is built, so no invalid fact ever reaches an engine: wrong
types, negative hours or rates, non-finite or out-of-bounds numbers, text
longer than :data:`MAX_TEXT` or holding a lone surrogate, and unknown enum
names raise :class:`~outsourcing_rules.FactError` naming the field and the
value (shown cut short: a message never echoes a huge value whole).
Nothing is coerced silently: ``"4"`` is not a number of hours and ``1`` is
not ``True``. The one convenience is that ordered enums accept their names
(``skill="basic"``), which are unambiguous.
"""

from __future__ import annotations

import enum
import math
import reprlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs
import cattrs

from ..errors import FactError, InventoryError, suggest


class _NamedLevel(enum.IntEnum):
    """An ordered level that reads and writes as its lower-case name."""

    def __str__(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    @classmethod
    def names(cls) -> list[str]:
        """Return the lower-case names of the levels, lowest first."""
        return [m.name.lower() for m in cls]

    @classmethod
    def parse(cls, value: object) -> Any:
        """Return the level named *value* (case-insensitive), else *value* unchanged."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls[value.strip().upper()]
            except KeyError:
                return value
        return value


class Skill(_NamedLevel):
    """How good the owner is at a task: ``NONE < BASIC < COMPETENT < EXPERT``."""

    NONE = 0
    BASIC = 1
    COMPETENT = 2
    EXPERT = 3


class Enjoyment(_NamedLevel):
    """How the owner feels about a task: ``HATE < DISLIKE < NEUTRAL < LIKE < LOVE``."""

    HATE = 0
    DISLIKE = 1
    NEUTRAL = 2
    LIKE = 3
    LOVE = 4


class Verdict(enum.Enum):
    """What to do with a task: keep it, outsource it, or stop doing it."""

    KEEP = "keep"
    OUTSOURCE = "outsource"
    ELIMINATE = "eliminate"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: object) -> Verdict:
        """Return the verdict named *value* (``"keep"``, ``"outsource"``, ``"eliminate"``)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        raise ValueError(
            f"{value!r} is not a verdict; use one of {', '.join(v.value for v in cls)}"
        )


#: Upper bounds on numeric facts. They are far beyond any real task (a task
#: every minute of the year, a year of hours each time) and keep every derived
#: figure finite.
MAX_TIMES_PER_YEAR = 1_000_000
MAX_HOURS = 10_000
MAX_RATE = 1_000_000_000
#: A provider's rate must be at least this (a cent an hour), so ratios stay finite.
MIN_PROVIDER_RATE = 0.01
#: The longest text a fact may hold (a name, a category, a label), in
#: characters: far beyond any real one, and short enough that every engine
#: compares it whole (durable-rules miscompares values of 64 KiB or more).
MAX_TEXT = 10_000
#: Past this, a double cannot hold every integer, and durable-rules compares
#: an integer with a float as two doubles where Python compares them
#: exactly. So an integer rule constant past it must be one a double holds
#: exactly, and a derived figure past it is carried as a float.
MAX_EXACT_INTEGER = 2**53

# --- validators -------------------------------------------------------------

_V = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(attribute: attrs.Attribute[Any], value: object, message: str) -> FactError:
    return FactError(attribute.name, value, message)


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlist = _short.maxtuple = _short.maxset = _short.maxfrozenset = _short.maxdict = 6


def _show(value: object) -> str:
    """Return ``repr(value)`` cut short: an error message never echoes a huge value whole."""
    if isinstance(value, int) and value.bit_length() > 10_000:  # repr might refuse it
        return "an integer of more than 3,000 digits"
    return _short.repr(value)


def _text_problem(value: str) -> str | None:
    """Say what is wrong with *value* as the text of a fact, if anything."""
    if len(value) > MAX_TEXT:
        return f"must be at most {MAX_TEXT:,} characters, got {len(value):,}"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # only lone surrogates fail
            return "holds a lone surrogate, which is not a character (a broken escape?)"
    return None


def _key_name(key: object) -> str:
    """Name a mapping key in a message: plain text as written, anything else as a short repr."""
    if isinstance(key, str) and key.isprintable() and key.strip() == key and 0 < len(key) <= 60:
        return key
    return _show(key)


def _optional_bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise _fail(attribute, value, f"must be true or false, not {_show(value)}")


def _number(*, maximum: float, minimum_positive: float | None = None) -> _V:
    """Check an optional number: finite, not negative, at most *maximum*.

    The bounds are far beyond any real task and keep every derived figure
    (hours times rates) finite and exact enough for both engines.
    """

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(attribute, value, f"must be a number, not {_show(value)}")
        if isinstance(value, int) and value > maximum:  # before isfinite, which floats it
            raise _fail(attribute, value, f"must be at most {maximum:,}, got {_show(value)}")
        if not math.isfinite(value):
            raise _fail(attribute, value, f"must be a finite number, not {value!r}")
        if value < 0:
            raise _fail(attribute, value, f"must not be negative, got {value!r}")
        if value > maximum:
            raise _fail(attribute, value, f"must be at most {maximum:,}, got {value!r}")
        if minimum_positive is not None and value < minimum_positive:
            raise _fail(attribute, value, f"must be at least {minimum_positive:g}, got {value!r}")

    return check


def _optional_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise _fail(attribute, value, f"must be text, not {_show(value)}")
    problem = _text_problem(value)
    if problem is not None:
        raise _fail(attribute, value, problem)


def _required_name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise _fail(attribute, value, f"must be text, not {_show(value)}")
    if not value.strip():
        raise _fail(attribute, value, "must not be empty")
    problem = _text_problem(value)
    if problem is not None:
        raise _fail(attribute, value, problem)


def _level(cls: type[_NamedLevel]) -> _V:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, cls):
            raise FactError(
                attribute.name,
                value,
                f"{_show(value)} is not one of {', '.join(cls.names())}",
                # Closer than for keys: "novice" is not a misspelt "none".
                suggestion=suggest(value.strip().lower(), cls.names(), cutoff=0.75)
                if isinstance(value, str)
                else None,
            )

    return check


def _labels(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, frozenset):
        raise _fail(attribute, value, f"must be a list of text labels, not {_show(value)}")
    for label in value:
        if not isinstance(label, str) or not label.strip():
            raise _fail(attribute, value, f"every label must be non-empty text, not {_show(label)}")
        problem = _text_problem(label)
        if problem is not None:
            raise _fail(attribute, value, f"a label {problem.replace('must be', 'may be')}")


def _currency(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _optional_text(inst, attribute, value)
    if value is not None:
        from .text import check_currency

        check_currency(str(value))


def _locale(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _optional_text(inst, attribute, value)
    if value is not None:
        from .text import check_locale

        check_locale(str(value))


def _parse_skill(value: object) -> Any:
    return Skill.parse(value)


def _parse_enjoyment(value: object) -> Any:
    return Enjoyment.parse(value)


def _to_labels(value: object) -> object:
    """Turn a list, tuple or set of labels into a frozenset; leave anything else as is."""
    if isinstance(value, list | tuple | set):
        return frozenset(value) if all(isinstance(v, str) for v in value) else value
    return value


def _one_off_problem(one_off: object, times_per_year: object) -> FactError | None:
    """Return the error for a one-off task said to happen more than once, if it is one."""
    if one_off is True and times_per_year not in (None, 1):
        return FactError(
            "times_per_year",
            times_per_year,
            "a one-off task (one_off: true) happens once; leave times_per_year out or set it to 1",
        )
    return None


# --- the facts ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Task:
    """One task the owner does, with everything known about it.

    Only ``name`` is required; every other fact defaults to ``None``
    (unknown). ``name`` and ``description`` are for people and never change a
    verdict.
    """

    name: str = attrs.field(validator=_required_name)
    description: str | None = attrs.field(default=None, validator=_optional_text)
    category: str | None = attrs.field(default=None, validator=_optional_text)
    core_competency: bool | None = attrs.field(default=None, validator=_optional_bool)
    only_owner: bool | None = attrs.field(default=None, validator=_optional_bool)
    skill: Skill | None = attrs.field(default=None, converter=_parse_skill, validator=_level(Skill))
    enjoyment: Enjoyment | None = attrs.field(
        default=None, converter=_parse_enjoyment, validator=_level(Enjoyment)
    )
    times_per_year: float | None = attrs.field(
        default=None, validator=_number(maximum=MAX_TIMES_PER_YEAR)
    )
    one_off: bool | None = attrs.field(default=None, validator=_optional_bool)
    hours_each: float | None = attrs.field(default=None, validator=_number(maximum=MAX_HOURS))
    time_available: bool | None = attrs.field(default=None, validator=_optional_bool)
    repetitive: bool | None = attrs.field(default=None, validator=_optional_bool)
    can_be_eliminated: bool | None = attrs.field(default=None, validator=_optional_bool)
    revenue_generating: bool | None = attrs.field(default=None, validator=_optional_bool)
    procedure_documented: bool | None = attrs.field(default=None, validator=_optional_bool)
    outcome_defined: bool | None = attrs.field(default=None, validator=_optional_bool)
    provider_hourly_rate: float | None = attrs.field(
        default=None, validator=_number(maximum=MAX_RATE, minimum_positive=MIN_PROVIDER_RATE)
    )
    tags: frozenset[str] | None = attrs.field(default=None, converter=_to_labels, validator=_labels)

    def __attrs_post_init__(self) -> None:
        problem = _one_off_problem(self.one_off, self.times_per_year)
        if problem is not None:
            raise problem

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """Build a task from plain data (a YAML, JSON or CSV-row mapping).

        Values are checked as in the constructor and never coerced. Every
        problem is reported at once: one :class:`~outsourcing_rules.FactError`
        for a single bad fact, an :class:`~outsourcing_rules.InventoryError`
        listing each (``errors``) for several; unknown keys and misspelt
        levels come with a did-you-mean.
        """
        return _structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """Return the task as plain data, leaving out unknown facts."""
        return _unstructure(self)


@attrs.frozen(kw_only=True)
class Owner:
    """The business owner: what an hour of their time is worth and what is core.

    ``core_competencies`` are task categories that are the heart of the
    business; a task in one of them is a core competency. ``currency`` (an
    ISO 4217 code, ``"GBP"``) and ``locale`` (``"en_GB"``) say how money is
    written for this owner; unknown means US dollars in ``en_US``.
    """

    name: str | None = attrs.field(default=None, validator=_optional_text)
    hourly_rate: float | None = attrs.field(default=None, validator=_number(maximum=MAX_RATE))
    core_competencies: frozenset[str] | None = attrs.field(
        default=None, converter=_to_labels, validator=_labels
    )
    currency: str | None = attrs.field(default=None, validator=_currency)
    locale: str | None = attrs.field(default=None, validator=_locale)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Owner:
        """Build an owner from plain data; every unknown key and bad value is reported at once."""
        return _structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """Return the owner as plain data, leaving out unknown facts."""
        return _unstructure(self)


# --- plain data in and out ---------------------------------------------------------

# Plain data in is checked field by field (_structure); out, cattrs unstructures.
_converter = cattrs.Converter()
_converter.register_unstructure_hook(Skill, str)
_converter.register_unstructure_hook(Enjoyment, str)
_converter.register_unstructure_hook_func(lambda t: t == frozenset[str], sorted)

_T = TypeVar("_T", Task, Owner)

#: The most unknown keys one mapping's error names; the rest are counted, so
#: a hostile mapping cannot flood a log.
_MAX_UNKNOWN_NAMED = 10


def _structure(data: Mapping[str, Any], cls: type[_T]) -> _T:
    if not isinstance(data, Mapping):
        raise FactError(
            cls.__name__.lower(),
            data,
            f"must be a mapping of fact names to values, not {_show(data)}",
        )
    fields = attrs.fields_dict(cls)
    # Keys may be anything a caller put in a dict: name them as text, read them as given.
    unknown = sorted((k for k in data if k not in fields), key=lambda k: (str(k), repr(k)))
    if not unknown and (cls is not Task or "name" in data):
        try:  # the common case: valid facts, checked once by the constructor
            return cls(**data)
        except FactError:
            pass  # find every problem, not only the first
    problems: list[FactError] = []
    for key in unknown[:_MAX_UNKNOWN_NAMED]:
        problems.append(
            FactError(
                _key_name(key),
                data[key],
                "unknown fact",
                suggestion=suggest(key, fields) if isinstance(key, str) else None,
            )
        )
    if cls is Task and "name" not in data:
        problems.append(FactError("name", None, "is required"))
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            continue
        value = data[name]
        converter = field.converter
        if callable(converter):
            value = converter(value)
        try:
            if field.validator is not None:
                field.validator(None, field, value)
        except FactError as error:
            problems.append(error)
        else:
            values[name] = value
    if cls is Task:
        one_off = _one_off_problem(values.get("one_off"), values.get("times_per_year"))
        if one_off is not None:
            problems.append(one_off)
    more = max(0, len(unknown) - _MAX_UNKNOWN_NAMED)
    if len(problems) == 1 and not more:
        raise problems[0]
    if problems:
        raise InventoryError(problems, more=more)
    return cls(**values)


def _unstructure(obj: Task | Owner) -> dict[str, Any]:
    raw: dict[str, Any] = _converter.unstructure(obj)
    return {k: v for k, v in raw.items() if v is not None}


def fact_fields(cls: type[Task] | type[Owner]) -> Iterable[str]:
    """Return the names of the facts *cls* holds, in declaration order."""
    return [a.name for a in attrs.fields(cls)]


def task_fields_holding(kind: Any) -> tuple[str, ...]:
    """Return the names of the task's fields declared as *kind* or unknown, in order.

    ``task_fields_holding(bool)`` names the yes-or-no facts. Readers of text
    (CSV cells) and generators of tasks ask the class rather than keep lists.
    """
    wanted = kind | None
    return tuple(a.name for a in attrs.fields(attrs.resolve_types(Task)) if a.type == wanted)
