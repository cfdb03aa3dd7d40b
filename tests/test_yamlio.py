"""Hostile YAML: every trick a ruleset or inventory file could play is refused with its place.

Each test feeds :func:`~outsourcing_rules.load_ruleset` (or the reader under
it) a file an attacker or a broken export could produce, and checks that the
answer is a :class:`~outsourcing_rules.RulesetError` that names the problem
and its line, never another exception, a hang, or a silently built object.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from outsourcing_rules import RulesetError, load_ruleset
from outsourcing_rules.loading.yamlio import ReadError, check_data, read_yaml

HEAD = "ruleset: hostile\ndefault: {verdict: keep, because: Nothing applies.}\n"

LIMITS = {"max_depth": 32, "max_string": 10_000, "max_values": 100_000}


def refused(text: str | bytes) -> RulesetError:
    """Load *text*, expecting a RulesetError; return it."""
    with pytest.raises(RulesetError) as caught:
        load_ruleset(text)
    return caught.value


def rule(when: str) -> str:
    """Return a ruleset with one rule whose condition is *when* (flow YAML)."""
    return HEAD + f"rules:\n  - {{id: r, priority: 1, then: keep, because: b, when: {when}}}\n"


# --- duplicate keys, anywhere ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEAD + "ruleset: again\n", 3),
        (HEAD + "parameters:\n  p: 1\n  q: 2\n  p: 3\n", 6),
        (rule("{one_off: true, one_off: false}"), 4),
        (rule("{all: [{skill: {le: basic, le: none}}]}"), 4),
        (HEAD + "rules:\n  - id: r\n    priority: 1\n    priority: 2\n", 6),
    ],
    ids=["top", "parameters", "condition", "operator", "rule"],
)
def test_a_duplicate_key_at_any_depth_is_refused_at_its_line(text: str, line: int) -> None:
    """PyYAML keeps the last of two equal keys; the reader refuses the second one."""
    error = refused(text)
    assert error.line == line
    assert "duplicate key" in str(error)


# --- aliases and bombs ----------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """Return the classic alias bomb: each level refers nine times to the one before."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [billion_laughs(), HEAD + "x: &x {a: 1}\ny: {<<: *x}\n", HEAD + "description: &d b\nv: *d\n"],
    ids=["billion-laughs", "merge-key", "plain-alias"],
)
def test_aliases_are_refused_before_anything_is_built(text: str) -> None:
    """No alias is ever expanded: the first ``*name`` ends reading, bombs included."""
    assert "aliases" in str(refused(text))


# --- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN", "+.Inf"])
@pytest.mark.parametrize(
    "where",
    [
        "parameters: {p: {v}}\n",
        "rules:\n  - {id: r, priority: 1, then: keep, because: b, when: {hours_each: {lt: {v}}}}\n",
    ],
    ids=["parameter", "condition"],
)
def test_non_finite_numbers_are_refused_anywhere(value: str, where: str) -> None:
    """``.inf`` and ``.nan`` are floats to YAML, never to a ruleset."""
    error = refused(HEAD + where.replace("{v}", value))
    assert "not a finite number" in str(error)
    assert error.line == HEAD.count("\n") + where.count("\n")


def test_non_finite_priority_is_refused() -> None:
    """A priority must be an integer; ``.inf`` is refused, not sorted first."""
    assert refused(rule("{one_off: true}").replace("priority: 1", "priority: .inf")).line == 4


def test_an_integer_too_long_to_read_is_an_error_at_its_line() -> None:
    """Python refuses to read integers of more than 4300 digits; that is a RulesetError."""
    error = refused(HEAD + "version: " + "9" * 5000 + "\n")
    assert error.line == 3
    assert "cannot read the value" in str(error)
    assert len(str(error)) < 300  # the number itself is not echoed


def test_a_large_integer_within_reach_is_read() -> None:
    """Big integers Python can read are ordinary values (here a version)."""
    assert load_ruleset(HEAD + "version: " + "9" * 400 + "\n").version == int("9" * 400)


