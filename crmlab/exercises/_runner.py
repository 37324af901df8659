"""Run one submission in a sandboxed kernel and grade each question right after its answer cell.

The plan (:func:`plan_cells`) is the submission's code cells in the student's order, with a
hidden grading cell after each question's answer cell. The grading cell imports the checks
afresh (so a student's monkey-patched ``ex``, ``check`` or ``Question`` is never used), evaluates the
answer variable with the lesson's own :class:`~crmlab.exercises.core.Question` and prints one
line ``CRMLAB-RESULT <nonce> <json>``; the nonce is new for every grading cell and the cell is
not stored in the kernel's history, so student code cannot know it in advance.
"""
from __future__ import annotations

import asyncio
import atexit
import json
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from crmlab.exercises._notebook import ANSWER_PREFIX, CHECK_PREFIX, STUB_COMMENT, assigns, stub_line, tagged_ids
from crmlab.exercises.core import CORRECT, ERROR, INCORRECT, NOT_ATTEMPTED, Exercises
from crmlab.i18n import get_language, tr

MARK = "CRMLAB-RESULT"
TIMED_OUT = "CrmlabCellTimeout"
# Statuses a grading run adds to the four of crmlab.exercises.core.
TIMEOUT, KERNEL_DIED, GRADER_ERROR, INVALID = "timeout", "kernel died", "grader error", "invalid notebook"
FAILURES = (TIMEOUT, KERNEL_DIED, GRADER_ERROR, INVALID, ERROR)


@dataclass(frozen=True)
class Limits:
    """What one submission may use: seconds per cell and per notebook, memory, output per cell."""
    timeout_cell: float = 30
    timeout_notebook: float = 300
    memory_mb: int = 1024
    output_cap_kb: int = 512


@dataclass
class Outcome:
    """The grade of one question for one submission."""
    question: str
    status: str
    points: float
    max_points: float
    message: str


@dataclass
class PlannedCell:
    source: str
    kind: str  # "student", "stub" (re-inserted answer cell) or "grade"
    position: int | None = None  # index of the cell in the submission
    questions: tuple[str, ...] = ()  # for answer cells and grade cells
    nonce: str = ""


@dataclass
class RunRecord:
    """What happened while running one submission."""
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def find_answer_cells(nb: NotebookNode, exercises: Exercises) -> tuple[dict[str, int], list[str]]:
    """The position of each question's answer cell in ``nb``, and notes on how each was found.

    By tag ``answer:<qid>`` (the last such code cell, if the student duplicated it); else the last
    code cell that assigns the question's variable next to the stub comment; else the last code
    cell that assigns the variable at its top level. Questions not found are left out.
    """
    code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    found: dict[str, int] = {}
    notes: list[str] = []
    for question in exercises:
        tagged = [i for i, c in code if question.id in tagged_ids(c, ANSWER_PREFIX)]
        if tagged:
            found[question.id] = tagged[-1]
            if len(tagged) > 1:
                notes.append(tr(f"{question.id}: {len(tagged)} answer cells; graded after the last one.",
                                f"{question.id}：有 {len(tagged)} 个答案单元格，按最后一个评分。"))
            continue
        assigning = [i for i, c in code if assigns(c.source, question.variable)]
        with_stub = [i for i in assigning if STUB_COMMENT in nb.cells[i].source]
        if with_stub or assigning:
            found[question.id] = (with_stub or assigning)[-1]
            notes.append(tr(f"{question.id}: the answer cell lost its tag; found it by its content.",
                            f"{question.id}：答案单元格的标签丢失，已按内容找到。"))
    return found, notes


def _stub_source(question_id: str, variable: str, source_nb: NotebookNode | None) -> str:
    if source_nb is not None:
        from crmlab.exercises.assign import strip_solutions

        for cell in strip_solutions(source_nb).cells:
            if cell.cell_type == "code" and question_id in tagged_ids(cell, ANSWER_PREFIX):
                return cell.source
    return stub_line(variable)


