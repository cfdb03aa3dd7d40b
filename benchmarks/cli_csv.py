"""The command line end to end on a large CSV: rows a second and peak memory, two paths.

Run by hand, never by the test suite::

    python benchmarks/cli_csv.py                  # 1,000,000 rows, 3 repeats
    python benchmarks/cli_csv.py --rows 100000 --repeats 1

It writes a seeded CSV inventory (the random tasks of ``_workload.py``,
every fact a column, unknown facts as empty cells) and an owner file, then
times, as a user runs it, in a fresh process each time::

    outsourcing-rules decide big.csv --owner owner.yaml --format jsonl -o out.jsonl

on the columnar path (the default with the frames extra) and on the native
one (``--engine native``). The clock covers the whole process (start-up,
imports, reading, deciding, writing); the peak resident memory of the child
comes from ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, which holds
the largest child so far, so each measurement runs in a process of its own
(this script starts one per run). It first checks that both paths write
the same bytes. The report is Markdown on standard output, with the CPU
time of each run (all its threads) beside the wall time: on a shared
machine the wall time says more about the neighbours than about the code.
``--native-repeats 0`` leaves the native path out (and the comparison).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _workload as workload

TARGET_ROWS_PER_SECOND = 500_000
TARGET_PEAK_MB = 500
FIELDS = (
    "name",
    "category",
    "core_competency",
    "only_owner",
    "skill",
    "enjoyment",
    "times_per_year",
    "one_off",
    "hours_each",
    "time_available",
    "repetitive",
    "can_be_eliminated",
    "revenue_generating",
    "procedure_documented",
    "outcome_defined",
    "provider_hourly_rate",
    "tags",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_inventory(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(FIELDS)
        for task in workload.tasks_data(rows):
            writer.writerow([cell(task[f]) for f in FIELDS])


def measure(folder: Path, engine: str | None, output: Path) -> tuple[float, float, float]:
    """Run one decide in a child process; return (seconds, CPU seconds, peak MB of that child)."""
    command = [
        sys.executable,
        "-c",
        _CHILD,
        str(folder / "big.csv"),
        str(folder / "owner.yaml"),
        str(output),
        engine or "",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"decide failed: {done.stderr}")
    seconds, cpu, peak_kb = json.loads(done.stdout)
    return seconds, cpu, peak_kb / 1024


# The child times the grandchild, so that ru_maxrss is of that one process only.
_CHILD = """
import json, resource, subprocess, sys, time
data, owner, out, engine = sys.argv[1:5]
command = ["outsourcing-rules", "decide", data, "--owner", owner, "--format", "jsonl", "-o", out]
if engine:
    command += ["--engine", engine]
start = time.perf_counter()
subprocess.run(command, check=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--native-repeats", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("outsourcing-rules") is None:
        raise SystemExit("install the library (with the frames extra) first")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        log(f"writing {args.rows:,} rows")
        write_inventory(folder / "big.csv", args.rows)
        owner = json.dumps({"owner": workload.OWNER})
        (folder / "owner.yaml").write_text(owner, encoding="utf-8")
        size = (folder / "big.csv").stat().st_size
        results: dict[str, list[tuple[float, float, float]]] = {"columnar": [], "native": []}
        for repeat in range(max(args.repeats, args.native_repeats)):
            if repeat < args.repeats:
                log(f"columnar, run {repeat + 1}")
                results["columnar"].append(measure(folder, None, folder / "columnar.jsonl"))
            if repeat < args.native_repeats:
                log(f"native, run {repeat + 1}")
                results["native"].append(measure(folder, "native", folder / "native.jsonl"))
        if results["native"]:
            same = filecmp.cmp(folder / "columnar.jsonl", folder / "native.jsonl", shallow=False)
            if not same:
                raise SystemExit("the two paths wrote different output")
            log("both paths wrote the same bytes")
        else:
            del results["native"]
    report(args.rows, size, results)


def report(rows: int, size: int, results: dict[str, list[tuple[float, float, float]]]) -> None:
    print(f"{rows:,} rows, a CSV file of {size / 1e6:,.1f} MB; Python {platform.python_version()}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print(
        "| path | runs | median wall time | rows/s (wall) | median CPU time "
        "| rows per CPU second | peak memory (max of runs) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path, runs in results.items():
        wall = statistics.median(seconds for seconds, _, _ in runs)
        cpu = statistics.median(used for _, used, _ in runs)
        peak = max(mb for _, _, mb in runs)
        print(
            f"| {path} | {len(runs)} | {wall:.2f} s | {rows / wall:,.0f} | {cpu:.2f} s "
            f"| {rows / cpu:,.0f} | {peak:,.0f} MB |"
        )
    wall = statistics.median(seconds for seconds, _, _ in results["columnar"])
    peak = max(mb for _, _, mb in results["columnar"])
    print()
    print(
        f"targets on the columnar path: >= {TARGET_ROWS_PER_SECOND:,} rows/s "
        f"({'met' if rows / wall >= TARGET_ROWS_PER_SECOND else 'missed'}), "
        f"< {TARGET_PEAK_MB} MB peak ({'met' if peak < TARGET_PEAK_MB else 'missed'})"
    )


if __name__ == "__main__":
    main()
