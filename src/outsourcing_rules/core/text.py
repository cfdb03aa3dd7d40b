"""How values are written for people: safe text and money.

Every layer that writes a task's name or an amount reads these two helpers,
so a name can never drive a terminal and an amount is written one way.
"""

from __future__ import annotations

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
