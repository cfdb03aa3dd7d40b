"""Plans: what deciding a whole inventory frees, who to hire first, tasks by frequency."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_rules import Owner, Task, Verdict, decide_all
from outsourcing_rules.planning.plans import BANDS, Frequency, Plan, frequency, plan
from outsourcing_rules.testing import owners, tasks

from _examples import SALLY

SALLY_TASKS = [
    Task(name="Client consulting", category="consulting", times_per_year=200, hours_each=6),
    Task(
        name="Client invoicing",
        category="invoicing",
        skill="competent",
        enjoyment="neutral",
        times_per_year=52,
        hours_each=4,
        provider_hourly_rate=37.5,
    ),
    Task(
        name="Transcribe recorded sessions",
        category="transcription",
        repetitive=True,
        times_per_year=52,
        hours_each=2,
        provider_hourly_rate=30,
    ),
    Task(
        name="Weekly report nobody reads", can_be_eliminated=True, times_per_year=52, hours_each=1
    ),
    Task(name="Update the CRM", category="crm", time_available=False),
]


def test_sally_plan(engine: str) -> None:
    """Hours and money freed add up; hires come by hours freed, one role each."""
    result = plan(SALLY_TASKS, SALLY, engine=engine)
    assert result.counts == {Verdict.KEEP: 1, Verdict.OUTSOURCE: 3, Verdict.ELIMINATE: 1}
    assert result.hours_freed_per_week == 4 + 2 + 1
    assert result.tasks_without_hours == 1
    # invoicing 44,200 + transcription 22,880 + the dropped report's 52 owner hours
    assert result.saving_per_year == 44_200 + 22_880 + 52 * 250
    assert result.tasks_without_rates == 1
    assert [(h.rank, h.role, h.tasks) for h in result.hires] == [
        (1, "bookkeeper", ("Client invoicing",)),
        (2, "transcriptionist", ("Transcribe recorded sessions",)),
        (3, "virtual assistant", ("Update the CRM",)),
    ]
    crm = result.hires[2]
    assert (crm.hours_per_week, crm.saving_per_year, crm.tasks_without_hours) == (0, None, 1)


def test_hires_by_money() -> None:
    """rank_by="money" puts the biggest saving first."""
    cheap = Task(
        name="Long but cheap",
        category="scheduling",
        time_available=False,
        times_per_year=52,
        hours_each=10,
        provider_hourly_rate=240,
    )
    by_hours = plan([*SALLY_TASKS[1:3], cheap], SALLY)
    by_money = plan([*SALLY_TASKS[1:3], cheap], SALLY, rank_by="money")
    assert by_hours.hires[0].role == "virtual assistant"
    assert [h.role for h in by_money.hires] == [
        "bookkeeper",
        "transcriptionist",
        "virtual assistant",
    ]
    with pytest.raises(ValueError, match="rank_by"):
        Plan.from_decisions([], rank_by="fame")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "band"),
    [
        ({"times_per_year": 250}, Frequency.DAILY),
        ({"times_per_year": 200}, Frequency.DAILY),
        ({"times_per_year": 199}, Frequency.WEEKLY),
        ({"times_per_year": 52}, Frequency.WEEKLY),
        ({"times_per_year": 40}, Frequency.WEEKLY),
        ({"times_per_year": 12}, Frequency.MONTHLY),
        ({"times_per_year": 10}, Frequency.MONTHLY),
        ({"times_per_year": 4}, Frequency.QUARTERLY),
        ({"times_per_year": 3}, Frequency.QUARTERLY),
        ({"times_per_year": 1}, Frequency.YEARLY),
        ({"times_per_year": 0}, Frequency.YEARLY),
        ({"one_off": True}, Frequency.ONE_OFF),
        ({"one_off": True, "times_per_year": 1}, Frequency.ONE_OFF),
        ({}, Frequency.UNKNOWN),
        ({"one_off": False}, Frequency.UNKNOWN),
    ],
)
def test_frequency_bands(facts: dict[str, object], band: Frequency) -> None:
    """Bands go by times a year at the documented bounds; one-offs and unknowns apart."""
    assert frequency(Task(name="t", **facts)) is band  # type: ignore[arg-type]


def test_band_bounds_are_in_descending_order() -> None:
    """Each band's lower bound is below the previous one, down to zero."""
    bounds = [least for _, least in BANDS]
    assert bounds == sorted(bounds, reverse=True)
    assert bounds[-1] == 0


