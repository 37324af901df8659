"""Sales funnel maths (lesson 16) on a hand-computed case: every expected number is worked out below."""
import numpy as np
import pandas as pd
import pytest

from crmlab.operations import (
    cycle_time, forecast_vs_actual, stage_conversion, stage_durations, weighted_forecast, win_probability, win_rate,
)
from crmlab.validation import CrmlabInputError


@pytest.fixture
def opportunities():
    return pd.DataFrame({
        "opportunity_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "stage": ["lead", "qualified", "proposal", "negotiation", "won", "lost", "negotiation"],
        "status": ["open", "open", "open", "open", "won", "lost", "open"],
        "amount": [1000.0, 2000.0, 4000.0, 8000.0, 500.0, 3000.0, 10000.0],
        "expected_close": ["2024-01-15", "2024-01-20", "2024-02-10", "2024-01-31", "2024-01-05", "2024-01-10",
                           "2024-03-01"],
        "owner": ["S1", "S1", "S2", "S2", "S1", "S2", "S1"],
    })


@pytest.fixture
def history():
    rows = [("O1", "lead", "2024-01-02"),
            ("O2", "lead", "2024-01-02"), ("O2", "qualified", "2024-01-09"),
            ("O3", "lead", "2024-01-02"), ("O3", "qualified", "2024-01-05"), ("O3", "proposal", "2024-01-12"),
            ("O4", "lead", "2024-01-01"), ("O4", "qualified", "2024-01-04"), ("O4", "proposal", "2024-01-08"),
            ("O4", "negotiation", "2024-01-15"),
            ("O5", "lead", "2024-01-01"), ("O5", "qualified", "2024-01-11"), ("O5", "proposal", "2024-01-25"),
            ("O5", "negotiation", "2024-02-05"), ("O5", "won", "2024-02-15"),
            ("O6", "lead", "2024-01-03"), ("O6", "qualified", "2024-01-08"), ("O6", "lost", "2024-01-20")]
    return pd.DataFrame(rows, columns=["opportunity_id", "stage", "entered_date"])


def test_weighted_forecast_hand_case(opportunities):
    # Jan–Feb 2024: O7 closes in March (out), O6 is lost (0).
    # 1000·0.10 + 2000·0.25 + 4000·0.50 + 8000·0.75 + 500·1.00 = 100 + 500 + 2000 + 6000 + 500 = 9100
    out = weighted_forecast(opportunities, "2024-01-01", "2024-02-29")
    assert out.loc["total", "weighted"] == pytest.approx(9100.0)
    assert out.loc["negotiation", "weighted"] == pytest.approx(6000.0)
    assert out.loc["total", "opportunities"] == 5
    assert list(out.index) == ["lead", "qualified", "proposal", "negotiation", "won", "total"]
    # Open period: O7 adds 10000·0.75 = 7500.
    assert weighted_forecast(opportunities).loc["total", "weighted"] == pytest.approx(16600.0)


def test_weighted_forecast_own_probabilities(opportunities):
    probs = {"lead": 0.0, "qualified": 0.0, "proposal": 0.0, "negotiation": 0.5, "won": 1.0}
    # 8000·0.5 + 500·1 = 4500
    out = weighted_forecast(opportunities, "2024-01-01", "2024-02-29", probabilities=probs)
    assert out.loc["total", "weighted"] == pytest.approx(4500.0)


def test_win_probability_maps_lost_to_zero(opportunities):
    p = win_probability(opportunities["stage"])
    assert p.tolist() == [0.10, 0.25, 0.50, 0.75, 1.0, 0.0, 0.75]
    assert p.index.equals(opportunities.index)


def test_stage_conversion_hand_case(history):
    # reached: lead 6, qualified 5, proposal 3, negotiation 2, won 1
    out = stage_conversion(history)
    assert out["reached"].tolist() == [6, 5, 3, 2, 1]
    np.testing.assert_allclose(out["to_next"].iloc[:4], [5 / 6, 3 / 5, 2 / 3, 1 / 2])
    assert np.isnan(out.loc["won", "to_next"])
    np.testing.assert_allclose(out["from_first"], [1, 5 / 6, 3 / 6, 2 / 6, 1 / 6])
    # Closed deals only (O5 won, O6 lost): lead 2, qualified 2, proposal 1, negotiation 1, won 1.
    closed = stage_conversion(history, closed_only=True)
    assert closed["reached"].tolist() == [2, 2, 1, 1, 1]
    np.testing.assert_allclose(closed["to_next"].iloc[:4], [1.0, 0.5, 1.0, 1.0])


