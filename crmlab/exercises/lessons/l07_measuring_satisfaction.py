"""Lesson 07 (客户满意度的衡量): reputation, NPS, SERVQUAL gaps after reverse scoring, word of mouth."""
import pandas as pd

from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr
from crmlab.satisfaction import SERVQUAL_ITEMS, nps, nps_groups, reputation, servqual_gaps
from crmlab.student import own_seed
from crmlab.synth.surveys import servqual_survey

# The lesson's SERVQUAL survey: 150 customers, the 1988 wording (items 10–13 and 18–22 negative);
# seed 7 without a student ID, the student's own sample with one. The notebook writes the same call.
SERVQUAL_GAPS = {"tangibles": 0.4, "reliability": -0.9, "responsiveness": -0.6, "assurance": 0.1, "empathy": -0.3}
SERVQUAL_N, SERVQUAL_SEED = 150, 7
# Word of mouth (the course): a satisfied customer tells ≥ 12 people, a dissatisfied one ≥ 20.
TELLS_SATISFIED, TELLS_DISSATISFIED = 12, 20


def _survey() -> pd.DataFrame:
    return datasets.load("retail")["survey"].set_index("response_id")


def _reputation() -> float:
    return reputation(_survey(), "overall", threshold=8)


def _nps() -> float:
    return nps(_survey()["recommend"])


def _servqual() -> pd.DataFrame:
    return servqual_survey(SERVQUAL_N, SERVQUAL_GAPS, wording="1988", seed=own_seed(SERVQUAL_SEED)).responses


def _dimension_gaps() -> pd.Series:
    gaps = servqual_gaps(_servqual(), [f"E{i}" for i in range(1, 23)], [f"P{i}" for i in range(1, 23)],
                         reverse=SERVQUAL_ITEMS["negative_1988"])
    return gaps["dimensions"].mean()


def _explain_gap(key) -> str:
    items = SERVQUAL_ITEMS.index[SERVQUAL_ITEMS["dimension"] == key].tolist()
    negative = SERVQUAL_ITEMS.index[(SERVQUAL_ITEMS["dimension"] == key) & SERVQUAL_ITEMS["negative_1988"]].tolist()
    text = tr(f"{key} has items {items[0]}–{items[-1]}", f"{key} 包含题项 {items[0]}–{items[-1]}")
    if negative:
        text += tr(f", of which {negative} are worded negatively and must be reversed first",
                   f"，其中 {negative} 为反向措辞，需先反向计分")
    return text


def _net_word_of_mouth() -> int:
    # net listeners = 12 × satisfied (promoters, 9–10) − 20 × dissatisfied (detractors, 0–6)
    groups = nps_groups(_survey()["recommend"])
    return int(TELLS_SATISFIED * (groups == "promoter").sum() - TELLS_DISSATISFIED * (groups == "detractor").sum())


EXERCISES = Exercises("07", [
    Question(
        id="07.q1", variable="reputation_share", legacy_expected=_reputation, compare=compare.number(rtol=1e-9),
        hints=["Reputation (美誉度) here: the share of respondents who rate the store 8 or more out of 10 overall.",
               "(survey['overall'] >= 8).mean(), or reputation(survey, 'overall', threshold=8)."],
        legacy_solution='reputation_share = reputation(survey, "overall", threshold=8)',
    ),
    Question(
        id="07.q2", variable="nps_score", legacy_expected=_nps, compare=compare.number(rtol=1e-9, atol=1e-9),
        hints=["NPS uses the 0–10 'recommend' question, not 'overall'.",
               "Promoters answer 9–10, detractors 0–6; NPS = 100 × (share of promoters − share of detractors).",
               "nps(survey['recommend']) does it."],
        legacy_solution='nps_score = nps(survey["recommend"])',
    ),
    Question(
        id="07.q3", variable="dimension_gaps", legacy_expected=_dimension_gaps,
        compare=compare.series_by_key(rtol=1e-6, atol=1e-9, explain=_explain_gap, what="gap"),
        hints=["Items 10–13 and 18–22 of the 1988 questionnaire are worded negatively: reverse them (8 − x) on "
               "both the E and the P side.",
               "servqual_gaps(servqual, E_items, P_items, reverse=SERVQUAL_ITEMS['negative_1988']) does the "
               "reversal and returns per-respondent dimension gaps in ['dimensions'].",
               "Average over respondents: ['dimensions'].mean()."],
        legacy_solution=('gaps = servqual_gaps(servqual, [f"E{i}" for i in range(1, 23)], [f"P{i}" for i in range(1, 23)],\n'
                       '                     reverse=SERVQUAL_ITEMS["negative_1988"])\n'
                       'dimension_gaps = gaps["dimensions"].mean()'),
    ),
    Question(
        id="07.q4", variable="net_word_of_mouth", legacy_expected=_net_word_of_mouth, compare=compare.number(rtol=0, atol=0.5),
        hints=["Count promoters (recommend 9–10) and detractors (0–6) with nps_groups.",
               "Net listeners = 12 × promoters − 20 × detractors; it may well be negative."],
        legacy_solution=('groups = nps_groups(survey["recommend"])\n'
                       'net_word_of_mouth = 12 * (groups == "promoter").sum() - 20 * (groups == "detractor").sum()'),
    ),
])
