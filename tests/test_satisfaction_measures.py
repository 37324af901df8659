"""C = b/a, delivered value, indicators, the importance–satisfaction matrix and the expectation widget logic."""
import numpy as np
import pandas as pd
import pytest

from crmlab.satisfaction import (
    complaint_rate, delivered_value, derived_importance, importance_satisfaction, name_recall, price_elasticity,
    price_sensitivity, purchase_amount, repeat_purchases, reputation, return_rate, satisfaction_level,
    satisfaction_ratio,
)
from crmlab.validation import CrmlabInputError
from crmlab.widgets.expectation import best_expectation, expectation_outcomes


def test_ratio_and_course_reading_by_hand():
    b = pd.Series([6.0, 7.0, 9.0], index=["c1", "c2", "c3"])
    a = pd.Series([8.0, 7.0, 6.0], index=["c1", "c2", "c3"])
    c = satisfaction_ratio(b, a)
    assert c.tolist() == pytest.approx([0.75, 1.0, 1.5])  # 6/8, 7/7, 9/6
    assert satisfaction_level(c).tolist() == ["dissatisfied", "ordinary", "satisfied"]
    # a wider band reads 0.75 as ordinary
    assert satisfaction_level(c, band=(0.7, 1.6)).tolist() == ["ordinary"] * 3


def test_ratio_bad_input():
    with pytest.raises(CrmlabInputError, match="greater than 0"):
        satisfaction_ratio(pd.Series([1.0]), pd.Series([0.0]))
    with pytest.raises(CrmlabInputError, match="same index"):
        satisfaction_ratio(pd.Series([1.0], index=[1]), pd.Series([1.0], index=[2]))
    with pytest.raises(CrmlabInputError, match="band"):
        satisfaction_level(pd.Series([1.0]), band=(1.1, 1.2))


def test_delivered_value_by_hand():
    df = pd.DataFrame({"product": [50, 30], "service": [20, 10], "money": [40, 30], "time": [10, 20]})
    out = delivered_value(df, ["product", "service"], ["money", "time"])
    # row 0: value 70, cost 50 → delivered 20, ratio 1.4; row 1: 40 − 50 = −10, ratio 0.8
    assert out["delivered_value"].tolist() == [20, -10]
    assert out["value_ratio"].tolist() == pytest.approx([1.4, 0.8])
    with pytest.raises(CrmlabInputError, match="negative"):
        delivered_value(df.assign(time=[-1, 0]), ["product"], ["time"])
    with pytest.raises(CrmlabInputError, match="total cost is 0"):
        delivered_value(df.assign(time=[0, 0]), ["product"], ["time"])


TX = pd.DataFrame({
    "customer_id": ["C1", "C1", "C2", "C3", "C3", "C3"],
    "date": ["2024-01-05", "2024-02-01", "2024-01-10", "2024-01-02", "2024-03-01", "2024-04-01"],
    "amount": [10.0, 20.0, 5.0, 1.0, 2.0, 3.0],
})


def test_indicators_by_hand():
    assert purchase_amount(TX).to_dict() == {"C1": 30.0, "C2": 5.0, "C3": 6.0}
    assert repeat_purchases(TX).to_dict() == {"C1": 1, "C2": 0, "C3": 2}
    assert return_rate(TX) == pytest.approx(2 / 3)  # C1 and C3 bought again, of 3 buyers
    assert return_rate(TX, end="2024-01-31") == pytest.approx(0.0)  # one purchase each in January
    tickets = pd.DataFrame({"kind": ["complaint", "inquiry", "complaint"]})
    assert complaint_rate(tickets, TX) == pytest.approx(2 / 6)
    assert complaint_rate(tickets, TX, per="customer") == pytest.approx(2 / 3)
    survey = pd.DataFrame({"overall": [9, 8, 5, 10], "importance_price": [6, 2, 4, 4],
                           "importance_quality": [3, 4, 4, 2], "importance_service": [3, 4, 4, 2],
                           "importance_range": [3, 4, 4, 2], "importance_convenience": [3, 4, 4, 2]})
    assert reputation(survey) == pytest.approx(0.75)  # 9, 8, 10 are ≥ 8
    assert price_sensitivity(survey).tolist() == pytest.approx([2.0, 0.5, 1.0, 2.0])
    assert name_recall(pd.Series(["Walmart", "yonghui ", "", "Yonghui"]), "Yonghui") == pytest.approx(0.5)
    # q = 100·p^−2 exactly → slope of log q on log p is −2.
    prices = pd.DataFrame({"p": [1.0, 2.0, 4.0], "q": [100.0, 25.0, 6.25]})
    assert price_elasticity(prices, "p", "q") == pytest.approx(-2.0)


