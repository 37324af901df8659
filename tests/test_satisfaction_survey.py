"""Survey tools: Likert summary, reverse scoring, straight-lining, NPS, SERVQUAL gaps."""
import numpy as np
import pandas as pd
import pytest

from crmlab.satisfaction import (
    SERVQUAL_ITEMS, likert_summary, nps, nps_groups, reverse_score, servqual_gaps, straightliners,
)
from crmlab.validation import CrmlabInputError

DF = pd.DataFrame({"q1": [5, 4, 4, 2, 1], "q2": [1, 2, 3, 4, 5], "q3": [3, 3, 3, 3, 3]},
                  index=pd.Index(list("abcde"), name="respondent"))


def test_reverse_score_by_hand():
    out = reverse_score(DF, ["q2"], (1, 5))
    assert out["q2"].tolist() == [5, 4, 3, 2, 1]  # 1 + 5 − x
    assert out["q1"].equals(DF["q1"])
    assert out.index.equals(DF.index)


def test_likert_summary_by_hand():
    s = likert_summary(DF, ["q1", "q3"], (1, 5))
    # q1 = 5,4,4,2,1: mean 16/5 = 3.2; top-2-box (4 or 5) = 3/5; bottom-2-box (1 or 2) = 2/5.
    assert s.loc["q1", "mean"] == pytest.approx(3.2)
    assert s.loc["q1", "top_box"] == pytest.approx(0.6)
    assert s.loc["q1", "bottom_box"] == pytest.approx(0.4)
    assert s.loc["q1", 4] == pytest.approx(0.4)
    assert s.loc["q3", "sd"] == 0


def test_straightliners():
    df = pd.DataFrame({"a": [3, 1], "b": [3, 2], "c": [3, 5]})
    assert straightliners(df, ["a", "b", "c"]).tolist() == [True, False]


def test_scale_and_item_errors():
    with pytest.raises(CrmlabInputError, match="outside the 1–5 scale"):
        likert_summary(DF.assign(q1=[7, 1, 1, 1, 1]), ["q1"], (1, 5))
    with pytest.raises(CrmlabInputError, match="scale"):
        reverse_score(DF, ["q1"], (5, 1))
    with pytest.raises(CrmlabInputError, match="q9"):
        likert_summary(DF, ["q9"])
    with pytest.raises(CrmlabInputError, match="non-empty list"):
        likert_summary(DF, "q1")


def test_nps_by_hand():
    # 10 answers: promoters 9,10,10 (3), passives 7,8 (2), detractors 0,3,5,6,6 (5):
    # NPS = 100·(3/10 − 5/10) = −20.
    scores = pd.Series([9, 10, 10, 7, 8, 0, 3, 5, 6, 6])
    assert nps(scores) == pytest.approx(-20.0)
    assert nps_groups(pd.Series([6, 7, 8, 9])).tolist() == ["detractor", "passive", "passive", "promoter"]


def test_nps_bad_input():
    with pytest.raises(CrmlabInputError, match="0–10"):
        nps(pd.Series([11, 5]))
    with pytest.raises(CrmlabInputError, match="0–10"):
        nps(pd.Series([7.5]))
    with pytest.raises(CrmlabInputError, match="NaN"):
        nps(pd.Series([7, np.nan]))


def test_servqual_item_map_is_the_1988_scale():
    # Parasuraman et al. (1988): 22 items; tangibles 1–4, reliability 5–9, responsiveness 10–13,
    # assurance 14–17, empathy 18–22; negatively worded statements 10–13 and 18–22.
    sizes = SERVQUAL_ITEMS.groupby("dimension", sort=False).size()
    assert sizes.to_dict() == {"tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5}
    assert SERVQUAL_ITEMS.index[SERVQUAL_ITEMS["negative_1988"]].tolist() == [10, 11, 12, 13, 18, 19, 20, 21, 22]


def test_servqual_gaps_by_hand():
    # Two respondents, 4 items in 2 dimensions.
    df = pd.DataFrame({"E1": [6, 5], "E2": [7, 5], "E3": [4, 4], "E4": [5, 6],
                       "P1": [5, 5], "P2": [5, 6], "P3": [6, 4], "P4": [5, 7]})
    out = servqual_gaps(df, ["E1", "E2", "E3", "E4"], ["P1", "P2", "P3", "P4"],
                        dimensions=["rel", "rel", "emp", "emp"])
    # respondent 0: gaps −1, −2, +2, 0 → rel −1.5, emp +1.0, overall (−1.5 + 1)/2 = −0.25
    assert out["items"].iloc[0].tolist() == [-1, -2, 2, 0]
    assert out["dimensions"].iloc[0].tolist() == [-1.5, 1.0]
    assert out["overall"].iloc[0] == pytest.approx(-0.25)
    # weighted: rel 3, emp 1 → (3·−1.5 + 1·1)/4 = −0.875
    weighted = servqual_gaps(df, ["E1", "E2", "E3", "E4"], ["P1", "P2", "P3", "P4"],
                             dimensions=["rel", "rel", "emp", "emp"], weights={"rel": 3, "emp": 1})
    assert weighted["overall"].iloc[0] == pytest.approx(-0.875)
    # a negatively worded item is reversed on both sides (8 − x), so its gap changes sign.
    flipped = servqual_gaps(df, ["E1", "E2", "E3", "E4"], ["P1", "P2", "P3", "P4"],
                            dimensions=["rel", "rel", "emp", "emp"], reverse=[True, False, False, False])
    assert flipped["items"].iloc[0, 0] == 1


def test_servqual_bad_input():
    df = pd.DataFrame({"E1": [6], "P1": [5]})
    with pytest.raises(CrmlabInputError, match="22-item"):
        servqual_gaps(df, ["E1"], ["P1"])
    with pytest.raises(CrmlabInputError, match="pair up"):
        servqual_gaps(df, ["E1"], ["P1", "P1"], dimensions=["a"])
    with pytest.raises(CrmlabInputError, match="outside"):
        servqual_gaps(df.assign(P1=9), ["E1"], ["P1"], dimensions=["a"])
    with pytest.raises(CrmlabInputError, match="weights"):
        servqual_gaps(df, ["E1"], ["P1"], dimensions=["a"], weights={"b": 1})
