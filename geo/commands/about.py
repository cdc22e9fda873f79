"""``shanhai notices``: the licence of this copy and the third-party notices (Leaflet in the
pages, the font in the PDFs and SVGs, the boundary and census data), as the package ships them."""

from __future__ import annotations

import sys

from ..catalog import say

# lazy: the notices are imported by the command that prints them (see geo.commands: the
# parser loads only what every command needs)


def add_parsers(sub):
    """Add the ``notices`` subparser to ``sub``."""
    p = sub.add_parser("notices", help=say("cli.help.notices"))
    p.set_defaults(func=cmd_notices)


def cmd_notices(args) -> int:
    from ..notices import notice_bundle

    sys.stdout.write(notice_bundle())
    return 0
