"""Input checks for the buy-till-you-die models: one customer per row, (x, t_x, T) consistent.

Built on :mod:`crmlab.validation`; only the rules specific to customer summaries live here
(recency not after T, repeat purchases imply a positive recency …). Per-customer methods accept
single numbers too (one customer, as in the papers' worked examples) and then return a number.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, align_pair, check_is_fitted, require_numeric, require_positive,
)

# One shared scalar check (kept under its old name for the modules that import it).
positive_number = require_positive


def is_scalar(value: Any) -> bool:
    """A single number (not a column)."""
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))


def as_columns(*values: Any) -> tuple[list[Any], bool]:
    """Wrap single numbers as one-row Series when every input is a single number; say whether they were."""
    scalars = [is_scalar(v) for v in values]
    if all(scalars):
        return [pd.Series([v]) for v in values], True
    return list(values), False


def _first(mask: np.ndarray, index: pd.Index) -> Any:
    return index[int(np.flatnonzero(mask)[0])]


def customer_summary(frequency: Any, recency: Any, T: Any) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Check frequency/recency/T columns and return (index, x, t_x, T) as float arrays.

    Series are paired by customer (their index), never by position; errors name the customer.
    """
    x = require_numeric(frequency, "frequency", allow_negative=False, integer=True)
    t_x = require_numeric(recency, "recency", allow_negative=False)
    age = require_numeric(T, "T", allow_negative=False, allow_zero=False)
    if not (len(x) == len(t_x) == len(age)):
        raise CrmlabInputError(tr(
            f"frequency, recency and T must have the same length; got {len(x)}, {len(t_x)} and {len(age)}.",
            f"frequency、recency 和 T 的长度必须相同；实际为 {len(x)}、{len(t_x)} 和 {len(age)}。",
        ))
    if isinstance(frequency, pd.Series) or isinstance(recency, pd.Series) or isinstance(T, pd.Series):
        x, t_x = align_pair(frequency if isinstance(frequency, pd.Series) else x, recency if isinstance(
            recency, pd.Series) else t_x, ("frequency", "recency"))
        x, age = align_pair(x, T if isinstance(T, pd.Series) else age, ("frequency", "T"))
    index = x.index
    xv, tv, Tv = (s.to_numpy(dtype=float) for s in (x, t_x, age))
    late = tv > Tv * (1 + 1e-12)
    if late.any():
        who = _first(late, index)
        i = int(np.flatnonzero(late)[0])
        raise CrmlabInputError(tr(
            f"recency must not exceed T (the customer's age): for customer {who!r} recency = {tv[i]} > T = {Tv[i]}. "
            "Both are measured from the customer's first purchase; check the calibration end date and time unit.",
            f"recency 不能大于 T（客户年龄）：客户 {who!r} 的 recency = {tv[i]} > T = {Tv[i]}。两者都从首次购买算起，"
            "请检查校准期结束日期和时间单位。",
        ))
    odd = (xv == 0) & (tv > 0)
    if odd.any():
        who = _first(odd, index)
        i = int(np.flatnonzero(odd)[0])
        raise CrmlabInputError(tr(
            f"a customer with frequency 0 (no repeat purchase) must have recency 0; customer {who!r} has recency = {tv[i]}.",
            f"重复购买次数为 0 的客户 recency 必须为 0；客户 {who!r} 的 recency = {tv[i]}。",
        ))
    return index, xv, tv, Tv


def require_fitted(model: Any) -> dict[str, float]:
    """Return ``model.params_`` or explain that ``fit`` must run first (the shared check)."""
    return check_is_fitted(model, "params_")


def as_output(values: np.ndarray, index: pd.Index, name: str, scalar: bool = False) -> pd.Series | float:
    """Wrap per-customer results as a Series on the input's index (a float for one customer given as numbers)."""
    if scalar:
        return float(values[0])
    return pd.Series(values, index=index, name=name)


