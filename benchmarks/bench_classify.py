"""Speed of ABC and RFM on 10,000,000 transactions of 1,000,000 customers, beside plain pandas.

Run alone: ``python -m benchmarks.bench_classify``. The data are synthetic numpy arrays
(seeded), so the timings measure the models, not a loader.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.timing import timed
from crmlab.classify import abc_classes, rfm_scores

TRANSACTIONS = 10_000_000
CUSTOMERS = 1_000_000
TARGET_SECONDS = 5.0
AT = pd.Timestamp("2026-01-01")


def synthetic_transactions(n: int = TRANSACTIONS, customers: int = CUSTOMERS, seed: int = 20240401) -> pd.DataFrame:
    """Heavy-tailed purchase counts (a few customers buy often) over three years, Gamma amounts."""
    rng = np.random.default_rng(seed)
    weights = rng.gamma(0.6, 1.0, customers)
    # Every customer buys at least once; the other purchases follow the heavy-tailed weights.
    repeat = rng.choice(customers, size=n - customers, p=weights / weights.sum())
    ids = np.concatenate([rng.permutation(customers), repeat])
    days = rng.integers(0, 3 * 365, n)
    return pd.DataFrame({
        "customer_id": ids.astype(np.int64),
        "date": np.datetime64("2023-01-01", "ns") + days.astype("timedelta64[D]"),
        "amount": np.round(rng.gamma(2.0, 40.0, n), 2),
    })


def _abc_crmlab(tx: pd.DataFrame) -> pd.Series:
    return abc_classes(tx.groupby("customer_id")["amount"].sum())


def _abc_baseline(tx: pd.DataFrame) -> pd.Series:
    """The way it is usually written: sum, sort, cumulative share, then a Python function per customer."""
    revenue = tx.groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    cumulative = revenue.cumsum() / revenue.sum()
    return cumulative.apply(lambda share: "A" if share <= 0.8 else ("B" if share <= 0.95 else "C"))


def _rfm_baseline(tx: pd.DataFrame) -> pd.DataFrame:
    """The common recipe: groupby.agg, then qcut on rank(method="first") because plain qcut fails on ties."""
    table = tx.groupby("customer_id").agg(last=("date", "max"), frequency=("date", "count"),
                                          monetary=("amount", "sum"))
    table["recency"] = (AT - table["last"]).dt.days
    table["R"] = pd.qcut(table["recency"].rank(method="first", ascending=False), 5, labels=False) + 1
    table["F"] = pd.qcut(table["frequency"].rank(method="first"), 5, labels=False) + 1
    table["M"] = pd.qcut(table["monetary"].rank(method="first"), 5, labels=False) + 1
    return table


def run() -> list[dict]:
    tx = synthetic_transactions()
    customers = tx["customer_id"].nunique()
    size = f"{len(tx):,} transactions, {customers:,} customers"
    cases = [
        ("abc_classes (groupby sum + classes)", lambda: _abc_crmlab(tx), TARGET_SECONDS, size),
        ("baseline ABC: sort + cumsum + apply per customer", lambda: _abc_baseline(tx), None,
         "plain pandas, 'within' rule, ties split by row order"),
        ("rfm_scores (validated, ties='average')", lambda: rfm_scores(tx, "customer_id", "date", "amount", AT),
         TARGET_SECONDS, size),
        ("baseline RFM: groupby.agg + qcut(rank first)", lambda: _rfm_baseline(tx), None,
         "plain pandas, no input checks, ties split by row order"),
    ]
    rows = []
    for name, func, target, note in cases:
        timing = timed(func)
        wall, cpu = timing.seconds, timing.cpu_seconds
        rows.append({"benchmark": name, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                     "target_seconds": target, "note": note})
    return rows


def main() -> None:
    rows = run()
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
