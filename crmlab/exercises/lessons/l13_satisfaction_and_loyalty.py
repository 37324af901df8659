"""Lesson 13 (客户满意与客户忠诚): satisfaction vs repeat purchase, switching costs as a moderator, the typology.

The right answers come from ``instructor/13_satisfaction_and_loyalty.ipynb`` run on the student's world;
this module holds what a notebook cannot: comparators, hints, points and the mistakes each check names.
"""
import pandas as pd

from crmlab.exercises import Exercises, Question, compare
from crmlab.exercises.core import Mistake
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.loyalty import switching_cost_scores, switching_cost_table
from crmlab.loyalty.labels import to_codes


def _explain_dominant(customer) -> str:
    scores = switching_cost_scores(namespace("13")["ratings"]).loc[customer]
    return tr(f"{customer}'s group means are procedural {scores['procedural']:.2f}, financial "
              f"{scores['financial']:.2f}, relational {scores['relational']:.2f}",
              f"{customer} 的各类均值：程序性 {scores['procedural']:.2f}，财务性 {scores['financial']:.2f}，"
              f"关系性 {scores['relational']:.2f}")


def _trapped(ns, high_cost: bool, unsatisfied) -> float:
    data = ns["data"]
    cost = data["true_switching_cost"]
    mask = (cost > cost.median()) if high_cost else ~(cost > cost.median())
    return float(data.loc[mask & unsatisfied(data["overall"]), "purchases_per_year"].mean())


def _group_sums(ratings: pd.DataFrame) -> pd.Series:
    groups = switching_cost_table()["group"]
    return ratings.T.groupby(groups).sum().T.idxmax(axis=1)


EXERCISES = Exercises("13", [
    Question(
        id="13.q1", variable="corr_behaviour", compare=compare.number(rtol=1e-6, atol=1e-9),
        hints=[("Pearson's correlation of two columns: data['overall'].corr(data['purchases_per_year']).",
                "两列之间的皮尔逊（Pearson）相关系数：data['overall'].corr(data['purchases_per_year'])。")],
        mistakes=[
            Mistake("intent instead of behaviour",
                    lambda ns: ns["data"]["overall"].corr(ns["data"]["repurchase_intent"]),
                    ("That is the correlation with repurchase intent (what customers say); the question asks "
                     "about purchases per year (what they do).",
                     "这是与再购意向（客户怎么说）的相关系数；题目问的是与每年购买次数（客户怎么做）的相关系数。")),
            Mistake("spearman",
                    lambda ns: ns["data"]["overall"].corr(ns["data"]["purchases_per_year"], method="spearman"),
                    ("That is Spearman's rank correlation; the question asks for Pearson's (the default of .corr).",
                     "这是斯皮尔曼等级相关系数；题目要的是皮尔逊相关系数（默认的计算方法）。")),
            Mistake("squared",
                    lambda ns: ns["corr_behaviour"] ** 2,
                    ("That looks like the correlation squared (R²); give the correlation itself.",
                     "这像是相关系数的平方（R²）；请给出相关系数本身。")),
        ],
    ),
    Question(
        id="13.q2", variable="trapped_rate", compare=compare.number(rtol=1e-9),
        hints=[("High switching cost: true_switching_cost above its median (>, not >=).",
                "转换成本高：true_switching_cost 高于其中位数（用 >，不是 >=）。"),
               ("Not satisfied: overall below 8.", "不满意：overall 低于 8 分。"),
               ("Combine the two masks with & and take the mean of purchases_per_year.",
                "用 & 把两个条件合起来，再求 purchases_per_year 的平均值。")],
        mistakes=[
            Mistake("satisfied instead",
                    lambda ns: _trapped(ns, True, lambda overall: overall >= 8),
                    ("You took the satisfied customers; the question asks about the unsatisfied (overall below 8).",
                     "你选的是满意的客户；题目问的是不满意的客户（`overall` 低于 8 分）。")),
            Mistake("low cost instead",
                    lambda ns: _trapped(ns, False, lambda overall: overall < 8),
                    ("You took the customers with low switching cost; the question asks about those above the median.",
                     "你选的是转换成本低的客户；题目问的是转换成本高于中位数的客户。")),
            Mistake("8 counted as unsatisfied",
                    lambda ns: _trapped(ns, True, lambda overall: overall <= 8),
                    ("An overall score of 8 counts as satisfied: unsatisfied means below 8.",
                     "总体满意度 8 分算满意：不满意是指低于 8 分。")),
        ],
    ),
    Question(
        id="13.q3", variable="dominant",
        compare=lambda answer, expected: compare.series_by_key(
            explain=_explain_dominant, what=("group", "类别"))(to_codes(answer), expected),
        hints=[("switching_cost_scores(ratings) averages the items of each group: procedural (4 items), "
                "financial (2), relational (2).",
                "switching_cost_scores(ratings) 对每类转换成本的各项求平均：程序性（4 项）、财务性（2 项）、关系性（2 项）。"),
               ("Its 'dominant' column names the group with the highest mean.",
                "其中的 'dominant' 列给出均值最高的那一类。")],
        mistakes=[
            Mistake("sums instead of means",
                    lambda ns: _group_sums(ns["ratings"]),
                    ("You added the items of each group: procedural has four items, so compare the group means.",
                     "你把每类的各项加总了：程序性有四项，应比较各类的平均值。")),
            Mistake("weakest group",
                    lambda ns: switching_cost_scores(ns["ratings"])[["procedural", "financial", "relational"]]
                    .idxmin(axis=1),
                    ("You picked the group with the lowest mean; the dominant group has the highest.",
                     "你选的是均值最低的一类；主要类别是均值最高的那一类。")),
        ],
    ),
])
