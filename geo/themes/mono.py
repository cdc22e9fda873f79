"""Black-and-white print (``--mono``): a theme's colours turned into greys, hatches and
dashes, so that every legend entry stays apart on a grey page.

The measure of apart: two legend entries differ by their difference in CIE L* lightness
(0 black … 100 white) plus :data:`PATTERN_WEIGHT` when their pattern differs (a patch, an
outline or a line; the hatch; solid or dashed). Every pair of entries of a legend differs
by at least :data:`MIN_DIFFERENCE` (10 L*: two flat greys 10 L* apart are plainly two
greys in print; a hatch or a dash tells entries apart at any lightness).

- Ordered classes (policy counts, an indicator, the pairing ratio) become a grey ramp, light
  to dark, that starts a step darker than the neutral greys beside it; where a ramp has too
  many classes for 10 L* steps, every other class is dotted.
- Categories (cities, designations, the two editions) take the first grey and hatch of a
  list that keeps them :data:`MIN_DIFFERENCE` apart from every entry already chosen.
- The pairing map's links lose their city colours (the partner is named on the map) and
  keep solid and dashed for the confidence.
"""

from __future__ import annotations

import numpy as np

from .base import BACKGROUND, CONTEXT_FILL, MEMBER_PLAIN_FILL

MIN_DIFFERENCE = 10.0
PATTERN_WEIGHT = 30.0

#: the neutral fills and the lightness they take in grey: the mountain counties on a plain
#: map stay apart from the other counties (99 vs 88), no data stays paper white
NEUTRAL = {CONTEXT_FILL: 88.0, MEMBER_PLAIN_FILL: 99.0, BACKGROUND: 100.0, "#f3f2ef": 95.0, "#ffffff": 100.0}
#: links of the pairing map, and the confidence entries drawn with them
LINK_GREY_L = 20.0
#: a fill no legend entry names (the pairing map's partners, tinted by their city)
PARTNER_TINT = "#8a8a8a"
#: categories: plain greys first, then hatched light greys (a hatch shows on a light fill)
_CATEGORY = [(76.0, ""), (58.0, ""), (40.0, ""), (24.0, "")] + [
    (lum, h) for h in ("///", "...", "\\\\\\", "xxx", "+++", "---", "|||", "ooo") for lum in (92.0, 72.0)
]
#: a category that brings its own hatch: distinct greys first (its dashed "proposed" entry
#: is drawn in the same grey and must stay apart from the other categories' ones)
_HATCHED_L = (72.0, 50.0, 86.0, 61.0, 39.0, 28.0, 95.0, 80.0)
#: greys are whole sRGB steps: a chosen lightness lands within 0.3 L* of its aim, so choices
#: keep a margin over the minimum
_MARGIN = 1.0


def lightness(color) -> float:
    """CIE L* (0-100) of a matplotlib/CSS colour (alpha ignored)."""
    from matplotlib.colors import to_rgb

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(color))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def grey(lum: float) -> str:
    """The sRGB grey of CIE lightness ``lum``, as ``#rrggbb``."""
    lum = min(max(lum, 0.0), 100.0)
    y = ((lum + 16) / 116) ** 3 if lum > 8 else lum * 27 / 24389
    c = 12.92 * y if y <= 0.0031308 else 1.055 * y ** (1 / 2.4) - 0.055
    v = round(min(max(c, 0.0), 1.0) * 255)
    return f"#{v:02x}{v:02x}{v:02x}"


def is_grey(color) -> bool:
    """True for a colour whose red, green and blue are equal (or ``none``)."""
    from matplotlib.colors import to_rgb

    if color in ("none", "", None):
        return True
    r, g, b = to_rgb(color)
    return abs(r - g) < 1e-9 and abs(g - b) < 1e-9


def difference(a, b) -> float:
    """How far apart two legend entries are in grey: ``a`` and ``b`` are (L*, pattern)."""
    return abs(a[0] - b[0]) + (PATTERN_WEIGHT if a[1] != b[1] else 0.0)


def _pattern(item, hatch=None) -> tuple:
    # a marker's shape tells it apart as a hatch does a patch
    kind = f"point:{item.shape}" if item.kind == "point" else {"dashed": "line"}.get(item.kind, item.kind)
    return (kind, item.hatch if hatch is None else hatch, item.kind == "dashed")


def _fits(entry, used) -> bool:
    return all(difference(entry, u) >= MIN_DIFFERENCE + _MARGIN for u in used)


