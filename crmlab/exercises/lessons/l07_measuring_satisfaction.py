"""Lesson 07 (客户满意度的衡量): reputation, NPS, SERVQUAL gaps after reverse scoring, word of mouth.

The right answers come from the lesson's source notebook (instructor/07_measuring_satisfaction.ipynb); the
SERVQUAL survey is :func:`crmlab.cases.satisfaction.servqual_supermarket` (the student's own sample).
"""
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.i18n import tr
from crmlab.satisfaction import SERVQUAL_ITEMS, nps, servqual_gaps
from crmlab.satisfaction.labels import name

E_ITEMS, P_ITEMS = [f"E{i}" for i in range(1, 23)], [f"P{i}" for i in range(1, 23)]


def _explain_gap(key) -> str:
    items = SERVQUAL_ITEMS.index[SERVQUAL_ITEMS["dimension"] == key].tolist()
    negative = SERVQUAL_ITEMS.index[(SERVQUAL_ITEMS["dimension"] == key) & SERVQUAL_ITEMS["negative_1988"]].tolist()
    text = tr(f"{key} has items {items[0]}–{items[-1]}", f"{name(key)}包含第 {items[0]}–{items[-1]} 条")
    if negative:
        text += tr(f", of which {negative} are worded negatively and must be reversed first",
                   f"，其中第 {'、'.join(map(str, negative))} 条为反向措辞，需先反向计分")
    return text


def _gaps(ns: dict, reverse_e: bool = True, reverse_p: bool = True):
    """Dimension gaps with the negative items reversed on the E side, the P side, both or neither."""
    answers = ns["servqual"].copy()
    negative = SERVQUAL_ITEMS.index[SERVQUAL_ITEMS["negative_1988"]]
    for side, flag in (("E", reverse_e), ("P", reverse_p)):
        if flag:
            columns = [f"{side}{i}" for i in negative]
            answers[columns] = 8 - answers[columns]
    return servqual_gaps(answers, E_ITEMS, P_ITEMS)["dimensions"].mean()


def _count(ns: dict, group: str) -> int:
    return int((ns["groups"] == group).sum())


