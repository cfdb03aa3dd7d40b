"""Reports speak to the owner: plain reasons, what would change each task, one-offs apart."""

from __future__ import annotations

import re

from outsourcing_rules import Owner, Task
from outsourcing_rules.planning.plans import plan
from outsourcing_rules.render.html import html_report
from outsourcing_rules.render.markdown import markdown_report

OWNER = Owner(name="Shop owner", hourly_rate=60, core_competencies={"merchandising"})
TASKS = [
    Task(name="Pick the stock", category="merchandising", times_per_year=52, hours_each=5),
    Task(name="Book flights", category="travel", times_per_year=3, enjoyment="dislike"),
    Task(
        name="Migrate the shop",
        category="website",
        one_off=True,
        hours_each=30,
        enjoyment="neutral",
        provider_hourly_rate=40,
    ),
    Task(name="Format the newsletter", times_per_year=52, hours_each=1),
]

AUTHOR_WORDS = re.compile(
    r"low-frequency|heavy-time-sink|frequent-routine|core-competency|priority|"
    r"\b[a-z]+_[a-z_]+\b|\$[a-z_]"
)


def test_markdown_report_speaks_to_the_owner() -> None:
    """Each task gets the owner's explanation and one 'what would change this' line."""
    made = plan(TASKS, OWNER, engine="native")
    text = markdown_report(made)
    changeable = [d for d in made.decisions if d.counterfactuals()]
    assert len(changeable) == len(TASKS) - 1  # nothing the owner could change keeps core work
    assert text.count("*What would change this:*") == len(changeable)
    assert (
        "- 30 hours of one-off projects handed off or dropped, once ($600; not in the weekly "
        "figures)\n"
    ) in text
    body, footer = text.rsplit("\n\n*Made by outsourcing_rules ", 1)  # the footer names the library
    assert footer.endswith("native engine.*\n")
    assert AUTHOR_WORDS.findall(body) == []


def test_html_report_speaks_to_the_owner() -> None:
    """The same in HTML: a change line per card, the one-off figure apart, no author words."""
    made = plan(TASKS, OWNER, engine="native")
    page = html_report(made)
    assert page.count('<p class="counterfactuals"><b>What would change this:</b> ') == sum(
        bool(d.counterfactuals()) for d in made.decisions
    )
    assert (
        "<b>30 hours</b><small>of one-off projects handed off or dropped, once ($600; not in "
        "the weekly figures)</small>"
    ) in page
    body = page.split("<body>", 1)[1].split("<footer>", 1)[0]  # the footer names the library
    visible = re.sub(r"<[^>]+>", " ", body)
    assert AUTHOR_WORDS.findall(visible) == []


def test_a_one_off_hire_is_said_once_in_both_reports() -> None:
    """The hire table gives the one-off migration once, with no weekly or yearly figure."""
    made = plan(TASKS, OWNER, engine="native")
    (webmaster,) = [h for h in made.hires if h.role == "webmaster"]
    assert not webmaster.recurring
    markdown = markdown_report(made)
    (row,) = [line for line in markdown.splitlines() if "| webmaster |" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[3:] == ["", "", "a one-off project of 30 hours, $600 once"]
    page = html_report(made)
    start = page.index("<td>webmaster</td>")
    html_row = page[start : page.index("</tr>", start)]
    assert "a one-off project of 30 hours, $600 once" in html_row
    for said in (row, html_row):
        assert "a year" not in said
        assert "a week" not in said


def test_the_decisions_table_says_a_project_saving_once() -> None:
    """The Decisions table's last column: recurring savings a year, a project's once."""
    made = plan(TASKS, OWNER, engine="native")
    markdown = markdown_report(made)
    (row,) = [line for line in markdown.splitlines() if line.startswith("| Migrate the shop |")]
    assert row.rstrip().endswith("| $600 once |")
    assert "Saving a year" not in markdown.split("## Decisions", 1)[1].split("\n\n")[1]
    page = html_report(made)
    start = page.index('id="decisions"')
    table = page[start : page.index("</table>", start)]
    assert "$600 once" in table
    assert "$600 a year" not in table
    assert "$600 a year" not in markdown
