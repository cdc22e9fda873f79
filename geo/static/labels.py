"""County labels: placed with a halo, pushed apart until none overlap, and counted for tests."""

from __future__ import annotations

import numpy as np

from .figure import project_geoms


def county_labels(ax, theme, size, fig, full: bool = True):
    """County labels with a halo at representative points, moved apart so none overlap."""
    import geopandas as gpd
    import matplotlib.patheffects as pe

    if theme.labels.empty:
        return []
    pts = project_geoms(gpd.points_from_xy(theme.labels["x"], theme.labels["y"]))
    texts = []
    for (_, r), p in zip(theme.labels.iterrows(), pts, strict=True):
        partner = r["kind"] == "partner"
        t = ax.text(
            p.x,
            p.y,
            r["full"] if full and not partner else r["text"],
            fontsize=size * (0.78 if partner else 0.9),
            style="italic" if partner else "normal",
            color="#333333" if partner else "#111111",
            ha="center",
            va="center",
            zorder=21,
        )
        texts.append(t)
    kinds = list(theme.labels["kind"])
    ax.apply_aspect()  # the equal-aspect box is final only now; place labels in it
    placed = _separate(texts, ax, fig, priority=[0 if k == "partner" else 1 for k in kinds])
    for t in texts:
        if t not in placed:
            t.remove()
    texts = placed
    # the halo is a white-stroked copy behind each label: path effects turn text into
    # outlines in PDF, so the label itself stays plain text that pdftotext can extract
    halo = [pe.withStroke(linewidth=size * 0.28, foreground="white")]
    for t in texts:
        x, y = t.get_position()
        ax.text(
            x,
            y,
            t.get_text(),
            fontsize=t.get_fontsize(),
            style=t.get_style(),
            color="white",
            ha="center",
            va="center",
            zorder=20,
            path_effects=halo,
        )
    return texts


def _separate(texts, ax, fig, priority=None, iterations: int = 200):
    """Move overlapping labels apart until none overlap.

    Each overlapping pair is pushed apart along the axis where they overlap least (so
    neighbours side by side move sideways, stacked ones move up and down), half the
    overlap each, in display units; labels stay near their anchor.
    """
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    pos = np.array([ax.transData.transform(t.get_position()) for t in texts], dtype=float)
    for _ in range(iterations):
        boxes = [t.get_window_extent(renderer).expanded(1.04, 1.12) for t in texts]
        moved = False
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if not a.overlaps(b):
                    continue
                ox = min(a.x1, b.x1) - max(a.x0, b.x0)
                oy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if ox < oy * 1.5:  # wide labels: prefer a sideways push only when it is small
                    d = np.array([1.0 if pos[i, 0] >= pos[j, 0] else -1.0, 0.0]) * (ox / 2 + 0.5)
                else:
                    d = np.array([0.0, 1.0 if pos[i, 1] >= pos[j, 1] else -1.0]) * (oy / 2 + 0.5)
                pos[i] += d
                pos[j] -= d
                for k in (i, j):
                    texts[k].set_position(to_data.transform(pos[k]))
                boxes[i] = texts[i].get_window_extent(renderer).expanded(1.04, 1.12)
                boxes[j] = texts[j].get_window_extent(renderer).expanded(1.04, 1.12)
                moved = True
        if not moved:
            return texts
    # what could not be placed: drop the lower-priority label of each clash (partners first)
    priority = priority or [1] * len(texts)
    keep = list(range(len(texts)))
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i in sorted(range(len(texts)), key=lambda k: -priority[k]):
        if i not in keep:
            continue
        for j in list(keep):
            if j != i and priority[j] <= priority[i] and boxes[i].overlaps(boxes[j]) and j in keep:
                keep.remove(j)
                texts[j].set_visible(False)
    return [texts[k] for k in keep]


def label_overlaps(texts, fig) -> int:
    """How many pairs of labels overlap (for tests)."""
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    return sum(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
