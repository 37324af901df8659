"""Charts for satisfaction: importance–satisfaction quadrants, Kano Better/Worse, index-model path
diagram, NPS bar, SERVQUAL gaps, Likert answer shares, and the expectation-management curves."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.plot.style import PALETTE, label, new_axes, styled
from crmlab.validation import CrmlabInputError, require_frame, require_series

_QUADRANT_COLOURS = {"concentrate": PALETTE["vermillion"], "keep_up": PALETTE["green"],
                     "low_priority": PALETTE["grey"], "overkill": PALETTE["orange"]}


@styled
def ipa_chart(table: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """The importance–satisfaction matrix (满意度-重要性矩阵) of :func:`crmlab.satisfaction.importance_satisfaction`."""
    from crmlab.satisfaction.ipa import QUADRANTS

    require_frame(table, "table", ["importance", "satisfaction", "quadrant"])
    ax = new_axes(ax, figsize=(6.5, 5.5))
    x_cut = table.attrs.get("satisfaction_cut", float(table["satisfaction"].mean()))
    y_cut = table.attrs.get("importance_cut", float(table["importance"].mean()))
    for quadrant, rows in table.groupby("quadrant"):
        ax.scatter(rows["satisfaction"], rows["importance"], s=60, color=_QUADRANT_COLOURS[quadrant],
                   label=label(QUADRANTS.loc[quadrant, "en"], QUADRANTS.loc[quadrant, "zh"]), zorder=3)
    for name, row in table.iterrows():
        ax.annotate(label(str(name), str(_zh_name(name))), (row["satisfaction"], row["importance"]), xytext=(4, 4),
                    textcoords="offset points",
                    fontsize=9)
    ax.axvline(x_cut, color=PALETTE["grey"], lw=1)
    ax.axhline(y_cut, color=PALETTE["grey"], lw=1)
    ax.set_xlabel(label("Satisfaction (performance)", "满意度（表现）"))
    ax.set_ylabel(label("Importance", "重要性"))
    ax.set_title(label("Importance–satisfaction matrix", "满意度-重要性矩阵"))
    ax.legend(loc="best", fontsize=8)
    return ax


def _zh_name(key):
    """A data label (attribute, Kano feature, item) in Chinese, from :mod:`crmlab.satisfaction.labels`."""
    from crmlab.satisfaction.labels import NAMES_ZH

    return NAMES_ZH.get(key, key) if isinstance(key, str) else key


def _label_offsets(x: pd.Series, y: pd.Series, near: float = 0.06) -> dict:
    """Label offsets (points) that stack the names of points closer than ``near`` instead of overprinting them."""
    offsets, placed = {}, []
    for name in y.sort_values(ascending=False).index:
        crowd = sum(abs(x[name] - px) < near and abs(y[name] - py) < near for px, py in placed)
        offsets[name] = (6, 4 - 11 * crowd)
        placed.append((x[name], y[name]))
    return offsets


@styled
def kano_chart(counts: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Better/Worse scatter (Timko): |Worse| on x, Better on y, quadrants at 0.5, from :func:`kano_counts`."""
    require_frame(counts, "counts", ["better", "worse"])
    ax = new_axes(ax, figsize=(6, 5.5))
    x, y = counts["worse"].abs(), counts["better"]
    colours = {"A": PALETTE["green"], "O": PALETTE["blue"], "M": PALETTE["vermillion"], "I": PALETTE["grey"],
               "R": PALETTE["purple"], "Q": PALETTE["yellow"]}
    cats = counts["category"] if "category" in counts else pd.Series("I", index=counts.index)
    ax.scatter(x, y, s=60, c=[colours[c] for c in cats], zorder=3)
    for name, offset in _label_offsets(x, y).items():
        ax.annotate(label(str(name), str(_zh_name(name))), (x[name], y[name]), xytext=offset, textcoords="offset points",
                    fontsize=9)
    ax.axvline(0.5, color=PALETTE["grey"], lw=1)
    ax.axhline(0.5, color=PALETTE["grey"], lw=1)
    for (tx, ty, en, zh) in [(0.25, 0.95, "Attractive (A)", "魅力质量 A"), (0.75, 0.95, "One-dimensional (O)", "期望质量 O"),
                             (0.75, 0.45, "Must-be (M)", "当然质量 M"), (0.25, 0.45, "Indifferent (I)", "无差异 I")]:
        ax.text(tx, ty, label(en, zh), ha="center", fontsize=9, color=PALETTE["grey"], transform=ax.transAxes)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(label("|Worse|: dissatisfaction if absent", "|Worse|：缺失时的不满程度"))
    ax.set_ylabel(label("Better: satisfaction if present", "Better：具备时的满意程度"))
    ax.set_title(label("Kano Better–Worse diagram", "卡诺 Better–Worse 图"))
    return ax


