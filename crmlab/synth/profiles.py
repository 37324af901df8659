"""Vectorised profiles (names, phones, e-mails, addresses) sampled from the frozen pools.

Every field is drawn for all rows at once: numpy picks row numbers into small pools (names,
streets, digit groups, area codes), takes the pooled strings, and joins them with element-wise
``+`` on object arrays, which is several times cheaper than numpy's string ufuncs. Nothing
loops over people in Python.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.synth.pools import LocalePools

# '0000' … '9999' and '1' … '9999': every digit group a phone or house number needs, taken by index.
FOUR_DIGITS = np.array([f"{i:04d}" for i in range(10_000)], dtype=object)
DASH_FOUR_DIGITS = "-" + FOUR_DIGITS
NUMBERS = np.array([str(i) for i in range(10_000)], dtype=object)
HOUSE_NUMBERS_ZH = NUMBERS + "号"


def _take(pool: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def sample_places(rng: np.random.Generator, pools: LocalePools, n: int) -> np.ndarray:
    """Row numbers into ``pools.divisions``, drawn by population weight, so province and city agree."""
    weights = pools.divisions["weight"].to_numpy(dtype=float)
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def sample_names(rng: np.random.Generator, pools: LocalePools, female: np.ndarray) -> tuple[np.ndarray, ...]:
    """Full names by gender, family names weighted by their real frequency.

    Returns (full name, romanised given name, its initial, romanised family name); the
    romanised parts feed the e-mail addresses.
    """
    n = len(female)
    f_pool, m_pool, l_pool = (pools.weighted(k) for k in ("first_names_female", "first_names_male", "last_names"))
    # One pool of given names (women's then men's), so a single take serves both genders.
    given_pool = np.concatenate([f_pool.values, m_pool.values])
    given_latin = np.concatenate([pools.romanised("first_names_female"), pools.romanised("first_names_male")])
    initials = np.array([name[:1] for name in given_latin], dtype=object)
    given_idx = np.where(female, f_pool.sample_index(rng, n), len(f_pool.values) + m_pool.sample_index(rng, n))
    family_idx = l_pool.sample_index(rng, n)
    given, family = given_pool[given_idx], l_pool.values[family_idx]
    # Chinese names put the family name first, with no space.
    full = family + given if pools.locale == "zh_CN" else given + " " + family
    return full, given_latin[given_idx], initials[given_idx], pools.romanised("last_names")[family_idx]


def sample_phones(rng: np.random.Generator, pools: LocalePools, place: np.ndarray) -> np.ndarray:
    """Mobile numbers: zh_CN ``1[3-9]x-xxxx-xxxx`` from real prefixes; en_US ``(AAA) NXX-XXXX`` with the city's area code."""
    n = len(place)
    last_four = _take(DASH_FOUR_DIGITS, rng, n)
    if "mobile_prefixes" in pools.raw:
        prefix = _take(pools.strings("mobile_prefixes") + "-", rng, n)
        return prefix + _take(FOUR_DIGITS, rng, n) + last_four
    codes = pools.divisions["area_codes"].str.split(" ")
    counts = codes.str.len().to_numpy()
    flat = np.array([f"({c}) " for row in codes for c in row], dtype=object)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    area = flat[first[place] + (rng.random(n) * counts[place]).astype(np.int64)]
    # Exchange codes start 2-9 and are never N11 (service codes like 411 or 911).
    exchange = rng.integers(200, 1000, n)
    exchange = np.where(exchange % 100 == 11, exchange + 1, exchange)
    return area + NUMBERS[exchange] + last_four


def sample_emails(rng: np.random.Generator, pools: LocalePools, first: np.ndarray, initial: np.ndarray,
                  last: np.ndarray) -> np.ndarray:
    """E-mail addresses built from the romanised name (or a QQ number at qq.com); never unique by design.

    Styles: ``first.last``, ``firstlast`` or ``flast``, half of them with a number 1–99.
    """
    n = len(first)
    domain_pool = pools.weighted("email_domains")
    domain_idx = domain_pool.sample_index(rng, n)
    style = rng.integers(0, 3, n)
    head = np.where(style == 2, initial, first)
    separator = np.where(style == 0, ".", "")
    suffix = np.where(rng.random(n) < 0.5, NUMBERS[rng.integers(1, 100, n)], "")
    local = head + separator + last + suffix
    # Chinese users very often use their numeric QQ account as the mailbox name.
    qq = (domain_pool.values[domain_idx] == "qq.com") & (rng.random(n) < 0.6)
    local[qq] = NUMBERS[rng.integers(1000, 10_000, qq.sum())] + _take(FOUR_DIGITS, rng, qq.sum())
    return local + ("@" + domain_pool.values)[domain_idx]


def sample_addresses(rng: np.random.Generator, pools: LocalePools, n: int) -> np.ndarray:
    """Street addresses: ``1234 Oak Street`` (en_US) or ``人民路128号`` (zh_CN)."""
    street = _take(pools.strings("street_names"), rng, n)
    if pools.locale == "zh_CN":
        return street + HOUSE_NUMBERS_ZH[rng.integers(1, 1000, n)]
    return NUMBERS[rng.integers(1, 10_000, n)] + " " + street


def people(rng: np.random.Generator, pools: LocalePools, n: int, female_share: float = 0.5) -> pd.DataFrame:
    """``n`` consistent person profiles: name, gender, province, city, address, phone, email.

    ``_place`` is the row of ``pools.divisions`` each person lives in (for stores, area codes).
    """
    female = rng.random(n) < female_share
    name, given, initial, family = sample_names(rng, pools, female)
    place = sample_places(rng, pools, n)
    div = pools.divisions
    return pd.DataFrame({
        "name": pd.Series(name, dtype="str"),
        "gender": pd.Categorical.from_codes(female.astype(np.int8), categories=["M", "F"]),
        "province": div["province"].to_numpy()[place],
        "city": div["city"].to_numpy()[place],
        "address": pd.Series(sample_addresses(rng, pools, n), dtype="str"),
        "phone": pd.Series(sample_phones(rng, pools, place), dtype="str"),
        "email": pd.Series(sample_emails(rng, pools, given, initial, family), dtype="str"),
        "_place": place,
    })
