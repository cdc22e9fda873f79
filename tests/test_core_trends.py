"""geo.trends: β-convergence against the textbook formulas, and trend() on a synthetic atlas
(five units, two of them in the edition, three pairings)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geo.errors import GeoError
from geo.measures import Indicator, make_series
from geo.trends import Trend, beta_convergence, beta_sentence, trend

from .synthetic import registry


def _ols(first, last, years):
    """Least squares by hand: slope, intercept, standard error, r², p."""
    x = np.log(first)
    g = np.log(np.asarray(last) / np.asarray(first)) / years
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (g - g.mean())).sum() / sxx
    intercept = g.mean() - slope * x.mean()
    resid = g - (intercept + slope * x)
    se = math.sqrt((resid**2).sum() / (len(x) - 2) / sxx)
    r2 = 1 - (resid**2).sum() / ((g - g.mean()) ** 2).sum()
    p = 2 * stats.t.sf(abs(slope / se), len(x) - 2)
    return slope, intercept, se, r2, p


@pytest.mark.parametrize(
    "first, last, years",
    [([1.0, 2.0, 4.0], [2.0, 3.0, 5.0], 10), ([10.0, 20.0, 30.0, 45.0], [30.0, 41.0, 50.0, 60.0], 5)],
)
def test_beta_convergence_is_the_least_squares_fit(first, last, years):
    slope, intercept, se, r2, p = _ols(np.array(first), np.array(last), years)
    t = stats.t.ppf(0.975, len(first) - 2)
    b = beta_convergence(np.array(first), np.array(last), years)
    assert b == {
        "slope": pytest.approx(slope, rel=1e-9),
        "ci_low": pytest.approx(slope - t * se, rel=1e-9),
        "ci_high": pytest.approx(slope + t * se, rel=1e-9),
        "intercept": pytest.approx(intercept, rel=1e-9),
        "r2": pytest.approx(r2, rel=1e-9),
        "p": pytest.approx(p, rel=1e-6),
        "n": len(first),
    }
    assert isinstance(b["slope"], float) and isinstance(b["n"], int)


@pytest.mark.parametrize(
    "first, last, years, why",
    [
        ([1.0, 0.0, 2.0], [1.0, 2.0, 3.0], 5, "nonpositive"),
        ([1.0, 2.0, 3.0], [1.0, -2.0, 3.0], 5, "nonpositive"),
        ([1.0, 2.0], [2.0, 3.0], 5, "few"),
        ([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], 0, "few"),
        ([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], -1, "few"),
    ],
)
def test_beta_convergence_cannot_be_fitted(first, last, years, why):
    assert beta_convergence(first, last, years) == {"slope": None, "why": why, "n": len(first)}


def _trend(**kw):
    return Trend(pd.DataFrame({"year": [2010, 2015, 2020]}), {}, pd.DataFrame(), "x", "", "", "E1", **kw)


def test_beta_sentence_in_both_languages():
    tr = _trend()
    tr.beta = {"slope": -0.0339, "ci_low": -0.0897, "ci_high": 0.0219, "n": 3, "first": 2010, "last": 2020}
    assert beta_sentence(tr, "en") == (
        "β-convergence: slope of the annual growth rate 2010–2020 on the initial level (log) -0.0339 (95% confidence "
        "interval -0.0897 to +0.0219, 3 counties)"
    )
    assert "斜率为-0.0339（95%置信区间-0.0897至+0.0219，3县）" in beta_sentence(tr)
    tr.beta = {"slope": 0.0, "ci_low": 0.00001, "ci_high": 0.5, "n": 3, "first": 2010, "last": 2020}
    assert "(log) 0.0000 (95% confidence interval +0.0000 to +0.5000" in beta_sentence(tr, "en")
    tr.beta = {"slope": None, "why": "nonpositive", "n": 3}
    assert beta_sentence(tr, "en") == "β-convergence: not computed (values of zero or below have no logarithm)"
    tr.beta = {"slope": None, "n": 3}
    assert beta_sentence(tr, "en") == "β-convergence: not computed (fewer than 3 counties with values)"


def test_trend_properties_and_plain_data():
    tr = _trend(left_out=["山县"])
    tr.by_year["ratio"] = [1.0, np.float64(np.nan), 2.0]
    tr.beta = {"slope": np.float64(-0.5), "n": 3}
    assert (tr.first, tr.last) == (2010, 2020)
    d = tr.to_dict()
    assert d["by_year"] == [{"year": 2010, "ratio": 1.0}, {"year": 2015, "ratio": None}, {"year": 2020, "ratio": 2.0}]
    assert d["beta"] == {"slope": -0.5, "n": 3} and type(d["beta"]["slope"]) is float
    assert (d["label"], d["unit"], d["source"], d["edition"], d["pairs"], d["left_out"]) == (
        "x", "", "", "E1", [], ["山县"])  # fmt: skip


def _atlas():
    reg = registry()
    links = pd.DataFrame(
        {
            "mountain_code": ["990102", "990103", "990103"],
            "mountain_county": ["山县", "水畲族自治县", "水畲族自治县"],
            "partner_code": ["990101", "990201", "990202"],
            "partner": ["东区", "东县", "新区"],
        }
    )
    counties = pd.DataFrame({"code": ["990101", "990102", "990103", "990201", "990202", "990999"]})
    return SimpleNamespace(registry=reg, edition=reg.editions["E1"], links=links, counties=counties)


#: GDP per head: the edition's 山县 and 水县 start lower and grow faster
TABLE = pd.DataFrame(
    {
        2010: [100.0, 40.0, 50.0, 90.0, 80.0],
        2015: [110.0, 60.0, 65.0, 95.0, np.nan],
        2020: [120.0, 80.0, 90.0, 100.0, 85.0],
    },
    index=["990101", "990102", "990103", "990201", "990202"],
)


def test_trend_year_by_year():
    tr = trend(_atlas(), make_series(TABLE, "人均GDP", "元", "f.csv"))
    assert (tr.label, tr.unit, tr.source, tr.edition) == ("人均GDP", "元", "f.csv", "E1")
    assert tr.left_out == ["新区"]  # no value in 2015: out of the balanced panel
    by = tr.by_year
    assert by["year"].tolist() == [2010, 2015, 2020]
    assert by["n_edition"].tolist() == [2, 2, 2] and by["n_rest"].tolist() == [2, 2, 2]
    assert by["mean_edition"].tolist() == [45.0, 62.5, 85.0]
    assert by["mean_rest"].tolist() == [95.0, 102.5, 110.0]
    assert by["ratio"].tolist() == pytest.approx([95 / 45, 102.5 / 62.5, 110 / 85])
    v2010 = np.array([100.0, 40.0, 50.0, 90.0])
    assert by["cv"].iloc[0] == pytest.approx(v2010.std() / v2010.mean())
    assert by["n_pairs"].tolist() == [2, 2, 2]  # 新区's pairing is left out with it
    assert by["pair_ratio"].tolist() == pytest.approx([(100 / 40 + 90 / 50) / 2, (110 / 60 + 95 / 65) / 2,
                                                       (120 / 80 + 100 / 90) / 2])  # fmt: skip
    b = tr.beta
    assert (b["first"], b["last"], b["n"]) == (2010, 2020, 4)
    assert b["slope"] == pytest.approx(_ols(v2010, np.array([120.0, 80.0, 100.0, 90.0])[[0, 1, 3, 2]], 10)[0])


def test_trend_pairs():
    tr = trend(_atlas(), make_series(TABLE, "人均GDP", "元", "f.csv"))
    p = tr.pairs
    assert list(p.columns) == ["mountain_code", "mountain_county", "partner_code", "partner", "ratio_first", "ratio_last",
                               "change", "closing"]  # fmt: skip
    assert p[["mountain_code", "partner_code"]].values.tolist() == [["990102", "990101"], ["990103", "990201"]]
    assert p["ratio_first"].tolist() == pytest.approx([2.5, 1.8])
    assert p["ratio_last"].tolist() == pytest.approx([1.5, 100 / 90])
    assert p["change"].tolist() == pytest.approx([-1.0, 100 / 90 - 1.8])
    assert p["closing"].tolist() == [True, True]
    assert p["mountain_county"].tolist() == ["山县", "水畲族自治县"] and p["partner"].tolist() == ["东区", "东县"]


def test_trend_pairs_sorted_by_the_last_ratio_and_parity():
    table = TABLE.copy()
    table.loc["990201", 2020] = 200.0  # 水县's partner pulls away
    table.loc["990202", 2015] = 1.0
    tr = trend(_atlas(), make_series(table, "x"))
    p = tr.pairs
    assert p["partner_code"].tolist() == ["990201", "990101", "990202"]  # the last ratio, largest first
    assert p["ratio_last"].tolist() == pytest.approx([200 / 90, 1.5, 85 / 90])
    assert p["closing"].tolist() == [False, True, True]  # 1.6 → 0.94: nearer parity from the other side
    assert tr.left_out == []
    # a ratio below parity that moves towards it closes too
    table = TABLE.copy()
    table.loc["990101"] = [20.0, 30.0, 60.0]
    tr = trend(_atlas(), make_series(table, "x"))
    assert tr.pairs.set_index("partner_code").loc["990101", "closing"] == np.True_


def test_trend_ties_and_zeros():
    table = TABLE.copy()
    table.loc["990102"] = [0.0, 10.0, 20.0]
    tr = trend(_atlas(), make_series(table, "x"))
    row = tr.pairs.set_index("mountain_code").loc["990102"]
    assert math.isnan(row["ratio_first"]) and row["closing"] is None
    assert tr.beta["slope"] is None and tr.beta["why"] == "nonpositive"
    same = TABLE.copy()
    same[2020] = same[2010]
    tr = trend(_atlas(), make_series(same, "x"))
    assert tr.pairs["ratio_last"].tolist() == pytest.approx([2.5, 1.8])  # the mountain code breaks the tie
    assert tr.pairs["closing"].tolist() == [False, False]  # no nearer parity: not closing


def test_trend_without_rest_or_pairs():
    atlas = _atlas()
    atlas.links = atlas.links.iloc[0:0]
    table = TABLE.loc[["990102", "990103"]]
    tr = trend(atlas, make_series(table, "x"))
    assert tr.by_year["n_rest"].tolist() == [0, 0, 0]
    assert all(math.isnan(v) for v in tr.by_year["mean_rest"]) and all(math.isnan(v) for v in tr.by_year["ratio"])
    assert tr.by_year["n_pairs"].tolist() == [0, 0, 0]
    assert all(math.isnan(v) for v in tr.by_year["pair_ratio"])
    assert tr.pairs.empty and list(tr.pairs.columns)[-1] == "closing"
    tr = trend(_atlas(), make_series(TABLE.loc[["990101", "990201"]], "x"))
    assert tr.by_year["n_edition"].tolist() == [0, 0, 0] and all(math.isnan(v) for v in tr.by_year["mean_edition"])
    assert all(math.isnan(v) for v in tr.by_year["ratio"])
    zero = TABLE.copy()
    zero[2010] = [0.0, 0.0, 0.0, 0.0, 0.0]
    tr = trend(_atlas(), make_series(zero, "x"))
    assert math.isnan(tr.by_year["cv"].iloc[0]) and math.isnan(tr.by_year["ratio"].iloc[0])


def test_trend_refuses():
    with pytest.raises(GeoError, match=r"^x: a trend needs an indicator over time \(two years or more\)"):
        trend(_atlas(), Indicator(TABLE[2010], "x"))
    with pytest.raises(GeoError, match=r"^x: a trend needs an indicator over time"):
        trend(_atlas(), make_series(TABLE[[2010]], "x"))
    gaps = TABLE.copy()
    gaps.iloc[:, 1] = np.nan
    gaps.iloc[0, 1] = 1.0
    gaps.iloc[0, 0] = np.nan
    with pytest.raises(GeoError, match=r"^x: no county has a value in every year \(2010–2020\)\.$"):
        trend(_atlas(), make_series(gaps, "x"))


def test_beta_convergence_bounds_and_inputs():
    assert beta_convergence([1.0, 2.0, 3.0], [1.0, 0.0, 3.0], 5)["why"] == "nonpositive"
    assert beta_convergence([1.0, 2.0, 3.0], [0.5, 0.6, 0.9], 1)["slope"] is not None  # below 1 is fine, one year too
    text = beta_convergence(["1", "2", "4"], ["2", "3", "5"], 10)
    assert text["slope"] == pytest.approx(beta_convergence([1.0, 2.0, 4.0], [2.0, 3.0, 5.0], 10)["slope"])


def test_trend_reads_the_indicator_it_is_given(monkeypatch):
    import geo.indicators

    seen = {}

    def fake(atlas, column, data, **kw):
        seen.update(atlas=atlas, column=column, data=data, kw=kw)
        return make_series(TABLE[[2010, 2020]], "x")

    monkeypatch.setattr(geo.indicators, "load_indicator", fake)
    atlas = _atlas()
    tr = trend(atlas, "f.csv", "人均GDP", additive=True)
    assert seen == {"atlas": atlas, "column": "人均GDP", "data": "f.csv", "kw": {"additive": True}}
    assert tr.by_year["year"].tolist() == [2010, 2020]  # two years are enough


def test_trend_refusal_message():
    with pytest.raises(GeoError) as exc:
        trend(_atlas(), Indicator(TABLE[2010], "x"))
    assert str(exc.value) == (
        "x: a trend needs an indicator over time (two years or more): a table with one column per year (2019, 2020 …) "
        "or a year column, or the built-in population."
    )


def test_trend_only_counts_the_atlas_counties_and_breaks_ties():
    table = TABLE.copy()
    table.loc["990777"] = [1000.0, 1000.0, 1000.0]  # not a county of the atlas
    table.loc["990201"] = [125.0, 150.0, 200.0]  # 水县's pair now as far apart as 山县's in the last year
    table.loc["990103"] = [50.0, 65.0, 80.0]
    tr = trend(_atlas(), make_series(table, "x"))
    assert tr.by_year["mean_rest"].iloc[0] == pytest.approx((100.0 + 125.0) / 2)
    assert tr.pairs["ratio_last"].tolist() == pytest.approx([2.5, 1.5])
    tie = table.copy()
    tie.loc["990201"] = [125.0, 150.0, 120.0]  # 120/80 = 1.5, as 山县's 120/80
    tr = trend(_atlas(), make_series(tie, "x"))
    assert tr.pairs["mountain_code"].tolist() == ["990102", "990103"] and tr.pairs.index.tolist() == [0, 1]


def test_trend_zero_means_and_values():
    table = TABLE.copy()
    table.loc[["990102", "990103"], 2010] = 0.0  # the edition's mean is zero
    table.loc[["990101", "990201", "990202"], 2015] = [1.0, -1.0, 0.0]
    table.loc[["990102", "990103"], 2015] = [1.0, -1.0]  # every county: a mean of zero
    tr = trend(_atlas(), make_series(table, "x"))
    assert math.isnan(tr.by_year["ratio"].iloc[0]) and math.isnan(tr.by_year["cv"].iloc[1])
    zero = TABLE.copy()
    zero.loc["990102", 2020] = 0.0  # a mountain county at zero in the last year
    zero.loc["990201", 2010] = 0.0  # a partner at zero in the first
    p = trend(_atlas(), make_series(zero, "x")).pairs.set_index("mountain_code")
    assert math.isnan(p.loc["990102", "ratio_last"]) and p.loc["990102", "closing"] is None
    assert p.loc["990103", "ratio_first"] == 0.0 and p.loc["990103", "closing"] is None
    last = TABLE.copy()
    last.loc["990201", 2020] = 0.0  # a partner at zero in the last year
    p = trend(_atlas(), make_series(last, "x")).pairs.set_index("mountain_code")
    assert p.loc["990103", "ratio_last"] == 0.0 and p.loc["990103", "closing"] is None
