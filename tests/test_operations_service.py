"""Service times, service levels, Haier's three controls and the service–churn link (lesson 17), by hand."""
import numpy as np
import pandas as pd
import pytest

from crmlab.operations import service_churn_link, service_experience, service_level, service_times, three_controls
from crmlab.validation import CrmlabInputError


@pytest.fixture
def tickets():
    return pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4"],
        "account_id": ["A1", "A2", "A2", "A3"],
        "opened_at": ["2024-01-01 09:00:00", "2024-01-01 12:00:00", "2024-01-02 08:00:00", "2024-01-03 00:00:00"],
        "first_response_at": ["2024-01-01 10:00:00", "2024-01-01 18:00:00", "2024-01-02 08:30:00", None],
        "resolved_at": ["2024-01-02 09:00:00", "2024-01-04 12:00:00", None, None],
        "kind": ["complaint", "inquiry", "complaint", "repair"],
        "recorded": [True, True, False, True],
        "satisfied": pd.array([True, False, None, None], dtype="boolean"),
    }).set_index("ticket_id")


def test_service_times_hand_case(tickets):
    # T1: 1 h to answer, 24 h to resolve; T2: 6 h, 72 h; T3: 0.5 h, open; T4: not answered yet.
    t = service_times(tickets)
    np.testing.assert_allclose(t["response_hours"], [1.0, 6.0, 0.5, np.nan])
    np.testing.assert_allclose(t["resolution_hours"], [24.0, 72.0, np.nan, np.nan])
    assert t.index.equals(tickets.index)


def test_service_level_hand_case(tickets):
    # Targets 4 h / 48 h. Answered in time: T1, T3 → 2/4. Resolved in time: T1 → 1/4 (open tickets count as late).
    out = service_level(tickets, 4, 48)
    assert out.loc["all", "tickets"] == 4
    assert out.loc["all", "response_within"] == 0.5 and out.loc["all", "resolution_within"] == 0.25
    assert out.loc["all", "median_response_hours"] == 1.0        # median of 1, 6, 0.5
    assert out.loc["all", "median_resolution_hours"] == 48.0     # median of 24, 72
    by_kind = service_level(tickets, 4, 48, by="kind")
    assert by_kind.loc["complaint", "response_within"] == 1.0 and by_kind.loc["inquiry", "response_within"] == 0.0


def test_three_controls_hand_case(tickets):
    # 2 complaints / 10 customers = 0.2; 1 unrecorded / 4 requests = 0.25; 1 dissatisfied / 2 surveyed = 0.5.
    out = three_controls(tickets, customers=10)
    assert out["complaint_rate"] == 0.2 and out["complaints"] == 2
    assert out["omission_rate"] == 0.25 and out["unrecorded"] == 1
    assert out["dissatisfaction_rate"] == 0.5 and out["surveyed"] == 2


def test_three_controls_accepts_object_flags(tickets):
    raw = tickets.assign(satisfied=pd.Series([1, 0, None, None], index=tickets.index, dtype=object))
    assert three_controls(raw, customers=4)["dissatisfaction_rate"] == 0.5


def test_service_churn_link_hand_case(tickets):
    churned = pd.Series([False, True, False, True, False], index=pd.Index(["A1", "A2", "A3", "A4", "A5"]))
    # A1 complained (satisfied), A2 dissatisfied, A3 served (repair), A4 & A5 no request.
    groups = service_experience(tickets, churned.index)
    assert groups.astype(str).tolist() == ["complained", "dissatisfied", "served", "no_request", "no_request"]
    out = service_churn_link(tickets, churned)
    assert out["customers"].tolist() == [2, 1, 1, 1]
    np.testing.assert_allclose(out["churn_rate"], [0.5, 0.0, 0.0, 1.0])
    # Overall churn 2/5 = 0.4: lift of dissatisfied = 1.0 / 0.4 = 2.5.
    assert out.loc["dissatisfied", "lift"] == pytest.approx(2.5)
    # Up to 2024-01-01 23:59 only T1 and T2 were opened; A3's repair (01-03) no longer counts, so A3 → no_request.
    early = service_churn_link(tickets, churned, until="2024-01-01 23:59:59")
    assert early["customers"].tolist() == [3, 0, 1, 1]


def test_bad_inputs(tickets):
    with pytest.raises(CrmlabInputError, match="before the ticket was opened"):
        service_times(tickets.assign(first_response_at="2023-12-31 00:00:00"))
    with pytest.raises(CrmlabInputError, match="opened_at"):
        service_times(tickets.assign(opened_at="yesterday"))
    with pytest.raises(CrmlabInputError, match="resolved_at"):
        service_times(tickets.drop(columns="resolved_at"))
    with pytest.raises(CrmlabInputError, match="response_target"):
        service_level(tickets, response_target=-1)
    with pytest.raises(CrmlabInputError, match="customers"):
        three_controls(tickets, customers=0)
    with pytest.raises(CrmlabInputError, match="True/False"):
        three_controls(tickets.assign(satisfied="maybe"), customers=5)
    # Issue 17: a typed yes/no (either language) is read as the boolean it says.
    assert three_controls(tickets.assign(satisfied="yes"), customers=5)["dissatisfied"] == 0
    assert three_controls(tickets.assign(satisfied="否"), customers=5)["dissatisfied"] == len(tickets)
    with pytest.raises(CrmlabInputError, match="recorded"):
        three_controls(tickets.assign(recorded=None), customers=5)
    with pytest.raises(CrmlabInputError, match="empty"):
        three_controls(tickets.iloc[:0], customers=5)
    with pytest.raises(CrmlabInputError, match="churned"):
        service_churn_link(tickets, [True, False])
    with pytest.raises(CrmlabInputError, match="Index"):
        service_experience(tickets, ["A1"])


def test_charts_draw_what_they_are_given(tickets):
    import matplotlib.pyplot as plt

    from crmlab.operations import weighted_forecast
    from crmlab.plot.operations import funnel_chart, service_level_chart

    levels = service_level(tickets, 4, 48, by="kind")
    ax = service_level_chart(levels, target=0.9)
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == sorted(levels["response_within"].round(6).tolist() + levels["resolution_within"].round(6).tolist())
    opps = pd.DataFrame({"stage": ["lead", "lead", "won"], "amount": [100.0, 300.0, 50.0],
                         "expected_close": ["2024-01-01"] * 3})
    ax = funnel_chart(weighted_forecast(opps))
    widths = [p.get_width() for p in ax.patches]
    assert widths == [400.0, 0.0, 0.0, 0.0, 50.0]   # lead 100 + 300; the total row is not drawn
    plt.close("all")
    with pytest.raises(CrmlabInputError, match="target"):
        service_level_chart(levels, target=90)
    with pytest.raises(CrmlabInputError, match="weighted"):
        funnel_chart(levels)
