"""Input checks for the buy-till-you-die models: one customer per row, (x, t_x, T) consistent.

Built on :mod:`crmlab.validation`; only the rules specific to customer summaries live here
(recency not after T, repeat purchases imply a positive recency …).
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_numeric


def customer_summary(frequency: Any, recency: Any, T: Any) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Check frequency/recency/T columns and return (index, x, t_x, T) as float arrays."""
    x = require_numeric(frequency, "frequency", allow_negative=False, integer=True)
    t_x = require_numeric(recency, "recency", allow_negative=False)
    age = require_numeric(T, "T", allow_negative=False, allow_zero=False)
    if not (len(x) == len(t_x) == len(age)):
        raise CrmlabInputError(tr(
            f"frequency, recency and T must have the same length; got {len(x)}, {len(t_x)} and {len(age)}.",
            f"frequency、recency 和 T 的长度必须相同；实际为 {len(x)}、{len(t_x)} 和 {len(age)}。",
        ))
    xv, tv, Tv = (s.to_numpy(dtype=float) for s in (x, t_x, age))
    late = tv > Tv * (1 + 1e-12)
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise CrmlabInputError(tr(
            f"recency must not exceed T (the customer's age): at position {i} recency = {tv[i]} > T = {Tv[i]}. "
            "Both are measured from the customer's first purchase; check the calibration end date and time unit.",
            f"recency 不能大于 T（客户年龄）：第 {i} 行 recency = {tv[i]} > T = {Tv[i]}。两者都从首次购买算起，"
            "请检查校准期结束日期和时间单位。",
        ))
    odd = (xv == 0) & (tv > 0)
    if odd.any():
        i = int(np.flatnonzero(odd)[0])
        raise CrmlabInputError(tr(
            f"a customer with frequency 0 (no repeat purchase) must have recency 0; at position {i} recency = {tv[i]}.",
            f"重复购买次数为 0 的客户 recency 必须为 0；第 {i} 行 recency = {tv[i]}。",
        ))
    return x.index, xv, tv, Tv


def positive_number(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """Check a scalar number is finite and > 0 (or >= 0 with ``allow_zero``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if not ok or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise CrmlabInputError(tr(
            f"{name} must be a finite number {bound}, got {value!r}.",
            f"{name} 必须是 {bound} 的有限数，实际是 {value!r}。",
        ))
    return float(value)


def require_fitted(model: Any) -> dict[str, float]:
    """Return ``model.params_`` or explain that ``fit`` must run first."""
    params = getattr(model, "params_", None)
    if params is None:
        name = type(model).__name__
        raise CrmlabInputError(tr(
            f"this {name} is not fitted yet: call {name}().fit(...) first.",
            f"该 {name} 模型尚未拟合：请先调用 {name}().fit(...)。",
        ))
    return params


def as_output(values: np.ndarray, index: pd.Index, name: str) -> pd.Series:
    """Wrap per-customer results as a Series on the input's index."""
    return pd.Series(values, index=index, name=name)
