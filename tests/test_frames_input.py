"""Frames in: pandas, polars and Arrow, unknowns, scalar types and bad cells (frames.columns)."""

from __future__ import annotations

import copy
import math
import pickle

import pytest

pl = pytest.importorskip("polars", reason="the frames extra is not installed")
pa = pytest.importorskip("pyarrow", reason="the frames extra is not installed")
pd = pytest.importorskip("pandas", reason="pandas is not installed")
np = pytest.importorskip("numpy", reason="numpy is not installed")

from outsourcing_rules import FactError, Task, decide, frames  # noqa: E402
from outsourcing_rules.frames import FrameError  # noqa: E402

from _examples import SALLY  # noqa: E402

ROWS = {
    "name": ["Client invoicing", "Strategy", "Edit video"],
    "category": ["invoicing", "consulting", None],
    "times_per_year": [52, 12, None],
    "hours_each": [4.0, None, 3.5],
    "provider_hourly_rate": [37.5, None, 40.0],
    "skill": ["competent", None, "NONE"],
}
EXPECTED = [
    ("Client invoicing", "outsource", "opportunity-cost"),
    ("Strategy", "keep", "core-competency"),
    ("Edit video", "outsource", "skill-gap"),
]


def native(rows: dict[str, list[object]]) -> list[tuple[str, str, str | None]]:
    """Return what deciding each row as a Task gives."""
    names = list(rows)
    found = []
    for values in zip(*rows.values(), strict=True):
        task = Task.from_dict({n: v for n, v in zip(names, values, strict=True) if v is not None})
        d = decide(task, SALLY, engine="native")
        found.append((task.name, d.verdict.value, d.rule_id))
    return found


def test_the_expected_decisions_are_the_native_ones() -> None:
    """The table the tests below expect is what deciding each row as a Task gives."""
    assert native(ROWS) == EXPECTED


def test_polars_in_polars_out() -> None:
    """A polars frame gives a polars frame with every output column."""
    result = frames.decide_frame(pl.DataFrame(ROWS), SALLY)
    assert isinstance(result, pl.DataFrame)
    assert result.columns == ["name", *frames.OUTPUT_COLUMNS]
    assert result.select("name", "verdict", "rule").rows() == EXPECTED
    assert result["matched"].to_list()[1] == ["core-competency"]
    assert result["role"].to_list() == ["bookkeeper", None, "specialist"]


def test_pandas_in_pandas_out_keeping_the_index() -> None:
    """A pandas frame (NaN for unknown numbers, None for text) gives pandas, same index."""
    frame = pd.DataFrame(ROWS, index=[10, 20, 30])
    assert frame["hours_each"].isna().tolist() == [False, True, False]  # NaN, read as unknown
    result = frames.decide_frame(frame, SALLY)
    assert isinstance(result, pd.DataFrame)
    assert list(result.index) == [10, 20, 30]
    assert (
        list(zip(result["name"], result["verdict"], result["rule"], strict=True))[:2]
        == (EXPECTED[:2])
    )
    assert pd.isna(result["rule"].iloc[1]) is False
    assert list(result.loc[20, "matched"]) == ["core-competency"]


def test_arrow_table_and_record_batch() -> None:
    """A pyarrow Table gives a Table, a RecordBatch a RecordBatch."""
    table = pa.table(ROWS)
    result = frames.decide_frame(table, SALLY)
    assert isinstance(result, pa.Table)
    columns = (result[c].to_pylist() for c in ("name", "verdict", "rule"))
    assert list(zip(*columns, strict=True)) == EXPECTED
    batch = frames.decide_frame(table.to_batches()[0], SALLY)
    assert isinstance(batch, pa.RecordBatch)
    assert batch.column("verdict").to_pylist() == [v for _, v, _ in EXPECTED]