def plan_cells(nb: NotebookNode, exercises: Exercises, source_nb: NotebookNode | None = None
               ) -> tuple[list[PlannedCell], list[str]]:
    """The cells to run for submission ``nb``: its code cells, re-inserted stubs, and grading cells."""
    found, notes = find_answer_cells(nb, exercises)
    answers_at: dict[int, list[str]] = {}
    for qid, position in found.items():
        answers_at.setdefault(position, []).append(qid)
    inserts: dict[float, list[str]] = {}  # fractional positions sort a stub between two cells
    order = [q.id for q in exercises]
    for k, question in enumerate(exercises):
        if question.id in found:
            continue
        checks = [i for i, c in enumerate(nb.cells) if question.id in tagged_ids(c, CHECK_PREFIX)]
        earlier = [found[q] for q in order[:k] if q in found]
        later = [found[q] for q in order[k + 1:] if q in found]
        if checks:
            where = checks[0] - 0.5
        elif earlier:
            where = max(earlier) + 0.5
        elif later:
            where = min(later) - 0.5
        else:
            where = len(nb.cells) + 0.5
        inserts.setdefault(where, []).append(question.id)
        notes.append(tr(f"{question.id}: answer cell not found (deleted?); its stub was put back.",
                        f"{question.id}：未找到答案单元格（被删除？），已放回占位单元格。"))

    plan: list[PlannedCell] = []
    items = [(float(i), "cell", i) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    items += [(where, "stub", where) for where in inserts]
    for _, kind, key in sorted(items, key=lambda item: item[0]):
        if kind == "cell":
            plan.append(PlannedCell(nb.cells[key].source, "student", key, tuple(answers_at.get(key, ()))))
            graded = answers_at.get(key, [])
        else:
            graded = inserts[key]
            for qid in graded:
                question = exercises.questions[qid.split(".", 1)[-1]]
                plan.append(PlannedCell(_stub_source(qid, question.variable, source_nb), "stub", None, (qid,)))
        for qid in sorted(graded, key=order.index):
            plan.append(PlannedCell("", "grade", None, (qid,), secrets.token_hex(16)))
    return plan, notes


_SNIPPET = '''
import sys, json, os, importlib
FRESH = "crmlab.exercises"
answer = user_ns.get({variable!r}, Ellipsis)
saved = {{n: sys.modules.pop(n) for n in list(sys.modules) if n == FRESH or n.startswith(FRESH + ".")}}
package = importlib.import_module("crmlab")
saved_attr = package.__dict__.get("exercises")
i18n = importlib.import_module("crmlab.i18n")
saved_language = i18n.get_language()
os.environ["CRMLAB_STUDENT_ID"] = {student_id!r}
try:
    i18n.set_language({language!r})
    result = importlib.import_module(FRESH).lesson({lesson!r}).questions[{name!r}].evaluate(answer)
    payload = {{"question": result.question, "status": result.status, "message": result.message}}
except BaseException as exc:
    payload = {{"question": {qid!r}, "status": "grader error", "message": type(exc).__name__ + ": " + str(exc)}}
finally:
    for n in [n for n in sys.modules if n == FRESH or n.startswith(FRESH + ".")]:
        del sys.modules[n]
    sys.modules.update(saved)
    if saved_attr is not None:
        package.exercises = saved_attr
    i18n.set_language(saved_language)
sys.stdout.write("\\n{mark} {nonce} " + json.dumps(payload) + "\\n")
sys.stdout.flush()
'''


def grade_source(question_id: str, variable: str, lesson: str, student_id: str, nonce: str) -> str:
    """The hidden grading cell: evaluate ``variable`` with a fresh import of the checks, print one result line.

    ``crmlab.exercises`` (Question, comparators, lessons) is imported afresh, so a student's
    redefined ``ex``, ``check`` or patched ``Question`` is not used; the rest of crmlab (data
    loading, reference models) is shared with the student's session, so a per-student world is
    generated once per kernel, not once per question. The cell runs in a namespace of its own
    with the real builtins, so a student's ``list = …`` or ``print = …`` cannot break it; the
    student's namespace and modules are left as they were.
    """
    body = _SNIPPET.format(variable=variable, student_id=student_id, language=get_language(), lesson=lesson,
                           name=question_id.split(".", 1)[-1], qid=question_id, mark=MARK, nonce=nonce)
    alias = f"_crmlab_b_{nonce}"
    return (f"import builtins as {alias}\n"
            f"{alias}.exec({body!r}, {{'__builtins__': {alias}, "
            f"'user_ns': {alias}.__import__('sys')._getframe(0).f_globals}})\n"
            f"del {alias}\n")


def parse_result(outputs: list[NotebookNode], question_id: str, nonce: str) -> tuple[str, str]:
    """(status, message) from a grading cell's outputs; a missing, doubled or malformed line is a grader error."""
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    lines = [line for line in text.splitlines() if line.startswith(f"{MARK} {nonce} ")]
    if len(lines) != 1:
        why = (tr("the grading cell printed no result (stdout redirected or replaced?)",
                  "评分单元格没有输出结果（stdout 被重定向或替换？）") if not lines else
               tr("the grading cell printed more than one result (tampering suspected)",
                  "评分单元格输出了多个结果（疑似篡改）"))
        return GRADER_ERROR, why
    try:
        payload = json.loads(lines[0].split(" ", 2)[2])
        status, message = payload["status"], str(payload["message"])
    except (ValueError, KeyError, TypeError, IndexError):
        return GRADER_ERROR, tr("the grading cell's result is not valid JSON", "评分单元格的结果不是有效的 JSON")
    if payload.get("question") != question_id or status not in (CORRECT, INCORRECT, NOT_ATTEMPTED, ERROR,
                                                                 GRADER_ERROR):
        return GRADER_ERROR, tr("the grading cell's result does not match the question",
                                "评分单元格的结果与题目不符")
    return status, message


class _Client(NotebookClient):
    """nbclient with a per-cell output cap: student output beyond it is dropped and the cell interrupted."""

    def __init__(self, nb: NotebookNode, km: AsyncKernelManager, cap_bytes: int, **kw):
        super().__init__(nb, km=km, **kw)
        self.cap_bytes = cap_bytes
        self.grade_cells: set[int] = set()
        self.cell_bytes = 0
        self.capped_cells: set[int] = set()
        self.last_reply: dict = {}
        self.on_cell_executed = self._remember_reply

    def _remember_reply(self, cell: NotebookNode, cell_index: int, execute_reply: dict) -> None:
        self.last_reply = execute_reply or {}

    def output(self, outs, msg, display_id, cell_index):
        if cell_index in self.grade_cells:
            return super().output(outs, msg, display_id, cell_index)
        # Student outputs are not kept (grading never reads them); only their size is counted.
        content = msg.get("content", {})
        self.cell_bytes += len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        if self.cell_bytes > self.cap_bytes and cell_index not in self.capped_cells:
            self.capped_cells.add(cell_index)
            asyncio.ensure_future(self.km.interrupt_kernel())
        return None


def _kernel_env(workdir: Path, student_id: str) -> dict[str, str]:
    """The whole environment of a grading kernel: nothing of the instructor's is passed on."""
    bin_dir = str(Path(sys.executable).parent)
    single_thread = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8", "TMPDIR": str(workdir),
            "CRMLAB_STUDENT_ID": student_id, "CRMLAB_LANGUAGE": get_language(), "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1", "MALLOC_ARENA_MAX": "2", **single_thread}


