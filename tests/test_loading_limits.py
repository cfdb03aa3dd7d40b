"""Limits on ruleset files, and what ``extends`` may reach: hostile rulesets fail fast.

Every limit of :class:`~outsourcing_rules.Limits` is driven past its default
with an input built to hurt (a 10 MB file, a 100-level ``not`` chain, a
million-item list, a 100,000-level mapping); each must end in a
:class:`~outsourcing_rules.RulesetError` that names the limit, never a
``RecursionError``, a ``MemoryError`` or a hang. Raising the limit lets the
same input through, so the bounds are the caller's to choose.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from outsourcing_rules import Limits, RulesetError, Task, decide, load_ruleset

HEAD = "ruleset: limits\ndefault: {verdict: keep, because: Nothing applies.}\n"


def with_rules(count: int) -> str:
    """Return a ruleset of *count* one-line rules."""
    rules = "".join(
        f"  - {{id: r{i}, priority: 1, when: {{one_off: true}}, then: keep, because: b}}\n"
        for i in range(count)
    )
    return HEAD + "rules:\n" + rules


def not_chain(levels: int) -> str:
    """Return a ruleset whose one rule nests ``not`` *levels* deep."""
    when = "{not: " * levels + "{one_off: true}" + "}" * levels
    return HEAD + f"rules:\n  - {{id: r, priority: 1, then: keep, because: b, when: {when}}}\n"


def refused(source: object, **options: object) -> str:
    """Load *source*, expecting a RulesetError; return its message."""
    with pytest.raises(RulesetError) as caught:
        load_ruleset(source, **options)  # type: ignore[arg-type]
    return str(caught.value)


# --- each limit ------------------------------------------------------------------------


def test_a_10_mb_text_is_refused_by_size() -> None:
    """Text over ``max_bytes`` is refused before it is parsed."""
    text = HEAD + "description: " + "x" * 10_000_000 + "\n"
    assert "over the limit of 1,000,000" in refused(text)
    assert "over the limit of 1,000,000" in refused(text.encode())


def test_a_10_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A file's size is checked from its metadata: a sparse 10 MB file is never read."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(10_000_000)
    assert "10,000,000 bytes, over the limit of 1,000,000" in refused(big)


def test_too_many_rules() -> None:
    """``max_rules`` bounds the rules, with the count and the limit in the message."""
    assert "1,001 rules, over the limit of 1,000" in refused(with_rules(1_001))
    assert len(load_ruleset(with_rules(1_001), limits=Limits(max_rules=2_000)).rules) == 1_001
    assert "3 rules, over the limit of 2" in refused(with_rules(3), limits=Limits(max_rules=2))


def test_a_100_level_not_chain_is_refused_by_depth() -> None:
    """Nesting is counted while parsing, so deep conditions never reach a recursive step."""
    assert "nests deeper than the limit of 32" in refused(not_chain(100))
    assert load_ruleset(not_chain(40), limits=Limits(max_depth=100)).rules[0].id == "r"


def test_a_deep_mapping_is_refused_by_depth() -> None:
    """A mapping 100,000 levels deep (as JSON might decode) is an error, not a RecursionError."""
    node: object = {"one_off": True}
    for _ in range(100_000):
        node = {"not": node}
    data = {
        "ruleset": "deep",
        "default": {"verdict": "keep", "because": "b"},
        "rules": [{"id": "r", "priority": 1, "then": "keep", "because": "b", "when": node}],
    }
    assert "nests deeper than the limit of 32" in refused(data)


def test_a_long_string_is_refused() -> None:
    """Text longer than ``max_string`` is refused at its line, in a file or in data."""
    assert "10,001 characters, over the limit of 10,000" in refused(
        HEAD + "description: " + "x" * 10_001 + "\n"
    )
    data = {"ruleset": "x" * 10_001, "default": {"verdict": "keep", "because": "b"}}
    assert "over the limit of 10,000" in refused(data)
    assert load_ruleset(
        HEAD + "description: " + "x" * 10_001 + "\n", limits=Limits(max_string=20_000)
    )


def test_a_million_item_list_is_refused() -> None:
    """A million values: by size under the defaults, by count once the size is allowed."""
    text = HEAD + "parameters:\n  p: [" + ",".join(["1"] * 1_000_000) + "]\n"
    assert "over the limit of 1,000,000" in refused(text)
    assert "more than 20,000 values" in refused(text, limits=Limits(max_bytes=10_000_000))
    data = {"ruleset": "x", "default": {"verdict": "keep", "because": "b"}}
    data["parameters"] = {"p": [1] * 1_000_000}  # type: ignore[dict-item]
    assert "more than 20,000 values" in refused(data)


def write_chain(tmp_path: Path, length: int) -> Path:
    """Write files f0 <- f1 <- ... each extending the one before; return the last."""
    (tmp_path / "f0.yaml").write_text(HEAD, encoding="utf-8")
    for i in range(1, length + 1):
        (tmp_path / f"f{i}.yaml").write_text(
            f"ruleset: f{i}\nextends: f{i - 1}.yaml\n", encoding="utf-8"
        )
    return tmp_path / f"f{length}.yaml"


def test_a_long_extends_chain_is_refused(tmp_path: Path) -> None:
    """``max_extends`` bounds the chain; 0 forbids ``extends`` altogether."""
    assert "chained deeper than the limit of 16" in refused(write_chain(tmp_path, 17))
    assert load_ruleset(write_chain(tmp_path, 16)).name == "f16"
    assert "limit of 0" in refused(HEAD + "extends: default\n", limits=Limits(max_extends=0))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_depth": 1_000}, "at most 100"),
        ({"max_bytes": 0}, "positive integer"),
        ({"max_rules": -1}, "positive integer"),
        ({"max_values": 1.5}, "positive integer"),
        ({"max_string": True}, "positive integer"),
        ({"max_extends": -1}, "0 or more"),
    ],
)
def test_limits_refuse_values_that_would_not_protect(
    options: dict[str, object], message: str
) -> None:
    """Limits are checked when built: no depth that would exhaust the stack, no zero sizes."""
    with pytest.raises(ValueError, match=message):
        Limits(**options)  # type: ignore[arg-type]


def all_chain(levels: int) -> str:
    """Return a ruleset whose one rule nests ``all`` *levels* deep (two YAML levels each)."""
    when = "{all: [" * levels + "{one_off: true}" + "]}" * levels
    return HEAD + f"rules:\n  - {{id: r, priority: 1, then: keep, because: b, when: {when}}}\n"


@pytest.mark.parametrize("text", [not_chain(96), all_chain(48)], ids=["not", "all"])
def test_the_deepest_allowed_nesting_never_exhausts_the_stack(engine: str, text: str) -> None:
    """At the ceiling of ``max_depth`` loading and deciding finish without a RecursionError."""
    # The file, the rules list and the rule take three levels; the condition the rest.
    ruleset = load_ruleset(text, limits=Limits(max_depth=100))
    decision = decide(Task(name="t", one_off=True), ruleset=ruleset, engine=engine)
    assert decision.rule_id == "r"
    with pytest.raises(RulesetError, match="limit of 100"):
        load_ruleset(not_chain(97), limits=Limits(max_depth=100))


# --- files that are not files -----------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_never_read() -> None:
    """``/dev/zero`` reports size 0 and never ends: it is refused before it is opened."""
    assert "not a regular file" in refused(Path("/dev/zero"))
    assert "not a regular file" in refused(
        HEAD.replace("ruleset: limits\n", "") + "ruleset: x\nextends: /dev/zero\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_never_opened(tmp_path: Path) -> None:
    """Opening a pipe would wait for a writer forever; it is refused from its metadata."""
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    assert "not a regular file" in refused(pipe)


def test_an_empty_text_is_not_mistaken_for_a_path() -> None:
    """``""`` is an empty ruleset, not the current directory."""
    assert "must be a mapping" in refused("")
    assert "must be a mapping" in refused("   ")


# --- what extends may reach ---------------------------------------------------------------


def secret(tmp_path: Path) -> Path:
    """Write a YAML file outside the rulesets' directory that must never be read."""
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    return outside


