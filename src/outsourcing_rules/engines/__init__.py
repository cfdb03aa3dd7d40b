"""The engines that evaluate a compiled ruleset, behind one protocol.

An engine turns a :class:`~outsourcing_rules.core.rules.Ruleset` into a *matcher*
once; the matcher takes a task and an owner and returns the positions (in
the ruleset's decision order) of every rule whose condition is true. Conflict
resolution, explanations and economics are the same for every engine and
live outside it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..core.facts import Owner, Task
from ..core.rules import ENGINES, Ruleset
from ..errors import OutsourcingRulesError

#: A compiled ruleset: ``matcher(task, owner)`` returns the positions of the
#: rules that apply, lowest position (highest priority) first.
Matcher = Callable[[Task, Owner | None], tuple[int, ...]]


class EngineUnavailableError(OutsourcingRulesError, RuntimeError):
    """The engine asked for cannot run here (durable-rules does not import)."""


@runtime_checkable
class Engine(Protocol):
    """What an engine provides: a name and a compiler from ruleset to matcher."""

    name: str

    def compile(self, ruleset: Ruleset) -> Matcher:
        """Compile *ruleset* once into a matcher; safe to call from several threads."""
        ...


@functools.cache
def get_engine(name: str) -> Engine:
    """Return the engine called *name* (``"durable"`` or ``"native"``)."""
    if name == "native":
        from .native import NativeEngine

        return NativeEngine()
    if name == "durable":
        from .durable import DurableEngine, import_error

        problem = import_error()
        if problem is not None:
            raise EngineUnavailableError(
                f"the durable engine needs durable-rules, which does not import here "
                f"({problem}); use engine='native'"
            )
        return DurableEngine()
    raise ValueError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")


def available_engines() -> list[str]:
    """Return the names of the engines that can run in this interpreter."""
    found = []
    for name in ENGINES:
        try:
            get_engine(name)
        except EngineUnavailableError:
            continue
        found.append(name)
    return found


@functools.cache
def default_engine_name() -> str:
    """Return ``"durable"`` where durable-rules imports, else ``"native"``."""
    return "durable" if "durable" in available_engines() else "native"


def matcher_for(ruleset: Ruleset, engine: str) -> Matcher:
    """Return the matcher of *ruleset* on *engine*, compiling it on first use."""
    compiler = get_engine(engine)
    built: Matcher = ruleset.compiled(engine, compiler.compile)
    return built
