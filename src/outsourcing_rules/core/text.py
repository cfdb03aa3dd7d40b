"""How values are written out: safe text, money, hours, and plain data.

Every layer that writes a task's name, an amount, a number of hours or a
value into JSON or YAML reads these helpers, so each is written one way and
a name can never drive a terminal.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

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


def money(amount: float | None) -> str:
    """Render an amount of money: ``$44,200``; ``unknown`` for ``None``."""
    if amount is None:
        return "unknown"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.0f}"


def hours(value: float) -> str:
    """Say a number of hours: ``1 hour``, ``2.5 hours`` (one decimal at most)."""
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown} hour" if shown == "1" else f"{shown} hours"


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
