"""The course's chart style: a colour-blind-safe palette, readable sizes, bilingual labels.

Chinese labels need a CJK font. :func:`cjk_font` finds one among the fonts matplotlib
knows (Debian's ``fonts-noto-cjk`` installs Noto Sans CJK); when none is found, labels fall
back to English with a one-line notice instead of drawing empty boxes.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager

from crmlab.i18n import get_language

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
}
CYCLE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#7F7F7F"]

_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback",
)
_notice = {"shown": False}


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese characters, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    return None


def chinese_available() -> bool:
    """True when the language is Chinese and a CJK font is installed to draw it."""
    if get_language() != "zh":
        return False
    if cjk_font() is None:
        if not _notice["shown"]:
            warnings.warn(
                "No Chinese font found (install Debian's fonts-noto-cjk); plot labels are shown in English.",
                stacklevel=3,
            )
            _notice["shown"] = True
        return False
    return True


def label(en: str, zh: str) -> str:
    """A plot label in the language in force, in English when no Chinese font can draw it."""
    return zh if chinese_available() else en


def use_style() -> None:
    """Apply the course style to every following figure (called by each chart function)."""
    families = [cjk_font()] if cjk_font() else []
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.2),
        "figure.dpi": 100,
        "axes.prop_cycle": mpl.cycler(color=CYCLE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "legend.frameon": False,
        "font.sans-serif": families + ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "crmlab",
    })


def new_axes(ax: plt.Axes | None = None, figsize: tuple[float, float] | None = None) -> plt.Axes:
    """Return ``ax`` or a fresh styled axes, so every chart function can draw into a user's subplot."""
    use_style()
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax
