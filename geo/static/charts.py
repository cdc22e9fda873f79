"""Charts that are not maps: a county's timeline strip and the pairing gap dot plot."""

from __future__ import annotations

import numpy as np

from ..errors import RenderError, param
from ..history import EVENT_KINDS, timeline
from ..themes import text
from ..words import by_lang, check_lang, say
from .figure import CM, MIN_PT, TITLE_WEIGHT, font_context, new_figure, page_spec
from .wrap import text_width, wrap_paragraphs, wrap_text

KIND_COLORS = {"membership": "#332288", "pairing": "#117733", "designation": "#CC6677", "policy": "#DDAA33"}
#: black-and-white print: one grey and one marker per kind
MONO_KINDS = {"membership": ("#1a1a1a", "o"), "pairing": ("#4d4d4d", "s"), "designation": ("#7a7a7a", "D"),
              "policy": ("#a6a6a6", "^")}  # fmt: skip


def draw_timeline(ax, ev, *, lang: str = "zh", base: float = 6.0, mono: bool = False) -> list[tuple[str, str]]:
    """A county's events (from :func:`geo.history.timeline`) as a strip in ``ax``: years
    on the axis, one row per kind; a kind's events of one year share a marker; undated
    events are counted at the right, never dropped. ``mono``: greys and one marker shape
    per kind.

    Each event is numbered beside its marker, in order of time (above and below the row by
    turns, so neighbours never meet), and read in full in the key the function returns
    (:func:`timeline_key` sets it under the strip): no label is cut short. A year's many
    policy clauses are counted instead ("22条"): the profile lists them.

    Returns
    -------
    list of (str, str)
        The key: (number, the event's words), in order.
    """
    words = {k: text(f"tl_{k}", lang) for k in (*EVENT_KINDS, "undated")}
    label_pt, tick_pt, row_pt = (max(MIN_PT, base * k) for k in (0.72, 0.8, 0.85))
    dated = ev[ev["year"].notna()]
    years = dated["year"].astype(int)
    lo, hi = (int(years.min()), int(years.max())) if len(years) else (2020, 2024)
    lo, hi = min(lo, hi - 4), hi
    rows = {k: len(EVENT_KINDS) - 1 - i for i, k in enumerate(EVENT_KINDS)}
    # numbered in order of time, then of the rows from the top
    groups = sorted(((int(yr), rows[kind], kind, grp) for (kind, yr), grp in dated.groupby(
        [dated["kind"], dated["year"].astype(int)], sort=False)), key=lambda g: (g[0], -g[1]))  # fmt: skip
    ax.set_xlim(lo - 0.6, hi + 0.6)
    fig = ax.get_figure()
    pt_per_year = ax.get_position().width * fig.get_figwidth() * 72 / (hi - lo + 1.2)
    key, seen, taken = [], {}, {}
    for yr, y, kind, grp in groups:
        n = len(grp)
        color, marker = MONO_KINDS[kind] if mono else (KIND_COLORS[kind], "o")
        ax.scatter([yr], [y], s=10 + 6 * min(n, 8), color=color, marker=marker, zorder=3, linewidths=0)
        if kind == "policy" and n > 1:
            label = text("n_clauses_short", lang, n=n)
        else:
            first = len(key) + 1
            key += [(str(first + i), str(lb)) for i, lb in enumerate(grp["label"])]
            label = str(first) if n == 1 else f"{first}–{first + n - 1}"
        # above or below the row: neighbours in a row by turns, and never into the room
        # between two rows where another label already stands at that year
        j = seen[kind] = seen.get(kind, -1) + 1
        half = (text_width(label, label_pt) / 2 + label_pt * 0.3) / pt_per_year
        span = (yr - half, yr + half)
        sides = (True, False) if j % 2 == 0 else (False, True)
        up = next((u for u in sides if not any(a < span[1] and span[0] < b for a, b in taken.get(y + (0.5 if u else -0.5), []))),
                  sides[0])  # fmt: skip
        taken.setdefault(y + (0.5 if up else -0.5), []).append(span)
        ax.annotate(label, (yr, y), xytext=(0, 4 if up else -4), textcoords="offset points", ha="center",
                    va="bottom" if up else "top", fontsize=label_pt, color="#333333")  # fmt: skip
    for kind, y in rows.items():
        ax.axhline(y, color="#e2e2e2", linewidth=0.6, zorder=0)
        undated = int(((ev["kind"] == kind) & ev["year"].isna()).sum())
        if undated:
            ax.annotate(f"{words['undated']} {undated}", (1.02, y), xycoords=("axes fraction", "data"),
                        fontsize=label_pt, color="#777777", va="center")  # fmt: skip
    ax.set_yticks(range(len(EVENT_KINDS)))
    ax.set_yticklabels([words[k] for k in reversed(EVENT_KINDS)], fontsize=row_pt)
    ax.set_ylim(-0.6, len(EVENT_KINDS) - 0.2)
    step = 1 if hi - lo <= 8 else 2
    ax.set_xticks(range(lo if step == 1 else lo + (hi - lo) % 2, hi + 1, step))
    ax.tick_params(axis="x", labelsize=tick_pt, length=2)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_linewidth(0.5)
    return key


