"""Where the command line writes: standard output, or a file replaced whole; table formats.

A file named with ``-o`` is written to a temporary file in the same folder
and renamed over the target only once complete (``os.replace`` is atomic
on one file system), so an interrupted run never leaves a half-written
file, and a reader never sees one.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, overload

from ..decisions import Decision
from ..errors import FactError

#: The columns of the csv and parquet formats, one row a decision.
COLUMNS = (
    "name",
    "verdict",
    "rule",
    "matched",
    "role",
    "hours_per_year",
    "hours_per_week",
    "saving_per_year",
    "saving_per_week",
)


@overload
def atomic_output(
    path: str | None, *, binary: Literal[False] = False
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_output(
    path: str | None, *, binary: Literal[True]
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_output(path: str | None, *, binary: bool = False) -> Any:
    """Return a context giving the stream to write to: standard output, or *path* replaced whole."""
    if path is None or path == "-":
        return contextlib.nullcontext(sys.stdout.buffer if binary else sys.stdout)
    return _replacing(Path(path), binary)


@contextlib.contextmanager
def _replacing(target: Path, binary: bool) -> Iterator[IO[Any]]:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as exc:
        raise FactError("-o", str(target), f"cannot be written: {exc.strerror}") from None
    try:
        if binary:
            with os.fdopen(handle, "wb") as raw:
                yield raw
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as text:
                yield text
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def rows(decisions: Sequence[Decision]) -> Iterator[tuple[Any, ...]]:
    """Yield one row of :data:`COLUMNS` a decision (``matched`` as a list)."""
    for decision in decisions:
        economics = decision.economics
        handoff = decision.handoff
        yield (
            decision.task.name,
            decision.verdict.value,
            decision.rule_id,
            list(decision.matched_rule_ids),
            None if handoff is None else handoff.role,
            economics.hours_per_year,
            economics.hours_per_week,
            economics.saving_per_year,
            economics.saving_per_week,
        )


def write_csv(decisions: Sequence[Decision], out: IO[str]) -> None:
    """Write the decisions as CSV: a header, one row a task, matched rules joined by ``;``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(decisions):
        cells = list(row)
        cells[3] = ";".join(cells[3])
        writer.writerow(["" if cell is None else cell for cell in cells])


def write_parquet(decisions: Sequence[Decision], out: IO[bytes]) -> None:
    """Write the decisions as a Parquet file (needs the frames extra, for pyarrow)."""
    from ..frames.problems import need

    pa = need("pyarrow", "frames")
    parquet = need("pyarrow.parquet", "frames")
    columns = list(zip(*rows(decisions), strict=True)) or [() for _ in COLUMNS]
    text, number = pa.string(), pa.float64()
    types = [text, text, text, pa.list_(text), text, number, number, number, number]
    table = pa.table(
        {
            name: pa.array(
                [float(v) if v is not None and t == number else v for v in values], type=t
            )
            for name, values, t in zip(COLUMNS, columns, types, strict=True)
        }
    )
    parquet.write_table(table, out)
