"""The sales funnel (销售漏斗, lesson 16): weighted forecast, stage conversion, cycle time, win rate.

The lab manual's CRM gives every funnel stage a success rate (成功率) and forecasts the sales of
a period as the sum of the open deals' amounts weighted by those rates. The stage-to-stage
conversion and the time deals spend in the funnel come from the stage history.

References
----------
Söhnchen, F. & Albers, S. (2010). Pipeline management for the acquisition of industrial projects.
Industrial Marketing Management 39(8), 1356–1364 (pipeline stages, weighted pipeline value).
Kotler, P. & Keller, K. L. (2016). Marketing Management, 15th ed., ch. 19 (the sales funnel).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_choice, require_date, require_dates, require_frame, require_label_in_data, require_labels,
    require_ids, require_numeric, require_probabilities, require_series,
)

STAGES = ("lead", "qualified", "proposal", "negotiation", "won")
# The b2b scenario's stage win probabilities (datasets/SCHEMA.md); pass your own as `probabilities`.
DEFAULT_WIN_PROBABILITY = pd.Series({"lead": 0.10, "qualified": 0.25, "proposal": 0.50, "negotiation": 0.75,
                                     "won": 1.0}, name="win_prob")


def _probabilities(probabilities: Any, present: Any = ()) -> pd.Series:
    """Stage → win probability; every stage the data hold (``present``, 'lost' aside) must have one, or
    its deals would silently drop out of the forecast."""
    probs = DEFAULT_WIN_PROBABILITY if probabilities is None else probabilities
    stages = [s for s in pd.unique(pd.Series(list(present), dtype=object).dropna().astype("str")) if s != "lost"]
    return require_probabilities(probs, "probabilities", stages)


def win_probability(stages: pd.Series, probabilities: pd.Series | dict | None = None) -> pd.Series:
    """The win probability (成功率) of each opportunity's current stage; ``lost`` is 0.

    Parameters
    ----------
    stages : the current stage of each opportunity.
    probabilities : stage → probability (default ``DEFAULT_WIN_PROBABILITY``: lead 0.10 … won 1.0).

    Returns
    -------
    Series of floats indexed like ``stages``.
    """
    stages = require_series(stages, "stages")
    probs = _probabilities(probabilities, stages.astype("str").unique() if probabilities is not None else ())
    stages = require_labels(stages, "stages", [*probs.index, "lost"])
    return stages.astype(object).map({**probs.to_dict(), "lost": 0.0}).astype(float).rename("win_prob")


def weighted_forecast(opportunities: pd.DataFrame, start: Any = None, end: Any = None, *,
                      probabilities: pd.Series | dict | None = None, stage: str = "stage",
                      amount: str = "amount", close_date: str = "expected_close") -> pd.DataFrame:
    """The weighted sales forecast (销售预测) for a period, stage by stage.

    Parameters
    ----------
    opportunities : one row per opportunity.
    start, end : the period (inclusive) in which ``close_date`` must fall; None leaves that side open.
    probabilities : stage → win probability (default ``DEFAULT_WIN_PROBABILITY``).
    stage, amount, close_date : column names.

    Returns
    -------
    DataFrame indexed by stage (funnel order) plus a ``total`` row: opportunities, amount, win_prob,
    weighted = amount × win_prob. Lost opportunities count 0 and are left out.

    Formula: forecast = Σ_i amount_i × p(stage_i) over opportunities closing in the period.
    """
    require_frame(opportunities, "opportunities", [stage, amount, close_date])
    probs = _probabilities(probabilities, opportunities[stage].astype("str").unique() if probabilities is not None else ())
    p = win_probability(opportunities[stage], probs)
    amounts = require_numeric(opportunities[amount], amount, allow_negative=False)
    dates = require_dates(opportunities[close_date], close_date)
    inside = pd.Series(True, index=opportunities.index)
    if start is not None:
        inside &= dates >= require_date(start, "start")
    if end is not None:
        inside &= dates <= require_date(end, "end")
    inside &= opportunities[stage].astype("str") != "lost"
    frame = pd.DataFrame({"stage": opportunities[stage].astype("str"), "amount": amounts, "p": p})[inside]
    grouped = frame.groupby("stage", sort=False).agg(opportunities=("amount", "size"), amount=("amount", "sum"))
    out = grouped.reindex(probs.index, fill_value=0)
    out["opportunities"] = out["opportunities"].astype("int64")
    out["win_prob"] = probs
    out["weighted"] = out["amount"] * out["win_prob"]
    total = pd.DataFrame({"opportunities": [int(out["opportunities"].sum())], "amount": [out["amount"].sum()],
                          "win_prob": [np.nan], "weighted": [out["weighted"].sum()]}, index=["total"])
    out = pd.concat([out, total])
    out.index.name = "stage"
    return out


def stage_conversion(stage_history: pd.DataFrame, *, opportunity: str = "opportunity_id", stage: str = "stage",
                     stages: tuple[str, ...] = STAGES, closed_only: bool = False) -> pd.DataFrame:
    """Stage-to-stage conversion (阶段转化率) from the stage history.

    Parameters
    ----------
    stage_history : one row per (opportunity, stage entered).
    closed_only : count only opportunities already won or lost. Open deals have not had their chance
        to move on yet, so including them understates the later conversion rates.

    Returns
    -------
    DataFrame indexed by stage: reached (opportunities that entered it), to_next = reached(next) /
    reached(this), from_first = reached / reached(first stage). The last stage's to_next is NaN.
    """
    require_frame(stage_history, "stage_history", [opportunity, stage])
    labels = require_labels(stage_history[stage], stage, [*stages, "lost"])
    require_ids(stage_history[opportunity], opportunity)
    history = stage_history
    if closed_only:
        closed = stage_history.loc[labels.isin(["won", "lost"]).to_numpy(), opportunity].unique()
        keep = stage_history[opportunity].isin(closed).to_numpy()
        history, labels = stage_history[keep], labels[keep]
    # Integer codes instead of strings: one (opportunity, stage) pair counted once, vectorised.
    order = [*stages, "lost"]
    o_codes, _ = pd.factorize(history[opportunity])
    s_codes = pd.Categorical(labels.astype("str") if labels.dtype != "category" else labels.cat.set_categories(order),
                             categories=order).codes.astype(np.int64)
    pairs = pd.unique(o_codes.astype(np.int64) * len(order) + s_codes)
    counts = np.bincount(pairs % len(order), minlength=len(order))[:len(stages)]
    reached = pd.Series(counts, index=list(stages), dtype="int64")
    following = reached.shift(-1)
    out = pd.DataFrame({"reached": reached,
                        "to_next": following / reached.where(reached > 0),
                        "from_first": reached / (reached.iloc[0] if reached.iloc[0] else np.nan)})
    out.index.name = "stage"
    return out


def stage_durations(stage_history: pd.DataFrame, *, opportunity: str = "opportunity_id", stage: str = "stage",
                    entered: str = "entered_date", stages: tuple[str, ...] = STAGES) -> pd.DataFrame:
    """Days each opportunity spent in each open stage (阶段停留时间), indexed by opportunity.

    days in stage s = entered(next stage reached) − entered(s); NaN for a stage not reached or not left.
    """
    require_frame(stage_history, "stage_history", [opportunity, stage, entered])
    labels = require_labels(stage_history[stage], stage, [*stages, "lost"]).astype("str")
    dates = require_dates(stage_history[entered], entered)
    wide = (pd.DataFrame({"o": stage_history[opportunity].to_numpy(), "s": labels.to_numpy(), "d": dates.to_numpy()})
            .pivot_table(index="o", columns="s", values="d", aggfunc="min"))
    wide = wide.reindex(columns=[*stages, "lost"])
    # Leaving an open stage means entering the next stage or being lost.
    out = {}
    for i, s in enumerate(stages[:-1]):
        left_at = wide[stages[i + 1]].fillna(wide["lost"]).where(wide[s].notna())
        out[s] = (left_at - wide[s]).dt.days.astype(float)
    frame = pd.DataFrame(out, index=wide.index)
    frame.index.name = opportunity
    return frame


def cycle_time(stage_history: pd.DataFrame, *, opportunity: str = "opportunity_id", stage: str = "stage",
               entered: str = "entered_date", first: str = "lead") -> pd.DataFrame:
    """Sales cycle time (销售周期) of each closed opportunity, indexed by opportunity.

    Returns
    -------
    DataFrame: outcome (won/lost) and days = entered(won or lost) − entered(first stage).
    Open opportunities are left out: their cycle has not ended.
    """
    require_frame(stage_history, "stage_history", [opportunity, stage, entered])
    labels = stage_history[stage]  # compared as is: a categorical column need not become 700k strings
    present = labels.cat.categories if isinstance(labels.dtype, pd.CategoricalDtype) else pd.unique(labels)
    require_label_in_data(first, "first", present)
    dates = require_dates(stage_history[entered], entered)
    o_codes, ids = pd.factorize(stage_history[opportunity])
    frame = pd.DataFrame({"o": o_codes, "d": dates.to_numpy()})
    is_first = (labels == first).to_numpy()
    won, lost = (labels == "won").to_numpy(), (labels == "lost").to_numpy()
    start = frame[is_first].groupby("o")["d"].min()
    closed = frame[won | lost].assign(won=won[won | lost]).groupby("o").agg(closed=("d", "min"), won=("won", "max"))
    out = closed.join(start.rename("started"), how="inner")
    out["outcome"] = np.where(out["won"], "won", "lost")
    out["days"] = (out["closed"] - out["started"]).dt.days.astype(float)
    out.index = pd.Index(ids[out.index.to_numpy()], name=opportunity)
    out.index.name = opportunity
    return out[["outcome", "days"]]


def win_rate(opportunities: pd.DataFrame, by: str | None = None, *, status: str = "status") -> pd.DataFrame:
    """Win rate (赢单率) = won / (won + lost) among closed opportunities, overall or per group.

    Returns
    -------
    DataFrame indexed by group (or the single row ``all``): won, lost, win_rate.
    """
    require_frame(opportunities, "opportunities", [status] + ([by] if by else []))
    labels = require_labels(opportunities[status], status, ["open", "won", "lost"]).astype("str")
    keys = opportunities[by] if by else pd.Series("all", index=opportunities.index)
    frame = pd.DataFrame({"g": keys.to_numpy(), "won": (labels == "won").to_numpy(), "lost": (labels == "lost").to_numpy()})
    out = frame.groupby("g", observed=True)[["won", "lost"]].sum().astype("int64")
    closed = out["won"] + out["lost"]
    out["win_rate"] = out["won"] / closed.where(closed > 0)
    out.index.name = by or "group"
    return out


def forecast_vs_actual(opportunities: pd.DataFrame, stage_history: pd.DataFrame, as_of: Any, start: Any, end: Any,
                       *, probabilities: pd.Series | dict | None = None, opportunity: str = "opportunity_id",
                       amount: str = "amount", close_date: str = "expected_close", status: str = "status",
                       closed_date: str = "closed_date", entered: str = "entered_date") -> pd.Series:
    """The forecast made on ``as_of`` for the period [start, end] against what was won in it later.

    The deals open on ``as_of`` (entered the funnel by then, not yet won or lost) and expected to close in
    the period are weighted by the stage they were in on ``as_of``. ``actual`` is the amount of those
    same deals that were won with a closing date in the period.

    Returns
    -------
    Series: open_deals, forecast = Σ amount × p(stage on as_of), actual, won_deals, error = actual − forecast.
    """
    require_frame(opportunities, "opportunities", [opportunity, amount, close_date, status, closed_date])
    require_frame(stage_history, "stage_history", [opportunity, "stage", entered])
    probs = _probabilities(probabilities, stage_history["stage"].astype("str").unique())
    as_of, start, end = require_date(as_of, "as_of"), require_date(start, "start"), require_date(end, "end")
    require_labels(stage_history["stage"].astype("str"), "stage_history['stage']", [*probs.index, "lost"])
    entered_at = require_dates(stage_history[entered], entered)
    seen = stage_history[(entered_at <= as_of).to_numpy()]
    order = {s: i for i, s in enumerate([*probs.index, "lost"])}
    rank = seen["stage"].astype("str").map(order)
    latest = (pd.DataFrame({"o": seen[opportunity].to_numpy(), "s": seen["stage"].astype("str").to_numpy(),
                            "r": rank.to_numpy()})
              .sort_values("r").drop_duplicates("o", keep="last").set_index("o")["s"])
    latest = latest[~latest.isin(["won", "lost"])]
    opps = opportunities.set_index(opportunity)
    # Checked on the whole table (rows named by opportunity), before any filter can leave it empty.
    expected_all = require_dates(opps[close_date], close_date)
    closed_all = require_dates(opps[closed_date], closed_date, allow_missing=True)
    amounts_all = require_numeric(opps[amount], amount, allow_negative=False)
    keep = opps.index.isin(latest.index) & ((expected_all >= start) & (expected_all <= end)).to_numpy()
    opps = opps[keep]
    p = latest.loc[opps.index].map(probs.to_dict()).astype(float)
    amounts = amounts_all[keep].astype(float)
    closed = closed_all[keep]
    won = (opps[status].astype("str") == "won") & (closed >= start) & (closed <= end)
    forecast = float((amounts * p).sum())
    actual = float(amounts[won].sum())
    return pd.Series({"open_deals": float(len(opps)), "forecast": forecast, "actual": actual,
                      "won_deals": float(won.sum()), "error": actual - forecast}, name="forecast_vs_actual")


def forecast_track(opportunities: pd.DataFrame, stage_history: pd.DataFrame, start: Any, end: Any,
                   *, freq: str = "Q", probabilities: pd.Series | dict | None = None) -> pd.DataFrame:
    """A forecasting track record (预测准确度): :func:`forecast_vs_actual` for each period from start to end.

    The forecast for each period is made on the day before it begins, so it uses only what was known then.

    Parameters
    ----------
    opportunities, stage_history : the b2b tables (see :func:`forecast_vs_actual` for the columns).
    start, end : the first and last period, e.g. ``"2024Q1"`` and ``"2025Q4"`` (inclusive).
    freq : the period length, ``"Q"`` (quarters) or ``"M"`` (months).

    Returns
    -------
    DataFrame indexed by period (as text, e.g. ``2024Q1``): open_deals, forecast, actual, won_deals, error.
    """
    require_choice(freq, "freq", ("Q", "M"))
    try:
        periods = pd.period_range(start, end, freq=freq)
    except (ValueError, TypeError) as exc:
        raise CrmlabInputError(tr(
            f"start and end must be periods such as '2024Q1' or '2024-03', got {start!r} and {end!r} ({exc}).",
            f"start 和 end 必须是 '2024Q1' 或 '2024-03' 这样的期间，实际是 {start!r} 和 {end!r}（{exc}）。",
        )) from None
    if len(periods) == 0:
        raise CrmlabInputError(tr(f"end {end!r} comes before start {start!r}; give them in time order.",
                                  f"end {end!r} 早于 start {start!r}，请按时间先后给出。"))
    rows = {str(p): forecast_vs_actual(opportunities, stage_history, p.start_time - pd.Timedelta(days=1),
                                       p.start_time, p.end_time.normalize(), probabilities=probabilities)
            for p in periods}
    out = pd.DataFrame(rows).T
    out.index.name = "period"
    return out
