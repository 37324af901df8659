"""Run every ``benchmarks/bench_*.py`` module's ``run()`` and print one table.

    python -m benchmarks            # all
    python -m benchmarks synth      # only bench_synth (names without the bench_ prefix)
"""
from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path


def _cell(value) -> str:
    """A number rounded for the table; blank where a benchmark has none (e.g. a peer package missing)."""
    if value is None:
        return ""
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def main(selected: list[str]) -> int:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        names = [n for n in names if n.removeprefix("bench_") in selected or n in selected]
    rows, failed = [], []
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            rows += [{"module": name.removeprefix("bench_"), **row} for row in module.run()]
        except Exception:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc()
            failed.append(name)
    if rows:
        width = max(len(str(r["benchmark"])) for r in rows)
        print(f"{'module':<12} {'benchmark':<{width}}  {'seconds':>9}  {'target':>8}  note")
        for r in rows:
            seconds, target = (_cell(r.get(key)) for key in ("seconds", "target_seconds"))
            print(f"{r['module']:<12} {str(r['benchmark']):<{width}}  {seconds:>9}  {target:>8}  {r.get('note', '')}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
