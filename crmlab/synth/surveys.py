"""Synthetic satisfaction surveys from a stated latent model (the truth is kept, so lessons can check methods).

Three generators, each a pure function of (model, size, seed):

- :func:`index_survey` — respondents from a structural model between constructs with known
  path coefficients; each construct measured by Likert items with known loadings; an
  optional halo effect (光环效应: one overall impression colouring every answer).
- :func:`kano_survey` — functional/dysfunctional answers from each attribute's true Kano category.
- :func:`servqual_survey` — SERVQUAL expectation and perception answers with known gaps per dimension.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtri

from crmlab.i18n import tr
from crmlab.satisfaction.kano import ANSWERS, CATEGORIES
from crmlab.satisfaction.servqual import SERVQUAL_ITEMS
from crmlab.validation import CrmlabInputError, require_int

# The ECSI structure with coefficients close to those estimated on the mobile-phone data
# (Tenenhaus et al. 2005), so generated data look like a real index survey.
DEFAULT_PATHS = {
    ("IMAG", "EXPE"): 0.50, ("IMAG", "SAT"): 0.18, ("IMAG", "LOY"): 0.20,
    ("EXPE", "QUAL"): 0.56, ("EXPE", "VAL"): 0.05, ("EXPE", "SAT"): 0.06,
    ("QUAL", "VAL"): 0.56, ("QUAL", "SAT"): 0.51, ("VAL", "SAT"): 0.19,
    ("SAT", "COMP"): 0.53, ("SAT", "LOY"): 0.49, ("COMP", "LOY"): 0.07,
}
DEFAULT_ITEMS = {"IMAG": 5, "EXPE": 3, "QUAL": 7, "VAL": 2, "SAT": 3, "COMP": 1, "LOY": 3}
# Canonical answer pair (functional, dysfunctional) that each true category produces.
KANO_PATTERN = {
    "A": ("like", "neutral"), "O": ("like", "dislike"), "M": ("neutral", "dislike"),
    "I": ("neutral", "neutral"), "R": ("dislike", "like"), "Q": ("like", "like"),
}


@dataclass(frozen=True)
class SurveySample:
    """Generated answers plus the truth they were drawn from."""

    responses: pd.DataFrame
    truth: dict = field(default_factory=dict)


def _implied_correlation(constructs: list[str], paths: Mapping[tuple[str, str], float]) -> np.ndarray:
    """Correlation matrix of standardised constructs implied by a recursive path model."""
    index = {c: k for k, c in enumerate(constructs)}
    R = np.eye(len(constructs))
    for j, c in enumerate(constructs):
        pred = [(index[s], b) for (s, d), b in paths.items() if d == c]
        if not pred:
            continue
        rows = np.array([i for i, _ in pred])
        beta = np.array([b for _, b in pred])
        explained = float(beta @ R[np.ix_(rows, rows)] @ beta)
        if explained >= 1:
            raise CrmlabInputError(tr(
                f"the paths into {c!r} explain {explained:.2f} ≥ 1 of its variance; lower the coefficients.",
                f"指向 {c!r} 的路径解释了其方差的 {explained:.2f} ≥ 1；请降低路径系数。",
            ))
        for k in range(j):
            R[j, k] = R[k, j] = float(beta @ R[rows, k])
    return R


def _order(paths: Mapping[tuple[str, str], float]) -> list[str]:
    constructs = list(dict.fromkeys(c for pair in paths for c in pair))
    done: list[str] = []
    while len(done) < len(constructs):
        ready = [c for c in constructs if c not in done and all(s in done for s, d in paths if d == c)]
        if not ready:
            raise CrmlabInputError(tr("paths contain a cycle.", "paths 中存在环。"))
        done.extend(ready)
    return done


def _to_likert(z: np.ndarray, scale: tuple[int, int]) -> np.ndarray:
    """Cut a standard-normal answer into equal-probability Likert categories."""
    low, high = scale
    k = high - low + 1
    cuts = ndtri(np.arange(1, k) / k)
    return low + np.searchsorted(cuts, z)


def index_survey(
    n: int,
    paths: Mapping[tuple[str, str], float] | None = None,
    items: Mapping[str, int] | None = None,
    loading: float | Mapping[str, float] = 0.85,
    halo: float = 0.0,
    scale: tuple[int, int] | None = (1, 10),
    seed: int = 0,
) -> SurveySample:
    """Respondents of a satisfaction-index survey drawn from a known structural model.

    Model: standardised constructs η with η_j = Σ_i β_ij η_i + ζ_j, var(η_j) = 1; item
    x = λ η + √(1 − λ² − h²) ε + h g, where g is each respondent's halo (one general
    impression shared by all items) and h = ``halo``; then x is cut into Likert categories
    of equal probability (``scale=None`` keeps the continuous answers).

    Returns a :class:`SurveySample`; ``responses`` has items named ``{construct}{k}``;
    ``truth`` holds "paths" (Series by (from, to)), "loadings" (Series by item), "blocks"
    and "scores" (the latent η, DataFrame).

    References
    ----------
    Thorndike, E. L. (1920). A constant error in psychological ratings. Journal of Applied
    Psychology 4(1), 25–29 (the halo effect).
    """
    n = require_int(n, "n", minimum=10)
    seed = require_int(seed, "seed", minimum=0)
    paths = dict(DEFAULT_PATHS if paths is None else paths)
    constructs = _order(paths)
    items = dict(DEFAULT_ITEMS if items is None else items)
    missing = [c for c in constructs if c not in items]
    if missing:
        raise CrmlabInputError(tr(f"items gives no item count for {missing}.", f"items 缺少 {missing} 的题项数。"))
    loadings = {c: float(loading[c] if isinstance(loading, Mapping) else loading) for c in constructs}
    for c, lam in loadings.items():
        if not 0 < lam ** 2 + halo ** 2 < 1 or lam <= 0:
            raise CrmlabInputError(tr(
                f"loading² + halo² must be in (0, 1) with a positive loading; for {c!r} got loading={lam}, halo={halo}.",
                f"载荷² + 光环² 必须在 (0, 1) 内且载荷为正；{c!r} 的载荷={lam}，光环={halo}。",
            ))
    R = _implied_correlation(constructs, paths)
    rng = np.random.default_rng(seed)
    eta = rng.standard_normal((n, len(constructs))) @ np.linalg.cholesky(R).T
    general = rng.standard_normal(n)
    columns, blocks, item_loadings = {}, {}, {}
    for k, c in enumerate(constructs):
        lam = loadings[c]
        blocks[c] = [f"{c}{i + 1}" for i in range(items[c])]
        noise = rng.standard_normal((n, items[c]))
        x = lam * eta[:, [k]] + np.sqrt(1 - lam ** 2 - halo ** 2) * noise + halo * general[:, None]
        for i, name in enumerate(blocks[c]):
            columns[name] = _to_likert(x[:, i], scale) if scale is not None else x[:, i]
            item_loadings[name] = lam
    responses = pd.DataFrame(columns, index=pd.RangeIndex(n, name="respondent"))
    truth = {
        "paths": pd.Series(list(paths.values()), index=pd.MultiIndex.from_tuples(list(paths), names=["from", "to"]),
                           name="path"),
        "loadings": pd.Series(item_loadings, name="loading"),
        "blocks": blocks,
        "scores": pd.DataFrame(eta, index=responses.index, columns=constructs),
    }
    return SurveySample(responses, truth)


def kano_survey(n: int, categories: Mapping[str, str], noise: float = 0.2, seed: int = 0) -> SurveySample:
    """Kano questionnaire answers from each attribute's true category.

    Each respondent answers an attribute with its category's canonical pair
    (A: like/neutral, O: like/dislike, M: neutral/dislike, I: neutral/neutral,
    R: dislike/like) with probability 1 − ``noise``, otherwise with a uniformly random pair.
    Returns ``responses`` with columns ``{attribute}_functional`` and
    ``{attribute}_dysfunctional`` (answer labels) and ``truth["categories"]``.
    """
    n = require_int(n, "n", minimum=1)
    seed = require_int(seed, "seed", minimum=0)
    if not isinstance(categories, Mapping) or not categories:
        raise CrmlabInputError(tr("categories must map each attribute to its true category, e.g. {'wifi': 'A'}.",
                                  "categories 必须把每个属性映射到其真实类别，例如 {'wifi': 'A'}。"))
    bad = {a: c for a, c in categories.items() if c not in CATEGORIES[:5]}
    if bad:
        raise CrmlabInputError(tr(f"unknown Kano categories {bad}; use A, O, M, I or R.",
                                  f"未知的卡诺类别 {bad}；请使用 A、O、M、I 或 R。"))
    if not 0 <= noise <= 1:
        raise CrmlabInputError(tr(f"noise must be in [0, 1], got {noise}.", f"noise 必须在 [0, 1] 内，实际是 {noise}。"))
    rng = np.random.default_rng(seed)
    labels = np.array(ANSWERS)
    position = {a: k for k, a in enumerate(ANSWERS)}
    columns = {}
    for attribute, category in categories.items():
        f_true, d_true = KANO_PATTERN[category]
        random_pair = rng.random(n) < noise
        f = np.where(random_pair, rng.integers(0, 5, n), position[f_true])
        d = np.where(random_pair, rng.integers(0, 5, n), position[d_true])
        columns[f"{attribute}_functional"] = labels[f]
        columns[f"{attribute}_dysfunctional"] = labels[d]
    responses = pd.DataFrame(columns, index=pd.RangeIndex(n, name="respondent")).astype("str")
    return SurveySample(responses, {"categories": pd.Series(dict(categories), name="category", dtype="str")})


def servqual_survey(n: int, gaps: Mapping[str, float], expectation: float = 4.5, spread: float = 0.8,
                    wording: str = "positive", seed: int = 0) -> SurveySample:
    """SERVQUAL answers (7-point, 22 items E1…E22 and P1…P22) with a known mean gap per dimension.

    Expectations are drawn around ``expectation``; perceptions around expectation + gap of
    the item's dimension; both rounded and clipped to 1–7. ``wording="1988"`` writes the
    negatively worded items (10–13, 18–22) as respondents would answer them (reversed:
    8 − x), so they must be reverse-scored before analysis.
    """
    n = require_int(n, "n", minimum=1)
    seed = require_int(seed, "seed", minimum=0)
    dims = list(dict.fromkeys(SERVQUAL_ITEMS["dimension"]))
    missing = [d for d in dims if d not in gaps]
    if missing:
        raise CrmlabInputError(tr(f"gaps needs a value for every dimension; missing {missing}.",
                                  f"gaps 需要为每个维度给值；缺少 {missing}。"))
    if wording not in ("positive", "1988"):
        raise CrmlabInputError(tr(f"wording must be 'positive' or '1988', got {wording!r}.",
                                  f"wording 必须是 'positive' 或 '1988'，实际是 {wording!r}。"))
    rng = np.random.default_rng(seed)
    item_gap = SERVQUAL_ITEMS["dimension"].map(dict(gaps)).to_numpy(dtype=float)
    person = rng.normal(0, spread / 2, (n, 1))
    e = expectation + person + rng.normal(0, spread, (n, 22))
    p = e + item_gap + rng.normal(0, spread, (n, 22))
    e, p = np.clip(np.rint(e), 1, 7).astype(int), np.clip(np.rint(p), 1, 7).astype(int)
    if wording == "1988":
        flip = SERVQUAL_ITEMS["negative_1988"].to_numpy()
        e[:, flip], p[:, flip] = 8 - e[:, flip], 8 - p[:, flip]
    responses = pd.concat([
        pd.DataFrame(e, columns=[f"E{i}" for i in range(1, 23)]),
        pd.DataFrame(p, columns=[f"P{i}" for i in range(1, 23)]),
    ], axis=1)
    responses.index = pd.RangeIndex(n, name="respondent")
    return SurveySample(responses, {"gaps": pd.Series(dict(gaps), name="gap"), "wording": wording})
