"""Reading YAML and JSON safely, remembering where every value was written.

The reader is PyYAML's ``SafeLoader`` (it never builds Python objects from
tags), reading YAML 1.2's core schema rather than PyYAML's YAML 1.1, and
tightened for input we do not trust:

* plain values resolve as YAML 1.2 (and JSON) do: booleans are only
  ``true`` and ``false`` (``no``, ``on``, ``y`` are text, so ``category: no``
  is the category "no"); ``052`` is 52, not an octal 42; ``1:30`` is text,
  not the sexagesimal 90; ``1e19`` is a number; dates stay text;

* duplicate keys are an error (PyYAML keeps the last one silently);
* aliases (``*name``) are refused, which also rules out alias bombs;
* sizes are checked on the event stream *before* anything is built: bytes,
  nesting depth, string length and value count, so a hostile file fails fast
  and never reaches a ``RecursionError`` or ``MemoryError`` (the stream comes
  from libyaml where PyYAML has it, which is many times faster; PyYAML's own
  parser words the errors, as it always has);
* only the plain tags of YAML's core schema (``!!str``, ``!!int``...) may be
  written; ``!!python/object``, ``!!binary`` and every other tag are refused
  by name, before the safe loader could even decline them;
* text that is not UTF-8, holds a NUL or another character YAML does not
  allow, or writes a lone surrogate as an escape, is refused, and so is a
  value the loader cannot build (an integer of more than 4300 digits, the
  30th of February).

Data that arrives already parsed (a mapping passed to
:func:`~outsourcing_rules.load_ruleset`) gets the same checks from
:func:`check_data`.

Mappings and lists come back as :class:`Located` subclasses of ``dict`` and
``list`` that know the line and column of each key or item, so later
errors can say where. A syntax error is a :class:`ReadError` with its line
and column and a sentence that says what to fix (a tab used for
indentation, a quote not closed...), not the parser's own words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from .yaml12 import CORE_TAG as _CORE
from .yaml12 import syntax_advice, use_core_schema

#: libyaml's parser where PyYAML was built with it, else ``None``.
_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)

#: Lone surrogates: a double-quoted YAML or JSON string can write one as an
#: escape (``"\\ud800"``), and no UTF-8 output (a digest, JSON, a terminal)
#: can encode it.
_BAD_CHARACTER = re.compile("[\ud800-\udfff]")

#: The tags a file may write explicitly: YAML's core schema.
_PLAIN_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)

#: How much of an offending value an error message shows.
_SHOWN = 40


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


def _character_problem(text: str) -> str | None:
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    return (
        f"holds the lone surrogate U+{ord(found.group()):04X}, which is not a character "
        "(a broken escape?)"
    )


class ReadError(Exception):
    """The text could not be read; ``line`` and ``column`` are 1-based where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class LocatedDict(dict[str, Any]):
    """A mapping that remembers its own place, each key's line and column, and its file."""

    line: int | None = None
    column: int | None = None
    path: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}
        self.columns: dict[str, int] = {}


class LocatedList(list[Any]):
    """A list that remembers its own place and each item's line and column."""

    line: int | None = None
    column: int | None = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []
        self.columns: list[int] = []


def line_of(container: Any, key: Any) -> int | None:
    """Return the line where *key* of *container* was written, if known."""
    if isinstance(container, LocatedDict):
        return container.lines.get(key, container.line)
    if isinstance(container, LocatedList):
        if isinstance(key, int) and 0 <= key < len(container.lines):
            return container.lines[key]
        return container.line
    return None


def column_of(container: Any, key: Any) -> int | None:
    """Return the column where *key* of *container* was written, if known.

    The column goes with :func:`line_of`'s line: the container's own where
    the key's is not known.
    """
    if isinstance(container, LocatedDict):
        if key in container.lines:
            return container.columns.get(key)
        return container.column
    if isinstance(container, LocatedList):
        if isinstance(key, int) and 0 <= key < len(container.lines):
            return container.columns[key] if key < len(container.columns) else None
        return container.column
    return None


