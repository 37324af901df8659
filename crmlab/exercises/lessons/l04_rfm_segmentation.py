"""Lesson 04 (RFM客户细分): the tie problem by hand, RFM scores and segments on the retail world,
and whether the segments find the customers the world's truth says are most valuable."""
import pandas as pd

from crmlab import datasets
from crmlab.classify import quantile_score, rfm_scores, rfm_segments
from crmlab.exercises import Exercises, Question, compare

# The lesson's small case: ten customers' numbers of purchases, half of them one-time buyers.
SMALL_FREQUENCY = pd.Series([1, 4, 1, 9, 2, 1, 6, 1, 3, 1], index=[f"P{i:02d}" for i in range(1, 11)],
                            name="frequency")
WIN_BACK = ("At risk", "Can't lose them")
BEST = ("Champions", "Loyal")


def _one_time_score() -> int:
    # Ranks of the ten values from the smallest: the five 1s share ranks 1–5, so with
    # ties="average" each gets the mid-rank r = (1+2+3+4+5)/5 = 3.
    # Score = 1 + ⌊bins·(r − 1)/n⌋ = 1 + ⌊5·(3 − 1)/10⌋ = 1 + ⌊1.0⌋ = 2.
    scores = quantile_score(SMALL_FREQUENCY, ties="average")
    return int(scores[SMALL_FREQUENCY == 1].iloc[0])


def _scores() -> pd.DataFrame:
    world = datasets.load("retail")
    return rfm_scores(world["transactions"], "customer_id", "date", "amount", world.meta["analysis_date"])


def _win_back_share() -> float:
    scores = _scores()
    segment = rfm_segments(scores)["segment"]
    return float(scores.loc[segment.isin(WIN_BACK), "monetary"].sum() / scores["monetary"].sum())


def _found_share() -> float:
    world = datasets.load("retail")
    truth = world["truth"].set_index("customer_id")
    # What a customer will spend per week from now on: spend per purchase × purchases per week, 0 if gone.
    true_value = (truth["true_mean_spend"] * truth["true_purchase_rate"]).where(truth["true_alive"], 0.0)
    top = true_value.nlargest(len(true_value) // 5).index
    segment = rfm_segments(_scores())["segment"]
    return float(segment.reindex(top).isin(BEST).mean())


EXERCISES = Exercises("04", [
    Question(
        id="04.q1", variable="f_one_time", legacy_expected=_one_time_score, compare=compare.exact(),
        hints=["Rank the ten values from the smallest. The five 1s take ranks 1 to 5; 'average' gives each "
               "the mean of those ranks.",
               "Score = 1 + ⌊5 · (rank − 1) / 10⌋, with the rank you found.",
               "Or run quantile_score(small['frequency'], ties='average') and read a one-time buyer's score."],
        legacy_solution='f_one_time = int(quantile_score(small["frequency"], ties="average")["P01"])',
    ),
    Question(
        id="04.q2", variable="rfm", legacy_expected=_scores, compare=compare.frame_by_key(columns=["R", "F", "M"]),
        hints=["rfm_scores needs the transaction table, the names of its customer, date and amount columns, "
               "and the analysis date.",
               "The analysis date is retail.meta['analysis_date'], the day after the last observed day."],
        legacy_solution='rfm = rfm_scores(sales, "customer_id", "date", "amount", at=retail.meta["analysis_date"])',
    ),
    Question(
        id="04.q3", variable="win_back_share", legacy_expected=_win_back_share, compare=compare.number(rtol=1e-6),
        hints=["segments['segment'].isin(['At risk', \"Can't lose them\"]) marks the customers of the two segments.",
               "Add up their monetary value (in scores) and divide by the total monetary value.",
               "Give a fraction such as 0.25, not 25."],
        legacy_solution=('win_back = segments["segment"].isin(["At risk", "Can\'t lose them"])\n'
                       'win_back_share = scores.loc[win_back, "monetary"].sum() / scores["monetary"].sum()'),
    ),
    Question(
        id="04.q4", variable="found_share", legacy_expected=_found_share, compare=compare.number(rtol=0, atol=1e-9),
        hints=["top = true_value.nlargest(len(true_value) // 5).index: the 20 % most valuable customers by the truth.",
               "segments.loc[top, 'segment'] gives their RFM segments; .isin(['Champions', 'Loyal']) marks the hits.",
               "The mean of a True/False Series is the share of True."],
        legacy_solution=('top = true_value.nlargest(len(true_value) // 5).index\n'
                       'found_share = segments.loc[top, "segment"].isin(["Champions", "Loyal"]).mean()'),
    ),
])
