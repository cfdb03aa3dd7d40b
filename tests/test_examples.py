"""The example agency rulesets in ``rulesets/examples``: each checks clean and passes its cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import load_ruleset
from outsourcing_rules.cli import main
from outsourcing_rules.loading.reading import builtin_path

EXAMPLES = builtin_path("default").parent / "examples"
RULESETS = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_there_are_several_examples_each_with_cases() -> None:
    """At least two example rulesets ship, and each has a scenario file beside it."""
    assert len(RULESETS) >= 2
    for ruleset in RULESETS:
        assert ruleset.with_suffix(".cases.yaml").is_file(), ruleset.name


def test_the_examples_differ_in_policy() -> None:
    """One extends the default ruleset, another stands alone with its own roles and ids."""
    loaded = [load_ruleset(path) for path in RULESETS]
    assert any(r.extends == "default" for r in loaded)
    standalone = [r for r in loaded if r.extends is None]
    assert standalone
    assert all(r.invariants for r in loaded)
    assert len({tuple(sorted(r.roles.items())) for r in loaded}) == len(loaded)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_check_finds_no_problem(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``outsourcing-rules check`` passes with no error and no warning."""
    code = main(["check", str(path), "--max-examples", "100", "--engine", "native"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().endswith("no problems found"), out


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_every_case_passes(path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    """``outsourcing-rules test`` passes every case of the example's scenario file."""
    cases = path.with_suffix(".cases.yaml")
    code = main(["test", str(cases), "--engine", engine])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 failed" in out
