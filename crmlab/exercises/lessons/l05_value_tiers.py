"""Lesson 05 (客户分层与价值变动): the customer pyramid by count and by profit, and the three lists
of the CRM lab system (价值客户、价值变动客户、问题客户) from a 2024 vs 2025 comparison. The answers
come from the lesson's source notebook; this module holds the checks."""
from crmlab.classify import value_change, value_tiers
from crmlab.classify.labels import to_codes
from crmlab.classify.tiers import STATUSES_ZH
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr


def _explain_status(key) -> str:
    row = namespace("05")["changes"].loc[key]
    return tr(f"that customer spent {row['value_1']:.2f} in 2024 and {row['value_2']:.2f} in 2025 and complained "
              f"{int(row['complaints'])} time(s) in 2025",
              f"该客户 2024 年消费 {row['value_1']:.2f}，2025 年消费 {row['value_2']:.2f}，2025 年投诉 {int(row['complaints'])} 次")


def _statuses(comparator):
    """Accept a status written as a code ("problem") or as the course's name ("问题客户")."""
    return lambda answer, expected: comparator(to_codes(answer, "status"), expected)


def _changes(ns, first="revenue_2024_all", second="revenue_2025_all", complaints="complaints_2025"):
    return value_change(ns[first], ns[second], ns[complaints] if complaints else None)["status"]


def _tickets_2025(ns):
    tickets = ns["tickets"]
    return tickets[tickets["opened_at"].dt.year == 2025].groupby("customer_id").size()


def _at_risk(ns, column="value_1", status="problem"):
    changes = ns["changes"]
    return float(changes.loc[changes["status"] == status, column].sum())


_STATUS_WORDS = "、".join(STATUSES_ZH.values())

