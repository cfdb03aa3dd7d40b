"""``decide`` at data speed: a CSV inventory streamed through the columnar engine.

With the ``frames`` extra, ``decide FILE.csv --format csv|parquet`` (or
``--format jsonl --compact``) reads the file a block at a time
(:mod:`outsourcing_rules.frames.csvfile`), decides each batch with
:func:`~outsourcing_rules.frames.decide_frame`, and writes each batch's
rows as soon as they are decided, so memory stays bounded however long the
file is. Three threads share the work: one parses the next block (one
parsed batch waits, no more), the main thread types and decides this one,
and one writes the one before. The output is the native path's, byte for
byte (the tests compare them). In the default table, a file of more tasks than the table lists is
streamed the same way for its plan alone, added up in columns
(:mod:`outsourcing_rules.frames.plantotals`); a file of fewer goes back to
the native path, which lists its tasks.

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
import queue
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import FactError, MissingExtraError, OutsourcingRulesError
from ..loading import default_ruleset, load_ruleset
from ..planning.figures import PlanFigures
from ..planning.inventory import MAX_INVENTORY_BYTES, read_owner
from .output import COLUMNS, atomic_output
from .progress import Bars

#: The formats written row by row, without a plan: the ones streamed (jsonl with --compact).
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


def wanted(args: argparse.Namespace, *, listed: int | None = None) -> bool:
    """Return True when this run can be streamed: CSV or Parquet, a row format, no engine named.

    The row formats are ``csv``, ``parquet`` and ``jsonl --compact``; plain
    ``jsonl`` is each decision in full, which only the native path makes.
    With *listed*, the most tasks ``--format table`` lists, a CSV file of
    more lines than that streams in ``table`` too, for its plan alone.
    A Parquet inventory can only be streamed: anything else about it is a
    :class:`~outsourcing_rules.FactError` saying what to change.
    """
    source = str(args.tasks)
    csv_input = source == "-" or Path(source).suffix.lower() == ".csv"
    rows = args.format in STREAMED_FORMATS and (args.format != "jsonl" or args.compact)
    fits = rows and args.engine is None
    if is_parquet(source):
        if not available():
            raise MissingExtraError("decide on a Parquet inventory", "frames", "pyarrow")
        if not fits:
            raise FactError(
                "file",
                source,
                "a Parquet inventory is decided in columns: use --format csv, parquet "
                "or jsonl --compact, without --engine",
            )
        return True
    if args.format == "table" and listed is not None and args.engine is None and csv_input:
        return (source == "-" or _more_lines(Path(source), listed)) and available()
    return csv_input and fits and available()


def _more_lines(path: Path, listed: int) -> bool:
    """Return True when the file at *path* has more than *listed* lines after its header.

    Cheap (it stops reading once past), and never wrong the safe way: a
    CSV file has at least as many lines as rows, so a file of few lines is
    one the table lists, and the native path takes it without loading the
    columnar engine.
    """
    seen = 0
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 16):
                seen += chunk.count(b"\n")
                if seen > listed:
                    return True
    except OSError:
        return False  # the native reader says what is wrong
    return False


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
    if args.format == "parquet" and not args.output:
        raise FactError("--format", "parquet", "writes a binary file: give it -o FILE")
    owner, ruleset = _owner_and_ruleset(args)
    with warnings.catch_warnings(record=True) as noted, _source(args.tasks) as path:
        warnings.simplefilter("always")
        batches = _batches(args, path)
        reading = bars.phase("reading", batches.size, unit="bytes")
        deciding = bars.phase("deciding")
        writing = bars.phase("writing")
        with _output(args.output) as raw:
            writer = _Writer(args.format, raw)

            def write(decided: Any) -> None:
                writer.write(decided)
                writing.advance(decided.height)

            with _behind(write) as written:
                for _, decided in _decided(args, batches, owner, ruleset, reading, deciding):
                    written(decided)
            writer.close()
        for phase in (reading, deciding, writing):
            phase.finish()
    return list(noted)


def run_planned(
    args: argparse.Namespace, bars: Bars, listed: int
) -> tuple[PlanFigures, list[warnings.WarningMessage]]:
    """Decide a CSV inventory batch by batch and add its plan up in columns.

    Return the plan's figures and the warnings to print. An inventory of
    *listed* tasks or fewer raises
    :class:`~outsourcing_rules.frames.csvfile.Unreadable`: the table lists
    its tasks, which the native path does.
    """
    from ..frames.csvfile import Unreadable
    from ..frames.plantotals import PlanTotals

    owner, ruleset = _owner_and_ruleset(args)
    with warnings.catch_warnings(record=True) as noted, _source(args.tasks) as path:
        warnings.simplefilter("always")
        batches = _batches(args, path)
        reading = bars.phase("reading", batches.size, unit="bytes")
        deciding = bars.phase("deciding")
        planning = bars.phase("planning")
        totals = PlanTotals()
        for batch, decided in _decided(args, batches, owner, ruleset, reading, deciding):
            one_off = batch.get_column("one_off") if "one_off" in batch.columns else None
            totals.add(decided, one_off)
            planning.advance(decided.height)
        if totals.tasks <= listed:
            raise Unreadable(f"{totals.tasks} tasks: the table lists them")
        for phase in (reading, deciding, planning):
            phase.finish()
    return totals.figures(), list(noted)


def _owner_and_ruleset(args: argparse.Namespace) -> tuple[Any, Any]:
    """Read the owner and the ruleset; a problem is said by the native path, after the file's."""
    from ..frames.csvfile import Unreadable

    try:
        owner = read_owner(args.owner) if args.owner else None
        ruleset = load_ruleset(args.ruleset) if args.ruleset else default_ruleset()
    except OutsourcingRulesError as exc:
        if is_parquet(args.tasks):
            raise
        raise Unreadable(str(exc)) from None
    return owner, ruleset


