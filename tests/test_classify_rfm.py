"""RFM scores and segments: hand-computed cases, tie rules, the segment map, bad input."""
import numpy as np
import pandas as pd
import pytest

from crmlab.classify import default_segment_map, quantile_score, rfm_scores, rfm_segments, segment_grid
from crmlab.validation import CrmlabInputError

AT = "2024-04-01"
TX = pd.DataFrame({
    "cust": ["a", "a", "a", "b", "c", "c", "d"],
    "date": ["2024-03-31", "2024-03-31", "2024-02-01", "2024-01-01", "2024-03-01", "2024-03-21", "2024-03-22"],
    "amount": [10.0, 20.0, 30.0, 200.0, 40.0, 20.0, 5.0],
})


def test_recency_frequency_monetary_by_hand():
    scores = rfm_scores(TX, "cust", "date", "amount", AT)
    # recency = days from the last purchase to 1 Apr 2024: a 31 Mar → 1; b 1 Jan → 91 (31 + 29 + 31); c 21 Mar → 11; d 22 Mar → 10.
    assert scores["recency"].to_dict() == {"a": 1, "b": 91, "c": 11, "d": 10}
    # every transaction counts, so a's two receipts on 31 Mar count twice.
    assert scores["frequency"].to_dict() == {"a": 3, "b": 1, "c": 2, "d": 1}
    # monetary = total spend: a 10 + 20 + 30 = 60, c 40 + 20 = 60.
    assert scores["monetary"].to_dict() == {"a": 60.0, "b": 200.0, "c": 60.0, "d": 5.0}
    assert list(scores.columns) == ["recency", "frequency", "monetary", "R", "F", "M"]
    assert scores.index.name == "cust"


def test_same_day_purchases_and_mean_spend_are_options():
    scores = rfm_scores(TX, "cust", "date", "amount", AT, frequency_unit="day", monetary="mean")
    assert scores["frequency"].to_dict() == {"a": 2, "b": 1, "c": 2, "d": 1}
    # mean spend per transaction: a 60 / 3 = 20, c 60 / 2 = 30.
    assert scores["monetary"].to_dict() == {"a": 20.0, "b": 200.0, "c": 30.0, "d": 5.0}


def test_scores_by_hand_with_average_ties():
    # n = 4, score = 1 + floor(5 (r − 1) / 4).
    # R on −recency: d(10) and c(11) and a(1) and b(91) → ranks b 1, c 2, d 3, a 4 → 1, 2, 3, 4.
    # F: b, d tie at 1 → mid-rank 1.5 → 1 + floor(0.625) = 1; c r 3 → 1 + floor(2.5) = 3; a r 4 → 4.
    # M: d 1 → 1; a, c tie at 60 → mid-rank 2.5 → 1 + floor(1.875) = 2; b 4 → 4.
    scores = rfm_scores(TX, "cust", "date", "amount", AT)
    assert scores["R"].to_dict() == {"a": 4, "b": 1, "c": 2, "d": 3}
    assert scores["F"].to_dict() == {"a": 4, "b": 1, "c": 3, "d": 1}
    assert scores["M"].to_dict() == {"a": 2, "b": 4, "c": 2, "d": 1}


# Half the customers bought once, as on CDNOW.
HEAVY_TIES = pd.Series([1, 1, 1, 1, 1, 2, 3, 4, 5, 6], index=[f"k{i}" for i in range(10)], dtype=float)


def test_qcut_fails_on_heavy_ties_which_is_why_the_tie_rule_exists():
    with pytest.raises(ValueError, match="Bin edges must be unique"):
        pd.qcut(HEAVY_TIES, 5, labels=False)


def test_tie_rules_by_hand():
    # n = 10, score = 1 + floor(5 (r − 1) / 10) = 1 + floor((r − 1) / 2).
    # average: the five 1s have mid-rank 3 → 2; values 2…6 have ranks 6…10 → 3, 4, 4, 5, 5.
    assert quantile_score(HEAVY_TIES, ties="average").tolist() == [2, 2, 2, 2, 2, 3, 4, 4, 5, 5]
    # min: the 1s take rank 1 → 1.
    assert quantile_score(HEAVY_TIES, ties="min").tolist() == [1, 1, 1, 1, 1, 3, 4, 4, 5, 5]
    # first: ranks 1…5 by row order → 1, 1, 2, 2, 3: identical customers, different scores.
    assert quantile_score(HEAVY_TIES, ties="first").tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # dense-quantile: 6 distinct values, d = 1…6, score = 1 + floor(5 (d − 1) / 6) → 1, 1, 2, 3, 4, 5.
    assert quantile_score(HEAVY_TIES, ties="dense-quantile").tolist() == [1, 1, 1, 1, 1, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("ties", ["average", "min", "dense-quantile"])
def test_identical_customers_get_identical_scores_whatever_the_row_order(ties):
    rng = np.random.default_rng(7)
    values = pd.Series(rng.integers(1, 6, 200).astype(float), index=[f"c{i}" for i in range(200)])
    scores = quantile_score(values, ties=ties)
    assert (scores.groupby(values).nunique() == 1).all()
    shuffled = values.sample(frac=1, random_state=3)
    assert quantile_score(shuffled, ties=ties).reindex(values.index).equals(scores)
    assert scores.between(1, 5).all()


def test_distinct_values_fill_equal_quintiles():
    values = pd.Series(np.arange(100.0))
    assert quantile_score(values).value_counts().sort_index().tolist() == [20] * 5


def test_most_recent_buyer_gets_r5():
    tx = pd.DataFrame({"cust": [f"c{i}" for i in range(10)],
                       "date": pd.date_range("2024-01-01", periods=10, freq="D"), "amount": 1.0})
    scores = rfm_scores(tx, "cust", "date", "amount", "2024-01-31")
    assert scores.loc["c9", "R"] == 5 and scores.loc["c0", "R"] == 1


@pytest.mark.parametrize("change, fragment", [
    (lambda t: t.assign(date=t["date"].where(t.index != 0, "2024-05-01")), "after the analysis date"),
    (lambda t: t.assign(amount=t["amount"].where(t.index != 1, np.nan)), "missing"),
    (lambda t: t.assign(amount=t["amount"].where(t.index != 1, -5.0)), "negative"),
    (lambda t: t.assign(cust=t["cust"].where(t.index != 2, None)), "customer ids"),
    (lambda t: t.assign(date=t["date"].where(t.index != 2, "not a date")), "dates"),
    (lambda t: t.drop(columns="amount"), "no column"),
    (lambda t: t.iloc[:0], "empty"),
])
def test_rfm_rejects_bad_transactions(change, fragment):
    with pytest.raises(CrmlabInputError, match=fragment):
        rfm_scores(change(TX), "cust", "date", "amount", AT)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"ties": "dense"}, "ties"), ({"monetary": "median"}, "monetary"),
    ({"frequency_unit": "week"}, "frequency_unit"), ({"bins": 1}, "bins"),
])
def test_rfm_rejects_bad_options(kwargs, fragment):
    with pytest.raises(CrmlabInputError, match=fragment):
        rfm_scores(TX, "cust", "date", "amount", AT, **kwargs)


