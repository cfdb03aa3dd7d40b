"""Check that the wheel installed without extras decides, and that ``check`` names its extra.

Run by nox's wheel session in a virtual environment holding the built wheel
and its runtime dependencies only (no Hypothesis, no z3, no polars).

Usage: python tests/wheel_light.py
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys


def main() -> int:
    problems: list[str] = []
    for extra_only in ("hypothesis", "z3", "polars", "pandas"):
        if importlib.util.find_spec(extra_only) is not None:
            problems.append(f"{extra_only} is installed: this check needs a light install")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    from outsourcing_rules import Owner, Task, decide, task_schema

    decision = decide(Task(name="Bookkeeping", skill="basic", enjoyment="hate"), Owner())
    if decision.verdict.value not in {"keep", "outsource", "eliminate"}:
        problems.append(f"decide gave {decision.verdict!r}")
    if "properties" not in task_schema():
        problems.append("task_schema() has no properties")

    demo = subprocess.run(["outsourcing-rules", "demo"], capture_output=True, text=True)
    if demo.returncode != 0 or "Traceback" in demo.stderr:
        problems.append(f"demo failed ({demo.returncode}): {demo.stderr}")

    check = subprocess.run(
        ["outsourcing-rules", "check", "default"], capture_output=True, text=True
    )
    if check.returncode != 2 or "Traceback" in check.stderr or "[check]" not in check.stderr:
        problems.append(
            f"check without its extra: exit {check.returncode}, stderr {check.stderr!r}"
        )
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print("the light install decides; check names its extra")
    return 0


if __name__ == "__main__":
    sys.exit(main())
