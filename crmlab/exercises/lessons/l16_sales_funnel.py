"""Lesson 16 (销售漏斗): a weighted forecast by hand, the steel company's funnel, and how good its forecasts were.

The right answers come from the lesson's source notebook (``instructor/16_sales_funnel.ipynb``); its hand
case lives in :mod:`crmlab.cases.operations`.
"""
from crmlab.exercises import Exercises, Mistake, Question, compare

Q1_2026 = ("2026-01-01", "2026-03-31")


def _in_quarter(small):
    inside = small["expected_close"].between(*Q1_2026) & (small["stage"] != "lost")
    return small[inside]


EXERCISES = Exercises("16", [
    Question(
        id="16.q1", variable="small_forecast", compare=compare.number(rtol=1e-9),
        hints=[("Keep only the deals expected to close between 2026-01-01 and 2026-03-31 and not lost.",
                "只保留预计在 2026-01-01 至 2026-03-31 之间成交、且没有丢单的机会。"),
               ("Multiply each amount by its stage's success rate and add up: 200 × 0.10 + 120 × 0.25 + …",
                "每个机会的金额乘以所在阶段的成功率，再加总：200 × 0.10 + 120 × 0.25 + …"),
               ("weighted_forecast(small, '2026-01-01', '2026-03-31').loc['total', 'weighted'] does it in one call.",
                "weighted_forecast(small, '2026-01-01', '2026-03-31').loc['total', 'weighted'] 一步算出。")],
        mistakes=[
            Mistake("unweighted", lambda ns: _in_quarter(ns["small"])["amount"].sum(),
                    ("You added the amounts without weighting them by the stages' success rates.",
                     "你直接把金额相加了，没有按各阶段的成功率加权。")),
            Mistake("no period", lambda ns: ns["weighted_forecast"](ns["small"]).loc["total", "weighted"],
                    ("You included D6, which is expected to close in May, outside the first quarter.",
                     "你把预计五月成交的 D6 也算进来了，它不在第一季度内。")),
        ],
    ),
    Question(
        id="16.q2", variable="q1_forecast", compare=compare.number(rtol=1e-6),
        hints=[("Use the open deals only: open_deals = opps[opps['status'] == 'open'].",
                "只用在途机会：open_deals = opps[opps['status'] == 'open']。"),
               ("Deals whose expected close is already past (before 2026) do not belong to Q1 2026: give the period.",
                "预计成交日期已经过去（早于 2026 年）的机会不属于 2026 年第一季度：要给出时期的起止日期。"),
               ("weighted_forecast(open_deals, '2026-01-01', '2026-03-31').loc['total', 'weighted']",
                "写成代码：weighted_forecast(open_deals, '2026-01-01', '2026-03-31').loc['total', 'weighted']")],
        mistakes=[
            Mistake("no period", lambda ns: ns["weighted_forecast"](ns["open_deals"]).loc["total", "weighted"],
                    ("You weighted every open deal; keep only those expected to close in the first quarter of 2026 "
                     "(overdue and later deals are out).",
                     "你把所有在途机会都加权计入了；只保留预计在 2026 年第一季度成交的机会（逾期的和更晚的都不算）。")),
            Mistake("overdue included", lambda ns: ns["weighted_forecast"](
                ns["open_deals"], "1900-01-01", Q1_2026[1]).loc["total", "weighted"],
                    ("You counted the overdue deals (expected close before 2026) too; they are not in this quarter.",
                     "你把逾期机会（预计成交日期早于 2026 年）也算进来了；它们不属于这个季度。")),
            Mistake("unweighted", lambda ns: ns["forecast_q1"].loc["total", "amount"],
                    ("That is the unweighted amount of the quarter's deals; weight each by its stage's success rate.",
                     "这是本季度机会未加权的金额合计；每个机会要乘以所在阶段的成功率。")),
        ],
    ),
    Question(
        id="16.q3", variable="proposal_win", compare=compare.number(atol=1e-6),
        hints=[("conversion['reached'] counts the closed deals that entered each stage.",
                "conversion['reached'] 是进入过各个阶段的已结束机会数。"),
               ("A deal that reached proposal ends either won or lost; the share won is reached(won) / "
                "reached(proposal).",
                "到达过方案报价的机会最后不是成交就是丢单；成交的比例 = 成交的到达数 / 方案报价的到达数。"),
               ("conversion.loc['won', 'reached'] / conversion.loc['proposal', 'reached']",
                "写成代码：conversion.loc['won', 'reached'] / conversion.loc['proposal', 'reached']")],
        mistakes=[
            Mistake("system rate", lambda ns: 0.5,
                    ("0.5 is the rate the system assumes; compute the share that was in fact won from the history.",
                     "0.5 是系统假设的成功率；请用历史记录算出实际成交的比例。")),
            Mistake("next stage only", lambda ns: ns["conversion"].loc["proposal", "to_next"],
                    ("That is the share that moved on to negotiation; the question asks for the share finally won.",
                     "这是进入谈判阶段的比例；题目问的是最终成交的比例。")),
            Mistake("overall win rate", lambda ns: ns["conversion"].loc["won", "from_first"],
                    ("That is the win rate of all leads; count only the deals that reached proposal.",
                     "这是全部线索的赢单率；只统计到达过方案报价阶段的机会。")),
        ],
    ),
    Question(
        id="16.q4", variable="realisation", compare=compare.number(atol=1e-6),
        hints=[("track has one row per quarter: the forecast made the day before it began and the actual won in it.",
                "track 每行是一个季度：季度开始前一天做的预测，以及当季实际成交的金额。"),
               ("Add up the actual column and the forecast column over all eight quarters.",
                "把八个季度的 actual 列和 forecast 列分别加总。"),
               ("realisation = track['actual'].sum() / track['forecast'].sum() — a fraction, below 1 if the "
                "forecasts promised too much.",
                "realisation = track['actual'].sum() / track['forecast'].sum()，是一个比例；预测偏高时小于 1。")],
        mistakes=[
            Mistake("inverted", lambda ns: ns["track"]["forecast"].sum() / ns["track"]["actual"].sum(),
                    ("Your ratio is upside down: divide what was won by what was forecast.",
                     "你的比例分子分母颠倒了：应当用实际成交除以预测。")),
            Mistake("mean of ratios", lambda ns: (ns["track"]["actual"] / ns["track"]["forecast"]).mean(),
                    ("You averaged the quarters' ratios; the question asks for Σ actual / Σ forecast, a ratio of sums.",
                     "你求的是各季度比例的平均值；题目要的是 Σ实际 / Σ预测（总和之比）。")),
        ],
    ),
])
