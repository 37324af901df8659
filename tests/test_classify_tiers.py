"""Value tiers, the profit pyramid and two-period value change: hand-computed cases."""
import numpy as np
import pandas as pd
import pytest

from crmlab.classify import profit_pyramid, value_change, value_tiers
from crmlab.validation import CrmlabInputError


def test_count_pyramid_1_19_30_50():
    values = pd.Series(np.arange(100.0, 0, -1), index=[f"c{i:03d}" for i in range(100)])
    tiers = value_tiers(values)
    # 100 customers: 1 VIP, 19 major, 30 ordinary, 50 small, in value order.
    assert tiers.value_counts().to_dict() == {"small": 50, "ordinary": 30, "major": 19, "VIP": 1}
    assert tiers.iloc[0] == "VIP" and tiers.iloc[1] == tiers.iloc[19] == "major"
    assert tiers.iloc[20] == "ordinary" and tiers.iloc[50] == "small"
    assert tiers.name == "tier"


def test_tied_customers_share_a_tier():
    # Ten customers, shares 0.2 / 0.8 → top 2; the three tied at 9 have mid-rank 3 → position 0.2 → bottom tier.
    values = pd.Series([10.0, 9, 9, 9, 1, 1, 1, 1, 1, 1])
    tiers = value_tiers(values, shares=(0.2, 0.8), labels=("top", "rest"))
    assert tiers.tolist() == ["top"] + ["rest"] * 9


def test_value_tiers_reject_bad_input():
    with pytest.raises(CrmlabInputError, match="add up to 1"):
        value_tiers(pd.Series([1.0, 2.0]), shares=(0.1, 0.2))
    with pytest.raises(CrmlabInputError, match="labels"):
        value_tiers(pd.Series([1.0, 2.0]), labels=("a", "b"))
    with pytest.raises(CrmlabInputError, match="negative"):
        value_tiers(pd.Series([1.0, -2.0]))
    with pytest.raises(CrmlabInputError, match="empty"):
        value_tiers(pd.Series([], dtype=float))


def test_profit_pyramid_by_hand():
    # 20 customers: profits −5 and 1…19. Platinum = top 5 % = 1 customer (19); gold = next 15 % = 3 (18, 17, 16);
    # iron = the other profitable ones; lead = the one losing money (Zeithaml, Rust & Lemon 2001: lead costs money).
    profit = pd.Series([-5.0] + list(range(1, 20)), index=[f"c{i}" for i in range(20)], dtype=float)
    tiers = profit_pyramid(profit)
    assert tiers["c0"] == "lead" and tiers["c19"] == "platinum"
    assert tiers[["c18", "c17", "c16"]].tolist() == ["gold"] * 3
    assert tiers.value_counts().to_dict() == {"iron": 15, "gold": 3, "platinum": 1, "lead": 1}


def test_a_loss_making_customer_is_lead_even_at_the_top():
    assert profit_pyramid(pd.Series([-1.0, -2.0, -3.0])).tolist() == ["lead"] * 3


def test_profit_pyramid_rejects_bad_input():
    with pytest.raises(CrmlabInputError, match="missing"):
        profit_pyramid(pd.Series([1.0, np.nan]))
    with pytest.raises(CrmlabInputError, match="shares"):
        profit_pyramid(pd.Series([1.0, 2.0]), shares=(0.7, 0.6))


def test_value_change_by_hand():
    before = pd.Series({"up": 100.0, "down": 100.0, "gone": 50.0, "steady": 1000.0, "moan": 10.0})
    after = pd.Series({"up": 160.0, "down": 40.0, "steady": 1100.0, "moan": 10.0, "new": 20.0})
    complaints = pd.Series({"moan": 2, "steady": 0})
    flags = value_change(before, after, complaints)
    # change: up (160 − 100)/100 = +0.6 ≥ 0.5 → rising; down −0.6 ≤ −0.5 → falling; gone −1 and lapsed;
    # steady +0.1; moan 0 but 2 complaints → problem; new from 0 → +inf → rising.
    assert flags.loc["up", "change"] == pytest.approx(0.6) and flags.loc["up", "rising"]
    assert flags.loc["down", "falling"] and not flags.loc["down", "lapsed"]
    assert flags.loc["gone", "lapsed"] and flags.loc["gone", "problem"]
    assert flags.loc["new", "change"] == np.inf
    # Value customers: top 20 % of 6 customers by later value. Share of customers ranked above:
    # steady (1100) 0/6 = 0, up (160) 1/6 = 0.167 < 0.2 → both; new (20) 2/6 = 0.33 → no.
    assert flags["value_customer"][lambda s: s].index.tolist() == ["steady", "up"]
    assert flags["status"].to_dict() == {"down": "value_change", "gone": "problem", "moan": "problem",
                                         "new": "value_change", "steady": "value", "up": "value_change"}


def test_value_change_thresholds_are_parameters():
    flags = value_change(pd.Series({"a": 100.0}), pd.Series({"a": 130.0}), rise=0.25)
    assert flags.loc["a", "rising"]
    assert not value_change(pd.Series({"a": 100.0}), pd.Series({"a": 130.0}))["rising"].iloc[0]


def test_value_change_rejects_bad_input():
    one = pd.Series({"a": 1.0})
    with pytest.raises(CrmlabInputError, match="rise"):
        value_change(one, one, rise=-0.5)
    with pytest.raises(CrmlabInputError, match="fall"):
        value_change(one, one, fall=2)
    with pytest.raises(CrmlabInputError, match="bought in neither"):
        value_change(one, one, pd.Series({"zz": 1}))
    with pytest.raises(CrmlabInputError, match="whole numbers"):
        value_change(one, one, pd.Series({"a": 0.5}))
    with pytest.raises(CrmlabInputError, match="negative"):
        value_change(pd.Series({"a": -1.0}), one)