EXERCISES = Exercises("07", [
    Question(
        id="07.q1", variable="reputation_share", compare=compare.number(rtol=1e-9),
        hints=[("Reputation here: the share of respondents who rate the store 8 or more out of 10 overall.",
                "这里的美誉度：总体评价 `overall` 打 8 分及以上的受访者所占比例。"),
               ("(survey['overall'] >= 8).mean(), or reputation(survey, 'overall', threshold=8).",
                "可以写 (survey['overall'] >= 8).mean()，也可以直接调用 reputation(survey, 'overall', threshold=8)。")],
        mistakes=[
            Mistake("> 8", lambda ns: float((ns["survey"]["overall"] > 8).mean()),
                    ("You left out the respondents who gave exactly 8: the question says 8 or more.",
                     "你漏掉了正好打 8 分的受访者：题目说的是 8 分及以上。")),
            Mistake("count", lambda ns: int((ns["survey"]["overall"] >= 8).sum()),
                    ("That is the number of respondents; the question asks for their share.",
                     "这是人数；题目问的是所占比例。")),
            Mistake("recommend", lambda ns: float((ns["survey"]["recommend"] >= 8).mean()),
                    ("You used the recommend question; reputation here is read from the overall rating.",
                     "你用的是推荐意愿题 `recommend`；这里的美誉度看的是总体评价 `overall`。")),
            Mistake("percentage", lambda ns: 100 * ns["reputation_share"],
                    ("Your answer is a percentage: give the share as a fraction (25 % → 0.25).",
                     "你给的是百分数：请把比例写成小数（25% → 0.25）。")),
        ],
    ),
    Question(
        id="07.q2", variable="nps_score", compare=compare.number(rtol=1e-9, atol=1e-9),
        hints=[("NPS uses the 0–10 'recommend' question, not 'overall'.",
                "净推荐值用的是 0–10 分的推荐意愿题 `recommend`，而不是 `overall`。"),
               ("Promoters answer 9–10, detractors 0–6; NPS = 100 × (share of promoters − share of detractors).",
                "推荐者打 9–10 分，贬损者打 0–6 分；净推荐值 = 100 ×（推荐者比例 − 贬损者比例）。"),
               ("nps(survey['recommend']) does it.", "直接调用 nps(survey['recommend']) 即可一步算出。")],
        mistakes=[
            Mistake("fraction", lambda ns: ns["nps_score"] / 100,
                    ("Your NPS is a fraction; the NPS is written in points from −100 to 100 (multiply by 100).",
                     "你给的是小数；净推荐值用 −100 到 100 的分数表示（要乘以 100）。")),
            Mistake("overall", lambda ns: nps(ns["survey"]["overall"]),
                    ("You used the overall rating; the NPS is computed from the recommend question.",
                     "你用的是总体评价 `overall`；净推荐值要用推荐意愿题 `recommend` 计算。")),
            Mistake("promoters 8–10", lambda ns: 100 * float((ns["survey"]["recommend"] >= 8).mean()
                                                             - (ns["survey"]["recommend"] <= 6).mean()),
                    ("You counted 8 as a promoter; promoters answer 9 or 10, passives 7 or 8.",
                     "你把 8 分算作推荐者；推荐者是 9–10 分，7–8 分是被动者。")),
            Mistake("detractors 0–7", lambda ns: 100 * float((ns["survey"]["recommend"] >= 9).mean()
                                                             - (ns["survey"]["recommend"] <= 7).mean()),
                    ("You counted 7 as a detractor; detractors answer 0 to 6, passives 7 or 8.",
                     "你把 7 分算作贬损者；贬损者是 0–6 分，7–8 分是被动者。")),
        ],
    ),
    Question(
        id="07.q3", variable="dimension_gaps",
        compare=compare.series_by_key(rtol=1e-6, atol=1e-9, explain=_explain_gap, what=("gap", "差距")),
        hints=[("Items 10–13 and 18–22 of the 1988 questionnaire are worded negatively: reverse them (8 − x) on "
                "both the E and the P side.",
                "1988 年版问卷的第 10–13 条和第 18–22 条是反向措辞：E 和 P 两边都要反向计分（8 − x）。"),
               ("servqual_gaps(servqual, E_items, P_items, reverse=SERVQUAL_ITEMS['negative_1988']) does the "
                "reversal and returns per-respondent dimension gaps in ['dimensions'].",
                "servqual_gaps(servqual, E 题目, P 题目, reverse=SERVQUAL_ITEMS['negative_1988']) 会完成反向计分，"
                "并在 ['dimensions'] 中给出每位受访者在各维度上的差距。"),
               ("Average over respondents: ['dimensions'].mean().", "再对受访者求平均：['dimensions'].mean()。")],
        mistakes=[
            Mistake("not reversed", lambda ns: _gaps(ns, False, False),
                    ("You did not reverse-score the negatively worded items (10–13, 18–22): the responsiveness and "
                     "empathy gaps have the wrong sign.",
                     "你没有对反向措辞的题目（第 10–13、18–22 条）反向计分：响应性和移情性的差距正负颠倒了。")),
            Mistake("E − P", lambda ns: -ns["dimension_gaps"],
                    ("Your gaps have the opposite sign: the SERVQUAL gap is perception minus expectation, P − E.",
                     "你的差距正负号反了：SERVQUAL 差距是感知减期望，即 P − E。")),
            Mistake("only P reversed", lambda ns: _gaps(ns, False, True),
                    ("You reversed the negative items on the perception side only; reverse them on both sides.",
                     "你只对感知（P）一边的反向题做了反向计分；E 和 P 两边都要做。")),
            Mistake("only E reversed", lambda ns: _gaps(ns, True, False),
                    ("You reversed the negative items on the expectation side only; reverse them on both sides.",
                     "你只对期望（E）一边的反向题做了反向计分；E 和 P 两边都要做。")),
        ],
    ),
    Question(
        id="07.q4", variable="net_word_of_mouth", compare=compare.number(rtol=0, atol=0.5),
        hints=[("Count promoters (recommend 9–10) and detractors (0–6) with nps_groups.",
                "用 nps_groups 数出推荐者（`recommend` 为 9–10 分）和贬损者（0–6 分）的人数。"),
               ("Net listeners = 12 × promoters − 20 × detractors; it may well be negative.",
                "净听众数 = 12 × 推荐者人数 − 20 × 贬损者人数；结果完全可能是负数。")],
        mistakes=[
            Mistake("weights swapped", lambda ns: 20 * _count(ns, "promoter") - 12 * _count(ns, "detractor"),
                    ("You swapped the weights: a satisfied customer tells 12 people, a dissatisfied one 20.",
                     "你把两个系数弄反了：满意的顾客告诉 12 个人，不满意的顾客告诉 20 个人。")),
            Mistake("unweighted", lambda ns: _count(ns, "promoter") - _count(ns, "detractor"),
                    ("You counted customers, not listeners: multiply promoters by 12 and detractors by 20.",
                     "你数的是顾客，不是听众：推荐者要乘以 12，贬损者要乘以 20。")),
            Mistake("sign", lambda ns: -ns["net_word_of_mouth"],
                    ("Your answer has the wrong sign: net listeners = 12 × promoters − 20 × detractors.",
                     "你的答案正负号反了：净听众数 = 12 × 推荐者 − 20 × 贬损者。")),
            Mistake("passives as detractors", lambda ns: 12 * _count(ns, "promoter")
                    - 20 * (_count(ns, "detractor") + _count(ns, "passive")),
                    ("You counted passives (7–8) as detractors; only answers 0 to 6 are detractors.",
                     "你把被动者（7–8 分）也算作贬损者；只有 0–6 分才是贬损者。")),
        ],
    ),
])
