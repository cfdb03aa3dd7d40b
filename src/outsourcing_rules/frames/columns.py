"""Reading a frame's task columns: typed and checked as :class:`~outsourcing_rules.Task` is.

Each column named as a task fact becomes one typed polars column (booleans,
doubles, level codes, text, lists of labels), computed by an expression in
the same polars query that decides. A missing column, ``None``, ``NaN``,
``pd.NA`` and null are unknown; an empty level (``""``) is unknown too, as
an empty CSV cell is. numpy and Arrow scalars are read as the Python values
they hold. Nothing else is converted: ``1`` is not ``True``, ``"4"`` is not a
number of hours.

The checks are expressions too: each column of the right type gets a
*suspect* mask, true on every cell that may be bad (a superset: a name that
starts with a space may still not be blank). The query computes only
whether any cell is suspect; when one is, the suspect cells, and only they,
go one by one through the validators of :class:`Task` themselves, so the
rules and the messages are the same as for a single task. Columns of the
wrong type, and columns of Python objects that are not one plain kind of
value, are read cell by cell in the same way.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..core import facts
from ..core.facts import MAX_TEXT, Enjoyment, Skill, Task
from ..core.vocabulary import FACTS, Kind
from ..errors import FactError
from .inputs import Raw
from .problems import TASK_COLUMNS, Cells, need

need("polars", "frames")
import polars as pl  # noqa: E402

_FIELDS = {a.name: a for a in attrs.fields(Task)}
_BOUNDS = {
    "times_per_year": (0.0, float(facts.MAX_TIMES_PER_YEAR)),
    "hours_each": (0.0, float(facts.MAX_HOURS)),
    "provider_hourly_rate": (facts.MIN_PROVIDER_RATE, float(facts.MAX_RATE)),
}
#: Every character Python's ``str.strip`` removes: the blank checks agree with it. The
#: last is U+3000 (ideographic space): scanning up to it, not all of Unicode, takes a
#: millisecond where the full scan took half a second of every command's start-up.
_SPACE = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())
_LEVELS: dict[str, type[Skill] | type[Enjoyment]] = {"skill": Skill, "enjoyment": Enjoyment}
#: The key of the cross-fact check (a one-off task happens once) among the suspects.
CLASH = "__one_off_times"


def kind_of(column: str) -> Kind:
    """Return the kind of value a task column holds."""
    if column in ("name", "description"):
        return Kind.TEXT
    if column == "core_competency":  # the stated fact; the rule fact is derived
        return Kind.BOOL
    return FACTS[column].kind


def polars_type(column: str) -> Any:
    """Return the polars type of a typed task column."""
    return {
        Kind.BOOL: pl.Boolean,
        Kind.NUMBER: pl.Float64,
        Kind.TEXT: pl.String,
        Kind.SKILL: pl.Int8,
        Kind.ENJOYMENT: pl.Int8,
        Kind.LABELS: pl.List(pl.String),
    }[kind_of(column)]


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


def _cell_by_cell(column: str, values: Sequence[Any], cells: Cells) -> pl.Series:
    typed: list[Any] = []
    for position, value in enumerate(values):
        try:
            typed.append(_typed_value(column, check_cell(column, value)))
        except FactError as error:
            cells.add(position, column, error)
            typed.append(None)
    return pl.Series(column, typed, dtype=polars_type(column))


# --- whole columns, as polars expressions -----------------------------------------------


def _is_text(dtype: Any) -> bool:
    return bool(dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum))


def _fits(kind: Kind, dtype: Any) -> bool:
    """Whether a column of polars type *dtype* can be read in bulk as a fact of *kind*."""
    if kind is Kind.BOOL:
        return bool(dtype == pl.Boolean)
    if kind is Kind.NUMBER:
        return bool(dtype.is_integer() or dtype.is_float())
    if kind is Kind.LABELS:
        return isinstance(dtype, pl.List | pl.Array) and (
            _is_text(dtype.inner) or dtype.inner == pl.Null
        )
    return _is_text(dtype)


def _may_be_blank(text: pl.Expr) -> pl.Expr:
    """Mark the texts that are empty or start with one of Python's spaces (the blank ones)."""
    return text.str.strip_chars_start(_SPACE).str.len_bytes() < text.str.len_bytes().clip(1)


def _may_start_blank(text: pl.Expr) -> pl.Expr:
    """Mark a cheaper superset of :func:`_may_be_blank`: empty, or not starting ``!``-``~``.

    Two comparisons of the texts' first bytes; every space Python knows is
    below ``!`` or at U+0085 or above.
    """
    return (text < "!") | (text >= "\x85")


def _text(column: str, dtype: Any) -> pl.Expr:
    found = pl.col(column)
    return found if dtype == pl.String else found.cast(pl.String)