def require_repeat_buyers(x: np.ndarray, model: str) -> None:
    """BG/NBD and Gamma-Gamma learn from repeat purchases; with none the model is not identified."""
    if not np.any(x > 0):
        raise CrmlabInputError(tr(
            f"{model} cannot be fitted: no customer has a repeat purchase (every frequency is 0), so the data say "
            "nothing about how often customers buy again or when they drop out. Check the time unit and the "
            "calibration period (a period too short holds only first purchases).",
            f"{model} 无法拟合：没有任何客户有重复购买（frequency 全为 0），数据无法说明客户多久再次购买或何时流失。"
            "请检查时间单位和校准期（校准期太短时只有首次购买）。",
        ))


def require_spread_of_spends(m: np.ndarray) -> None:
    """Gamma-Gamma separates a customer's spend from the population's; equal spends give it nothing to separate."""
    if len(m) < 2 or np.ptp(m) <= 1e-12 * max(1.0, float(np.abs(m).max())):
        raise CrmlabInputError(tr(
            "GammaGamma cannot be fitted: every repeat customer has the same average spend "
            f"({float(m[0]):g}), so the spread of spends across customers, which the model estimates, is zero "
            "(q would run to infinity). Use that average directly, or fit on real spends.",
            f"GammaGamma 无法拟合：所有重复购买客户的平均消费额都相同（{float(m[0]):g}），模型要估计的客户间消费差异为零"
            "（q 会趋于无穷大）。请直接使用这个平均值，或用真实的消费额拟合。",
        ))


def check_fit_result(model: Any, result: Any, bounds: Any) -> None:
    """Warn (the shared ConvergenceWarning) when the optimiser stopped early or a parameter sits on its box."""
    from crmlab.validation import warn_convergence
    if not bool(getattr(result, "success", True)):
        warn_convergence(model, f"the optimiser stopped before converging ({getattr(result, 'message', '')}); "
                                "the parameters may be wrong. Check the data, or raise tol.",
                         f"优化器未收敛即停止（{getattr(result, 'message', '')}），参数可能有误。请检查数据，或放宽 tol。")
        return
    theta = np.asarray(result.x, dtype=float)
    low = np.array([b[0] for b in bounds]); high = np.array([b[1] for b in bounds])
    if np.any(np.isclose(theta, low, atol=1e-6) | np.isclose(theta, high, atol=1e-6)):
        warn_convergence(model, "a parameter ran to the edge of its range (near 0 or infinity): the data cannot "
                                "identify the model; do not trust its parameters.",
                         "有参数跑到了取值范围的边界（接近 0 或无穷大）：数据无法识别该模型，其参数不可信。")


def spend_summary(frequency: Any, monetary_value: Any) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Check repeat purchases x and average spend m̄ per customer, paired by customer; errors name the customer."""
    x = require_numeric(frequency, "frequency", allow_negative=False, integer=True)
    m = require_numeric(monetary_value, "monetary_value", allow_negative=False)
    if len(x) != len(m):
        raise CrmlabInputError(tr(
            f"frequency and monetary_value must have the same length; got {len(x)} and {len(m)}.",
            f"frequency 和 monetary_value 的长度必须相同；实际为 {len(x)} 和 {len(m)}。",
        ))
    if isinstance(frequency, pd.Series) or isinstance(monetary_value, pd.Series):
        x, m = align_pair(frequency if isinstance(frequency, pd.Series) else x,
                          monetary_value if isinstance(monetary_value, pd.Series) else m,
                          ("frequency", "monetary_value"))
    xv, mv = x.to_numpy(dtype=float), m.to_numpy(dtype=float)
    zero_spend = (xv > 0) & (mv <= 0)
    if zero_spend.any():
        who = _first(zero_spend, x.index)
        raise CrmlabInputError(tr(
            f"monetary_value must be > 0 for customers with repeat purchases; customer {who!r} has "
            f"{mv[zero_spend][0]}. Average spend is the mean value of the repeat transactions.",
            f"有重复购买的客户 monetary_value 必须 > 0；客户 {who!r} 为 {mv[zero_spend][0]}。平均消费额是重复交易金额的平均值。",
        ))
    return x.index, xv, mv
