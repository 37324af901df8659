"""Lessons 01, 03, 04, 05 (customer classification): every question's expected answer runs on the
default world and on a student's own world, each worked solution passes its check, a typical wrong
answer fails with a message that says what is wrong, and the course's fixed cases give the
answers worked out by hand below."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import datasets  # noqa: E402
from crmlab.classify import (  # noqa: E402
    abc_classes, customer_category, profit_pyramid, quantile_score, rfm_scores, rfm_segments, steel_exercise,
    top_share, value_change, value_tiers,
)
from crmlab.exercises import lesson  # noqa: E402
from crmlab.exercises.lessons import l03_abc_classification as l03  # noqa: E402
from crmlab.exercises.lessons import l04_rfm_segmentation as l04  # noqa: E402
from crmlab.exercises.lessons import l05_value_tiers as l05  # noqa: E402
from crmlab.plot.classify import share_bar  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402
from lesson_harness import assert_lesson_works, assert_wrong_answers_explained  # noqa: E402

LESSONS = ("01", "03", "04", "05")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- the namespaces the notebooks build before each answer cell -------------------------------

def _namespace_01() -> dict:
    b2b = datasets.load("b2b")
    accounts = b2b["accounts"].set_index("account_id")
    lines = b2b["order_lines"].merge(b2b["orders"][["order_id", "account_id"]], on="order_id")
    return {"pd": pd, "steel": steel_exercise(), "accounts": accounts, "categories": customer_category(accounts),
            "revenue": (lines["quantity"] * lines["unit_price"]).groupby(lines["account_id"]).sum()}


def _namespace_03() -> dict:
    exam = l03.EXAM.copy()
    ranked = exam.sort_values("amount", ascending=False)
    ranked["cum_share"] = ranked["amount"].cumsum() / ranked["amount"].sum()
    sales = datasets.load("retail")["transactions"]
    return {"exam": exam, "ranked": ranked, "abc_classes": abc_classes, "top_share": top_share,
            "revenue": sales.groupby("customer_id")["amount"].sum()}


def _namespace_04() -> dict:
    retail = datasets.load("retail")
    scores = rfm_scores(retail["transactions"], "customer_id", "date", "amount", retail.meta["analysis_date"])
    truth = retail["truth"].set_index("customer_id")
    return {"small": l04.SMALL_FREQUENCY.to_frame(), "quantile_score": quantile_score, "rfm_scores": rfm_scores,
            "retail": retail, "sales": retail["transactions"], "scores": scores, "segments": rfm_segments(scores),
            "true_value": (truth["true_mean_spend"] * truth["true_purchase_rate"]).where(truth["true_alive"], 0.0)}


def _namespace_05() -> dict:
    retail = datasets.load("retail")
    sales, tickets = retail["transactions"], retail["tickets"]
    sales_2025 = sales[sales["date"].dt.year == 2025]
    revenue_2025 = sales_2025.groupby("customer_id")["amount"].sum()
    served = tickets[tickets["opened_at"].dt.year == 2025].groupby("customer_id").size()
    profit = (0.25 * revenue_2025 - 3.0 * sales_2025.groupby("customer_id").size()
              - 15.0 * served.reindex(revenue_2025.index, fill_value=0))
    ids = retail["customers"]["customer_id"]
    by_year = sales.assign(year=sales["date"].dt.year).pivot_table(
        index="customer_id", columns="year", values="amount", aggfunc="sum", fill_value=0.0)
    by_year = by_year.reindex(ids, fill_value=0.0)
    complaints = tickets[(tickets["kind"] == "complaint") & (tickets["opened_at"].dt.year == 2025)]
    complaints_2025 = complaints.groupby("customer_id").size()
    return {"tiers": value_tiers(revenue_2025), "profit": profit, "profit_tiers": profit_pyramid(profit),
            "value_change": value_change, "revenue_2024_all": by_year[2024], "revenue_2025_all": by_year[2025],
            "complaints_2025": complaints_2025,
            "changes": value_change(by_year[2024], by_year[2025], complaints_2025)}


NAMESPACES = {"01": _namespace_01, "03": _namespace_03, "04": _namespace_04, "05": _namespace_05}


@pytest.mark.parametrize("student", ["", "s1"])
@pytest.mark.parametrize("number", LESSONS)
def test_expected_answers_compute_and_worked_solutions_pass(number, student, monkeypatch):
    monkeypatch.setenv("CRMLAB_STUDENT_ID", student)
    assert_lesson_works(number, NAMESPACES[number])


def _wrong_answers(ns: dict) -> dict:
    """One typical mistake per question and a fragment its message must contain."""
    exam_abc = abc_classes(l03.EXAM["amount"]).copy()  # contribution only: K04 stays A
    rfm_first = rfm_scores(ns["04"]["sales"], "customer_id", "date", "amount",
                           ns["04"]["retail"].meta["analysis_date"], ties="first")
    steel = customer_category(steel_exercise())["category"].copy()
    steel["S2"] = "business"
    counts = ns["01"]["categories"]["category"].value_counts()
    return {
        "01.q1": (steel, "seller's group: True"),
        "01.q2": (counts.drop(counts.index[-1]), "missing"),
        "01.q3": ("consumer", "not right"),
        "01.q4": ("consumer", "not right"),
        "03.q1": (["K02", "K06", "K04", "K08", "K01"], "should not be there"),
        "03.q2": (exam_abc, "K04"),
        "03.q3": (abc_classes(ns["03"]["revenue"], (0.7, 0.95)), "of revenue"),
        "03.q4": (100 * top_share(ns["03"]["revenue"], 0.2), "percentage"),
        "04.q1": (1, "not right"),
        "04.q2": (rfm_first, "values are wrong"),
        "04.q3": (0.0, "too low"),
        "04.q4": (1.0, "too high"),
        "05.q1": (20, "not right"),
        "05.q2": (0.05, "too low"),
        "05.q3": (pd.Series("regular", index=ns["05"]["changes"].index), "in 2025"),
        "05.q4": (float(ns["05"]["changes"]["value_2"].sum()), "too high"),
    }


def test_wrong_answers_get_a_specific_message():
    ns = {number: build() for number, build in NAMESPACES.items()}
    assert_wrong_answers_explained(LESSONS, _wrong_answers(ns))


# --- the course's fixed cases, answers worked out by hand -----------------------------------

def test_exam_task_classes_by_hand():
    # Amounts sorted (total 400): K02 120 → 30 %, K06 90 → 52.5 %, K04 60 → 67.5 %, K08 40 → 77.5 %,
    # K01 30 → 85 %, K09 25 → 91.25 %, K05 15 → 95 %, K10 10 → 97.5 %, K03 6 → 99 %, K07 4 → 100 %.
    assert lesson("03").q1.expected() == ["K02", "K04", "K06", "K08"]
    # Transactions sorted (total 100): K06 26, K02 22, K08 17, K01 10 → 75 % (A); K09 83 %, K10 89 %,
    # K04 94 % (B); K05, K03, K07 (C). The worse of the two classes: A only when A on both.
    expected = {"K01": "B", "K02": "A", "K03": "C", "K04": "B", "K05": "C",
                "K06": "A", "K07": "C", "K08": "A", "K09": "B", "K10": "C"}
    assert lesson("03").q2.expected().to_dict() == expected


def test_one_time_buyers_score_by_hand():
    # The five 1s take ranks 1–5, mid-rank 3: F = 1 + ⌊5·(3 − 1)/10⌋ = 2.
    assert lesson("04").q1.expected() == 2


def test_steel_exercise_answers_of_the_course():
    # The course's exercise: farmer, group's car plant, developer, government road, hospital, distributor.
    assert lesson("01").q1.expected().to_dict() == {
        "S1": "consumer", "S2": "internal", "S3": "business", "S4": "government", "S5": "service",
        "S6": "channel"}


def test_profit_follows_the_stated_cost_to_serve():
    # One customer, recomputed row by row from the raw tables: 0.25 · revenue − 3 · purchases − 15 · tickets.
    retail = datasets.load("retail")
    sales, tickets = retail["transactions"], retail["tickets"]
    profit = l05._profit_2025()
    customer = profit.index[0]
    mine = sales[(sales["customer_id"] == customer) & (sales["date"].dt.year == 2025)]
    served = ((tickets["customer_id"] == customer) & (tickets["opened_at"].dt.year == 2025)).sum()
    assert profit[customer] == pytest.approx(0.25 * mine["amount"].sum() - 3 * len(mine) - 15 * served)
    assert profit.index.is_unique and len(profit) == sales.loc[sales["date"].dt.year == 2025, "customer_id"].nunique()


# --- the chart this track added ----------------------------------------------------------------

def test_share_bar_draws_counts_and_shares_largest_first():
    ax = share_bar(pd.Series(["b", "a", "b", "c", "b", "a"]))
    # Top to bottom: b (3 of 6 = 50 %), a (2 of 6 = 33 %), c (1 of 6 = 17 %).
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]
    assert [t.get_text() for t in ax.texts] == ["3 (50%)", "2 (33%)", "1 (17%)"]


def test_share_bar_keeps_a_given_order_and_shows_empty_groups():
    ax = share_bar(pd.Series(["x", "x"]), order=["x", "y"])
    assert [t.get_text() for t in ax.texts] == ["2 (100%)", "0 (0%)"]


@pytest.mark.parametrize("labels, order", [
    (pd.Series(["a", None]), None),
    (pd.Series(["a", "z"]), ["a"]),
    (pd.DataFrame({"a": [1]}), None),
    (pd.Series([], dtype="str"), None),
])
def test_share_bar_rejects_bad_input(labels, order):
    with pytest.raises(CrmlabInputError):
        share_bar(labels, order=order)
