"""Task inventories from files: YAML, JSON or CSV, with the place of every error.

YAML and JSON hold either a list of tasks or a mapping
``{owner: {...}, tasks: [...]}``. CSV holds one task a row under a header of
fact names, as a spreadsheet exports it; cells are text, so each is parsed by
the kind of its fact (``true``/``false``, numbers, level names, labels split
on ``;``) and an empty cell is unknown. The delimiter (comma, semicolon, tab
or bar) is read from the header; headers match fact names whatever their case; a header
close to a fact name is an error with a did-you-mean, a column twice is an
error, and other columns are left out with one :class:`InventoryWarning`.
A number with a comma is refused unless the file is read with
``decimal=","``; a comma is never a thousands separator (``1,5`` is not 15).
Anything that does not parse is a
:class:`~outsourcing_rules.FactError` naming the file, line, task and fact;
when tasks are invalid, reading goes on and one
:class:`~outsourcing_rules.InventoryError` lists every one of them.
"""

from __future__ import annotations

import csv
import io
import math
import stat
import sys
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..core.facts import Owner, Task, task_fields_holding
from ..errors import FactError, InventoryError, suggest
from ..loading.yamlio import (
    LocatedDict,
    LocatedList,
    ReadError,
    column_of,
    line_of,
    read_text,
    read_yaml,
)

#: Inventories may be much larger than rulesets.
MAX_INVENTORY_BYTES = 512 * 1024 * 1024

# How each CSV cell is read, by the type of its task field.
_BOOL_FIELDS = frozenset(task_fields_holding(bool))
_NUMBER_FIELDS = frozenset(task_fields_holding(float))
_LABEL_FIELDS = frozenset(task_fields_holding(frozenset[str]))
# Words only, in any case: never 1 or 0 (a count?) nor y or n (a typo?).
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


class InventoryWarning(UserWarning):
    """An inventory file holds something left out: columns that are not task facts."""


@attrs.frozen
class Inventory:
    """The tasks of one file, the owner it names (if any), and where each task was written."""

    tasks: tuple[Task, ...]
    owner: Owner | None = None
    lines: tuple[int | None, ...] = ()
    path: str | None = None


