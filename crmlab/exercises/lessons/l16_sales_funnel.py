"""Lesson 16 (销售漏斗): a weighted forecast by hand, the steel company's funnel, and how good its forecasts were."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.operations import forecast_track, stage_conversion, weighted_forecast

# A salesperson's deals at the start of 2026 (amounts in thousand yuan), the exam-style small case.
# The funnel's success rates (成功率) are the lab system's: lead 10 %, qualified 25 %, proposal 50 %,
# negotiation 75 %.
SMALL = pd.DataFrame({
    "stage": ["lead", "qualified", "proposal", "negotiation", "negotiation", "proposal", "lost"],
    "amount": [200.0, 120.0, 80.0, 60.0, 40.0, 100.0, 90.0],
    "expected_close": pd.to_datetime(["2026-03-20", "2026-02-28", "2026-03-15", "2026-01-31", "2026-02-10",
                                      "2026-05-10", "2026-03-01"]),
}, index=pd.Index([f"D{i}" for i in range(1, 8)], name="deal"))

Q1_2026 = ("2026-01-01", "2026-03-31")


def _small_forecast() -> float:
    # Deals expected to close in Q1 2026 (D6 closes in May, D7 is lost and counts 0):
    #   D1 200 × 0.10 = 20, D2 120 × 0.25 = 30, D3 80 × 0.50 = 40, D4 60 × 0.75 = 45, D5 40 × 0.75 = 30
    #   forecast = 20 + 30 + 40 + 45 + 30 = 165 (thousand yuan)
    return 200 * 0.10 + 120 * 0.25 + 80 * 0.50 + 60 * 0.75 + 40 * 0.75


def _opportunities() -> tuple[pd.DataFrame, pd.DataFrame]:
    b2b = datasets.load("b2b")
    return b2b["opportunities"], b2b["stage_history"]


def _q1_forecast() -> float:
    opps, _ = _opportunities()
    open_deals = opps[opps["status"] == "open"]
    return float(weighted_forecast(open_deals, *Q1_2026).loc["total", "weighted"])


def _proposal_win_prob() -> float:
    _, history = _opportunities()
    conversion = stage_conversion(history, closed_only=True)
    return float(conversion.loc["won", "reached"] / conversion.loc["proposal", "reached"])


def _realisation() -> float:
    track = forecast_track(*_opportunities(), "2024Q1", "2025Q4")
    return float(track["actual"].sum() / track["forecast"].sum())


EXERCISES = Exercises("16", [
    Question(
        id="16.q1", variable="small_forecast", legacy_expected=_small_forecast, compare=compare.number(rtol=1e-9),
        hints=["Keep only the deals expected to close between 2026-01-01 and 2026-03-31 and not lost.",
               "Multiply each amount by its stage's success rate and add up: 200 × 0.10 + 120 × 0.25 + …",
               "weighted_forecast(small, '2026-01-01', '2026-03-31').loc['total', 'weighted'] does it in one call."],
        legacy_solution='small_forecast = weighted_forecast(small, "2026-01-01", "2026-03-31").loc["total", "weighted"]',
    ),
    Question(
        id="16.q2", variable="q1_forecast", legacy_expected=_q1_forecast, compare=compare.number(rtol=1e-6),
        hints=["Use the open deals only: open_deals = opps[opps['status'] == 'open'].",
               "Deals whose expected close is already past (before 2026) do not belong to Q1 2026: give the period.",
               "weighted_forecast(open_deals, '2026-01-01', '2026-03-31').loc['total', 'weighted']"],
        legacy_solution=('forecast_q1 = weighted_forecast(open_deals, "2026-01-01", "2026-03-31")\n'
                       'q1_forecast = forecast_q1.loc["total", "weighted"]'),
    ),
    Question(
        id="16.q3", variable="proposal_win", legacy_expected=_proposal_win_prob, compare=compare.number(atol=1e-6),
        hints=["conversion['reached'] counts the closed deals that entered each stage.",
               "A deal that reached proposal ends either won or lost; the share won is reached(won) / reached(proposal).",
               "conversion.loc['won', 'reached'] / conversion.loc['proposal', 'reached']"],
        legacy_solution='proposal_win = conversion.loc["won", "reached"] / conversion.loc["proposal", "reached"]',
    ),
    Question(
        id="16.q4", variable="realisation", legacy_expected=_realisation, compare=compare.number(atol=1e-6),
        hints=["track has one row per quarter: the forecast made the day before it began and the actual won in it.",
               "Add up the actual column and the forecast column over all eight quarters.",
               "realisation = track['actual'].sum() / track['forecast'].sum() — a fraction, below 1 if the "
               "forecasts promised too much."],
        legacy_solution='realisation = track["actual"].sum() / track["forecast"].sum()',
    ),
])
