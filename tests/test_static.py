"""Static maps: looked at through baseline images, fonts, PDF text and layout checks."""

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image

from geo.static import FORMATS, label_overlaps, render_static, save_static

from .conftest import legend_columns, run_cli

THEMES = ["overview", "pairing", "policy", "status"]


@pytest.mark.mpl_image_compare(baseline_dir="baseline", tolerance=8, savefig_kwargs={"dpi": 100})
@pytest.mark.parametrize("theme", THEMES)
def test_baseline_image(static_map, theme):
    return static_map(theme, "half")


def draw_warnings(fig):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs(static_map, lang):
    for theme in THEMES:
        fig = static_map(theme, "a4", lang)
        missing = [m for m in draw_warnings(fig) if "Glyph" in m or "missing" in m]
        assert missing == [], (theme, missing[:3])


def test_every_county_name_has_glyphs(atlas):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.static import font_context

    with font_context():
        fig = Figure()
        FigureCanvasAgg(fig)
        for i, name in enumerate(atlas.counties["name"]):
            fig.text(0.01, i / 100, name + " " + atlas.counties["city"].iloc[i])
        assert [m for m in draw_warnings(fig) if "Glyph" in m] == []


def test_packaged_font_works_without_system_cjk_fonts(tmp_path):
    # simulate a machine with no CJK font: drop every system CJK face before rendering
    code = """
import warnings
from matplotlib import font_manager as fm
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if "CJK" not in f.name and "WenQuanYi" not in f.name]
import geo
from geo.static import render_static, font_context
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    fig = render_static(geo.load_atlas(), "overview")
    fig.canvas.draw()
bad = [str(x.message) for x in w if "Glyph" in str(x.message)]
with font_context():
    path = fm.findfont(fm.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False)
print("BAD", len(bad)); print("FONT", path)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "BAD 0" in r.stdout and "noto_cjk_sans_otc" in r.stdout


@pytest.fixture(scope="module")
def pdf(static_map, tmp_path_factory):
    return save_static(static_map("overview", "a4"), tmp_path_factory.mktemp("pdf") / "overview.pdf")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_pdf_text_extracts_and_fonts_embedded(pdf, static_map, tmp_path):
    txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "景宁畲族自治县" in txt and "山区26县" in txt
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
    assert rows and all("Type 3" in ln for ln in rows)
    assert all(re.search(r"\byes\b", ln) for ln in rows)  # embedded
    en = save_static(static_map("overview", "a4", "en"), tmp_path / "en.pdf")
    assert "Jingning" in subprocess.run(["pdftotext", str(en), "-"], capture_output=True, text=True).stdout


def test_svg_is_self_contained(static_map, tmp_path):
    svg = save_static(static_map("pairing", "half"), tmp_path / "p.svg").read_text(encoding="utf-8")
    assert "<text" not in svg  # text drawn as paths
    assert not re.search(r"(xlink:)?href=\"https?:", svg)


@pytest.mark.parametrize("size", ["a4", "half", "slide"])
def test_labels_never_overlap(static_map, size):
    for theme in ("overview", "pairing"):
        fig = static_map(theme, size)
        assert fig.map_labels, theme
        assert label_overlaps(fig.map_labels, fig) == 0, (theme, size)


@pytest.fixture(scope="module")
def land(atlas):
    """The land in the map's CRS (the counties and the neighbouring provinces), made once."""
    import shapely

    from geo.static import CRS, provinces

    counties = atlas.counties.to_crs(CRS).geometry.values
    return shapely.union_all([*counties, *provinces().geometry.values])


def _data_box(ax, bbox):
    import shapely

    inv = ax.transData.inverted()
    (x0, y0), (x1, y1) = inv.transform([[bbox.x0, bbox.y0], [bbox.x1, bbox.y1]])
    return shapely.box(x0, y0, x1, y1)


