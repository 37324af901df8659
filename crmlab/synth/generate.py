"""``generate``: one call builds a whole company world from (scenario, size, seed, locale, period)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from crmlab.i18n import tr
from crmlab.synth.b2b import generate_b2b
from crmlab.synth.pools import LOCALES, load_pools
from crmlab.synth.retail import generate_retail
from crmlab.synth.scenarios import CURRENCY
from crmlab.synth.world import World
from crmlab.validation import CrmlabInputError, require_choice, require_int

GENERATORS = {"retail": generate_retail, "b2b": generate_b2b}
SCENARIO_NAMES = tuple(GENERATORS)
# A b2b account brings ~25 order lines, opportunities and requests over three years, so its
# worlds are capped lower to stay within a few GiB of memory.
MAX_CUSTOMERS = {"retail": 2_000_000, "b2b": 200_000}
MIN_DAYS = 90


def parse_date(value: Any, name: str) -> pd.Timestamp:
    """A calendar date from ``'YYYY-MM-DD'``, a date or a Timestamp; anything else is a clear error."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp) or isinstance(value, (bool, int, float)):
        raise CrmlabInputError(tr(
            f"{name} must be a date written YYYY-MM-DD (e.g. '2023-01-01'), got {value!r}.",
            f"{name} 必须是 YYYY-MM-DD 格式的日期（例如 '2023-01-01'），实际是 {value!r}。",
        ))
    return stamp.normalize()


def check_period(start: Any, end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Parse ``start`` and ``end``; the period must run forward and be at least ``MIN_DAYS`` long."""
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if (last - first).days + 1 < MIN_DAYS:
        raise CrmlabInputError(tr(
            f"end must be at least {MIN_DAYS} days after start; got start={first.date()}, end={last.date()}. "
            "Put the earlier date first, e.g. start='2023-01-01', end='2025-12-31'.",
            f"end 必须比 start 晚至少 {MIN_DAYS} 天；实际 start={first.date()}，end={last.date()}。"
            "请把较早的日期放在前面，例如 start='2023-01-01'，end='2025-12-31'。",
        ))
    return first, last


def generate(scenario: str, customers: int, seed: int = 0, locale: str = "en_US",
             start: str = "2023-01-01", end: str = "2025-12-31") -> World:
    """Generate one coherent synthetic company world (合成的企业客户数据).

    Parameters
    ----------
    scenario : ``"retail"`` (a supermarket chain, B2C) or ``"b2b"`` (a steel supplier).
    customers : number of customers (retail, 1 … 2,000,000) or accounts (b2b, 1 … 200,000).
    seed : a non-negative whole number; the same seed gives the same world, byte for byte.
    locale : ``"en_US"`` or ``"zh_CN"``: names, places, phones, currency (USD / CNY).
    start, end : the observed period, ``YYYY-MM-DD``, both days included.

    Returns
    -------
    World
        Tables as in datasets/SCHEMA.md; the latent truth in ``world["truth"]`` and the
        parameters it was drawn from in ``world.meta["truth_parameters"]``.
    """
    require_choice(scenario, "scenario", SCENARIO_NAMES)
    n = require_int(customers, "customers", minimum=1, maximum=MAX_CUSTOMERS[scenario])
    seed = require_int(seed, "seed", minimum=0)
    require_choice(locale, "locale", LOCALES)
    first, last = check_period(start, end)
    tables, truth_parameters = GENERATORS[scenario](n, seed, load_pools(locale), first, last)
    meta = {
        "scenario": scenario, "seed": seed, "locale": locale, "customers": n,
        "start": str(first.date()), "end": str(last.date()),
        "analysis_date": str((last + pd.Timedelta(days=1)).date()),
        "currency": CURRENCY[locale][0], "truth_parameters": truth_parameters,
    }
    return World(scenario, tables, meta)
