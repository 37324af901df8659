"""From a transaction log to the per-customer summary the buy-till-you-die models need (RFM 汇总).

frequency x = repeat purchases in the calibration period, recency t_x = time from first to last
purchase, T = time from first purchase to the end of calibration, monetary_value = mean value of
the repeat purchases; optionally the purchases in a later holdout period to test a forecast.
Purchases on the same day are merged into one (one shopping trip, amounts added).

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way.
Marketing Science 24(2), 275–284 (the CDNOW calibration/holdout design).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from crmlab._resources import resource_dir
from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_date, require_dates, require_frame, require_ids, require_numeric, require_positive,
)

_UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
# The repository's datasets/cdnow, or the copy a wheel ships as package data (crmlab._resources).
CDNOW_DIR = (resource_dir("datasets") or Path(__file__).resolve().parents[2] / "datasets") / "cdnow"


def _unit_days(time_unit: Any) -> float:
    if isinstance(time_unit, str) and time_unit in _UNITS:
        return _UNITS[time_unit]
    return require_positive(time_unit, "time_unit", hint="Use 'D' (days), 'W' (weeks), 'M' (months) or a number of days.",
                            hint_zh="请使用 'D'（天）、'W'（周）、'M'（月）或天数。")


def calibration_holdout_summary(
    transactions: pd.DataFrame,
    customer_col: str,
    date_col: str,
    calibration_end: Any,
    *,
    amount_col: str | None = None,
    observation_end: Any = None,
    time_unit: str | float = "W",
) -> pd.DataFrame:
    """Summarise a transaction log per customer for BG/NBD and Gamma-Gamma (校准期/验证期汇总).

    Parameters
    ----------
    transactions : one row per purchase.
    customer_col, date_col : columns with the customer ID and the purchase date.
    calibration_end : last day of the calibration period (inclusive).
    amount_col : purchase value column; gives ``monetary_value`` (mean of repeat purchases, 0 if none).
    observation_end : last day of the holdout period (inclusive); gives ``frequency_holdout`` and
        ``duration_holdout``. Without it, purchases after ``calibration_end`` are rejected.
    time_unit : 'D', 'W', 'M' or a number of days; recency, T and duration use it.

    Returns
    -------
    DataFrame indexed by customer (customers whose first purchase is in the calibration period):
    frequency, recency, T [, monetary_value] [, frequency_holdout, duration_holdout].
    """
    require_frame(transactions, "transactions", [customer_col, date_col] + ([amount_col] if amount_col else []))
    unit = _unit_days(time_unit)
    cal_end = require_date(calibration_end, "calibration_end").normalize()
    obs_end = require_date(observation_end, "observation_end").normalize() if observation_end is not None else cal_end
    if obs_end < cal_end:
        raise CrmlabInputError(tr(
            f"observation_end ({obs_end.date()}) must not be before calibration_end ({cal_end.date()}).",
            f"observation_end（{obs_end.date()}）不能早于 calibration_end（{cal_end.date()}）。",
        ))
    dates = require_dates(transactions[date_col], date_col, not_after=obs_end).dt.normalize()
    require_ids(transactions[customer_col], customer_col)
    frame = pd.DataFrame({"customer": transactions[customer_col].to_numpy(), "day": dates.to_numpy()})
    if amount_col:
        frame["amount"] = require_numeric(transactions[amount_col], amount_col, allow_negative=False).to_numpy()
    else:
        frame["amount"] = 0.0
    trips = frame.groupby(["customer", "day"], sort=True, as_index=False)["amount"].sum()
    first = trips.groupby("customer")["day"].transform("min")
    trips = trips[first <= cal_end]
    if trips.empty:
        raise CrmlabInputError(tr(
            f"no customer made a first purchase on or before calibration_end ({cal_end.date()}).",
            f"没有客户在 calibration_end（{cal_end.date()}）或之前首次购买。",
        ))
    first = trips.groupby("customer")["day"].transform("min")
    in_cal = trips["day"] <= cal_end
    cal = trips[in_cal]
    grouped = cal.groupby("customer")
    first_day = grouped["day"].min()
    out = pd.DataFrame(index=first_day.index)
    out.index.name = customer_col
    out["frequency"] = grouped.size() - 1
    out["recency"] = (grouped["day"].max() - first_day).dt.days / unit
    out["T"] = (cal_end - first_day).dt.days / unit
    if amount_col:
        repeat = cal[cal["day"] > first[in_cal]]
        out["monetary_value"] = repeat.groupby("customer")["amount"].mean().reindex(out.index, fill_value=0.0)
    if observation_end is not None:
        hold = trips[~in_cal]
        out["frequency_holdout"] = hold.groupby("customer").size().reindex(out.index, fill_value=0).astype(int)
        out["duration_holdout"] = (obs_end - cal_end).days / unit
    return out


def load_cdnow_transactions() -> pd.DataFrame:
    """The CDNOW 1/10 sample (2,357 customers, Jan 1997 – Jun 1998): one row per purchase record.

    Columns: customer_id (1–2357), date, quantity (CDs), amount (US$). See datasets/cdnow/README.md
    for the source and the citation its authors ask for.
    """
    raw = pd.read_csv(CDNOW_DIR / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["master_id", "customer_id", "date", "quantity", "amount"],
                      dtype={"date": "str"})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw[["customer_id", "date", "quantity", "amount"]]


def load_cdnow_summary() -> pd.DataFrame:
    """CDNOW summarised as in Fader, Hardie & Lee (2005): 39-week calibration (to 1997-09-30), 39-week
    holdout (to 1998-06-30), time in weeks; columns frequency, recency, T, monetary_value,
    frequency_holdout, duration_holdout."""
    return calibration_holdout_summary(load_cdnow_transactions(), "customer_id", "date", "1997-09-30",
                                       amount_col="amount", observation_end="1998-06-30", time_unit="W")
