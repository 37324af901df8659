"""Lesson 06 (客户满意的概念): C = b/a per respondent, the dissatisfied share, managing expectations, delivered value."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.satisfaction import delivered_value, satisfaction_level, satisfaction_ratio
from crmlab.widgets.expectation import best_expectation

# The lesson's customer-delivered-value case: three supermarkets rated by one shopper (0–10 per
# component). Value = product + service + personnel + image; cost = money + time + energy + effort.
STORES = pd.DataFrame({
    "product": [8, 7, 6], "service": [6, 8, 5], "personnel": [5, 8, 5], "image": [7, 6, 4],
    "money": [9, 10, 5], "time": [4, 3, 2], "energy": [3, 2, 2], "effort": [3, 2, 3],
}, index=pd.Index(["FreshMart", "CityPlus", "BudgetBox"], name="store"))
VALUE_COLUMNS = ["product", "service", "personnel", "image"]
COST_COLUMNS = ["money", "time", "energy", "effort"]


def _survey() -> pd.DataFrame:
    return datasets.load("retail")["survey"].set_index("response_id")


def _c_quality() -> pd.Series:
    survey = _survey()
    return satisfaction_ratio(survey["perceive_quality"], survey["expect_quality"])


def _explain_c(key) -> str:
    row = _survey().loc[key]
    a, b = row["expect_quality"], row["perceive_quality"]
    return tr(f"that respondent expected a = {a} and perceived b = {b}",
              f"该受访者的期望 a = {a}，感知 b = {b}")


def _dissatisfied_service() -> float:
    survey = _survey()
    c = satisfaction_ratio(survey["perceive_service"], survey["expect_service"])
    return float((satisfaction_level(c) == "dissatisfied").mean())


def _best_promise() -> float:
    return best_expectation(performance=7.0)


def _best_store() -> str:
    # Worked by hand: value − cost per store
    #   FreshMart  (8+6+5+7) − (9+4+3+3) = 26 − 19 = 7
    #   CityPlus   (7+8+8+6) − (10+3+2+2) = 29 − 17 = 12
    #   BudgetBox  (6+5+5+4) − (5+2+2+3) = 20 − 12 = 8
    # delivered_value reproduces the same sums; CityPlus delivers the most.
    table = delivered_value(STORES, VALUE_COLUMNS, COST_COLUMNS)
    return str(table["delivered_value"].idxmax())


EXERCISES = Exercises("06", [
    Question(
        id="06.q1", variable="c_quality", legacy_expected=_c_quality,
        compare=compare.series_by_key(rtol=1e-6, explain=_explain_c, what="ratio"),
        hints=["C = b / a: perception over expectation, respondent by respondent.",
               "b is survey['perceive_quality'], a is survey['expect_quality'].",
               "satisfaction_ratio(perception, expectation) divides them and keeps the response_id index."],
        legacy_solution='c_quality = satisfaction_ratio(survey["perceive_quality"], survey["expect_quality"])',
    ),
    Question(
        id="06.q2", variable="share_dissatisfied", legacy_expected=_dissatisfied_service,
        compare=compare.number(rtol=1e-9, atol=1e-9),
        hints=["First compute C for service: perceive_service over expect_service.",
               "satisfaction_level(C) labels each respondent; the default band (0.95, 1.05) is the lesson's.",
               "The share is the mean of (level == 'dissatisfied'), a fraction between 0 and 1."],
        legacy_solution=('c_service = satisfaction_ratio(survey["perceive_service"], survey["expect_service"])\n'
                       'share_dissatisfied = (satisfaction_level(c_service) == "dissatisfied").mean()'),
    ),
    Question(
        id="06.q3", variable="best_promise", legacy_expected=_best_promise, compare=compare.number(rtol=0, atol=0.051),
        hints=["expectation_outcomes(grid, performance=7) gives total purchases for every promise on the grid.",
               "The best promise is the index (expectation) with the largest total_purchases: .idxmax().",
               "best_expectation(performance=7) does both steps on the grid 1–10 by 0.1."],
        legacy_solution='best_promise = best_expectation(performance=7.0)',
    ),
    Question(
        id="06.q4", variable="best_store", legacy_expected=_best_store, compare=compare.exact(),
        hints=["Delivered value = total customer value − total customer cost.",
               "Total value adds product, service, personnel and image; total cost adds money, time, energy, effort.",
               "delivered_value(stores, value_columns, cost_columns) does the sums; take idxmax of 'delivered_value'."],
        legacy_solution=('dv = delivered_value(stores, ["product", "service", "personnel", "image"],\n'
                       '                     ["money", "time", "energy", "effort"])\n'
                       'best_store = dv["delivered_value"].idxmax()'),
    ),
])
