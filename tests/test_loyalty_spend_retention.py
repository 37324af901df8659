"""Gamma-Gamma spend model and shifted-beta-geometric retention: published fits, identities, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import betaprime

from crmlab.loyalty import BGNBD, GammaGamma, ShiftedBetaGeometric, load_cdnow_summary
from crmlab.validation import CrmlabInputError

# Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1), Table 1:
# % of customers still active at the start of years 1–13 per 1,000 acquired.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def gg(cdnow):
    return GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])


def test_gamma_gamma_reproduces_fader_hardie_2013_cdnow_estimates(gg):
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", Sec. 3 (946 CDNOW repeat
    # customers): p = 6.25, q = 3.74, γ = 15.44.
    assert set(gg.params_) == {"p", "q", "gamma"}
    assert gg.params_["p"] == pytest.approx(6.25, abs=0.01)
    assert gg.params_["q"] == pytest.approx(3.74, abs=0.01)
    assert gg.params_["gamma"] == pytest.approx(15.44, abs=0.02)
    assert gg.n_customers_ == 946


def test_gamma_gamma_likelihood_equals_scaled_beta_prime_density(gg, cdnow):
    # Independent check: the mean of x Gamma(p, ν) spends is Gamma(px, xν); mixing ν ~ Gamma(q, γ)
    # gives a beta-prime(px, q) variable scaled by γ/x.
    repeat = cdnow[cdnow["frequency"] > 0]
    p, q, g = gg.params_["p"], gg.params_["q"], gg.params_["gamma"]
    x, m = repeat["frequency"].to_numpy(float), repeat["monetary_value"].to_numpy(float)
    assert gg.log_likelihood_ == pytest.approx(betaprime.logpdf(m, p * x, q, scale=g / x).sum(), rel=1e-9)


def test_conditional_spend_is_the_weighted_mean_by_hand(gg):
    # E[M] = (q−1)/(px+q−1) · γp/(q−1) + px/(px+q−1) · m̄; for x = 0 it is the population mean γp/(q−1).
    p, q, g = gg.params_["p"], gg.params_["q"], gg.params_["gamma"]
    spend = gg.conditional_expected_spend([0, 3], [0.0, 40.0])
    assert spend.iloc[0] == pytest.approx(g * p / (q - 1))
    w = 3 * p / (3 * p + q - 1)
    assert spend.iloc[1] == pytest.approx((1 - w) * g * p / (q - 1) + w * 40.0)


def test_clv_one_period_no_discount_is_purchases_times_spend(gg, cdnow):
    bg = BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    head = cdnow.head(20)
    args = (head["frequency"], head["recency"], head["T"])
    clv = gg.clv(bg, *args, head["monetary_value"], horizon=1, discount=0.0, period_length=4.0)
    expected = bg.conditional_expected_purchases(4.0, *args) * gg.conditional_expected_spend(
        head["frequency"], head["monetary_value"])
    np.testing.assert_allclose(clv.to_numpy(), expected.to_numpy(), rtol=1e-12)
    longer = gg.clv(bg, *args, head["monetary_value"], horizon=12, discount=0.01)
    discounted_more = gg.clv(bg, *args, head["monetary_value"], horizon=12, discount=0.05)
    assert (longer >= clv - 1e-12).all() and (discounted_more <= longer + 1e-12).all()
    assert clv.index.equals(head.index)


@settings(max_examples=40, deadline=None)
@given(x=st.integers(min_value=0, max_value=1_000_000), m=st.floats(min_value=0.01, max_value=1e6))
def test_conditional_spend_is_finite_and_between_prior_and_own_mean(gg, x, m):
    p, q, g = gg.params_["p"], gg.params_["q"], gg.params_["gamma"]
    value = gg.conditional_expected_spend([x], [m]).iloc[0]
    low, high = sorted([g * p / (q - 1), m])
    assert np.isfinite(value)
    assert low * (1 - 1e-9) <= value <= high * (1 + 1e-9)


@pytest.mark.parametrize("frequency, monetary, match", [
    ([1, 2], [10.0, -5.0], "negative"),
    ([1, 2], [10.0, 0.0], "must be > 0"),
    ([0, 0], [0.0, 0.0], "no customer with a repeat purchase"),
    ([1.5, 2], [10.0, 5.0], "whole numbers"),
    ([1, 2], [10.0, np.nan], "NaN"),
    ([], [], "empty"),
    ([1, 2], [10.0], "same length"),
])
def test_gamma_gamma_bad_input(frequency, monetary, match):
    with pytest.raises(CrmlabInputError, match=match):
        GammaGamma().fit(frequency, monetary)


@pytest.mark.parametrize("survivors, alpha, beta", [
    # Fader & Hardie (2007), Sec. "Estimating the model" (fit on years 0–7): regular α = 0.704, β = 1.182;
    # high end α = 0.668, β = 3.806.
    (REGULAR[:8], 0.704, 1.182),
    (HIGH_END[:8], 0.668, 3.806),
])
def test_sbg_reproduces_fader_hardie_2007(survivors, alpha, beta):
    model = ShiftedBetaGeometric().fit(survivors)
    assert model.params_["alpha"] == pytest.approx(alpha, abs=5e-4)
    assert model.params_["beta"] == pytest.approx(beta, abs=5e-4)
    # LL written out independently: Σ_t lost_t · ln P(T=t) + survivors_7 · ln S(7), P and S from
    # B(α+1, β+t−1)/B(α, β) and B(α, β+7)/B(α, β) with math.lgamma.
    a, b = model.params_["alpha"], model.params_["beta"]

    def log_beta(u, v):
        return math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v)
    ll = sum((survivors[t - 1] - survivors[t]) * (log_beta(a + 1, b + t - 1) - log_beta(a, b)) for t in range(1, 8))
    ll += survivors[7] * (log_beta(a, b + 7) - log_beta(a, b))
    assert model.log_likelihood_ == pytest.approx(ll, rel=1e-12)


def test_sbg_projection_tracks_the_held_out_years():
    # F&H (2007) Figure 5: the model fitted on 7 years projects years 8–12 closely (within 2 points of 100).
    model = ShiftedBetaGeometric().fit(REGULAR[:8])
    projected = model.survival(range(13)).to_numpy() * 1000
    assert np.max(np.abs(projected[8:] - np.array(REGULAR[8:]))) < 20


def test_sbg_survival_and_retention_identities():
    model = ShiftedBetaGeometric().fit(HIGH_END[:8])
    a, b = model.params_["alpha"], model.params_["beta"]
    s = model.survival(range(6))
    assert s.iloc[0] == 1.0
    # S(1) = β/(α+β): the first-period retention is the mean of 1 − θ.
    assert s.iloc[1] == pytest.approx(b / (a + b))
    r = model.retention(range(1, 6))
    np.testing.assert_allclose(r.to_numpy(), (s.iloc[1:].to_numpy() / s.iloc[:-1].to_numpy()), rtol=1e-12)
    # Heterogeneity makes retention rise over time: why one retention rate misleads.
    assert np.all(np.diff(r.to_numpy()) > 0)


@pytest.mark.parametrize("renewals", [0, 4])
def test_derl_equals_the_direct_discounted_sum(renewals):
    # Fader & Hardie (2010), eq. (6): DERL = Σ_{t≥n} S(t)/S(n−1)/(1+d)^(t−n), n = renewals + 1,
    # summed here directly over 4,000 periods (the tail is negligible at d = 10 %).
    model = ShiftedBetaGeometric().fit(REGULAR[:8])
    n, d = renewals + 1, 0.1
    s = model.survival(range(0, 4000)).to_numpy()
    direct = sum(s[t] / s[n - 1] / (1 + d) ** (t - n) for t in range(n, 4000))
    assert model.expected_residual_lifetime_value(1.0, d, renewals) == pytest.approx(direct, rel=1e-9)
    assert model.expected_residual_lifetime_value(50.0, d, renewals) == pytest.approx(50 * direct, rel=1e-9)


@pytest.mark.parametrize("survivors, match", [
    ([1000, 1100, 900], "must not increase"),
    ([1000], "at least one later count"),
    ([0, 0], "cohort's size"),
    ([1000, -5], "negative"),
    ([1000, 600.5], "whole numbers"),
    ([1000, np.nan], "NaN"),
    ([], "empty"),
])
def test_sbg_bad_input(survivors, match):
    with pytest.raises(CrmlabInputError, match=match):
        ShiftedBetaGeometric().fit(survivors)


def test_sbg_method_bad_input():
    model = ShiftedBetaGeometric().fit(REGULAR[:8])
    with pytest.raises(CrmlabInputError, match="from period 1"):
        model.retention(0)
    with pytest.raises(CrmlabInputError, match="whole periods"):
        model.survival(1.5)
    with pytest.raises(CrmlabInputError, match="discount"):
        model.expected_residual_lifetime_value(1.0, 0.0)
    with pytest.raises(CrmlabInputError, match="not fitted"):
        ShiftedBetaGeometric().survival(3)


def test_sbg_extreme_cohort_stays_finite():
    # Nobody leaves, or almost everybody leaves at once: the fit must still return finite numbers.
    for survivors in ([1000, 1000, 1000], [1000, 1, 1, 1], [10**9, 10**9 - 1, 10**9 - 2]):
        model = ShiftedBetaGeometric().fit(survivors)
        assert all(np.isfinite(v) for v in model.params_.values())
        assert np.isfinite(model.log_likelihood_)
        assert np.all(np.isfinite(model.survival(range(50)).to_numpy()))
