"""Managing expectations (管理顾客期望): raise the promise, win more first buyers, lose satisfaction and repurchase.

The course: a higher expectation attracts buyers (提高期望值有利于吸引顾客购买); set it too
low and satisfaction is high but sales are small (期望值定的太低，顾客满意度高，但销量小);
set it too high and satisfaction falls and few buy again (期望值定的太高，顾客满意度低，
顾客重复购买的少). :func:`expectation_outcomes` is the pure model; :func:`expectation_explorer`
wires two sliders to it.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.satisfaction.ratio import satisfaction_level
from crmlab.validation import CrmlabInputError


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
        raise CrmlabInputError(tr(f"{name} must be a positive number, got {value!r}.",
                                  f"{name} 必须是正数，实际是 {value!r}。"))
    return float(value)


def expectation_outcomes(
    expectation: float | Sequence[float],
    performance: float = 7.0,
    market: int = 1000,
    attraction: float = 0.9,
    midpoint: float = 6.0,
    loyalty: float = 6.0,
    band: tuple[float, float] = (0.95, 1.05),
) -> pd.DataFrame:
    """First buyers, satisfaction C = b/a and repeat buyers for each promised expectation level a.

    Model (one period of trial, one of repurchase):
        first buyers   F(a) = market / (1 + exp(−attraction · (a − midpoint)))
        satisfaction   C(a) = performance / a                       (C = b / a)
        repurchase     r(a) = 1 / (1 + exp(−loyalty · (C − 1)))
        repeat buyers  R(a) = F(a) · r(a);  total purchases = F + R.
    Raising a wins trial but lowers C and r; total purchases peak at an intermediate
    promise near what the product can deliver.

    Returns a DataFrame indexed by expectation: first_buyers, satisfaction, level
    (dissatisfied/ordinary/satisfied), repurchase_rate, repeat_buyers, total_purchases.
    """
    a = np.atleast_1d(np.asarray(expectation, dtype=float))
    if a.size == 0 or not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise CrmlabInputError(tr(f"expectation must be positive numbers, got {expectation!r}.",
                                  f"expectation 必须是正数，实际是 {expectation!r}。"))
    b = _positive(performance, "performance")
    n = _positive(market, "market")
    k, m, s = _positive(attraction, "attraction"), _positive(midpoint, "midpoint"), _positive(loyalty, "loyalty")
    first = n / (1 + np.exp(-k * (a - m)))
    c = b / a
    repurchase = 1 / (1 + np.exp(-s * (c - 1)))
    index = pd.Index(a, name="expectation")
    out = pd.DataFrame({
        "first_buyers": first,
        "satisfaction": c,
        "level": satisfaction_level(pd.Series(c, index=index), band).to_numpy(),
        "repurchase_rate": repurchase,
        "repeat_buyers": first * repurchase,
    }, index=index)
    out["total_purchases"] = out["first_buyers"] + out["repeat_buyers"]
    return out


def best_expectation(performance: float = 7.0, grid: Sequence[float] | None = None, **model) -> float:
    """The promised level on ``grid`` (default 1–10 by 0.1) that maximises total purchases."""
    grid = np.round(np.arange(1.0, 10.01, 0.1), 1) if grid is None else grid
    table = expectation_outcomes(grid, performance, **model)
    return float(table["total_purchases"].idxmax())


def expectation_explorer(performance: float = 7.0, market: int = 1000):
    """An ipywidgets panel: sliders for the promised expectation and the delivered performance."""
    import ipywidgets as widgets

    from crmlab.plot.satisfaction import expectation_chart
    from crmlab.plot.style import label
    from crmlab.widgets.panel import slider_panel

    a_slider = widgets.FloatSlider(value=6.0, min=1.0, max=10.0, step=0.1, description=label("promise a", "期望 a"))
    b_slider = widgets.FloatSlider(value=performance, min=1.0, max=10.0, step=0.1,
                                   description=label("delivered b", "感知 b"))

    def render():
        from crmlab.satisfaction.labels import localise

        table = localise(expectation_outcomes(a_slider.value, b_slider.value, market).round(3))
        return table, expectation_chart(b_slider.value, a_slider.value, market=market)

    return slider_panel([a_slider, b_slider], render)
