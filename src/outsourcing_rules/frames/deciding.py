"""``decide_frame``: a whole frame of tasks decided in columns, the same kind of frame out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..core.facts import Owner
from ..core.rules import Ruleset
from ..decisions import _as_owner
from ..loading import default_ruleset, load_ruleset
from .problems import TASK_COLUMNS, Cells, need

need("polars", "frames")
need("pyarrow", "frames")
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

from .columns import find_bad, plan_columns, prepare, text_column  # noqa: E402
from .engine import ECONOMICS, compiled  # noqa: E402
from .inputs import Raw, frame_kind, raw_columns  # noqa: E402

#: The columns of a decided frame, after ``name`` when the input has one.
OUTPUT_COLUMNS = ("verdict", "rule", "matched", "role", *ECONOMICS)


def _checked(raw: Raw, cells: Cells) -> pl.LazyFrame:
    """Return the typed task columns of *raw* as a lazy frame; record its bad cells in *cells*.

    The typed columns are computed once, with each level column's text
    beside its codes; one query over them folds the checks of every column
    into a single flag: whether any cell may be bad. Only when one may are
    the suspect cells, and only they, checked one by one. Levels spelt in a
    way the bulk reading does not know (``"Basic"``) but valid are then read
    as well, and the typed columns computed again.
    """
    frame, done = prepare(raw, cells)
    plan = plan_columns(frame, done)
    typed = frame.lazy().with_columns(plan.with_texts()).collect()
    if cells.found or typed.lazy().select(plan.any_suspect()).collect().item():
        extra = find_bad(frame, raw, plan, cells)
        if extra:
            plan = plan_columns(frame, done, extra)
            typed = frame.lazy().with_columns(plan.with_texts()).collect()
    return typed.drop([text_column(c) for c in plan.texts]).lazy()


def typed_frame(data: Any, *, extra: Literal["raise", "ignore"] = "raise") -> pl.DataFrame:
    """Return the task columns of *data* typed and checked, as a polars frame.

    Every task fact is a column (unknown ones all null): booleans, doubles,
    levels as their codes, text, lists of labels. Bad cells raise
    :class:`FrameError`.
    """
    raw = raw_columns(data, frame_kind(data), extra)
    cells = Cells()
    typed = _checked(raw, cells)
    if cells.found:
        raise cells.error(raw.label)
    names = [c for c in TASK_COLUMNS if c != "name" or c in typed.collect_schema()]
    return typed.select(names).collect()


def decide_raw(
    raw: Raw,
    owner: Owner | None,
    ruleset: Ruleset,
    *,
    errors: Literal["raise", "null"] = "raise",
) -> pl.DataFrame:
    """Decide the columns of a frame read by :func:`~.inputs.raw_columns`, as a polars frame.

    This is :func:`decide_frame` without the conversions in and out: the
    ruleset is compiled once (and cached on it), so calling this batch after
    batch costs only the batches.
    """
    engine = compiled(ruleset)
    cells = Cells()
    typed = _checked(raw, cells)
    if cells.found and errors == "raise":
        raise cells.error(raw.label)
    keep = ["name"] if "name" in typed.collect_schema() else []
    decided = engine.decide(typed, owner, keep)
    if errors == "null":
        decided = _null_bad_rows(decided, cells, raw.label)
    return decided


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
    kind = frame_kind(data)
    chosen = default_ruleset() if ruleset is None else load_ruleset(ruleset)
    the_owner = _as_owner(owner)
    raw = raw_columns(data, kind, extra)
    decided = decide_raw(raw, the_owner, chosen, errors=errors)
    if kind == "polars":
        return decided
    return _as_kind(as_arrow(decided), data, kind)


def as_arrow(decided: pl.DataFrame) -> pa.Table:
    """Return a decided polars frame as an Arrow table of :func:`output_schema`."""
    schema = output_schema(name="name" in decided.columns, error="error" in decided.columns)
    # Large strings convert from polars' string views cheaper than views to strings do.
    return decided.to_arrow(compat_level=pl.CompatLevel.oldest()).cast(schema)


def _null_bad_rows(
    decided: pl.DataFrame, cells: Cells, label: Callable[[int], str]
) -> pl.DataFrame:
    """Give the rows with bad cells null outputs (and a null name if it is bad), and say why."""
    error = pl.repeat(None, decided.height, dtype=pl.String, eager=True).alias("error")
    messages = cells.messages(label)
    if not messages:
        return decided.with_columns(error)
    error = error.scatter(list(messages), list(messages.values()))
    bad = error.is_not_null()
    nulled = [pl.when(bad).then(None).otherwise(pl.col(c)).alias(c) for c in OUTPUT_COLUMNS]
    if "name" in decided.columns:
        bad_names = sorted({p for p, column, _ in cells.found if column == "name"})
        if bad_names:
            names = decided.get_column("name").scatter(bad_names, None)
            nulled.append(pl.lit(names))
    return decided.with_columns(*nulled, error)


def output_schema(*, name: bool, error: bool) -> pa.Schema:
    """Return the Arrow schema of a decided frame (with a ``name``, an ``error`` column)."""
    text, numbers = pa.string(), pa.float64()
    fields = [("name", text)] if name else []
    fields += [("verdict", text), ("rule", text), ("matched", pa.list_(text)), ("role", text)]
    fields += [(figure, numbers) for figure in ECONOMICS]
    if error:
        fields.append(("error", text))
    return pa.schema(fields)


def _as_kind(table: pa.Table, data: Any, kind: str) -> Any:
    """Return a decided table as the kind of frame *data* is (pandas, or Arrow's own kind)."""
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
