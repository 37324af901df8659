"""Lesson 08 (满意度-重要性矩阵): stated importance, quadrants at the midpoint, derived importance, what to fix first."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.satisfaction import derived_importance, importance_satisfaction

ATTRIBUTES = ["quality", "price", "service", "range", "convenience"]


def _survey() -> pd.DataFrame:
    return datasets.load("retail")["survey"].set_index("response_id")


def _stated() -> pd.Series:
    return _survey()[[f"importance_{a}" for a in ATTRIBUTES]].mean().set_axis(ATTRIBUTES)


def _performance() -> pd.Series:
    return _survey()[[f"perceive_{a}" for a in ATTRIBUTES]].mean().set_axis(ATTRIBUTES)


def _derived() -> pd.Series:
    survey = _survey()
    return derived_importance(survey, [f"perceive_{a}" for a in ATTRIBUTES], "overall").set_axis(ATTRIBUTES)


def _top_stated() -> str:
    return str(_stated().idxmax())


def _quadrant_mid() -> pd.Series:
    return importance_satisfaction(_stated(), _performance(), cut="midpoint", scale=(1, 7))["quadrant"]


def _explain_quadrant(key) -> str:
    return tr(f"its mean importance is {_stated()[key]:.2f} and mean satisfaction {_performance()[key]:.2f}, "
              "both against the cut 4 = (1 + 7) / 2",
              f"它的平均重要性为 {_stated()[key]:.2f}，平均满意度为 {_performance()[key]:.2f}，分界线都是 4 = (1 + 7) / 2")


def _explain_derived(key) -> str:
    return tr(f"use the Pearson correlation between perceive_{key} and overall",
              f"请用 perceive_{key} 与 overall 的皮尔逊相关系数")


def _fix_first() -> str:
    performance = _performance()
    below = performance < performance.mean()
    return str(_derived()[below].idxmax())


EXERCISES = Exercises("08", [
    Question(
        id="08.q1", variable="top_stated", legacy_expected=_top_stated, compare=compare.exact(),
        hints=["Stated importance is the mean of each importance_ column.",
               "The attribute with the largest mean: .idxmax() on the Series indexed by attribute."],
        legacy_solution='top_stated = importance.idxmax()',
    ),
    Question(
        id="08.q2", variable="quadrant_mid", legacy_expected=_quadrant_mid,
        compare=compare.series_by_key(explain=_explain_quadrant, what="quadrant"),
        hints=["Same importance and satisfaction means as the worked example; only the cut lines move.",
               "cut='midpoint' needs the scale the questions used: scale=(1, 7).",
               "Keep only the 'quadrant' column of the table importance_satisfaction returns."],
        legacy_solution=('quadrant_mid = importance_satisfaction(importance, performance, cut="midpoint",\n'
                       '                                       scale=(1, 7))["quadrant"]'),
    ),
    Question(
        id="08.q3", variable="derived", legacy_expected=_derived,
        compare=compare.series_by_key(rtol=1e-6, atol=1e-9, explain=_explain_derived, what="importance"),
        hints=["Derived importance: how strongly each attribute's rating moves with the overall rating.",
               "derived_importance(survey, perceive_columns, 'overall') uses the correlation by default.",
               "Index the result by the attribute names: .set_axis(ATTRIBUTES)."],
        legacy_solution=('derived = derived_importance(survey, [f"perceive_{a}" for a in ATTRIBUTES],\n'
                       '                             "overall").set_axis(ATTRIBUTES)'),
    ),
    Question(
        id="08.q4", variable="fix_first", legacy_expected=_fix_first, compare=compare.exact(),
        hints=["Candidates: attributes whose mean satisfaction is below the average of the five means.",
               "Among them, take the one with the highest correlation-derived importance (question 3).",
               "performance < performance.mean() gives the candidates; derived[candidates].idxmax() the winner."],
        legacy_solution=('below = performance < performance.mean()\n'
                       'derived_r = derived_importance(survey, [f"perceive_{a}" for a in ATTRIBUTES],\n'
                       '                               "overall").set_axis(ATTRIBUTES)\n'
                       'fix_first = derived_r[below].idxmax()'),
    ),
])