def test_a_date_is_text_as_in_yaml_1_2() -> None:
    """YAML 1.2's core schema has no dates: ``2020-02-30`` is text, never a crash."""
    assert load_ruleset(HEAD + "version: 2020-02-30\n").version == "2020-02-30"


def test_an_explicit_tag_that_cannot_be_built_is_an_error_with_its_place() -> None:
    """``!!int`` on a value that is not a YAML 1.2 integer is reported where it is written."""
    error = refused(HEAD + "version: !!int 1:30\n")
    assert (error.line, error.column) == (3, 10)
    assert "cannot read the value '1:30'" in str(error)


# --- tags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object:os.system",
        "!!python/object/apply:os.system",
        "!!python/name:builtins.eval",
        "!!python/module:os",
        "!!binary",
        "!!set",
        "!!timestamp",
        "!custom",
    ],
)
def test_tags_other_than_plain_data_are_refused_by_name(tag: str) -> None:
    """``!!python/...`` and other typed values are named and refused, never constructed."""
    error = refused(HEAD + f"description: {tag} x\n")
    assert error.line == 3
    assert f"the tag {tag!r} is not allowed" in str(error)  # named as it was written


def test_plain_core_tags_are_allowed() -> None:
    """``!!str`` and friends only say what plain YAML would infer; they are fine."""
    ruleset = load_ruleset(HEAD + "version: !!str 3\ndescription: !!str yes\n")
    assert (ruleset.version, ruleset.description) == ("3", "yes")


# --- bytes that are not text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (HEAD.encode() + b"description: caf\xe9\n", 3),  # Latin-1
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1),  # an image
        (HEAD.encode("utf-16"), 1),  # UTF-16 with its BOM
        (bytes(range(256)), 2),  # the first newline comes before the first bad byte
    ],
    ids=["latin-1", "png", "utf-16", "every-byte"],
)
def test_undecodable_or_binary_bytes_are_refused(raw: bytes, line: int) -> None:
    """Bytes that are not UTF-8 text name the line where decoding failed."""
    error = refused(raw)
    assert error.line == line
    assert "UTF-8" in str(error) or "binary" in str(error)


def test_a_nul_character_is_refused_at_its_line() -> None:
    """A NUL in decoded text is a binary file, not a ruleset."""
    error = refused(HEAD + "description: a\x00b\n")
    assert (error.line, "NUL" in str(error)) == (3, True)


def test_a_raw_control_character_is_refused_at_its_line() -> None:
    """YAML forbids raw control characters; the error names the character and the line."""
    error = refused(HEAD + "description: a\x07b\n")
    assert error.line == 3
    assert "U+0007" in str(error)


def test_a_utf8_bom_is_accepted() -> None:
    """Editors on Windows write a BOM; it is not part of the text."""
    assert load_ruleset(b"\xef\xbb\xbf" + HEAD.encode()).name == "hostile"
    assert load_ruleset("\ufeff" + HEAD).name == "hostile"


def test_a_lone_surrogate_escape_is_refused() -> None:
    """A lone surrogate written as an escape is valid YAML but no character: refused."""
    error = refused(HEAD + 'description: "a\\ud800b"\n')
    assert error.line == 3
    assert "surrogate" in str(error)


# --- sizes ------------------------------------------------------------------------------


def test_the_reader_checks_sizes_before_building() -> None:
    """Each limit of :func:`read_yaml` is a ReadError with the line where it was passed."""
    text = textwrap.dedent(
        """\
        a:
          b:
            c: [1, 2, 3]
        """
    )
    with pytest.raises(ReadError, match="deeper than the limit of 2") as caught:
        read_yaml(text, max_depth=2)
    assert caught.value.line == 3
    with pytest.raises(ReadError, match="more than 5 values"):
        read_yaml(text, max_values=5)
    with pytest.raises(ReadError, match="string of 3 characters"):
        read_yaml("key: abc\n", max_string=2)
    with pytest.raises(ReadError, match="over the limit of 10"):
        read_yaml("key: " + "x" * 20 + "\n", max_bytes=10)


