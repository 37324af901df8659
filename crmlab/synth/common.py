"""Small pieces every generator shares: seeded random streams, ids, dates, lognormal delays."""
from __future__ import annotations

import numpy as np
import pandas as pd


def streams(seed: int, scenario: str, names: list[str]) -> dict[str, np.random.Generator]:
    """One independent generator per part of the world, so changing one part leaves the others' draws alone."""
    tag = int.from_bytes(scenario.encode("utf-8"), "little") % (2**32)
    children = np.random.SeedSequence([seed, tag]).spawn(len(names))
    return {name: np.random.default_rng(child) for name, child in zip(names, children)}


def make_ids(prefix: str, n: int, width: int) -> pd.Series:
    """``prefix`` + zero-padded running number from 1, e.g. ``C000001``; wider when ``n`` needs it."""
    width = max(width, len(str(n)))
    template = f"{prefix}%0{width}d\n"
    # One %-format per block of a million is several times cheaper than element-wise string
    # ufuncs for the ~10 million transaction ids of a large world.
    block = 1_000_000
    ids: list[str] = []
    for low in range(1, n + 1, block):
        high = min(low + block, n + 1)
        ids.extend((template * (high - low) % tuple(range(low, high))).split("\n")[:-1])
    return pd.Series(ids, dtype="str")


def ids_at(ids: pd.Series, index: np.ndarray) -> pd.Categorical:
    """The ids of ``index`` rows, built through a categorical so millions of rows cost one take, not one string each."""
    return pd.Categorical.from_codes(index, categories=pd.Index(ids.to_numpy(), dtype="str"))


def to_dates(start: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """Day offsets (floats are floored) from ``start`` as ``datetime64[s]`` dates."""
    return np.datetime64(start.date(), "s") + (np.floor(days).astype(np.int64) * 86_400).astype("timedelta64[s]")


def to_datetimes(start: pd.Timestamp, days: np.ndarray) -> np.ndarray:
    """Fractional day offsets from ``start`` as ``datetime64[s]`` timestamps (to the second)."""
    return np.datetime64(start.date(), "s") + np.floor(days * 86_400).astype("timedelta64[s]")


def lognormal_hours(rng: np.random.Generator, median_hours: float, n: int, sigma: float = 1.0) -> np.ndarray:
    """Delays in days, lognormal with the given median in hours (right-skewed, like real service times)."""
    return rng.lognormal(np.log(median_hours), sigma, n) / 24.0


def pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> pd.Categorical:
    """``n`` labels drawn with the given shares, as a categorical in the order of ``shares``."""
    labels = list(shares)
    probs = np.array(list(shares.values()), dtype=float)
    return pd.Categorical.from_codes(rng.choice(len(labels), size=n, p=probs / probs.sum()), categories=labels)
