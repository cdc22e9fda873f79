"""The join: counts, links, coverage and status attached to counties."""

import pytest

import geo

from .conftest import write_csv


def test_default_edition_counts(atlas):
    assert len(atlas.counties) == 90
    assert int(atlas.counties["member"].sum()) == 26
    assert atlas.edition.id == "2021"
    assert atlas.counties.crs.to_epsg() == 4326


def test_every_sourced_pairing_is_a_link(atlas):
    p = atlas.pairings
    sourced = p[p["in_edition"] & (p["partner"] != "")]
    assert len(atlas.links) == len(sourced) == 34
    assert set(zip(atlas.links["mountain_code"], atlas.links["partner"], strict=True)) == set(
        zip(sourced["mountain_code"], sourced["partner"], strict=True)
    )
    assert (atlas.links.geometry.geom_type == "LineString").all()
    assert atlas.links["distance_km"].between(10, 450).all()
    zones = atlas.links[atlas.links["partner_located"] == "city"]
    assert set(zones["partner"]) == {"绍兴滨海新区", "嘉兴港区"}


def test_partner_columns(atlas):
    jn = atlas.county("景宁")
    assert jn["partners"] == "海盐县、上虞区" and jn["n_partners"] == 2
    assert set(atlas.members[atlas.members["pairing_status"] == "no sourced partner"]["name"]) == {
        "永嘉县",
        "三门县",
        "天台县",
    }
    assert atlas.county("海盐")["is_partner"] and atlas.county("海盐")["partner_of"] == "景宁畲族自治县"


def test_coverage_counts(atlas):
    # 20 of seed 001's clauses target all 26; clause 8 also names 景宁, 13 names 云和 and 景宁, 23 云和
    yunhe = atlas.county("云和")
    assert yunhe["n_clauses_named"] == 2
    generic = atlas.county("永嘉")  # named by no clause: 20 (seed 001) + 2 (seed 000 edition items)
    assert generic["n_clauses"] == 22 and generic["n_clauses_named"] == 0
    assert atlas.county("西湖区")["n_clauses"] == 1  # seed 004 clause 13 via 杭州市
    assert atlas.county("上城区")["n_clauses"] == 1


def test_status_attached(atlas):
    assert "钱江源—百山祖国家公园" in atlas.county("庆元")["statuses"]
    assert "(拟命名)" in atlas.county("天台")["statuses"]
    # a target is not an achieved status
    assert "省级生态文明建设示范县(区)" not in atlas.county("平阳")["statuses"]
    via_city = atlas.status[(atlas.status["county_code"] == "331127") & (atlas.status["via"] == "丽水市")]
    assert not via_city.empty


def test_edition_2024(atlas_2024):
    assert int(atlas_2024.counties["member"].sum()) == 25
    assert atlas_2024.county("洞头")["partners"] == "余杭区"
    assert atlas_2024.county("嵊泗")["pairing_status"] == "no sourced partner"
    assert not atlas_2024.county("平阳")["member"]


def test_user_pairings_replace_embedded(tmp_path):
    f = write_csv(
        tmp_path / "p.csv",
        ["山区县", "结对县", "来源", "可信度"],
        [["景宁", "海盐", "x", "high"], ["龙泉", "秀洲", "x", "low"]],
    )
    a = geo.load_atlas(pairings=f)
    assert len(a.links) == 2
    [w] = [p for p in a.problems if "the file replaces the built-in pairings" in p.what]
    assert "24 of the 26 counties of edition 2021 have no row" in w.what and "`merge=True`" in w.fix


def test_bad_user_file_raises_with_every_problem(tmp_path):
    f = write_csv(tmp_path / "p.csv", ["山区县", "结对县", "来源"], [["景宁", "西糊区", "x"], ["火星", "海盐", "x"]])
    with pytest.raises(geo.DataLayerError) as exc:
        geo.load_atlas(pairings=f)
    assert (
        len(
            exc.value.errors
            if hasattr(exc.value, "errors")
            else [p for p in exc.value.problems if p.severity == "error"]
        )
        == 2
    )


