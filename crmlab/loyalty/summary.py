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

import numpy as np
import pandas as pd

from crmlab._factorize import factorize_sorted
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
    dates = require_dates(transactions[date_col], date_col, not_after=obs_end)
    ids = require_ids(transactions[customer_col], customer_col)
    amounts = (require_numeric(transactions[amount_col], amount_col, allow_negative=False).to_numpy(dtype=float)
               if amount_col else None)
    # Everything below runs on integers: customers numbered once in sorted ID order (string IDs are
    # hashed once, not in every group-by), days as day numbers, a purchase trip as one int64 key.
    codes, customers = factorize_sorted(ids)
    day = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").view("int64")
    cal_day = int(cal_end.to_datetime64().astype("datetime64[D]").view("int64"))
    low = int(day.min())
    span = int(day.max()) - low + 1
    key = codes * span + (day - low)
    if amounts is not None:  # spend per trip: pandas' (compensated) group sum, rows in their order
        per_trip = pd.Series(amounts, copy=False).groupby(key, sort=True).sum()
        trip_key, trip_amount = per_trip.index.to_numpy(), per_trip.to_numpy()
    else:
        trip_key, trip_amount = np.unique(key), None
    trip_customer, trip_day = trip_key // span, trip_key % span + low  # sorted by customer, then day
    n = len(customers)
    starts = np.flatnonzero(np.concatenate(([True], trip_customer[1:] != trip_customer[:-1])))
    first_day = np.full(n, np.iinfo(np.int64).max)
    first_day[trip_customer[starts]] = trip_day[starts]
    in_cal = trip_day <= cal_day
    kept = first_day <= cal_day  # customers whose first purchase is in the calibration period
    if not kept.any():
        raise CrmlabInputError(tr(
            f"no customer made a first purchase on or before calibration_end ({cal_end.date()}).",
            f"没有客户在 calibration_end（{cal_end.date()}）或之前首次购买。",
        ))
    cal_customer = trip_customer[in_cal]
    last_day = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_day, cal_customer, trip_day[in_cal])
    out = pd.DataFrame(index=pd.Index(customers[kept], name=customer_col))
    out["frequency"] = (np.bincount(cal_customer, minlength=n) - 1)[kept]
    out["recency"] = (last_day - first_day)[kept] / unit
    out["T"] = (cal_day - first_day[kept]) / unit
    if trip_amount is not None:
        repeat = in_cal & (trip_day > first_day[trip_customer])
        mean = pd.Series(trip_amount[repeat], copy=False).groupby(trip_customer[repeat]).mean()
        monetary = np.zeros(n)
        monetary[mean.index.to_numpy()] = mean.to_numpy()
        out["monetary_value"] = monetary[kept]
    if observation_end is not None:
        out["frequency_holdout"] = np.bincount(trip_customer[~in_cal], minlength=n)[kept].astype(int)
        out["duration_holdout"] = (obs_end - cal_end).days / unit
    return out


CDNOW_VERSIONS = ("sample", "master")


def load_cdnow_transactions(version: str = "sample") -> pd.DataFrame:
    """The CDNOW purchase records, Jan 1997 – Jun 1998: one row per purchase record.

    Parameters
    ----------
    version : ``"sample"`` (the 1/10 sample, 2,357 customers, 6,919 records) or ``"master"`` (the
        full cohort, 23,570 customers, 69,659 records).

    Returns
    -------
    DataFrame with customer_id, date, quantity (CDs), amount (US$). See datasets/cdnow/README.md
    for the source and the citation its authors ask for.
    """
    from crmlab.validation import require_choice
    require_choice(version, "version", CDNOW_VERSIONS)
    if version == "sample":
        raw = pd.read_csv(CDNOW_DIR / "CDNOW_sample.txt", sep=r"\s+", header=None,
                          names=["master_id", "customer_id", "date", "quantity", "amount"],
                          dtype={"date": "str"})
    else:  # the copy in lifetimes 0.11.3 carries a header line
        raw = pd.read_csv(CDNOW_DIR / "CDNOW_master.txt", sep=r"\s+", header=0,
                          names=["customer_id", "date", "quantity", "amount"], dtype={"date": "str"})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw[["customer_id", "date", "quantity", "amount"]]


def load_cdnow_summary(version: str = "sample") -> pd.DataFrame:
    """CDNOW summarised as in Fader, Hardie & Lee (2005): 39-week calibration (to 1997-09-30), 39-week
    holdout (to 1998-06-30), time in weeks; columns frequency, recency, T, monetary_value,
    frequency_holdout, duration_holdout. ``version``: ``"sample"`` or ``"master"`` (23,570 customers)."""
    return calibration_holdout_summary(load_cdnow_transactions(version), "customer_id", "date", "1997-09-30",
                                       amount_col="amount", observation_end="1998-06-30", time_unit="W")