class _Located:
    """Constructors shared by both loaders: located containers, no duplicate keys."""

    path: str | None = None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build *node*, turning a value that cannot be built into a :class:`ReadError`."""
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as exc:
            # Integers past Python's 4300-digit limit, impossible dates.
            value = node.value if isinstance(node.value, str) else ""
            raise ReadError(
                f"cannot read the value {_shown(value)}: {str(exc).split(';')[0]}",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            ) from None

    def construct_located_mapping(self, node: yaml.MappingNode) -> LocatedDict:
        """Build a mapping that knows where each key was written; refuse duplicates."""
        mapping = LocatedDict()
        mapping.line = node.start_mark.line + 1
        mapping.column = node.start_mark.column + 1
        mapping.path = self.path
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            column = key_node.start_mark.column + 1
            if not isinstance(key, str):
                raise ReadError(
                    f"keys must be text, not {_shown(repr(key))}: put the key in quotes",
                    line,
                    column,
                )
            if key in mapping:
                raise ReadError(
                    f"duplicate key {_shown(key)} (first on line {mapping.lines[key]}): "
                    "keep one of the two",
                    line,
                    column,
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = line
            mapping.columns[key] = column
        return mapping

    def construct_located_sequence(self, node: yaml.SequenceNode) -> LocatedList:
        """Build a list that knows where each item was written."""
        items = LocatedList()
        items.line = node.start_mark.line + 1
        items.column = node.start_mark.column + 1
        for child in node.value:
            items.append(self.construct_object(child, deep=True))
            items.lines.append(child.start_mark.line + 1)
            items.columns.append(child.start_mark.column + 1)
        return items


class _Loader(_Located, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, with located containers."""


_LOADERS: list[type[Any]] = [_Loader]
if _FAST_LOADER is not None:

    class _FastLoader(_Located, _FAST_LOADER):  # type: ignore[misc,valid-type]
        """libyaml's safe loader, with located containers."""

    _LOADERS.append(_FastLoader)

for _cls in _LOADERS:
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _cls.construct_located_mapping
    )
    _cls.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _cls.construct_located_sequence
    )
    use_core_schema(_cls)


def float_text(number: float) -> str:
    """Write finite *number* with a fraction before any exponent: ``1.0e+19``, not ``1e+19``.

    YAML 1.1 tools and durable-rules' JSON parser read only that form as a
    number; every YAML and JSON reader does.
    """
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


def read_text(raw: bytes | str, *, max_bytes: int) -> str:
    """Decode *raw* as UTF-8 text within *max_bytes*, or raise :class:`ReadError`."""
    size = len(raw)  # every character takes at least a byte: no need to encode a huge text
    if isinstance(raw, str) and size <= max_bytes:
        size = len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ReadError(f"is {size:,} bytes, over the limit of {max_bytes:,}")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ReadError("is not UTF-8 text (is it a binary file?)", line) from None
    else:
        text = raw
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ReadError("holds a NUL character (is it a binary file?)", line)
    return text


