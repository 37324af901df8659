"""The Kano model (卡诺模型): from functional/dysfunctional question pairs to quality categories.

Categories: A attractive (魅力质量/迷人质量), O one-dimensional (期望质量/一元质量),
M must-be (当然质量/必备质量), I indifferent (无差异质量), R reverse (反向质量),
Q questionable (可疑结果).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_frame, require_numeric

ANSWERS = ("like", "must-be", "neutral", "live-with", "dislike")
CATEGORIES = ("A", "O", "M", "I", "R", "Q")
# Berger et al. (1993), Table 1: rows = answer to the functional question, columns = answer to
# the dysfunctional question, both in the order like, must-be, neutral, live-with, dislike.
EVALUATION_TABLE = pd.DataFrame(
    [["Q", "A", "A", "A", "O"],
     ["R", "I", "I", "I", "M"],
     ["R", "I", "I", "I", "M"],
     ["R", "I", "I", "I", "M"],
     ["R", "R", "R", "R", "Q"]],
    index=pd.Index(ANSWERS, name="functional"), columns=pd.Index(ANSWERS, name="dysfunctional"),
)
_TABLE = EVALUATION_TABLE.to_numpy()
# Tie rule when two categories share the top count: the one that hurts most when missing wins
# (M > O > A > I), the rule Berger et al. (1993) give for mixed results.
TIE_ORDER = ("M", "O", "A", "I", "R", "Q")
# DuMouchel's asymmetric scores (Berger et al. 1993, p. 28).
FUNCTIONAL_SCORE = {"like": 4.0, "must-be": 2.0, "neutral": 0.0, "live-with": -1.0, "dislike": -2.0}
DYSFUNCTIONAL_SCORE = {"like": -2.0, "must-be": -1.0, "neutral": 0.0, "live-with": 2.0, "dislike": 4.0}
_POSITION = {label: k for k, label in enumerate(ANSWERS)}
_CODE_POSITION = {float(k + 1): k for k in range(len(ANSWERS))}


def _codes(values: Any, name: str) -> np.ndarray:
    """Answer labels or 1–5 codes → 0–4 positions in ANSWERS; unknown answers raise."""
    array = np.asarray(values, dtype=object)
    flat = pd.Series(array.ravel(), dtype=object)
    is_text = flat.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    is_bool = flat.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    by_label = flat[is_text].astype(str).str.strip().str.lower().map(_POSITION)
    by_code = pd.to_numeric(flat[~is_text & ~is_bool], errors="coerce").map(_CODE_POSITION)
    codes = pd.concat([by_label, by_code]).reindex(flat.index)
    if codes.isna().any():
        bad = flat[codes.isna()].head(3).tolist()
        raise CrmlabInputError(tr(
            f"{name} has unknown Kano answer(s) {bad}; use one of {list(ANSWERS)} or the codes 1–5 in that order.",
            f"{name} 含有未知的卡诺回答 {bad}；请使用 {list(ANSWERS)} 之一，或按此顺序的代码 1–5。",
        ))
    return codes.to_numpy(dtype=int).reshape(array.shape)


def kano_category(functional: Any, dysfunctional: Any) -> Any:
    """Kano category of answer pairs (卡诺评价表): "A", "O", "M", "I", "R" or "Q".

    Parameters
    ----------
    functional : one answer, or a sequence / Series of answers, to "How do you feel if the
        product has this feature?" — "like", "must-be", "neutral", "live-with", "dislike"
        (or 1–5 in that order).
    dysfunctional : the answer(s) to "… if it does not have it?", same length.

    Returns
    -------
    str for one pair; a Series on the same index for Series input; a list otherwise.

    References
    ----------
    Kano, N., Seraku, N., Takahashi, F., Tsuji, S. (1984). Attractive quality and must-be quality.
    Hinshitsu 14(2), 39–48. Berger, C. et al. (1993). Kano's methods for understanding
    customer-defined quality. Center for Quality of Management Journal 2(4), 3–36, Table 1.
    """
    scalar_f = isinstance(functional, (str, int, float, np.integer, np.floating))
    scalar_d = isinstance(dysfunctional, (str, int, float, np.integer, np.floating))
    if scalar_f != scalar_d:
        raise CrmlabInputError(tr(
            "functional and dysfunctional must both be single answers or both sequences of answers.",
            "functional 和 dysfunctional 必须同为单个回答，或同为回答序列。",
        ))
    if scalar_f:
        return str(_TABLE[_codes([functional], "functional")[0], _codes([dysfunctional], "dysfunctional")[0]])
    if isinstance(functional, pd.DataFrame) or isinstance(dysfunctional, pd.DataFrame):
        raise CrmlabInputError(tr(
            "kano_category takes one column of answers each; for a table of attributes use kano_table.",
            "kano_category 每个参数只接受一列回答；多个属性的表格请用 kano_table。",
        ))
    if len(functional) != len(dysfunctional):
        raise CrmlabInputError(tr(
            f"functional has {len(functional)} answers but dysfunctional has {len(dysfunctional)}; "
            "they must pair up one to one.",
            f"functional 有 {len(functional)} 个回答，而 dysfunctional 有 {len(dysfunctional)} 个；二者必须一一对应。",
        ))
    if isinstance(functional, pd.Series) and isinstance(dysfunctional, pd.Series) and not functional.index.equals(dysfunctional.index):
        raise CrmlabInputError(tr(
            "functional and dysfunctional Series have different indexes; align them (same respondents) first.",
            "functional 与 dysfunctional 的索引不同；请先按受访者对齐。",
        ))
    f_codes = _codes(list(functional), "functional")
    d_codes = _codes(list(dysfunctional), "dysfunctional")
    result = _TABLE[f_codes, d_codes]
    if isinstance(functional, pd.Series):
        return pd.Series(result, index=functional.index, name="kano", dtype="str")
    if isinstance(dysfunctional, pd.Series):
        return pd.Series(result, index=dysfunctional.index, name="kano", dtype="str")
    return [str(v) for v in result]


def kano_table(functional: pd.DataFrame, dysfunctional: pd.DataFrame) -> pd.DataFrame:
    """Category of every respondent × attribute: two answer tables (one column per attribute) → one table."""
    require_frame(functional, "functional")
    require_frame(dysfunctional, "dysfunctional", list(functional.columns))
    if not functional.index.equals(dysfunctional.index):
        raise CrmlabInputError(tr(
            "functional and dysfunctional have different row indexes; each row must be the same respondent.",
            "functional 与 dysfunctional 的行索引不同；每一行必须是同一受访者。",
        ))
    cols = list(functional.columns)
    f_codes = _codes(functional[cols].to_numpy(), "functional")
    d_codes = _codes(dysfunctional[cols].to_numpy(), "dysfunctional")
    return pd.DataFrame(_TABLE[f_codes, d_codes], index=functional.index, columns=cols, dtype="str")


def kano_counts(functional: pd.DataFrame, dysfunctional: pd.DataFrame) -> pd.DataFrame:
    """Counts of each category per attribute, the assigned category, and Better/Worse.

    Returns a DataFrame indexed by attribute with columns A, O, M, I, R, Q (counts), n,
    category (the most frequent; ties broken M > O > A > I > R > Q), better, worse.

    Better = (A + O) / (A + O + M + I) — how much satisfaction rises when the attribute is
    present; Worse = −(O + M) / (A + O + M + I) — how much it falls when absent.

    References
    ----------
    Berger, C. et al. (1993), CQM Journal 2(4), 3–36. Timko, M. (1993), "An experiment in
    continuous analysis", same issue, 17–20 (the Better/Worse customer satisfaction coefficients).
    """
    table = kano_table(functional, dysfunctional)
    counts = pd.DataFrame({c: (table == c).sum() for c in CATEGORIES}).astype(int)
    counts.index.name = "attribute"
    counts["n"] = counts[list(CATEGORIES)].sum(axis=1)
    ordered = counts[list(TIE_ORDER)]
    counts["category"] = pd.Series(
        np.array(TIE_ORDER)[np.argmax(ordered.to_numpy() == ordered.max(axis=1).to_numpy()[:, None], axis=1)],
        index=counts.index, dtype="str")
    valid = counts[["A", "O", "M", "I"]].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        counts["better"] = (counts["A"] + counts["O"]) / valid
        counts["worse"] = -(counts["O"] + counts["M"]) / valid
    return counts


def better_worse(counts: pd.DataFrame) -> pd.DataFrame:
    """Better and Worse coefficients from a table of category counts (columns A, O, M, I)."""
    require_frame(counts, "counts", ["A", "O", "M", "I"])
    counts = pd.DataFrame({c: require_numeric(counts[c], f"counts[{c!r}]", allow_negative=False)
                           for c in ("A", "O", "M", "I")}, index=counts.index).astype(float)
    valid = counts[["A", "O", "M", "I"]].sum(axis=1)
    if (valid == 0).any():
        raise CrmlabInputError(tr(
            f"attribute(s) {list(counts.index[valid == 0])} have no A, O, M or I answers; Better/Worse is undefined.",
            f"属性 {list(counts.index[valid == 0])} 没有 A、O、M、I 类回答，无法计算 Better/Worse。",
        ))
    return pd.DataFrame({"better": (counts["A"] + counts["O"]) / valid,
                         "worse": -(counts["O"] + counts["M"]) / valid}, index=counts.index)


def kano_scores(functional: pd.DataFrame, dysfunctional: pd.DataFrame) -> pd.DataFrame:
    """DuMouchel's continuous Kano scores per attribute: mean functional and dysfunctional scores.

    Functional answers score like 4, must-be 2, neutral 0, live-with −1, dislike −2;
    dysfunctional answers like −2, must-be −1, neutral 0, live-with 2, dislike 4. Plotting
    (dysfunctional, functional) places must-be attributes right-low, attractive ones
    left-high, one-dimensional ones right-high. Also returns the standard deviations.

    References
    ----------
    DuMouchel, W., in Berger, C. et al. (1993), CQM Journal 2(4), 3–36, "Continuous analysis".
    """
    require_frame(functional, "functional")
    require_frame(dysfunctional, "dysfunctional", list(functional.columns))
    cols = list(functional.columns)
    f = np.array(list(FUNCTIONAL_SCORE.values()))[_codes(functional[cols].to_numpy(), "functional")]
    d = np.array(list(DYSFUNCTIONAL_SCORE.values()))[_codes(dysfunctional[cols].to_numpy(), "dysfunctional")]
    return pd.DataFrame({
        "functional": f.mean(axis=0), "dysfunctional": d.mean(axis=0),
        "functional_sd": f.std(axis=0, ddof=1) if len(f) > 1 else np.nan,
        "dysfunctional_sd": d.std(axis=0, ddof=1) if len(d) > 1 else np.nan,
    }, index=pd.Index(cols, name="attribute"))