def test_simplified_geometry_cache_on_disk(atlas, tmp_path, monkeypatch):
    import shapely

    from geo import geometry

    monkeypatch.setenv("SHANHAI_CACHE", str(tmp_path))
    geoms = atlas.counties.geometry.values[:10]
    geometry._SIMPLIFIED.clear()
    first = geometry.simplify_polygons(geoms, 0.003)
    files = list(tmp_path.glob("simplified-*.npz"))
    assert len(files) == 1
    geometry._SIMPLIFIED.clear()
    again = geometry.simplify_polygons(geoms, 0.003)  # read back from disk
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(first, again, strict=True))
    files[0].write_bytes(b"damaged")
    geometry._SIMPLIFIED.clear()
    assert len(geometry.simplify_polygons(geoms, 0.003)) == 10  # recomputed, not an error
    monkeypatch.setenv("SHANHAI_CACHE", "off")
    assert geometry.cache_dir() is None


def test_city_borders_counted_from_shared_segments_are_the_overlays(atlas):
    import pandas as pd
    import shapely

    from geo.geometry import dissolve, group_borders
    from geo.themes import base

    c = atlas.counties

    def fast(counties):
        geoms = counties.geometry.values
        return group_borders(geoms, counties["city_code"].to_numpy(), dissolve(geoms).boundary)

    # clean coverages: the province, two neighbouring cities
    pair = c[c["city_code"].isin(["3304", "3301"])]
    for counties in (c, pair):
        got = fast(counties)
        assert got is not None and got.length > 0
        assert shapely.normalize(got).equals_exact(shapely.normalize(base.overlay_city_borders(counties)), 0)

    # not clean, so no answer and the overlay instead: a county moved by a hair (gaps and
    # overlaps), one simplified on its own, a county held twice, a shape that is no polygon,
    # cities that do not meet
    def one_changed(i, geom):
        geoms = pair.geometry.values.copy()
        geoms[i] = geom
        return pair.set_geometry(geoms)

    first = pair.geometry.values[0]
    moved = one_changed(0, shapely.transform(first, lambda xy: xy + 1e-7))
    thin = one_changed(0, shapely.simplify(first, 0.01))
    point = one_changed(0, first.centroid)
    twice = pd.concat([pair, pair.iloc[[0]]])
    apart = c[c["city_code"].isin(["3301", "3311"])]
    for counties in (moved, thin, twice, point, apart):
        assert fast(counties) is None
    base._BORDERS.clear()
    assert shapely.normalize(base.city_borders(moved)).equals_exact(
        shapely.normalize(base.overlay_city_borders(moved)), 0
    )
    assert base.city_borders(c).equals_exact(fast(c), 0)  # clean: counted, not overlaid


def test_city_borders_of_a_users_file_leave_the_coast_and_the_province_border_out(atlas):
    # every county of the province redrawn to 1/2000 of a degree (50 m): a user's file that
    # is no clean coverage. The borders between its cities stay off the province's outline
    # but for their ends; an outline of the counties' own union once left a ninth of them
    # along the coast and the provincial border
    import numpy as np
    import shapely

    from geo.geometry import dissolve
    from geo.themes import base

    c = atlas.counties
    rounded = c.set_geometry(shapely.transform(c.geometry.values, lambda xy: np.round(xy * 2000) / 2000))
    base._BORDERS.clear()
    borders = base.city_borders(rounded)
    outline = dissolve(c.geometry.values).boundary.buffer(1e-3)  # 100 m either side of the true one
    assert borders.length > 20 and borders.intersection(outline).length < 0.005 * borders.length


