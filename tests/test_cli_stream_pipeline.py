"""The streamed ``decide``'s plumbing: the file mapped, the stages in threads, the parts typed.

The CSV file is read from a memory map (Arrow slices it without copying),
NUL bytes are looked for in the map as Arrow reads on, a thread reads the
next part while the main thread types and decides this one, and another
writes the one before. These tests hold each piece to what it promises,
and the whole to the native path's bytes.
"""

from __future__ import annotations

import mmap
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules.cli import stream
from test_cli_stream import COMPACT, OWNER, both, holes, refused_alike

from conftest import run_cli, write_text

pl = pytest.importorskip("polars", reason="the frames extra is not installed")
pytest.importorskip("pyarrow", reason="the frames extra is not installed")

from outsourcing_rules.frames import csvfile, parquetfile  # noqa: E402


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read CSV files 512 bytes a batch, so a small file streams in many batches."""
    monkeypatch.setenv("OUTSOURCING_RULES_CSV_BLOCK", "512")


# --- the file, mapped ---------------------------------------------------------------


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("where", ["middle", "last row"])
def test_a_nul_byte_far_into_the_file_is_refused_as_natively(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A NUL many blocks in: no row is written, the native reader's error, exit 2."""
    rows = holes(300).splitlines()
    at = 150 if where == "middle" else len(rows) - 1
    rows[at] = rows[at].replace("task", "ta\x00sk", 1)
    path = write_text(tmp_path, "nul.csv", "\n".join(rows) + "\n")
    assert path.stat().st_size > 20 * 512  # many blocks before it
    err = refused_alike(capsys, path, "--format", "jsonl", "--compact")
    assert err.startswith("error: ")


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_a_file_that_cannot_be_mapped_is_read_as_a_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    """Where mapping fails (a file system that cannot), the file is read: the same bytes."""
    maps: list[int] = []

    def refuse(*args: Any, **kwargs: Any) -> mmap.mmap:
        maps.append(1)
        raise OSError("no mapping here")

    monkeypatch.setattr(csvfile.mmap, "mmap", refuse)
    path = write_text(tmp_path, "holes.csv", holes(300, seed=5))
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", form, *COMPACT[form])
    assert maps  # the columnar path did try, and fell back
    assert columnar == native
    assert columnar[0] == 0
    bad = write_text(tmp_path, "nul.csv", holes(200) + "late\x00,2\n")
    columnar, native = both(capsys, bad, "--format", form, *COMPACT[form])
    assert columnar == native
    assert columnar[:2] == (2, "")


@pytest.mark.usefixtures("small_blocks")
def test_the_map_and_the_file_are_let_go_once_read(tmp_path: Path) -> None:
    """After the last batch the map is closed and the file too; pages behind were let go."""
    path = write_text(tmp_path, "holes.csv", holes(200))
    made: list[csvfile._Mapped] = []
    real = csvfile._Mapped

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, where: Path) -> None:
            super().__init__(where)
            made.append(self)

    csvfile._Mapped = Watched  # type: ignore[misc]
    try:
        frames = list(csvfile.CsvBatches(path))
    finally:
        csvfile._Mapped = real  # type: ignore[misc]
    assert sum(frame.height for frame in frames) == 200
    (mapped,) = made
    assert mapped.file.closed
    assert mapped.map is not None
    assert mapped.map.closed
    assert mapped.checked_to == path.stat().st_size  # every byte looked at for NUL


@pytest.mark.usefixtures("small_blocks")
def test_the_reading_position_only_grows_and_ends_at_the_size(tmp_path: Path) -> None:
    """What the progress bar is told: bytes read, never back, never past the file, then all."""
    path = write_text(tmp_path, "holes.csv", holes(300))
    batches = csvfile.CsvBatches(path)
    seen = []
    for _ in batches.parts():
        seen.append(batches.position)
    assert len(seen) > 5
    assert seen == sorted(seen)
    assert all(0 < position <= batches.size for position in seen)
    assert batches.position == batches.size


# --- parts read in one thread, typed in another -----------------------------------------


@pytest.mark.usefixtures("small_blocks")
def test_typed_parts_are_the_batches(tmp_path: Path) -> None:
    """``frame`` of each part gives what iterating gives, for CSV and Parquet."""
    path = write_text(tmp_path, "holes.csv", holes(300, seed=11))
    batches = csvfile.CsvBatches(path)
    typed = [batches.frame(part) for part in batches.parts()]
    again = list(csvfile.CsvBatches(path))
    assert len(typed) == len(again) > 5
    assert all(a.equals(b) for a, b in zip(typed, again, strict=True))
    parquet = tmp_path / "tasks.parquet"
    pl.concat(again).write_parquet(parquet)
    pieces = parquetfile.ParquetBatches(parquet)
    read = pl.concat([pieces.frame(part) for part in pieces.parts()])
    assert read.equals(pl.concat(again))
    assert pieces.position == pieces.size


# --- the writer, one batch behind ---------------------------------------------------------


def test_work_behind_is_done_in_order_by_another_thread() -> None:
    """Every item is worked on, in the order given, not by the caller's thread."""
    done: list[tuple[int, str]] = []
    with stream._behind(lambda item: done.append((item, threading.current_thread().name))) as give:
        for item in range(50):
            give(item)
    assert [item for item, _ in done] == list(range(50))
    assert {name for _, name in done} == {"outsourcing-rules-writer"}


