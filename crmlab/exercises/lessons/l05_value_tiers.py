"""Lesson 05 (客户分层与价值变动): the customer pyramid by count and by profit, and the three lists
of the CRM lab system (价值客户、价值变动客户、问题客户) from a 2024 vs 2025 comparison."""
import pandas as pd

from crmlab import datasets
from crmlab.classify import profit_pyramid, value_change, value_tiers
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr

# The lesson's cost-to-serve assumptions: gross margin on sales, handling cost per purchase,
# cost of one service ticket (complaint, inquiry, return or repair).
MARGIN, COST_PER_PURCHASE, COST_PER_TICKET = 0.25, 3.0, 15.0


def _year(year: int) -> pd.DataFrame:
    sales = datasets.load("retail")["transactions"]
    return sales[sales["date"].dt.year == year]


def _revenue(year: int) -> pd.Series:
    return _year(year).groupby("customer_id")["amount"].sum()


def _n_vip() -> int:
    return int((value_tiers(_revenue(2025)) == "VIP").sum())


def _profit_2025() -> pd.Series:
    revenue = _revenue(2025)
    purchases = _year(2025).groupby("customer_id").size()
    tickets = datasets.load("retail")["tickets"]
    served = tickets[tickets["opened_at"].dt.year == 2025].groupby("customer_id").size()
    return MARGIN * revenue - COST_PER_PURCHASE * purchases - COST_PER_TICKET * served.reindex(revenue.index,
                                                                                                fill_value=0)


def _platinum_share() -> float:
    profit = _profit_2025()
    tier = profit_pyramid(profit)
    return float(profit[tier == "platinum"].sum() / profit.sum())


def _changes() -> pd.DataFrame:
    world = datasets.load("retail")
    ids = world["customers"]["customer_id"]
    tickets = world["tickets"]
    complaints = tickets[(tickets["kind"] == "complaint") & (tickets["opened_at"].dt.year == 2025)]
    return value_change(_revenue(2024).reindex(ids, fill_value=0.0).set_axis(ids),
                        _revenue(2025).reindex(ids, fill_value=0.0).set_axis(ids),
                        complaints.groupby("customer_id").size())


def _status() -> pd.Series:
    return _changes()["status"]


def _explain_status(key) -> str:
    row = _changes().loc[key]
    return tr(f"that customer spent {row['value_1']:.2f} in 2024 and {row['value_2']:.2f} in 2025 and complained "
              f"{int(row['complaints'])} time(s) in 2025",
              f"该客户 2024 年消费 {row['value_1']:.2f}，2025 年消费 {row['value_2']:.2f}，2025 年投诉 {int(row['complaints'])} 次")


def _revenue_at_risk() -> float:
    changes = _changes()
    return float(changes.loc[changes["status"] == "problem", "value_1"].sum())


EXERCISES = Exercises("05", [
    Question(
        id="05.q1", variable="n_vip", legacy_expected=_n_vip, compare=compare.exact(),
        hints=["tiers = value_tiers(revenue_2025) places every 2025 buyer in VIP / major / ordinary / small.",
               "(tiers == 'VIP').sum() counts the VIP customers."],
        legacy_solution='n_vip = int((tiers == "VIP").sum())',
    ),
    Question(
        id="05.q2", variable="platinum_share", legacy_expected=_platinum_share, compare=compare.number(rtol=1e-6),
        hints=["profit_tiers = profit_pyramid(profit) labels each customer platinum / gold / iron / lead.",
               "Add up the profit of the platinum customers and divide by the total profit of all customers.",
               "Give a fraction such as 0.3, not 30."],
        legacy_solution='platinum_share = profit[profit_tiers == "platinum"].sum() / profit.sum()',
    ),
    Question(
        id="05.q3", variable="status", legacy_expected=_status,
        compare=compare.series_by_key(explain=_explain_status, what="status"),
        hints=["value_change(period1, period2, complaints) compares the two years customer by customer.",
               "Use revenue_2024_all and revenue_2025_all (every customer, 0 when they did not buy) and "
               "complaints_2025.",
               "The answer is the 'status' column of its result."],
        legacy_solution='status = value_change(revenue_2024_all, revenue_2025_all, complaints_2025)["status"]',
    ),
    Question(
        id="05.q4", variable="revenue_at_risk", legacy_expected=_revenue_at_risk, compare=compare.number(rtol=1e-6),
        hints=["changes['status'] == 'problem' marks the problem customers.",
               "Add up their value_1 (their 2024 revenue)."],
        legacy_solution='revenue_at_risk = changes.loc[changes["status"] == "problem", "value_1"].sum()',
    ),
])
