"""Loyalty types, loyalty measures, programmes and switching costs; charts draw without error."""
import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from crmlab.loyalty import (ShiftedBetaGeometric, cohort_table, cross_buying, customer_lifetime,  # noqa: E402
                            dick_basu_segment, expected_lifetime, loyalty_quadrant, loyalty_scores,
                            loyalty_type_table, purchase_counts, purchase_growth, repeat_purchase_rate,
                            retention_by_period, share_of_wallet, simulate_programme, switching_cost_scores,
                            switching_cost_table)
from crmlab.plot.loyalty import attachment_repeat_chart, cohort_heatmap, p_alive_chart, retention_curves  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402

# A small log written so every measure can be counted by hand:
#   a: Jan 5 (2 items same day), Feb 3, Mar 2   → 3 trips, active Jan, Feb, Mar
#   b: Jan 9, Mar 1                             → 2 trips, active Jan, Mar
#   c: Feb 10                                   → 1 trip,  active Feb
LOG = pd.DataFrame({
    "cid": ["a", "a", "a", "b", "b", "c", "a"],
    "date": ["2024-01-05", "2024-01-05", "2024-02-03", "2024-01-09", "2024-03-01", "2024-02-10", "2024-03-02"],
    "amount": [10.0, 5.0, 20.0, 30.0, 40.0, 50.0, 60.0],
    "category": ["fresh", "grocery", "fresh", "fresh", "fresh", "clothing", "fresh"],
})


def test_loyalty_type_table_follows_the_course():
    # seeds/000 (客户忠诚的类型): monopoly, inertia, incentive: low attachment, high repeat;
    # price: low, low; trust: high, high.
    table = loyalty_type_table()
    assert set(table.index) == {"monopoly", "inertia", "price", "incentive", "trust"}
    assert table.loc["trust", ["attachment", "repeat_purchase"]].tolist() == ["high", "high"]
    assert table.loc["price", ["attachment", "repeat_purchase"]].tolist() == ["low", "low"]
    for kind in ("monopoly", "inertia", "incentive"):
        assert table.loc[kind, ["attachment", "repeat_purchase"]].tolist() == ["low", "high"]
    assert table.loc["inertia", "name_zh"] == "惰性忠诚"


def test_quadrants_and_dick_basu_by_hand():
    df = pd.DataFrame({"att": [1, 7, 2, 6], "rep": [10, 10, 1, 1]}, index=list("abcd"))
    # Medians: attachment 4, repeat 5.5.
    q = loyalty_quadrant(df, "att", "rep")
    assert q["candidate_types"].tolist() == ["monopoly/inertia/incentive", "trust", "price", "none"]
    assert dick_basu_segment(df, "att", "rep").tolist() == ["spurious", "true", "none", "latent"]
    scores = loyalty_scores(df, ["att"], ["rep"])
    # attachment 1..7 → (v − 1)/6 × 100; repeat 1..10 → (v − 1)/9 × 100.
    assert scores["attitudinal"].tolist() == pytest.approx([0, 100, 100 / 6, 500 / 6])
    assert scores["behavioural"].tolist() == pytest.approx([100, 100, 0, 0])


def test_teacher_can_edit_the_type_table(tmp_path):
    edited = loyalty_type_table().copy()
    edited.loc["inertia", "attachment"] = "high"
    path = tmp_path / "types.csv"
    edited.to_csv(path)
    df = pd.DataFrame({"att": [1, 7], "rep": [10, 10]})
    q = loyalty_quadrant(df, "att", "rep", attachment_cut=4, repeat_cut=5, table=loyalty_type_table(path))
    assert q["candidate_types"].tolist() == ["monopoly/incentive", "inertia/trust"]
    edited.loc["price", "attachment"] = "medium"
    edited.to_csv(path)
    with pytest.raises(CrmlabInputError, match="'low' or 'high'"):
        loyalty_type_table(path)


def test_purchase_counts_merge_same_day():
    counts = purchase_counts(LOG, "cid", "date")
    assert counts["purchases"].to_dict() == {"a": 3, "b": 2, "c": 1}
    assert repeat_purchase_rate(LOG, "cid", "date") == pytest.approx(2 / 3)


