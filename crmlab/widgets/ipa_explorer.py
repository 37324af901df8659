"""What-if explorer for the importance–satisfaction matrix: improve one attribute, watch it move.

:func:`ipa_whatif` is the pure function behind it (tested without a browser); the widget wires
a drop-down, a slider and the cut-line choice to it and redraws the matrix.
"""
from __future__ import annotations

import pandas as pd

from crmlab.satisfaction.ipa import importance_satisfaction
from crmlab.validation import require_choice, require_numeric


def ipa_whatif(importance: pd.Series, satisfaction: pd.Series, attribute: str, improvement: float,
               cut: str = "mean", scale: tuple[int, int] | None = None) -> pd.DataFrame:
    """The importance–satisfaction matrix after raising ``attribute``'s satisfaction by ``improvement``.

    With ``cut="mean"`` the cut line is the grand mean of satisfaction, so improving one attribute
    also moves the line: the quadrants are relative to the other attributes, not absolute.
    Returns :func:`crmlab.satisfaction.importance_satisfaction`'s table.
    """
    satisfaction = require_numeric(satisfaction, "satisfaction")
    require_choice(attribute, "attribute", list(satisfaction.index))
    improvement = float(require_numeric(pd.Series([improvement]), "improvement").iloc[0])
    improved = satisfaction.astype(float).copy()
    improved[attribute] += improvement
    return importance_satisfaction(importance, improved, cut=cut, scale=scale)


def ipa_explorer(importance: pd.Series, satisfaction: pd.Series, scale: tuple[int, int] = (1, 7)):
    """An ipywidgets panel: pick an attribute, raise its satisfaction, switch the cut lines."""
    import ipywidgets as widgets

    from crmlab.plot.satisfaction import ipa_chart
    from crmlab.plot.style import label
    from crmlab.widgets.panel import slider_panel

    from crmlab.satisfaction.labels import localise, name

    attribute = widgets.Dropdown(options=[(label(str(a), str(name(a))), a) for a in satisfaction.index],
                                 description=label("Attribute", "属性"))
    improvement = widgets.FloatSlider(value=0.0, min=0.0, max=2.0, step=0.1, description=label("Improve by", "提升"))
    cut = widgets.ToggleButtons(options=[(label("grand mean", "总均值"), "mean"), (label("scale midpoint", "量表中点"),
                                                                                 "midpoint")], value="mean")

    def render():
        table = ipa_whatif(importance, satisfaction, attribute.value, improvement.value, cut.value, scale)
        return localise(table.round(2)), ipa_chart(table)

    return slider_panel([attribute, improvement, cut], render)
