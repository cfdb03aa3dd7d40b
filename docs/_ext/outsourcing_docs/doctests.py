"""Make every ``>>>`` example in the Markdown pages a doctest, and refuse any that is not.

``sphinx.ext.doctest`` collects reST doctest blocks and its own directives;
MyST turns a fenced ``python`` block into a plain literal block, which it
would silently skip. This transform marks such blocks (languages ``python``,
``py``, ``pycon``, starting with a ``>>>`` prompt) as doctests of the page's
default group, so the examples a reader sees are the examples that run. A
literal block that still holds a ``>>>`` prompt without being collected
(say, a ``text`` fence) is reported as a warning, which ``-W`` turns into a
failed build.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Fence languages whose ``>>>`` blocks are run.
PYTHON_LANGUAGES = frozenset({"python", "python3", "py", "pycon"})


def is_session(text: str) -> bool:
    """Tell whether a block of text is an interactive session (starts with ``>>>``)."""
    return text.lstrip().startswith(">>>")


class MarkDoctests(SphinxTransform):
    """Mark Python session fences as doctests; warn about sessions that would not run."""

    default_priority = 500

    def apply(self) -> None:
        """Visit every literal block of the document."""
        for block in self.document.findall(nodes.literal_block):
            if "testnodetype" in block:
                continue  # a {doctest}, {testcode} or {testoutput} directive
            if not is_session(block.astext()):
                continue
            language = block.get("language", "")
            if language in PYTHON_LANGUAGES:
                block["testnodetype"] = "doctest"
                block["groups"] = ["default"]
            else:
                logger.warning(
                    "an example with a >>> prompt in a %r block would not run as a doctest; "
                    "fence it as python",
                    language or "plain",
                    location=block,
                )


def setup(app: Sphinx) -> None:
    """Register the transform."""
    app.add_transform(MarkDoctests)
