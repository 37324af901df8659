"""Frozen value pools per locale: names, streets, company words, e-mail domains, divisions.

The pools are package data (``crmlab/synth/pools/``) filled once from Faker by
``tools/build_pools.py``; generators sample from them with numpy and never call Faker, so the
same seed gives the same bytes with any Faker version on any day. The province → city tables
are real administrative divisions (China: provincial divisions and prefecture-level cities;
US: states and cities with their real telephone area codes), so a province and its city always
agree — unlike Faker's zh_CN addresses, which pair them at random.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.validation import require_choice

POOL_DIR = Path(__file__).with_name("pools")
LOCALES = ("en_US", "zh_CN")


@dataclass(frozen=True)
class WeightedPool:
    """Values and their sampling probabilities."""

    values: np.ndarray
    probs: np.ndarray

    @classmethod
    def from_mapping(cls, mapping: dict[str, float]) -> "WeightedPool":
        weights = np.array(list(mapping.values()), dtype=float)
        return cls(np.array(list(mapping), dtype=object), weights / weights.sum())

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.values[self.sample_index(rng, n)]

    def sample_index(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # Inverse CDF: one uniform per row looked up in the cumulative probabilities.
        cdf = np.cumsum(self.probs)
        return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


@dataclass(frozen=True)
class LocalePools:
    """Everything locale-specific a generator may draw from (Faker's idea of providers as data)."""

    locale: str
    raw: dict
    divisions: pd.DataFrame  # province, city, weight[, area_codes]

    def weighted(self, key: str) -> WeightedPool:
        return _weighted_pool(self.locale, key)

    def strings(self, key: str) -> np.ndarray:
        """A plain pool as an object array of Python strings (indexing it is a cheap take)."""
        return np.array(self.raw[key], dtype=object)

    def romanised(self, key: str) -> np.ndarray:
        """Latin spelling of a weighted pool's values, aligned with it (pinyin for zh_CN, lower case for en_US)."""
        table = self.raw.get("romanised", {})
        return np.array([table.get(name, name).lower() for name in self.raw[key]], dtype=object)


@lru_cache(maxsize=None)
def _weighted_pool(locale: str, key: str) -> WeightedPool:
    return WeightedPool.from_mapping(load_pools(locale).raw[key])


@lru_cache(maxsize=None)
def load_pools(locale: str) -> LocalePools:
    """The frozen pools of one locale (``"en_US"`` or ``"zh_CN"``)."""
    require_choice(locale, "locale", LOCALES)
    raw = json.loads((POOL_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    divisions = pd.read_csv(POOL_DIR / f"divisions_{locale}.csv", dtype={"area_codes": "str"})
    return LocalePools(locale, raw, divisions)
