"""RFM analysis: recency, frequency and monetary value scored 1–5, and the segment map.

RFM (最近一次消费 Recency、消费频率 Frequency、消费金额 Monetary) scores each customer on the
three behaviours that best predict the next purchase, then reads a segment (Champions, At
risk, Lost …) and the action it deserves off a grid of R × FM scores.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from crmlab.classify.purchases import FREQUENCY_UNITS, purchase_summary
from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_choice, require_frame, require_int, require_labels, require_numeric, require_series,
)

TIE_RULES = ("average", "min", "first", "dense-quantile")
MONETARY = ("total", "mean")
SEGMENT_MAP_COLUMNS = ("r_min", "r_max", "fm_min", "fm_max", "segment", "segment_zh", "action", "action_zh")


def quantile_score(values: pd.Series, bins: int = 5, ties: str = "average") -> pd.Series:
    """Score values 1…``bins`` by their rank (quantile groups), higher value → higher score.

    Formula: with n customers and rank r (1 = smallest), score = 1 + ⌊bins · (r − 1) / n⌋, so
    with distinct values each score holds n / bins customers. ``ties`` decides r for equal values:

    - ``"average"`` (default): r is the mean rank of the tied block (mid-rank), so identical
      customers get identical scores and the block sits at its middle. On CDNOW, where half the
      customers bought once, every one-time buyer gets F = 2 (the middle of the bottom half)
      and no one gets F = 1.
    - ``"min"``: r is the lowest rank of the block: identical customers share the score of the
      block's bottom (the one-time buyers all get F = 1).
    - ``"first"``: ties broken by row order, the common ``rank(method="first")`` fix for
      ``pd.qcut`` failing with "Bin edges must be unique" on heavy ties. Classes are equal-sized,
      but two identical customers can get different scores only because of where their rows are.
    - ``"dense-quantile"``: quantiles of the *distinct* values: d = dense rank, D = number of
      distinct values, score = 1 + ⌊bins · (d − 1) / D⌋. Identical customers share a score and
      every score is used when there are at least ``bins`` distinct values, but a score no longer
      holds a fixed share of customers.
    """
    series = require_numeric(values, "values").astype(float)
    bins = require_int(bins, "bins", minimum=2, maximum=100)
    require_choice(ties, "ties", TIE_RULES)
    if ties == "dense-quantile":
        rank = series.rank(method="dense").to_numpy()
        count = rank.max()
    else:
        rank = series.rank(method=ties).to_numpy()
        count = len(series)
    score = 1 + np.floor(bins * (rank - 1) / count).astype(np.int64)
    return pd.Series(np.clip(score, 1, bins), index=series.index, dtype=np.int64)


def rfm_scores(
    transactions: pd.DataFrame,
    customer: str,
    date: str,
    amount: str,
    at: Any,
    *,
    monetary: str = "total",
    frequency_unit: str = "transaction",
    ties: str = "average",
    bins: int = 5,
) -> pd.DataFrame:
    """Recency, frequency, monetary value and their 1–5 scores per customer at date ``at``.

    Parameters
    ----------
    transactions : one row per transaction; customer, date, amount: its column names.
    at : the analysis date (分析日期). A transaction dated after it is an error.
    monetary : ``"total"`` (default: the customer's total spend, 消费总额, Hughes' original
        measure) or ``"mean"`` (spend per transaction, as in the Gamma-Gamma model).
    frequency_unit : ``"transaction"`` (default: every transaction counts, so two receipts on
        one day count twice) or ``"day"`` (distinct purchase days).
    ties : how equal values are scored, see :func:`quantile_score`; the default ``"average"``
        gives identical customers identical scores. Note that ``pd.qcut`` cannot be used on such
        data: on CDNOW half the customers bought once, so several quintile edges coincide and
        qcut raises; the popular ``rank(method="first")`` workaround (``ties="first"``) splits
        identical customers by row order.
    bins : number of score levels (5 → scores 1–5).

    Returns
    -------
    DataFrame indexed by customer with ``recency`` (whole days from the last purchase to
    ``at``), ``frequency``, ``monetary``, and scores ``R``, ``F``, ``M`` in 1…bins, 5 best.
    R is scored on −recency: the most recent buyers get R = 5.

    References
    ----------
    Hughes, A. M. (1994). Strategic Database Marketing. Probus. Fader, P. S., Hardie, B. G. S. &
    Lee, K. L. (2005). RFM and CLV: Using iso-value curves for customer base analysis. Journal
    of Marketing Research 42(4), 415–430 (the CDNOW data).
    """
    require_choice(monetary, "monetary", MONETARY)
    require_choice(frequency_unit, "frequency_unit", FREQUENCY_UNITS)
    require_choice(ties, "ties", TIE_RULES)
    bins = require_int(bins, "bins", minimum=2, maximum=100)
    summary = purchase_summary(transactions, customer, date, amount, at, frequency_unit=frequency_unit)
    if monetary == "total":
        money = summary["total"]
    else:
        transactions_per_customer = summary["frequency"] if frequency_unit == "transaction" else (
            transactions.groupby(customer, sort=True).size().reindex(summary.index))
        money = summary["total"] / transactions_per_customer
    return pd.DataFrame({
        "recency": summary["recency"],
        "frequency": summary["frequency"],
        "monetary": money,
        "R": quantile_score(-summary["recency"], bins, ties),
        "F": quantile_score(summary["frequency"], bins, ties),
        "M": quantile_score(money, bins, ties),
    }, index=summary.index)


def rfm_from_summary(
    table: pd.DataFrame,
    recency: str = "recency",
    frequency: str = "frequency",
    monetary: str = "monetary",
    *,
    ties: str = "average",
    bins: int = 5,
) -> pd.DataFrame:
    """RFM scores for a table that already holds recency, frequency and monetary value per customer.

    Many textbook and Kaggle data sets come summarised this way (one row per customer); this
    scores them exactly as :func:`rfm_scores` scores a transaction log.

    Parameters
    ----------
    table : one row per customer, indexed by customer.
    recency : column with the time since the last purchase (days, or any unit: only the order
        matters); smaller is better.
    frequency : column with the number of purchases.
    monetary : column with the money spent (total or per purchase, as your data define it).
    ties, bins : as in :func:`quantile_score`.

    Returns
    -------
    DataFrame indexed like ``table`` with ``recency``, ``frequency``, ``monetary``, ``R``, ``F``, ``M``.
    Formula: R = quantile_score(−recency), F = quantile_score(frequency), M = quantile_score(monetary).

    References
    ----------
    Hughes, A. M. (1994). Strategic Database Marketing. Probus.
    """
    require_frame(table, "table", [recency, frequency, monetary])
    require_choice(ties, "ties", TIE_RULES)
    bins = require_int(bins, "bins", minimum=2, maximum=100)
    if not table.index.is_unique:
        repeated = pd.unique(table.index[table.index.duplicated()])[:3]
        raise CrmlabInputError(tr(
            f"table must hold one row per customer; customer(s) {list(repeated)!r} appear more than once. "
            "A transaction log goes to rfm_scores instead.",
            f"table 必须每位客户一行；客户 {list(repeated)!r} 出现了多次。交易流水请使用 rfm_scores。",
        ))
    r = require_numeric(table[recency], f"table[{recency!r}]", allow_negative=False).astype(float)
    f = require_numeric(table[frequency], f"table[{frequency!r}]", allow_negative=False).astype(float)
    m = require_numeric(table[monetary], f"table[{monetary!r}]", allow_negative=False).astype(float)
    return pd.DataFrame({
        "recency": r, "frequency": f, "monetary": m,
        "R": quantile_score(-r, bins, ties), "F": quantile_score(f, bins, ties), "M": quantile_score(m, bins, ties),
    }, index=table.index)


@lru_cache(maxsize=1)
def _default_segment_map() -> pd.DataFrame:
    with resources.files("crmlab.classify").joinpath("data/rfm_segments.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def default_segment_map() -> pd.DataFrame:
    """The default RFM segment map: rectangles of R × FM scores → segment and action (en + zh).

    Columns ``r_min, r_max, fm_min, fm_max, segment, segment_zh, action, action_zh``; a segment
    may need several rectangles. Copy it, edit it and pass it to :func:`rfm_segments`.
    """
    return _default_segment_map().copy()


def segment_grid(segment_map: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segment map drawn as a bins × bins table: rows R (bins … 1), columns FM (1 … bins),
    where bins is the largest score the map names (5 for the default map).

    Raises :class:`CrmlabInputError` unless every cell belongs to exactly one rectangle.
    """
    table = _checked_map(segment_map)
    bins = _map_bins(table)
    grid = np.full((bins, bins), None, dtype=object)
    count = np.zeros((bins, bins), dtype=int)
    for row in table.itertuples(index=False):  # a map has a few dozen rows, not customers
        for r in range(row.r_min, row.r_max + 1):
            for fm in range(row.fm_min, row.fm_max + 1):
                grid[r - 1, fm - 1] = row.segment
                count[r - 1, fm - 1] += 1
    bad = [(r + 1, fm + 1) for r in range(bins) for fm in range(bins) if count[r, fm] != 1]
    if bad:
        missing = [cell for cell in bad if count[cell[0] - 1, cell[1] - 1] == 0]
        doubled = [cell for cell in bad if count[cell[0] - 1, cell[1] - 1] > 1]
        raise CrmlabInputError(tr(
            f"segment_map must cover each (R, FM) cell of the {bins}×{bins} grid exactly once; "
            f"cells with no segment: {missing[:6]}, cells in more than one segment: {doubled[:6]}. "
            "Fix the r_min/r_max/fm_min/fm_max ranges.",
            f"segment_map 必须恰好覆盖 {bins}×{bins} 网格中的每个 (R, FM) 单元一次；"
            f"未覆盖的单元：{missing[:6]}，重复覆盖的单元：{doubled[:6]}。请修改 r_min/r_max/fm_min/fm_max 的范围。",
        ))
    frame = pd.DataFrame(grid[::-1], index=pd.Index(range(bins, 0, -1), name="R"),
                         columns=pd.Index(range(1, bins + 1), name="FM"))
    return frame.astype("str")


