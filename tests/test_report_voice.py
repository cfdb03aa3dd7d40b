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