def _scan(
    text: str, loader: type[Any], *, max_depth: int, max_string: int, max_values: int
) -> None:
    """Check every event of *text*; :class:`ReadError` for a limit, YAMLError for syntax."""
    depth = 0
    values = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark else None
        column = event.start_mark.column + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise ReadError(
                "YAML aliases (*name) are not allowed in this file: write the value out",
                line,
                column,
            )
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        values += 1
        if values > max_values:
            raise ReadError(f"holds more than {max_values:,} values", line, column)
        tag: str | None = getattr(event, "tag", None)  # alias events have none
        if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
            written = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
            raise ReadError(
                f"the tag {_shown(written)} is not allowed: this file holds plain data, "
                "never Python objects or other typed values",
                line,
                column,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise ReadError(f"nests deeper than the limit of {max_depth} levels", line, column)
        elif isinstance(event, yaml.ScalarEvent):
            if len(event.value) > max_string:
                raise ReadError(
                    f"holds a string of {len(event.value):,} characters, "
                    f"over the limit of {max_string:,}",
                    line,
                    column,
                )
            problem = _character_problem(event.value)
            if problem is not None:
                raise ReadError(problem, line, column)


def _check_events(text: str, *, max_depth: int, max_string: int, max_values: int) -> type[Any]:
    """Check *text* against the limits; return the loader class that should build it."""
    limits = {"max_depth": max_depth, "max_string": max_string, "max_values": max_values}
    if _FAST_LOADER is not None:
        try:
            _scan(text, _FAST_LOADER, **limits)
        except yaml.YAMLError:
            pass  # let PyYAML's own parser find and word the problem
        else:
            return _LOADERS[-1]
    try:
        _scan(text, yaml.SafeLoader, **limits)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, text) from None
    return _Loader


def _yaml_problem(exc: yaml.YAMLError, text: str = "") -> ReadError:
    if isinstance(exc, yaml.reader.ReaderError):
        problem = (
            f"holds the character U+{exc.character:04X}, which YAML does not allow "
            "(is it a binary file?)"
            if isinstance(exc.character, int)
            else "holds a character that is not allowed in YAML (is it a binary file?)"
        )
        if not text:
            return ReadError(problem)
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return ReadError(problem, line, column)
    advice, mark = syntax_advice(exc, text)
    if mark is None:
        return ReadError(f"is not valid YAML: {advice}")
    return ReadError(f"is not valid YAML: {advice}", mark.line + 1, mark.column + 1)


def read_yaml(
    raw: bytes | str,
    *,
    path: str | None = None,
    max_bytes: int = 1_000_000,
    max_depth: int = 32,
    max_string: int = 10_000,
    max_values: int = 100_000,
) -> Any:
    """Parse YAML (or JSON, which is YAML) into located containers.

    Raise :class:`ReadError` for anything malformed, oversized or unsafe.
    """
    text = read_text(raw, max_bytes=max_bytes)
    loader_class = _check_events(
        text, max_depth=max_depth, max_string=max_string, max_values=max_values
    )
    loader = loader_class(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, text) from None
    finally:
        loader.dispose()


def check_data(data: Any, *, max_depth: int, max_string: int, max_values: int) -> None:
    """Check already parsed data as :func:`read_yaml` checks text, without recursion.

    Containers may be mappings with text keys, lists or tuples; values may be
    text, numbers, booleans or ``None``. Raise :class:`ReadError` naming the
    key path of the first value that breaks a limit or is of another type.
    """
    values = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        node, where, depth = stack.pop()
        values += 1
        if values > max_values:
            raise ReadError(f"holds more than {max_values:,} values")
        at = f" at {where}" if where else ""
        if isinstance(node, Mapping | list | tuple):
            if depth > max_depth:
                raise ReadError(f"nests deeper than the limit of {max_depth} levels{at}")
            if isinstance(node, Mapping):
                for key, child in node.items():
                    if not isinstance(key, str):
                        raise ReadError(f"keys must be text, not {_shown(repr(key))}{at}")
                    _check_text(key, max_string, at)
                    stack.append((child, f"{where}.{key}" if where else key, depth + 1))
            else:
                for index, child in enumerate(node):
                    stack.append((child, f"{where}[{index}]", depth + 1))
        elif isinstance(node, str):
            _check_text(node, max_string, at)
        elif node is not None and not isinstance(node, bool | int | float):
            raise ReadError(
                f"holds a {type(node).__name__}{at}; only text, numbers, true/false, "
                "null, lists and mappings are allowed"
            )


def _check_text(text: str, max_string: int, at: str) -> None:
    if len(text) > max_string:
        raise ReadError(
            f"holds a string of {len(text):,} characters{at}, over the limit of {max_string:,}"
        )
    problem = _character_problem(text)
    if problem is not None:
        raise ReadError(problem + at)
