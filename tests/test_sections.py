"""One sections model: text, Markdown, HTML and JSON carry the same sections, in order.

Each rendering is stripped of its formatting and must hold every word of
the model (:meth:`Sections.words`) in the model's order, and each titled
section's title where that format puts titles, in the same order. What a
section is about matches :meth:`Decision.to_dict`. Sections with nothing
to say are absent in every format, and the owner's view names no rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcing_rules import Decision, Owner, Task, decide, default_ruleset
from outsourcing_rules.core.text import printable
from outsourcing_rules.planning.plans import plan
from outsourcing_rules.render import (
    Kind,
    Section,
    Sections,
    decision_html,
    decision_markdown,
    decision_sections,
    detail_text,
    html_report,
    markdown_report,
    owner_sections,
    owner_text,
    sections_html,
    sections_markdown,
    sections_text,
)
from outsourcing_rules.render.report import report_sections
from outsourcing_rules.render.sections import Item, Span
from outsourcing_rules.testing import owners, tasks

from _examples import SALLY

CASES = {
    "outsourced": (
        Task(
            name="Client invoicing",
            category="invoicing",
            times_per_year=52,
            hours_each=4,
            provider_hourly_rate=37.5,
            procedure_documented=True,
        ),
        SALLY,
    ),
    "kept over a loser": (
        Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent"),
        None,
    ),
    "the default": (Task(name="x", core_competency=False), None),
    "core work": (Task(name="Consulting", category="consulting"), SALLY),
    "eliminated": (
        Task(name="Old report", can_be_eliminated=True, times_per_year=52, hours_each=1),
        SALLY,
    ),
    "markup in the name": (
        Task(name="a | b *c* <i>x</i> & `d`", skill="none", times_per_year=20, hours_each=1),
        SALLY,
    ),
}
VIEWS: dict[str, Callable[[Decision], Sections]] = {
    "author": decision_sections,
    "owner": owner_sections,
}
# A rule named after its verdict ("eliminate") is told apart from the word by the others.
RULE_IDS = [rule.id for rule in default_ruleset().rules if rule.id != rule.verdict.value]
FACT_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "h2":
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _html_text(markup: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.text), parser.headings


def _markdown_text(markdown: str) -> str:
    """Markdown without its formatting: escapes undone, code and emphasis marks dropped."""
    return re.sub(r"\\(.)|[`*]", lambda m: m.group(1) or "", markdown)


def _json_words(data: dict[str, object]) -> list[str]:
    words: list[str] = []
    for section in data["sections"]:  # type: ignore[attr-defined]
        words += [] if section["title"] is None else [section["title"]]
        words += section["paragraphs"]
        for item in section.get("items", []):
            words += [item["text"]] + ([] if item["status"] is None else [item["status"]])
        if section["kind"] == "table":
            words += section["header"]
        words += [cell for row in section.get("rows", []) for cell in row]
    return words


def _in_order(words: list[str], rendered: str) -> None:
    """Every word appears in *rendered*, each after the one before."""
    at = 0
    for word in words:
        found = rendered.find(word, at)
        assert found >= 0, f"{word!r} missing after position {at}: {rendered[at : at + 200]!r}"
        at = found + len(word)


def _titles(page: Sections) -> list[str]:
    return [s.title for s in page.sections if s.title is not None]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("case", CASES)
def test_every_format_carries_the_same_sections_in_order(case: str, view: str) -> None:
    """Text, Markdown, HTML and JSON: the same words, in the same order, under the same titles."""
    task, owner = CASES[case]
    page = VIEWS[view](decide(task, owner, engine="native"))
    words = page.words()
    assert words  # every decision has an explanation at least

    text = sections_text(page)
    _in_order(words, text)
    assert [line[:-1] for line in text.splitlines() if line[:-1] in _titles(page)] == _titles(page)

    markdown = sections_markdown(page)
    _in_order(words, _markdown_text(markdown))
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == _titles(page)

    body, html_headings = _html_text(sections_html(page))
    _in_order(words, body)
    assert html_headings == _titles(page)

    data = page.to_dict()
    assert _json_words(data) == words
    assert [s["key"] for s in data["sections"]] == [s.key for s in page.sections]
    assert (data["task"], data["verdict"], data["view"]) == (task.name, page.verdict.value, view)


@pytest.mark.parametrize("case", CASES)
def test_the_renderers_are_the_model_laid_out(case: str) -> None:
    """The text, Markdown and HTML of explain are the sections, not layouts of their own."""
    task, owner = CASES[case]
    decision = decide(task, owner, engine="native")
    full = decision_sections(decision)
    assert detail_text(decision) == sections_text(full)
    assert decision_markdown(decision) == sections_markdown(full)
    assert sections_html(full) in decision_html(decision)
    assert owner_text(decision) == sections_text(owner_sections(decision))


def test_the_sections_show_what_to_dict_holds() -> None:
    """Each section's key is a key of to_dict, and it shows as many entries as to_dict has."""
    task, owner = CASES["outsourced"]
    decision = decide(task, owner, engine="native")
    data = decision.to_dict(max_changes=2)
    page = decision_sections(decision)
    assert [s.key for s in page.sections] == [
        "rule",
        "explanation",
        "trace",
        "matches",
        "why_not",
        "economics",
        "unknowns",
        "counterfactuals",
        "handoff",
        "provenance",
    ]
    by_key = {s.key: s for s in page.sections}
    assert set(by_key) <= set(data)
    assert [row[0][0].text for row in by_key["matches"].rows] == [
        m["rule"] for m in data["matches"]
    ]
    assert "lost_because" not in data["matches"][0]
    outcomes = [row[3][0].text for row in by_key["matches"].rows[1:]]
    assert outcomes == [m["lost_because"] for m in data["matches"][1:]]
    for key in ("why_not", "unknowns", "counterfactuals"):
        described = [entry["description"] for entry in data[key]]
        shown = [item.text[0].text for item in by_key[key].items]
        assert shown == described, key
    assert len(by_key["economics"].rows) == len(data["economics"])
    assert [i.text[0].text for i in by_key["handoff"].items] == [
        i["text"] for i in data["handoff"]["checklist"]
    ]
    assert [i.status for i in by_key["handoff"].items] == [
        i["status"] for i in data["handoff"]["checklist"]
    ]
    assert by_key["explanation"].words() == [data["explanation"]]
    assert by_key["trace"].words() == [data["trace"]]


