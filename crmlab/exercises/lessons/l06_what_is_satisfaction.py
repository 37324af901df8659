"""Lesson 06 (客户满意的概念): C = b/a per respondent, the dissatisfied share, managing expectations, delivered value.

The right answers come from the lesson's source notebook (instructor/06_what_is_satisfaction.ipynb); the
delivered-value case is :func:`crmlab.cases.satisfaction.delivered_value_stores`.
"""
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.satisfaction import satisfaction_level, satisfaction_ratio


def _explain_c(key) -> str:
    row = namespace("06")["survey"].loc[key]
    a, b = row["expect_quality"], row["perceive_quality"]
    return tr(f"that respondent expected a = {a} and perceived b = {b}",
              f"该受访者的期望 a = {a}，感知 b = {b}")


def _c(ns: dict, attribute: str, inverted: bool = False):
    b, a = ns["survey"][f"perceive_{attribute}"], ns["survey"][f"expect_{attribute}"]
    return satisfaction_ratio(a, b) if inverted else satisfaction_ratio(b, a)


def _dv(ns: dict):
    from crmlab.cases.satisfaction import COST_COLUMNS, VALUE_COLUMNS
    from crmlab.satisfaction import delivered_value

    return delivered_value(ns["stores"], VALUE_COLUMNS, COST_COLUMNS)


EXERCISES = Exercises("06", [
    Question(
        id="06.q1", variable="c_quality",
        compare=compare.series_by_key(rtol=1e-6, explain=_explain_c, what=("ratio", "比值")),
        hints=[("C = b / a: perception over expectation, respondent by respondent.",
                "C = b / a：感知除以期望，逐个受访者计算。"),
               ("b is survey['perceive_quality'], a is survey['expect_quality'].",
                "感知 b 就是 survey['perceive_quality']，期望 a 就是 survey['expect_quality']。"),
               ("satisfaction_ratio(perception, expectation) divides them and keeps the response_id index.",
                "satisfaction_ratio(感知, 期望) 做除法，并保留 response_id 索引。")],
        mistakes=[
            Mistake("a / b", lambda ns: _c(ns, "quality", inverted=True),
                    ("You divided expectation by perception: in C = b / a the perception b is on top.",
                     "你用期望除以了感知：C = b / a 中，感知 b 是分子。")),
            Mistake("service instead of quality", lambda ns: _c(ns, "service"),
                    ("Those are the ratios for service; the question asks about quality.",
                     "这是服务的比值；题目问的是商品质量。")),
            Mistake("difference", lambda ns: ns["survey"]["perceive_quality"] - ns["survey"]["expect_quality"],
                    ("You took the difference b − a; the course's C is the ratio b / a.",
                     "你算的是差 b − a；课程中的 C 是比值 b / a。")),
        ],
    ),
    Question(
        id="06.q2", variable="share_dissatisfied", compare=compare.number(rtol=1e-9, atol=1e-9),
        hints=[("First compute C for service: perceive_service over expect_service.",
                "先算服务的 C：perceive_service 除以 expect_service。"),
               ("satisfaction_level(C) labels each respondent; the default band (0.95, 1.05) is the lesson's.",
                "satisfaction_level(C) 给每位受访者贴上标签；默认范围 (0.95, 1.05) 就是本课用的。"),
               ("The share is the mean of (level == 'dissatisfied'), a fraction between 0 and 1.",
                "比例就是 (level == 'dissatisfied') 的平均值，是 0 到 1 之间的小数。")],
        mistakes=[
            Mistake("percentage", lambda ns: 100 * ns["share_dissatisfied"],
                    ("Your answer is a percentage: give the share as a fraction (25 % → 0.25).",
                     "你给的是百分数：请把比例写成小数（25% → 0.25）。")),
            Mistake("C <= 1", lambda ns: float((_c(ns, "service") <= 1).mean()),
                    ("You counted C = 1 as dissatisfied; C about 1 (0.95 to 1.05) is ordinary, only C < 0.95 is "
                     "dissatisfied.",
                     "你把 C = 1 也算作不满意；C 约等于 1（0.95 到 1.05）是一般，只有 C < 0.95 才是不满意。")),
            Mistake("count", lambda ns: int((satisfaction_level(_c(ns, "service")) == "dissatisfied").sum()),
                    ("That is the number of dissatisfied respondents; the question asks for their share.",
                     "这是不满意的人数；题目问的是他们所占的比例。")),
            Mistake("quality instead of service",
                    lambda ns: float((satisfaction_level(_c(ns, "quality")) == "dissatisfied").mean()),
                    ("That is the share for quality; the question asks about service.",
                     "这是商品质量的比例；题目问的是服务。")),
        ],
    ),
    Question(
        id="06.q3", variable="best_promise", compare=compare.number(rtol=0, atol=0.051),
        hints=[("expectation_outcomes(grid, performance=7) gives total purchases for every promise on the grid.",
                "expectation_outcomes(grid, performance=7) 给出网格上每个承诺水平的购买总数。"),
               ("The best promise is the index (expectation) with the largest total_purchases: .idxmax().",
                "最优承诺就是 total_purchases 最大的那一行的索引（期望）：.idxmax()。"),
               ("best_expectation(performance=7) does both steps on the grid 1–10 by 0.1.",
                "best_expectation(performance=7) 在 1–10、步长 0.1 的网格上一步完成。")],
        mistakes=[
            Mistake("a = b", lambda ns: 7.0,
                    ("Promising exactly what the product delivers (a = b) is not this model's optimum: compare "
                     "total purchases across the whole grid.",
                     "承诺恰好等于实际表现（a = b）并不是这个模型的最优解：请在整个网格上比较购买总数。")),
            Mistake("most first buyers", lambda ns: 10.0,
                    ("The highest promise wins the most first buyers, but the question counts first and repeat "
                     "purchases together.",
                     "承诺最高时首次购买最多，但题目要的是首次和重复购买的总数。")),
        ],
    ),
    Question(
        id="06.q4", variable="best_store", compare=compare.exact(),
        hints=[("Delivered value = total customer value − total customer cost.",
                "客户让渡价值 = 顾客总价值 − 顾客总成本。"),
               ("Total value adds product, service, personnel and image; total cost adds money, time, energy, effort.",
                "总价值 = product + service + personnel + image；总成本 = money + time + energy + effort。"),
               ("delivered_value(stores, value_columns, cost_columns) does the sums; take idxmax of 'delivered_value'.",
                "delivered_value(stores, 价值列, 成本列) 完成求和；再取 'delivered_value' 列的 idxmax。")],
        mistakes=[
            Mistake("cheapest", lambda ns: _dv(ns)["total_cost"].idxmin(),
                    ("That store costs the customer least, but delivered value is value minus cost.",
                     "这家超市让顾客付出的成本最低，但让渡价值是价值减去成本。")),
        ],
    ),
])
