"""The legend: entries from a theme's layers, two-column breaks between sections, its
height in lines, wrapped labels, and drawing it."""

from __future__ import annotations

from .figure import TITLE_WEIGHT
from .furniture import wrap_text


def legend_entries(layers):
    """Handles and labels of the layers' legends; a heading only where it adds something."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    for layer in layers:
        if not layer.legend:
            continue
        items = layer.legend.items
        if len(items) > 1 and layer.legend.title not in [it.label for it in items]:
            handles.append(Patch(visible=False))
            labels.append(layer.legend.title)
        for it in items:
            if it.text() in labels:  # the same entry from another layer (e.g. two context layers)
                continue
            if it.kind in ("line", "dashed"):
                h = Line2D([], [], color=it.color, linewidth=1.6, linestyle="--" if it.kind == "dashed" else "-")
            elif it.kind == "outline":
                h = Patch(facecolor="none", edgecolor=it.color, linewidth=1.2)
            else:
                h = Patch(facecolor=it.color, edgecolor="#666666", linewidth=0.4, hatch=it.hatch or None)
            handles.append(h)
            labels.append(it.text())
    return handles, labels


def legend_columns(handles, labels, ncol):
    """Entries padded with blanks so that a two-column legend breaks between its sections
    (a heading never ends a column with its entries in the next); matplotlib fills the
    columns top to bottom, the first ones one entry longer when the count is odd."""
    from matplotlib.patches import Patch

    n = len(labels)
    if ncol != 2 or n < 4:
        return handles, labels
    heads = [i for i, h in enumerate(handles) if not h.get_visible()]
    near = [i for i in heads if i > 0 and abs(i - n / 2) <= max(1.5, n / 8)]  # costs a row or two at most
    if near:
        split = min(near, key=lambda i: abs(i - n / 2))
    elif -(-n // 2) - 1 in heads:  # a heading would end the first column: move it over
        split = -(-n // 2) - 1
    else:
        return handles, labels
    blank = max(n - 2 * split, 2 * split - 1 - n)
    at = split if 2 * split <= n else n  # a short first column is padded at its end, a long one after the last entry
    handles = [*handles[:at], *(Patch(visible=False) for _ in range(blank)), *handles[at:]]
    labels = [*labels[:at], *([""] * blank), *labels[at:]]
    return handles, labels


def legend_lines(labels, ncol) -> int:
    """Lines in the tallest column of the legend (wrapped labels count their lines)."""
    rows, large = divmod(len(labels), ncol)
    sizes = [rows + 1] * large + [rows] * (ncol - large)
    out, i = 0, 0
    for k in sizes:
        out = max(out, sum(lb.count("\n") + 1 for lb in labels[i : i + k]))
        i += k
    return out


def wrap_labels(labels, width_pt: float, base: float) -> list[str]:
    """Legend labels wrapped to a column ``width_pt`` wide (lines joined by newlines)."""
    return ["\n".join(wrap_text(lb, width_pt, base * 0.82)) for lb in labels]


def place_legend(ax, handles, labels, size, ncol=1, **kw):
    """The legend drawn in ``ax``; section headings slightly larger, flush left."""
    leg = ax.legend(
        handles,
        labels,
        fontsize=size * 0.82,
        handlelength=1.6,
        handleheight=0.9,
        labelspacing=0.35,
        ncol=ncol,
        columnspacing=1.0,
        **kw,
    )
    for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True):
        if not h.get_visible():  # a section heading: slightly larger, flush left
            t.set_fontweight(TITLE_WEIGHT)
            t.set_fontsize(size * 0.9)
            t.set_x(-12)
    return leg
