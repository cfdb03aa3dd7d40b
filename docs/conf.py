"""Sphinx configuration for the outsourcing_rules documentation."""

from __future__ import annotations

import doctest
import sys
from importlib.metadata import version as _version
from pathlib import Path

# The project's own Sphinx extension (docs/_ext/outsourcing_docs) renders the
# reference pages from the library itself: the ruleset schema, the rule
# vocabulary, the default ruleset and the command line.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "outsourcing_rules"
author = "The outsourcing_rules developers"
copyright = "2026, The outsourcing_rules developers"
release = _version("outsourcing-rules")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "outsourcing_docs",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "_ext", "examples"]
html_theme = "furo"
html_title = "outsourcing_rules"
autodoc_typehints = "signature"
# Long signatures (Task has eighteen facts) are shown one parameter a line.
python_maximum_signature_line_length = 88
autodoc_member_order = "bysource"
nitpicky = False
# Examples run from the docs directory, so they name example files the way a
# reader would (examples/tasks.csv); the working directory is restored after.
doctest_global_setup = f"""
import os as _os
import outsourcing_rules
_cwd_before_docs = _os.getcwd()
_os.chdir({str(Path(__file__).parent)!r})
"""
doctest_global_cleanup = "_os.chdir(_cwd_before_docs)"
# Exception messages are part of what the examples show, so they are
# compared too (Sphinx's default ignores them).
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
