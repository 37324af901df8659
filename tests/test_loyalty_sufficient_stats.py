"""BG/NBD and Gamma-Gamma likelihoods evaluated once per distinct input row (issue 18, item 4).

The fits now sum the likelihood over distinct rows with a count weight. Sources of the expected values:
- the parameters the per-customer code gave on the same data, computed at commit 93ba3ad (before the
  change) and pinned here; the fit must reproduce them to 1e-8 (relative);
- the likelihood written out per customer straight from the papers' formulas (Fader, Hardie & Lee 2005,
  eq. 6; Fader & Hardie 2013, eq. 4) with scipy.special, one term per customer, no grouping.
"""
import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln, gammaln

from crmlab.loyalty import BGNBD, GammaGamma, load_cdnow_summary, simulate_bgnbd
from crmlab.loyalty import bgnbd as bgnbd_module
from crmlab.loyalty import gamma_gamma as gg_module


def day_granular(seed: int) -> pd.DataFrame:
    """30,000 simulated customers, recency floored to whole days, two cohorts (T = 365 or 730 days)."""
    sim = simulate_bgnbd(30000, {"r": 0.4, "alpha": 60.0, "a": 0.8, "b": 3.0}, T=730.0, seed=seed)
    T = np.where(np.arange(len(sim)) % 3 == 0, 365.0, 730.0)
    return pd.DataFrame({"frequency": sim["frequency"], "recency": np.minimum(np.floor(sim["recency"]), T), "T": T})


def spend(seed: int) -> tuple[pd.Series, pd.Series]:
    """20,000 repeat customers: x ~ U{1..39}, ν ~ Gamma(q=3, γ=40), m̄ = mean of x Gamma(p=4, ν) values, in cents."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 40, 20000).astype(float)
    nu = rng.gamma(3.0, 1 / 40.0, len(x))
    m = np.round(rng.gamma(4.0 * x, 1.0 / (nu * x)), 2)
    return pd.Series(x), pd.Series(m)


# Pinned: BGNBD().fit / GammaGamma().fit at commit 93ba3ad (per-customer likelihood), same data.
BEFORE_BGNBD = {
    "cdnow": {"r": 0.24259422160001543, "alpha": 4.413581675815509, "a": 0.7929272757456051, "b": 2.4259273773841064},
    1: {"r": 0.4147531124399414, "alpha": 56.08261931123718, "a": 0.5306024315144756, "b": 2.315688570602854},
    2: {"r": 0.41754808280156247, "alpha": 56.81086056521138, "a": 0.5967669849060457, "b": 2.729113970517354},
}
BEFORE_GG = {
    "cdnow": {"p": 6.249597531263426, "q": 3.744220311850061, "gamma": 15.443446043413775},
    1: {"p": 3.6807336133509105, "q": 3.0326124106558963, "gamma": 44.33103810914179},
    2: {"p": 4.22722394571355, "q": 3.0619700566546157, "gamma": 38.72649624147229},
}


def _same(params: dict, expected: dict) -> None:
    assert set(params) == set(expected)
    for key, value in expected.items():
        assert params[key] == pytest.approx(value, rel=1e-8), key


@pytest.mark.parametrize("case", ["cdnow", 1, 2])
def test_bgnbd_parameters_equal_the_per_customer_fit(case):
    data = load_cdnow_summary() if case == "cdnow" else day_granular(case)
    _same(BGNBD().fit(data["frequency"], data["recency"], data["T"]).params_, BEFORE_BGNBD[case])


@pytest.mark.parametrize("case", ["cdnow", 1, 2])
def test_gamma_gamma_parameters_equal_the_per_customer_fit(case):
    if case == "cdnow":
        cd = load_cdnow_summary()
        x, m = cd["frequency"][cd["frequency"] > 0], cd["monetary_value"][cd["frequency"] > 0]
    else:
        x, m = spend(case)
    _same(GammaGamma().fit(x, m).params_, BEFORE_GG[case])


def _bgnbd_ll_per_customer(params, x, t_x, T):
    """FHL (2005) eq. (6), one term per customer."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    first = betaln(a, b + x) - betaln(a, b) + common - (r + x) * np.log(alpha + T)
    second = betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b) + common - (r + x) * np.log(alpha + t_x)
    return np.where(x > 0, np.logaddexp(first, second), first).sum()