class _OutOfTime(Exception):
    """The notebook's time is up before its last cell."""


def _last_words(stderr_path: Path) -> str:
    """The last line the kernel wrote to stderr before dying (often names the crash), or ''."""
    try:
        with open(stderr_path, "rb") as handle:
            handle.seek(max(0, stderr_path.stat().st_size - 2000))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _death_cause(km: AsyncKernelManager, limits: Limits, watchdog_fired: bool) -> str:
    if watchdog_fired:
        return tr(f"the notebook ran longer than its {limits.timeout_notebook:g} s limit and was stopped",
                  f"整个 notebook 运行超过 {limits.timeout_notebook:g} 秒上限，已被终止")
    process = getattr(km.provisioner, "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return tr("the kernel stopped answering", "内核停止响应")
    if code < 0:
        sig = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if sig == "SIGXCPU":
            return tr("the kernel used up its CPU time limit", "内核用完了 CPU 时间上限")
        return tr(f"the kernel was killed by {sig} (a crash, or the {limits.memory_mb} MB memory cap)",
                  f"内核被 {sig} 终止（崩溃，或超过 {limits.memory_mb} MB 内存上限）")
    return tr(f"the kernel exited with code {code} (os._exit or sys.exit in a cell?)",
              f"内核以退出码 {code} 结束（单元格中调用了 os._exit 或 sys.exit？）")


async def _run(plan: list[PlannedCell], exercises: Exercises, student_id: str, notebook_name: str,
               notebook_text: str, limits: Limits, record: RunRecord) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="crmlab-grade-"))
    workdir, private = scratch / "work", scratch / "kernel"
    workdir.mkdir(mode=0o700)
    private.mkdir(mode=0o700)
    (workdir / notebook_name).write_text(notebook_text, encoding="utf-8")
    cpu_seconds = int(limits.timeout_notebook) + 5
    km = AsyncKernelManager(transport="ipc", ip=str(private / "ipc"), connection_file=str(private / "kernel.json"))
    km._kernel_spec = KernelSpec(
        argv=[sys.executable, "-m", "crmlab.exercises._sandbox_kernel", "--memory-mb", str(limits.memory_mb),
              "--cpu-seconds", str(cpu_seconds), "-f", "{connection_file}"],
        display_name="crmlab grading sandbox", language="python")
    cells = [nbformat.v4.new_code_cell(p.source) for p in plan]
    nb = nbformat.v4.new_notebook(cells=cells)
    client = _Client(nb, km, limits.output_cap_kb * 1024, allow_errors=True, interrupt_on_timeout=True,
                     error_on_timeout={"ename": TIMED_OUT, "evalue": "", "traceback": []},
                     shutdown_kernel="immediate", startup_timeout=60, iopub_timeout=4,
                     record_timing=False, kernel_name="python3")
    client.grade_cells = {i for i, p in enumerate(plan) if p.kind == "grade"}
    deadline = time.monotonic() + limits.timeout_notebook
    client.timeout_func = lambda cell: max(1, int(min(limits.timeout_cell, deadline - time.monotonic()) + 0.999))
    questions = {q.id: q for q in exercises}
    answer_trouble: dict[str, tuple[bool, str]] = {}  # question -> (answer cell timed out, what happened)
    watchdog = {"fired": False}

    async def kill_at_deadline() -> None:
        await asyncio.sleep(max(0.0, deadline - time.monotonic()) + 2)
        watchdog["fired"] = True
        await km.provisioner.kill()  # SIGKILL to the kernel's process group, children included

    stderr_path = private / "stderr.txt"
    index, started = 0, False
    try:
        with open(stderr_path, "wb") as stderr:
            async with client.async_setup_kernel(env=_kernel_env(workdir, student_id), cwd=str(workdir),
                                                 stdout=subprocess.DEVNULL, stderr=stderr, cleanup_kc=True):
                started = True
                guard = asyncio.ensure_future(kill_at_deadline())
                try:
                    for index, planned in enumerate(plan):
                        if time.monotonic() > deadline:
                            watchdog["fired"] = True
                            raise _OutOfTime
                        if planned.kind == "grade":
                            qid = planned.questions[0]
                            cell = client.nb.cells[index]
                            cell.source = grade_source(qid, questions[qid].variable, exercises.lesson,
                                                       student_id, planned.nonce)
                            await client.async_execute_cell(cell, index, store_history=False)
                            status, message = parse_result(cell.outputs, qid, planned.nonce)
                            if qid in answer_trouble and status != CORRECT:
                                timed_out, trouble = answer_trouble[qid]
                                status, message = (TIMEOUT if timed_out else status), f"{trouble} {message}"
                            record.outcomes[qid] = Outcome(qid, status, questions[qid].points if status == CORRECT
                                                           else 0.0, questions[qid].points, message)
                            cell.source = ""  # the nonce dies with the cell
                            continue
                        client.cell_bytes = 0
                        client.last_reply = {}
                        await client.async_execute_cell(client.nb.cells[index], index)
                        _note_cell(client, planned, index, limits, record, answer_trouble)
                finally:
                    guard.cancel()
    except (DeadKernelError, _OutOfTime):
        cause = _death_cause(km, limits, watchdog["fired"])
        last_words = _last_words(stderr_path)
        if last_words and not watchdog["fired"]:
            cause += tr(f" (its last message: {last_words})", f"（最后的输出：{last_words}）")
        where = plan[index]
        cell_name = (tr(f"cell {where.position + 1}", f"第 {where.position + 1} 个单元格")
                     if where.position is not None else tr("a grading cell", "评分单元格"))
        record.notes.append(tr(f"While running {cell_name}, {cause}.", f"运行{cell_name}时，{cause}。"))
        status = TIMEOUT if watchdog["fired"] else KERNEL_DIED
        for qid, question in questions.items():
            if qid not in record.outcomes:
                record.outcomes[qid] = Outcome(qid, status, 0.0, question.points, tr(
                    f"Not graded: {cause} before this question was reached.",
                    f"未评分：在到达本题之前，{cause}。"))
    except RuntimeError:  # jupyter_client's way to say the kernel died during start-up
        if started:
            raise
        last_words = _last_words(stderr_path)
        cause = tr(f"the kernel died while starting (is the {limits.memory_mb} MB memory cap too low?)",
                   f"内核在启动时终止（{limits.memory_mb} MB 内存上限是否太低？）")
        cause += tr(f" (its last message: {last_words})", f"（最后的输出：{last_words}）") if last_words else ""
        record.notes.append(cause)
        for qid, question in questions.items():
            record.outcomes[qid] = Outcome(qid, KERNEL_DIED, 0.0, question.points, cause)
    finally:
        atexit.unregister(client._cleanup_kernel)
        if km.has_kernel:  # start-up failed half-way: make sure no process outlives the run
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources()
        shutil.rmtree(scratch, ignore_errors=True)


