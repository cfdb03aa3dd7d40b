"""A progress counter for long runs, on standard error when it is a terminal.

Deciding or reporting on a large inventory can take a while; a counter
redrawn in place with a carriage return (``deciding 1,200/5,000``) shows it
is moving. It is only drawn when the stream is a terminal and the run is
large, so pipes, files and logs never see it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

#: Runs with fewer items than this finish too soon to need a counter.
MIN_ITEMS = 500

_T = TypeVar("_T")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or odd stream
        return False


class Counter:
    """Count *total* items of a step called *label*, redrawn in place on *stream*.

    Silent unless *stream* (standard error by default) is a terminal and
    *total* is at least *minimum*. Call it with the number done, or wrap an
    iterable with :meth:`wrap`; :meth:`finish` clears the line.
    """

    def __init__(
        self,
        label: str,
        total: int,
        *,
        stream: IO[str] | None = None,
        minimum: int = MIN_ITEMS,
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.active = total >= minimum and _is_terminal(self.stream)
        self._step = max(1, total // 200)
        self._width = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        """Show that *done* items of the total are finished."""
        if not self.active or (done % self._step and done != (total or self.total)):
            return
        text = f"\r{self.label} {done:,}/{total or self.total:,}"
        self._width = max(self._width, len(text))
        self.stream.write(text)
        self.stream.flush()

    def wrap(self, items: Iterable[_T]) -> Iterator[_T]:
        """Yield *items*, counting each one."""
        for done, item in enumerate(items, start=1):
            yield item
            self(done)

    def finish(self) -> None:
        """Clear the counter's line, if one was drawn."""
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
