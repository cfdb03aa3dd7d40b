"""The HTML report: self-contained, escaped, with a chart of hours by frequency and verdict."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from outsourcing_rules import Task, Verdict, plan
from outsourcing_rules.planning.plans import Plan
from outsourcing_rules.render.html import hours_chart, html_report

from _examples import INVOICING, SALLY

TASKS = [
    Task(name="Client consulting", category="consulting", times_per_year=200, hours_each=6),
    INVOICING,
    Task(name="Old report", can_be_eliminated=True, times_per_year=52, hours_each=1),
    Task(name='<script>alert("x")</script> & co', skill="none", times_per_year=12, hours_each=2),
]


class _Page(HTMLParser):
    """Collect the tags, attributes, text and nesting errors of a page."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "rect", "line"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    """Render the report of a small inventory with a hostile task name."""
    return html_report(plan(TASKS, SALLY, engine="native"), title="Sally & co")


def test_the_page_is_well_formed(page: str) -> None:
    """Every element that is opened is closed, in order."""
    parsed = _parse(page)
    assert parsed.errors == []
    assert parsed.open == []
    assert page.startswith("<!DOCTYPE html>")
    assert parsed.tags[:4] == ["html", "head", "meta", "meta"]


def test_nothing_is_loaded_from_outside(page: str) -> None:
    """No scripts, stylesheets, images or frames, and no attribute points off the page."""
    parsed = _parse(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parsed.tags)
    for tag, name, value in parsed.attributes:
        if name in ("href", "src", "xlink:href", "action"):
            assert value.startswith("#"), (tag, name, value)
        assert "://" not in value
        assert not value.startswith("//")
    assert "url(" not in page
    assert "@import" not in page


def test_user_text_is_escaped(page: str) -> None:
    """A task called <script>... is shown as text, never as markup."""
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert any('<script>alert("x")</script> & co' in chunk for chunk in parsed.text)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert "<title>Sally &amp; co</title>" in page


def test_sections_and_task_anchors(page: str) -> None:
    """The plan's sections are there, and each decision links to its task's section."""
    parsed = _parse(page)
    ids = {value for _, name, value in parsed.attributes if name == "id"}
    assert {"summary", "hires", "frequencies", "decisions", "tasks"} <= ids
    links = [value for tag, name, value in parsed.attributes if tag == "a" and name == "href"]
    assert links == [f"#task-{i}" for i in range(1, len(TASKS) + 1)]
    assert {f"task-{i}" for i in range(1, len(TASKS) + 1)} <= ids
    text = "".join(parsed.text)
    assert "Who to hire, one at a time" in text
    assert "$44,200" in text
    assert "Put the arrangement in writing" in text


def test_chart_bars_are_proportional_to_hours() -> None:
    """Each verdict's bar in a band is as wide, relative to the others, as its hours."""
    result = plan(TASKS, SALLY, engine="native")
    parsed = _parse(hours_chart(result))
    assert parsed.tags[0] == "svg"
    bars: dict[str, list[float]] = {}
    for tag, attributes in parsed.elements:
        if tag == "rect" and attributes["y"] != "8":  # y=8 is the legend's row
            bars.setdefault(attributes["class"], []).append(float(attributes["width"]))
    weekly = next(g for g in result.frequencies if g.band.value == "weekly")
    daily = next(g for g in result.frequencies if g.band.value == "daily")
    (keep,) = bars["keep"]
    assert keep == pytest.approx(460, abs=0.1)  # the longest band fills the width
    outsourced = bars["outsource"]
    assert outsourced[0] / keep == pytest.approx(
        weekly.hours(Verdict.OUTSOURCE) / daily.hours(Verdict.KEEP), rel=0.01
    )
    assert "Hours a week by frequency and verdict" in "".join(parsed.text)


def test_chart_with_no_known_hours() -> None:
    """With no hours known, the chart says so instead of drawing empty bars."""
    svg = hours_chart(plan([Task(name="x", skill="none")]))
    assert "No hours are known yet." in svg
    assert _parse(svg).errors == []


def test_empty_plan() -> None:
    """An empty inventory still makes a valid page."""
    page = html_report(Plan.from_decisions([]))
    parsed = _parse(page)
    assert parsed.errors == []
    assert "Who to hire" not in page


def test_progress_is_reported() -> None:
    """The progress callback sees every task."""
    seen: list[tuple[int, int]] = []
    html_report(plan(TASKS, SALLY), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(TASKS), len(TASKS))
    assert len(seen) == len(TASKS)
