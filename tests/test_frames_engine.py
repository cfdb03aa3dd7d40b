"""The columnar engine decides exactly as the native engine does (frames.engine)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pl = pytest.importorskip("polars", reason="the frames extra is not installed")

from outsourcing_rules import Owner, Ruleset, Task, decide, default_ruleset, frames  # noqa: E402
from outsourcing_rules.core.vocabulary import fact_values  # noqa: E402
from outsourcing_rules.frames.engine import ECONOMICS, KEY, compiled  # noqa: E402
from outsourcing_rules.frames.problems import TASK_COLUMNS  # noqa: E402
from outsourcing_rules.testing import owners, rulesets, tasks  # noqa: E402

_TYPES: dict[str, Any] = {
    "name": pl.String,
    "description": pl.String,
    "category": pl.String,
    "skill": pl.String,
    "enjoyment": pl.String,
    "times_per_year": pl.Float64,
    "hours_each": pl.Float64,
    "provider_hourly_rate": pl.Float64,
    "tags": pl.List(pl.String),
}


def frame_of(drawn: list[Task]) -> pl.DataFrame:
    """Return a polars frame holding *drawn* tasks, one a row; unknown facts are nulls."""
    columns: dict[str, list[Any]] = {c: [] for c in TASK_COLUMNS}
    for task in drawn:
        for column in TASK_COLUMNS:
            value = getattr(task, column)
            if column in ("skill", "enjoyment") and value is not None:
                value = str(value)
            elif column == "tags" and value is not None:
                value = sorted(value)
            elif column in ("times_per_year", "hours_each", "provider_hourly_rate"):
                value = None if value is None else float(value)
            columns[column].append(value)
    return pl.DataFrame(
        {c: pl.Series(c, v, dtype=_TYPES.get(c, pl.Boolean)) for c, v in columns.items()}
    )


def same_number(a: float | None, b: float | None) -> bool:
    """Equal figures: both unknown, or the same double (no tolerance)."""
    if a is None or b is None:
        return a is None and b is None
    return a == b or (math.isnan(a) and math.isnan(b))


def assert_same(result: pl.DataFrame, drawn: list[Task], owner: Owner | None, ruleset: Ruleset):
    """Every row of *result* says what the native engine decides for its task."""
    assert result.height == len(drawn)
    for row, task in zip(result.iter_rows(named=True), drawn, strict=True):
        native = decide(task, owner, ruleset=ruleset, engine="native")
        assert row["name"] == task.name
        assert row["verdict"] == native.verdict.value
        assert row["rule"] == native.rule_id
        assert tuple(row["matched"]) == native.matched_rule_ids
        handoff = native.handoff
        assert row["role"] == (None if handoff is None else handoff.role)
        economics = native.economics.to_dict()
        for figure in ECONOMICS:
            assert same_number(row[figure], economics[figure]), (figure, row[figure], economics)


@settings(max_examples=150)
@given(
    ruleset=rulesets(max_rules=8),
    drawn=st.lists(tasks(), min_size=0, max_size=12),
    owner=st.none() | owners(),
)
def test_random_rulesets_decide_as_the_native_engine(
    ruleset: Ruleset, drawn: list[Task], owner: Owner | None
) -> None:
    """On random rulesets and tasks with unknown facts, the native engine's results, exactly.

    Verdict, rule, matches, role and economics.
    """
    result = frames.decide_frame(frame_of(drawn), owner, ruleset=ruleset)
    assert_same(result, drawn, owner, ruleset)


@settings(max_examples=100)
@given(drawn=st.lists(tasks(), min_size=1, max_size=20), owner=st.none() | owners())
def test_the_default_ruleset_decides_as_the_native_engine(
    drawn: list[Task], owner: Owner | None
) -> None:
    """The default ruleset, which tests derived facts such as saving and core competency."""
    ruleset = default_ruleset()
    assert_same(frames.decide_frame(frame_of(drawn), owner, ruleset=ruleset), drawn, owner, ruleset)


@given(drawn=st.lists(tasks(), min_size=1, max_size=10), owner=owners())
def test_derived_facts_equal_the_vocabulary(drawn: list[Task], owner: Owner) -> None:
    """Every derived fact the engine computes is the vocabulary's value, to the last bit."""
    engine = compiled(default_ruleset())
    typed = frames.deciding.typed_frame(frame_of(drawn))
    facts = engine.with_facts(typed.lazy(), owner).collect()
    for row, task in zip(facts.iter_rows(named=True), drawn, strict=True):
        expected = fact_values(task, owner)
        for name in engine.facts:
            got = row[f"__fact_{name}"]
            want = expected[name]
            if isinstance(want, bool) or want is None or not isinstance(want, int | float):
                if name in ("skill", "enjoyment"):
                    want = None if want is None else int(want)
                if name == "tags":
                    got = None if got is None else frozenset(got)
                assert got == want, name
            else:
                assert same_number(got, float(want)), name


def test_huge_integer_figures_are_carried_as_the_nearest_double() -> None:
    """Past 2**53 an integer figure is the nearest double, in the vocabulary and the engine.

    The costs of a task every minute of a year of hours at the highest rate.
    """
    task = Task(
        name="t", times_per_year=999_999, hours_each=9_999, provider_hourly_rate=999_999_999
    )
    owner = Owner(hourly_rate=999_999_937)
    result = frames.decide_frame(frame_of([task]), owner)
    native = decide(task, owner, engine="native").economics
    assert result["saving_per_year"][0] == native.saving_per_year
    assert type(native.provider_cost_per_year) is float
    assert result["provider_cost_per_year"][0] == native.provider_cost_per_year


