"""Charts that are not maps: a county's timeline strip and the pairing gap dot plot."""

from __future__ import annotations

import numpy as np

from ..errors import RenderError
from ..themes import text
from .figure import CM, MIN_PT, TITLE_WEIGHT, font_context, new_figure
from .wrap import wrap_paragraphs

KIND_COLORS = {"membership": "#332288", "pairing": "#117733", "designation": "#CC6677", "policy": "#DDAA33"}
#: black-and-white print: one grey and one marker per kind
MONO_KINDS = {"membership": ("#1a1a1a", "o"), "pairing": ("#4d4d4d", "s"), "designation": ("#7a7a7a", "D"),
              "policy": ("#a6a6a6", "^")}  # fmt: skip
KIND_TEXT = {
    "zh": {"membership": "名单", "pairing": "结对", "designation": "称号与试点", "policy": "政策条款", "undated": "年份未知"},
    "en": {"membership": "list", "pairing": "pairing", "designation": "designations", "policy": "policy clauses",
           "undated": "undated"},
}  # fmt: skip


def draw_timeline(ax, ev, *, lang: str = "zh", base: float = 6.0, mono: bool = False):
    """A county's events (from :func:`geo.history.timeline`) as a strip in ``ax``: years
    on the axis, one row per kind; a kind's events of one year share a marker; undated
    events are counted at the right, never dropped. ``mono``: greys and one marker shape
    per kind."""
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
            color, marker = MONO_KINDS[kind] if mono else (KIND_COLORS[kind], "o")
            ax.scatter([yr], [y], s=10 + 6 * min(n, 8), color=color, marker=marker, zorder=3, linewidths=0)
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


def chart_words(fig, base, title, sub_lines, note_lines, *, top=0.055, title_size=1.1, title_step=1.3,
                note_color="#222222"):  # fmt: skip
    """A chart's title and subtitle at the top left (``top`` inches down, the title
    ``title_size`` × ``base``), the note at the bottom left."""
    H = fig.get_figheight()
    y = 1 - top / H
    sub_pt, note_pt = _chart_pt(base)
    if title:
        fig.text(0.01, y, title, fontsize=base * title_size, va="top", fontweight=TITLE_WEIGHT)
        y -= base * title_size * title_step / 72 / H
    for line in sub_lines:
        fig.text(0.01, y, line, fontsize=sub_pt, va="top", color="#333333")
        y -= sub_pt * 1.3 / 72 / H
    y = 0.04 / H
    for line in reversed(note_lines):
        fig.text(0.01, y, line, fontsize=note_pt, va="bottom", color=note_color)
        y += note_pt * 1.3 / 72 / H


def _chart_pt(base: float) -> tuple[float, float]:
    """A chart's subtitle and note sizes (pt), never below :data:`MIN_PT`."""
    return max(MIN_PT, base * 0.85), max(MIN_PT, base * 0.75)


def chart_text(width_in, base, subtitle, note):
    """A chart's subtitle and note in lines ``width_in`` wide, and their heights (inches)."""
    w = (width_in - 0.1) * 72
    sub_pt, note_pt = _chart_pt(base)
    sub, notes = wrap_paragraphs(subtitle or "", w, sub_pt), wrap_paragraphs(note or "", w, note_pt)
    return sub, notes, sub_pt * 1.3 / 72 * len(sub), note_pt * 1.3 / 72 * len(notes)


