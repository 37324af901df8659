"""Lesson 17 (客户服务与投诉): Haier's three controls by hand, service levels, the controls in 2025, service and churn.

The right answers come from the lesson's source notebook (``instructor/17_service_and_complaints.ipynb``);
its hand case lives in :mod:`crmlab.cases.operations`.
"""
from crmlab.exercises import Exercises, Mistake, Question, compare


def _year_2025(ns):
    tickets = ns["tickets"]
    return tickets[tickets["opened_at"].dt.year == 2025]


EXERCISES = Exercises("17", [
    Question(
        id="17.q1", variable="dissatisfaction", compare=compare.number(atol=1e-6),
        hints=[("The dissatisfaction rate counts only the requests whose customer answered the survey.",
                "服务不满率只统计客户接受了回访的请求。"),
               ("small['satisfied'] is empty (<NA>) for R04 and R10: leave them out of the denominator.",
                "R04 和 R10 的 small['satisfied'] 为空（<NA>）：分母里不要算它们。"),
               ("(small['satisfied'] == False).sum() / small['satisfied'].notna().sum(), or "
                "three_controls(small, 50)['dissatisfaction_rate']",
                "不满意的回答数除以接受回访的请求数：(small['satisfied'] == False).sum() / "
                "small['satisfied'].notna().sum()，或者直接用 three_controls(small, 50)['dissatisfaction_rate']")],
        mistakes=[
            Mistake("unsurveyed as satisfied", lambda ns: ns["small"]["satisfied"].eq(False).sum() / len(ns["small"]),
                    ("You divided by all requests; the customers who did not answer are unknown, not satisfied: "
                     "divide by the surveyed requests.",
                     "你除以了全部请求数；没有接听回访的客户是“不知道”，不是“满意”：分母应是接受回访的请求数。")),
            Mistake("satisfaction rate", lambda ns: 1 - ns["dissatisfaction"],
                    ("That is the share of satisfied answers; the question asks for the dissatisfied share.",
                     "你算的是满意的比例；题目问的是不满意的比例。")),
            Mistake("complaint rate", lambda ns: ns["three_controls"](ns["small"], 50)["complaint_rate"],
                    ("That is the complaint rate; the dissatisfaction rate comes from the survey answers.",
                     "这是服务投诉率；服务不满率来自回访的回答。")),
        ],
    ),
    Question(
        id="17.q2", variable="complaints_in_time", compare=compare.number(atol=1e-6),
        hints=[("levels has one row per kind of request.", "levels 每行是一类服务请求。"),
               ("resolution_within is the share resolved within the 48-hour target.",
                "resolution_within 是在 48 小时目标内解决的比例。"),
               ("levels.loc['complaint', 'resolution_within']",
                "写成代码：levels.loc['complaint', 'resolution_within']")],
        mistakes=[
            Mistake("response", lambda ns: ns["levels"].loc["complaint", "response_within"],
                    ("That is the share answered within 4 hours; the question asks for the share resolved within "
                     "48 hours.", "这是 4 小时内响应的比例；题目问的是 48 小时内解决的比例。")),
            Mistake("all kinds", lambda ns: ns["service_level"](ns["tickets"], response_target=4,
                                                               resolution_target=48)["resolution_within"].iloc[0],
                    ("That is the share for all requests; take the complaints only.",
                     "这是全部请求的比例；只看投诉。")),
            Mistake("not in time", lambda ns: 1 - ns["levels"].loc["complaint", "resolution_within"],
                    ("That is the share of complaints resolved late (or not at all); the question asks for those in "
                     "time.", "这是没有按时解决的投诉所占比例；题目问的是按时解决的比例。")),
        ],
    ),
    Question(
        id="17.q3", variable="omission_2025", compare=compare.number(atol=1e-6),
        hints=[("controls_2025 holds the three controls of 2025.", "controls_2025 里是 2025 年的三个控制指标。"),
               ("The omission rate (遗漏率) is the share of requests that were never recorded.",
                "服务遗漏率是从未录入系统的请求所占的比例。"),
               ("controls_2025['omission_rate']",
                "写成代码：controls_2025['omission_rate']")],
        mistakes=[
            Mistake("all years", lambda ns: ns["three_controls"](ns["tickets"], ns["served_2025"])["omission_rate"],
                    ("That is the omission rate over all years; keep the requests opened in 2025.",
                     "这是所有年份的遗漏率；只保留 2025 年创建的请求。")),
            Mistake("per customer", lambda ns: ns["controls_2025"]["unrecorded"] / ns["served_2025"],
                    ("You divided by the customers served; the omission rate is per request.",
                     "你除以了服务的客户数；服务遗漏率的分母是请求数。")),
            Mistake("complaint rate", lambda ns: ns["controls_2025"]["complaint_rate"],
                    ("That is the complaint rate; the omission rate counts the requests never recorded.",
                     "这是服务投诉率；服务遗漏率数的是从未录入的请求。")),
        ],
    ),
    Question(
        id="17.q4", variable="churn_ratio", compare=compare.number(atol=1e-6),
        hints=[("groups['churn_rate'] is the churn rate of each group of surveyed accounts.",
                "groups['churn_rate'] 是每组接受过回访的客户的流失率。"),
               ("Divide the churn rate of 'mostly unhappy' by that of 'mostly happy'.",
                "用“多数不满意”（'mostly unhappy'）的流失率除以“多数满意”（'mostly happy'）的流失率。"),
               ("groups.loc['mostly unhappy', 'churn_rate'] / groups.loc['mostly happy', 'churn_rate']",
                "写成代码：groups.loc['mostly unhappy', 'churn_rate'] / groups.loc['mostly happy', 'churn_rate']")],
        mistakes=[
            Mistake("inverted", lambda ns: ns["groups"].loc["mostly happy", "churn_rate"]
                    / ns["groups"].loc["mostly unhappy", "churn_rate"],
                    ("Your ratio is upside down: divide the unhappy group's churn rate by the happy group's.",
                     "你的比例分子分母颠倒了：应当用“多数不满意”组的流失率除以“多数满意”组的流失率。")),
            Mistake("counts", lambda ns: ns["groups"].loc["mostly unhappy", "churned"]
                    / ns["groups"].loc["mostly happy", "churned"],
                    ("You divided the numbers of accounts that left; compare the churn rates, since the groups differ "
                     "in size.", "你用的是流失客户数之比；各组人数不同，应当比较流失率。")),
            Mistake("difference", lambda ns: ns["groups"].loc["mostly unhappy", "churn_rate"]
                    - ns["groups"].loc["mostly happy", "churn_rate"],
                    ("That is the difference of the churn rates; the question asks how many times higher (a ratio).",
                     "这是两个流失率之差；题目问的是高出多少倍（比值）。")),
        ],
    ),
])
