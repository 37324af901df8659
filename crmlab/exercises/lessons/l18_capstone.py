"""Lesson 18 (分析决策): the retail company's customers classified, measured, valued, and a retention budget spent.

The right answers come from the lesson's source notebook (``instructor/18_capstone.ipynb``); the case facts
and the customer table live in :mod:`crmlab.cases.operations`.
"""
from crmlab.exercises import Exercises, Mistake, Question, compare


def _offers(ns) -> int:
    return int(ns["facts"]["budget"] // ns["facts"]["cost"])


EXERCISES = Exercises("18", [
    Question(
        id="18.q1", variable="nps_all", compare=compare.number(atol=0.05),
        hints=[("The survey's recommend column holds the 0–10 'would you recommend us' answers.",
                "问卷的 recommend 列是“您会向别人推荐我们吗”的 0–10 分回答。"),
               ("NPS = % promoters (9–10) − % detractors (0–6), a number from −100 to 100.",
                "NPS = 推荐者（9–10 分）所占百分比 − 贬损者（0–6 分）所占百分比，取值在 −100 到 100 之间。"),
               ("nps(survey['recommend'])",
                "写成代码：nps(survey['recommend'])")],
        mistakes=[
            Mistake("fraction", lambda ns: ns["nps_all"] / 100,
                    ("NPS is given in points from −100 to 100, not as a fraction.",
                     "NPS 用 −100 到 100 的分值表示，不写成小数。")),
            Mistake("promoters only", lambda ns: 100 * (ns["survey"]["recommend"] >= 9).mean(),
                    ("That is the share of promoters; subtract the share of detractors (0–6).",
                     "这只是推荐者的占比；还要减去贬损者（0–6 分）的占比。")),
            Mistake("passives as detractors", lambda ns: 100 * ((ns["survey"]["recommend"] >= 9).mean()
                                                                - (ns["survey"]["recommend"] <= 8).mean()),
                    ("You counted the passives (7–8) as detractors; detractors answer 0–6.",
                     "你把被动者（7–8 分）也算成了贬损者；贬损者是 0–6 分。")),
        ],
    ),
    Question(
        id="18.q2", variable="value_total", compare=compare.number(rtol=1e-6),
        hints=[("table['value'] is each customer's expected profit over the next 12 months.",
                "table['value'] 是每位客户未来 12 个月的预期利润。"),
               ("Add it up over all customers.", "把所有客户的值加总。"),
               ("value_total = table['value'].sum()",
                "写成代码：value_total = table['value'].sum()")],
        mistakes=[
            Mistake("revenue", lambda ns: ns["table"]["clv"].sum(),
                    ("That is the expected revenue (CLV); the value is the profit, margin × CLV.",
                     "这是预期销售额（客户终身价值）；价值指的是利润，即毛利率 × 客户终身价值。")),
            Mistake("mean", lambda ns: ns["table"]["value"].mean(),
                    ("That is the mean per customer; the question asks for the whole base (the sum).",
                     "这是每位客户的平均值；题目问的是全体客户的合计。")),
            Mistake("gain", lambda ns: ns["table"]["gain"].sum(),
                    ("That is the sum of the offers' gains; the question asks for the customers' value.",
                     "这是优惠预期净收益的合计；题目问的是客户的价值。")),
        ],
    ),
    Question(
        id="18.q3", variable="targets", compare=compare.same_items(),
        hints=[("The budget buys facts['budget'] // facts['cost'] = 300 offers.",
                "预算能买 facts['budget'] // facts['cost'] = 300 份优惠。"),
               ("Give them to the customers with the largest expected gain of an offer (table['gain']).",
                "把优惠给一份优惠的预期净收益（table['gain']）最大的客户。"),
               ("targets = table['gain'].nlargest(300).index.tolist()",
                "写成代码：targets = table['gain'].nlargest(300).index.tolist()")],
        mistakes=[
            Mistake("smallest gains", lambda ns: ns["table"]["gain"].nsmallest(_offers(ns)).index.tolist(),
                    ("You took the customers with the smallest gains; sort from the largest.",
                     "你选的是预期净收益最小的客户；应当从最大的开始选。")),
            Mistake("RFM at risk", lambda ns: ns["rfm_pick"].tolist(),
                    ("You chose the RFM 'at risk' list; the money should follow the expected gain, not the label.",
                     "你选的是 RFM“流失风险”名单；钱应当跟着预期净收益走，而不是跟着标签走。")),
            Mistake("p_alive", lambda ns: ns["table"]["p_alive"].nlargest(_offers(ns)).index.tolist(),
                    ("You ranked by the probability of being alive; rank by the expected gain of an offer.",
                     "你按存活概率排序了；应当按一份优惠的预期净收益排序。")),
        ],
    ),
    Question(
        id="18.q4", variable="worth_it", compare=compare.number(atol=0.5),
        hints=[("An offer pays for itself when uplift × value is larger than the cost, i.e. gain > 0.",
                "当 uplift × value 大于成本，即 gain > 0 时，一份优惠就能收回成本。"),
               ("Count the customers whose gain is above 0.", "数一数 gain 大于 0 的客户有多少。"),
               ("worth_it = (table['gain'] > 0).sum()",
                "写成代码：worth_it = (table['gain'] > 0).sum()")],
        mistakes=[
            Mistake("the budget", lambda ns: _offers(ns),
                    ("That is the number of offers the budget pays for; count the customers whose gain is above 0.",
                     "这是预算能买到的优惠份数；请数一数预期净收益大于 0 的客户。")),
            Mistake("no uplift", lambda ns: (ns["table"]["value"] > ns["facts"]["cost"]).sum(),
                    ("You compared the whole value with the cost; an offer adds only uplift × value.",
                     "你拿全部价值和成本比较了；一份优惠只增加 uplift × value。")),
            Mistake("revenue", lambda ns: (ns["facts"]["uplift"] * ns["table"]["clv"] > ns["facts"]["cost"]).sum(),
                    ("You used the revenue (CLV) instead of the profit (value).",
                     "你用了销售额（客户终身价值），而不是利润（value）。")),
        ],
    ),
])
