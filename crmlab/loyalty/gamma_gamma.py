"""Gamma-Gamma spend model (消费金额模型): expected average spend per transaction, and CLV with BG/NBD.

Each transaction value is Gamma(p, ν) around a customer's mean p/ν; ν ~ Gamma(q, γ) across
customers. A customer's observed average spend m̄ over x transactions is shrunk toward the
population mean, more so the fewer transactions there are. Spend is assumed independent of
the purchase process, which is why it combines with BG/NBD into a CLV.

References
----------
Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
http://brucehardie.com/notes/025/
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using iso-value curves for
customer base analysis. Journal of Marketing Research 42(4), 415–430.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

from crmlab.i18n import tr
from crmlab.loyalty._inputs import (
    as_columns, as_output, check_fit_result, customer_summary, positive_number, require_fitted,
    require_spread_of_spends, spend_summary,
)
from crmlab.validation import CrmlabInputError, require_int, require_rate

_PARAMS = ("p", "q", "gamma")
_LOG_BOUNDS = [(-18.0, 18.0)] * 3


def _spend_data(frequency: Any, monetary_value: Any) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    return spend_summary(frequency, monetary_value)


class _SpendData:
    """Repeat customers reduced once per fit to sufficient statistics: the likelihood depends on a customer
    only through (x, m̄), so it is evaluated once per distinct pair with a count weight, and its
    special-function terms (Γ and ψ of px and px+q) once per distinct x (a few hundred values)."""

    def __init__(self, x: np.ndarray, m: np.ndarray) -> None:
        self.n = len(x)
        x_code, ux = pd.factorize(x)
        m_code, um = pd.factorize(m)
        key = x_code.astype(np.int64) * len(um) + m_code  # one int64 per customer, sorted once
        key.sort()
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        self.weight = np.diff(np.append(starts, len(key))).astype(float)
        key = key[starts]
        ux = np.asarray(ux, dtype=float)
        self.ux, self.inv = ux, key // len(um)
        self.x, self.m = ux[self.inv], np.asarray(um, dtype=float)[key % len(um)]
        self.count = np.bincount(self.inv, weights=self.weight, minlength=len(ux))  # customers per distinct x
        self.log_ux = np.log(ux)
        self.mx = self.m * self.x
        self.sum_log_m = np.bincount(self.inv, weights=self.weight * np.log(self.m), minlength=len(ux))


def _negative_ll(theta: np.ndarray, d: _SpendData) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per repeat customer and its gradient in the log-parameters.

    ln f = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x), summed
    as: terms in x alone × customers per distinct x, terms in (x, m̄) × customers per distinct pair."""
    p, q, g = np.exp(theta)
    px_u = p * d.ux
    log_g = np.log(g)
    log_gmx = np.log(g + d.mx)                       # per distinct (x, m̄)
    wl = d.weight * log_gmx
    sum_log_gmx = np.bincount(d.inv, weights=wl, minlength=len(d.ux))     # Σ ln(γ+m̄x) per distinct x
    sum_inv_gmx = np.bincount(d.inv, weights=d.weight / (g + d.mx), minlength=len(d.ux))
    c = d.count
    ll = (c @ (gammaln(px_u + q) - gammaln(px_u) - gammaln(q) + q * log_g + px_u * d.log_ux)
          + (px_u - 1) @ d.sum_log_m - (px_u + q) @ sum_log_gmx)
    psi_pxq = digamma(px_u + q)
    g_p = d.ux @ (c * (psi_pxq - digamma(px_u) + d.log_ux) + d.sum_log_m - sum_log_gmx)
    g_q = c @ (psi_pxq - digamma(q) + log_g) - sum_log_gmx.sum()
    g_g = q / g * d.n - (px_u + q) @ sum_inv_gmx
    return -ll / d.n, -np.array([g_p * p, g_q * q, g_g * g]) / d.n