def test_every_kind_of_missing_value_is_unknown() -> None:
    """None, NaN, pd.NA, numpy NaN and a missing column are unknown, never false or zero."""
    frame = pd.DataFrame(
        {
            "name": ["a", "b", "c", "d"],
            "hours_each": pd.array([1.5, None, None, 2.0], dtype="Float64"),
            "only_owner": [True, None, pd.NA, np.nan],
            "skill": ["basic", None, pd.NA, ""],
        }
    )
    result = frames.decide_frame(frame)
    rows = list(zip(result["rule"], result["hours_per_year"], strict=True))
    assert rows[0][0] == "only-owner"
    assert all(pd.isna(rule) for rule, _ in rows[1:3])
    assert pd.isna(rows[3][0])  # an empty skill is unknown, not a gap


def test_numpy_and_arrow_scalars_in_object_columns() -> None:
    """Integers and booleans of numpy, and Arrow scalars, are the values they hold."""
    frame = pd.DataFrame(
        {
            "name": ["a", "b"],
            "times_per_year": pd.Series([np.int64(52), pa.scalar(12)], dtype=object),
            "hours_each": pd.Series([np.float32(2.5), np.int16(3)], dtype=object),
            "repetitive": pd.Series([np.bool_(True), pa.scalar(False)], dtype=object),
        }
    )
    result = frames.decide_frame(frame)
    assert result["hours_per_year"].tolist() == [130.0, 36.0]
    assert next(iter(result["rule"])) == "repetitive"


def test_bad_cells_make_one_error_naming_every_row_and_column() -> None:
    """Every bad cell is named with its row, column, value and what was expected."""
    frame = pd.DataFrame(
        {
            "name": ["ok", "bad", "worse"],
            "hours_each": [1.0, -2.0, math.inf],
            "skill": ["basic", "guru", "basic"],
            "only_owner": pd.Series([True, 1, "yes"], dtype=object, index=["x", "y", "z"]),
        },
        index=["x", "y", "z"],
    )
    with pytest.raises(FrameError) as caught:
        frames.decide_frame(frame)
    error = caught.value
    assert isinstance(error, FactError)
    assert error.rows == (1, 2)
    text = str(error)
    assert "row 'y': hours_each: must not be negative, got -2.0" in text
    assert "row 'z': hours_each: must be a finite number, not inf" in text
    assert "row 'y': skill: 'guru' is not one of none, basic, competent, expert" in text
    assert "row 'y': only_owner: must be true or false, not 1" in text
    assert "row 'z': only_owner: must be true or false, not 'yes'" in text
    assert len(error.errors) == 5


def test_messages_are_those_of_task() -> None:
    """A bad cell's message is exactly what Task says about the same value."""
    for column, value in [
        ("hours_each", 10_001),
        ("times_per_year", 1_000_001),
        ("provider_hourly_rate", 0.001),
        ("category", "x" * 10_001),
        ("name", "   "),
    ]:
        data = {"name": ["t"], column: [value]}
        with pytest.raises(FrameError) as caught:
            frames.decide_frame(pl.DataFrame(data))
        with pytest.raises(FactError) as single:
            Task.from_dict({"name": "t", column: value})
        assert caught.value.errors[0].reason == single.value.reason, column


def test_a_one_off_task_with_a_frequency_is_refused_as_task_refuses_it() -> None:
    """one_off true with times_per_year other than 1 is Task's cross-fact rule."""
    frame = pl.DataFrame({"one_off": [True, True, None], "times_per_year": [1, 4, 4]})
    with pytest.raises(FrameError) as caught:
        frames.decide_frame(frame)
    assert caught.value.rows == (1,)
    assert "a one-off task" in str(caught.value)


def test_errors_null_gives_bad_rows_a_null_verdict_and_an_error_column() -> None:
    """With errors='null' good rows are decided and bad ones say what is wrong."""
    frame = pl.DataFrame({"name": ["a", "b"], "hours_each": [2.0, -1.0], "skill": ["none", "x"]})
    result = frames.decide_frame(frame, errors="null")
    assert result["verdict"].to_list() == ["outsource", None]
    assert result["error"][0] is None
    assert "hours_each: must not be negative" in result["error"][1]
    assert "skill: 'x' is not one of" in result["error"][1]


