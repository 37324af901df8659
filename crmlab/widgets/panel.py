"""The one layout every explorer uses: sliders on top; a table and a chart below, redrawn on change."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt


def slider_panel(sliders: Sequence[Any], render: Callable[[], tuple[Any, plt.Axes | None]],
                 before: Callable[[], None] | None = None):
    """Wire ``sliders`` to ``render() -> (table, axes)`` and return the panel (an ipywidgets VBox).

    ``before()`` may correct slider values before each redraw (e.g. keep two cut-offs in order).
    The table and chart are written into the Output widget's state rather than displayed inside
    ``with output:``, so they stay inside the widget where no front end routes captured
    messages (a notebook executed by nbclient or nbval) as well as in JupyterLab.
    """
    import ipywidgets as widgets

    output = widgets.Output()

    def redraw(_change: Any = None) -> None:
        if before is not None:
            before()
        table, ax = render()
        output.outputs = ()
        if table is not None:
            output.append_display_data(table)
        if ax is not None:
            output.append_display_data(ax.figure)
            # Shown already; closing keeps pyplot from piling up a figure per slider move.
            plt.close(ax.figure)

    for slider in sliders:
        if hasattr(slider.style, "description_width"):
            slider.style.description_width = "initial"  # show the whole label, not "Stay any…"
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(sliders)), output])
