"""Any polygons as one offline choropleth page, with the same machinery as the themes."""

from __future__ import annotations

import warnings

from ..geometry import simplify_polygons
from ..themes import SEQUENTIAL, Legend, LegendItem, text
from .assets import keep_page
from .elements import Chrome, CountyLayer, InlineAssets, OfflineMap, SharedCounties, deterministic_ids, page_words
from .encode import encode_geometry, escape, legend_html


def choropleth_html(
    gdf,
    column: str,
    *,
    name_column: str = "name",
    title: str = "",
    simplify: float = 0.01,
    k: int = 6,
    lang: str = "zh",
):
    """Any polygons as one offline choropleth page (classes through mapclassify).

    The same machinery as the themes: coverage simplification (plain simplification
    when the polygons are not a valid coverage), delta-encoded geometry, inlined assets.
    """
    import mapclassify

    g = gdf.to_crs("EPSG:4326") if gdf.crs and not gdf.crs.equals("EPSG:4326") else gdf
    g = g[g.geometry.notna() & ~g.geometry.is_empty].reset_index(drop=True)
    geoms = simplify_polygons(g.geometry.values, simplify) if simplify else g.geometry.values
    values = g[column].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classes = mapclassify.Quantiles(values, k=k)
    palette = SEQUENTIAL[-len(classes.bins) :]
    ids = [f"f{i}" for i in range(len(g))]
    with deterministic_ids():
        minx, miny, maxx, maxy = g.total_bounds
        m = OfflineMap(location=[(miny + maxy) / 2, (minx + maxx) / 2], tiles=None, zoom_start=4, control_scale=False)
        m.get_root().header.add_child(InlineAssets(), name="shanhai_assets")
        geo = [[i, encode_geometry(geom)] for i, geom in zip(ids, geoms, strict=True) if not geom.is_empty]
        SharedCounties(geo, {}, []).add_to(m)
        styles = {
            i: {"color": "#ffffff", "weight": 0.3, "fillOpacity": 0.9, "fillColor": palette[c]}
            for i, c in zip(ids, classes.yb, strict=True)
        }
        tips = {
            i: f"<b>{escape(n)}</b><br>{escape(column)}: {v:,.1f}"
            for i, n, v in zip(ids, g[name_column], values, strict=True)
        }
        layer = CountyLayer(column, styles, tips, True, True, True)
        layer.add_to(m)
        lo = [values.min(), *classes.bins[:-1]]
        legend = Legend(
            column, [LegendItem(f"{a:,.0f}–{b:,.0f}", c) for a, b, c in zip(lo, classes.bins, palette, strict=True)]
        )
        keys = dict(zip(ids, g[name_column].astype(str), strict=True))
        config = {
            "names": sorted(set(keys.values())),
            "keys": keys,
            "bounds": [[round(float(miny), 4), round(float(minx), 4)], [round(float(maxy), 4), round(float(maxx), 4)]],
            "text": page_words(lang),
            "themes": None,
            "active": 0,
            "years": None,
            "focus": None,
            "table": {"rows": None, "names": {layer.get_name(): column}},
        }
        Chrome(
            title or column, text("n_areas", lang, n=len(g)), "", legend_html(legend, layer.get_name(), lang), [layer.get_name()],
            None, config,
        ).add_to(m)  # fmt: skip
        m.page(title or column, lang)
        # no folium fit_bounds: the page script fits the counties around its own title and legend
        keep_page(m)  # rendered now, while ids are deterministic
    return m