def _note_cell(client: _Client, planned: PlannedCell, index: int, limits: Limits, record: RunRecord,
               answer_trouble: dict[str, tuple[bool, str]]) -> None:
    """Turn a student cell's reply into notes, and remember trouble in answer cells for their grade."""
    where = (tr(f"Cell {planned.position + 1}", f"第 {planned.position + 1} 个单元格") if planned.position is not None
             else tr("A re-inserted answer cell", "放回的答案单元格"))
    content = client.last_reply.get("content", {})
    problem, timed_out = None, False
    if index in client.capped_cells:
        problem = tr(f"{where} printed more than {limits.output_cap_kb} KB and was stopped.",
                     f"{where}输出超过 {limits.output_cap_kb} KB，已被中止。")
    elif content.get("status") == "error" and content.get("ename") == TIMED_OUT:
        problem = tr(f"{where} ran longer than {limits.timeout_cell:g} s and was stopped.",
                     f"{where}运行超过 {limits.timeout_cell:g} 秒，已被中止。")
        timed_out = True
    elif content.get("status") == "error":
        ename, evalue = content.get("ename", "Error"), str(content.get("evalue", ""))[:200]
        extra = (tr(f" (the memory cap is {limits.memory_mb} MB)", f"（内存上限为 {limits.memory_mb} MB）")
                 if ename == "MemoryError" else "")
        problem = tr(f"{where} raised {ename}: {evalue}{extra}.", f"{where}出错 {ename}: {evalue}{extra}。")
    if problem is None:
        return
    record.notes.append(problem)
    for qid in planned.questions:
        answer_trouble[qid] = (timed_out, problem)


def run_submission(nb: NotebookNode, exercises: Exercises, student_id: str, notebook_name: str,
                   limits: Limits, source_nb: NotebookNode | None = None) -> RunRecord:
    """Run one submission in its own sandboxed kernel and grade every question of ``exercises``."""
    start = time.monotonic()
    plan, notes = plan_cells(nb, exercises, source_nb)
    record = RunRecord(notes=list(notes))
    text = nbformat.writes(nb)
    try:
        asyncio.run(_run(plan, exercises, student_id, notebook_name, text, limits, record))
    except Exception as exc:  # a grading run must survive anything one submission does
        record.notes.append(tr(f"The grader could not run this notebook: {type(exc).__name__}: {exc}",
                               f"评分程序无法运行该 notebook：{type(exc).__name__}: {exc}"))
        for question in exercises:
            record.outcomes.setdefault(question.id, Outcome(
                question.id, GRADER_ERROR, 0.0, question.points, f"{type(exc).__name__}: {exc}"))
    record.seconds = time.monotonic() - start
    return record
