"""Throughput of ``crmlab grade`` on a real lesson (issue 14 "Performance", issue 18 item 6).

Run alone: ``python -m benchmarks.bench_grading [--n N]`` (or ``CRMLAB_BENCH_GRADING_N=N``; default 100,
the issues' number). Each of the N submissions is lesson 04's student version
(``notebooks/en/04_rfm_segmentation.ipynb``) with every answer cell's solution put back from the
source (``instructor/04_rfm_segmentation.ipynb``, matched by cell id and ``answer:`` tag), in its own
sub-folder named by a student ID, so each one is graded on its own world and every question is correct.

Two timings from the same run:

- ``grade(folder, "04", workers=2)`` with the sandbox on (bubblewrap): sandboxed, pre-started kernels,
  the hidden answer-extraction cells, the reference run of the lesson's source per student, reports.
- the floor/peer: plain ``nbclient`` executing the same notebooks one after another, each on a fresh
  default kernel with that student's ID in the environment (no sandbox, no grading, no reports).

Target: the grader at least 2x faster than serial nbclient (issue 14); issue 18 asks 2.5x.
Where the time goes comes from the grader's own calls, timed by wrapping them in this process
(``_runner.start_kernel`` / ``run_cells`` / ``stop_kernel`` and ``grade._finish``, which waits for the
comparison in the slot's worker, off the slot loop); the import cost a kernel pays at start is
measured apart as ``python -c "preload('04')"`` minus ``python -c pass``. Kernel start of the next
submission overlaps the current one's cells (one pre-started kernel per slot), so the parts add up to
more than the wall time.

CPU seconds per submission, both sides: the grader's own process and its reaped children (the
comparison workers, the font-cache build) plus each sandboxed kernel's process tree, read from
``/proc`` just before the kernel is stopped; nbclient's kernels are its reaped children. With
``WORKERS`` cores, ``WORKERS * serial wall / grader CPU`` is the best ratio the machine allows: a
ratio under the target that is close to it means the grader is CPU-bound, not waiting.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import nbformat

from benchmarks.timing import timed, timed_command, verdict

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "notebooks" / "en" / "04_rfm_segmentation.ipynb"
SOURCE = ROOT / "instructor" / "04_rfm_segmentation.ipynb"
LESSON = "04"
SUBMISSIONS = 100
ENV_N = "CRMLAB_BENCH_GRADING_N"
TARGET_ISSUE_14 = 2.0  # grader at least this many times faster than plain serial nbclient
TARGET_ISSUE_18 = 2.5
WORKERS = 2


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def solved_notebook() -> nbformat.NotebookNode:
    """The student version with each answer cell's source replaced by the source notebook's (same id and tag)."""
    student, source = nbformat.read(STUDENT, as_version=4), nbformat.read(SOURCE, as_version=4)
    answers = {c.get("id"): c for c in source.cells if any(t.startswith("answer:") for t in _tags(c))}
    put_back = 0
    for cell in student.cells:
        tags = [t for t in _tags(cell) if t.startswith("answer:")]
        if not tags:
            continue
        solution = answers.get(cell.get("id"))
        if solution is None or not set(tags) <= set(_tags(solution)):
            raise RuntimeError(f"answer cell {cell.get('id')} ({tags}) has no counterpart in {SOURCE.name}")
        cell.source = solution.source
        put_back += 1
    if not put_back:
        raise RuntimeError(f"{STUDENT.name} has no answer cells")
    return student


def student_ids(n: int) -> list[str]:
    return [f"2026{i:06d}" for i in range(1, n + 1)]


def make_submissions(folder: Path, n: int) -> list[Path]:
    """``folder/<student ID>/04_rfm_segmentation.ipynb`` for ``n`` students (as an LMS export lays them out)."""
    text = nbformat.writes(solved_notebook())
    paths = []
    for sid in student_ids(n):
        (folder / sid).mkdir(parents=True)
        path = folder / sid / STUDENT.name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


class _Profile:
    """Wall seconds spent in the grader's own calls, summed over all submissions (thread-safe)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.seconds[name] += seconds
            self.calls[name] += 1

    def wrap_async(self, name: str, func: Callable) -> Callable:
        async def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await func(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)
        return wrapper

    def wrap(self, name: str, func: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)
        return wrapper


def _own_and_children_cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and all its descendants (from ``/proc``; 0 if gone)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = defaultdict(list)
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry))  # fields[1]: the parent's pid
        cpu[int(entry)] = sum(int(v) for v in fields[11:15]) / tick  # utime, stime, cutime, cstime
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        total += cpu.get(current, 0.0)
        stack.extend(children.get(current, ()))
    return total


def grade_timed(folder: Path, out: Path, profile: _Profile) -> tuple[float, float, list[float], float]:
    """(wall, CPU of this process, per-submission seconds, CPU of everything) of ``grade``, sandboxed, profiled."""
    from crmlab.exercises import _runner
    from crmlab.exercises import grade as grading

    originals = {(_runner, "start_kernel"): _runner.start_kernel, (_runner, "run_cells"): _runner.run_cells,
                 (_runner, "stop_kernel"): _runner.stop_kernel, (grading, "_finish"): grading._finish}
    kernels_cpu: list[float] = []

    async def stop_kernel(kernel, sandbox):
        process = getattr(kernel.km.provisioner, "process", None)
        if process is not None:
            kernels_cpu.append(_tree_cpu(process.pid))
        return await originals[(_runner, "stop_kernel")](kernel, sandbox)

    _runner.start_kernel = profile.wrap_async("kernel start (sandbox + ipykernel + imports)", _runner.start_kernel)
    _runner.run_cells = profile.wrap_async("cells (student's + answer extraction)", _runner.run_cells)
    _runner.stop_kernel = profile.wrap_async("kernel stop + scratch cleanup", stop_kernel)
    grading._finish = profile.wrap("comparison, waited for off the slot loop (reference started with the kernel)",
                                   grading._finish)
    per_submission: list[float] = []
    cpu_before = _own_and_children_cpu()
    try:
        run = timed(lambda: grading.grade(folder, LESSON, out=out, workers=WORKERS, sandbox=True,
                                          progress=lambda sub: per_submission.append(sub.record.seconds)))
    finally:
        for (module, name), func in originals.items():
            setattr(module, name, func)
    cpu_all = _own_and_children_cpu() - cpu_before + sum(kernels_cpu)
    gradebook = run.result
    wrong = gradebook[gradebook["status"] != "correct"]
    if len(wrong):
        raise RuntimeError(f"every benchmark submission is solved, yet {len(wrong)} gradebook rows are not "
                           f"correct:\n{wrong[['student', 'question', 'status', 'message']].head(8).to_string()}")
    return run.seconds, run.cpu_seconds, per_submission, cpu_all


