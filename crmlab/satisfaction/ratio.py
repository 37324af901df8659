"""Satisfaction as a ratio, C = b / a (客户满意度 = 感知 / 期望), and customer delivered value (客户让渡价值)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_frame, require_numeric

LEVELS = ("dissatisfied", "ordinary", "satisfied")
LEVELS_ZH = {"dissatisfied": "不满意", "ordinary": "一般", "satisfied": "满意"}


def satisfaction_ratio(perception: pd.Series, expectation: pd.Series) -> pd.Series:
    """Satisfaction C = b / a: perception b over expectation a, per respondent (and attribute).

    Parameters
    ----------
    perception : b, the perceived performance (感知), > 0.
    expectation : a, the expectation (期望), > 0, same index.

    Returns
    -------
    Series C indexed like the input: below 1 the customer is dissatisfied, about 1
    ordinary, above 1 satisfied (see :func:`satisfaction_level`).

    References
    ----------
    Kotler, P., Keller, K. L. Marketing Management (satisfaction as performance against
    expectations); Oliver, R. L. (1980). A cognitive model of the antecedents and
    consequences of satisfaction decisions. Journal of Marketing Research 17(4), 460–469.
    """
    b = require_numeric(perception, "perception", allow_negative=False, allow_zero=False)
    a = require_numeric(expectation, "expectation", allow_negative=False, allow_zero=False)
    if not a.index.equals(b.index):
        raise CrmlabInputError(tr(
            "perception and expectation must have the same index (the same respondents in the same order).",
            "perception 与 expectation 的索引必须相同（相同受访者、相同顺序）。",
        ))
    return (b / a).rename("C")


def satisfaction_level(ratio: pd.Series, band: tuple[float, float] = (0.95, 1.05)) -> pd.Series:
    """Read C = b/a as the course does: "dissatisfied" (C < low), "ordinary" (low ≤ C ≤ high), "satisfied" (C > high).

    ``band`` is the interval around 1 that counts as "about 1" (感知接近期望, 一般).
    """
    c = require_numeric(ratio, "ratio", allow_negative=False)
    numbers_ok = isinstance(band, (tuple, list)) and len(band) == 2 and all(
        isinstance(b, (int, float, np.integer, np.floating)) and not isinstance(b, (bool, np.bool_)) for b in band)
    if not (numbers_ok and 0 < band[0] <= 1 <= band[1]):
        raise CrmlabInputError(tr(
            f"band must be (low, high) with 0 < low ≤ 1 ≤ high, e.g. (0.95, 1.05); got {band!r}.",
            f"band 必须是 (low, high)，且 0 < low ≤ 1 ≤ high，例如 (0.95, 1.05)；实际是 {band!r}。",
        ))
    level = np.where(c < band[0], "dissatisfied", np.where(c > band[1], "satisfied", "ordinary"))
    return pd.Series(level, index=c.index, name="level", dtype="str")


def delivered_value(df: pd.DataFrame, value_columns: Sequence[str], cost_columns: Sequence[str]) -> pd.DataFrame:
    """Customer delivered value (客户让渡价值) per customer, difference and ratio.

    Total customer value (顾客总价值) = Σ value components — product, service, personnel,
    image (产品、服务、人员、形象价值); total customer cost (顾客总成本) = Σ cost components —
    money, time, energy, physical effort (货币、时间、精神、体力成本).
    delivered value = total value − total cost; value ratio = total value / total cost.

    Returns a DataFrame indexed like ``df``: total_value, total_cost, delivered_value, value_ratio.

    References
    ----------
    Kotler, P. (1997). Marketing Management, 9th ed., ch. 2 (customer delivered value).
    """
    value_columns, cost_columns = list(value_columns), list(cost_columns)
    if not value_columns or not cost_columns:
        raise CrmlabInputError(tr(
            "value_columns and cost_columns must each name at least one column.",
            "value_columns 和 cost_columns 都至少要有一列。",
        ))
    require_frame(df, "df", value_columns + cost_columns)
    values = pd.DataFrame({c: require_numeric(df[c], f"df[{c!r}]", allow_negative=False) for c in value_columns})
    costs = pd.DataFrame({c: require_numeric(df[c], f"df[{c!r}]", allow_negative=False) for c in cost_columns})
    total_value, total_cost = values.sum(axis=1), costs.sum(axis=1)
    if (total_cost == 0).any():
        where = total_cost.index[total_cost == 0]
        raise CrmlabInputError(tr(
            f"total cost is 0 for index {where[:3].tolist()}; the value ratio needs a positive cost.",
            f"索引 {where[:3].tolist()} 的总成本为 0；价值比需要正的成本。",
        ))
    return pd.DataFrame({
        "total_value": total_value,
        "total_cost": total_cost,
        "delivered_value": total_value - total_cost,
        "value_ratio": total_value / total_cost,
    }, index=df.index)
