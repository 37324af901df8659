"""Grading throughput without sharing anything between students (issue 18 item 6).

Properties checked, no expected value computed by the code under test:

- a slot's trusted worker is one process (its reference run and its comparison meet there), is not a
  graded environment, and is replaced when it dies (``concurrent.futures`` semantics);
- ``run_jobs`` tells the grader a job started before its kernel is started, and compares off the
  slot loop: the next submission runs while the previous one is still being compared;
- with the sandbox on, every submission gets a fresh process in a fresh sandbox, started (and its
  libraries imported) while the previous submission ran, and nothing one student did in their
  kernel (module attributes, pandas options, builtins, files in their home) reaches the next one.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from types import SimpleNamespace

import pytest

from crmlab.exercises import _runner
from crmlab.exercises._runner import Job, Limits, PlannedCell, RunRecord, Sandbox, SlotPools, run_jobs


def test_slot_pools_keep_a_slot_in_one_clean_process_and_replace_a_dead_one(monkeypatch):
    from crmlab.exercises.grade import _worker_init

    monkeypatch.setenv("CRMLAB_GRADING", "1")  # the grader's own environment must not make workers "graded"
    with SlotPools(2, _worker_init, ("",)) as pools:
        first = pools.submit(0, os.getpid).result(timeout=120)
        assert pools.pool(0).submit(os.getpid).result(timeout=60) == first  # same process: the cache is there
        assert pools.submit(1, os.getpid).result(timeout=120) != first
        assert pools.submit(0, os.getenv, "CRMLAB_GRADING").result(timeout=60) is None
        with pytest.raises(BrokenProcessPool):
            pools.submit(0, os._exit, 3).result(timeout=60)
        replaced = pools.submit(0, os.getpid).result(timeout=120)  # a fresh worker, not an error for everyone after
        assert replaced != first


def _fake_jobs(n: int) -> list[Job]:
    return [Job([], f"s{i}", "en", "nb.ipynb", "{}", RunRecord()) for i in range(n)]


def test_run_jobs_announces_each_job_before_its_kernel_and_compares_off_the_slot_loop(monkeypatch):
    events: list[tuple[str, str, float]] = []
    lock = threading.Lock()

    def note(what: str, job: Job) -> None:
        with lock:
            events.append((what, job.student_id, time.monotonic()))

    async def start_kernel(job, limits, sandbox, lesson):
        note("kernel", job)
        return SimpleNamespace(job=job)

    async def run_cells(kernel, job, exercises, limits, sandbox):
        note("cells", job)

    async def stop_kernel(kernel, sandbox):
        pass

    monkeypatch.setattr(_runner, "start_kernel", start_kernel)
    monkeypatch.setattr(_runner, "run_cells", run_cells)
    monkeypatch.setattr(_runner, "stop_kernel", stop_kernel)
    threads: set[str] = set()

    def started(job: Job) -> None:
        assert job.slot == 0
        note("started", job)

    def finished(job: Job) -> None:
        threads.add(threading.current_thread().name)
        time.sleep(0.5)  # a slow comparison
        note("finished", job)

    jobs = _fake_jobs(3)
    run_jobs(jobs, SimpleNamespace(lesson="04"), Limits(), Sandbox(False), 1, finished, started)
    when = {(what, sid): t for what, sid, t in events}
    for job in jobs:
        assert when[("started", job.student_id)] <= when[("kernel", job.student_id)]
        assert ("finished", job.student_id) in when  # run_jobs returned only after every comparison
    assert when[("cells", "s1")] < when[("finished", "s0")]  # s1 ran while s0 was still being compared
    assert threads and all(name.startswith("crmlab-grade-finish") for name in threads)


def test_run_jobs_reraises_a_failed_finish_after_every_job_ran(monkeypatch):
    async def start_kernel(job, limits, sandbox, lesson):
        return None

    async def nothing(*args):
        pass

    monkeypatch.setattr(_runner, "start_kernel", start_kernel)
    monkeypatch.setattr(_runner, "run_cells", nothing)
    monkeypatch.setattr(_runner, "stop_kernel", nothing)
    seen = []

    def finished(job: Job) -> None:
        seen.append(job.student_id)
        if job.student_id == "s0":
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_jobs(_fake_jobs(3), SimpleNamespace(lesson="04"), Limits(), Sandbox(False), 2, finished)
    assert sorted(seen) == ["s0", "s1", "s2"]


# Run as each student's first cell: what the kernel holds before the student imported anything.
_PROBE_FIRST = "import sys as _s\npreloaded = sorted(m for m in ('pandas', 'matplotlib.pyplot', 'crmlab') if m in _s.modules)\n"
# Then: is anything of the previous student there? And when was this kernel process started?
_PROBE = """\
import builtins, os, sys, time
import pandas as pd
import crmlab
with open('/proc/self/stat') as f:
    ticks = int(f.read().rsplit(')', 1)[1].split()[19])