@pytest.mark.parametrize(
    ("text", "place", "advice"),
    [
        ("a:\n\tb: 1\n", (2, 1), "a tab is used for indentation"),
        ('a: 1\nb: "open\nc: 2\n', (2, 4), "a quoted text is not closed"),
        ("a: 1\nb: 'open\n", (2, 4), "a quoted text is not closed"),
        ("a:\n  b: 1\n c: 2\n", (3, 2), "the indentation does not line up"),
        ("rules:\n  - id: x\n   then: keep\n", (3, 4), "the indentation does not line up"),
        ("a: b: c\n", (1, 5), "put a value that holds ': ' in quotes"),
        ("a: [1, 2\nb: 3\n", (1, 4), "a [ list ] is not closed"),
        ("a: {x: 1\nb: 3\n", (1, 4), "a { mapping } is not closed"),
        ("a: 1\nb\nc: 2\n", (2, 1), "a key without ':'"),
        ('a: "x\\q"\n', (1, 7), "write \\\\ for a backslash"),
        ("a: @x\n", (1, 4), "cannot start with '@': put the value in quotes"),
        ("a: 1\n---\nb: 2\n", (2, 1), "more than one document"),
        ("a: [1, 2]]\n", (1, 10), "a closing ']' that closes nothing"),
        ("a: {b: 1}}\n", (1, 10), "a closing '}' that closes nothing"),
        ("a: 'x' y\n", (1, 8), "a quoted value ends at its closing quote"),
        ("key with no colon\nb: 1\n", (2, 2), "this key continues the line above"),
        ("a: 1\n b: 2\n", (2, 3), "this key continues the line above"),
        ("- a\n-b: 1\n", (2, 1), "start an item with '- ' (a dash and a space)"),
        ("a: 1\n...\nb: 2\n", (3, 1), "remove the '...' line"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else None,
)
def test_syntax_errors_say_what_to_fix_with_line_and_column(
    text: str, place: tuple[int, int], advice: str
) -> None:
    """PyYAML's own words ("expected <block end>") become a sentence saying what to fix."""
    with pytest.raises(ReadError) as caught:
        read_yaml(text)
    assert (caught.value.line, caught.value.column) == place
    assert caught.value.message.startswith("is not valid YAML: ")
    assert advice in caught.value.message
    assert "<block" not in caught.value.message
    assert "while scanning" not in caught.value.message


@pytest.mark.parametrize("text", ["a: *\n", "a: |x\n", "%YAML 2.0\n---\na\n", "{a: [}\n"])
def test_a_rare_syntax_error_never_shows_pyyamls_words(text: str) -> None:
    """Where no sentence fits, the message still says where and what to check, in plain words."""
    with pytest.raises(ReadError) as caught:
        read_yaml(text)
    assert caught.value.line is not None
    assert caught.value.message == (
        "is not valid YAML: the YAML syntax is broken here: check the quotes, brackets "
        "and indentation"
    )


def test_a_tag_is_refused_in_any_file_not_only_a_ruleset() -> None:
    """The refusal of a tag speaks of the file, which may be an inventory or scenarios."""
    with pytest.raises(ReadError) as caught:
        read_yaml("- {name: a, hours_each: !!python/object:os.system x}\n")
    assert "this file holds plain data" in caught.value.message
    assert "ruleset" not in caught.value.message


def test_a_duplicate_key_says_both_lines_and_the_column() -> None:
    """A duplicate key names where it was first written, and points at the second."""
    with pytest.raises(ReadError) as caught:
        read_yaml("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert (caught.value.line, caught.value.column) == (4, 3)
    assert "duplicate key 'c' (first on line 3)" in caught.value.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: no", "no"),
        ("v: yes", "yes"),
        ("v: on", "on"),
        ("v: Off", "Off"),
        ("v: y", "y"),
        ("v: 052", 52),
        ("v: 0o52", 42),
        ("v: 0x2A", 42),
        ("v: 1:30", "1:30"),
        ("v: 1_000", "1_000"),
        ("v: 2024-01-31", "2024-01-31"),
        ("v: 1e19", 1e19),
        ("v: -2.5", -2.5),
        ("v: .5", 0.5),
        ("v: true", True),
        ("v: FALSE", False),
        ("v: ~", None),
        ("v: null", None),
        ("v:", None),
        ("v: '052'", "052"),
    ],
)
def test_plain_values_resolve_as_yaml_1_2(text: str, value: object) -> None:
    """YAML 1.2's core schema: only true/false are booleans, no octal or base-60 surprises."""
    for parse in (read_yaml, _pure):
        found = parse(text)["v"]
        assert found == value
        assert type(found) is type(value)


def _pure(text: str) -> Any:
    """Parse with the pure-Python loader, as the reader does where libyaml is missing."""
    from outsourcing_rules.loading import yamlio

    loader = yamlio._Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def test_pyyamls_own_loaders_are_left_as_yaml_1_1() -> None:
    """Installing the YAML 1.2 resolvers does not change other users of PyYAML."""
    import yaml

    assert yaml.safe_load("v: no") == {"v": False}
    assert yaml.safe_load("v: 052") == {"v": 42}


def test_located_values_come_back_from_either_parser() -> None:
    """Lines are recorded the same way whichever parser read the text."""
    data = read_yaml("a: 1\nb:\n  - x\n  - y\n")
    assert (data.lines, data["b"].lines) == ({"a": 1, "b": 2}, [3, 4])


# --- data that arrives parsed -----------------------------------------------------------


def nested(depth: int) -> object:
    """Return a mapping *depth* levels deep, built without recursion."""
    node: object = "leaf"
    for _ in range(depth):
        node = {"a": node}
    return node


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (nested(100_000), "deeper than the limit of 32 levels"),
        ({"a": [0] * 200_000}, "more than 100,000 values"),
        ({"a": "x" * 10_001}, "string of 10,001 characters at a"),
        ({"a": {1: "x"}}, "keys must be text, not '1' at a"),
        ({"a": {"b": {1, 2}}}, "holds a set at a.b"),
        ({"a": [b"bytes"]}, r"holds a bytes at a\[0\]"),
        ({"a": "\ud800"}, "lone surrogate"),
    ],
    ids=["deep", "many", "long", "key", "set", "bytes", "surrogate"],
)
def test_parsed_data_meets_the_same_limits(data: object, message: str) -> None:
    """:func:`check_data` walks without recursion: a 100,000-deep mapping is an error."""
    with pytest.raises(ReadError, match=message):
        check_data(data, **LIMITS)