def test_nothing_is_coerced() -> None:
    """Numbers as text, integers as booleans and booleans as numbers are refused."""
    cases = [
        pl.DataFrame({"hours_each": ["4"]}),
        pl.DataFrame({"repetitive": [1]}),
        pl.DataFrame({"hours_each": [True]}),
        pl.DataFrame({"skill": [2]}),
        pl.DataFrame({"tags": ["a;b"]}),
    ]
    for frame in cases:
        with pytest.raises(FrameError):
            frames.decide_frame(frame)


def test_unknown_columns_are_refused_with_a_suggestion_or_ignored() -> None:
    """A column that is not a fact is an error with a did-you-mean, unless extra='ignore'."""
    frame = pl.DataFrame({"name": ["a"], "hours_eahc": [1.0], "id": [7]})
    with pytest.raises(FactError, match="did you mean 'hours_each'"):
        frames.decide_frame(frame)
    assert frames.decide_frame(frame, extra="ignore")["verdict"].to_list() == ["keep"]


def test_levels_as_categoricals_and_labels_as_lists() -> None:
    """Categorical levels and list-of-text labels are read; an empty list has no labels."""
    frame = pl.DataFrame(
        {
            "skill": pl.Series(["basic", "expert"], dtype=pl.Categorical),
            "tags": [["a"], []],
        }
    )
    assert frames.decide_frame(frame)["rule"].to_list() == ["skill-gap", None]


def test_an_empty_frame() -> None:
    """No rows in, no rows out, with the output columns."""
    result = frames.decide_frame(pl.DataFrame({"name": pl.Series([], dtype=pl.String)}))
    assert result.height == 0
    assert "verdict" in result.columns


def test_the_frame_error_pickles() -> None:
    """A FrameError crosses process boundaries (Dask, Spark) whole."""
    with pytest.raises(FrameError) as caught:
        frames.decide_frame(pl.DataFrame({"hours_each": [-1.0]}))
    copied = pickle.loads(pickle.dumps(caught.value))
    assert str(copied) == str(caught.value)
    assert copied.rows == (0,)
    assert str(copy.deepcopy(caught.value)) == str(caught.value)


def test_other_inputs_are_a_type_error() -> None:
    """A list of dicts is not a frame: decide_all takes those."""
    with pytest.raises(TypeError, match="pandas DataFrame"):
        frames.decide_frame([{"name": "a"}])


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """With polars not importable, asking for decide_frame says: install the frames extra."""
    import sys

    from outsourcing_rules import MissingExtraError

    monkeypatch.setitem(sys.modules, "polars", None)  # import polars now fails
    for module in ("deciding", "engine", "columns", "scale"):
        monkeypatch.delitem(sys.modules, f"outsourcing_rules.frames.{module}", raising=False)
    monkeypatch.delitem(frames.__dict__, "decide_frame", raising=False)
    with pytest.raises(MissingExtraError, match=r"outsourcing-rules\[frames\]") as caught:
        frames.decide_frame(pl.DataFrame({"name": ["a"]}))
    assert isinstance(caught.value, ImportError)
    assert caught.value.extra == "frames"


def test_object_columns_of_one_plain_kind_are_read_as_typed_ones() -> None:
    """Object columns of text, numbers, booleans and lists of labels decide as typed ones."""
    typed = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "category": ["invoicing", None, "consulting"],
            "hours_each": [1.5, np.nan, 2.0],
            "repetitive": pd.array([True, None, False], dtype="boolean"),
        }
    )
    objects = typed.astype(object)
    objects["tags"] = pd.Series([["x", "y"], None, ()], dtype=object)
    typed["tags"] = pd.Series([["x", "y"], None, []], dtype=object)
    assert objects.dtypes.eq(object).all()
    want = frames.decide_frame(typed, SALLY)
    got = frames.decide_frame(objects, SALLY)
    assert got.astype(str).equals(want.astype(str))
    assert list(got["matched"].iloc[0]) == ["repetitive"]
    assert list(got["verdict"]) == ["outsource", "keep", "keep"]


