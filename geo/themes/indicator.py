"""The indicator theme: any numeric column of the analyst's, classed through mapclassify."""

from __future__ import annotations

import numpy as np

from ..errors import RenderError, param
from ..indicators import classify
from ..words import member_label, say, text
from .base import (
    CONTEXT_EDGE,
    CONTEXT_FILL,
    MEMBER_EDGE,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    county_features,
    county_labels,
    curve,
    source_line,
    styled,
)

# ColorBrewer: YlGnBu (sequential) and PuOr (diverging), both colour-blind safe; YlGnBu
# also reads in greyscale (lightness rises monotonically)
YLGNBU = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]
PUOR_NEG = ["#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6"]  # most negative first
PUOR_POS = ["#d8daeb", "#b2abd2", "#8073ac", "#542788", "#2d004b"]  # least positive first
NO_DATA_FILL = "#ffffff"
NO_DATA_HATCH = "///"
#: a unit whose area changed since the table (merged or split): mid grey (darker than the context
#: fill, so it reads apart from it on a page without hatching), cross-hatched in print
NOT_COMPARABLE_FILL = "#c4c4c4"
NOT_COMPARABLE_HATCH = "xxx"
SCOPES = ("edition", "partners", "all")


def sequential(n: int, start: int = 1) -> list[str]:
    """``n`` colours light to dark (the palest of the nine left out: it reads as paper;
    lines start darker, ``start=3``, to stand out on a light map)."""
    idx = np.round(np.linspace(start, len(YLGNBU) - 1, n)).astype(int) if n > 1 else [5]
    return [YLGNBU[i] for i in idx]