with open('/proc/stat') as f:
    boot = next(int(line.split()[1]) for line in f if line.startswith('btime'))
probe = {'preloaded': preloaded, 'module': getattr(crmlab, '_left_behind', None),
         'option': int(pd.get_option('display.max_rows')), 'builtin': getattr(builtins, 'left_behind', None),
         'file': os.path.exists(os.path.expanduser('~/left_behind.txt')), 'uid': os.getuid(),
         'process_started': boot + ticks / os.sysconf('SC_CLK_TCK'), 'answered': time.time()}
"""
# What a student leaves behind in their kernel for the next one to find.
_LEAVE = """\
import builtins, os
import pandas as pd
import crmlab
crmlab._left_behind = 'A'
builtins.left_behind = 'A'
pd.set_option('display.max_rows', 7)
with open(os.path.expanduser('~/left_behind.txt'), 'w') as f:
    f.write('A')
"""


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_each_submission_gets_a_fresh_preloaded_sandbox_started_while_the_previous_one_ran():
    question = SimpleNamespace(id="04.q1", variable="probe", points=1.0)

    class Lesson(list):
        lesson = "04"

    exercises = Lesson([question])

    def plan(leave: bool) -> list[PlannedCell]:
        cells = [PlannedCell(_PROBE_FIRST, "student", 0), PlannedCell(_PROBE, "student", 1, ("04.q1",)),
                 PlannedCell("", "grade", None, ("04.q1",), os.urandom(16).hex())]
        return cells + ([PlannedCell(_LEAVE, "student", 2)] if leave else [])

    jobs = [Job(plan(leave=True), f"2026{i:06d}", "en", "nb.ipynb", "{}", RunRecord()) for i in range(3)]
    probes: dict[str, dict] = {}
    ended: dict[str, float] = {}

    def finished(job: Job) -> None:
        ended[job.student_id] = time.time()
        probes[job.student_id] = job.record.answers.get("04.q1")

    limits = Limits(timeout_cell=60, timeout_notebook=120, memory_mb=1024)
    run_jobs(jobs, exercises, limits, Sandbox.create(True, 1), 1, finished)
    assert all(isinstance(p, dict) for p in probes.values()), (probes, [j.record.notes for j in jobs])
    order = [j.student_id for j in jobs]
    for sid in order:
        probe = probes[sid]
        assert probe["preloaded"] == ["crmlab", "matplotlib.pyplot", "pandas"]  # imported before any student code
        assert probe["module"] is None and probe["builtin"] is None and not probe["file"]
        assert probe["option"] == 60  # pandas' own default, not the previous student's 7
    for before, after in zip(order, order[1:]):
        # the next kernel was started while the previous student's cells ran (one slot, started ahead) ...
        assert probes[after]["process_started"] < probes[before]["answered"]
        assert probes[after]["process_started"] < ended[before]
        if os.geteuid() == 0:  # ... as a user of its own
            assert probes[after]["uid"] != probes[before]["uid"]
