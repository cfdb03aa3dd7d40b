"""Reading a frame's task columns: typed, validated exactly as :class:`~outsourcing_rules.Task` is.

Each column named as a task fact becomes one typed Arrow column (booleans,
doubles, level codes, text, lists of labels). A missing column, ``None``,
``NaN``, ``pd.NA`` and null are unknown; an empty level (``""``) is unknown
too, as an empty CSV cell is. numpy and Arrow scalars are read as the Python
values they hold. Nothing else is converted: ``1`` is not ``True``, ``"4"``
is not a number of hours.

Clean columns are checked in bulk with Arrow compute. The cells a bulk check
flags, and columns of Python objects (a pandas ``object`` column), go one by
one through the validators of :class:`Task` themselves, so the rules and the
messages are the same as for a single task.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from ..core import facts
from ..core.facts import MAX_TEXT, Enjoyment, Skill, Task
from ..core.vocabulary import FACTS, Kind
from ..errors import FactError
from .problems import TASK_COLUMNS, Cells, need

need("pyarrow", "frames")
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

_FIELDS = {a.name: a for a in attrs.fields(Task)}
_MAXIMUM = {
    "times_per_year": facts.MAX_TIMES_PER_YEAR,
    "hours_each": facts.MAX_HOURS,
    "provider_hourly_rate": facts.MAX_RATE,
}
#: Every character Python's ``str.strip`` removes: bulk blank checks agree with it. The
#: last is U+3000 (ideographic space): scanning up to it, not all of Unicode, takes a
#: millisecond where the full scan took half a second of every command's start-up.
_SPACE = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())
_SPACES = pa.array(list(_SPACE), type=pa.string())
_LEVELS: dict[str, type[Skill] | type[Enjoyment]] = {"skill": Skill, "enjoyment": Enjoyment}


def kind_of(column: str) -> Kind:
    """Return the kind of value a task column holds."""
    if column in ("name", "description"):
        return Kind.TEXT
    if column == "core_competency":  # the stated fact; the rule fact is derived
        return Kind.BOOL
    return FACTS[column].kind


# --- one cell at a time, through Task's own validators -----------------------------------


def plain(value: Any) -> Any:
    """Return the Python value a cell holds: numpy, Arrow scalars unwrapped; NaN, NA unknown."""
    if value is None:
        return None
    module = type(value).__module__
    if module.startswith("pyarrow"):
        value = value.as_py()
    elif module == "numpy":
        value = value.tolist()  # a scalar's value, or an array in a cell as a list
    elif module.startswith("pandas") and type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def check_cell(column: str, value: Any) -> Any:
    """Return the typed value of one cell (``None`` = unknown); raise FactError as Task would."""
    value = plain(value)
    if value is None:
        if column == "name":
            raise FactError("name", None, "is required")
        return None
    if column in _LEVELS and isinstance(value, str) and not value.strip():
        return None  # an empty level is unknown, as an empty CSV cell is
    attribute = _FIELDS[column]
    if attribute.converter is not None:
        value = attribute.converter(value)  # type: ignore[operator]
    if attribute.validator is not None:
        attribute.validator(None, attribute, value)
    return value


def _typed_value(column: str, value: Any) -> Any:
    """Return a checked value as its typed column holds it."""
    if value is None:
        return None
    kind = kind_of(column)
    if kind is Kind.NUMBER:
        return float(value)
    if kind.levels is not None:
        return int(value)
    if kind is Kind.LABELS:
        return sorted(value)
    return value


def arrow_type(column: str) -> pa.DataType:
    """Return the Arrow type of a typed task column."""
    kind = kind_of(column)
    return {
        Kind.BOOL: pa.bool_(),
        Kind.NUMBER: pa.float64(),
        Kind.TEXT: pa.string(),
        Kind.SKILL: pa.int8(),
        Kind.ENJOYMENT: pa.int8(),
        Kind.LABELS: pa.list_(pa.string()),
    }[kind]


def _cell_by_cell(column: str, values: Sequence[Any], cells: Cells) -> pa.Array:
    typed: list[Any] = []
    for position, value in enumerate(values):
        try:
            typed.append(_typed_value(column, check_cell(column, value)))
        except FactError as error:
            cells.add(position, column, error)
            typed.append(None)
    return pa.array(typed, type=arrow_type(column))


# --- whole Arrow columns in bulk ---------------------------------------------------------


def _fits(kind: Kind, data_type: pa.DataType) -> bool:
    t = pa.types
    if kind is Kind.BOOL:
        return bool(t.is_boolean(data_type))
    if kind is Kind.NUMBER:
        return bool(t.is_integer(data_type) or t.is_floating(data_type))
    if kind in (Kind.TEXT, Kind.SKILL, Kind.ENJOYMENT):
        return bool(t.is_string(data_type) or t.is_large_string(data_type))
    return bool(
        (t.is_list(data_type) or t.is_large_list(data_type))
        and (t.is_string(data_type.value_type) or t.is_large_string(data_type.value_type))
    )


def _decoded(array: pa.Array) -> pa.Array:
    """Arrow dictionaries (categoricals, polars enums) and views as plain arrays."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    t = array.type
    if pa.types.is_string_view(t) or pa.types.is_large_string(t):
        array = array.cast(pa.string())
    elif pa.types.is_list_view(t) or pa.types.is_large_list(t) or pa.types.is_large_list_view(t):
        array = array.cast(pa.list_(t.value_type))
    t = array.type
    if pa.types.is_list(t) and (
        pa.types.is_string_view(t.value_type) or pa.types.is_large_string(t.value_type)
    ):
        array = array.cast(pa.list_(pa.string()))
    return array


