"""Speed and memory of the world generators, and pool sampling beside Faker called once per row.

Run alone: ``python -m benchmarks.bench_synth [CUSTOMERS]`` (default 1,000,000).
Each large world is generated in a child process, so its peak memory (max RSS) is measured on
its own. World seconds are wall clock, with CPU seconds beside them because other jobs may
share the 2 cores and stretch the wall clock; the profile comparison (pools vs Faker once per
row, 2,000 rows scaled to 1,000,000) uses CPU seconds on both sides for the same reason.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

CUSTOMERS = 1_000_000
TARGET_SECONDS = 60.0
TARGET_GIB = 4.0
FAKER_SAMPLE = 2_000
PROFILE_ROWS = 1_000_000

_CHILD = """
import json, resource, sys, time
from crmlab.synth import generate
wall, cpu = time.perf_counter(), time.process_time()
world = generate(sys.argv[1], int(sys.argv[2]), seed=0, locale=sys.argv[3])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
sizes = {name: len(table) for name, table in world.tables.items()}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "sizes": sizes}))
"""


def _world(scenario: str, customers: int, locale: str = "en_US") -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, scenario, str(customers), locale],
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    gib = result["peak"] / 2**30
    sizes = ", ".join(f"{k}={v:,}" for k, v in result["sizes"].items() if k in ("transactions", "opportunities", "orders"))
    return {"benchmark": f"generate {scenario} {locale} {customers:,}", "seconds": round(result["wall"], 1),
            "target_seconds": TARGET_SECONDS,
            "note": f"cpu {result['cpu']:.1f} s; peak {gib:.2f} GiB (target < {TARGET_GIB:.0f}); {sizes}"}


def _faker_per_row(rows: int, locale: str) -> float:
    """CPU seconds for Faker to make ``rows`` profiles, one call per field per row (the usual loop)."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(0)
    cpu = time.process_time()
    for _ in range(rows):
        fake.name(), fake.phone_number(), fake.email(), fake.street_address(), fake.city()
    return time.process_time() - cpu


def _profiles(rows: int, locale: str) -> float:
    import numpy as np

    from crmlab.synth.pools import load_pools
    from crmlab.synth.profiles import people

    pools = load_pools(locale)
    people(np.random.default_rng(0), pools, 10)  # load the pools outside the timing
    cpu = time.process_time()
    people(np.random.default_rng(0), pools, rows)
    return time.process_time() - cpu


def run(customers: int = CUSTOMERS) -> list[dict]:
    """Benchmark rows: the large retail world, a b2b world, and profiles vs Faker for both locales."""
    rows = [_world("retail", customers), _world("b2b", max(customers // 10, 1000), "zh_CN")]
    for locale in ("en_US", "zh_CN"):
        faker_scaled = _faker_per_row(FAKER_SAMPLE, locale) * PROFILE_ROWS / FAKER_SAMPLE
        pools = _profiles(PROFILE_ROWS, locale)
        rows.append({"benchmark": f"profiles {locale} {PROFILE_ROWS:,} rows (pools, CPU s)", "seconds": round(pools, 2),
                     "target_seconds": round(faker_scaled / 50, 1),
                     "note": f"Faker per row, {FAKER_SAMPLE:,} rows scaled: {faker_scaled:.0f} s; "
                             f"speed-up {faker_scaled / pools:.0f}x (target >= 50x)"})
    return rows


def print_table(rows: list[dict]) -> None:
    width = max(len(r["benchmark"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'seconds':>8}  {'target':>7}  note")
    for r in rows:
        print(f"{r['benchmark']:<{width}}  {r['seconds']:>8}  {r['target_seconds']:>7}  {r['note']}")


if __name__ == "__main__":
    print_table(run(int(sys.argv[1]) if len(sys.argv) > 1 else CUSTOMERS))
