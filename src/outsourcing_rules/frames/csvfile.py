"""A CSV inventory read in columns, batch by batch: what the command line streams.

The file is mapped into memory and read by pyarrow's streaming CSV reader,
a block of bytes at a time (:data:`BLOCK_BYTES`, or
``OUTSOURCING_RULES_CSV_BLOCK``); :meth:`CsvBatches.parts` gives Arrow's
batches, :meth:`CsvBatches.frame` reads the cells of one. Number and
yes-or-no columns are parsed by Arrow itself (with a decimal point), where
its reading agrees with the native reader's: a correctly rounded double, or
``true``, ``yes``, ``false``, ``no`` in any case; ``-0`` is then read as 0
and a number that is not finite refused. From the first cell Arrow will not
parse (``1_000``, ``Yes `` with a space, a decimal comma), the rest of the
file is read with every cell as text, and those cells are read as
:mod:`outsourcing_rules.planning.inventory` reads them: text cells
stripped of Python's spaces in polars (empty: unknown); plain decimals
(digits, a point, digits) parsed in bulk; and every other distinct text of
a yes-or-no, number or label column read once by the native reader's own
cell function, so that ``Yes``, ``-0``, ``1,5`` with ``decimal=","`` or
``admin; ops`` mean exactly what they mean there. The header goes through
the native reader's own checks (case, did-you-mean, a column twice, the
warning for other columns).

This reader vouches only for what it reads exactly as the native reader
does. Anything else (a cell it would not read the same way, a ragged
row, text that is not UTF-8, a NUL) raises :class:`Unreadable`, and the
caller reads the file with the native reader, which decides it or
reports every problem in its place. Bad input is rare and then slow;
good input is fast and equal.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import mmap
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.vocabulary import Kind
from ..errors import FactError
from ..planning.inventory import _FALSE, _TRUE, _cell, _delimiter, _header
from .problems import need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

from .columns import _SPACE, kind_of  # noqa: E402
from .engine import column_dtype  # noqa: E402

#: Bytes read a batch: enough for the reader's threads, small enough to bound memory.
BLOCK_BYTES = 8 * 1024 * 1024
#: A plain decimal (digits, a point, digits): parsed in bulk.
_PLAIN = r"^[0-9]{1,15}(?:\.[0-9]{1,15})?$"
#: Up to this many distinct texts, a column is read by a chain of comparisons, not a join.
_FEW = 16
#: The bytes read to find the header line.
_HEAD_BYTES = 64 * 1024


class Unreadable(Exception):
    """The columnar reader cannot vouch for this file: read it with the native reader."""


class _Odd(Exception):
    """Arrow would not parse a number or yes-or-no cell: read the rest of the file as text."""


def _spellings(*words: str) -> list[str]:
    """Return every spelling of *words* in upper and lower case (``yes``, ``Yes``, ``YES``...)."""
    found: set[str] = set()
    for word in words:
        found.update("".join(p) for p in itertools.product(*((c, c.upper()) for c in word)))
    return sorted(found)


#: The yes-or-no cells Arrow reads itself: the native reader's words, in any case.
_TRUE_SPELLINGS = _spellings(*_TRUE)
_FALSE_SPELLINGS = _spellings(*_FALSE)


def _column_types(facts: dict[str, str | None], *, native: bool) -> dict[str, Any]:
    """Return the Arrow type of each column: text, or with *native* numbers and yes-or-no.

    Arrow's parse of a number agrees with the native reader's wherever
    Arrow parses at all (a correctly rounded double; spaces and tabs around
    it, which Python strips too); ``-0``, ``nan`` and ``inf``, which it also
    parses, are dealt with after (:meth:`CsvBatches._cells`). Anything else
    (``1_000``, a number after a no-break space, ``on``) stops it.
    """
    types: dict[str, Any] = {}
    for name, fact in facts.items():
        kind = kind_of(fact) if native and fact is not None else Kind.TEXT
        types[name] = {Kind.NUMBER: pa.float64(), Kind.BOOL: pa.bool_()}.get(kind, pa.string())
    return types


def block_bytes() -> int:
    """Return the bytes to read a batch (``OUTSOURCING_RULES_CSV_BLOCK`` overrides)."""
    text = os.environ.get("OUTSOURCING_RULES_CSV_BLOCK", "")
    return int(text) if text.isdigit() and int(text) > 0 else BLOCK_BYTES


class CsvBatches:
    """The task columns of a CSV file, typed, one polars frame a batch.

    Reading the header checks it (a :class:`~outsourcing_rules.FactError`
    as the native reader raises, an
    :class:`~outsourcing_rules.planning.InventoryWarning` for columns left
    out). Iterate for the batches; :attr:`position` tells the bytes read.
    """

    def __init__(self, path: Path, *, decimal: str = ".", name: str | None = None) -> None:
        self.path = path
        self.name = Path(name) if name is not None else path
        self.decimal = decimal
        self.size = path.stat().st_size
        self.position = 0
        head = _head(path)
        self.delimiter = _delimiter(head)
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=self.delimiter)
        header = next(reader, None)
        if header is None or reader.line_num != 1 or "\n" not in head:
            raise Unreadable("no header line in the first block")
        try:
            self.columns = _header(header, self.name)
        except FactError:
            # The native reader says what is wrong with the header and with every row at once.
            raise Unreadable("the header has problems") from None
        if "name" not in self.columns:
            raise Unreadable("no name column: every row is an error")
        self._names = [f"c{i}" for i in range(len(self.columns))]

    def __iter__(self) -> Iterator[pl.DataFrame]:
        for part in self.parts():
            yield self.frame(part)

    def parts(self) -> Iterator[pa.RecordBatch]:
        """Yield the file's batches as Arrow read them: :meth:`frame` types each.

        The command line reads the parts in one thread and types them in
        another (iterating gives the typed frames).
        """
        read = 0  # rows of the file yielded so far
        if self.decimal == ".":
            # Numbers and yes-or-no cells parsed by Arrow itself: no text made for them.
            # A cell Arrow will not parse so stops it; the rest is read as text.
            try:
                for batch in self._arrow_batches(self._names, native=True, skip=0):
                    read += batch.num_rows
                    yield batch
                return
            except _Odd:
                pass
        yield from self._arrow_batches(self._names, native=False, skip=read)

    def frame(self, part: pa.RecordBatch) -> pl.DataFrame:
        """Return a part (:meth:`parts`) as task columns, read as the native reader reads them."""
        return self._typed(part, self._names)

    def _arrow_batches(self, names: list[str], *, native: bool, skip: int) -> Iterator[Any]:
        """Yield the file's Arrow batches past its first *skip* rows.

        With *native*, number and yes-or-no columns are parsed by Arrow (see
        :func:`_column_types`), and a cell it cannot parse raises
        :class:`_Odd`; else every cell is text.
        """
        facts = dict(zip(names, self.columns, strict=True))
        types = _column_types(facts, native=native)
        mapped = _Mapped(self.path)
        reader: Any = None
        batch: Any = None
        blocks = 0
        try:
            reader = pacsv.open_csv(
                mapped.source,
                read_options=pacsv.ReadOptions(
                    skip_rows=1, column_names=names, block_size=block_bytes()
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter, newlines_in_values=True, ignore_empty_lines=True
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    null_values=[""],
                    true_values=_TRUE_SPELLINGS,
                    false_values=_FALSE_SPELLINGS,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
                memory_pool=_pool(),
            )
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as exc:
                    if native:
                        raise _Odd(str(exc)) from None
                    raise
                mapped.checked(mapped.source.tell())  # where Arrow has read to: blocks ahead
                # A batch is a block: the bytes behind this one, roughly, for the progress bar.
                blocks += 1
                self.position = min(self.size, blocks * block_bytes())
                if skip >= batch.num_rows:
                    skip -= batch.num_rows
                    continue
                if skip:
                    batch, skip = batch.slice(skip), 0
                yield batch
            mapped.checked(None)
        except (pa.ArrowInvalid, pa.ArrowException, UnicodeDecodeError) as exc:
            raise Unreadable(str(exc)) from exc
        finally:
            reader = batch = None  # Arrow's hold on the map, let go before it closes
            mapped.close()
        self.position = self.size

    def _typed(self, batch: pa.RecordBatch, names: list[str]) -> pl.DataFrame:
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        facts = {fact: n for fact, n in zip(self.columns, names, strict=True) if fact is not None}
        # One query answers every question the columns ask before they are read.
        name = pl.col(facts["name"])
        asked = [(name.is_null() | (name == "")).any().alias(_BLANK)]
        for fact, n in facts.items():
            question = _question(fact, frame.schema[n], pl.col(n))
            if question is not None:
                asked.append(question.alias(n))
        answers = frame.select(asked).row(0, named=True)
        if answers[facts["name"]] and not answers[_BLANK]:  # a name of spaces alone?
            answers[_BLANK] = frame.select(_stripped(name).is_null().any()).item()
        if answers[_BLANK]:  # rows of blank cells are left out
            blank = pl.all_horizontal(
                (_stripped(pl.col(n)) if frame.schema[n] == pl.String else pl.col(n)).is_null()
                for n in names
            )
            frame = frame.filter(~blank)
        return frame.select(
            self._cells(fact, frame.get_column(n), answers.get(n)) for fact, n in facts.items()
        )

    def _cells(self, fact: str, column: pl.Series, answer: bool | None) -> pl.Expr | pl.Series:
        """Read a column's cells: text stripped, other kinds by the native reader's own rule.

        *answer* is the column's answer to :func:`_question`. Text is
        stripped only where a cell may need it, Arrow's numbers are checked,
        and both are read in the batch's one query (an expression is
        returned). Yes-or-no, number and label cells that Arrow left as
        text are read one distinct text at a time by the native reader's
        cell function, so they mean exactly what they mean there; a cell it
        refuses makes the file :class:`Unreadable` here (the native reader
        then reports it).
        """
        kind = kind_of(fact)
        cell = pl.col(column.name)
        if kind not in (Kind.BOOL, Kind.NUMBER, Kind.LABELS):
            if not answer:
                return pl.when(cell != "").then(cell).alias(fact)  # no space: empty is unknown
            return _stripped(cell).alias(fact)
        dtype = column_dtype(kind)
        if column.dtype != pl.String:  # parsed by Arrow: numbers checked, -0 read as 0
            if kind is Kind.NUMBER:
                if answer:
                    raise Unreadable(f"{fact}: a number that is not finite")
                zero = cell == 0.0  # -0 too; polars folds away "+ 0.0"
                return pl.when(zero).then(pl.lit(0.0)).otherwise(cell).alias(fact)
            return cell.alias(fact)
        if kind is not Kind.NUMBER:
            return self._mapped(fact, column, column.unique(), dtype)
        # Plain decimals (the bulk of a file) are parsed in bulk: Python and polars both
        # round a decimal to the nearest double. Other texts go through the native rule.
        plain = column.str.contains(_PLAIN)
        rest = self._mapped(fact, column, column.filter(~plain).unique(), dtype)
        fast = column.cast(pl.Float64, strict=False)
        return pl.select(pl.when(plain).then(fast).otherwise(rest).alias(fact)).to_series()

    def _mapped(self, fact: str, column: pl.Series, texts: pl.Series, dtype: Any) -> pl.Series:
        """Read each of *texts* by the native rule; return *column*'s cells so read."""
        values = []
        for text in texts.to_list():
            try:
                value = _cell(fact, text, self.decimal)
            except FactError as exc:
                raise Unreadable(str(exc)) from None
            values.append(float(value) if isinstance(value, int | float) else value)
        if dtype == pl.Boolean or (dtype == pl.Float64 and len(values) <= _FEW):
            read = pl.lit(None, dtype=dtype)
            for text, value in zip(texts.to_list(), values, strict=True):
                if value is not None:
                    read = (
                        pl.when(pl.col("text") == text)
                        .then(pl.lit(value, dtype=dtype))
                        .otherwise(read)
                    )
            # with_columns, not select: a bare literal (every cell empty) fills the column.
            return column.alias("text").to_frame().with_columns(read.alias(fact)).get_column(fact)
        table = pl.DataFrame([texts.alias("text"), pl.Series(fact, values, dtype=dtype)])
        found = (
            column.alias("text")
            .to_frame()
            .join(table, on="text", how="left", maintain_order="left")
        )
        return found.get_column(fact)