def test_retention_by_month_by_hand():
    table = retention_by_period(LOG, "cid", "date", "M")
    # Jan: a, b active; Feb: a, c (a retained, c new) → 1/2; Mar: a, b (a retained from Feb) → 1/2.
    assert table["active"].tolist() == [2, 2, 2]
    assert table["new"].tolist() == [2, 1, 0]
    assert table["retained"].tolist() == [0, 1, 1]
    assert np.isnan(table["retention_rate"].iloc[0])
    assert table["retention_rate"].iloc[1:].tolist() == [0.5, 0.5]
    assert table["churn_rate"].iloc[1:].tolist() == [0.5, 0.5]


def test_cohort_table_by_hand():
    counts = cohort_table(LOG, "cid", "date", "M", share=False)
    # Jan cohort {a, b}: month 0: 2, month 1: a → 1, month 2: a, b → 2. Feb cohort {c}: 1, 0, (not observed).
    assert counts.loc[pd.Period("2024-01", "M")].tolist() == [2, 1, 2]
    feb = counts.loc[pd.Period("2024-02", "M")]
    assert feb.iloc[:2].tolist() == [1, 0] and np.isnan(feb.iloc[2])
    shares = cohort_table(LOG, "cid", "date", "M")
    assert shares.loc[pd.Period("2024-01", "M")].tolist() == [1.0, 0.5, 1.0]


def test_lifetime_growth_crossbuying_wallet_by_hand():
    life = customer_lifetime(LOG, "cid", "date", analysis_date="2024-03-10")
    # a: Jan 5 → Mar 2 = 57 days tenure, age to Mar 10 = 65 days, 8 days since last.
    assert life.loc["a", ["tenure", "age", "since_last"]].tolist() == [57, 65, 8]
    growth = purchase_growth(LOG, "cid", "date", "amount", "M")
    # Feb → Mar: a 20 → 60 (+200 %); b 0 → 40 (undefined: NaN); c 50 → 0 (−100 %).
    assert growth.loc["a", "growth"] == pytest.approx(2.0)
    assert np.isnan(growth.loc["b", "growth"])
    assert growth.loc["c", "growth"] == pytest.approx(-1.0)
    cross = cross_buying(LOG, "cid", "category")
    assert cross["categories"].to_dict() == {"a": 2, "b": 1, "c": 1}
    assert cross.loc["a", "category_share"] == pytest.approx(2 / 3)
    wallet = share_of_wallet(pd.DataFrame({"ours": [30.0, 0.0], "total": [120.0, 50.0]}), "ours", "total")
    assert wallet.tolist() == [0.25, 0.0]
    assert expected_lifetime(0.8) == pytest.approx(5.0)  # 1 / (1 − 0.8)


@pytest.mark.filterwarnings("ignore:Could not infer format")  # pandas' note while rejecting "yesterday"
def test_measures_bad_input():
    with pytest.raises(CrmlabInputError, match="no column"):
        purchase_counts(LOG, "customer", "date")
    with pytest.raises(CrmlabInputError, match="empty"):
        retention_by_period(LOG.iloc[:0], "cid", "date")
    with pytest.raises(CrmlabInputError, match="freq must be one of"):
        cohort_table(LOG, "cid", "date", "fortnight")
    with pytest.raises(CrmlabInputError, match="dates"):
        purchase_counts(LOG.assign(date="yesterday"), "cid", "date")
    with pytest.raises(CrmlabInputError, match="at least two periods"):
        purchase_growth(LOG, "cid", "date", "amount", "Y")
    with pytest.raises(CrmlabInputError, match="negative"):
        purchase_growth(LOG.assign(amount=-1.0), "cid", "date", "amount", "M")
    with pytest.raises(CrmlabInputError, match="exceeds"):
        share_of_wallet(pd.DataFrame({"ours": [130.0], "total": [120.0]}), "ours", "total")
    with pytest.raises(CrmlabInputError, match="retention"):
        expected_lifetime(1.0)
    with pytest.raises(CrmlabInputError, match="before some purchases"):
        customer_lifetime(LOG, "cid", "date", analysis_date="2024-01-01")
    with pytest.raises(CrmlabInputError, match="no column"):
        loyalty_quadrant(LOG, "attachment", "rep")