def test_object_columns_are_not_coerced_by_the_bulk_reading() -> None:
    """What Arrow alone would coerce (True among numbers, a text as labels) is refused."""
    cases = [
        ("hours_each", [1.5, True], "must be a number, not True"),
        ("tags", [["a"], "bc"], "must be a list of text labels, not 'bc'"),
        ("tags", ["ab", "cd"], "must be a list of text labels, not 'ab'"),
        ("repetitive", [True, 1], "must be true or false, not 1"),
        ("category", ["a", b"b"], "must be text"),
    ]
    for column, values, message in cases:
        frame = pd.DataFrame({"name": ["a", "b"], column: pd.Series(values, dtype=object)})
        with pytest.raises(FrameError) as caught:
            frames.decide_frame(frame)
        assert message in str(caught.value), column
        assert caught.value.rows == (1,) or column == "tags", column


def test_numbers_before_booleans_are_not_read_as_numbers() -> None:
    """Arrow reads ``[1.0, True]`` as the numbers 1.0 and 1.0; a boolean column refuses the 1.0."""
    for values, message in [([1.0, True], "not 1.0"), ([0, np.True_], "not 0")]:
        frame = pd.DataFrame({"name": ["a", "b"], "repetitive": pd.Series(values, dtype=object)})
        with pytest.raises(FrameError) as caught:
            frames.decide_frame(frame)
        assert caught.value.rows == (0,)
        assert f"must be true or false, {message}" in str(caught.value)
        assert "row 1" not in str(caught.value)


def test_object_columns_of_booleans_and_holes_are_read_in_bulk() -> None:
    """Python and numpy booleans, None, NaN, pd.NA, NaT in an object column: booleans, unknown."""
    values = [True, np.False_, None, float("nan"), pd.NA, pd.NaT]
    frame = pd.DataFrame({"name": list("abcdef"), "repetitive": pd.Series(values, dtype=object)})
    typed = frames.typed_frame(frame)
    assert typed["repetitive"].to_list() == [True, False, None, None, None, None]
    assert typed.schema["repetitive"] == pl.Boolean


def test_texts_that_only_may_be_blank_pass_and_blank_ones_are_named() -> None:
    """Names and labels starting with letters past ASCII pass; Unicode spaces alone do not."""
    fine = pl.DataFrame({"name": ["Ärger", "日本", "\u00a0x"], "tags": [["é"], ["\u3000y"], []]})
    assert frames.decide_frame(fine)["name"].to_list() == ["Ärger", "日本", "\u00a0x"]
    blank = pl.DataFrame({"name": ["ok", "\u00a0\u2003", "x"], "tags": [["a"], ["b"], ["\u3000"]]})
    with pytest.raises(FrameError) as caught:
        frames.decide_frame(blank)
    assert caught.value.rows == (1, 2)
    text = str(caught.value)
    assert "row 1: name: must not be empty" in text
    assert "row 2: tags: every label must be non-empty text" in text
    assert "row 0" not in text


def test_levels_in_any_case_and_with_spaces_are_read() -> None:
    """A level's name in any case, with spaces around, is the level; empty is unknown."""
    frame = pl.DataFrame({"name": list("abcd"), "skill": ["Basic", " EXPERT ", "none", ""]})
    result = frames.decide_frame(frame)
    assert result["rule"].to_list() == ["skill-gap", None, "skill-gap", None]
    typed = frames.typed_frame(frame)
    assert typed["skill"].to_list() == [1, 3, 0, None]


def test_a_name_column_of_nothing_but_nulls_names_every_row() -> None:
    """With no other column to give the frame its height, every missing name is still named."""
    for frame in (pl.DataFrame({"name": [None, None, None]}), pd.DataFrame({"name": [None] * 3})):
        with pytest.raises(FrameError) as caught:
            frames.decide_frame(frame)
        assert caught.value.rows == (0, 1, 2)
        assert str(caught.value).count("name: is required") == 3
        nulled = frames.decide_frame(frame, errors="null")
        assert list(nulled["error"]) == ["name: is required"] * 3
