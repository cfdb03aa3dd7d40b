"""Reading YAML and JSON safely, remembering where every value was written.

The reader is PyYAML's ``SafeLoader`` (it never builds Python objects from
tags), tightened for input we do not trust:

* duplicate keys are an error (PyYAML keeps the last one silently);
* aliases (``*name``) are refused, which also rules out alias bombs;
* sizes are checked on the event stream *before* anything is built: bytes,
  nesting depth, string length and item count, so a hostile file fails fast
  and never reaches a ``RecursionError`` or ``MemoryError``;
* text that is not UTF-8, or holds control characters, is refused.

Mappings and lists come back as :class:`Located` subclasses of ``dict`` and
``list`` that know the line of each key or item, so later errors can say
where.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LocatedDict", "LocatedList", "ReadError", "line_of", "read_text", "read_yaml"]


class ReadError(Exception):
    """The text could not be read; ``line`` is 1-based where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LocatedDict(dict[str, Any]):
    """A mapping that remembers its own line, each key's line, and its file."""

    line: int | None = None
    path: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}


class LocatedList(list[Any]):
    """A list that remembers its own line and each item's line."""

    line: int | None = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []


def line_of(container: Any, key: Any) -> int | None:
    """Return the line where *key* of *container* was written, if known."""
    if isinstance(container, LocatedDict):
        return container.lines.get(key, container.line)
    if isinstance(container, LocatedList):
        if isinstance(key, int) and 0 <= key < len(container.lines):
            return container.lines[key]
        return container.line
    return None


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds located containers and refuses duplicate keys."""

    path: str | None = None

    def construct_located_mapping(self, node: yaml.MappingNode) -> LocatedDict:
        mapping = LocatedDict()
        mapping.line = node.start_mark.line + 1
        mapping.path = self.path
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise ReadError(f"keys must be text, not {key!r}", line)
            if key in mapping:
                raise ReadError(f"duplicate key {key!r} (first on line {mapping.lines[key]})", line)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = line
        return mapping

    def construct_located_sequence(self, node: yaml.SequenceNode) -> LocatedList:
        items = LocatedList()
        items.line = node.start_mark.line + 1
        for child in node.value:
            items.append(self.construct_object(child, deep=True))
            items.lines.append(child.start_mark.line + 1)
        return items


_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_located_mapping
)
_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_located_sequence
)


def read_text(raw: bytes | str, *, max_bytes: int) -> str:
    """Decode *raw* as UTF-8 text within *max_bytes*, or raise :class:`ReadError`."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
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


def _check_events(text: str, *, max_depth: int, max_string: int, max_values: int) -> None:
    depth = 0
    items = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                raise ReadError("YAML aliases (*name) are not allowed in this file", line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise ReadError(f"nests deeper than the limit of {max_depth} levels", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                items += 1
                if len(event.value) > max_string:
                    raise ReadError(
                        f"holds a string of {len(event.value):,} characters, "
                        f"over the limit of {max_string:,}",
                        line,
                    )
                if items > max_values:
                    raise ReadError(f"holds more than {max_values:,} values", line)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc) from None


def _yaml_problem(exc: yaml.YAMLError) -> ReadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.reader.ReaderError):
        problem = "holds a character that is not allowed in YAML (is it a binary file?)"
    return ReadError(f"is not valid YAML: {problem}", line)


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
    _check_events(text, max_depth=max_depth, max_string=max_string, max_values=max_values)
    loader = _Loader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc) from None
    finally:
        loader.dispose()
