"""Rows per second of the columnar engine (``frames.decide_frame``) against the native engine.

Run by hand, never by the test suite::

    python benchmarks/frames_throughput.py              # 1,000,000 rows, 5 repeats
    python benchmarks/frames_throughput.py --rows 100000 --repeats 3

It decides the seeded random tasks of ``_workload.py`` (unknown facts
included) with the default ruleset and the benchmark owner, in one run:

* native ``decide_iter``, streamed, on ``Task`` objects built beforehand
  (the engine's best case: no validation, nothing kept);
* ``frames.decide_frame`` on a polars frame, a pandas frame and a pyarrow
  Table, each returning the same kind: reading and checking every column,
  deciding, and building the output frame (verdict, rule, matched rules,
  role and the economics);
* the columnar engine alone, on columns typed and checked beforehand;
* the same compiled conditions evaluated with Arrow compute instead of
  polars (verdict only), the measurement behind the choice of polars.

The pandas frame is the one ``polars.DataFrame.to_pandas()`` gives: text as
pandas' default string type, booleans with holes and labels as Python
objects in ``object`` columns (which Arrow must read one by one), numbers
as ``float64``. A second pandas frame has Arrow-backed types
(``to_pandas(use_pyarrow_extension_array=True)``), which convert without
touching Python objects.

It first checks that the frames' verdicts, rules and matches equal the
native engine's on every row, and that the three inputs give the same
table. Each contender's first call is timed apart (it pays for fresh
memory), then medians of the wall-clock times and of the CPU times (of
every thread; polars spreads its work over the cores) of the next calls;
the report is Markdown on standard output, with the machine's load average
before and after.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from outsourcing_rules import Owner, Task, decide_iter, default_ruleset, frames
from outsourcing_rules.core.conditions import AllOf, AnyOf, Atom, Condition
from outsourcing_rules.core.vocabulary import FACTS, Kind
from outsourcing_rules.frames.engine import compiled

TARGET = 10.0  # the columnar engine >= 10x native decide_iter


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(function: Callable[[], Any], repeats: int) -> tuple[float, list[float], list[float]]:
    """Return the wall-clock time of a first call, then those and the CPU times of *repeats*.

    The first call is reported apart, not among the medians: the first call
    after another contender pays for fresh memory (the system's page
    faults), which varies from a few milliseconds to a hundred with what ran
    before, not with the contender.
    """
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return first, walls, cpus


# --- the Arrow compute alternative: the same conditions, evaluated eagerly -------------


def arrow_facts(typed: pa.Table, owner: Owner) -> dict[str, pa.Array]:
    """Return the default ruleset's facts by Arrow compute, derived as the engine does."""
    col = {name: typed.column(name).combine_chunks() for name in typed.column_names}
    rate = pa.scalar(float(owner.hourly_rate or 0.0))
    hours = pc.if_else(
        pc.fill_null(col["one_off"], False),
        col["hours_each"],
        pc.multiply(col["times_per_year"], col["hours_each"]),
    )
    owner_cost = pc.multiply(hours, rate)
    provider_cost = pc.multiply(hours, col["provider_hourly_rate"])
    core = sorted(owner.core_competencies or ())
    listed = pc.is_in(col["category"], value_set=pa.array(core, type=pa.string()))
    stated = col["core_competency"]
    core_competency = pc.if_else(
        pc.fill_null(stated, False),
        True,
        pc.if_else(pc.is_valid(col["category"]), listed, stated),
    )
    facts = dict(col)
    facts.update(
        hours_per_year=hours,
        hours_per_week=pc.divide(hours, 52.0),
        saving_per_week=pc.divide(pc.subtract(owner_cost, provider_cost), 52.0),
        owner_cost_per_year=owner_cost,
        provider_cost_per_year=provider_cost,
        saving_per_year=pc.subtract(owner_cost, provider_cost),
        rate_ratio=pc.divide(rate, col["provider_hourly_rate"]),
        owner_hourly_rate=pa.nulls(len(hours), pa.float64()).fill_null(rate),
        hours_known=pc.is_valid(hours),
        enjoyment_known=pc.is_valid(col["enjoyment"]),
        rates_known=pc.is_valid(col["provider_hourly_rate"]),
        core_competency=core_competency,
        recurring=pc.if_else(
            pc.is_valid(col["one_off"]),
            pc.invert(col["one_off"]),
            pc.if_else(pc.is_valid(col["times_per_year"]), True, pa.scalar(None, pa.bool_())),
        ),
    )
    return facts


_ARROW_OPS = {
    "eq": pc.equal,
    "ne": pc.not_equal,
    "lt": pc.less,
    "le": pc.less_equal,
    "gt": pc.greater,
    "ge": pc.greater_equal,
}


def arrow_condition(condition: Condition, facts: dict[str, pa.Array]) -> pa.Array:
    if isinstance(condition, Atom):
        column = facts[condition.fact]
        kind = FACTS[condition.fact].kind
        value = condition.value
        if kind is Kind.LABELS:
            flat = pc.list_flatten(column)
            hits = pc.is_in(flat, value_set=pa.array(sorted(value), type=pa.string()))
            parents = pc.list_parent_indices(column)
            rows = pc.unique(pc.filter(parents, hits))
            positions = pa.array(range(len(column)), type=parents.type)
            hit = pc.if_else(pc.is_valid(column), pc.is_in(positions, value_set=rows), None)
            test = hit if condition.op == "in" else pc.invert(hit)
        elif condition.op in ("in", "not_in"):
            values = [int(v) if kind.levels else v for v in value]
            found = pc.is_in(column, value_set=pa.array(values, type=column.type))
            found = pc.if_else(pc.is_valid(column), found, None)
            test = found if condition.op == "in" else pc.invert(found)
        else:
            constant = int(value) if kind.levels else value
            test = _ARROW_OPS[condition.op](column, pa.scalar(constant, type=column.type))
        return pc.fill_null(test, False)
    parts = [arrow_condition(p, facts) for p in condition.parts]  # type: ignore[union-attr]
    joined = parts[0]
    for part in parts[1:]:
        joined = pc.and_(joined, part) if isinstance(condition, AllOf) else pc.or_(joined, part)
    assert isinstance(condition, AllOf | AnyOf)
    return joined


