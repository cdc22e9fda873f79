"""Palettes read by everyone: legend entries stay apart under simulated deuteranopia and
protanopia, and in grey on a black-and-white (--mono) print."""

import functools
import itertools

import numpy as np
import pytest

from geo.static import render_static, save_static
from geo.themes import build_theme
from geo.themes.mono import MIN_DIFFERENCE, PATTERN_WEIGHT

#: CAM02-UCS colour difference (ΔE') two entries of the same pattern keep under normal
#: vision and under full deuteranopia and protanopia (Machado et al. 2009, severity 100):
#: about 10 is where two flat map colours are told apart at a glance
MIN_CVD = 10.0
VISIONS = (None, "deuteranomaly", "protanomaly")
THEMES = ["overview", "pairing", "policy", "status", "change"]
# colorspacious 1.1.2's docstrings trip Python 3.12's escape-sequence warning on import
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@functools.cache
def _ucs(color, vision):
    from colorspacious import cspace_convert
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(color))
    if vision:
        rgb = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def _pattern(item):
    return ("line" if item.kind == "dashed" else item.kind, item.hatch, item.kind == "dashed")


def _views(th):
    """The legend entries seen together: every overlay, with one of the exclusive base
    layers (policy: one document at a time) if there are any."""
    fixed = [ly for ly in th.layers if ly.legend and not ly.base]
    bases = [ly for ly in th.layers if ly.legend and ly.base] or [None]
    for b in bases:
        yield [it for ly in [*fixed, b] if ly is not None for it in ly.legend.items]


def _cvd_clashes(th):
    out = []
    for items in _views(th):
        for a, b in itertools.combinations(items, 2):
            if _pattern(a) != _pattern(b) or a.color.lower() == b.color.lower():
                continue  # told apart by their hatch, dash or kind; or the same thing twice
            d = min(float(np.linalg.norm(_ucs(a.color, v) - _ucs(b.color, v))) for v in VISIONS)
            if d < MIN_CVD:
                out.append((th.id, a.label, a.color, b.label, b.color, round(d, 1)))
    return out


def test_default_palettes_stay_apart_for_colour_blind_readers(atlas, atlas_2024):
    import geo

    at = atlas
    clashes = []
    for theme in THEMES:
        clashes += _cvd_clashes(build_theme(at, theme, "zh", detail=False))
    for theme in ("overview", "pairing"):  # the 2024 list brings another city's colour (舟山)
        clashes += _cvd_clashes(build_theme(atlas_2024, theme, "zh", detail=False))
    density = geo.load_indicator(at, "density")
    for scope in ("all", "edition"):
        clashes += _cvd_clashes(build_theme(at, "indicator", "zh", detail=False, data=density, scope=scope))
    clashes += _cvd_clashes(build_theme(at, "pairing", "zh", detail=False, gaps=geo.pair_gaps(at, density)))
    assert clashes == []


# ---------------------------------------------------------------------------------------
# black-and-white print
# ---------------------------------------------------------------------------------------


def _lightness(rgba):
    from geo.themes.mono import lightness

    return lightness(rgba[:3])


def _grey_entries(fig):
    """(label, L*, pattern) of every legend entry drawn: patches by face and hatch, lines by
    colour and dash; headings left out."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D

    legs = [a.get_legend() for a in fig.axes if a.get_legend()] + list(fig.legends)
    out = []
    for leg in legs:
        for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True):
            if not h.get_visible() or not t.get_text():
                continue
            if isinstance(h, Line2D) and h.get_marker() not in ("None", "none", "", None):
                # a marker (an enclave): its fill, its shape as the pattern
                out.append((t.get_text(), _lightness(to_rgba(h.get_markerfacecolor())), (h.get_marker(), "", False)))
            elif isinstance(h, Line2D):
                dash = h.get_linestyle() not in ("-", "solid")
                out.append((t.get_text(), _lightness(to_rgba(h.get_color())), ("line", "", dash)))
            else:
                face = h.get_facecolor()
                kind = "outline" if face[3] == 0 else "patch"
                lum = _lightness(h.get_edgecolor() if kind == "outline" else face)
                out.append((t.get_text(), lum, (kind, h.get_hatch() or "", False)))
    return out


@pytest.fixture(scope="module")
def mono_maps(atlas):
    return {theme: render_static(atlas, theme, size="half", mono=True) for theme in THEMES}


def test_mono_legend_entries_stay_apart_in_grey(mono_maps, atlas):
    """Each pair of entries differs by ΔL* plus 30 for a different pattern (hatch, dash,
    patch/outline/line) by at least 10: the threshold of geo.themes.mono."""
    assert MIN_DIFFERENCE == 10 and PATTERN_WEIGHT == 30
    figs = dict(mono_maps)
    figs["status-years"] = render_static(atlas, "status", facet="designation", mono=True, size="half")
    for name, fig in figs.items():
        entries = _grey_entries(fig)
        assert len(entries) >= 3, name
        worst = min(
            (abs(a[1] - b[1]) + (PATTERN_WEIGHT if a[2] != b[2] else 0), a[0], b[0])
            for a, b in itertools.combinations(entries, 2)
        )
        assert worst[0] >= MIN_DIFFERENCE, (name, worst)


def _is_grey(fig) -> bool:
    fig.set_dpi(60)
    fig.canvas.draw()
    px = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    return bool((px[..., 0] == px[..., 1]).all() and (px[..., 1] == px[..., 2]).all())


def test_mono_draws_only_greys_and_writes_a_grey_png(mono_maps, atlas, tmp_path):
    from PIL import Image

    for theme, fig in mono_maps.items():
        assert _is_grey(fig), theme
    assert not _is_grey(render_static(atlas, "overview", size="half"))  # the check can fail
    png = save_static(mono_maps["pairing"], tmp_path / "p.png", dpi=80)
    with Image.open(png) as im:
        assert im.mode == "L"


def test_mono_pairing_keeps_confidence_by_dash(mono_maps):
    labels = [e[0] for e in _grey_entries(mono_maps["pairing"])]
    assert any("低可信度" in lb for lb in labels) and any("高/中可信度" in lb for lb in labels)
    assert "杭州市" not in labels  # the links' city colours are gone in grey; partners are named on the map
