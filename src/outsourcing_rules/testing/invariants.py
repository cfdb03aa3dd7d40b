"""Verifying a ruleset's invariants by searching for counterexamples with Hypothesis.

:func:`verify_invariants` checks two kinds of promises:

* the ruleset's own ``invariants`` (``when`` a condition holds, ``never`` or
  ``always`` a verdict), and
* the library's built-in invariants, chosen by name (:data:`BUILTIN_INVARIANTS`).

For each promise it asks Hypothesis for a task (and owner) that breaks it,
and returns every counterexample found, shrunk to the simplest one, as a
:class:`Violation`. Finding none is evidence, not proof: the search tries
``max_examples`` cases per invariant, drawn to hit the values the ruleset
itself names: its categories and labels (and one it does not name), and its
numeric thresholds with the values just either side of each.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any

from ..core.facts import Owner
from ..core.rules import ENGINES, Ruleset
from ..engines import (
    EngineUnavailableError,
    available_engines,
    default_engine_name,
    get_engine,
)
from ..errors import suggest
from ..loading import load_ruleset
from ._search import _CHANGES, Violation, _Search

#: Every built-in invariant, by name, with what it promises.
BUILTIN_INVARIANTS: dict[str, str] = {
    "core-never-outsourced": "A task that is a core competency is never outsourced.",
    "deterministic": (
        "Deciding a task again, or among other tasks in any order, gives the same "
        "verdict and the same matches."
    ),
    "name-irrelevant": "A task's name and description never change its verdict or matches.",
    "engines-agree": (
        "The durable and native engines give the same verdict and matches (needs durable-rules)."
    ),
    "monotone-enjoyment": (
        "For a task that is neither core nor only the owner's, liking it less never "
        "turns outsource into keep."
    ),
    "monotone-skill": (
        "For a task that is neither core nor only the owner's, being less skilled at it "
        "never turns outsource into keep."
    ),
    "monotone-frequency": (
        "For a task that is neither core nor only the owner's, doing it more often never "
        "turns outsource into keep."
    ),
    "monotone-time": (
        "For a task that is neither core nor only the owner's, having no time for it "
        "(time_available false instead of true) never turns outsource into keep."
    ),
}

#: The built-in invariants every ruleset must keep, and the default of
#: :func:`verify_invariants`. ``deterministic`` and ``name-irrelevant`` are
#: the library's own guarantees (a violation is a bug in the library);
#: ``core-never-outsourced`` is the domain's first rule: the business's own
#: work stays with it, whatever the ruleset.
HARD_INVARIANTS: tuple[str, ...] = ("core-never-outsourced", "deterministic", "name-irrelevant")

#: The monotonicity properties of the default ruleset (``RULES.md``). An
#: agency's ruleset may break them on purpose (keep everything done daily,
#: say), so they are checked only when asked for.
MONOTONICITY_INVARIANTS: tuple[str, ...] = (
    "monotone-enjoyment",
    "monotone-skill",
    "monotone-frequency",
    "monotone-time",
)


def verify_invariants(
    ruleset: Ruleset | str | os.PathLike[str] | Mapping[str, Any],
    *,
    engine: str | None = None,
    max_examples: int = 200,
    owner: Owner | None = None,
    builtin: Collection[str] = HARD_INVARIANTS,
    derandomize: bool = True,
    declared: bool = True,
) -> list[Violation]:
    """Search for counterexamples to a ruleset's invariants; return those found.

    Checks the ruleset's declared ``invariants`` (in file order), then the
    built-in invariants named in *builtin* (in the order of
    :data:`BUILTIN_INVARIANTS`). The default is :data:`HARD_INVARIANTS`,
    which every ruleset must keep; add :data:`MONOTONICITY_INVARIANTS` for a
    ruleset meant to behave like the default one, ``"engines-agree"`` to
    compare the two engines, or pass ``()`` to check only the declared ones.

    Each invariant gets a search of up to *max_examples* tasks (and owners:
    sometimes none, unless *owner* fixes the one every case uses), drawn from
    :func:`~outsourcing_rules.testing.tasks` and
    :func:`~outsourcing_rules.testing.owners` with the categories, labels
    and thresholds the ruleset names. At most one :class:`Violation` is
    returned per invariant, shrunk to the simplest counterexample. An empty
    list means no counterexample was found, not that none exists.

    *ruleset* is a :class:`~outsourcing_rules.Ruleset` or anything
    :func:`~outsourcing_rules.load_ruleset` takes; *engine* decides (the
    ruleset's or the library's default if ``None``). With *derandomize*
    (the default) the search draws the same cases on every run, so a result
    is reproducible; pass ``False`` to explore new cases each time. With
    ``declared=False`` the ruleset's own invariants are skipped (``check``
    proves those with a solver).

    Raises :class:`ValueError` for an unknown engine or built-in invariant
    name or a *max_examples* below 1, :class:`TypeError` for *builtin* given
    as one string or an *owner* that is not an :class:`~outsourcing_rules.Owner`,
    :class:`~outsourcing_rules.EngineUnavailableError` when the engine asked
    for (or ``"engines-agree"``) needs durable-rules where it does not
    import, and :class:`~outsourcing_rules.RulesetError` if *ruleset* does
    not load.
    """
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if isinstance(builtin, str):
        raise TypeError(f"builtin must be a collection of names, not the string {builtin!r}")
    for name in builtin:
        if name not in BUILTIN_INVARIANTS:
            hint = suggest(str(name), BUILTIN_INVARIANTS)
            raise ValueError(
                f"unknown built-in invariant {name!r}"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f"; use any of {', '.join(BUILTIN_INVARIANTS)}"
            )
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"max_examples must be a positive integer, not {max_examples!r}")
    if owner is not None and not isinstance(owner, Owner):
        raise TypeError(f"owner must be an Owner or None, not {type(owner).__name__}")
    if "engines-agree" in builtin and "durable" not in available_engines():
        raise EngineUnavailableError(
            "the built-in invariant 'engines-agree' compares with the durable engine, "
            "which cannot run here; leave it out"
        )
    loaded = load_ruleset(ruleset)
    chosen = engine or loaded.engine or default_engine_name()
    get_engine(chosen)  # fails now, not inside the search, if it cannot run here
    search = _Search(loaded, chosen, owner, owner is not None, max_examples, derandomize)
    found: list[Violation | None] = [
        search.declared(i, inv) for i, inv in enumerate(loaded.invariants) if declared
    ]
    wanted = set(builtin)
    for name in BUILTIN_INVARIANTS:
        if name not in wanted:
            continue
        if name in _CHANGES:
            found.append(search.monotone(name))
        else:
            found.append(getattr(search, name.replace("-", "_"))())
    return [v for v in found if v is not None]
