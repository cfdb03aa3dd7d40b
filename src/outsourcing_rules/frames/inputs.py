"""A frame of tasks as polars columns, as it is: pandas, polars and Arrow in, nothing checked yet.

Columns polars holds natively become polars series without a copy where
the library allows (a polars frame is used as it is, Arrow columns are
wrapped, pandas columns go through Arrow). A column of Python objects (a
pandas ``object`` column, a polars ``Object`` column) becomes a polars series
only when pandas' type inference says it holds one plain kind of value
(all text, all numbers, all booleans): pyarrow would otherwise read ``True``
as ``1.0`` among floats, or the text ``"ab"`` as the labels ``a`` and ``b``.
Any other column is kept as its Python values, for the checks of
:class:`~outsourcing_rules.Task` to read one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..core.vocabulary import FACTS, Kind
from ..errors import FactError, suggest
from .problems import TASK_COLUMNS, need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

#: What pandas' type inference may say of an object column that Arrow then reads as it is.
_PLAIN = frozenset({"string", "integer", "floating", "mixed-integer-float", "boolean", "empty"})


@attrs.frozen
class Raw:
    """The columns of a frame of tasks, unchecked: polars series, or Python values."""

    #: The columns polars holds, as given (numbers as integers or floats, text as text...).
    frame: pl.DataFrame
    #: The columns of Python objects, by name, each a sequence of cell values.
    objects: dict[str, Sequence[Any]]
    #: The number of rows.
    rows: int
    #: Name a row by its position, for messages (``row 3``, or a pandas index label).
    label: Callable[[int], str]


def frame_kind(data: Any) -> str:
    """Return ``"pandas"``, ``"polars"`` or ``"arrow"``; a TypeError for anything else."""
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "arrow"
    raise TypeError(
        "decide_frame takes a pandas DataFrame, a polars DataFrame or a pyarrow Table "
        f"or RecordBatch, not {type(data).__module__}.{name}"
    )


def _names(data: Any, kind: str) -> list[str]:
    names = [str(c) for c in data.columns] if kind != "arrow" else list(data.column_names)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise FactError(twice[0], twice[0], "is a column twice; a fact has one column")
    return names


def _unknown_columns(names: list[str], extra: str) -> None:
    unknown = [n for n in names if n not in TASK_COLUMNS]
    if not unknown or extra == "ignore":
        return
    hints = ", ".join(
        n + (f" (did you mean {hint!r}?)" if (hint := suggest(n, TASK_COLUMNS)) else "")
        for n in unknown
    )
    raise FactError(
        unknown[0],
        unknown[0],
        f"is not a task fact: columns {hints}; pass extra='ignore' to leave them out",
    )


def _from_arrow(name: str, array: pa.Array | pa.ChunkedArray) -> pl.Series | None:
    """Return an Arrow column as a polars series (no copy where polars can), or None."""
    try:
        series = pl.from_arrow(array)
    except Exception:  # a type polars cannot hold is read cell by cell
        return None
    assert isinstance(series, pl.Series)
    return series.alias(name)


def _pandas_column(name: str, series: Any) -> pl.Series | list[Any]:
    """Return a pandas column as a polars series, or as its Python values."""
    labels = name in FACTS and FACTS[name].kind is Kind.LABELS
    if series.dtype == object and name in FACTS and FACTS[name].kind is Kind.BOOL:
        found = _booleans(name, series)
        if found is not None:
            return found
    if series.dtype == object and not labels:
        from pandas.api.types import infer_dtype

        if infer_dtype(series, skipna=True) not in _PLAIN:
            return list(series.tolist())
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return list(series.tolist())
    if labels and series.dtype == object and not _text_lists(array.type):
        return list(series.tolist())  # not lists of text: read (and refused) cell by cell
    found = _from_arrow(name, array)
    return list(series.tolist()) if found is None else found


def _booleans(name: str, series: Any) -> pl.Series | None:
    """Return an object column of booleans and holes as a polars series, or None.

    Arrow reads a column as booleans only when every value is a boolean
    (Python's or numpy's) or a hole (``None``, ``NaN``, ``pd.NA``); a number
    or a text among them is refused, so pandas' type inference, a second
    pass over the objects, is not needed. Any other column gives None.
    """
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    if not (pa.types.is_boolean(array.type) or pa.types.is_null(array.type)):
        return None
    return _from_arrow(name, array)


def _text_lists(data_type: pa.DataType) -> bool:
    """Whether Arrow read an object column as lists of text (or nothing at all)."""
    t = pa.types
    if t.is_null(data_type):
        return True
    if not t.is_list(data_type):
        return False
    inner = data_type.value_type
    return bool(t.is_string(inner) or t.is_large_string(inner) or t.is_null(inner))


def raw_columns(data: Any, kind: str, extra: str) -> Raw:
    """Return the task columns of *data* (of *kind*, see :func:`frame_kind`), unchecked.

    Columns that are not task facts are an error naming them (with a
    suggestion), or left out with ``extra="ignore"``.
    """
    names = _names(data, kind)
    _unknown_columns(names, extra)
    series: list[pl.Series] = []
    objects: dict[str, Sequence[Any]] = {}
    if kind == "polars":
        rows = data.height
        for name in names:
            if name not in TASK_COLUMNS:
                continue
            column = data.get_column(name)
            if column.dtype == pl.Object:
                objects[name] = column.to_list()
            else:
                series.append(column)
    elif kind == "pandas":
        rows = len(data)
        for name, key in zip(names, data.columns, strict=True):
            if name not in TASK_COLUMNS:
                continue
            found = _pandas_column(name, data[key])
            if isinstance(found, pl.Series):
                series.append(found)
            else:
                objects[name] = found
    else:
        rows = data.num_rows
        for name in names:
            if name not in TASK_COLUMNS:
                continue
            column = data.column(name)
            converted = _from_arrow(name, column)
            if converted is None:
                objects[name] = column.to_pylist()
            else:
                series.append(converted)
    frame = pl.DataFrame(series, height=rows) if series else pl.DataFrame(height=rows)
    return Raw(frame=frame, objects=objects, rows=rows, label=_labeller(data, kind))


def _labeller(data: Any, kind: str) -> Callable[[int], str]:
    if kind == "pandas":
        index = data.index
        return lambda position: f"row {index[position]!r}"
    return lambda position: f"row {position}"
