"""The GeoPackage's styles, read off the themes: which features a rule takes is said here in
attribute terms (``member``, ``city_code``, ``confidence``), how they look is taken from the
theme's own drawn features (colour, opacity, line width, dash, hatch), so QGIS draws what the
static and the HTML maps draw.

A :class:`Style` is a renderer-neutral description (rules of a filter and a symbol, label
rules, column aliases); :mod:`.qml` writes it as QGIS's style XML and :mod:`.sld` as an SLD 1.1.
Filters are small tuples (:func:`matches` evaluates them on a table, the writers turn them
into a QGIS expression and an OGC filter):

- ``("all",)``: every feature; ``("is", column)``: a boolean column is true; ``("not", f)``; ``("and", f, g, ...)``
- ``("eq", column, value)``, ``("ne", column, value)``, ``("range", column, lo, hi)`` (inclusive)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..codes import FIELDS, codes
from ..codes import label as code_label
from ..naming import city_name
from ..static.draw import ARROW_SHAFT, PT_PER_WEIGHT, arrow_head
from ..static.figure import SIZES, text_pt
from ..static.labels import HALO
from ..themes.base import ENCLAVE_STYLE, LINK_BEND
from ..themes.overview import overview
from ..themes.pairing import pairing
from ..words import edition_name, enclave_label, text
from .columns import COLUMNS

__all__ = ["LabelRule", "Rule", "Style", "Symbol", "atlas_styles", "matches", "theme_symbol"]

#: the labels' typeface: the one the static maps embed (QGIS falls back to its default font
#: where it is not installed)
FONT = "Noto Sans CJK SC"
#: the page whose text sizes the labels take: the A4 map
_BASE = SIZES["a4"][2]
#: the styles of each layer, the first of each language its default (QGIS applies the
#: default style of a layer when it opens it)
THEMES = {
    "counties": ("pairing", "overview"),
    "city_borders": ("pairing",),
    "links": ("pairing",),
    "enclaves": ("pairing",),
}
#: how each styled layer's features are drawn
GEOMETRY = {"counties": "polygon", "city_borders": "line", "links": "line", "enclaves": "point"}
LANGS = ("zh", "en")
#: the county labels' columns in each language: (mountain counties, partners)
NAME_COLUMNS = {"zh": ("name", "short_name"), "en": ("romanized", "romanized")}
#: the coded columns whose field (:mod:`geo.codes`) is not named as the column
CODED = {("coverage", "scope"): "coverage_scope", ("enclaves", "kind"): "enclave_kind",
         ("enclaves", "status"): "enclave_status", ("sources", "kind"): "source_kind"}  # fmt: skip


@dataclass(frozen=True)
class Symbol:
    """How a rule's features look: fill (``None``: none) and its opacity, the outline or line
    (colour, width in points, dash pattern in points), a diagonal hatch in the outline's
    colour; lines only: an arrowhead of ``arrow`` points at the end, a bow of ``bend`` × the
    length, and widths that follow the ``confidence`` column (``(value, width), ...``; the
    narrowest for any other value); points only: the marker's ``shape`` (square, triangle,
    circle, diamond) and width ``size`` in points."""

    fill: str | None = None
    fill_opacity: float = 1.0
    edge: str | None = None
    width: float = 0.0
    dash: tuple[float, ...] = ()
    hatch: bool = False
    arrow: float = 0.0
    bend: float = 0.0
    widths: tuple[tuple[str, float], ...] = ()
    shape: str = ""
    size: float = 0.0


@dataclass(frozen=True)
class Rule:
    label: str
    filter: tuple
    symbol: Symbol
    #: drawing pass: higher levels are drawn over lower ones (outlines over fills)
    level: int = 0


@dataclass(frozen=True)
class LabelRule:
    label: str
    filter: tuple
    column: str
    size: float
    color: str = "#111111"
    italic: bool = False
    #: the white halo's width around the letters, in points
    halo: float = 1.0


@dataclass
class Style:
    """One named style of one layer of the GeoPackage."""

    layer: str
    name: str
    lang: str
    title: str
    geometry: str | None  # polygon | line | point | None (an attribute table)
    rules: list[Rule] = field(default_factory=list)
    labels: list[LabelRule] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    default: bool = False
    #: per coded column, its codes with their labels in the style's language (``[(code,
    #: label), ...]``): QGIS shows the labels in the attribute table and the forms
    value_maps: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def matches(f: tuple, table: pd.DataFrame) -> pd.Series:
    """The rows of ``table`` a filter takes (boolean Series on its index)."""
    op, *args = f
    if op == "all":
        return pd.Series(True, index=table.index)
    if op == "is":
        return table[args[0]].fillna(False).astype(bool)
    if op == "not":
        return ~matches(args[0], table)
    if op == "and":
        out = pd.Series(True, index=table.index)
        for g in args:
            out &= matches(g, table)
        return out
    col = table[args[0]]
    if op == "eq":
        return col.eq(args[1]).fillna(False).astype(bool)
    if op == "ne":
        return col.ne(args[1]).fillna(True).astype(bool)
    if op == "range":
        return col.between(args[1], args[2]).fillna(False).astype(bool)
    raise ValueError(f"unknown filter {op!r}")


def theme_symbol(layer, index, *, fill: bool = True, stroke: bool = True, arrows: bool = False) -> Symbol:
    """The one look a theme layer gives the features at ``index`` (an error if they differ:
    then the rule's filter does not follow the theme). Arrows may differ in width (it
    follows their confidence: :func:`_pairing_links`)."""
    missing = index.difference(layer.data.index)
    if len(missing):
        raise RuntimeError(f"{len(missing)} feature(s) of a style rule are not drawn by the theme layer {layer.name!r}")
    keys = ["fill", "fill_opacity"] * fill + ["edge", "dash", "hatch"] * stroke + ["weight"] * (stroke and not arrows)
    looks = set(map(tuple, layer.data.loc[index, keys].astype(str).to_numpy()))
    if len(looks) != 1:
        raise RuntimeError(f"a style rule takes features the theme draws in {len(looks)} ways: {sorted(looks)}")
    r = {k: layer.data.at[index[0], k] for k in ("fill", "fill_opacity", "edge", "weight", "dash", "hatch")}
    width = float(r["weight"]) * PT_PER_WEIGHT
    return Symbol(
        fill=None if not fill or r["fill"] == "none" else str(r["fill"]),
        fill_opacity=float(r["fill_opacity"]) if fill else 1.0,
        edge=str(r["edge"]) if stroke and r["edge"] != "none" else None,
        width=width * (ARROW_SHAFT if arrows else 1.0) if stroke else 0.0,
        dash=tuple(float(v) for v in str(r["dash"]).split()) if stroke else (),
        hatch=bool(r["hatch"]) and stroke,
    )


def _rule(label, f, table, layer, level=0, **parts) -> Rule | None:
    """A rule of the features of ``table`` that ``f`` takes, drawn as ``layer`` draws them;
    None when it takes none."""
    index = table.index[matches(f, table)]
    return Rule(label, f, theme_symbol(layer, index, **parts), level) if len(index) else None


def _labels(lang: str, partners: bool) -> list[LabelRule]:
    """The county labels of the static maps: the mountain counties' full names (romanised in
    English), and on the pairing map the partners' short names in italics."""
    size = text_pt(_BASE, "label")
    members, others = NAME_COLUMNS[lang]
    out = [LabelRule(text("member", lang), ("is", "member"), members, size, halo=size * HALO / 2)]
    if partners:
        small = text_pt(_BASE, "partner_label")
        out.append(LabelRule(text("partners", lang), ("and", ("is", "is_partner"), ("not", ("is", "member"))),
                             others, small, "#333333", True, small * HALO / 2))  # fmt: skip
    return out


