"""Behavioural loyalty measures from a transaction log (客户忠诚的衡量).

Repeat purchases (重复购买), growth of purchase amount (购买额增长), retention and churn per period
(客户保持率/流失率), acquisition-cohort retention tables, customer lifetime (客户生命周期),
cross-buying (交叉购买) and share of wallet (钱包份额). Every function takes the transaction table
and column names and returns a pandas object indexed by customer or by period.

References
----------
Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services. HBR 68(5).
Gupta, S. & Lehmann, D. R. (2005). Managing Customers as Investments, ch. 2 (retention, lifetime).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (CrmlabInputError, require_choice, require_date, require_dates, require_fraction,
                               require_frame, require_ids, require_numeric, require_positive)

FREQS = ("D", "W", "M", "Q", "Y")


def _trips(transactions: pd.DataFrame, customer_col: str, date_col: str, freq: str | None = None) -> pd.DataFrame:
    require_frame(transactions, "transactions", [customer_col, date_col])
    dates = require_dates(transactions[date_col], date_col)
    frame = pd.DataFrame({"customer": transactions[customer_col].to_numpy(), "date": dates.dt.normalize().to_numpy()},
                         index=transactions.index)
    require_ids(transactions[customer_col], customer_col)
    if freq is not None:
        require_choice(freq, "freq", FREQS)
        frame["period"] = frame["date"].dt.to_period(freq)
    return frame


def purchase_counts(transactions: pd.DataFrame, customer_col: str, date_col: str) -> pd.DataFrame:
    """Purchases per customer, same-day purchases counted once (购买次数).

    Returns DataFrame indexed by customer: purchases (distinct purchase days), repeat_purchases
    (purchases − 1), repeat_buyer (bool).
    """
    frame = _trips(transactions, customer_col, date_col)
    days = frame.drop_duplicates(["customer", "date"]).groupby("customer").size()
    out = pd.DataFrame({"purchases": days, "repeat_purchases": days - 1, "repeat_buyer": days > 1})
    out.index.name = customer_col
    return out


def repeat_purchase_rate(transactions: pd.DataFrame, customer_col: str, date_col: str) -> float:
    """Share of customers who bought on at least two different days (重复购买率)."""
    return float(purchase_counts(transactions, customer_col, date_col)["repeat_buyer"].mean())


def period_amounts(transactions: pd.DataFrame, customer_col: str, date_col: str, amount_col: str,
                   freq: str = "Q") -> pd.DataFrame:
    """Purchase amount per customer (rows) and period (columns), 0 where the customer did not buy."""
    frame = _trips(transactions, customer_col, date_col, freq)
    require_frame(transactions, "transactions", [amount_col])
    frame["amount"] = require_numeric(transactions[amount_col], amount_col, allow_negative=False).to_numpy()
    table = frame.pivot_table(index="customer", columns="period", values="amount", aggfunc="sum", fill_value=0.0)
    table.index.name = customer_col
    return table


def purchase_growth(transactions: pd.DataFrame, customer_col: str, date_col: str, amount_col: str,
                    freq: str = "Y") -> pd.DataFrame:
    """Growth of each customer's purchase amount between the last two periods (购买额增长率).

    Returns DataFrame indexed by customer: previous, latest (amounts) and growth =
    latest / previous − 1; growth is NaN where the customer bought nothing in the previous period
    (growth from zero is undefined, not infinite).
    """
    table = period_amounts(transactions, customer_col, date_col, amount_col, freq)
    if table.shape[1] < 2:
        raise CrmlabInputError(tr(
            f"purchase growth needs at least two periods of data at freq={freq!r}; the data cover one. "
            "Use a shorter period (e.g. freq='Q' or 'M').",
            f"计算购买额增长至少需要两个时期（freq={freq!r}），数据只覆盖一个时期。请使用更短的时期（如 'Q' 或 'M'）。",
        ))
    previous, latest = table.iloc[:, -2], table.iloc[:, -1]
    growth = (latest / previous.where(previous > 0)) - 1
    return pd.DataFrame({"previous": previous, "latest": latest, "growth": growth})


def retention_by_period(transactions: pd.DataFrame, customer_col: str, date_col: str,
                        freq: str = "M") -> pd.DataFrame:
    """Retention and churn per period (客户保持率与流失率).

    A customer is active in a period when buying in it. retained = active in both the previous
    and this period; retention_rate = retained / active in the previous period; churn_rate = 1 −
    retention_rate; new = first purchase in this period. The first period has no retention (NaN).
    Returns a DataFrame indexed by period: active, new, retained, retention_rate, churn_rate.
    """
    frame = _trips(transactions, customer_col, date_col, freq)
    periods = pd.period_range(frame["period"].min(), frame["period"].max(), freq=freq)
    active = (frame.drop_duplicates(["customer", "period"]).assign(flag=True)
              .pivot(index="customer", columns="period", values="flag")
              .reindex(columns=periods).fillna(False).astype(bool))
    a = active.to_numpy()
    retained = np.zeros(len(periods), dtype=int)
    retained[1:] = (a[:, 1:] & a[:, :-1]).sum(axis=0)
    counts = a.sum(axis=0)
    previous = np.r_[np.nan, counts[:-1]].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(previous > 0, retained / previous, np.nan)
    first = frame.groupby("customer")["period"].min().value_counts().reindex(periods, fill_value=0)
    return pd.DataFrame({"active": counts, "new": first.to_numpy(), "retained": retained,
                         "retention_rate": rate, "churn_rate": 1 - rate},
                        index=pd.Index(periods, name="period"))


def cohort_table(transactions: pd.DataFrame, customer_col: str, date_col: str, freq: str = "M",
                 share: bool = True) -> pd.DataFrame:
    """Acquisition cohort × periods since acquisition (同期群留存表).

    Rows: the period of each customer's first purchase; columns: 0, 1, 2 … periods later; values:
    customers of the cohort active in that period (as a share of the cohort size when ``share``).
    Column 0 is therefore 1.0 (or the cohort size); cells after the data's end are NaN.
    """
    frame = _trips(transactions, customer_col, date_col, freq)
    frame["cohort"] = frame.groupby("customer")["period"].transform("min")
    last = frame["period"].max()
    # Period ordinals count whole periods, so their difference is the cohort age without a per-row loop.
    frame["age"] = frame["period"].array.asi8 - frame["cohort"].array.asi8
    counts = (frame.drop_duplicates(["customer", "age"]).groupby(["cohort", "age"]).size()
              .unstack("age", fill_value=0))
    counts = counts.reindex(columns=range(int(counts.columns.max()) + 1), fill_value=0)
    horizon = np.array([(last - c).n for c in counts.index])
    observed = np.arange(counts.shape[1])[None, :] <= horizon[:, None]
    table = counts.where(observed)
    if share:
        table = table.div(counts[0], axis=0)
    table.columns.name = "periods_since_acquisition"
    return table


def customer_lifetime(transactions: pd.DataFrame, customer_col: str, date_col: str,
                      analysis_date: str | pd.Timestamp | None = None, unit_days: float = 1.0) -> pd.DataFrame:
    """Customer lifetime so far (客户生命周期): first and last purchase, tenure and age.

    tenure = last − first purchase, age = analysis_date − first purchase, since_last =
    analysis_date − last purchase, all in units of ``unit_days`` days (default: days; 7 for weeks).
    analysis_date defaults to the day after the last purchase in the data.
    """
    frame = _trips(transactions, customer_col, date_col)
    grouped = frame.groupby("customer")["date"]
    first, last = grouped.min(), grouped.max()
    unit_days = require_positive(unit_days, "unit_days", hint="Use 1 for days, 7 for weeks.", hint_zh="天用 1，周用 7。")
    end = (require_date(analysis_date, "analysis_date") if analysis_date is not None
           else frame["date"].max() + pd.Timedelta(days=1))
    if (last > end).any():
        raise CrmlabInputError(tr(
            f"analysis_date {end.date()} is before some purchases (the latest is {last.max().date()}).",
            f"analysis_date {end.date()} 早于部分购买日期（最晚为 {last.max().date()}）。",
        ))
    out = pd.DataFrame({"first_purchase": first, "last_purchase": last,
                        "tenure": (last - first).dt.days / unit_days,
                        "age": (end - first).dt.days / unit_days,
                        "since_last": (end - last).dt.days / unit_days})
    out.index.name = customer_col
    return out


def expected_lifetime(retention: float) -> float:
    """Average customer lifetime in periods for a constant retention rate r: 1 / (1 − r) (平均生命周期).

    A customer stays k ≥ 1 periods with probability r^(k−1)(1−r), a geometric distribution with mean 1/(1−r).
    """
    r = require_fraction(retention, "retention", open_high=True)
    return 1.0 / (1.0 - r)


def cross_buying(transactions: pd.DataFrame, customer_col: str, category_col: str) -> pd.DataFrame:
    """Cross-buying per customer (交叉购买): distinct categories bought and their share of all categories."""
    require_frame(transactions, "transactions", [customer_col, category_col])
    require_ids(transactions[customer_col], customer_col)
    if transactions[category_col].isna().any():
        raise CrmlabInputError(tr(f"{category_col} has missing categories; fill or drop them first.",
                                  f"{category_col} 有缺失的品类，请先填补或删除。"))
    n_all = transactions[category_col].nunique()
    counts = transactions.groupby(customer_col)[category_col].nunique()
    return pd.DataFrame({"categories": counts, "category_share": counts / n_all})


def share_of_wallet(df: pd.DataFrame, spend_col: str, wallet_col: str) -> pd.Series:
    """Share of wallet (钱包份额): the customer's spend with us / total category spend (the wallet).

    Needs the wallet from a survey or panel; a wallet smaller than the spend is an error.
    Returns a Series indexed like ``df``.
    """
    require_frame(df, "df", [spend_col, wallet_col])
    spend = require_numeric(df[spend_col], spend_col, allow_negative=False)
    wallet = require_numeric(df[wallet_col], wallet_col, allow_negative=False, allow_zero=False)
    over = spend > wallet
    if over.any():
        i = spend.index[over][0]
        raise CrmlabInputError(tr(
            f"{spend_col} exceeds {wallet_col} at index {i!r} ({spend[i]} > {wallet[i]}): the wallet is the "
            "customer's total spend in the category, ours included.",
            f"索引 {i!r} 处 {spend_col} 大于 {wallet_col}（{spend[i]} > {wallet[i]}）：钱包是客户在该品类的总支出，包含在我们这里的支出。",
        ))
    return (spend / wallet).rename("share_of_wallet")