def test_a_failure_behind_is_raised_to_the_caller_and_stops_the_work() -> None:
    """What the work raises reaches the caller; nothing after it is worked on."""
    done: list[int] = []

    def work(item: int) -> None:
        if item == 3:
            raise OSError("disk full")
        done.append(item)

    def feed() -> None:
        with stream._behind(work) as give:
            for item in range(20):
                give(item)

    with pytest.raises(OSError, match="disk full"):
        feed()
    assert done == [0, 1, 2]


def test_when_the_caller_fails_the_items_waiting_are_dropped() -> None:
    """A failing caller leaves no thread behind and no item worked on after the failure."""
    started = threading.Event()
    release = threading.Event()
    done: list[int] = []

    def work(item: int) -> None:
        started.set()
        release.wait(5)
        done.append(item)

    def feed() -> None:
        with stream._behind(work) as give:
            give(0)  # being worked on
            started.wait(5)
            give(1)  # waiting
            # Item 0 finishes well after the caller has failed (the failure is immediate).
            threading.Timer(0.5, release.set).start()
            raise KeyError("the caller fails")

    with pytest.raises(KeyError):
        feed()
    assert done == [0]
    assert not any(t.name == "outsourcing-rules-writer" for t in threading.enumerate())


@pytest.mark.usefixtures("small_blocks")
def test_a_write_that_fails_leaves_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that cannot be written: the run fails, and the target is as it was."""
    calls: list[int] = []
    real = stream._Writer.write

    def failing(self: Any, decided: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(self, decided)

    monkeypatch.setattr(stream._Writer, "write", failing)
    path = write_text(tmp_path, "holes.csv", holes(300))
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        run_cli(capsys, "decide", path, "--format", "jsonl", "--compact", "-o", target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holes.csv", "out.jsonl"]


def test_a_reader_that_fails_at_once_is_raised_not_waited_for() -> None:
    """Opening the parts fails before the first one: the caller gets the error, no hang."""

    class Broken:
        position = 0

        def parts(self) -> Any:
            raise RuntimeError("cannot open")

    with pytest.raises(RuntimeError, match="cannot open"):
        next(stream._read_ahead(Broken()))


# --- the cheap questions asked of a batch ---------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=6), min_size=1, max_size=8))
def test_a_text_said_not_to_need_stripping_does_not(texts: list[str]) -> None:
    """The check is a superset: any text ``str.strip`` would change is caught, and blank too."""
    column = pl.Series("c", texts, dtype=pl.String)
    frame = column.to_frame()
    may = frame.select(csvfile._may_need_stripping(pl.col("c"))).item()
    if any(text != text.strip() for text in texts):
        assert may
    if not may:
        assert frame.select(csvfile._stripped(pl.col("c"))).to_series().to_list() == [
            text or None for text in texts
        ]


@pytest.mark.parametrize(
    ("names", "kept"),
    [
        (["a", "b"], ["a", "b"]),
        (["a", ""], ["a"]),
        (["a", " \u3000 "], ["a"]),  # spaces alone: blank, as the native reader has it
        ([" a ", "b"], ["a", "b"]),
    ],
)
def test_rows_of_blank_cells_are_left_out_whatever_the_spaces(
    tmp_path: Path, names: list[str], kept: list[str]
) -> None:
    """A row whose cells are all blank (spaces count as blank) is not a task."""
    text = "name,hours_each\n" + "".join(f"{name},\n" for name in names)
    path = write_text(tmp_path, "blank.csv", text)
    (frame,) = list(csvfile.CsvBatches(path))
    assert frame.get_column("name").to_list() == kept


@pytest.mark.usefixtures("small_blocks")
def test_without_jemalloc_the_reader_uses_the_systems_allocator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pyarrow built without jemalloc reads the same rows, from the system's pool."""
    pa = csvfile.pa

    def missing() -> Any:
        raise NotImplementedError("built without jemalloc")

    monkeypatch.setattr(pa, "jemalloc_memory_pool", missing)
    assert csvfile._pool().backend_name == "system"
    path = write_text(tmp_path, "holes.csv", holes(200, seed=9))
    columnar, native = both(capsys, path, "--owner", OWNER, "--format", "csv")
    assert columnar == native
    assert columnar[0] == 0


def test_the_reader_uses_the_pool_the_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default the jemalloc pool (where pyarrow has it); ``ARROW_DEFAULT_MEMORY_POOL`` wins."""
    import pyarrow as pa

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    assert csvfile._pool().backend_name in {"jemalloc", "system"}
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert csvfile._pool().backend_name == pa.default_memory_pool().backend_name


def test_a_declined_memory_advice_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letting go of read pages is advice: a system that refuses it does not stop the run."""
    rows = "".join(f"t{i},1\n" for i in range(5000))
    path = write_text(tmp_path, "t.csv", "name,hours_each\n" + rows)
    mapped = csvfile._Mapped(path)
    assert mapped.map is not None

    class Refusing:
        def __init__(self, real: mmap.mmap) -> None:
            self.real = real

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

        def __len__(self) -> int:
            return len(self.real)

        def madvise(self, *args: Any) -> None:
            raise OSError(22, "Invalid argument")

    real = mapped.map
    mapped.map = Refusing(real)  # type: ignore[assignment]
    try:
        mapped.checked(None)  # no NUL: nothing raised, not even the refusal
    finally:
        mapped.map = real
        mapped.close()
