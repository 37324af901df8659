"""Lessons 06–10 (客户满意): every question's expected() runs on the default and a student's world,
each worked solution passes its check, and a typical wrong answer gets a specific message."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import lesson
from crmlab.validation import CrmlabInputError
from lesson_harness import assert_lesson_works, namespace_from, solve
from lesson_harness import wrong_message as _wrong

# What each notebook has defined before its answer cells (the same imports and data).
SETUP = {
    "06": """
import pandas as pd
import crmlab
from crmlab.satisfaction import satisfaction_ratio, satisfaction_level, delivered_value
from crmlab.widgets.expectation import best_expectation
from crmlab.exercises.lessons.l06_what_is_satisfaction import STORES as stores
survey = crmlab.datasets.load("retail")["survey"].set_index("response_id")
""",
    "07": """
import crmlab
from crmlab.satisfaction import reputation, nps, nps_groups, servqual_gaps, SERVQUAL_ITEMS
from crmlab.exercises.lessons.l07_measuring_satisfaction import _servqual
survey = crmlab.datasets.load("retail")["survey"].set_index("response_id")
servqual = _servqual()
""",
    "08": """
import crmlab
from crmlab.satisfaction import importance_satisfaction, derived_importance
survey = crmlab.datasets.load("retail")["survey"].set_index("response_id")
ATTRIBUTES = ["quality", "price", "service", "range", "convenience"]
importance = survey[[f"importance_{a}" for a in ATTRIBUTES]].mean().set_axis(ATTRIBUTES)
performance = survey[[f"perceive_{a}" for a in ATTRIBUTES]].mean().set_axis(ATTRIBUTES)
""",
    "09": """
from crmlab.satisfaction import kano_category, kano_counts
from crmlab.exercises.lessons.l09_kano_model import _answers
functional, dysfunctional = _answers()
""",
    "10": """
from crmlab.satisfaction import ACSI, ECSI, ECSI_MOBI_BLOCKS, load_ecsi_mobi
mobi = load_ecsi_mobi()
model = ECSI.path_model(ECSI_MOBI_BLOCKS).fit(mobi)
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


def test_lesson06_wrong_answers_get_specific_messages():
    ex = lesson("06")
    inverted = 1 / _solve("06", ex.q1)  # a / b instead of b / a
    assert "expected a =" in _wrong("06.q1", inverted)
    assert "percentage" in _wrong("06.q2", 100 * ex.q2.expected())
    assert "too low" in _wrong("06.q3", 7.0)  # promising exactly b is not the model's optimum
    assert "not right" in _wrong("06.q4", "BudgetBox")


def test_lesson06_hand_cases():
    from crmlab.exercises.lessons.l06_what_is_satisfaction import COST_COLUMNS, STORES, VALUE_COLUMNS
    from crmlab.satisfaction import delivered_value, satisfaction_level, satisfaction_ratio

    # The notebook's four shoppers: 6/5 = 1.2 satisfied, 6/6 = 1 ordinary, 3/4 = 0.75 and 5/7 dissatisfied.
    c = satisfaction_ratio(pd.Series([6, 6, 3, 5]), pd.Series([5, 6, 4, 7]))
    assert np.allclose(c, [1.2, 1.0, 0.75, 5 / 7])
    assert satisfaction_level(c).tolist() == ["satisfied", "ordinary", "dissatisfied", "dissatisfied"]
    # FreshMart (8+6+5+7) − (9+4+3+3) = 7; CityPlus (7+8+8+6) − (10+3+2+2) = 12; BudgetBox 20 − 12 = 8.
    dv = delivered_value(STORES, VALUE_COLUMNS, COST_COLUMNS)["delivered_value"]
    assert dv.to_dict() == {"FreshMart": 7, "CityPlus": 12, "BudgetBox": 8}
    assert lesson("06").q4.expected() == "CityPlus"


def test_lesson07_wrong_answers_get_specific_messages():
    from crmlab.satisfaction import servqual_gaps

    namespace: dict = {}
    exec(SETUP["07"], namespace)
    servqual = namespace["servqual"]
    unreversed = servqual_gaps(servqual, [f"E{i}" for i in range(1, 23)],
                               [f"P{i}" for i in range(1, 23)])["dimensions"].mean()
    assert "worded negatively" in _wrong("07.q3", unreversed)
    assert "too high" in _wrong("07.q2", lesson("07").q2.expected() + 5)
    # 12 × promoters − 20 × detractors, checked against a direct count of the 0–10 answers.
    recommend = namespace["survey"]["recommend"]
    assert lesson("07").q4.expected() == 12 * int((recommend >= 9).sum()) - 20 * int((recommend <= 6).sum())


