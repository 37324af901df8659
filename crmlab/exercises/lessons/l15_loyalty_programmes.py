"""Lesson 15 (忠诚计划): points in a tiered programme, what it earns and when it pays back, a paid club."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.loyalty import simulate_programme

# The lesson's programme run: the default tiers over 24 months, seed 1.
MONTHS, SEED = 24, 1
# The paid-club thought experiment: the club returns 2 % of a member's spending and charges 30 a year.
CLUB_REWARD, CLUB_FEE, CLUB_YEAR = 0.02, 30.0, 2025


def _gold_points() -> float:
    # Growth value 7,000 is ≥ 6,000 (gold) and < 15,000 (platinum): gold earns 1.5 points per unit.
    return 800 * 1.5   # 1,200 points


def _simulation() -> pd.DataFrame:
    return simulate_programme(periods=MONTHS, seed=SEED)


def _net_24() -> float:
    return float(_simulation()["cumulative_net"].iloc[-1])


def _payback_month() -> int:
    net = _simulation()["cumulative_net"]
    # The first month from which the running total stays above zero.
    below = net.index[net <= 0]
    return int(below.max() + 1) if len(below) else int(net.index.min())


def _club_gainers() -> int:
    sales = datasets.load("retail")["transactions"]
    spend = sales[sales["date"].dt.year == CLUB_YEAR].groupby("customer_id")["amount"].sum()
    return int((spend * CLUB_REWARD > CLUB_FEE).sum())


EXERCISES = Exercises("15", [
    Question(
        id="15.q1", variable="gold_points", legacy_expected=_gold_points, compare=compare.number(rtol=1e-9),
        hints=["Find the member's tier: the highest min_growth_value that 7,000 reaches.",
               "Points = spend × that tier's earn_rate."],
        legacy_solution='gold_points = 800 * DEFAULT_TIERS.set_index("tier").loc["gold", "earn_rate"]',
    ),
    Question(
        id="15.q2", variable="net_24", legacy_expected=_net_24, compare=compare.number(rtol=1e-6),
        hints=["Run simulate_programme(periods=24, seed=1).",
               "The last value of its cumulative_net column: ['cumulative_net'].iloc[-1]."],
        legacy_solution='net_24 = simulate_programme(periods=24, seed=1)["cumulative_net"].iloc[-1]',
    ),
    Question(
        id="15.q3", variable="payback_month", legacy_expected=_payback_month, compare=compare.exact(),
        hints=["Payback: the first month from which the cumulative net stays above zero.",
               "The last month with cumulative_net <= 0, plus one."],
        legacy_solution=('net = simulate_programme(periods=24, seed=1)["cumulative_net"]\n'
                       'payback_month = int(net.index[net <= 0].max() + 1)'),
    ),
    Question(
        id="15.q4", variable="club_gainers", legacy_expected=_club_gainers, compare=compare.exact(),
        hints=["Sum each customer's 2025 purchases: keep sales with date.dt.year == 2025, group by customer_id.",
               "A customer gains when 0.02 × spend > 30 (more than the fee back)."],
        legacy_solution=('sales = crmlab.datasets.load("retail")["transactions"]\n'
                       'spend = sales[sales["date"].dt.year == 2025].groupby("customer_id")["amount"].sum()\n'
                       'club_gainers = int((spend * 0.02 > 30).sum())'),
    ),
])