@pytest.mark.parametrize("size", ["a4", "half", "slide"])
def test_layout_legend_never_over_land(static_map, land, size):
    for theme in THEMES:
        fig = static_map(theme, size)
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        ax = fig.map_frame
        legend = (ax.get_legend() or fig.legends[0]).get_window_extent(r)
        if size == "half":  # below the frame
            assert legend.y1 <= ax.get_window_extent(r).y0 + 1, theme
        else:  # inside the frame, on the sea
            assert ax.get_window_extent(r).contains(legend.x0, legend.y0), theme
            assert _data_box(ax, legend).intersection(land).area == 0, theme
        inset = fig.map_inset.get_window_extent(r)
        assert _data_box(ax, inset).intersection(land).area == 0, theme


def test_two_column_legend_breaks_between_sections(static_map):
    # half-page legends run in two columns: a heading never ends one with its entries in the next
    for theme in THEMES:
        cols = legend_columns(static_map(theme, "half"))
        assert len(cols) == 2, theme
        assert all(not col or not col[-1][1] for col in cols), (theme, cols)
        assert sum(map(len, cols)) >= 3, theme


@pytest.mark.parametrize("size", ["a4", "slide"])
def test_map_frame_fills_the_page(static_map, size):
    for theme in THEMES:
        fig = static_map(theme, size)
        _, y0, w, h = fig.map_frame.get_position().bounds
        assert w * h >= 0.70, (theme, round(w * h, 3))
        assert 1 - (y0 + h) < 0.16  # the title block, no empty band