def test_embedded_atlas_is_read_once_and_each_caller_owns_its_copy(monkeypatch):
    import geo.atlas
    from geo.catalog import messages_in

    a, b = geo.load_atlas(), geo.load_atlas()
    assert a is not b and a.counties is not b.counties and a.cache is not b.cache
    assert a.registry is b.registry and a.edition is b.edition is a.registry.edition("2021")
    a.counties["planner"] = 1
    a.links.loc[:, "partner"] = "planner's"  # written in place: a shared frame would show it
    c = geo.load_atlas()
    assert "planner" not in c.counties and len(c.links) == 34 and "planner's" not in set(c.links["partner"])
    # its notes are written at loading: the other language is loaded again, not copied
    with messages_in("zh"):
        assert "未连线" in geo.load_atlas().problems[0].what
    assert "not linked" in geo.load_atlas().problems[0].what

    def read_again(*args, **kw):
        raise AssertionError("the embedded layers were read again")

    monkeypatch.setattr(geo.atlas, "load_layers", read_again)
    assert len(geo.load_atlas().counties) == 90


def test_embedded_atlas_is_read_again_when_a_layer_file_changes(tmp_path, monkeypatch):
    import os

    import geo.atlas

    (tmp_path / "pairings.csv").write_text("x", encoding="utf-8")
    monkeypatch.setattr(geo.atlas, "layers_dir", lambda: tmp_path)
    reg = geo.atlas.get_registry()
    before = geo.atlas._embedded_key(reg, reg.edition("2021"))
    os.utime(tmp_path / "pairings.csv", ns=(0, 10**9))
    assert geo.atlas._embedded_key(reg, reg.edition("2021")) != before
    assert geo.atlas._embedded_key(reg, reg.edition("2024")) != geo.atlas._embedded_key(reg, reg.edition("2021"))


def test_embedded_table_layers_are_read_once_beside_a_users_file(monkeypatch, tmp_path):
    import geo.atlas
    from geo.catalog import messages_in

    reg = geo.atlas.get_registry()
    first = geo.atlas.embedded_layer("status", reg)
    first.table.loc[:, "name"] = "mine"  # the caller's copy, written in place: the next is whole
    first.problems.append("mine")
    calls = []
    real = geo.atlas.READERS["status"]
    monkeypatch.setitem(geo.atlas.READERS, "status", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = geo.atlas.embedded_layer("status", reg)
    assert calls == [] and "mine" not in set(again.table["name"]) and "mine" not in again.problems
    # a user's boundary file: the table layers are the ones already read
    boundaries = tmp_path / "b.gpkg"
    built_in = geo.load_atlas()
    built_in.counties[["code", "name", "geometry"]].to_file(boundaries)
    assert geo.load_atlas(boundaries=boundaries).status.equals(built_in.status) and calls == []
    # read again in the other language (its notes), for another registry, after a file changed
    with messages_in("zh" if geo.atlas.message_lang() == "en" else "en"):
        geo.atlas.embedded_layer("status", reg)
    assert len(calls) == 1
    other = geo.atlas.Registry()
    assert geo.atlas.embedded_layer("status", other).table.equals(again.table) and len(calls) == 2
    monkeypatch.setattr(geo.atlas, "_layers_stamp", lambda: ("changed",))
    geo.atlas.embedded_layer("status", other)
    assert len(calls) == 3


def test_popups_are_made_once_per_atlas_and_language():
    # every theme of a page, and every page of a site, reads the same popups (the cache key was
    # once overwritten inside the loop, and each theme made them again)
    import geo
    from geo.geometry import simplified
    from geo.themes.base import _popups  # noqa: PLC2701 - the popups are what a reader sees

    atlas = geo.load_atlas()  # a cache of its own
    first = _popups(atlas, "zh")
    assert _popups(atlas, "zh") is first
    assert _popups(simplified(atlas, 0.01), "zh") is first  # the shapes differ, the facts do not
    english = _popups(atlas, "en")
    assert english is not first and _popups(atlas, "en") is english
    assert set(atlas.cache) >= {("popups", "zh"), ("popups", "en")}
