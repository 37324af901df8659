"""PLS path modelling (偏最小二乘路径模型) for satisfaction index models (顾客满意度指数模型).

:class:`PathModel` estimates a structural model between latent constructs (e.g. image →
expectation → quality → value → satisfaction → loyalty), each measured by a block of survey
items, with the Wold/Lohmöller PLS algorithm. It is the estimator behind the ACSI, ECSI, SCSB
and CCSI indices (:mod:`crmlab.satisfaction.index_models`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, check_is_fitted, require_choice, require_frame, require_int, require_numeric, require_positive,
    warn_convergence,
)

SCHEMES = ("path", "centroid", "factorial")
MODES = ("A", "B")


def _topological_order(constructs: list[str], paths: list[tuple[str, str]]) -> list[str]:
    """Order constructs so that every cause comes before its effects; reject cycles."""
    remaining = list(constructs)
    done: list[str] = []
    while remaining:
        ready = [c for c in remaining if all(src in done for src, dst in paths if dst == c)]
        if not ready:
            raise CrmlabInputError(tr(
                f"paths contain a cycle among {remaining}; a PLS path model must be recursive (no loops).",
                f"paths 在 {remaining} 之间形成了循环；PLS 路径模型必须是递归的（不能有环）。",
            ))
        done.extend(ready)
        remaining = [c for c in remaining if c not in ready]
    return done


class PathModel:
    """PLS path model (偏最小二乘路径模型): outer (measurement) and inner (structural) estimates.

    Parameters
    ----------
    paths : list of (from, to) construct pairs, the inner model, e.g. ``[("EXPE", "SAT")]``.
    blocks : mapping construct → list of item columns (its manifest variables).
    scheme : inner weighting, ``"path"`` (default), ``"centroid"`` or ``"factorial"``.
    standardize : True (default) scales every item to mean 0, sd 1; False only centres it
        (unstandardised data: items on a common scale keep their relative variances).
    modes : optional mapping construct → ``"A"`` (reflective, default) or ``"B"`` (formative).
    tol : convergence tolerance on the largest change of an outer weight.
    max_iter : maximum number of iterations of the outer/inner loop.

    Attributes (after ``fit``)
    --------------------------
    weights_ : Series indexed by item, outer weights (scores have unit variance).
    loadings_ : Series indexed by item, correlation of each item with its construct score.
    path_coefficients_ : Series indexed by (from, to), standardised OLS coefficients.
    r2_ : Series indexed by endogenous construct.
    scores_ : DataFrame of construct scores (mean 0, sd 1), indexed like the data.
    n_iter_ : iterations used.

    Algorithm (Lohmöller 1989)
    --------------------------
    Start with all outer weights 1. Repeat: outer estimate Y_j = X_j w_j scaled to sd 1;
    inner weights e_ij (path: regression coefficient of j on its predecessors, correlation
    with its successors; centroid: sign of the correlation; factorial: the correlation) for
    adjacent constructs; inner estimate Z_j = Σ_i e_ij Y_i; new weights mode A
    w_j = cov(X_j, Z_j), mode B w_j = (X_j'X_j)⁻¹ X_j'Z_j; until max |Δw| < tol. Then
    path coefficients by OLS of each endogenous score on its predecessors, loadings
    λ = cor(x, Y). A score's sign is arbitrary: each block is flipped so that most of its
    loadings are positive (ties: its first item).

    References
    ----------
    Wold, H. (1982). Soft modeling: the basic design and some extensions. In Jöreskog & Wold (eds.),
    Systems under indirect observation, Part II, 1–54.
    Lohmöller, J.-B. (1989). Latent Variable Path Modeling with Partial Least Squares. Physica.
    Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., Lauro, C. (2005). PLS path modeling.
    Computational Statistics & Data Analysis 48, 159–205.
    Fornell, C. et al. (1996). The American Customer Satisfaction Index. Journal of Marketing 60(4), 7–18.
    """

    def __init__(
        self,
        paths: Sequence[tuple[str, str]],
        blocks: Mapping[str, Sequence[str]],
        scheme: str = "path",
        standardize: bool = True,
        modes: Mapping[str, str] | None = None,
        tol: float = 1e-10,
        max_iter: int = 300,
    ) -> None:
        self.paths = paths
        self.blocks = blocks
        self.scheme = scheme
        self.standardize = standardize
        self.modes = modes
        self.tol = tol
        self.max_iter = max_iter

    # ----------------------------------------------------------------- checks
    def _check_spec(self) -> None:
        if not isinstance(self.blocks, Mapping) or not self.blocks:
            raise CrmlabInputError(tr(
                f"blocks must map each construct to its item columns, e.g. {{'SAT': ['CUSA1', 'CUSA2']}}; "
                f"got {self.blocks!r}.",
                f"blocks 必须把每个潜变量映射到它的题项列，例如 {{'SAT': ['CUSA1', 'CUSA2']}}；实际是 {self.blocks!r}。",
            ))
        constructs = list(self.blocks)
        seen: dict[str, str] = {}
        for construct, items in self.blocks.items():
            if isinstance(items, str) or not isinstance(items, Sequence) or len(items) == 0:
                raise CrmlabInputError(tr(
                    f"blocks[{construct!r}] must be a non-empty list of item columns, got {items!r}.",
                    f"blocks[{construct!r}] 必须是非空的题项列列表，实际是 {items!r}。",
                ))
            for item in items:
                if item in seen:
                    raise CrmlabInputError(tr(
                        f"item {item!r} is in two blocks ({seen[item]!r} and {construct!r}); each item measures one construct.",
                        f"题项 {item!r} 同时属于 {seen[item]!r} 和 {construct!r}；每个题项只能测量一个潜变量。",
                    ))
                seen[item] = construct
        try:
            paths = [tuple(p) for p in self.paths] if not isinstance(self.paths, str) else None
        except TypeError:
            paths = None
        if not paths or any(len(p) != 2 for p in paths):
            raise CrmlabInputError(tr(
                f"paths must be a non-empty list of (from, to) pairs, got {self.paths!r}.",
                f"paths 必须是非空的 (from, to) 二元组列表，实际是 {self.paths!r}。",
            ))
        for src, dst in paths:
            for end in (src, dst):
                if end not in self.blocks:
                    raise CrmlabInputError(tr(
                        f"path ({src!r}, {dst!r}) names construct {end!r}, which has no block. "
                        f"Constructs with items: {constructs}.",
                        f"路径 ({src!r}, {dst!r}) 中的潜变量 {end!r} 没有题项。已定义的潜变量：{constructs}。",
                    ))
            if src == dst:
                raise CrmlabInputError(tr(f"path ({src!r}, {dst!r}) points to itself.", f"路径 ({src!r}, {dst!r}) 指向自身。"))
        if len(set(paths)) != len(paths):
            raise CrmlabInputError(tr("paths lists the same path twice.", "paths 中有重复的路径。"))
        isolated = [c for c in constructs if not any(c in p for p in paths)]
        if isolated:
            raise CrmlabInputError(tr(
                f"construct(s) {isolated} are in blocks but on no path; add a path or drop the block.",
                f"潜变量 {isolated} 有题项但不在任何路径上；请添加路径或删除该题项块。",
            ))
        require_choice(self.scheme, "scheme", SCHEMES)
        for construct, mode in (self.modes or {}).items():
            if construct not in self.blocks:
                raise CrmlabInputError(tr(
                    f"modes names construct {construct!r}, which has no block.",
                    f"modes 中的潜变量 {construct!r} 没有题项。",
                ))
            require_choice(mode, f"modes[{construct!r}]", MODES)
        require_int(self.max_iter, "max_iter", minimum=1)
        require_positive(self.tol, "tol")

    def _prepare(self, df: pd.DataFrame) -> None:
        """Fix the layout: construct order, item order, adjacency and block masks."""
        self._check_spec()
        self.constructs_ = _topological_order(list(self.blocks), [tuple(p) for p in self.paths])
        self.items_ = [item for c in self.constructs_ for item in self.blocks[c]]
        require_frame(df, "df", self.items_)
        dtypes = df.dtypes[self.items_]
        numeric = all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in dtypes)
        if not numeric or not np.isfinite(df[self.items_].to_numpy(dtype=float)).all():
            # Slow path only for bad data: the shared check names the column, value and fix.
            for item in self.items_:
                require_numeric(df[item], f"df[{item!r}]")
        index = {c: k for k, c in enumerate(self.constructs_)}
        n_lv = len(self.constructs_)
        self._adjacency = np.zeros((n_lv, n_lv), dtype=bool)  # [i, j] True when i → j
        for src, dst in self.paths:
            self._adjacency[index[src], index[dst]] = True
        self._mask = np.zeros((len(self.items_), n_lv), dtype=bool)
        self._block_of = np.empty(len(self.items_), dtype=int)
        start = 0
        for k, c in enumerate(self.constructs_):
            stop = start + len(self.blocks[c])
            self._mask[start:stop, k] = True
            self._block_of[start:stop] = k
            start = stop
        self._first_item = np.searchsorted(self._block_of, np.arange(n_lv))
        modes = dict(self.modes or {})
        self._mode_b = [k for k, c in enumerate(self.constructs_) if modes.get(c, "A") == "B"]
        self.endogenous_ = [c for c in self.constructs_ if self._adjacency[:, index[c]].any()]
        # Index arrays built once: (construct, its predecessors, the predecessors' square block).
        self._predecessors = [(j, pred, np.ix_(pred, pred)) for j in range(n_lv)
                              if len(pred := np.flatnonzero(self._adjacency[:, j]))]
        self._mode_b_index = [(k, rows, np.ix_(rows, rows)) for k in self._mode_b
                              if len(rows := np.flatnonzero(self._mask[:, k]))]

    def _matrix(self, df: pd.DataFrame) -> np.ndarray:
        raw = df[self.items_].to_numpy(dtype=float)
        centred = raw - raw.mean(axis=0)
        sd = centred.std(axis=0, ddof=1)
        flat = np.flatnonzero(sd == 0)
        if len(flat):
            raise CrmlabInputError(tr(
                f"item(s) {[self.items_[k] for k in flat]} have the same answer from every respondent "
                "(zero variance), so they carry no information for the model. Drop them from blocks.",
                f"题项 {[self.items_[k] for k in flat]} 所有受访者的回答都相同（方差为 0），不含信息。请把它们从 blocks 中删除。",
            ))
        self._item_mean = raw.mean(axis=0)
        self._item_sd = sd
        return centred / sd if self.standardize else centred

    # ---------------------------------------------------------------- algorithm
    # Every step of the loop depends on the data only through the item covariance matrix
    # S = X'X / (n − 1) (Lohmöller 1989, ch. 2): cov(Y) = W'SW, cov(X, Z) = SWE. So the loop
    # runs on a p × p matrix whatever the number of respondents; scores are formed once at the end.
    # Every function below also takes a stack of matrices (leading axis = bootstrap resample),
    # so all resamples iterate together in a few batched numpy calls.
    def _estimate(self, S: np.ndarray, start: np.ndarray | None = None) -> tuple[np.ndarray, int, bool]:
        """Run the PLS loop on item covariance matrices S (…, p, p); return (W, iterations, converged)."""
        mask = self._mask
        W = self._normalise(S, np.broadcast_to(mask.astype(float) if start is None else start,
                                               S.shape[:-2] + mask.shape))
        adjacency = self._adjacency
        neighbours = adjacency | adjacency.T
        for iteration in range(1, self.max_iter + 1):
            C = np.swapaxes(W, -1, -2) @ S @ W
            if self.scheme == "centroid":
                E = np.sign(C) * neighbours
            elif self.scheme == "factorial":
                E = C * neighbours
            else:
                # A construct's successors weigh in by correlation, its predecessors by
                # their multiple-regression coefficients (Lohmöller's path weighting).
                E = np.where(adjacency.T, C, 0.0)
                for j, pred, square in self._predecessors:
                    E[..., pred, j] = np.linalg.solve(C[..., square[0], square[1]], C[..., pred, j][..., None])[..., 0]
            cov_xz = S @ W @ E
            W_new = cov_xz * mask
            for k, rows, square in self._mode_b_index:
                W_new[..., rows, k] = np.linalg.solve(S[..., square[0], square[1]], cov_xz[..., rows, k][..., None])[..., 0]
            W_new = self._normalise(S, W_new)
            change = np.max(np.abs(W_new - W))
            W = W_new
            if change < self.tol:
                return W, iteration, True
        return W, self.max_iter, False

    @staticmethod
    def _normalise(S: np.ndarray, W: np.ndarray) -> np.ndarray:
        """Scale each block's weights so that its score has variance 1."""
        var = np.einsum("...ij,...ik,...kj->...j", W, S, W)
        if np.any(var <= 1e-14):
            raise CrmlabInputError(tr(
                "a construct score has zero variance: its items do not vary together. Check the blocks.",
                "某个潜变量得分方差为 0：其题项没有共同变化。请检查 blocks。",
            ))
        return W / np.sqrt(var)[..., None, :]

    def _loadings(self, S: np.ndarray, W: np.ndarray) -> np.ndarray:
        """cor(x_i, Y_block(i)) = (SW)_i,block / s_i, since var(Y) = 1."""
        cov = S @ W
        items = np.arange(S.shape[-1])
        return cov[..., items, self._block_of] / np.sqrt(S[..., items, items])

    def _align_signs(self, S: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        loadings = self._loadings(S, W)
        positive = np.bincount(self._block_of, weights=loadings > 0, minlength=W.shape[1])
        negative = np.bincount(self._block_of, weights=loadings < 0, minlength=W.shape[1])
        first = loadings[self._first_item]
        signs = np.where((negative > positive) | ((negative == positive) & (first < 0)), -1.0, 1.0)
        return W * signs, loadings * signs[self._block_of]

    def _inner(self, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """OLS of each endogenous score on its predecessors from score correlations C (…, L, L): (B, R²)."""
        B = np.zeros(C.shape)
        r2 = np.full(C.shape[:-1], np.nan)
        for j, pred, square in self._predecessors:
            beta = np.linalg.solve(C[..., square[0], square[1]], C[..., pred, j][..., None])[..., 0]
            B[..., pred, j] = beta
            r2[..., j] = np.sum(beta * C[..., pred, j], axis=-1)
        return B, r2

    def _fit_covariance(self, S: np.ndarray, start: np.ndarray | None = None) -> dict[str, Any]:
        W, n_iter, converged = self._estimate(S, start)
        W, loadings = self._align_signs(S, W)
        B, r2 = self._inner(W.T @ S @ W)
        return {"W": W, "loadings": loadings, "B": B, "r2": r2, "n_iter": n_iter, "converged": converged}

    @staticmethod
    def _covariance(X: np.ndarray) -> np.ndarray:
        return (X.T @ X) / (X.shape[0] - 1)

    # --------------------------------------------------------------------- API
    def fit(self, df: pd.DataFrame) -> "PathModel":
        """Estimate the model on survey data ``df`` (one row per respondent); return self."""
        self._prepare(df)
        X = self._matrix(df)
        result = self._fit_covariance(self._covariance(X))
        if not result["converged"]:
            # The shared policy: a fit that stopped early keeps its (last) estimates and warns, as seminr does.
            warn_convergence(
                self,
                f"the PLS algorithm did not converge in max_iter={self.max_iter} iterations (tol={self.tol}); "
                "the estimates are those of the last iteration. Raise max_iter or check the blocks for items "
                "unrelated to their construct.",
                f"PLS 算法在 max_iter={self.max_iter} 次迭代内未收敛（tol={self.tol}），结果为最后一次迭代的估计值。"
                "请增大 max_iter，或检查是否有与其潜变量无关的题项。")
        self._X = X
        self._result = result
        self.n_iter_ = result["n_iter"]
        self.weights_ = pd.Series(result["W"][np.arange(len(self.items_)), self._block_of], index=self.items_, name="weight")
        self.loadings_ = pd.Series(result["loadings"], index=self.items_, name="loading")
        self.scores_ = pd.DataFrame(X @ result["W"], index=df.index, columns=self.constructs_)
        self.path_coefficients_ = self._path_series(result["B"])
        order = [self.constructs_.index(c) for c in self.endogenous_]
        self.r2_ = pd.Series(result["r2"][order], index=self.endogenous_, name="r2")
        self.construct_of_ = pd.Series([self.constructs_[k] for k in self._block_of], index=self.items_, name="construct")
        return self

    def _path_series(self, B: np.ndarray) -> pd.Series:
        index = {c: k for k, c in enumerate(self.constructs_)}
        pairs = [tuple(p) for p in self.paths]
        values = [B[index[s], index[d]] for s, d in pairs]
        return pd.Series(values, index=pd.MultiIndex.from_tuples(pairs, names=["from", "to"]), name="path")

    def _require_fitted(self) -> None:
        check_is_fitted(self, "path_coefficients_")

    def total_effects(self) -> pd.Series:
        """Direct + indirect effect of every construct on every later one (Σ_k B^k), indexed by (from, to)."""
        self._require_fitted()
        B = self._result["B"]
        total, power = np.zeros_like(B), B.copy()
        while np.any(power != 0):
            total += power
            power = power @ B
        rows = [(s, d, total[i, j]) for i, s in enumerate(self.constructs_) for j, d in enumerate(self.constructs_)
                if total[i, j] != 0]
        index = pd.MultiIndex.from_tuples([(s, d) for s, d, _ in rows], names=["from", "to"])
        return pd.Series([v for *_, v in rows], index=index, name="total_effect")

    def bootstrap(self, n: int = 500, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
        """Bootstrap confidence intervals (percentile) for path coefficients, loadings and weights.

        Respondents are resampled with replacement ``n`` times; each resample is re-fitted
        starting from the full-sample weights and its signs aligned with the full-sample
        loadings. Returns a DataFrame indexed by (kind, from, to) — kind "path", "loading"
        or "weight"; for outer estimates ``from`` is the item and ``to`` its construct — with
        columns estimate, boot_mean, boot_se, ci_lower, ci_upper.

        References
        ----------
        Efron, B., Tibshirani, R. (1993). An Introduction to the Bootstrap. Chapman & Hall, ch. 13.
        Chin, W. W. (1998). The partial least squares approach to SEM. In Marcoulides (ed.),
        Modern Methods for Business Research, 295–336.
        """
        self._require_fitted()
        n = require_int(n, "n", minimum=2)
        require_int(seed, "seed", minimum=0)
        if not (isinstance(level, float) and 0 < level < 1):
            raise CrmlabInputError(tr(f"level must be between 0 and 1, e.g. 0.95; got {level!r}.",
                                      f"level 必须在 0 与 1 之间，例如 0.95；实际是 {level!r}。"))
        rng = np.random.default_rng(seed)
        X = self._X
        rows = X.shape[0]
        reference = self._result["loadings"]
        index = {c: k for k, c in enumerate(self.constructs_)}
        pair_rows = np.array([index[s] for s, _ in self.paths])
        pair_cols = np.array([index[d] for _, d in self.paths])
        diag = np.arange(len(self.items_))
        draws = rng.integers(0, rows, (n, rows))
        S = np.empty((n, X.shape[1], X.shape[1]))
        # Resampled data are materialised a chunk at a time (≈ 64 MB), only their covariances kept.
        chunk = max(1, 8_000_000 // (rows * X.shape[1]))
        for first in range(0, n, chunk):
            samples = X[draws[first:first + chunk]]
            samples = samples - samples.mean(axis=1, keepdims=True)
            S[first:first + chunk] = np.swapaxes(samples, 1, 2) @ samples / (rows - 1)
        if self.standardize:
            sd = np.sqrt(np.diagonal(S, axis1=1, axis2=2))
            S = S / (sd[:, :, None] * sd[:, None, :])
        W, _, _ = self._estimate(S, self._result["W"])
        loadings = self._loadings(S, W)
        # Align each block with the full-sample solution, not with the resample's majority.
        agreement = (loadings * reference) @ self._mask.astype(float)
        signs = np.where(agreement < 0, -1.0, 1.0)
        W = W * signs[:, None, :]
        B, _ = self._inner(np.swapaxes(W, 1, 2) @ S @ W)
        draws_path = B[:, pair_rows, pair_cols]
        draws_load = loadings * signs[:, self._block_of]
        draws_weight = W[:, diag, self._block_of]
        alpha = (1 - level) / 2
        blocks = [
            ("path", [(s, d) for s, d in self.paths], self.path_coefficients_.to_numpy(), draws_path),
            ("loading", list(zip(self.items_, self.construct_of_)), self.loadings_.to_numpy(), draws_load),
            ("weight", list(zip(self.items_, self.construct_of_)), self.weights_.to_numpy(), draws_weight),
        ]
        frames = []
        for kind, keys, estimate, draws in blocks:
            frames.append(pd.DataFrame({
                "estimate": estimate,
                "boot_mean": draws.mean(axis=0),
                "boot_se": draws.std(axis=0, ddof=1),
                "ci_lower": np.quantile(draws, alpha, axis=0),
                "ci_upper": np.quantile(draws, 1 - alpha, axis=0),
            }, index=pd.MultiIndex.from_tuples([(kind, a, b) for a, b in keys], names=["kind", "from", "to"])))
        return pd.concat(frames)

    def unstandardized_weights(self, construct: str) -> pd.Series:
        """Outer weights on the items' own scale, rescaled to sum to 1 (the ACSI weights).

        w̃_i = (w_i / s_i) / Σ_k (w_k / s_k), where w_i is the weight on standardised data and
        s_i the item's standard deviation (on centred data s_i = 1 in the formula).
        """
        self._require_fitted()
        require_choice(construct, "construct", self.constructs_)
        rows = self.construct_of_.to_numpy() == construct
        raw = self.weights_.to_numpy()[rows]
        if self.standardize:
            raw = raw / self._item_sd[rows]
        if raw.sum() <= 0:
            raise CrmlabInputError(tr(
                f"the weights of {construct!r} do not sum to a positive number; a 0–100 index needs "
                "positive weights (mode A blocks of positively correlated items).",
                f"{construct!r} 的权重之和不为正；0–100 指数需要正权重（由正相关题项组成的 A 模式题项块）。",
            ))
        return pd.Series(raw / raw.sum(), index=self.construct_of_.index[rows], name="weight")

    def index_scores(self, df: pd.DataFrame, construct: str, scale: tuple[float, float] = (1, 10)) -> pd.Series:
        """The 0–100 index of a construct per respondent (ACSI rescaling, 顾客满意度指数 0–100).

        index = 100 · (Σ_i w̃_i x_i − min) / (max − min), with w̃ the unstandardised weights
        summing to 1 and (min, max) the item scale, e.g. (1, 10). The published index is the
        mean over respondents.

        References
        ----------
        Fornell, C. et al. (1996). The American Customer Satisfaction Index. Journal of Marketing 60(4), 7–18.
        """
        weights = self.unstandardized_weights(construct)
        low, high = _check_scale(scale)
        frame = require_frame(df, "df", list(weights.index))
        values = pd.DataFrame({c: require_numeric(frame[c], f"df[{c!r}]") for c in weights.index}, index=frame.index)
        outside = (values < low) | (values > high)
        if outside.to_numpy().any():
            col = values.columns[outside.any()][0]
            raise CrmlabInputError(tr(
                f"df[{col!r}] has answers outside the scale {scale}, e.g. {values.loc[outside[col], col].iloc[0]}. "
                "Pass the scale the items were asked on.",
                f"df[{col!r}] 有超出量表 {scale} 的回答，例如 {values.loc[outside[col], col].iloc[0]}。请传入题目实际使用的量表。",
            ))
        composite = values.to_numpy(dtype=float) @ weights.to_numpy()
        return pd.Series(100 * (composite - low) / (high - low), index=df.index, name=f"{construct}_index")

    def index(self, df: pd.DataFrame, construct: str, scale: tuple[float, float] = (1, 10)) -> float:
        """The construct's 0–100 index: the mean of :meth:`index_scores`."""
        return float(self.index_scores(df, construct, scale).mean())


def _check_scale(scale: Any) -> tuple[float, float]:
    if not (isinstance(scale, (tuple, list)) and len(scale) == 2 and all(isinstance(v, (int, float)) for v in scale)
            and scale[0] < scale[1]):
        raise CrmlabInputError(tr(
            f"scale must be (lowest, highest) answer, e.g. (1, 10); got {scale!r}.",
            f"scale 必须是 (最低分, 最高分)，例如 (1, 10)；实际是 {scale!r}。",
        ))
    return float(scale[0]), float(scale[1])
