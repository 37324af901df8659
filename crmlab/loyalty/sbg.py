"""Shifted-beta-geometric retention model (客户保持率预测): survival and retention of a contract cohort.

Each customer renews every period with a constant personal churn probability θ; θ varies
across customers as Beta(α, β). The cohort's retention rate therefore rises over time —
the customers most likely to leave leave first — which is why one average retention rate
projected forward understates how many customers stay.

References
----------
Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. Journal of
Interactive Marketing 21(1), 76–90.
Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting:
the perils of ignoring heterogeneity. Marketing Science 29(1), 85–93.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, hyp2f1

from crmlab.i18n import tr
from crmlab.loyalty._inputs import check_fit_result, positive_number, require_fitted
from crmlab.validation import CrmlabInputError, require_int, require_numeric, require_rate

_LOG_BOUNDS = [(-18.0, 18.0)] * 2


def _survivors(survivors: Any) -> np.ndarray:
    s = require_numeric(survivors, "survivors", allow_negative=False, integer=True).to_numpy(dtype=float)
    if len(s) < 2 or s[0] <= 0:
        raise CrmlabInputError(tr(
            f"survivors must start with the cohort's size (> 0) followed by at least one later count; got {s.tolist()}.",
            f"survivors 必须以群组初始人数（> 0）开头，后面至少还有一期的留存人数；实际是 {s.tolist()}。",
        ))
    if np.any(np.diff(s) > 0):
        i = int(np.flatnonzero(np.diff(s) > 0)[0]) + 1
        raise CrmlabInputError(tr(
            f"survivors must not increase over time (a cohort only loses customers): "
            f"period {i} has {s[i]:g} > {s[i - 1]:g}.",
            f"survivors 不能随时间增加（群组只会流失客户）：第 {i} 期为 {s[i]:g} > {s[i - 1]:g}。",
        ))
    return s


def _check_periods(t: Any, name: str = "t") -> np.ndarray:
    try:
        refused = isinstance(t, (str, bool, np.bool_)) or any(
            isinstance(v, (str, bool, np.bool_)) for v in np.atleast_1d(np.asarray(t, dtype=object)).ravel())
        values = np.atleast_1d(np.asarray(t, dtype=float)) if not refused else np.array([np.nan])
    except (TypeError, ValueError):
        values = np.array([np.nan])
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values != np.floor(values)):
        raise CrmlabInputError(tr(
            f"{name} must be whole periods >= 0 (0, 1, 2, …), got {t!r}.",
            f"{name} 必须是 >= 0 的整数期数（0, 1, 2, …），实际是 {t!r}。",
        ))
    return values


def _negative_ll(theta: np.ndarray, lost: np.ndarray, alive_end: float, n: int) -> tuple[float, np.ndarray]:
    alpha, beta = np.exp(theta)
    t = np.arange(1, len(lost) + 1, dtype=float)
    b0 = betaln(alpha, beta)
    log_p = betaln(alpha + 1, beta + t - 1) - b0
    log_s = betaln(alpha, beta + n) - b0
    ll = lost @ log_p + alive_end * log_s
    psi0 = digamma(alpha + beta)
    dp_da = digamma(alpha + 1) - digamma(alpha + beta + t) - digamma(alpha) + psi0
    dp_db = digamma(beta + t - 1) - digamma(alpha + beta + t) - digamma(beta) + psi0
    ds_da = digamma(alpha) - digamma(alpha + beta + n) - digamma(alpha) + psi0
    ds_db = digamma(beta + n) - digamma(alpha + beta + n) - digamma(beta) + psi0
    g_a = lost @ dp_da + alive_end * ds_da
    g_b = lost @ dp_db + alive_end * ds_db
    return -ll, -np.array([g_a * alpha, g_b * beta])


class ShiftedBetaGeometric:
    """sBG model fitted on a cohort's survivor counts.

    Attributes
    ----------
    params_ : dict, after ``fit``, with alpha, beta (churn probability θ ~ Beta(α, β)).
    log_likelihood_ : maximised log-likelihood.
    survivors_ : the survivor counts the model was fitted on.

    Formula
    -------
    P(T = t) = B(α+1, β+t−1) / B(α, β),  S(t) = B(α, β+t) / B(α, β),
    LL = Σ_{t=1..n} (s_{t−1} − s_t) ln P(T=t) + s_n ln S(n).

    References
    ----------
    Fader & Hardie (2007), J. Interactive Marketing 21(1), eq. (6)–(8) and appendix B.
    """

    def __init__(self, tol: float = 1e-12) -> None:
        self.tol = tol

    def fit(self, survivors: Any) -> "ShiftedBetaGeometric":
        """Fit on survivor counts per period, starting with the cohort's size: [s_0, s_1, …, s_n]."""
        s = _survivors(survivors)
        lost = -np.diff(s)
        n = len(lost)
        result = minimize(_negative_ll, np.zeros(2), args=(lost, s[-1], n), jac=True, method="L-BFGS-B",
                          bounds=_LOG_BOUNDS, options={"ftol": self.tol, "gtol": 1e-10, "maxiter": 1000})
        self.params_ = {"alpha": float(np.exp(result.x[0])), "beta": float(np.exp(result.x[1]))}
        self.log_likelihood_ = float(-result.fun)
        self.survivors_ = s
        self.converged_ = bool(result.success)
        check_fit_result(self, result, _LOG_BOUNDS)
        return self

    def survival(self, t: Any) -> pd.Series:
        """Share of the cohort still a customer after t periods (生存率): S(t) = B(α, β+t)/B(α, β)."""
        p = require_fitted(self)
        periods = _check_periods(t)
        values = np.exp(betaln(p["alpha"], p["beta"] + periods) - betaln(p["alpha"], p["beta"]))
        return pd.Series(values, index=pd.Index(periods.astype(int), name="period"), name="survival")

    def retention(self, t: Any) -> pd.Series:
        """Retention rate in period t (客户保持率), t >= 1: r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1)."""
        p = require_fitted(self)
        periods = _check_periods(t)
        if np.any(periods < 1):
            raise CrmlabInputError(tr(
                f"retention is defined from period 1 on (the share of last period's customers who renew); got t = {t!r}.",
                f"保持率从第 1 期开始定义（上期客户中续约的比例）；实际 t = {t!r}。",
            ))
        values = (p["beta"] + periods - 1) / (p["alpha"] + p["beta"] + periods - 1)
        return pd.Series(values, index=pd.Index(periods.astype(int), name="period"), name="retention")

    def expected_residual_lifetime_value(self, margin: float = 1.0, discount: float = 0.1,
                                         renewals: int = 0) -> float:
        """Discounted expected residual lifetime value (DERL × margin, 剩余终身价值) of an active customer.

        Parameters
        ----------
        margin : net cash flow per period (paid at each renewal).
        discount : discount rate per period (> 0).
        renewals : renewals the customer has made so far (n−1 in Fader & Hardie's notation); 0 for a
            customer just acquired, now at the end of the first period, before the first renewal.

        Formula
        -------
        DERL(d | α, β, n−1) = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d))
                            = Σ_{t≥n} S(t)/S(n−1) / (1+d)^(t−n),
        valued just before the n-th renewal decision, so the payment at that renewal is not discounted.

        References
        ----------
        Fader & Hardie (2010), Marketing Science 29(1), eq. (6).
        """
        p = require_fitted(self)
        m = positive_number(margin, "margin", allow_zero=True)
        d = require_rate(discount, "discount", allow_zero=False)
        n = require_int(renewals, "renewals", minimum=0) + 1
        a, b = p["alpha"], p["beta"]
        derl = (b + n - 1) / (a + b + n - 1) * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d))
        return float(m * derl)
