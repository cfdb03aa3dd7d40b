"""How values are written out: safe text, numbers, hours, money, and plain data.

Every layer that writes a task's name, a count of hours, an amount or a
value into JSON or YAML reads these helpers, so each is written one way and
a name can never drive a terminal. Money is formatted by Babel for the
owner's currency and locale (US dollars in ``en_US`` unless the owner says
otherwise).
"""

from __future__ import annotations

import copy
import difflib
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers
from babel.numbers import NumberPattern, format_decimal, list_currencies

from ..errors import FactError

#: The currency and locale money is written in when the owner names none.
DEFAULT_CURRENCY = "USD"
DEFAULT_LOCALE = "en_US"

#: Control characters and line separators, escaped as Python writes them.
_CONTROL = {
    code: repr(chr(code))[1:-1] for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


def printable(text: str) -> str:
    """Return *text* with control characters escaped, so it cannot drive a terminal.

    A task name from an inventory may hold escape sequences or newlines; in
    a table or a summary they would recolour the terminal or break the layout.
    """
    return text.translate(_CONTROL)


@functools.cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@functools.cache
def _locales() -> frozenset[str]:
    return frozenset(locale_identifiers())


def currency_codes() -> frozenset[str]:
    """Return the ISO 4217 codes an owner's ``currency`` may be (those Babel knows)."""
    return _currencies()


def locale_names() -> frozenset[str]:
    """Return the locale identifiers an owner's ``locale`` may be (those Babel knows)."""
    return _locales()


def _close(names: list[str]) -> str:
    return f"; close: {', '.join(names)}" if names else ""


def check_currency(code: str) -> str:
    """Return *code* if it is an ISO 4217 currency Babel knows; else a :class:`FactError`."""
    if code in _currencies():
        return code
    wanted = code.strip().upper()
    # Swapped letters (GPB) first, then what difflib finds close.
    swapped = [c for c in sorted(_currencies()) if sorted(c) == sorted(wanted) and c != wanted]
    close = list(
        dict.fromkeys(
            [
                *([wanted] if wanted in _currencies() else []),
                *swapped,
                *difflib.get_close_matches(wanted, sorted(_currencies()), n=3, cutoff=0.5),
            ]
        )
    )[:3]
    raise FactError(
        "currency",
        code,
        "is not a currency code Babel knows (ISO 4217, e.g. USD, GBP, EUR)" + _close(close),
        suggestion=close[0] if close else None,
    )


def check_locale(identifier: str) -> str:
    """Return *identifier* if Babel knows the locale; else a :class:`FactError` with close ones."""
    try:
        known = identifier in _locales() and Locale.parse(identifier) is not None
    except (UnknownLocaleError, ValueError, TypeError):
        known = False
    if not known:
        wanted = str(identifier).replace("-", "_")
        uk = wanted[:-3] + "_GB" if wanted.upper().endswith("_UK") else None  # the usual slip
        close = [
            *([uk] if uk in _locales() else []),
            *difflib.get_close_matches(wanted, sorted(_locales()), n=3, cutoff=0.6),
        ][:3]
        raise FactError(
            "locale",
            identifier,
            "is not a locale Babel knows (e.g. en_US, en_GB, de_DE)" + _close(close),
            suggestion=close[0] if close else None,
        )
    return identifier


@functools.cache
def _whole_pattern(locale: str) -> tuple[Locale, NumberPattern]:
    found = Locale.parse(locale)
    pattern = copy.copy(found.currency_formats["standard"])
    pattern.frac_prec = (0, 0)  # whole units: "about $720", never "$720.00"
    return found, pattern


def money(amount: float | None, currency: str | None = None, locale: str | None = None) -> str:
    """Write an amount in whole units of *currency* for *locale*: ``$44,200``, ``£720``.

    ``unknown`` for ``None``; a negative amount keeps its sign (say a cost
    as a cost in the sentence instead of showing a minus to the owner).
    """
    if amount is None:
        return "unknown"
    found, pattern = _whole_pattern(locale or DEFAULT_LOCALE)
    shown: str = pattern.apply(
        round(amount), found, currency=currency or DEFAULT_CURRENCY, currency_digits=False
    )
    return shown


def number(value: float, locale: str | None = None) -> str:
    """Write a number with at most one decimal: ``6.7``, ``3``, ``1,040``."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=locale or DEFAULT_LOCALE)


def count(
    amount: float,
    singular: str,
    plural: str | None = None,
    *,
    show: Callable[[float], str] = number,
) -> str:
    """Write *amount* of a thing with the right plural: ``1 hour``, ``2.5 hours``.

    *show* writes the number (by default :func:`number`, one decimal at
    most); the plural follows what it wrote, so ``1.004`` shown as ``1`` is
    ``1 hour``.
    """
    shown = show(amount)
    word = singular if shown == "1" else (plural or singular + "s")
    return f"{shown} {word}"


def hours(amount: float, *, show: Callable[[float], str] = number) -> str:
    """Write a number of hours: ``1 hour``, ``0.7 hours``, ``36 hours``."""
    return count(amount, "hour", show=show)


def times(amount: float, *, show: Callable[[float], str] = number) -> str:
    """Write how often: ``once``, ``twice``, ``3 times``."""
    shown = show(amount)
    if shown == "1":
        return "once"
    if shown == "2":
        return "twice"
    return f"{shown} times"


def join_and(items: Iterable[str]) -> str:
    """Join phrases as a sentence does: ``a``, ``a and b``, ``a, b and c``."""
    listed = [item for item in items if item]
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def plain(value: Any) -> Any:
    """Turn library values into JSON- and YAML-ready data.

    Verdicts become their value, levels their name; sets become sorted lists
    (by type, then value); tuples lists; mappings are converted value by
    value. Everything else is returned as it is.
    """
    if isinstance(value, enum.Enum):  # Verdict by value; Skill, Enjoyment by name
        return value.value if isinstance(value.value, str) else str(value)
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=lambda v: (type(v).__name__, v))
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
