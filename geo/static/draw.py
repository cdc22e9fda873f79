"""Geometry onto axes: shapely polygons as matplotlib paths, and a theme's polygon and line layers."""

from __future__ import annotations

import numpy as np
import shapely

from .figure import project_frame

#: a theme's line ``weight`` as a width in points, as print draws it (the GeoPackage's styles too)
PT_PER_WEIGHT = 0.45
#: an arrow's shaft is drawn this much wider than a plain line of the same weight
ARROW_SHAFT = 1.3


def arrow_head(lw: float, scale: float = 1.0) -> tuple[float, float]:
    """(length, half width) in points of the head of an arrow whose line is ``lw`` points wide."""
    return 4.2 * scale + lw, 2.0 * scale + lw * 0.5


def polygon_paths(geoms) -> list:
    """One matplotlib Path per (multi)polygon, holes included, built from shapely's
    ragged arrays: no pyplot, and no redraw of the figure per call as ``GeoSeries.plot``
    does on an Agg canvas."""
    from matplotlib.path import Path as MPath

    geoms = np.asarray(geoms, dtype=object)
    multi = np.array(
        [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else
         shapely.MultiPolygon([p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon"]) for g in geoms],
        dtype=object,
    )  # fmt: skip
    _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    paths = []
    for i in range(len(multi)):
        r0, r1 = poly_off[geom_off[i]], poly_off[geom_off[i + 1]]
        c0, c1 = ring_off[r0], ring_off[r1]
        verts = coords[c0:c1]
        codes = np.full(len(verts), MPath.LINETO, dtype=np.uint8)
        starts = ring_off[r0:r1] - c0
        codes[starts] = MPath.MOVETO
        codes[ring_off[r0 + 1 : r1 + 1] - c0 - 1] = MPath.CLOSEPOLY
        paths.append(MPath(verts, codes))
    return paths


def draw_geoms(ax, geoms, *, facecolor="none", edgecolor="black", linewidth=0.5, zorder=1, **kw):
    """Polygons (filled) or lines as one matplotlib collection."""
    from matplotlib.collections import LineCollection, PathCollection

    geoms = [g for g in np.asarray(geoms, dtype=object) if g is not None and not g.is_empty]
    if not geoms:
        return None
    if "Line" in geoms[0].geom_type:
        segs = [np.asarray(p.coords) for g in geoms for p in getattr(g, "geoms", [g])]
        coll = LineCollection(segs, colors=edgecolor, linewidths=linewidth, zorder=zorder, **kw)
    else:
        coll = PathCollection(
            polygon_paths(geoms), facecolors=facecolor, edgecolors=edgecolor, linewidths=linewidth, zorder=zorder, **kw
        )
    ax.add_collection(coll, autolim=False)
    return coll


def draw_polygons(ax, layer, zorder):
    """A polygon layer of a theme, one collection per hatch and dash."""
    from matplotlib.colors import to_rgba

    data = project_frame(layer.data)
    # one collection per (hatch, dash): colours and widths vary per feature inside it
    for (hatch, dash), grp in data.groupby(["hatch", "dash"], sort=False):
        face = [
            (0, 0, 0, 0) if f == "none" else to_rgba(f, float(a))
            for f, a in zip(grp["fill"], grp["fill_opacity"], strict=True)
        ]
        kw = dict(
            facecolor=face,
            edgecolor=list(grp["edge"]),
            linewidth=(grp["weight"].astype(float) * PT_PER_WEIGHT).tolist(),
            zorder=zorder,
        )
        if hatch:
            kw["hatch"] = hatch
        if dash:
            kw["linestyle"] = "--"
        draw_geoms(ax, grp.geometry.values, **kw)


def draw_lines(ax, layer, zorder, scale=1.0):
    """A line layer of a theme; arrows when the layer asks for them."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MPath

    data = project_frame(layer.data)
    for _, r in data.iterrows():
        geom = r.geometry
        parts = getattr(geom, "geoms", [geom])
        style = "--" if r["dash"] else "-"
        lw = float(r["weight"]) * PT_PER_WEIGHT * scale
        if layer.arrows:
            coords = np.asarray(geom.coords)
            length, width = arrow_head(lw, scale)
            patch = FancyArrowPatch(
                path=MPath(coords),
                arrowstyle=f"-|>,head_length={length},head_width={width}",
                color=r["edge"],
                linewidth=lw * ARROW_SHAFT,
                linestyle=style,
                zorder=zorder,
                shrinkA=0,
                shrinkB=0,
            )
            ax.add_patch(patch)
            continue
        for part in parts:
            x, y = part.xy
            ax.plot(x, y, color=r["edge"], linewidth=lw, linestyle=style, zorder=zorder, solid_capstyle="round")


#: a point layer's shapes as matplotlib markers
MARKERS = {"square": "s", "triangle": "^", "circle": "o", "diamond": "D"}
#: the label of a point layer's scatter (a leading _ keeps it out of legends)
POINTS_TAG = "_points_"


def draw_points(ax, layer, zorder, scale=1.0):
    """A point layer of a theme: one scatter per shape, ``size`` the marker's width in points."""
    data = project_frame(layer.data)
    for shape, grp in data.groupby("shape", sort=False):
        size = grp["size"].astype(float) * scale
        ax.scatter(
            grp.geometry.x, grp.geometry.y, s=(size * (0.85 if shape == "diamond" else 1.0)) ** 2,
            marker=MARKERS.get(shape, "o"), c=list(grp["fill"]), edgecolors=list(grp["edge"]),
            linewidths=(grp["weight"].astype(float) * scale).tolist(), zorder=zorder,
            label=f"{POINTS_TAG}{shape}",  # found by marker_boxes and tests; the _ keeps it out of legends
        )  # fmt: skip


#: markers over the county labels (zorder 20, 21): a label that had to cover one leaves it seen
POINTS_Z = 22


def draw_layer(ax, layer, zorder, scale=1.0):
    """Any layer of a theme by its kind; line weights and marker sizes follow ``scale``
    (the page size against A4)."""
    if layer.kind == "polygons":
        draw_polygons(ax, layer, zorder)
    elif layer.kind == "points":
        draw_points(ax, layer, POINTS_Z, scale)
    else:
        draw_lines(ax, layer, zorder, scale)


def marker_boxes(ax) -> list:
    """The display-space box of every marker of the point layers drawn on ``ax``: the
    labels keep clear of them (a label over a marker would hide it)."""
    from matplotlib.transforms import Bbox

    ax.apply_aspect()  # the equal-aspect box is final only now
    px = ax.figure.dpi / 72
    out = []
    for c in ax.collections:
        if not str(c.get_label()).startswith(POINTS_TAG):
            continue
        xy = ax.transData.transform(c.get_offsets())
        sizes = np.broadcast_to(np.sqrt(c.get_sizes()) * px, len(xy))
        out += [Bbox.from_bounds(x - s / 2, y - s / 2, s, s) for (x, y), s in zip(xy, sizes, strict=True)]
    return out
