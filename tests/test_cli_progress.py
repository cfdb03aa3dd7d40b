"""The progress counter: drawn in place on a terminal for large runs, silent otherwise."""

from __future__ import annotations

import io

from outsourcing_rules.cli.progress import MIN_ITEMS, Counter


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_counts_in_place_on_a_terminal() -> None:
    """Each update starts with a carriage return; the last one shows the total."""
    stream = _Terminal()
    counter = Counter("deciding", 1000, stream=stream)
    assert list(counter.wrap(range(1000))) == list(range(1000))
    text = stream.getvalue()
    assert text.startswith("\rdeciding ")
    assert text.endswith("\rdeciding 1,000/1,000")
    assert "\n" not in text
    assert text.count("\r") <= 201  # redrawn at most about 200 times
    counter.finish()
    assert stream.getvalue().endswith("\r" + " " * len("\rdeciding 1,000/1,000") + "\r")


def test_silent_when_not_a_terminal() -> None:
    """Pipes and files never see the counter."""
    stream = io.StringIO()
    counter = Counter("deciding", 10_000, stream=stream)
    for done in range(1, 10_001):
        counter(done)
    counter.finish()
    assert stream.getvalue() == ""
    assert not counter.active


def test_silent_for_small_runs() -> None:
    """A run smaller than MIN_ITEMS finishes too soon to need a counter."""
    stream = _Terminal()
    counter = Counter("deciding", MIN_ITEMS - 1, stream=stream)
    list(counter.wrap(range(MIN_ITEMS - 1)))
    counter.finish()
    assert stream.getvalue() == ""


def test_a_closed_stream_is_not_a_terminal() -> None:
    """A stream whose isatty fails is treated as not a terminal."""
    stream = io.StringIO()
    stream.close()
    assert not Counter("x", 10**6, stream=stream).active


def test_callable_with_a_total() -> None:
    """Report writers call it with (done, total)."""
    stream = _Terminal()
    counter = Counter("writing", 600, stream=stream, minimum=1)
    counter(600, 600)
    assert stream.getvalue() == "\rwriting 600/600"
