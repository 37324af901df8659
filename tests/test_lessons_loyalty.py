"""Lessons 11–15 (客户忠诚与客户价值): every question's expected() runs on the default and a student's world,
each worked solution passes its check, a typical wrong answer gets a specific message, and the
lessons' chart functions draw."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crmlab.exercises import lesson
from crmlab.validation import CrmlabInputError
from lesson_harness import assert_lesson_works, namespace_from, solve
from lesson_harness import wrong_message as _wrong

# What each notebook has defined before its answer cells (the same imports and data).
SETUP = {
    "11": """
from crmlab.exercises.lessons.l11_loyalty_types import SMALL as small, respondents
from crmlab.loyalty import loyalty_quadrant, dick_basu_segment
people = respondents()
""",
    "12": """
import pandas as pd
import crmlab
from crmlab.loyalty import repeat_purchase_rate, retention_by_period, cohort_table, purchase_growth
sales = crmlab.datasets.load("retail")["transactions"]
""",
    "13": """
from crmlab.exercises.lessons.l13_satisfaction_and_loyalty import RATINGS as ratings, satisfaction_and_behaviour
from crmlab.loyalty import switching_cost_scores
data = satisfaction_and_behaviour()
""",
    "14": """
from crmlab.exercises.lessons.l14_loyal_customer_value import customer_summary
from crmlab.loyalty import mrs_smith_loss, dynamic_customer_value, BGNBD, GammaGamma
summary = customer_summary()
""",
    "15": """
import crmlab
from crmlab.loyalty import DEFAULT_TIERS, simulate_programme
sales = crmlab.datasets.load("retail")["transactions"]
""",
}
LESSONS = sorted(SETUP)


def _solve(number: str, question) -> object:
    return solve(question, namespace_from(SETUP[number])())


@pytest.mark.parametrize("student", ["", "s1"])
@pytest.mark.parametrize("number", LESSONS)
def test_expected_runs_and_solution_passes(number, student, monkeypatch):
    monkeypatch.setenv("CRMLAB_STUDENT_ID", student)
    assert_lesson_works(number, namespace_from(SETUP[number]))


def test_course_cases_are_the_hand_calculations():
    # Mrs Smith with 20 listeners: 50×52×10 = 26,000; 20×0.5 = 10, 10×5 = 50 more; (10+50)×0.25 = 15 lost
    # customers × 26,000 = 390,000; total 416,000.
    assert lesson("14").q1.expected() == pytest.approx(416_000)
    # Exam case: satisfied 26,000 + 1×26,000 = 52,000; unhappy −(26,000 + 2×26,000) = −78,000; swing 130,000.
    assert lesson("14").q2.expected() == pytest.approx(130_000)
    # Growth value 7,000 → gold (6,000 ≤ 7,000 < 15,000), 1.5 points per unit: 800 × 1.5 = 1,200.
    assert lesson("15").q1.expected() == pytest.approx(1_200)


def test_small_quadrant_by_hand():
    # Cuts: attachment > 4, visits > 12. Zhao has exactly 12 visits: not high.
    types = lesson("11").q1.expected()
    assert types.to_dict() == {"Li": "trust", "Wang": "monopoly/inertia/incentive", "Zhang": "none",
                               "Liu": "price", "Chen": "trust", "Zhao": "price"}


def test_dominant_switching_cost_by_hand():
    # Ma: procedural (6+5+6+7)/4 = 6.0 > financial (3+2)/2 = 2.5, relational (2+3)/2 = 2.5.
    # Wu: procedural (2+3+2+2)/4 = 2.25, financial (3+3)/2 = 3.0, relational (2+3)/2 = 2.5.
    assert lesson("13").q3.expected().to_dict() == {"Ma": "procedural", "Sun": "financial",
                                                     "Zhou": "relational", "Wu": "financial"}


def test_wrong_answers_get_specific_messages():
    # Mrs Smith's own spending only, word of mouth forgotten.
    assert "too low" in _wrong("14.q1", 52_000.0)
    # A Zhao-at-the-cut mistake: 12 visits counted as high.
    small = lesson("11").q1.expected().copy()
    small["Zhao"] = "monopoly/inertia/incentive"
    message = _wrong("11.q1", small)
    assert "Zhao" in message and "12 visits" in message
    # P(alive) for one customer wrong: the message names the customer and its purchase history.
    alive = lesson("14").q3.expected().copy()
    first = alive.index[0]
    alive[first] = 1.0 - alive[first]
    message = _wrong("14.q3", alive)
    assert str(first) in message and "repeat purchase" in message
    # Retention with new customers counted as retained: names the quarter and its new customers.
    retention = lesson("12").q2.expected().copy()
    retention.iloc[-1] = 0.99
    message = _wrong("12.q2", retention)
    assert str(retention.index[-1]) in message and "first time" in message
    # Percent instead of fraction.
    assert "fraction" in _wrong("11.q4", 100 * lesson("11").q4.expected())
    # A missing customer in the top list.
    top = lesson("14").q4.expected()
    assert "missing" in _wrong("14.q4", top[:-1])


def test_chart_functions_draw():
    from crmlab.loyalty import simulate_programme
    from crmlab.plot.loyalty import moderator_chart, programme_chart
    groups = pd.DataFrame({"satisfied": [True, True, False, False], "rate": [3.0, 5.0, 1.0, 4.0],
                           "high_cost": [False, True, False, True]})
    ax = moderator_chart(groups, "satisfied", "rate", "high_cost")
    assert len(ax.patches) == 4
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [1.0, 3.0, 4.0, 5.0]
    ax = programme_chart(simulate_programme(n_members=200, periods=6, new_members=10, seed=0))
    assert len(ax.patches) == 6
    plt.close("all")


def test_chart_functions_reject_bad_input():
    from crmlab.plot.loyalty import moderator_chart, programme_chart
    with pytest.raises(CrmlabInputError, match="rate"):
        moderator_chart(pd.DataFrame({"satisfied": [True]}), "satisfied", "rate", "high_cost")
    with pytest.raises(CrmlabInputError, match="cumulative_net"):
        programme_chart(pd.DataFrame({"incremental_margin": [1.0]}))