def _level_code(text: pl.Expr, column: str, extra: Mapping[str, int]) -> pl.Expr:
    """Return the level's code: names in lower case by comparisons, *extra* spellings by lookup."""
    names = _LEVELS[column].names()
    code: Any = pl.when(text == names[0]).then(pl.lit(0, dtype=pl.Int8))
    for value, name in enumerate(names[1:], start=1):
        code = code.when(text == name).then(pl.lit(value, dtype=pl.Int8))
    found: pl.Expr = code.otherwise(pl.lit(None, dtype=pl.Int8))
    if extra:
        looked_up = text.replace_strict(
            list(extra), list(extra.values()), default=None, return_dtype=pl.Int8
        )
        found = pl.coalesce(found, looked_up)
    return found


def text_column(column: str) -> str:
    """Return the name of the column holding a level column's text beside its typed codes."""
    return f"__text_{column}"


@attrs.frozen
class Plan:
    """How a frame's task columns are typed and checked, as polars expressions."""

    #: One expression a task column, named as the column, giving its typed values.
    typed: tuple[pl.Expr, ...]
    #: For each column checked in bulk, a mask of the cells that may be bad (no nulls).
    suspects: dict[str, pl.Expr]
    #: For each of them, one value: whether any cell may be bad. These read the
    #: *typed* frame (with :meth:`with_texts`), so a level's codes are computed
    #: once, for the decision and for its check; some are cheaper supersets.
    flags: dict[str, pl.Expr]
    #: The text of each level column read in bulk.
    texts: dict[str, pl.Expr]

    def with_texts(self) -> list[pl.Expr]:
        """Return the typed columns and, under :func:`text_column`, the levels' texts."""
        return [*self.typed, *(text.alias(text_column(c)) for c, text in self.texts.items())]

    def any_suspect(self) -> pl.Expr:
        """Return a one-value expression on the typed frame: whether any cell may be bad."""
        checks = list(self.flags.values())
        return pl.any_horizontal(checks) if checks else pl.lit(False)


def prepare(raw: Raw, cells: Cells) -> tuple[pl.DataFrame, frozenset[str]]:
    """Read, cell by cell, the columns that cannot be read in bulk; record their bad cells.

    Return the frame with those columns typed, and their names.
    """
    typed: list[pl.Series] = []
    for column, values in raw.objects.items():
        typed.append(_cell_by_cell(column, values, cells))
    for column, dtype in raw.frame.schema.items():
        if dtype != pl.Null and not _fits(kind_of(column), dtype):
            typed.append(_cell_by_cell(column, raw.frame.get_column(column).to_list(), cells))
    frame = raw.frame.with_columns(typed) if typed else raw.frame
    return frame, frozenset(s.name for s in typed)


#: The plans of the last frames' schemas, newest last: batch after batch of one
#: file has one schema, and its plan is built once.
_PLANS: dict[tuple[tuple[tuple[str, Any], ...], frozenset[str]], Plan] = {}
_PLANS_KEPT = 32
_PLANS_LOCK = threading.Lock()


def plan_columns(
    frame: pl.DataFrame,
    done: frozenset[str],
    extra: Mapping[str, Mapping[str, int]] | None = None,
) -> Plan:
    """Return the typing and checks of every task column of *frame*.

    Columns in *done* are typed already; the *extra* spellings of levels
    (``" Basic"``) were found valid cell by cell. A plan without them
    depends only on the frame's schema and *done*, and is kept.
    """
    if extra:
        return _plan(frame.schema, done, extra)
    key = (tuple(frame.schema.items()), done)
    found = _PLANS.get(key)
    if found is None:
        found = _plan(frame.schema, done, None)
        with _PLANS_LOCK:  # Dask decides partitions in threads
            while len(_PLANS) >= _PLANS_KEPT:
                del _PLANS[next(iter(_PLANS))]
            _PLANS[key] = found
    return found


def _plan(
    schema: Mapping[str, Any],
    done: frozenset[str],
    extra: Mapping[str, Mapping[str, int]] | None,
) -> Plan:
    typed: dict[str, pl.Expr] = {}
    suspects: dict[str, pl.Expr] = {}
    flags: dict[str, pl.Expr] = {}
    texts: dict[str, pl.Expr] = {}
    for column in TASK_COLUMNS:
        kind = kind_of(column)
        dtype = schema.get(column)
        if dtype is None:
            if column != "name":
                typed[column] = pl.lit(None, dtype=polars_type(column))
            continue
        if column in done:
            typed[column] = pl.col(column)
            continue
        if dtype == pl.Null:
            typed[column] = pl.col(column).cast(polars_type(column))
            if column == "name":
                suspects[column] = flags[column] = pl.lit(True)
            continue
        mine = pl.col(column)
        if kind is Kind.NUMBER:
            number = pl.col(column).cast(pl.Float64)
            if dtype.is_float():
                number = number.fill_nan(None)
            typed[column] = number
            suspects[column] = _out_of_bounds(number, column)
            flags[column] = _out_of_bounds(mine, column).any()
        elif kind.levels is not None:
            text = _text(column, dtype)
            texts[column] = text
            code = _level_code(text, column, {})
            typed[column] = _level_code(text, column, (extra or {}).get(column, {}))
            suspects[column] = _unknown_level(code, text)
            # Without *extra*, the typed codes are *code*: read, not computed again.
            flags[column] = _unknown_level(mine, pl.col(text_column(column))).any()
        elif kind is Kind.TEXT:
            text = _text(column, dtype)
            typed[column] = text
            suspects[column] = _bad_text(text, column == "name", _may_be_blank)
            flags[column] = _bad_text(mine, column == "name", _may_start_blank).any()
        elif kind is Kind.LABELS:
            labels = pl.col(column)
            if dtype != pl.List(pl.String):
                labels = labels.cast(pl.List(pl.String))
            typed[column] = labels
            suspects[column] = _bad_labels(labels, _may_be_blank)
            flags[column] = _bad_labels(mine, _may_start_blank).any()
        else:
            typed[column] = pl.col(column)
    suspects[CLASH] = _clash(typed["one_off"], typed["times_per_year"])
    flags[CLASH] = _clash(pl.col("one_off"), pl.col("times_per_year")).any()
    return Plan(
        typed=tuple(e.alias(c) for c, e in typed.items()),
        suspects=suspects,
        flags=flags,
        texts=texts,
    )


