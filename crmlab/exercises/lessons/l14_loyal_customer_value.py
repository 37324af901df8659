"""Lesson 14 (客户忠诚的价值): the Mrs Smith and exam cases, P(alive) from BG/NBD, who is worth the most."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.loyalty import BGNBD, GammaGamma, calibration_holdout_summary

# The retail world ends on 2025-12-31; the whole history is the calibration period, in weeks.
CALIBRATION_END = "2025-12-31"
TOP_N = 20


def customer_summary() -> pd.DataFrame:
    """frequency, recency, T (weeks) and monetary_value per retail customer, up to the world's end."""
    sales = datasets.load("retail")["transactions"]
    return calibration_holdout_summary(sales, "customer_id", "date", CALIBRATION_END,
                                       amount_col="amount", time_unit="W")


def _smith_loss_20() -> float:
    # The case at the top of its range: she tells 20 people instead of 10.
    own = 50 * 52 * 10                      # 26,000 of her own spending
    first_circle = 20 * 0.5                 # 10 people she influences
    second_circle = first_circle * 5       # 50 more they influence
    lost = (first_circle + second_circle) * 0.25   # 15 customers stop shopping there
    return own + lost * own                 # 26,000 + 15 × 26,000 = 416,000


def _swing() -> float:
    own = 50 * 1 * 52 * 10                  # 26,000 over a 10-year life
    satisfied = own + 5 * 0.2 * own         # kept, plus 1 converted listener: 52,000
    unhappy = -(own + 10 * 0.2 * own)       # lost, plus 2 lost listeners: −78,000
    return satisfied - unhappy              # 130,000


def _p_alive() -> pd.Series:
    s = customer_summary()
    model = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    return model.probability_alive(s["frequency"], s["recency"], s["T"])


def _explain_alive(customer) -> str:
    row = customer_summary().loc[customer]
    return tr(f"{customer} made {int(row['frequency'])} repeat purchase(s), the last at week "
              f"{row['recency']:.1f} of {row['T']:.1f}",
              f"{customer} 重复购买 {int(row['frequency'])} 次，最后一次在第 {row['recency']:.1f} 周（共 {row['T']:.1f} 周）")


def _top_customers() -> list:
    s = customer_summary()
    bgnbd = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    repeat = s[s["frequency"] > 0]
    spend = GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    clv = spend.clv(bgnbd, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    return clv.nlargest(TOP_N).index.tolist()


EXERCISES = Exercises("14", [
    Question(
        id="14.q1", variable="smith_loss_20", legacy_expected=_smith_loss_20, compare=compare.number(rtol=1e-9),
        hints=["Only the number of people she tells changes: mrs_smith_loss(told=20).",
               "The answer is the row 'total_loss', column 'value': .loc['total_loss', 'value'].",
               "By hand: 26,000 of her own + (10 + 50) × 0.25 = 15 lost customers × 26,000."],
        legacy_solution='smith_loss_20 = mrs_smith_loss(told=20).loc["total_loss", "value"]',
    ),
    Question(
        id="14.q2", variable="swing", legacy_expected=_swing, compare=compare.number(rtol=1e-9),
        hints=["dynamic_customer_value() gives total_value for the satisfied and the unhappy customer.",
               "The swing is satisfied minus unhappy; the unhappy total is negative, so the gap is larger "
               "than either number."],
        legacy_solution=('value = dynamic_customer_value()\n'
                       'swing = value.loc["satisfied", "total_value"] - value.loc["unhappy", "total_value"]'),
    ),
    Question(
        id="14.q3", variable="p_alive", legacy_expected=_p_alive,
        compare=compare.series_by_key(rtol=1e-4, atol=1e-6, explain=_explain_alive, what="probability"),
        hints=["Fit BGNBD on the summary: BGNBD().fit(summary['frequency'], summary['recency'], summary['T']).",
               "model.probability_alive(frequency, recency, T) gives one probability per customer."],
        legacy_solution=('model = BGNBD().fit(summary["frequency"], summary["recency"], summary["T"])\n'
                       'p_alive = model.probability_alive(summary["frequency"], summary["recency"], summary["T"])'),
    ),
    Question(
        id="14.q4", variable="top_customers", legacy_expected=_top_customers, compare=compare.same_items(),
        hints=["Fit GammaGamma on the repeat customers only (frequency > 0).",
               "spend.clv(model, frequency, recency, T, monetary_value) gives each customer's 12-month value.",
               f"clv.nlargest({TOP_N}).index.tolist() lists the {TOP_N} most valuable customers."],
        legacy_solution=('model = BGNBD().fit(summary["frequency"], summary["recency"], summary["T"])\n'
                       'repeat = summary[summary["frequency"] > 0]\n'
                       'spend = GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])\n'
                       'clv = spend.clv(model, summary["frequency"], summary["recency"], summary["T"],\n'
                       '                summary["monetary_value"])\n'
                       f'top_customers = clv.nlargest({TOP_N}).index.tolist()'),
    ),
])
