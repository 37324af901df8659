"""Per-customer purchase summary from a transaction table (the input of RFM and ABC profiles).

One pass over the transactions, vectorised: customers are factorised to integer codes, counts
and sums come from ``np.bincount`` and first/last dates from ``np.minimum.at``/``np.maximum.at``,
so ten million rows take about a second instead of a per-customer loop.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab._factorize import factorize_sorted
from crmlab.validation import (
    require_choice, require_date, require_dates, require_frame, require_ids, require_numeric,
)

FREQUENCY_UNITS = ("transaction", "day")
_NS_PER_DAY = 86_400 * 10**9


def purchase_summary(
    transactions: pd.DataFrame,
    customer: str,
    date: str,
    amount: str,
    at: Any,
    *,
    frequency_unit: str = "transaction",
) -> pd.DataFrame:
    """Summarise each customer's purchases up to the analysis date ``at`` (分析日期).

    Parameters
    ----------
    transactions : one row per transaction.
    customer, date, amount : names of the customer-id, date and amount columns.
    at : the analysis date; a transaction after it is an error (the future is not observed).
    frequency_unit : ``"transaction"`` counts every row; ``"day"`` counts the distinct days a
        customer bought on, so two receipts on the same day are one purchase occasion.

    Returns
    -------
    DataFrame indexed by customer (sorted) with columns ``first_purchase``, ``last_purchase``,
    ``recency`` (whole days from the last purchase to ``at``), ``tenure`` (days from the first
    purchase to ``at``), ``frequency`` and ``total`` (sum of ``amount``).
    """
    require_frame(transactions, "transactions", [customer, date, amount])
    require_choice(frequency_unit, "frequency_unit", FREQUENCY_UNITS)
    at_ts = require_date(at, "at (the analysis date)")
    ids = require_ids(transactions[customer], f"transactions[{customer!r}]")
    spend = require_numeric(transactions[amount], f"transactions[{amount!r}]", allow_negative=False)
    dates = require_dates(transactions[date], f"transactions[{date!r}]", not_after=at_ts)

    # Integer codes numbering the customers in sorted order, hashing string IDs once (crmlab._factorize).
    codes, customers = factorize_sorted(ids)
    n = len(customers)
    ns = dates.to_numpy(dtype="datetime64[ns]").view("int64")
    # ufunc.at on integer codes is ~20× faster than a pandas groupby min/max on 10 M rows.
    first_ns = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_ns, codes, ns)
    last_ns = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_ns, codes, ns)
    if frequency_unit == "transaction":
        frequency = np.bincount(codes, minlength=n)
    else:
        # A (customer, day) pair is one purchase occasion however many receipts it holds.
        days = ns // _NS_PER_DAY
        pair = codes.astype(np.int64) * (int(days.max() - days.min()) + 1) + (days - days.min())
        frequency = np.bincount(np.unique(pair) // (int(days.max() - days.min()) + 1), minlength=n)
    total = np.bincount(codes, weights=spend.to_numpy(dtype=float), minlength=n)

    at_ns = at_ts.as_unit("ns").value
    index = pd.Index(customers, name=customer)
    return pd.DataFrame({
        # a view, not pd.to_datetime: pandas 3 converts an int64 array through objects (0.45 s at 1 M)
        "first_purchase": first_ns.view("datetime64[ns]"),
        "last_purchase": last_ns.view("datetime64[ns]"),
        "recency": (at_ns - last_ns) // _NS_PER_DAY,
        "tenure": (at_ns - first_ns) // _NS_PER_DAY,
        "frequency": frequency.astype(np.int64),
        "total": total,
    }, index=index)