def monochrome(theme):
    """``theme`` redrawn in greys, hatches and dashes (in place); returns it.

    Every legend entry of the theme is kept :data:`MIN_DIFFERENCE` apart from the others
    by the measure of :func:`difference`; fills and edges of the features follow their
    legend entry; what no entry names becomes the grey of its own lightness.
    """
    used: list[tuple] = []
    for layer in theme.layers:  # what no legend names: a partner's tint, one grey
        if layer.kind == "polygons" and layer.legend is not None and len(layer.data):
            keep = {it.color for it in layer.legend.items} | set(NEUTRAL)
            tint = ~layer.data["fill"].map(lambda c, keep=keep: is_grey(c) or c in keep).to_numpy(bool)
            layer.data.loc[tint, "fill"] = PARTNER_TINT
    for layer in theme.layers:
        if layer.legend is None:
            continue
        legend = layer.legend
        if theme.id == "pairing" and layer.arrows and not legend.ordered:
            _pairing_links(layer)
        items = legend.items
        neutral = [it for it in items if it.color in NEUTRAL or is_grey(it.color)]
        coloured = [it for it in items if it not in neutral]
        fills: dict[str, tuple[str, str]] = {}  # original colour -> (grey, hatch)
        for it in neutral:
            lum = NEUTRAL.get(it.color, lightness(it.color))
            fills[it.color] = (grey(lum), it.hatch)
        if legend.ordered:
            _ramp(coloured, neutral, fills)
        else:
            for it in coloured:
                if it.color in fills:  # a category's second entry (proposed): its grey
                    continue
                fills[it.color] = _category(it, used)
                used.append((lightness(fills[it.color][0]), _pattern(it, fills[it.color][1])))
        for it in items:
            g, h = fills[it.color]
            if it.kind == "patch":
                it.hatch = h
            it.color = g
            entry = (lightness(g), _pattern(it))
            if entry not in used:
                used.append(entry)
        _restyle(layer, fills)
    for layer in theme.layers:  # anything else: the grey of its own lightness
        _restyle(layer, {})
    theme.mono = True
    return theme


def _ramp(coloured, neutral, fills):
    """Ordered classes light to dark, one step below the neutral greys beside them."""
    n = len(coloured)
    if not n:
        return
    top = min([NEUTRAL.get(it.color, lightness(it.color)) for it in neutral if it.kind == "patch"] + [100.0])
    top = min(top - MIN_DIFFERENCE - _MARGIN, 80.0)
    bottom = 18.0 if coloured[0].kind == "patch" else 12.0
    step = (top - bottom) / (n - 1) if n > 1 else 0.0
    for k, it in enumerate(coloured):
        lum = top - k * step
        hatch = it.hatch
        if it.kind == "patch" and 0 < step < MIN_DIFFERENCE + _MARGIN and k % 2:
            hatch = hatch or "..."  # too many classes for 10 L* steps: every other one dotted
        fills[it.color] = (grey(lum), hatch)


def _category(item, used) -> tuple[str, str]:
    if item.kind != "patch":
        candidates = [(lum, "") for lum in (30.0, 55.0, 75.0, 15.0, 45.0, 65.0)]
    elif item.hatch:
        candidates = [(lum, item.hatch) for lum in _HATCHED_L]
        # distinct greys among the hatched categories first, whatever their hatch
        hatched = [u[0] for u in used if u[1][0] == "patch" and u[1][1]]
        free = [c for c in candidates if all(abs(c[0] - lum) >= MIN_DIFFERENCE + _MARGIN - 0.5 for lum in hatched)]
        candidates = free + candidates
    else:
        candidates = _CATEGORY
    for lum, hatch in candidates:
        if _fits((lum, _pattern(item, hatch)), used):
            return grey(lum), hatch
    return grey(candidates[0][0]), candidates[0][1]  # pragma: no cover - more entries than patterns


def _pairing_links(layer):
    """The links in one dark grey: solid for high and medium confidence, dashed for low."""
    link = grey(LINK_GREY_L)
    layer.data["edge"] = link
    layer.legend.items = [it for it in layer.legend.items if is_grey(it.color)]
    layer.legend.title = layer.name  # the heading named the cities; now it heads the confidence
    for it in layer.legend.items:
        it.color = link


def _restyle(layer, fills):
    """Fills and edges of the layer's features after their legend entry; any other colour
    becomes the grey of its own lightness (edges a little darker than their fill)."""
    data = layer.data
    if data is None or not len(data):
        return

    def to_grey(c, edge=False):
        if c in ("none", "") or (is_grey(c) and c not in fills):
            return c
        if c in fills:
            g = fills[c][0]
            return grey(max(lightness(g) - 28, 8)) if edge and layer.kind == "polygons" else g
        return grey(lightness(c))

    old = data["fill"].astype(str).to_numpy()
    data["fill"] = [to_grey(c) for c in old]
    if "hatch" in data:
        hatch = data["hatch"].astype(str).to_numpy()
        data["hatch"] = [
            fills[c][1] if c in fills and layer.kind == "polygons" and (h or fills[c][1]) else h
            for c, h in zip(old, hatch, strict=True)
        ]
    data["edge"] = [to_grey(c, edge=True) for c in data["edge"].astype(str).to_numpy()]
    # proposed designations (light, dashed) carry no hatch: their dash tells them apart
    if "dash" in data and "hatch" in data:
        dashed = np.asarray(data["dash"].astype(str).to_numpy() != "") & (layer.kind == "polygons")
        data.loc[dashed, "hatch"] = ""
