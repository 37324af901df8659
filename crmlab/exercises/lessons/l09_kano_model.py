"""Lesson 09 (卡诺模型): one answer pair, the category per feature, Better/Worse, what to build first."""
import pandas as pd

from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.satisfaction import EVALUATION_TABLE, kano_counts
from crmlab.student import own_seed
from crmlab.synth.surveys import kano_survey

# The lesson's supermarket questionnaire: each feature's true category (the generator's truth),
# 200 shoppers, 30 % of answers at random; seed 9 without a student ID, the student's own sample
# with one. The notebook writes the same call.
FEATURES = {"fresh_produce": "M", "clean_store": "M", "short_queues": "O", "helpful_staff": "O",
            "free_wifi": "A", "self_checkout": "A", "home_delivery": "A", "background_music": "I"}
N_SHOPPERS, NOISE, SEED = 200, 0.3, 9


def _answers() -> tuple[pd.DataFrame, pd.DataFrame]:
    responses = kano_survey(N_SHOPPERS, FEATURES, noise=NOISE, seed=own_seed(SEED)).responses
    functional = responses.filter(regex="_functional$").rename(columns=lambda c: c.removesuffix("_functional"))
    dysfunctional = responses.filter(regex="_dysfunctional$").rename(columns=lambda c: c.removesuffix("_dysfunctional"))
    return functional, dysfunctional


def _pair() -> str:
    # Berger et al. (1993) Table 1: row "like" (functional), column "live-with" (dysfunctional) → A.
    return str(EVALUATION_TABLE.loc["like", "live-with"])


def _counts() -> pd.DataFrame:
    return kano_counts(*_answers())


def _categories() -> pd.Series:
    return _counts()["category"]


def _explain_category(key) -> str:
    row = _counts().loc[key]
    return tr(f"its counts are A={row['A']}, O={row['O']}, M={row['M']}, I={row['I']}",
              f"它的计数为 A={row['A']}，O={row['O']}，M={row['M']}，I={row['I']}")


def _coefficients() -> pd.DataFrame:
    return _counts()[["better", "worse"]]


def _build_first() -> list[str]:
    # Every A feature with the highest Better: on a student's own sample two can tie.
    better = _counts().loc[lambda c: c["category"] == "A", "better"]
    return [str(f) for f in better.index[better == better.max()]]


EXERCISES = Exercises("09", [
    Question(
        id="09.q1", variable="pair_category", legacy_expected=_pair, compare=compare.exact(),
        hints=["Row = the answer to the functional question, column = the answer to the dysfunctional one.",
               "EVALUATION_TABLE.loc['like', 'live-with'] reads the cell; kano_category('like', 'live-with') too."],
        legacy_solution='pair_category = kano_category("like", "live-with")',
    ),
    Question(
        id="09.q2", variable="categories", legacy_expected=_categories,
        compare=compare.series_by_key(explain=_explain_category, what="category"),
        hints=["kano_counts(functional, dysfunctional) counts A, O, M, I, R, Q for every feature.",
               "Its 'category' column is the most frequent category (ties: M > O > A > I)."],
        legacy_solution='categories = kano_counts(functional, dysfunctional)["category"]',
    ),
    Question(
        id="09.q3", variable="coefficients", legacy_expected=_coefficients,
        compare=compare.frame_by_key(columns=["better", "worse"], rtol=1e-6),
        hints=["Better = (A + O) / (A + O + M + I); Worse = −(O + M) / (A + O + M + I).",
               "R and Q answers are left out of the denominator; Worse is negative.",
               "kano_counts already has both columns: keep ['better', 'worse']."],
        legacy_solution='coefficients = kano_counts(functional, dysfunctional)[["better", "worse"]]',
    ),
    Question(
        id="09.q4", variable="build_first", legacy_expected=_build_first, compare=compare.one_of(),
        hints=["Only attractive (A) features delight; must-be ones are already in place.",
               "Among the A features, the one with the highest Better raises satisfaction most."],
        legacy_solution=('counts = kano_counts(functional, dysfunctional)\n'
                       'build_first = counts.loc[counts["category"] == "A", "better"].idxmax()'),
    ),
])
