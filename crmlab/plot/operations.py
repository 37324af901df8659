"""Charts for CRM operations: the sales funnel (销售漏斗图) and service levels (服务水平图)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.operations.labels import NAMES_ZH
from crmlab.plot.style import PALETTE, label, new_axes, styled
from crmlab.validation import CrmlabInputError, require_frame

@styled
def funnel_chart(forecast: pd.DataFrame, ax: plt.Axes | None = None, *, value: str = "amount") -> plt.Axes:
    """The sales funnel: one centred bar per stage, as wide as its amount, with the weighted amount inside.

    Parameters
    ----------
    forecast : the output of :func:`crmlab.operations.weighted_forecast` (the ``total`` row is skipped).
    value : the column that sets the bar widths (``amount``, ``weighted`` or ``opportunities``).
    """
    require_frame(forecast, "forecast", [value, "weighted", "opportunities"])
    rows = forecast.drop(index="total", errors="ignore")
    ax = new_axes(ax)
    widths = rows[value].to_numpy(dtype=float)
    y = np.arange(len(rows))[::-1]
    colours = [PALETTE["blue"], PALETTE["sky"], PALETTE["green"], PALETTE["orange"], PALETTE["vermillion"]]
    ax.barh(y, widths, left=-widths / 2, color=[colours[i % len(colours)] for i in range(len(rows))], height=0.8)
    names = [label(str(s).capitalize(), NAMES_ZH.get(str(s), str(s))) for s in rows.index]  # the stages' names
    ax.set_yticks(y, names)
    for yi, (_, row) in zip(y, rows.iterrows()):
        ax.text(0, yi, f"{int(row['opportunities'])} · {row['weighted']:,.0f}", ha="center", va="center",
                color="white", fontsize=9, fontweight="bold")
    ax.set_xticks([])
    ax.grid(False)
    ax.set_title(label("Sales funnel: deals · weighted amount", "销售漏斗：机会数 · 加权金额"))
    return ax


@styled
def service_level_chart(levels: pd.DataFrame, ax: plt.Axes | None = None, *, target: float | None = 0.9) -> plt.Axes:
    """Share of tickets answered and resolved within target, per group, with the service-level goal as a line.

    Parameters
    ----------
    levels : the output of :func:`crmlab.operations.service_level`.
    target : the goal share (e.g. 0.9 = 90 % within SLA) drawn as a dashed line; None for none.
    """
    require_frame(levels, "levels", ["response_within", "resolution_within"])
    if target is not None and not 0 <= target <= 1:
        raise CrmlabInputError(tr(f"target must be a share in [0, 1], got {target!r}.",
                                  f"target 必须是 [0, 1] 内的比例，实际是 {target!r}。"))
    ax = new_axes(ax)
    x = np.arange(len(levels))
    ax.bar(x - 0.2, levels["response_within"], width=0.4, color=PALETTE["blue"],
           label=label("answered in time", "及时响应"))
    ax.bar(x + 0.2, levels["resolution_within"], width=0.4, color=PALETTE["orange"],
           label=label("resolved in time", "及时解决"))
    if target is not None:
        ax.axhline(target, color=PALETTE["vermillion"], linestyle="--", linewidth=1.2,
                   label=label("goal", "目标"))
    ax.set_xticks(x, [label(str(g), NAMES_ZH.get(str(g), str(g))) for g in levels.index])
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylabel(label("share of tickets within target", "达标服务单占比"))
    ax.set_title(label("Service levels", "服务水平"))
    ax.legend()
    return ax


@styled
def gain_curve_chart(gain: pd.Series, budget_count: int | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Cumulative expected net gain when customers are targeted best first (目标客户选择的累计收益曲线).

    Parameters
    ----------
    gain : expected net gain of targeting each customer (benefit − cost), indexed by customer.
    budget_count : how many customers the budget pays for, drawn as a dashed line; None for none.

    The curve rises while the next customer's gain is positive and peaks where it turns negative:
    targeting beyond the peak loses money, whatever the budget.
    """
    if not isinstance(gain, pd.Series) or gain.empty:
        raise CrmlabInputError(tr("gain must be a non-empty Series of expected gains indexed by customer.",
                                  "gain 必须是以客户为索引、非空的预期收益 Series。"))
    if gain.isna().any():
        raise CrmlabInputError(tr(f"gain has {int(gain.isna().sum())} missing value(s); fill or drop them first.",
                                  f"gain 有 {int(gain.isna().sum())} 个缺失值，请先填补或删除。"))
    if budget_count is not None and (isinstance(budget_count, bool) or not isinstance(budget_count, (int, np.integer))
                                     or budget_count < 1):
        raise CrmlabInputError(tr(f"budget_count must be a whole number ≥ 1 or None, got {budget_count!r}.",
                                  f"budget_count 必须是 ≥ 1 的整数或 None，实际是 {budget_count!r}。"))
    ax = new_axes(ax)
    cumulative = np.concatenate([[0.0], np.cumsum(np.sort(gain.to_numpy(dtype=float))[::-1])])
    ax.plot(np.arange(len(cumulative)), cumulative, color=PALETTE["blue"],
            label=label("targeted best first", "按收益从高到低选择"))
    best = int(np.argmax(cumulative))
    ax.plot([best], [cumulative[best]], "o", color=PALETTE["green"],
            label=label(f"peak: {best} customers", f"峰值：{best} 位客户"))
    if budget_count is not None:
        ax.axvline(budget_count, color=PALETTE["vermillion"], linestyle="--", linewidth=1.2,
                   label=label(f"budget: {budget_count} customers", f"预算：{budget_count} 位客户"))
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(label("customers targeted", "目标客户数"))
    ax.set_ylabel(label("cumulative expected net gain", "累计预期净收益"))
    ax.set_title(label("Where to stop spending", "投入到哪里为止"))
    ax.legend()
    return ax


