"""Importance–satisfaction matrix (满意度-重要性矩阵, importance–performance analysis)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.satisfaction.survey import check_scale, require_answers
from crmlab.validation import CrmlabInputError, require_choice, require_frame, require_numeric

QUADRANTS = pd.DataFrame(
    [
        ("concentrate", "Concentrate here", "重点改进区", True, False),
        ("keep_up", "Keep up the good work", "优势保持区", True, True),
        ("low_priority", "Low priority", "次要改进区", False, False),
        ("overkill", "Possible overkill", "过度投入区", False, True),
    ],
    columns=["quadrant", "en", "zh", "high_importance", "high_satisfaction"],
).set_index("quadrant")


def importance_satisfaction(
    importance: pd.Series,
    satisfaction: pd.Series,
    cut: str = "mean",
    scale: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Place each attribute in the importance–satisfaction matrix (IPA quadrants).

    Parameters
    ----------
    importance, satisfaction : one value per attribute (same index), e.g. mean ratings.
    cut : "mean" — cut lines at the grand means of importance and of satisfaction
        (Martilla & James' data-centred version); "midpoint" — at the scale midpoint
        (low + high) / 2, which needs ``scale``.
    scale : (lowest, highest) answer, needed for cut="midpoint".

    Returns
    -------
    DataFrame indexed by attribute: importance, satisfaction, quadrant (concentrate /
    keep_up / low_priority / overkill), with the cut values in ``.attrs``. A value equal
    to a cut line counts as high.

    References
    ----------
    Martilla, J. A., James, J. C. (1977). Importance-performance analysis. Journal of
    Marketing 41(1), 77–79.
    """
    imp = require_numeric(importance, "importance")
    sat = require_numeric(satisfaction, "satisfaction")
    if not imp.index.equals(sat.index):
        raise CrmlabInputError(tr(
            "importance and satisfaction must have the same attributes (index) in the same order.",
            "importance 与 satisfaction 必须有相同的属性（索引），且顺序一致。",
        ))
    require_choice(cut, "cut", ("mean", "midpoint"))
    if cut == "mean":
        imp_cut, sat_cut = float(imp.mean()), float(sat.mean())
    else:
        if scale is None:
            raise CrmlabInputError(tr(
                "cut='midpoint' needs the answer scale, e.g. scale=(1, 7).",
                "cut='midpoint' 需要给出量表，例如 scale=(1, 7)。",
            ))
        low, high = check_scale(scale)
        imp_cut = sat_cut = (low + high) / 2
    high_imp, high_sat = imp >= imp_cut, sat >= sat_cut
    quadrant = np.select(
        [high_imp & ~high_sat, high_imp & high_sat, ~high_imp & ~high_sat],
        ["concentrate", "keep_up", "low_priority"], default="overkill")
    out = pd.DataFrame({"importance": imp, "satisfaction": sat,
                        "quadrant": pd.Series(quadrant, index=imp.index, dtype="str")})
    out.attrs.update({"importance_cut": imp_cut, "satisfaction_cut": sat_cut})
    return out


def derived_importance(
    df: pd.DataFrame,
    attributes: Sequence[str],
    overall: str,
    method: str = "correlation",
    scale: tuple[int, int] | None = None,
) -> pd.Series:
    """Derived (statistical) importance of each attribute for overall satisfaction (推导重要性).

    method="correlation": Pearson r between the attribute rating and the overall rating.
    method="regression": standardised coefficients β of the OLS regression of overall on all
    attributes, β = R_xx⁻¹ r_xy (collinear attributes share credit unevenly; compare both).

    References
    ----------
    Martilla & James (1977); Gustafsson, A., Johnson, M. D. (2004). Determining attribute
    importance in a service satisfaction model. Journal of Service Research 7(2), 124–141.
    """
    require_choice(method, "method", ("correlation", "regression"))
    if isinstance(attributes, str):
        attributes = [attributes]
    repeated = sorted({a for a in attributes if list(attributes).count(a) > 1})
    if repeated or overall in attributes:
        raise CrmlabInputError(tr(
            f"attributes must name each column once and not the overall rating; {repeated or [overall]} "
            "appear(s) twice.",
            f"attributes 中每列只能出现一次，且不能包含总体评分；{repeated or [overall]} 重复出现。",
        ))
    columns = list(attributes) + [overall]
    if scale is None:
        require_frame(df, "df", columns)
        data = pd.DataFrame({c: require_numeric(df[c], f"df[{c!r}]") for c in columns})
    else:
        data = require_answers(df, columns, scale)
    flat = [c for c in columns if data[c].nunique() <= 1]
    if flat:
        raise CrmlabInputError(tr(
            f"column(s) {flat} have the same answer from every respondent; importance cannot be derived from them.",
            f"列 {flat} 所有受访者回答相同，无法据此推导重要性。",
        ))
    if len(data) <= len(attributes) + 1 and method == "regression":
        raise CrmlabInputError(tr(
            f"regression needs more respondents ({len(data)}) than attributes + 1 ({len(attributes) + 1}).",
            f"回归需要受访者人数（{len(data)}）多于属性数 + 1（{len(attributes) + 1}）。",
        ))
    R = data.corr().to_numpy()
    k = len(attributes)
    if method == "correlation":
        values = R[:k, k]
    else:
        # A singular (or nearly singular) correlation matrix means one attribute is a combination of
        # others: regression cannot split the credit between them.
        if np.linalg.cond(R[:k, :k]) > 1e10:
            eigenvalues, vectors = np.linalg.eigh(R[:k, :k])
            involved = [attributes[j] for j in np.flatnonzero(np.abs(vectors[:, 0]) > 1e-6)]
            raise CrmlabInputError(tr(
                f"attributes {involved} are collinear (one is a combination of the others), so regression cannot "
                "separate their importance. Drop one of them, or use method='correlation'.",
                f"属性 {involved} 完全共线（其中一个是其他属性的组合），回归无法区分它们的重要性。"
                "请删除其中一个，或使用 method='correlation'。",
            ))
        values = np.linalg.solve(R[:k, :k], R[:k, k])
    return pd.Series(values, index=pd.Index(list(attributes), name="attribute"), name=f"importance_{method}")
