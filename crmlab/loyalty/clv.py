"""Textbook customer lifetime value (客户终身价值) for a constant retention rate.

Three forms circulate in textbooks, differing only in when the first margin arrives:

- ``"start"``: margin paid at the start of each period, the first one today:
  CLV = m (1+d) / (1+d−r)
- ``"end"``: margin at the end of each period, the customer surely there for period 1:
  CLV = m / (1+d−r)
- ``"retained"``: margin at the end of each period only if the customer was retained into it
  (Gupta & Lehmann): CLV = m r / (1+d−r)

They are the same sum Σ m r^k / (1+d)^(k+s) with different first terms, so one function with the
timing as a parameter gives all three; a finite horizon stops the sum after ``periods`` payments.

References
----------
Gupta, S. & Lehmann, D. R. (2003). Customers as assets. Journal of Interactive Marketing 17(1), 9–24.
Gupta, S. & Lehmann, D. R. (2005). Managing Customers as Investments. Wharton School Publishing.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, percentage_hint, require_choice, require_int, require_labelled_alike, require_numeric,
)

TIMINGS = ("start", "end", "retained")
# (exponent of r on the first payment, periods of discounting on the first payment)
_FIRST_PAYMENT = {"start": (0, 0), "end": (0, 1), "retained": (1, 1)}


def _as_array(value: Any, name: str, *, fraction: bool = False) -> tuple[np.ndarray, pd.Index | None]:
    if isinstance(value, (pd.Series, list, tuple, np.ndarray)):
        series = require_numeric(value, name)
        arr, index = series.to_numpy(dtype=float), series.index
    else:
        series = require_numeric(pd.Series([value]), name)
        arr, index = series.to_numpy(dtype=float), None
    if fraction and np.any((arr < 0) | (arr > 1)):
        bad = arr[(arr < 0) | (arr > 1)]
        hint_en, hint_zh = percentage_hint(bad[0])
        raise CrmlabInputError(tr(
            f"{name} must be between 0 and 1 (a rate), got {bad[:3].tolist()}. "
            f"{hint_en or 'Write percentages as fractions: 80 % is 0.8.'}",
            f"{name} 必须在 0 到 1 之间（比率），实际是 {bad[:3].tolist()}。{hint_zh or '百分比请写成小数：80% 写作 0.8。'}",
        ))
    return arr, index


def _broadcast(margin: Any, retention: Any, discount: Any):
    require_labelled_alike({"margin": margin, "retention": retention, "discount": discount})
    m, im = _as_array(margin, "margin")
    r, ir = _as_array(retention, "retention", fraction=True)
    d, idd = _as_array(discount, "discount")
    if np.any(d <= -1):
        raise CrmlabInputError(tr("discount must be > -1 (e.g. 0.1 for 10 %).", "discount 必须 > -1（例如 10% 写作 0.1）。"))
    if np.any(d > 1):
        hint_en, hint_zh = percentage_hint(d[d > 1][0])
        raise CrmlabInputError(tr(
            f"discount is a rate per period and must be at most 1 (100 %), got {d[d > 1][:3].tolist()}. "
            f"{hint_en or 'Write 10 % as 0.1.'}",
            f"discount 是每期的折现率，不能超过 1（100%），实际是 {d[d > 1][:3].tolist()}。{hint_zh or '10% 请写作 0.1。'}",
        ))
    # Columns given as Series are paired by customer (index label), never by position.
    base = next((i for i in (im, ir, idd) if i is not None), None)
    arrays = []
    for i, arr in ((im, m), (ir, r), (idd, d)):
        if i is not None and base is not None and len(i) == len(base) and not i.equals(base):
            if not (i.is_unique and base.is_unique and i.isin(base).all()):
                raise CrmlabInputError(tr(
                    "margin, retention and discount given as Series must hold the same customers (index labels); "
                    f"they differ, e.g. {list(base.symmetric_difference(i)[:3])!r}. Align them first.",
                    "以 Series 给出的 margin、retention 和 discount 必须包含相同的客户（索引标签）；"
                    f"它们不一致，例如 {list(base.symmetric_difference(i)[:3])!r}。请先对齐。",
                ))
            arr = pd.Series(arr, index=i).reindex(base).to_numpy()
        arrays.append(arr)
    m, r, d = arrays
    index = base
    try:
        m, r, d = np.broadcast_arrays(m, r, d)
    except ValueError:
        raise CrmlabInputError(tr(
            "margin, retention and discount must be single numbers or columns of the same length.",
            "margin、retention 和 discount 必须是单个数，或长度相同的列。",
        )) from None
    return m, r, d, index


def _wrap(values: np.ndarray, index: pd.Index | None, name: str) -> float | pd.Series:
    if index is None:
        return float(values[0])
    return pd.Series(values, index=index, name=name)


def simple_clv(margin: Any, retention: Any, discount: Any, timing: str = "retained",
               acquisition_cost: float = 0.0) -> float | pd.Series:
    """Infinite-horizon CLV with constant retention r and discount rate d (简单客户终身价值).

    Parameters
    ----------
    margin : margin m per period (number or a column, one per customer/segment).
    retention : retention rate r per period, 0 ≤ r ≤ 1 (客户保持率).
    discount : discount rate d per period (折现率).
    timing : "start" → m(1+d)/(1+d−r); "end" → m/(1+d−r); "retained" → m·r/(1+d−r) (Gupta & Lehmann).
    acquisition_cost : subtracted once (获客成本).

    Returns
    -------
    A float for number inputs, a Series indexed like the column input.

    References
    ----------
    Gupta & Lehmann (2003), J. Interactive Marketing 17(1), eq. (3).
    """
    require_choice(timing, "timing", TIMINGS)
    m, r, d, index = _broadcast(margin, retention, discount)
    power, delay = _FIRST_PAYMENT[timing]
    if np.any(d <= 0) and np.any(r >= 1):
        raise CrmlabInputError(tr(
            "with retention = 1 and no discount the lifetime value is infinite; use finite_horizon_clv.",
            "保持率为 1 且不折现时终身价值为无穷大；请使用 finite_horizon_clv。",
        ))
    # The sum Σ m (r/(1+d))^k converges only when r < 1 + d; otherwise the closed form gives a
    # meaningless (even negative) number.
    diverges = r >= 1 + d
    if np.any(diverges):
        k = int(np.flatnonzero(diverges)[0])
        raise CrmlabInputError(tr(
            f"the lifetime value is infinite: with retention {r[k]:g} and discount {d[k]:g} each future period is "
            f"worth at least as much as the last (r ≥ 1 + d), so the sum diverges. A negative discount rate is "
            "rarely meant; use finite_horizon_clv for a fixed number of periods.",
            f"终身价值为无穷大：保持率 {r[k]:g}、折现率 {d[k]:g} 时，每一期的价值都不低于上一期（r ≥ 1 + d），级数发散。"
            "折现率为负通常是输入错误；若只算固定期数，请使用 finite_horizon_clv。",
        ))
    values = m * r ** power * (1 + d) ** (1 - delay) / (1 + d - r) - acquisition_cost
    return _wrap(values, index, "clv")


def finite_horizon_clv(margin: Any, retention: Any, discount: Any, periods: int,
                       timing: str = "retained", acquisition_cost: float = 0.0) -> float | pd.Series:
    """CLV summed over ``periods`` payments only (有限期客户终身价值).

    Formula: Σ_{k=0..N−1} m r^(k+p) / (1+d)^(k+s), with (p, s) = (0, 0) for "start", (0, 1) for "end",
    (1, 1) for "retained"; closed form m r^p/(1+d)^s · (1 − q^N)/(1 − q), q = r/(1+d).
    References: Gupta & Lehmann (2005), ch. 2.
    """
    require_choice(timing, "timing", TIMINGS)
    n = require_int(periods, "periods", minimum=1)
    m, r, d, index = _broadcast(margin, retention, discount)
    power, delay = _FIRST_PAYMENT[timing]
    q = r / (1 + d)
    # Geometric sum without the 0/0 at q = 1 (retention 1, no discount).
    with np.errstate(divide="ignore", invalid="ignore"):
        series_sum = np.where(np.isclose(q, 1.0), float(n), (1 - q ** n) / (1 - q))
    values = m * r ** power / (1 + d) ** delay * series_sum - acquisition_cost
    return _wrap(values, index, "clv")


def clv_by_period(margin: float, retention: float, discount: float, periods: int,
                  timing: str = "retained") -> pd.DataFrame:
    """The finite-horizon sum spelled out period by period: survival, discount factor, value, cumulative.

    Returns a DataFrame indexed by payment number 1..periods with columns survival (r^(k+p)),
    discount_factor (1/(1+d)^(k+s)), expected_margin, present_value, cumulative_value.
    """
    require_choice(timing, "timing", TIMINGS)
    n = require_int(periods, "periods", minimum=1)
    m, r, d, _ = _broadcast(margin, retention, discount)
    power, delay = _FIRST_PAYMENT[timing]
    k = np.arange(n)
    survival = r[0] ** (k + power)
    factor = 1.0 / (1 + d[0]) ** (k + delay)
    value = m[0] * survival * factor
    return pd.DataFrame({
        "survival": survival, "discount_factor": factor, "expected_margin": m[0] * survival,
        "present_value": value, "cumulative_value": np.cumsum(value),
    }, index=pd.RangeIndex(1, n + 1, name="payment"))
