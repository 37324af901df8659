"""Group-bys on string customer IDs (issue 18): ``rfm_scores`` and ``calibration_holdout_summary`` on the
retail world's transactions with their string IDs, beside the same calls on integer codes (the floor) and
polars (the peer) in the same run.

Run alone: ``python -m benchmarks.bench_columnar [CUSTOMERS]`` (default 1,000,000 customers: 9.6 M transactions).
polars is optional (the ``bench`` extra); without it its column is left blank.
"""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from benchmarks.timing import timed, verdict
from crmlab.classify import rfm_scores
from crmlab.loyalty import calibration_holdout_summary

CUSTOMERS = 1_000_000
TARGET_VS_CODES = 1.5   # string IDs at most 1.5x the same call on integer codes
TARGET_VS_POLARS = 1.0  # and no slower than polars
AT = pd.Timestamp("2026-01-01")
CAL_END, OBS_END = pd.Timestamp("2025-06-30"), pd.Timestamp("2025-12-31")


def _polars_summary(frame):
    """calibration_holdout_summary's definition in polars: trips = (customer, day) with summed spend."""
    import polars as pl

    trips = (frame.with_columns(pl.col("date").dt.date().alias("day"))
             .group_by(["customer_id", "day"]).agg(pl.col("amount").sum())
             .with_columns(pl.col("day").min().over("customer_id").alias("first"))
             .filter(pl.col("first") <= CAL_END.date()))
    cal = trips.filter(pl.col("day") <= CAL_END.date())
    out = cal.group_by("customer_id").agg(
        (pl.len() - 1).alias("frequency"),
        (pl.col("day").max() - pl.col("first").first()).dt.total_days().cast(pl.Float64).alias("recency"),
        (pl.lit(CAL_END.date()) - pl.col("first").first()).dt.total_days().cast(pl.Float64).alias("T"),
        pl.col("amount").filter(pl.col("day") > pl.col("first")).mean().fill_null(0.0).alias("monetary_value"))
    hold = (trips.filter(pl.col("day") > CAL_END.date()).group_by("customer_id")
            .agg(pl.len().alias("frequency_holdout")))
    return (out.join(hold, on="customer_id", how="left")
            .with_columns(pl.col("frequency_holdout").fill_null(0)).sort("customer_id"))


def _polars_rfm(frame):
    """The RFM aggregates (last purchase, count, total) and 1-5 rank scores per customer, in polars."""
    import polars as pl

    table = frame.group_by("customer_id").agg(pl.col("date").max().alias("last"), pl.len().alias("frequency"),
                                              pl.col("amount").sum().alias("monetary"))
    table = table.with_columns((pl.lit(AT) - pl.col("last")).dt.total_days().alias("recency"))
    n = pl.len()
    return table.with_columns(
        (((-pl.col("recency")).rank("average") * 5 / n).ceil()).alias("R"),
        ((pl.col("frequency").rank("average") * 5 / n).ceil()).alias("F"),
        ((pl.col("monetary").rank("average") * 5 / n).ceil()).alias("M")).sort("customer_id")


def run(customers: int = CUSTOMERS) -> list[dict]:
    from crmlab.synth import generate

    tx = generate("retail", customers, seed=0)["transactions"][["customer_id", "date", "amount"]]
    codes = tx.assign(customer_id=pd.factorize(tx["customer_id"], sort=True)[0])
    try:
        import polars as pl

        frame = pl.from_pandas(tx)
    except ImportError:
        pl = frame = None
    size = f"{len(tx):,} transactions, {tx['customer_id'].dtype} IDs"
    cases = {
        "rfm_scores": (lambda t: rfm_scores(t, "customer_id", "date", "amount", AT), _polars_rfm),
        "calibration_holdout_summary": (
            lambda t: calibration_holdout_summary(t, "customer_id", "date", CAL_END, amount_col="amount",
                                                  observation_end=OBS_END, time_unit="D"), _polars_summary),
    }
    rows = []
    for name, (call, peer) in cases.items():
        text = timed(lambda: call(tx), 2)
        ints = timed(lambda: call(codes), 2)
        note = (f"{size}; integer codes {ints.seconds:.2f} s: {verdict(text.seconds / ints.seconds, TARGET_VS_CODES)}; "
                f"cpu {text.cpu_seconds:.2f} vs {ints.cpu_seconds:.2f} s")
        if frame is not None:
            polars = timed(lambda: peer(frame), 2)
            note += f"; polars {polars.seconds:.2f} s: {verdict(text.seconds / polars.seconds, TARGET_VS_POLARS)}"
            if name == "calibration_holdout_summary":
                ours, theirs = text.result, polars.result
                same = (len(ours) == len(theirs)
                        and np.array_equal(ours["frequency"].to_numpy(), theirs["frequency"].to_numpy())
                        and np.allclose(ours["monetary_value"].to_numpy(), theirs["monetary_value"].to_numpy()))
                note += f" (same summary as polars: {same})"
        else:
            note += "; polars not installed: no peer"
        rows.append({"benchmark": f"{name}, string IDs", "seconds": round(text.seconds, 2),
                     "target_seconds": round(TARGET_VS_CODES * ints.seconds, 2), "note": note})
    return rows


if __name__ == "__main__":
    for row in run(int(sys.argv[1]) if len(sys.argv) > 1 else CUSTOMERS):
        print(f"{row['benchmark']:<45} {row['seconds']:>8}  {row['note']}")