def test_frequency_groups_split_hours_by_verdict() -> None:
    """Each group lists its tasks and the hours a week kept, outsourced and eliminated."""
    groups = {g.band: g for g in plan(SALLY_TASKS, SALLY).frequencies}
    assert list(groups) == [Frequency.DAILY, Frequency.WEEKLY, Frequency.UNKNOWN]
    weekly = groups[Frequency.WEEKLY]
    assert weekly.tasks == (
        "Client invoicing",
        "Transcribe recorded sessions",
        "Weekly report nobody reads",
    )
    assert (weekly.hours(Verdict.OUTSOURCE), weekly.hours(Verdict.ELIMINATE)) == (6, 1)
    assert groups[Frequency.DAILY].hours(Verdict.KEEP) == pytest.approx(200 * 6 / 52)


def test_an_empty_inventory() -> None:
    """No tasks: nothing freed, a saving of zero, no hires."""
    result = plan([], SALLY)
    assert (result.hours_freed_per_week, result.saving_per_year, result.hires) == (0, 0, ())
    assert result.summary().startswith("0 tasks: 0 keep, 0 outsource, 0 eliminate.")


def test_saving_is_unknown_when_no_rate_is() -> None:
    """Outsourced tasks without any rates give an unknown saving, not zero."""
    result = plan([Task(name="t", skill="none", times_per_year=52, hours_each=1)])
    assert result.saving_per_year is None
    assert result.tasks_without_rates == 1
    assert "Saving: unknown (1 task without the rates to tell)." in result.summary()


def test_summary_text() -> None:
    """The summary says verdicts, hours, money and the hires in order."""
    text = plan(SALLY_TASKS, SALLY).summary()
    assert text.splitlines() == [
        "5 tasks: 1 keep, 3 outsource, 1 eliminate.",
        "Hours freed: 7 hours a week (1 task with unknown hours).",
        "Saving: $80,080 a year (1 task without the rates to tell).",
        "Hire one at a time, in this order:",
        "  1. bookkeeper: 4 hours a week, $44,200 a year (Client invoicing)",
        "  2. transcriptionist: 2 hours a week, $22,880 a year (Transcribe recorded sessions)",
        "  3. virtual assistant: hours unknown (Update the CRM)",
    ]


def test_one_offs_are_added_up_apart_from_the_weekly_figures(engine: str) -> None:
    """A one-off project's hours and saving count once, never in the weekly or yearly totals."""
    migration = Task(
        name="Migrate the website",
        category="website",
        one_off=True,
        hours_each=30,
        enjoyment="neutral",
        provider_hourly_rate=50,
    )
    result = plan([*SALLY_TASKS, migration], SALLY, engine=engine)
    assert result.hours_freed_per_week == 4 + 2 + 1
    assert result.saving_per_year == 44_200 + 22_880 + 52 * 250
    assert result.one_off_hours_freed == 30
    assert result.one_off_saving == 30 * (250 - 50)
    assert "One-off projects handed off or dropped: 1 project, 30 hours and $6,000 once." in (
        result.summary()
    )
    data = result.to_dict()["summary"]
    assert (data["one_off_hours_freed"], data["one_off_saving"]) == (30, 6000)
    (projects,) = [g for g in result.frequencies if g.band is Frequency.ONE_OFF]
    assert projects.tasks == ("Migrate the website",)
    assert [projects.hours(v) for v in Verdict] == [0, 0, 0]  # never spread over weeks
    assert plan(SALLY_TASKS, SALLY, engine=engine).one_off_hours_freed == 0


def test_a_hire_says_one_off_projects_once_never_a_week_or_a_year(engine: str) -> None:
    """A hire for one-off projects says their hours and money once; a mixed hire says both."""
    migration = Task(
        name="Migrate the website",
        category="website",
        one_off=True,
        hours_each=30,
        enjoyment="neutral",
        provider_hourly_rate=50,
    )
    vendor = Task(name="Research a vendor", one_off=True, hours_each=4, enjoyment="hate")
    crm = Task(name="Update the CRM", category="crm", time_available=False, provider_hourly_rate=30)
    weekly = Task(
        name="Schedule calls",
        category="scheduling",
        time_available=False,
        times_per_year=52,
        hours_each=2,
        provider_hourly_rate=50,
    )
    made = plan([migration, vendor, crm, weekly], SALLY, engine=engine)
    by_role = {h.role: h for h in made.hires}
    webmaster = by_role["webmaster"]
    assert (webmaster.hours_per_week, webmaster.saving_per_year) == (0, None)
    assert (webmaster.one_off_tasks, webmaster.one_off_hours) == (1, 30)
    assert webmaster.one_off_saving == 30 * (250 - 50)
    line = webmaster.describe()
    assert "a one-off project of 30 hours, $6,000 once" in line
    for per in ("a week", "a year", "hours unknown"):
        assert per not in line
    assistant = by_role["virtual assistant"]
    assert assistant.hours_per_week == 2  # the weekly calls only, not the projects spread out
    assert assistant.saving_per_year == 52 * 2 * (250 - 50)
    assert assistant.one_off_hours == 4
    assert assistant.one_off_saving is None  # no rate for the vendor research
    said = assistant.describe()
    assert "2 hours a week" in said
    assert "1 task of unknown hours" in said  # the CRM: recurring, hours unknown
    assert "a one-off project of 4 hours (" in said
    assert "4 hours a week" not in said
    assert "once" not in said  # no project money known
    data = webmaster.to_dict()
    assert (data["one_off_tasks"], data["one_off_hours"], data["one_off_saving"]) == (1, 30, 6000)
    assert assistant.recurring_hours_known
    (unknown,) = plan([crm, vendor], SALLY, engine=engine).hires
    assert not unknown.recurring_hours_known  # the project's hours are not the CRM's
    assert unknown.describe().startswith(
        "1. virtual assistant: hours unknown; a one-off project of 4 hours ("
    )