def test_extends_paths_can_be_turned_off(tmp_path: Path) -> None:
    """``allow_extends_paths=False``: only built-in names; a path is refused unread."""
    outside = secret(tmp_path)
    for target in (str(outside), "../secret.yaml", "secret.yaml"):
        text = f"ruleset: upload\nextends: {target}\n"
        message = refused(text.encode(), allow_extends_paths=False)
        assert (
            "only built-in rulesets (default, default@2, default@1) may be extended here" in message
        )
        assert "hunter2" not in message
        assert "password" not in message
    assert load_ruleset(b"ruleset: upload\nextends: default\n", allow_extends_paths=False)


def test_extends_paths_are_kept_inside_a_root(tmp_path: Path) -> None:
    """With *extends_root*, ``../`` and absolute paths that leave the directory are refused."""
    outside = secret(tmp_path)
    root = tmp_path / "customer"
    root.mkdir()
    (root / "base.yaml").write_text(HEAD, encoding="utf-8")
    (root / "escape.yaml").write_text("ruleset: e\nextends: ../secret.yaml\n", encoding="utf-8")
    (root / "absolute.yaml").write_text(f"ruleset: a\nextends: {outside}\n", encoding="utf-8")
    (root / "ok.yaml").write_text("ruleset: ok\nextends: base.yaml\n", encoding="utf-8")
    (root / "hop.yaml").write_text("ruleset: hop\nextends: escape.yaml\n", encoding="utf-8")
    for name in ("escape.yaml", "absolute.yaml", "hop.yaml"):
        message = refused(root / name, extends_root=root)
        assert "leads outside the directory" in message
        assert "hunter2" not in message
    assert load_ruleset(root / "ok.yaml", extends_root=root).name == "ok"
    # Text has no file to be relative to: its paths are relative to the root.
    assert load_ruleset(b"ruleset: t\nextends: base.yaml\n", extends_root=root).name == "t"
    assert "leads outside" in refused(b"ruleset: t\nextends: ../secret.yaml\n", extends_root=root)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    """A link inside the root that points outside it is followed, then refused."""
    outside = secret(tmp_path)
    root = tmp_path / "customer"
    root.mkdir()
    (root / "link.yaml").symlink_to(outside)
    (root / "r.yaml").write_text("ruleset: r\nextends: link.yaml\n", encoding="utf-8")
    assert "leads outside the directory" in refused(root / "r.yaml", extends_root=root)


def test_built_in_rulesets_stay_reachable_under_any_policy(tmp_path: Path) -> None:
    """The library's own rulesets are not files of the caller's: always allowed."""
    text = b"ruleset: r\nextends: default\n"
    assert load_ruleset(text, extends_root=tmp_path, allow_extends_paths=False).name == "r"
