"""Is the gap closing? An indicator over time summarised for the mountain counties and their
partners: year by year and over the whole period.

For each year (:func:`trend`):

- the mean of the edition's counties and of the rest of the province, and their ratio
  (rest ÷ edition: above 1 the mountain counties are behind, falling towards 1 the gap closes);
- the coefficient of variation across all counties (standard deviation ÷ mean: σ-convergence
  when it falls);
- the mean partner ÷ mountain-county ratio of the pairings with both values.

Over the period:

- β-convergence: each county's average annual growth, ln(x_last / x_first) / years, against
  its initial level ln(x_first), fitted by least squares; a negative slope (its 95% confidence
  interval below zero) says the counties that started lower grew faster;
- each pairing's ratio in the first and the last year.

Means are unweighted (each county counts once). The counties are those with a value in every
year (a balanced panel), so that a change of the mean is a change of the counties and not of
which counties report; those left out are listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import indicators  # its load_indicator looked up when called (tests stand in for it)
from .catalog import say
from .errors import GeoError
from .measures import Indicator
from .words import text

__all__ = ["Trend", "beta_convergence", "beta_sentence", "trend"]


@dataclass
class Trend:
    """What :func:`trend` found.

    ``by_year``: one row per year (``year``, ``n_edition``, ``mean_edition``, ``n_rest``,
    ``mean_rest``, ``ratio`` = mean_rest / mean_edition, ``cv``, ``n_pairs``,
    ``pair_ratio`` = the mean partner / mountain ratio); ``beta``: the β-convergence fit
    (``slope``, ``ci_low``, ``ci_high``, ``intercept``, ``r2``, ``p``, ``n``, ``first``,
    ``last``; ``slope`` None with ``why`` when it cannot be fitted); ``pairs``: one row per
    pairing with both values in both years (``mountain_county``, ``partner``, ``ratio_first``,
    ``ratio_last``, ``change``, ``closing``: nearer parity in the last year); ``left_out``: the
    counties with a value in some years but not in all.
    """

    by_year: pd.DataFrame
    beta: dict
    pairs: pd.DataFrame
    label: str
    unit: str
    source: str
    edition: str
    left_out: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return int(self.by_year["year"].iloc[0])

    @property
    def last(self) -> int:
        return int(self.by_year["year"].iloc[-1])

    def to_dict(self) -> dict:
        """Plain data (JSON-friendly): the years, β, the pairs, the counties left out."""

        def clean(v):
            if hasattr(v, "item"):
                v = v.item()
            return None if isinstance(v, float) and math.isnan(v) else v

        rows = lambda df: [{k: clean(v) for k, v in r.items()} for r in df.to_dict("records")]  # noqa: E731
        return {
            "label": self.label,
            "unit": self.unit,
            "source": self.source,
            "edition": self.edition,
            "by_year": rows(self.by_year),
            "beta": {k: clean(v) for k, v in self.beta.items()},
            "pairs": rows(self.pairs),
            "left_out": self.left_out,
        }


def beta_convergence(first: np.ndarray, last: np.ndarray, years: int) -> dict:
    """Least-squares slope of the annual growth ln(last / first) / ``years`` on ln(first),
    with its 95% confidence interval (Student's t, n − 2 degrees of freedom)."""
    from scipy import stats  # lazy: scipy, a second's import, for the convergence test alone

    first, last = np.asarray(first, float), np.asarray(last, float)
    if (first <= 0).any() or (last <= 0).any():
        return {"slope": None, "why": "nonpositive", "n": len(first)}
    if len(first) < 3 or years <= 0:
        return {"slope": None, "why": "few", "n": len(first)}
    x = np.log(first)
    g = np.log(last / first) / years
    fit = stats.linregress(x, g)
    t = stats.t.ppf(0.975, len(x) - 2)
    return {
        "slope": float(fit.slope),
        "ci_low": float(fit.slope - t * fit.stderr),
        "ci_high": float(fit.slope + t * fit.stderr),
        "intercept": float(fit.intercept),
        "r2": float(fit.rvalue**2),
        "p": float(fit.pvalue),
        "n": len(x),
    }


def _signed(x: float) -> str:
    return f"{x:+.4f}" if x > 0 else f"{x:.4f}"


def beta_sentence(tr: Trend, lang: str = "zh") -> str:
    """β-convergence of ``tr`` in a sentence of the reader's language."""

    b = tr.beta
    if b.get("slope") is None:
        return text("trend_beta_none", lang, why=text("trend_why_" + b.get("why", "few"), lang))
    return text("trend_beta", lang, first=b["first"], last=b["last"], slope=_signed(b["slope"]),
                lo=_signed(b["ci_low"]), hi=_signed(b["ci_high"]), n=b["n"])  # fmt: skip


def trend(atlas, data=None, column: str | None = None, **kwargs) -> Trend:
    """Is the gap closing? The mountain counties against the rest of the province and
    against their partners, year by year and over the period (see the module docstring).

    Parameters
    ----------
    atlas : Atlas
        Gives the edition (whose counties are "the mountain counties") and the pairings.
    data : IndicatorSeries, path or None
        An indicator over time, a file holding one (read with ``column``), or None for a
        built-in ``column`` (``population``: the 2010 and 2020 censuses).
    column : str, optional
        The indicator's name in the file, or the built-in one.
    **kwargs
        Reading options of :func:`geo.indicators.load_indicator`.

    Returns
    -------
    Trend

    Raises
    ------
    GeoError
        The indicator has fewer than two years, or no county has a value in every year.

    Examples
    --------
    >>> t = geo.trend(atlas, column="population")          # doctest: +SKIP
    >>> t.by_year[["year", "ratio", "cv"]]                  # doctest: +SKIP
    """
    ind = data if isinstance(data, Indicator) else indicators.load_indicator(atlas, column, data, **kwargs)
    if len(ind.years) < 2:
        raise GeoError(say("trends.needs_years", label=ind.label))
    table = ind.table
    codes = [c for c in atlas.counties["code"] if c in table.index]
    t = table.reindex(codes)
    complete = t.dropna()
    reg = atlas.registry
    # counties the data name but that lack a value in some year (those it never names are not in it)
    some = t.index[t.notna().any(axis=1)]
    left_out = [reg.counties[c].name for c in some if c not in complete.index]
    if complete.empty:
        raise GeoError(say("trends.no_complete", label=ind.label, span=ind.span))
    members = set(atlas.edition.members)
    is_member = complete.index.isin(list(members))
    links = atlas.links
    pairs_ok = links[links["partner_code"].isin(complete.index) & links["mountain_code"].isin(complete.index)]
    rows = []
    for y in ind.years:
        v = complete[y]
        m, r = v[is_member], v[~is_member]
        with np.errstate(divide="ignore", invalid="ignore"):  # a county at 0: no ratio, left out below
            ratios = (
                pairs_ok["partner_code"].map(v).to_numpy(float) / pairs_ok["mountain_code"].map(v).to_numpy(float)
                if len(pairs_ok)
                else np.array([])
            )
        rows.append(
            {
                "year": int(y),
                "n_edition": len(m),
                "mean_edition": float(m.mean()) if len(m) else math.nan,
                "n_rest": len(r),
                "mean_rest": float(r.mean()) if len(r) else math.nan,
                "ratio": float(r.mean() / m.mean()) if len(m) and len(r) and m.mean() else math.nan,
                "cv": float(v.std(ddof=0) / v.mean()) if v.mean() else math.nan,
                "n_pairs": int(np.isfinite(ratios).sum()),
                "pair_ratio": float(np.nanmean(ratios)) if np.isfinite(ratios).any() else math.nan,
            }
        )
    by_year = pd.DataFrame(rows)
    y0, y1 = ind.years[0], ind.years[-1]
    beta = beta_convergence(complete[y0].to_numpy(), complete[y1].to_numpy(), y1 - y0)
    beta.update(first=y0, last=y1)
    prs = []
    for _, lk in pairs_ok.iterrows():
        a0, a1 = complete.at[lk["mountain_code"], y0], complete.at[lk["mountain_code"], y1]
        b0, b1 = complete.at[lk["partner_code"], y0], complete.at[lk["partner_code"], y1]
        r0 = b0 / a0 if a0 else math.nan
        r1 = b1 / a1 if a1 else math.nan
        prs.append(
            {
                "mountain_code": lk["mountain_code"],
                "mountain_county": lk["mountain_county"],
                "partner_code": lk["partner_code"],
                "partner": lk["partner"],
                "ratio_first": r0,
                "ratio_last": r1,
                "change": r1 - r0,
                # closer to parity (1) in the last year than in the first, on a log scale
                "closing": bool(abs(math.log(r1)) < abs(math.log(r0))) if r0 > 0 and r1 > 0 else None,
            }
        )
    cols = ["mountain_code", "mountain_county", "partner_code", "partner", "ratio_first", "ratio_last", "change"]
    pairs = pd.DataFrame(prs, columns=[*cols, "closing"])
    pairs = pairs.sort_values(["ratio_last", "mountain_code"], ascending=[False, True], ignore_index=True)
    return Trend(by_year, beta, pairs, ind.label, ind.unit, ind.source, atlas.edition.id, left_out)
