"""SERVQUAL (服务质量差距模型): gap = perception − expectation over 22 items in five dimensions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.satisfaction.survey import require_answers
from crmlab.validation import CrmlabInputError

# Parasuraman, Zeithaml & Berry (1988), Journal of Retailing 64(1), 12–40, Appendix: the 22
# statements and their dimensions; in that version statements 10–13 and 18–22 are worded
# negatively (e.g. "It is not realistic to expect prompt service") and are reverse-scored.
SERVQUAL_ITEMS = pd.DataFrame({
    "item": range(1, 23),
    "dimension": ["tangibles"] * 4 + ["reliability"] * 5 + ["responsiveness"] * 4 + ["assurance"] * 4 + ["empathy"] * 5,
    "negative_1988": [False] * 9 + [True] * 4 + [False] * 4 + [True] * 5,
}).set_index("item")
DIMENSIONS_ZH = {"tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性",
                 "assurance": "保证性", "empathy": "移情性"}


def servqual_gaps(
    df: pd.DataFrame,
    expectation: Sequence[str],
    perception: Sequence[str],
    dimensions: Sequence[str] | None = None,
    scale: tuple[int, int] = (1, 7),
    reverse: Sequence[bool] | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, pd.DataFrame | pd.Series]:
    """SERVQUAL gap scores (服务质量差距) per respondent: item, dimension and overall.

    Parameters
    ----------
    df : one row per respondent.
    expectation, perception : item columns in the same order (E1…E22 and P1…P22).
    dimensions : the dimension of each item; default the 1988 map in :data:`SERVQUAL_ITEMS`
        (needs 22 items).
    scale : answer scale, (1, 7) in the original.
    reverse : True for items worded negatively, reverse-scored (x' = low + high − x) on both
        sides before the gap is taken; default none. Pass
        ``SERVQUAL_ITEMS["negative_1988"]`` for the 1988 questionnaire.
    weights : optional importance weight per dimension (e.g. from the 100-point allocation);
        the weighted overall gap is Σ_d w_d · gap_d / Σ_d w_d.

    Returns
    -------
    dict with "items" (DataFrame of item gaps, columns = perception column names),
    "dimensions" (DataFrame, one column per dimension: mean item gap), "overall" (Series:
    mean of the dimension gaps, or their weighted mean).

    Formula: gap_i = P_i − E_i; negative gaps mean service below expectation.

    References
    ----------
    Parasuraman, A., Zeithaml, V. A., Berry, L. L. (1988). SERVQUAL: a multiple-item scale for
    measuring consumer perceptions of service quality. Journal of Retailing 64(1), 12–40.
    """
    expectation, perception = list(expectation), list(perception)
    if len(expectation) != len(perception):
        raise CrmlabInputError(tr(
            f"expectation has {len(expectation)} items but perception has {len(perception)}; they must pair up.",
            f"expectation 有 {len(expectation)} 个题项而 perception 有 {len(perception)} 个；必须一一对应。",
        ))
    if dimensions is None:
        if len(expectation) != len(SERVQUAL_ITEMS):
            raise CrmlabInputError(tr(
                f"without dimensions the 22-item SERVQUAL map is used, but {len(expectation)} items were given. "
                "Pass dimensions=[...] with one dimension per item.",
                f"未给出 dimensions 时使用 22 题的 SERVQUAL 对应表，但只给了 {len(expectation)} 个题项。请传入每个题项的维度。",
            ))
        dimensions = list(SERVQUAL_ITEMS["dimension"])
    dimensions = list(dimensions)
    if len(dimensions) != len(expectation):
        raise CrmlabInputError(tr(
            f"dimensions has {len(dimensions)} entries for {len(expectation)} items.",
            f"dimensions 有 {len(dimensions)} 项，而题项有 {len(expectation)} 个。",
        ))
    low, high = scale
    e = require_answers(df, expectation, scale).to_numpy(copy=True)
    p = require_answers(df, perception, scale).to_numpy(copy=True)
    if reverse is not None:
        flip = np.asarray(list(reverse), dtype=bool)
        if len(flip) != len(expectation):
            raise CrmlabInputError(tr(
                f"reverse has {len(flip)} entries for {len(expectation)} items.",
                f"reverse 有 {len(flip)} 项，而题项有 {len(expectation)} 个。",
            ))
        e[:, flip] = low + high - e[:, flip]
        p[:, flip] = low + high - p[:, flip]
    items = pd.DataFrame(p - e, index=df.index, columns=perception)
    order = list(dict.fromkeys(dimensions))
    by_dim = items.T.groupby(pd.Index(dimensions), sort=False).mean().T[order]
    if weights is None:
        overall = by_dim.mean(axis=1)
    else:
        missing = [d for d in order if d not in weights]
        if missing or any(weights[d] < 0 for d in order) or sum(weights[d] for d in order) <= 0:
            raise CrmlabInputError(tr(
                f"weights must give a non-negative weight to every dimension {order} (some positive); got {dict(weights)}.",
                f"weights 必须为每个维度 {order} 给出非负权重（且至少一个为正）；实际是 {dict(weights)}。",
            ))
        w = pd.Series({d: float(weights[d]) for d in order})
        overall = by_dim @ w / w.sum()
    return {"items": items, "dimensions": by_dim, "overall": overall.rename("servqual_gap")}