def _gg_ll_per_customer(params, x, m):
    """Fader & Hardie (2013) eq. (4), one term per customer."""
    p, q, g = params
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1) * np.log(m)
            + px * np.log(x) - (px + q) * np.log(g + m * x)).sum()


@pytest.mark.parametrize("params", [(0.3, 4.0, 0.8, 2.5), (2.0, 50.0, 1.5, 0.9)])
def test_grouped_bgnbd_likelihood_is_the_sum_over_customers(params):
    data = day_granular(3)
    x, t_x, T = (data[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    grouped = bgnbd_module._Data(x, t_x, T)
    assert len(grouped.x) < 0.5 * (x > 0).sum()  # the day-granular rows do repeat
    value, _ = bgnbd_module._negative_ll(np.log(params), grouped)
    assert -value * len(x) == pytest.approx(_bgnbd_ll_per_customer(params, x, t_x, T), rel=1e-12)


@pytest.mark.parametrize("params", [(4.0, 3.0, 40.0), (0.7, 12.0, 5.0)])
def test_grouped_gamma_gamma_likelihood_is_the_sum_over_customers(params):
    x, m = spend(3)
    x, m = np.concatenate([x, x[:500]]), np.concatenate([m, m[:500]])  # some exact repeats
    value, _ = gg_module._negative_ll(np.log(params), gg_module._SpendData(x, m))
    assert -value * len(x) == pytest.approx(_gg_ll_per_customer(params, x, m), rel=1e-12)


def test_gamma_gamma_gradient_matches_finite_differences():
    from scipy.optimize import approx_fprime

    x, m = spend(4)
    data = gg_module._SpendData(x.to_numpy(), m.to_numpy())
    theta = np.log([2.0, 4.0, 30.0])
    numeric = approx_fprime(theta, lambda t: gg_module._negative_ll(t, data)[0], 1e-7)
    assert np.allclose(gg_module._negative_ll(theta, data)[1], numeric, rtol=1e-4, atol=1e-7)


def test_repeating_every_customer_leaves_the_fit_unchanged():
    # Property: the maximum-likelihood estimate of k copies of a sample is that of the sample.
    data = day_granular(5).iloc[:5000]
    twice = pd.concat([data, data, data], ignore_index=True)
    once = BGNBD().fit(data["frequency"], data["recency"], data["T"]).params_
    thrice = BGNBD().fit(twice["frequency"], twice["recency"], twice["T"]).params_
    for key in once:
        assert thrice[key] == pytest.approx(once[key], rel=1e-6)


# The per-row pass (issue 18 item 4): e^D is computed from one exp per run of equal (x, t_x) and per (x, T)
# pair, with a direct per-row path where that could overflow; rows are visited in blocks, shared out to
# threads during a fit. Sources: FHL (2005) eq. 6 per customer (above), finite differences, and the
# property that the same sums added in the same order are the same bytes.

def _direct(monkeypatch):
    monkeypatch.setattr(bgnbd_module, "_EXP_SAFE", 0.0)  # every evaluation takes the direct per-row path


@pytest.mark.parametrize("path", ["factored", "direct"])
@pytest.mark.parametrize("params", [(0.3, 4.0, 0.8, 2.5), (2.0, 50.0, 1.5, 0.9)])
def test_both_row_paths_equal_the_likelihood_per_customer(monkeypatch, path, params):
    if path == "direct":
        _direct(monkeypatch)
    data = day_granular(3)
    x, t_x, T = (data[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    value, _ = bgnbd_module._negative_ll(np.log(params), bgnbd_module._Data(x, t_x, T))
    assert -value * len(x) == pytest.approx(_bgnbd_ll_per_customer(params, x, t_x, T), rel=1e-12)


@pytest.mark.parametrize("path", ["factored", "direct"])
def test_bgnbd_gradient_on_day_granular_data_matches_finite_differences(monkeypatch, path):
    from scipy.optimize import approx_fprime

    if path == "direct":
        _direct(monkeypatch)
    data = day_granular(4)
    grouped = bgnbd_module._Data(*(data[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    theta = np.log([0.5, 30.0, 0.7, 2.0])
    numeric = approx_fprime(theta, lambda t: bgnbd_module._negative_ll(t, grouped)[0], 1e-7)
    assert np.allclose(bgnbd_module._negative_ll(theta, grouped)[1], numeric, rtol=1e-4, atol=1e-7)


def test_the_factored_path_is_taken_on_day_granular_data_and_not_on_extreme_data(monkeypatch):
    calls = []
    direct = bgnbd_module._block_sums
    monkeypatch.setattr(bgnbd_module, "_block_sums", lambda *args: calls.append(1) or direct(*args))
    data = day_granular(3)
    grouped = bgnbd_module._Data(*(data[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    bgnbd_module._negative_ll(np.log([0.4, 60.0, 0.8, 3.0]), grouped)
    assert not calls
    # 5,000 purchases between t_x = 1 and T = 1000: (r+x)·ln((α+T)/(α+t_x)) is far past exp's range.
    extreme = bgnbd_module._Data(np.array([5000.0, 1.0]), np.array([1.0, 2.0]), np.array([1000.0, 1000.0]))
    value, grad = bgnbd_module._negative_ll(np.log([0.4, 60.0, 0.8, 3.0]), extreme)
    assert calls and np.isfinite(value) and np.all(np.isfinite(grad))


def _small_blocks(monkeypatch):
    monkeypatch.setattr(bgnbd_module, "_BLOCK_ROWS", 1500)
    monkeypatch.setattr(bgnbd_module, "_threads", lambda: 3)


def test_threads_give_the_same_bytes_as_one_thread(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    _small_blocks(monkeypatch)
    data = day_granular(2)
    grouped = bgnbd_module._Data(*(data[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    assert len(grouped.blocks) > 3 and len(grouped.work) == 3
    theta = np.log([0.4, 60.0, 0.8, 3.0])
    alone = bgnbd_module._negative_ll(theta, grouped)
    with ThreadPoolExecutor(3) as grouped.pool:
        shared = bgnbd_module._negative_ll(theta, grouped)
    assert alone[0] == shared[0] and np.array_equal(alone[1], shared[1])


@pytest.mark.parametrize("case", [1, 2])
def test_many_blocks_and_threads_keep_the_pinned_parameters(monkeypatch, case):
    # Runs and (x, T) pairs cut by block boundaries; the fit still gives the pinned parameters.
    _small_blocks(monkeypatch)
    data = day_granular(case)
    _same(BGNBD().fit(data["frequency"], data["recency"], data["T"]).params_, BEFORE_BGNBD[case])


def test_a_run_longer_than_a_block_is_kept_whole(monkeypatch):
    # 3,000 customers with the same (x, t_x) and 3,000 different ages: one run of equal (x, t_x) longer
    # than a block; blocks hold whole runs, so this block is longer than the others.
    _small_blocks(monkeypatch)
    data = day_granular(6).iloc[:4000]
    x = np.concatenate([data["frequency"].to_numpy(float), np.full(3000, 2.0)])
    t_x = np.concatenate([data["recency"].to_numpy(float), np.full(3000, 40.0)])
    T = np.concatenate([data["T"].to_numpy(float), 50.0 + np.arange(3000) * 0.25])
    grouped = bgnbd_module._Data(x, t_x, T)
    assert max(b.rows.stop - b.rows.start for b in grouped.blocks) > bgnbd_module._BLOCK_ROWS
    params = (0.4, 60.0, 0.8, 3.0)
    value, _ = bgnbd_module._negative_ll(np.log(params), grouped)
    assert -value * len(x) == pytest.approx(_bgnbd_ll_per_customer(params, x, t_x, T), rel=1e-12)


@pytest.mark.parametrize("load, threads", [(0.0, 2), (1.0, 2), (2.0, 1), (9.0, 1)])
def test_threads_only_for_idle_processors(monkeypatch, load, threads):
    # Two processors; the fit's own process counts one unit of load.
    monkeypatch.setattr(bgnbd_module.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(bgnbd_module.os, "getloadavg", lambda: (load, load, load))
    assert bgnbd_module._threads() == threads
