"""Rows per second of frames.dask_decide and frames.spark_decide, run by hand.

    python benchmarks/frames_scale.py --rows 10000000      # needs the dask and spark extras

Builds a seeded inventory with numpy (every kind of column, a fifth of the
cells unknown), then times, wall clock, ``decide_frame`` on the whole pandas
frame, Dask (``map_partitions``, local process scheduler, one worker a core)
and Spark (``mapInArrow``, local mode, one executor thread a core; the
frame is cached in Spark first so only deciding is timed, with a ``count``
and a sum over the result forcing every row). Markdown on standard output.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from outsourcing_rules import Owner, frames


def inventory(rows: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def holes(values: np.ndarray) -> pd.Series:
        series = pd.Series(values)
        return series.mask(rng.random(rows) < 0.2)

    skills = np.array(["none", "basic", "competent", "expert"], dtype=object)
    enjoy = np.array(["hate", "dislike", "neutral", "like", "love"], dtype=object)
    categories = np.array(["consulting", "invoicing", "design", "video-editing"], dtype=object)
    return pd.DataFrame(
        {
            "name": pd.Series(np.char.add("task ", np.arange(rows).astype(str))),
            "category": holes(categories[rng.integers(0, 4, rows)]).astype("string[pyarrow]"),
            "skill": holes(skills[rng.integers(0, 4, rows)]).astype("string[pyarrow]"),
            "enjoyment": holes(enjoy[rng.integers(0, 5, rows)]).astype("string[pyarrow]"),
            "times_per_year": holes(rng.integers(1, 300, rows).astype(float)),
            "hours_each": holes(np.round(rng.uniform(0.25, 20, rows), 2)),
            "provider_hourly_rate": holes(np.round(rng.uniform(10, 300, rows), 2)),
            "repetitive": holes(rng.random(rows) < 0.5).astype("boolean"),
            "can_be_eliminated": holes(rng.random(rows) < 0.1).astype("boolean"),
            "only_owner": holes(rng.random(rows) < 0.1).astype("boolean"),
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--skip", choices=("dask", "spark"), action="append", default=[])
    args = parser.parse_args()
    owner = Owner(hourly_rate=150, core_competencies={"consulting"})
    print(f"building {args.rows:,} rows", file=sys.stderr)
    frame = inventory(args.rows)
    cores = os.cpu_count() or 1
    results = []
    start = time.perf_counter()
    whole = frames.decide_frame(frame, owner)
    results.append(("decide_frame, one pandas frame", time.perf_counter() - start))
    expected = whole["verdict"].value_counts().to_dict()
    if "dask" not in args.skip:
        import dask.dataframe as dd

        ddf = dd.from_pandas(frame, npartitions=cores * 4)
        start = time.perf_counter()
        counts = (
            frames.dask_decide(ddf, owner)["verdict"]
            .value_counts()
            .compute(scheduler="processes", num_workers=cores)
        )
        results.append((f"dask_decide, {cores} processes", time.perf_counter() - start))
        assert counts.to_dict() == expected, "Dask disagrees with decide_frame"
    if "spark" not in args.skip:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "6g")
            .getOrCreate()
        )
        table = pa.Table.from_pandas(frame, preserve_index=False)
        sdf = spark.createDataFrame(table).repartition(cores * 4).cache()
        sdf.count()
        start = time.perf_counter()
        rows = frames.spark_decide(sdf, owner).groupBy("verdict").count().collect()
        results.append((f"spark_decide, local[{cores}]", time.perf_counter() - start))
        assert {r["verdict"]: r["count"] for r in rows} == expected, "Spark disagrees"
        spark.stop()
    print(f"{args.rows:,} rows, wall time of one run, {cores} cores\n")
    print("| how | wall time | rows/s |")
    print("| --- | ---: | ---: |")
    for label, seconds in results:
        print(f"| {label} | {seconds:.1f} s | {args.rows / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
