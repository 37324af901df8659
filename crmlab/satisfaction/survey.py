"""Survey tools (问卷调查): Likert summaries, reverse-scored items, Net Promoter Score."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_frame, require_numeric


def check_scale(scale: tuple[int, int], name: str = "scale") -> tuple[int, int]:
    """Check that ``scale`` is (lowest, highest) whole-number answer with lowest < highest."""
    if not (isinstance(scale, (tuple, list)) and len(scale) == 2
            and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in scale) and scale[0] < scale[1]):
        raise CrmlabInputError(tr(
            f"{name} must be (lowest, highest) answer as whole numbers, e.g. (1, 5) or (1, 7); got {scale!r}.",
            f"{name} 必须是整数 (最低分, 最高分)，例如 (1, 5) 或 (1, 7)；实际是 {scale!r}。",
        ))
    return int(scale[0]), int(scale[1])


def require_answers(df: pd.DataFrame, items: Sequence[str], scale: tuple[int, int], name: str = "df",
                    *, allow_nan: bool = False) -> pd.DataFrame:
    """Check that ``items`` are columns of whole-number answers within ``scale``; return them as floats."""
    low, high = check_scale(scale)
    if isinstance(items, str) or len(items) == 0:
        raise CrmlabInputError(tr(
            f"items must be a non-empty list of column names, got {items!r}.",
            f"items 必须是非空的列名列表，实际是 {items!r}。",
        ))
    require_frame(df, name, list(items))
    out = {}
    for item in items:
        values = require_numeric(df[item], f"{name}[{item!r}]", allow_nan=allow_nan)
        answered = values.dropna()
        bad = answered[(answered < low) | (answered > high) | (answered != np.floor(answered))]
        if len(bad):
            raise CrmlabInputError(tr(
                f"{name}[{item!r}] has answers {bad.head(3).tolist()} outside the {low}–{high} scale "
                f"(e.g. at index {bad.index[0]!r}). Pass the scale the question used, or clean the data first.",
                f"{name}[{item!r}] 有超出 {low}–{high} 量表的回答 {bad.head(3).tolist()}（例如索引 {bad.index[0]!r}）。"
                "请传入题目实际使用的量表，或先清洗数据。",
            ))
        out[item] = values.astype(float)
    return pd.DataFrame(out, index=df.index)


def reverse_score(df: pd.DataFrame, items: Sequence[str], scale: tuple[int, int] = (1, 5)) -> pd.DataFrame:
    """Reverse-score negatively worded items (反向计分): x' = low + high − x.

    Returns a copy of ``df`` with ``items`` reversed, so that a high answer always means
    a favourable opinion. Example on 1–5: 1 ↔ 5, 2 ↔ 4, 3 stays.

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. Archives of Psychology 140.
    """
    low, high = check_scale(scale)
    answers = require_answers(df, items, scale, allow_nan=True)
    out = df.copy()
    for item in items:
        out[item] = low + high - answers[item]
    return out


def likert_summary(df: pd.DataFrame, items: Sequence[str], scale: tuple[int, int] = (1, 5)) -> pd.DataFrame:
    """Summary of Likert items (李克特量表): one row per item.

    Columns: n (answers), mean, sd, median, top_box (share answering in the top two
    categories, 满意率 "top-2-box"), bottom_box (share in the bottom two), and the share of
    each answer 1…k.

    References
    ----------
    Likert, R. (1932). Archives of Psychology 140.
    """
    low, high = check_scale(scale)
    answers = require_answers(df, items, scale, allow_nan=True)
    levels = np.arange(low, high + 1)
    n = answers.notna().sum()
    shares = pd.DataFrame({int(v): (answers == v).sum() / n for v in levels})
    summary = pd.DataFrame({
        "n": n.astype(int),
        "mean": answers.mean(),
        "sd": answers.std(ddof=1),
        "median": answers.median(),
        "top_box": (answers >= high - 1).sum() / n,
        "bottom_box": (answers <= low + 1).sum() / n,
    })
    summary.index.name = "item"
    return summary.join(shares)


def straightliners(df: pd.DataFrame, items: Sequence[str], scale: tuple[int, int] = (1, 5)) -> pd.Series:
    """Flag respondents who gave the same answer to every item (直线作答, a cleaning check): bool per row."""
    answers = require_answers(df, items, scale, allow_nan=True)
    return (answers.nunique(axis=1) <= 1).rename("straightliner")


NPS_GROUPS = ("detractor", "passive", "promoter")


def nps_groups(scores: pd.Series) -> pd.Series:
    """Promoter (9–10), passive (7–8) or detractor (0–6) for each answer to the 0–10 recommend question."""
    values = require_numeric(scores, "scores")
    bad = values[(values < 0) | (values > 10) | (values != np.floor(values))]
    if len(bad):
        raise CrmlabInputError(tr(
            f"scores must be whole numbers 0–10 (the 'how likely are you to recommend' question); "
            f"found {bad.head(3).tolist()} at index {bad.index[:3].tolist()}.",
            f"scores 必须是 0–10 的整数（“您向他人推荐的可能性”）；在索引 {bad.index[:3].tolist()} 处发现 {bad.head(3).tolist()}。",
        ))
    groups = np.where(values >= 9, "promoter", np.where(values >= 7, "passive", "detractor"))
    return pd.Series(groups, index=values.index, name="nps_group", dtype="str")


def nps(scores: pd.Series) -> float:
    """Net Promoter Score (净推荐值): % promoters (9–10) − % detractors (0–6), from −100 to 100.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12), 46–54.
    """
    groups = nps_groups(scores)
    return float(100 * ((groups == "promoter").mean() - (groups == "detractor").mean()))
