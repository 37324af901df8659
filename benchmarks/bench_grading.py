"""Throughput of ``crmlab grade``: 100 submissions of a lesson, 2 workers, beside plain nbclient one by one.

Run alone: ``python -m benchmarks.bench_grading [N]``. The submissions are copies of the demo
lesson's source notebook (every answer present, so every question is graded). The baseline
runs the same notebooks one after another with ``nbclient.execute`` on the default kernel:
no sandbox, no grading cells, no reports. It is what "run them all" costs without the grader.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from benchmarks.timing import timed

SOURCE = Path(__file__).resolve().parent.parent / "tests" / "grading_corpus" / "source" / "99_demo.ipynb"
SUBMISSIONS = 100
TARGET_SECONDS = 300.0  # the issue: 100 submissions in under 5 minutes on 2 cores


def _make_submissions(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        shutil.copy(SOURCE, folder / f"student{i:03d}.ipynb")


def _grade(folder: Path, out: Path) -> float:
    from crmlab.exercises.grade import grade

    run = timed(lambda: grade(folder, "99", out=out, workers=2))
    gradebook, seconds = run.result, run.seconds
    wrong = gradebook[gradebook["status"] != "correct"]
    if len(wrong):
        raise RuntimeError(f"the benchmark's submissions should all be correct; {len(wrong)} rows are not")
    return seconds


def _nbclient_one_by_one(folder: Path) -> float:
    from nbclient import NotebookClient

    def run_all() -> None:
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()

    return timed(run_all).seconds


def run(n: int = SUBMISSIONS) -> list[dict]:
    """Time the grader (2 workers) and the nbclient baseline on ``n`` copies of the demo lesson."""
    with tempfile.TemporaryDirectory(prefix="crmlab-bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        _make_submissions(folder, n)
        graded = _grade(folder, Path(tmp) / "graded")
        baseline = _nbclient_one_by_one(folder)
    target = TARGET_SECONDS * n / SUBMISSIONS
    return [
        {"benchmark": f"crmlab grade, {n} submissions, 2 workers", "seconds": round(graded, 2),
         "target_seconds": target, "note": f"{n / graded:.2f} submissions/s; sandboxed kernels + grading"},
        {"benchmark": f"nbclient one after another, {n} notebooks", "seconds": round(baseline, 2),
         "target_seconds": None, "note": f"{n / baseline:.2f} notebooks/s; plain kernels, no grading"},
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SUBMISSIONS
    rows = run(n)
    print(f"{'benchmark':<48} {'seconds':>8} {'target':>8}  note")
    for row in rows:
        target = "" if row["target_seconds"] is None else f"{row['target_seconds']:.0f}"
        print(f"{row['benchmark']:<48} {row['seconds']:>8.2f} {target:>8}  {row['note']}")


if __name__ == "__main__":
    main()
