"""What goes wrong in frames (a missing extra, bad cells); the optional libraries.

The optional libraries of :mod:`outsourcing_rules.frames`, imported only when used.

The core install stays light: polars and pyarrow come with the ``frames``
extra, Dask with ``dask`` and PySpark with ``spark``. Asking for a frames
function without its extra raises
:class:`~outsourcing_rules.MissingExtraError`, an :class:`ImportError`
that says which extra to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import attrs

from ..core.facts import Task, fact_fields
from ..errors import FactError, InventoryError, MissingExtraError

#: The columns a frame of tasks may hold: the task's facts, in declaration order.
TASK_COLUMNS: tuple[str, ...] = tuple(fact_fields(Task))


def need(module: str, extra: str) -> ModuleType:
    """Import *module*, or raise :class:`MissingExtraError` naming the *extra* that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError("outsourcing_rules.frames", extra, module.split(".")[0]) from exc


class FrameError(InventoryError):
    """Cells of a frame are invalid: one :class:`~outsourcing_rules.FactError` a bad cell.

    Each names the row (``item``: ``row 3``, by the index of a pandas frame,
    else by position), the column (``field``), the value and what was
    expected. ``rows`` holds the position of every bad row, however many.
    """

    def __init__(
        self, errors: Sequence[FactError], *, more: int = 0, rows: Sequence[int] = ()
    ) -> None:
        super().__init__(errors, more=more)
        self.rows: tuple[int, ...] = tuple(rows)

    def __reduce__(self) -> Any:
        return (_frame_error, (self.errors, self.more, self.rows))

    def _render(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.more:
            lines.append(f"... and {self.more:,} more invalid cells")
        return "\n".join(lines)


def _frame_error(errors: tuple[FactError, ...], more: int, rows: tuple[int, ...]) -> FrameError:
    return FrameError(errors, more=more, rows=rows)


@attrs.define
class Cells:
    """The bad cells found: ``(position, column, error)``."""

    found: list[tuple[int, str, FactError]] = attrs.field(factory=list)

    def add(self, position: int, column: str, error: FactError) -> None:
        """Record that the cell at *position* of *column* is bad."""
        self.found.append((position, column, error))

    def positions(self) -> list[int]:
        """Return the positions of the bad rows, each once, in order."""
        return sorted({p for p, _, _ in self.found})

    def error(self, label: Callable[[int], str]) -> FrameError:
        """One error naming every bad cell (the first hundred in full), rows by *label*."""
        ordered = sorted(self.found, key=lambda found: (found[0], TASK_COLUMNS.index(found[1])))
        limit = InventoryError.MAX_REPORTED
        shown = [e.located(path=None, line=None, item=label(p)) for p, _, e in ordered[:limit]]
        return FrameError(shown, more=max(0, len(ordered) - limit), rows=self.positions())

    def messages(self, label: Callable[[int], str]) -> dict[int, str]:
        """For each bad row, what is wrong with it, in one line."""
        by_row: dict[int, list[str]] = {}
        for position, _, error in sorted(self.found, key=lambda f: f[0]):
            by_row.setdefault(position, []).append(str(error))
        return {p: "; ".join(lines) for p, lines in by_row.items()}
