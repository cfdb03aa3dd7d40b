"""Tables in, tables out: decide a whole frame of tasks in columns.

>>> import polars as pl
>>> from outsourcing_rules import Owner, frames
>>> tasks = pl.DataFrame({
...     "name": ["Client invoicing", "Strategy"],
...     "category": ["invoicing", "consulting"],
...     "times_per_year": [52, 12],
...     "hours_each": [4.0, None],
...     "provider_hourly_rate": [37.5, None],
... })
>>> sally = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})
>>> frames.decide_frame(tasks, sally).select("name", "verdict", "rule").rows()
[('Client invoicing', 'outsource', 'opportunity-cost'), ('Strategy', 'keep', 'core-competency')]

:func:`decide_frame` needs the ``frames`` extra (polars and pyarrow),
:func:`dask_decide` also ``dask``, and :func:`spark_decide` ``spark``.
Without it, asking for one of them raises
:class:`~outsourcing_rules.MissingExtraError`, an :class:`ImportError`
naming the extra to install.
"""

from __future__ import annotations

import importlib
from typing import Any

from .problems import FrameError

__all__ = [
    "OUTPUT_COLUMNS",
    "FrameError",
    "dask_decide",
    "decide_frame",
    "spark_decide",
    "typed_frame",
]

#: Where each public name that needs an extra lives (imported on first use).
_LAZY = {
    "OUTPUT_COLUMNS": ".deciding",
    "decide_frame": ".deciding",
    "typed_frame": ".deciding",
    "dask_decide": ".scale",
    "spark_decide": ".scale",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = found
    return found
