"""County labels: each put where it keeps a clear gap from every other label, the frame's
edge, the legend and the locator; shortened by rule, led out with a line, or left off when
there is no room; counted for tests.

Placement is greedy and measured: mountain counties first, each label's box (matplotlib's
own extent of the text) tried at its county's point, then just beside it; a Chinese full
name (景宁畲族自治县) that finds no room is shortened to the county's short name (景宁), the
rule every reader knows; a mountain county's label that still finds no room is set a little
further out with a leader line to its county; a partner's label that finds none is left off.
"""

from __future__ import annotations

import geopandas as gpd

from .figure import project_geoms, text_pt

#: the least room between two labels, in ems of the label's text: side by side (so two
#: English names never read as one word) and one above the other
GAP_X, GAP_Y = 0.35, 0.12
#: the halo behind a label, in ems
HALO = 0.3


def county_labels(ax, theme, base, fig, full: bool = True, avoid=(), markers=()):
    """County labels with a halo at representative points, placed so none crowds another
    (:func:`place_labels`); ``avoid``: display-space boxes (legend, locator) to keep clear
    of; ``markers``: boxes kept clear of where a label finds room. Returns the labels drawn."""
    import matplotlib.patheffects as pe

    if theme.labels.empty:
        return []
    pts = project_geoms(gpd.points_from_xy(theme.labels["x"], theme.labels["y"]))
    texts, shorter, priority = [], [], []
    for (_, r), p in zip(theme.labels.iterrows(), pts, strict=True):
        partner = r["kind"] == "partner"
        words = r["full"] if full and not partner else r["text"]
        t = ax.text(
            p.x,
            p.y,
            words,
            fontsize=text_pt(base, "partner_label" if partner else "label"),
            style="italic" if partner else "normal",
            color="#333333" if partner else "#111111",
            ha="center",
            va="center",
            zorder=21,
        )
        texts.append(t)
        shorter.append(r["text"] if r["text"] != words else None)
        priority.append(0 if partner else 1)
    ax.apply_aspect()  # the equal-aspect box is final only now; place labels in it
    placed = place_labels(texts, ax, fig, priority=priority, shorter=shorter, avoid=avoid, markers=markers)
    # the halo is a white-stroked copy behind each label: path effects turn text into
    # outlines in PDF, so the label itself stays plain text that pdftotext can extract
    for t in placed:
        x, y = t.get_position()
        ax.text(x, y, t.get_text(), fontsize=t.get_fontsize(), style=t.get_style(), color="white", ha="center",
                va="center", zorder=20,
                path_effects=[pe.withStroke(linewidth=t.get_fontsize() * HALO, foreground="white")])  # fmt: skip
    return placed


def _clear(box, others, gx, gy) -> bool:
    """Whether ``box`` keeps ``gx``/``gy`` (display units) from every box of ``others``."""
    return all(box.x0 >= o.x1 + gx or o.x0 >= box.x1 + gx or box.y0 >= o.y1 + gy or o.y0 >= box.y1 + gy for o in others)


def _nearest(anchor, box):
    """The point of ``box`` nearest ``anchor``: where a leader line meets the label."""
    return min(max(anchor[0], box.x0), box.x1), min(max(anchor[1], box.y0), box.y1)


