"""Sphinx configuration for the outsourcing_rules documentation."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "outsourcing_rules"
author = "The outsourcing_rules developers"
copyright = "2026, The outsourcing_rules developers"  # noqa: A001 - Sphinx's name
release = _version("outsourcing-rules")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "outsourcing_rules"
autodoc_typehints = "description"
autodoc_member_order = "bysource"
nitpicky = False
doctest_global_setup = "import outsourcing_rules"