def test_plain_parsed_data_passes() -> None:
    """Text, numbers, booleans, null, lists, tuples and mappings are what YAML produces."""
    check_data({"a": [1, 2.5, True, None, "x", ("t",)], "b": {"c": {}}}, **LIMITS)


def test_a_deep_mapping_source_is_a_ruleset_error() -> None:
    """A mapping passed to load_ruleset meets the limits before any recursive step."""
    data = {"ruleset": "r", "default": {"verdict": "keep", "because": "b"}}
    data["description"] = nested(100_000)  # type: ignore[assignment]
    with pytest.raises(RulesetError, match="deeper than the limit"):
        load_ruleset(data)


@pytest.mark.parametrize(
    ("text", "number"),
    [("1e19", 1e19), ("1e+19", 1e19), ("-2E-3", -0.002), (".5e3", 500.0)],
)
def test_exponents_without_a_fraction_are_numbers(text: str, number: float) -> None:
    """``1e19`` is a float, as in JSON and YAML 1.2 (YAML 1.1 alone would read it as text)."""
    assert read_yaml(f"a: {text}\nb: [{text}]\n") == {"a": number, "b": [number]}


@pytest.mark.parametrize("text", ["e5", "1e", "1e5x", "'1e5'", '"1e5"', "1.2.3e4"])
def test_words_and_quoted_exponents_stay_text(text: str) -> None:
    """Only a whole number with an exponent is read as one; quoting keeps text."""
    value = read_yaml(f"a: {text}\n")["a"]
    assert isinstance(value, str)


def test_pyyaml_itself_is_left_as_it_is() -> None:
    """The extra resolver belongs to the library's loaders, not to PyYAML's."""
    import yaml

    assert yaml.safe_load("a: 1e19") == {"a": "1e19"}
