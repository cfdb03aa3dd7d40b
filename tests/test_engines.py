"""Engines: the protocol, the native code generator, and the durable-rules fence as users see it."""

from __future__ import annotations

import gc
import threading

import pytest

from outsourcing_rules import Owner, Task, available_engines, decide, default_engine_name
from outsourcing_rules import load_ruleset as load
from outsourcing_rules.engines import Engine, EngineUnavailableError, get_engine
from outsourcing_rules.engines.native import generate_source

from conftest import DURABLE_MISSING, needs_durable

TWO_RULES = """
ruleset: same-name
default: {verdict: keep, because: d}
rules:
  - {id: a, priority: 2, when: {repetitive: true}, then: outsource, because: r}
  - {id: b, priority: 1, when: {category: {in: [x, "it's \\"quoted\\"", ünïcode]}},
     then: outsource, because: r}
"""


def test_engines_follow_the_protocol() -> None:
    """Each available engine is an Engine with a name."""
    for name in available_engines():
        engine = get_engine(name)
        assert isinstance(engine, Engine)
        assert engine.name == name
    assert "native" in available_engines()


def test_default_engine_is_durable_where_it_imports() -> None:
    """durable-rules is the default wherever it imports; native elsewhere."""
    assert default_engine_name() == ("native" if DURABLE_MISSING else "durable")
    assert decide(Task(name="x")).engine == default_engine_name()


@pytest.mark.skipif(DURABLE_MISSING is None, reason="durable-rules imports here")
def test_durable_unavailable_is_a_clear_error() -> None:
    """Where durable-rules does not import, asking for it says why and what to use."""
    with pytest.raises(EngineUnavailableError, match="engine='native'"):
        decide(Task(name="x"), engine="durable")


def test_generated_source_holds_no_ruleset_text() -> None:
    """The native engine passes rule values as constants; no ruleset text enters the source."""
    ruleset = load(TWO_RULES.replace("id: a", "id: evil__import__os"))
    source, namespace = generate_source(ruleset)
    assert "evil" not in source
    assert "quoted" not in source
    assert "ünïcode" not in source
    assert frozenset({"x", 'it\'s "quoted"', "ünïcode"}) in namespace.values()
    compile(source, "<test>", "exec")


def test_quotes_and_unicode_in_values(engine: str) -> None:
    """Text with quotes and non-ASCII characters compares exactly on both engines."""
    ruleset = load(TWO_RULES)
    for category in ['it\'s "quoted"', "ünïcode"]:
        assert (
            decide(Task(name="t", category=category), ruleset=ruleset, engine=engine).rule_id == "b"
        )
    assert (
        decide(Task(name="t", category="unicode"), ruleset=ruleset, engine=engine).rule_id is None
    )


def test_rulesets_with_the_same_name_never_interfere(engine: str) -> None:
    """Two rulesets called alike, with different rules, each decide by their own rules."""
    first = load(TWO_RULES)
    second = load(
        TWO_RULES.replace(
            "then: outsource, because: r}\n  - {id: b", "then: keep, because: r}\n  - {id: b"
        ).replace("priority: 1", "priority: 3")
    )
    task = Task(name="t", repetitive=True)
    for _ in range(3):
        assert decide(task, ruleset=first, engine=engine).verdict.value == "outsource"
        assert decide(task, ruleset=second, engine=engine).verdict.value == "keep"


def test_nothing_carries_over_between_tasks(engine: str) -> None:
    """A fact asserted for one task is gone before the next one is decided."""
    ruleset = load(TWO_RULES)
    assert decide(Task(name="t", repetitive=True), ruleset=ruleset, engine=engine).rule_id == "a"
    later = decide(Task(name="t"), ruleset=ruleset, engine=engine)
    assert later.matched_rule_ids == ()


def test_labels(engine: str) -> None:
    """Labels are tested with in (any of) and not_in (none of); unknown labels match neither."""
    ruleset = load("""
ruleset: labels
default: {verdict: keep, because: d}
rules:
  - {id: any, priority: 2, when: {tags: {in: [money, "odd label"]}}, then: outsource, because: r}
  - {id: none, priority: 1, when: {tags: {not_in: [secret]}}, then: outsource, because: r}
""")

    def ids(tags: list[str] | None) -> tuple[str, ...]:
        return decide(Task(name="t", tags=tags), ruleset=ruleset, engine=engine).matched_rule_ids

    assert ids(["odd label"]) == ("any", "none")
    assert ids(["money", "secret"]) == ("any",)
    assert ids([]) == ("none",)
    assert ids(None) == ()


def test_unknown_facts_never_satisfy_a_negation(engine: str) -> None:
    """not/ne on an unknown fact is unknown, so the rule does not apply (three-valued logic)."""
    ruleset = load("""
ruleset: negation
default: {verdict: keep, because: d}
rules:
  - {id: ne, priority: 3, when: {category: {ne: x}}, then: outsource, because: r}
  - {id: not, priority: 2, when: {not: {skill: {ge: competent}}}, then: outsource, because: r}
  - {id: not-in, priority: 1, when: {skill: {not_in: [expert]}}, then: outsource, because: r}
""")
    assert decide(Task(name="t"), ruleset=ruleset, engine=engine).matched_rule_ids == ()
    known = decide(Task(name="t", category="y", skill="basic"), ruleset=ruleset, engine=engine)
    assert known.matched_rule_ids == ("ne", "not", "not-in")


@needs_durable
def test_durable_starts_no_threads() -> None:
    """The durable engine drives the C core directly: no Host and no timer threads."""
    before = threading.active_count()
    ruleset = load(TWO_RULES)
    for _ in range(5):
        decide(Task(name="t", repetitive=True), ruleset=ruleset, engine="durable")
    assert threading.active_count() == before


@needs_durable
def test_durable_rulesets_are_freed_with_their_ruleset() -> None:
    """Dropping a ruleset frees its durable-rules handle: nothing leaks across reloads."""
    from outsourcing_rules.engines.durable import live_handles

    gc.collect()
    baseline = live_handles()
    for _ in range(20):
        ruleset = load(TWO_RULES)
        decide(Task(name="t"), ruleset=ruleset, engine="durable")
        assert live_handles() >= baseline + 1
        del ruleset
        gc.collect()
    assert live_handles() == baseline


@needs_durable
def test_durable_refuses_exponential_rules() -> None:
    """A rule whose any-of-all expansion is huge is refused for durable-rules, not compiled."""
    from outsourcing_rules.engines.durable import DurableError

    parts = ",".join(
        "{any: [{repetitive: true}, {one_off: true}, {only_owner: true}]}" for _ in range(6)
    )
    ruleset = load(f"""
ruleset: blowup
default: {{verdict: keep, because: d}}
rules:
  - {{id: big, priority: 1, when: {{all: [{parts}]}}, then: keep, because: r}}
""")
    with pytest.raises(DurableError, match="729 alternatives"):
        decide(Task(name="t"), ruleset=ruleset, engine="durable")
    assert (
        decide(Task(name="t", repetitive=True), ruleset=ruleset, engine="native").rule_id == "big"
    )


def test_empty_ruleset(engine: str) -> None:
    """A ruleset without rules always gives its default."""
    ruleset = load("ruleset: empty\ndefault: {verdict: eliminate, because: d}\nrules: []\n")
    decision = decide(
        Task(name="t", only_owner=True), Owner(hourly_rate=3), ruleset=ruleset, engine=engine
    )
    assert (decision.verdict.value, decision.rule_id) == ("eliminate", None)
