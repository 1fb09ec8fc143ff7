"""Exact p-values, however small.

A p-value is an upper tail. Computed as 1 − CDF it loses every digit once
the CDF rounds towards 1: below about 1e-9 it is off by up to 17%, and below
about 1e-16 it reads 0 (or a constant floor). Every p-value of the book
therefore comes from a survival function: scipy's ``sf`` of the t, F and
chi-square distributions (also what pingouin and statsmodels call for
Welch's t, Welch's ANOVA, the two-way ANOVA, regression and correlation).

Two things remain, and this module handles both:

* scipy's studentized range distribution has no survival function of its
  own: its ``sf`` is 1 − CDF, so a Games-Howell p (``pingouin.pairwise_gameshowell``)
  is stuck near 1e-13 or reads 0. :func:`studentized_range_sf` integrates the
  upper tail itself.
* A p below the smallest positive double (about 4.9e-324) underflows to 0,
  e.g. Welch's ANOVA with F in the thousands. The test's p is positive, only
  too small to write down: :func:`reported_p` stores it as that smallest double,
  so no table says p = 0.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

SMALLEST_P = float(np.nextafter(0.0, 1.0))  # the smallest positive double, ≈ 4.9e-324


def reported_p(p):
    """The p a table reports: `p` itself, or :data:`SMALLEST_P` where `p` underflowed to 0. Missing stays missing.

    Takes a number, a numpy array or a pandas Series (returned as such).
    """
    if np.ndim(p) == 0:
        return p if p is None or not p == 0 else SMALLEST_P  # NaN != 0: missing passes
    values = np.asarray(p, dtype=float)
    floored = np.where(values == 0, SMALLEST_P, values)
    if hasattr(p, "index"):
        return type(p)(floored, index=p.index, name=getattr(p, "name", None))
    return floored


# -- the studentized range ---------------------------------------------------------------
# P(Q > q) = ∫ f_S(s) · P(R > q·s) ds, with R the range of k standard normal
# means and S = √(χ²_df / df). Both integrals are taken over their log
# integrand with the trapezoid rule, which converges geometrically for smooth
# integrands that vanish at both ends; no step subtracts two numbers near 1.
_INNER_HALF_WIDTH = 10.0  # the range's integrand lives within ±10 of its centre (e^-100 beyond)
_INNER_STEP = 0.05
_INNER_GRID = np.arange(-_INNER_HALF_WIDTH, _INNER_HALF_WIDTH + _INNER_STEP / 2, _INNER_STEP)
_TAIL_NATS = 46.0  # the outer integrand is followed until it is e^-46 (≈ 1e-20) of its peak
_OUTER_STEPS_PER_WIDTH = 10
_OUTER_BLOCK = 64
_OUTER_MAX_POINTS = 200_000


def _log_range_sf(r: np.ndarray, k: int) -> np.ndarray:
    """log P(R > r) for the range R of k independent standard normals, r ≥ 0 (an array).

    P(R > r) = k ∫ φ(z) Φ̄(z)^(k−1) [1 − (1 − ρ)^(k−1)] dz with ρ = Φ̄(z + r) / Φ̄(z):
    the smallest of the k values is z and not all others lie within r of it.
    Written so, the bracket is exact for tiny ρ, where 1 − P(R ≤ r) is not.
    The integrand is centred near z = −r/2 (the smallest value as far below
    0 as the largest is above).
    """
    r = np.asarray(r, dtype=float)[..., None]
    z = _INNER_GRID - r / 2
    log_upper = special.log_ndtr(-z)  # log Φ̄(z)
    log_rho = special.log_ndtr(-(z + r)) - log_upper
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bracket = np.log(-np.expm1((k - 1) * np.log1p(-np.exp(log_rho))))
    tiny = log_rho < -30  # 1 − (1 − ρ)^(k−1) = (k − 1)ρ to within 1e-13
    bracket = np.where(tiny, math.log(k - 1) + log_rho, bracket)
    log_integrand = math.log(k) - z ** 2 / 2 - 0.5 * math.log(2 * math.pi) + (k - 1) * log_upper + bracket
    return special.logsumexp(log_integrand, axis=-1) + math.log(_INNER_STEP)


def _log_scale_density(u: np.ndarray, df: float) -> np.ndarray:
    """log density of U = log S, S = √(χ²_df / df)."""
    x = df * np.exp(2 * u)
    return math.log(2 * df) + 2 * u + stats.chi2.logpdf(x, df)


def studentized_range_sf(q: float, k: int, df: float) -> float:
    """P(Q > q) for the studentized range of `k` means with `df` degrees of freedom, exact in the far tail.

    Unlike ``scipy.stats.studentized_range.sf`` (1 − CDF), this keeps its
    relative accuracy (about 1e-10) down to the smallest doubles. `df` may be
    infinite (the range of k standard normals). For k = 2 it is
    2 · t.sf(q / √2, df) exactly.
    """
    if not (math.isfinite(q) or q == math.inf) or math.isnan(df) or k < 2 or df <= 0:
        return math.nan
    if q <= 0:
        return 1.0
    if q == math.inf:
        return 0.0
    if k == 2:  # the range of two means is √2 |t|: the t distribution's own survival function
        return float(2 * stats.t.sf(q / math.sqrt(2), df))
    return _range_tail(q, k, df)


def _range_tail(q: float, k: int, df: float) -> float:
    """:func:`studentized_range_sf` by integration, for any k ≥ 2 and q > 0."""
    if math.isinf(df):
        return float(np.exp(_log_range_sf(np.array([q]), k))[0])

    def log_integrand(u):
        u = np.atleast_1d(np.asarray(u, dtype=float))
        return _log_scale_density(u, df) + _log_range_sf(q * np.exp(u), k)

    # The integrand is unimodal in u = log s: between the peak of S's density (u = 0)
    # and the point where the range's tail stops mattering (q·s small).
    low = min(math.log(0.01 / q), -1.0)
    peak = optimize.minimize_scalar(lambda u: -float(log_integrand(u)[0]), bounds=(low, 1.0), method="bounded",
                                    options=dict(xatol=1e-8)).x
    top = float(log_integrand(peak)[0])
    # The grid step from the curvature at the peak (S's density alone has width 1/√(2·df) there).
    delta = 1e-3 / math.sqrt(2 * df)
    curvature = float((log_integrand(peak + delta)[0] - 2 * top + log_integrand(peak - delta)[0]) / delta ** 2)
    step = 1 / math.sqrt(max(-curvature, 1e-12)) / _OUTER_STEPS_PER_WIDTH
    values = [np.array([top])]
    for direction in (-1, 1):  # walk out in blocks until the integrand is negligible
        offset = 0
        while offset * 2 < _OUTER_MAX_POINTS:
            block = log_integrand(peak + direction * step * np.arange(offset + 1, offset + _OUTER_BLOCK + 1))
            values.append(block)
            offset += _OUTER_BLOCK
            if np.nanmax(block[-8:]) < top - _TAIL_NATS:
                break
    values = np.concatenate(values)
    values = values[np.isfinite(values)]
    return float(np.exp(special.logsumexp(values) + math.log(step)))
