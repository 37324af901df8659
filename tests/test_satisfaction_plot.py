"""Satisfaction charts draw what they are given (labels, bars, arrows), in English and Chinese."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from crmlab.plot.satisfaction import expectation_chart, ipa_chart, kano_chart, nps_bar, path_diagram, servqual_chart
from crmlab.satisfaction import ECSI, ECSI_MOBI_BLOCKS, importance_satisfaction, kano_counts, load_ecsi_mobi
from crmlab.validation import CrmlabInputError


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_ipa_chart_labels_every_attribute():
    table = importance_satisfaction(pd.Series([6.0, 2.0], index=["price", "music"]), pd.Series([3.0, 6.0], index=["price", "music"]))
    ax = ipa_chart(table)
    assert {t.get_text() for t in ax.texts} == {"price", "music"}


def test_kano_chart_places_points():
    f = pd.DataFrame({"wifi": ["like", "like"], "clean": ["neutral", "neutral"]})
    d = pd.DataFrame({"wifi": ["neutral", "neutral"], "clean": ["dislike", "dislike"]})
    ax = kano_chart(kano_counts(f, d))
    offsets = ax.collections[0].get_offsets()
    assert offsets.tolist() == [[0.0, 1.0], [1.0, 0.0]]  # wifi (A): |Worse| 0, Better 1; clean (M): 1, 0


def test_path_diagram_shows_each_coefficient():
    model = ECSI.path_model(ECSI_MOBI_BLOCKS).fit(load_ecsi_mobi())
    ax = path_diagram(model)
    shown = {t.get_text() for t in ax.texts}
    assert f"{model.path_coefficients_[('QUAL', 'SAT')]:.2f}" in shown
    path_diagram(ECSI)  # the bare structure draws too


def test_nps_bar_and_servqual_chart():
    ax = nps_bar(pd.Series([10, 9, 3, 7]))
    assert "NPS = 25" in ax.get_title()
    ax = servqual_chart(pd.Series({"tangibles": 0.2, "reliability": -0.8}))
    assert [p.get_height() for p in ax.patches] == pytest.approx([0.2, -0.8])
    with pytest.raises(CrmlabInputError):
        nps_bar(pd.Series([12]))


def test_expectation_chart():
    ax = expectation_chart(7.0, 8.0)
    assert len(ax.lines) == 5


def test_chinese_titles_when_a_cjk_font_exists():
    from crmlab import set_language
    from crmlab.plot.style import cjk_font

    set_language("zh", save=False)
    try:
        ax = servqual_chart(pd.Series({"tangibles": 0.2}))
        expected = "SERVQUAL 各维度差距" if cjk_font() else "SERVQUAL gaps by dimension"
        assert ax.get_title() == expected
    finally:
        set_language("en", save=False)
