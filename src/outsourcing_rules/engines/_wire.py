"""What the durable engine sends to durable-rules, written so its C core cannot misread it.

No durable-rules import here: these are plain functions over the messages
and tests that :mod:`outsourcing_rules.engines.durable` hands to the engine.
Numbers travel as order-preserving 64-bit integers, never as decimals, so the
C core's ``atof`` (which follows the process locale) never reads one.
"""

from __future__ import annotations

import json
import struct
from typing import Any


def _operand(test: dict[str, Any]) -> Any:
    """Return the constant of one durable-rules test (``{f: v}`` or ``{"$op": {f: v}}``)."""
    ((key, value),) = test.items()
    if key.startswith("$"):
        ((_, value),) = value.items()
    return value


def _fields(conjunctions: Any) -> frozenset[str]:
    """Return the message fields the tests of *conjunctions* read."""
    found: set[str] = set()
    for conjunction in conjunctions:
        for test in conjunction:
            ((key, value),) = test.items()
            found.add(next(iter(value)) if key.startswith("$") else key)
    return frozenset(found)


def _for_durable(value: Any) -> Any:
    """Return *value* as durable-rules gets it: numbers as order-preserving integers.

    A number becomes the double Python compares it as (``-0.0`` as ``0.0``),
    then the 64-bit integer of that double's bits, negatives mirrored, so
    the integers are in the doubles' order. Booleans (``type(True)`` is
    ``bool``, never ``int``) and texts stay as they are.
    """
    kind = type(value)
    if kind is float or kind is int:  # the common case first: this runs for every fact
        number = value + 0.0
    elif isinstance(value, bool | str):
        return value
    else:  # a level (an IntEnum)
        number = float(value) + 0.0
    (bits,) = _unpack_int64(_pack_double(number))
    return bits if bits >= 0 else -(bits & _MAGNITUDE)


_pack_double, _unpack_int64 = struct.Struct("<d").pack, struct.Struct("<q").unpack
_MAGNITUDE = 2**63 - 1


def _dumps(data: Any) -> str:
    """Write *data* (plain values only: no float is ever sent) as compact JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _order(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _both(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$and": parts}
