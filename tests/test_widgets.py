"""Widget logic without a browser, and that each explorer builds its panel (table + chart)."""
import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from crmlab.validation import CrmlabInputError
from crmlab.widgets.abc_explorer import abc_explorer
from crmlab.widgets.clv_explorer import clv_explorer
from crmlab.widgets.expectation import expectation_explorer
from crmlab.widgets.ipa_explorer import ipa_explorer, ipa_whatif
from crmlab.widgets.programme_explorer import programme_explorer, programme_summary

IMPORTANCE = pd.Series({"quality": 6.0, "price": 5.0, "service": 6.0, "range": 4.0})
SATISFACTION = pd.Series({"quality": 5.0, "price": 5.0, "service": 4.0, "range": 6.0})


def test_ipa_whatif_moves_an_attribute_out_of_concentrate():
    # Grand means: importance (6+5+6+4)/4 = 5.25; satisfaction (5+5+4+6)/4 = 5.0.
    # service: importance 6 >= 5.25, satisfaction 4 < 5 -> concentrate here.
    before = ipa_whatif(IMPORTANCE, SATISFACTION, "service", 0.0)
    assert before.loc["service", "quadrant"] == "concentrate"
    # +2 -> service 6; new satisfaction mean (5+5+6+6)/4 = 5.5; 6 >= 5.5 -> keep up the good work.
    after = ipa_whatif(IMPORTANCE, SATISFACTION, "service", 2.0)
    assert after.loc["service", "quadrant"] == "keep_up"
    # The mean cut moved with it: quality (5 < 5.5, importance 6) is now the one to concentrate on.
    assert after.attrs["satisfaction_cut"] == pytest.approx(5.5)
    assert after.loc["quality", "quadrant"] == "concentrate"
    assert SATISFACTION["service"] == 4.0  # the caller's data is not changed


def test_ipa_whatif_midpoint_cut_does_not_move():
    # Scale 1–7: midpoint (1+7)/2 = 4 for both axes, whatever the improvement.
    table = ipa_whatif(IMPORTANCE, SATISFACTION, "service", 1.0, cut="midpoint", scale=(1, 7))
    assert table.attrs["satisfaction_cut"] == 4.0
    assert table.loc["range", "quadrant"] == "keep_up"  # importance 4 >= 4 counts as high


def test_ipa_whatif_rejects_unknown_attribute():
    with pytest.raises(CrmlabInputError, match="attribute must be one of"):
        ipa_whatif(IMPORTANCE, SATISFACTION, "parking", 1.0)


@pytest.mark.parametrize("make", [
    lambda: abc_explorer(pd.Series([50.0, 30, 10, 5, 5])),
    lambda: expectation_explorer(),
    lambda: ipa_explorer(IMPORTANCE, SATISFACTION),
    lambda: clv_explorer(),
    lambda: programme_explorer(periods=6, n_members=200),
])
def test_explorers_show_a_table_and_a_chart_and_redraw(make):
    panel = make()
    controls, output = panel.children
    # Outside a kernel only the text forms exist: the table's text, then the figure's.
    texts = [o["data"]["text/plain"] for o in output.outputs]
    assert len(texts) == 2 and "Figure" in texts[1] and "Figure" not in texts[0]
    slider = next(c for c in controls.children if hasattr(c, "max"))
    slider.value = slider.max
    assert len(output.outputs) == 2


def test_programme_summary_by_hand():
    # Costs 10 + 10 + 10 = 30; running net −5, −2, +4 → net 4, extra margin 4 + 30 = 34;
    # the net is last at or below 0 in period 2, so the programme pays back from period 3.
    simulation = pd.DataFrame({"programme_cost": [10.0, 10.0, 10.0], "incremental_margin": [-5.0, 3.0, 6.0],
                               "cumulative_net": [-5.0, -2.0, 4.0]}, index=pd.Index([1, 2, 3], name="period"))
    summary = programme_summary(simulation).iloc[0]
    assert summary.tolist() == [30.0, 34.0, 4.0, 3.0]


def test_programme_summary_never_pays_back():
    simulation = pd.DataFrame({"programme_cost": [5.0, 5.0], "incremental_margin": [-5.0, -1.0],
                               "cumulative_net": [-5.0, -6.0]}, index=[1, 2])
    assert pd.isna(programme_summary(simulation).iloc[0]["payback_period"])