def nbclient_serial(paths: list[Path]) -> tuple[float, float, float]:
    """(wall, summed kernel-start seconds, CPU of everything) of plain nbclient running ``paths`` one after another."""
    from nbclient import NotebookClient

    starts = []

    def run_all() -> None:
        saved = os.environ.get("CRMLAB_STUDENT_ID")
        try:
            for path in paths:
                os.environ["CRMLAB_STUDENT_ID"] = path.parent.name  # the same world the grader gives this student
                nb = nbformat.read(path, as_version=4)
                client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                        resources={"metadata": {"path": str(path.parent)}})
                began = time.perf_counter()
                client.on_notebook_start = lambda **_: starts.append(time.perf_counter() - began)
                client.execute()
        finally:
            if saved is None:
                os.environ.pop("CRMLAB_STUDENT_ID", None)
            else:
                os.environ["CRMLAB_STUDENT_ID"] = saved

    cpu_before = _own_and_children_cpu()
    wall = timed(run_all).seconds
    return wall, sum(starts), _own_and_children_cpu() - cpu_before


def import_seconds() -> float:
    """What a kernel pays at start for the lesson's imports: ``preload('04')`` minus an empty interpreter."""
    bare = timed_command([sys.executable, "-c", "pass"], repeat=3)["wall"]
    preload = timed_command([sys.executable, "-c",
                             f"from crmlab.exercises._sandbox_kernel import preload; preload({LESSON!r})"], repeat=3)
    return max(0.0, preload["wall"] - bare)


def default_n() -> int:
    return int(os.environ.get(ENV_N, SUBMISSIONS))


def run(n: int | None = None) -> list[dict]:
    """Grade ``n`` solved lesson-04 submissions (2 workers, sandboxed) and run them with plain nbclient."""
    n = default_n() if n is None else n
    profile = _Profile()
    with tempfile.TemporaryDirectory(prefix="crmlab-bench-grading-") as tmp:
        folder = Path(tmp) / "submissions"
        paths = make_submissions(folder, n)
        graded, graded_cpu, per_sub, graded_all_cpu = grade_timed(folder, Path(tmp) / "graded", profile)
        baseline, baseline_starts, baseline_cpu = nbclient_serial(paths)
    imports = import_seconds()
    ratio = baseline / graded
    ceiling = WORKERS * baseline / graded_all_cpu
    rows = [
        {"benchmark": f"crmlab grade, lesson 04, {n} submissions, {WORKERS} workers, sandboxed",
         "seconds": round(graded, 2), "target_seconds": round(baseline / TARGET_ISSUE_18, 2),
         "note": f"{graded / n:.2f} s/submission wall; {sum(per_sub) / max(1, len(per_sub)):.2f} s per slot "
                 f"(kernel wait + cells + stop); grader process CPU {graded_cpu:.1f} s; "
                 f"CPU of everything {graded_all_cpu / n:.2f} s/submission (best ratio {WORKERS} cores allow: "
                 f"{ceiling:.2f}x); "
                 f"vs serial nbclient {verdict(ratio, TARGET_ISSUE_14, at_most=False)}; "
                 f"issue 18 {verdict(ratio, TARGET_ISSUE_18, at_most=False)}"},
        {"benchmark": f"nbclient one after another, {n} notebooks (floor/peer)",
         "seconds": round(baseline, 2), "target_seconds": None,
         "note": f"{baseline / n:.2f} s/notebook; kernel start {baseline_starts / n:.2f} s of it; "
                 f"CPU {baseline_cpu / n:.2f} s/notebook; plain kernels, no sandbox, no grading"},
    ]
    for name, seconds in profile.seconds.items():
        rows.append({"benchmark": f"  grade: {name}", "seconds": round(seconds, 2), "target_seconds": None,
                     "note": f"{seconds / max(1, profile.calls[name]):.2f} s per submission, summed over "
                             f"{WORKERS} slots (overlaps)"})
    rows.append({"benchmark": "  grade: of kernel start, imports (preload 04)", "seconds": round(imports * n, 2),
                 "target_seconds": None, "note": f"{imports:.2f} s per kernel (preload minus python -c pass)"})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_positional", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=None, help=f"submissions (default ${ENV_N} or {SUBMISSIONS})")
    args = parser.parse_args(argv)
    n = args.n or args.n_positional or default_n()
    rows = run(n)
    width = max(len(r["benchmark"]) for r in rows)
    print(f"{'benchmark':<{width}} {'seconds':>8} {'target':>8}  note")
    for row in rows:
        target = "" if row["target_seconds"] is None else f"{row['target_seconds']:.1f}"
        print(f"{row['benchmark']:<{width}} {row['seconds']:>8.2f} {target:>8}  {row['note']}")


if __name__ == "__main__":
    main()
