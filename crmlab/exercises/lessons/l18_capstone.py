"""Lesson 18 (分析决策): the retail company's customers classified, measured, valued, and a retention budget spent."""
import pandas as pd

from crmlab import datasets
from crmlab.classify import abc_classes, rfm_scores, rfm_segments
from crmlab.exercises import Exercises, Question, compare
from crmlab.loyalty import BGNBD, GammaGamma, calibration_holdout_summary
from crmlab.satisfaction import nps

# The decision's stated assumptions (the capstone's "case facts"; students may change them and re-run).
MARGIN = 0.25          # gross margin on revenue (as in lesson 05)
COST = 10.0            # cost of one retention offer (a voucher and a call), USD
UPLIFT = 0.20          # share of a customer's next-year value an offer adds
BUDGET = 3000.0        # the retention budget, USD → BUDGET / COST = 300 offers


def customer_table() -> pd.DataFrame:
    """One row per retail customer: RFM segment, ABC class, P(alive), 12-month CLV (revenue) and value (profit).

    value = MARGIN × CLV, the customer's expected profit in the next 12 months (BG/NBD + Gamma-Gamma,
    Fader, Hardie & Lee 2005); gain = UPLIFT × value − COST, the expected net gain of one offer.
    """
    retail = datasets.load("retail")
    sales, end = retail["transactions"], retail.meta["end"]
    scores = rfm_scores(sales, "customer_id", "date", "amount", retail.meta["analysis_date"])
    summary = calibration_holdout_summary(sales, "customer_id", "date", end, amount_col="amount")
    model = BGNBD().fit(summary["frequency"], summary["recency"], summary["T"])
    repeat = summary[summary["frequency"] > 0]
    spend = GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    clv = spend.clv(model, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"])
    table = pd.DataFrame({
        "segment": rfm_segments(scores)["segment"],
        "abc": abc_classes(scores["monetary"]),
        "p_alive": model.probability_alive(summary["frequency"], summary["recency"], summary["T"]),
        "clv": clv,
    })
    table["value"] = MARGIN * table["clv"]
    table["gain"] = UPLIFT * table["value"] - COST
    return table


def _nps() -> float:
    return float(nps(datasets.load("retail")["survey"]["recommend"]))


def _value_total() -> float:
    return float(customer_table()["value"].sum())


def _targets() -> list[str]:
    return customer_table()["gain"].nlargest(int(BUDGET // COST)).index.tolist()


def _worth_it() -> float:
    return float((customer_table()["gain"] > 0).sum())


EXERCISES = Exercises("18", [
    Question(
        id="18.q1", variable="nps_all", legacy_expected=_nps, compare=compare.number(atol=0.05),
        hints=["The survey's recommend column holds the 0–10 'would you recommend us' answers.",
               "NPS = % promoters (9–10) − % detractors (0–6), a number from −100 to 100.",
               "nps(survey['recommend'])"],
        legacy_solution='nps_all = nps(survey["recommend"])',
    ),
    Question(
        id="18.q2", variable="value_total", legacy_expected=_value_total, compare=compare.number(rtol=1e-6),
        hints=["table['value'] is each customer's expected profit over the next 12 months.",
               "Add it up over all customers.",
               "value_total = table['value'].sum()"],
        legacy_solution='value_total = table["value"].sum()',
    ),
    Question(
        id="18.q3", variable="targets", legacy_expected=_targets, compare=compare.same_items(),
        hints=["The budget buys BUDGET // COST = 300 offers.",
               "Give them to the customers with the largest expected gain of an offer (table['gain']).",
               "targets = table['gain'].nlargest(300).index.tolist()"],
        legacy_solution='targets = table["gain"].nlargest(int(BUDGET // COST)).index.tolist()',
    ),
    Question(
        id="18.q4", variable="worth_it", legacy_expected=_worth_it, compare=compare.number(atol=0.5),
        hints=["An offer pays for itself when UPLIFT × value is larger than COST, i.e. gain > 0.",
               "Count the customers whose gain is above 0.",
               "worth_it = (table['gain'] > 0).sum()"],
        legacy_solution='worth_it = (table["gain"] > 0).sum()',
    ),
])
