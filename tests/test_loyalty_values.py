"""Textbook CLV forms, the course's two cases and the CLV explorer's logic: hand-computed arithmetic."""
import pandas as pd
import pytest

from crmlab.loyalty import clv_by_period, dynamic_customer_value, finite_horizon_clv, mrs_smith_loss, simple_clv
from crmlab.validation import CrmlabInputError
from crmlab.widgets.clv_explorer import clv_overview, clv_explorer


# m = 100, r = 0.8, d = 0.1, so 1 + d − r = 0.3:
#   start    : 100 × 1.1 / 0.3 = 366.67   (first margin today)
#   end      : 100 / 0.3       = 333.33   (first margin after one period, customer surely there)
#   retained : 100 × 0.8 / 0.3 = 266.67   (Gupta & Lehmann 2003, eq. 3: m·r/(1+d−r))
@pytest.mark.parametrize("timing, expected", [("start", 110 / 0.3), ("end", 100 / 0.3), ("retained", 80 / 0.3)])
def test_simple_clv_three_timings(timing, expected):
    assert simple_clv(100, 0.8, 0.1, timing=timing) == pytest.approx(expected)


def test_finite_horizon_by_hand_and_its_limit():
    # retained, 3 payments: 100·0.8/1.1 + 100·0.64/1.21 + 100·0.512/1.331
    #                     = 72.7273 + 52.8926 + 38.4673 = 164.0872
    assert finite_horizon_clv(100, 0.8, 0.1, 3) == pytest.approx(72.72727 + 52.89256 + 38.46732, abs=1e-4)
    # start, 2 payments: 100 + 100·0.8/1.1 = 172.7273
    assert finite_horizon_clv(100, 0.8, 0.1, 2, timing="start") == pytest.approx(100 + 80 / 1.1)
    # r = 1, d = 0: N payments of m, no 0/0.
    assert finite_horizon_clv(50, 1.0, 0.0, 520, timing="end") == pytest.approx(26_000)
    for timing in ("start", "end", "retained"):
        assert finite_horizon_clv(100, 0.8, 0.1, 2000, timing=timing) == pytest.approx(simple_clv(100, 0.8, 0.1, timing))


def test_clv_by_period_spells_out_the_sum():
    steps = clv_by_period(100, 0.8, 0.1, 3)
    assert steps["survival"].tolist() == pytest.approx([0.8, 0.64, 0.512])
    assert steps["discount_factor"].tolist() == pytest.approx([1 / 1.1, 1 / 1.21, 1 / 1.331])
    assert steps["cumulative_value"].iloc[-1] == pytest.approx(finite_horizon_clv(100, 0.8, 0.1, 3))


def test_clv_takes_columns_and_keeps_their_index():
    margins = pd.Series([100.0, 200.0], index=["gold", "silver"])
    out = simple_clv(margins, 0.8, 0.1, acquisition_cost=50)
    assert out.index.tolist() == ["gold", "silver"]
    assert out.tolist() == pytest.approx([80 / 0.3 - 50, 160 / 0.3 - 50])


@pytest.mark.parametrize("kwargs, match", [
    ({"margin": 100, "retention": 80, "discount": 0.1}, "between 0 and 1"),
    ({"margin": 100, "retention": 0.8, "discount": 0.1, "timing": "middle"}, "timing must be one of"),
    ({"margin": 100, "retention": 1.0, "discount": 0.0}, "infinite"),
    ({"margin": float("nan"), "retention": 0.8, "discount": 0.1}, "NaN"),
    ({"margin": "lots", "retention": 0.8, "discount": 0.1}, "numbers"),
    ({"margin": [1.0, 2.0], "retention": [0.5, 0.6, 0.7], "discount": 0.1}, "same length"),
    ({"margin": 100, "retention": 0.8, "discount": -1.5}, "discount must be > -1"),
])
def test_simple_clv_bad_input(kwargs, match):
    with pytest.raises(CrmlabInputError, match=match):
        simple_clv(**kwargs)


