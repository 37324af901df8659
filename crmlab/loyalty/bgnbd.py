"""BG/NBD buy-till-you-die model (贝塔几何/负二项分布模型): who is still alive, how much will they buy.

While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each repeat
purchase the customer drops out with probability p ~ Beta(a, b). From a customer's repeat
purchases x, the time of the last one t_x (recency) and age T the model gives P(alive) and the
expected number of purchases in a future period.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way:
an alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from crmlab.i18n import tr
from crmlab.loyalty._inputs import (
    as_columns, as_output, check_fit_result, customer_summary, positive_number, require_fitted, require_repeat_buyers,
)
from crmlab.validation import CrmlabInputError, require_int

_PARAMS = ("r", "alpha", "a", "b")
# Log-parameters are boxed so a flat likelihood cannot push exp() into overflow.
_LOG_BOUNDS = [(-18.0, 18.0)] * 4
# Distinct rows per block of the likelihood's per-row pass: six scratch rows of 64 Ki floats (3 MiB) stay in
# cache, so the pass streams only its inputs from memory (about 30 % faster than whole-length temporaries).
_BLOCK_ROWS = 65536


def _one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread. L-BFGS-B calls BLAS and LAPACK on 4-parameter problems,
    and OpenBLAS's threads for them cost several times the optimiser's own work (42 L-BFGS-B iterations:
    68 ms of CPU with two OpenBLAS threads, 7.5 ms with one); the fit's long sums do not use BLAS."""
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1, user_api="blas")


