"""The command line end to end on a large CSV: rows a second and peak memory, two paths.

Run by hand, never by the test suite::

    python benchmarks/cli_csv.py                  # 1,000,000 rows, 5 repeats
    python benchmarks/cli_csv.py --rows 100000 --repeats 1
    python benchmarks/cli_csv.py --format table   # the default table: the plan alone

It writes a seeded CSV inventory (the random tasks of ``_workload.py``,
every fact a column, unknown facts as empty cells) and an owner file, then
times, as a user runs it, in a fresh process each time::

    outsourcing-rules decide big.csv --owner owner.yaml --format jsonl --compact -o out.jsonl

on the columnar path (the default with the frames extra) and on the native
one (``--engine native``). The clock covers the whole process (start-up,
imports, reading, deciding, writing); the peak resident memory of the child
comes from ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, which holds
the largest child so far, so each measurement runs in a process of its own
(this script starts one per run). It first checks that both paths write
the same bytes. The report is Markdown on standard output, with the user
and system CPU time of each run (all its threads) beside the wall time: on
a shared machine the wall time says more about the neighbours than about
the code. An untimed first run fills Python's bytecode cache (as an
installed package has it, whatever ``PYTHONDONTWRITEBYTECODE`` says) and
the page cache; the load average before and after the timed runs is
printed with the table.
``--native-repeats 0`` leaves the native path out (and the comparison).

``--format table`` times the command's default instead,
``decide big.csv --owner owner.yaml -o out.txt``: past 1,000 tasks it
prints the plan alone, added up in columns over the streamed batches on
the columnar path, from every ``Decision`` on the native one (what the
command did for every table before).

``--compact`` keeps the rows of the csv columns that ``--format jsonl``
printed when the figures in the performance page were recorded (plain
``jsonl`` is now each decision in full), so those figures still hold.
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


#: One run: wall seconds, user CPU seconds, system CPU seconds, peak MB.
Run = tuple[float, float, float, float]


def child_environment(folder: Path) -> dict[str, str]:
    """Return the environment of the timed runs: Python's bytecode cached, as installed.

    An installed package comes with its modules compiled; a session that
    sets ``PYTHONDONTWRITEBYTECODE`` would otherwise compile the library's
    source at every run (some 0.15 s of CPU). The cache goes to a folder of
    this run (``PYTHONPYCACHEPREFIX``), filled by an untimed first run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def measure(folder: Path, engine: str | None, output: Path, form: str = "jsonl") -> Run:
    """Run one decide in a child process; return (seconds, user, system CPU seconds, peak MB)."""
    command = [
        sys.executable,
        "-c",
        _CHILD,
        str(folder / "big.csv"),
        str(folder / "owner.yaml"),
        str(output),
        engine or "",
        form,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=child_environment(folder)
    )
    if done.returncode != 0:
        raise SystemExit(f"decide failed: {done.stderr}")
    seconds, user, system, peak_kb = json.loads(done.stdout)
    return seconds, user, system, peak_kb / 1024


# The child times the grandchild, so that ru_maxrss is of that one process only.
_CHILD = """
import json, resource, subprocess, sys, time
data, owner, out, engine, form = sys.argv[1:6]
command = ["outsourcing-rules", "decide", data, "--owner", owner, "-o", out]
if form == "jsonl":
    command += ["--format", "jsonl", "--compact"]
if engine:
    command += ["--engine", engine]
start = time.perf_counter()
subprocess.run(command, check=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([seconds, usage.ru_utime, usage.ru_stime, usage.ru_maxrss]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--native-repeats", type=int, default=1)
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
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
        log("an untimed first run: Python's bytecode cached, the file in the page cache")
        measure(folder, None, folder / "warm-up", args.format)
        load = os.getloadavg()[0]
        results: dict[str, list[Run]] = {"columnar": [], "native": []}
        for repeat in range(max(args.repeats, args.native_repeats)):
            if repeat < args.repeats:
                log(f"columnar, run {repeat + 1}")
                out = folder / f"columnar.{args.format}"
                results["columnar"].append(measure(folder, None, out, args.format))
            if repeat < args.native_repeats:
                log(f"native, run {repeat + 1}")
                out = folder / f"native.{args.format}"
                results["native"].append(measure(folder, "native", out, args.format))
        if results["native"]:
            same = filecmp.cmp(
                folder / f"columnar.{args.format}", folder / f"native.{args.format}", shallow=False
            )
            if not same:
                raise SystemExit("the two paths wrote different output")
            log("both paths wrote the same bytes")
            if args.format == "table":
                print((folder / "columnar.table").read_text(encoding="utf-8"))
        else:
            del results["native"]
    report(args.rows, size, results, args.format, load)


def report(rows: int, size: int, results: dict[str, list[Run]], form: str, load: float) -> None:
    print(f"{rows:,} rows, a CSV file of {size / 1e6:,.1f} MB; Python {platform.python_version()}")
    print(f"--format {form}{' --compact' if form == 'jsonl' else ''}")
    print(
        f"load average (1 min) before the timed runs: {load:.1f}, after: "
        f"{os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores"
    )
    print()
    print(
        "| path | runs | median wall time (min-max) | rows/s (wall) | median user CPU "
        "| median system CPU (min-max) | rows per CPU second | peak memory (max of runs) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path, runs in results.items():
        walls = [run[0] for run in runs]
        systems = [run[2] for run in runs]
        wall = statistics.median(walls)
        user = statistics.median(run[1] for run in runs)
        system = statistics.median(systems)
        cpu = statistics.median(run[1] + run[2] for run in runs)
        peak = max(run[3] for run in runs)
        print(
            f"| {path} | {len(runs)} | {wall:.2f} s ({min(walls):.2f}-{max(walls):.2f}) "
            f"| {rows / wall:,.0f} | {user:.2f} s "
            f"| {system:.2f} s ({min(systems):.2f}-{max(systems):.2f}) "
            f"| {rows / cpu:,.0f} | {peak:,.0f} MB |"
        )
    wall = statistics.median(run[0] for run in results["columnar"])
    peak = max(run[3] for run in results["columnar"])
    print()
    print(
        f"targets on the columnar path: >= {TARGET_ROWS_PER_SECOND:,} rows/s "
        f"({'met' if rows / wall >= TARGET_ROWS_PER_SECOND else 'missed'}), "
        f"< {TARGET_PEAK_MB} MB peak ({'met' if peak < TARGET_PEAK_MB else 'missed'})"
    )


if __name__ == "__main__":
    main()
