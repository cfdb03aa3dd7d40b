"""A Parquet inventory read batch by batch: columns named as task facts, already typed.

Column names match fact names whatever their case; a name close to a fact
name is an error with a did-you-mean, a fact twice is an error, and other
columns are left out with one
:class:`~outsourcing_rules.planning.InventoryWarning`, as for a CSV header.
The cells are checked by :func:`~outsourcing_rules.frames.decide_frame`
itself; :func:`placed` turns its errors' batch positions into rows of the
whole file.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import FactError, suggest
from ..planning.inventory import InventoryWarning
from .problems import TASK_COLUMNS, FrameError, need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

#: Rows read a batch (``OUTSOURCING_RULES_PARQUET_ROWS`` overrides).
BATCH_ROWS = 65_536


def batch_rows() -> int:
    """Return the rows to read a batch."""
    text = os.environ.get("OUTSOURCING_RULES_PARQUET_ROWS", "")
    return int(text) if text.isdigit() and int(text) > 0 else BATCH_ROWS


class ParquetBatches:
    """The task columns of a Parquet file, one polars frame a batch, renamed to fact names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.position = 0
        self.rows_read = 0
        try:
            self.file = pq.ParquetFile(str(path))
        except (pa.ArrowException, OSError) as exc:
            raise FactError(
                "file", str(path), f"cannot be read as Parquet: {exc}", path=str(path)
            ) from None
        self.columns = _columns(self.file.schema_arrow.names, path)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        for part in self.parts():
            yield self.frame(part)

    def parts(self) -> Iterator[pa.RecordBatch]:
        """Yield the file's batches as Arrow reads them: :meth:`frame` makes each a frame."""
        wanted = list(self.columns)
        total = self.file.metadata.num_rows or 1
        for batch in self.file.iter_batches(batch_size=batch_rows(), columns=wanted):
            self.rows_read += batch.num_rows
            self.position = self.size * self.rows_read // total
            yield batch

    def frame(self, part: pa.RecordBatch) -> pl.DataFrame:
        """Return a part (:meth:`parts`) as a polars frame, its columns named as facts."""
        frame = pl.from_arrow(part)
        assert isinstance(frame, pl.DataFrame)
        return frame.rename(self.columns)


def _columns(names: list[str], path: Path) -> dict[str, str]:
    """Return the fact of each column read, by its name in the file."""
    found: dict[str, str] = {}
    left_out = []
    for name in names:
        fact = name.strip().lower()
        if fact not in TASK_COLUMNS:
            hint = suggest(fact, TASK_COLUMNS)
            if hint is not None:
                raise FactError(
                    name,
                    name,
                    "is not a task fact (Parquet column)",
                    suggestion=hint,
                    path=str(path),
                )
            left_out.append(name)
        elif fact in found.values():
            raise FactError(
                name, name, f"is a column twice (Parquet): {fact} has one column", path=str(path)
            )
        else:
            found[name] = fact
    if "name" not in found.values():
        raise FactError(
            "name", None, "is required: a Parquet inventory needs a name column", path=str(path)
        )
    if left_out:
        warnings.warn(
            f"{path}: columns that are not task facts are left out: {', '.join(left_out)}",
            InventoryWarning,
            stacklevel=3,
        )
    return found


_ROW = re.compile(r"row (\d+)")


def placed(error: FrameError, path: str, first: int) -> FrameError:
    """Return *error* with its rows counted from the start of the file at *path*.

    A batch's rows are numbered from 0 in the batch; *first* is the row of
    the file its first row is.
    """

    def shifted(item: str | None) -> str | None:
        found = _ROW.fullmatch(item or "")
        return f"row {int(found.group(1)) + first}" if found else item

    errors = [e.located(path=path, line=None, item=shifted(e.item)) for e in error.errors]
    rows = [row + first for row in error.rows]
    return FrameError(errors, more=error.more, rows=rows)