def _read_bytes(path: Path) -> bytes:
    """Read a regular file of at most MAX_INVENTORY_BYTES, or raise a FactError saying why.

    Devices and pipes (``/dev/zero``, a FIFO) are refused before they are
    opened, so a wrong path can never hang the command or fill memory.
    """

    def fail(message: str) -> FactError:
        return FactError("file", str(path), message, path=str(path))

    try:
        status = path.stat()
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise fail("is not a regular file")
    if status.st_size > MAX_INVENTORY_BYTES:
        raise fail(f"is {status.st_size:,} bytes, over the limit of {MAX_INVENTORY_BYTES:,}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None


def _load(path: Path) -> Any:
    raw = _read_bytes(path)
    try:
        return read_yaml(
            raw,
            path=str(path),
            max_bytes=MAX_INVENTORY_BYTES,
            max_depth=16,
            max_string=100_000,
            max_values=50_000_000,
        )
    except ReadError as exc:
        raise FactError(
            "file", str(path), exc.message, path=str(path), line=exc.line, column=exc.column
        ) from None


def read_owner(path: str | Path) -> Owner:
    """Read an owner from a YAML or JSON file holding one mapping."""
    where = Path(path)
    data = _load(where)
    if isinstance(data, Mapping) and "owner" in data and isinstance(data["owner"], Mapping):
        data = data["owner"]
    try:
        return Owner.from_dict(data)
    except FactError as exc:
        errors = _Errors()
        errors.add(exc, data, path=str(where), item="owner", key="owner")
        errors.raise_any()
        raise  # pragma: no cover - raise_any raised


def read_inventory(path: str | Path, *, decimal: str = ".") -> Inventory:
    """Read the tasks (and the owner, if the file names one) of an inventory file.

    *decimal* is the decimal mark of a CSV file's numbers: ``"."`` (the
    default) or ``","``. A *path* of ``"-"`` reads CSV from standard input.
    """
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    where = Path(path)
    if str(path) == "-":  # standard input, read as CSV
        rows = _csv_tasks(where, decimal, _read_stdin())
        return Inventory(tuple(t for _, t in rows), None, tuple(line for line, _ in rows), "-")
    if where.suffix.lower() == ".csv":
        rows = _csv_tasks(where, decimal)
        return Inventory(
            tuple(t for _, t in rows), None, tuple(line for line, _ in rows), str(where)
        )
    data = _load(where)
    owner = None
    errors = _Errors()
    if isinstance(data, Mapping):
        for key in data:
            if key not in ("owner", "tasks"):
                errors.add(
                    FactError(
                        key,
                        data[key],
                        "an inventory holds only the keys owner and tasks",
                        suggestion=suggest(key, ["owner", "tasks"]),
                        path=str(where),
                        line=line_of(data, key),
                        column=column_of(data, key),
                    )
                )
        if "owner" in data:
            try:
                owner = Owner.from_dict(data["owner"])
            except FactError as exc:  # reported with the tasks' problems
                errors.add(
                    exc,
                    data["owner"],
                    path=str(where),
                    item="owner",
                    key="owner",
                    fallback=(line_of(data, "owner"), column_of(data, "owner")),
                )
        items = data.get("tasks", [])
        prefix = "tasks"
    else:
        prefix = ""
        items = data
    if not isinstance(items, list):
        errors.add(
            FactError(
                "tasks",
                items,
                "must be a list of tasks",
                path=str(where),
                line=getattr(items, "line", None) or 1,
                column=getattr(items, "column", None),
            )
        )
        errors.raise_any()
    tasks: list[Task] = []
    lines: list[int | None] = []
    for index, item in enumerate(items):
        line = line_of(items, index) if isinstance(items, LocatedList) else None
        name = item.get("name") if isinstance(item, Mapping) else None
        label = name if isinstance(name, str) else f"tasks[{index}]"
        try:
            task = Task.from_dict(item)
        except FactError as exc:
            errors.add(
                exc,
                item,
                path=str(where),
                item=label,
                key=f"{prefix}[{index}]",
                fallback=(line, column_of(items, index)),
            )
            continue
        tasks.append(task)
        lines.append(line)
    errors.raise_any()
    return Inventory(tuple(tasks), owner, tuple(lines), str(where))


def read_inventory_and_owner(
    path: str | Path, owner_path: str | Path | None = None, *, decimal: str = "."
) -> Inventory:
    """Read an inventory and, if *owner_path* is given, the owner file that replaces its owner.

    The problems of both files come in one error, the inventory's first.
    """
    found: list[FactError] = []
    inventory = owner = None
    try:
        inventory = read_inventory(path, decimal=decimal)
    except FactError as exc:
        found.append(exc)
    if owner_path is not None:
        try:
            owner = read_owner(owner_path)
        except FactError as exc:
            found.append(exc)
    if found:
        raise found[0] if len(found) == 1 else InventoryError(found)
    assert inventory is not None
    return inventory if owner_path is None else attrs.evolve(inventory, owner=owner)


class _Errors:
    """The problems of one file, so that one run reports all of them, each in its place."""

    def __init__(self) -> None:
        self.found: list[FactError] = []
        self.more = 0

    def add(
        self,
        error: FactError,
        node: Any = None,
        *,
        path: str | None = None,
        item: str | None = None,
        key: str | None = None,
        fallback: tuple[int | None, int | None] = (None, None),
    ) -> None:
        """Add every problem of *error*, each placed at its fact's key in *node* if written there.

        Without *path*, the problems are added as they are (already placed).
        The problems of one item come in the order they are written in the file.
        """
        placed = []
        for problem in error.errors:
            if path is not None:
                line, column = fallback
                if isinstance(node, LocatedDict) and problem.field in node.lines:
                    line, column = line_of(node, problem.field), column_of(node, problem.field)
                problem = problem.located(
                    path=path, line=line, column=column, item=item, key=key or None
                )
            placed.append(problem)
        if path is not None:
            placed.sort(key=lambda e: (e.line or 0, e.column or 0))  # stable: ties keep order
        for problem in placed:
            if len(self.found) < InventoryError.MAX_REPORTED:
                self.found.append(problem)
            else:
                self.more += 1
        self.more += error.more

    def raise_any(self) -> None:
        if self.found:
            raise InventoryError(self.found, more=self.more)


# --- CSV ---------------------------------------------------------------------------


def _number(field: str, text: str, value: str, decimal: str) -> float:
    """Read a number cell; a comma is a decimal mark only where the file says so."""
    if "," in value:
        if decimal != "," or "." in value or value.count(",") > 1:
            hint = (
                "write the decimal mark as a point (1.5), or read the file with --decimal , "
                "if it uses decimal commas; a comma is never a thousands separator"
                if decimal == "."
                else "with --decimal , a number has one comma and no point"
            )
            raise FactError(field, text, f"must be a number, not {text!r}: {hint}")
        value = value.replace(",", ".")
    try:
        number = float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        raise FactError(field, text, f"must be a number, not {text!r}") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise FactError(field, text, f"must be a finite number, not {text!r}")
    return number + 0 if number == 0 else number  # -0.0 is read as 0.0


def _cell(field: str, text: str, decimal: str = ".") -> Any:
    value = text.strip()
    if value == "":
        return None
    if field in _BOOL_FIELDS:
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise FactError(field, text, f"must be true or false (or yes or no), not {text!r}")
    if field in _NUMBER_FIELDS:
        return _number(field, text, value, decimal)
    if field in _LABEL_FIELDS:
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _csv_rows(reader: Any, path: Path) -> Iterator[list[str]]:
    """Yield the rows of *reader*; what the csv module cannot read is a FactError, not a crash."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a cell over the csv module's limit of 128 KiB, for one
            raise FactError(
                "row", "", f"cannot be read as CSV: {exc}", path=str(path), line=reader.line_num
            ) from None
        yield row


def _delimiter(text: str) -> str:
    """Return the delimiter of the header line: the most frequent of , ; tab and |.

    The header holds fact names, which none of them can be part of, so its
    count is a safer guess than a sniff of cells (labels are split on ``;``).
    A header of one column gives the comma.
    """
    first = text[: text.find("\n")] if "\n" in text else text
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(header: list[str], path: Path) -> list[str | None]:
    """Match the header with the task's facts: the fact of each column, None to leave out.

    Case does not matter. A header close to a fact name is an error with a
    did-you-mean, a fact twice is an error (all of them at once); other
    columns are left out with one warning.
    """
    columns, problems = _header_columns(header, path, stacklevel=5)
    if problems:
        raise problems[0] if len(problems) == 1 else InventoryError(problems)
    return columns


def _header_columns(
    header: list[str], path: Path, *, stacklevel: int = 4
) -> tuple[list[str | None], list[FactError]]:
    """Return the fact of each column (None to leave out) and every problem of the header.

    A column with a problem is left out, so the rows can still be checked;
    a header that names no fact at all is a FactError raised at once.
    *stacklevel* points the warning of left-out columns at the caller's caller.
    """
    known = [a.name for a in attrs.fields(Task)]
    columns: list[str | None] = []
    problems: list[FactError] = []
    left_out = []
    for index, cell in enumerate(header, start=1):
        name = cell.strip()
        fact = name.lower() if name.lower() in known else None
        if fact is None:
            hint = suggest(name.lower(), known)
            if hint is not None:
                problems.append(
                    FactError(
                        name,
                        name,
                        f"is not a task fact (CSV header, column {index})",
                        suggestion=hint,
                        path=str(path),
                        line=1,
                    )
                )
            else:
                left_out.append(name)
        elif fact in columns:
            problems.append(
                FactError(
                    name,
                    name,
                    f"is a column twice (CSV header, column {index}): {fact} has one column",
                    path=str(path),
                    line=1,
                )
            )
            fact = None
        columns.append(fact)
    if not any(columns) and not problems:
        raise FactError(
            "header",
            ",".join(header),
            "names no task fact: a CSV inventory needs a header of fact names (name, ...)",
            path=str(path),
            line=1,
        )
    if left_out:
        warnings.warn(
            f"{path}: columns that are not task facts are left out: {', '.join(left_out)}",
            InventoryWarning,
            stacklevel=stacklevel,
        )
    return columns, problems


def _read_stdin() -> bytes:
    """Read standard input whole, up to MAX_INVENTORY_BYTES, or raise a FactError."""
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(MAX_INVENTORY_BYTES + 1) if stream is not None else b""
    if len(raw) > MAX_INVENTORY_BYTES:
        raise FactError(
            "file", "-", f"standard input is over the limit of {MAX_INVENTORY_BYTES:,} bytes"
        )
    return raw


def _csv_tasks(path: Path, decimal: str = ".", raw: bytes | None = None) -> list[tuple[int, Task]]:
    raw = _read_bytes(path) if raw is None else raw
    try:
        text = read_text(raw, max_bytes=MAX_INVENTORY_BYTES)
    except ReadError as exc:
        raise FactError(
            "file", str(path), exc.message, path=str(path), line=exc.line, column=exc.column
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    lines = _csv_rows(reader, path)
    header = next(lines, None)
    if header is None:
        return []
    columns, problems = _header_columns(header, path)
    rows: list[tuple[int, Task]] = []
    errors = _Errors()
    for problem in problems:  # reported with the rows' problems, each row checked all the same
        errors.add(problem)
    place = {fact: index for index, fact in enumerate(columns) if fact is not None}
    said = {problem.suggestion for problem in problems}  # a misspelt column: said once
    for row in lines:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            errors.add(
                FactError(
                    "row",
                    row,
                    f"has {len(row)} cells but the header has {len(columns)}",
                    path=str(path),
                    line=line,
                )
            )
            continue
        data: dict[str, Any] = {}
        unreadable: list[FactError] = []
        for column, cell in zip(columns, row, strict=True):
            if column is None:
                continue
            try:
                value = _cell(column, cell, decimal)
            except FactError as exc:  # every cell of the row is read, past a bad one
                unreadable.append(exc)
                continue
            if value is not None:
                data[column] = value
        name = data.get("name")
        try:
            task: Task | None = Task.from_dict(data)
        except FactError as exc:
            unreadable.extend(e for e in exc.errors if e.field not in said)
            task = None
        if unreadable:
            unreadable.sort(key=lambda e: place.get(e.field, len(place)))  # in column order
            errors.add(
                InventoryError(unreadable), None, path=str(path), item=name, fallback=(line, None)
            )
        elif task is not None:
            rows.append((line, task))
    errors.raise_any()
    return rows