# The usual drawing of the national index models (Fornell et al. 1996; Tenenhaus et al. 2005, Fig. 1):
# causes on the left, satisfaction in the middle, consequences on the right.
_INDEX_LAYOUT = {"IMAG": (0.0, 1.5), "EXPE": (0.0, 0.0), "QUAL": (0.0, -1.5), "VAL": (1.5, -1.5),
                 "SAT": (2.4, 0.0), "COMP": (3.8, 1.0), "LOY": (3.8, -1.0)}


def _layered_layout(constructs: list[str], pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Constructs in causal layers (longest path from a source), stacked within a layer."""
    layer = {c: 0 for c in constructs}
    for _ in constructs:  # longest-path layering; a recursive model settles in ≤ len(constructs) rounds
        for s, d in pairs:
            layer[d] = max(layer[d], layer[s] + 1)
    by_layer: dict[int, list[str]] = {}
    for c in constructs:
        by_layer.setdefault(layer[c], []).append(c)
    return {c: (1.3 * lx, 1.5 * ((len(members) - 1) / 2 - k))
            for lx, members in by_layer.items() for k, c in enumerate(members)}


def _passes_near(p0: tuple[float, float], p1: tuple[float, float], points, radius: float = 0.45) -> bool:
    """Whether the segment p0–p1 passes within ``radius`` of any of ``points`` (a box it would cross)."""
    a, b = np.asarray(p0), np.asarray(p1)
    for q in points:
        t = np.clip(np.dot(np.asarray(q) - a, b - a) / np.dot(b - a, b - a), 0, 1)
        if 0 < t < 1 and np.linalg.norm(a + t * (b - a) - np.asarray(q)) < radius:
            return True
    return False


@styled
def path_diagram(model, ax: plt.Axes | None = None) -> plt.Axes:
    """Path diagram of a fitted :class:`PathModel` (or an :class:`IndexModel`): causes left, outcomes right, arrows with coefficients.

    The constructs of the national index models (IMAG, EXPE, QUAL, VAL, SAT, COMP, LOY) take
    their customary places; other models are drawn in causal layers. An arrow that would
    cross another box is bent around it.
    """
    from crmlab.satisfaction.index_models import CONSTRUCT_NAMES

    if hasattr(model, "path_coefficients_"):
        coefs = model.path_coefficients_
        r2 = model.r2_
    else:
        coefs = pd.Series(np.nan, index=pd.MultiIndex.from_tuples(list(model.paths)))
        r2 = pd.Series(dtype=float)
    pairs = list(coefs.index)
    constructs = list(dict.fromkeys(c for p in pairs for c in p))
    if all(c in _INDEX_LAYOUT for c in constructs):
        pos = {c: _INDEX_LAYOUT[c] for c in constructs}
    else:
        pos = _layered_layout(constructs, pairs)
    ax = new_axes(ax, figsize=(9, 5.2))
    ax.grid(False)
    ax.set_axis_off()
    for (s, d), value in coefs.items():
        (x0, y0), (x1, y1) = pos[s], pos[d]
        others = [pos[c] for c in constructs if c not in (s, d)]
        rad = 0.35 if _passes_near(pos[s], pos[d], others) else 0.0
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "color": PALETTE["blue"], "shrinkA": 24, "shrinkB": 24,
                                "connectionstyle": f"arc3,rad={rad}",
                                "lw": 1 + (3 * abs(value) if np.isfinite(value) else 0)})
        if np.isfinite(value):
            # the midpoint of the (possibly bent) arrow: arc3 bends by rad/2 of the chord, to its right
            mx, my = (x0 + x1) / 2 + rad / 2 * (y1 - y0), (y0 + y1) / 2 - rad / 2 * (x1 - x0)
            ax.text(mx, my, f"{value:.2f}", ha="center", va="center", fontsize=9, color=PALETTE["blue"],
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    for c, (x, y) in pos.items():
        if c in CONSTRUCT_NAMES.index:
            name = label(CONSTRUCT_NAMES.loc[c, "en"].replace(" ", "\n", 1), CONSTRUCT_NAMES.loc[c, "zh"])
        else:
            name = c
        text = name + (f"\nR²={r2[c]:.2f}" if c in r2.index else "")
        ax.text(x, y, text, ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#EAF2FA", "edgecolor": PALETTE["blue"]})
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    name = getattr(model, "name", None)
    ax.set_title(label(f"{name} — satisfaction index model" if name else "Satisfaction index model",
                       getattr(model, "name_zh", "顾客满意度指数模型")))
    return ax


@styled
def nps_bar(scores: pd.Series, ax: plt.Axes | None = None) -> plt.Axes:
    """One stacked bar of detractors / passives / promoters with the NPS in the title."""
    from crmlab.satisfaction.survey import nps, nps_groups

    groups = nps_groups(require_series(scores, "scores"))
    shares = groups.value_counts(normalize=True).reindex(["detractor", "passive", "promoter"], fill_value=0)
    ax = new_axes(ax, figsize=(7, 2.2))
    left = 0.0
    names = {"detractor": ("Detractors 0–6", "贬损者 0–6"), "passive": ("Passives 7–8", "被动者 7–8"),
             "promoter": ("Promoters 9–10", "推荐者 9–10")}
    colours = {"detractor": PALETTE["vermillion"], "passive": PALETTE["grey"], "promoter": PALETTE["green"]}
    for group, share in shares.items():
        ax.barh(0, share, left=left, color=colours[group], label=label(*names[group]))
        if share > 0.05:
            ax.text(left + share / 2, 0, f"{share:.0%}", ha="center", va="center", color="white", fontsize=10)
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(label(f"NPS = {nps(scores):.0f}", f"净推荐值 NPS = {nps(scores):.0f}"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=8)
    ax.figure.tight_layout()
    return ax


@styled
def servqual_chart(dimension_gaps: pd.DataFrame | pd.Series, ax: plt.Axes | None = None) -> plt.Axes:
    """Mean SERVQUAL gap (perception − expectation) per dimension, negative gaps in red."""
    from crmlab.satisfaction.servqual import DIMENSIONS_ZH

    gaps = dimension_gaps.mean() if isinstance(dimension_gaps, pd.DataFrame) else require_series(dimension_gaps, "dimension_gaps")
    ax = new_axes(ax)
    names = [label(str(d), DIMENSIONS_ZH.get(str(d), str(d))) for d in gaps.index]
    ax.bar(names, gaps.to_numpy(), color=[PALETTE["vermillion"] if g < 0 else PALETTE["green"] for g in gaps])
    ax.axhline(0, color="black", lw=1)
    ax.set_ylabel(label("Gap = perception − expectation", "差距 = 感知 − 期望"))
    ax.set_title(label("SERVQUAL gaps by dimension", "SERVQUAL 各维度差距"))
    return ax


@styled
def expectation_chart(performance: float, expectation: float | None = None, market: int = 1000,
                      ax: plt.Axes | None = None) -> plt.Axes:
    """First buyers, repeat buyers and total purchases against the promised expectation (lesson 06)."""
    from crmlab.widgets.expectation import expectation_outcomes

    grid = np.round(np.arange(1.0, 10.01, 0.1), 1)
    table = expectation_outcomes(grid, performance, market)
    ax = new_axes(ax)
    ax.plot(grid, table["first_buyers"], color=PALETTE["blue"], label=label("First buyers", "首次购买"))
    ax.plot(grid, table["repeat_buyers"], color=PALETTE["green"], label=label("Repeat buyers", "重复购买"))
    ax.plot(grid, table["total_purchases"], color=PALETTE["orange"], lw=2.5, label=label("Total", "合计"))
    ax.axvline(performance, color=PALETTE["grey"], ls="--", lw=1, label=label("a = b (C = 1)", "a = b（C = 1）"))
    if expectation is not None:
        ax.axvline(expectation, color=PALETTE["vermillion"], lw=1.5, label=label("Your promise", "你的承诺"))
    ax.set_xlabel(label("Promised expectation a", "期望 a"))
    ax.set_ylabel(label("Customers", "顾客数"))
    ax.set_title(label("Managing expectations", "管理顾客期望"))
    ax.legend(fontsize=8)
    return ax


@styled
def likert_chart(summary: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Stacked bars of the answer shares per item (李克特量表分布), from :func:`crmlab.satisfaction.likert_summary`.

    One bar per item, lowest answer on the left in red through the highest in green, items
    sorted by their mean so the best-rated item is on top.
    """
    require_frame(summary, "summary", ["mean"])
    levels = [c for c in summary.columns if isinstance(c, (int, np.integer))]
    if len(levels) < 2:
        raise CrmlabInputError(tr(
            "summary must hold the share of each answer (columns 1…k), as likert_summary returns.",
            "summary 必须包含每个回答的占比（列 1…k），即 likert_summary 的输出。"))
    table = summary.sort_values("mean")
    colours = plt.get_cmap("RdYlGn")(np.linspace(0.05, 0.95, len(levels)))
    ax = new_axes(ax, figsize=(7.5, 0.45 * len(table) + 1.6))
    left = np.zeros(len(table))
    names = [label(str(i), str(_zh_name(i))) for i in table.index]
    for level, colour in zip(levels, colours):
        share = table[level].to_numpy(dtype=float)
        ax.barh(names, share, left=left, color=colour, label=str(level))
        left += share
    ax.set_xlim(0, 1)
    ax.grid(False)
    ax.set_xlabel(label("Share of answers", "回答占比"))
    ax.set_title(label("Answers per item", "各题项的回答分布"))
    ax.legend(title=label("Answer", "回答"), ncol=len(levels), loc="upper center", bbox_to_anchor=(0.5, -0.25),
              fontsize=8)
    ax.figure.tight_layout()
    return ax
