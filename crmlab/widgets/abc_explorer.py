"""An interactive explorer for ABC cut-offs: move two sliders, see the classes and the curve.

The numbers come from :func:`abc_summary`, a pure function tested without a browser; the
widget only wires sliders to it and redraws.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.classify.abc import CLASSES, abc_classes
from crmlab.classify._checks import customer_values


def abc_summary(values: pd.Series, a_cut: float = 0.8, b_cut: float = 0.95, boundary: str = "within"
                ) -> pd.DataFrame:
    """Per ABC class: number and share of customers, value and share of value.

    Returns a DataFrame indexed by class ("A", "B", "C"; a class may be empty) with columns
    ``customers``, ``customer_share``, ``value``, ``value_share``.
    """
    series = customer_values(values, "values")
    classes = abc_classes(series, (a_cut, b_cut), boundary=boundary)
    grouped = series.groupby(classes)
    table = pd.DataFrame({"customers": grouped.size(), "value": grouped.sum()}).reindex(list(CLASSES), fill_value=0)
    table["customers"] = table["customers"].astype(np.int64)
    table["customer_share"] = table["customers"] / len(series)
    table["value_share"] = table["value"] / series.sum()
    table.index.name = "abc_class"
    return table[["customers", "customer_share", "value", "value_share"]]


def abc_explorer(values: pd.Series):
    """An ipywidgets panel: sliders for the A and B cut-offs, the class table and the Pareto chart."""
    import ipywidgets as widgets

    from crmlab.classify.labels import name_map
    from crmlab.plot.classify import pareto_chart
    from crmlab.plot.style import label
    from crmlab.widgets.panel import slider_panel

    series = customer_values(values, "values")
    a_slider = widgets.FloatSlider(value=0.8, min=0.05, max=0.99, step=0.01, description=label("A up to", "A 类至"),
                                   readout_format=".0%")
    b_slider = widgets.FloatSlider(value=0.95, min=0.06, max=1.0, step=0.01, description=label("B up to", "B 类至"),
                                   readout_format=".0%")

    def keep_order() -> None:
        # Keep the cut-offs increasing so the pure function never sees an invalid pair.
        if b_slider.value <= a_slider.value:
            b_slider.value = min(1.0, a_slider.value + 0.01)

    def render():
        cuts = (a_slider.value, b_slider.value)
        table = abc_summary(series, *cuts).round(3).rename(columns=name_map("header"))  # Chinese headers in Chinese
        return table, pareto_chart(series, cuts)

    return slider_panel([a_slider, b_slider], render, before=keep_order)
