"""Charts for customer classification: the Pareto/ABC curve, the RFM heatmap, the customer pyramid."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crmlab.classify.abc import abc_classes, pareto_curve
from crmlab.classify.tiers import PROFIT_TIERS, PROFIT_TIERS_ZH, VALUE_TIERS, VALUE_TIERS_ZH
from crmlab.i18n import tr
from crmlab.plot.style import PALETTE, label, new_axes, styled
from crmlab.validation import CrmlabInputError, require_choice, require_frame, require_series

_CLASS_COLOURS = {"A": PALETTE["blue"], "B": PALETTE["orange"], "C": PALETTE["grey"]}


@styled
def pareto_chart(values: pd.Series, cutoffs: tuple[float, float] = (0.8, 0.95), *, boundary: str = "within",
                 ax: plt.Axes | None = None) -> plt.Axes:
    """The Pareto (ABC) curve: cumulative share of value against cumulative share of customers,
    with the cut-offs and the A/B/C customers coloured (帕累托图 / ABC分析图)."""
    curve = pareto_curve(values)
    classes = abc_classes(values, cutoffs, boundary=boundary).reindex(curve.index)
    ax = new_axes(ax)
    x = np.concatenate([[0.0], curve["cum_customers"].to_numpy()]) * 100
    y = np.concatenate([[0.0], curve["cum_share"].to_numpy()]) * 100
    ax.plot(x, y, color=PALETTE["grey"], linewidth=1.2, zorder=1)
    for name, colour in _CLASS_COLOURS.items():
        mask = (classes == name).to_numpy()
        share = mask.mean() * 100
        ax.scatter(x[1:][mask], y[1:][mask], s=12 if len(curve) < 200 else 3, color=colour, zorder=2,
                   label=f"{name}: {mask.sum()} ({share:.0f} %)")
    for cut in cutoffs:
        ax.axhline(cut * 100, color=PALETTE["vermillion"], linestyle="--", linewidth=0.8)
        ax.annotate(f"{cut:.0%}", (100, cut * 100), xytext=(-4, -12), textcoords="offset points", ha="right",
                    color=PALETTE["vermillion"])
    ax.plot([0, 100], [0, 100], color=PALETTE["grey"], linestyle=":", linewidth=0.8)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 102)
    ax.set_xlabel(label("Customers, largest first (cumulative %)", "客户（按贡献从大到小，累计 %）"))
    ax.set_ylabel(label("Share of value (cumulative %)", "贡献占比（累计 %）"))
    ax.set_title(label("Pareto curve and ABC classes", "帕累托曲线与 ABC 分类"))
    ax.legend(loc="lower right")
    return ax


@styled
def rfm_heatmap(scores: pd.DataFrame, value: str = "count", *, ax: plt.Axes | None = None) -> plt.Axes:
    """Heatmap of customers on the R × F grid, coloured by number of customers or their total
    monetary value; each cell is annotated with its number."""
    require_frame(scores, "scores", ["R", "F"] + (["monetary"] if value == "monetary" else []))
    require_choice(value, "value", ("count", "monetary"))
    bins = int(max(scores[["R", "F"]].max().max(), 5))
    grouped = scores.groupby(["R", "F"])
    cells = grouped.size() if value == "count" else grouped["monetary"].sum()
    grid = cells.unstack("F").reindex(index=range(bins, 0, -1), columns=range(1, bins + 1)).fillna(0)
    ax = new_axes(ax, figsize=(6, 5))
    image = ax.imshow(grid.to_numpy(dtype=float), cmap="Blues", aspect="equal")
    top = grid.to_numpy().max() or 1
    for (i, j), cell in np.ndenumerate(grid.to_numpy(dtype=float)):
        ax.text(j, i, f"{cell:,.0f}", ha="center", va="center", fontsize=9,
                color="white" if cell > top * 0.6 else "black")
    ax.set_xticks(range(bins), [str(f) for f in grid.columns])
    ax.set_yticks(range(bins), [str(r) for r in grid.index])
    ax.grid(False)
    ax.set_xlabel(label("F score (frequency)", "F 得分（消费频率）"))
    ax.set_ylabel(label("R score (recency, 5 = most recent)", "R 得分（最近消费，5 = 最近）"))
    ax.set_title(label("Customers by R and F" if value == "count" else "Monetary value by R and F",
                       "R × F 客户数" if value == "count" else "R × F 消费金额"))
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax


@styled
def pyramid_chart(tiers: pd.Series, order: Sequence[str] | None = None, *, ax: plt.Axes | None = None
                  ) -> plt.Axes:
    """The customer pyramid: one centred bar per tier, top tier on top, labelled with its count
    and share of customers (客户金字塔). Works for :func:`value_tiers` and :func:`profit_pyramid`."""
    series = require_series(tiers, "tiers")
    present = set(series.unique())
    if order is None:
        order = next((levels for levels in (VALUE_TIERS, PROFIT_TIERS) if present <= set(levels)), None)
        if order is None:
            raise CrmlabInputError(tr(
                f"tiers has labels {sorted(present)!r}; pass order=[top tier, …, bottom tier].",
                f"tiers 的标签为 {sorted(present)!r}；请传入 order=[最高层, …, 最低层]。",
            ))
    order = list(order)
    counts = series.value_counts().reindex(order, fill_value=0)
    zh = {**VALUE_TIERS_ZH, **PROFIT_TIERS_ZH}
    ax = new_axes(ax)
    levels = len(order)
    colours = [PALETTE[c] for c in ("blue", "orange", "green", "grey", "sky", "purple")][:levels]
    for level, (tier, count) in enumerate(counts.items()):
        width = (level + 1) / levels  # a pyramid's shape, the number is written on the bar
        y = levels - 1 - level
        ax.barh(y, width, left=-width / 2, color=colours[level % len(colours)], height=0.9)
        ax.text(0, y, f"{label(tier, zh.get(tier, tier))}: {count} ({count / len(series):.0%})",
                ha="center", va="center", color="white" if level < levels - 1 else "black", fontweight="bold")
    ax.set_xlim(-0.55, 0.55)
    ax.set_axis_off()
    ax.set_title(label("Customer pyramid", "客户金字塔"))
    return ax


@styled
def share_bar(labels: pd.Series, order: Sequence[str] | None = None, *, title: str | None = None,
              ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal bars: how many customers carry each label (category, segment, status …), each bar
    annotated with its count and share of all customers; largest on top unless ``order`` is given."""
    series = require_series(labels, "labels")
    if series.isna().any():
        raise CrmlabInputError(tr(
            f"labels has {int(series.isna().sum())} missing value(s); classify every customer first.",
            f"labels 有 {int(series.isna().sum())} 个缺失值；请先为每位客户分类。",
        ))
    counts = series.astype("str").value_counts()
    if order is not None:
        unknown = sorted(set(counts.index) - {str(o) for o in order})
        if unknown:
            raise CrmlabInputError(tr(
                f"labels has values {unknown!r} that are not in order; add them to order.",
                f"labels 中的取值 {unknown!r} 不在 order 中；请把它们加入 order。",
            ))
        counts = counts.reindex([str(o) for o in order], fill_value=0)
    else:
        # Equal counts in a fixed order (by name), so the chart is the same on every run.
        counts = counts.rename_axis("label").reset_index().sort_values(["count", "label"], ascending=[False, True]
                                                                       ).set_index("label")["count"]
    ax = new_axes(ax, figsize=(7, 0.45 * len(counts) + 1.2))
    y = np.arange(len(counts))[::-1]
    ax.barh(y, counts.to_numpy(), color=PALETTE["blue"], height=0.7)
    top = max(int(counts.max()), 1)
    for yi, count in zip(y, counts.to_numpy()):
        ax.text(count + top * 0.01, yi, f"{count:,} ({count / len(series):.0%})", va="center")
    ax.set_yticks(y, list(counts.index))
    ax.set_xlim(0, top * 1.22)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("Customers", "客户数"))
    ax.set_title(title if title is not None else label("Customers per group", "各组客户数"))
    return ax
