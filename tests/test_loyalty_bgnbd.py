"""BG/NBD: published CDNOW fit, the transaction-log summary, numerical safety, bad input."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from crmlab.loyalty import BGNBD, calibration_holdout_summary, load_cdnow_summary, simulate_bgnbd
from crmlab.loyalty.bgnbd import _Data, _negative_ll
from crmlab.validation import CrmlabInputError


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def fitted(cdnow):
    return BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_cdnow_summary_matches_the_published_sample(cdnow):
    # Fader, Hardie & Lee (2005), Sec. 4: 2,357 customers, 39-week calibration; Fader & Hardie (2013)
    # Gamma-Gamma note: 946 of them made at least one repeat purchase in the calibration period.
    assert len(cdnow) == 2357
    assert int((cdnow["frequency"] > 0).sum()) == 946
    # Customer 1 bought on 1997-01-01, 01-18, 08-02 (and once in the holdout): x = 2,
    # t_x = 213 days / 7 = 30.43 weeks, T = 272 days / 7 = 38.86 weeks.
    first = cdnow.loc[1]
    assert first["frequency"] == 2
    assert first["recency"] == pytest.approx(213 / 7)
    assert first["T"] == pytest.approx(272 / 7)
    assert first["frequency_holdout"] == 1


def test_bgnbd_reproduces_fader_hardie_lee_2005_cdnow_estimates(fitted):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), Sec. 4 (Table in the empirical analysis):
    # r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    p = fitted.params_
    assert set(p) == {"r", "alpha", "a", "b"}
    assert p["r"] == pytest.approx(0.243, abs=5e-4)
    assert p["alpha"] == pytest.approx(4.414, abs=5e-3)
    assert p["a"] == pytest.approx(0.793, abs=5e-4)
    assert p["b"] == pytest.approx(2.426, abs=5e-3)
    assert fitted.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert fitted.n_customers_ == 2357


def test_analytic_gradient_matches_finite_differences(cdnow):
    data = _Data(*(cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")))
    theta = np.log([0.5, 3.0, 0.7, 2.0])
    numeric = approx_fprime(theta, lambda t: _negative_ll(t, data)[0], 1e-7)
    assert np.allclose(_negative_ll(theta, data)[1], numeric, rtol=1e-4, atol=1e-7)


def test_simulated_world_parameters_are_recovered():
    truth = {"r": 0.5, "alpha": 5.0, "a": 1.5, "b": 4.0}
    sim = simulate_bgnbd(40_000, truth, T=52.0, seed=7)
    fit = BGNBD().fit(sim["frequency"], sim["recency"], sim["T"])
    for name, value in truth.items():
        assert fit.params_[name] == pytest.approx(value, rel=0.15), name


def test_simulation_is_deterministic_and_checks_its_input():
    p = {"r": 0.5, "alpha": 5.0, "a": 1.5, "b": 4.0}
    pd.testing.assert_frame_equal(simulate_bgnbd(500, p, 10.0, 3), simulate_bgnbd(500, p, 10.0, 3))
    with pytest.raises(CrmlabInputError, match="missing"):
        simulate_bgnbd(10, {"r": 1.0}, 10.0, 0)
    with pytest.raises(CrmlabInputError, match="params\\['a'\\]"):
        simulate_bgnbd(10, {**p, "a": -1.0}, 10.0, 0)
    with pytest.raises(CrmlabInputError, match="n_customers"):
        simulate_bgnbd(0, p, 10.0, 0)


def test_p_alive_hand_computed(fitted):
    # x = 0 → P(alive) = 1 exactly (BG/NBD: no dropout before the first repeat purchase).
    # x = 1, t_x = T → 1 / (1 + a/b) = b / (a + b).
    p = fitted.params_
    alive = fitted.probability_alive([0, 1], [0.0, 20.0], [30.0, 20.0])
    assert alive.iloc[0] == 1.0
    assert alive.iloc[1] == pytest.approx(p["b"] / (p["a"] + p["b"]))


def test_conditional_expectation_for_a_zero_customer_equals_direct_formula(fitted):
    # For x = 0 the FHL eq. (10) reads (a+b−1)/(a−1)·[1 − ((α+T)/(α+T+t))^r ₂F₁(r, b; a+b−1; t/(α+T+t))],
    # written here without Euler's transformation the code uses.
    from scipy.special import hyp2f1
    p = fitted.params_
    r, al, a, b = p["r"], p["alpha"], p["a"], p["b"]
    t, T = 39.0, 38.86
    direct = (a + b - 1) / (a - 1) * (1 - ((al + T) / (al + T + t)) ** r * hyp2f1(r, b, a + b - 1, t / (al + T + t)))
    got = fitted.conditional_expected_purchases(t, [0], [0.0], [T]).iloc[0]
    assert got == pytest.approx(direct, rel=1e-10)
    # x = 2, t_x = 30.43, T = 38.86 (CDNOW customer 1), direct eq. (10) again.
    x, tx = 2, 30.43
    num = 1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (al + T + t))
    den = 1 + a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x)
    direct = (a + b + x - 1) / (a - 1) * num / den
    assert fitted.conditional_expected_purchases(t, [x], [tx], [T]).iloc[0] == pytest.approx(direct, rel=1e-10)


def test_holdout_forecast_tracks_cumulative_cdnow_sales(fitted, cdnow):
    # FHL (2005), Sec. 4 / Figure 3: the BG/NBD slightly under-forecasts cumulative repeat sales at
    # week 78 (a few per cent). Calibration repeat purchases 2,457 + forecast for weeks 40–78 against
    # the actual 2,457 + 1,882 = 4,339 must land between 93 % and 100 %.
    expected = fitted.conditional_expected_purchases(39, cdnow["frequency"], cdnow["recency"], cdnow["T"]).sum()
    calibration = cdnow["frequency"].sum()
    actual = calibration + cdnow["frequency_holdout"].sum()
    assert calibration == 2457 and actual == 4339
    assert 0.93 < (calibration + expected) / actual < 1.0


def test_unconditional_expectation_is_increasing_and_zero_at_zero(fitted):
    e = fitted.expected_purchases([0.0, 10.0, 39.0, 78.0])
    assert e.iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(e.to_numpy()) > 0)
    assert isinstance(fitted.expected_purchases(39), float)


def test_output_keeps_customer_index(fitted, cdnow):
    head = cdnow.head(5)
    out = fitted.probability_alive(head["frequency"], head["recency"], head["T"])
    assert out.index.equals(head.index)


@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(min_value=0, max_value=1_000_000),
    T=st.floats(min_value=1e-3, max_value=1e4),
    frac=st.floats(min_value=0.0, max_value=1.0),
    t=st.floats(min_value=0.0, max_value=1e4),
)
def test_extreme_customers_give_finite_sane_answers(fitted, x, T, frac, t):
    recency = 0.0 if x == 0 else T * frac
    alive = fitted.probability_alive([x], [recency], [T]).iloc[0]
    expected = fitted.conditional_expected_purchases(t, [x], [recency], [T]).iloc[0]
    assert 0.0 <= alive <= 1.0
    assert np.isfinite(expected) and expected >= -1e-9


@settings(max_examples=30, deadline=None)
@given(x=st.integers(min_value=1, max_value=100_000), T=st.floats(min_value=0.1, max_value=1000))
def test_recency_equal_to_T_is_most_alive(fitted, x, T):
    # Buying at the very end of the window can only raise P(alive) relative to buying earlier.
    late, early = fitted.probability_alive([x, x], [T, T / 2], [T, T])
    assert late >= early


def test_likelihood_stays_finite_for_extreme_data():
    x = np.array([0, 0, 1, 5_000_000, 3])
    tx = np.array([0.0, 0.0, 1e-9, 100.0, 100.0])
    T = np.array([1e-6, 1e6, 1e-9, 100.0, 100.0])
    value, grad = _negative_ll(np.log([0.3, 4.0, 0.8, 2.5]), _Data(x.astype(float), tx, T))
    assert np.isfinite(value) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("frequency, recency, T, match", [
    ([1, 2], [5.0, 12.0], [10.0, 10.0], "recency must not exceed T"),
    ([-1, 2], [0.0, 1.0], [10.0, 10.0], "negative"),
    ([1.5, 2], [1.0, 1.0], [10.0, 10.0], "whole numbers"),
    ([], [], [], "empty"),
    ([1, np.nan], [1.0, 1.0], [10.0, 10.0], "NaN"),
    ([0, 1], [3.0, 1.0], [10.0, 10.0], "frequency 0"),
    ([1, 1], [1.0, 1.0], [10.0], "same length"),
    ([1, 1], [1.0, 1.0], [10.0, 0.0], "greater than 0"),
])
def test_bad_input_is_rejected_with_a_clear_message(frequency, recency, T, match):
    with pytest.raises(CrmlabInputError, match=match):
        BGNBD().fit(frequency, recency, T)


def test_methods_need_a_fit_and_a_valid_horizon(fitted):
    with pytest.raises(CrmlabInputError, match="not fitted"):
        BGNBD().probability_alive([1], [1.0], [2.0])
    with pytest.raises(CrmlabInputError, match="t must be"):
        fitted.conditional_expected_purchases(-1, [1], [1.0], [2.0])
    with pytest.raises(CrmlabInputError, match="t must be"):
        fitted.expected_purchases(float("nan"))


def test_summary_merges_same_day_purchases_and_uses_the_time_unit():
    log = pd.DataFrame({
        "cid": ["a", "a", "a", "a", "b", "c"],
        "day": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-10", "2024-01-29", "2024-03-01"],
        "amount": [10.0, 5.0, 20.0, 7.0, 8.0, 9.0],
    })
    s = calibration_holdout_summary(log, "cid", "day", "2024-01-29", amount_col="amount",
                                    observation_end="2024-03-01", time_unit="D")
    # a: trips on 01-01 (10+5 merged), 01-15 (20) in calibration → x = 1, t_x = 14, T = 28 days,
    #    monetary = mean of repeat trips = 20; holdout: 02-10 → 1.  b: first on the last day → x = 0, T = 0.
    #    c: first purchase after calibration → not in the summary.
    assert list(s.index) == ["a", "b"]
    assert s.loc["a", ["frequency", "recency", "T", "monetary_value", "frequency_holdout"]].tolist() == [1, 14, 28, 20, 1]
    assert s.loc["b", ["frequency", "recency", "T", "monetary_value"]].tolist() == [0, 0, 0, 0]
    assert s["duration_holdout"].iloc[0] == 32
    weeks = calibration_holdout_summary(log.iloc[:3], "cid", "day", "2024-01-29", time_unit="W")
    assert weeks.loc["a", "T"] == pytest.approx(4.0)


def test_summary_bad_input():
    log = pd.DataFrame({"cid": ["a"], "day": ["2024-01-01"], "amount": [1.0]})
    with pytest.raises(CrmlabInputError, match="no column"):
        calibration_holdout_summary(log, "customer", "day", "2024-02-01")
    with pytest.raises(CrmlabInputError, match="time_unit"):
        calibration_holdout_summary(log, "cid", "day", "2024-02-01", time_unit="fortnight")
    with pytest.raises(CrmlabInputError, match="after the analysis date"):
        calibration_holdout_summary(log, "cid", "day", "2023-12-01")
    with pytest.raises(CrmlabInputError, match="negative"):
        calibration_holdout_summary(log.assign(amount=-1.0), "cid", "day", "2024-02-01", amount_col="amount")
    with pytest.raises(CrmlabInputError, match="empty"):
        calibration_holdout_summary(log.iloc[:0], "cid", "day", "2024-02-01")
