"""An interactive CLV explorer: margin, retention and discount sliders → lifetime value.

The numbers come from :func:`clv_overview`, a pure function tested without a browser; the
widget only wires sliders to it and redraws.
"""
from __future__ import annotations

import pandas as pd

from crmlab.loyalty.clv import TIMINGS, clv_by_period, simple_clv
from crmlab.loyalty.measures import expected_lifetime


def clv_overview(margin: float, retention: float, discount: float, periods: int = 10) -> pd.DataFrame:
    """Customer lifetime value under each payment timing, infinite and over ``periods`` (客户终身价值对比).

    Returns a DataFrame indexed by timing ("start", "end", "retained") with columns
    infinite_clv, finite_clv (first ``periods`` payments), and expected_lifetime (1/(1−r) periods,
    the same for all rows).
    """
    rows = {}
    for timing in TIMINGS:
        rows[timing] = {
            "infinite_clv": simple_clv(margin, retention, discount, timing=timing),
            "finite_clv": float(clv_by_period(margin, retention, discount, periods, timing)["cumulative_value"].iloc[-1]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "timing"
    table["expected_lifetime"] = expected_lifetime(retention) if retention < 1 else float("inf")
    return table


def clv_explorer(margin: float = 100.0, retention: float = 0.8, discount: float = 0.1, periods: int = 10):
    """An ipywidgets panel: sliders for margin, retention and discount; the CLV table and cumulative value."""
    import ipywidgets as widgets

    from crmlab.plot.loyalty import clv_timing_chart
    from crmlab.plot.style import label
    from crmlab.widgets.panel import slider_panel

    m = widgets.FloatSlider(value=margin, min=10, max=1000, step=10, description=label("Margin", "毛利"))
    r = widgets.FloatSlider(value=retention, min=0.0, max=0.99, step=0.01, description=label("Retention", "保持率"),
                            readout_format=".0%")
    d = widgets.FloatSlider(value=discount, min=0.01, max=0.3, step=0.01, description=label("Discount", "折现率"),
                            readout_format=".0%")

    def render():
        table = clv_overview(m.value, r.value, d.value, periods).round(2)
        return table, clv_timing_chart(m.value, r.value, d.value, periods)

    return slider_panel([m, r, d], render)
