"""Optional dependencies: without Hypothesis, the test kit and ``check`` say which extra to install.

Each test runs a fresh Python in which ``import hypothesis`` fails (its
entry in ``sys.modules`` is ``None``), as where the ``check`` extra is not
installed; this process, whose pytest has Hypothesis loaded, is left alone.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

from outsourcing_rules import MissingExtraError

BLOCK = "import sys\nsys.modules['hypothesis'] = None\n"


def without_hypothesis(code: str) -> subprocess.CompletedProcess[str]:
    """Run *code* in a fresh Python where Hypothesis cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", BLOCK + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_test_kit_names_the_extra() -> None:
    """Importing a strategy from outsourcing_rules.testing raises MissingExtraError naming it."""
    run = without_hypothesis(
        """
        from outsourcing_rules import MissingExtraError, OutsourcingRulesError
        try:
            from outsourcing_rules.testing import tasks
        except MissingExtraError as error:
            assert isinstance(error, ImportError)
            assert isinstance(error, OutsourcingRulesError)
            print(error.extra, error.missing)
            print(error)
        """
    )
    assert run.returncode == 0, run.stderr
    first, message = run.stdout.splitlines()
    assert first == "check Hypothesis"
    assert "pip install 'outsourcing-rules[check]'" in message


def test_deciding_needs_no_hypothesis() -> None:
    """An app that only decides, plans and writes JSON runs without Hypothesis."""
    run = without_hypothesis(
        """
        from outsourcing_rules import decide, plan
        d = decide({"name": "Weekly report", "can_be_eliminated": True})
        d.to_dict()
        plan([{"name": "x"}]).to_dict()
        print(d.rule_id)
        """
    )
    assert (run.returncode, run.stdout.strip()) == (0, "eliminate"), run.stderr


def test_check_says_which_extra_to_install() -> None:
    """Without z3 or Hypothesis, ``check`` exits 2 with one line naming the extra."""
    run = without_hypothesis(
        """
        import sys
        sys.modules['z3'] = None
        from outsourcing_rules.cli import main
        raise SystemExit(main(["check", "default", "--engine", "native"]))
        """
    )
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "error: searching the invariants for counterexamples needs Hypothesis, which is not "
        "installed; install the 'check' extra: pip install 'outsourcing-rules[check]'",
        "hint: without the extra, `check --no-invariants` validates and lints the ruleset",
    ]
    assert "Traceback" not in run.stderr


def test_the_library_check_raises_the_missing_extra_error() -> None:
    """``check_ruleset`` raises MissingExtraError, naming the extra once, not a bare ImportError."""
    run = without_hypothesis(
        """
        import sys
        sys.modules['z3'] = None
        from outsourcing_rules import MissingExtraError
        from outsourcing_rules.quality import check_ruleset
        try:
            check_ruleset("default", method="search")
        except MissingExtraError as error:
            print(error.extra, error.missing)
            print(str(error).count("pip install"))
        """
    )
    assert run.stdout.split() == ["check", "Hypothesis", "1"], run.stderr


def test_check_without_invariants_needs_no_hypothesis() -> None:
    """Validating and linting alone work without the extra."""
    run = without_hypothesis(
        """
        from outsourcing_rules.cli import main
        raise SystemExit(main(["check", "default", "--no-invariants"]))
        """
    )
    assert run.returncode == 0, run.stderr
    assert "no problems found" in run.stdout


def test_the_error_survives_pickling() -> None:
    """The error crosses process boundaries with its fields."""
    error = MissingExtraError("the thing", "check", "Hypothesis")
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.extra) == (str(error), "check")


def test_the_seeded_sampler_needs_no_hypothesis() -> None:
    """``diff`` draws its generated tasks from the kit's sampler, which runs without the extra."""
    run = without_hypothesis(
        """
        from outsourcing_rules.testing import generated_cases
        from outsourcing_rules import default_ruleset
        print(len(generated_cases([default_ruleset()], 5)))
        """
    )
    assert (run.returncode, run.stdout.strip()) == (0, "5"), run.stderr


def test_the_frames_extra_needs_no_numpy() -> None:
    """``frames`` installs polars and pyarrow only: deciding an Arrow table never imports numpy.

    (The docs build, which installs just that extra, caught an import of numpy.)
    """
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                sys.modules['numpy'] = None
                import pyarrow as pa
                from outsourcing_rules import frames
                table = pa.table({"name": ["a", "b"], "skill": ["none", "basics"]})
                out = frames.decide_frame(table, errors="null")
                print(out.column("verdict").to_pylist())
                """
            ),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stdout.strip()) == (0, "['outsource', None]"), run.stderr