def test_indicator_bad_input():
    with pytest.raises(CrmlabInputError, match="amount"):
        purchase_amount(TX.drop(columns="amount"))
    with pytest.raises(CrmlabInputError, match="negative"):
        purchase_amount(TX.assign(amount=-1.0))
    with pytest.raises(CrmlabInputError, match="no transactions"):
        return_rate(TX, start="2030-01-01")
    with pytest.raises(CrmlabInputError, match="per"):
        complaint_rate(pd.DataFrame({"kind": ["complaint"]}), TX, per="store")
    with pytest.raises(CrmlabInputError, match="two prices"):
        price_elasticity(pd.DataFrame({"p": [1.0, 1.0], "q": [1.0, 2.0]}), "p", "q")


def test_ipa_quadrants_by_hand():
    imp = pd.Series([6.0, 6.0, 2.0, 2.0], index=["price", "quality", "parking", "music"])
    sat = pd.Series([3.0, 6.0, 3.0, 6.0], index=imp.index)
    out = importance_satisfaction(imp, sat)  # grand means 4 and 4.5
    assert out["quadrant"].tolist() == ["concentrate", "keep_up", "low_priority", "overkill"]
    assert out.attrs["importance_cut"] == 4.0 and out.attrs["satisfaction_cut"] == 4.5
    mid = importance_satisfaction(imp, sat, cut="midpoint", scale=(1, 5))  # cut at 3; 3 counts as high
    assert mid["quadrant"].tolist() == ["keep_up", "keep_up", "overkill", "overkill"]
    with pytest.raises(CrmlabInputError, match="scale"):
        importance_satisfaction(imp, sat, cut="midpoint")
    with pytest.raises(CrmlabInputError, match="same attributes"):
        importance_satisfaction(imp, sat.iloc[::-1])


def test_derived_importance_by_hand():
    # overall = x1 + 0·x2 exactly, x1 ⟂ x2 (centred, orthogonal): r(x1) = 1, r(x2) = 0, β = (1, 0).
    df = pd.DataFrame({"x1": [1, 2, 3, 4], "x2": [1, 2, 2, 1]})
    df["overall"] = df["x1"]
    r = derived_importance(df, ["x1", "x2"], "overall")
    beta = derived_importance(df, ["x1", "x2"], "overall", method="regression")
    assert r.tolist() == pytest.approx([1.0, 0.0], abs=1e-12)
    assert beta.tolist() == pytest.approx([1.0, 0.0], abs=1e-12)
    with pytest.raises(CrmlabInputError, match="same answer"):
        derived_importance(df.assign(x2=3), ["x1", "x2"], "overall")
    with pytest.raises(CrmlabInputError, match="outside"):
        derived_importance(df, ["x1", "x2"], "overall", scale=(1, 3))


def test_expectation_model_by_hand_and_shape():
    row = expectation_outcomes(6.0, performance=6.0, market=1000).iloc[0]
    # a = midpoint → half the market tries; C = 6/6 = 1 → repurchase 1/(1+e⁰) = 0.5.
    assert row["first_buyers"] == pytest.approx(500.0)
    assert row["satisfaction"] == pytest.approx(1.0)
    assert row["repeat_buyers"] == pytest.approx(250.0)
    table = expectation_outcomes(np.arange(1.0, 10.01, 0.5), performance=7.0)
    # the course: raising a wins first buyers but lowers satisfaction and repurchase
    assert table["first_buyers"].is_monotonic_increasing
    assert table["satisfaction"].is_monotonic_decreasing
    assert table["repurchase_rate"].is_monotonic_decreasing
    best = best_expectation(7.0)
    assert 1.0 < best < 10.0  # an interior optimum, neither the lowest nor the highest promise
    with pytest.raises(CrmlabInputError, match="expectation"):
        expectation_outcomes(0.0)
    with pytest.raises(CrmlabInputError, match="performance"):
        expectation_outcomes(5.0, performance=-1)


def test_expectation_explorer_builds_without_a_browser():
    import matplotlib

    matplotlib.use("Agg")
    from crmlab.widgets.expectation import expectation_explorer

    panel = expectation_explorer(performance=6.5)
    sliders = panel.children[0].children
    assert [s.value for s in sliders] == [6.0, 6.5]
    sliders[0].value = 9.0  # moving the slider re-runs the model without error
