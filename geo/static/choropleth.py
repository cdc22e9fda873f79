"""Any polygons as one classed choropleth figure."""

from __future__ import annotations

import warnings

import numpy as np

from ..geometry import simplify_polygons
from ..themes import SEQUENTIAL
from .figure import SIZES, font_context


def choropleth_static(
    gdf, column: str, *, title: str = "", size: str = "a4", crs: str = "EPSG:4326", simplify: float = 0.01, k: int = 6
):
    """Any polygons as one classed choropleth figure (mapclassify quantiles)."""
    import mapclassify
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    g = gdf.to_crs("EPSG:4326") if gdf.crs and not gdf.crs.equals("EPSG:4326") else gdf
    g = g[g.geometry.notna() & ~g.geometry.is_empty].reset_index(drop=True)
    if simplify:
        g = g.set_geometry(simplify_polygons(g.geometry.values, simplify), crs=g.crs)
    g = g.to_crs(crs)
    values = g[column].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classes = mapclassify.Quantiles(values, k=k)
    palette = np.array(SEQUENTIAL[-len(classes.bins) :])
    width, height, base, _ = SIZES[size]
    height = height or width * 0.94
    with font_context(base):
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes([0.01, 0.05, 0.98, 0.86])
        g.plot(ax=ax, color=palette[classes.yb], edgecolor="white", linewidth=0.05)
        ax.set_axis_off()
        ax.set_aspect("equal")
        fig.text(0.015, 0.985, title or column, fontsize=base * 1.45, fontweight="bold", va="top")
    return fig