_QUALITY_MEASURES = {"completeness": ("Completeness", "完整性"), "validity": ("Validity (correctness)", "正确性"),
                     "uniqueness": ("Uniqueness", "唯一性")}


@styled
def quality_chart(comparison: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Data quality before and after a clean-up (清理前后的数据质量): one pair of bars per measure, in %.

    Parameters
    ----------
    comparison : the output of :func:`crmlab.quality.before_after` (rows completeness, validity,
        uniqueness; columns before, after).
    """
    require_frame(comparison, "comparison", ["before", "after"])
    missing = [m for m in _QUALITY_MEASURES if m not in comparison.index]
    if missing:
        raise CrmlabInputError(tr(
            f"comparison has no row {missing[0]!r}: pass the table crmlab.quality.before_after returns.",
            f"comparison 缺少行 {missing[0]!r}：请传入 crmlab.quality.before_after 返回的表。"))
    rows = comparison.loc[list(_QUALITY_MEASURES)]
    ax = new_axes(ax)
    y = np.arange(len(rows))[::-1]
    for offset, column, colour, (en, zh) in [(0.2, "before", PALETTE["grey"], ("before", "清理前")),
                                             (-0.2, "after", PALETTE["blue"], ("after", "清理后"))]:
        shares = 100 * rows[column].to_numpy(dtype=float)
        ax.barh(y + offset, shares, height=0.4, color=colour, label=label(en, zh))
        for yy, share in zip(y + offset, shares):
            ax.text(share + 0.5, yy, f"{share:.1f}", va="center", fontsize=9)
    ax.set_yticks(y, [label(*_QUALITY_MEASURES[m]) for m in rows.index])
    ax.set_xlim(0, 105)
    ax.set_xlabel(label("Share of records (%)", "记录占比（%）"))
    ax.set_title(label("Customer data quality before and after the clean-up", "客户数据清理前后的质量"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # outside: the bars reach 100 %
    return ax
