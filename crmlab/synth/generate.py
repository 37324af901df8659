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
# Peak memory of generating and writing a world, per customer (account), above the interpreter's own
# ~0.25 GiB: peak RSS measured with /usr/bin/time on 100,000 and 300,000 retail customers (1.7-2.1 KB each)
# and 10,000 and 30,000 b2b accounts (8.9 KB each), rounded up.
PEAK_BYTES_PER_CUSTOMER = {"retail": 2_600, "b2b": 12_000}
BASE_BYTES = 256 * 2**20


def available_memory() -> int | None:
    """Bytes this process may still allocate: the least of the system's available memory, the cgroup's
    remaining limit and the address-space limit (``ulimit -v``); None if none can be read."""
    limits = []
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            limit = open(limit_file, encoding="ascii").read().strip()
            usage = int(open(usage_file, encoding="ascii").read().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 2**60:
            limits.append(int(limit) - usage)
        break
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/status", encoding="ascii") as status:
                used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
            limits.append(soft - used)
    except (ImportError, OSError, StopIteration, ValueError):
        pass
    return min(limits) if limits else None


def estimated_memory(scenario: str, customers: int) -> int:
    """Estimated peak bytes of generating and writing a world of ``customers`` customers (accounts)."""
    return BASE_BYTES + PEAK_BYTES_PER_CUSTOMER[scenario] * int(customers)


def check_memory(scenario: str, customers: int) -> None:
    """Refuse, before any work, a world whose estimated peak memory exceeds what this process may use."""
    need = estimated_memory(scenario, customers)
    free = available_memory()
    if free is None or need - BASE_BYTES <= free:
        return
    fits = max(0, (free - 64 * 2**20) // PEAK_BYTES_PER_CUSTOMER[scenario])
    gib = 2**30
    raise CrmlabInputError(tr(
        f"customers={customers:,}: a {scenario} world this size needs about {need / gib:.1f} GiB of memory, "
        f"and about {max(free, 0) / gib:.1f} GiB is available. Generate at most about {fits:,} customers "
        "here, or run on a machine with more memory.",
        f"customers={customers:,}：这么大的 {scenario} 数据世界大约需要 {need / gib:.1f} GiB 内存，"
        f"而当前可用约 {max(free, 0) / gib:.1f} GiB。请在这里最多生成约 {fits:,} 个客户，或换一台内存更大的机器。",
    ))


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
    check_memory(scenario, n)
    tables, truth_parameters = GENERATORS[scenario](n, seed, load_pools(locale), first, last)
    meta = {
        "scenario": scenario, "seed": seed, "locale": locale, "customers": n,
        "start": str(first.date()), "end": str(last.date()),
        "analysis_date": str((last + pd.Timedelta(days=1)).date()),
        "currency": CURRENCY[locale][0], "truth_parameters": truth_parameters,
    }
    return World(scenario, tables, meta)