def test_titles_and_legend_follow_the_edition(atlas_2024, static_map):
    from geo.static import legend_entries
    from geo.themes import build_theme

    fig = render_static(atlas_2024, "overview", size="half")
    texts = [t.get_text() for t in fig.texts]
    assert "山区海岛25县及其山海协作结对县" in texts and not any("山区26县" in t for t in texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("山区海岛25县" in t for t in legend)
    en = build_theme(atlas_2024, "overview", "en")
    assert en.title == "Zhejiang's 25 mountain and island counties and their partner counties"
    # no heading repeats one of its own items, no entry twice
    for theme in THEMES:
        for lang in ("zh", "en"):
            th = build_theme(atlas_2024, theme, lang, detail=False)
            _, labels = legend_entries([ly for ly in th.layers if ly.show])
            assert len(labels) == len(set(labels)), (theme, lang, labels)


def test_arrowheads_and_source_line(static_map):
    from matplotlib.patches import FancyArrowPatch

    for size in ("half", "a4"):
        fig = static_map("pairing", size)
        arrows = [p for p in fig.map_frame.patches if isinstance(p, FancyArrowPatch)]
        assert len(arrows) == 34
        assert min(a.get_arrowstyle().head_length for a in arrows) >= 3.2  # points, at 8 cm too
        texts = "".join(t.get_text() for t in fig.texts)
        # the printed source line speaks to its readers, not to command-line users
        assert "边界非标准地图，正式出版须使用经审核的官方边界。" in texts and "--boundaries" not in texts


def test_svg_under_one_megabyte(static_map, tmp_path):
    for theme in THEMES:
        path = save_static(static_map(theme, "a4"), tmp_path / f"{theme}.svg")
        assert path.stat().st_size <= 1_000_000, (theme, path.stat().st_size)
    svg = (tmp_path / "pairing.svg").read_text(encoding="utf-8")
    assert "scale(0.015625)" in svg  # glyph transforms keep their precision


@pytest.mark.parametrize("size, width_px", [("a4", 1890), ("half", 945), ("slide", 4000)])
def test_size_presets_at_300_dpi(static_map, tmp_path, size, width_px):
    png = save_static(static_map("overview", size), tmp_path / f"{size}.png", dpi=300)
    w, h = Image.open(png).size
    assert abs(w - width_px) <= 2
    if size == "slide":
        assert abs(w / h - 16 / 9) < 0.01


def test_bad_options(atlas):
    import geo

    with pytest.raises(geo.RenderError, match="unknown size"):
        render_static(atlas, "overview", size="a3")
    with pytest.raises(geo.RenderError, match="goes with the status"):
        render_static(atlas, "overview", facet="designation")
    with pytest.raises(geo.RenderError, match="static map"):
        render_static(atlas, "atlas")


def test_cli_map_all_formats(tmp_path):
    for fmt in FORMATS:
        out = tmp_path / f"pairing.{fmt}"
        r = run_cli("map", "pairing", "--format", fmt, "--size", "half", "--dpi", "100", "-o", out)
        assert r.returncode == 0, r.stderr
        assert "findfont" not in r.stderr and "Warning" not in r.stderr, r.stderr  # no font fallback
        assert out.stat().st_size > 10_000
    r = run_cli("map", "status", "--facet", "designation", "-o", tmp_path / "facets.png", "--dpi", "80")
    assert r.returncode == 0, r.stderr
    r = run_cli("map", "status", "--facet", "designation", "--format", "html", "-o", tmp_path / "x.html")
    assert r.returncode == 2 and "--facet" in r.stderr
    r = run_cli("map", "atlas", "-o", tmp_path / "atlas.png")
    assert r.returncode == 2 and "HTML page" in r.stderr and "Traceback" not in r.stderr


def test_cli_map_html_and_build(tmp_path, built):
    r = run_cli("map", "overview", "-o", tmp_path / "o.html", "--lang", "en")
    assert r.returncode == 0 and "Jingning" in (tmp_path / "o.html").read_text(encoding="utf-8")
    # `shanhai build --format html --format png --dpi 150`, once per run (tests/conftest.py)
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(
        ["atlas.gpkg", "atlas.html"] + [f"{t}.{f}" for t in (*THEMES, "change") for f in ("html", "png")]
    )
    assert not [p for p in built.iterdir() if p.name.startswith(".")]
    with Image.open(built / "pairing.png") as im:
        assert im.info["dpi"][0] == pytest.approx(150, abs=0.5)


def test_build_names_each_file_in_its_language(tmp_path, monkeypatch):
    # `shanhai build --lang en`: every map and product says its language in its name, so an
    # English build lands beside the Chinese one; the GeoPackage holds both languages, one
    # name (the drawing is the maps' tests'; stubbed here)
    import geo.commands.maps
    import geo.export
    import geo.products.book
    import geo.products.site

    def touch(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(b"")
        return Path(path)

    langs = []
    monkeypatch.setattr(
        geo.commands.maps, "render_one", lambda a, t, f, path, args, **kw: langs.append(args.lang) or touch(path)
    )
    monkeypatch.setattr(geo.export, "export_gpkg", lambda a, path, **kw: touch(path))
    monkeypatch.setattr(geo.products.book, "build_book", lambda a, path, **kw: {"path": touch(path)})
    monkeypatch.setattr(
        geo.products.site, "build_site", lambda a, path, **kw: {"files": [touch(Path(path) / "index.html")]}
    )
    for lang, suffix in (("en", "-en"), ("zh", "")):
        out = tmp_path / lang
        flags = "--format png --format html --products --jobs 1 --quiet".split()
        r = run_cli("build", "-o", out, "--lang", lang, *flags)
        assert r.returncode == 0, r.stderr
        maps = [f"{t}{suffix}.{f}" for t in (*THEMES, "change") for f in ("png", "html")]
        assert sorted(p.name for p in out.iterdir()) == sorted(
            [*maps, f"atlas{suffix}.html", f"book{suffix}.pdf", f"site{suffix}", "atlas.gpkg"]
        )
    assert set(langs) == {"en", "zh"} and langs.count("en") == langs.count("zh")


def test_choropleth_of_any_polygons(boundaries):
    from geo.static import choropleth_static

    g = boundaries.assign(area=boundaries.to_crs("EPSG:4549").area / 1e6)
    fig = choropleth_static(g, "area", title="面积", size="half")
    assert fig.texts[0].get_text() == "面积" and len(fig.axes[0].collections) == 1


def test_wrap_text_keeps_brackets_and_punctuation_with_their_words():
    from geo.static import wrap_text

    for width in range(40, 140, 5):  # wherever the break falls
        lines = wrap_text("1,285 – 7,066 人/km²（17）；政策条款（经山区26县），第7条。", width, 8)
        assert "".join(lines).replace(" ", "") == "1,285–7,066人/km²（17）；政策条款（经山区26县），第7条。"
        assert not any(ln[0] in "）；，。" for ln in lines), (width, lines)
        assert not any(ln[-1] == "（" for ln in lines), (width, lines)


# ---------------------------------------------------------------------------------------
# the author's own size and words
# ---------------------------------------------------------------------------------------

#: (width, height) in cm: a Word column, a narrow column (half-page layout), a short wide page
CUSTOM = [(14.5, None), (10.0, None), (20.0, 10.0)]


@pytest.fixture(scope="module")
def custom_map(static_map):
    def get(theme, width, height=None):
        return static_map(theme, "a4", "zh", width, height)

    return get


@pytest.mark.parametrize("width, height", CUSTOM)
def test_custom_sizes_keep_labels_apart_and_land_clear(custom_map, land, width, height):
    for theme in ("overview", "pairing", "status"):
        fig = custom_map(theme, width, height)
        w, h = fig.get_size_inches() * 2.54
        assert abs(w - width) < 0.01 and (height is None or abs(h - height) < 0.01)
        if theme != "status":
            assert fig.map_labels and label_overlaps(fig.map_labels, fig) == 0, theme
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        ax = fig.map_frame
        legend = (ax.get_legend() or fig.legends[0]).get_window_extent(r)
        if width < 11:  # the half-page layout: the legend below the frame
            assert fig.legends and legend.y1 <= ax.get_window_extent(r).y0 + 1, theme
        else:
            frame = ax.get_window_extent(r)
            assert frame.contains(legend.x0, legend.y0) and frame.contains(legend.x1, legend.y1), theme
            assert _data_box(ax, legend).intersection(land).area == 0, theme
        assert _data_box(ax, fig.map_inset.get_window_extent(r)).intersection(land).area == 0, theme
        from .conftest import off_page

        assert off_page(fig) == [], theme


def test_text_scales_with_the_width(custom_map, static_map):
    def title_size(fig):
        return max(t.get_fontsize() for t in fig.texts)

    sizes = [title_size(static_map("overview", "half")), title_size(custom_map("overview", 10.0)),
             title_size(custom_map("overview", 14.5)), title_size(static_map("overview", "a4"))]  # fmt: skip
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_authors_title_subtitle_and_note(atlas):
    fig = render_static(atlas, "pairing", size="half", title="图：结对", subtitle="副标题一行", note="注：示意图。")
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "图：结对" and "副标题一行" in texts and "山海协作结对关系" not in texts
    y = {t.get_text()[:2]: t.get_position()[1] for t in fig.texts}
    assert y["数据"] < y["注："] < fig.map_frame.get_position().y0  # the note sits above the source line
    bare = render_static(atlas, "pairing", size="half", title="", subtitle="")
    top = 1 - bare.map_frame.get_position().y1
    assert top < 0.02 and not any("结对关系" in t.get_text() for t in bare.texts)  # no title block
    assert "数据" in " ".join(t.get_text() for t in bare.texts)  # the source line stays


def test_bad_sizes_say_what_to_give(atlas):
    import geo

    with pytest.raises(geo.RenderError, match="between 5 and 60"):
        render_static(atlas, "overview", width_cm=2)
    with pytest.raises(geo.RenderError, match="no room for the map"):
        render_static(atlas, "overview", height_cm=4.5, note="\n".join(["一行说明"] * 40), size="half")


def test_cli_authors_figure(tmp_path):
    out = tmp_path / "o.png"
    r = run_cli(
        "map", "overview", "--width", "14.5", "--mono", "--title", "图1", "--note", "注", "--dpi", "60", "-o", out
    )
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.mode == "L" and abs(im.size[0] - 14.5 / 2.54 * 60) <= 2
        # the grey PNG keeps its resolution: Word inserts it 14.5 cm wide, as the colour one
        assert abs(im.info["dpi"][0] - 60) < 0.05 and abs(im.size[0] / im.info["dpi"][0] * 2.54 - 14.5) < 0.05
    r = run_cli("map", "overview", "--no-title", "--title", "x", "-o", tmp_path / "x.png")
    assert r.returncode == 2 and "--no-title" in r.stderr
    r = run_cli("map", "overview", "--width", "14.5", "-o", tmp_path / "x.html")
    assert r.returncode == 2 and "static maps" in r.stderr


def test_charts_take_the_authors_words_size_and_mono(atlas):
    import numpy as np

    import geo
    from geo.static import render_gaps, render_timeline

    fig = render_timeline(atlas, "景宁", width_cm=14.5, title="", subtitle="副标题", note="注：时间线", mono=True)
    texts = [t.get_text() for t in fig.texts]
    key, words = texts[:-2], texts[-2:]
    assert words == ["副标题", "注：时间线"]  # no title: the document captions it
    assert key and key[0].startswith("1\u00a0结对 海盐县") and "…" not in "".join(key)  # the strip's key, whole
    assert abs(fig.get_figwidth() * 2.54 - 14.5) < 0.01
    fig.set_dpi(40)
    fig.canvas.draw()
    px = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    assert (px[..., 0] == px[..., 2]).all()  # grey
    gaps = geo.pair_gaps(atlas, geo.load_indicator(atlas, "density"))
    fig = render_gaps(gaps, width_cm=12, title="我的比较", note="注", mono=True)
    assert [t.get_text() for t in fig.texts][-2:] == ["我的比较", "注"] or "我的比较" in [
        t.get_text() for t in fig.texts
    ]
    assert abs(fig.get_figwidth() * 2.54 - 12) < 0.01


def test_profile_takes_the_authors_words(atlas):
    from geo.products.profile import render_profile

    fig = render_profile(atlas, "景宁", title="附图1 景宁", subtitle="", note="注：供报告使用。")
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "附图1 景宁" and "Jingning" not in texts and "注：供报告使用。" in texts
    assert not any(t.startswith("所属设区市") for t in texts)


def test_written_out_projections_are_the_ones_proj_picks():
    # the map's and the area's operations are kept as PROJ pipelines (no proj.db search at a
    # cold start): they must stay what PROJ itself would choose
    from pyproj import Transformer

    from geo.measures import EQUAL_AREA, EQUAL_AREA_PIPELINE
    from geo.static.figure import CRS, PIPELINE

    for target, pipeline in ((CRS, PIPELINE), (EQUAL_AREA, EQUAL_AREA_PIPELINE)):
        chosen = Transformer.from_crs("EPSG:4326", target, always_xy=True).definition
        assert pipeline.replace("+", "").split() == chosen.split()


# ---------------------------------------------------------------------------------------
# at print size: the PDFs read back (pdftotext -bbox and the page's drawing)
# ---------------------------------------------------------------------------------------

ALL_THEMES = ["overview", "pairing", "policy", "status", "change", "indicator"]
#: (theme, size, lang, width in cm): every theme in both languages at A4, and for a few the
#: slide, the half page and the author's own widths (a Word column, a narrow 6 cm one)
PRINTED = [
    *((t, "a4", lang, None) for t in ALL_THEMES for lang in ("zh", "en")),
    ("change", "slide", "zh", None),
    ("pairing", "slide", "en", None),
    ("pairing", "half", "en", None),
    ("overview", "half", "zh", None),
    ("pairing", "a4", "zh", 14.5),
    ("status", "a4", "zh", 6.0),
]


def _printed_id(key):
    theme, size, lang, width = key
    return f"{theme}-{lang}-{f'{width:g}cm' if width else size}"


@pytest.fixture(scope="module")
def printed(static_map, tmp_path_factory):
    """{key: (figure, its PDF's words, its PDF's runs of text)} of every render of
    :data:`PRINTED`, each saved once as a PDF of its words (the geometry hidden)."""
    from .conftest import geometry_hidden
    from .pdfwords import runs, words

    folder = tmp_path_factory.mktemp("printed")
    out = {}
    for key in PRINTED:
        theme, size, lang, width = key
        fig = static_map(theme, size, lang, width)
        path = folder / f"{_printed_id(key)}.pdf"
        with geometry_hidden([fig]):
            save_static(fig, path)
        out[key] = (fig, words(path), runs(path))
    return out


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("key", PRINTED, ids=_printed_id)
def test_printed_map_fits_its_page(printed, key):
    from .pdfwords import below, cut, off_page

    fig, found, drawn = printed[key]
    assert found and drawn
    assert off_page(found) == [], [str(w) for w in off_page(found)][:5]  # the legend's heading too
    assert cut(found) == [], [str(w) for w in cut(found)][:5]
    assert below(drawn) == [], [str(r) for r in below(drawn)][:5]  # nothing under 6 pt at the size it is made
    # labels keep a gap of 0.3 em side by side: English names never run together
    assert fig.map_labels and label_overlaps(fig.map_labels, fig, gap_em=0.3) == 0
    # the legend in its room: on the sea inside the frame under the locator, or in the band
    # below the frame, over no line of the title block or the foot
    r = fig.canvas.get_renderer()
    frame, inset = fig.map_frame.get_window_extent(r), fig.map_inset.get_window_extent(r)
    legend = (fig.map_frame.get_legend() or fig.legends[0]).get_window_extent(r)
    if fig.legends:
        assert legend.y1 <= frame.y0 + 1 and fig.bbox.contains(legend.x0, legend.y0), key
    else:
        assert frame.contains(legend.x0, legend.y0) and frame.contains(legend.x1, legend.y1), key
        assert legend.y1 <= inset.y0, key
    assert not [t.get_text() for t in fig.texts if t.get_window_extent(r).overlaps(legend)], key


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_static_maps_speak_one_language(printed, lang):
    # the language audit of tests/language.py (tests/test_a11y.py has the theme pages'), on the
    # words the print checks read from the A4 maps' PDFs: they are the full PDFs'
    # (test_words_only_pdf_is_the_full_pdfs_words)
    from .language import audit

    for theme in ("overview", "pairing", "policy", "status", "change"):
        text = "\n".join(w.text for w in printed[theme, "a4", lang, None][1])
        audit(text, lang, f"{theme}.pdf ({lang})")


def test_words_only_pdf_is_the_full_pdfs_words(printed, static_map, tmp_path):
    from .pdfwords import words

    full = save_static(static_map("pairing", "a4", "en"), tmp_path / "full.pdf")
    assert [str(w) for w in words(full)] == [str(w) for w in printed["pairing", "a4", "en", None][1]]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_english_breaks_only_at_spaces_and_hyphens(printed, atlas):
    import geo
    from geo.geometry import simplified
    from geo.static import legend_entries
    from geo.themes import build_theme

    from .pdfwords import lines

    # the docs' front page: the legend's words whole, as in the issue's "high/med ium confiden ce"
    pairing = {w.text for w in lines(printed["pairing", "a4", "en", None][1])}
    assert {"high/medium", "confidence", "Zhejiang's", "(solid)", "(dashed)"} <= pairing
    # every word of an English map is a word of its theme's text (or a hyphenated word's part)
    simple = simplified(atlas, 0.01)
    furniture = {"N", "km", "AH", "FJ", "JS", "JX", "SH", "ZJ"}
    tokens = {}
    for key, (_, found, _) in printed.items():
        theme, _, lang, _ = key
        if lang != "en" or theme == "policy":  # (policy's theme takes seconds to build; its words are few)
            continue
        if theme not in tokens:
            data = {"data": geo.load_indicator(atlas, "population_change", lang="en")} if theme == "indicator" else {}
            th = build_theme(simple, theme, "en", detail=False, **data)
            texts = [th.title, th.subtitle, th.source, *legend_entries([ly for ly in th.layers if ly.show])[1]]
            texts += [*th.labels["full"], *th.labels["text"]]
            tokens[theme] = {
                p for s in texts for w in s.split() for p in (w, *re.split(r"(?<=[A-Za-z][-–])(?=[A-Za-z])", w))
            }
        odd = sorted({w.text for w in lines(found)} - tokens[theme] - furniture)
        assert [w for w in odd if not w.isdigit()] == [], (key, odd[:10])


def test_wrap_breaks_english_at_spaces_and_hyphens_only():
    from geo.static import text_width, wrap_text

    text_ = (
        "Common Prosperity Demonstration Zone first-batch pilot: narrowing the urban–rural gap; high/medium "
        "confidence (solid); Zhejiang's 26 mountain counties (2021-05-06)"
    )
    words = text_.split()
    for width in range(30, 400, 7):
        lines = wrap_text(text_, width, 7)
        pieces = [p for ln in lines for p in ln.split()]
        # each line ends at a space or after a hyphen (or a dash between names): joined again,
        # the text comes back
        assert "".join(lines).replace(" ", "") == text_.replace(" ", "")
        assert all(p in words or p[-1] in "-–" or any(w.endswith(p) and w[-len(p) - 1] in "-–" for w in words)
                   for p in pieces), (width, lines)  # fmt: skip
        # a line is wider than the column only when it is one unbreakable word
        assert all(text_width(ln, 7) <= width or " " not in ln for ln in lines), (width, lines)


def test_png_keeps_its_resolution_in_colour_and_grey(static_map, tmp_path):
    import io

    from geo.static import figure_png

    fig = static_map("pairing", "a4", "zh", 14.5)
    try:
        for mono in (False, True):
            fig.mono = mono  # the saver writes a mono figure's PNG as 8-bit grey
            path = save_static(fig, tmp_path / f"m{mono}.png", dpi=100)
            with Image.open(path) as im:
                assert im.mode == ("L" if mono else "RGBA")
                dpi = im.info["dpi"]  # the pHYs chunk: pixels per metre, 100 dpi to 0.02
                # Word places a picture at pixels / dpi: 14.5 cm wide
                assert abs(dpi[0] - 100) < 0.05 and abs(im.size[0] / dpi[0] * 2.54 - 14.5) < 0.03, (mono, dpi)
        # what the report and the deck insert: the grey one, its dpi kept too
        with Image.open(io.BytesIO(figure_png(fig, dpi=100))) as im:
            assert im.mode == "L" and abs(im.info["dpi"][0] - 100) < 0.05
    finally:
        fig.mono = False


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (make test installs it)")
def test_pdf_text_sizes_are_read_from_the_drawing(tmp_path):
    # the helper the print tests lean on, calibrated against real 6 pt text: pdftotext's
    # boxes of matplotlib's Type 3 fonts are 2 to 3 times the size and vary by glyph set,
    # the drawing's sizes are exact; and a word split at its ligature reads whole again
    from geo.static import font_context, new_figure

    from .pdfwords import below, lines, runs, too_small, words

    with font_context(8):
        fig = new_figure(4, 1)
        fig.text(0.02, 0.6, "confidence 2–3", fontsize=6.0)
        fig.text(0.5, 0.6, "浙江省", fontsize=6.0)
        fig.text(0.02, 0.2, "Zhejiang", fontsize=5.9)
        fig.text(0.5, 0.2, "丽水市", fontsize=5.9, rotation=30)
    path = save_static(fig, tmp_path / "sizes.pdf")
    drawn = runs(path)  # a line may be drawn in several runs (a ligature, a dash: another font subset)
    assert {round(r.size, 6) for r in drawn} == {5.9, 6.0}  # the rotated one too
    assert {round(r.size, 6) for r in below(drawn)} == {5.9} and len(below(drawn)) >= 2
    found = words(path)
    assert {"confidence", "2–3"} <= {w.text for w in lines(found)}
    assert too_small(found) == []  # boxes of 5.9 pt text look big enough: why runs() exists


def test_text_width_does_not_follow_the_renderers_font_size():
    """The faces text_width reads are the ones matplotlib draws with, and it sets its own size
    on them: a width measured after a page was drawn at another size and dpi is the same."""
    import matplotlib.pyplot as plt

    from geo.static import text_width
    from geo.static import wrap as wrap_module

    wrap_module._advance.cache_clear()
    before = text_width("Qianjiangyuan 钱江源", 10)
    wrap_module._advance.cache_clear()
    fig = plt.figure(dpi=300)
    fig.text(0.1, 0.5, "Qianjiangyuan 钱江源", fontsize=5, family="Noto Sans CJK SC")
    fig.text(0.1, 0.2, "Qianjiangyuan", fontsize=5, family="DejaVu Sans")
    fig.canvas.draw()  # the renderer sets the shared faces to 5 pt at 300 dpi
    plt.close(fig)
    assert text_width("Qianjiangyuan 钱江源", 10) == pytest.approx(before, rel=1e-9)
