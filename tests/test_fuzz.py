"""Fuzzing: garbage in gives a library error or exit 2, never anything else.

Hypothesis feeds the entry points that take untrusted input (``load_ruleset``,
``Task.from_dict``, ``Owner.from_dict`` and the command line) with random
text, random YAML, random nested data and mutated copies of the default
ruleset. The invariant in every case: the result is a value, a
:class:`~outsourcing_rules.RulesetError` or a
:class:`~outsourcing_rules.FactError`; from the command line, exit 0, 1 or 2,
and on exit 2 every line of standard error is one ``error:`` line with no
traceback.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from outsourcing_rules import (
    FactError,
    Owner,
    Ruleset,
    RulesetError,
    Task,
    available_engines,
    decide,
    load_ruleset,
)
from outsourcing_rules.cli import COMMAND_MODULES, main
from outsourcing_rules.core.vocabulary import FACTS
from outsourcing_rules.engines.durable import DurableError
from outsourcing_rules.loading.reading import builtin_path

DEFAULT_TEXT = builtin_path("default").read_text(encoding="utf-8")
DEFAULT_DATA = yaml.safe_load(DEFAULT_TEXT)
TASK_KEYS = ["name", "category", "skill", "hours_each", "times_per_year", "tags"]
PROBE_TASKS = [
    Task(name="probe"),
    Task(name="probe", skill="none", times_per_year=52, hours_each=2, provider_hourly_rate=30),
    Task(name="probe", one_off=True, hours_each=10, repetitive=True, tags=["admin"]),
]

# --- what garbage looks like ------------------------------------------------------------

#: Characters that make YAML do things: indicators, quotes, escapes, tags, anchors.
YAML_ALPHABET = st.sampled_from(list(":-[]{},&*!|>'\"#%@`?\\ \n\t.$~=+") + list("abeinoxy019"))

yaml_soup = st.text(YAML_ALPHABET, max_size=200)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities included
    st.text(max_size=30),
    st.sampled_from(["keep", "outsource", "eliminate", "basic", "$low_frequency_per_year", ""]),
)
keys = st.one_of(
    st.sampled_from(
        [
            "ruleset",
            "default",
            "rules",
            "extends",
            "overrides",
            "parameters",
            "when",
            "then",
            "id",
            "priority",
            "because",
            "all",
            "any",
            "not",
            "in",
            "lt",
            "verdict",
            *FACTS,
        ]
    ),
    st.text(max_size=12),
)
nested = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)


@st.composite
def mutated_default(draw: st.DrawFn) -> Any:
    """Draw the default ruleset's data with a few random changes at random places."""
    data = copy.deepcopy(DEFAULT_DATA)
    for _ in range(draw(st.integers(1, 4))):
        # Walk down to a random container, then change, delete or add one entry.
        node = data
        for _ in range(draw(st.integers(0, 5))):
            children = (
                [v for v in node.values() if isinstance(v, dict | list)]
                if isinstance(node, dict)
                else [v for v in node if isinstance(v, dict | list)]
            )
            if not children:
                break
            node = draw(st.sampled_from(children))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if action == "delete":
                del node[key]
            elif action == "replace":
                node[key] = draw(nested)
            else:
                node[draw(keys)] = draw(nested)
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if action == "delete":
                del node[index]
            elif action == "replace":
                node[index] = draw(nested)
            else:
                node.insert(index, draw(nested))
    return data


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """Draw the default ruleset's text with a few characters deleted, replaced or inserted."""
    text = DEFAULT_TEXT
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        piece = draw(st.text(YAML_ALPHABET, min_size=1, max_size=3))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif action == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at:]
    return text


# --- the invariants ----------------------------------------------------------------------


def attempt(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Return what *call* returns, or the library error it raises (anything else propagates)."""
    try:
        return call(*args, **kwargs)
    except (RulesetError, FactError, DurableError) as error:
        return error


def load_or_refuse(source: Any) -> Ruleset | None:
    """Load *source*; return the ruleset, or None when it is refused with a RulesetError."""
    outcome = attempt(load_ruleset, source)
    if isinstance(outcome, Ruleset):
        return outcome
    assert isinstance(outcome, RulesetError), outcome
    assert outcome.problems
    assert all(problem.message for problem in outcome.problems)
    return None


def decides(ruleset: Ruleset) -> None:
    """Check that a ruleset that loaded decides the probe tasks alike on every engine."""
    for task in PROBE_TASKS:
        seen = set()
        for engine in available_engines():
            outcome = attempt(decide, task, ruleset=ruleset, engine=engine)
            if isinstance(outcome, DurableError):  # only a documented durable-rules limit
                assert "use engine='native'" in str(outcome)
                continue
            seen.add((outcome.verdict, outcome.rule_id, outcome.matched_rule_ids))
        assert len(seen) <= 1


@given(text=st.text(max_size=300))
def test_random_text(text: str) -> None:
    """Any text (as bytes, and as a str that cannot be a path) loads or is refused."""
    load_or_refuse(text.encode("utf-8", "surrogatepass"))
    load_or_refuse(text + "\n")


@given(raw=st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    """Any bytes load or are refused: binary files, broken UTF-8, BOMs, NULs."""
    load_or_refuse(raw)


@given(text=yaml_soup)
def test_random_yaml_syntax(text: str) -> None:
    """Soups of YAML indicators (anchors, tags, flows, quotes) load or are refused."""
    load_or_refuse(text.encode())


@given(data=nested)
def test_random_nested_data(data: Any) -> None:
    """Random nested data, as a mapping or dumped to YAML or JSON, loads or is refused."""
    if isinstance(data, dict):
        assume(all(isinstance(k, str) for k in data))
        load_or_refuse(data)
    with contextlib.suppress(ValueError, yaml.YAMLError):  # NaN in JSON, odd keys
        load_or_refuse(json.dumps(data, allow_nan=False).encode())
    load_or_refuse(yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass"))


@given(data=mutated_default())
def test_mutated_default_ruleset_data(data: Any) -> None:
    """A damaged copy of the default ruleset loads (and decides) or is refused."""
    ruleset = load_or_refuse(data)
    if ruleset is not None:
        decides(ruleset)


@given(text=mutated_text())
def test_mutated_default_ruleset_text(text: str) -> None:
    """The default ruleset's text with typos loads (and decides) or is refused."""
    ruleset = load_or_refuse(text.encode("utf-8", "surrogatepass"))
    if ruleset is not None:
        decides(ruleset)


@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from([*TASK_KEYS, "name"]), keys, st.integers()), nested, max_size=6
    )
)
def test_random_task_and_owner_mappings(data: dict[Any, Any]) -> None:
    """``from_dict`` with random keys and values builds the fact or names every bad field."""
    for cls in (Task, Owner):
        built = attempt(cls.from_dict, data)
        if isinstance(built, FactError):
            assert built.field
            assert built.errors
            for error in built.errors:  # one line each, whatever the values
                assert error.field
                assert "\n" not in str(error)
            assert str(built).count("\n") == len(built.errors) - 1 + (built.more > 0)
        else:
            assert isinstance(built, cls)
            assert set(built.to_dict()) <= set(data)  # nothing invented, nothing renamed


