"""Classification charts draw what they claim, and the ABC explorer's logic works without a browser."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab.classify import profit_pyramid, value_tiers  # noqa: E402
from crmlab.plot.classify import pareto_chart, pyramid_chart, rfm_heatmap  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402
from crmlab.widgets.abc_explorer import abc_explorer, abc_summary  # noqa: E402

SEVEN = pd.Series([50.0, 20, 10, 8, 5, 4, 3], index=list("abcdefg"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_pareto_chart_marks_cutoffs_and_classes():
    ax = pareto_chart(SEVEN)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    # a, b, c are A (3 of 7 = 43 %), d, e are B, f, g are C.
    assert labels == ["A: 3 (43 %)", "B: 2 (29 %)", "C: 2 (29 %)"]
    assert {round(line.get_ydata()[0]) for line in ax.lines if len(line.get_ydata()) == 2} >= {80, 95}


def test_rfm_heatmap_counts_customers_per_cell():
    scores = pd.DataFrame({"R": [5, 5, 1], "F": [5, 5, 2], "monetary": [10.0, 30.0, 7.0]})
    ax = rfm_heatmap(scores)
    grid = ax.images[0].get_array()
    assert grid[0, 4] == 2 and grid[4, 1] == 1 and grid.sum() == 3  # row 0 is R = 5
    money = rfm_heatmap(scores, value="monetary", ax=plt.subplots()[1]).images[0].get_array()
    assert money[0, 4] == 40.0
    with pytest.raises(CrmlabInputError, match="value"):
        rfm_heatmap(scores, value="profit")


def test_pyramid_chart_labels_each_tier():
    tiers = value_tiers(pd.Series(np.arange(100.0)))
    texts = [t.get_text() for t in pyramid_chart(tiers).texts]
    assert texts == ["VIP: 1 (1%)", "major: 19 (19%)", "ordinary: 30 (30%)", "small: 50 (50%)"]
    profit = profit_pyramid(pd.Series([-1.0] + list(range(1, 20)), dtype=float))
    assert [t.get_text().split(":")[0] for t in pyramid_chart(profit).texts] == ["platinum", "gold", "iron", "lead"]
    with pytest.raises(CrmlabInputError, match="order"):
        pyramid_chart(pd.Series(["x", "y"]))


def test_abc_summary_by_hand():
    table = abc_summary(SEVEN, 0.8, 0.95)
    assert table["customers"].tolist() == [3, 2, 2]
    assert table["value_share"].tolist() == pytest.approx([0.80, 0.13, 0.07])
    # Raising the A cut-off to 90 % pulls d (through-share 88 %) into A.
    assert abc_summary(SEVEN, 0.9, 0.95)["customers"].tolist() == [4, 1, 2]
    # A class can be empty: the row is still there with zeros.
    assert abc_summary(SEVEN, 0.3, 0.95).loc["A", "customers"] == 0
    with pytest.raises(CrmlabInputError, match="cutoffs"):
        abc_summary(SEVEN, 0.9, 0.8)


def test_abc_explorer_builds_a_widget():
    panel = abc_explorer(SEVEN)
    a_slider, b_slider = panel.children[0].children
    b_slider.value = 0.97
    a_slider.value = 0.99  # b must stay above a: the widget moves it rather than failing
    assert b_slider.value > a_slider.value or b_slider.value == 1.0