def timeline_key(key, lang: str, width_pt: float, size: float) -> list[str]:
    """The key of :func:`draw_timeline` as lines ``width_pt`` wide at ``size`` pt: each
    number with its event's words, one after the other (a number never ends a line)."""
    return wrap_text(text("semi_sep", lang).join(f"{n}\u00a0{lb}" for n, lb in key), width_pt, size)


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
    check_lang(lang)
    page_spec("a4", width_cm, height_cm)  # checks the numbers
    ev = timeline(atlas, county, lang)
    base = 6.0 * max(1.0, min((width_cm / 8.0) ** 0.5, 2.0))
    W = width_cm * CM
    sub, notes, sub_in, note_in = chart_text(W, base, subtitle, note)
    name = by_lang(lang, ev.attrs["county"], atlas.registry.county(county).name_en)
    head = text("timeline_title", lang, name=name) if title is None else title
    plain = (0.55 + 0.32 * len(EVENT_KINDS)) * (base / 6.0)
    head_in = 0.16 * plain if head else 0.05 * plain
    # the key under the strip: drawn first on a scratch axes to learn its numbers
    key_pt = max(MIN_PT, base * 0.75)
    with font_context(base):
        key = draw_timeline(new_figure(1, 1).add_axes([0, 0, 1, 1]), ev, lang=lang, base=base, mono=mono)
    key_lines = timeline_key(key, lang, (W - 0.1) * 72, key_pt)
    key_in = (len(key_lines) * key_pt * 1.3 + (base * 0.6 if key_lines else 0)) / 72
    H = height_cm * CM if height_cm else plain - 0.16 * plain + head_in + sub_in + note_in + key_in
    # the strip keeps the default page's margins (0.22 below, 0.16 above) plus the words' lines
    bottom = (0.22 * plain + note_in + key_in) / H
    top = (head_in + sub_in) / H
    if 1 - top - bottom < 0.2:
        raise RenderError(say("render.timeline_no_room", height=param("height_cm", float(height_cm))))
    with font_context(base):
        fig = new_figure(W, H)
        ax = fig.add_axes([0.2, bottom, 0.66, 1 - top - bottom])
        draw_timeline(ax, ev, lang=lang, base=base, mono=mono)
        y = (note_in + key_in + 0.04) / H
        for line in key_lines:
            y -= key_pt * 1.3 / 72 / H
            fig.text(0.01, y, line, fontsize=key_pt, va="bottom", color="#333333")
        chart_words(fig, base, head, sub, notes)
        fig.mono = mono
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
        raise RenderError(say("render.gaps_no_room", height=param("height_cm", float(height_cm)), n=n))
    mountain, partner = (("#1a1a1a", "o"), ("#8c8c8c", "s")) if mono else (("#CC6677", "o"), ("#332288", "o"))
    with font_context(base):
        fig = new_figure(width, height)
        ax = fig.add_axes([0.3, (0.45 + note_in) / height, 0.55, ax_h / height])
        y = np.arange(n)[::-1]
        a, b = rows["mountain_value"].to_numpy(float), rows["partner_value"].to_numpy(float)
        ax.hlines(y, np.fmin(a, b), np.fmax(a, b), color="#bbbbbb", linewidth=1.0, zorder=1)
        ax.scatter(a, y, s=14, color=mountain[0], marker=mountain[1], zorder=3,
                   label=text("member", lang))  # fmt: skip
        ax.scatter(b, y, s=14, color=partner[0], marker=partner[1], zorder=3,
                   label=text("role_partner", lang))  # fmt: skip
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
        ax.set_xlabel(text("paren", lang, a=label, b=unit) if unit else label, fontsize=base * 0.8)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=base * 0.75, frameon=False)
        chart_words(fig, base, head, sub, notes, top=0.08, title_size=1.3, title_step=1.25)
        fig.mono = mono
    return fig