def test_the_compiled_form_is_cached_on_the_ruleset() -> None:
    """The ruleset is compiled once: a second call finds the same compiled object."""
    ruleset = default_ruleset()
    first = compiled(ruleset)
    assert compiled(ruleset) is first
    assert ruleset.compiled(KEY, lambda _r: pytest.fail("compiled twice")) is first


def test_many_owners_in_turn_each_get_their_own_figures() -> None:
    """Past the owners whose expressions are kept, each owner still gets its own decision."""
    from outsourcing_rules.frames.engine import OWNERS_KEPT

    drawn = [
        Task(name="a", category="design", times_per_year=12, hours_each=3, provider_hourly_rate=40),
        Task(name="b", category="travel", times_per_year=52, hours_each=1, provider_hourly_rate=25),
    ]
    ruleset = default_ruleset()
    frame = frame_of(drawn)
    owners_seen = [
        Owner(name="o", hourly_rate=rate, core_competencies={"design"} if rate % 2 else set())
        for rate in range(10, 10 + 5 * (OWNERS_KEPT + 4), 5)
    ]
    for owner in [*owners_seen, *reversed(owners_seen)]:
        assert_same(frames.decide_frame(frame, owner, ruleset=ruleset), drawn, owner, ruleset)
    assert len(compiled(ruleset)._owners) <= OWNERS_KEPT


def test_frames_of_other_schemas_in_turn_are_typed_each_by_its_own() -> None:
    """A plan kept for one schema is not used for another: levels as codes, as text, missing."""
    as_text = pl.DataFrame({"name": ["a"], "skill": ["basic"], "hours_each": [2]})
    as_categories = as_text.with_columns(pl.col("skill").cast(pl.Categorical))
    without = pl.DataFrame({"name": ["a"], "hours_each": [2.0]})
    for frame in (as_text, as_categories, without, as_text, without, as_categories):
        typed = frames.typed_frame(frame)
        assert typed["skill"].to_list() == ([None] if frame is without else [1])
        assert typed["hours_each"].to_list() == [2.0]


def test_a_ruleset_with_more_than_64_rules() -> None:
    """Matches are packed 64 rules a word: rule 70 is found in the second word."""
    rules = [
        {
            "id": f"r{i}",
            "priority": 1000 - i,
            "when": {"hours_each": {"ge": i}},
            "then": "keep",
            "because": "b",
        }
        for i in range(80)
    ]
    ruleset_data = {
        "ruleset": "many",
        "default": {"verdict": "outsource", "because": "d"},
        "rules": rules,
    }
    frame = pl.DataFrame({"hours_each": [70.5, None, 0.0]})
    result = frames.decide_frame(frame, ruleset=ruleset_data)
    assert result["matched"][0].to_list() == [f"r{i}" for i in range(71)]
    assert result["rule"].to_list() == ["r0", None, "r0"]
    assert result["verdict"].to_list() == ["keep", "outsource", "keep"]


@settings(max_examples=60)
@given(
    ruleset=rulesets(max_rules=8),
    drawn=st.lists(tasks(), min_size=0, max_size=12),
    owner=st.none() | owners(),
)
def test_many_rules_decide_as_few_do(
    ruleset: Ruleset, drawn: list[Task], owner: Owner | None
) -> None:
    """Past DENSE_RULES rules, patterns are joined, not looked up: the same decisions.

    The threshold is lowered to none, so random rulesets take that path too.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frames.engine, "DENSE_RULES", -1)
        result = frames.decide_frame(frame_of(drawn), owner, ruleset=ruleset)
    assert_same(result, drawn, owner, ruleset)


@settings(max_examples=60)
@given(
    ruleset=rulesets(max_rules=6),
    drawn=st.lists(tasks(), min_size=0, max_size=10),
    owner=st.none() | owners(),
)
def test_arrow_and_pandas_give_the_table_polars_gives(
    ruleset: Ruleset, drawn: list[Task], owner: Owner | None
) -> None:
    """An Arrow table and a pandas frame of the same tasks are decided as the polars frame."""
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    frame = frame_of(drawn)
    expected = frames.decide_frame(frame, owner, ruleset=ruleset)
    table = frames.decide_frame(frame.to_arrow(), owner, ruleset=ruleset)
    assert pl.from_arrow(table).equals(expected)  # type: ignore[union-attr]
    pandas = frames.decide_frame(frame.to_pandas(), owner, ruleset=ruleset)
    assert isinstance(pandas, pd.DataFrame)
    back = pl.from_arrow(pandas_table(pandas))
    assert back.equals(expected)  # type: ignore[union-attr]


def pandas_table(frame: Any) -> Any:
    """Return a decided pandas frame as an Arrow table (its index left out)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def test_owners_equal_but_for_a_zero_rates_sign_get_their_own_figures() -> None:
    """``Owner(hourly_rate=0.0) == Owner(hourly_rate=-0.0)``, but their costs' signs differ."""
    task = Task(name="t", hours_each=2, times_per_year=1, provider_hourly_rate=10)
    ruleset = default_ruleset()
    frame = frame_of([task])
    for owner in (Owner(hourly_rate=0.0), Owner(hourly_rate=-0.0), Owner(hourly_rate=0.0)):
        got = frames.decide_frame(frame, owner, ruleset=ruleset)["owner_cost_per_year"][0]
        native = decide(task, owner, ruleset=ruleset, engine="native").economics
        assert native.owner_cost_per_year is not None
        assert math.copysign(1.0, got) == math.copysign(1.0, native.owner_cost_per_year)