def test_finite_horizon_bad_periods():
    with pytest.raises(CrmlabInputError, match="periods"):
        finite_horizon_clv(100, 0.8, 0.1, 0)
    with pytest.raises(CrmlabInputError, match="periods"):
        clv_by_period(100, 0.8, 0.1, 2.5)


def test_mrs_smith_case_arithmetic():
    # Course lecture plan (seeds/000, 案例分析 史密斯女士): $50 × 52 weeks × 10 years = $26,000;
    # tells 10 people, half influenced = 5, each tells 5 more = 25, influenced 5 + 25 = 30,
    # a quarter lost = 7.5 customers × $26,000 = $195,000; total $221,000.
    table = mrs_smith_loss()
    v = table["value"]
    assert v["lifetime_sales"] == 26_000
    assert v["first_circle"] == 5 and v["second_circle"] == 25 and v["influenced"] == 30
    assert v["lost_customers"] == 7.5
    assert v["word_of_mouth_loss"] == 195_000
    assert v["total_loss"] == 221_000
    assert table.loc["lifetime_sales", "arithmetic"] == "50 × 52 × 10"
    # The upper end of the case (tells 20) and only the second circle counted:
    # 20 × 0.5 = 10; 10 × 5 = 50; 50 × 0.25 = 12.5; 12.5 × 26,000 = 325,000; total 351,000.
    upper = mrs_smith_loss(told=20, count_first_circle=False)["value"]
    assert upper["lost_customers"] == 12.5 and upper["total_loss"] == 351_000


def test_exam_dynamic_customer_value():
    # Hunan exam task (seeds/004): ¥50 × 1 a week × 52 × 10 = ¥26,000 per customer; every row against one
    # baseline, the firm without her. Satisfied: 5 × 20 % = 1 new loyal customer → 26,000 + 26,000 = 52,000.
    # Unhappy and gone (the default reading): 10 × 20 % = 2 customers lost → 0 − 52,000 = −52,000; swing 104,000.
    # (The often-quoted −(26,000 + 52,000) = −78,000 and swing 130,000 count her own 26,000 twice.)
    table = dynamic_customer_value()
    assert table.loc["satisfied"].tolist() == [26_000, 26_000, 5, 1, 26_000, 52_000]
    assert table.loc["unhappy"].tolist() == [26_000, 0, 10, 2, -52_000, -52_000]
    assert table.loc["satisfied", "total_value"] - table.loc["unhappy", "total_value"] == 104_000
    # She complains but stays: 26,000 − 52,000 = −26,000.
    assert dynamic_customer_value(unhappy_leaves=False).loc["unhappy", "total_value"] == -26_000


@pytest.mark.parametrize("func, kwargs, match", [
    (mrs_smith_loss, {"weekly_spend": -50}, "weekly_spend"),
    (mrs_smith_loss, {"influenced_share": 50}, "influenced_share"),
    (mrs_smith_loss, {"told": 2.5}, "told"),
    (dynamic_customer_value, {"conversion": 20}, "conversion"),
    (dynamic_customer_value, {"years": 0}, "years"),
])
def test_cases_bad_input(func, kwargs, match):
    with pytest.raises(CrmlabInputError, match=match):
        func(**kwargs)


def test_clv_overview_reconciles_the_timings():
    table = clv_overview(100, 0.8, 0.1, periods=3)
    assert table.loc["retained", "infinite_clv"] == pytest.approx(80 / 0.3)
    assert table.loc["retained", "finite_clv"] == pytest.approx(164.0872, abs=1e-4)
    # start = end × (1 + d); end = retained / r.
    assert table.loc["start", "infinite_clv"] == pytest.approx(table.loc["end", "infinite_clv"] * 1.1)
    assert table.loc["end", "infinite_clv"] == pytest.approx(table.loc["retained", "infinite_clv"] / 0.8)
    assert table["expected_lifetime"].tolist() == pytest.approx([5.0, 5.0, 5.0])  # 1 / (1 − 0.8)


def test_clv_explorer_builds_a_panel():
    import ipywidgets
    panel = clv_explorer()
    assert isinstance(panel, ipywidgets.VBox)
    sliders = panel.children[0].children
    sliders[1].value = 0.9  # moving a slider redraws without error
