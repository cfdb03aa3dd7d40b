"""Misspelt parameters, keys and values are load errors with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import RulesetError, load_ruleset

from conftest import run_cli, write_text


def test_a_misspelt_parameter_in_an_extending_ruleset(tmp_path: Path) -> None:
    """``low_frequency_per_yer`` would silently leave the threshold alone: an error instead."""
    path = write_text(
        tmp_path,
        "agency.yaml",
        """
        ruleset: agency
        extends: default
        parameters:
          low_frequency_per_yer: 6
        """,
    )
    with pytest.raises(RulesetError) as raised:
        load_ruleset(path)
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == (str(path), 4)
    assert problem.key == "parameters.low_frequency_per_yer"
    assert problem.suggestion == "low_frequency_per_year"
    assert "did you mean 'low_frequency_per_year'?" in str(problem)


def test_the_cli_exits_2_on_a_misspelt_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` refuses the file with one line naming the place and the likely name."""
    path = write_text(
        tmp_path, "a.yaml", "ruleset: a\nextends: default\nparameters: {low_frequency_per_yer: 6}\n"
    )
    code, out, err = run_cli(capsys, "check", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}:3 at parameters.low_frequency_per_yer: ")
    assert "did you mean 'low_frequency_per_year'?" in err


def test_a_new_parameter_far_from_any_name_is_still_welcome() -> None:
    """An agency may add parameters for its own rules; only a near miss is an error."""
    ruleset = load_ruleset(
        """
        ruleset: agency
        extends: default
        parameters: {rush_hours: 3, low_frequency_per_year: 6}
        rules:
          - {id: rush, priority: 5, when: {hours_each: {lt: $rush_hours}}, then: keep, because: x}
        """
    )
    assert ruleset.parameters["low_frequency_per_year"] == 6


def test_a_misspelt_verdict_and_level_suggest_the_right_one() -> None:
    """Values out of a fixed list say which one was probably meant."""
    with pytest.raises(RulesetError) as raised:
        load_ruleset(
            """
            ruleset: x
            default: {verdict: keep, because: x}
            rules:
              - {id: a, priority: 1, when: {skill: none}, then: outsorce, because: x}
            """
        )
    assert [p.suggestion for p in raised.value.problems] == ["outsource"]
    with pytest.raises(RulesetError) as raised:
        load_ruleset(
            """
            ruleset: x
            default: {verdict: keep, because: x}
            rules:
              - {id: a, priority: 1, when: {skill: competnet}, then: keep, because: x}
            """
        )
    assert [p.suggestion for p in raised.value.problems] == ["competent"]


def test_a_misspelt_parameter_reference_suggests_the_parameter() -> None:
    """``$low_frequency_per_yer`` in a condition names the parameter it was meant to be."""
    with pytest.raises(RulesetError) as raised:
        load_ruleset(
            """
            ruleset: x
            extends: default
            rules:
              - id: rare
                priority: 5
                when: {times_per_year: {lt: $low_frequency_per_yer}}
                then: keep
                because: x
            """
        )
    assert [p.suggestion for p in raised.value.problems] == ["$low_frequency_per_year"]