def _pairing_counties(atlas, lang, table, th) -> tuple[list[Rule], list[LabelRule]]:
    ctx, members = th.layers[0], th.layers[1]
    rules = [
        _rule(
            text("other_counties", lang), ("and", ("not", ("is", "member")), ("not", ("is", "is_partner"))), table, ctx
        )
    ]
    partners = table[table["is_partner"] & ~table["member"]]
    for c in sorted(partners["city_code"].unique()):
        label = text("partners_in_city", lang, what=text("partners", lang), city=city_name(atlas.registry, c, lang))
        f = ("and", ("not", ("is", "member")), ("is", "is_partner"), ("eq", "city_code", c))
        rules.append(_rule(label, f, table, ctx))
    for status, key in (("sourced", "with_partner"), ("no sourced partner", "no_partner")):
        rules.append(
            _rule(text(key, lang), ("and", ("is", "member"), ("eq", "pairing_status", status)), table, members)
        )
    return rules, _labels(lang, partners=True)


def _overview_counties(atlas, lang, table, th) -> tuple[list[Rule], list[LabelRule]]:
    ctx, members, partners = th.layers[:3]
    rules = [_rule(text("other_counties", lang), ("not", ("is", "member")), table, ctx)]
    for c in sorted(table.loc[table["member"], "city_code"].unique()):
        f = ("and", ("is", "member"), ("eq", "city_code", c))
        rules.append(_rule(city_name(atlas.registry, c, lang), f, table, members))
    rules.append(_rule(text("partner_outline", lang), ("is", "is_partner"), table, partners, 1, fill=False))
    return rules, _labels(lang, partners=False)


