"""The legend: entries from a theme's layers, two-column breaks between sections, labels
wrapped to the legend's width, its size measured, and drawing it.

A legend is fitted, not guessed: its labels are wrapped with the page's font to the
column they get (English at spaces and hyphens only), the legend is built on a scratch
figure and measured, and a smaller size (never below :data:`~geo.static.figure.MIN_PT`) or
another column count is tried until it fits its room.
"""

from __future__ import annotations

from .draw import MARKERS
from .figure import MIN_PT, TEXT_SHARE, TITLE_WEIGHT, font_context, new_figure
from .wrap import wrap_text

#: the legend's geometry in units of its text size (matplotlib's own: frame padding, the
#: handle, the gap before the text, the gap between columns)
BORDER_PAD, HANDLE, HANDLE_PAD, COLUMN_GAP = 0.4, 1.6, 0.8, 1.0


def printed_layers(th) -> list:
    """The layers of theme ``th`` a printed map draws: those shown, and the status map's
    designations of unknown year (listed apart on paper)."""
    return [ly for ly in th.layers if ly.show or ly.facet == "year_unknown"]


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
            elif it.kind == "point":  # a marker alone, its shape and fill as on the map
                h = Line2D([], [], linestyle="none", marker=MARKERS.get(it.shape, "o"), markersize=6.5,
                           markerfacecolor=it.color, markeredgecolor="#111111", markeredgewidth=0.8)  # fmt: skip
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


def heading_size(size: float) -> float:
    """A section heading's size in a legend whose entries are ``size`` pt."""
    return max(MIN_PT, round(size * TEXT_SHARE["legend_head"] / TEXT_SHARE["legend"], 2))


def wrap_labels(handles, labels, width_pt: float, size: float) -> list[str]:
    """Legend labels wrapped to a column ``width_pt`` wide (lines joined by newlines): an
    entry's text beside its handle at ``size`` pt, a heading (an invisible handle) across
    the handle's room too, at its own size."""
    out = []
    for h, lb in zip(handles, labels, strict=True):
        if h.get_visible():
            out.append("\n".join(wrap_text(lb, width_pt, size)))
        else:
            out.append("\n".join(wrap_text(lb, width_pt + (HANDLE + HANDLE_PAD) * size, heading_size(size))))
    return out


def column_text_width(avail_pt: float, size: float, ncol: int) -> float:
    """The width (pt) left for a column's text in a legend ``avail_pt`` wide."""
    return (avail_pt - size * (2 * BORDER_PAD + (ncol - 1) * COLUMN_GAP)) / ncol - size * (HANDLE + HANDLE_PAD) - 1


def place_legend(ax, handles, labels, size, ncol=1, **kw):
    """The legend drawn in ``ax`` (an Axes or a Figure) with entries at ``size`` pt; section
    headings (invisible handles) slightly larger and flush left, over the handles' room."""
    leg = ax.legend(
        handles,
        labels,
        fontsize=size,
        handlelength=HANDLE,
        handleheight=0.9,
        handletextpad=HANDLE_PAD,
        borderpad=BORDER_PAD,
        labelspacing=0.35,
        ncol=ncol,
        columnspacing=COLUMN_GAP,
        **kw,
    )
    heads = set()
    for h, t in zip(leg.legend_handles, leg.get_texts(), strict=True):
        if getattr(h, "get_marker", lambda: "none")() not in ("none", "None", ""):
            # a marker as tall as the text at any legend size; a diamond is drawn larger
            h.set_markersize(size * (0.68 if h.get_marker() == "D" else 0.8))
        if not h.get_visible():
            t.set_fontweight(TITLE_WEIGHT)
            t.set_fontsize(heading_size(size))
            heads.add(id(t))
    _flush_left(leg, heads)
    return leg


def _flush_left(leg, heads) -> None:
    """A heading's row gives up its handle's room (in points, so the PDF and a PNG of any
    dpi agree): the row's handle box is made 0 wide and the gap after it 0."""
    from matplotlib.offsetbox import DrawingArea, HPacker, TextArea

    stack = list(leg.get_children())
    while stack:
        box = stack.pop()
        kids = box.get_children() if hasattr(box, "get_children") else []
        if isinstance(box, HPacker) and len(kids) == 2 and isinstance(kids[0], DrawingArea):
            if isinstance(kids[1], TextArea) and id(kids[1].get_children()[0]) in heads:
                kids[0].width = 0
                box.sep = 0
            continue
        stack.extend(k for k in kids if hasattr(k, "get_children"))


def legend_box(handles, labels, size, ncol, frame: bool = True) -> tuple[float, float]:
    """The width and height (inches) of the legend, built on a scratch figure and measured."""
    with font_context(size):
        fig = new_figure(8, 8)
        leg = place_legend(fig, handles, labels, size, ncol, loc="upper left", frameon=frame, borderaxespad=0)
        bb = leg.get_window_extent(fig.canvas.get_renderer())
    return bb.width / fig.dpi, bb.height / fig.dpi


def fit_legend(handles, labels, size, ncols, avail_w, avail_h, frame: bool = True):
    """The largest legend, from ``size`` pt down to :data:`MIN_PT`, that fits ``avail_w`` by
    ``avail_h`` inches in one of ``ncols`` (tried in order at each size): (handles, labels
    wrapped, size, ncol, (width, height)); None when none fits."""
    sizes = [size]
    while sizes[-1] > MIN_PT:
        sizes.append(max(MIN_PT, round(sizes[-1] * 0.9, 2)))
    for s in sizes:
        for ncol in ncols:
            h, lb = legend_columns(handles, labels, ncol)
            text_w = column_text_width(avail_w * 72, s, ncol)
            if text_w <= 4 * s:
                continue
            lb = wrap_labels(h, lb, text_w, s)
            box = legend_box(h, lb, s, ncol, frame)
            if box[0] <= avail_w and box[1] <= avail_h:
                return h, lb, s, ncol, box
    return None
