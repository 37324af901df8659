"""ABC customer classification (ABC客户分类), the Pareto curve and concentration measures.

Customers are sorted by their contribution (贡献, e.g. revenue or profit) from the largest down
and the cumulative share of the total is read against two cut-offs. With the default
(0.8, 0.95): class A holds the customers whose cumulative share is within the first 80 %, B
within 80–95 %, C the rest (the 80/20 rule, 二八法则).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.classify._checks import customer_values, increasing_fractions, positive_total
from crmlab.classify.purchases import purchase_summary
from crmlab.validation import require_choice, require_dates, require_fraction, require_frame, require_numeric

CLASSES = ("A", "B", "C")
BOUNDARIES = ("within", "crossing")
# Shares are sums of floats: 0.1 + 0.7 is 0.7999999999999999, which must still count as "within 80 %".
_TOLERANCE = 1e-9


def _ranked_blocks(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order (largest first) plus, for each ranked position, the cumulative value before and
    through its block of tied values, so tied customers always share a class."""
    values = series.to_numpy(dtype=float)
    order = np.argsort(-values, kind="stable")
    ranked = -values[order]
    cumulative = np.concatenate([[0.0], np.cumsum(values[order])])
    block_start = np.searchsorted(ranked, ranked, side="left")
    block_end = np.searchsorted(ranked, ranked, side="right")
    return order, cumulative[block_start], cumulative[block_end]


def abc_classes(values: pd.Series, cutoffs: tuple[float, float] = (0.8, 0.95), *, boundary: str = "within"
                ) -> pd.Series:
    """Put each customer in class A, B or C by cumulative share of value (ABC客户分类).

    Parameters
    ----------
    values : one non-negative value per customer (contribution, 贡献: revenue, profit, volume),
        indexed by customer.
    cutoffs : cumulative shares that end class A and class B, increasing, in (0, 1].
    boundary : how the customer straddling a cut-off is classed.
        ``"within"`` (default, the textbook table the course's exam asks for): sort by value
        descending, write each customer's cumulative share *including* itself, and class it A
        while that share is ≤ 80 %, B while ≤ 95 %, else C. The customer whose purchases carry
        the total past 80 % is therefore B. Textbook ABC tables read the class off the
        cumulative-percentage column exactly this way.
        ``"crossing"``: a customer is A while the cumulative share *before* it is < 80 %, so the
        customer that crosses 80 % is still A and class A is the smallest group that makes up
        at least 80 % of the value.

    Returns
    -------
    Series of "A"/"B"/"C" named ``abc_class`` on the index of ``values``.

    Notes
    -----
    Formula: with values sorted x(1) ≥ x(2) ≥ … and S = Σx, the cumulative share through
    customer k is c_k = (x(1)+…+x(k)) / S; "within": A if c_k ≤ a, B if a < c_k ≤ b, else C.
    Customers with equal values form one block, ranked together: the block's share is counted
    as a whole (through the block's end for "within", before its start for "crossing"), so
    equal customers never get different classes because of their row order. With "within" a
    single customer holding more than 80 % of the value makes class A empty; the class
    sizes are a consequence of the data, not fixed counts.

    References
    ----------
    Juran's Pareto principle as used in customer ABC analysis; the course's exam task (湖南省高职
    电子商务技能抽考 3-1-1, 客户分类管理) and Metro's A/B/C customers (麦德龙).
    """
    series = customer_values(values, "values")
    a_cut, b_cut = increasing_fractions(cutoffs, "cutoffs", length=2)
    require_choice(boundary, "boundary", BOUNDARIES)
    total = positive_total(series, "values")
    order, before, through = _ranked_blocks(series)
    share = (through if boundary == "within" else before) / total
    if boundary == "within":
        ranked_class = np.where(share <= a_cut + _TOLERANCE, "A", np.where(share <= b_cut + _TOLERANCE, "B", "C"))
    else:
        ranked_class = np.where(share < a_cut - _TOLERANCE, "A", np.where(share < b_cut - _TOLERANCE, "B", "C"))
    classes = np.empty(len(series), dtype=object)
    classes[order] = ranked_class
    return pd.Series(classes, index=series.index, name="abc_class", dtype="str")


def pareto_curve(values: pd.Series) -> pd.DataFrame:
    """The Pareto (cumulative contribution) curve data, one row per customer, largest first.

    Returns
    -------
    DataFrame indexed by customer in rank order with columns ``rank`` (1 = largest), ``value``,
    ``share`` (value / total), ``cum_share`` (cumulative share of value, the y of the curve)
    and ``cum_customers`` (rank / n, the x of the curve).

    References
    ----------
    Lorenz (1905) concentration curve, drawn from the top: the ABC/Pareto chart (帕累托图).
    """
    series = customer_values(values, "values")
    total = positive_total(series, "values")
    order = np.argsort(-series.to_numpy(dtype=float), kind="stable")
    ranked = series.iloc[order]
    n = len(ranked)
    return pd.DataFrame({
        "rank": np.arange(1, n + 1),
        "value": ranked.to_numpy(),
        "share": ranked.to_numpy() / total,
        "cum_share": np.cumsum(ranked.to_numpy()) / total,
        "cum_customers": np.arange(1, n + 1) / n,
    }, index=ranked.index)