def _map_bins(table: pd.DataFrame) -> int:
    bins = int(max(table["r_max"].max(), table["fm_max"].max()))
    if bins < 2 or min(table["r_min"].min(), table["fm_min"].min()) < 1:
        raise CrmlabInputError(tr(
            "segment_map scores must run from 1 up to at least 2 (e.g. 1–5); check r_min/r_max/fm_min/fm_max.",
            "segment_map 中的得分必须从 1 开始、最大至少为 2（例如 1–5）；请检查 r_min/r_max/fm_min/fm_max。",
        ))
    return bins


def _checked_map(segment_map: pd.DataFrame | None) -> pd.DataFrame:
    if segment_map is None:
        return _default_segment_map()
    require_frame(segment_map, "segment_map", SEGMENT_MAP_COLUMNS[:5])
    for column in SEGMENT_MAP_COLUMNS[:4]:
        require_numeric(segment_map[column], f"segment_map[{column!r}]", integer=True)
    table = segment_map.copy()
    # Only the segment name is required; a user's quick map may leave out translations and actions.
    if "segment_zh" not in table.columns:
        table["segment_zh"] = table["segment"]
    for column in ("action", "action_zh"):
        if column not in table.columns:
            table[column] = ""
    for column in SEGMENT_MAP_COLUMNS[:4]:
        table[column] = table[column].astype(np.int64)
    return table