def test_lesson08_wrong_answers_get_specific_messages():
    from crmlab.satisfaction import derived_importance, importance_satisfaction

    namespace: dict = {}
    exec(SETUP["08"], namespace)
    mean_cut = importance_satisfaction(namespace["importance"], namespace["performance"])["quadrant"]
    assert "(1 + 7) / 2" in _wrong("08.q2", mean_cut)
    attributes = namespace["ATTRIBUTES"]
    regression = derived_importance(namespace["survey"], [f"perceive_{a}" for a in attributes], "overall",
                                    method="regression").set_axis(attributes)
    assert "Pearson" in _wrong("08.q3", regression)
    other = next(a for a in attributes if a != lesson("08").q4.expected())
    assert "not right" in _wrong("08.q4", other)


def test_lesson09_wrong_answers_and_truth_recovered():
    from crmlab.exercises.lessons.l09_kano_model import FEATURES

    assert lesson("09").q1.expected() == "A"  # Berger et al. (1993) Table 1: like × live-with
    assert "not right" in _wrong("09.q1", "O")
    truth = pd.Series(FEATURES)
    assert lesson("09").q2.expected().reindex(truth.index).tolist() == truth.tolist()
    assert "counts are" in _wrong("09.q2", pd.Series("A", index=truth.index))
    coefficients = lesson("09").q3.expected()
    assert "Column 'worse'" in _wrong("09.q3", coefficients.assign(worse=coefficients["worse"].abs()))
    build_first = lesson("09").q4.expected()
    assert build_first and set(build_first) <= set(truth.index[truth == "A"])
    assert "not right" in _wrong("09.q4", "fresh_produce")  # must-be: already in place, not a delighter


def test_lesson10_answers_match_the_published_structure():
    ex = lesson("10")
    assert ex.q3.expected() == "QUAL"  # perceived quality drives satisfaction most (Tenenhaus et al. 2005)
    assert 0 < ex.q4.expected() < ex.q1.expected() < 1  # ACSI is ECSI without image: R² cannot rise
    assert 0 < ex.q2.expected() < 100
    assert "not right" in _wrong("10.q3", "IMAG")


def test_likert_chart_draws_a_bar_per_answer_and_rejects_other_tables():
    from crmlab.plot.satisfaction import likert_chart
    from crmlab.satisfaction import likert_summary

    answers = pd.DataFrame({"q1": [1, 2, 3, 3], "q2": [3, 3, 3, 2]})
    ax = likert_chart(likert_summary(answers, ["q1", "q2"], scale=(1, 3)))
    assert len(ax.patches) == 2 * 3
    widths = [p.get_width() for p in ax.patches]
    assert np.isclose(sum(widths), 2.0)  # each item's shares add up to 1
    plt.close(ax.figure)
    with pytest.raises(CrmlabInputError, match="share of each answer"):
        likert_chart(pd.DataFrame({"mean": [1.0]}))
    with pytest.raises(CrmlabInputError):
        likert_chart(pd.Series([1.0]))


def test_path_diagram_places_index_models_and_bends_crossing_arrows():
    from crmlab.plot.satisfaction import path_diagram
    from crmlab.satisfaction import CCSI, PathModel

    ax = path_diagram(CCSI)
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == len(CCSI.paths)
    # IMAG → QUAL runs straight through the EXPE box below IMAG: exactly that kind of arrow is bent.
    bent = [a for a in arrows if a.get_connectionstyle().rad != 0]
    assert 1 <= len(bent) < len(arrows)
    assert "CCSI" in ax.get_title()
    plt.close(ax.figure)
    # A model with constructs outside the index models falls back to causal layers.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 1))
    data = pd.DataFrame(np.hstack([x + rng.normal(size=(60, 2)), x + rng.normal(size=(60, 2))]),
                        columns=["a1", "a2", "b1", "b2"])
    fitted = PathModel([("A", "B")], {"A": ["a1", "a2"], "B": ["b1", "b2"]}).fit(data)
    ax = path_diagram(fitted)
    assert f"{fitted.path_coefficients_[('A', 'B')]:.2f}" in {t.get_text() for t in ax.texts}
    plt.close(ax.figure)


def test_kano_chart_stacks_labels_of_close_points():
    from crmlab.plot.satisfaction import kano_chart

    counts = pd.DataFrame({"better": [0.80, 0.81, 0.1], "worse": [-0.05, -0.06, -0.9],
                           "category": ["A", "A", "M"]}, index=["wifi", "app", "fresh"])
    ax = kano_chart(counts)
    offsets = {t.get_text(): t.xyann for t in ax.texts if t.get_text() in counts.index}
    assert offsets["app"] != offsets["wifi"] and offsets["fresh"][1] == 4
    plt.close(ax.figure)


def test_survey_lessons_give_each_student_an_own_sample(monkeypatch):
    # Lessons 07 (SERVQUAL) and 09 (Kano) draw their sample with own_seed: the shared one without an ID.
    answers = {}
    for student in ("", "2024001", "2024002"):
        monkeypatch.setenv("CRMLAB_STUDENT_ID", student)
        answers[student] = (lesson("07").q3.expected(), lesson("09").q3.expected())
    for i in (0, 1):
        assert not answers["2024001"][i].equals(answers["2024002"][i])
        assert not answers[""][i].equals(answers["2024001"][i])
