"""Input checks the classification models share (on top of :mod:`crmlab.validation`)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_fraction, require_numeric


def customer_values(values: Any, name: str, *, allow_negative: bool = False) -> pd.Series:
    """A numeric Series of one value per customer: no NaN, no repeated customer, (no negatives)."""
    series = require_numeric(values, name, allow_negative=allow_negative).astype(float)
    if not series.index.is_unique:
        repeated = pd.unique(series.index[series.index.duplicated()])[:3]
        raise CrmlabInputError(tr(
            f"{name} must hold one value per customer, but customer(s) {list(repeated)!r} appear more than once "
            f"in its index. Add them up first, e.g. transactions.groupby('customer_id')['amount'].sum().",
            f"{name} 应为每位客户一个值，但客户 {list(repeated)!r} 在索引中出现了多次。"
            "请先汇总，例如 transactions.groupby('customer_id')['amount'].sum()。",
        ))
    return series


def positive_total(series: pd.Series, name: str) -> float:
    """The sum of ``series``; it must be above 0, since shares of a zero total mean nothing."""
    total = float(series.sum())
    if total <= 0:
        raise CrmlabInputError(tr(
            f"{name} adds up to {total:g}: shares of the total cannot be computed. At least one customer "
            "needs a value above 0.",
            f"{name} 的总和为 {total:g}，无法计算占比。至少需要一位客户的值大于 0。",
        ))
    return total


def increasing_fractions(values: Any, name: str, *, length: int | None = None, total_at_most_one: bool = False
                         ) -> tuple[float, ...]:
    """A tuple of fractions in (0, 1], strictly increasing (cut-offs) or summing to ≤ 1 (shares)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise CrmlabInputError(tr(
            f"{name} must be a tuple of fractions such as (0.8, 0.95), got {values!r}.",
            f"{name} 必须是由小数组成的元组，例如 (0.8, 0.95)，实际是 {values!r}。",
        ))
    fractions = tuple(require_fraction(v, f"{name}[{i}]", open_low=True) for i, v in enumerate(values))
    if length is not None and len(fractions) != length:
        raise CrmlabInputError(tr(
            f"{name} must hold {length} numbers, got {len(fractions)}: {values!r}.",
            f"{name} 必须包含 {length} 个数，实际有 {len(fractions)} 个：{values!r}。",
        ))
    if total_at_most_one:
        if sum(fractions) > 1 + 1e-9:
            raise CrmlabInputError(tr(
                f"{name} are shares of the customers and must add up to at most 1; {values!r} adds up to "
                f"{sum(fractions):g}.",
                f"{name} 是客户数量的占比，总和不能超过 1；{values!r} 的总和为 {sum(fractions):g}。",
            ))
    elif any(b <= a for a, b in zip(fractions, fractions[1:])):
        raise CrmlabInputError(tr(
            f"{name} must increase, e.g. (0.8, 0.95); got {values!r}.",
            f"{name} 必须递增，例如 (0.8, 0.95)；实际是 {values!r}。",
        ))
    return fractions
