"""Charts that are not maps: a county's timeline strip and the pairing gap dot plot."""

from __future__ import annotations

import numpy as np

from ..errors import RenderError
from ..themes import text
from .figure import CM, SIZES, TITLE_WEIGHT, font_context, new_figure

KIND_COLORS = {"membership": "#332288", "pairing": "#117733", "designation": "#CC6677", "policy": "#DDAA33"}
KIND_TEXT = {
    "zh": {"membership": "名单", "pairing": "结对", "designation": "称号与试点", "policy": "政策条款", "undated": "年份未知"},
    "en": {"membership": "list", "pairing": "pairing", "designation": "designations", "policy": "policy clauses",
           "undated": "undated"},
}  # fmt: skip


def draw_timeline(ax, ev, *, lang: str = "zh", base: float = 6.0):
    """A county's events (from :func:`geo.history.timeline`) as a strip in ``ax``: years
    on the axis, one row per kind; a kind's events of one year share a marker; undated
    events are counted at the right, never dropped."""
    from ..history import EVENT_KINDS

    words = KIND_TEXT[lang]
    dated = ev[ev["year"].notna()]
    years = dated["year"].astype(int)
    lo, hi = (int(years.min()), int(years.max())) if len(years) else (2020, 2024)
    lo, hi = min(lo, hi - 4), hi
    for i, kind in enumerate(EVENT_KINDS):
        y = len(EVENT_KINDS) - 1 - i
        ax.axhline(y, color="#e2e2e2", linewidth=0.6, zorder=0)
        rows = dated[dated["kind"] == kind]
        for j, (yr, grp) in enumerate(rows.groupby(rows["year"].astype(int))):
            n = len(grp)
            ax.scatter([yr], [y], s=10 + 6 * min(n, 8), color=KIND_COLORS[kind], zorder=3, linewidths=0)
            first = str(grp["label"].iloc[0])
            first = first if len(first) <= 7 else first[:6] + "…"
            label = first if n == 1 else (f"{n}条" if lang == "zh" else f"{n}×")
            up = j % 2 == 0  # neighbours alternate above and below the row
            ax.annotate(label, (yr, y), xytext=(0, 4 if up else -4), textcoords="offset points", ha="center",
                        va="bottom" if up else "top", fontsize=base * 0.72, color="#333333")  # fmt: skip
        undated = int(((ev["kind"] == kind) & ev["year"].isna()).sum())
        if undated:
            ax.annotate(f"{words['undated']} {undated}", (1.02, y), xycoords=("axes fraction", "data"),
                        fontsize=base * 0.72, color="#777777", va="center")  # fmt: skip
    ax.set_yticks(range(len(EVENT_KINDS)))
    ax.set_yticklabels([words[k] for k in reversed(EVENT_KINDS)], fontsize=base * 0.85)
    ax.set_ylim(-0.6, len(EVENT_KINDS) - 0.2)
    ax.set_xlim(lo - 0.6, hi + 0.6)
    step = 1 if hi - lo <= 8 else 2
    ax.set_xticks(range(lo if step == 1 else lo + (hi - lo) % 2, hi + 1, step))
    ax.tick_params(axis="x", labelsize=base * 0.8, length=2)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_linewidth(0.5)


def render_timeline(atlas, county, *, lang: str = "zh", width_cm: float = 8.0):
    """One county's timeline as a strip figure, readable at half-page width (8 cm)."""
    from ..history import EVENT_KINDS, timeline

    if lang not in KIND_TEXT:
        raise RenderError(f"unknown language {lang!r}: use zh or en.")
    ev = timeline(atlas, county, lang)
    base = 6.0
    height = (0.55 + 0.32 * len(EVENT_KINDS)) * (base / 6.0)
    with font_context(base):
        fig = new_figure(width_cm * CM, height)
        ax = fig.add_axes([0.2, 0.22, 0.66, 0.62])
        draw_timeline(ax, ev, lang=lang, base=base)
        name = ev.attrs["county"] if lang == "zh" else atlas.registry.county(county).name_en
        title = f"{name}：时间线" if lang == "zh" else f"{name}: timeline"
        fig.text(0.01, 0.97, title, fontsize=base * 1.1, va="top", fontweight=TITLE_WEIGHT)
        fig._shanhai_events = ev
    return fig


def render_gaps(gaps, *, lang: str = "zh", size: str = "a4"):
    """Each pair compared as a dot plot: one line per pairing, the mountain county's value
    and its partner's, sorted by ratio (widest gap on top). Readable at A4 width."""
    width, _, base, _ = SIZES[size]
    rows = gaps.reset_index(drop=True)
    n = len(rows)
    height = (1.0 + 0.16 * n) * base / 7.5
    label, unit = gaps.attrs.get("label", ""), gaps.attrs.get("unit", "")
    with font_context(base):
        fig = new_figure(width, height)
        ax = fig.add_axes([0.3, 0.9 / height * 0.5, 0.55, 1 - 1.0 / height])
        y = np.arange(n)[::-1]
        a, b = rows["mountain_value"].to_numpy(float), rows["partner_value"].to_numpy(float)
        ax.hlines(y, np.fmin(a, b), np.fmax(a, b), color="#bbbbbb", linewidth=1.0, zorder=1)
        ax.scatter(a, y, s=14, color="#CC6677", zorder=3, label="山区县" if lang == "zh" else "mountain county")
        ax.scatter(b, y, s=14, color="#332288", zorder=3, label="结对县" if lang == "zh" else "partner")
        names = [f"{m} → {p}" for m, p in zip(rows["mountain_county"], rows["partner"], strict=True)]
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=base * 0.78)
        ax.set_ylim(-0.8, n - 0.2)
        for yy, r in zip(y, rows["ratio"], strict=True):
            txt = "—" if r != r else f"×{r:.1f}"
            ax.annotate(txt, (1.01, yy), xycoords=("axes fraction", "data"), va="center", fontsize=base * 0.72,
                        color="#444444")  # fmt: skip
        finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
        if len(finite) and finite.min() > 0 and finite.max() / finite.min() > 30:
            ax.set_xscale("log")
        ax.tick_params(axis="x", labelsize=base * 0.75)
        ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(f"{label}（{unit}）" if unit and lang == "zh" else f"{label} ({unit})" if unit else label,
                      fontsize=base * 0.8)  # fmt: skip
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=base * 0.75, frameon=False)
        fig.text(0.01, 1 - 0.08 / height, text("gaps_title", lang, label=label), fontsize=base * 1.3, va="top",
                 fontweight=TITLE_WEIGHT)  # fmt: skip
    return fig