def test_rfm_rejects_bad_analysis_date():
    with pytest.raises(CrmlabInputError, match="analysis date"):
        rfm_scores(TX, "cust", "date", "amount", "someday")
    with pytest.raises(CrmlabInputError, match="DataFrame"):
        rfm_scores(TX.to_dict(), "cust", "date", "amount", AT)


def test_default_map_partitions_the_5x5_grid_into_eleven_segments():
    grid = segment_grid()
    assert grid.shape == (5, 5) and not grid.isna().any().any()
    assert set(grid.to_numpy().ravel()) == {
        "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention", "About to sleep",
        "At risk", "Can't lose them", "Hibernating", "Lost"}
    # Explicit coverage count: every (R, FM) cell lies in exactly one rectangle of the CSV.
    table = default_segment_map()
    for r in range(1, 6):
        for fm in range(1, 6):
            inside = table[(table.r_min <= r) & (r <= table.r_max) & (table.fm_min <= fm) & (fm <= table.fm_max)]
            assert len(inside) == 1, (r, fm)
    assert grid.loc[5, 5] == "Champions" and grid.loc[1, 1] == "Lost" and grid.loc[1, 5] == "Can't lose them"
    assert table["segment_zh"].str.len().gt(0).all() and table["action_zh"].str.len().gt(0).all()


def test_segments_by_hand():
    scores = pd.DataFrame({"R": [5, 1, 1, 5, 3], "F": [5, 1, 1, 1, 2], "M": [4, 2, 1, 1, 3]},
                          index=["champ", "hib", "lost", "new", "attn"])
    # FM = floor((F + M + 1) / 2): (5+4+1)/2 = 5; (1+2+1)/2 = 2; (1+1+1)//2 = 1; 1; (2+3+1)/2 = 3.
    segments = rfm_segments(scores)
    assert segments["FM"].tolist() == [5, 2, 1, 1, 3]
    assert segments["segment"].tolist() == ["Champions", "Hibernating", "Lost", "New", "Need attention"]
    assert segments.loc["lost", "segment_zh"] == "已流失客户"
    assert segments["action"].str.len().gt(0).all()


def test_user_segment_map_is_used_and_must_partition():
    own = pd.DataFrame({"r_min": [1, 4], "r_max": [3, 5], "fm_min": [1, 1], "fm_max": [5, 5],
                        "segment": ["Cold", "Warm"]})
    scores = pd.DataFrame({"R": [4, 2], "F": [1, 5], "M": [1, 5]}, index=["x", "y"])
    assert rfm_segments(scores, own)["segment"].tolist() == ["Warm", "Cold"]
    holey = own.assign(r_max=[2, 5])
    with pytest.raises(CrmlabInputError, match=r"no segment: \[\(3, 1\)"):
        rfm_segments(scores, holey)
    overlapping = own.assign(r_max=[4, 5])
    with pytest.raises(CrmlabInputError, match="more than one"):
        rfm_segments(scores, overlapping)


def test_segments_reject_bad_scores():
    with pytest.raises(CrmlabInputError, match="no column"):
        rfm_segments(pd.DataFrame({"R": [1], "F": [1]}))
    with pytest.raises(CrmlabInputError, match="unknown label"):
        rfm_segments(pd.DataFrame({"R": [0], "F": [1], "M": [1]}))


def test_a_three_level_map_works_with_three_level_scores():
    own = pd.DataFrame({"r_min": [1, 3], "r_max": [2, 3], "fm_min": [1, 1], "fm_max": [3, 3],
                        "segment": ["Cold", "Warm"]})
    assert segment_grid(own).shape == (3, 3)
    scores = pd.DataFrame({"R": [3, 1], "F": [3, 1], "M": [1, 1]}, index=["x", "y"])
    assert rfm_segments(scores, own)["segment"].tolist() == ["Warm", "Cold"]
    with pytest.raises(CrmlabInputError, match="unknown label"):
        rfm_segments(scores.assign(R=5), own)
