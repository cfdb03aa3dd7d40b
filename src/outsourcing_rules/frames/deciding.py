"""``decide_frame``: a whole frame of tasks decided in columns, the same kind of frame out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..core.facts import Owner
from ..core.rules import Ruleset
from ..decisions import _as_owner
from ..errors import FactError, suggest
from ..loading import default_ruleset, load_ruleset
from .problems import TASK_COLUMNS, Cells, need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

from .columns import read_columns  # noqa: E402
from .engine import ECONOMICS, compiled  # noqa: E402

#: The columns of a decided frame, after ``name`` when the input has one.
OUTPUT_COLUMNS = ("verdict", "rule", "matched", "role", *ECONOMICS)


def _kind(data: Any) -> str:
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


def _columns(data: Any, kind: str) -> tuple[dict[str, Any], int]:
    """Return the frame's columns by name (Arrow arrays or lists of Python objects)."""
    names = [str(c) for c in data.columns] if kind != "arrow" else list(data.column_names)
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise FactError(twice[0], twice[0], "is a column twice; a fact has one column")
    found: dict[str, Any] = {}
    if kind == "pandas":
        for name, column in zip(names, data.columns, strict=True):
            series = data[column]
            if series.dtype == object:
                found[name] = series.tolist()
            else:
                found[name] = pa.array(series, from_pandas=True)
        return found, len(data)
    if kind == "polars":
        for name in names:
            series = data.get_column(name)
            found[name] = series.to_list() if series.dtype == pl.Object else series.to_arrow()
        return found, data.height
    for name in names:
        found[name] = data.column(name)
    return found, data.num_rows


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


def _read(data: Any, kind: str, extra: str) -> tuple[pl.DataFrame, Cells]:
    columns, rows = _columns(data, kind)
    _unknown_columns(list(columns), extra)
    table, cells = read_columns(columns, rows)
    typed = pl.from_arrow(table)
    assert isinstance(typed, pl.DataFrame)
    return typed, cells


def typed_frame(data: Any, *, extra: Literal["raise", "ignore"] = "raise") -> pl.DataFrame:
    """Return the task columns of *data* typed and checked, as a polars frame.

    Every task fact is a column (unknown ones all null): booleans, doubles,
    levels as their codes, text, lists of labels. Bad cells raise
    :class:`FrameError`.
    """
    kind = _kind(data)
    typed, cells = _read(data, kind, extra)
    if cells.found:
        raise cells.error(_labeller(data, kind))
    return typed


def decide_typed(typed: pl.DataFrame, owner: Owner | None, ruleset: Ruleset) -> pl.DataFrame:
    """Decide a polars frame of typed task columns (see :mod:`.columns`)."""
    engine = compiled(ruleset)
    return engine.decide(typed.lazy(), owner)


def decide_frame(
    data: Any,
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    errors: Literal["raise", "null"] = "raise",
    extra: Literal["raise", "ignore"] = "raise",
) -> Any:
    """Decide every row of a frame of tasks; return the decisions as the same kind of frame.

    *data* is a pandas DataFrame, a polars DataFrame, or a pyarrow Table or
    RecordBatch whose columns are named as :class:`~outsourcing_rules.Task`
    facts, one task a row. A missing column, ``None``, ``NaN``, ``pd.NA`` and
    null are unknown; levels are their names (``"basic"``, ``"hate"``).
    Columns that are not task facts are an error, or left out with
    ``extra="ignore"``.

    The result has, one row per input row and in the same order (a pandas
    result keeps the input's index): ``name`` when the input has it,
    ``verdict``, ``rule`` (null when the default decided), ``matched`` (the
    ids of every rule that applied, in priority order), ``role`` (for
    ``outsource``), and the economics ``hours_per_year``,
    ``hours_per_week``, ``owner_cost_per_year``, ``provider_cost_per_year``,
    ``saving_per_year`` and ``saving_per_week``.

    Bad cells raise one :class:`FrameError` naming every bad row and column
    with its value and what was expected; with ``errors="null"`` those rows
    get a null verdict instead, and an ``error`` column says what is wrong.
    """
    if errors not in ("raise", "null"):
        raise ValueError(f"errors must be 'raise' or 'null', not {errors!r}")
    if extra not in ("raise", "ignore"):
        raise ValueError(f"extra must be 'raise' or 'ignore', not {extra!r}")
    kind = _kind(data)
    chosen = default_ruleset() if ruleset is None else load_ruleset(ruleset)
    the_owner = _as_owner(owner)
    typed, cells = _read(data, kind, extra)
    label = _labeller(data, kind)
    if cells.found and errors == "raise":
        raise cells.error(label)
    decided = decide_typed(typed, the_owner, chosen)
    if "name" in typed.columns:
        decided = decided.insert_column(0, typed.get_column("name"))
    if errors == "null":
        decided = _null_bad_rows(decided, cells, label)
    return _as_kind(decided, data, kind)


def _labeller(data: Any, kind: str) -> Callable[[int], str]:
    if kind == "pandas":
        index = data.index
        return lambda position: f"row {index[position]!r}"
    return lambda position: f"row {position}"


def _null_bad_rows(
    decided: pl.DataFrame, cells: Cells, label: Callable[[int], str]
) -> pl.DataFrame:
    messages = cells.messages(label)
    error = pl.Series("error", [None] * decided.height, dtype=pl.String)
    if messages:
        error = error.scatter(list(messages), list(messages.values()))
    bad = error.is_not_null()
    nulled = decided.with_columns(
        pl.when(bad).then(None).otherwise(pl.col(c)).alias(c) for c in OUTPUT_COLUMNS
    )
    return nulled.with_columns(error)


def output_schema(*, name: bool, error: bool) -> pa.Schema:
    """Return the Arrow schema of a decided frame (with a ``name``, an ``error`` column)."""
    text, numbers = pa.string(), pa.float64()
    fields = [("name", text)] if name else []
    fields += [("verdict", text), ("rule", text), ("matched", pa.list_(text)), ("role", text)]
    fields += [(figure, numbers) for figure in ECONOMICS]
    if error:
        fields.append(("error", text))
    return pa.schema(fields)


def _as_kind(decided: pl.DataFrame, data: Any, kind: str) -> Any:
    if kind == "polars":
        return decided
    schema = output_schema(name="name" in decided.columns, error="error" in decided.columns)
    table = decided.to_arrow().cast(schema)
    if kind == "pandas":
        frame = table.to_pandas(types_mapper=_arrow_dtype)
        frame.index = data.index
        return frame
    if type(data).__name__ == "RecordBatch":
        return table.combine_chunks().to_batches()[0] if table.num_rows else _empty_batch(table)
    return table


def _arrow_dtype(data_type: pa.DataType) -> Any:
    """Return the pandas dtype of an output column: Arrow-backed, so lists stay columns."""
    import pandas as pd

    return pd.ArrowDtype(data_type)


def _empty_batch(table: Any) -> Any:
    """Return an empty RecordBatch of *table*'s schema."""
    return pa.RecordBatch.from_pylist([], schema=table.schema)
