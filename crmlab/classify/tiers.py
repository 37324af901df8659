"""Customer value tiers (客户分层): the count-based customer pyramid, the profitability pyramid
(platinum, gold, iron, lead) and value change between two periods (价值客户、价值变动客户、问题客户).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.classify._checks import customer_values, increasing_fractions
from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_fraction, require_int, require_labelled_alike, require_numeric, require_positive,
)

VALUE_TIERS = ("VIP", "major", "ordinary", "small")
VALUE_TIERS_ZH = {"VIP": "VIP客户", "major": "主要客户", "ordinary": "普通客户", "small": "小客户"}
PROFIT_TIERS = ("platinum", "gold", "iron", "lead")
PROFIT_TIERS_ZH = {"platinum": "铂金客户", "gold": "黄金客户", "iron": "铁客户", "lead": "铅客户"}
STATUSES = ("problem", "value_change", "value", "regular")
STATUSES_ZH = {"problem": "问题客户", "value_change": "价值变动客户", "value": "价值客户", "regular": "一般客户"}


def _position_from_top(series: pd.Series) -> np.ndarray:
    """Share of customers ranked above each one (0 for the largest); tied customers share the
    mid-rank of their block, so equal values always land in the same tier."""
    rank = series.rank(method="average", ascending=False).to_numpy()
    return (rank - 1) / len(series)


def value_tiers(values: pd.Series, shares: Sequence[float] = (0.01, 0.19, 0.30, 0.50),
                labels: Sequence[str] = VALUE_TIERS) -> pd.Series:
    """Place customers in the count-based customer pyramid (客户金字塔) by value.

    Parameters
    ----------
    values : one non-negative value per customer (revenue, profit …), indexed by customer.
    shares : share of customers in each tier from the top, summing to 1: by default the top
        1 % are VIP customers (VIP客户), the next 19 % major customers (主要客户), the next 30 %
        ordinary customers (普通客户) and the bottom 50 % small customers (小客户).
    labels : tier names, one per share, top first.

    Returns
    -------
    Series of tier labels named ``tier`` on the index of ``values``.

    Notes
    -----
    A customer with p = (mid-rank − 1) / n of the customers above it is in the first tier whose
    cumulative share exceeds p (so the largest customer is always in the top tier). Potential
    customers (潜在客户) have no value yet and sit below the pyramid; they are not ranked here.
    """
    series = customer_values(values, "values")
    fractions = increasing_fractions(shares, "shares", total_at_most_one=True)
    if abs(sum(fractions) - 1) > 1e-9:
        raise CrmlabInputError(tr(
            f"shares must add up to 1 so every customer gets a tier; {tuple(shares)!r} adds up to {sum(fractions):g}.",
            f"shares 的总和必须为 1，才能让每位客户都有层级；{tuple(shares)!r} 的总和为 {sum(fractions):g}。",
        ))
    labels = _labels(labels, len(fractions))
    edges = np.cumsum(fractions)[:-1]
    tier = np.searchsorted(edges, _position_from_top(series) + 1e-12, side="right")
    return pd.Series(np.asarray(labels, dtype=object)[tier], index=series.index, name="tier", dtype="str")


def profit_pyramid(profit: pd.Series, shares: Sequence[float] = (0.05, 0.15)) -> pd.Series:
    """Platinum, gold, iron and lead customers by profitability (the customer pyramid).

    Parameters
    ----------
    profit : profit per customer (revenue minus the cost to serve); may be negative.
    shares : share of *all* customers in the platinum and gold tiers, from the top. Only
        profitable customers (profit ≥ 0) can be platinum or gold.

    Returns
    -------
    Series of ``"platinum"``, ``"gold"``, ``"iron"``, ``"lead"`` named ``profit_tier``.
    Lead customers cost the company money (profit < 0, 铅客户); iron customers are the rest
    of the profitable ones.

    References
    ----------
    Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid: creating and
    serving profitable customers. California Management Review 43(4), 118–142.
    """
    series = customer_values(profit, "profit", allow_negative=True)
    platinum, gold = increasing_fractions(shares, "shares", length=2, total_at_most_one=True)
    position = _position_from_top(series)
    tier = np.where(position < platinum, "platinum", np.where(position < platinum + gold, "gold", "iron"))
    tier = np.where(series.to_numpy() < 0, "lead", tier)
    return pd.Series(tier, index=series.index, name="profit_tier", dtype="str")


def value_change(
    period1: pd.Series,
    period2: pd.Series,
    complaints: pd.Series | None = None,
    *,
    rise: float = 0.5,
    fall: float = 0.5,
    value_share: float = 0.2,
    min_complaints: int = 1,
) -> pd.DataFrame:
    """Compare two periods and flag value, value-change and problem customers
    (价值客户、价值变动客户、问题客户), the three lists of the CRM lab system.

    Parameters
    ----------
    period1, period2 : value per customer (e.g. purchases) in the earlier and the later
        period; a customer missing from one period had value 0 in it.
    complaints : optional number of complaints per customer in the later period.
    rise, fall : relative change that counts as a sharp rise (+50 %) or fall (−50 %).
    value_share : value customers are the top ``value_share`` of customers by later value (a
        customer counts when the share of customers ranked above it is below ``value_share``,
        the same rule as :func:`value_tiers`).
    min_complaints : complaints from which a customer is a problem customer.

    Returns
    -------
    DataFrame indexed by customer (union of the inputs) with ``value_1``, ``value_2``,
    ``change`` ((value_2 − value_1) / value_1; +inf for a new buyer, NaN if both are 0),
    ``complaints``, flags ``value_customer``, ``rising``, ``falling``, ``lapsed`` (bought in
    period 1, not in period 2), ``problem`` (lapsed or ≥ ``min_complaints`` complaints), and
    ``status``: the one list a manager acts on first — problem, then value change, then value,
    else regular.
    """
    require_labelled_alike({"period1": period1, "period2": period2})
    first = customer_values(period1, "period1")
    second = customer_values(period2, "period2")
    # A rise may exceed 100 % (a customer can triple), so this is not a fraction check.
    up = require_positive(rise, "rise", hint="Write +50 % as 0.5.", hint_zh="+50% 请写作 0.5。")
    down = require_fraction(fall, "fall", open_low=True)
    top = require_fraction(value_share, "value_share", open_low=True)
    min_complaints = require_int(min_complaints, "min_complaints", minimum=1)
    index = first.index.union(second.index)
    counts = pd.Series(0, index=index, dtype=np.int64)
    if complaints is not None:
        counts = require_numeric(customer_values(complaints, "complaints"), "complaints", integer=True)
        unknown = counts.index.difference(index)
        if len(unknown):
            raise CrmlabInputError(tr(
                f"complaints has customers {list(unknown[:3])!r} that bought in neither period; "
                "pass complaints indexed by the same customer ids as period1 and period2.",
                f"complaints 中的客户 {list(unknown[:3])!r} 在两个时期都没有购买；请使用与 period1、period2 相同的客户编号作为索引。",
            ))
        counts = counts.reindex(index, fill_value=0).astype(np.int64)
    v1 = first.reindex(index, fill_value=0.0)
    v2 = second.reindex(index, fill_value=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (v2 - v1) / v1
    lapsed = (v1 > 0) & (v2 == 0)
    problem = lapsed | (counts >= min_complaints)
    rising = change >= up
    falling = change <= -down
    value_customer = pd.Series(_position_from_top(v2) < top, index=index) & (v2 > 0)
    status = np.where(problem, "problem", np.where(rising | falling, "value_change",
                                                   np.where(value_customer, "value", "regular")))
    return pd.DataFrame({
        "value_1": v1, "value_2": v2, "change": change, "complaints": counts,
        "value_customer": value_customer, "rising": rising, "falling": falling,
        "lapsed": lapsed, "problem": problem, "status": pd.Series(status, index=index, dtype="str"),
    }, index=index)


def _labels(labels: Sequence[str], count: int) -> list[str]:
    labels = list(labels) if not isinstance(labels, str) else [labels]
    if len(labels) != count or len(set(labels)) != count:
        raise CrmlabInputError(tr(
            f"labels must hold {count} different names, one per share; got {labels!r}.",
            f"labels 必须包含 {count} 个互不相同的名称，与 shares 一一对应；实际是 {labels!r}。",
        ))
    return [str(label) for label in labels]
