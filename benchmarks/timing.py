"""The one way the benchmarks time things: the best of a few calls, wall clock and CPU.

The best call is the one least disturbed by other jobs on a shared 2-core machine; CPU seconds sit
beside wall seconds because other jobs stretch the wall clock but not the CPU time.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    seconds: float      # wall clock of the fastest call
    cpu_seconds: float  # CPU time of that call
    result: Any         # what the last call returned


def timed(func: Callable[[], Any], repeat: int = 1) -> Timing:
    """Call ``func`` ``repeat`` times; keep the fastest call's wall and CPU seconds and the last result."""
    best = (float("inf"), float("inf"))
    result = None
    for _ in range(max(1, repeat)):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return Timing(best[0], best[1], result)
