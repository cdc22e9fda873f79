"""The change theme: two editions of the list on one map (kept, only in the older, only in
the newer)."""

from __future__ import annotations

from .base import (
    CONTEXT_FILL,
    MEMBER_EDGE,
    Layer,
    Legend,
    LegendItem,
    Theme,
    city_border_layer,
    context_layer,
    county_features,
    source_line,
    styled,
)
from .text import text

#: Paul Tol's muted scheme: distinct for colour-blind readers, and hatched for greyscale
CHANGE_STYLE = {
    "kept": ("#88CCEE", ""),
    "removed": ("#CC6677", "///"),
    "added": ("#117733", "..."),
}


def change(atlas, lang="zh", detail=True, old: str | None = None, new: str | None = None) -> Theme:
    """Counties in both editions, only in ``old`` and only in ``new`` (default: the first
    and the last edition of the registry)."""
    import numpy as np
    import pandas as pd

    from ..history import edition_diff

    reg = atlas.registry
    ids = sorted(reg.editions, key=lambda e: reg.editions[e].date)
    a, b = reg.edition(old or ids[0]), reg.edition(new or ids[-1])
    diff = edition_diff(reg, a.id, b.id)
    cls = {c: k for k, codes in diff.items() for c in codes}
    feats = county_features(atlas, lang, detail)
    feats["member"] = feats["code"].isin(cls)  # "other counties" are those in neither edition
    t = lambda k, **kw: text(k, lang, **kw)  # noqa: E731
    names = {
        "kept": t("change_kept", a=a.id, b=b.id),
        "removed": t("change_removed", a=a.id, b=b.id),
        "added": t("change_added", a=a.id, b=b.id),
    }
    short = dict(
        zip(atlas.counties["code"], atlas.counties["short_name" if lang == "zh" else "romanized"], strict=True)
    )
    sel = feats[feats["member"]].copy()
    sel["class"] = sel["code"].map(cls)
    fill = sel["class"].map(lambda k: CHANGE_STYLE[k][0])
    g = styled(sel, fill, MEMBER_EDGE, 0.8, 0.85)
    g["hatch"] = sel["class"].map(lambda k: CHANGE_STYLE[k][1]).to_numpy()
    g["tooltip"] = [[*tt, (t("change"), names[k])] for tt, k in zip(g["tooltip"], sel["class"], strict=True)]
    sep = "、" if lang == "zh" else ", "
    items = []
    for k in ("kept", "removed", "added"):
        listed = "" if k == "kept" else ": " + sep.join(short[c] for c in diff[k])
        items.append(LegendItem(names[k] + listed, CHANGE_STYLE[k][0], "patch", CHANGE_STYLE[k][1], count=len(diff[k])))
    legend = Legend(
        t("change_legend", a=f"{a.title}（{a.date}）", b=f"{b.title}（{b.date}）")
        if lang == "zh"
        else t("change_legend", a=f"{a.title} ({a.date})", b=f"{b.title} ({b.date})"),
        items,
    )
    ctx = context_layer(atlas, lang, feats, CONTEXT_FILL)
    layers = [ctx, Layer(t("change"), "polygons", g, legend), city_border_layer(atlas, lang)]
    members = atlas.counties[atlas.counties["code"].isin(cls)]
    pts = members.geometry.representative_point()
    labels = pd.DataFrame(
        {
            "code": members["code"].to_numpy(),
            "x": pts.x.to_numpy(),
            "y": pts.y.to_numpy(),
            "text": [short[c] for c in members["code"]],
            "full": [n if lang == "zh" else r for n, r in zip(members["name"], members["romanized"], strict=True)],
            "kind": np.full(len(members), "member"),
        }
    )
    return Theme(
        "change",
        lang,
        t("change_title"),
        t(
            "change_subtitle",
            a=a.id,
            b=b.id,
            kept=len(diff["kept"]),
            removed=len(diff["removed"]),
            added=len(diff["added"]),
        ),
        source_line(lang),
        layers,
        labels,
        tuple(atlas.counties.total_bounds),
    )
