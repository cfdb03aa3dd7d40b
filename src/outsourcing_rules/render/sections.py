"""A decision laid out once: an ordered tuple of sections that every format writes.

:func:`decision_sections` (the rule author's full view) and
:func:`owner_sections` (the owner's view) are the only places that decide
which sections a decision has, in which order, under which titles, and
what each one says. The formatters are thin: :func:`~.text.sections_text`,
:func:`~.markdown.sections_markdown` and :func:`~.html.sections_html` lay
the same :class:`Sections` out for a terminal, a Markdown page and an HTML
page, and :meth:`Sections.to_dict` is their JSON form. So the four carry
the same sections, in the same order, with the same words.

A section that has nothing to say is left out (a kept task has no
hand-off, a decision by the default has no rules that applied): a
:class:`Section` refuses to be made empty.

Each section's :attr:`~Section.key` is the key of
:meth:`Decision.to_dict <outsourcing_rules.Decision.to_dict>` whose data it
shows, so the JSON of a decision and its sections can be read side by side.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Literal

import attrs

from ..core.conditions import render_value
from ..core.facts import Verdict
from ..core.text import money
from ..decisions import Decision
from ..explain.why import lost_because

#: How each economic figure is labelled, and whether it is money.
ECONOMICS_LABELS: dict[str, tuple[str, bool]] = {
    "hours_per_year": ("Hours a year", False),
    "hours_per_week": ("Hours a week", False),
    "owner_cost_per_year": ("Owner's time a year", True),
    "provider_cost_per_year": ("Provider's price a year", True),
    "saving_per_year": ("Saving a year", True),
    "saving_per_week": ("Saving a week", True),
}

#: How a run of text is set: as it is, as code (an id or a digest), strong, or as a verdict
#: (a badge in HTML).
Style = Literal["plain", "code", "strong", "verdict"]


@attrs.frozen
class Span:
    """A run of text in one style; a line of a section is a tuple of spans.

    *target*, if given, is the id of a part of the same page the span
    points to (a task's card, from the table of decisions); formats
    without links show the text alone.
    """

    text: str
    style: Style = "plain"
    target: str | None = None


#: One paragraph, list item or table cell: spans in order.
Line = tuple[Span, ...]


def plain(line: Line) -> str:
    """Return the words of *line* without their styles."""
    return "".join(span.text for span in line)


def _line(*parts: str | Span) -> Line:
    return tuple(part if isinstance(part, Span) else Span(part) for part in parts)


class Kind(enum.Enum):
    """What a section holds besides its lead paragraphs."""

    #: Paragraphs only.
    TEXT = "text"
    #: A list of items.
    LIST = "list"
    #: A list of items, each done, to do or unknown.
    CHECKLIST = "checklist"
    #: A table: a header and rows of cells.
    TABLE = "table"
    #: Small print: where the decision came from.
    NOTE = "note"
    #: Headline figures: rows of a figure and what it counts.
    FIGURES = "figures"


@attrs.frozen
class Item:
    """One item of a list or a checklist (*status*: ``done``, ``to do`` or ``unknown``)."""

    text: Line
    status: str | None = None


@attrs.frozen
class Section:
    """One section of a decision: what it shows, its title, and its content.

    *key* names the part of :meth:`Decision.to_dict
    <outsourcing_rules.Decision.to_dict>` the section shows; *title* is
    ``None`` for a section that runs on from the heading (the explanation,
    the small print). A section is never empty.
    """

    key: str
    kind: Kind
    title: str | None = None
    paragraphs: tuple[Line, ...] = ()
    items: tuple[Item, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[Line, ...], ...] = ()
    #: The table's columns that hold numbers (aligned right).
    numeric: tuple[int, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not (self.paragraphs or self.items or self.rows):
            raise ValueError(f"section {self.key!r} has nothing to say; leave it out")
        if any(len(row) != len(self.header) for row in self.rows):
            raise ValueError(f"section {self.key!r}: every row needs {len(self.header)} cells")

    def words(self) -> list[str]:
        """Return the section's words in reading order, without styles.

        The title, the paragraphs, then the items (each with its status) or
        the cells row by row (a table's header first): what every format
        must show.
        """
        found = [] if self.title is None else [self.title]
        found += [plain(p) for p in self.paragraphs]
        for item in self.items:
            found.append(plain(item.text))
            if item.status is not None:
                found.append(item.status)
        if self.kind is Kind.TABLE:
            found += list(self.header)
        found += [plain(cell) for row in self.rows for cell in row]
        return found

    def to_dict(self) -> dict[str, Any]:
        """Return the section as JSON-serialisable data, its words without styles."""
        data: dict[str, Any] = {"key": self.key, "kind": self.kind.value, "title": self.title}
        data["paragraphs"] = [plain(p) for p in self.paragraphs]
        if self.kind in (Kind.LIST, Kind.CHECKLIST):
            data["items"] = [{"text": plain(i.text), "status": i.status} for i in self.items]
        if self.kind in (Kind.TABLE, Kind.FIGURES):
            data["header"] = list(self.header)
            data["rows"] = [[plain(cell) for cell in row] for row in self.rows]
            data["numeric"] = list(self.numeric)
        return data


@attrs.frozen
class Sections:
    """A decision laid out: its task and verdict (the heading), then its sections in order."""

    task: str
    verdict: Verdict
    #: ``owner`` (the owner's words only) or ``author`` (every rule and value).
    view: Literal["owner", "author"]
    sections: tuple[Section, ...]

    def words(self) -> list[str]:
        """Return every section's words in order (see :meth:`Section.words`)."""
        return [word for section in self.sections for word in section.words()]

    def to_dict(self) -> dict[str, Any]:
        """Return the layout as JSON-serialisable data: the JSON form of the same sections."""
        return {
            "task": self.task,
            "verdict": self.verdict.value,
            "view": self.view,
            "sections": [s.to_dict() for s in self.sections],
        }


def figure(name: str, value: float | None) -> str:
    """Render one economic figure: money as ``$850``, hours to one decimal; ``unknown``."""
    if value is None:
        return "unknown"
    if ECONOMICS_LABELS[name][1]:
        return money(value)
    return render_value(round(value, 1))


def money_of(decision: Decision) -> Callable[[float], str]:
    """Return a formatter of amounts in *decision*'s owner's currency and locale."""
    owner = decision.owner
    currency = None if owner is None else owner.currency
    locale = None if owner is None else owner.locale
    return lambda amount: money(amount, currency, locale)


# --- the sections, each made in one place ----------------------------------------------


def _explanation(decision: Decision) -> Section:
    return Section("explanation", Kind.TEXT, paragraphs=(_line(decision.explain()),))


def _handoff(decision: Decision) -> Section | None:
    brief = decision.handoff
    if brief is None:
        return None
    lead, *_ = brief.describe().splitlines()
    return Section(
        "handoff",
        Kind.CHECKLIST,
        "Hand-off",
        paragraphs=(_line(lead),),
        items=tuple(Item(_line(i.text), i.status.value) for i in brief.checklist),
    )


def _rule(decision: Decision) -> Section:
    rule = decision.rule
    said = (
        _line("Decided by rule ", Span(rule.id, "code"), f" (priority {rule.priority}).")
        if rule is not None
        else _line("No rule applied: the ruleset's default decided.")
    )
    return Section("rule", Kind.TEXT, paragraphs=(said,))


def _matches(decision: Decision) -> Section | None:
    rule = decision.rule
    winner = None if rule is None else rule.id
    rows = tuple(
        (
            _line(m.rule_id),
            _line(m.verdict.value),
            _line(str(m.priority)),
            _line("decides" if m.rule_id == winner else lost_because(m, rule)),
            _line("; ".join(c.describe() for c in m.checks)),
        )
        for m in decision.matches
    )
    if not rows:
        return None
    return Section(
        "matches",
        Kind.TABLE,
        "Rules that applied",
        header=("Rule", "Verdict", "Priority", "Outcome", "Checks"),
        rows=rows,
        numeric=(2,),
    )


def _listed(key: str, title: str, lines: list[Line]) -> Section | None:
    items = tuple(Item(line) for line in lines)
    return Section(key, Kind.LIST, title, items=items) if items else None


def _economics(decision: Decision) -> Section:
    economics = decision.economics.to_dict()
    return Section(
        "economics",
        Kind.TABLE,
        "Economics",
        header=("Figure", "Value"),
        rows=tuple(
            (_line(label), _line(figure(name, economics[name])))
            for name, (label, _) in ECONOMICS_LABELS.items()
        ),
        numeric=(1,),
    )


def _changes(decision: Decision) -> Section | None:
    lines = [
        _line(c.describe(), " (rule ", Span(c.rule_id, "code"), ")")
        if c.rule_id
        else _line(c.describe(), " (the default)")
        for c in decision.counterfactuals()
    ]
    return _listed("counterfactuals", "What would change the verdict", lines)


def _provenance(decision: Decision) -> Section:
    source = decision.provenance
    version = "" if source["version"] is None else f" version {source['version']}"
    said = _line(
        "Decided by ruleset ",
        Span(str(source["ruleset"]), "code"),
        f"{version} (digest ",
        Span(str(source["digest"]), "code"),
        f") on the {source['engine']} engine.",
    )
    return Section("provenance", Kind.NOTE, paragraphs=(said,))


def decision_sections(decision: Decision) -> Sections:
    """Lay *decision* out in full, for the rule author.

    Which rule decided, the explanation, the trace, the rules that applied
    and why each loser lost, the rules that did not apply, the economics,
    the unknown facts that matter, the changes that would turn the verdict
    (up to two facts at a time, as :func:`~outsourcing_rules.render.decision_detail`
    holds), the hand-off and where the decision came from.
    """
    found = [
        _rule(decision),
        _explanation(decision),
        Section("trace", Kind.TEXT, paragraphs=(_line(decision.trace()),)),
        _matches(decision),
        _listed(
            "why_not", "Rules that did not apply", [_line(m.describe()) for m in decision.why_not()]
        ),
        _economics(decision),
        _listed(
            "unknowns",
            "Unknown facts that matter",
            [_line(u.describe()) for u in decision.unknowns()],
        ),
        _changes(decision),
        _handoff(decision),
        _provenance(decision),
    ]
    return Sections(
        decision.task.name,
        decision.verdict,
        "author",
        tuple(s for s in found if s is not None),
    )


def owner_sections(decision: Decision, *, changes: int = 3) -> Sections:
    """Lay *decision* out for the owner: no rule ids, priorities or fact names.

    The explanation, up to *changes* things that would change it (told as
    steps, in the owner's currency), and the hand-off brief.
    """
    say = money_of(decision)
    advice = [_line(c.advice(say)) for c in decision.counterfactuals()[: max(changes, 0)]]
    found = [
        _explanation(decision),
        _listed("counterfactuals", "What would change this", advice),
        _handoff(decision),
    ]
    return Sections(
        decision.task.name,
        decision.verdict,
        "owner",
        tuple(s for s in found if s is not None),
    )
