"""Lessons 02, 16, 17, 18 (CRM operations and the capstone), run from their one source (the instructor
notebooks, through tests/lesson_harness.py): each question's reference passes its own check and every
mistake a question lists is refused with its own message, in English and in Chinese, on the default world
and on a student's; generic wrong answers are refused; the course's hand cases (crmlab.cases.operations)
give the answers worked out by hand below; tables are labelled in Chinese in Chinese mode; and the helpers
these lessons added (forecast_track, churn_by_satisfaction, gain_curve_chart) are checked by hand."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import i18n  # noqa: E402
from crmlab.cases import operations as cases  # noqa: E402
from crmlab.exercises import lesson  # noqa: E402
from crmlab.exercises.reference import reference_run  # noqa: E402
from crmlab.operations import (  # noqa: E402
    churn_by_satisfaction, forecast_track, forecast_vs_actual, three_controls, weighted_forecast,
)
from crmlab.operations.labels import localise  # noqa: E402
from crmlab.plot.operations import gain_curve_chart  # noqa: E402
from crmlab.quality import complete_records  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402
from lesson_harness import lesson_namespace  # noqa: E402

LESSONS = ("02", "16", "17", "18")
WORLDS = [("", "en"), ("2024001234", "zh")]  # the shared English world; a student's own Chinese world (as test_lessons)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _as(monkeypatch, student: str, language: str) -> None:
    monkeypatch.setenv("CRMLAB_STUDENT_ID", student)
    monkeypatch.setitem(i18n._state, "language", language)


# --- every question, from the notebook's own reference run -------------------------------------------

@pytest.mark.parametrize("student,language", WORLDS)
@pytest.mark.parametrize("number", LESSONS)
def test_reference_passes_and_each_mistake_gets_its_message(number, student, language, monkeypatch):
    _as(monkeypatch, student, language)
    run = reference_run(number, student or None, language, whole=True)
    named = 0
    for question in lesson(number):
        expected = run.answers[question.id]
        assert question.evaluate(expected).status == "correct", question.id
        assert len(question.mistakes) >= 2, f"{question.id}: list the common mistakes"
        for mistake in question.mistakes:
            wrong = mistake.wrong(run.namespace)
            if question.compare(wrong, expected) is None:  # on this world the mistake gives the right answer
                continue
            result = question.evaluate(wrong)
            assert result.status == "incorrect", (question.id, mistake.name)
            assert result.message == i18n.tr(*mistake.message), (question.id, mistake.name, result.message)
            named += 1
    assert named >= 2 * len(list(lesson(number)))


@pytest.mark.parametrize("number", LESSONS)
def test_generic_wrong_answers_are_refused(number, monkeypatch):
    _as(monkeypatch, "", "zh")
    run = reference_run(number, None, "zh")
    for question in lesson(number):
        expected = run.answers[question.id]
        if isinstance(expected, list):  # a set of customers: one missing, one extra
            assert "缺少 1 项" in question.evaluate(expected[1:]).message
            outsider = next(c for c in run.namespace["table"].index if c not in set(expected))
            assert "不应出现" in question.evaluate([*expected, outsider]).message
            continue
        for wrong in (float(expected) * 1.1 + 1, -float(expected) - 1, pd.Series([expected, expected])):
            result = question.evaluate(wrong)
            assert result.status == "incorrect", (question.id, wrong)


def test_chinese_messages_and_hints_exist_for_every_question():
    for number in LESSONS:
        for question in lesson(number):
            for hint in question.hints:
                assert isinstance(hint, tuple) and len(hint) == 2, question.id
            for mistake in question.mistakes:
                english, chinese = mistake.message
                assert english != chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese), question.id


# --- what the prose says holds on every world ------------------------------------------------------

@pytest.mark.parametrize("student,language", WORLDS + [("test-student-42", "en")])
def test_the_prose_holds_on_the_students_world(student, language):
    """Each qualitative claim the lessons' text makes, checked on the world it is read on (figures that
    vary between worlds are printed by code cells instead)."""
    ns16 = lesson_namespace("16", student or None, language)
    assert (ns16["opps"]["status"] != "open").mean() > 0.5  # "most deals are closed"
    assert ns16["conversion"]["to_next"].idxmin() == "lead"  # "most deals are lost as leads"
    cycle = ns16["cycle_time"](ns16["history"]).groupby("outcome")["days"].median()
    assert cycle["won"] > 2 * cycle["lost"]  # "won deals take far longer than lost ones"

    ns17 = lesson_namespace("17", student or None, language)
    times = ns17["service_times"](ns17["tickets"])["response_hours"]
    assert times.mean() > 1.3 * times.median()  # "the mean is far higher" than the median
    assert (ns17["levels"]["resolution_within"] < 0.5).all()  # "far short of a 90 % goal"
    controls = ns17["controls_2025"]
    assert controls["dissatisfaction_rate"] > 0.5 and controls["omission_rate"] < 0.1
    assert 0.5 < controls["complaint_rate"] < 1.5  # "of the order of one complaint per customer served"
    naive = ns17["service_churn_link"](ns17["tickets"], ns17["churned"])
    assert naive["churn_rate"].idxmax() == "no_request"  # "accounts that never asked ... churned most"

    ns18 = lesson_namespace("18", student or None, language)
    table, offers = ns18["table"], int(ns18["facts"]["budget"] // ns18["facts"]["cost"])
    assert ns18["nps_all"] < -20  # "far more detractors than promoters"
    by_segment = table.groupby("segment")[["p_alive", "value"]].mean()
    assert by_segment.loc[["At risk", "Can't lose them"], "p_alive"].max() < 0.1  # "almost certainly gone"
    assert by_segment["value"].idxmax() == "Champions"
    assert table.loc[ns18["chosen"], "gain"].sum() > 0
    assert table.loc[ns18["rfm_pick"], "gain"].sum() < -0.9 * ns18["facts"]["budget"]  # "loses nearly the whole budget"
    assert ns18["worth_it"] > offers  # "more customers are worth an offer than the budget pays for"
    surveyed, in_targets = ns18["surveyed"], ns18["in_targets"]
    assert ns18["nps"](surveyed[~in_targets]) < ns18["nps"](surveyed[in_targets]) < 0  # "less unhappy, yet negative"


# --- the hand cases ------------------------------------------------------------------------------

def test_small_funnel_forecast_by_hand():
    # In Q1 2026: D1 200 × 0.10 = 20, D2 120 × 0.25 = 30, D3 80 × 0.50 = 40, D4 60 × 0.75 = 45,
    # D5 40 × 0.75 = 30 → 165. D6 closes in May, D7 is lost.
    forecast = weighted_forecast(cases.funnel_deals(), "2026-01-01", "2026-03-31")
    assert forecast.loc["total", "weighted"] == pytest.approx(165.0)
    assert forecast.loc["negotiation", "opportunities"] == 2 and forecast.loc["proposal", "amount"] == 80.0
    assert lesson_namespace("16")["small_forecast"] == pytest.approx(165.0)


def test_small_completeness_by_hand():
    # R2 has no phone, R6 no city: 4 of 6 records are complete.
    assert complete_records(cases.showroom_records(), cases.REQUIRED).tolist() == [True, False, True, True, True, False]
    assert lesson_namespace("02")["complete_share"] == pytest.approx(4 / 6)


def test_small_three_controls_by_hand():
    # 3 complaints / 50 customers = 0.06; 1 unrecorded / 10 requests = 0.10; 2 dissatisfied / 8 surveyed = 0.25.
    controls = three_controls(cases.service_month(), cases.SERVICE_MONTH_CUSTOMERS)
    assert controls["complaint_rate"] == pytest.approx(0.06)
    assert controls["omission_rate"] == pytest.approx(0.10)
    assert controls["dissatisfaction_rate"] == pytest.approx(0.25)
    assert lesson_namespace("17")["dissatisfaction"] == pytest.approx(0.25)


def test_cases_are_fresh_copies():
    first = cases.funnel_deals()
    first.loc["D1", "amount"] = 0.0
    assert cases.funnel_deals().loc["D1", "amount"] == 200.0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_capstone_gain_follows_the_stated_assumptions(language):
    ns = lesson_namespace("18", None, language)
    table, facts = ns["table"], ns["facts"]
    # 300 offers in either currency: 3,000 / 10 dollars, 12,000 / 40 yuan.
    assert facts["budget"] // facts["cost"] == 300
    assert facts["cost"] == {"en": 10.0, "zh": 40.0}[language]
    customer = table.index[0]
    # gain = uplift × margin × clv − cost, for one customer recomputed by hand.
    assert table.loc[customer, "gain"] == pytest.approx(0.20 * 0.25 * table.loc[customer, "clv"] - facts["cost"])
    assert len(ns["targets"]) == 300


# --- labels shown in Chinese --------------------------------------------------------------------------

def test_tables_are_labelled_in_the_language_in_force(monkeypatch):
    forecast = weighted_forecast(cases.funnel_deals(), "2026-01-01", "2026-03-31")
    monkeypatch.setitem(i18n._state, "language", "en")
    assert localise(forecast) is forecast
    monkeypatch.setitem(i18n._state, "language", "zh")
    shown = localise(forecast)
    assert list(shown.index) == ["线索", "合格商机", "方案报价", "谈判", "成交", "合计"]  # GLOSSARY's stage names
    assert list(shown.columns) == ["机会数", "金额", "成功率", "加权金额"]
    assert forecast.index[0] == "lead"  # the original keeps its codes
    controls = localise(three_controls(cases.service_month(), 50))
    assert {"服务投诉率", "服务遗漏率", "服务不满率"} <= set(controls.index)  # Haier's three controls, as the course names them


# --- forecast_track --------------------------------------------------------------------------------

def _two_deals():
    opps = pd.DataFrame({"opportunity_id": ["OP1", "OP2"], "amount": [100.0, 200.0],
                         "expected_close": pd.to_datetime(["2024-02-15", "2024-05-10"]),
                         "status": ["won", "lost"], "closed_date": pd.to_datetime(["2024-04-02", "2024-05-01"])})
    history = pd.DataFrame({"opportunity_id": ["OP1", "OP1", "OP1", "OP2", "OP2"],
                            "stage": ["lead", "proposal", "won", "lead", "lost"],
                            "entered_date": pd.to_datetime(["2023-12-01", "2023-12-20", "2024-04-02",
                                                            "2024-03-01", "2024-05-01"])})
    return opps, history


def test_forecast_track_by_hand():
    opps, history = _two_deals()
    track = forecast_track(opps, history, "2024Q1", "2024Q2")
    # Q1 (forecast on 2023-12-31): OP1 at proposal, 100 × 0.5 = 50, expected in Feb; it was won in April → actual 0.
    # Q2 (forecast on 2024-03-31): OP1 expected in Feb (outside Q2); OP2 at lead, 200 × 0.1 = 20; lost → actual 0.
    assert track.index.tolist() == ["2024Q1", "2024Q2"]
    assert track["forecast"].tolist() == pytest.approx([50.0, 20.0])
    assert track["actual"].tolist() == [0.0, 0.0]
    # Each row is forecast_vs_actual for its quarter, made the day before it.
    row = forecast_vs_actual(opps, history, "2024-03-31", "2024-04-01", "2024-06-30")
    assert track.loc["2024Q2"].to_dict() == pytest.approx(row.to_dict())


def test_forecast_track_rejects_bad_periods():
    opps, history = _two_deals()
    with pytest.raises(CrmlabInputError, match="freq"):
        forecast_track(opps, history, "2024Q1", "2024Q2", freq="Y")
    with pytest.raises(CrmlabInputError, match="before start"):
        forecast_track(opps, history, "2024Q3", "2024Q1")
    with pytest.raises(CrmlabInputError, match="periods such as"):
        forecast_track(opps, history, "not a quarter", "2024Q1")


# --- churn_by_satisfaction ----------------------------------------------------------------------------

def test_churn_by_satisfaction_by_hand():
    tickets = pd.DataFrame({"account_id": ["A", "A", "A", "B", "B", "C", "D", "D"],
                            "satisfied": pd.array([False, False, True, True, False, True, None, True],
                                                  dtype="boolean")})
    churned = pd.Series({"A": True, "B": False, "C": False, "D": True, "E": True})
    groups = churn_by_satisfaction(tickets, churned)
    # Shares satisfied: A 1/3 → mostly unhappy; B 1/2 → mixed; C 1 and D 1 (its unanswered request
    # does not count) → mostly happy. E made no request and is left out. Surveyed churn = 2 / 4 = 0.5.
    assert groups["customers"].tolist() == [1, 1, 2]
    assert groups["churn_rate"].tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert groups["lift"].tolist() == pytest.approx([2.0, 0.0, 1.0])


def test_churn_by_satisfaction_rejects_bad_input():
    tickets = pd.DataFrame({"account_id": ["A"], "satisfied": pd.array([True], dtype="boolean")})
    with pytest.raises(CrmlabInputError, match="churned"):
        churn_by_satisfaction(tickets, [True])
    with pytest.raises(CrmlabInputError, match="missing"):
        churn_by_satisfaction(tickets, pd.Series({"A": None}, dtype="boolean"))
    with pytest.raises(CrmlabInputError, match="does not know"):
        churn_by_satisfaction(tickets, pd.Series({"B": True}))
    with pytest.raises(CrmlabInputError, match="satisfied"):
        churn_by_satisfaction(tickets.drop(columns="satisfied"), pd.Series({"A": True}))


# --- gain_curve_chart ----------------------------------------------------------------------------------

def test_gain_curve_peaks_after_the_positive_gains():
    ax = gain_curve_chart(pd.Series([5.0, -2.0, 3.0, -1.0]), budget_count=3)
    x, y = ax.lines[0].get_data()
    # Best first: 5, 3, −1, −2 → cumulative 0, 5, 8, 7, 5; the peak is after 2 customers.
    assert y.tolist() == [0.0, 5.0, 8.0, 7.0, 5.0]
    assert ax.lines[1].get_data()[0].tolist() == [2]
    assert any("budget: 3" in t.get_text() for t in ax.get_legend().get_texts())


def test_gain_curve_rejects_bad_input():
    with pytest.raises(CrmlabInputError, match="non-empty"):
        gain_curve_chart(pd.Series([], dtype=float))
    with pytest.raises(CrmlabInputError, match="missing"):
        gain_curve_chart(pd.Series([1.0, np.nan]))
    with pytest.raises(CrmlabInputError, match="budget_count"):
        gain_curve_chart(pd.Series([1.0]), budget_count=0)
