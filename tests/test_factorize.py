"""Customer IDs coded once (crmlab._factorize), and the group-bys built on the codes (issue 18, item 2).

Sources: pandas' own ``pd.factorize(sort=True)`` (the peer the fast path must equal) and a property:
relabelling customers (integer codes -> string IDs) changes the index of a summary, never its values.
"""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab._factorize import factorize_sorted
from crmlab.classify import rfm_scores
from crmlab.loyalty import calibration_holdout_summary


def _same_as_pandas(values: pd.Series) -> None:
    codes, uniques = factorize_sorted(values)
    expected_codes, expected_uniques = pd.factorize(values, sort=True)
    assert np.array_equal(codes, expected_codes)
    assert uniques.equals(pd.Index(expected_uniques)) and uniques.dtype == pd.Index(expected_uniques).dtype


@pytest.mark.parametrize("make", [
    lambda rng: [f"C{i:07d}" for i in rng.integers(0, 5000, 20000)],            # fixed width, counted
    lambda rng: [f"{i:012d}" for i in rng.integers(0, 10**12, 5000)],          # fixed width, hashed
    lambda rng: ["".join(rng.choice(list("aZ9é中"), 6)) for _ in range(3000)],  # multi-byte characters
    lambda rng: [f"x{i}" for i in rng.integers(0, 300, 2000)],                 # mixed widths: fallback
    lambda rng: ["only"] * 10,
])
def test_fast_codes_equal_pandas_factorize_sorted(make):
    _same_as_pandas(pd.Series(make(np.random.default_rng(3)), dtype="str"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="01aAz,é中", min_size=3, max_size=3), min_size=1, max_size=60))
def test_any_equal_width_ids_code_as_pandas_does(ids):
    _same_as_pandas(pd.Series(ids, dtype="str"))


def test_integer_and_object_ids_still_work():
    _same_as_pandas(pd.Series([30, 10, 30, 20]))
    _same_as_pandas(pd.Series(np.array(["b", "a", "b"], dtype=object)))


def _log(seed: int = 11, n: int = 40000, customers: int = 3000) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ints = pd.DataFrame({
        "customer": rng.integers(0, customers, n),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "amount": np.round(rng.gamma(2.0, 30.0, n), 2),
    })
    labels = pd.Series([f"ID{i:05d}" for i in range(customers)], dtype="str")  # sorted like the integers
    strings = ints.assign(customer=labels.to_numpy()[ints["customer"].to_numpy()]).astype({"customer": "str"})
    return ints, strings


def test_summaries_on_string_ids_equal_those_on_integer_codes():
    ints, strings = _log()
    kwargs = dict(amount_col="amount", observation_end="2025-11-30", time_unit="W")
    a = calibration_holdout_summary(ints, "customer", "date", "2025-03-31", **kwargs)
    b = calibration_holdout_summary(strings, "customer", "date", "2025-03-31", **kwargs)
    assert list(b.index) == [f"ID{i:05d}" for i in a.index]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)
    r_int = rfm_scores(ints, "customer", "date", "amount", "2026-01-01")
    r_str = rfm_scores(strings, "customer", "date", "amount", "2026-01-01")
    pd.testing.assert_frame_equal(r_int.reset_index(drop=True), r_str.reset_index(drop=True), check_exact=True)


def test_summary_counts_trips_as_the_definition_says():
    # Fader, Hardie & Lee (2005): frequency = repeat purchase occasions in calibration (one per day),
    # recency = last - first purchase, T = calibration end - first purchase; holdout occasions counted apart.
    tx = pd.DataFrame({"customer": ["B", "A", "A", "A", "A", "C"],
                       "date": pd.to_datetime(["2024-01-05", "2024-01-01", "2024-01-01", "2024-01-03",
                                               "2024-02-10", "2024-03-01"]),
                       "amount": [5.0, 1.0, 2.0, 6.0, 7.0, 9.0]})
    out = calibration_holdout_summary(tx, "customer", "date", "2024-01-31", amount_col="amount",
                                      observation_end="2024-03-31", time_unit="D")
    assert list(out.index) == ["A", "B"]
    assert out.loc["A", "frequency"] == 1 and out.loc["A", "recency"] == 2 and out.loc["A", "T"] == 30
    assert out.loc["A", "monetary_value"] == 6.0 and out.loc["A", "frequency_holdout"] == 1
    assert out.loc["B", "frequency"] == 0 and out.loc["B", "monetary_value"] == 0.0
