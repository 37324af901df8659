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


_CHILD_RUN = """
import json, resource, subprocess, sys, time
wall, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime,
                  "peak": after.ru_maxrss * 1024, "code": done.returncode, "stderr": done.stderr[-2000:]}))
"""


def timed_command(command: list[str], repeat: int = 1) -> dict:
    """Run ``command`` as its own process (as a user runs it) ``repeat`` times; the fastest run's wall and
    CPU seconds and its peak memory (max RSS, bytes). A failing command raises with its error output."""
    import json
    import subprocess
    import sys

    best = None
    for _ in range(max(1, repeat)):
        out = subprocess.run([sys.executable, "-c", _CHILD_RUN, *command], capture_output=True, text=True, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        if run["code"] != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({run['code']}): {run['stderr']}")
        best = run if best is None or run["wall"] < best["wall"] else best
    return best


def verdict(ratio: float, target: float, at_most: bool = True) -> str:
    """``ratio`` against its target in words: 'met' or 'MISSED' (at_most: the ratio must not exceed it)."""
    met = ratio <= target if at_most else ratio >= target
    return f"{ratio:.2f}x (target {'<=' if at_most else '>='} {target:g}x): {'met' if met else 'MISSED'}"
