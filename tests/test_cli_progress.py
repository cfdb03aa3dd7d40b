"""The progress bars (rich): drawn on a terminal with counts in thousands, silent otherwise."""

from __future__ import annotations

import io

from outsourcing_rules.cli.progress import Bars, is_terminal


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_bars_count_with_thousands_separators_on_a_terminal() -> None:
    """Each phase shows its counts written with separators; the bars are cleared at the end."""
    stream = _Terminal()
    with Bars(stream) as bars:
        assert bars.active
        deciding = bars.phase("deciding", 1_234_567)
        assert list(deciding.wrap(range(3))) == [0, 1, 2]
        deciding.advance(1_234_564)
        reading = bars.phase("reading", 2_500_000, unit="bytes")
        reading(1_250_000, 2_500_000)
    text = stream.getvalue()
    assert "deciding" in text
    assert "1,234,567/1,234,567 rows" in text
    assert "1.2/2.5 MB" in text or "1.3/2.5 MB" in text
    assert "1234567" not in text  # never a count without its separators
    # transient: the last thing written moves up and erases the lines drawn
    assert text.endswith("\x1b[2K")


def test_silent_when_not_a_terminal() -> None:
    """On a pipe or a file, nothing at all is written, whatever is counted."""
    stream = io.StringIO()
    with Bars(stream) as bars:
        assert not bars.active
        phase = bars.phase("deciding", 10)
        assert list(phase.wrap(range(10))) == list(range(10))
        phase(10, 10)
        phase.total(20)
        phase.finish()
    assert stream.getvalue() == ""


def test_a_closed_stream_is_not_a_terminal() -> None:
    """A closed or odd stream counts as no terminal rather than failing."""
    closed = io.StringIO()
    closed.close()
    assert not is_terminal(closed)
    assert not is_terminal(object())  # type: ignore[arg-type]
