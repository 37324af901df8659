"""ABC classification, Pareto curve and concentration: hand-computed cases and properties."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab.classify import abc_classes, abc_profile, gini, pareto_curve, top_share
from crmlab.validation import CrmlabInputError

# Seven customers, total 100, so every share is the value itself in per cent.
#   customer  value  cum. share through it   cum. share before it
#   a          50        50 %                    0 %
#   b          20        70 %                   50 %
#   c          10        80 %                   70 %
#   d           8        88 %                   80 %
#   e           5        93 %                   88 %
#   f           4        97 %                   93 %
#   g           3       100 %                   97 %
SEVEN = pd.Series([8.0, 50, 3, 20, 5, 10, 4], index=list("dagbecf"))


def test_within_rule_reads_class_off_cumulative_share_including_the_customer():
    # A: through-share ≤ 80 % → a, b, c (c lands exactly on 80 %); B: ≤ 95 % → d, e; C: f, g.
    classes = abc_classes(SEVEN)
    assert classes.to_dict() == {"a": "A", "b": "A", "c": "A", "d": "B", "e": "B", "f": "C", "g": "C"}
    assert classes.index.equals(SEVEN.index)
    assert classes.name == "abc_class"


def test_crossing_rule_keeps_the_customer_that_crosses_the_cutoff():
    # A: before-share < 80 % → a (0), b (50), c (70); B: < 95 % → d (80), e (88), f (93); C: g (97).
    classes = abc_classes(SEVEN, boundary="crossing")
    assert classes.to_dict() == {"a": "A", "b": "A", "c": "A", "d": "B", "e": "B", "f": "B", "g": "C"}


def test_rules_differ_when_a_customer_straddles_the_cutoff():
    # Values 60, 30, 10 (total 100): b's through-share is 90 % > 80 %, its before-share 60 % < 80 %.
    values = pd.Series([60.0, 30, 10], index=["a", "b", "c"])
    assert abc_classes(values).tolist() == ["A", "B", "C"]  # c: through 100 % > 95 %
    assert abc_classes(values, boundary="crossing").tolist() == ["A", "A", "B"]  # c: before 90 % < 95 %


def test_worked_textbook_table_with_55_85_cutoffs():
    # A common textbook table uses 55 % / 85 %: values 30, 25, 20, 10, 8, 7 (total 100)
    # through-shares 30, 55, 75, 85, 93, 100 → A, A, B, B, C, C.
    values = pd.Series([30.0, 25, 20, 10, 8, 7], index=[f"k{i}" for i in range(6)])
    assert abc_classes(values, (0.55, 0.85)).tolist() == ["A", "A", "B", "B", "C", "C"]


def test_tied_customers_share_a_class_whatever_their_row_order():
    # 40, 30, 30: the tied block of two 30s ends at 100 % → both C ("within"); starts at 40 % → both A ("crossing").
    values = pd.Series([30.0, 40, 30], index=["x", "top", "y"])
    assert abc_classes(values).to_dict() == {"x": "C", "top": "A", "y": "C"}
    assert abc_classes(values, boundary="crossing").to_dict() == {"x": "A", "top": "A", "y": "A"}
    reordered = values.iloc[[2, 0, 1]]
    assert abc_classes(reordered).to_dict() == abc_classes(values).to_dict()


def test_one_customer_above_the_a_cutoff_leaves_class_a_empty_under_within():
    # 90, 6, 4: through-shares 90 % (> 80 %, ≤ 95 % → B), 96 % (C), 100 % (C); no customer is A.
    values = pd.Series([90.0, 6, 4], index=["big", "m", "s"])
    assert abc_classes(values).tolist() == ["B", "C", "C"]
    # "crossing" always has an A customer: before-shares 0 % (A), 90 % (B), 96 % (C).
    assert abc_classes(values, boundary="crossing").tolist() == ["A", "B", "C"]


values_strategy = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=40).filter(
    lambda v: sum(v) > 0)


@settings(max_examples=60, deadline=None)
@given(values=values_strategy, a=st.floats(0.05, 0.9), gap=st.floats(0.01, 0.5),
       boundary=st.sampled_from(["within", "crossing"]))
def test_classes_partition_and_are_monotone_in_value_and_cutoffs(values, a, gap, boundary):
    series = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    b = min(a + gap, 1.0)
    classes = abc_classes(series, (a, b), boundary=boundary)
    assert set(classes) <= {"A", "B", "C"} and len(classes) == len(series)
    # A larger value never gets a worse class ("A" < "B" < "C").
    order = np.argsort(-series.to_numpy(), kind="stable")
    ranked = classes.to_numpy()[order]
    assert all(ranked[i] <= ranked[i + 1] for i in range(len(ranked) - 1))
    # Raising the A cut-off never takes a customer out of class A.
    wider = abc_classes(series, ((a + b) / 2, b), boundary=boundary)
    assert ((classes == "A") <= (wider == "A")).all()


@pytest.mark.parametrize("bad, fragment", [
    (pd.Series([1.0, np.nan]), "missing"),
    (pd.Series([1.0, -2.0]), "negative"),
    (pd.Series([], dtype=float), "empty"),
    (pd.Series(["a", "b"]), "numbers"),
    (pd.Series([0.0, 0.0]), "adds up to 0"),
    (pd.Series([1.0, 2.0], index=["x", "x"]), "more than once"),
    (pd.DataFrame({"v": [1.0]}), "one column"),
])
def test_abc_rejects_bad_values(bad, fragment):
    with pytest.raises(CrmlabInputError, match=fragment):
        abc_classes(bad)


@pytest.mark.parametrize("cutoffs", [(0.95, 0.8), (0.8, 0.8), (0, 0.9), (0.8, 1.2), (80, 95), (0.8,), "0.8"])
def test_abc_rejects_bad_cutoffs(cutoffs):
    with pytest.raises(CrmlabInputError, match="cutoffs"):
        abc_classes(SEVEN, cutoffs)


def test_abc_rejects_unknown_boundary():
    with pytest.raises(CrmlabInputError, match="boundary"):
        abc_classes(SEVEN, boundary="before")


def test_pareto_curve_by_hand():
    curve = pareto_curve(SEVEN)
    assert curve.index.tolist() == list("abcdefg")
    assert curve["cum_share"].tolist() == pytest.approx([0.5, 0.7, 0.8, 0.88, 0.93, 0.97, 1.0])
    assert curve["cum_customers"].tolist() == pytest.approx([k / 7 for k in range(1, 8)])
    assert curve["rank"].tolist() == list(range(1, 8))


def test_top_share_interpolates_between_customers():
    # 20 % of 7 customers = 1.4 customers: all of a (50 %) plus 0.4 of b (0.4 × 20 % = 8 %) = 58 %.
    assert top_share(SEVEN, 0.2) == pytest.approx(0.58)
    # 5 customers: the top 20 % is exactly the largest one: 6 / (6 + 1 + 1 + 1 + 1) = 0.6.
    assert top_share(pd.Series([1.0, 1, 6, 1, 1]), 0.2) == pytest.approx(0.6)
    assert top_share(SEVEN, 1.0) == pytest.approx(1.0)


def test_gini_hand_cases():
    assert gini(pd.Series([5.0, 5, 5, 5])) == pytest.approx(0.0)
    # One customer has everything: (n − 1) / n.
    assert gini(pd.Series([0.0, 0, 0, 10])) == pytest.approx(3 / 4)
    assert gini(pd.Series([0.0] * 9 + [1.0])) == pytest.approx(9 / 10)
    # 1, 2, 3: Σ|xi − xj| over ordered pairs = 2 × (1 + 2 + 1) = 8; 2 n² x̄ = 2 × 9 × 2 = 36 → 8/36.
    assert gini(pd.Series([3.0, 1, 2])) == pytest.approx(8 / 36)


@pytest.mark.parametrize("func", [pareto_curve, top_share, gini])
def test_concentration_functions_reject_bad_values(func):
    with pytest.raises(CrmlabInputError):
        func(pd.Series([1.0, -1.0]))
    with pytest.raises(CrmlabInputError):
        func(pd.Series([], dtype=float))


def test_top_share_rejects_bad_fraction():
    with pytest.raises(CrmlabInputError, match="fraction"):
        top_share(SEVEN, 20)


TRANSACTIONS = pd.DataFrame({
    "cust": ["p", "p", "p", "p", "q", "r", "r"],
    "day": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-31", "2024-01-05",
                           "2024-01-01", "2024-03-01"]),
    "amount": [10.0, 10, 10, 10, 70, 5, 5],
})


def test_abc_profile_combines_contribution_and_frequency():
    # monetary: q 70, p 40, r 10 (total 120) → through-shares 58 %, 92 %, 100 % → A, B, C
    # frequency: p 4, r 2, q 1 (total 7) → 57 %, 86 %, 100 % → A, B, C
    # abc = worse of the two: p max(B, A) = B; q max(A, C) = C; r max(C, B) = C.
    profile = abc_profile(TRANSACTIONS, "cust", "day", "amount")
    assert profile["value_class"].to_dict() == {"p": "B", "q": "A", "r": "C"}
    assert profile["frequency_class"].to_dict() == {"p": "A", "q": "C", "r": "B"}
    assert profile["abc"].to_dict() == {"p": "B", "q": "C", "r": "C"}
    # p: (31 Jan − 1 Jan) / (4 − 1) = 30 / 3 = 10 days; r: 60 days / 1; q: one purchase → NaN.
    assert profile.loc["p", "mean_interval_days"] == pytest.approx(10.0)
    assert profile.loc["r", "mean_interval_days"] == pytest.approx(60.0)
    assert np.isnan(profile.loc["q", "mean_interval_days"])


def test_abc_profile_interval_cap_demotes_slow_a_customers():
    tx = pd.concat([TRANSACTIONS, pd.DataFrame({"cust": ["q"] * 4, "day": pd.to_datetime(
        ["2024-02-05", "2024-03-05", "2024-04-05", "2024-05-05"]), "amount": [1.0, 1, 1, 1]})], ignore_index=True)
    # monetary q 74, p 40, r 10 (total 124): q through 74/124 = 59.7 % ≤ 65 % → A.
    # frequency q 5, p 4, r 2 (total 11): q through 5/11 = 45.5 % → A. So q is A on both.
    # q's mean interval: 5 Jan → 5 May 2024 = 31 + 29 + 31 + 30 = 121 days over 4 gaps = 30.25 days.
    loose = abc_profile(tx, "cust", "day", "amount", (0.65, 0.95))
    assert loose.loc["q", "abc"] == "A"
    assert loose.loc["q", "mean_interval_days"] == pytest.approx(30.25)
    assert abc_profile(tx, "cust", "day", "amount", (0.65, 0.95), max_interval_days=31).loc["q", "abc"] == "A"
    assert abc_profile(tx, "cust", "day", "amount", (0.65, 0.95), max_interval_days=30).loc["q", "abc"] == "B"


def test_abc_profile_rejects_bad_input():
    with pytest.raises(CrmlabInputError, match="no column"):
        abc_profile(TRANSACTIONS, "customer", "day", "amount")
    with pytest.raises(CrmlabInputError, match="after the analysis date"):
        abc_profile(TRANSACTIONS, "cust", "day", "amount", at="2024-02-01")
    with pytest.raises(CrmlabInputError, match="negative"):
        abc_profile(TRANSACTIONS.assign(amount=-1.0), "cust", "day", "amount")
