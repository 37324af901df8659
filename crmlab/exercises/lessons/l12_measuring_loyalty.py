"""Lesson 12 (客户忠诚的衡量): repeat-purchase rate, quarterly retention, a cohort cell, declining customers."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.loyalty import cohort_table, purchase_growth, repeat_purchase_rate, retention_by_period

COHORT, COHORT_AGE = "2023Q1", 4


def _sales() -> pd.DataFrame:
    return datasets.load("retail")["transactions"]


def _repeat_rate() -> float:
    return repeat_purchase_rate(_sales(), "customer_id", "date")


def _retention() -> pd.Series:
    return retention_by_period(_sales(), "customer_id", "date", freq="Q")["retention_rate"]


def _explain_quarter(period) -> str:
    table = retention_by_period(_sales(), "customer_id", "date", freq="Q")
    return tr(f"in {period} {int(table.loc[period, 'active'])} customers bought, "
              f"{int(table.loc[period, 'new'])} of them for the first time",
              f"{period} 有 {int(table.loc[period, 'active'])} 位客户购买，其中 {int(table.loc[period, 'new'])} 位是首次购买")


def _cohort_share() -> float:
    table = cohort_table(_sales(), "customer_id", "date", freq="Q")
    return float(table.loc[pd.Period(COHORT, freq="Q"), COHORT_AGE])


def _declining_share() -> float:
    growth = purchase_growth(_sales(), "customer_id", "date", "amount", freq="Y")["growth"]
    # growth is NaN for customers who bought nothing the year before: they cannot decline.
    return float(growth.dropna().lt(0).mean())


EXERCISES = Exercises("12", [
    Question(
        id="12.q1", variable="repeat_rate", legacy_expected=_repeat_rate, compare=compare.number(rtol=1e-9),
        hints=["A repeat buyer bought on at least two different days.",
               "repeat_purchase_rate(sales, 'customer_id', 'date') gives the share of such customers."],
        legacy_solution='repeat_rate = repeat_purchase_rate(sales, "customer_id", "date")',
    ),
    Question(
        id="12.q2", variable="quarterly_retention", legacy_expected=_retention,
        compare=compare.series_by_key(rtol=1e-9, explain=_explain_quarter, what="retention rate"),
        hints=["retention_by_period(sales, 'customer_id', 'date', freq='Q') gives one row per quarter.",
               "Keep its 'retention_rate' column: retained ÷ active in the previous quarter (new customers "
               "do not count as retained)."],
        legacy_solution=('quarterly_retention = retention_by_period(sales, "customer_id", "date", freq="Q")'
                       '["retention_rate"]'),
    ),
    Question(
        id="12.q3", variable="cohort_share", legacy_expected=_cohort_share, compare=compare.number(rtol=1e-9),
        hints=["cohort_table(sales, 'customer_id', 'date', freq='Q') has one row per acquisition quarter.",
               "Row pd.Period('2023Q1', freq='Q'), column 4 (quarters since acquisition)."],
        legacy_solution=('cohorts = cohort_table(sales, "customer_id", "date", freq="Q")\n'
                       'cohort_share = cohorts.loc[pd.Period("2023Q1", freq="Q"), 4]'),
    ),
    Question(
        id="12.q4", variable="declining_share", legacy_expected=_declining_share, compare=compare.number(rtol=1e-9),
        hints=["purchase_growth(sales, 'customer_id', 'date', 'amount', freq='Y') compares 2025 with 2024.",
               "Customers with no 2024 purchases have growth NaN: drop them (.dropna()).",
               "The share below zero: growth.dropna().lt(0).mean()."],
        legacy_solution=('growth = purchase_growth(sales, "customer_id", "date", "amount", freq="Y")["growth"]\n'
                       'declining_share = growth.dropna().lt(0).mean()'),
    ),
])
