"""Charts for a first look at a company world (lesson 00)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from crmlab.plot.style import PALETTE, label, new_axes, styled
from crmlab.validation import require_dates, require_frame, require_numeric


@styled
def monthly_revenue(transactions: pd.DataFrame, date: str = "date", amount: str = "amount",
                    by: str | None = None, currency: str = "", ax: plt.Axes | None = None) -> plt.Axes:
    """Revenue per calendar month (月度销售额) as a line per ``by`` group (e.g. channel), or one line.

    ``currency`` (e.g. ``world.meta["currency"]``) goes into the axis label.
    """
    require_frame(transactions, "transactions", [date, amount] + ([by] if by else []))
    dates = require_dates(transactions[date], date)
    amounts = require_numeric(transactions[amount], amount, allow_negative=False)
    month = dates.dt.to_period("M").dt.to_timestamp()
    keys = [month] + ([transactions[by]] if by else [])
    revenue = amounts.groupby(keys, observed=True).sum()
    ax = new_axes(ax)
    if by:
        for group, series in revenue.unstack(by).items():
            ax.plot(series.index, series.to_numpy(), marker=".", label=str(group))
        ax.legend(title=by)
    else:
        ax.plot(revenue.index, revenue.to_numpy(), marker=".", color=PALETTE["blue"])
    ax.set_title(label("Revenue per month", "月度销售额"))
    ax.set_xlabel(label("Month", "月份"))
    unit = f" ({currency})" if currency else ""
    ax.set_ylabel(label("Revenue", "销售额") + unit)
    return ax