# --- the command line --------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line; return its exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_clean_exit(code: int, err: str) -> None:
    """Exit 0, 1 or 2; on 2, one ``error:`` line per problem (warnings aside), no traceback."""
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if not line.startswith("warning: ")]
        assert lines
        for line in lines:
            assert line.startswith("error: "), line


cli_files = st.one_of(
    yaml_soup.map(str.encode),
    st.binary(max_size=200),
    nested.map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8", "surrogatepass")),
    mutated_text().map(lambda t: t.encode("utf-8", "surrogatepass")),
)
suffixes = st.sampled_from([".yaml", ".json", ".csv"])


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(ruleset=cli_files, tasks=cli_files, suffix=suffixes)
def test_the_command_line_on_garbage_files(ruleset: bytes, tasks: bytes, suffix: str) -> None:
    """``decide`` on random ruleset and inventory files exits cleanly, one error line each."""
    with tempfile.TemporaryDirectory() as folder:
        rules_file = Path(folder, "rules.yaml")
        tasks_file = Path(folder, "tasks" + suffix)
        rules_file.write_bytes(ruleset)
        tasks_file.write_bytes(tasks)
        code, _, err = run("decide", str(tasks_file), "--ruleset", str(rules_file))
        assert_clean_exit(code, err)
        code, _, err = run("decide", str(tasks_file))
        assert_clean_exit(code, err)


@pytest.mark.parametrize(
    "content",
    [
        b"!!python/object/apply:os.system [echo pwned]\n",
        b"a: &a [1]\nb: *a\n",
        b"\x00\x01\x02",
        b"- name: x\n  hours_each: .nan\n",
        b"- {name: x, skil: none}\n",
        b"- name: " + b"9" * 5000 + b"\n",
        b'- name: "\\ud800"\n',
    ],
    ids=["python-tag", "alias", "binary", "nan", "typo", "huge-int", "surrogate"],
)
def test_hostile_inventories_exit_2_with_one_line(content: bytes, tmp_path: Path) -> None:
    """Known-hostile inventory files are bad input: exit 2, one error line, no traceback."""
    tasks_file = tmp_path / "tasks.yaml"
    tasks_file.write_bytes(content)
    code, out, err = run("decide", str(tasks_file))
    assert (code, out) == (2, "")
    assert_clean_exit(code, err)
    assert "pwned" not in out + err or "tag" in err


HOSTILE_RULESETS = {
    "python-tag": b"ruleset: x\ndescription: !!python/object/apply:os.system [echo pwned]\n",
    "alias-bomb": b"a: &a [1, 1]\nb: [*a, *a]\n",
    "binary": bytes(range(256)),
    "deep": b"ruleset: x\nrules: " + b"[" * 200 + b"]" * 200 + b"\n",
    "inf": b"ruleset: x\ndefault: {verdict: keep, because: b}\nparameters: {p: .inf}\n",
    "duplicate": b"ruleset: x\nruleset: y\n",
    "extends-device": b"ruleset: x\nextends: /dev/zero\n",
    "extends-missing": b"ruleset: x\nextends: ../../nowhere.yaml\n",
    "surrogate": b'ruleset: "\\ud800"\n',
    "newline-key": b'ruleset: x\ndefault: {verdict: keep, because: b}\n"a\\nb": 1\n',
}


@pytest.mark.parametrize("content", HOSTILE_RULESETS.values(), ids=HOSTILE_RULESETS.keys())
@pytest.mark.parametrize("command", ["decide", *(["check"] if "check" in COMMAND_MODULES else [])])
def test_hostile_rulesets_exit_2_with_one_line_each(
    command: str, content: bytes, tmp_path: Path
) -> None:
    """``check`` and ``decide --ruleset`` refuse hostile rulesets: exit 2, one line a problem."""
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_bytes(content)
    tasks_file = tmp_path / "tasks.yaml"
    tasks_file.write_text("- {name: x}\n", encoding="utf-8")
    argv = (
        ["check", str(rules_file)]
        if command == "check"
        else ["decide", str(tasks_file), "--ruleset", str(rules_file)]
    )
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert_clean_exit(code, err)
    assert "pwned" not in err
