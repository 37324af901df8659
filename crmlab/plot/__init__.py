"""One chart style for the course: palette, labels in English or Chinese, the course's charts.

Each track keeps its charts in its own module (``crmlab.plot.classify`` …); all of them draw
with :func:`crmlab.plot.style.label` and the palette in :mod:`crmlab.plot.style`.
"""
from crmlab.plot.style import PALETTE, cjk_font, label, new_axes, use_style

__all__ = ["PALETTE", "cjk_font", "label", "new_axes", "use_style"]