def test_cycle_time_and_durations(history):
    # O5: 2024-01-01 → won 2024-02-15 = 31 + 14 = 45 days; O6: 01-03 → lost 01-20 = 17 days.
    cycle = cycle_time(history)
    assert cycle.loc["O5", "days"] == 45 and cycle.loc["O5", "outcome"] == "won"
    assert cycle.loc["O6", "days"] == 17 and cycle.loc["O6", "outcome"] == "lost"
    assert set(cycle.index) == {"O5", "O6"}
    d = stage_durations(history)
    # O5: 01-01→01-11 = 10, 01-11→01-25 = 14, 01-25→02-05 = 11, 02-05→02-15 = 10 (sum 45).
    assert d.loc["O5"].tolist() == [10, 14, 11, 10]
    # O6 left qualified by being lost: 01-08 → 01-20 = 12; never reached proposal.
    assert d.loc["O6", "lead"] == 5 and d.loc["O6", "qualified"] == 12 and np.isnan(d.loc["O6", "proposal"])
    # O1 still sits in lead: no duration yet.
    assert np.isnan(d.loc["O1", "lead"])


def test_win_rate(opportunities):
    overall = win_rate(opportunities)
    assert overall.loc["all", "won"] == 1 and overall.loc["all", "lost"] == 1
    assert overall.loc["all", "win_rate"] == 0.5
    by_owner = win_rate(opportunities, by="owner")
    assert by_owner.loc["S1", "win_rate"] == 1.0 and by_owner.loc["S2", "win_rate"] == 0.0


def test_forecast_vs_actual_hand_case():
    opps = pd.DataFrame({
        "opportunity_id": ["A", "B", "C"], "amount": [1000.0, 500.0, 2000.0],
        "expected_close": ["2024-02-28", "2024-02-15", "2024-03-31"],
        "status": ["won", "lost", "open"], "closed_date": ["2024-02-20", "2024-01-20", None]})
    hist = pd.DataFrame([("A", "lead", "2024-01-01"), ("A", "qualified", "2024-01-05"), ("A", "proposal", "2024-02-01"),
                         ("A", "negotiation", "2024-02-10"), ("A", "won", "2024-02-20"), ("B", "lead", "2024-01-02"),
                         ("B", "lost", "2024-01-20"), ("C", "lead", "2024-01-03"), ("C", "qualified", "2024-01-08")],
                        columns=["opportunity_id", "stage", "entered_date"])
    # On 2024-01-10: A at qualified (0.25 · 1000 = 250), B at lead (0.10 · 500 = 50); C closes in March.
    out = forecast_vs_actual(opps, hist, "2024-01-10", "2024-02-01", "2024-02-29")
    assert out["open_deals"] == 2 and out["forecast"] == pytest.approx(300.0)
    assert out["actual"] == 1000.0 and out["won_deals"] == 1 and out["error"] == pytest.approx(700.0)


def test_bad_inputs(opportunities, history):
    with pytest.raises(CrmlabInputError, match="expected_close"):
        weighted_forecast(opportunities.drop(columns="expected_close"))
    bad = opportunities.assign(stage=opportunities["stage"].replace("lead", "leed"))
    with pytest.raises(CrmlabInputError, match="leed"):
        weighted_forecast(bad)
    with pytest.raises(CrmlabInputError, match="negative"):
        weighted_forecast(opportunities.assign(amount=-opportunities["amount"]))
    with pytest.raises(CrmlabInputError, match="0.75"):
        weighted_forecast(opportunities, probabilities={"lead": 10, "qualified": 25, "proposal": 50,
                                                        "negotiation": 75, "won": 100})
    with pytest.raises(CrmlabInputError, match="empty"):
        weighted_forecast(opportunities.iloc[:0])
    with pytest.raises(CrmlabInputError, match="unknown label"):
        stage_conversion(history.assign(stage="closed"))
    with pytest.raises(CrmlabInputError, match="entered_date"):
        cycle_time(history.drop(columns="entered_date"))
    with pytest.raises(CrmlabInputError, match="missing date"):
        stage_durations(history.assign(entered_date=None))
    with pytest.raises(CrmlabInputError, match="unknown label"):
        win_rate(opportunities.assign(status="pending"))
    with pytest.raises(CrmlabInputError, match="DataFrame"):
        win_rate(opportunities["status"])


def test_quality_chart_draws_before_and_after_in_percent():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from crmlab.plot.operations import quality_chart

    table = pd.DataFrame({"before": [0.5, 0.9, 0.8], "after": [0.75, 0.9, 1.0]},
                         index=pd.Index(["completeness", "validity", "uniqueness"], name="measure"))
    ax = quality_chart(table)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [50.0, 75.0, 80.0, 90.0, 90.0, 100.0]  # shares × 100
    plt.close(ax.figure)


def test_quality_chart_rejects_a_table_without_the_measures():
    import pandas as pd
    import pytest

    from crmlab.plot.operations import quality_chart
    from crmlab.validation import CrmlabInputError

    with pytest.raises(CrmlabInputError, match="before_after"):
        quality_chart(pd.DataFrame({"before": [1.0], "after": [1.0]}, index=["records"]))
