"""Check that a built wheel carries the package's data files (run by nox's wheel session).

Usage: python tests/wheel_contents.py DIRECTORY-WITH-THE-WHEEL
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REQUIRED = [
    "outsourcing_rules/py.typed",
    "outsourcing_rules/rulesets/default.yaml",
    "outsourcing_rules/schema/ruleset.schema.json",
    "outsourcing_rules/data/demo.yaml",
    # The worked agency rulesets and their scenario files, which the docs point to.
    "outsourcing_rules/rulesets/examples/agency.yaml",
    "outsourcing_rules/rulesets/examples/agency.cases.yaml",
    "outsourcing_rules/rulesets/examples/bookkeeping-firm.yaml",
    "outsourcing_rules/rulesets/examples/bookkeeping-firm.cases.yaml",
]


def main(directory: str) -> int:
    wheels = sorted(Path(directory).glob("outsourcing_rules-*.whl"))
    if not wheels:
        print(f"no wheel in {directory}", file=sys.stderr)
        return 1
    names = set(zipfile.ZipFile(wheels[-1]).namelist())
    examples = [n for n in names if n.startswith("outsourcing_rules/rulesets/examples/")]
    missing = [n for n in REQUIRED if n not in names]
    for name in missing:
        print(f"missing from {wheels[-1].name}: {name}", file=sys.stderr)
    print(f"{wheels[-1].name}: {len(names)} files, {len(examples)} example rulesets")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
