"""The course's chart style: a colour-blind-safe palette, readable sizes, bilingual labels.

Chinese labels need a CJK font. :func:`cjk_font` finds one among the fonts matplotlib
knows (Debian's ``fonts-noto-cjk`` installs Noto Sans CJK); when none is found, labels fall
back to English with a one-line notice instead of drawing empty boxes.

Matplotlib caches its font list the first time it runs, so a CJK font installed afterwards
is invisible to it until the cache is rebuilt. :func:`cjk_font` therefore also asks
fontconfig (``fc-list :lang=zh``) and scans the system font folders, and registers any CJK
font file it finds with matplotlib for this session.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import ParamSpec, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager

from crmlab.i18n import get_language, tr

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
# Matched against lower-case font file names, to find CJK fonts on systems without fontconfig.
_CJK_FILE_HINT = re.compile(
    r"cjk|sourcehan|wqy|wenquanyi|simhei|simsun|msyh|yahei|pingfang|hiragino|stheiti|uming|ukai|droidsansfallback"
)
_notice = {"shown": False}
_inside = {"charts": 0}  # how many styled charts are drawing right now
P = ParamSpec("P")
R = TypeVar("R")


def _fontconfig_chinese_files() -> list[str]:
    """Font files that fontconfig says cover Chinese (empty when fc-list is not installed)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in listed.splitlines() if line.strip()})


def _known_family(names: set[str]) -> str | None:
    return next((family for family in _CJK_FAMILIES if family in names), None)


def _register_unseen_cjk_files() -> str | None:
    """Add CJK font files matplotlib's (possibly stale) cache misses; return a family that draws Chinese."""
    manager = font_manager.fontManager
    seen = {f.fname for f in manager.ttflist}
    fontconfig_files = _fontconfig_chinese_files()
    hinted_files = [
        path for path in font_manager.findSystemFonts()
        if _CJK_FILE_HINT.search(path.rsplit("/", 1)[-1].lower())
    ]
    for path in dict.fromkeys(fontconfig_files + hinted_files):
        if path in seen:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a font file FreeType cannot read is simply not a candidate
    known = _known_family({f.name for f in manager.ttflist})
    if known:
        return known
    # A family fontconfig vouches for covers Chinese even if it is not on our list; monospace last.
    fontconfig_set = set(fontconfig_files)
    vouched = {f.name for f in manager.ttflist if f.fname in fontconfig_set}
    ranked = sorted(vouched, key=lambda name: ("mono" in name.lower(), name))
    return ranked[0] if ranked else None


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese characters, or None.

    Looks first among the fonts in matplotlib's cache, then (for a cache built before the
    font was installed) among the files fontconfig and the system font folders hold.
    """
    known = _known_family({f.name for f in font_manager.fontManager.ttflist})
    return known or _register_unseen_cjk_files()


def chinese_available() -> bool:
    """True when the language is Chinese and a CJK font is installed to draw it."""
    if get_language() != "zh":
        return False
    if cjk_font() is None:
        if not _notice["shown"]:
            warnings.warn(
                tr(
                    "No Chinese font found (install Debian's fonts-noto-cjk); plot labels are shown in English.",
                    "未找到中文字体（请安装 Debian 的 fonts-noto-cjk）；图表标签改用英文显示。",
                ),
                stacklevel=3,
            )
            _notice["shown"] = True
        return False
    return True


def label(en: str, zh: str) -> str:
    """A plot label in the language in force, in English when no Chinese font can draw it."""
    return zh if chinese_available() else en


def course_rc() -> dict:
    """The course's matplotlib settings: palette, sizes, spines, grid, and a font that draws Chinese."""
    families = [cjk_font()] if cjk_font() else []
    return {
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
        # Named families, not the generic "sans-serif": a text keeps them after the style context ends.
        "font.family": families + ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "crmlab",
    }


def use_style() -> None:
    """Apply the course style to every following figure of this session (the charts do not need it)."""
    mpl.rcParams.update(course_rc())


def styled(chart: Callable[P, R]) -> Callable[P, R]:
    """Draw ``chart`` in the course style inside a style context, so the student's own figures keep theirs.

    The figure is drawn once before the context ends: tick labels and other lazily made texts then get
    the course's fonts too (Chinese category names would otherwise be drawn later, in the default font).
    """
    @functools.wraps(chart)
    def draw(*args: P.args, **kwargs: P.kwargs) -> R:
        _inside["charts"] += 1
        try:
            with mpl.rc_context(course_rc()):
                result = chart(*args, **kwargs)
                figure = getattr(result, "figure", None)
                if figure is not None and getattr(figure, "canvas", None) is not None:
                    figure.canvas.draw()
        finally:
            _inside["charts"] -= 1
        return result
    return draw


def new_axes(ax: plt.Axes | None = None, figsize: tuple[float, float] | None = None) -> plt.Axes:
    """Return ``ax`` or a fresh axes in the course style.

    Inside a crmlab chart the style lives in that chart's context. Called from your own code, to draw
    your own chart the course's way (Chinese labels included), it applies the style for the session:
    that is asking for it.
    """
    if _inside["charts"] == 0:
        use_style()
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax
