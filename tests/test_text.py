"""How values are written for people (core.text): amounts of money and safe names."""

from __future__ import annotations

import pytest

from outsourcing_rules.core.text import money, printable


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (44_200, "$44,200"),
        (1_234_567.4, "$1,234,567"),
        (0, "$0"),
        (0.4, "$0"),
        (0.6, "$1"),
        (-3_120, "-$3,120"),
        (-0.4, "-$0"),
    ],
)
def test_money_has_one_dollar_sign_thousands_separators_and_the_sign_before_it(
    amount: float, written: str
) -> None:
    """An amount is whole dollars with separators; a loss puts the minus before the ``$``."""
    assert money(amount) == written
    assert "$-" not in money(amount)


def test_a_zero_or_small_gain_is_never_written_as_a_loss() -> None:
    """Nothing at or above zero carries a minus sign: saving nothing is not losing."""
    assert not money(0).startswith("-")
    assert not money(0.9).startswith("-")


def test_an_unknown_amount_is_said_to_be_unknown_not_zero() -> None:
    """A missing figure is the word ``unknown``: writing ``$0`` would claim a value."""
    assert money(None) == "unknown"
    assert "$" not in money(None)


def test_printable_escapes_what_could_drive_a_terminal_and_keeps_the_rest() -> None:
    """Escape sequences, newlines and line separators become visible escapes; text stays."""
    name = "Pay\x1b[31m bills\nnow\u2028ok café"
    shown = printable(name)
    assert shown == "Pay\\x1b[31m bills\\nnow\\u2028ok café"
    assert "\x1b" not in shown
    assert "\n" not in shown
    assert printable("Book flights") == "Book flights"