def _all_formats(page: Sections) -> list[str]:
    return [
        sections_text(page),
        _markdown_text(sections_markdown(page)),
        _html_text(sections_html(page))[0],
        str(page.to_dict()),
    ]


def test_no_empty_sections_for_what_does_not_apply() -> None:
    """A kept task has no hand-off, the default no rules that applied, core work no changes."""
    kept = decide(*CASES["kept over a loser"], engine="native")
    default = decide(*CASES["the default"], engine="native")
    core = decide(*CASES["core work"], engine="native")
    assert core.counterfactuals() == ()
    for page in (decision_sections(kept), owner_sections(kept)):
        assert "handoff" not in {s.key for s in page.sections}
        for rendered in _all_formats(page):
            assert "Hand-off" not in rendered
            assert "Before handing it off" not in rendered
    for rendered in _all_formats(decision_sections(default)):
        assert "Rules that applied" not in rendered
        assert "No rule applied: the ruleset's default decided." in rendered
    owner = owner_sections(core)
    assert [s.key for s in owner.sections] == ["explanation"]
    for rendered in _all_formats(owner):
        assert "What would change" not in rendered
    for page in (decision_sections(core), owner):
        for section in page.sections:
            assert section.words() != ([section.title] if section.title else [])


def test_a_section_cannot_be_made_empty() -> None:
    """The model refuses an empty section and a table row of the wrong width."""
    with pytest.raises(ValueError, match="nothing to say"):
        Section("unknowns", Kind.LIST, "Unknown facts that matter")
    with pytest.raises(ValueError, match="2 cells"):
        Section("economics", Kind.TABLE, header=("Figure", "Value"), rows=(((Span("x"),),),))
    assert Section("x", Kind.LIST, items=(Item((Span("y"),)),)).words() == ["y"]


@pytest.mark.parametrize("case", CASES)
def test_the_owner_view_names_no_rule(case: str) -> None:
    """No rule id, fact name or priority in the owner's sections, in any format."""
    task, owner = CASES[case]
    page = owner_sections(decide(task, owner, engine="native"))
    for rendered in _all_formats(page)[:3]:
        for rule_id in RULE_IDS:
            assert rule_id not in rendered
        assert "priority" not in rendered
        assert FACT_NAME.findall(rendered) == []


def test_the_author_view_says_which_rule_and_where_from() -> None:
    """The author's view names the deciding rule, its priority, the ruleset and the engine."""
    page = decision_sections(decide(*CASES["outsourced"], engine="native"))
    for rendered in _all_formats(page):
        assert "Decided by rule opportunity-cost (priority 40)." in rendered
        assert "on the native engine." in rendered