def test_programme_simulation_accounting_and_determinism():
    out = simulate_programme(n_members=2000, periods=6, new_members=100, seed=3)
    again = simulate_programme(n_members=2000, periods=6, new_members=100, seed=3)
    pd.testing.assert_frame_equal(out, again)
    # Points: redeemed = 70 % of earned; breakage is the rest.
    assert np.allclose(out["points_redeemed"], 0.7 * out["points_earned"])
    assert np.allclose(out["breakage_points"] + out["points_redeemed"], out["points_earned"])
    tiers = [c for c in out.columns if c.startswith("tier_")]
    assert (out[tiers].sum(axis=1) == out["members"]).all()
    # Same draws, lifts ≥ 0: the programme never has fewer members than the baseline.
    assert (out["members"] >= out["members_baseline"]).all()
    assert out.loc[1, "members"] == 2100  # the first period: starting members + first joiners
    assert np.allclose(out["cumulative_net"], out["incremental_margin"].cumsum())


def test_programme_without_lift_or_cost_equals_baseline():
    tiers = pd.DataFrame({"tier": ["only"], "min_growth_value": [0.0], "earn_rate": [1.0],
                          "retention_lift": [0.0], "service_cost": [0.0]})
    out = simulate_programme(1000, 5, tiers=tiers, point_value=0.0, seed=1)
    assert (out["members"] == out["members_baseline"]).all()
    assert np.allclose(out["incremental_margin"], 0.0)


def test_programme_bad_input():
    bad = pd.DataFrame({"tier": ["a", "b"], "min_growth_value": [0.0, 0.0], "earn_rate": [1.0, 1.0],
                        "retention_lift": [0.0, 0.0], "service_cost": [0.0, 0.0]})
    with pytest.raises(CrmlabInputError, match="increase"):
        simulate_programme(tiers=bad)
    with pytest.raises(CrmlabInputError, match="base_retention"):
        simulate_programme(base_retention=85)
    with pytest.raises(CrmlabInputError, match="n_members"):
        simulate_programme(n_members=0)


def test_switching_cost_scores_by_group():
    table = switching_cost_table()
    assert table["group"].value_counts().to_dict() == {"procedural": 4, "financial": 2, "relational": 2}
    ratings = pd.DataFrame([[7, 5, 3, 1, 2, 4, 6, 6]], columns=table.index, index=["cust1"])
    scores = switching_cost_scores(ratings)
    # procedural (7+5+3+1)/4 = 4; financial (2+4)/2 = 3; relational (6+6)/2 = 6; overall 13/3.
    assert scores.loc["cust1", ["procedural", "financial", "relational"]].tolist() == [4, 3, 6]
    assert scores.loc["cust1", "overall"] == pytest.approx(13 / 3)
    assert scores.loc["cust1", "dominant"] == "relational"
    with pytest.raises(CrmlabInputError, match="no column"):
        switching_cost_scores(ratings.drop(columns="learning"))


def test_charts_draw():
    model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    axes = [
        cohort_heatmap(cohort_table(LOG, "cid", "date", "M")),
        retention_curves(model, observed=[1000, 631, 468, 382, 326, 289, 262, 241], constant_retention=0.631),
        attachment_repeat_chart(pd.DataFrame({"a": [1, 5, 7], "r": [2, 8, 3], "t": ["x", "y", "x"]}), "a", "r", "t"),
        p_alive_chart(pd.Series([0.2, 0.9]), pd.Series([1.0, 30.0]), pd.Series([1, 5])),
    ]
    for ax in axes:
        assert ax.get_title()
    plt.close("all")
    with pytest.raises(CrmlabInputError):
        attachment_repeat_chart(pd.DataFrame({"a": [1]}), "a", "r")
