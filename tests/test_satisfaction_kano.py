"""Kano model: Berger et al. (1993) evaluation table, counts, tie rule, Better/Worse, DuMouchel scores."""
import pandas as pd
import pytest

from crmlab.satisfaction import better_worse, kano_category, kano_counts, kano_scores, kano_table
from crmlab.validation import CrmlabInputError

ANSWERS = ["like", "must-be", "neutral", "live-with", "dislike"]
# Berger et al. (1993), CQM Journal 2(4), Table 1, read row by row (functional answer down,
# dysfunctional answer across, both like … dislike).
BERGER_TABLE = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"]


@pytest.mark.parametrize("i", range(5))
@pytest.mark.parametrize("j", range(5))
def test_every_cell_of_the_evaluation_table(i, j):
    assert kano_category(ANSWERS[i], ANSWERS[j]) == BERGER_TABLE[i][j]
    assert kano_category(i + 1, j + 1) == BERGER_TABLE[i][j]  # codes 1–5 in the same order


def test_sequences_and_series_keep_shape_and_index():
    assert kano_category(["like", "neutral"], ["dislike", "dislike"]) == ["O", "M"]
    f = pd.Series(["like", " Neutral "], index=["c7", "c9"])
    d = pd.Series([3, "dislike"], index=["c7", "c9"])
    out = kano_category(f, d)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == ["c7", "c9"]
    assert out.tolist() == ["A", "M"]


def test_bad_answers():
    with pytest.raises(CrmlabInputError, match="unknown Kano answer"):
        kano_category("love it", "dislike")
    with pytest.raises(CrmlabInputError, match="unknown Kano answer"):
        kano_category(6, 1)
    with pytest.raises(CrmlabInputError, match="unknown Kano answer"):
        kano_category(True, 1)
    with pytest.raises(CrmlabInputError, match="pair up"):
        kano_category(["like"], ["like", "like"])
    with pytest.raises(CrmlabInputError, match="both"):
        kano_category("like", ["like"])
    with pytest.raises(CrmlabInputError, match="index"):
        kano_category(pd.Series(["like"], index=[1]), pd.Series(["like"], index=[2]))


def survey():
    # Five respondents, two attributes. wifi: A, A, O, I, M → A=2 O=1 M=1 I=1 (A wins).
    # tie: M, M, O, O, Q → M=2 O=2 Q=1: tie between M and O, rule M > O > A > I gives M.
    f = pd.DataFrame({"wifi": ["like", "like", "like", "neutral", "neutral"],
                      "tie": ["neutral", "must-be", "like", "like", "like"]})
    d = pd.DataFrame({"wifi": ["neutral", "live-with", "dislike", "neutral", "dislike"],
                      "tie": ["dislike", "dislike", "dislike", "dislike", "like"]})
    return f, d


def test_counts_category_and_better_worse_by_hand():
    counts = kano_counts(*survey())
    assert counts.loc["wifi", ["A", "O", "M", "I", "R", "Q"]].tolist() == [2, 1, 1, 1, 0, 0]
    assert counts.loc["tie", ["A", "O", "M", "I", "R", "Q"]].tolist() == [0, 2, 2, 0, 0, 1]
    assert counts.loc["wifi", "category"] == "A"
    assert counts.loc["tie", "category"] == "M"
    # wifi: Better = (A+O)/(A+O+M+I) = 3/5 = 0.6; Worse = −(O+M)/5 = −0.4.
    # tie: Better = 2/4 = 0.5; Worse = −4/4 = −1.
    assert counts.loc["wifi", "better"] == pytest.approx(0.6)
    assert counts.loc["wifi", "worse"] == pytest.approx(-0.4)
    assert counts.loc["tie", "better"] == pytest.approx(0.5)
    assert counts.loc["tie", "worse"] == pytest.approx(-1.0)
    pd.testing.assert_frame_equal(better_worse(counts), counts[["better", "worse"]])


def test_kano_table_is_per_respondent():
    table = kano_table(*survey())
    assert table["wifi"].tolist() == ["A", "A", "O", "I", "M"]


def test_dumouchel_scores_by_hand():
    f, d = survey()
    scores = kano_scores(f, d)
    # wifi functional: like, like, like, neutral, neutral → (4+4+4+0+0)/5 = 2.4
    # wifi dysfunctional: neutral, live-with, dislike, neutral, dislike → (0+2+4+0+4)/5 = 2.0
    assert scores.loc["wifi", "functional"] == pytest.approx(2.4)
    assert scores.loc["wifi", "dysfunctional"] == pytest.approx(2.0)


def test_table_bad_input():
    f, d = survey()
    with pytest.raises(CrmlabInputError, match="tie"):
        kano_counts(f, d.drop(columns="tie"))
    with pytest.raises(CrmlabInputError, match="row indexes"):
        kano_counts(f, d.set_index(pd.Index(list("abcde"))))
    with pytest.raises(CrmlabInputError, match="no A, O, M or I"):
        better_worse(pd.DataFrame({"A": [0], "O": [0], "M": [0], "I": [0]}, index=["x"]))
