"""The default ruleset's versions: version 2 by default, version 1 pinned by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsourcing_rules import Task, Verdict, decide, default_ruleset, load_ruleset

from _examples import CONTRACT_IDS
from conftest import run_cli, write_text

STOCK_COUNT = Task(name="Count the stock", times_per_year=2, hours_each=20, enjoyment="dislike")


def test_default_is_version_2_and_default_at_2_is_the_same() -> None:
    """``default`` loads version 2, and ``default@2`` names the same rules."""
    assert default_ruleset().version == 2
    assert load_ruleset("default@2") == default_ruleset()


def test_version_1_stays_loadable_with_its_rules() -> None:
    """``default@1`` is version 1: no revenue, heavy or frequent rules, rarity above scarcity."""
    old = load_ruleset("default@1")
    assert old.version == 1
    assert set(old.rule_ids) == CONTRACT_IDS
    assert old.rule("low-frequency").priority > old.rule("time-scarcity").priority


def test_version_2_keeps_the_contract_ids_and_adds_new_ones() -> None:
    """Agencies override rules by id: every contract id is still there in version 2."""
    ids = set(default_ruleset().rule_ids)
    assert ids >= CONTRACT_IDS
    assert {"revenue-work", "heavy-time-sink", "frequent-routine"} <= ids
    assert default_ruleset().rule("time-scarcity").priority > (
        default_ruleset().rule("low-frequency").priority
    )


def test_new_thresholds_are_parameters() -> None:
    """The thresholds version 2 adds are parameters an agency can change."""
    parameters = default_ruleset().parameters
    assert parameters["light_hours_per_year"] == 24
    assert parameters["heavy_hours_per_week"] == 3
    assert parameters["heavy_one_off_hours"] == 20
    assert parameters["frequent_per_year"] == 52
    lighter = load_ruleset(
        "ruleset: lighter\nextends: default\nparameters: {light_hours_per_year: 50}\n"
    )
    assert decide(STOCK_COUNT, ruleset=lighter).rule_id == "low-frequency"


def test_an_agency_pinned_to_version_1_keeps_working(engine: str, tmp_path: Path) -> None:
    """A ruleset that ``extends: default@1`` loads, overrides by id and decides as version 1."""
    path = write_text(
        tmp_path,
        "pinned.yaml",
        """
        ruleset: pinned-agency
        extends: default@1
        overrides:
          - {id: annoyance, priority: 55}
        rules:
          - {id: payroll, priority: 95, when: {category: payroll}, then: keep, because: Ours.}
        """,
    )
    pinned = load_ruleset(path)
    assert decide(STOCK_COUNT, ruleset=pinned, engine=engine).rule_id == "low-frequency"
    assert decide(STOCK_COUNT, engine=engine).rule_id == "annoyance"
    payroll = Task(name="Run payroll", category="payroll", skill="none")
    assert decide(payroll, ruleset=pinned, engine=engine).verdict is Verdict.KEEP


def test_an_unknown_version_is_a_located_error_with_a_suggestion() -> None:
    """``default@7`` does not exist; the error says so and suggests a name that does."""
    from outsourcing_rules import RulesetError

    with pytest.raises(RulesetError) as caught:
        load_ruleset("ruleset: x\nextends: default@7\n")
    assert "default@7" in str(caught.value)


def test_diff_between_the_versions_lists_what_changes_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``outsourcing-rules diff default@1 default`` names each change by verdict and rule."""
    tasks = write_text(
        tmp_path,
        "tasks.yaml",
        """
        owner: {name: Owner, hourly_rate: 60}
        tasks:
          - {name: Count the stock, times_per_year: 2, hours_each: 20, enjoyment: dislike}
          - {name: Review suppliers, times_per_year: 4, time_available: false}
          - {name: Format the newsletter, times_per_year: 52}
          - {name: Migrate the shop, one_off: true, hours_each: 30, enjoyment: neutral}
          - {name: Edit galleries, revenue_generating: true, skill: expert,
             time_available: false}
          - {name: Gather tax papers, times_per_year: 1, hours_each: 2, enjoyment: hate}
        """,
    )
    code, out, err = run_cli(capsys, "diff", "default@1", "default", tasks)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"'default' (version 1) -> 'default' (version 2) over 6 tasks of {tasks}: "
        "5 decisions change (5 in verdict)"
    )
    assert sorted(lines[1:]) == [
        "  keep/default -> outsource/frequent-routine: 1 task, e.g. Format the newsletter",
        "  keep/default -> outsource/heavy-time-sink: 1 task, e.g. Migrate the shop",
        "  keep/low-frequency -> outsource/annoyance: 1 task, e.g. Count the stock",
        "  keep/low-frequency -> outsource/time-scarcity: 1 task, e.g. Review suppliers",
        "  outsource/time-scarcity -> keep/revenue-work: 1 task, e.g. Edit galleries",
    ]
    assert "Gather tax papers" not in out