def arrow_decide(typed: pa.Table, owner: Owner, ruleset: Any) -> pa.Array:
    facts = arrow_facts(typed, owner)
    verdict = pa.nulls(typed.num_rows, pa.string()).fill_null(ruleset.default_verdict.value)
    for rule in reversed(ruleset.rules):
        verdict = pc.if_else(arrow_condition(rule.condition, facts), rule.verdict.value, verdict)
    return verdict


def frames_of(data: list[dict[str, Any]]) -> tuple[pl.DataFrame, Any, Any, pa.Table]:
    """Return the tasks as a polars frame, two pandas frames and a pyarrow Table.

    The first pandas frame has pandas' default types, the second Arrow-backed ones.
    """
    frame = pl.DataFrame(
        {name: [d[name] for d in data] for name in data[0]},
        schema_overrides={
            "times_per_year": pl.Float64,
            "hours_each": pl.Float64,
            "provider_hourly_rate": pl.Float64,
        },
        strict=False,
    )
    arrow_backed = frame.to_pandas(use_pyarrow_extension_array=True)
    return frame, frame.to_pandas(), arrow_backed, frame.to_arrow()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows, repeats = args.rows, args.repeats
    ruleset = default_ruleset()
    owner = Owner.from_dict(workload.OWNER)
    log(f"building {rows:,} tasks")
    data = list(workload.tasks_data(rows))
    tasks = [Task.from_dict({k: v for k, v in d.items() if v is not None}) for d in data]
    frame, pandas_frame, arrow_backed, table = frames_of(data)
    del data
    log("checking the frames agree with the native engine")
    decided = frames.decide_frame(frame, owner, ruleset=ruleset)
    native = [
        (d.verdict.value, d.rule_id, list(d.matched_rule_ids))
        for d in decide_iter(tasks, owner, ruleset=ruleset, engine="native")
    ]
    got = list(zip(decided["verdict"], decided["rule"], decided["matched"].to_list(), strict=True))
    assert [tuple(g) for g in got] == [tuple(n) for n in native], "frames disagree with native"
    del native, got
    from_pandas = pl.from_arrow(
        pa.Table.from_pandas(frames.decide_frame(pandas_frame, owner), preserve_index=False)
    )
    from_arrow = pl.from_arrow(frames.decide_frame(table, owner))
    assert isinstance(from_pandas, pl.DataFrame)
    assert isinstance(from_arrow, pl.DataFrame)
    assert from_pandas.equals(decided), "pandas in gives another table"
    assert from_arrow.equals(decided), "Arrow in gives another table"
    typed = frames.typed_frame(frame)
    typed_arrow = typed.to_arrow()
    arrow_verdicts = arrow_decide(typed_arrow, owner, ruleset).to_pylist()
    assert arrow_verdicts == decided["verdict"].to_list(), "Arrow compute disagrees"
    engine = compiled(ruleset)

    def stream_native() -> None:
        for _ in decide_iter(tasks, owner, ruleset=ruleset, engine="native"):
            pass

    contenders: list[tuple[str, Callable[[], Any]]] = [
        ("native `decide_iter`, streamed", stream_native),
        ("`decide_frame`, polars in and out", lambda: frames.decide_frame(frame, owner)),
        ("`decide_frame`, pandas in and out", lambda: frames.decide_frame(pandas_frame, owner)),
        ("`decide_frame`, Arrow in and out", lambda: frames.decide_frame(table, owner)),
        (
            "`decide_frame`, pandas (Arrow-backed types) in and out",
            lambda: frames.decide_frame(arrow_backed, owner),
        ),
        ("engine alone, on checked columns", lambda: engine.decide(typed.lazy(), owner)),
        (
            "same conditions in Arrow compute (verdict only)",
            lambda: arrow_decide(typed_arrow, owner, ruleset),
        ),
    ]
    load_before = os.getloadavg()
    walls, cpus, firsts = {}, {}, {}
    for label, function in contenders:
        log(f"timing {label}")
        firsts[label], wall, cpu = timed(function, repeats)
        walls[label], cpus[label] = statistics.median(wall), statistics.median(cpu)
    load_after = os.getloadavg()
    base = walls[contenders[0][0]]
    print(f"{rows:,} rows, medians of {repeats} runs; Python {platform.python_version()},")
    print(f"polars {pl.__version__}, pyarrow {pa.__version__}, {os.cpu_count()} cores;")
    print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after.\n")
    print("| contender | wall | CPU | rows/s (wall) | vs native `decide_iter` | first call |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, seconds in walls.items():
        print(
            f"| {label} | {seconds:.3f} s | {cpus[label]:.3f} s | {rows / seconds:,.0f} "
            f"| {base / seconds:.1f}x | {firsts[label]:.3f} s |"
        )
    print()
    for label, _ in contenders[1:5]:
        ratio = base / walls[label]
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"target {label} >= {TARGET:g}x native: {ratio:.1f}x, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
