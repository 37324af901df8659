"""Lesson 13 (客户满意与客户忠诚): satisfaction vs repeat purchase, switching costs as a moderator, the typology."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.cases.loyalty import respondents
from crmlab.i18n import tr
from crmlab.loyalty import switching_cost_scores

SATISFIED_FROM = 8  # overall 8–10 of 10 counts as satisfied, as in lesson 07's reputation

# Four customers of a mobile operator rate how costly switching would be for them (1–7) on the eight kinds.
RATINGS = pd.DataFrame({
    "economic_risk": [6, 2, 3, 2], "evaluation": [5, 2, 2, 3], "learning": [6, 3, 2, 2], "setup": [7, 1, 3, 2],
    "benefit_loss": [3, 7, 2, 3], "monetary_loss": [2, 6, 3, 3],
    "personal_relationship": [2, 3, 6, 2], "brand_relationship": [3, 2, 7, 3],
}, index=pd.Index(["Ma", "Sun", "Zhou", "Wu"], name="customer"))


def satisfaction_and_behaviour() -> pd.DataFrame:
    """Retail survey respondents: overall satisfaction (1–10), repurchase intent and attachment (1–7),
    purchases per year, and the world's latent switching cost (0–1, known because the world is simulated)."""
    world = datasets.load("retail")
    overall = world["survey"].set_index("customer_id")["overall"]
    cost = world["truth"].set_index("customer_id")["true_switching_cost"]
    return respondents().join(overall).join(cost)


def _corr() -> float:
    data = satisfaction_and_behaviour()
    return float(data["overall"].corr(data["purchases_per_year"]))


def _trapped_rate() -> float:
    data = satisfaction_and_behaviour()
    high_cost = data["true_switching_cost"] > data["true_switching_cost"].median()
    unsatisfied = data["overall"] < SATISFIED_FROM
    return float(data.loc[high_cost & unsatisfied, "purchases_per_year"].mean())


def _dominant() -> pd.Series:
    # Ma: procedural (6+5+6+7)/4 = 6.0 vs financial 2.5, relational 2.5 → procedural;
    # Sun: financial (7+6)/2 = 6.5; Zhou: relational (6+7)/2 = 6.5; Wu: financial 3.0 vs 2.25, 2.5.
    return switching_cost_scores(RATINGS)["dominant"]


def _explain_dominant(customer) -> str:
    scores = switching_cost_scores(RATINGS).loc[customer]
    return tr(f"{customer}'s group means are procedural {scores['procedural']:.2f}, financial "
              f"{scores['financial']:.2f}, relational {scores['relational']:.2f}",
              f"{customer} 的各组均值：程序 {scores['procedural']:.2f}，财务 {scores['financial']:.2f}，"
              f"关系 {scores['relational']:.2f}")


EXERCISES = Exercises("13", [
    Question(
        id="13.q1", variable="corr_behaviour", legacy_expected=_corr, compare=compare.number(rtol=1e-6, atol=1e-9),
        hints=["Pearson's correlation of two columns: data['overall'].corr(data['purchases_per_year'])."],
        legacy_solution='corr_behaviour = data["overall"].corr(data["purchases_per_year"])',
    ),
    Question(
        id="13.q2", variable="trapped_rate", legacy_expected=_trapped_rate, compare=compare.number(rtol=1e-9),
        hints=["High switching cost: true_switching_cost above its median (>, not >=).",
               "Not satisfied: overall below 8.",
               "Combine the two masks with & and take the mean of purchases_per_year."],
        legacy_solution=('high_cost = data["true_switching_cost"] > data["true_switching_cost"].median()\n'
                       'trapped_rate = data.loc[high_cost & (data["overall"] < 8), "purchases_per_year"].mean()'),
    ),
    Question(
        id="13.q3", variable="dominant", legacy_expected=_dominant,
        compare=compare.series_by_key(explain=_explain_dominant, what="group"),
        hints=["switching_cost_scores(ratings) averages the items of each group: procedural (4 items), "
               "financial (2), relational (2).",
               "Its 'dominant' column names the group with the highest mean."],
        legacy_solution='dominant = switching_cost_scores(ratings)["dominant"]',
    ),
])
