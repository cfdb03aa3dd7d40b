"""YAML 1.2 for PyYAML: the core schema's plain values, and syntax errors said as advice.

PyYAML reads YAML 1.1, where ``no``, ``off`` and ``y`` are booleans,
``052`` is an octal 42 and ``1:30`` the sexagesimal 90. JSON, YAML 1.2 and
every person who writes a category called "no" expect otherwise.
:func:`use_core_schema` gives a loader class YAML 1.2's core schema:
booleans only ``true``/``false``, integers decimal (``0o`` octal and ``0x``
hex when asked for), floats with or without a fraction (``1e19``), and
everything else, dates included, text.

:func:`syntax_advice` turns PyYAML's parser messages ("expected <block
end>, but found '<block mapping start>'") into a sentence saying what to
fix, and picks the place to point at (where a quote was opened, not where
the file ended).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: The prefix of YAML's standard tags.
CORE_TAG = "tag:yaml.org,2002:"


#: The implicit types of YAML 1.2's core schema (which JSON's are a part
#: of), in the order tried, with the characters a value of each may start
#: with. PyYAML knows only YAML 1.1's, which read ``no`` as false, ``052``
#: as octal and ``1:30`` as 90.
CORE_SCHEMA: list[tuple[str, str, str]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """Build a YAML 1.2 integer: decimal (``052`` is 52), ``0o`` octal or ``0x`` hex."""
    text = str(loader.construct_scalar(node))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    return sign * int(digits)


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    """Build a YAML 1.2 float: ``1.5``, ``1e19``, ``.inf``, ``-.inf``, ``.nan``."""
    text = str(loader.construct_scalar(node)).lower()
    if text.lstrip("+-") == ".inf":
        return float(text.replace(".inf", "inf"))
    if text == ".nan":
        return float("nan")
    return float(text)


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    """Build a YAML 1.2 boolean: only ``true`` and ``false`` (any case)."""
    text = str(loader.construct_scalar(node))
    if text.lower() not in ("true", "false"):
        raise ValueError(f"{text!r} is not a boolean; write true or false")
    return text.lower() == "true"


def use_core_schema(loader: type[Any]) -> None:
    """Make *loader* (a PyYAML loader class) resolve and build plain values as YAML 1.2 does.

    The class gets resolver and constructor tables of its own, so PyYAML's
    loaders, and every other user of them, keep YAML 1.1.
    """
    loader.add_constructor(CORE_TAG + "int", _construct_int)
    loader.add_constructor(CORE_TAG + "float", _construct_float)
    loader.add_constructor(CORE_TAG + "bool", _construct_bool)
    loader.yaml_implicit_resolvers = {}
    for name, pattern, first in CORE_SCHEMA:
        loader.add_implicit_resolver(CORE_TAG + name, re.compile(pattern), list(first))
    loader.add_implicit_resolver(CORE_TAG + "null", re.compile("^$"), [""])


def syntax_advice(exc: yaml.YAMLError, text: str = "") -> tuple[str, Any]:
    """Say what to fix for a YAML syntax error, and the mark to point at.

    *text* is the document, to look at the line the error is on. PyYAML's
    own words ("expected <block end>") are never shown: they name its
    parser's states, not what to change.
    """
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    at = getattr(exc, "problem_mark", None)
    opened = getattr(exc, "context_mark", None) or at
    lines = text.splitlines()
    line = lines[at.line] if at is not None and at.line < len(lines) else ""
    if "'\\t'" in problem or "\t" in problem:
        return "a tab is used for indentation here; YAML indents with spaces only", at
    if "quoted scalar" in context and "end of stream" in problem:
        return "a quoted text is not closed: add the closing quote", opened
    if "unknown escape character" in problem:
        return (
            f"{problem.removeprefix('found ')} in double quotes: write \\\\ for a "
            "backslash, or use single quotes",
            at,
        )
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else "this character"
        return f"a plain value cannot start with {character!r}: put the value in quotes", at
    if "mapping values are not allowed" in problem:
        if line.count(": ") + line.endswith(":") < 2 and at is not None and at.line > 0:
            return (
                "this key continues the line above: give the line above its ':' "
                "(key: value), or indent this key like the other keys of its mapping",
                at,
            )
        return (
            "a second ': ' on one line: put a value that holds ': ' in quotes, "
            "or start the inner mapping on its own line, indented",
            at,
        )
    if "could not find expected ':'" in problem:
        return "a key without ':' after it: write 'key: value', or quote a multi-line text", opened
    if "<stream end>" in problem or "end of stream" in problem:
        return (
            "the file ends in the middle of a value: close the open [ list ], { mapping } or quote",
            at,
        )
    if "flow sequence" in context:
        return "a [ list ] is not closed with ']', or its items lack commas", opened
    if "flow mapping" in context:
        return "a { mapping } is not closed with '}', or its entries lack commas", opened
    for closing, opening in (("']'", "[ list"), ("'}'", "{ mapping")):
        if "<block end>" in problem and problem.endswith(f"found {closing}"):
            return (
                f"a closing {closing} that closes nothing: remove it, or open the "
                f"{opening} it ends",
                at,
            )
    if "<block end>" in problem and problem.endswith("'<scalar>'"):
        return (
            "more text after a complete value: a quoted value ends at its closing quote, "
            "so put the whole value in quotes, or start the next key on its own line",
            at,
        )
    if "block collection" in context and problem.endswith("'?'"):
        return (
            "a key where the list expects an item: start an item with '- ' (a dash and "
            "a space), or indent the key under its item",
            at,
        )
    if "<block end>" in problem or "block collection" in context or "block mapping" in context:
        return (
            "the indentation does not line up: keys of one mapping, and the '-' of one "
            "list, must start in the same column",
            at,
        )
    if "single document" in context:
        return "more than one document ('---'): a file holds one", at
    if "<document start>" in problem:
        return (
            "text after the end of the document ('...'): a file holds one document; "
            "remove the '...' line",
            at,
        )
    return "the YAML syntax is broken here: check the quotes, brackets and indentation", at