EXERCISES = Exercises("05", [
    Question(
        id="05.q1", variable="n_vip", compare=compare.exact(),
        hints=[("tiers = value_tiers(revenue_2025) places every 2025 buyer in VIP / major / ordinary / small.",
                "tiers = value_tiers(revenue_2025) 把 2025 年的每位购买者分到 VIP、major（主要）、ordinary（普通）、"
                "small（小）四层。"),
               ("(tiers == 'VIP').sum() counts the VIP customers.", "(tiers == 'VIP').sum() 统计 VIP 客户的人数。")],
        mistakes=[
            Mistake("top fifth", lambda ns: int(ns["tiers"].isin(["VIP", "major"]).sum()),
                    ("You counted VIP and major customers together; count the VIP tier only.",
                     "你把 VIP 客户和主要客户一起数了；只数 VIP 这一层。")),
            Mistake("all three years", lambda ns: int((value_tiers(ns["sales"].groupby("customer_id")["amount"].sum())
                                                       == "VIP").sum()),
                    ("You ranked customers by their revenue of all three years; the pyramid is for 2025.",
                     "你按三年的总销售额排了序；这个金字塔只看 2025 年。")),
            Mistake("share not count", lambda ns: float((ns["tiers"] == "VIP").mean()),
                    ("That is the share of VIP customers; the question asks how many there are.",
                     "这是 VIP 客户的占比；题目问的是人数。")),
        ],
    ),
    Question(
        id="05.q2", variable="platinum_share", compare=compare.number(rtol=1e-6),
        hints=[("profit_tiers = profit_pyramid(profit) labels each customer platinum / gold / iron / lead.",
                "profit_tiers = profit_pyramid(profit) 把每位客户标为 platinum（铂金）、gold（黄金）、iron（铁）"
                "或 lead（铅）。"),
               ("Add up the profit of the platinum customers and divide by the total profit of all customers.",
                "把铂金客户的利润加总，再除以全部客户的总利润。"),
               ("Give a fraction such as 0.3, not 30.", "请写成小数，例如 0.3，而不是 30。")],
        mistakes=[
            Mistake("share of customers", lambda ns: float((ns["profit_tiers"] == "platinum").mean()),
                    ("That is the share of customers who are platinum; the question asks for their share of profit.",
                     "这是铂金客户占客户数的比例；题目问的是他们占利润的比例。")),
            Mistake("revenue not profit", lambda ns: float(
                ns["revenue_2025"][ns["profit_tiers"] == "platinum"].sum() / ns["revenue_2025"].sum()),
                    ("You used revenue; the profit pyramid is about profit (margin minus the cost to serve).",
                     "你用的是销售额；利润金字塔看的是利润（毛利减去服务成本）。")),
            Mistake("percentage", lambda ns: 100 * ns["platinum_share"],
                    ("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                     "你的答案像是百分数：请写成小数（80% → 0.8）。")),
            Mistake("positive profit only", lambda ns: float(
                ns["profit"][ns["profit_tiers"] == "platinum"].sum() / ns["profit"].clip(lower=0).sum()),
                    ("Divide by the total profit of all customers, lead customers' losses included.",
                     "分母是全部客户的总利润，铅客户的亏损也要算进去。")),
        ],
    ),
    Question(
        id="05.q3", variable="status", compare=_statuses(compare.series_by_key(explain=_explain_status,
                                                                                what=("status", "客户的名单类别"))),
        hints=[("value_change(period1, period2, complaints) compares the two years customer by customer.",
                "value_change(period1, period2, complaints) 逐个客户比较两年的情况。"),
               ("Use revenue_2024_all and revenue_2025_all (every customer, 0 when they did not buy) and "
                "complaints_2025.",
                "使用 revenue_2024_all 和 revenue_2025_all（包含每位客户，没有购买记为 0）以及 complaints_2025。"),
               ("The answer is the 'status' column of its result.",
                f"答案是结果中的 `status` 列（取值 problem、value_change、value、regular，即{_STATUS_WORDS}）。")],
        mistakes=[
            Mistake("years swapped", lambda ns: _changes(ns, "revenue_2025_all", "revenue_2024_all"),
                    ("You passed the two years the other way round: 2024 first, then 2025.",
                     "你把两年的顺序弄反了：应先传 2024 年，再传 2025 年。")),
            Mistake("no complaints", lambda ns: _changes(ns, complaints=None),
                    ("Your lists leave out the complaints: a customer who complained in 2025 is a problem customer.",
                     "你的名单没有考虑投诉：2025 年投诉过的客户是问题客户。")),
            Mistake("every ticket a complaint", lambda ns: value_change(
                ns["revenue_2024_all"], ns["revenue_2025_all"], _tickets_2025(ns))["status"],
                    ("You counted every service ticket as a complaint; count only tickets of kind 'complaint'.",
                     "你把所有服务工单都当成了投诉；只统计类型为 complaint 的工单。")),
        ],
    ),
    Question(
        id="05.q4", variable="revenue_at_risk", compare=compare.number(rtol=1e-6),
        hints=[("changes['status'] == 'problem' marks the problem customers.",
                "changes['status'] == 'problem' 标出问题客户。"),
               ("Add up their value_1 (their 2024 revenue).", "把他们的 value_1（2024 年的销售额）加总。")],
        mistakes=[
            Mistake("2025 revenue", lambda ns: _at_risk(ns, "value_2"),
                    ("You added up their 2025 revenue (value_2); the revenue at stake is what they spent in 2024.",
                     "你加总的是他们 2025 年的销售额（value_2）；面临风险的是他们 2024 年的消费。")),
            Mistake("lapsed only", lambda ns: float(ns["changes"].loc[ns["changes"]["lapsed"], "value_1"].sum()),
                    ("You counted only lapsed customers; complaining customers are problem customers too.",
                     "你只算了已流失的客户；投诉的客户也是问题客户。")),
            Mistake("share not amount", lambda ns: _at_risk(ns) / float(ns["changes"]["value_1"].sum()),
                    ("That is a share of the 2024 revenue; the question asks for the amount.",
                     "这是占 2024 年销售额的比例；题目问的是金额。")),
        ],
    ),
])
