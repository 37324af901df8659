"""The loyalty lessons' small teaching cases and data views (lessons 11–15), each written once.

Every function returns a fresh object in the language in force (shoppers' names in Chinese in a
Chinese lesson), so a lesson that changes its copy changes nothing else, and the checks, which run
the lesson's own source notebook, see the same table the student sees. The course's two
customer-value cases (Mrs Smith, the Hunan exam) are calculators in :mod:`crmlab.loyalty.cases`.
"""
from __future__ import annotations

import pandas as pd

from crmlab import datasets
from crmlab.i18n import tr

# Lesson 11's hand-checkable cuts: attachment above 4 (of 7) and more than 12 visits a year are "high".
SMALL_CUTS = {"attachment_cut": 4, "repeat_cut": 12}
# Lesson 14: the retail world ends on 2025-12-31; the whole history is the calibration period, in weeks.
CALIBRATION_END = "2025-12-31"


def _names(pairs: list[tuple[str, str]], index_name: str) -> pd.Index:
    return pd.Index([tr(en, zh) for en, zh in pairs], name=index_name)


def shoppers() -> pd.DataFrame:
    """Six shoppers' attachment (依恋, 1–7 from a survey) and store visits last year (lesson 11, by hand).

    With the cuts :data:`SMALL_CUTS` (a value *above* the cut is high), after the course's placement of
    the loyalty types on attachment × repeat purchase (课程讲义 客户忠诚的类型; Dick & Basu 1994):
    Li (6, 30) and Chen (5, 20) high/high → trust; Wang (2, 25) low/high → monopoly, inertia or
    incentive; Zhang (7, 4) high/low → no cause-based type; Liu (3, 3) and Zhao (1, 12: not above
    12) low/low → price.
    """
    names = [("Li", "小李"), ("Wang", "小王"), ("Zhang", "小张"), ("Liu", "小刘"), ("Chen", "小陈"), ("Zhao", "小赵")]
    return pd.DataFrame({"attachment": [6, 2, 7, 3, 5, 1], "visits": [30, 25, 4, 3, 20, 12]},
                        index=_names(names, "customer"))


def respondents() -> pd.DataFrame:
    """The retail world's survey respondents with attachment (1–7), repurchase intent (1–7) and
    purchases per year since their first purchase (purchase days ÷ years as a customer) (lessons 11, 13)."""
    from crmlab.loyalty import customer_lifetime, purchase_counts

    world = datasets.load("retail")
    sales = world["transactions"]
    counts = purchase_counts(sales, "customer_id", "date")["purchases"]
    years = customer_lifetime(sales, "customer_id", "date", unit_days=365.25)["age"]
    survey = world["survey"].set_index("customer_id")[["attachment", "repurchase_intent"]]
    return survey.join((counts / years).rename("purchases_per_year"))


def purchase_log() -> pd.DataFrame:
    """Four customers' purchases, by hand (lesson 12): two rows of A on 5 January are one trip.

    A 2 purchase days (1 repeat), B 2, C 1, D 2: repeat-purchase rate 3 / 4 = 0.75; A bought 2 of the
    log's 4 categories (category share 0.5).
    """
    return pd.DataFrame({
        "customer": ["A", "A", "A", "B", "B", "C", "D", "D"],
        "date": pd.to_datetime(["2025-01-05", "2025-01-05", "2025-03-02", "2025-02-10", "2025-06-01",
                                "2025-04-04", "2025-01-20", "2025-02-20"]),
        "category": ["fresh", "grocery", "fresh", "household", "fresh", "clothing", "fresh", "fresh"]})


def wallet_survey() -> pd.DataFrame:
    """Three customers' monthly spend with us and their whole grocery budget (lesson 12; share of wallet,
    钱包份额 = 300/600 = 0.5, 120/800 = 0.15, 450/500 = 0.9)."""
    return pd.DataFrame({"spend_with_us": [300.0, 120.0, 450.0], "grocery_budget": [600.0, 800.0, 500.0]},
                        index=pd.Index(["A", "B", "C"], name="customer"))


def switching_cost_ratings() -> pd.DataFrame:
    """Four mobile-operator customers rate how costly switching would be for them (1–7) on the course's
    eight kinds of switching cost (lesson 13; 课程讲义 转换成本; groups after Burnham, Frels & Mahajan 2003).

    By hand: Ma procedural (6+5+6+7)/4 = 6.0 vs financial 2.5, relational 2.5; Sun financial
    (7+6)/2 = 6.5; Zhou relational (6+7)/2 = 6.5; Wu financial 3.0 vs procedural 2.25, relational 2.5.
    """
    names = [("Ma", "老马"), ("Sun", "老孙"), ("Zhou", "老周"), ("Wu", "老吴")]
    return pd.DataFrame({
        "economic_risk": [6, 2, 3, 2], "evaluation": [5, 2, 2, 3], "learning": [6, 3, 2, 2], "setup": [7, 1, 3, 2],
        "benefit_loss": [3, 7, 2, 3], "monetary_loss": [2, 6, 3, 3],
        "personal_relationship": [2, 3, 6, 2], "brand_relationship": [3, 2, 7, 3],
    }, index=_names(names, "customer"))


def satisfaction_and_behaviour() -> pd.DataFrame:
    """Retail survey respondents (lesson 13): overall satisfaction (1–10), repurchase intent and
    attachment (1–7), purchases per year, and the world's latent switching cost (0–1, known because
    the world is simulated)."""
    world = datasets.load("retail")
    overall = world["survey"].set_index("customer_id")["overall"]
    cost = world["truth"].set_index("customer_id")["true_switching_cost"]
    return respondents().join(overall).join(cost)


def customer_summary() -> pd.DataFrame:
    """frequency, recency, T (weeks) and monetary_value per retail customer up to the world's end
    (lesson 14; the summary BG/NBD and Gamma-Gamma need, Fader, Hardie & Lee 2005)."""
    from crmlab.loyalty import calibration_holdout_summary

    sales = datasets.load("retail")["transactions"]
    return calibration_holdout_summary(sales, "customer_id", "date", CALIBRATION_END,
                                       amount_col="amount", time_unit="W")


def regular_cohort() -> list[int]:
    """Survivors at the start of years 0–12 of Fader & Hardie's (2007) "regular" cohort of 1,000 customers
    (How to project customer retention, J. Interactive Marketing 21(1), Table 1); sBG: α 0.704, β 1.182."""
    return [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
