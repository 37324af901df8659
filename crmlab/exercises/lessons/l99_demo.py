"""Lesson 99 (demo): three quick questions on a tiny sales table, used to test assign and grade.

The table is per-student (seeded from the student ID) but needs no synthetic world, so a
kernel grades it in well under a second.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.exercises import compare
from crmlab.exercises.core import Exercises, Question
from crmlab.student import own_seed

DEFAULT_SEED = 99


def demo_sales(student_id: str | None = None) -> pd.DataFrame:
    """Eight customers' yearly revenue (销售额), different for every student ID."""
    rng = np.random.default_rng(own_seed(DEFAULT_SEED, student_id))
    customers = pd.Index([f"C{i:02d}" for i in range(1, 9)], name="customer_id")
    return pd.DataFrame({"revenue": rng.integers(100, 5_000, size=8).astype(float)}, index=customers)


def _total() -> float:
    return float(demo_sales()["revenue"].sum())


def _top_customers() -> list[str]:
    revenue = demo_sales()["revenue"]
    return list(revenue.index[revenue >= revenue.mean()])


def _top_share() -> float:
    revenue = demo_sales()["revenue"]
    return float(revenue.max() / revenue.sum())


EXERCISES = Exercises("99", [
    Question("99.q1", "total", compare.number(), reference=lambda ns: _total(),
             hints=["Sum the revenue column."], solution_text="total = sales['revenue'].sum()"),
    Question("99.q2", "top_customers", compare.same_items(), reference=lambda ns: _top_customers(),
             hints=["Compare each revenue with the mean revenue."],
             solution_text="top_customers = list(sales.index[sales['revenue'] >= sales['revenue'].mean()])"),
    Question("99.q3", "share", compare.number(rtol=1e-3), points=2.0, reference=lambda ns: _top_share(),
             hints=["The largest revenue divided by the total."],
             solution_text="share = sales['revenue'].max() / sales['revenue'].sum()"),
])
