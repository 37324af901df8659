"""Lesson 15 (忠诚计划): points in a tiered programme, what it earns and when it pays back, a paid club.

The right answers come from ``instructor/15_loyalty_programmes.ipynb`` run on the student's world; this
module holds what a notebook cannot: comparators, hints, points and the mistakes each check names.
"""
from crmlab.exercises import Exercises, Question, compare
from crmlab.exercises.core import Mistake
from crmlab.loyalty import DEFAULT_TIERS

_RATE = DEFAULT_TIERS.set_index("tier")["earn_rate"]


def _net(ns):
    return ns["simulation"]["cumulative_net"]


def _club_spend(ns, year: bool = True):
    sales = ns["sales"]
    if year:
        sales = sales[sales["date"].dt.year == 2025]
    return sales.groupby("customer_id")["amount"].sum()


EXERCISES = Exercises("15", [
    Question(
        id="15.q1", variable="gold_points", compare=compare.number(rtol=1e-9),
        hints=[("Find the member's tier: the highest min_growth_value that 7,000 reaches.",
                "先确定会员等级：7,000 能达到的最高一档 min_growth_value（最低成长值）。"),
               ("Points = spend × that tier's earn_rate.", "积分 = 消费额 × 该等级的 earn_rate（积分倍率）。")],
        mistakes=[
            Mistake("silver rate", lambda ns: 800 * _RATE["silver"],
                    ("That is the silver rate: a growth value of 7,000 has reached the next tier up.",
                     "这是银卡会员的倍率：成长值 7,000 已经达到更高一档。")),
            Mistake("growth value times rate", lambda ns: 7_000 * _RATE["gold"],
                    ("Points are earned on this month's spend (800), not on the growth value.",
                     "积分按本月的消费额（800）计算，而不是按成长值计算。")),
            Mistake("no multiplier", lambda ns: 800 * _RATE["basic"],
                    ("You used the basic rate of 1 point per unit: higher tiers earn faster.",
                     "你用的是普通会员每单位 1 分的倍率：等级越高，积分倍率越高。")),
        ],
    ),
    Question(
        id="15.q2", variable="net_24", compare=compare.number(rtol=1e-6),
        hints=[("Run simulate_programme(periods=24, seed=1).", "用 simulate_programme(periods=24, seed=1) 模拟 24 个月。"),
               ("The last value of its cumulative_net column: ['cumulative_net'].iloc[-1].",
                "取 cumulative_net（累计净收益）列的最后一个值：['cumulative_net'].iloc[-1]。")],
        mistakes=[
            Mistake("last month only", lambda ns: ns["simulation"]["incremental_margin"].iloc[-1],
                    ("That is month 24 alone; the question asks for all 24 months together (the running total).",
                     "这只是第 24 个月的净收益；题目问的是 24 个月累计的净收益。")),
            Mistake("after one year", lambda ns: _net(ns).iloc[11],
                    ("That is the running total after 12 months; the question asks after 24.",
                     "这是 12 个月后的累计值；题目问的是 24 个月后。")),
            Mistake("monthly mean", lambda ns: ns["simulation"]["incremental_margin"].mean(),
                    ("That is the average month; the question asks for the total over 24 months.",
                     "这是月平均值；题目问的是 24 个月的总额。")),
        ],
    ),
    Question(
        id="15.q3", variable="payback_month", compare=compare.exact(),
        hints=[("Payback: the first month from which the cumulative net stays above zero.",
                "回收期：从这个月起，累计净收益一直大于零。"),
               ("The last month with cumulative_net <= 0, plus one.",
                "找到 cumulative_net <= 0 的最后一个月，再加一。")],
        mistakes=[
            Mistake("last month at a loss", lambda ns: int(_net(ns).index[_net(ns) <= 0].max()),
                    ("That is the last month still at a loss; payback is the month after it.",
                     "这是最后一个仍然亏损的月份；回收期是它的下一个月。")),
            Mistake("first profitable month",
                    lambda ns: int(ns["simulation"].index[ns["simulation"]["incremental_margin"] > 0].min()),
                    ("That is the first month whose own net is positive; payback is when the running total is.",
                     "这是当月净收益第一次为正的月份；回收期看的是累计净收益何时转正。")),
            Mistake("lowest point", lambda ns: int(_net(ns).idxmin()),
                    ("That is when the running total is lowest (the turning point), not when it is above zero.",
                     "这是累计净收益最低的月份（拐点），而不是它转为正值的月份。")),
        ],
    ),
    Question(
        id="15.q4", variable="club_gainers", compare=compare.exact(),
        hints=[("Sum each customer's 2025 purchases: keep sales with date.dt.year == 2025, group by customer_id.",
                "先求每位客户 2025 年的消费总额：保留 date.dt.year == 2025 的交易，再按 customer_id 分组求和。"),
               ("A customer gains when 0.02 × spend > 30 (more than the fee back).",
                "当 0.02 × 消费额 > 30（返还的钱多于会费）时，客户才得益。")],
        mistakes=[
            Mistake("all years", lambda ns: int((_club_spend(ns, year=False) * 0.02 > 30).sum()),
                    ("You summed every year's purchases; the fee is per year, so use 2025 only.",
                     "你把所有年份的消费都加起来了；会费是按年收的，只能用 2025 年的消费。")),
            Mistake("share instead of count", lambda ns: float((_club_spend(ns) * 0.02 > 30).mean()),
                    ("That is a share of customers; the question asks how many.",
                     "这是客户所占的比例；题目问的是有多少位客户。")),
            Mistake("2 instead of 2 %", lambda ns: int((_club_spend(ns) * 2 > 30).sum()),
                    ("2 % is 0.02, not 2.", "2% 是 0.02，不是 2。")),
        ],
    ),
])