def diverging(n_neg: int, n_pos: int) -> list[str]:
    """Colours for ``n_neg`` classes below zero then ``n_pos`` above, centred at 0."""

    def take(pal, n):
        idx = np.round(np.linspace(0, len(pal) - 1, n)).astype(int) if n > 1 else [len(pal) // 2]
        return [pal[i] for i in idx]

    # the classes nearest zero get the palest colours on each side
    # (a side with one class takes its ramp's middle colour: the palest would hardly read as a side)
    neg = take(PUOR_NEG[-n_neg:] if 1 < n_neg <= len(PUOR_NEG) else PUOR_NEG, n_neg) if n_neg else []
    pos = take(PUOR_POS[:n_pos] if 1 < n_pos <= len(PUOR_POS) else PUOR_POS, n_pos) if n_pos else []
    return neg + pos


def fmt_number(x: float) -> str:
    """1234.5 → 1,234.5; 0.01234 → 0.0123; integers without decimals."""
    if x == 0 or not np.isfinite(x):
        return "0" if x == 0 else str(x)
    a = abs(x)
    if a >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    digits = max(0, 2 - int(np.floor(np.log10(a))))
    return f"{x:,.{digits}f}"


def class_labels(edges, values, idx, unit="") -> list[str]:
    """'lo – hi unit' per class: from the previous upper bound (or the minimum) to this one."""
    out = []
    lo = np.nanmin(values)
    for k, hi in enumerate(edges):
        a = lo if k == 0 else edges[k - 1]
        out.append(f"{fmt_number(a)} – {fmt_number(hi)}" + (f" {unit}" if unit else ""))
    return out


def _classes(scheme, k, bins, pool):
    """Class breaks over ``pool`` (the values, or every year of an indicator over time) and
    the palette: diverging with zero as a break when the values span it, else sequential."""
    edges, _ = classify(pool, scheme, k, bins)
    if np.nanmin(pool) < 0 < np.nanmax(pool):  # diverging: zero is always a break
        edges = np.unique(np.concatenate([edges, [0.0]]))
        n_neg = int((edges <= 0).sum())
        return edges, diverging(n_neg, len(edges) - n_neg)
    return edges, sequential(len(edges))


def assign(values, edges) -> np.ndarray:
    """The class of each value (-1 for NaN): the first class whose upper bound it does not pass."""
    ok = ~np.isnan(values)
    idx = np.full(len(values), -1)
    idx[ok] = np.minimum(np.searchsorted(edges, values[ok], side="left"), len(edges) - 1)
    return idx


def indicator(
    atlas,
    lang="zh",
    detail=True,
    data=None,
    scheme: str = "quantiles",
    k: int = 5,
    bins=None,
    scope: str | None = None,
    links: bool = False,
    year: int | None = None,
) -> Theme:
    """``data`` (an :class:`~geo.indicators.Indicator`) classed over the counties of ``scope``:
    ``edition`` (the mountain counties), ``partners`` (the mountain counties and their
    partners) or ``all``; default: all 90 if the data cover them, else those they cover.

    An indicator over time (:class:`~geo.measures.IndicatorSeries`) shows ``year`` (default
    the one it shows) with one classification across all its years, so that a colour means
    the same value in every year; the page's polygon layer carries every year's colours,
    tooltips and class counts (``Layer.frames``) for its year slider."""
    if data is None:
        raise RenderError(say("render.indicator_data", data=param("data"), column=param("column")))
    series = data if len(data.years) > 1 else None
    if year is not None:
        if not data.years:
            raise RenderError(say("render.indicator_one_year", year=param("year", year)))
        data = data.at(year)
    t = lambda key: text(key, lang)  # noqa: E731
    feats = county_features(atlas, lang, detail)
    c = atlas.counties
    covered = set(series.table.index if series is not None else data.values.index)
    if scope is None:
        scope = "all" if set(c["code"]) <= covered else "data"
    if scope not in (*SCOPES, "data", "file"):
        raise RenderError(say("render.unknown_scope", scope=scope))
    in_scope = {
        "edition": c["member"],
        "partners": c["member"] | c["is_partner"],
        "all": np.ones(len(c), dtype=bool),
        "data": c["code"].isin(covered),
        "file": (c["boundary"] == "file") if "boundary" in c else np.zeros(len(c), dtype=bool),
    }[scope]
    scoped = set(c.loc[np.asarray(in_scope), "code"])
    in_sc = feats["code"].isin(scoped).to_numpy()

    def year_values(ind):
        v = feats["code"].map(ind.values).astype(float).to_numpy()
        return np.where(in_sc, v, np.nan)

    values = year_values(data)
    pool = None
    if series is not None:  # one classification across the years
        pool = np.concatenate([year_values(series.at(y)) for y in series.years])
    edges, palette = _classes(scheme, k, bins, values if pool is None else pool)
    idx = assign(values, edges)
    unit = data.unit
    edge = np.where(feats["member"], MEMBER_EDGE, CONTEXT_EDGE)

    def styles(ind, vals, idx_):
        """Fill, hatch, the value shown in the tooltip and the class counts of one year."""
        changed = getattr(ind, "not_comparable", {}) or {}
        summed = getattr(ind, "summed", {}) or {}
        not_comp = in_sc & np.isnan(vals) & feats["code"].isin(changed).to_numpy()
        no_data = in_sc & np.isnan(vals) & ~not_comp
        fill = np.where(idx_ >= 0, np.array([*palette, CONTEXT_FILL])[np.clip(idx_, 0, len(palette))], CONTEXT_FILL)
        fill = np.where(no_data, NO_DATA_FILL, np.where(not_comp, NOT_COMPARABLE_FILL, fill))
        hatch = np.where(no_data, NO_DATA_HATCH, np.where(not_comp, NOT_COMPARABLE_HATCH, ""))

        def shown_value(code, v):
            if code in changed and np.isnan(v):
                years = text("list_sep", lang).join(dict.fromkeys(str(ch.year) for ch in changed[code]))
                return text("no_comparable_why", lang, years=years)
            if np.isnan(v):
                return t("no_data")
            value = f"{fmt_number(v)} {unit}".strip()
            parts = summed.get(code, ())
            return (
                text("summed_from", lang, value=value, parts=text("list_sep", lang).join(parts), n=len(parts))
                if parts
                else value
            )

        shown = [shown_value(c, v) if s else "" for c, v, s in zip(feats["code"], vals, in_sc, strict=True)]
        counts = [int((idx_ == i).sum()) for i in range(len(edges))]
        return fill, hatch, shown, counts, int(no_data.sum()), int(not_comp.sum())

    fill, hatch, shown, counts, n_missing, n_not_comp = styles(data, values, idx)
    g = styled(feats, fill, edge, np.where(feats["member"], 1.3, 0.4), 0.95)
    g["hatch"] = hatch
    blank = hatch != ""
    g.loc[blank, "edge"] = np.where(feats.loc[blank, "member"], MEMBER_EDGE, "#b0b0b0")
    base_tips = list(g["tooltip"])

    def tips(shown_):
        return [[*tt, (data.label, val)] if val else tt for tt, val in zip(base_tips, shown_, strict=True)]

    g["tooltip"] = tips(shown)
    labels = class_labels(edges, values if pool is None else pool, idx, unit)
    items = [
        LegendItem(lb, col, count=n, state=f"c{i}" if series is not None else "")
        for i, (lb, col, n) in enumerate(zip(labels, palette, counts, strict=True))
    ]
    frames = None
    if series is not None:
        frames = {"years": series.years, "start": data.year, "fill": {}, "tip": {}, "counts": {}}
    if series is not None:  # every year's counts (the legend lists what any year needs); the page's styles
        codes = feats["code"].tolist()
        for y in series.years:
            ind_y = series.at(y)
            vy = year_values(ind_y)
            f_y, _, shown_y, counts_y, miss_y, nc_y = styles(ind_y, vy, assign(vy, edges))
            frames["counts"][y] = {**{f"c{i}": n for i, n in enumerate(counts_y)}, "missing": miss_y, "not_comp": nc_y}
            if detail:  # the page restyles by year without a reload
                frames["fill"][y] = dict(zip(codes, f_y.tolist(), strict=True))
                frames["tip"][y] = dict(zip(codes, tips(shown_y), strict=True))
    any_missing = n_missing or (series is not None and any(f["missing"] for f in frames["counts"].values()))
    any_not_comp = n_not_comp or (series is not None and any(f["not_comp"] for f in frames["counts"].values()))
    if any_missing:
        items.append(LegendItem(t("no_data"), NO_DATA_FILL, "patch", NO_DATA_HATCH, count=n_missing,
                                state="missing" if series is not None else ""))  # fmt: skip
    if any_not_comp:
        items.append(LegendItem(t("no_comparable"), NOT_COMPARABLE_FILL, "patch", NOT_COMPARABLE_HATCH,
                                count=n_not_comp, state="not_comp" if series is not None else ""))  # fmt: skip
    if scope != "all":
        items.append(LegendItem(t("out_of_scope"), CONTEXT_FILL))
    heading = data.title if series is None else text("one_classification", lang, title=data.title, span=series.span)
    legend = Legend(heading, items, ordered=True)
    layers = [
        Layer(data.label, "polygons", g, legend, frames=frames),
        city_border_layer(atlas, lang),
    ]
    outline = feats[feats["member"]]
    og = styled(outline, "none", MEMBER_EDGE, 1.6, 0.0)
    layers.append(
        Layer(
            member_label(atlas.edition, lang),
            "polygons",
            og,
            Legend(
                member_label(atlas.edition, lang),
                [LegendItem(member_label(atlas.edition, lang), MEMBER_EDGE, "outline")],
            ),
            interactive=False,
        )
    )
    if links and len(atlas.links):
        lk = atlas.links.copy()
        lk["geometry"] = [curve(ln.coords[0], ln.coords[-1]) for ln in lk.geometry]
        lk = styled(lk, "none", "#555555", 1.0, 0.0, "")
        lk["dash"] = np.where(lk["confidence"] == "low", "6 5", "")
        lk["tooltip"] = [[(f"{r['mountain_county']} → {r['partner']}", "")] for _, r in lk.iterrows()]
        lk["popup"] = [[] for _ in range(len(lk))]
        layers.append(
            Layer(
                t("pairings"),
                "lines",
                lk,
                Legend(t("pairings"), [LegendItem(t("pairings"), "#555555", "line")]),
                arrows=True,
            )
        )
    words = {"scheme": t("scheme_" + scheme), "k": len(edges), "source": data.source}
    title, source = data.title, source_line(lang, atlas)
    if detail:  # the page: the data's citation joins the source line below the map, the title box stays short
        source = text("indicator_source", lang, source=data.source) + "\n" + source
    if series is None:
        subtitle = text("subtitle_indicator_page" if detail else "subtitle_indicator", lang, **words)
    elif detail:  # the page: its year slider shows the year
        subtitle = text("subtitle_indicator_slider", lang, span=series.span, **words)
    else:
        subtitle = text("subtitle_indicator_year", lang, year=data.year, span=series.span, **words)
        title = f"{data.title} · {text('year_title', lang, year=data.year)}"
    return Theme(
        "indicator",
        lang,
        title,
        subtitle,
        source,
        layers,
        county_labels(atlas, lang),
        tuple(c.total_bounds),
        counts={"k": len(edges)},
    )
