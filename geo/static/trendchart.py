"""The trend figure of :func:`geo.trends.trend`: is the gap closing? Two small charts by year
(the ratio of the rest of the province to the mountain counties with the pairings' mean ratio,
and the coefficient of variation) beside a slope chart of every pairing's ratio from the first
year to the last."""

from __future__ import annotations

import math

import numpy as np

from ..errors import RenderError, param
from ..themes import edition_name, text
from ..trends import beta_sentence
from ..words import by_lang, check_lang, say
from .charts import chart_text, chart_words
from .figure import CM, font_context, new_figure, page_spec

CLOSING, WIDENING = "#1d91c0", "#b35806"  # ColorBrewer blue / PuOr orange: apart for every reader
MONO_CLOSING, MONO_WIDENING = "#1a1a1a", "#8c8c8c"


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions near ``ys`` at least ``gap`` apart, kept between ``lo`` and ``hi``
    where they fit: pushed up from the lowest, then back down from ``hi``."""
    order = np.argsort(ys)
    out = np.asarray(ys, float)[order].copy()
    out[0] = max(out[0], lo)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    if len(out) and out[-1] > hi:
        out[-1] = hi
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - gap)
    res = np.empty_like(out)
    res[order] = out
    return res.tolist()


def render_trend(
    tr,
    atlas=None,
    *,
    lang: str = "zh",
    size: str = "a4",
    width_cm: float | None = None,
    height_cm: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    mono: bool = False,
):
    """The :class:`~geo.trends.Trend` ``tr`` as one figure, readable at A4 width.

    Left, by year: the mean of the other counties ÷ the mean of the mountain counties and the
    pairings' mean partner ÷ mountain ratio (1 = no gap), and below it the coefficient of
    variation of all counties; right: every pairing's ratio in the first and the last year,
    blue where it came nearer to 1, orange where it moved away. The subtitle gives
    β-convergence and how many counties the figures rest on; ``title``, ``subtitle`` and
    ``note`` replace or add words, ``mono`` draws greys and dashes.
    """
    check_lang(lang)
    width, _, base, _ = page_spec(size, width_cm, None)
    by, pairs = tr.by_year, tr.pairs.dropna(subset=["ratio_first", "ratio_last"])
    member = edition_name(atlas.edition, lang) if atlas is not None else text("member", lang)
    head = text("trend_title", lang, label=tr.label) if title is None else title
    if subtitle is None:
        sep = text("semi_sep", lang)
        n = int(by["n_edition"].iloc[0] + by["n_rest"].iloc[0])
        panel = (
            text("trend_panel", lang, n=n, left=len(tr.left_out)) if tr.left_out else text("trend_panel_all", lang, n=n)
        )
        subtitle = sep.join([beta_sentence(tr, lang), panel])
    foot = text("trend_source", lang, source=tr.source)
    note = f"{note}\n{foot}" if note else foot
    sub, notes, sub_in, note_in = chart_text(width, base, subtitle, note)
    n_pairs = len(pairs)
    plain = max(9.0 * CM * base / 7.5, (1.2 + 0.15 * n_pairs) * base / 7.5)
    height = height_cm * CM if height_cm else plain + sub_in + note_in
    head_in = (base * 1.3 * 1.25 / 72 if head else 0.0) + sub_in + 0.12
    top, bottom = 1 - (head_in + 0.1) / height, (note_in + 0.42) / height
    if top - bottom < 0.25:
        raise RenderError(say("render.trend_no_room", height=param("height_cm", float(height_cm))))
    closing_c, widening_c = (MONO_CLOSING, MONO_WIDENING) if mono else (CLOSING, WIDENING)
    years = by["year"].to_numpy()
    with font_context(base):
        fig = new_figure(width, height)
        mid = bottom + (top - bottom) * 0.52
        leg = 2 * base * 0.72 * 1.7 / 72 / height  # the two-line legend above the ratios
        ax1 = fig.add_axes([0.08, mid + 0.04, 0.36, top - mid - 0.05 - leg])
        ax2 = fig.add_axes([0.08, bottom, 0.36, mid - bottom - 0.05], sharex=ax1)
        ax3 = fig.add_axes([0.55, bottom, 0.27, top - bottom - 0.03])
        ax1.axhline(1.0, color="#999999", linewidth=0.6, linestyle=(0, (3, 2)), zorder=1)
        ax1.plot(years, by["ratio"], marker="o", markersize=3, linewidth=1.4, color="#CC6677" if not mono else "#1a1a1a",
                 label=text("trend_ratio", lang, member=member))  # fmt: skip
        if by["pair_ratio"].notna().any():
            ax1.plot(years, by["pair_ratio"], marker="s", markersize=3, linewidth=1.4,
                     color="#332288" if not mono else "#7a7a7a", linestyle="-" if not mono else "--",
                     label=text("trend_pair_ratio", lang))  # fmt: skip
        ax1.set_ylabel(text("trend_ratio_axis", lang), fontsize=base * 0.8)
        ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=base * 0.72, frameon=False, ncol=1,
                   borderaxespad=0.2)  # fmt: skip
        ax2.plot(years, by["cv"], marker="o", markersize=3, linewidth=1.4, color="#117733" if not mono else "#4d4d4d")
        ax2.set_ylabel(text("trend_cv_axis", lang), fontsize=base * 0.8)
        ax2.set_ylim(0, max(float(np.nanmax(by["cv"])) * 1.2, 0.05))  # from zero: a small change looks small
        ax2.set_title(text("trend_cv", lang), fontsize=base * 0.8, loc="left", pad=3)
        ax2.set_xticks(years if len(years) <= 8 else years[:: max(1, len(years) // 6)])
        ax2.tick_params(axis="x", labelsize=base * 0.75)
        for ax in (ax1, ax2):
            ax.tick_params(axis="y", labelsize=base * 0.72)
            ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        ax1.tick_params(axis="x", labelbottom=False)
        # the slope chart
        r0, r1 = pairs["ratio_first"].to_numpy(float), pairs["ratio_last"].to_numpy(float)
        close = pairs["closing"].fillna(False).to_numpy(bool)
        logy = len(r0) and min(r0.min(), r1.min()) > 0 and max(r0.max(), r1.max()) / min(r0.min(), r1.min()) > 6
        if logy:  # plain numbers at 1, 2, 5, 10 … (not 10⁰)
            from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

            ax3.set_yscale("log")
            ax3.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax3.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax3.yaxis.set_minor_formatter(NullFormatter())
        ax3.axhline(1.0, color="#999999", linewidth=0.6, linestyle=(0, (3, 2)), zorder=1)
        for a, b, c in zip(r0, r1, close, strict=True):
            ax3.plot([0, 1], [a, b], color=closing_c if c else widening_c, linewidth=0.9, alpha=0.9,
                     linestyle="-" if c or not mono else "--", marker="o", markersize=2)  # fmt: skip
        ax3.set_xlim(-0.08, 1.08)
        ax3.set_xticks([0, 1])
        ax3.set_xticklabels([str(tr.first), str(tr.last)], fontsize=base * 0.8)
        ax3.tick_params(axis="y", labelsize=base * 0.72)
        for side in ("top", "right"):
            ax3.spines[side].set_visible(False)
        ax3.set_title(text("trend_pairs", lang, first=tr.first, last=tr.last), fontsize=base * 0.8, loc="left", pad=3)
        if n_pairs:
            lo, hi = ax3.get_ylim()
            f = (lambda v: math.log10(v)) if logy else (lambda v: v)
            inv = (lambda v: 10**v) if logy else (lambda v: v)
            span = f(hi) - f(lo)
            gap = span * (base * 0.62 * 1.2 / 72) / ((top - bottom - 0.03) * height)
            ys = _spread([f(v) for v in r1], gap, f(lo) + gap / 2, f(hi) - gap / 2)
            names = [
                f"{_short(atlas, m, lang)}→{_short(atlas, p, lang, zone=z)}"
                for m, p, z in zip(pairs["mountain_code"], pairs["partner_code"], pairs["partner"], strict=True)
            ]
            for y_end, y_lab, name, c in zip(r1, ys, names, close, strict=True):
                ax3.annotate(name, (1, y_end), xytext=(1.1, inv(y_lab)), textcoords="data", fontsize=base * 0.62,
                             va="center", ha="left", color=closing_c if c else widening_c, annotation_clip=False,
                             arrowprops={"arrowstyle": "-", "color": "#cccccc", "linewidth": 0.3})  # fmt: skip
            ax3.set_ylim(lo, hi)
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=closing_c, linewidth=1.2),
                   Line2D([], [], color=widening_c, linewidth=1.2, linestyle="--" if mono else "-")]  # fmt: skip
        ax3.legend(handles, [text("trend_closing", lang, n=int(close.sum())),
                             text("trend_widening", lang, n=int((~close).sum()))],
                   loc="upper left", bbox_to_anchor=(0, -0.06), fontsize=base * 0.7, frameon=False, ncol=2)  # fmt: skip
        chart_words(fig, base, head, sub, notes, top=0.08, title_size=1.3, title_step=1.25, note_color="#444444")
        fig.mono = mono
    return fig


def _short(atlas, code, lang, zone=""):
    """A county's short name in the reader's language (a functional zone by its name)."""
    if atlas is None or not code:
        return zone or code
    c = atlas.registry.counties[code]
    return by_lang(lang, c.short_name, c.romanized)