def top_share(values: pd.Series, fraction: float = 0.2) -> float:
    """Share of the total value that the top ``fraction`` of customers bring (e.g. the top 20 %).

    When ``fraction × n`` is not a whole number the last customer counts in part, i.e. the
    Pareto curve is read by straight-line interpolation between customers: with 7 customers the
    top 20 % are 1.4 customers = the largest one plus 0.4 of the second.
    """
    series = customer_values(values, "values")
    q = require_fraction(fraction, "fraction", open_low=True)
    total = positive_total(series, "values")
    ranked = np.sort(series.to_numpy(dtype=float))[::-1]
    curve = np.concatenate([[0.0], np.cumsum(ranked)]) / total
    position = q * len(ranked)
    return float(np.interp(position, np.arange(len(ranked) + 1), curve))


def gini(values: pd.Series) -> float:
    """Gini coefficient of value across customers (0 = all equal; (n−1)/n = one customer has all).

    Formula: ``G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄)``, computed from the ascending sort as
    G = 2 Σ_k k·x(k) / (n Σx) − (n + 1)/n.

    References
    ----------
    Gini, C. (1912). Variabilità e mutabilità. The sample form without small-sample correction.
    """
    series = customer_values(values, "values")
    total = positive_total(series, "values")
    ranked = np.sort(series.to_numpy(dtype=float))
    n = len(ranked)
    return float(2.0 * np.dot(np.arange(1, n + 1), ranked) / (n * total) - (n + 1) / n)


def abc_profile(
    transactions: pd.DataFrame,
    customer: str,
    date: str,
    amount: str,
    cutoffs: tuple[float, float] = (0.8, 0.95),
    *,
    at: Any = None,
    max_interval_days: float | None = None,
    boundary: str = "within",
) -> pd.DataFrame:
    """ABC classes as the course defines A customers: largest contribution, high frequency,
    short interval between purchases (贡献最大、交易频率较高、交易间隔较短的黄金客户).

    Parameters
    ----------
    transactions, customer, date, amount : the transaction table and its column names.
    cutoffs, boundary : as in :func:`abc_classes`, used for both contribution and frequency.
    at : analysis date; defaults to the last transaction date.
    max_interval_days : optional ceiling on the mean purchase interval of an A customer; a
        customer above it (or with a single purchase, which has no interval) cannot be A and is
        placed in B.

    Returns
    -------
    DataFrame indexed by customer: ``monetary`` (total spend), ``frequency`` (transactions),
    ``mean_interval_days`` ((last − first purchase) / (frequency − 1), NaN for one purchase),
    ``value_class`` (ABC on monetary), ``frequency_class`` (ABC on frequency) and ``abc``: the
    worse of the two classes (A only when A on both), then capped by ``max_interval_days``.

    References
    ----------
    The course's exam task (湖南省高职电子商务技能抽考 3-1-1): "A类客户是指对公司贡献最大的客户、
    交易频率较高、每次交易间隔时间较短的黄金客户。B、C类客户次之。"
    """
    require_choice(boundary, "boundary", BOUNDARIES)
    increasing_fractions(cutoffs, "cutoffs", length=2)
    if at is None:
        require_frame(transactions, "transactions", [customer, date, amount])
        at = require_dates(transactions[date], f"transactions[{date!r}]").max()
    summary = purchase_summary(transactions, customer, date, amount, at)
    span = (summary["last_purchase"] - summary["first_purchase"]).dt.total_seconds() / 86_400
    interval = (span / (summary["frequency"] - 1)).where(summary["frequency"] > 1)
    value_class = abc_classes(summary["total"], cutoffs, boundary=boundary)
    frequency_class = abc_classes(summary["frequency"], cutoffs, boundary=boundary)
    # "A" < "B" < "C" as strings, so the larger letter is the worse class.
    combined = value_class.where(value_class >= frequency_class, frequency_class)
    if max_interval_days is not None:
        limit = float(require_numeric(pd.Series([max_interval_days]), "max_interval_days",
                                      allow_negative=False).iloc[0])
        too_slow = ~(interval <= limit)
        combined = combined.mask((combined == "A") & too_slow, "B")
    return pd.DataFrame({
        "monetary": summary["total"],
        "frequency": summary["frequency"],
        "mean_interval_days": interval,
        "value_class": value_class,
        "frequency_class": frequency_class,
        "abc": combined,
    }, index=summary.index)

