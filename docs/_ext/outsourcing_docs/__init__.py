"""The documentation's own Sphinx extension: reference pages generated from the library.

Every table of facts, operators, ruleset keys, default rules and command-line
options in the documentation is rendered here from the objects the library
itself uses (``vocabulary.FACTS``, ``ruleset_schema()``, ``default_ruleset()``,
``cli.build_parser()``), so the pages cannot disagree with the code. It also
makes sure every example in the pages runs as a doctest:

* ``doctests``: Python fences with ``>>>`` prompts become doctests (MyST leaves
  them as plain literal blocks, which ``sphinx.ext.doctest`` ignores), and a
  ``>>>`` block that would still not run is a warning;
* ``console``: the ``{console}`` directive shows a shell session and runs it
  through ``outsourcing_rules.cli.main`` in the doctest build;
* ``api``: every name in ``outsourcing_rules.__all__`` must be documented.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import api, cli, console, doctests, rulesets, schema, vocabulary


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every part of the extension with Sphinx."""
    for part in (api, cli, console, doctests, rulesets, schema, vocabulary):
        part.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