def _threads() -> int:
    """Threads for the likelihood's per-row pass: the processors this process may use that are idle, at
    most 4. Idle counts this process's own load (1-minute load average minus one): on a busy machine a
    second thread only waits for a processor (2 processors, load 4: 25 ms against 20 ms per evaluation)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    try:
        idle = available - os.getloadavg()[0] + 1.0
    except (AttributeError, OSError):  # pragma: no cover - no load average (Windows)
        idle = available
    return max(1, min(4, available, int(idle + 0.5)))


def _rank(offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of non-negative integers ``offset`` (modified in place) in a range no wider than about their
    count, by counting: returns each value's rank among the distinct values, and the distinct values."""
    present = np.bincount(offset) > 0
    distinct = np.flatnonzero(present)
    if len(distinct) == len(present):  # every value of the range occurs: the value is its own rank
        return offset, distinct
    rank = np.cumsum(present, dtype=np.intp) - 1
    return rank[offset], distinct


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` and the distinct values they index, in ascending order.

    Whole numbers in a range no wider than the column is long (day- or week-granular histories) are
    coded by counting; other values by hashing (no sort of every row either way)."""
    if len(values):
        low, high = float(values.min()), float(values.max())
        if high - low < len(values) + 1024 and low == np.floor(low) and abs(high) < 2.0 ** 52:
            offset = values.astype(np.intp)
            if np.array_equal(offset, values):
                offset -= int(low)
                codes, distinct = _rank(offset)
                return codes, low + distinct
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.intp, copy=False), np.asarray(uniques)


def _distinct_rows(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> tuple[list, list, np.ndarray, np.ndarray]:
    """The distinct (x, t_x, T) rows of the repeat buyers (x > 0), how many customers share each
    (sufficient statistics), and how many customers with x = 0 share each distinct T.

    Returns the distinct values of each column, each distinct row's code into them, the counts of the
    distinct rows and, per distinct T, the count of customers without repeat purchases. Each column is
    coded once (see :func:`_codes`), the three codes packed into the bits of one int64 key and the repeat
    buyers' keys sorted once (sorting integers is faster than sorting or hashing the rows themselves). The
    distinct rows come out ordered by (x, t_x, T)."""
    (x_code, ux), (t_code, ut), (T_code, uT) = (_codes(column) for column in (x, t_x, T))
    has_zero = bool(len(ux) > 0 and ux[0] == 0)  # x = 0 is code 0: codes follow the sorted values
    zero = x_code == 0 if has_zero else np.zeros(len(x), dtype=bool)
    count_zero = np.bincount(T_code[zero], minlength=len(uT)).astype(float)
    some = ~zero if has_zero else slice(None)
    if has_zero:
        ux = ux[1:]
    bits_t, bits_T = (len(ut) - 1).bit_length(), (len(uT) - 1).bit_length()
    if (len(ux) + has_zero).bit_length() + bits_t + bits_T > 62:  # pragma: no cover - ~2 M distinct values per column
        rows, counts = np.unique(np.stack([x_code[some] - has_zero, t_code[some], T_code[some]], axis=1), axis=0,
                                 return_counts=True)
        return [ux, ut, uT], [rows[:, 0], rows[:, 1], rows[:, 2]], counts.astype(float), count_zero
    key = np.left_shift(x_code, bits_t + bits_T, out=x_code)
    key |= np.left_shift(t_code, bits_T, out=t_code)
    key |= T_code
    key = key[some]
    if len(key) == 0:
        return [ux, ut, uT], [np.zeros(0, dtype=np.intp)] * 3, np.zeros(0), count_zero
    key.sort()
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(starts, append=len(key)).astype(float)
    key = key[starts]
    code_x = key >> (bits_t + bits_T)
    if has_zero:
        code_x -= 1
    code_t = key >> bits_T
    code_t &= (1 << bits_t) - 1
    key &= (1 << bits_T) - 1
    return [ux, ut, uT], [code_x, code_t, key], counts, count_zero


class _Data:
    """Customer data reduced once per fit to sufficient statistics, with the scratch space of
    :func:`_negative_ll`.

    The likelihood depends on a customer only through (x, t_x, T), so it is evaluated once per distinct
    row with a count weight (day-granular histories repeat rows: a million customers hold about 590,000
    distinct rows, CDNOW's 2,357 hold 1,300). Customers without repeat purchases contribute
    r·ln(α/(α+T)), a function of T alone, so they are summed per distinct T. Terms in x alone are
    computed once per distinct x, terms in T once per distinct T, terms in t_x once per distinct t_x,
    and sums that do not depend on the parameters (Σw per x, Σw and Σw·x per T) once per fit.

    The rows are ordered by (x, t_x, T). Runs of rows with equal (x, t_x) and the distinct (x, T) pairs
    are few (a million day-granular customers: 34,000 runs and 33,000 pairs among 590,000 rows), and
    e^D = e^(A) · e^(B) with A a function of the run and B of the pair (see :func:`_row_sums`)."""

    def __init__(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> None:
        self.n = len(x)
        (self.ux, self.ut, uT), (self.inv, self.t_inv, self.T_inv), self.weight, count_zero = _distinct_rows(
            x, t_x, T)
        held = count_zero > 0
        self.uT, self.T_zero, self.count_zero = uT, uT[held], count_zero[held]
        self.x = self.ux[self.inv]
        self.n_repeat = float(self.weight.sum())
        m = len(self.x)
        # First row of each distinct x (every distinct x of the repeat buyers has rows).
        self.x_starts = np.searchsorted(self.inv, np.arange(len(self.ux)))
        self.count = np.add.reduceat(self.weight, self.x_starts) if m else np.zeros(0)  # customers per x
        self.w_by_T = np.bincount(self.T_inv, weights=self.weight, minlength=len(self.uT))
        self.wx_by_T = np.bincount(self.T_inv, weights=self.weight * self.x, minlength=len(self.uT))
        # Runs of equal (x, t_x): first row, x and t_x codes; distinct (x, T) pairs: codes of each row.
        new = np.ones(m, dtype=bool)
        np.not_equal(self.inv[1:], self.inv[:-1], out=new[1:])
        new[1:] |= self.t_inv[1:] != self.t_inv[:-1]
        self.run_start = np.flatnonzero(new)
        self.run_x, self.run_t = self.inv[self.run_start], self.t_inv[self.run_start]
        pair_key = self.inv * len(self.uT)
        pair_key += self.T_inv
        if len(self.ux) * len(self.uT) <= m + 1024:
            pair, pair_key = _rank(pair_key)
        else:
            pair_key, pair = np.unique(pair_key, return_inverse=True)
        self.pair_x, self.pair_T = pair_key // len(self.uT), pair_key % len(self.uT)
        self.run_x_start = np.searchsorted(self.run_x, np.arange(len(self.ux)))   # runs and pairs are
        self.pair_x_start = np.searchsorted(self.pair_x, np.arange(len(self.ux)))  # ordered by x
        # The rows are visited in blocks (whole runs) small enough for the scratch rows to stay in cache.
        first_runs = np.unique(np.searchsorted(self.run_start, np.arange(0, m, _BLOCK_ROWS)))
        starts = self.run_start[first_runs[first_runs < len(self.run_start)]]
        bounds = zip(starts.tolist(), [*starts[1:].tolist(), m])
        self.blocks = [_Block(self, pair, start, stop) for start, stop in bounds]
        # Scratch rows, allocated once per fit: one set per thread that shares out the blocks during a fit.
        longest = max((block.rows.stop - block.rows.start for block in self.blocks), default=0)
        self.work = np.empty((max(1, min(len(self.blocks), _threads())), 6, longest))
        self.pool: ThreadPoolExecutor | None = None


class _Block:
    """Distinct rows start:stop, whole runs of equal (x, t_x). Holds the runs run_low..run_high−1 (rows
    ``run_length`` each, first rows ``run_offsets`` from start), the (x, T) pairs pair_low..pair_high−1
    (each row's pair as ``pair`` − pair_low), the distinct x codes x_low..x_high−1 (first rows ``x_runs``
    from start) and the runs' t_x codes ``xt_t`` (for the exact per-row pass, :func:`_block_sums`)."""

    def __init__(self, d: _Data, pair: np.ndarray, start: int, stop: int) -> None:
        self.rows = slice(start, stop)
        self.run_low, self.run_high = np.searchsorted(d.run_start, [start, stop])
        self.run_offsets = d.run_start[self.run_low:self.run_high] - start
        self.run_length = np.diff(self.run_offsets, append=stop - start)
        self.xt_runs, self.xt_t = self.run_offsets, d.run_t[self.run_low:self.run_high]
        block_pairs = pair[start:stop]
        self.pair_low, self.pair_high = int(block_pairs.min()), int(block_pairs.max()) + 1
        self.pair = block_pairs - self.pair_low
        self.x_low, self.x_high = int(d.inv[start]), int(d.inv[stop - 1]) + 1
        self.x_runs = np.searchsorted(d.inv[start:stop], np.arange(self.x_low, self.x_high))


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    """Σ u·v over rows, on one thread (a threaded BLAS dot of a long vector stalls on a busy machine)."""
    return float(np.einsum("i,i->", u, v))


def _block_factored(d: _Data, block: _Block, work: np.ndarray, exp_A: np.ndarray, exp_B: np.ndarray) -> tuple:
    """The per-row part of :func:`_negative_ll` on one block, from e^D = e^A(run) · e^B(pair): softplus(D)
    = ln(1 + e^D) and σ(D) = e^D/(1 + e^D). Returns Σ w·softplus(D), Σ w·σ per run and per (x, T) pair."""
    rows = block.rows
    size = rows.stop - rows.start
    e, q = work[0, :size], work[1, :size]
    w = d.weight[rows]
    np.take(exp_B[block.pair_low:block.pair_high], block.pair, out=e)
    e *= np.repeat(exp_A[block.run_low:block.run_high], block.run_length)
    np.add(e, 1.0, out=q)
    e /= q
    np.log(q, out=q)
    softplus = _dot(w, q)
    e *= w
    by_run = np.add.reduceat(e, block.run_offsets)
    by_pair = np.bincount(block.pair, weights=e, minlength=block.pair_high - block.pair_low)
    return softplus, by_run, by_pair


def _block_sums(d: _Data, block: _Block, work: np.ndarray, r: float, c: np.ndarray, log_ut: np.ndarray,
                log_uT: np.ndarray) -> tuple:
    """The per-row part of :func:`_negative_ll` on one block, row by row (the exact path for any D):
    Δ = ln(α+t_x) − ln(α+T), D = c_x − (r+x)Δ, e = exp(−|D|), softplus(D) = max(D, 0) + ln(1+e) and
    σ(D) = (1 if D >= 0 else e)/(1+e). Returns Σ w·softplus(D), Σ w·σ·Δ, Σ w·σ per distinct x (of the
    block's x codes), and Σ w·σ·(r+x) per distinct t_x and per distinct T."""
    rows = block.rows
    size = rows.stop - rows.start
    delta, rx, D, e, scratch, ww3 = (row[:size] for row in work)
    w = d.weight[rows]
    np.take(log_ut, d.t_inv[rows], out=delta)
    np.take(log_uT, d.T_inv[rows], out=scratch)
    delta -= scratch
    np.add(d.x[rows], r, out=rx)
    np.take(c, d.inv[rows], out=D)
    np.multiply(rx, delta, out=scratch)
    D -= scratch
    np.abs(D, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.heaviside(D, 1.0, out=ww3)  # 1 if D >= 0 else 0, then max(·, e): 1 if D >= 0 else e
    np.maximum(ww3, e, out=ww3)
    e += 1.0
    ww3 /= e
    np.log(e, out=e)
    np.maximum(D, 0.0, out=scratch)
    scratch += e
    softplus = _dot(w, scratch)
    ww3 *= w
    sum_w3 = np.add.reduceat(ww3, block.x_runs)
    w3_delta = _dot(ww3, delta)
    ww3 *= rx
    by_t = np.bincount(block.xt_t, weights=np.add.reduceat(ww3, block.xt_runs), minlength=len(d.ut))
    by_T = np.bincount(d.T_inv[rows], weights=ww3, minlength=len(d.uT))
    return softplus, w3_delta, sum_w3, by_t, by_T


def _each_block(d: _Data, block_sums: Any) -> list:
    """``block_sums(block, work)`` for every block, in block order. With ``d.pool`` set (during a fit) the
    blocks are shared out in contiguous chunks to its threads (numpy releases the GIL in each step), each
    with its own scratch rows; the results, added up in block order by the caller, are the same bytes."""
    chunks = np.array_split(np.arange(len(d.blocks)), len(d.work))

    def chunk_sums(i: int) -> list:
        return [block_sums(d.blocks[j], d.work[i]) for j in chunks[i]]

    if d.pool is None or len(chunks) == 1:
        return [part for i in range(len(chunks)) for part in chunk_sums(i)]
    return [part for chunk in d.pool.map(chunk_sums, range(len(chunks))) for part in chunk]


# e^A and e^B stay normal floats, and e^D = e^A·e^B finite, while |A|, |B| and A + B stay below this.
_EXP_SAFE = 700.0


def _row_sums(d: _Data, r: float, c: np.ndarray, log_ut: np.ndarray, log_uT: np.ndarray,
              inv_ut: np.ndarray, inv_uT: np.ndarray) -> tuple[float, float, np.ndarray, float]:
    """The sums over distinct rows that :func:`_negative_ll` needs: Σ w·softplus(D), Σ w·σ(D)·Δ,
    Σ w·σ(D) per distinct x and Σ w·σ(D)·(r+x)·[1/(α+t_x) − 1/(α+T)].

    D = c_x − (r+x)[ln(α+t_x) − ln(α+T)] splits, for any constant m, into A + B with
    A = c_x − (r+x)[ln(α+t_x) − m], a function of the run of equal (x, t_x), and B = (r+x)[ln(α+T) − m],
    a function of the (x, T) pair; so e^D = e^A·e^B needs one exp per run and per pair, not per row, and the
    gradient's sums over rows become sums over runs and pairs of Σ w·σ. Only ln(1 + e^D) is computed per
    row. With m midway between the smallest ln(α+t_x) and the largest ln(α+T), |A| and |B| are at most
    (r+x)·ln((α+T_max)/(α+t_min))/2 plus |c_x|; when a term could overflow or lose precision (|A|, |B| or
    A + B above 700: hundreds of purchases over a long history) every row is computed directly instead
    (:func:`_block_sums`, with e^−|D|)."""
    ux = d.ux
    run_rx, pair_rx = r + ux[d.run_x], r + ux[d.pair_x]
    mid = 0.5 * (log_ut[0] + log_uT[-1])
    log_A = c[d.run_x] - run_rx * (log_ut[d.run_t] - mid)
    log_B = pair_rx * (log_uT[d.pair_T] - mid)
    top = np.maximum.reduceat(log_A, d.run_x_start) + np.maximum.reduceat(log_B, d.pair_x_start)
    if max(np.abs(log_A).max(), np.abs(log_B).max(), top.max()) < _EXP_SAFE:
        exp_A, exp_B = np.exp(log_A), np.exp(log_B)
        parts = _each_block(d, lambda block, work: _block_factored(d, block, work, exp_A, exp_B))
        softplus = 0.0
        by_run, by_pair = np.empty(len(d.run_x)), np.zeros(len(d.pair_x))
        for block, (part_softplus, part_run, part_pair) in zip(d.blocks, parts):
            softplus += part_softplus
            by_run[block.run_low:block.run_high] = part_run
            by_pair[block.pair_low:block.pair_high] += part_pair
        sum_w3 = np.bincount(d.run_x, weights=by_run, minlength=len(ux))
        w3_delta = _dot(by_run, log_ut[d.run_t]) - _dot(by_pair, log_uT[d.pair_T])
        w3rx = _dot(by_run * run_rx, inv_ut[d.run_t]) - _dot(by_pair * pair_rx, inv_uT[d.pair_T])
        return softplus, w3_delta, sum_w3, w3rx
    parts = _each_block(d, lambda block, work: _block_sums(d, block, work, r, c, log_ut, log_uT))
    softplus = w3_delta = 0.0
    sum_w3 = np.zeros(len(ux))
    by_t, by_T = np.zeros(len(d.ut)), np.zeros(len(d.uT))
    for block, (part_softplus, part_delta, part_w3, part_t, part_T) in zip(d.blocks, parts):
        softplus += part_softplus
        w3_delta += part_delta
        sum_w3[block.x_low:block.x_high] += part_w3
        by_t += part_t
        by_T += part_T
    return softplus, w3_delta, sum_w3, by_t @ inv_ut - by_T @ inv_uT


def _negative_ll(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in the log-parameters.

    For x > 0, ln L = A₂ + ln(1 + e^D) with A₂ = ln B(a, b+x)/B(a, b) + ln Γ(r+x)α^r/Γ(r) − (r+x) ln(α+T)
    and D = A₃ − A₂ = ln[B(a+1, b+x−1)/B(a, b+x)] − (r+x)Δ, Δ = ln(α+t_x) − ln(α+T); the weights of the two
    terms are w₃ = σ(D) and w₂ = 1 − w₃. Every sum over customers is a sum over distinct rows weighted
    by ``d.weight``; the sums of A₂ and of its derivatives reduce to sums per distinct x and per distinct T,
    and only ln(1+e^D) and σ(D) enter per row (:func:`_row_sums`): ∂/∂r adds −Σ w·w₃·Δ, ∂/∂α adds
    −Σ w·w₃·(r+x)·[1/(α+t_x) − 1/(α+T)], ∂/∂a and ∂/∂b need Σ w·w₃ per x (FHL 2005 eq. 6, differentiated
    with ψ = d ln Γ)."""
    r, alpha, a, b = np.exp(theta)
    log_alpha = np.log(alpha)
    # x = 0: ln L = r ln α − r ln(α+T).
    log_ratio0 = log_alpha - np.log(alpha + d.T_zero)
    ll = r * (d.count_zero @ log_ratio0)
    g_r = d.count_zero @ log_ratio0
    g_alpha = r * (d.count_zero @ (1.0 / alpha - 1.0 / (alpha + d.T_zero)))
    g_a = g_b = 0.0
    if len(d.x):
        ux = d.ux
        log_beta_ab = betaln(a, b)
        a1 = gammaln(r + ux) - gammaln(r) + r * log_alpha
        b2 = betaln(a, b + ux) - log_beta_ab
        b3 = betaln(a + 1, b + ux - 1) - log_beta_ab
        log_uT, log_ut = np.log(alpha + d.uT), np.log(alpha + d.ut)
        inv_uT, inv_ut = 1.0 / (alpha + d.uT), 1.0 / (alpha + d.ut)
        softplus, w3_delta, sum_w3, w3rx = _row_sums(d, r, b3 - b2, log_ut, log_uT, inv_ut, inv_uT)
        # Σ w·A₂ = Σ_x count·(a1 + b2) − Σ_T (r·Σw + Σw·x)·ln(α+T).
        wrx_by_T = r * d.w_by_T + d.wx_by_T
        ll += (a1 + b2) @ d.count - wrx_by_T @ log_uT + softplus
        sum_w2 = d.count - sum_w3
        g_r += (digamma(r + ux) - digamma(r) + log_alpha) @ d.count - d.w_by_T @ log_uT - w3_delta
        g_alpha += r / alpha * d.n_repeat - wrx_by_T @ inv_uT - w3rx
        psi_ab, psi_abx = digamma(a + b), digamma(a + b + ux)
        g_a = (psi_ab - psi_abx) @ sum_w2 + (digamma(a + 1) - psi_abx - digamma(a) + psi_ab) @ sum_w3
        g_b = ((digamma(b + ux) - psi_abx - digamma(b) + psi_ab) @ sum_w2
               + (digamma(b + ux - 1) - psi_abx - digamma(b) + psi_ab) @ sum_w3)
    grad = np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])
    return -float(ll) / d.n, -grad / d.n


def _check_t(t: Any, name: str = "t") -> np.ndarray:
    refused = isinstance(t, (str, bool, np.bool_)) or (isinstance(t, (list, tuple, np.ndarray, pd.Series))
                                                        and any(isinstance(v, (str, bool, np.bool_)) for v in t))
    values = np.atleast_1d(np.asarray(t, dtype=float)) if not refused else np.array([np.nan])
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise CrmlabInputError(tr(
            f"{name} must be a number (or numbers) >= 0 in the model's time unit, got {t!r}.",
            f"{name} 必须是 >= 0 的数（与模型相同的时间单位），实际是 {t!r}。",
        ))
    return values


class BGNBD:
    """BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum likelihood.

    Parameters
    ----------
    tol : float
        Convergence tolerance of the optimiser (on the mean log-likelihood per customer).

    Attributes (after ``fit``)
    --------------------------
    params_ : dict with r, alpha (purchase rate λ ~ Gamma(r, α)) and a, b (dropout p ~ Beta(a, b)).
    log_likelihood_ : the maximised log-likelihood, summed over customers.
    n_customers_ : number of customers the model was fitted on.

    Formula
    -------
    L(r, α, a, b | x, t_x, T) = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
        + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
    evaluated in log space with ``logaddexp``; gradient analytic in log-parameters.

    References
    ----------
    Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. (6), (10), (11).
    """

    def __init__(self, tol: float = 1e-10) -> None:
        self.tol = tol

    def fit(self, frequency: Any, recency: Any, T: Any) -> "BGNBD":
        """Fit on one row per customer: repeat purchases x (frequency), recency t_x and age T."""
        _, x, t_x, age = customer_summary(frequency, recency, T)
        require_repeat_buyers(x, "BGNBD")
        data = _Data(x, t_x, age)
        # Start at r = 1 with E[λ] equal to the observed purchase rate: a scale-free start.
        start = np.log([1.0, max(age.mean(), 1e-6) / (x.mean() + 1.0), 1.0, 1.0])
        with _one_blas_thread(), ThreadPoolExecutor(len(data.work)) as data.pool:
            result = minimize(_negative_ll, start, args=(data,), jac=True, method="L-BFGS-B",
                              bounds=_LOG_BOUNDS, options={"ftol": self.tol, "gtol": 1e-8, "maxiter": 500})
        self.params_ = dict(zip(_PARAMS, np.exp(result.x).tolist()))
        self.log_likelihood_ = float(-result.fun * len(x))
        self.n_customers_ = len(x)
        self.converged_ = bool(result.success)
        check_fit_result(self, result, _LOG_BOUNDS)
        return self

    def _log_odds_dead(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        p = require_fitted(self)
        r, alpha, a, b = (p[k] for k in _PARAMS)
        with np.errstate(divide="ignore"):
            log_odds = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                        + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
        return np.where(x > 0, log_odds, -np.inf)

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> pd.Series | float:
        """P(alive | x, t_x, T) (客户存活概率) per customer; a float when x, t_x and T are single numbers
        (FHL 2005's example x = 2, t_x = 30.43, T = 38.86).

        Formula: 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), computed as a logistic
        of the log-odds so very frequent customers do not overflow.
        References: Fader, Hardie & Lee (2005), eq. (11).
        """
        (frequency, recency, T), one = as_columns(frequency, recency, T)
        index, x, t_x, age = customer_summary(frequency, recency, T)
        return as_output(expit(-self._log_odds_dead(x, t_x, age)), index, "p_alive", one)

    def conditional_expected_purchases(self, t: float, frequency: Any, recency: Any, T: Any) -> pd.Series | float:
        """Expected purchases in the next ``t`` time units given each customer's (x, t_x, T) (预期购买次数);
        a float when x, t_x and T are single numbers.

        Formula (FHL 2005 eq. 10, with Euler's transformation of ₂F₁ so it stays finite for large x):
        E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − u^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)] · P(alive),
        u = (α+T)/(α+T+t), z = t/(α+T+t).
        References: Fader, Hardie & Lee (2005), eq. (10).
        """
        horizon = _check_t(t)
        if horizon.size != 1:
            raise CrmlabInputError(tr(
                f"t must be one number (the length of the future period), got {t!r}.",
                f"t 必须是一个数（未来时期的长度），实际是 {t!r}。",
            ))
        (frequency, recency, T), one = as_columns(frequency, recency, T)
        index, x, t_x, age = customer_summary(frequency, recency, T)
        values = self._conditional(float(horizon[0]), x, t_x, age)
        return as_output(values, index, "expected_purchases", one)

    def _conditional(self, t: float, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        pairs = self._scoring_parts(x, t_x, T)
        return self._conditional_from_parts(t, pairs)

    def _scoring_parts(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray):
        """P(alive) per customer and the distinct (x, T) pairs: the ₂F₁ term depends on x and T only,
        so it is evaluated once per pair, not once per customer (and reused across horizons)."""
        T_values, T_inv = np.unique(T, return_inverse=True)
        key = x.astype(np.int64) * len(T_values) + T_inv
        keys, inv = np.unique(key, return_inverse=True)
        ux = (keys // len(T_values)).astype(float)
        uT = T_values[keys % len(T_values)]
        p_alive = expit(-self._log_odds_dead(x, t_x, T))
        return ux, uT, inv, p_alive

    def _conditional_from_parts(self, t: float, parts) -> np.ndarray:
        ux, uT, inv, p_alive = parts
        p = require_fitted(self)
        r, alpha, a, b = (p[k] for k in _PARAMS)
        u = (alpha + uT) / (alpha + uT + t)
        z = t / (alpha + uT + t)
        numer = 1.0 - u ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + ux - 1, z)
        return ((a + b + ux - 1) / (a - 1) * numer)[inv] * p_alive

    def expected_purchases(self, t: Any) -> float | pd.Series:
        """Expected purchases of a new customer in (0, t] (unconditional E[X(t)]).

        Formula: (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
        Returns a float for one t, a Series indexed by t for several.
        References: Fader, Hardie & Lee (2005), eq. (9).
        """
        p = require_fitted(self)
        r, alpha, a, b = (p[k] for k in _PARAMS)
        times = _check_t(t)
        values = (a + b - 1) / (a - 1) * (
            1.0 - (alpha / (alpha + times)) ** r * hyp2f1(r, b, a + b - 1, times / (alpha + times)))
        if np.ndim(t) == 0:
            return float(values[0])
        return pd.Series(values, index=pd.Index(times, name="t"), name="expected_purchases")


def simulate_bgnbd(n_customers: int, params: dict[str, float], T: float, seed: int) -> pd.DataFrame:
    """Draw customers from a BG/NBD world: columns frequency, recency, T (one row per customer).

    λ ~ Gamma(r, 1/α), p ~ Beta(a, b); the customer dies right after repeat purchase J ~ Geometric(p);
    given N(T) ~ Poisson(λT) arrivals, x = min(N, J) and t_x is the x-th of N uniform arrival times,
    t_x = T · Beta(x, N − x + 1).

    References: Fader, Hardie & Lee (2005), Sec. 2 (the model's assumptions, simulated here directly).
    """
    n = require_int(n_customers, "n_customers", minimum=1)
    T = positive_number(T, "T")
    missing = [k for k in _PARAMS if k not in params]
    if missing:
        raise CrmlabInputError(tr(
            f"params must hold r, alpha, a and b; missing {missing}. Example: BGNBD().fit(...).params_",
            f"params 必须包含 r、alpha、a 和 b；缺少 {missing}。例如：BGNBD().fit(...).params_",
        ))
    for k in _PARAMS:
        positive_number(params[k], f"params['{k}']")
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    p = rng.beta(params["a"], params["b"], n)
    arrivals = rng.poisson(lam * T)
    lifetime_purchases = rng.geometric(np.clip(p, 1e-12, 1.0))
    x = np.minimum(arrivals, lifetime_purchases)
    t_x = np.zeros(n)
    some = x > 0
    t_x[some] = T * rng.beta(x[some], arrivals[some] - x[some] + 1)
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": np.full(n, T)},
                        index=pd.RangeIndex(n, name="customer"))