def render_timeline(
    atlas,
    county,
    *,
    lang: str = "zh",
    width_cm: float = 8.0,
    height_cm: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    mono: bool = False,
):
    """One county's timeline as a strip figure, readable at half-page width (8 cm).

    Parameters
    ----------
    atlas : Atlas
        The joined atlas (:func:`geo.load_atlas`).
    county : str
        Any name form or code (景宁, 331127, Jingning).
    lang : {"zh", "en"}
        The language of the labels.
    width_cm, height_cm : float, optional
        The size in cm; the text grows with the width past 8 cm. Without a height the
        strip is as tall as its events need.
    title : str, optional
        Replaces "NAME：时间线"; ``""`` leaves it out.
    subtitle, note : str, optional
        Extra lines above the strip and above the source line.
    mono : bool
        Draw the kinds of event in greys and marker shapes, for black-and-white print.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`geo.static.save_static`.
    """
    from ..history import EVENT_KINDS, timeline
    from .figure import page_spec

    if lang not in KIND_TEXT:
        raise RenderError(f"unknown language {lang!r}: use zh or en.")
    page_spec("a4", width_cm, height_cm)  # checks the numbers
    ev = timeline(atlas, county, lang)
    base = 6.0 * max(1.0, min((width_cm / 8.0) ** 0.5, 2.0))
    W = width_cm * CM
    sub, notes, sub_in, note_in = chart_text(W, base, subtitle, note)
    name = ev.attrs["county"] if lang == "zh" else atlas.registry.county(county).name_en
    head = (f"{name}：时间线" if lang == "zh" else f"{name}: timeline") if title is None else title
    plain = (0.55 + 0.32 * len(EVENT_KINDS)) * (base / 6.0)
    head_in = 0.16 * plain if head else 0.05 * plain
    H = height_cm * CM if height_cm else plain - 0.16 * plain + head_in + sub_in + note_in
    # the strip keeps the default page's margins (0.22 below, 0.16 above) plus the words' lines
    bottom = (0.22 * plain + note_in) / H
    top = (head_in + sub_in) / H
    if 1 - top - bottom < 0.2:
        raise RenderError(f"--height {height_cm:g} cm leaves no room for the timeline: give more or leave it out.")
    with font_context(base):
        fig = new_figure(W, H)
        ax = fig.add_axes([0.2, bottom, 0.66, 1 - top - bottom])
        draw_timeline(ax, ev, lang=lang, base=base, mono=mono)
        chart_words(fig, base, head, sub, notes)
        fig._shanhai_events = ev
        fig._shanhai_mono = mono
    return fig


def render_gaps(
    gaps,
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
    """Each pair compared as a dot plot: one line per pairing, the mountain county's value
    and its partner's, sorted by ratio (widest gap on top). Readable at A4 width.

    ``title`` replaces the chart's (``""`` leaves it out), ``subtitle`` and ``note`` add
    lines; ``width_cm``/``height_cm`` set the size (defaults from ``size``); ``mono``:
    greys, a circle for the mountain county and a square for its partner.
    """
    from .figure import page_spec

    width, _, base, _ = page_spec(size, width_cm, None)
    rows = gaps.reset_index(drop=True)
    n = len(rows)
    label, unit = gaps.attrs.get("label", ""), gaps.attrs.get("unit", "")
    head = text("gaps_title", lang, label=label) if title is None else title
    sub, notes, sub_in, note_in = chart_text(width, base, subtitle, note)
    plain = (1.0 + 0.16 * n) * base / 7.5
    height = height_cm * CM if height_cm else plain + sub_in + note_in
    ax_h = height - (1.0 if head else 0.75) - sub_in - note_in
    if ax_h < 0.2 * height:
        raise RenderError(f"--height {height_cm:g} cm leaves no room for {n} pairings: give more or leave it out.")
    mountain, partner = (("#1a1a1a", "o"), ("#8c8c8c", "s")) if mono else (("#CC6677", "o"), ("#332288", "o"))
    with font_context(base):
        fig = new_figure(width, height)
        ax = fig.add_axes([0.3, (0.45 + note_in) / height, 0.55, ax_h / height])
        y = np.arange(n)[::-1]
        a, b = rows["mountain_value"].to_numpy(float), rows["partner_value"].to_numpy(float)
        ax.hlines(y, np.fmin(a, b), np.fmax(a, b), color="#bbbbbb", linewidth=1.0, zorder=1)
        ax.scatter(a, y, s=14, color=mountain[0], marker=mountain[1], zorder=3,
                   label="山区县" if lang == "zh" else "mountain county")  # fmt: skip
        ax.scatter(b, y, s=14, color=partner[0], marker=partner[1], zorder=3,
                   label="结对县" if lang == "zh" else "partner")  # fmt: skip
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
        chart_words(fig, base, head, sub, notes, top=0.08, title_size=1.3, title_step=1.25)
        fig._shanhai_mono = mono
    return fig