def _flagged(column: str, kind: Kind, array: pa.Array) -> list[int]:
    """Return the positions of the cells a bulk check cannot pass (checked again one by one)."""
    if kind is Kind.NUMBER:
        number = pc.cast(array, pa.float64())
        bad = pc.or_(pc.is_inf(number), pc.less(number, 0.0))
        bad = pc.or_(bad, pc.greater(number, float(_MAXIMUM[column])))
        if column == "provider_hourly_rate":
            bad = pc.or_(bad, pc.less(number, facts.MIN_PROVIDER_RATE))
    elif kind is Kind.TEXT:
        bad = pc.greater(pc.utf8_length(array), MAX_TEXT)
        if column == "name":  # required, and not blank
            bad = pc.fill_null(pc.or_(bad, _may_be_blank(array)), True)
    elif kind is Kind.LABELS:
        flat = pc.list_flatten(array)
        bad_label = pc.fill_null(
            pc.or_(pc.greater(pc.utf8_length(flat), MAX_TEXT), _may_be_blank(flat)), True
        )
        if not pc.any(bad_label).as_py():
            return []
        parents = pc.list_parent_indices(array)
        return sorted(pc.unique(pc.filter(parents, bad_label)).to_pylist())
    else:
        return []
    if not pc.any(pc.fill_null(bad, False)).as_py():
        return []
    return list(pc.indices_nonzero(pc.fill_null(bad, False)).to_pylist())


def _may_be_blank(array: pa.Array) -> pa.Array:
    """Return a mask of the texts that are empty or start with a space (Python's spaces).

    Every blank text is among them; the few that are not blank are let
    through by Task's own check, cell by cell.
    """
    first = pc.utf8_slice_codeunits(array, 0, 1)
    return pc.or_(pc.equal(pc.utf8_length(array), 0), pc.is_in(first, value_set=_SPACES))


def _levels(column: str, array: pa.Array, cells: Cells) -> pa.Array:
    """Level names to codes: each distinct text is read once by the level's own parser."""
    distinct = pc.unique(array).drop_null()
    codes: list[int | None] = []
    bad: dict[str, FactError] = {}
    for text in distinct.to_pylist():
        try:
            codes.append(_typed_value(column, check_cell(column, text)))
        except FactError as error:
            bad[text] = error
            codes.append(None)
    typed = pc.take(pa.array(codes, type=pa.int8()), pc.index_in(array, value_set=distinct))
    if bad:
        where = pc.is_in(array, value_set=pa.array(list(bad), type=pa.string()))
        for position in pc.indices_nonzero(where).to_pylist():
            cells.add(position, column, bad[array[position].as_py()])
    return typed


def _bulk(column: str, array: pa.Array, cells: Cells) -> pa.Array:
    kind = kind_of(column)
    if kind.levels is not None:
        return _levels(column, array, cells)
    positions = _flagged(column, kind, array)
    if kind is Kind.NUMBER:
        typed = pc.cast(array, pa.float64())
        typed = pc.if_else(pc.fill_null(pc.is_nan(typed), False), None, typed)
    else:
        typed = array
    if not positions:
        return typed
    failed = []
    for position in positions:
        try:
            check_cell(column, array[position])
        except FactError as error:
            cells.add(position, column, error)
            failed.append(position)
    if not failed:  # pragma: no cover - the bulk checks flag only bad cells
        return typed
    positions = pa.array(range(len(array)), type=pa.int64())
    mask = pc.is_in(positions, value_set=pa.array(failed, type=pa.int64()))
    return pc.if_else(mask, pa.nulls(len(array), typed.type), typed)


def read_column(column: str, data: Any, rows: int, cells: Cells) -> pa.Array:
    """Type and check one column: an Arrow array, or a sequence of Python objects."""
    if data is None:
        if column == "name":
            raise ValueError("the name column is either given or left out")  # pragma: no cover
        return pa.nulls(rows, arrow_type(column))
    if not isinstance(data, pa.Array | pa.ChunkedArray):
        return _cell_by_cell(column, data, cells)
    array = _decoded(data)
    if pa.types.is_null(array.type):
        if column == "name":
            return _cell_by_cell(column, array.to_pylist(), cells)
        return pa.nulls(rows, arrow_type(column))
    if not _fits(kind_of(column), array.type):
        return _cell_by_cell(column, array.to_pylist(), cells)
    return _bulk(column, array, cells)


def one_off_times(one_off: pa.Array, times: pa.Array, cells: Cells) -> pa.Array:
    """Check Task's one rule across facts: a one-off task happens once. Return *times* cleared."""
    clash = pc.fill_null(pc.and_(pc.equal(one_off, True), pc.not_equal(times, 1.0)), False)
    positions = pc.indices_nonzero(clash).to_pylist()
    for position in positions:
        value = times[position].as_py()
        try:
            Task(name="row", one_off=True, times_per_year=value)
        except FactError as error:
            cells.add(position, "times_per_year", error)
    if not positions:
        return times
    return pc.if_else(clash, pa.nulls(len(times), pa.float64()), times)


def read_columns(columns: dict[str, Any], rows: int) -> tuple[pa.Table, Cells]:
    """Type and check every task column of a frame; missing ones are unknown."""
    cells = Cells()
    typed = {
        column: read_column(column, columns.get(column), rows, cells)
        for column in TASK_COLUMNS
        if column != "name" or column in columns
    }
    typed["times_per_year"] = one_off_times(typed["one_off"], typed["times_per_year"], cells)
    return pa.table(typed), cells