def _out_of_bounds(number: pl.Expr, column: str) -> pl.Expr:
    low, high = _BOUNDS[column]
    return ~number.is_between(low, high).fill_null(True)


def _unknown_level(code: pl.Expr, text: pl.Expr) -> pl.Expr:
    return (code.is_null() & (text != "")).fill_null(False)


def _bad_text(text: pl.Expr, name: bool, blank: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """Mark texts too long, and (for a name) missing or maybe *blank*."""
    long = text.str.len_bytes() > MAX_TEXT
    return (long | blank(text)).fill_null(True) if name else long.fill_null(False)


def _bad_labels(labels: pl.Expr, blank: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """Mark lists holding a missing label, a label too long, or one maybe *blank*."""
    label = pl.element()
    bad = label.is_null() | (label.str.len_bytes() > MAX_TEXT) | blank(label)
    return labels.list.eval(bad).list.any().fill_null(False)


def _clash(one_off: pl.Expr, times: pl.Expr) -> pl.Expr:
    return ((one_off == True) & (times != 1.0)).fill_null(False)  # noqa: E712


# --- the suspect cells, one by one -------------------------------------------------------


def _original(frame: pl.DataFrame, raw: Raw, column: str, positions: list[int]) -> list[Any]:
    """Return the cells at *positions* as given (Python objects where the column held them)."""
    if column in raw.objects:
        values = raw.objects[column]
        return [values[p] for p in positions]
    source = raw.frame if column in raw.frame.columns else frame
    return source.get_column(column).gather(positions).to_list()


def find_bad(frame: pl.DataFrame, raw: Raw, plan: Plan, cells: Cells) -> dict[str, dict[str, int]]:
    """Check the suspect cells one by one; record the bad ones in *cells*.

    Return the valid spellings of levels found among them (``" Basic"``),
    which the typed columns must read as well.
    """
    # The row numbers give the query the frame's height: masks that are constants
    # (a name column of nothing but nulls) are then one value a row, not one in all.
    rows = pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row")
    flags = frame.lazy().select(rows, **plan.suspects).collect()
    extra: dict[str, dict[str, int]] = {}
    for column in plan.suspects:
        positions = flags.get_column(column).arg_true().to_list()
        if not positions:
            continue
        if column == CLASH:
            for position, value in zip(
                positions, _original(frame, raw, "times_per_year", positions), strict=True
            ):
                try:
                    Task(name="row", one_off=True, times_per_year=value)
                except FactError as error:
                    cells.add(position, "times_per_year", error)
        elif column in plan.texts:
            extra[column] = _levels(frame, plan.texts[column], column, positions, cells)
        else:
            for position, value in zip(
                positions, _original(frame, raw, column, positions), strict=True
            ):
                try:
                    check_cell(column, value)
                except FactError as error:
                    cells.add(position, column, error)
    return {column: found for column, found in extra.items() if found}


def _levels(
    frame: pl.DataFrame, text: pl.Expr, column: str, positions: list[int], cells: Cells
) -> dict[str, int]:
    """Read each distinct suspect text of a level column once; return the valid ones' codes."""
    texts = frame.select(text).to_series().gather(positions)
    good: dict[str, int] = {}
    bad: dict[str, FactError] = {}
    for value in texts.unique(maintain_order=True).to_list():
        try:
            code = _typed_value(column, check_cell(column, value))
        except FactError as error:
            bad[value] = error
            continue
        if code is not None:
            good[value] = code
    if bad:
        where = texts.is_in(pl.Series(list(bad), dtype=pl.String).implode())
        bad_positions = pl.Series(positions).filter(where).to_list()
        for position, value in zip(bad_positions, texts.filter(where).to_list(), strict=True):
            cells.add(position, column, bad[value])
    return good