#: The name of the answer to whether a batch has a blank name (:meth:`CsvBatches._typed`).
_BLANK = "__blank_name"


def _question(fact: str, dtype: Any, cells: pl.Expr) -> pl.Expr | None:
    """Return what must be known of a column before it is read (None: nothing).

    For text: whether any cell may need stripping. For numbers Arrow
    parsed: whether any is not finite (``nan``, ``inf``), which the native
    reader refuses.
    """
    kind = kind_of(fact)
    if kind not in (Kind.BOOL, Kind.NUMBER, Kind.LABELS):
        return _may_need_stripping(cells)
    if kind is Kind.NUMBER and dtype != pl.String:
        return (~cells.is_finite()).any()
    return None


def _stripped(column: pl.Expr) -> pl.Expr:
    """Return the text of a cell without surrounding spaces (Python's); null when empty."""
    text = column.str.strip_chars(_SPACE)
    return pl.when(text != "").then(text)


def _may_need_stripping(text: pl.Expr) -> pl.Expr:
    """Return whether any text may start or end with a space (a cheap superset).

    Every space Python knows is below ``!`` or at U+0085 or above: the
    first character is compared (a comparison of the texts themselves), the
    last one matched by a pattern anchored at the end (which the regex
    engine runs backwards from there). Empty texts are left out.
    """
    first = ((text < "!") | (text >= "\x85")) & (text != "")
    return (first | text.str.contains(_ODD_LAST)).any()


