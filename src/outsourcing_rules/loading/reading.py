"""Reading a ruleset's source: a path, a built-in name, text, bytes or a mapping.

Text and files are parsed into data that remembers the file and line of
every value (see :mod:`outsourcing_rules.loading.yamlio`), held to the
:class:`~outsourcing_rules.core.rules.Limits` as it is read; a mapping is passed
on as it is (the schema check holds it to the same limits). A file is
checked before it is opened: only regular files within the size limit are
read, never devices or pipes.
"""

from __future__ import annotations

import importlib.resources
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.rules import Limits
from ..errors import Problem, RulesetError, suggest
from .yamlio import ReadError, read_yaml

#: The files of the rulesets that ship with the library, by the name that loads them.
#: ``default`` is the newest version; ``default@N`` pins version N, so a
#: ruleset that ``extends: default@1`` keeps the rules it was written against.
_BUILTIN_FILES = {
    "default": "default.yaml",
    "default@2": "default.yaml",
    "default@1": "default-v1.yaml",
}
#: Names of the rulesets that ship with the library, loadable by name.
BUILTIN_RULESETS = tuple(_BUILTIN_FILES)


def _rulesets_dir() -> Path:
    packaged = importlib.resources.files("outsourcing_rules").joinpath("rulesets")
    if packaged.is_dir():
        return Path(str(packaged))
    # A development install: the repository keeps rulesets/ at its top level.
    return Path(__file__).resolve().parents[3] / "rulesets"


def builtin_path(name: str) -> Path:
    """Return the file of the built-in ruleset *name* (``default``, ``default@1``...)."""
    return _rulesets_dir() / _BUILTIN_FILES.get(name, f"{name}.yaml")


def _looks_like_text(text: str) -> bool:
    if "\n" in text or not text.strip():
        return True
    try:
        if Path(text).is_file():
            return False
    except (OSError, ValueError):
        return True
    return ":" in text or text.lstrip().startswith("{")


def _read_source(
    source: str | os.PathLike[str] | bytes | Mapping[str, Any], limits: Limits
) -> tuple[Any, str | None]:
    if isinstance(source, Mapping):
        return source, None
    if isinstance(source, bytes):
        return _parse(source, None, limits), None
    if isinstance(source, str) and source in BUILTIN_RULESETS:
        return _read_file(builtin_path(source), limits, shown=source)
    if isinstance(source, str) and _looks_like_text(source):
        return _parse(source, None, limits), None
    return _read_file(Path(source), limits)


def _read_file(path: Path, limits: Limits, shown: str | None = None) -> tuple[Any, str]:
    name = shown or str(path)
    try:
        # Check before opening: opening a pipe would wait for a writer, and a
        # device such as /dev/zero never ends.
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise RulesetError("is not a regular file (a device or a pipe?)", path=name)
        if info.st_size > limits.max_bytes:
            raise RulesetError(
                f"is {info.st_size:,} bytes, over the limit of {limits.max_bytes:,}", path=name
            )
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)  # a file that grew is still bounded
    except FileNotFoundError:
        hint = suggest(str(path), BUILTIN_RULESETS)
        raise RulesetError(
            [Problem("no such file or built-in ruleset", path=name, suggestion=hint)]
        ) from None
    except IsADirectoryError:
        raise RulesetError("is a directory, not a ruleset file", path=name) from None
    except OSError as exc:
        raise RulesetError(f"cannot be read: {exc.strerror}", path=name) from None
    return _parse(raw, name, limits), name


def _parse(raw: bytes | str, path: str | None, limits: Limits) -> Any:
    try:
        return read_yaml(
            raw,
            path=path,
            max_bytes=limits.max_bytes,
            max_depth=limits.max_depth,
            max_string=limits.max_string,
            max_values=limits.max_values,
        )
    except ReadError as exc:
        raise RulesetError(
            [Problem(exc.message, path=path, line=exc.line, column=exc.column)]
        ) from None
