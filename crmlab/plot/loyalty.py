"""Charts for loyalty and customer value: cohort heatmap, retention curves, attachment × repeat, P(alive)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crmlab.loyalty.labels import names_zh
from crmlab.plot.style import PALETTE, label, new_axes, styled
from crmlab.validation import require_frame, require_numeric


@styled
def cohort_heatmap(table: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Cohort retention heatmap (同期群留存热力图) of :func:`crmlab.loyalty.cohort_table` (shares)."""
    require_frame(table, "table")
    ax = new_axes(ax, figsize=(8, max(3.5, 0.4 * len(table) + 2.5)))
    values = table.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
    ax.grid(False)
    if values.size <= 400:
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 else "black")
    ax.set_xlabel(label("Periods since acquisition", "获客后的期数"))
    ax.set_ylabel(label("Acquisition cohort", "获客同期群"))
    ax.set_title(label("Cohort retention", "同期群留存率"))
    ax.figure.colorbar(image, ax=ax, fraction=0.04)
    ax.figure.tight_layout()
    return ax


@styled
def retention_curves(model, periods: int = 13, observed=None, constant_retention: float | None = None,
                     ax: plt.Axes | None = None) -> plt.Axes:
    """Survival curve of a fitted sBG model, the observed survivors and, for contrast, a constant
    retention rate projected forward (why a single retention rate misleads, 单一保持率的误导)."""
    ax = new_axes(ax)
    t = np.arange(periods)
    ax.plot(t, model.survival(t).to_numpy(), color=PALETTE["blue"], label=label("sBG model", "sBG 模型"))
    if observed is not None:
        obs = require_numeric(observed, "observed", allow_negative=False).to_numpy(dtype=float)
        ax.plot(np.arange(len(obs)), obs / obs[0], "o", color=PALETTE["vermillion"], label=label("Observed", "实际"))
    if constant_retention is not None:
        ax.plot(t, constant_retention ** t, "--", color=PALETTE["grey"],
                label=label(f"Constant retention {constant_retention:.0%}", f"固定保持率 {constant_retention:.0%}"))
    ax.set_xlabel(label("Period", "期"))
    ax.set_ylabel(label("Share still a customer", "留存比例"))
    ax.set_title(label("Survival curve", "生存曲线"))
    ax.legend()
    return ax


def _shown(value) -> str:
    """A code or column name as a chart shows it: its Chinese name in a Chinese chart."""
    return label(str(value), names_zh().get(str(value), str(value)))


def _level(column: str, value) -> str:
    """One level of a grouping column, e.g. "satisfied = True" / "满意的客户：是"."""
    if isinstance(value, (bool, np.bool_)):
        return label(f"{column} = {value}", f"{names_zh().get(column, column)}：{'是' if value else '否'}")
    return label(f"{column} = {value}", f"{names_zh().get(column, column)}：{names_zh().get(str(value), value)}")


@styled
def attachment_repeat_chart(df: pd.DataFrame, attachment_col: str, repeat_col: str, type_col: str | None = None,
                            attachment_cut: float | None = None, repeat_cut: float | None = None,
                            ax: plt.Axes | None = None) -> plt.Axes:
    """Customers on attachment (依恋) × repeat purchase (重复购买), quadrant lines at the cuts (default medians)."""
    require_frame(df, "df", [attachment_col, repeat_col] + ([type_col] if type_col else []))
    x = require_numeric(df[attachment_col], attachment_col)
    y = require_numeric(df[repeat_col], repeat_col)
    ax = new_axes(ax)
    if type_col:
        for name, group in df.groupby(type_col):
            ax.scatter(group[attachment_col], group[repeat_col], s=12, alpha=0.6, label=_shown(name))
        ax.legend(fontsize=8)
    else:
        ax.scatter(x, y, s=12, alpha=0.6, color=PALETTE["blue"])
    ax.axvline(x.median() if attachment_cut is None else attachment_cut, color=PALETTE["grey"], lw=1)
    ax.axhline(y.median() if repeat_cut is None else repeat_cut, color=PALETTE["grey"], lw=1)
    ax.set_xlabel(label("Attachment", "依恋程度"))
    ax.set_ylabel(label("Repeat purchases", "重复购买"))
    ax.set_title(label("Loyalty types: attachment × repeat purchase", "忠诚类型：依恋 × 重复购买"))
    return ax