def _crosses(seg, boxes) -> bool:
    """Whether the segment ``seg`` (two display points) runs through any of ``boxes``
    (judged at points along it, its ends left out)."""
    (x0, y0), (x1, y1) = seg
    pts = [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    return any(b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1 for b in boxes for x, y in pts)


def _inside(box, frame) -> bool:
    return box.x0 >= frame.x0 + 1 and box.x1 <= frame.x1 - 1 and box.y0 >= frame.y0 + 1 and box.y1 <= frame.y1 - 1


def _offsets(w, h, far: bool):
    """Where a label's centre may go from its county's point (display units): on it and just
    beside it, or (``far``) a ring further out, where a leader line is drawn."""
    if not far:
        return [(0, 0), (0, 0.75 * h), (0, -0.75 * h), (0.5 * w + 0.3 * h, 0), (-0.5 * w - 0.3 * h, 0),
                (0.35 * w, 0.7 * h), (-0.35 * w, 0.7 * h), (0.35 * w, -0.7 * h), (-0.35 * w, -0.7 * h)]  # fmt: skip
    out = []
    for k in (1.6, 2.3, 3.0, 4.0):
        out += [(0, k * h), (0, -k * h), (0.5 * w + k * h, 0), (-0.5 * w - k * h, 0),
                (0.5 * w + 0.6 * k * h, 0.8 * k * h), (-0.5 * w - 0.6 * k * h, 0.8 * k * h),
                (0.5 * w + 0.6 * k * h, -0.8 * k * h), (-0.5 * w - 0.6 * k * h, -0.8 * k * h)]  # fmt: skip
    return out


def place_labels(texts, ax, fig, priority=None, shorter=None, avoid=(), leaders: bool = True, markers=()):
    """Put each label where it keeps :data:`GAP_X`/:data:`GAP_Y` from the others, inside the
    frame and clear of ``avoid``; the higher ``priority`` first. A label that finds no room
    on or beside its point tries its ``shorter`` words (a short name), then, when of the
    highest priority and ``leaders``, a ring further out with a leader line; else it is
    removed. ``markers`` (boxes of map symbols) are kept clear of too, unless that leaves a
    label no room: then it may cover one (the markers are drawn over the labels). Returns the
    labels kept, in their order."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    priority = priority or [1] * len(texts)
    shorter = shorter or [None] * len(texts)
    top = max(priority, default=1)
    frame = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    px = fig.dpi / 72
    boxes = list(avoid)
    leads = []  # the leader lines drawn so far: no later label covers one
    kept = set()
    anchors = [ax.transData.transform(t.get_position()) for t in texts]
    sizes = [t.get_window_extent(renderer) for t in texts]

    def crowd(k):  # how many other labels' points lie within this label's reach
        reach_x, reach_y = sizes[k].width * 1.2, sizes[k].height * 2.5
        return sum(abs(a[0] - anchors[k][0]) < reach_x and abs(a[1] - anchors[k][1]) < reach_y for a in anchors) - 1

    # the higher priority first; within it, the most crowded first, while there is room
    for i in sorted(range(len(texts)), key=lambda k: (-priority[k], -crowd(k))):
        t = texts[i]
        anchor = ax.transData.transform(t.get_position())
        em = t.get_fontsize() * px
        gx, gy = GAP_X * em, GAP_Y * em
        tries = [(t.get_text(), False)]
        if shorter[i]:
            tries.append((shorter[i], False))
        if leaders and priority[i] == top:
            tries += [(tries[-1][0], True)]
        spot = None
        for keep_off in ([*boxes, *markers], boxes) if markers else (boxes,):
            for words, far in tries:
                t.set_text(words)
                bb = t.get_window_extent(renderer)
                w, h = bb.width, bb.height
                for dx, dy in _offsets(w, h, far):
                    box = Bbox.from_bounds(anchor[0] + dx - w / 2, anchor[1] + dy - h / 2, w, h)
                    if not (_inside(box, frame) and _clear(box, keep_off, gx, gy)):
                        continue
                    if any(_crosses(seg, [box]) for seg in leads):
                        continue
                    if far and _crosses((anchor, _nearest(anchor, box)), boxes):  # a leader runs under no label
                        continue
                    spot = (box, far)
                    break
                if spot:
                    break
            if spot:
                break
        if spot is None:
            t.remove()
            continue
        box, far = spot
        boxes.append(box)
        kept.add(i)
        centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        t.set_position(to_data.transform(centre))
        if far:
            leads.append((tuple(anchor), _nearest(anchor, box)))
            _leader(ax, anchor, box, to_data, t.get_fontsize())
    return [texts[i] for i in range(len(texts)) if i in kept]


def _leader(ax, anchor, box, to_data, size) -> None:
    """A thin line from the county's point to the nearest edge of its label's box, and a dot
    on the point."""
    (x0, y0), (x1, y1) = to_data.transform([anchor, _nearest(anchor, box)])
    ax.plot([x0, x1], [y0, y1], color="#444444", linewidth=max(0.35, size * 0.05), zorder=20.5,
            solid_capstyle="round")  # fmt: skip
    ax.plot([x0], [y0], marker="o", markersize=size * 0.22, color="#444444", zorder=20.5)


def label_overlaps(texts, fig, gap_em: float = 0.0) -> int:
    """How many pairs of labels overlap, or with ``gap_em`` come closer side by side than
    that many ems of the smaller label (for tests)."""
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_window_extent(renderer), t.get_fontsize() * fig.dpi / 72) for t in texts]
    n = 0
    for i, (a, ea) in enumerate(boxes):
        for b, eb in boxes[i + 1 :]:
            n += not _clear(a, [b], gap_em * min(ea, eb), 0.0)
    return n
