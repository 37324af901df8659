"""Lessons 02, 16, 17, 18 (CRM operations and the capstone): every question's expected answer runs on the
default world and on a student's own world, each worked solution passes its check, a typical wrong answer
fails with a message that says what is wrong, the hand cases give the answers worked out below, and the
helpers these lessons added (forecast_track, churn_by_satisfaction, gain_curve_chart) are checked by hand."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import datasets  # noqa: E402
from crmlab.exercises import lesson  # noqa: E402
from crmlab.exercises.lessons import l02_customer_data_quality as l02  # noqa: E402
from crmlab.exercises.lessons import l16_sales_funnel as l16  # noqa: E402
from crmlab.exercises.lessons import l17_service_and_complaints as l17  # noqa: E402
from crmlab.exercises.lessons import l18_capstone as l18  # noqa: E402
from crmlab.operations import (  # noqa: E402
    churn_by_satisfaction, forecast_track, forecast_vs_actual, service_level, stage_conversion, three_controls,
    weighted_forecast,
)
from crmlab.plot.operations import gain_curve_chart  # noqa: E402
from crmlab.quality import complete_records, duplicate_metrics, find_duplicates, quality_summary  # noqa: E402
from crmlab.satisfaction import nps  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402
from lesson_harness import assert_lesson_works, assert_wrong_answers_explained  # noqa: E402

LESSONS = ("02", "16", "17", "18")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- the namespaces the notebooks build before each answer cell -------------------------------

def _namespace_02() -> dict:
    dirty, truth = l02.dealer_export()
    return {"small": l02.SMALL.copy(), "REQUIRED": l02.REQUIRED, "complete_records": complete_records,
            "dirty": dirty, "truth": truth, "quality_summary": quality_summary, "find_duplicates": find_duplicates,
            "duplicate_metrics": duplicate_metrics,
            "metrics": duplicate_metrics(find_duplicates(dirty), truth["person_id"])}


def _namespace_16() -> dict:
    b2b = datasets.load("b2b")
    opps, history = b2b["opportunities"], b2b["stage_history"]
    return {"small": l16.SMALL.copy(), "weighted_forecast": weighted_forecast,
            "open_deals": opps[opps["status"] == "open"],
            "conversion": stage_conversion(history, closed_only=True),
            "track": forecast_track(opps, history, "2024Q1", "2025Q4")}


def _namespace_17() -> dict:
    b2b = datasets.load("b2b")
    tickets, orders = b2b["service_requests"], b2b["orders"]
    served = orders.loc[pd.to_datetime(orders["order_date"]).dt.year == 2025, "account_id"].nunique()
    churned = b2b["truth"].set_index("account_id")["true_churn_date"].notna()
    return {"small": l17.SMALL.copy(), "three_controls": three_controls,
            "levels": service_level(tickets, response_target=4, resolution_target=48, by="kind"),
            "controls_2025": three_controls(tickets[tickets["opened_at"].dt.year == 2025], served),
            "groups": churn_by_satisfaction(tickets, churned)}


def _namespace_18() -> dict:
    return {"nps": nps, "survey": datasets.load("retail")["survey"], "table": l18.customer_table(),
            "BUDGET": l18.BUDGET, "COST": l18.COST}


NAMESPACES = {"02": _namespace_02, "16": _namespace_16, "17": _namespace_17, "18": _namespace_18}


@pytest.mark.parametrize("student", ["", "s1"])
@pytest.mark.parametrize("number", LESSONS)
def test_expected_answers_compute_and_worked_solutions_pass(number, student, monkeypatch):
    monkeypatch.setenv("CRMLAB_STUDENT_ID", student)
    assert_lesson_works(number, NAMESPACES[number])


def _wrong_answers(ns: dict) -> dict:
    """One typical mistake per question and a fragment its message must contain."""
    b2b = datasets.load("b2b")
    opps = b2b["opportunities"]
    open_deals = opps[opps["status"] == "open"]
    table = ns["18"]["table"]
    at_risk = table.index[table["segment"].isin(["At risk", "Can't lose them"])][:300]
    return {
        "02.q1": (5 / 6, "too high"),                           # counted only the missing phone
        "02.q2": (0.85, "too low"),                             # took uniqueness instead
        "02.q3": (1.0, "too high"),                             # took precision instead
        "02.q4": (0, "too low"),                                # assumed a lower threshold is free
        "16.q1": (500.0, "too high"),                           # forgot the weights
        "16.q2": (weighted_forecast(open_deals).loc["total", "weighted"], "too high"),  # no period
        "16.q3": (0.5, "too low"),                              # the system's rate, not the history's
        "16.q4": (1 / ns["16"]["track"]["actual"].sum() * ns["16"]["track"]["forecast"].sum(), "too high"),
        "17.q1": (2 / 10, "too low"),                           # counted the unsurveyed as satisfied
        "17.q2": (ns["17"]["levels"].loc["complaint", "response_within"], "too high"),
        "17.q3": (ns["17"]["controls_2025"]["complaint_rate"], "too high"),
        "17.q4": (1 / 2.78, "too low"),
        "18.q1": (0.0, "too high"),
        "18.q2": (table["clv"].sum(), "too high"),              # revenue, not profit
        "18.q3": (list(at_risk), "should not be there"),
        "18.q4": (300, "too low"),                              # the budget, not the worthwhile count
    }


def test_wrong_answers_get_a_specific_message():
    ns = {number: build() for number, build in NAMESPACES.items()}
    assert_wrong_answers_explained(LESSONS, _wrong_answers(ns))


# --- the hand cases ------------------------------------------------------------------------------

def test_small_funnel_forecast_by_hand():
    # In Q1 2026: D1 200 × 0.10 = 20, D2 120 × 0.25 = 30, D3 80 × 0.50 = 40, D4 60 × 0.75 = 45,
    # D5 40 × 0.75 = 30 → 165. D6 closes in May, D7 is lost.
    forecast = weighted_forecast(l16.SMALL, *l16.Q1_2026)
    assert forecast.loc["total", "weighted"] == pytest.approx(165.0)
    assert forecast.loc["negotiation", "opportunities"] == 2 and forecast.loc["proposal", "amount"] == 80.0
    assert lesson("16").q1.expected() == pytest.approx(165.0)


def test_small_completeness_by_hand():
    # R2 has no phone, R6 no city: 4 of 6 records are complete.
    assert complete_records(l02.SMALL, l02.REQUIRED).tolist() == [True, False, True, True, True, False]
    assert lesson("02").q1.expected() == pytest.approx(4 / 6)


def test_small_three_controls_by_hand():
    # 3 complaints / 50 customers = 0.06; 1 unrecorded / 10 requests = 0.10; 2 dissatisfied / 8 surveyed = 0.25.
    controls = three_controls(l17.SMALL, l17.SMALL_CUSTOMERS)
    assert controls["complaint_rate"] == pytest.approx(0.06)
    assert controls["omission_rate"] == pytest.approx(0.10)
    assert controls["dissatisfaction_rate"] == pytest.approx(0.25)
    assert lesson("17").q1.expected() == pytest.approx(0.25)


def test_capstone_gain_follows_the_stated_assumptions():
    table = l18.customer_table()
    customer = table.index[0]
    # gain = uplift × margin × clv − cost, for one customer recomputed by hand.
    assert table.loc[customer, "gain"] == pytest.approx(0.20 * 0.25 * table.loc[customer, "clv"] - 10.0)
    assert len(lesson("18").q3.expected()) == 300  # 3,000 / 10 offers


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
