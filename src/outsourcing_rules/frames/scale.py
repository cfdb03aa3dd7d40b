"""More than one core or machine: the columnar engine run by Dask and by Spark.

Neither function schedules anything itself. Dask's ``map_partitions`` and
Spark's ``mapInArrow`` hand each partition to :func:`decide_frame` wherever
their schedulers run it; the ruleset and the owner travel by pickle (a
:class:`~outsourcing_rules.Ruleset` pickles without its compiled forms and
compiles again, once, in each worker process).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from ..core.facts import Owner
from ..core.rules import Ruleset
from ..decisions import _as_owner
from ..loading import default_ruleset, load_ruleset
from .deciding import decide_frame, output_schema
from .problems import need


def _setup(
    owner: Owner | Mapping[str, Any] | None, ruleset: Ruleset | str | Mapping[str, Any] | None
) -> tuple[Owner | None, Ruleset]:
    return _as_owner(owner), default_ruleset() if ruleset is None else load_ruleset(ruleset)


def dask_decide(
    ddf: Any,
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    errors: Literal["raise", "null"] = "raise",
    extra: Literal["raise", "ignore"] = "raise",
) -> Any:
    """Decide a Dask DataFrame of tasks, partition by partition; return a Dask DataFrame.

    Lazy, as Dask is: nothing is decided until the result is computed. Each
    partition is decided by :func:`decide_frame` (same columns, same
    options); the result keeps the partitions and their index. Needs the
    ``dask`` extra.
    """
    need("dask.dataframe", "dask")
    the_owner, chosen = _setup(owner, ruleset)
    meta = decide_frame(ddf._meta, the_owner, ruleset=chosen, errors=errors, extra=extra)
    return ddf.map_partitions(
        decide_frame, the_owner, meta=meta, ruleset=chosen, errors=errors, extra=extra
    )


def spark_decide(
    sdf: Any,
    owner: Owner | Mapping[str, Any] | None = None,
    *,
    ruleset: Ruleset | str | Mapping[str, Any] | None = None,
    errors: Literal["raise", "null"] = "raise",
    extra: Literal["raise", "ignore"] = "raise",
) -> Any:
    """Decide a Spark DataFrame of tasks; return a Spark DataFrame of decisions.

    Through ``mapInArrow``: each executor decides its Arrow batches with
    :func:`decide_frame`, the ruleset shipped by pickle. The columns are
    those of :func:`decide_frame` (``matched`` an array of strings, figures
    doubles). Lazy, as Spark is. Needs the ``spark`` extra (and Java).
    """
    need("pyspark.sql", "spark")
    from pyspark.sql.pandas.types import from_arrow_schema

    the_owner, chosen = _setup(owner, ruleset)
    schema = output_schema(name="name" in sdf.columns, error=errors == "null")

    def decide_batches(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            yield decide_frame(batch, the_owner, ruleset=chosen, errors=errors, extra=extra)

    return sdf.mapInArrow(decide_batches, from_arrow_schema(schema))
