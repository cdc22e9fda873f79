"""Static maps with matplotlib: PNG, SVG and PDF for reports.

Projected to CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549) so the scale bar is
true; Chinese text in the packaged Noto Sans CJK, registered for the drawing only. This
package is imported only when something is drawn; matplotlib, geopandas and shapely are
imported inside the functions that use them.

Rooms:

- :mod:`.figure` -- page sizes and style constants, fonts (``font_context``), the map's
  projection (``project_geoms``, ``project_frame``, ``project_bounds``), a bare figure
  (``new_figure``), the page of a preset or of the author's cm (``page_spec``), the single
  map's ``page_layout``, ``save_static`` (SVG rounding) and ``figure_png``.
- :mod:`.draw` -- shapely geometries as matplotlib paths (``draw_geoms``) and a theme's
  polygon and line layers.
- :mod:`.furniture` -- north arrow, scale bar, locator inset and ``provinces``; the lines
  of the title block and the source line.
- :mod:`.wrap` -- text measured with the page's font (``text_width``) and broken into lines
  (``wrap_text``: English at spaces and hyphens, Chinese between characters, 禁则).
- :mod:`.legend` -- legend entries, two-column breaks, labels wrapped to the legend's
  width, the legend measured and fitted to its room (``fit_legend``), drawing.
- :mod:`.labels` -- county labels placed with a gap, shortened, led out or left off
  (``place_labels``); ``label_overlaps``.
- :mod:`.maps` -- ``render_static`` (the single map, in the author's words and size, or
  ``mono`` for black-and-white print), ``map_png`` (for documents) and ``save_gif``.
- :mod:`.facets` -- small multiples by designation, document or year (status, or an indicator
  over time with one classification across the years); ``default_years``.
- :mod:`.charts` -- a county's timeline strip (events numbered, read in full in its key,
  ``timeline_key``) and the pairing gap dot plot.
- :mod:`.trendchart` -- ``render_trend``: is the gap closing (ratios and the coefficient of
  variation by year, a slope chart of every pairing's ratio).
- :mod:`.choropleth` -- ``choropleth_static`` for any polygons.
"""

from __future__ import annotations

from .charts import draw_timeline, render_gaps, render_timeline, timeline_key
from .choropleth import choropleth_static
from .draw import draw_geoms
from .facets import default_years
from .figure import (
    CRS,
    FORMATS,
    MIN_PT,
    SIZES,
    compact_pdf,
    figure_png,
    font_context,
    new_figure,
    page_layout,
    page_spec,
    project_bounds,
    project_frame,
    project_geoms,
    save_static,
)
from .furniture import locator, north_arrow, provinces, scale_bar, scale_bar_box
from .labels import label_overlaps, place_labels
from .legend import legend_entries
from .maps import map_png, render_static, save_gif
from .trendchart import render_trend
from .wrap import text_width, wrap_text

__all__ = [
    "CRS",
    "FORMATS",
    "MIN_PT",
    "SIZES",
    "choropleth_static",
    "compact_pdf",
    "default_years",
    "draw_geoms",
    "draw_timeline",
    "figure_png",
    "font_context",
    "label_overlaps",
    "legend_entries",
    "locator",
    "map_png",
    "new_figure",
    "north_arrow",
    "page_layout",
    "page_spec",
    "place_labels",
    "project_bounds",
    "project_frame",
    "project_geoms",
    "provinces",
    "render_gaps",
    "render_static",
    "render_timeline",
    "render_trend",
    "save_gif",
    "save_static",
    "scale_bar",
    "scale_bar_box",
    "text_width",
    "timeline_key",
    "wrap_text",
]
