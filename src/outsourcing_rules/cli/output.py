"""Where the command line writes: standard output, or a file replaced whole; table formats.

A file named with ``-o`` is written to a temporary file in the same folder
and renamed over the target only once complete (``os.replace`` is atomic
on one file system), so an interrupted run never leaves a half-written
file, and a reader never sees one.
"""

from __future__ import annotations

import contextlib
import csv
import json
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


#: Where the economic figures stand in a row of :data:`COLUMNS`.
_FIGURES = slice(5, None)


def number_text(value: float) -> str:
    """Write a figure as a decimal, as the columnar path's writers (polars) do.

    Python's shortest round-trip digits (``repr``), always with a point or
    an exponent (``208.0``, not ``208``), and the exponent as polars writes
    it: ``2.5e-7`` for ``2.5e-07``, and ``0.00001`` written out. Both paths
    of ``decide`` print the same bytes for the same figure.
    """
    text = repr(float(value))
    mantissa, mark, exponent = text.partition("e")
    if not mark:
        return text
    power = int(exponent)
    if power == -5:  # polars writes 1e-5 <= |x| < 1e-4 in full
        sign, digits = ("-", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
        return f"{sign}0.0000{digits.replace('.', '')}"
    return f"{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


def write_csv(decisions: Sequence[Decision], out: IO[str]) -> None:
    """Write the decisions as CSV: a header, one row a task, matched rules joined by ``;``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(decisions):
        cells = list(row)
        cells[3] = ";".join(cells[3])
        cells[_FIGURES] = [None if v is None else number_text(v) for v in cells[_FIGURES]]
        writer.writerow(["" if cell is None else cell for cell in cells])


def write_jsonl(decisions: Sequence[Decision], out: IO[str]) -> None:
    """Write one JSON object a decision, with the keys of :data:`COLUMNS`, one a line.

    Compact, as polars writes JSON lines: no spaces, text as it is (control
    characters escaped), figures by :func:`number_text`.
    """
    for row in rows(decisions):
        cells = [_json(cell) for cell in row]
        out.write("{" + ",".join(f'"{k}":{v}' for k, v in zip(COLUMNS, cells, strict=True)))
        out.write("}\n")


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    return number_text(value)


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
