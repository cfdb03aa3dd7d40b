"""Progress bars for long runs, drawn by rich on standard error when it is a terminal.

Reading, deciding and writing a large inventory can take a while; one bar a
phase (``reading``, ``deciding``, ``writing``), with its counts written with
thousands separators, shows the run is moving. Nothing is drawn unless the
stream is a terminal, so pipes, files and logs never see a bar, and the
bars are cleared when the run ends (``transient``): what stays on the
screen is the output and the warnings.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

_T = TypeVar("_T")


def is_terminal(stream: IO[str]) -> bool:
    """Return True when *stream* is a terminal (False for a pipe, a file or a closed stream)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or odd stream
        return False


class Phase:
    """One phase's bar: :meth:`advance` by what was done, or :meth:`wrap` an iterable.

    A phase of a silent :class:`Bars` does nothing, cheaply.
    """

    def __init__(self, progress: Progress | None, task: TaskID | None) -> None:
        self._progress = progress
        self._task = task

    def advance(self, done: float = 1) -> None:
        """Add *done* to what the phase has done."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, done)

    def total(self, total: float | None) -> None:
        """Set (or learn late) the phase's total."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=total)

    def __call__(self, done: int, total: int | None = None) -> None:
        """Show that *done* items (of *total*) are finished: a renderer's ``progress`` callback."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total)

    def wrap(self, items: Iterable[_T]) -> Iterator[_T]:
        """Yield *items*, counting each one."""
        for item in items:
            yield item
            self.advance()

    def finish(self) -> None:
        """Mark the phase complete (its bar full)."""
        if self._progress is not None and self._task is not None:
            task = self._progress.tasks[self._task]
            total = task.total if task.total is not None else task.completed
            self._progress.update(self._task, total=total, completed=total)


class Bars(contextlib.AbstractContextManager["Bars"]):
    """The progress bars of one run, on *stream* (standard error by default).

    Silent unless *stream* is a terminal. Use it as a context manager and
    start each phase with :meth:`phase`; the bars are cleared on exit.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.active = is_terminal(self.stream)
        self._progress: Progress | None = None
        if self.active:
            self._progress = Progress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[count]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream, force_terminal=True),
                transient=True,
                # Standard output is the command's output: never drawn into the bars.
                redirect_stdout=False,
                redirect_stderr=False,
            )

    def __enter__(self) -> Bars:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def phase(self, label: str, total: float | None = None, *, unit: str = "rows") -> Phase:
        """Start a bar called *label* counting *unit* up to *total* (None: not known yet)."""
        if self._progress is None:
            return Phase(None, None)
        task = self._progress.add_task(label, total=total, count="")
        phase = Phase(self._progress, task)
        self._progress.update(task, count=_Count(self._progress, task, unit))
        return phase


class _Count:
    """The counts of a bar, rendered when drawn: ``12,345/1,000,000 rows``."""

    def __init__(self, progress: Progress, task: TaskID, unit: str) -> None:
        self._progress = progress
        self._task = task
        self._unit = unit

    def __str__(self) -> str:
        task = self._progress.tasks[self._task]
        done = int(task.completed)
        if self._unit == "bytes":
            shown = f"{done / 1e6:,.1f}"
            if task.total is not None:
                shown += f"/{task.total / 1e6:,.1f}"
            return f"{shown} MB"
        shown = f"{done:,}"
        if task.total is not None:
            shown += f"/{int(task.total):,}"
        return f"{shown} {self._unit}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