def _decided(
    args: argparse.Namespace, batches: Any, owner: Any, ruleset: Any, reading: Any, deciding: Any
) -> Iterator[tuple[Any, Any]]:
    """Yield each batch of *batches* with its decisions (``decide_frame``'s frame)."""
    from ..frames.csvfile import Unreadable
    from ..frames.deciding import decide_frame
    from ..frames.parquetfile import placed
    from ..frames.problems import FrameError

    first = 0
    for part, position in _read_ahead(batches):
        reading(position, batches.size)
        batch = batches.frame(part)
        deciding.advance(batch.height)
        try:
            decided = decide_frame(batch, owner, ruleset=ruleset)
        except FrameError as exc:
            if is_parquet(args.tasks):  # typed cells: the rows of the file
                raise placed(exc, str(args.tasks), first) from None
            raise Unreadable(str(exc)) from None  # the native reader places them
        first += batch.height
        yield batch, decided


def _read_ahead(batches: Any) -> Iterator[tuple[Any, int]]:
    """Yield each part of *batches* with the bytes read by then, reading the next meanwhile.

    A thread reads the next part (Arrow's parse of a block) while this one
    is typed and decided (and the one before written, :func:`_behind`):
    pyarrow and polars let go of the interpreter while they work, so the
    stages overlap on a second core. One part waits at most, so memory
    stays bounded. What the reader raises is raised here, in its place; if
    the caller stops early, the reader stops too and closes the file.
    """
    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def read() -> None:
        found: Any = None
        try:
            found = batches.parts()
            for batch in found:
                if not hand(("batch", (batch, batches.position))):
                    return
            hand(("end", None))
        except BaseException as exc:  # handed over, raised by the caller in its place
            hand(("error", exc))
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=read, name="outsourcing-rules-reader", daemon=True)
    reader.start()
    try:
        while True:
            what, item = ready.get()
            if what == "end":
                return
            if what == "error":
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


@contextlib.contextmanager
def _behind(work: Callable[[Any], None]) -> Iterator[Callable[[Any], None]]:
    """Give a function that has *work* done on each item, in order, by a thread, one item behind.

    While a batch is written (polars lets go of the interpreter as it
    serialises, and the kernel copies the bytes into the file), the next
    one is decided. One item waits at most, so memory stays bounded. What
    *work* raises is raised to the caller at its next item, or on leaving;
    if the caller fails, the items still waiting are dropped.
    """
    waiting: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    failed: list[BaseException] = []
    stop = threading.Event()

    def run() -> None:
        while True:
            more, item = waiting.get()
            if not more:
                return
            if failed or stop.is_set():
                continue
            try:
                work(item)
            except BaseException as exc:  # handed over, raised by the caller in its place
                failed.append(exc)

    def give(item: Any) -> None:
        if failed:
            raise failed[0]
        waiting.put((True, item))

    worker = threading.Thread(target=run, name="outsourcing-rules-writer", daemon=True)
    worker.start()
    try:
        yield give
    except BaseException:
        stop.set()
        raise
    finally:
        waiting.put((False, None))
        worker.join()
    if failed:
        raise failed[0]


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