@styled
def p_alive_chart(p_alive: pd.Series, recency: pd.Series, frequency: pd.Series, ax: plt.Axes | None = None
                  ) -> plt.Axes:
    """P(alive) (存活概率) against recency, coloured by number of repeat purchases."""
    p = require_numeric(p_alive, "p_alive")
    r = require_numeric(recency, "recency")
    f = require_numeric(frequency, "frequency")
    ax = new_axes(ax)
    points = ax.scatter(r, p, c=np.log1p(f.to_numpy(dtype=float)), cmap="viridis", s=10, alpha=0.7)
    ax.figure.colorbar(points, ax=ax, label=label("log(1 + repeat purchases)", "log(1 + 重复购买次数)"))
    ax.set_xlabel(label("Recency (time of last purchase)", "最近一次购买时间"))
    ax.set_ylabel(label("P(alive)", "存活概率"))
    ax.set_ylim(0, 1.02)
    ax.set_title(label("Who is still a customer?", "谁还是活跃客户？"))
    return ax


@styled
def moderator_chart(df: pd.DataFrame, satisfied_col: str, loyalty_col: str, moderator_col: str,
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Mean loyalty of unsatisfied vs satisfied customers, one bar colour per moderator level
    (e.g. low/high switching cost): how a moderator changes the satisfaction–loyalty link (调节因素)."""
    require_frame(df, "df", [satisfied_col, loyalty_col, moderator_col])
    require_numeric(df[loyalty_col], loyalty_col)
    means = df.groupby([satisfied_col, moderator_col], observed=True)[loyalty_col].mean().unstack(moderator_col)
    ax = new_axes(ax)
    colours = [PALETTE["sky"], PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"]]
    width = 0.8 / max(means.shape[1], 1)
    for j, level in enumerate(means.columns):
        ax.bar(np.arange(len(means)) + (j - (means.shape[1] - 1) / 2) * width, means[level].to_numpy(),
               width=width, color=colours[j % len(colours)], label=_level(moderator_col, level))
    ax.set_xticks(range(len(means)), [_level(satisfied_col, v) for v in means.index])
    ax.set_ylabel(_shown(loyalty_col))
    ax.set_title(label("Satisfaction, loyalty and a moderator", "满意、忠诚与调节因素"))
    ax.legend(fontsize=8)
    return ax


@styled
def programme_chart(simulation: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """What a loyalty programme earns per period (bars) and in total so far (line), from
    :func:`crmlab.loyalty.simulate_programme` (忠诚计划的成本与收益)."""
    require_frame(simulation, "simulation", ["incremental_margin", "cumulative_net"])
    ax = new_axes(ax)
    periods = simulation.index.to_numpy()
    ax.bar(periods, simulation["incremental_margin"].to_numpy(), color=PALETTE["sky"],
           label=label("Net margin in the period", "当期净收益"))
    ax.plot(periods, simulation["cumulative_net"].to_numpy(), marker="o", color=PALETTE["blue"],
            label=label("Cumulative net", "累计净收益"))
    ax.axhline(0, color=PALETTE["grey"], lw=1)
    ax.set_xlabel(label("Period", "期"))
    ax.set_ylabel(label("Margin − programme cost", "毛利增量 − 计划成本"))
    ax.set_title(label("Does the programme pay?", "忠诚计划是否划算？"))
    ax.legend(fontsize=8)
    return ax


@styled
def clv_timing_chart(margin: float, retention: float, discount: float, periods: int = 10,
                     ax: plt.Axes | None = None) -> plt.Axes:
    """Cumulative present value of one customer, payment by payment, for each payment timing (客户终身价值)."""
    from crmlab.loyalty.clv import TIMINGS, clv_by_period

    ax = new_axes(ax)
    for timing in TIMINGS:
        steps = clv_by_period(margin, retention, discount, periods, timing)
        ax.plot(steps.index, steps["cumulative_value"], marker="o", label=timing)
    ax.set_title(label("Customer lifetime value, payment by payment", "客户终身价值（逐期累计）"))
    ax.set_xlabel(label("Payment", "付款期"))
    ax.set_ylabel(label("Cumulative present value", "累计现值"))
    ax.legend()
    return ax