class GammaGamma:
    """Gamma-Gamma model of average transaction value, fitted on repeat customers.

    Attributes
    ----------
    params_ : dict, after ``fit``, with p (shape of a transaction's value), q and gamma (the Gamma prior of ν).
    log_likelihood_ : maximised log-likelihood over the customers with x > 0.
    n_customers_ : number of customers used (those with at least one repeat purchase).

    Formula
    -------
    f(m̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + m̄x)^(px+q).

    References
    ----------
    Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", eq. (4).
    """

    def __init__(self, tol: float = 1e-10) -> None:
        self.tol = tol

    def fit(self, frequency: Any, monetary_value: Any) -> "GammaGamma":
        """Fit on repeat purchases x and average repeat-transaction value m̄; rows with x = 0 are skipped
        (they carry no repeat-spend information; the model is defined for x > 0)."""
        _, x, m = _spend_data(frequency, monetary_value)
        keep = x > 0
        if not keep.any():
            raise CrmlabInputError(tr(
                "frequency has no customer with a repeat purchase (x > 0): the spend model has nothing to learn from.",
                "frequency 中没有重复购买（x > 0）的客户，消费金额模型无法拟合。",
            ))
        x, m = x[keep], m[keep]
        require_spread_of_spends(m)
        start = np.log([1.0, 2.0, float(m.mean())])
        result = minimize(_negative_ll, start, args=(_SpendData(x, m),), jac=True, method="L-BFGS-B",
                          bounds=_LOG_BOUNDS, options={"ftol": self.tol, "gtol": 1e-9, "maxiter": 1000})
        self.params_ = dict(zip(_PARAMS, np.exp(result.x).tolist()))
        self.log_likelihood_ = float(-result.fun * len(x))
        self.n_customers_ = int(len(x))
        self.converged_ = bool(result.success)
        check_fit_result(self, result, _LOG_BOUNDS)
        return self

    def conditional_expected_spend(self, frequency: Any, monetary_value: Any) -> pd.Series | float:
        """Expected average transaction value E[M | p, q, γ, m̄, x] per customer (预期平均消费额); a float
        when x and m̄ are single numbers.

        Formula: (q−1)/(px+q−1) · γp/(q−1) + px/(px+q−1) · m̄ — a weighted mean of the population
        mean γp/(q−1) and the customer's own average; x = 0 gives the population mean.
        References: Fader & Hardie (2013), eq. (5).
        """
        params = require_fitted(self)
        p, q, g = (params[k] for k in _PARAMS)
        if q <= 1:
            raise CrmlabInputError(tr(
                f"the fitted q = {q:.3f} is ≤ 1, so the population mean spend γp/(q−1) does not exist.",
                f"拟合得到的 q = {q:.3f} ≤ 1，总体平均消费额 γp/(q−1) 不存在。",
            ))
        (frequency, monetary_value), one = as_columns(frequency, monetary_value)
        index, x, m = _spend_data(frequency, monetary_value)
        px = p * x
        values = ((q - 1) / (px + q - 1)) * (g * p / (q - 1)) + (px / (px + q - 1)) * m
        return as_output(values, index, "expected_spend", one)

    def clv(self, bgnbd: Any, frequency: Any, recency: Any, T: Any, monetary_value: Any,
            horizon: int = 12, discount: float = 0.01, period_length: float = 4.345) -> pd.Series:
        """Customer lifetime value (客户终身价值) over ``horizon`` future periods, discounted per period.

        What crmlab computes: *discrete* periods (e.g. months) with a *BG/NBD* purchase model — each
        customer's expected purchases in each future period (from the fitted BG/NBD, given her
        history) times this model's expected spend per purchase, discounted at the end of the period.
        Fader, Hardie & Lee (2005, JMR) value customers with the *Pareto/NBD* and *continuous*
        discounting (discounted expected residual transactions, DERT); crmlab keeps their structure
        (expected transactions × expected spend, discounted) but not their purchase model or their
        discounting, so its numbers are not theirs. The discrete sum is the one of the ``lifetimes``
        package's ``GammaGammaFitter.customer_lifetime_value``.

        Parameters
        ----------
        bgnbd : a fitted :class:`crmlab.loyalty.BGNBD` (its time unit is that of recency and T).
        horizon : number of future periods (e.g. 12 months).
        discount : discount rate per period (e.g. 0.01 a month).
        period_length : length of one period in the BG/NBD time unit (4.345 weeks in a month).

        Formula
        -------
        CLV = Σ_{k=1..horizon} E[M] · (E[Y(k·L)] − E[Y((k−1)·L)]) / (1+d)^k, with E[Y] the
        conditional expected purchases of BG/NBD and E[M] the expected spend of this model;
        revenue, so multiply by the margin for profit.

        References
        ----------
        Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way: an
        alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284 (the BG/NBD used here).
        Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value (the spend model).
        Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using iso-value curves for customer
        base analysis. Journal of Marketing Research 42(4), 415–430 (the structure; Pareto/NBD, continuous
        discounting).
        Davidson-Pilon, C. lifetimes, ``GammaGammaFitter.customer_lifetime_value`` (the same discrete sum).
        """
        require_fitted(bgnbd)
        periods = require_int(horizon, "horizon", minimum=1)
        d = require_rate(discount, "discount")
        length = positive_number(period_length, "period_length")
        (frequency, recency, T, monetary_value), one = as_columns(frequency, recency, T, monetary_value)
        index, x, t_x, age = customer_summary(frequency, recency, T)
        spend = np.asarray(self.conditional_expected_spend(frequency, monetary_value))
        parts = bgnbd._scoring_parts(x, t_x, age)
        total = np.zeros(len(x))
        previous = np.zeros(len(x))
        for k in range(1, periods + 1):  # a loop over periods, not customers: each step is vectorised
            current = bgnbd._conditional_from_parts(k * length, parts)
            total += (current - previous) / (1 + d) ** k
            previous = current
        return as_output(total * spend, index, "clv", one)
