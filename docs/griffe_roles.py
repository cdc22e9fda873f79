"""A griffe extension for the API reference: Sphinx roles in docstrings
(``:func:`geo.load_atlas```) become Markdown cross-references to the pages that document
them, or inline code when the target is not on the site (see ``docsgen.roles_to_markdown``)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from griffe import Extension

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docsgen


@functools.cache
def _anchors() -> dict[str, str]:
    return docsgen.documented_objects()


class SphinxRoles(Extension):
    """Rewrite the roles of every docstring griffe loads."""

    def on_instance(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = docsgen.roles_to_markdown(obj.docstring.value, _anchors())
