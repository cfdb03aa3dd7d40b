"""Where Hypothesis keeps its files while ``check`` searches: never the working directory.

Hypothesis writes a ``.hypothesis/`` folder into the current directory
(its example database and a cache of Unicode tables). A ruleset check is
not a test run: it should leave the user's directory as it found it. So
while :func:`hypothesis_storage` is active, Hypothesis uses the user's cache
directory (``$XDG_CACHE_HOME/outsourcing-rules/hypothesis``, else
``~/.cache/...``), unless ``HYPOTHESIS_STORAGE_DIRECTORY`` already says where.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def cache_directory() -> Path:
    """Return the directory ``check`` lets Hypothesis write to."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "outsourcing-rules" / "hypothesis"


@contextlib.contextmanager
def hypothesis_storage() -> Iterator[None]:
    """Point Hypothesis' storage at :func:`cache_directory` for the duration."""
    from hypothesis import configuration

    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    # The module keeps the chosen directory in this global; read it to restore it.
    previous = vars(configuration).get("__hypothesis_home_directory")
    configuration.set_hypothesis_home_dir(cache_directory())
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(previous)