def _pairing_links(atlas, lang, table, th) -> list[Rule]:
    """Per partner city, solid and (low confidence) dashed arrows, their width following the
    confidence as the theme's does."""
    links = next(ly for ly in th.layers if ly.kind == "lines" and ly.arrows)  # the enclaves come after it
    weights = links.data.groupby("confidence")["weight"].unique()
    if any(len(w) != 1 for w in weights):
        raise RuntimeError("the pairing theme's link widths do not follow the confidence alone")
    width = {conf: float(w[0]) * PT_PER_WEIGHT for conf, w in weights.items()}
    widths = tuple((conf, round(w * ARROW_SHAFT, 3)) for conf, w in sorted(width.items()))
    rules = []
    for c in sorted(table["partner_city_code"].unique()):
        name = city_name(atlas.registry, c, lang)
        for low, label in ((False, name), (True, f"{name} · {text('low_conf', lang)}")):
            f = ("and", ("eq", "partner_city_code", c), ("eq" if low else "ne", "confidence", "low"))
            index = table.index[matches(f, table)]
            if not len(index):
                continue
            base = theme_symbol(links, index, fill=False, arrows=True)
            head = arrow_head(min(width.values()))[0]  # the narrowest line's, for every arrow
            sym = Symbol(edge=base.edge, width=max(w for _, w in widths), dash=base.dash, arrow=round(head, 3),
                         bend=LINK_BEND, widths=widths)  # fmt: skip
            rules.append(Rule(label, f, sym))
    return rules


def _city_borders(atlas, lang, table, th) -> list[Rule]:
    return [_rule(text("city_border", lang), ("all",), table, th.layers[2], fill=False)]


def _pairing_enclaves(atlas, lang, table, th) -> list[Rule]:
    """A marker per kind, its shape, fill and size the pairing map's."""
    layer = next(ly for ly in th.layers if ly.kind == "points")
    rules = []
    for kind in ENCLAVE_STYLE:
        index = table.index[table["kind"] == kind]
        if len(index):
            base = theme_symbol(layer, index)
            shape, size = (layer.data.at[index[0], c] for c in ("shape", "size"))
            rules.append(Rule(enclave_label(kind, lang), ("eq", "kind", kind),
                              replace(base, shape=str(shape), size=float(size))))  # fmt: skip
    return rules


_THEMES = {"pairing": pairing, "overview": overview}
_BUILD = {
    ("counties", "pairing"): _pairing_counties,
    ("counties", "overview"): _overview_counties,
    ("city_borders", "pairing"): _city_borders,
    ("links", "pairing"): _pairing_links,
    ("enclaves", "pairing"): _pairing_enclaves,
}


def _words(atlas, theme: str, lang: str) -> str:
    """A style's description in ``layer_styles``: the map it follows."""
    title = text(theme, lang, ed=edition_name(atlas.edition, lang))
    return text("style_title", lang, title=title, command=f"shanhai map {theme}")


def atlas_styles(atlas, tables: dict[str, pd.DataFrame]) -> list[Style]:
    """Every style of the GeoPackage of ``atlas`` (its layers typed as ``tables``): the
    counties as the pairing (default) and overview maps, the links as the pairing
    map's arrows, in Chinese (the defaults) and in English; the attribute tables with their
    columns' aliases only."""
    out = []
    themes: dict[tuple[str, str], object] = {}  # each theme built once per language
    for layer, table in tables.items():
        for lang in LANGS:
            aliases = {c.name: getattr(c, lang) for c in COLUMNS[layer]}
            maps = value_maps(layer, table, lang)
            if layer not in THEMES:
                out.append(Style(layer, f"fields-{lang}", lang, text("fields_style", lang), None, aliases=aliases,
                                 default=lang == LANGS[0], value_maps=maps))  # fmt: skip
                continue
            for i, theme in enumerate(THEMES[layer]):
                if (theme, lang) not in themes:
                    themes[theme, lang] = _THEMES[theme](atlas, lang, detail=False)
                built = _BUILD[layer, theme](atlas, lang, table, themes[theme, lang])
                rules, labels = built if layer == "counties" else (built, [])
                geometry = GEOMETRY[layer]
                style = Style(layer, f"{theme}-{lang}", lang, _words(atlas, theme, lang), geometry,
                              [r for r in rules if r is not None], labels, aliases, default=lang == LANGS[0] and i == 0,
                              value_maps=maps)  # fmt: skip
                out.append(style)
    return out


def value_maps(layer: str, table: pd.DataFrame, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The codes of ``layer``'s coded columns with their labels in ``lang``: every column with
    label columns beside it (``confidence`` and ``confidence_zh``, …) and the coverage's scope.
    The codes of a field of :mod:`geo.codes` come in its order, each with its catalog label;
    other codes (``unrated``, the counties' pairing status) with the label the table gives
    them beside, so QGIS shows what the label columns hold."""
    names = {c.name for c in COLUMNS[layer]}
    out = {}
    for col in COLUMNS[layer]:
        labelled = f"{col.name}_{lang}" in names
        coded = CODED.get((layer, col.name)) or (col.name if labelled else None)
        if coded is None:  # not a code (the clauses' categories are words)
            continue
        pairs = {}
        if coded in FIELDS:
            pairs = {code: code_label(coded, code, lang) for code in codes(coded)}
        if labelled:
            given = table[[col.name, f"{col.name}_{lang}"]].dropna().drop_duplicates()
            for code, word in given.itertuples(index=False):
                pairs.setdefault(code, word)
        out[col.name] = list(pairs.items())
    return out