def test_to_dict_is_json() -> None:
    """The plan serialises to JSON, with or without its decisions."""
    result = plan(SALLY_TASKS, SALLY)
    data = result.to_dict()
    json.dumps(data)
    assert list(data) == ["summary", "hires", "frequencies", "decisions"]
    assert data["summary"]["verdicts"] == {"keep": 1, "outsource": 3, "eliminate": 1}
    assert data["hires"][0]["tasks"] == ["Client invoicing"]
    assert "decisions" not in result.to_dict(decisions=False)


def test_plan_and_from_decisions_agree() -> None:
    """plan() is Plan.from_decisions(decide_all(...))."""
    made = decide_all(SALLY_TASKS, SALLY)
    assert Plan.from_decisions(made).to_dict() == plan(SALLY_TASKS, SALLY).to_dict()


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(tasks(), max_size=8), owners())
def test_property_plan_adds_up(inventory: list[Task], owner: Owner) -> None:
    """Hours freed add up, and hires split the outsourced tasks between them in rank order.

    Hours freed are the known hours of every task not kept; hires are ranked
    1..n, each freeing no more hours than the one before.
    """
    result = plan(inventory, owner, engine="native")
    freed = [d for d in result.decisions if d.verdict is not Verdict.KEEP]
    weekly = [d for d in freed if not d.task.one_off]
    known = [d.economics.hours_per_week for d in weekly if d.economics.hours_per_week is not None]
    assert result.hours_freed_per_week == pytest.approx(sum(known))
    once = [d.economics.hours_per_year for d in freed if d.task.one_off]
    assert result.one_off_hours_freed == pytest.approx(sum(h for h in once if h is not None))
    assert result.tasks_without_hours == len(freed) - len(known) - sum(h is not None for h in once)
    outsourced = sorted(d.task.name for d in result.decisions if d.verdict is Verdict.OUTSOURCE)
    assert sorted(name for h in result.hires for name in h.tasks) == outsourced
    assert [h.rank for h in result.hires] == list(range(1, len(result.hires) + 1))
    hours = [h.hours_per_week for h in result.hires]
    assert hours == sorted(hours, reverse=True)
    assert sum(len(g.tasks) for g in result.frequencies) == len(inventory)
    # A hire's weekly hours are its recurring tasks'; its projects are added up apart, once.
    for hire in result.hires:
        chosen = [d for d in result.decisions if d.handoff and d.handoff.role == hire.role]
        projects = [d for d in chosen if d.task.one_off]
        assert hire.one_off_tasks == len(projects)
        recurring_hours = [d.economics.hours_per_week for d in chosen if not d.task.one_off]
        assert hire.hours_per_week == pytest.approx(sum(h for h in recurring_hours if h))
        project_hours = [d.economics.hours_per_year for d in projects]
        assert hire.one_off_hours == pytest.approx(sum(h for h in project_hours if h))
        line = hire.describe()
        if not hire.recurring:
            assert " a week" not in line, line
            assert " a year" not in line, line


def test_a_hire_of_many_tasks_names_the_first_and_counts_the_rest() -> None:
    """A hire line stays one short line however many tasks: the first five, 'and N more'."""
    from outsourcing_rules import plan as make_plan

    made = make_plan(
        [
            {"name": f"Edit video {i}", "skill": "none", "hours_each": 1, "times_per_year": 52}
            for i in range(1234)
        ]
    )
    summary = made.summary()
    assert summary.splitlines()[0] == "1,234 tasks: 0 keep, 1,234 outsource, 0 eliminate."
    assert "1,234 hours a week" in summary
    (hire,) = made.hires
    line = hire.describe()
    assert line.endswith(
        "(1,234 tasks: Edit video 0, Edit video 1, Edit video 2, "
        "Edit video 3, Edit video 4 and 1,229 more)"
    )
    assert len(hire.tasks) == 1234  # the data keeps every name