def test_the_reports_lay_out_each_task_as_its_owner_sections() -> None:
    """A plan's Markdown and HTML report show each task's owner sections, one change each."""
    decisions = [decide(t, o, engine="native") for t, o in CASES.values() if o is SALLY]
    made = plan([d.task for d in decisions], SALLY, engine="native")
    markdown = _markdown_text(markdown_report(made))
    page_text = _html_text(html_report(made))[0]
    for decision in made.decisions:
        words = owner_sections(decision, changes=1).words()
        start = markdown.index(f"### {decision.task.name}: {decision.verdict.value}")
        _in_order(words, markdown[start:])
        _in_order(words, page_text[page_text.index(words[0]) :])


@settings(max_examples=15)
@given(tasks(), owners())
def test_any_decision_renders_the_same_everywhere(task: Task, owner: Owner) -> None:
    """For any task and owner: no empty section, and every format holds the model's words."""
    decision = decide(task, owner, engine="native")
    for page in (owner_sections(decision), decision_sections(decision)):
        assert page.sections[0].key in ("rule", "explanation")
        for section in page.sections:
            assert section.paragraphs or section.items or section.rows
        words = page.words()
        _in_order([printable(w) for w in words], sections_text(page))
        assert _json_words(page.to_dict()) == words


@pytest.mark.parametrize("changes", [0, 1, 5])
def test_the_owner_view_shows_at_most_the_changes_asked(changes: int) -> None:
    """``changes`` caps the list; none asked leaves the section out."""
    decision = decide(*CASES["kept over a loser"], engine="native")
    page = owner_sections(decision, changes=changes)
    shown = [s for s in page.sections if s.key == "counterfactuals"]
    expected = min(changes, len(decision.counterfactuals()))
    assert sum(len(s.items) for s in shown) == expected
    assert bool(shown) == bool(expected)


def test_strong_text_is_set_in_each_format() -> None:
    """A strong span is bold in Markdown and HTML, plain in text, and its spaces stay."""
    section = Section(
        "handoff", Kind.TEXT, paragraphs=((Span("Hand it to "), Span("a *b*", "strong")),)
    )
    page = Sections("t", decide(Task(name="t")).verdict, "owner", (section,))
    assert "Hand it to a *b*" in sections_text(page)
    assert "Hand it to **a \\*b\\***" in sections_markdown(page)
    assert "Hand it to <strong>a *b*</strong>" in sections_html(page)


@given(st.text(min_size=1, max_size=20))
def test_any_words_survive_every_format(words: str) -> None:
    """Whatever a paragraph says comes back from Markdown and HTML once stripped."""
    section = Section("explanation", Kind.TEXT, paragraphs=((Span(words),),))
    page = Sections("t", decide(Task(name="t")).verdict, "owner", (section,))
    flat = " ".join(words.split())
    if flat and words.isprintable():
        assert flat in _markdown_text(sections_markdown(page))
        assert words in _html_text(sections_html(page))[0]


def test_a_report_is_its_sections_in_markdown_and_html() -> None:
    """The plan's Markdown and HTML reports: the same sections, titles and words, in order."""
    made = plan([task for task, _ in CASES.values()], SALLY, engine="native")
    report = report_sections(made, title="Sally's plan")
    assert [s.key for s in report.sections] == [
        "lede",
        "summary",
        "hires",
        "frequencies",
        "decisions",
    ]
    by_key = {s.key: s for s in report.sections}
    assert len(by_key["hires"].rows) == len(made.hires)
    assert len(by_key["frequencies"].rows) == len(made.frequencies)
    assert [row[0][0].text for row in by_key["decisions"].rows] == [
        d.task.name for d in made.decisions
    ]
    titles = [s.title for s in report.sections if s.title is not None] + [report.tasks_title]
    words = [report.title, *(w for s in report.sections for w in s.words()), report.tasks_title]
    for decision in made.decisions:
        words += owner_sections(decision, changes=1).words()
    assert report.footer is not None
    words += report.footer.words()

    markdown = markdown_report(made, title="Sally's plan")
    _in_order(words, _markdown_text(markdown))
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")] == titles

    body, headings = _html_text(html_report(made, title="Sally's plan"))
    _in_order(words, body)
    assert headings == titles

    data = report.to_dict()
    assert _json_words({"sections": data["sections"]}) == [
        w for s in report.sections for w in s.words()
    ]


def test_an_empty_report_has_no_empty_sections() -> None:
    """No tasks: no hires, frequencies, decisions or 'Each task' in either format."""
    made = plan([], SALLY)
    report = report_sections(made)
    assert [s.key for s in report.sections] == ["lede", "summary"]
    for rendered in (markdown_report(made), _html_text(html_report(made))[0]):
        for absent in ("Who to hire", "Hours a week by frequency", "Decisions", "Each task"):
            assert absent not in rendered
        assert "tasks: 0 keep, 0 outsource, 0 eliminate" in rendered
