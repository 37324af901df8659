"""Lesson 17 (客户服务与投诉): Haier's three controls by hand, service levels, the controls in 2025, service and churn."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.operations import churn_by_satisfaction, service_level, three_controls

# One month at a service centre that served 50 customers (the hand case): ten requests,
# complaints R02 R05 R09, R07 never recorded (遗漏), R04 and R10 not surveyed.
SMALL = pd.DataFrame({
    "kind": ["inquiry", "complaint", "repair", "delivery", "complaint", "inquiry", "repair", "inquiry",
             "complaint", "delivery"],
    "recorded": [True, True, True, True, True, True, False, True, True, True],
    "satisfied": pd.array([True, False, True, None, True, True, False, True, True, None], dtype="boolean"),
}, index=pd.Index([f"R{i:02d}" for i in range(1, 11)], name="request"))
SMALL_CUSTOMERS = 50


def _dissatisfaction() -> float:
    # Surveyed: the 8 requests with an answer (R04, R10 not surveyed). Dissatisfied: R02, R07 → 2.
    # dissatisfaction rate = 2 / 8 = 0.25 (not 2 / 10: the unsurveyed are unknown, not satisfied).
    return 2 / 8


def _tickets() -> pd.DataFrame:
    return datasets.load("b2b")["service_requests"]


def _complaints_in_time() -> float:
    levels = service_level(_tickets(), response_target=4, resolution_target=48, by="kind")
    return float(levels.loc["complaint", "resolution_within"])


def _omission_2025() -> float:
    b2b = datasets.load("b2b")
    tickets, orders = b2b["service_requests"], b2b["orders"]
    served = orders.loc[pd.to_datetime(orders["order_date"]).dt.year == 2025, "account_id"].nunique()
    return float(three_controls(tickets[tickets["opened_at"].dt.year == 2025], served)["omission_rate"])


def _churn_ratio() -> float:
    b2b = datasets.load("b2b")
    churned = b2b["truth"].set_index("account_id")["true_churn_date"].notna()
    groups = churn_by_satisfaction(b2b["service_requests"], churned)
    return float(groups.loc["mostly unhappy", "churn_rate"] / groups.loc["mostly happy", "churn_rate"])


EXERCISES = Exercises("17", [
    Question(
        id="17.q1", variable="dissatisfaction", legacy_expected=_dissatisfaction, compare=compare.number(atol=1e-6),
        hints=["The dissatisfaction rate counts only the requests whose customer answered the survey.",
               "small['satisfied'] is empty (<NA>) for R04 and R10: leave them out of the denominator.",
               "(small['satisfied'] == False).sum() / small['satisfied'].notna().sum(), or "
               "three_controls(small, 50)['dissatisfaction_rate']"],
        legacy_solution='dissatisfaction = three_controls(small, 50)["dissatisfaction_rate"]',
    ),
    Question(
        id="17.q2", variable="complaints_in_time", legacy_expected=_complaints_in_time, compare=compare.number(atol=1e-6),
        hints=["levels has one row per kind of request.",
               "resolution_within is the share resolved within the 48-hour target.",
               "levels.loc['complaint', 'resolution_within']"],
        legacy_solution='complaints_in_time = levels.loc["complaint", "resolution_within"]',
    ),
    Question(
        id="17.q3", variable="omission_2025", legacy_expected=_omission_2025, compare=compare.number(atol=1e-6),
        hints=["controls_2025 holds the three controls of 2025.",
               "The omission rate (遗漏率) is the share of requests that were never recorded.",
               "controls_2025['omission_rate']"],
        legacy_solution='omission_2025 = controls_2025["omission_rate"]',
    ),
    Question(
        id="17.q4", variable="churn_ratio", legacy_expected=_churn_ratio, compare=compare.number(atol=1e-6),
        hints=["groups['churn_rate'] is the churn rate of each group of surveyed accounts.",
               "Divide the churn rate of 'mostly unhappy' by that of 'mostly happy'.",
               "groups.loc['mostly unhappy', 'churn_rate'] / groups.loc['mostly happy', 'churn_rate']"],
        legacy_solution='churn_ratio = groups.loc["mostly unhappy", "churn_rate"] / groups.loc["mostly happy", "churn_rate"]',
    ),
])
