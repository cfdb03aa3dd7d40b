"""``decide`` at data speed: a CSV inventory streamed through the columnar engine.

With the ``frames`` extra, ``decide FILE.csv --format jsonl|csv|parquet``
reads the file a block at a time (:mod:`outsourcing_rules.frames.csvfile`),
decides each batch with :func:`~outsourcing_rules.frames.decide_frame`, and
writes each batch's rows as soon as they are decided, so memory stays
bounded however long the file is. The output is the native path's, byte
for byte (the tests compare them).

The output goes to a temporary file first, renamed over ``-o FILE`` or
copied to standard output once the whole run succeeded: bad input never
leaves a partial output behind. When the columnar reader cannot vouch for
the file (a cell it would not read as the native reader does, a ragged row,
a bad cell), the run is dropped and the native path reads the file, which
reports every problem in its place (file, line, task, fact) or decides it.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import FactError, MissingExtraError, OutsourcingRulesError
from ..loading import default_ruleset, load_ruleset
from ..planning.inventory import MAX_INVENTORY_BYTES, read_owner
from .output import COLUMNS, atomic_output
from .progress import Bars

#: The formats written row by row, without a plan: the ones streamed.
STREAMED_FORMATS = ("jsonl", "csv", "parquet")


def available() -> bool:
    """Return True when the frames extra (polars and pyarrow) is installed."""
    try:
        from ..frames import csvfile  # noqa: F401
    except (MissingExtraError, ImportError):
        return False
    return True


def is_parquet(source: str) -> bool:
    """Return True when the inventory *source* is a Parquet file."""
    return Path(source).suffix.lower() == ".parquet"


def wanted(args: argparse.Namespace) -> bool:
    """Return True when this run can be streamed: CSV or Parquet, a row format, no engine named.

    A Parquet inventory can only be streamed: anything else about it is a
    :class:`~outsourcing_rules.FactError` saying what to change.
    """
    source = str(args.tasks)
    csv_input = source == "-" or Path(source).suffix.lower() == ".csv"
    full = getattr(args, "full", False)
    fits = args.format in STREAMED_FORMATS and args.engine is None and not full
    if is_parquet(source):
        if not available():
            raise MissingExtraError("decide on a Parquet inventory", "frames", "pyarrow")
        if not fits:
            raise FactError(
                "file",
                source,
                "a Parquet inventory is decided in columns: use --format jsonl, csv or "
                "parquet, without --engine or --full",
            )
        return True
    return csv_input and fits and available()


@contextlib.contextmanager
def _source(name: str) -> Iterator[Path]:
    """Give the input as a file on disk: *name* itself, or standard input copied to one."""
    if name != "-":
        path = Path(name)
        if not path.is_file():
            if is_parquet(name):
                raise FactError("file", name, "is not a regular file (or no such file)", path=name)
            from ..frames.csvfile import Unreadable

            raise Unreadable("not a regular file")  # the native reader says why, as ever
        yield path
        return
    from ..frames.csvfile import Unreadable

    with tempfile.NamedTemporaryFile(prefix="outsourcing-rules-stdin-", suffix=".csv") as copy:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            shutil.copyfileobj(stream, copy, 1 << 20)
        copy.flush()
        try:
            yield Path(copy.name)
        except Unreadable:
            # The native path reads standard input again: give it back what was read,
            # up to one byte past the native reader's limit (which it then reports).
            copy.seek(0)
            data = copy.read(MAX_INVENTORY_BYTES + 1)
            sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            raise


def run_streamed(args: argparse.Namespace, bars: Bars) -> list[warnings.WarningMessage]:
    """Decide and write a CSV or Parquet inventory batch by batch; return the warnings to print.

    Raises :class:`~outsourcing_rules.frames.csvfile.Unreadable` when the
    native path must read the file instead (nothing has been written then).
    """
    from ..frames.csvfile import Unreadable
    from ..frames.deciding import decide_frame
    from ..frames.parquetfile import placed
    from ..frames.problems import FrameError

    if args.format == "parquet" and not args.output:
        raise FactError("--format", "parquet", "writes a binary file: give it -o FILE")
    try:
        owner = read_owner(args.owner) if args.owner else None
        ruleset = load_ruleset(args.ruleset) if args.ruleset else default_ruleset()
    except OutsourcingRulesError as exc:  # said by the native path, after the file's problems
        if is_parquet(args.tasks):
            raise
        raise Unreadable(str(exc)) from None
    with warnings.catch_warnings(record=True) as noted, _source(args.tasks) as path:
        warnings.simplefilter("always")
        batches = _batches(args, path)
        reading = bars.phase("reading", batches.size, unit="bytes")
        deciding = bars.phase("deciding")
        writing = bars.phase("writing")
        with _output(args.output) as raw:
            writer = _Writer(args.format, raw)
            first = 0
            for batch in batches:
                reading(batches.position, batches.size)
                deciding.advance(batch.height)
                try:
                    decided = decide_frame(batch, owner, ruleset=ruleset)
                except FrameError as exc:
                    if is_parquet(args.tasks):  # typed cells: the rows of the file
                        raise placed(exc, str(args.tasks), first) from None
                    raise Unreadable(str(exc)) from None  # the native reader places them
                first += batch.height
                writer.write(decided)
                writing.advance(decided.height)
            writer.close()
        for phase in (reading, deciding, writing):
            phase.finish()
    return list(noted)


def _batches(args: argparse.Namespace, path: Path) -> Any:
    """Return the batches of the inventory at *path*: Parquet or CSV."""
    if is_parquet(args.tasks):
        from ..frames.parquetfile import ParquetBatches

        return ParquetBatches(path)
    from ..frames.csvfile import CsvBatches

    return CsvBatches(path, decimal=args.decimal, name="-" if args.tasks == "-" else None)


@contextlib.contextmanager
def _output(target: str | None) -> Iterator[IO[bytes]]:
    """Where the batches go: *target* replaced whole, or a temporary file copied to stdout."""
    if target is not None and target != "-":
        with atomic_output(target, binary=True) as raw:
            yield raw
        return
    with tempfile.TemporaryFile() as spool:
        yield spool
        spool.seek(0)
        # Through sys.stdout, as the native path writes: the same escapes apply.
        decoder = codecs.getincrementaldecoder("utf-8")()
        while chunk := spool.read(1 << 20):
            sys.stdout.write(decoder.decode(chunk))
        sys.stdout.write(decoder.decode(b"", final=True))


class _Writer:
    """Writes decided batches in one format, the header (csv, parquet schema) once."""

    def __init__(self, form: str, raw: IO[bytes]) -> None:
        self.form = form
        self.raw = raw
        self.started = False
        self._parquet: Any = None

    def write(self, decided: Any) -> None:
        import polars as pl

        rows = decided.select(COLUMNS)
        if self.form == "jsonl":
            rows.write_ndjson(self.raw)
        elif self.form == "csv":
            matched = pl.col("matched")
            # No rule matched: an empty cell, as Python's csv writes "" (polars would quote it).
            joined = rows.with_columns(pl.when(matched.list.len() > 0).then(matched.list.join(";")))
            joined.write_csv(self.raw, include_header=not self.started)
        else:
            table = rows.to_arrow().cast(_parquet_schema())
            if self._parquet is None:
                import pyarrow.parquet as pq

                self._parquet = pq.ParquetWriter(self.raw, table.schema)
            self._parquet.write_table(table)
        self.started = True

    def close(self) -> None:
        """Finish the file: the header of an empty csv, the footer of a parquet file."""
        if self.form == "csv" and not self.started:
            self.raw.write((",".join(COLUMNS) + "\n").encode())
        if self.form == "parquet":
            if self._parquet is None:
                import pyarrow.parquet as pq

                self._parquet = pq.ParquetWriter(self.raw, _parquet_schema())
            self._parquet.close()


def _parquet_schema() -> Any:
    """Return the Arrow schema of the parquet format, as :func:`.output.write_parquet` has it."""
    import pyarrow as pa

    text, number = pa.string(), pa.float64()
    types = [text, text, text, pa.list_(text), text, number, number, number, number]
    return pa.schema(list(zip(COLUMNS, types, strict=True)))
