"""Lesson 11 (客户忠诚的类型): place customers on attachment × repeat purchase, Dick & Basu's segments."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.loyalty import customer_lifetime, dick_basu_segment, loyalty_quadrant, purchase_counts

# The lesson's hand-checkable example: six shoppers, attachment 1–7 and visits a year.
SMALL = pd.DataFrame({"attachment": [6, 2, 7, 3, 5, 1], "visits": [30, 25, 4, 3, 20, 12]},
                     index=pd.Index(["Li", "Wang", "Zhang", "Liu", "Chen", "Zhao"], name="customer"))
SMALL_CUTS = {"attachment_cut": 4, "repeat_cut": 12}


def respondents() -> pd.DataFrame:
    """Survey respondents of the retail world with their attachment (1–7), repurchase intent (1–7)
    and purchases per year since their first purchase (purchase days ÷ years as a customer)."""
    world = datasets.load("retail")
    sales = world["transactions"]
    counts = purchase_counts(sales, "customer_id", "date")["purchases"]
    years = customer_lifetime(sales, "customer_id", "date", unit_days=365.25)["age"]
    survey = world["survey"].set_index("customer_id")[["attachment", "repurchase_intent"]]
    return survey.join((counts / years).rename("purchases_per_year"))


def _small_types() -> pd.Series:
    # Li 6>4, 30>12 → trust; Wang 2, 25 → monopoly/inertia/incentive; Zhang 7, 4 → none (high attachment,
    # low repeat: no cause-based type sits there); Liu 3, 3 → price; Chen 5, 20 → trust; Zhao 1, 12 (not > 12) → price.
    return loyalty_quadrant(SMALL, "attachment", "visits", **SMALL_CUTS)["candidate_types"]


def _explain_small(name) -> str:
    row = SMALL.loc[name]
    return tr(f"{name} has attachment {row['attachment']} and {row['visits']} visits; a value above the cut is high",
              f"{name} 的依恋程度为 {row['attachment']}，到店 {row['visits']} 次；高于分界值才算高")


def _n_trust() -> int:
    quadrant = loyalty_quadrant(respondents(), "attachment", "purchases_per_year")
    return int((quadrant["candidate_types"] == "trust").sum())


def _segments() -> pd.Series:
    return dick_basu_segment(respondents(), "attachment", "purchases_per_year")


def _explain_segment(customer) -> str:
    data = respondents()
    row = data.loc[customer]
    return tr(f"{customer} has attachment {row['attachment']:g} (median {data['attachment'].median():g}) and "
              f"{row['purchases_per_year']:.1f} purchases a year (median {data['purchases_per_year'].median():.1f})",
              f"{customer} 的依恋程度为 {row['attachment']:g}（中位数 {data['attachment'].median():g}），"
              f"每年购买 {row['purchases_per_year']:.1f} 次（中位数 {data['purchases_per_year'].median():.1f}）")


def _spurious_share() -> float:
    return float((_segments() == "spurious").mean())


EXERCISES = Exercises("11", [
    Question(
        id="11.q1", variable="small_types", legacy_expected=_small_types,
        compare=compare.series_by_key(explain=_explain_small, what="type"),
        hints=["Use loyalty_quadrant(small, 'attachment', 'visits', attachment_cut=4, repeat_cut=12).",
               "Keep its 'candidate_types' column; only values *above* a cut count as high."],
        legacy_solution=('small_types = loyalty_quadrant(small, "attachment", "visits", attachment_cut=4,\n'
                       '                               repeat_cut=12)["candidate_types"]'),
    ),
    Question(
        id="11.q2", variable="n_trust", legacy_expected=_n_trust, compare=compare.exact(),
        hints=["loyalty_quadrant(people, 'attachment', 'purchases_per_year') cuts at the medians by default.",
               "Count the rows whose candidate_types is 'trust': (quadrant['candidate_types'] == 'trust').sum()."],
        legacy_solution=('quadrant = loyalty_quadrant(people, "attachment", "purchases_per_year")\n'
                       'n_trust = int((quadrant["candidate_types"] == "trust").sum())'),
    ),
    Question(
        id="11.q3", variable="segments", legacy_expected=_segments,
        compare=compare.series_by_key(explain=_explain_segment, what="segment"),
        hints=["Attachment is the attitude, purchases_per_year the repeat patronage.",
               "dick_basu_segment(people, 'attachment', 'purchases_per_year') returns one label per customer."],
        legacy_solution='segments = dick_basu_segment(people, "attachment", "purchases_per_year")',
    ),
    Question(
        id="11.q4", variable="spurious_share", legacy_expected=_spurious_share, compare=compare.number(rtol=1e-9),
        hints=["Spurious loyalty (虚假忠诚): low attitude, high repeat purchase.",
               "(segments == 'spurious').mean() — recompute segments with dick_basu_segment if you need to."],
        legacy_solution=('spurious_share = (dick_basu_segment(people, "attachment", "purchases_per_year")\n'
                       '                  == "spurious").mean()'),
    ),
])
