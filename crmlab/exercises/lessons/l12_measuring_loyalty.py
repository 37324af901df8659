"""Lesson 12 (客户忠诚的衡量): repeat-purchase rate, quarterly retention, a cohort cell, declining customers.

The right answers come from ``instructor/12_measuring_loyalty.ipynb`` run on the student's world; this
module holds what a notebook cannot: comparators, hints, points and the mistakes each check names.
"""
import pandas as pd

from crmlab.exercises import Exercises, Question, compare
from crmlab.exercises.core import Mistake
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.loyalty import purchase_growth, retention_by_period

COHORT, COHORT_AGE = pd.Period("2023Q1", freq="Q"), 4


def _explain_quarter(period) -> str:
    table = retention_by_period(namespace("12")["sales"], "customer_id", "date", freq="Q")
    return tr(f"in {period} {int(table.loc[period, 'active'])} customers bought, "
              f"{int(table.loc[period, 'new'])} of them for the first time",
              f"{period} 有 {int(table.loc[period, 'active'])} 位客户购买，其中 {int(table.loc[period, 'new'])} 位是首次购买")


def _quarters(ns) -> pd.DataFrame:
    return retention_by_period(ns["sales"], "customer_id", "date", freq="Q")


def _growth(ns) -> pd.Series:
    return purchase_growth(ns["sales"], "customer_id", "date", "amount", freq="Y")["growth"]


EXERCISES = Exercises("12", [
    Question(
        id="12.q1", variable="repeat_rate", compare=compare.number(rtol=1e-9),
        hints=[("A repeat buyer bought on at least two different days.",
                "回头客（repeat buyer）是在至少两个不同日子购买过的客户。"),
               ("repeat_purchase_rate(sales, 'customer_id', 'date') gives the share of such customers.",
                "repeat_purchase_rate(sales, 'customer_id', 'date') 直接给出这类客户所占的比例。")],
        mistakes=[
            Mistake("rows instead of days",
                    lambda ns: ns["sales"].groupby("customer_id").size().gt(1).mean(),
                    ("You counted transaction rows: two rows on the same day are one purchase trip.",
                     "你数的是交易记录的行数：同一天的两行只算一次购买。")),
            Mistake("one-time buyers",
                    lambda ns: 1 - ns["repeat_rate"],
                    ("That is the share of customers who bought only once; the question asks for repeat buyers.",
                     "这是只买过一次的客户的比例；题目问的是回头客的比例。")),
            Mistake("count instead of share",
                    lambda ns: ns["repeat_rate"] * ns["sales"]["customer_id"].nunique(),
                    ("That is a number of customers; the question asks for a share (a fraction of all customers).",
                     "这是客户人数；题目问的是占全部客户的比例（小数）。")),
        ],
    ),
    Question(
        id="12.q2", variable="quarterly_retention",
        compare=compare.series_by_key(rtol=1e-9, explain=_explain_quarter, what=("retention rate", "保持率")),
        hints=[("retention_by_period(sales, 'customer_id', 'date', freq='Q') gives one row per quarter.",
                "retention_by_period(sales, 'customer_id', 'date', freq='Q') 每个季度给出一行。"),
               ("Keep its 'retention_rate' column: retained ÷ active in the previous quarter (new customers "
                "do not count as retained).",
                "取其中的 'retention_rate' 列：保留客户数 ÷ 上一季度的活跃客户数（新客户不算保留客户）。")],
        mistakes=[
            Mistake("new counted as retained",
                    lambda ns: (_quarters(ns)["active"] / _quarters(ns)["active"].shift()).iloc[1:],
                    ("You counted this quarter's new customers as retained: only last quarter's customers "
                     "who buy again are retained.",
                     "你把本季度的新客户也算成了保留客户：只有上季度的客户再次购买才算保留。")),
            Mistake("churn instead of retention",
                    lambda ns: _quarters(ns)["churn_rate"],
                    ("That is the churn rate (1 − retention); the question asks for the retention rate.",
                     "这是流失率（1 − 保持率）；题目问的是客户保持率。")),
            Mistake("divided by this quarter",
                    lambda ns: (_quarters(ns)["retained"] / _quarters(ns)["active"]).iloc[1:],
                    ("You divided by this quarter's active customers; retention divides by last quarter's.",
                     "你除以的是本季度的活跃客户数；保持率应除以上一季度的活跃客户数。")),
        ],
    ),
    Question(
        id="12.q3", variable="cohort_share", compare=compare.number(rtol=1e-9),
        hints=[("cohort_table(sales, 'customer_id', 'date', freq='Q') has one row per acquisition quarter.",
                "cohort_table(sales, 'customer_id', 'date', freq='Q') 每个获客季度占一行。"),
               ("Row pd.Period('2023Q1', freq='Q'), column 4 (quarters since acquisition).",
                "取行 pd.Period('2023Q1', freq='Q')、列 4（获客后的第 4 个季度）。")],
        mistakes=[
            Mistake("one quarter early",
                    lambda ns: ns["cohorts"].loc[COHORT, COHORT_AGE - 1],
                    ("You read one quarter too early: column 0 is the quarter of the first purchase, so 4 quarters "
                     "later is column 4.",
                     "你早读了一个季度：第 0 列是首次购买的季度，往后 4 个季度是第 4 列。")),
            Mistake("one quarter late",
                    lambda ns: ns["cohorts"].loc[COHORT, COHORT_AGE + 1],
                    ("You read one quarter too late: 4 quarters after the first purchase is column 4.",
                     "你晚读了一个季度：首次购买后第 4 个季度是第 4 列。")),
            Mistake("all cohorts",
                    lambda ns: ns["cohorts"][COHORT_AGE].mean(),
                    ("That is the mean over all cohorts; the question asks about the 2023Q1 cohort only.",
                     "这是所有同期群的平均值；题目只问 2023Q1 这一个同期群。")),
        ],
    ),
    Question(
        id="12.q4", variable="declining_share", compare=compare.number(rtol=1e-9),
        hints=[("purchase_growth(sales, 'customer_id', 'date', 'amount', freq='Y') compares 2025 with 2024.",
                "purchase_growth(sales, 'customer_id', 'date', 'amount', freq='Y') 比较 2025 年与 2024 年的消费。"),
               ("Customers with no 2024 purchases have growth NaN: drop them (.dropna()).",
                "2024 年没有消费的客户，增长率为 NaN：先用 .dropna() 去掉他们。"),
               ("The share below zero: growth.dropna().lt(0).mean().",
                "再求小于零的比例：growth.dropna().lt(0).mean()。")],
        mistakes=[
            Mistake("NaN kept",
                    lambda ns: _growth(ns).lt(0).mean(),
                    ("You kept the customers who bought nothing in 2024: they cannot decline, drop them first.",
                     "你保留了 2024 年没有消费的客户：他们谈不上下降，应先去掉。")),
            Mistake("growing instead",
                    lambda ns: _growth(ns).dropna().gt(0).mean(),
                    ("That is the share who spent more; the question asks who spent less.",
                     "这是消费增加的客户比例；题目问的是消费减少的。")),
            Mistake("count instead of share",
                    lambda ns: _growth(ns).dropna().lt(0).sum(),
                    ("That is a number of customers; the question asks for a share of the 2024 buyers.",
                     "这是客户人数；题目问的是占 2024 年购买客户的比例。")),
        ],
    ),
])