def rfm_segments(scores: pd.DataFrame, segment_map: pd.DataFrame | None = None) -> pd.DataFrame:
    """Name each customer's RFM segment and the action it gets, from the R and FM scores.

    Parameters
    ----------
    scores : output of :func:`rfm_scores` (needs integer columns ``R``, ``F``, ``M``).
    segment_map : rectangles of R × FM → segment, as :func:`default_segment_map` returns; they
        must cover every cell of the grid exactly once. ``None`` uses the default map.

    Returns
    -------
    DataFrame indexed like ``scores`` with ``R``, ``FM`` (the mean of F and M rounded half up,
    FM = ⌊(F + M + 1) / 2⌋), ``segment``, ``segment_zh``, ``action``, ``action_zh``.

    References
    ----------
    The widely used 11-segment RFM grid (Champions … Lost) of R × mean(F, M) scores; the map is
    data so a company can replace it with its own.
    """
    require_frame(scores, "scores", ["R", "F", "M"])
    grid = segment_grid(segment_map)
    bins = len(grid)
    for column in ("R", "F", "M"):
        require_labels(require_series(scores[column], f"scores[{column!r}]"), f"scores[{column!r}]",
                       range(1, bins + 1))
    table = _checked_map(segment_map).drop_duplicates("segment").set_index("segment")
    r = scores["R"].to_numpy(dtype=np.int64)
    fm = (scores["F"].to_numpy(dtype=np.int64) + scores["M"].to_numpy(dtype=np.int64) + 1) // 2
    cells = grid.loc[list(range(1, bins + 1))].to_numpy()  # row k-1 holds R = k
    segment = pd.Series(cells[r - 1, fm - 1], index=scores.index, dtype="str")
    return pd.DataFrame({
        "R": scores["R"].astype(np.int64),
        "FM": pd.Series(fm, index=scores.index),
        "segment": segment,
        "segment_zh": segment.map(table["segment_zh"]).astype("str"),
        "action": segment.map(table["action"]).astype("str"),
        "action_zh": segment.map(table["action_zh"]).astype("str"),
    }, index=scores.index)
