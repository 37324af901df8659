"""What-if explorer for a tiered loyalty programme (忠诚计划): breakage, loyal-anyway customers, point cost.

:func:`programme_summary` is the pure function behind it (tested without a browser); the widget
wires three sliders to :func:`crmlab.loyalty.simulate_programme` and redraws the chart.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.validation import require_frame


def programme_summary(simulation: pd.DataFrame) -> pd.DataFrame:
    """Totals of a :func:`~crmlab.loyalty.simulate_programme` run, one row: programme_cost, extra_margin
    (margin on the revenue the programme added), net (extra_margin − programme_cost) and payback_period
    (the first period from which the running net stays above 0; NaN if it never does).
    """
    require_frame(simulation, "simulation", ["programme_cost", "incremental_margin", "cumulative_net"])
    cost = float(simulation["programme_cost"].sum())
    net_path = simulation["cumulative_net"]
    net = float(net_path.iloc[-1])
    if net <= 0:
        payback = np.nan
    else:
        not_yet = net_path.index[net_path <= 0]
        payback = float(not_yet.max() + 1) if len(not_yet) else float(net_path.index[0])
    return pd.DataFrame({"programme_cost": [cost], "extra_margin": [net + cost], "net": [net],
                         "payback_period": [payback]}, index=pd.Index(["programme"], name="run"))


def programme_explorer(periods: int = 24, n_members: int = 5_000, seed: int = 1):
    """An ipywidgets panel: redemption rate, retention without the programme and point cost → the programme's net."""
    import ipywidgets as widgets

    from crmlab.loyalty import simulate_programme
    from crmlab.plot.loyalty import programme_chart
    from crmlab.plot.style import label
    from crmlab.widgets.panel import slider_panel

    redemption = widgets.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.05, readout_format=".0%",
                                     description=label("Redeemed", "兑换率"))
    retention = widgets.FloatSlider(value=0.85, min=0.5, max=0.95, step=0.01, readout_format=".0%",
                                    description=label("Stay anyway", "基础保持率"))
    point_value = widgets.FloatSlider(value=0.01, min=0.0, max=0.05, step=0.005, readout_format=".3f",
                                      description=label("Point cost", "每分成本"))

    def render():
        simulation = simulate_programme(n_members, periods, redemption_rate=redemption.value,
                                        base_retention=retention.value, point_value=point_value.value,
                                        new_members=n_members // 20, seed=seed)
        return programme_summary(simulation).round(1), programme_chart(simulation)

    return slider_panel([redemption, retention, point_value], render)