#: A text whose last character may be a space (see :func:`_may_need_stripping`).
_ODD_LAST = r"[\x00-\x20\x{85}-\x{10FFFF}]$"


class _Mapped:
    """The file mapped into memory, as Arrow's reader reads it; NUL bytes looked for as it goes.

    Arrow's streaming reader reads up to 32 blocks ahead of the batch it
    gives. From a file, each block is a fresh buffer (the whole of a file
    of a few dozen blocks is then in memory at once); from a memory map it
    is a slice of the map, made without a copy or an allocation. The pages
    read are the operating system's file cache, and those behind the
    reader are let go after each batch, so memory stays bounded however
    long the file is. (Arrow's own map cannot be told to let pages go.)
    Where the file cannot be mapped, it is read as a file, as before.
    """

    def __init__(self, path: Path) -> None:
        self.file = path.open("rb")
        self.checked_to = 0
        self.map: mmap.mmap | None = None
        try:
            self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # an empty file, a file system that cannot map
            self.source: Any = pa.OSFile(str(path))
        else:
            self.source = pa.BufferReader(pa.py_buffer(self.map))

    def checked(self, end: int | None) -> None:
        """Look for a NUL byte up to *end* (None: the end); one makes the file Unreadable.

        The native reader refuses a file holding a NUL character (a binary
        file?), so the columnar one does too, whatever cell it is in. The
        mapped pages before *end* are then let go: read again (from the
        file cache) only if Arrow has not parsed them yet.
        """
        if self.map is None:
            while end is None or self.file.tell() < end:
                step = 1 << 22 if end is None else min(1 << 22, end - self.file.tell())
                chunk = self.file.read(step)
                if not chunk:
                    return
                if b"\x00" in chunk:
                    raise Unreadable("a NUL character")
            return
        stop = len(self.map) if end is None else end
        if self.map.find(b"\x00", self.checked_to, stop) >= 0:
            raise Unreadable("a NUL character")
        self.checked_to = stop
        if _DONTNEED is not None:
            with contextlib.suppress(OSError):  # advice only: a system may decline it
                self.map.madvise(_DONTNEED, 0, stop - stop % mmap.PAGESIZE)

    def close(self) -> None:
        """Let go of the map (once Arrow's last slice of it is gone) and of the file."""
        self.source.close()
        self.source = None  # Arrow's reader of the map: the map cannot close while it lives
        if self.map is not None:
            with contextlib.suppress(BufferError):  # a slice still held: freed with it
                self.map.close()
        self.file.close()


def _pool() -> Any:
    """Return the memory pool Arrow's reader allocates from: jemalloc, else the system's.

    pyarrow's default pool, mimalloc, backs large buffers with huge pages
    here: each block's buffers were faulted in 2 MiB at a time, zeroed, and
    now and then the kernel had to compact memory to find one (up to 0.6 s
    of system time in a run of the reader alone, against 0.06 to 0.13 s
    with jemalloc or the system's allocator). jemalloc, where pyarrow has
    it, keeps freed pages for the next block and peaked lowest. Where the
    environment names a pool (``ARROW_DEFAULT_MEMORY_POOL``), that one.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):  # the user's choice stands
        return pa.default_memory_pool()
    try:
        return pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowException):  # a pyarrow built without it
        return pa.system_memory_pool()


#: Lets go of mapped pages (where the platform can).
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)


def _head(path: Path) -> str:
    with path.open("rb") as file:
        raw = file.read(_HEAD_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable("the first block is not UTF-8") from exc
