"""Lessons 11–15 (客户忠诚与客户价值): the course's fixed cases against hand-worked values, every recognised
mistake named in both languages, labels shown in Chinese, and the lessons' chart functions.

The reference answers themselves come from the lessons' source notebooks (tests/test_lessons.py runs
them and checks every worked solution); here each lesson's namespace is that same run.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import re

from crmlab import i18n
from crmlab.exercises import lesson
from crmlab.validation import CrmlabInputError
from lesson_harness import lesson_namespace

LESSONS = ["11", "12", "13", "14", "15"]
WORLDS = [(None, "en"), ("2024001234", "zh"), ("stu-42", "en"), (None, "zh")]
ALLOWED_IN_CHINESE = {"NaN", "BGNBD", "NBD", "Gamma", "CLV"}  # names a Chinese message may keep (and `code`)


@pytest.fixture
def world(monkeypatch):
    """Put a student's world and language in force for the checks (as a student's kernel would)."""
    def use(student_id, language):
        monkeypatch.setenv("CRMLAB_STUDENT_ID", student_id or "")
        monkeypatch.setitem(i18n._state, "language", language)
        return lesson_namespace
    return use


# --- the course's fixed cases, worked by hand -------------------------------------------------------------

def test_small_quadrant_by_hand(world):
    # Cuts: attachment > 4, visits > 12 (cases.shoppers' docstring). Zhao has exactly 12 visits: not high.
    world(None, "en")
    types = lesson_namespace("11")["small_types"]
    assert types.to_dict() == {"Li": "trust", "Wang": "monopoly/inertia/incentive", "Zhang": "none",
                               "Liu": "price", "Chen": "trust", "Zhao": "price"}


def test_small_quadrant_accepts_chinese_names(world):
    world(None, "zh")
    from crmlab.loyalty.labels import localise
    types = lesson_namespace("11", None, "zh")["small_types"]
    assert list(types.index) == ["小李", "小王", "小张", "小刘", "小陈", "小赵"]
    assert lesson("11").q1.evaluate(localise(types)).correct  # 信赖忠诚, 垄断忠诚、惰性忠诚、利益忠诚 …


def test_dominant_switching_cost_by_hand(world):
    # Ma: procedural (6+5+6+7)/4 = 6.0 > financial (3+2)/2 = 2.5, relational (2+3)/2 = 2.5.
    # Wu: procedural (2+3+2+2)/4 = 2.25, financial (3+3)/2 = 3.0, relational (2+3)/2 = 2.5.
    world(None, "en")
    assert lesson_namespace("13")["dominant"].to_dict() == {"Ma": "procedural", "Sun": "financial",
                                                            "Zhou": "relational", "Wu": "financial"}


def test_course_cases_are_the_hand_calculations(world):
    world(None, "en")
    answers = lesson_namespace("14")
    # Mrs Smith with 20 listeners: 50×52×10 = 26,000; 20×0.5 = 10, 10×5 = 50 more; (10+50)×0.25 = 15 lost
    # customers × 26,000 = 390,000; total 416,000.
    assert answers["smith_loss_20"] == pytest.approx(416_000)
    # Exam case, one baseline (the firm without her): satisfied 26,000 + 1×26,000 = 52,000; unhappy and gone
    # 0 − 2×26,000 = −52,000; swing 104,000 (the often-quoted 130,000 counts her own 26,000 twice).
    assert answers["swing"] == pytest.approx(104_000)
    # Growth value 7,000 → gold (6,000 ≤ 7,000 < 15,000), 1.5 points per unit: 800 × 1.5 = 1,200.
    assert lesson_namespace("15")["gold_points"] == pytest.approx(1_200)


def test_exam_case_reading_is_a_parameter():
    from crmlab.loyalty import dynamic_customer_value
    stays = dynamic_customer_value(unhappy_leaves=False)
    # She complains but keeps buying: 26,000 − 2×26,000 = −26,000; swing 52,000 − (−26,000) = 78,000.
    assert stays.loc["unhappy", "total_value"] == pytest.approx(-26_000)
    assert stays.loc["satisfied", "total_value"] - stays.loc["unhappy", "total_value"] == pytest.approx(78_000)


@pytest.mark.parametrize("kwargs", [{}, {"told": 20}, {"count_first_circle": False}, {"years": 3, "lost_share": 0.5}])
def test_every_row_of_mrs_smith_adds_up(kwargs):
    from crmlab.loyalty import mrs_smith_loss
    t = mrs_smith_loss(**kwargs)["value"]
    assert t["yearly_sales"] == pytest.approx(t["weekly_sales"] * 52)
    assert t["lifetime_sales"] == pytest.approx(t["yearly_sales"] * kwargs.get("years", 10))
    circles = t["first_circle"] + t["second_circle"] if kwargs.get("count_first_circle", True) else t["second_circle"]
    assert t["influenced"] == pytest.approx(circles)
    assert t["lost_customers"] == pytest.approx(t["influenced"] * kwargs.get("lost_share", 0.25))
    assert t["word_of_mouth_loss"] == pytest.approx(t["lost_customers"] * t["lifetime_sales"])
    assert t["total_loss"] == pytest.approx(t["lifetime_sales"] + t["word_of_mouth_loss"])


@pytest.mark.parametrize("leaves", [True, False])
def test_every_row_of_the_exam_case_adds_up(leaves):
    from crmlab.loyalty import dynamic_customer_value
    t = dynamic_customer_value(unhappy_leaves=leaves, told_if_unhappy=7, conversion=0.3)
    assert (t["total_value"] == t["own_value"] + t["word_of_mouth_value"]).all()
    assert (t["converted"] == t["listeners"] * 0.3).all()
    assert t["word_of_mouth_value"].abs().tolist() == pytest.approx((t["converted"] * t["lifetime_value"]).tolist())


def test_summary_of_lesson_14_does_not_state_the_exam_answer():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).parents[1] / "instructor" / "14_loyal_customer_value.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for figure in ("104,000", "104 000", "130,000", "130 000", "78,000"):
        assert figure not in text, figure


# --- mistakes: each recognised wrong answer gets its own message, in both languages ----------------------

def _mistakes():
    return [(q.id, m.name) for number in LESSONS for q in lesson(number) for m in q.mistakes]


@pytest.mark.parametrize("student, language", WORLDS)
@pytest.mark.parametrize("question_id, mistake", _mistakes())
def test_each_mistake_is_named(question_id, mistake, student, language, world):
    world(student, language)
    number, name = question_id.split(".")
    question = getattr(lesson(number), name)
    found = next(m for m in question.mistakes if m.name == mistake)
    namespace = lesson_namespace(number, student, language)
    wrong = found.wrong(namespace)
    result = question.evaluate(wrong)
    assert result.status == "incorrect", (question_id, mistake, result.message)
    # On a world where two mistakes give the same answer (e.g. as many latent as true-loyal respondents),
    # either one's message names it.
    same = [i18n.tr(*m.message) for m in question.mistakes if question.compare(wrong, m.wrong(namespace)) is None]
    assert result.message == i18n.tr(*found.message) or result.message in same, result.message


@pytest.mark.parametrize("number", LESSONS)
def test_every_question_names_mistakes_and_chinese_hints(number):
    for question in lesson(number):
        assert question.mistakes, question.id
        for hint in question.hints:
            assert isinstance(hint, tuple) and len(hint) == 2, question.id
        for mistake in question.mistakes:
            en, zh = mistake.message
            english_words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`", "", zh))) - ALLOWED_IN_CHINESE
            assert en and zh and not english_words, (question.id, zh)


# --- labels: Chinese in a Chinese lesson, codes in code -----------------------------------------------------

def test_labels_shown_in_chinese_and_read_back(monkeypatch):
    from crmlab.loyalty.labels import localise, name, to_codes
    monkeypatch.setitem(i18n._state, "language", "zh")
    assert name("trust") == "信赖忠诚" and name("spurious") == "虚假忠诚" and name("procedural") == "程序性"
    assert name("monopoly/inertia/incentive") == "垄断忠诚、惰性忠诚、利益忠诚"
    assert to_codes("垄断忠诚、惰性忠诚、利益忠诚") == "monopoly/inertia/incentive"
    assert to_codes(pd.Series(["信赖忠诚", "price"])).tolist() == ["trust", "price"]
    shown = localise(pd.DataFrame({"name_en": ["x"], "name_zh": ["甲"], "tier": ["gold"]}))
    assert list(shown.columns) == ["名称", "会员等级"] and shown.iloc[0].tolist() == ["甲", "金卡会员"]
    monkeypatch.setitem(i18n._state, "language", "en")
    assert name("trust") == "trust"
    assert list(localise(pd.DataFrame({"name_en": ["x"], "name_zh": ["甲"]})).columns) == ["name"]


# --- charts ---------------------------------------------------------------------------------------------

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
