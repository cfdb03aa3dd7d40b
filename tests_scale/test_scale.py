"""Dask and Spark decide as decide_frame does (frames.scale); run by the scale session.

These tests run for real: Dask's local schedulers (threads, and processes so
the ruleset crosses by pickle) and PySpark in local mode, which needs Java.
"""

from __future__ import annotations

import os
import random
import sys

import pandas as pd
import pyarrow as pa
import pytest

from outsourcing_rules import Owner, frames, load_ruleset

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")

ROWS = 3_000
OWNER = Owner(name="Acme", hourly_rate=120, core_competencies={"consulting"})
RULESET = load_ruleset(
    {
        "ruleset": "scale-test",
        "extends": "default",
        "rules": [
            {
                "id": "tagged-legal",
                "priority": 95,
                "when": {"tags": {"in": ["legal"]}},
                "then": "keep",
                "because": "Legal work stays in house.",
            }
        ],
    }
)


def inventory(rows: int = ROWS, seed: int = 7) -> pd.DataFrame:
    """Return a seeded pandas inventory with every kind of column and unknown cells."""
    rng = random.Random(seed)

    def maybe(value: object) -> object:
        return None if rng.random() < 0.2 else value

    skills = ["none", "basic", "competent", "expert"]
    enjoyments = ["hate", "dislike", "neutral", "like", "love"]
    data = {
        "name": [f"task {i}" for i in range(rows)],
        "category": [maybe(rng.choice(["consulting", "invoicing", "design"])) for _ in range(rows)],
        "skill": [maybe(rng.choice(skills)) for _ in range(rows)],
        "enjoyment": [maybe(rng.choice(enjoyments)) for _ in range(rows)],
        "times_per_year": [maybe(float(rng.randint(1, 300))) for _ in range(rows)],
        "hours_each": [maybe(rng.uniform(0.1, 20)) for _ in range(rows)],
        "repetitive": [maybe(rng.random() < 0.5) for _ in range(rows)],
        "can_be_eliminated": [maybe(rng.random() < 0.1) for _ in range(rows)],
        "provider_hourly_rate": [maybe(rng.uniform(10, 200)) for _ in range(rows)],
        "tags": [maybe(rng.choice([["legal"], ["admin"], []])) for _ in range(rows)],
    }
    frame = pd.DataFrame(data)
    frame["repetitive"] = frame["repetitive"].astype("boolean")
    frame["can_be_eliminated"] = frame["can_be_eliminated"].astype("boolean")
    frame["times_per_year"] = frame["times_per_year"].astype("float64")
    # Arrow-typed lists: Dask turns object columns into text, and a list written
    # as text is not a list of labels.
    frame["tags"] = frame["tags"].astype(pd.ArrowDtype(pa.list_(pa.string())))
    return frame


def expected(frame: pd.DataFrame) -> pd.DataFrame:
    """Return what decide_frame says about *frame* in one piece."""
    return frames.decide_frame(frame, OWNER, ruleset=RULESET)


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Assert two decided frames agree on every row (lists compared as lists)."""
    assert len(got) == len(want)
    for column in want.columns:
        mine = [v.tolist() if hasattr(v, "tolist") else v for v in got[column]]
        theirs = [v.tolist() if hasattr(v, "tolist") else v for v in want[column]]
        assert [None if pd.isna(v) is True else v for v in mine] == [
            None if pd.isna(v) is True else v for v in theirs
        ], column


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_decides_every_partition_as_decide_frame(scheduler: str) -> None:
    """Four partitions, decided by Dask's local scheduler, give decide_frame's result."""
    frame = inventory()
    ddf = dd.from_pandas(frame, npartitions=4)
    result = frames.dask_decide(ddf, OWNER, ruleset=RULESET)
    assert list(result.columns) == ["name", *frames.OUTPUT_COLUMNS]
    computed = result.compute(scheduler=scheduler)
    assert list(computed.index) == list(frame.index)
    same(computed, expected(frame))
    assert set(computed["verdict"]) == {"keep", "outsource", "eliminate"}
    assert "tagged-legal" in set(computed["rule"].dropna())


def test_dask_reports_bad_cells_or_nulls_them() -> None:
    """A bad cell in one partition raises FrameError on compute, or is nulled with errors='null'."""
    frame = inventory(200)
    frame.loc[150, "hours_each"] = -3.0
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(frames.FrameError, match="hours_each: must not be negative"):
        frames.dask_decide(ddf).compute(scheduler="threads")
    nulled = frames.dask_decide(ddf, errors="null").compute(scheduler="threads")
    assert pd.isna(nulled.loc[150, "verdict"])
    assert "must not be negative" in nulled.loc[150, "error"]


@pytest.fixture(scope="module")
def spark():  # type: ignore[no-untyped-def]
    """Start a local Spark session (two cores, no UI); stop it after the tests."""
    sql = pytest.importorskip("pyspark.sql", reason="the spark extra is not installed")
    # The workers run this interpreter, which has outsourcing_rules installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("outsourcing-rules-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_decides_as_decide_frame(spark) -> None:  # type: ignore[no-untyped-def]
    """A Spark DataFrame in local mode, decided through mapInArrow, gives decide_frame's result."""
    frame = inventory()
    sdf = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).repartition(3)
    result = frames.spark_decide(sdf, OWNER, ruleset=RULESET)
    assert result.columns == ["name", *frames.OUTPUT_COLUMNS]
    got = result.toPandas().sort_values("name", key=lambda s: s.str[5:].astype(int))
    want = expected(frame)
    got.index = want.index
    same(got.reset_index(drop=True), want.reset_index(drop=True))


def test_spark_with_errors_null(spark) -> None:  # type: ignore[no-untyped-def]
    """With errors='null', Spark rows with bad cells carry the error text."""
    frame = inventory(50)
    frame.loc[3, "hours_each"] = -1.0
    sdf = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).coalesce(1)
    rows = frames.spark_decide(sdf, errors="null").collect()
    assert rows[3]["verdict"] is None
    assert "must not be negative" in rows[3]["error"]
    assert all(r["verdict"] is not None for i, r in enumerate(rows) if i != 3)
